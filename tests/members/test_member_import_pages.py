"""The member list through the import pages: the template, upload, every problem, rejected rows, confirm."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from apps.imports.models import ImportJob
from apps.members.imports import MEMBER_COLUMNS, preview_member_import
from apps.members.models import Member
from tests import factories
from tests.members.test_member_import_service import HEADERS, row, xlsx


def upload(client, data: bytes, **fields):
    file = SimpleUploadedFile("doan-vien.xlsx", data)
    return client.post(reverse("imports:upload", args=["members"]), {"file": file, **fields}, follow=True)


def test_template_has_the_headers_a_gender_list_and_a_guide(client, chair_a1, union_a1):
    client.force_login(chair_a1)
    response = client.get(reverse("imports:template", args=["members"]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    data, guide = book["Đoàn viên"], book["Hướng dẫn"]
    assert [cell.value for cell in data[1]] == [column.header for column in MEMBER_COLUMNS]
    (gender,) = data.data_validations.dataValidation
    assert "D2" in gender.sqref and gender.formula1 == "'Danh mục'!$D$1:$D$2"
    choices = book["Danh mục"]
    assert choices.sheet_state == "hidden" and [choices["D1"].value, choices["D2"].value] == ["Nam", "Nữ"]
    assert [row[0] for row in guide.iter_rows(min_row=2, max_row=len(MEMBER_COLUMNS) + 1, values_only=True)] == [
        column.header for column in MEMBER_COLUMNS
    ]
    # Filled in as a chair would (no CĐCS code), the template imports.
    typed = ("Trần Thị Lan", "Nữ", "05/06/1990", "001190012345", "0912345678", "01/03/2015")
    for column, value in zip("CDEFGK", typed, strict=True):
        data[f"{column}2"] = value
    filled = io.BytesIO()
    book.save(filled)
    plan = preview_member_import(filled.getvalue(), filename="mau.xlsx", user=chair_a1)
    assert plan.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}, plan.problems


def test_staff_previews_downloads_the_rejected_rows_and_imports_the_rest(client, district_staff, union_a1):
    client.force_login(district_staff)
    bad = row("001190000003", "Lê Văn Ba", born="31/02/1990")
    response = upload(client, xlsx(row("001190000001"), row("001190000002", "Phạm Thị Hai"), bad))
    job = ImportJob.objects.get()
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    page = response.content.decode()
    assert "Ngày sinh" in page and ">5<" in page  # the bad row, with its Excel row and column as written
    assert not Member.objects.exists()

    rejected = client.get(reverse("imports:rejected", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(rejected.streaming_content))).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert list(header) == [*HEADERS, "Lỗi"]
    assert len(rows) == 1 and rows[0][2] == "Lê Văn Ba" and "Ngày sinh" in rows[0][-1]

    client.post(reverse("imports:confirm", args=[job.pk]))
    assert sorted(Member.objects.values_list("full_name", flat=True)) == ["Nguyễn Thị Hoa", "Phạm Thị Hai"]
    assert set(Member.objects.values_list("union__code", flat=True)) == {"A1"}
    assert Member.objects.get(national_id="001190000001").joined_union_on == dt.date(2015, 9, 1)


def test_leader_cannot_import_members(client, leader, union_a1):
    client.force_login(leader)
    assert client.get(reverse("imports:upload", args=["members"])).status_code == 403
    assert upload(client, xlsx(row("001190000001"))).status_code == 403
    assert not Member.objects.exists()


def test_the_member_list_links_to_the_import_page_for_those_who_may_import(
    client, district_staff, chair_a1, leader, union_a1, vi
):
    upload_page = reverse("imports:upload", args=["members"])
    for user, may_import in ((district_staff, True), (chair_a1, True), (leader, False)):
        client.force_login(user)
        page = client.get(reverse("admin:members_member_changelist")).content.decode()
        assert (f'<a href="{upload_page}" class="import_link">Nhập từ Excel</a>' in page) is may_import, user
        # Everyone who sees the list may download it (the one member export).
        assert f'href="{reverse("admin:members_member_export")}?format=xlsx"' in page


def test_the_admin_has_no_member_import_any_more(client, district_staff):
    with pytest.raises(NoReverseMatch):
        reverse("admin:members_member_import")
    client.force_login(district_staff)
    # The admin reads the old path as a member's id and finds none.
    response = client.get("/admin/members/member/import/", follow=True)
    assert response.status_code == 404
    assert b'name="import_file"' not in response.content


def test_a_chairs_template_offers_their_own_groups_and_no_one_elses(client, chair_a1, union_a1, union_a2):
    factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.UnionGroupFactory(union=union_a1, name="Tổ Kế toán")
    factories.UnionGroupFactory(union=union_a2, name="Tổ May 1")
    client.force_login(chair_a1)
    book = load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["members"])).content))
    rules = {rule.formula1: rule for rule in book["Đoàn viên"].data_validations.dataValidation}
    group_rule = rules["'Danh mục'!$B$1:$B$2"]
    assert "B2" in group_rule.sqref
    choices = book["Danh mục"]
    assert [choices["B1"].value, choices["B2"].value] == ["Tổ Kế toán", "Tổ Văn phòng"]
    assert "Tổ May 1" not in [cell.value for row in choices.iter_rows() for cell in row]
