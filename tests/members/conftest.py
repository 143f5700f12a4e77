"""Fixtures shared by the member tests: the people of a roster (the .xlsx download and the printed list)."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.members import services
from tests import factories


@pytest.fixture
def office(union_a1):
    return factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")


@pytest.fixture
def people(union_a1, union_a2, office):
    """A1: three active members (two women, two in the office group) and one who left; A2: one member."""
    factories.MemberFactory(
        union=union_a1,
        group=office,
        full_name="Trần Thị Bình",
        gender="female",
        national_id="001190000031",
        date_of_birth=dt.date(1985, 3, 4),
        joined_union_on=dt.date(2010, 9, 1),
        job_title="Kế toán",
        card_number="A1-0001",
    )
    factories.MemberFactory(union=union_a1, group=office, full_name="Lê Văn An", national_id="001190000032")
    factories.MemberFactory(union=union_a1, full_name="Phạm Thị Cúc", gender="female", national_id="001190000033")
    left = factories.MemberFactory(union=union_a1, full_name="Đỗ Văn Nghỉ", national_id="001190000034")
    services.member_leave(member=left, on=dt.date(2021, 6, 1), reason="Nghỉ việc")
    factories.MemberFactory(union=union_a2, full_name="Vũ Thị Khác", national_id="001190000035")
