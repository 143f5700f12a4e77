"""Join, move, transfer, leave, rejoin: every action keeps the past and counts each member once a day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from apps.members import services
from apps.members.models import Member, MembershipPeriod, TransferRequest, UnionOfficial
from tests import factories

DAY = dt.date(2022, 3, 15)


def counted_in(union, day) -> int:
    return MembershipPeriod.objects.as_of(day).filter(union=union).count()


@pytest.fixture
def member(union_a1):
    return services.member_enrol(
        union=union_a1,
        joined_on=dt.date(2020, 1, 1),
        full_name="Lê Thị Mai",
        gender="female",
        national_id="001190000101",
    )


def test_enrolment_gives_a_stable_card_number(member, federation_a):
    assert member.card_number == f"{federation_a.code}-{member.pk:07d}"
    services.member_update(member=member, phone="0912345678")
    member.refresh_from_db()
    assert member.card_number == f"{federation_a.code}-{member.pk:07d}"


def test_leave_ends_the_period_and_the_offices(member, union_a1):
    office = UnionOfficial.objects.create(member=member, union=union_a1, role="chair", started_on=dt.date(2020, 6, 1))
    services.member_leave(member=member, on=DAY, reason="Nghỉ hưu")
    member.refresh_from_db()
    office.refresh_from_db()
    assert member.status == Member.Status.LEFT
    assert office.ended_on == DAY
    assert counted_in(union_a1, DAY - dt.timedelta(days=1)) == 1
    assert counted_in(union_a1, DAY) == 0
    assert member.periods.get().end_reason == "Nghỉ hưu"


def test_leave_before_joining_is_refused(member):
    with pytest.raises(ValidationError) as error:
        services.member_leave(member=member, on=dt.date(2019, 12, 31), reason="Nghỉ việc")
    assert "on" in error.value.message_dict
    member.refresh_from_db()
    assert member.status == Member.Status.ACTIVE
    assert member.periods.get().ended_on is None


def test_leave_needs_a_reason(member):
    with pytest.raises(ValidationError) as error:
        services.member_leave(member=member, on=DAY, reason="  ")
    assert "reason" in error.value.message_dict


def test_rejoin_opens_a_new_period_and_keeps_the_old(member, union_a1):
    services.member_leave(member=member, on=DAY, reason="Nghỉ không lương")
    services.member_rejoin(member=member, on=dt.date(2023, 1, 1))
    assert list(member.periods.order_by("started_on").values_list("started_on", "ended_on")) == [
        (dt.date(2020, 1, 1), DAY),
        (dt.date(2023, 1, 1), None),
    ]
    assert counted_in(union_a1, dt.date(2022, 6, 1)) == 0
    assert counted_in(union_a1, dt.date(2023, 1, 1)) == 1


def test_rejoin_refused_when_the_person_is_active_elsewhere(member, union_a2, district_staff):
    services.member_leave(member=member, on=DAY, reason="Chuyển công tác")
    services.member_enrol(
        union=union_a2,
        joined_on=dt.date(2022, 4, 1),
        full_name="Lê Thị Mai",
        gender="female",
        national_id="001190000101",
    )
    with pytest.raises(ValidationError) as error:
        services.member_rejoin(member=member, on=dt.date(2023, 1, 1), actor=district_staff)
    assert union_a2.name in str(error.value)


def test_transfer_counts_the_member_once_on_every_day(member, union_a1, union_a2, chair_a1, chair_a2):
    transfer = services.transfer_request(member=member, to_union=union_a2, on=DAY, actor=chair_a1)
    # Nothing moves while the receiving side has not answered.
    assert counted_in(union_a1, DAY) == 1 and counted_in(union_a2, DAY) == 0
    assert TransferRequest.objects.visible_to(chair_a1).pending().get() == transfer
    assert TransferRequest.objects.visible_to(chair_a2).pending().get() == transfer

    services.transfer_accept(transfer=transfer, actor=chair_a2)

    eve = DAY - dt.timedelta(days=1)
    assert (counted_in(union_a1, eve), counted_in(union_a2, eve)) == (1, 0)
    assert (counted_in(union_a1, DAY), counted_in(union_a2, DAY)) == (0, 1)
    member.refresh_from_db()
    assert member.union == union_a2
    assert Member.objects.visible_to(chair_a1).filter(pk=member.pk).exists() is False
    assert Member.objects.visible_to(chair_a2).filter(pk=member.pk).exists() is True


def test_pending_transfer_is_invisible_to_a_third_union(member, union_a2, chair_a1, federation_a):
    third = factories.GrassrootsUnionFactory(federation=federation_a, code="A3")
    chair_a3 = factories.UserFactory(username="chutich_a3", role="chair", union=third)
    services.transfer_request(member=member, to_union=union_a2, on=DAY, actor=chair_a1)
    assert not TransferRequest.objects.visible_to(chair_a3).exists()


def test_sending_side_cannot_accept_its_own_transfer(member, union_a2, chair_a1):
    transfer = services.transfer_request(member=member, to_union=union_a2, on=DAY, actor=chair_a1)
    with pytest.raises(ValidationError):
        services.transfer_accept(transfer=transfer, actor=chair_a1)
    member.refresh_from_db()
    assert member.union_id != union_a2.pk


def test_refused_transfer_leaves_the_member_where_they_were(member, union_a1, union_a2, chair_a1, chair_a2):
    transfer = services.transfer_request(member=member, to_union=union_a2, on=DAY, actor=chair_a1)
    services.transfer_refuse(transfer=transfer, actor=chair_a2, reason="Chưa nhận hồ sơ")
    transfer.refresh_from_db()
    assert transfer.status == TransferRequest.Status.REFUSED
    assert counted_in(union_a1, DAY) == 1


@pytest.mark.parametrize("actor_fixture", ["chair_a1", "district_staff"])
def test_transfer_to_a_union_one_cannot_reach_is_refused(request, member, union_b1, actor_fixture):
    actor = request.getfixturevalue(actor_fixture)
    with pytest.raises(ValidationError) as error:
        services.transfer_request(member=member, to_union=union_b1, on=DAY, actor=actor)
    assert "to_union" in error.value.message_dict
    assert not TransferRequest.objects.exists()


def test_chair_cannot_transfer_another_unions_member(union_a2, chair_a1, union_a1):
    other = factories.MemberFactory(union=union_a2)
    with pytest.raises(ValidationError):
        services.transfer_request(member=other, to_union=union_a1, on=DAY, actor=chair_a1)


def test_every_change_is_in_the_history(member, union_a2, chair_a1, chair_a2):
    transfer = services.transfer_request(member=member, to_union=union_a2, on=DAY, actor=chair_a1)
    services.transfer_accept(transfer=transfer, actor=chair_a2)
    unions_in_history = list(member.history.order_by("history_date").values_list("union_id", flat=True))
    assert unions_in_history[0] != union_a2.pk and unions_in_history[-1] == union_a2.pk


def test_seed_demo_writes_history(db, settings):
    settings.DEBUG = True  # seed_demo runs only in development unless told otherwise
    call_command("seed_demo", stdout=io.StringIO())
    assert Member.history.filter(history_change_reason="seed_demo").count() == Member.objects.count()
