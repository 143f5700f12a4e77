"""The meeting form looks CĐCS up as staff type: the organiser field and the invitation finder share one lookup."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.browser_problems import watch_for_problems
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e


def test_staff_find_the_organiser_and_the_invited_unions_by_name(
    transactional_db, live_server, page, district_staff, union_a1, union_a2
):
    problems = watch_for_problems(page)
    log_in(page, live_server.url, "canbo", PASSWORD)
    page.goto(f"{live_server.url}/meetings/new/")

    # The organiser field (union_lookup.js on its own).
    page.locator("#id_organiser").press_sequentially("ngo quyen", delay=30)
    expect(page.locator("#union-choices option")).to_have_count(1)
    assert page.locator("#union-choices option").get_attribute("value") == "A1"

    # The invitation finder (meeting_invites.js through the same lookup): picking adds the code as a line.
    finder = page.locator("#invite-find")
    expect(finder).to_be_visible()
    finder.press_sequentially("may thang", delay=30)
    expect(page.locator("#invite-choices option")).to_have_count(1)
    finder.fill("A2")
    expect(page.locator("#id_invited")).to_have_value("A2")
    expect(finder).to_have_value("")
    # The same term asked again after a pick is looked up again.
    finder.press_sequentially("may thang", delay=30)
    finder.fill("A2")
    expect(page.locator("#id_invited")).to_have_value("A2")
    assert problems == []
