"""Member rules: ID numbers, one active membership per person, groups of the member's own union."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from apps.members import services
from apps.members.models import Member, MembershipPeriod, UnionOfficial
from tests import factories


def enrol(union, **overrides):
    data = {
        "full_name": "Nguyễn Văn An",
        "gender": "male",
        "date_of_birth": dt.date(1990, 6, 5),
        "national_id": "001090000123",
    }
    data.update(overrides)
    joined_on = data.pop("joined_on", dt.date(2020, 1, 1))
    return services.member_enrol(union=union, joined_on=joined_on, **data)


def test_national_id_keeps_leading_zeros(union_a1):
    member = enrol(union_a1, national_id="000123456789")
    member.refresh_from_db()
    assert member.national_id == "000123456789"


@pytest.mark.parametrize("bad", ["12345678901", "1234567890123", "00112233445a", "001 12233445"])
def test_national_id_must_have_twelve_digits(union_a1, bad, vi):
    with pytest.raises(ValidationError) as error:
        enrol(union_a1, national_id=bad)
    assert "national_id" in error.value.message_dict
    assert not Member.objects.exists()
    assert not MembershipPeriod.objects.exists()


def test_database_refuses_a_malformed_national_id(union_a1):
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.MemberFactory(union=union_a1, national_id="12345")


def test_person_cannot_be_active_in_two_unions(union_a1, union_a2, district_staff):
    enrol(union_a1, national_id="001090000123")
    with pytest.raises(ValidationError) as error:
        enrol(union_a2, national_id="001090000123", full_name="Nguyễn Văn An", actor=district_staff)
    message = " ".join(error.value.message_dict["national_id"])
    assert union_a1.name in message
    assert Member.objects.count() == 1
    assert MembershipPeriod.objects.count() == 1


def test_database_refuses_a_second_active_membership(union_a1, union_a2):
    factories.MemberFactory(union=union_a1, national_id="001090000123")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.MemberFactory(union=union_a2, national_id="001090000123")


def test_person_who_left_may_be_enrolled_elsewhere(union_a1, union_a2):
    factories.MemberFactory(union=union_a1, national_id="001090000123", status=Member.Status.LEFT)
    member = enrol(union_a2, national_id="001090000123")
    assert member.status == Member.Status.ACTIVE


def test_group_must_belong_to_the_members_union(union_a1, union_a2):
    foreign_group = factories.UnionGroupFactory(union=union_a2)
    with pytest.raises(ValidationError) as error:
        enrol(union_a1, group=foreign_group)
    assert "group" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.MemberFactory(union=union_a1, group=foreign_group)
    assert not Member.objects.exists()


def test_birth_must_come_before_joining(union_a1):
    with pytest.raises(ValidationError):
        enrol(union_a1, date_of_birth=dt.date(2021, 1, 1), joined_on=dt.date(2020, 1, 1))
    assert not Member.objects.exists()


def test_membership_period_must_end_after_it_starts(union_a1):
    member = factories.MemberFactory(union=union_a1)
    period = member.periods.get()
    period.ended_on = period.started_on
    with pytest.raises(IntegrityError), transaction.atomic():
        period.save()


def test_change_group_keeps_the_old_period(union_a1):
    group_1 = factories.UnionGroupFactory(union=union_a1)
    group_2 = factories.UnionGroupFactory(union=union_a1)
    member = enrol(union_a1, group=group_1, joined_on=dt.date(2020, 1, 1))
    services.member_change_group(member=member, group=group_2, on=dt.date(2021, 3, 1))
    periods = list(member.periods.order_by("started_on").values_list("group_id", "started_on", "ended_on"))
    assert periods == [
        (group_1.pk, dt.date(2020, 1, 1), dt.date(2021, 3, 1)),
        (group_2.pk, dt.date(2021, 3, 1), None),
    ]
    assert MembershipPeriod.objects.as_of(dt.date(2021, 2, 28)).get().group_id == group_1.pk
    assert MembershipPeriod.objects.as_of(dt.date(2021, 3, 1)).get().group_id == group_2.pk


def test_derived_name_fields(union_a1):
    member = enrol(union_a1, full_name="  Trần   Thị  Ánh ")
    assert member.full_name == "Trần Thị Ánh"
    assert member.given_name == "Ánh"
    assert member.search_name == "tran thi anh"


def test_database_refuses_an_official_from_another_union(union_a1, union_a2):
    outsider = factories.MemberFactory(union=union_a2)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnionOfficial.objects.create(member=outsider, union=union_a1, role="chair", started_on=dt.date(2020, 1, 1))
    assert not UnionOfficial.objects.exists()


def test_database_refuses_a_period_in_another_unions_group(union_a1, union_a2):
    # On SQLite a table rebuilt by a later migration loses its triggers: this rule was lost once.
    member = factories.MemberFactory(union=union_a1)
    foreign_group = factories.UnionGroupFactory(union=union_a2)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipPeriod.objects.filter(member=member).update(group=foreign_group)
    assert member.periods.get().group_id is None


def test_member_writes_keep_no_index_that_no_query_uses(db):
    """Every index is written on every insert (a 100,000-row import writes each 100,000 times): those that
    serve no query are gone (members/0010), and the ones that serve their lookups are there."""
    from django.db import connection

    def indexes(table):
        with connection.cursor() as cursor:
            found = connection.introspection.get_constraints(cursor, table)
        # The trigram index (PostgreSQL) is a GIN one; the others are b-trees ("idx" on SQLite).
        return {name: tuple(info["columns"]) for name, info in found.items() if info["index"] and info["type"] != "gin"}

    members, periods = indexes("members_member"), indexes("members_membershipperiod")
    # search_name is searched by words anywhere in it: a b-tree cannot serve that.
    assert not [name for name, columns in members.items() if columns == ("search_name",)]
    # Lookups by union are served by the composite indexes that start with it.
    assert ("union_id",) not in members.values() and ("union_id",) not in periods.values()
    assert members["member_union_status"] == ("union_id", "status")
    assert periods["period_union_dates"] == ("union_id", "started_on", "ended_on")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            assert connection.introspection.get_constraints(cursor, "members_member")["member_search_name_trgm"][
                "index"
            ]
