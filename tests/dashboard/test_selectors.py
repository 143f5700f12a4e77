"""District figures as of a date: counted from history, scoped to the reader, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from apps.accounts.models import User
from apps.accounts.scoping import SYSTEM
from apps.dashboard.figures import ensure_figures
from apps.dashboard.selectors import district_summary, per_union_figures
from apps.members.models import Member
from tests import factories

DAY = dt.date(2021, 7, 9)
BEFORE = DAY - dt.timedelta(days=1)
AFTER = DAY + dt.timedelta(days=1)
LONG_AGO = dt.date(2020, 1, 1)


def member(union, *, gender="male", joined_on=LONG_AGO, **kwargs):
    """A member whose open membership period in ``union`` starts on ``joined_on``."""
    return factories.MemberFactory(union=union, gender=gender, joined_union_on=joined_on, **kwargs)


def period(person, union, started_on, ended_on=None):
    return factories.MembershipPeriodFactory(member=person, union=union, started_on=started_on, ended_on=ended_on)


@pytest.fixture
def district(federation_a, union_a1, union_a2):
    """Federation A on 09/07/2021, figures worked out by hand in the docstrings of the tests.

    A1 (non-state enterprise): 2 members (1 female) on DAY, 10 workers (6 female), 1 group,
        1 department union; a transfer to A2 leaves on DAY.
    A2 (non-state enterprise): 2 members (2 female) on DAY, 4 workers (2 female), no group,
        its department union dissolved before DAY.
    A3 (public-service unit): 1 female member, no workforce declaration, 2 groups.
    A4 dissolved and A5 not yet established on DAY: not counted.
    """
    enterprise = factories.sector("dn-ngoai-nha-nuoc")
    public_service = factories.sector("hcsn")
    union_a3 = factories.GrassrootsUnionFactory(federation=federation_a, sector=public_service, code="A3")
    union_a4 = factories.GrassrootsUnionFactory(
        federation=federation_a,
        sector=public_service,
        code="A4",
        status="dissolved",
        dissolved_on=dt.date(2021, 1, 1),
    )
    union_a5 = factories.GrassrootsUnionFactory(
        federation=federation_a, sector=enterprise, code="A5", established_on=AFTER
    )

    # A1: two members in force; one joins after DAY, one left before it.
    member(union_a1, gender="female")
    member(union_a1)
    member(union_a1, gender="female", joined_on=AFTER)
    leaver = member(union_a1, status=Member.Status.LEFT, period=False)
    period(leaver, union_a1, LONG_AGO, dt.date(2021, 7, 1))
    # Transfer A1 → A2 on DAY: in A1 until DAY-1, in A2 from DAY.
    mover = member(union_a2, gender="female", period=False)
    period(mover, union_a1, LONG_AGO, DAY)
    period(mover, union_a2, DAY)
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2021, 1, 1), total_workers=10, female_workers=6)
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=AFTER, total_workers=99, female_workers=50)
    factories.UnionGroupFactory(union=union_a1)
    factories.UnionGroupFactory(union=union_a1, established_on=AFTER)
    factories.UnionGroupFactory(union=union_a1, established_on=LONG_AGO, dissolved_on=dt.date(2021, 6, 1))
    factories.DepartmentUnionFactory(union=union_a1)

    # A2: one member of its own plus the one transferred in.
    member(union_a2, gender="female")
    factories.WorkforceDeclarationFactory(union=union_a2, as_of=dt.date(2020, 6, 1), total_workers=4, female_workers=2)
    factories.DepartmentUnionFactory(union=union_a2, established_on=LONG_AGO, dissolved_on=dt.date(2021, 3, 1))

    # A3: no workforce declared yet.
    member(union_a3, gender="female")
    factories.UnionGroupFactory(union=union_a3)
    factories.UnionGroupFactory(union=union_a3)

    # Neither counted on DAY, whatever they hold.
    for union in (union_a4, union_a5):
        member(union, gender="female", joined_on=dt.date(2015, 6, 1))
        factories.WorkforceDeclarationFactory(union=union, as_of=dt.date(2015, 6, 1))
        factories.UnionGroupFactory(union=union, established_on=dt.date(2015, 6, 1))
        factories.DepartmentUnionFactory(union=union, established_on=dt.date(2015, 6, 1))

    return {"A3": union_a3, "A4": union_a4, "A5": union_a5}


@pytest.fixture
def federation_b_figures(union_b1):
    """Federation B: one union with 3 members, 7 workers and a group, never in A's figures."""
    for _ in range(3):
        member(union_b1, gender="female")
    factories.WorkforceDeclarationFactory(union=union_b1, total_workers=7, female_workers=5)
    factories.UnionGroupFactory(union=union_b1)
    factories.DepartmentUnionFactory(union=union_b1)
    return union_b1


def figures(summary):
    return {
        "unions": summary.unions,
        "members": summary.members,
        "workers": summary.workers,
        "female_members": summary.female_members,
        "female_workers": summary.female_workers,
        "unions_with_groups": summary.unions_with_groups,
        "unions_with_department_unions": summary.unions_with_department_unions,
        "groups": summary.groups,
    }


def per_union(**kwargs):
    return {
        union.code: (union.member_count, union.female_member_count, union.workers, union.female_workers)
        for union in per_union_figures(**kwargs)
    }


FEDERATION_A_ON_DAY = {
    "unions": 3,
    "members": 5,
    "workers": 14,
    "female_members": 4,
    "female_workers": 8,
    "unions_with_groups": 2,
    "unions_with_department_unions": 1,
    "groups": 3,
}


def test_district_summary_counts_from_history_as_of_the_day(district, federation_a, federation_b_figures):
    summary = district_summary(as_of=DAY, user=SYSTEM, federation=federation_a)

    assert summary.as_of == DAY
    assert summary.federation == federation_a
    assert figures(summary) == FEDERATION_A_ON_DAY
    assert all(type(value) is int for value in figures(summary).values())
    assert summary.membership_ratio == Decimal("35.7")
    assert summary.female_membership_ratio == Decimal("50.0")


def test_district_summary_splits_unions_by_sector_in_sector_order(district, federation_a):
    summary = district_summary(as_of=DAY, user=SYSTEM, federation=federation_a)

    rows = [
        (s.sector.code, s.unions, s.members, s.workers, s.female_members, s.female_workers)
        for s in summary.unions_by_sector
    ]
    # Schools have no union: omitted; public service (order 10) before enterprises (order 30).
    assert rows == [("hcsn", 1, 1, 0, 1, 0), ("dn-ngoai-nha-nuoc", 2, 4, 14, 3, 8)]
    assert summary.unions_by_sector[0].membership_ratio is None
    assert summary.unions_by_sector[1].membership_ratio == Decimal("28.6")
    assert summary.unions_by_sector[1].female_membership_ratio == Decimal("37.5")


def test_per_union_figures_counts_joins_and_leaves_on_their_days(district, federation_a):
    assert per_union(as_of=DAY, user=SYSTEM, federation=federation_a) == {
        "A1": (2, 1, 10, 6),
        "A2": (2, 2, 4, 2),
        "A3": (1, 1, 0, 0),
    }


def test_transfer_on_the_boundary_day_counts_once_in_each_union(district, federation_a):
    # The mover is in A1 on DAY-1 and in A2 on DAY; the member joining A1 on DAY+1 is not yet in.
    assert per_union(as_of=BEFORE, user=SYSTEM, federation=federation_a) == {
        "A1": (3, 2, 10, 6),
        "A2": (1, 1, 4, 2),
        "A3": (1, 1, 0, 0),
    }
    assert district_summary(as_of=BEFORE, user=SYSTEM, federation=federation_a).members == 5
    assert district_summary(as_of=DAY, user=SYSTEM, federation=federation_a).members == 5


def test_member_joining_tomorrow_and_later_declaration_count_from_their_day(district, federation_a):
    # On DAY+1: the new member is in, the newer declaration replaces the old one, A5 and the
    # group established that day exist.
    assert per_union(as_of=AFTER, user=SYSTEM, federation=federation_a) == {
        "A1": (3, 2, 99, 50),
        "A2": (2, 2, 4, 2),
        "A3": (1, 1, 0, 0),
        "A5": (1, 1, 50, 20),
    }
    summary = district_summary(as_of=AFTER, user=SYSTEM, federation=federation_a)
    assert (summary.unions, summary.groups, summary.unions_with_groups) == (4, 5, 3)


def test_dissolved_union_counts_until_the_day_before_its_dissolution(district, federation_a):
    on_last_day = per_union(as_of=dt.date(2020, 12, 31), user=SYSTEM, federation=federation_a)
    on_dissolution = per_union(as_of=dt.date(2021, 1, 1), user=SYSTEM, federation=federation_a)

    assert on_last_day["A4"] == (1, 1, 50, 20)
    assert "A4" not in on_dissolution


def test_groups_and_department_unions_count_as_of_the_day(district, federation_a):
    # In mid-2021 A1's old group still existed and A2's department union was not yet dissolved.
    summary = district_summary(as_of=dt.date(2021, 2, 1), user=SYSTEM, federation=federation_a)

    assert (summary.groups, summary.unions_with_groups) == (4, 2)
    assert summary.unions_with_department_unions == 2


def test_workforce_declared_after_the_day_is_ignored(district, federation_a):
    summary = district_summary(as_of=DAY, user=SYSTEM, federation=federation_a)

    assert (summary.workers, summary.female_workers) == (14, 8)


def test_without_any_workforce_ratios_are_none(federation_a, union_a1):
    member(union_a1, gender="female")

    summary = district_summary(as_of=DAY, user=SYSTEM, federation=federation_a)

    assert (summary.members, summary.workers) == (1, 0)
    assert summary.membership_ratio is None
    assert summary.female_membership_ratio is None


def test_empty_district_has_zero_everywhere(federation_a):
    summary = district_summary(as_of=DAY, user=SYSTEM, federation=federation_a)

    assert summary.unions_by_sector == []
    assert figures(summary) == dict.fromkeys(FEDERATION_A_ON_DAY, 0)


def test_without_federation_or_user_every_federation_counts(district, federation_b_figures):
    summary = district_summary(as_of=DAY, user=SYSTEM)

    assert summary.federation is None
    assert (summary.unions, summary.members, summary.workers, summary.groups) == (4, 8, 21, 4)


def test_city_federation_includes_its_district_federations(district, federation_a, federation_b_figures):
    city = factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội")
    federation_a.parent = city
    federation_a.save()
    factories.GrassrootsUnionFactory(federation=city, code="HN1")

    summary = district_summary(as_of=DAY, user=SYSTEM, federation=city)

    # A's three unions plus the city's own union (no members); B is not a district of the city.
    assert (summary.unions, summary.members, summary.workers) == (4, 5, 14)


# Scoping: the same figures, seen by each persona.


def test_chair_sees_only_their_unions_figures(district, federation_b_figures, chair_a1):
    summary = district_summary(as_of=DAY, user=chair_a1)

    assert figures(summary) == {
        "unions": 1,
        "members": 2,
        "workers": 10,
        "female_members": 1,
        "female_workers": 6,
        "unions_with_groups": 1,
        "unions_with_department_unions": 1,
        "groups": 1,
    }
    assert per_union(as_of=DAY, user=chair_a1) == {"A1": (2, 1, 10, 6)}


def test_chair_asking_for_the_whole_federation_still_sees_only_their_union(district, federation_a, chair_a2):
    summary = district_summary(as_of=DAY, user=chair_a2, federation=federation_a)

    assert (summary.unions, summary.members, summary.workers, summary.groups) == (1, 2, 4, 0)


def test_staff_of_another_federation_sees_nothing_of_federation_a(district, federation_a, staff_b):
    summary = district_summary(as_of=DAY, user=staff_b, federation=federation_a)

    assert figures(summary) == dict.fromkeys(FEDERATION_A_ON_DAY, 0)
    assert per_union(as_of=DAY, user=staff_b, federation=federation_a) == {}


def test_staff_of_another_federation_sees_their_own(district, federation_b_figures, staff_b):
    summary = district_summary(as_of=DAY, user=staff_b)

    assert (summary.unions, summary.members, summary.workers, summary.groups) == (1, 3, 7, 1)


def test_leader_sees_federation_a_and_nothing_else(district, federation_b_figures, leader):
    assert figures(district_summary(as_of=DAY, user=leader)) == FEDERATION_A_ON_DAY


def test_district_staff_sees_federation_a(district, federation_a, federation_b_figures, district_staff):
    assert figures(district_summary(as_of=DAY, user=district_staff, federation=federation_a)) == FEDERATION_A_ON_DAY


def test_user_without_a_role_sees_nothing(district, federation_a):
    nobody = factories.UserFactory(username="khach", role="")

    assert figures(district_summary(as_of=DAY, user=nobody)) == dict.fromkeys(FEDERATION_A_ON_DAY, 0)


def test_superuser_sees_everything(district, federation_b_figures, superuser):
    assert district_summary(as_of=DAY, user=superuser).unions == 4


def test_inactive_staff_sees_nothing(district, federation_a):
    retired = factories.UserFactory(
        username="nghihuu", role=User.Role.DISTRICT_STAFF, federation=federation_a, is_active=False
    )

    assert district_summary(as_of=DAY, user=retired).unions == 0


# Query counts do not grow with the data.


def test_district_summary_takes_three_queries(district, federation_a, leader, django_assert_num_queries):
    ensure_figures([DAY])
    with django_assert_num_queries(3):
        district_summary(as_of=DAY, user=SYSTEM, federation=federation_a)
    with django_assert_num_queries(3):
        district_summary(as_of=DAY, user=leader, federation=federation_a)


def test_district_summary_query_count_does_not_grow_with_the_data(district, federation_a, django_assert_num_queries):
    for code in ("truong-hoc", "dn-nha-nuoc", "dn-fdi"):
        union = factories.GrassrootsUnionFactory(federation=federation_a, sector=factories.sector(code))
        member(union)
        factories.WorkforceDeclarationFactory(union=union)
        factories.UnionGroupFactory(union=union)
    ensure_figures([DAY])  # the summary catches up with the new rows (tests/dashboard/test_figures.py)

    with django_assert_num_queries(3):
        summary = district_summary(as_of=DAY, user=SYSTEM, federation=federation_a)

    assert summary.unions == 6
    assert len(summary.unions_by_sector) == 5


def test_per_union_figures_is_two_queries(district, federation_a, django_assert_num_queries):
    enterprise = factories.sector("dn-ngoai-nha-nuoc")
    ensure_figures([DAY])

    # One to see that the day's figures are current, one to read them.
    with django_assert_num_queries(2):
        rows = per_union(as_of=DAY, user=SYSTEM, federation=federation_a, sector=enterprise)

    assert rows == {"A1": (2, 1, 10, 6), "A2": (2, 2, 4, 2)}
