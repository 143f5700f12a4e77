"""Each role's start in a real browser: the staff home, a chair's CĐCS on a phone, the shared header."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from apps.meetings.models import Meeting
from apps.members import services
from apps.members.models import UnionOfficial
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e

VIEWPORTS = [{"width": 1366, "height": 768}, {"width": 390, "height": 844}]
VIEWPORT_IDS = ["desktop", "phone"]


def assert_no_sideways_scroll(page: Page, viewport: dict) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1


@pytest.fixture
def a_union_with_life(union_a1, union_a2, federation_a, district_staff):
    """A1 with groups, leaders, officials, meetings and an old declaration; a transfer from A2 waiting for A1."""
    today = timezone.localdate()
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2021, 1, 1), total_workers=12, female_workers=7)
    groups = [
        factories.UnionGroupFactory(union=union_a1, name=name)
        for name in ("Tổ Văn phòng", "Tổ Giáo viên Tự nhiên", "Tổ Giáo viên Xã hội")
    ]
    names = iter(
        [
            ("Lê Thị Mai", "female"), ("Phạm Văn Đức", "male"), ("Vũ Văn Hùng", "male"),
            ("Đặng Thị Lan", "female"), ("Bùi Văn Nam", "male"), ("Hồ Văn Phúc", "male"),
            ("Ngô Thị Thu", "female"), ("Dương Văn Tài", "male"), ("Lý Văn Sơn", "male"),
        ]
    )  # fmt: skip
    for number, group in enumerate(groups):
        members = [
            factories.MemberFactory(union=union_a1, group=group, full_name=name, gender=gender)
            for name, gender in (next(names) for _ in range(3))
        ]
        if number < 2:
            factories.UnionOfficialFactory(member=members[0], role=UnionOfficial.Role.GROUP_LEADER, group=group)
    chair = factories.MemberFactory(union=union_a1, full_name="Nguyễn Thị Thanh Hương", gender="female")
    factories.UnionOfficialFactory(member=chair, role=UnionOfficial.Role.CHAIR)
    factories.MeetingFactory(
        federation=federation_a,
        organiser_union=union_a1,
        group=groups[0],
        kind=Meeting.Kind.GROUP_MEETING,
        title="Sinh hoạt tổ công đoàn tháng này",
        held_on=today - dt.timedelta(days=5),
    )
    moving = factories.MemberFactory(union=union_a2, full_name="Trần Văn Chuyển Đến")
    services.transfer_request(member=moving, to_union=union_a1, on=today, actor=district_staff)
    return union_a1


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_district_staff_start_on_what_needs_doing(
    transactional_db, live_server, page, district_staff, a_union_with_life, screenshot, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, live_server.url, district_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("Việc cần làm")
    expect(page.get_by_role("link", name="Trang chủ")).to_have_attribute("aria-current", "page")
    transfers = page.locator("#incoming-transfers")
    expect(transfers).to_contain_text("Trần Văn Chuyển Đến")
    expect(page.locator("#stale-declarations")).to_contain_text(a_union_with_life.name)
    expect(page.locator("#waiting-imports")).to_contain_text("Bạn không có tệp nhập nào đang chờ xác nhận.")
    assert_no_sideways_scroll(page, viewport)
    screenshot(page, f"home_staff_{viewport['width']}")
    # Each entry opens where it is acted on: the transfer's answer page.
    transfers.get_by_role("link", name="Trần Văn Chuyển Đến").click()
    expect(page).to_have_url(re.compile(r"/admin/members/transferrequest/\d+/decide/$"))


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_chair_starts_on_their_union(
    transactional_db, live_server, page, chair_a1, a_union_with_life, screenshot, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(f"{live_server.url}/dashboard/cdcs/{a_union_with_life.pk}/")
    expect(page.locator("h1")).to_have_text(a_union_with_life.name)
    expect(page.get_by_role("link", name="CĐCS của tôi")).to_have_attribute("aria-current", "page")
    expect(page.locator(".cards")).to_contain_text("10 / 12")
    expect(page.locator("#groups")).to_contain_text("Tổ Giáo viên Xã hội")
    expect(page.locator("#groups")).to_contain_text("chưa có tổ trưởng")
    expect(page.locator("#officials")).to_contain_text("Nguyễn Thị Thanh Hương")
    expect(page.locator("#meetings")).to_contain_text("Sinh hoạt tổ công đoàn tháng này")
    expect(page.locator("#warnings")).to_contain_text("Chưa khai báo số lao động hoặc khai báo đã quá một năm")
    # A chair is never offered the district's breadcrumbs: this is their top page.
    expect(page.locator("nav.crumbs")).to_have_count(0)
    assert_no_sideways_scroll(page, viewport)
    screenshot(page, f"union_overview_chair_{viewport['width']}")
    page.get_by_role("link", name="Khai báo số lao động").first.click()
    expect(page).to_have_url(f"{live_server.url}/cdcs/{a_union_with_life.pk}/workforce/new/")


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=VIEWPORT_IDS)
def test_the_header_is_the_same_on_the_admin_and_the_portal(
    transactional_db, live_server, page, district_staff, a_union_with_life, screenshot, viewport
):
    page.set_viewport_size(viewport)
    log_in(page, live_server.url, district_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/members/member/")
    header = page.locator("header.site-header")
    expect(header).to_contain_text("Cán bộ công đoàn cấp trên")
    expect(header).to_contain_text(district_staff.federation.name)
    expect(header.get_by_role("link", name="Nhập liệu")).to_have_attribute("aria-current", "true")
    assert header.evaluate("element => element.scrollWidth <= element.clientWidth")
    admin_height = header.evaluate("element => element.getBoundingClientRect().height")
    screenshot(page, f"header_admin_staff_{viewport['width']}")
    # The way from data entry to the figures and back, through the header.
    header.get_by_role("link", name="Tổng hợp số liệu").click()
    expect(page).to_have_url(f"{live_server.url}/dashboard/")
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="Tổng hợp số liệu")).to_have_attribute("aria-current", "page")
    assert abs(header.evaluate("element => element.getBoundingClientRect().height") - admin_height) <= 2
    # The drill-down leads to the union's page, whose breadcrumbs lead back up to the sector.
    page.goto(f"{live_server.url}/dashboard/?union={a_union_with_life.pk}#drill")
    page.get_by_role("link", name="Mở trang của CĐCS này").click()
    expect(page.locator("h1")).to_have_text(a_union_with_life.name)
    crumbs = page.locator("nav.crumbs")
    expect(crumbs).to_contain_text(a_union_with_life.sector.name)
    assert_no_sideways_scroll(page, viewport)
    screenshot(page, f"union_overview_staff_{viewport['width']}")
    crumbs.get_by_role("link", name=a_union_with_life.sector.name).click()
    expect(page.locator("#drill h2")).to_have_text(a_union_with_life.sector.name)
