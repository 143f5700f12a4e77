"""The one member export: the admin list's downloads and the import page's, streamed, scoped, masked, logged."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import PersonalDataAccess
from apps.members.imports import MEMBER_COLUMNS
from tests import factories

HEADERS = [column.header for column in MEMBER_COLUMNS]
ADMIN_EXPORT = "admin:members_member_export"


@pytest.fixture
def two_unions_members(union_a1, union_a2):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    return (
        factories.MemberFactory(
            union=union_a1,
            group=group,
            full_name="Hoàng Văn Một",
            national_id="001190000021",
            phone="0912345678",
            gender="male",
            date_of_birth=dt.date(1990, 6, 5),
            joined_union_on=dt.date(2015, 3, 1),
            job_title="=HYPERLINK(1)",
        ),
        factories.MemberFactory(union=union_a2, full_name="Vũ Thị Hai", national_id="001190000022", gender="female"),
    )


def admin_export(client, user, extension: str, **filters) -> bytes:
    client.force_login(user)
    response = client.get(reverse(ADMIN_EXPORT), {"format": extension, **filters})
    assert response.status_code == 200
    assert response.streaming
    return response.getvalue()


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == HEADERS
    return [dict(zip(HEADERS, row, strict=True)) for row in rows[1:]]


def xlsx_rows(data: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(data)).active
    assert [cell.value for cell in sheet[1]] == HEADERS
    assert all(cell.font.bold for cell in sheet[1]) and sheet.freeze_panes == "A2"
    return [dict(zip(HEADERS, row, strict=True)) for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_the_xlsx_has_the_templates_headers_real_dates_and_text_as_text(client, district_staff, two_unions_members):
    rows = {row["Họ và tên"]: row for row in xlsx_rows(admin_export(client, district_staff, "xlsx"))}
    one = rows["Hoàng Văn Một"]
    assert (one["Mã CĐCS"], one["Tổ công đoàn"], one["Giới tính"]) == ("A1", "Tổ Văn phòng", "Nam")
    assert one["Ngày sinh"] == dt.datetime(1990, 6, 5) and one["Ngày vào công đoàn"] == dt.datetime(2015, 3, 1)
    assert (one["Số CCCD"], one["Điện thoại"]) == ("001190000021", "0912345678")  # leading zeros kept
    assert one["Chức danh, nghề nghiệp"] == "'=HYPERLINK(1)"
    sheet = load_workbook(io.BytesIO(admin_export(client, district_staff, "xlsx"))).active
    born = sheet.cell(row=2, column=HEADERS.index("Ngày sinh") + 1)
    assert born.number_format == "dd/mm/yyyy"
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]


def test_the_csv_has_the_templates_headers_dates_day_first_and_neutralised_text(
    client, district_staff, two_unions_members
):
    rows = {row["Họ và tên"]: row for row in csv_rows(admin_export(client, district_staff, "csv"))}
    one = rows["Hoàng Văn Một"]
    assert (one["Ngày sinh"], one["Số CCCD"], one["Giới tính"]) == ("05/06/1990", "001190000021", "Nam")
    assert one["Chức danh, nghề nghiệp"] == "'=HYPERLINK(1)"
    assert set(rows) == {"Hoàng Văn Một", "Vũ Thị Hai"}


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_a_chair_gets_only_their_cdcs_and_the_export_is_logged(client, chair_a1, two_unions_members, extension):
    data = admin_export(client, chair_a1, extension)
    rows = xlsx_rows(data) if extension == "xlsx" else csv_rows(data)
    assert [row["Họ và tên"] for row in rows] == ["Hoàng Văn Một"]
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.action, access.record_ids) == (chair_a1, "export", [two_unions_members[0].pk])
    assert access.path == reverse(ADMIN_EXPORT)


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_leaders_get_id_numbers_masked_and_nothing_is_logged(client, leader, two_unions_members, extension):
    data = admin_export(client, leader, extension)
    rows = xlsx_rows(data) if extension == "xlsx" else csv_rows(data)
    assert {row["Số CCCD"] for row in rows} == {"••••••••0021", "••••••••0022"}
    assert b"001190000021" not in data
    assert not PersonalDataAccess.objects.exists()


def test_the_admin_download_keeps_the_lists_filters_and_search(client, district_staff, two_unions_members):
    rows = csv_rows(admin_export(client, district_staff, "csv", q="Hai"))
    assert [row["Họ và tên"] for row in rows] == ["Vũ Thị Hai"]
    access = PersonalDataAccess.objects.get()
    assert access.record_ids == [two_unions_members[1].pk]  # the log names what was exported
    rows = csv_rows(admin_export(client, district_staff, "csv", gender__exact="male"))
    assert [row["Họ và tên"] for row in rows] == ["Hoàng Văn Một"]


def test_the_admin_list_links_to_its_downloads_with_its_filters(client, leader, two_unions_members):
    client.force_login(leader)
    page = client.get(reverse("admin:members_member_changelist"), {"gender__exact": "male", "p": "1"})
    html = page.content.decode()
    assert f'href="{reverse(ADMIN_EXPORT)}?gender__exact=male&amp;format=xlsx"' in html
    assert f'href="{reverse(ADMIN_EXPORT)}?gender__exact=male&amp;format=csv"' in html


def test_an_unknown_format_or_filter_is_refused(client, district_staff, two_unions_members):
    client.force_login(district_staff)
    assert client.get(reverse(ADMIN_EXPORT), {"format": "pdf"}).status_code == 404
    response = client.get(reverse(ADMIN_EXPORT), {"format": "csv", "khong_co": "1"})
    assert response.status_code == 302 and "e=1" in response["Location"]


def test_a_leader_cannot_filter_the_download_by_id_number(client, leader, two_unions_members):
    client.force_login(leader)
    response = client.get(reverse(ADMIN_EXPORT), {"format": "csv", "national_id__startswith": "0011900000"})
    assert not (response.status_code == 200 and "Vũ Thị Hai" in response.getvalue().decode("utf-8-sig"))


@pytest.mark.parametrize("persona", ["district_staff", "leader", "chair_a1"])
def test_the_import_pages_download_is_the_same_file(client, request, persona, two_unions_members):
    user = request.getfixturevalue(persona)
    for extension in ("xlsx", "csv"):
        from_admin = admin_export(client, user, extension)
        response = client.get(reverse("imports:export", args=["members", extension]))
        assert response.streaming
        same = xlsx_rows if extension == "xlsx" else csv_rows
        assert same(response.getvalue()) == same(from_admin)
        code = "A1" if persona == "chair_a1" else "HBT"
        expected = f'attachment; filename="danh-sach-doan-vien_{code}_{timezone.localdate():%d-%m-%Y}.{extension}"'
        assert response["Content-Disposition"] == expected


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_the_number_of_queries_does_not_grow_with_the_members(client, district_staff, union_a1, extension):
    group = factories.UnionGroupFactory(union=union_a1)
    client.force_login(district_staff)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(ADMIN_EXPORT), {"format": extension})
            response.getvalue()
        return len(captured)

    factories.MemberFactory.create_batch(2, union=union_a1, group=group)
    queries()  # the session and the user, read once
    few = queries()
    factories.MemberFactory.create_batch(30, union=union_a1, group=group)
    assert queries() == few
