"""The portal's pages look the same whatever colour scheme the device prefers: Pico's light theme is forced."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e


def test_a_dark_device_still_gets_the_light_pages(transactional_db, live_server, page, chair_a1, union_a1):
    page.emulate_media(color_scheme="dark")
    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    page.goto(f"{live_server.url}/cdcs/{union_a1.pk}/members/")
    main = page.locator("main.pico")
    # Pico's light background and text colours (its dark scheme would be rgb(19, 23, 31) and #c2c7d0).
    assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == "light"
    assert main.evaluate("element => getComputedStyle(element).color") == "rgb(55, 60, 68)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
