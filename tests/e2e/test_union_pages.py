"""A chair on a phone keeps their union's members: filter by group, add, move to another group, leave."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from apps.members.models import Member
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.browser_problems import watch_for_problems
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_chair_keeps_their_members_on_a_phone(
    transactional_db, live_server, page, chair_a1, union_a1, union_a2, screenshot
):
    office = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    teachers = factories.UnionGroupFactory(union=union_a1, name="Tổ Giáo viên Tự nhiên")
    factories.UnionGroupFactory(union=union_a2, name="Tổ Kinh doanh")
    factories.MemberFactory(union=union_a1, group=office, full_name="Nguyễn Thị Hoà", gender="female")
    factories.MemberFactory(union=union_a1, group=teachers, full_name="Trần Quốc Bảo")
    factories.MemberFactory(union=union_a2, full_name="Người Của Công Ty May")
    problems = watch_for_problems(page)
    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    members_url = f"{live_server.url}/cdcs/{union_a1.pk}/members/"
    page.set_viewport_size(DESKTOP)
    page.goto(members_url)
    expect(page.locator("h1")).to_have_text("Đoàn viên")
    screenshot(page, "union_members_desktop")
    page.set_viewport_size(PHONE)
    page.goto(members_url)
    expect(page.locator("table.member-list")).to_contain_text("Nguyễn Thị Hoà")
    expect(page.locator("body")).not_to_contain_text("Người Của Công Ty May")
    expect(page.locator("body")).not_to_contain_text("Tổ Kinh doanh")
    assert fits_the_screen(page)
    screenshot(page, "union_members_phone")

    # Filter by group: a chip, not a sector.
    page.get_by_role("link", name=re.compile("^Tổ Giáo viên Tự nhiên")).click()
    expect(page).to_have_url(re.compile(rf"group={teachers.pk}"))
    expect(page.locator("table.member-list")).to_contain_text("Trần Quốc Bảo")
    expect(page.locator("table.member-list")).not_to_contain_text("Nguyễn Thị Hoà")

    # Add a member: no union to choose, only this union's groups.
    page.get_by_role("link", name="Thêm đoàn viên").click()
    expect(page.get_by_label("Tổ công đoàn", exact=True)).to_be_visible()
    options = page.locator("#id_group option").all_inner_texts()
    assert options == ["(chưa vào tổ)", "Tổ Giáo viên Tự nhiên", "Tổ Văn phòng"]
    page.get_by_label("Họ và tên").fill("Lê Thị Mai Anh")
    page.get_by_label("Nữ").check()
    page.get_by_label("Ngày sinh").fill("12/04/1996")
    page.get_by_label("Tổ công đoàn", exact=True).select_option(label="Tổ Văn phòng")
    page.get_by_label("Số CCCD").fill("001196012345")
    assert fits_the_screen(page)
    screenshot(page, "union_member_add_phone")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã kết nạp đoàn viên Lê Thị Mai Anh.")
    expect(page).to_have_url(members_url)

    # Move her to another group.
    page.get_by_role("link", name="Lê Thị Mai Anh", exact=True).click()
    page.get_by_role("link", name="Chuyển sang tổ khác").click()
    page.get_by_label("Tổ công đoàn mới").select_option(label="Tổ Giáo viên Tự nhiên")
    screenshot(page, "union_member_move_phone")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã chuyển Lê Thị Mai Anh sang tổ khác.")
    member = Member.objects.get(full_name="Lê Thị Mai Anh")
    assert member.group == teachers

    # The transfer form looks the receiving union up by name (static JS, allowed by the CSP).
    page.get_by_role("link", name="Lê Thị Mai Anh", exact=True).click()
    page.get_by_role("link", name="Chuyển sinh hoạt sang CĐCS khác").click()
    page.get_by_label("CĐCS tiếp nhận").press_sequentially("may thang", delay=30)
    expect(page.locator("#union-choices option")).to_have_count(1)
    assert page.locator("#union-choices option").get_attribute("value") == "A2"
    screenshot(page, "union_member_transfer_phone")
    page.get_by_role("link", name="Hủy").click()

    # She leaves: a date before she joined is refused next to the field, in Vietnamese.
    page.get_by_role("link", name="Thôi sinh hoạt").click()
    page.locator("#id_on").fill("01/01/2001")
    page.get_by_label("Lý do thôi sinh hoạt").fill("Chuyển công tác ra ngoài ngành")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".field.has-error .error")).to_contain_text("Ngày này phải sau ngày bắt đầu sinh hoạt")
    screenshot(page, "union_member_leave_error_phone")
    page.locator("#id_on").fill("01/01/2099")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".messages")).to_contain_text("Đã ghi nhận Lê Thị Mai Anh thôi sinh hoạt.")
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT

    page.get_by_role("link", name="Đã thôi sinh hoạt").click()
    expect(page.locator("table.member-list")).to_contain_text("Lê Thị Mai Anh")

    page.get_by_role("link", name="Tổ công đoàn", exact=True).click()
    expect(page.locator(".group-cards")).to_contain_text("Tổ Văn phòng")
    assert fits_the_screen(page)
    screenshot(page, "union_groups_phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "union_groups_desktop")

    # The site search from the header.
    page.locator("#site-search-q").fill("hoa")
    page.locator("#site-search-q").press("Enter")
    expect(page.locator("h1")).to_have_text("Tìm kiếm")
    expect(page.locator(".search-results")).to_contain_text("Nguyễn Thị Hoà")
    screenshot(page, "site_search_desktop")
    page.set_viewport_size(PHONE)
    assert fits_the_screen(page)
    screenshot(page, "site_search_phone")
    assert not problems, problems


def test_receiving_chair_accepts_a_transfer_into_a_group(
    transactional_db, live_server, page, chair_a1, chair_a2, union_a1, union_a2, screenshot
):
    import datetime as dt

    from apps.members import services
    from apps.members.models import UnionOfficial

    sewing = factories.UnionGroupFactory(union=union_a2, name="Tổ May 1")
    leader = factories.MemberFactory(union=union_a2, group=sewing, full_name="Phạm Thị Lan")
    factories.UnionOfficialFactory(member=leader, union=union_a2, group=sewing, role=UnionOfficial.Role.GROUP_LEADER)
    moving = factories.MemberFactory(union=union_a1, full_name="Đỗ Văn Hùng")
    services.transfer_request(
        member=moving, to_union=union_a2, on=dt.date(2024, 9, 1), actor=chair_a1, note="Theo quyết định điều động"
    )

    log_in(page, live_server.url, chair_a2.username, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/cdcs/{union_a2.pk}/transfers/")
    card = page.locator(".transfer-list .card").first
    expect(card).to_contain_text("Đỗ Văn Hùng")
    expect(card).to_contain_text(union_a1.name)
    assert fits_the_screen(page)
    screenshot(page, "union_transfers_phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "union_transfers_desktop")
    page.set_viewport_size(PHONE)

    # Refusing without a reason is stopped next to the reason.
    card.get_by_role("button", name="Từ chối").click()
    expect(page.locator(".transfer-list .field.has-error")).to_contain_text("Lý do")
    card = page.locator(".transfer-list .card").first
    card.get_by_label("Tổ công đoàn").select_option(label="Tổ May 1")
    card.get_by_role("button", name="Tiếp nhận").click()
    expect(page.locator(".messages")).to_contain_text("Đã tiếp nhận Đỗ Văn Hùng vào CĐCS.")
    moving.refresh_from_db()
    assert (moving.union, moving.group) == (union_a2, sewing)

    page.goto(f"{live_server.url}/cdcs/{union_a2.pk}/groups/{sewing.pk}/")
    expect(page.locator(".facts")).to_contain_text("Phạm Thị Lan")
    expect(page.locator("table.member-list")).to_contain_text("Đỗ Văn Hùng")
    assert fits_the_screen(page)
    screenshot(page, "union_group_phone")
    page.set_viewport_size(DESKTOP)
    screenshot(page, "union_group_desktop")
