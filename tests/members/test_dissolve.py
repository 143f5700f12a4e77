"""Dissolving CĐCS in bulk (issue 16, part 4): members leave, groups and offices close, the past stays."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.members import services
from apps.members.models import Member, MembershipPeriod, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import Decision, DepartmentUnion, GrassrootsUnion
from tests import factories

ON = dt.date(2025, 6, 15)


@pytest.fixture
def staffed(union_a1, union_a2):
    """A1: two members in a group (its leader and the chair), one who left, a department union; A2: one member."""
    department = factories.DepartmentUnionFactory(union=union_a1)
    group = factories.UnionGroupFactory(union=union_a1, department_union=department)
    chair = factories.MemberFactory(union=union_a1, group=group)
    leader = factories.MemberFactory(union=union_a1, group=group)
    factories.UnionOfficialFactory(member=chair, role=UnionOfficial.Role.CHAIR)
    factories.UnionOfficialFactory(member=leader, group=group, role=UnionOfficial.Role.GROUP_LEADER)
    gone = factories.MemberFactory(union=union_a1)
    services.member_leave(member=gone, on=dt.date(2022, 1, 1), reason="Nghỉ việc")
    factories.MemberFactory(union=union_a2)
    return {"group": group, "department": department, "chair": chair, "leader": leader, "gone": gone}


def test_dissolving_ends_every_membership_office_group_and_department_union(staffed, union_a1, union_a2, vi):
    counts = services.unions_dissolve([union_a1, union_a2], on=ON)

    assert counts[union_a1.pk] == services.DissolutionCounts(members=2, groups=1, department_unions=1, officials=2)
    assert counts[union_a2.pk].members == 1
    for union in (union_a1, union_a2):
        union.refresh_from_db()
        assert (union.status, union.dissolved_on) == (GrassrootsUnion.Status.DISSOLVED, ON)
    assert not Member.objects.filter(status=Member.Status.ACTIVE).exists()
    assert set(Member.objects.filter(group__isnull=False)) == set()
    assert not MembershipPeriod.objects.filter(ended_on__isnull=True).exists()
    closed = MembershipPeriod.objects.filter(ended_on=ON)
    assert closed.count() == 3
    assert set(closed.values_list("end_reason", flat=True)) == {"CĐCS giải thể"}
    # The one who left earlier keeps her own end and reason.
    assert MembershipPeriod.objects.get(member=staffed["gone"]).end_reason == "Nghỉ việc"
    assert set(UnionOfficial.objects.values_list("ended_on", flat=True)) == {ON}
    assert UnionGroup.objects.get().dissolved_on == ON
    assert DepartmentUnion.objects.get().dissolved_on == ON


def test_the_days_before_the_dissolution_still_count_the_members(staffed, union_a1):
    services.unions_dissolve([union_a1], on=ON)
    eve = ON - dt.timedelta(days=1)
    assert MembershipPeriod.objects.as_of(eve).filter(union=union_a1).count() == 2
    assert MembershipPeriod.objects.as_of(ON).filter(union=union_a1).count() == 0


def test_an_earlier_dissolved_group_keeps_its_date_and_a_later_founded_one_ends_the_day_it_began(staffed, union_a1):
    earlier = factories.UnionGroupFactory(union=union_a1, dissolved_on=dt.date(2020, 1, 1))
    later = factories.UnionGroupFactory(union=union_a1, established_on=dt.date(2025, 7, 1))
    services.unions_dissolve([union_a1], on=ON)
    earlier.refresh_from_db()
    later.refresh_from_db()
    assert earlier.dissolved_on == dt.date(2020, 1, 1)
    assert later.dissolved_on == dt.date(2025, 7, 1)


def test_a_term_that_had_not_begun_is_dropped(staffed, union_a1):
    member = Member.objects.filter(union=union_a1, status=Member.Status.ACTIVE).first()
    factories.UnionOfficialFactory(member=member, role=UnionOfficial.Role.EXECUTIVE_MEMBER, started_on=ON)
    services.unions_dissolve([union_a1], on=ON)
    assert not UnionOfficial.objects.filter(started_on=ON).exists()


def test_history_rows_name_the_decision_and_the_person(staffed, union_a1, district_staff, vi):
    decision = Decision.objects.create(number="123/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 10), issuer="LĐLĐ Hà Nội")
    services.unions_dissolve([union_a1], on=ON, decision=decision, actor=district_staff)
    label = "Giải thể theo quyết định 123/QĐ-LĐLĐ ngày 10/06/2025"
    latest = union_a1.history.latest()
    assert (latest.history_change_reason, latest.history_user, latest.status) == (label, district_staff, "dissolved")
    chair_row = staffed["chair"].history.latest()
    assert (chair_row.history_change_reason, chair_row.status, chair_row.group_id) == (label, "left", None)
    assert UnionOfficial.history.filter(history_change_reason=label, ended_on=ON).count() == 2
    assert UnionGroup.history.filter(history_change_reason=label, dissolved_on=ON).count() == 1
    assert DepartmentUnion.history.filter(history_change_reason=label, dissolved_on=ON).count() == 1


def test_without_a_decision_the_history_says_the_union_was_dissolved(staffed, union_a1, vi):
    services.unions_dissolve([union_a1], on=ON)
    assert union_a1.history.latest().history_change_reason == "CĐCS giải thể"
    union_a1.refresh_from_db()
    assert union_a1.dissolution_decision is None


def test_each_dissolved_union_records_the_decision(staffed, union_a1, union_a2, union_b1):
    decision = Decision.objects.create(number="123/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 10), issuer="LĐLĐ Hà Nội")
    services.unions_dissolve([union_a1, union_a2], on=ON, decision=decision)
    assert set(decision.dissolved_unions.values_list("code", flat=True)) == {"A1", "A2"}
    assert union_a1.history.latest().dissolution_decision_id == decision.pk
    union_b1.refresh_from_db()
    assert union_b1.dissolution_decision is None


def refusal(unions, on) -> str:
    with pytest.raises(ValidationError) as caught:
        services.unions_dissolve(unions, on=on)
    return " ".join(caught.value.messages)


def test_a_refusal_of_the_second_union_writes_nothing_for_the_first(staffed, union_a1, union_a2, vi):
    factories.MemberFactory(union=union_a2, joined_union_on=ON)
    message = refusal([union_a1, union_a2], ON)
    assert "A2" in message and "1 quá trình sinh hoạt" in message
    union_a1.refresh_from_db()
    assert union_a1.status == GrassrootsUnion.Status.ACTIVE
    assert Member.objects.filter(union=union_a1, status=Member.Status.ACTIVE).count() == 2
    assert not MembershipPeriod.objects.filter(ended_on=ON).exists()
    assert not UnionGroup.objects.filter(dissolved_on__isnull=False).exists()


def test_refused_when_a_member_left_after_the_date(staffed, union_a1, vi):
    """Who left after the dissolution would count as a member of a dissolved CĐCS: correct the leave first."""
    late_leaver = factories.MemberFactory(union=union_a1, joined_union_on=dt.date(2020, 1, 1))
    services.member_leave(member=late_leaver, on=ON + dt.timedelta(days=10), reason="Nghỉ việc")
    message = refusal([union_a1], ON)
    assert "A1" in message and "1 quá trình sinh hoạt" in message and "kết thúc sau ngày đó" in message
    union_a1.refresh_from_db()
    assert union_a1.status == GrassrootsUnion.Status.ACTIVE
    services.unions_dissolve([union_a1], on=ON + dt.timedelta(days=10))


def test_refused_before_the_union_was_established(union_a1, vi):
    message = refusal([union_a1], dt.date(2014, 12, 31))
    assert "A1" in message and "01/01/2015" in message


def test_refused_for_a_union_already_dissolved(union_a1, vi):
    GrassrootsUnion.objects.filter(pk=union_a1.pk).update(status="dissolved", dissolved_on=dt.date(2024, 1, 1))
    assert "A1" in refusal([union_a1], ON)


def test_refused_for_a_date_after_today(union_a1, vi):
    message = refusal([union_a1], timezone.localdate() + dt.timedelta(days=1))
    assert "sau hôm nay" in message
    union_a1.refresh_from_db()
    assert union_a1.status == GrassrootsUnion.Status.ACTIVE


def test_today_is_allowed(staffed, union_a1):
    services.unions_dissolve([union_a1], on=timezone.localdate())
    union_a1.refresh_from_db()
    assert union_a1.dissolved_on == timezone.localdate()


def test_queries_do_not_grow_with_the_members(union_a1, union_a2, django_assert_max_num_queries):
    for union in (union_a1, union_a2):
        factories.MemberFactory.create_batch(30, union=union)
    with django_assert_max_num_queries(40):
        services.unions_dissolve([union_a1, union_a2], on=ON)


def test_queries_do_not_grow_with_the_cdcs(federation_a):
    """A district dissolving a hundred CĐCS sends the statements it sends for two."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counted = []
    for how_many, prefix in ((2, "F"), (8, "M")):
        unions = [
            factories.GrassrootsUnionFactory(federation=federation_a, code=f"{prefix}{n}") for n in range(how_many)
        ]
        for union in unions:
            factories.MemberFactory(union=union)
        with CaptureQueriesContext(connection) as queries:
            services.unions_dissolve(unions, on=ON)
        counted.append(len(queries))
    assert counted[0] == counted[1], counted
    dissolved = GrassrootsUnion.objects.filter(code__startswith="M")
    assert set(dissolved.values_list("status", "dissolved_on")) == {("dissolved", ON)}
    assert all(union.history.latest().status == "dissolved" for union in dissolved)
