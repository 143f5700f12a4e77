"""Joins, transfers and leaves in a period, read exactly from the membership history."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.dashboard.selectors import Movements, membership_movements
from apps.members import services
from tests import factories

START, END = dt.date(2022, 1, 1), dt.date(2022, 6, 30)


def enrol(union, national_id, joined_on, **extra):
    return services.member_enrol(
        union=union, joined_on=joined_on, full_name="Phạm Văn Tư", gender="male", national_id=national_id, **extra
    )


@pytest.fixture
def history(union_a1, union_a2, chair_a1, chair_a2):
    """In the first half of 2022: 2 join A1, 1 joins A2, 1 moves A1→A2 (on the period's last day), 1 leaves A1,
    and 1 changes group inside A1; outside the period: a join before, a leave after."""
    enrol(union_a1, "001080000001", START)
    enrol(union_a1, "001080000002", dt.date(2022, 3, 3))
    enrol(union_a2, "001080000003", dt.date(2022, 2, 2))
    mover = enrol(union_a1, "001080000004", dt.date(2020, 1, 1))
    services.transfer_accept(
        transfer=services.transfer_request(member=mover, to_union=union_a2, on=END, actor=chair_a1), actor=chair_a2
    )
    leaver = enrol(union_a1, "001080000005", dt.date(2019, 1, 1))
    services.member_leave(member=leaver, on=dt.date(2022, 4, 1), reason="Nghỉ hưu")
    group = factories.UnionGroupFactory(union=union_a1)
    stayer = enrol(union_a1, "001080000006", dt.date(2019, 1, 1))
    services.member_change_group(member=stayer, group=group, on=dt.date(2022, 5, 5))
    enrol(union_a1, "001080000007", dt.date(2021, 12, 31))
    late = enrol(union_a1, "001080000008", dt.date(2019, 1, 1))
    services.member_leave(member=late, on=dt.date(2022, 7, 1), reason="Nghỉ việc")


def test_movements_overall(history, district_staff):
    assert membership_movements(start=START, end=END, user=district_staff) == {
        None: Movements(joined=3, transferred_in=1, transferred_out=1, left=1)
    }


def test_movements_by_union(history, district_staff, union_a1, union_a2):
    by_union = membership_movements(start=START, end=END, user=district_staff, by="union")
    assert by_union[union_a1.pk] == Movements(joined=2, transferred_in=0, transferred_out=1, left=1)
    assert by_union[union_a2.pk] == Movements(joined=1, transferred_in=1, transferred_out=0, left=0)
    assert by_union[union_a1.pk].net_change == 0
    assert by_union[union_a2.pk].net_change == 2


def test_chair_sees_only_their_unions_movements(history, chair_a2, union_a2):
    assert set(membership_movements(start=START, end=END, user=chair_a2, by="union")) == {union_a2.pk}


def test_movements_take_three_queries_once_the_days_are_kept(history, district_staff, django_assert_num_queries):
    membership_movements(start=START, end=END, user=district_staff)  # keeps the two days' figures
    # The sums of the two days, and the CĐCS moved between them (none here) to carry.
    with django_assert_num_queries(3):
        membership_movements(start=START, end=END, user=district_staff, by="sector")
