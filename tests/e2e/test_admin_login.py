"""District staff sign in to the admin in a real browser, in Vietnamese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD

pytestmark = pytest.mark.e2e

# The portal's header (templates/includes/site_header.html) names the user and their role on
# the admin's pages too; our catalogue translates "Log out" as "Đăng xuất".
LOGOUT = "Đăng xuất"
ROLE = "Cán bộ công đoàn cấp trên"
LOGIN_ERROR = "Bạn hãy nhập đúng Tên đăng nhập và mật khẩu. (Có phân biệt chữ hoa, thường)"

# The live server answers from another thread, so what a test creates must be committed:
# each test asks for transactional_db (live_server implies it; it is spelled out for the reader).
# `district_staff` is the persona from tests/conftest.py (role "staff", federation A, is_staff).


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/admin/login/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def test_district_staff_logs_in_to_the_vietnamese_admin(
    transactional_db, live_server, page, district_staff, screenshot
):
    page.goto(f"{live_server.url}/admin/login/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_role("button", name="Đăng nhập")).to_be_visible()
    screenshot(page, "admin_login")

    log_in(page, live_server.url, district_staff.username, PASSWORD)

    # Signing in leads to the role's home page (district staff: what needs doing), then to data entry.
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("Việc cần làm")
    page.get_by_role("link", name="Nhập liệu").click()
    expect(page).to_have_url(f"{live_server.url}/admin/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    header = page.locator("header.site-header")
    expect(header).to_contain_text(district_staff.get_full_name() or district_staff.username)
    expect(header).to_contain_text(ROLE)
    expect(header).to_contain_text(district_staff.federation.name)
    expect(page.get_by_role("button", name=LOGOUT)).to_be_visible()
    expect(header).not_to_contain_text("Log out")
    screenshot(page, "admin_index_district_staff")


def test_wrong_password_shows_the_vietnamese_error_and_stays_on_login(
    transactional_db, live_server, page, district_staff, screenshot
):
    log_in(page, live_server.url, district_staff.username, "not-the-password")

    expect(page.locator(".errornote")).to_have_text(LOGIN_ERROR)
    expect(page).to_have_url(re.compile(r"/admin/login/"))
    expect(page.get_by_role("button", name=LOGOUT)).to_have_count(0)
    screenshot(page, "admin_login_wrong_password")
