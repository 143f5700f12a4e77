"""Members in and out: the admin's scoped export, and imports (through the member import service) in scope."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import PersonalDataAccess
from apps.members.imports import ImportPlan, apply_member_import, preview_member_import
from apps.members.models import Member, MembershipPeriod
from apps.members.resources import MemberResource
from tests import factories
from tests.core import sheetfiles

# The columns of the admin's export, in its order; imports go through the member import service.
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


@pytest.fixture
def two_unions_members(union_a1, union_a2):
    return (
        factories.MemberFactory(union=union_a1, full_name="Hoàng Văn Một", national_id="001190000021"),
        factories.MemberFactory(union=union_a2, full_name="Vũ Thị Hai", national_id="001190000022"),
    )


def export_csv(client, user) -> str:
    client.force_login(user)
    response = client.post(
        reverse("admin:members_member_export"), {"format": "0", "resource": "0", **_all_export_fields()}
    )
    assert response.status_code == 200, response.content[:500]
    return response.content.decode("utf-8-sig")


def _all_export_fields() -> dict[str, str]:
    return {f"memberresource_{name}": "on" for name in MemberResource._meta.fields}


def test_chair_export_contains_only_their_union_and_is_logged(client, chair_a1, two_unions_members):
    body = export_csv(client, chair_a1)
    assert "Hoàng Văn Một" in body and "001190000021" in body
    assert "Vũ Thị Hai" not in body and "001190000022" not in body
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.action, access.record_ids) == (chair_a1, "export", [two_unions_members[0].pk])


@pytest.mark.parametrize(("persona", "code"), [("chair_a1", "A1"), ("district_staff", "HBT")])
def test_export_files_are_named_in_vietnamese_with_the_scope_and_todays_date(client, request, persona, code):
    client.force_login(request.getfixturevalue(persona))
    export = reverse("admin:members_member_export")
    formats = client.get(export).context["form"].fields["format"].choices
    today = timezone.localdate().strftime("%d-%m-%Y")
    for index, label in formats:
        if index == "":
            continue
        response = client.post(export, {"format": index, "resource": "0", **_all_export_fields()})
        extension = str(label).lower()
        expected = f'attachment; filename="danh-sach-doan-vien_{code}_{today}.{extension}"'
        assert response["Content-Disposition"] == expected


def test_leader_export_masks_id_numbers(client, leader, two_unions_members):
    body = export_csv(client, leader)
    assert "Vũ Thị Hai" in body
    assert "001190000022" not in body and "0022" in body
    assert not PersonalDataAccess.objects.exists()


def test_leader_excel_export_masks_id_numbers_and_staffs_is_whole_and_logged(
    client, leader, district_staff, two_unions_members
):
    def ids_in_excel_export(user) -> set[str]:
        client.force_login(user)
        response = client.post(
            reverse("admin:members_member_export"), {"format": "1", "resource": "0", **_all_export_fields()}
        )
        assert response["Content-Disposition"].endswith('.xlsx"')
        sheet = load_workbook(BytesIO(response.content)).active
        column = [cell.value for cell in sheet[1]].index("Số CCCD")
        return {row[column] for row in sheet.iter_rows(min_row=2, values_only=True)}

    assert ids_in_excel_export(leader) == {"••••••••0021", "••••••••0022"}
    assert not PersonalDataAccess.objects.exists()
    assert ids_in_excel_export(district_staff) == {"001190000021", "001190000022"}
    assert PersonalDataAccess.objects.get().user == district_staff


@pytest.mark.parametrize("persona", ["district_staff", "leader"])
@pytest.mark.parametrize("native", [False, True], ids=["csv", "xlsx"])
def test_the_export_reads_plain_values_but_writes_what_the_per_member_export_wrote(
    request, persona, native, union_a1, union_a2
):
    # MemberResource.export reads values, not one model a row (bench.big_files); the rows must not change.
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.MemberFactory(
        union=union_a1, group=group, full_name="Hoàng Văn Một", national_id="001190000021", phone="0912345678"
    )
    factories.MemberFactory(union=union_a2, full_name="Vũ Thị Hai", national_id=None, job_title="=HYPERLINK(1)")
    user = request.getfixturevalue(persona)
    resource = MemberResource(user=user)
    queryset = Member.objects.visible_to(user).order_by("pk")
    chosen = ["union", "full_name", "gender", "date_of_birth", "national_id", "job_title", "joined_union_on"]
    for fields in (None, chosen):
        kwargs = {"export_fields": fields, "force_native_type": native}
        fast = resource.export(queryset=queryset, **kwargs)
        per_member = super(MemberResource, resource).export(queryset=queryset, **kwargs)
        assert fast.headers == per_member.headers
        assert list(fast) == list(per_member)
        assert len(fast) == 2
    assert any("'=HYPERLINK(1)" in row for row in fast)
    whole = persona == "district_staff"
    assert ("001190000021" in fast["Số CCCD"]) is whole


def test_the_excel_export_is_written_row_by_row_with_a_bold_frozen_header(client, district_staff, union_a1):
    factories.MemberFactory(union=union_a1, full_name="Hoàng Văn Một", job_title="=1+1")
    client.force_login(district_staff)
    response = client.post(
        reverse("admin:members_member_export"), {"format": "1", "resource": "0", **_all_export_fields()}
    )
    sheet = load_workbook(BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]][:3] == ["Mã CĐCS", "Tổ công đoàn", "Họ và tên"]
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
    header = [cell.value for cell in sheet[1]]
    row = dict(zip(header, [cell.value for cell in sheet[2]], strict=True))
    assert row["Chức danh, nghề nghiệp"] == "'=1+1"
    assert isinstance(row["Ngày vào công đoàn"], dt.date)
