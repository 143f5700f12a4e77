"""Members in: imports (through the member import service) in scope; the export is in test_member_export.py."""

from __future__ import annotations

import datetime as dt

from apps.members.imports import ImportPlan, apply_member_import, preview_member_import
from apps.members.models import Member, MembershipPeriod
from tests import factories
from tests.core import sheetfiles

# Some of the member sheet's columns, in its order; imports go through the member import service.
HEADERS = ["Mã CĐCS", "Tổ công đoàn", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Ngày vào công đoàn"]


def run_import(user, *rows) -> ImportPlan:
    """Check the rows as one .xlsx sheet and import the accepted ones; the plan, with its problems."""
    data = sheetfiles.xlsx({"Đoàn viên": [HEADERS, *rows]})
    plan = preview_member_import(data, filename="doan-vien.xlsx", user=user)
    if plan.counts["created"] or plan.counts["updated"]:
        apply_member_import(plan, user=user, file_label="doan-vien.xlsx")
    return plan


def row_problems(plan: ImportPlan) -> dict[int, set[str]]:
    """Problems by Excel row number, as the columns' headers."""
    found: dict[int, set[str]] = {}
    for problem in plan.problems:
        found.setdefault(problem.row, set()).add(problem.column)
    return found


def test_staff_imports_members_with_their_history(district_staff, union_a1):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    plan = run_import(
        district_staff,
        ["A1", "Tổ Văn phòng", "Nguyễn Thị Hoa", "Nữ", "05/06/1990", "001190000001", "01/09/2015"],
        # Excel stored this ID as a number and dropped its leading zeros.
        ["A1", "", "Trần Văn Nam", "Nam", dt.date(1985, 1, 2), 1085000002, "01/09/2016"],
    )
    assert plan.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}, plan.problems
    hoa = Member.objects.get(national_id="001190000001")
    assert (hoa.gender, hoa.date_of_birth, hoa.group) == ("female", dt.date(1990, 6, 5), group)
    assert Member.objects.filter(national_id="001085000002").exists()
    assert MembershipPeriod.objects.as_of(dt.date(2016, 12, 31)).count() == 2


def test_bad_rows_are_named_and_not_saved(district_staff, union_a1, vi):
    plan = run_import(
        district_staff,
        ["A1", "", "Nguyễn Thị Hoa", "Nữ", "05/06/1990", "001190000001", "01/09/2015"],
        ["A1", "", "Trần Văn Nam", "Không rõ", "31/02/1985", "123", "01/09/2016"],
    )
    problems = row_problems(plan)
    assert list(problems) == [3]
    assert {"Giới tính", "Ngày sinh", "Số CCCD"} <= problems[3]
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Nguyễn Thị Hoa"]
    assert MembershipPeriod.objects.count() == 1


def test_chair_import_cannot_overwrite_another_unions_member(chair_a1, union_a1, union_a2):
    other = factories.MemberFactory(union=union_a2, full_name="Phạm Thị Lan", national_id="001190000009")
    plan = run_import(chair_a1, ["A1", "", "Kẻ Mạo Danh", "Nam", "01/01/1980", "001190000009", "01/01/2010"])
    assert plan.counts["rejected"] == 1
    other.refresh_from_db()
    assert (other.full_name, other.union) == ("Phạm Thị Lan", union_a2)
    assert Member.objects.count() == 1


def test_import_cannot_move_a_member_to_another_union(district_staff, union_a1, union_a2):
    member = factories.MemberFactory(union=union_a1, national_id="001190000010")
    plan = run_import(district_staff, ["A2", "", member.full_name, "Nam", "05/06/1990", "001190000010", "01/01/2020"])
    assert plan.counts["rejected"] == 1
    member.refresh_from_db()
    assert member.union == union_a1


def test_import_updates_an_existing_member_in_scope(district_staff, union_a1):
    member = factories.MemberFactory(union=union_a1, full_name="Nguyễn Văn A", national_id="001190000011")
    plan = run_import(district_staff, ["A1", "", "Nguyễn Văn Anh", "Nam", "05/06/1990", "001190000011", "01/01/2020"])
    assert plan.counts["updated"] == 1, plan.problems
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn Anh"
    assert member.periods.count() == 1
