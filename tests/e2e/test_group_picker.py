"""The member add form in a browser: staff pick a CĐCS and see only its groups; a chair is not asked for theirs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.fixture
def groups(union_a1, union_a2):
    factories.UnionGroupFactory(union=union_a1, name="Tổ Kinh doanh")
    factories.UnionGroupFactory(union=union_a2, name="Tổ Kinh doanh")


def open_group_picker(page):
    page.locator(".field-group .select2-selection").click()
    return page.locator(".select2-results__option")


def test_a_chair_is_not_asked_for_their_union(transactional_db, live_server, page, chair_a1, groups, screenshot):
    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/admin/members/member/add/")
        expect(page.locator(".field-union")).to_have_count(0)
        options = open_group_picker(page)
        expect(options).to_have_count(1)
        screenshot(page, f"member_add_chair_{size}")


def test_staff_see_only_the_groups_of_the_union_they_chose(
    transactional_db, live_server, page, district_staff, union_a1, union_a2, groups, screenshot
):
    factories.UnionGroupFactory(union=union_a2, name="Tổ Sản xuất")
    log_in(page, live_server.url, district_staff.username, PASSWORD)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/admin/members/member/add/")
        page.locator(".field-union .select2-selection").click()
        page.locator(".select2-search__field").fill("A2")
        page.locator(".select2-results__option", has_text=union_a2.name).click()
        options = open_group_picker(page)
        expect(options).to_have_count(2)
        expect(options.filter(has_text="Tổ Sản xuất")).to_have_count(1)
        expect(options.filter(has_text=union_a1.name)).to_have_count(0)
        screenshot(page, f"member_add_staff_{size}")
        page.keyboard.press("Escape")
