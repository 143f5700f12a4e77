"""The dashboard's summary tables stay exact: after any change, the kept rows equal rows computed afresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.scoping import SYSTEM
from apps.dashboard import figures
from apps.dashboard.checks import ATTENTION_CHECKS, attention_q
from apps.dashboard.models import (
    FederationFigures,
    FederationFiguresToday,
    FiguresDay,
    PendingFiguresChange,
    UnionFigures,
)
from apps.dashboard.selectors import TOTAL_FIELDS, attention_counts, district_summary
from apps.meetings.models import Meeting
from apps.members import services
from apps.members.models import Member, UnionOfficial
from apps.unions.models import GrassrootsUnion, WorkforceDeclaration
from tests import factories

EARLY, DAY, LATE = dt.date(2019, 12, 31), dt.date(2021, 7, 9), dt.date(2024, 11, 30)
DAYS = [EARLY, DAY, LATE]


def snapshot() -> tuple[list[tuple], ...]:
    """Every kept row of the three tables (the totals as organised then and today), in a stable order, ids left out."""
    union_rows = sorted(UnionFigures.objects.values_list(*(f for f in figures.COLUMNS if f != "union_id"), "union"))
    totals = [
        sorted(
            tuple(row)
            for row in table.objects.values_list("day", "federation", "sector", *(name for name in FEDERATION_TOTALS))
        )
        for table in (FederationFigures, FederationFiguresToday)
    ]
    return union_rows, *totals


# Every column of the federations' totals: what the dashboard adds up, and the check counts.
FEDERATION_TOTALS = (*TOTAL_FIELDS, *ATTENTION_CHECKS)


def assert_kept_rows_are_exact(days: list[dt.date] = DAYS) -> None:
    """Apply the pending notes, then compare with every day computed again from nothing."""
    figures.ensure_figures(days)
    assert not PendingFiguresChange.objects.exists()
    kept = snapshot()
    figures.forget_all()
    figures.ensure_figures(days)
    assert snapshot() == kept


def row(union: GrassrootsUnion, day: dt.date) -> UnionFigures:
    figures.ensure_figures([day])
    return UnionFigures.objects.get(union=union, day=day)


@pytest.fixture
def kept(union_a1, union_a2, union_b1):
    """Three unions with members, a declaration and a group; the three days already kept."""
    for union in (union_a1, union_a2, union_b1):
        factories.WorkforceDeclarationFactory(
            union=union, as_of=dt.date(2020, 1, 1), total_workers=10, female_workers=5
        )
        factories.MemberFactory.create_batch(2, union=union, joined_union_on=dt.date(2020, 1, 1))
        factories.MemberFactory(union=union, gender="female", joined_union_on=dt.date(2020, 1, 1))
        factories.UnionGroupFactory(union=union)
    figures.ensure_figures(DAYS)
    assert set(FiguresDay.objects.values_list("day", flat=True)) == set(DAYS)
    assert not PendingFiguresChange.objects.exists()


def enrol(union, national_id, on, gender="male"):
    return services.member_enrol(
        union=union, joined_on=on, full_name="Lê Thị Hoa", gender=gender, national_id=national_id
    )


def test_a_day_is_computed_for_every_union_the_first_time_it_is_asked_for(kept, union_a1):
    new_day = dt.date(2022, 5, 31)
    assert not FiguresDay.objects.filter(day=new_day).exists()
    figures.ensure_figures([new_day])
    assert UnionFigures.objects.filter(day=new_day).count() == GrassrootsUnion.objects.count()
    a1 = row(union_a1, new_day)
    assert (a1.members, a1.female_members, a1.workers, a1.groups, a1.counted) == (3, 1, 10, 1, True)


def test_enrolment_and_leaving_reach_the_kept_days_from_their_date(kept, union_a1):
    joiner = enrol(union_a1, "001090000001", dt.date(2021, 1, 1), gender="female")
    assert (row(union_a1, EARLY).members, row(union_a1, DAY).members, row(union_a1, LATE).members) == (0, 4, 4)
    assert row(union_a1, DAY).female_members == 2
    services.member_leave(member=joiner, on=dt.date(2022, 1, 1), reason="Nghỉ việc")
    assert (row(union_a1, DAY).members, row(union_a1, LATE).members) == (4, 3)
    assert (row(union_a1, LATE).joined, row(union_a1, LATE).left) == (4, 1)
    assert_kept_rows_are_exact()


def test_a_transfer_counts_out_of_one_union_and_into_the_other(kept, union_a1, union_a2, chair_a1, chair_a2):
    member = Member.objects.filter(union=union_a1).first()
    transfer = services.transfer_request(member=member, to_union=union_a2, on=dt.date(2022, 3, 1), actor=chair_a1)
    services.transfer_accept(transfer=transfer, actor=chair_a2)
    a1, a2 = row(union_a1, LATE), row(union_a2, LATE)
    assert (a1.members, a1.transferred_out, a1.left) == (2, 1, 0)
    assert (a2.members, a2.transferred_in, a2.joined) == (4, 1, 3)
    assert_kept_rows_are_exact()


def test_a_gender_correction_moves_a_female_member(kept, union_a1):
    member = Member.objects.filter(union=union_a1, gender="male").first()
    services.member_update(member=member, gender="female")
    assert row(union_a1, DAY).female_members == 2
    assert_kept_rows_are_exact()


def test_foreign_members_are_counted_from_their_joining_and_follow_a_change_of_nationality(kept, union_a1):
    foreign = services.member_enrol(
        union=union_a1,
        joined_on=dt.date(2021, 1, 1),
        full_name="Kim Min Jun",
        gender="male",
        nationality="KR",
        contract_months=24,
    )
    assert (row(union_a1, EARLY).foreign_members, row(union_a1, DAY).foreign_members) == (0, 1)
    assert_kept_rows_are_exact()
    member = Member.objects.filter(union=union_a1, nationality="VN").first()
    services.member_update(member=member, nationality="JP", contract_months=36)
    assert (row(union_a1, EARLY).foreign_members, row(union_a1, DAY).foreign_members) == (0, 2)
    assert_kept_rows_are_exact()
    services.member_update(member=foreign, nationality="VN")
    assert row(union_a1, LATE).foreign_members == 1
    assert district_summary(as_of=LATE, user=SYSTEM, federation=union_a1.federation).foreign_members == 1
    assert_kept_rows_are_exact()


def test_changes_made_in_raw_sql_are_noticed_too(kept, union_a1):
    # Triggers, not signals: bulk tools and scripts that bypass the ORM are seen as well.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE members_member SET gender = 'female' WHERE union_id = %s", [union_a1.pk])
    assert row(union_a1, DAY).female_members == 3
    assert_kept_rows_are_exact()


def test_workforce_declarations_added_changed_and_removed(kept, union_a1):
    declaration = factories.WorkforceDeclarationFactory(
        union=union_a1, as_of=dt.date(2021, 1, 1), total_workers=40, female_workers=12
    )
    assert (row(union_a1, EARLY).workers, row(union_a1, DAY).workers, row(union_a1, LATE).workers) == (0, 40, 40)
    assert row(union_a1, DAY).declared_on == dt.date(2021, 1, 1)
    WorkforceDeclaration.objects.filter(pk=declaration.pk).update(total_workers=41)
    assert row(union_a1, DAY).workers == 41
    declaration.delete()
    assert row(union_a1, DAY).workers == 10
    assert_kept_rows_are_exact()


def test_groups_leaders_department_unions_and_meetings(kept, union_a1, federation_a):
    group = factories.UnionGroupFactory(union=union_a1, established_on=dt.date(2021, 1, 1))
    assert (row(union_a1, EARLY).groups, row(union_a1, DAY).groups) == (1, 2)
    assert row(union_a1, DAY).groups_without_leader == 2
    leader = Member.objects.filter(union=union_a1).first()
    factories.UnionOfficialFactory(
        member=leader, group=group, role=UnionOfficial.Role.GROUP_LEADER, started_on=dt.date(2021, 2, 1)
    )
    assert row(union_a1, DAY).groups_without_leader == 1
    factories.DepartmentUnionFactory(union=union_a1, established_on=dt.date(2021, 5, 1))
    assert (row(union_a1, EARLY).department_unions, row(union_a1, DAY).department_unions) == (0, 1)
    assert row(union_a1, DAY).quiet_groups == 2
    factories.MeetingFactory(
        federation=federation_a, organiser_union=union_a1, group=group, kind=Meeting.Kind.GROUP_MEETING, held_on=DAY
    )
    assert (row(union_a1, DAY).quiet_groups, row(union_a1, LATE).quiet_groups) == (1, 2)
    group.dissolved_on = dt.date(2022, 1, 1)
    group.save()
    assert row(union_a1, LATE).groups == 1
    assert_kept_rows_are_exact()


def test_a_union_renamed_or_dissolved_is_recomputed_on_every_day(kept, union_a1, federation_a):
    union_a1.name = "Công đoàn Công ty Cổ phần Bình Minh"
    union_a1.sector = factories.sector("truong-hoc")
    union_a1.save()
    figures.ensure_figures(DAYS)
    assert {(r.federation_id, r.sector_id, r.union_name) for r in UnionFigures.objects.filter(union=union_a1)} == {
        (federation_a.pk, union_a1.sector_id, "Công đoàn Công ty Cổ phần Bình Minh")
    }
    # A move is counted from its date only (tests/dashboard/test_as_organised_then.py).
    GrassrootsUnion.objects.filter(pk=union_a1.pk).update(status="dissolved", dissolved_on=dt.date(2022, 1, 1))
    assert (row(union_a1, DAY).counted, row(union_a1, LATE).counted) == (True, False)
    assert_kept_rows_are_exact()


def test_a_new_union_has_rows_on_every_kept_day(kept, federation_a):
    union = factories.GrassrootsUnionFactory(federation=federation_a, established_on=dt.date(2021, 1, 1))
    figures.ensure_figures(DAYS)
    assert dict(UnionFigures.objects.filter(union=union).values_list("day", "counted")) == {
        EARLY: False,
        DAY: True,
        LATE: True,
    }
    assert_kept_rows_are_exact()


def test_deleting_a_member_takes_them_out(kept, union_a1):
    Member.objects.filter(union=union_a1).first().delete()
    assert row(union_a1, DAY).members == 2
    assert_kept_rows_are_exact()


def test_reading_kept_current_days_is_one_query(kept, django_assert_num_queries):
    with django_assert_num_queries(1):
        figures.ensure_figures(DAYS)


def test_applying_changes_costs_the_same_for_one_change_or_many(kept, union_a1, union_a2):
    def refresh_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            figures.ensure_figures(DAYS)
        return len(captured)

    enrol(union_a1, "001090000011", dt.date(2019, 6, 1))
    one = refresh_queries()
    for index in range(12):
        enrol(union_a1 if index % 2 else union_a2, f"0010900001{index:02d}", dt.date(2019, 6, 1))
    assert refresh_queries() == one
    assert_kept_rows_are_exact()


def test_a_note_written_while_a_refresh_runs_is_kept_for_the_next(kept, union_a1, monkeypatch):
    enrol(union_a1, "001090000021", dt.date(2021, 1, 1))
    compute = figures._compute_unions
    written = []

    def compute_while_someone_writes(days, union_ids):
        # Another request's change lands after this refresh read the notes.
        if not written:
            written.append(PendingFiguresChange.objects.create(union_id=union_a1.pk, since=dt.date(2023, 1, 1)))
        compute(days, union_ids)

    monkeypatch.setattr(figures, "_compute_unions", compute_while_someone_writes)
    figures.ensure_figures(DAYS)
    assert list(PendingFiguresChange.objects.values_list("pk", flat=True)) == [written[0].pk]
    monkeypatch.undo()
    figures.ensure_figures(DAYS)
    assert not PendingFiguresChange.objects.exists()
    assert row(union_a1, DAY).members == 4


def test_forget_all_empties_the_summary(kept):
    figures.forget_all()
    assert not (UnionFigures.objects.exists() or FederationFigures.objects.exists() or FiguresDay.objects.exists())


def test_a_deleted_union_leaves_its_federations_totals(kept, federation_a):
    empty = factories.GrassrootsUnionFactory(federation=federation_a, established_on=dt.date(2015, 1, 1))
    assert district_summary(as_of=DAY, user=SYSTEM, federation=federation_a).unions == 3
    empty.delete()
    assert district_summary(as_of=DAY, user=SYSTEM, federation=federation_a).unions == 2
    assert not UnionFigures.objects.filter(union_id=empty.pk).exists()
    assert_kept_rows_are_exact()


def test_every_charter_check_is_counted_with_the_federations_totals():
    fields = {field.name for field in FederationFigures._meta.get_fields()}
    assert set(ATTENTION_CHECKS) <= fields


def test_charter_check_counts_follow_changes_for_staff_and_chairs(kept, union_a1, district_staff, chair_a1):
    # Every union of the fixture has 3 members: fewer than 5 each.
    assert attention_counts(as_of=DAY, user=district_staff)["few_members"] == 2
    assert attention_counts(as_of=DAY, user=chair_a1)["few_members"] == 1
    for index in range(2):
        enrol(union_a1, f"00109000003{index}", dt.date(2021, 1, 1))
    assert attention_counts(as_of=DAY, user=district_staff)["few_members"] == 1
    assert attention_counts(as_of=DAY, user=chair_a1)["few_members"] == 0
    assert attention_counts(as_of=EARLY, user=district_staff)["few_members"] == 2
    assert_kept_rows_are_exact()


def test_more_members_than_workers_also_without_workers_and_at_a_ratio_rounded_to_1000(kept, federation_a):
    undeclared = factories.GrassrootsUnionFactory(federation=federation_a)
    factories.MemberFactory(union=undeclared, joined_union_on=dt.date(2020, 1, 1))
    barely_over = factories.GrassrootsUnionFactory(federation=federation_a)
    factories.WorkforceDeclarationFactory(
        union=barely_over, as_of=dt.date(2020, 1, 1), total_workers=3, female_workers=0
    )
    factories.MemberFactory.create_batch(4, union=barely_over, joined_union_on=dt.date(2020, 1, 1))
    exactly_full = factories.GrassrootsUnionFactory(federation=federation_a)
    factories.WorkforceDeclarationFactory(
        union=exactly_full, as_of=dt.date(2020, 1, 1), total_workers=2, female_workers=0
    )
    factories.MemberFactory.create_batch(2, union=exactly_full, joined_union_on=dt.date(2020, 1, 1))
    figures.ensure_figures([DAY])
    failing = UnionFigures.objects.filter(day=DAY).filter(attention_q("more_members_than_workers", DAY))
    assert set(failing.values_list("union_id", flat=True)) == {undeclared.pk, barely_over.pk}
    assert row(undeclared, DAY).ratio_permille == figures.NO_WORKERS_RATIO
    assert (row(barely_over, DAY).ratio_permille, row(exactly_full, DAY).ratio_permille) == (1333, 1000)


def test_dissolving_a_union_empties_it_from_the_date_and_keeps_the_days_before(kept, union_a1, union_a2):
    """Issue 16, part 4: the days before a dissolution keep their figures; from it the union counts no member."""
    before = snapshot()
    services.unions_dissolve([union_a1], on=dt.date(2022, 1, 1))
    figures.ensure_figures(DAYS)
    after = snapshot()
    unchanged = [r for r in before[0] if r[0] in (EARLY, DAY)]
    assert [r for r in after[0] if r[0] in (EARLY, DAY)] == unchanged
    assert [r for r in after[1] if r[0] in (EARLY, DAY)] == [r for r in before[1] if r[0] in (EARLY, DAY)]
    late = row(union_a1, LATE)
    assert (late.members, late.female_members, late.groups, late.counted) == (0, 0, 0, False)
    assert row(union_a2, LATE).members == 3
    assert_kept_rows_are_exact()


def test_a_days_statement_is_compiled_once_and_each_days_dates_shifted_in():
    compiled = []

    def compile_on(day):
        compiled.append(day)
        return "SELECT %s, %s, %s", (day, day - dt.timedelta(days=365), 7)

    on = figures._same_statement_each_day(compile_on)
    assert on(dt.date(2024, 3, 1)) == ("SELECT %s, %s, %s", (dt.date(2024, 3, 1), dt.date(2023, 3, 2), 7))
    assert on(dt.date(2025, 1, 1))[1][0] == dt.date(2025, 1, 1)
    assert len(compiled) == 2


def test_a_days_statement_that_changes_otherwise_is_compiled_each_day():
    on = figures._same_statement_each_day(lambda day: ("SELECT %s", (day.year,)))
    assert on(dt.date(2024, 3, 1)) == ("SELECT %s", (2024,))
    on = figures._same_statement_each_day(lambda day: (f"SELECT {day.month}", ()))
    assert on(dt.date(2024, 3, 1)) == ("SELECT 3", ())


def test_one_change_costs_the_same_queries_however_many_days_are_kept(kept, union_a1):
    def queries_to_apply_a_change(national_id: str) -> int:
        enrol(union_a1, national_id, dt.date(2019, 6, 1))
        with CaptureQueriesContext(connection) as captured:
            figures.ensure_figures(DAYS)
        return len(captured)

    few = queries_to_apply_a_change("001090000031")
    months = [dt.date(2021, month, 1) for month in range(1, 13)]
    figures.ensure_figures(months)
    assert FiguresDay.objects.count() == len(DAYS) + 12
    assert queries_to_apply_a_change("001090000032") == few
    assert_kept_rows_are_exact([*DAYS, *months])


def test_a_change_applied_a_day_a_statement_is_as_exact(kept, union_a1, monkeypatch):
    # More days than one statement's parameters hold: a batch each (here, a day each).
    monkeypatch.setattr(figures, "PARAMETERS_A_STATEMENT", 1)
    enrol(union_a1, "001090000041", dt.date(2019, 6, 1))
    with CaptureQueriesContext(connection) as captured:
        figures.ensure_figures(DAYS)
    inserts = [query for query in captured if query["sql"].startswith("INSERT INTO dashboard_unionfigures")]
    assert len(inserts) == len(DAYS)
    assert_kept_rows_are_exact()
