"""The main pages pass axe-core's accessibility rules, as district staff, a chair and a leader.

axe-core (npm, pinned in package-lock.json, installed by ``make install``) is evaluated in each
page through the DevTools protocol: ``page.add_script_tag`` would add an inline <script>, which
the Content-Security-Policy refuses (test_the_policy_refuses_an_injected_script_tag), while
Playwright's own ``evaluate`` is not the page's script and runs whatever the policy says.
A violation of impact "serious" or "critical" fails the test, printed with where it is.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = {"serious", "critical"}
ROLES = ("district_staff", "chair_a1", "leader")


@dataclass(frozen=True)
class Checked:
    """A page to check: its path ({union}, {group} and {member} are filled in) and who opens it."""

    path: str
    roles: tuple[str, ...] = ROLES


# Every page the check walks, as each role that may open it. Add new pages here.
PAGES: dict[str, Checked] = {
    "dashboard": Checked("/dashboard/?as_of=2021-07-09"),
    "import log": Checked("/imports/"),
    "import upload": Checked("/imports/new/members/", roles=("district_staff", "chair_a1")),
    "admin index": Checked("/admin/"),
    "member list": Checked("/admin/members/member/"),
    "member form": Checked("/admin/members/member/{member}/change/"),
    "printed member list": Checked("/admin/unions/grassrootsunion/{union}/members/print/"),
    "printed group roster": Checked("/admin/union_groups/uniongroup/{group}/roster/print/"),
    "member cards": Checked("/admin/unions/grassrootsunion/{union}/cards/print/"),
    "home": Checked("/"),
    "union overview": Checked("/dashboard/cdcs/{union}/"),
    "union members": Checked("/cdcs/{union}/members/"),
    "union groups": Checked("/cdcs/{union}/groups/"),
    "union transfers": Checked("/cdcs/{union}/transfers/"),
    "member add": Checked("/cdcs/{union}/members/new/", roles=("district_staff", "chair_a1")),
    "site search": Checked("/search/?q=nguyen"),
    "account security": Checked("/account/security/"),
    "authenticator setup": Checked("/account/security/authenticator/"),
    "meetings": Checked("/meetings/"),
    "meetings calendar": Checked("/meetings/calendar/?month=2021-07"),
    "meeting": Checked("/meetings/{meeting}/"),
    "meeting minutes": Checked("/meetings/{meeting}/minutes/"),
    "meeting form": Checked("/meetings/new/", roles=("district_staff", "chair_a1")),
    "meeting attendance": Checked("/meetings/{meeting}/attendance/", roles=("district_staff", "chair_a1")),
    "group meeting from a phone": Checked("/meetings/groups/{group}/new/", roles=("district_staff", "chair_a1")),
}


def axe_source() -> str:
    if not AXE.exists():
        message = f"{AXE} not found: run `make install` (npm ci) to install axe-core."
        if os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page, source: str) -> list[str]:
    """axe-core's serious and critical violations on the open page, one line per element."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    found = []
    for violation in results["violations"]:
        if violation["impact"] not in FAILING_IMPACTS:
            continue
        for node in violation["nodes"]:
            where = " ".join(json.dumps(target, ensure_ascii=False) for target in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} at {where}: {summary}")
    return found


@pytest.fixture
def world(union_a1):
    """Something on every page: a declared workforce, a group with members, the member to open."""
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2021, 1, 1), total_workers=10, female_workers=6)
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    member = factories.MemberFactory(
        union=union_a1, group=group, full_name="Nguyễn Thị Hoa", gender="female", card_number="A1-0001"
    )
    factories.MemberFactory.create_batch(3, union=union_a1, group=group)
    meeting = factories.MeetingFactory(
        federation=union_a1.federation,
        organiser_union=union_a1,
        group=group,
        kind="group_meeting",
        status="held",
        title="Sinh hoạt Tổ Văn phòng tháng 07/2021",
        topics="Báo cáo tình hình\nKế hoạch quý III",
    )
    factories.AttendanceFactory(
        meeting=meeting, member=member, union=union_a1, name=member.full_name, presence="present"
    )
    return {"union": union_a1.pk, "group": group.pk, "member": member.pk, "meeting": meeting.pk}


@pytest.mark.parametrize("role", ROLES)
def test_the_main_pages_have_no_serious_accessibility_violations(
    transactional_db, live_server, page, request, world, role
):
    source = axe_source()
    user = request.getfixturevalue(role)
    log_in(page, live_server.url, user.username, PASSWORD)
    problems = {}
    for name, checked in PAGES.items():
        if role not in checked.roles:
            continue
        url = live_server.url + checked.path.format(**world)
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{name}: {url} answered {response and response.status}"
        page.wait_for_load_state("networkidle")
        if found := serious_violations(page, source):
            problems[f"{name} ({checked.path})"] = found
    report = "\n".join(f"{page_name}:\n  " + "\n  ".join(lines) for page_name, lines in problems.items())
    assert not problems, f"serious accessibility violations as {role}:\n{report}"


def test_the_policy_refuses_an_injected_script_tag(transactional_db, live_server, page, district_staff):
    """Why the check evaluates axe-core rather than adding it as a <script>: the policy blocks that."""
    log_in(page, live_server.url, district_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/")
    axe_source()  # skips (or fails in CI) without axe-core
    with pytest.raises(PlaywrightError, match="violates the following Content Security Policy directive"):
        page.add_script_tag(path=str(AXE))
    assert page.evaluate("typeof window.axe") == "undefined"
