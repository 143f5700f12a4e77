"""Bulk writes (apps.core.db, apps.core.history): COPY on PostgreSQL, bulk_create elsewhere, the same rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction

from apps.core.db import copy_or_insert, insert_objects
from apps.core.history import bulk_create_recorded, recorded_as
from apps.dashboard.models import PendingFiguresChange
from apps.members.models import Member, MembershipPeriod
from tests import factories

# Text COPY's format would misread if it were not escaped: tab, newline, carriage return, backslash, "\N".
AWKWARD = "Nguyễn\tThị\nAn\r\\N \\ cuối"


def _member(union, **values) -> Member:
    fields = {"full_name": "Trần Văn Bình", "gender": "male", "joined_union_on": date(2020, 1, 2), **values}
    return Member(union=union, **fields)


def test_objects_are_written_as_given_with_ids_and_timestamps(db):
    union = factories.GrassrootsUnionFactory()
    group = factories.UnionGroupFactory(union=union)
    awkward = _member(
        union, group=group, job_title=AWKWARD, email="", date_of_birth=date(1990, 6, 5), national_id="001190012345"
    )
    plain = _member(union, national_id=None, phone="0912345678")

    insert_objects(Member, [awkward, plain])

    assert awkward.pk and plain.pk and awkward.pk != plain.pk
    stored = Member.objects.get(pk=awkward.pk)
    assert stored.job_title == AWKWARD
    assert (stored.email, stored.date_of_birth, stored.national_id) == ("", date(1990, 6, 5), "001190012345")
    assert stored.group_id == group.pk
    assert stored.created_at is not None and stored.updated_at is not None
    # The trigger fills the federation copy whoever writes the row, COPY included.
    assert stored.federation_id == union.federation_id
    other = Member.objects.get(pk=plain.pk)
    assert (other.national_id, other.phone, other.date_of_birth) == (None, "0912345678", None)


def test_history_rows_carry_the_values_the_reason_and_the_user(db):
    union = factories.GrassrootsUnionFactory()
    user = factories.UserFactory()
    members = [_member(union, job_title=AWKWARD, national_id=f"00119001234{n}") for n in range(3)]

    with recorded_as("Nhập từ tệp ds.xlsx", user=user):
        bulk_create_recorded(Member, members)

    history = Member.history.filter(id__in=[member.pk for member in members]).order_by("id")
    assert [row.id for row in history] == sorted(member.pk for member in members)
    for row in history:
        assert (row.history_type, row.history_change_reason, row.history_user_id) == (
            "+",
            "Nhập từ tệp ds.xlsx",
            user.pk,
        )
        assert row.job_title == AWKWARD and row.union_id == union.pk


def test_rows_without_instances_get_the_other_fields_defaults(db):
    member = factories.MemberFactory()
    MembershipPeriod.objects.filter(member=member).delete()

    copy_or_insert(
        MembershipPeriod,
        ("member_id", "union_id", "group_id", "started_on"),
        [(member.pk, member.union_id, None, date(2021, 7, 9))],
    )

    period = MembershipPeriod.objects.get(member=member)
    assert (period.union_id, period.started_on, period.ended_on, period.end_reason) == (
        member.union_id,
        date(2021, 7, 9),
        None,
        "",
    )


def test_one_insert_of_many_periods_notes_each_union_once_with_its_earliest_day(db):
    union = factories.GrassrootsUnionFactory()
    members = [factories.MemberFactory(union=union) for _ in range(3)]
    MembershipPeriod.objects.filter(member__in=members).delete()
    PendingFiguresChange.objects.all().delete()

    copy_or_insert(
        MembershipPeriod,
        ("member_id", "union_id", "group_id", "started_on"),
        [(member.pk, union.pk, None, date(2019 + n, 3, 1)) for n, member in enumerate(members)],
    )

    notes = list(PendingFiguresChange.objects.filter(union_id=union.pk).values_list("since", flat=True))
    if connection.vendor == "postgresql":
        # One statement trigger for the whole insert (dashboard/0007).
        assert notes == [date(2019, 3, 1)]
    else:
        # Row triggers: one note a row; the reader keeps the earliest.
        assert min(notes) == date(2019, 3, 1) and len(notes) >= 3


def test_a_wrong_federation_copy_is_corrected_whoever_inserts_it(db):
    union = factories.GrassrootsUnionFactory()
    elsewhere = factories.FederationFactory()
    member = _member(union, federation_id=elsewhere.pk)

    insert_objects(Member, [member])

    assert Member.objects.get(pk=member.pk).federation_id == union.federation_id


def test_a_group_of_another_union_refuses_the_whole_insert(db):
    union = factories.GrassrootsUnionFactory()
    others = factories.UnionGroupFactory()  # a group of another CĐCS
    members = [_member(union, national_id="001190012340"), _member(union, group=others)]

    with pytest.raises(IntegrityError), transaction.atomic():
        insert_objects(Member, members)

    assert not Member.objects.filter(union=union).exists()


def test_copy_text_is_the_same_whether_a_column_is_converted_whole_or_value_by_value():
    """``_copy_chunk`` converts a column at a time, picking the conversion by the column's type; each
    value must come out as ``_copy_text`` alone would write it, whatever the mix of types and NULLs."""
    from datetime import UTC, datetime
    from decimal import Decimal

    from apps.core.db import _copy_chunk, _copy_text

    rows = [
        (
            AWKWARD,
            7,
            True,
            date(2021, 7, 9),
            datetime(2026, 12, 3, 8, 30, tzinfo=UTC),
            None,
            1,
            Decimal("1.50"),
            "Kinh",
        ),
        ("An", None, False, None, None, None, "hai", None, None),
        (
            None,
            -3,
            None,
            date(1990, 1, 2),
            datetime(2020, 1, 1, 0, 0, 1, 5, tzinfo=UTC),
            None,
            2.5,
            Decimal("2"),
            "Tày",
        ),
    ]
    by_value = "".join("\t".join(map(_copy_text, row)) + "\n" for row in rows)

    assert _copy_chunk(rows, 9) == by_value
    # Column by column: escapes, NULL as \N, booleans as t/f, dates as ISO; a mixed column value by value.
    first, second, third = (line.split("\t") for line in by_value.splitlines())
    assert first[:4] == ["Nguyễn\\tThị\\nAn\\r\\\\N \\\\ cuối", "7", "t", "2021-07-09"]
    assert second[1:4] == ["\\N", "f", "\\N"] and second[6] == "hai"
    assert third[0] == "\\N" and third[6] == "2.5" and third[7] == "2"
    assert [first[8], second[8], third[8]] == ["Kinh", "\\N", "Tày"]


def test_copy_refuses_rows_of_the_wrong_width():
    from apps.core.db import _copy_chunk

    with pytest.raises(ValueError):
        _copy_chunk([("a", 1), ("b", 2, 3)], 2)
    with pytest.raises(ValueError):
        _copy_chunk([("a", 1)], 3)
