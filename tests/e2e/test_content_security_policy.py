"""The portal's pages, the admin and the charts work under the Content-Security-Policy, in a real browser."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e

# Registered before any of the page's own code runs (Playwright's init scripts are not the
# page's, so the policy does not apply to them): every violation the browser reports.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


def watch_for_violations(page: Page) -> list[str]:
    """Console messages about the policy, collected for the whole life of ``page``."""
    console: list[str] = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.add_init_script(RECORD_VIOLATIONS)
    return console


def violations_on(page: Page, url: str, console: list[str]) -> list[str]:
    """Open ``url`` and return what the browser reported against the policy there."""
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    found = [*page.evaluate("window.__cspViolations"), *console]
    console.clear()
    return found


def test_sign_in_page_and_dashboard_charts_satisfy_the_policy(transactional_db, live_server, page, leader, figures):
    console = watch_for_violations(page)
    assert violations_on(page, f"{live_server.url}/admin/login/", console) == []
    log_in(page, live_server.url, leader.username, PASSWORD)
    assert violations_on(page, f"{live_server.url}/dashboard/?as_of=2021-07-09", console) == []
    for chart in ("#trend-chart", "#sector-chart"):
        assert page.locator(chart).evaluate("canvas => canvas.width") > 0, "Chart.js drew the chart"
    # The print and copy buttons are wired by the script file, not by inline handlers.
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="In", exact=True).click()
    assert page.evaluate("window.__printed") is True
    drill_down = f"{live_server.url}/dashboard/?as_of=2021-07-09&sector={figures.union.sector_id}"
    assert violations_on(page, drill_down, console) == []


def test_admin_pages_satisfy_the_policy(transactional_db, live_server, page, district_staff, figures):
    member = figures
    console = watch_for_violations(page)
    log_in(page, live_server.url, district_staff.username, PASSWORD)
    base = f"{live_server.url}/admin"
    found = {}
    for path in (
        "/",
        "/members/member/",
        f"/members/member/{member.pk}/change/",
        "/members/member/add/",
        f"/members/member/{member.pk}/history/",
        f"/unions/grassrootsunion/{member.union_id}/change/",
        f"/members/member/{member.pk}/transfer/",
        "/members/member/?q=nguyen",
        "/unions/grassrootsunion/",
        "/union_groups/uniongroup/add/",
        "/meetings/meeting/add/",
        "/accounts/user/add/",
        "/password_change/",
    ):
        if violations := violations_on(page, f"{base}{path}", console):
            found[path] = violations
    # Members are imported through the import pages, linked from the member list.
    upload = reverse("imports:upload", args=["members"])
    if violations := violations_on(page, f"{live_server.url}{upload}", console):
        found[upload] = violations
    assert found == {}
    # The widgets that run scripts: the autocomplete (select2) and the date picker.
    page.goto(f"{base}/members/member/add/")
    page.locator(".select2-selection").first.click()
    page.wait_for_selector(".select2-results__option")
    page.keyboard.press("Escape")
    calendar = page.locator(".datetimeshortcuts a").first
    if calendar.count():
        calendar.click()
    assert page.evaluate("window.__cspViolations") == []
    assert console == []
