"""A CĐCS's member list and a union group's roster as sheets: who may download them and what they hold."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.accounts.models import PersonalDataAccess
from tests import factories

HEADER = [
    "STT",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Tổ công đoàn",
    "Chức danh, nghề nghiệp",
    "Ngày vào công đoàn",
    "Số thẻ",
]
TODAY = timezone.localdate().strftime("%d/%m/%Y")


def members_url(union) -> str:
    return reverse("admin:unions_grassrootsunion_members_xlsx", args=[union.pk])


def roster_url(group) -> str:
    return reverse("admin:union_groups_uniongroup_roster_xlsx", args=[group.pk])


def sheet_of(response):
    assert response.status_code == 200, response.content[:300]
    return load_workbook(BytesIO(response.content)).active


def table(sheet) -> list[list]:
    """The rows below the header, up to the first empty row (the totals come after it)."""
    header_row = next(cell.row for cell in sheet["A"] if cell.value == "STT")
    rows = []
    for row in sheet.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] is None:
            break
        rows.append(list(row))
    return rows


def test_staff_download_the_unions_active_members_with_whole_id_numbers_and_it_is_logged(
    client, district_staff, union_a1, people
):
    client.force_login(district_staff)
    response = client.get(members_url(union_a1), HTTP_ACCEPT_LANGUAGE="vi")
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert response["Content-Disposition"] == f'attachment; filename="danh-sach-doan-vien_A1_{today}.xlsx"'
    sheet = sheet_of(response)
    assert [sheet[f"A{row}"].value for row in (1, 2, 3)] == [
        "Công đoàn Trường THCS Ngô Quyền (mã A1)",
        "Liên đoàn Lao động quận Hai Bà Trưng",
        f"Danh sách đoàn viên tính đến ngày {TODAY}",
    ]
    assert [cell.value for cell in sheet[5]] == HEADER
    assert sheet.freeze_panes == "A6"
    rows = table(sheet)
    # Vietnamese order: by given name (An, Bình, Cúc), never those who left or other unions' members.
    assert [(row[0], row[1], row[4]) for row in rows] == [
        (1, "Lê Văn An", "001190000032"),
        (2, "Trần Thị Bình", "001190000031"),
        (3, "Phạm Thị Cúc", "001190000033"),
    ]
    assert rows[1] == [
        2,
        "Trần Thị Bình",
        "Nữ",
        dt.datetime(1985, 3, 4),
        "001190000031",
        "Tổ Văn phòng",
        "Kế toán",
        dt.datetime(2010, 9, 1),
        "A1-0001",
    ]
    born = sheet.cell(row=7, column=4)
    assert born.number_format == "dd/mm/yyyy"
    totals = [row[1:3] for row in sheet.iter_rows(min_row=len(rows) + 6, values_only=True) if row[1]]
    assert totals == [("Tổng số đoàn viên", 3), ("Trong đó nữ", 2)]
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.action, access.record_count) == (district_staff, "export", 3)
    assert access.path == members_url(union_a1)


def test_a_chair_downloads_their_own_union(client, chair_a1, union_a1, people):
    client.force_login(chair_a1)
    rows = table(sheet_of(client.get(members_url(union_a1))))
    assert [row[4] for row in rows] == ["001190000032", "001190000031", "001190000033"]
    assert PersonalDataAccess.objects.get().user == chair_a1


def test_a_leader_sees_id_numbers_masked_and_nothing_is_logged(client, leader, union_a1, office, people):
    client.force_login(leader)
    for url in (members_url(union_a1), roster_url(office)):
        rows = table(sheet_of(client.get(url)))
        assert all(row[4].startswith("••••") and len(row[4]) == 12 for row in rows)
        assert {row[4][-4:] for row in rows} <= {"0031", "0032", "0033"}
    assert not PersonalDataAccess.objects.exists()


def test_the_group_roster_holds_the_groups_active_members(client, district_staff, union_a1, office, people):
    client.force_login(district_staff)
    response = client.get(roster_url(office), HTTP_ACCEPT_LANGUAGE="vi")
    today = timezone.localdate().strftime("%d-%m-%Y")
    assert response["Content-Disposition"] == f'attachment; filename="danh-sach-to-van-phong_A1_{today}.xlsx"'
    sheet = sheet_of(response)
    assert sheet["A3"].value == "Tổ công đoàn: Tổ Văn phòng"
    assert [(row[1], row[5]) for row in table(sheet)] == [
        ("Lê Văn An", "Tổ Văn phòng"),
        ("Trần Thị Bình", "Tổ Văn phòng"),
    ]
    assert PersonalDataAccess.objects.get().record_count == 2


@pytest.mark.parametrize("persona", ["chair_a2", "staff_b"])
def test_another_unions_chair_and_another_federations_staff_are_told_not_found(
    client, request, persona, union_a1, office, people
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(members_url(union_a1)).status_code == 404
    assert client.get(roster_url(office)).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, union_a1, office):
    for url in (members_url(union_a1), roster_url(office)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_a_member_named_like_a_formula_comes_out_as_text(client, district_staff, union_a1, office):
    factories.MemberFactory(union=union_a1, group=office, full_name="=cmd()", job_title="@SUM(A1)")
    client.force_login(district_staff)
    for url in (members_url(union_a1), roster_url(office)):
        sheet = sheet_of(client.get(url))
        cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        (row,) = table(sheet)
        assert (row[1], row[6]) == ("'=cmd()", "'@SUM(A1)")


# Session, user, the union or group in scope (with the CĐCS admin's check that today's figures
# are fresh, or the group's union), its federation, the totals, the members, and (whole ID
# numbers) the access log.
DOWNLOAD_QUERIES = {"district_staff": 8, "leader": 7, "chair_a1": 8}


@pytest.mark.parametrize("persona", sorted(DOWNLOAD_QUERIES))
def test_the_downloads_take_the_same_number_of_queries_for_any_number_of_members(
    client, request, persona, union_a1, office, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    factories.MemberFactory(union=union_a1, group=office)
    client.get(members_url(union_a1))  # the CĐCS admin computes today's figures once
    for count in (1, 21):
        factories.MemberFactory.create_batch(count - 1, union=union_a1, group=office)
        client.get(members_url(union_a1))
        for url in (members_url(union_a1), roster_url(office)):
            with django_assert_num_queries(DOWNLOAD_QUERIES[persona]):
                assert client.get(url).status_code == 200


def test_the_change_pages_offer_the_downloads_in_vietnamese(client, district_staff, union_a1, office):
    client.force_login(district_staff)
    union_page = client.get(
        reverse("admin:unions_grassrootsunion_change", args=[union_a1.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert f'href="{members_url(union_a1)}"' in union_page.content.decode()
    assert "Xuất danh sách đoàn viên" in union_page.content.decode()
    group_page = client.get(
        reverse("admin:union_groups_uniongroup_change", args=[office.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert f'href="{roster_url(office)}"' in group_page.content.decode()
    assert "Xuất danh sách tổ" in group_page.content.decode()
