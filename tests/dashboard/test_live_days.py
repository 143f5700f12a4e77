"""Any date at once (issue 17, part 1): tallies, and days read live without writing.

A union's members and movements are running sums per day they changed (``MembershipTally``),
equal to counts from the periods themselves; a day nobody asked for is read live, read-only, and
its dashboard equals the one read from the kept day, for every kind of reader.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext, override_settings

from apps.dashboard import figures, selectors
from apps.dashboard.checks import ATTENTION_CHECKS
from apps.dashboard.figure_definitions import TALLIED
from apps.dashboard.models import FiguresDay, MembershipTally, UnionFigures
from apps.dashboard.overview import TREND_CUT_OFFS, build_overview
from apps.dashboard.selectors import MOVEMENT_GROUPINGS, Movements, Organised, cut_offs_before, membership_movements
from apps.members import services
from apps.members.models import Member, MembershipPeriod
from apps.unions.models import Decision
from apps.unions.services import unions_move
from tests import factories

# The worker is not there: nothing keeps a day behind the reader's back.
NO_WORKER = override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}})
MOVED_ON = dt.date(2024, 9, 1)
AS_OF = dt.date(2024, 10, 17)
# What the dashboard of AS_OF shows: the day and the trend's cut-offs (the previous one among them).
PAGE_DAYS = [AS_OF, *cut_offs_before(AS_OF, TREND_CUT_OFFS)]
DAYS = [dt.date(2019, 12, 31), dt.date(2021, 3, 15), dt.date(2022, 6, 1), dt.date(2023, 1, 20), MOVED_ON, AS_OF]


@pytest.fixture
def history(union_a1, union_a2, union_b1, chair_a1, chair_a2):
    """Three CĐCS with joins, leaves, a transfer, a group move, a correction and a move between federations."""
    group_a1 = factories.UnionGroupFactory(union=union_a1)
    for union, size in ((union_a1, 6), (union_a2, 4), (union_b1, 3)):
        factories.WorkforceDeclarationFactory(
            union=union, as_of=dt.date(2020, 1, 1), total_workers=size * 2, female_workers=size
        )
        for index in range(size):
            factories.MemberFactory(
                union=union,
                gender="female" if index % 2 else "male",
                joined_union_on=dt.date(2020 + index % 3, 1 + index, 1),
            )
    members = list(Member.objects.filter(union=union_a1).order_by("pk"))
    services.member_leave(member=members[0], on=dt.date(2021, 3, 15), reason="Nghỉ việc")
    transfer = services.transfer_request(member=members[1], to_union=union_a2, on=dt.date(2022, 6, 1), actor=chair_a1)
    services.transfer_accept(transfer=transfer, actor=chair_a2)
    services.member_change_group(member=members[2], group=group_a1, on=dt.date(2023, 1, 20))
    services.member_update(member=members[3], nationality="KR", contract_months=24)
    services.member_update(member=members[4], gender="female")
    # Backdated: a period that started before the days asked for ends on one of them.
    services.member_leave(member=members[5], on=dt.date(2023, 1, 20), reason="Chuyển công tác")
    # Founded after the first cut-offs: not counted on them, its movements added up all the same.
    late = factories.GrassrootsUnionFactory(
        federation=union_a1.federation, code="A3", established_on=dt.date(2023, 3, 1)
    )
    factories.MemberFactory.create_batch(2, union=late, joined_union_on=dt.date(2023, 3, 1))
    decision = Decision.objects.create(number="9/QĐ", signed_on=dt.date(2024, 8, 20), issuer="LĐLĐ thành phố")
    unions_move(unions=[union_a1], to=union_b1.federation, on=MOVED_ON, decision=decision, by=None)
    return union_a1, union_a2, union_b1


def counted_from_periods(union, day: dt.date) -> dict[str, int]:
    """The tallied figures of ``union`` on ``day`` counted from the periods with the ORM, as their definitions say."""
    periods = MembershipPeriod.objects.filter(union=union)
    present = periods.filter(started_on__lte=day).exclude(ended_on__lte=day)
    same_member = MembershipPeriod.objects.filter(member=OuterRef("member"))
    ended_as_it_started = same_member.filter(ended_on=OuterRef("started_on"))
    started_as_it_ended = same_member.filter(started_on=OuterRef("ended_on"))
    elsewhere = {"union": OuterRef("union")}
    started, ended = periods.filter(started_on__lte=day), periods.filter(ended_on__lte=day)
    return {
        "members": present.count(),
        "female_members": present.filter(member__gender="female").count(),
        "foreign_members": present.exclude(member__nationality="VN").count(),
        "joined": started.exclude(Exists(ended_as_it_started)).count(),
        "transferred_in": started.filter(Exists(ended_as_it_started.exclude(**elsewhere))).count(),
        "transferred_out": ended.filter(Exists(started_as_it_ended.exclude(**elsewhere))).count(),
        "left": ended.exclude(Exists(started_as_it_ended)).count(),
    }


def test_tallied_figures_equal_counts_from_the_periods_on_every_day(history):
    figures.ensure_figures(DAYS)
    for union in history:
        for day in DAYS:
            kept = UnionFigures.objects.values(*(figure.name for figure in TALLIED)).get(union=union, day=day)
            assert kept == counted_from_periods(union, day), (union.code, day)
    # The history moves every figure somewhere (a test of nothing would pass too).
    latest = UnionFigures.objects.get(union=history[0], day=AS_OF)
    assert (latest.left, latest.transferred_out, latest.foreign_members) == (2, 1, 1)


def tallies() -> list[tuple]:
    return sorted(MembershipTally.objects.values_list("union_id", "day", *(figure.name for figure in TALLIED)))


def test_tallies_kept_change_by_change_equal_a_recount(history, union_a2):
    figures.ensure_figures(DAYS)
    first = MembershipPeriod.objects.filter(union=union_a2, started_on=dt.date(2020, 1, 1)).first()
    services.member_leave(member=first.member, on=dt.date(2020, 6, 1), reason="Nghỉ việc")
    # A correction in raw SQL, backdated before every kept tally of the union.
    second = MembershipPeriod.objects.filter(union=union_a2, ended_on__isnull=True, started_on__year=2021).first()
    MembershipPeriod.objects.filter(pk=second.pk).update(started_on=dt.date(2019, 5, 5))
    figures.ensure_figures(DAYS)
    kept = tallies()
    assert kept
    figures.recount_tallies()
    assert tallies() == kept


def overview_as_data(user, organised: Organised) -> dict:
    """What the dashboard shows, as plain data: totals, comparison, trend, movements, checks and their worst."""
    overview = build_overview(user, AS_OF, organised)
    return {
        "summary": overview.summary,
        "previous": overview.previous,
        "trend": overview.trend,
        "movements": overview.movements,
        "attention": [
            (item.code, item.count, [getattr(one, "pk", None) for one in item.sample]) for item in overview.attention
        ],
        "subordinates": overview.subordinates,
    }


@NO_WORKER
@pytest.mark.parametrize("organised", list(Organised))
@pytest.mark.parametrize("reader", ["leader", "district_staff", "staff_b", "chair_a1", "chair_a2"])
def test_a_day_read_live_shows_what_the_kept_day_shows(history, reader, organised, request):
    user = request.getfixturevalue(reader)
    live = overview_as_data(user, organised)
    assert not FiguresDay.objects.exists()
    figures.ensure_figures(PAGE_DAYS)
    kept = overview_as_data(user, organised)
    for key in kept:
        assert (key, kept[key]) == (key, live[key]), f"{kept[key]}\n{live[key]}"
    assert live["summary"].unions > 0


@NO_WORKER
@pytest.mark.parametrize("by", list(MOVEMENT_GROUPINGS))
def test_movements_read_live_per_union_sector_and_federation_equal_the_kept_ones(
    history, leader, federation_a, by, monkeypatch
):
    # Per union, each CĐCS has a row of its own, not only those listed among the worst: with
    # one listed a check and more CĐCS than checks, some are not listed.
    monkeypatch.setattr(selectors, "ATTENTION_SAMPLE", 1)
    for index in range(len(ATTENTION_CHECKS) + 1):
        union = factories.GrassrootsUnionFactory(federation=federation_a, code=f"A{10 + index}")
        factories.MemberFactory(union=union, joined_union_on=dt.date(2023, 1 + index, 1))
    window = {"start": dt.date(2022, 1, 1), "end": AS_OF, "user": leader, "by": by}
    live = membership_movements(**window)
    assert not FiguresDay.objects.exists()
    figures.ensure_figures([dt.date(2021, 12, 31), AS_OF])
    assert membership_movements(**window) == live
    assert live and all(moved != Movements() for moved in live.values())
    if by == "union":
        assert len(live) >= len(ATTENTION_CHECKS) + 1


@NO_WORKER
def test_reading_a_day_live_writes_nothing(history, leader):
    # What a replica holds: the changes applied on the primary (by the worker), no day kept.
    figures.apply_pending_changes()
    with CaptureQueriesContext(connection) as queries:
        overview = build_overview(leader, AS_OF)
    assert overview.summary.members > 0
    written = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE")
    ]
    assert written == []
    assert not FiguresDay.objects.exists()


@NO_WORKER
def test_a_day_read_live_is_read_once_for_the_whole_page(history, leader):
    with CaptureQueriesContext(connection) as queries:
        build_overview(leader, AS_OF)
    live = [
        query
        for query in queries.captured_queries
        if query["sql"].startswith('WITH "dashboard_unionfigures" AS MATERIALIZED')
    ]
    # As of, and the six cut-offs of the trend (the previous one among them): each read once;
    # the CĐCS moved since the previous cut-off are read for their own rows only, on both days.
    assert len(live) == 7 + 2


def test_the_worker_keeps_a_day_read_live(history, leader):
    # The tests' task backend runs a task at once, as the worker would moments later.
    build_overview(leader, AS_OF)
    assert FiguresDay.objects.filter(day=AS_OF).exists()


def test_a_live_days_worst_lists_sort_as_the_database_sorts(history, federation_a):
    # A CĐCS with neither members nor a declaration: no ratio, no declaration date.
    factories.GrassrootsUnionFactory(federation=federation_a, code="A4")
    figures.ensure_figures([AS_OF])
    rows = UnionFigures.objects.filter(day=AS_OF, counted=True)
    for code, check in ATTENTION_CHECKS.items():
        # Where both databases put nulls alike: said in the ordering, or no nulls.
        named = [order for order in check.worst_first if isinstance(order, str)]
        compared = rows.filter(**{f"{name.lstrip('-')}__isnull": False for name in named}).order_by(*check.worst_first)
        in_python = sorted(compared.values(), key=check.sort_key)
        assert [row["union_id"] for row in in_python] == list(compared.values_list("union_id", flat=True)), code
        assert len(in_python) >= 4, code


def test_a_federations_reader_computes_only_the_cdcs_ever_under_it(
    history, district_staff, staff_b, union_a1, union_a2, union_b1, chair_a2, monkeypatch
):
    # A1 moved from federation A to B on MOVED_ON: both count it on some day.
    in_a = selectors._maybe_in_scope(district_staff, None)
    in_b = selectors._maybe_in_scope(staff_b, None)
    assert {union_a1.pk, union_a2.pk} <= set(in_a) and union_b1.pk not in in_a
    assert {union_a1.pk, union_b1.pk} <= set(in_b) and union_a2.pk not in in_b
    assert selectors._maybe_in_scope(chair_a2, None) == [union_a2.pk]
    # More than a day computed whole is worth: the whole day, as for the city.
    monkeypatch.setattr(selectors, "WHOLE_DAY_ABOVE", 1)
    assert selectors._maybe_in_scope(district_staff, None) is None
