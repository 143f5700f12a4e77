"""The handover package of a dissolved CĐCS or an ended federation: the workbook, the record, who opens them."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.meetings.models import MeetingDocument
from apps.members.models import Member, MembershipPeriod, UnionOfficial
from apps.members.services import unions_dissolve
from apps.unions.models import Decision, GrassrootsUnion
from tests import factories

DISSOLVED_ON = dt.date(2025, 6, 15)
SHEETS = ["CĐCS", "Đoàn viên", "Cán bộ công đoàn", "Tổ công đoàn", "Khai báo lao động", "Tài liệu hội nghị"]


def dissolve(union: GrassrootsUnion, on: dt.date = DISSOLVED_ON) -> None:
    """As the dissolution does it: the union, its groups, its members' periods and officials' terms end on the date."""
    union.status = GrassrootsUnion.Status.DISSOLVED
    union.dissolved_on = on
    union.save()
    union.groups.update(dissolved_on=on)
    MembershipPeriod.objects.filter(union=union, ended_on__isnull=True).update(ended_on=on, end_reason="CĐCS giải thể")
    Member.objects.filter(union=union, status=Member.Status.ACTIVE).update(status=Member.Status.LEFT)
    UnionOfficial.objects.filter(union=union, ended_on__isnull=True).update(ended_on=on)


@pytest.fixture
def dissolved(union_a1, settings, tmp_path):
    """Union A1 with two members in on its last day (one a woman), one who left in 2024, a group and its
    leader, two workforce declarations and a meeting with one document; then dissolved on 15/06/2025."""
    settings.MEDIA_ROOT = tmp_path
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    leader = factories.MemberFactory(
        union=union_a1, full_name="Trần Thị Bình", gender="female", national_id="001190012345"
    )
    factories.MemberFactory(union=union_a1, full_name="Lê Văn Cường", national_id="001190054321", group=group)
    gone = factories.MemberFactory(union=union_a1, full_name="Phạm Văn Đi", national_id="001190099999")
    MembershipPeriod.objects.filter(member=gone).update(ended_on=dt.date(2024, 1, 1))
    Member.objects.filter(pk=gone.pk).update(status=Member.Status.LEFT)
    factories.UnionOfficialFactory(member=leader, role=UnionOfficial.Role.CHAIR)
    factories.UnionOfficialFactory(member=leader, role=UnionOfficial.Role.GROUP_LEADER, group=group)
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2021, 1, 1))
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2024, 1, 1))
    meeting = factories.MeetingFactory(
        federation=union_a1.federation, organiser_union=union_a1, title='=HYPERLINK("x")', held_on=dt.date(2024, 3, 8)
    )
    MeetingDocument.objects.create(
        meeting=meeting, title="Biên bản", file=ContentFile(b"%PDF-1.4 test", name="bien-ban.pdf")
    )
    dissolve(union_a1)
    return union_a1


def xlsx_url(union) -> str:
    return reverse("admin:unions_grassrootsunion_handover_xlsx", args=[union.pk])


def print_url(union) -> str:
    return reverse("admin:unions_grassrootsunion_handover_print", args=[union.pk])


def workbook(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, response
    return load_workbook(BytesIO(b"".join(response.streaming_content)))


def rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_workbook_lists_what_the_union_held_on_its_last_day(client, district_staff, dissolved):
    book = workbook(client, district_staff, xlsx_url(dissolved))
    assert book.sheetnames == SHEETS
    assert [row["Mã CĐCS"] for row in rows(book["CĐCS"])] == ["A1"]
    assert rows(book["CĐCS"])[0]["Ngày giải thể"].date() == DISSOLVED_ON
    members = rows(book["Đoàn viên"])
    # In on 14/06/2025, though the dissolution ended their period; who left in 2024 is not.
    assert sorted(row["Họ và tên"] for row in members) == ["Lê Văn Cường", "Trần Thị Bình"]
    assert {row["Số CCCD"] for row in members} == {"001190012345", "001190054321"}
    assert {row["Tổ công đoàn"] for row in members} == {"Tổ Văn phòng", None}
    assert sorted(row["Chức vụ"] for row in rows(book["Cán bộ công đoàn"])) == ["chủ tịch", "tổ trưởng"]
    assert [(row["Tên tổ công đoàn"], row["Tổ trưởng"]) for row in rows(book["Tổ công đoàn"])] == [
        ("Tổ Văn phòng", "Trần Thị Bình")
    ]
    assert len(rows(book["Khai báo lao động"])) == 2
    [document] = rows(book["Tài liệu hội nghị"])
    assert document["Tên tệp"].endswith(".pdf")
    assert document["Loại tệp"] == "PDF"
    assert document["Ngày họp"].date() == dt.date(2024, 3, 8)


def test_formula_like_text_stays_text(client, district_staff, dissolved):
    book = workbook(client, district_staff, xlsx_url(dissolved))
    [document] = rows(book["Tài liệu hội nghị"])
    assert document["Hội nghị"] == '\'=HYPERLINK("x")'


def test_a_leader_reads_the_package_with_id_numbers_masked(client, leader, dissolved):
    book = workbook(client, leader, xlsx_url(dissolved))
    numbers = {row["Số CCCD"] for row in rows(book["Đoàn viên"])} | {
        row["Số CCCD"] for row in rows(book["Cán bộ công đoàn"])
    }
    assert numbers and not any("0011900" in number for number in numbers)
    assert all(number.endswith(("2345", "4321")) for number in numbers)


def test_the_record_counts_what_both_sides_sign_for(client, district_staff, dissolved, vi):
    client.force_login(district_staff)
    response = client.get(print_url(dissolved))
    assert response.status_code == 200
    counts = dict(response.context["counts"])
    assert counts == {
        "CĐCS": "1",
        "Đoàn viên": "2",
        "Trong đó nữ": "1",
        "Cán bộ công đoàn": "2",
        "Tổ công đoàn": "1",
        "Khai báo lao động": "2",
        "Tài liệu hội nghị": "1",
    }
    page = response.content.decode()
    assert "BIÊN BẢN BÀN GIAO HỒ SƠ, TÀI LIỆU" in page
    assert "14/06/2025" in page and "15/06/2025" in page
    assert dissolved.federation.name in page  # the receiving side


def test_the_record_names_the_dissolution_decision(client, district_staff, union_a1, union_a2, vi):
    decision = Decision.objects.create(
        number="210/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 12), issuer="Ban Thường vụ LĐLĐ quận Hai Bà Trưng"
    )
    unions_dissolve([union_a1], on=DISSOLVED_ON, decision=decision)
    client.force_login(district_staff)
    page = client.get(print_url(union_a1)).content.decode()
    assert "Giải thể từ ngày 15/06/2025." in page
    assert "Theo quyết định số 210/QĐ-LĐLĐ ngày 12/06/2025 của Ban Thường vụ LĐLĐ quận Hai Bà Trưng." in page
    # Without a recorded decision, a line to write it in by hand.
    unions_dissolve([union_a2], on=DISSOLVED_ON)
    page = client.get(print_url(union_a2)).content.decode()
    assert "210/QĐ-LĐLĐ" not in page
    assert "Theo quyết định số ……………… ngày …… / …… / ………" in page


def test_a_large_count_reads_the_vietnamese_way(client, district_staff, union_a1, vi):
    dissolve(union_a1)
    factories.WorkforceDeclarationFactory.create_batch(
        1234,
        union=union_a1,
        as_of=factories.factory.Iterator([dt.date(2000, 1, 1) + dt.timedelta(days=n) for n in range(1234)]),
    )
    client.force_login(district_staff)
    counts = dict(client.get(print_url(union_a1)).context["counts"])
    assert counts["Khai báo lao động"] == "1.234"


def test_a_chair_gets_404_even_for_their_own_union(client, chair_a1, dissolved):
    client.force_login(chair_a1)
    assert client.get(xlsx_url(dissolved)).status_code == 404
    assert client.get(print_url(dissolved)).status_code == 404


def test_another_federations_staff_get_404(client, staff_b, dissolved):
    client.force_login(staff_b)
    assert client.get(xlsx_url(dissolved)).status_code == 404
    assert client.get(print_url(dissolved)).status_code == 404


def test_a_union_not_dissolved_has_no_package(client, district_staff, union_a2, vi):
    client.force_login(district_staff)
    response = client.get(print_url(union_a2))
    assert response.status_code == 404
    assert client.get(xlsx_url(union_a2)).status_code == 404


def test_the_change_page_links_the_package_once_dissolved(client, district_staff, dissolved, union_a2):
    client.force_login(district_staff)
    page = client.get(reverse("admin:unions_grassrootsunion_change", args=[dissolved.pk])).content.decode()
    assert print_url(dissolved) in page  # the record links the workbook
    page = client.get(reverse("admin:unions_grassrootsunion_change", args=[union_a2.pk])).content.decode()
    assert print_url(union_a2) not in page


def test_an_ended_federation_hands_over_its_unions_to_its_parent(
    client, superuser, federation_a, union_a1, union_a2, vi
):
    city = factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội")
    federation_a.parent = city
    federation_a.ended_on = dt.date(2025, 7, 1)
    federation_a.ending_decision = Decision.objects.create(
        number="1568/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 26), issuer="Ban Thường vụ LĐLĐ thành phố Hà Nội"
    )
    federation_a.save()
    factories.MemberFactory(union=union_a1)
    factories.MemberFactory(union=union_a2, gender="female")
    dissolve(union_a2, on=dt.date(2025, 7, 1))  # dissolved the day the federation ended: still in its last day
    client.force_login(superuser)
    url = reverse("admin:unions_federation_handover_print", args=[federation_a.pk])
    response = client.get(url)
    assert response.status_code == 200
    counts = dict(response.context["counts"])
    assert counts["CĐCS"] == "2" and counts["Đoàn viên"] == "2" and counts["Trong đó nữ"] == "1"
    page = response.content.decode()
    assert city.name in page
    assert "Theo quyết định số 1568/QĐ-LĐLĐ ngày 26/06/2025 của Ban Thường vụ LĐLĐ thành phố Hà Nội." in page
    book = workbook(client, superuser, reverse("admin:unions_federation_handover_xlsx", args=[federation_a.pk]))
    assert sorted(row["Mã CĐCS"] for row in rows(book["CĐCS"])) == ["A1", "A2"]


def test_a_federation_not_ended_has_no_package(client, superuser, federation_a):
    client.force_login(superuser)
    assert client.get(reverse("admin:unions_federation_handover_print", args=[federation_a.pk])).status_code == 404
    assert client.get(reverse("admin:unions_federation_handover_xlsx", args=[federation_a.pk])).status_code == 404
