"""Figures "as organised then": each CĐCS counts under the superior it had on the day (issue 16, part 2).

A CĐCS moved from A to B on D counts in A's figures up to D-1 and in B's from D; only the kept
days from D are recomputed; both federations' totals equal a count by hand from the records.
"""

from __future__ import annotations

import datetime as dt

import pytest

from apps.accounts.scoping import SYSTEM
from apps.dashboard import figures
from apps.dashboard.models import FederationFigures, PendingFiguresChange, UnionFigures
from apps.dashboard.selectors import district_summary
from apps.members.models import MembershipPeriod
from apps.unions.models import Decision, UnionAffiliation
from apps.unions.services import unions_move
from tests import factories
from tests.dashboard.test_figures import assert_kept_rows_are_exact

D = dt.date(2025, 7, 1)
BEFORE, AFTER = D - dt.timedelta(days=1), dt.date(2025, 12, 31)
EARLIER = dt.date(2021, 7, 9)
DAYS = [EARLIER, BEFORE, D, AFTER]


@pytest.fixture
def three_unions(union_a1, union_a2, union_b1):
    for union, members in ((union_a1, 3), (union_a2, 2), (union_b1, 4)):
        factories.MemberFactory.create_batch(members, union=union, joined_union_on=dt.date(2020, 1, 1))
    figures.ensure_figures(DAYS)
    return union_a1, union_a2, union_b1


def move_a1(union_a1, federation_b):
    decision = Decision.objects.create(number="7/QĐ", signed_on=dt.date(2025, 6, 20), issuer="LĐLĐ thành phố")
    unions_move(unions=[union_a1], to=federation_b, on=D, decision=decision, by=None)


def by_hand(federation, day) -> tuple[int, int]:
    """(CĐCS, members) of ``federation`` on ``day``, from the periods alone."""
    unions = set(UnionAffiliation.objects.as_of(day).filter(federation=federation).values_list("union", flat=True))
    members = MembershipPeriod.objects.as_of(day).filter(union__in=unions).count()
    return len(unions), members


def summary(federation, day) -> tuple[int, int]:
    figures_of_day = district_summary(as_of=day, user=SYSTEM, federation=federation)
    return figures_of_day.unions, figures_of_day.members


def test_a_moved_cdcs_counts_under_each_superior_on_its_own_days(three_unions, federation_a, federation_b):
    union_a1 = three_unions[0]
    move_a1(union_a1, federation_b)
    assert summary(federation_a, BEFORE) == (2, 5) == by_hand(federation_a, BEFORE)
    assert summary(federation_b, BEFORE) == (1, 4) == by_hand(federation_b, BEFORE)
    assert summary(federation_a, D) == (1, 2) == by_hand(federation_a, D)
    assert summary(federation_b, D) == (2, 7) == by_hand(federation_b, D)
    for day in DAYS:
        for federation in (federation_a, federation_b):
            assert summary(federation, day) == by_hand(federation, day)
    rows = dict(UnionFigures.objects.filter(union=union_a1).values_list("day", "federation__code"))
    assert rows == {EARLIER: "HBT", BEFORE: "HBT", D: "DD", AFTER: "DD"}
    assert_kept_rows_are_exact(DAYS)


def test_a_move_recomputes_the_kept_days_from_its_date_only(three_unions, federation_b):
    union_a1 = three_unions[0]
    earlier_rows = {row.pk for row in UnionFigures.objects.filter(day__lt=D)}
    earlier_totals = {row.pk for row in FederationFigures.objects.filter(day__lt=D)}
    move_a1(union_a1, federation_b)
    assert list(PendingFiguresChange.objects.values_list("union_id", "since")) == [(union_a1.pk, D)]
    figures.ensure_figures(DAYS)
    # Rows are replaced when recomputed: those of the days before the move are the same rows.
    assert {row.pk for row in UnionFigures.objects.filter(day__lt=D)} == earlier_rows
    assert {row.pk for row in FederationFigures.objects.filter(day__lt=D)} == earlier_totals
    assert not UnionFigures.objects.filter(day__gte=D, union=union_a1, federation__code="HBT").exists()


def test_staff_of_each_side_read_the_cdcs_on_their_own_days(three_unions, federation_b, district_staff, staff_b):
    union_a1 = three_unions[0]
    move_a1(union_a1, federation_b)
    figures.ensure_figures(DAYS)
    a_days = set(UnionFigures.objects.visible_to(district_staff).filter(union=union_a1).values_list("day", flat=True))
    b_days = set(UnionFigures.objects.visible_to(staff_b).filter(union=union_a1).values_list("day", flat=True))
    assert (a_days, b_days) == ({EARLIER, BEFORE}, {D, AFTER})


def test_movements_over_a_period_with_a_move_count_each_cdcs_under_its_superior_at_the_end(
    three_unions, federation_a, federation_b, district_staff, staff_b
):
    from apps.dashboard.selectors import membership_movements

    union_a1, union_a2, _ = three_unions
    factories.MemberFactory(union=union_a1, joined_union_on=dt.date(2025, 3, 2))
    factories.MemberFactory(union=union_a2, joined_union_on=dt.date(2025, 4, 5))
    move_a1(union_a1, federation_b)
    factories.MemberFactory(union=union_a1, joined_union_on=dt.date(2025, 9, 1))
    year = {"start": dt.date(2025, 1, 1), "end": AFTER}
    figures.ensure_figures([dt.date(2024, 12, 31), dt.date(2025, 6, 30), AFTER])

    def joined(**options) -> dict:
        return {group: moved.joined for group, moved in membership_movements(**year, **options).items()}

    # A1's two joins of 2025 (one before the move, one after) count once, under B, where it ends the year.
    assert joined(user=SYSTEM, by="federation") == {federation_a.pk: 1, federation_b.pk: 2}
    assert joined(user=SYSTEM) == {None: 3}
    assert joined(user=district_staff) == {None: 1}
    assert joined(user=staff_b) == {None: 2}
    assert joined(user=SYSTEM, federation=federation_b) == {None: 2}
    # A half-year before the move is A's, exactly.
    first_half = membership_movements(start=dt.date(2025, 1, 1), end=BEFORE, user=district_staff)
    assert first_half[None].joined == 2


def test_the_list_of_a_superiors_cdcs_as_of_a_day_is_as_organised_then(three_unions, federation_a, federation_b):
    from apps.dashboard.selectors import counted_unions

    union_a1 = three_unions[0]
    move_a1(union_a1, federation_b)

    def codes(federation, day) -> list[str]:
        return sorted(counted_unions(as_of=day, user=SYSTEM, federation=federation).values_list("code", flat=True))

    assert codes(federation_a, BEFORE) == ["A1", "A2"]
    assert codes(federation_b, BEFORE) == ["B1"]
    assert codes(federation_a, D) == ["A2"]
    assert codes(federation_b, D) == ["A1", "B1"]
    for federation in (federation_a, federation_b):
        for day in (BEFORE, D):
            assert len(codes(federation, day)) == summary(federation, day)[0]


# --- As organised today: today's structure restated back in time -----------------------------


def today_summary(federation, day, user=SYSTEM) -> tuple[int, int]:
    from apps.dashboard.selectors import Organised

    figures_of_day = district_summary(as_of=day, user=user, federation=federation, organised=Organised.TODAY)
    return figures_of_day.unions, figures_of_day.members


def by_hand_today(federation, day) -> tuple[int, int]:
    """(CĐCS, members) on ``day`` of the CĐCS under ``federation`` today, from the records alone."""
    from apps.unions.models import GrassrootsUnion

    unions = set(GrassrootsUnion.objects.as_of(day).filter(federation=federation).values_list("pk", flat=True))
    return len(unions), MembershipPeriod.objects.as_of(day).filter(union__in=unions).count()


def test_as_organised_today_a_moved_cdcs_counts_under_its_superior_of_today_on_every_day(
    three_unions, federation_a, federation_b, staff_b
):
    move_a1(three_unions[0], federation_b)
    for day in DAYS:
        for federation in (federation_a, federation_b):
            assert today_summary(federation, day) == by_hand_today(federation, day)
    assert today_summary(federation_b, BEFORE) == (2, 7)
    assert today_summary(federation_a, BEFORE) == (1, 2)
    # B's staff read A1's past through today's structure; as organised then it was A's.
    assert today_summary(federation_b, EARLIER, user=staff_b) == (2, 7)
    assert summary(federation_b, EARLIER) == (1, 4)


def test_as_organised_today_is_restated_on_the_days_kept_before_a_move(three_unions, federation_a, federation_b):
    """The kept totals as organised today follow a CĐCS to its new superior on every kept day."""
    from apps.dashboard.models import FederationFiguresToday, PendingRestatement

    for day in DAYS:
        for federation in (federation_a, federation_b):
            assert today_summary(federation, day) == by_hand_today(federation, day)
    kept_before = FederationFiguresToday.objects.filter(federation=federation_b).count()
    move_a1(three_unions[0], federation_b)
    assert PendingRestatement.objects.filter(federation_id__in=[federation_a.pk, federation_b.pk]).exists()
    for day in DAYS:
        for federation in (federation_a, federation_b):
            assert today_summary(federation, day) == by_hand_today(federation, day)
    assert today_summary(federation_b, EARLIER) == (2, 7)
    assert not PendingRestatement.objects.exists()
    assert FederationFiguresToday.objects.filter(federation=federation_b).count() >= kept_before


def test_as_organised_today_movements_and_lists_follow_todays_structure(three_unions, federation_a, federation_b):
    from apps.dashboard.selectors import Organised, counted_unions, membership_movements

    union_a1 = three_unions[0]
    factories.MemberFactory(union=union_a1, joined_union_on=dt.date(2025, 3, 2))
    move_a1(union_a1, federation_b)
    moved = membership_movements(
        start=dt.date(2025, 1, 1), end=AFTER, user=SYSTEM, by="federation", organised=Organised.TODAY
    )
    assert {group: movements.joined for group, movements in moved.items()} == {federation_b.pk: 1}
    listed = counted_unions(as_of=BEFORE, user=SYSTEM, federation=federation_b, organised=Organised.TODAY)
    assert sorted(listed.values_list("code", flat=True)) == ["A1", "B1"]


def test_the_dashboard_offers_both_views_and_keeps_the_choice_in_its_links(
    client, three_unions, federation_b, staff_b, vi
):
    move_a1(three_unions[0], federation_b)
    client.force_login(staff_b)
    then = client.get("/dashboard/", {"as_of": BEFORE.isoformat()})
    today = client.get("/dashboard/", {"as_of": BEFORE.isoformat(), "organised": "today"})
    assert then.context["overview"].summary.members == 4
    assert today.context["overview"].summary.members == 7
    page = today.content.decode()
    assert "theo cơ cấu hiện nay" in page and "Theo cơ cấu hiện nay: mỗi CĐCS" in page
    assert "&amp;organised=today" in page
    # Anything but "today" is the default view, never an error.
    assert client.get("/dashboard/", {"as_of": BEFORE.isoformat(), "organised": "x"}).status_code == 200
    data = client.get("/dashboard/api/summary.json", {"as_of": BEFORE.isoformat(), "organised": "today"}).json()
    assert data["organised"] == "today" and data["totals"]["members"] == 7


def test_district_report_reads_either_structure(three_unions, federation_b):
    from io import StringIO

    from django.core.management import CommandError, call_command

    move_a1(three_unions[0], federation_b)
    then, today = StringIO(), StringIO()
    call_command("district_report", as_of=BEFORE.isoformat(), federation="DD", stdout=then)
    call_command("district_report", as_of=BEFORE.isoformat(), federation="DD", organised="today", stdout=today)
    assert then.getvalue() != today.getvalue()
    with pytest.raises(CommandError, match="--organised"):
        call_command("district_report", federation="DD", organised="yesterday")
