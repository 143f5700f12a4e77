"""The dashboard page, its JSON and its Excel export: figures, drill-down, scoping and query counts."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from apps.members import services
from tests import factories

DAY = "2022-06-30"
# The page once its days are kept and current: fixed, whatever the data (pinned, not capped).
# 18, then 21 with the period's meetings (selectors.meeting_figures): the meetings per kind now
# come grouped by organiser and sector too (the same one query), plus the attendance rate of the
# lowest meetings (one), the invitees per organiser and sector (one) and the overdue follow-up
# tasks counted (one). District staff read one more: the overdue tasks listed. 22 with the CĐCS
# moved since the previous cut-off (selectors.carry_moves: one, and one more only after a move).
# 21 once the page asks whether its days are kept once (selectors.days_kept within live_reads)
# rather than once per selector. At most: a check no union fails, or quiet groups nobody has,
# lists no one without a query (overview.attention_items).
DASHBOARD_QUERIES = 21


@pytest.fixture
def district(union_a1, union_a2, union_b1):
    """A1: 3 members (2 female) of 4 workers; A2: 1 member of 2 workers; B1 (other federation): 5 members."""
    for union, workers, female_workers in ((union_a1, 4, 3), (union_a2, 2, 1), (union_b1, 9, 5)):
        factories.WorkforceDeclarationFactory(
            union=union, as_of=dt.date(2022, 1, 1), total_workers=workers, female_workers=female_workers
        )
    factories.MemberFactory.create_batch(2, union=union_a1, gender="female", full_name="Đỗ Thị Hạnh")
    factories.MemberFactory(union=union_a1, gender="male")
    factories.MemberFactory(union=union_a2, gender="male", full_name="Vương Văn Khải")
    factories.MemberFactory.create_batch(5, union=union_b1, full_name="Bạch Văn Ngoại")
    factories.UnionGroupFactory(union=union_a1)


def get_json(client, user, **params):
    client.force_login(user)
    response = client.get(reverse("dashboard:json"), {"as_of": DAY, **params})
    assert response.status_code == 200
    return response.json()


def test_leader_sees_the_federations_figures(client, leader, district):
    totals = get_json(client, leader)["totals"]
    assert (totals["unions"], totals["members"], totals["workers"]) == (2, 4, 6)
    assert (totals["female_members"], totals["female_workers"]) == (2, 4)
    assert totals["membership_ratio"] == 66.7
    assert totals["female_membership_ratio"] == 50.0


def test_chair_sees_only_their_union(client, chair_a1, district):
    totals = get_json(client, chair_a1)["totals"]
    assert (totals["unions"], totals["members"], totals["workers"]) == (1, 3, 4)


def test_other_federation_sees_nothing_of_this_one(client, staff_b, district):
    data = get_json(client, staff_b)
    assert (data["totals"]["unions"], data["totals"]["members"]) == (1, 5)


def test_page_shows_vietnamese_figures_and_the_report(client, leader, district):
    client.force_login(leader)
    body = client.get(reverse("dashboard:index"), {"as_of": DAY}, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "66,7 %" in body
    assert "Tính đến ngày 30/06/2022" in body
    assert "Bạch Văn Ngoại" not in body and "Bệnh viện Đống Đa" not in body


def test_past_date_comes_from_history(client, leader, union_a1, chair_a1, district):
    member = factories.MemberFactory(union=union_a1, joined_union_on=dt.date(2020, 1, 1))
    services.member_leave(member=member, on=dt.date(2022, 7, 1), reason="Nghỉ hưu")
    before = get_json(client, leader)["totals"]["members"]
    after = get_json(client, leader, as_of="2022-07-01")["totals"]["members"]
    assert (before, after) == (5, 4)


INVALID_DAYS = ["0001-01-01", "1999-12-31", "9999-12-31", "abc", "2021-02-30", "31/02/2022"]


@pytest.mark.parametrize("value", INVALID_DAYS)
def test_invalid_date_on_the_page_is_refused_with_the_accepted_range(client, leader, district, value):
    client.force_login(leader)
    response = client.get(reverse("dashboard:index"), {"as_of": value}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    body = response.content.decode()
    last = f"31/12/{timezone.localdate().year + 5}"
    assert f"không phải là ngày hợp lệ để xem số liệu: hãy chọn một ngày từ 01/01/2000 đến {last}" in body
    assert 'name="as_of"' in body, "the form to pick another day"
    assert f'href="{reverse("dashboard:index")}"' in body, "a link to today's figures"
    assert "Union organisation as of" not in body and "Tình hình tổ chức" not in body, "no figures of another day"


@pytest.mark.parametrize("value", INVALID_DAYS)
def test_invalid_date_in_the_json_is_refused_with_a_vietnamese_message(client, leader, district, value):
    client.force_login(leader)
    response = client.get(reverse("dashboard:json"), {"as_of": value}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    answer = response.json()
    assert "hãy chọn một ngày từ 01/01/2000" in answer["error"]
    assert answer["today"] == reverse("dashboard:json")
    assert "totals" not in answer


@pytest.mark.parametrize("value", INVALID_DAYS)
def test_invalid_date_in_the_export_is_refused_with_a_vietnamese_message(client, leader, district, value):
    client.force_login(leader)
    response = client.get(reverse("dashboard:export"), {"as_of": value}, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert "hãy chọn một ngày từ 01/01/2000" in body
    assert f'href="{reverse("dashboard:export")}"' in body


@pytest.mark.parametrize("name", ["dashboard:index", "dashboard:json", "dashboard:export"])
def test_the_first_and_last_accepted_days_are_shown(client, leader, district, name):
    client.force_login(leader)
    for day in ("2000-01-01", f"{timezone.localdate().year + 5}-12-31"):
        assert client.get(reverse(name), {"as_of": day}).status_code == 200


def test_drill_down_sector_then_union(client, leader, union_a1, union_a2, district):
    client.force_login(leader)
    url = reverse("dashboard:index")
    by_sector = client.get(url, {"as_of": DAY, "sector": union_a1.sector_id, "sort": "members"})
    assert [union.pk for union in by_sector.context["unions_page"]] == [union_a1.pk, union_a2.pk]
    by_union = client.get(url, {"as_of": DAY, "union": union_a1.pk})
    assert [group.member_count for group in by_union.context["drill_groups"]] == [0]


@pytest.mark.parametrize("persona", ["chair_a1", "staff_b"])
def test_drilling_into_an_out_of_scope_union_is_not_found(client, request, persona, union_a2, district):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert client.get(reverse("dashboard:index"), {"union": union_a2.pk}).status_code == 404


def test_excel_export_holds_the_tables(client, chair_a1, union_a1, district):
    client.force_login(chair_a1)
    response = client.get(reverse("dashboard:export"), {"as_of": DAY})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    unions_sheet = book.worksheets[1]
    rows = list(unions_sheet.iter_rows(min_row=5, values_only=True))
    assert [(row[0], row[3], row[4]) for row in rows] == [(union_a1.code, 3, 4)]


@pytest.mark.parametrize(
    ("persona", "filename"),
    [
        ("leader", "so-lieu-cong-doan_HBT_30-06-2022.xlsx"),
        ("chair_a1", "so-lieu-cong-doan_A1_30-06-2022.xlsx"),
        ("superuser", "so-lieu-cong-doan_30-06-2022.xlsx"),
    ],
)
def test_excel_export_is_named_in_vietnamese_with_its_scope_and_day(client, request, persona, filename, district):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("dashboard:export"), {"as_of": DAY})
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'


def test_excel_export_tables_say_what_and_as_of_when_with_a_frozen_bold_header(client, leader, district):
    client.force_login(leader)
    response = client.get(reverse("dashboard:export"), {"as_of": DAY}, HTTP_ACCEPT_LANGUAGE="vi")
    book = load_workbook(BytesIO(response.content))
    titles = [(sheet["A1"].value, sheet["A2"].value) for sheet in book.worksheets]
    assert titles == [
        ("Đoàn viên và người lao động theo khối", "Số liệu tính đến ngày 30/06/2022"),
        ("Số liệu từng CĐCS", "Số liệu tính đến ngày 30/06/2022"),
        ("Những nội dung cần chú ý", "Số liệu tính đến ngày 30/06/2022"),
        # The meetings' sheets count the period since the previous cut-off (31/05/2022).
        ("Hội nghị và tỷ lệ tham dự theo khối", "Hội nghị tổ chức từ 01/06/2022 đến 30/06/2022"),
        ("Hội nghị và tỷ lệ tham dự theo đơn vị tổ chức", "Hội nghị tổ chức từ 01/06/2022 đến 30/06/2022"),
    ]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A5"
        assert all(cell.font.bold for cell in sheet[4] if cell.value is not None)
        assert sheet.column_dimensions["A"].width >= len(sheet["A4"].value)
    attention = book.worksheets[2]
    assert attention["B4"].value == "Số lượng"
    assert all(row[1].data_type == "n" for row in attention.iter_rows(min_row=5))


def test_anonymous_is_sent_to_login_and_roleless_users_are_refused(client, district, db):
    response = client.get(reverse("dashboard:index"))
    assert response.status_code == 302 and "/admin/login/" in response.url
    client.force_login(factories.UserFactory(username="khong_vai_tro"))
    assert client.get(reverse("dashboard:index")).status_code == 403


def test_query_count_does_not_grow_with_data(client, leader, federation_a, district, django_assert_max_num_queries):
    client.force_login(leader)
    url = reverse("dashboard:index")
    client.get(url, {"as_of": DAY})  # computes the days the page shows
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        client.get(url, {"as_of": DAY})
    for _ in range(5):
        union = factories.GrassrootsUnionFactory(federation=federation_a)
        factories.WorkforceDeclarationFactory(union=union)
        factories.MemberFactory.create_batch(3, union=union)
        factories.UnionGroupFactory(union=union)
    client.get(url, {"as_of": DAY})  # applies the changes to the summary (tests/dashboard/test_figures.py)
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        client.get(url, {"as_of": DAY})


def test_leaders_start_on_the_dashboard(client, leader, district_staff):
    client.force_login(leader)
    assert client.get("/").url == reverse("dashboard:index")
    # District staff have a home page of their own (tests/dashboard/test_home_and_union.py).
    client.force_login(district_staff)
    assert client.get("/").status_code == 200


def test_drill_down_links_carry_ids_without_thousands_separators(client, leader, federation_a, district):
    # Vietnamese numbers group thousands with dots: an id of 12.345 in a link would answer 404.
    union = factories.GrassrootsUnionFactory(pk=12345, federation=federation_a, name="Công đoàn Công ty Hòa Bình")
    client.force_login(leader)
    page = client.get(reverse("dashboard:index"), {"as_of": DAY, "sector": union.sector_id}).content.decode()
    assert f"union={union.pk}#drill" in page
    assert client.get(reverse("dashboard:index"), {"as_of": DAY, "union": union.pk}).status_code == 200


@pytest.mark.parametrize("name", ["dashboard:index", "dashboard:json", "dashboard:export"])
def test_a_leap_day_has_its_figures_and_last_years_cut_offs(client, leader, district, name):
    # 29/02 has no day a year before it: the previous year's cut-offs are taken by year.
    client.force_login(leader)
    response = client.get(reverse(name), {"as_of": "2024-02-29"})
    assert response.status_code == 200
    if name == "dashboard:index":
        assert "31/05/2023" in response.content.decode()


def test_the_json_link_is_for_district_staff_only(client, district, district_staff, leader):
    json_url = reverse("dashboard:json")
    for user, shown in ((district_staff, True), (leader, False)):
        client.force_login(user)
        page = client.get(reverse("dashboard:index"), {"as_of": DAY}).content.decode()
        assert (f'href="{json_url}?' in page) is shown, user


def test_the_trend_starts_on_the_first_day_with_figures(client, district, leader):
    client.force_login(leader)
    trend = client.get(reverse("dashboard:index"), {"as_of": DAY}).context["chart_data"]["trend"]
    assert trend["labels"], "the day asked for has figures"
    assert trend["members"][0] or trend["workers"][0]


def test_a_unions_groups_link_to_their_page(client, district, leader, union_a1):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Kế toán", established_on=dt.date(2016, 1, 1))
    client.force_login(leader)
    page = client.get(reverse("dashboard:index"), {"as_of": DAY, "union": union_a1.pk}).content.decode()
    assert f'href="{reverse("portal:group", args=[union_a1.pk, group.pk])}"' in page


def test_three_members_of_four_workers_is_below_eighty_per_cent(district, leader):
    from apps.dashboard import selectors

    # A1 has 3 members of 4 workers (75 %), A2 1 of 2 (50 %): both below the 80 % threshold.
    counts = selectors.attention_counts(as_of=dt.date(2022, 6, 30), user=leader, federation=leader.federation)
    assert counts["low_ratio"] == 2


def test_a_sectors_unions_can_be_searched_accents_aside_and_the_search_is_kept_when_sorting(
    client, district, leader, union_a1, union_a2
):
    client.force_login(leader)
    params = {"as_of": DAY, "sector": union_a1.sector_id, "q": "ngo quyen"}
    response = client.get(reverse("dashboard:index"), params)
    assert [union.code for union in response.context["unions_page"]] == ["A1"]
    assert "q=ngo%20quyen&amp;sort=members" in response.content.decode()
    response = client.get(reverse("dashboard:index"), {**params, "q": "khong co dau"})
    assert list(response.context["unions_page"]) == []
    assert "Không có CĐCS nào của khối này khớp với từ tìm kiếm." in response.content.decode()
