"""Browser fixtures: Debian's chromium driven by Playwright's sync API.

The browser is Debian's package, not one downloaded by ``playwright install``: CI and
developers' machines install it with ``apt-get install chromium``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests import factories

# Playwright's sync API keeps an asyncio event loop *running* in the test thread from
# start() to stop(), i.e. for the whole session once the session-scoped browser is up.
# Django then takes every ORM call made from that thread (factories, assertions, and the
# non-browser tests that pytest runs afterwards) for a call from async code and raises
# SynchronousOnlyOperation. Nothing here is async: the loop only carries Playwright's
# messages and the live server answers requests in its own thread, so the check is off.
# It is an environment variable (read by Django at each call), hence it applies to the
# rest of the test process too.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium, shared by the whole session."""
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} not found: the browser tests need Debian's chromium (apt-get install chromium)."
        if _in_ci():
            # In CI a missing browser is a broken environment, never a reason to skip.
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_locale() -> str:
    """The browser's language; override with ``@pytest.mark.parametrize("browser_locale", [...])``."""
    return "vi-VN"


@pytest.fixture
def page(browser: Browser, browser_locale: str) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies carried over from another test)."""
    context = browser.new_context(
        locale=browser_locale,
        timezone_id="Asia/Ho_Chi_Minh",
        viewport={"width": 1280, "height": 800},
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """Save a full-page screenshot as var/screenshots/<name>.png and return its path."""

    def save(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture
def figures(union_a1, union_a2):
    """Two unions with workforce declared and members (four women in one, five in the other); one member is returned."""
    for union in (union_a1, union_a2):
        factories.WorkforceDeclarationFactory(
            union=union, as_of=dt.date(2021, 1, 1), total_workers=10, female_workers=6
        )
    factories.MemberFactory.create_batch(4, union=union_a1, gender="female")
    return factories.MemberFactory.create_batch(5, union=union_a2)[0]
