"""A union chair, in a real browser, sees only their own union and gets "not found" elsewhere."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e


def test_chair_sees_only_their_union_and_not_found_elsewhere(
    transactional_db, live_server, page, chair_a1, union_a1, union_a2, screenshot
):
    own = factories.MemberFactory(union=union_a1, full_name="Nguyễn Thị Hoa")
    other = factories.MemberFactory(union=union_a2, full_name="Trần Văn Khác", national_id="079190009999")

    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/members/member/")
    results = page.locator("#result_list")
    expect(results).to_contain_text(own.full_name)
    expect(results).not_to_contain_text(other.full_name)
    screenshot(page, "chair_member_list")

    page.goto(f"{live_server.url}/admin/unions/grassrootsunion/")
    expect(page.locator("#result_list")).to_contain_text(union_a1.name)
    expect(page.locator("#result_list")).not_to_contain_text(union_a2.name)

    response = page.goto(f"{live_server.url}/admin/members/member/{other.pk}/change/")
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Không tìm thấy")
    expect(page.locator("body")).not_to_contain_text(other.full_name)
    expect(page.locator("body")).not_to_contain_text(other.national_id)
    screenshot(page, "chair_other_union_not_found")
