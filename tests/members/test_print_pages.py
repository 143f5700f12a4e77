"""The A4 pages to print: a CĐCS's and a group's member list, and the CĐCS's member cards."""

from __future__ import annotations

import re

import pytest
import segno
from django.urls import reverse

from apps.accounts.models import PersonalDataAccess
from apps.members import rosters
from apps.members.models import Member
from tests import factories


def members_url(union) -> str:
    return reverse("admin:unions_grassrootsunion_members_print", args=[union.pk])


def roster_url(group) -> str:
    return reverse("admin:union_groups_uniongroup_roster_print", args=[group.pk])


def cards_url(union) -> str:
    return reverse("admin:unions_grassrootsunion_cards_print", args=[union.pk])


def page_of(client, url: str) -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def body_rows(html: str) -> list[list[str]]:
    """The cells of the list's body rows, as text."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_printed_list_holds_the_unions_active_members_with_a_signature_column(
    client, district_staff, union_a1, people
):
    client.force_login(district_staff)
    html = page_of(client, members_url(union_a1))
    assert "LIÊN ĐOÀN LAO ĐỘNG QUẬN HAI BÀ TRƯNG" in html
    assert "CÔNG ĐOÀN TRƯỜNG THCS NGÔ QUYỀN" in html
    assert "DANH SÁCH ĐOÀN VIÊN" in html
    assert "(Tính đến ngày " in html
    headings = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html)
    assert headings == [
        "STT",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Số CCCD",
        "Tổ công đoàn",
        "Chức danh, nghề nghiệp",
        "Ký tên",
    ]
    rows = body_rows(html)
    # The sheet's rule and order: by given name, never those who left or other unions' members.
    assert [row[1] for row in rows] == ["Lê Văn An", "Trần Thị Bình", "Phạm Thị Cúc"]
    assert rows[1] == ["2", "Trần Thị Bình", "Nữ", "04/03/1985", "001190000031", "Tổ Văn phòng", "Kế toán", ""]
    assert "Tổng số: 3 đoàn viên, trong đó nữ: 2." in html
    assert "<thead>" in html  # the header row the browser repeats on each printed page
    access = PersonalDataAccess.objects.get()
    assert (access.user, access.action, access.record_count, access.path) == (
        district_staff,
        "export",
        3,
        members_url(union_a1),
    )


def test_a_groups_printed_roster_names_the_group_once(client, chair_a1, union_a1, office, people):
    client.force_login(chair_a1)
    html = page_of(client, roster_url(office))
    assert "Tổ công đoàn: Tổ Văn phòng" in html
    rows = body_rows(html)
    assert [row[1] for row in rows] == ["Lê Văn An", "Trần Thị Bình"]
    assert len(rows[0]) == 7  # no group column: the title says which group
    assert "Tổng số: 2 đoàn viên, trong đó nữ: 1." in html
    assert PersonalDataAccess.objects.get().user == chair_a1


def test_a_leader_prints_id_numbers_masked_and_nothing_is_logged(client, leader, union_a1, office, people):
    client.force_login(leader)
    for url in (members_url(union_a1), roster_url(office)):
        html = page_of(client, url)
        assert not re.search(r"0011900000\d\d", html)
        assert all(row[4].startswith("••••") and row[4].endswith(("0031", "0032", "0033")) for row in body_rows(html))
    assert not PersonalDataAccess.objects.exists()


@pytest.mark.parametrize("persona", ["chair_a2", "staff_b"])
def test_another_unions_chair_and_another_federations_staff_are_told_not_found(
    client, request, persona, union_a1, office, people
):
    client.force_login(request.getfixturevalue(persona))
    for url in (members_url(union_a1), roster_url(office), cards_url(union_a1)):
        assert client.get(url).status_code == 404
    assert not PersonalDataAccess.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, union_a1, office):
    for url in (members_url(union_a1), roster_url(office), cards_url(union_a1)):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_names_are_escaped_on_the_printed_pages(client, district_staff, union_a1, office):
    factories.MemberFactory(union=union_a1, group=office, full_name="<script>x</script>", job_title="<b>x</b>")
    client.force_login(district_staff)
    for url in (members_url(union_a1), cards_url(union_a1)):
        html = page_of(client, url)
        assert "<script>x" not in html and "&lt;script&gt;x" in html


def test_each_card_has_the_name_card_number_union_and_a_qr_code_of_the_members_page(
    client, district_staff, union_a1, people
):
    client.force_login(district_staff)
    html = page_of(client, cards_url(union_a1))
    cards = re.findall(r'<article class="member-card">(.*?)</article>', html, re.S)
    assert len(cards) == 3
    assert "Trần Thị Bình" in cards[1] and "A1-0001" in cards[1] and "Công đoàn Trường THCS Ngô Quyền" in cards[1]
    assert "THẺ ĐOÀN VIÊN" in cards[1]
    assert "001190000031" not in html  # a card carries no ID number, so no access is logged
    assert not PersonalDataAccess.objects.exists()
    # The QR code is inline SVG with no style attribute (the Content-Security-Policy refuses them).
    assert cards[1].count("<svg") == 1 and "style=" not in html
    member = Member.objects.get(card_number="A1-0001")
    url = f"http://testserver{reverse('admin:members_member_change', args=[member.pk])}"
    expected = segno.make(url, error="m", mask=0, micro=False).svg_inline(
        svgclass="qr", lineclass=None, omitsize=True, dark="#000"
    )
    assert expected in cards[1]


def test_cards_come_ten_to_a_sheet_and_a_hundred_to_a_page(client, district_staff, union_a1, monkeypatch):
    monkeypatch.setattr(rosters, "CARDS_PER_PRINT", 12)
    factories.MemberFactory.create_batch(25, union=union_a1)
    client.force_login(district_staff)
    html = page_of(client, cards_url(union_a1))
    sheets = html.split('<section class="card-sheet"')[1:]
    assert [sheet.count('class="member-card"') for sheet in sheets] == [10, 2]
    assert "Thẻ 1–12 trong tổng số 25" in html and "?page=2" in html
    last = page_of(client, cards_url(union_a1) + "?page=3")
    assert last.count('class="member-card"') == 1
    assert page_of(client, cards_url(union_a1) + "?page=nonsense").count('class="member-card"') == 12


# Session, user, the union or group in scope (with the CĐCS admin's check that today's figures
# are fresh, or the group's union), its federation, the totals, the members, and (whole ID
# numbers) the access log; the cards count the members instead of totalling them.
PRINT_QUERIES = {"district_staff": 8, "leader": 7, "chair_a1": 8}


@pytest.mark.parametrize("persona", sorted(PRINT_QUERIES))
def test_the_printed_pages_take_the_same_number_of_queries_for_any_number_of_members(
    client, request, persona, union_a1, office, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(persona))
    factories.MemberFactory(union=union_a1, group=office)
    client.get(members_url(union_a1))  # the CĐCS admin computes today's figures once
    for count in (1, 21):
        factories.MemberFactory.create_batch(count - 1, union=union_a1, group=office)
        client.get(members_url(union_a1))  # and again after the members were added
        for url in (members_url(union_a1), roster_url(office)):
            with django_assert_num_queries(PRINT_QUERIES[persona]):
                assert client.get(url).status_code == 200
        with django_assert_num_queries(PRINT_QUERIES["leader"]):
            assert client.get(cards_url(union_a1)).status_code == 200


def test_the_change_pages_link_the_printed_pages_in_vietnamese(client, district_staff, union_a1, office):
    client.force_login(district_staff)
    union_page = page_of(client, reverse("admin:unions_grassrootsunion_change", args=[union_a1.pk]))
    assert f'<a href="{members_url(union_a1)}">In danh sách đoàn viên</a>' in union_page
    assert f'<a href="{cards_url(union_a1)}">In thẻ đoàn viên</a>' in union_page
    group_page = page_of(client, reverse("admin:union_groups_uniongroup_change", args=[office.pk]))
    assert f'<a href="{roster_url(office)}">In danh sách tổ</a>' in group_page
