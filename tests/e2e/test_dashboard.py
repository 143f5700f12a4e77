"""A leader opens the dashboard in a real browser, on a desktop and on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 390, "height": 844}], ids=["desktop", "phone"]
)
def test_leader_reads_the_dashboard(transactional_db, live_server, page, leader, figures, screenshot, viewport):
    page.set_viewport_size(viewport)
    log_in(page, live_server.url, leader.username, PASSWORD)
    page.goto(f"{live_server.url}/dashboard/?as_of=2021-07-09")
    expect(page.locator("h1")).to_contain_text("09/07/2021")
    expect(page.locator(".cards")).to_contain_text("9 / 20")
    expect(page.locator(".cards")).to_contain_text("45,0 %")
    expect(page.locator("#report-text")).to_contain_text("9 đoàn viên/20 người lao động (đạt 45,0 %)")
    # Chart.js drew something on both canvases (a blank canvas has zero width until a chart sizes it).
    for chart in ("#trend-chart", "#sector-chart"):
        assert page.locator(chart).evaluate("canvas => canvas.width") > 0
    # Nothing overflows sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    screenshot(page, f"dashboard_leader_{viewport['width']}")
