"""District staff, in a real browser, download a CĐCS's member list and a group's roster from their pages."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}


@pytest.mark.parametrize(
    ("url_of", "button", "name"),
    [
        (lambda union, group: f"/admin/unions/grassrootsunion/{union.pk}/change/", "Xuất danh sách đoàn viên", "cdcs"),
        (lambda union, group: f"/admin/union_groups/uniongroup/{group.pk}/change/", "Xuất danh sách tổ", "to"),
    ],
    ids=["union", "group"],
)
def test_the_change_page_downloads_the_list_as_a_sheet(
    transactional_db, live_server, page, district_staff, union_a1, screenshot, url_of, button, name
):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.MemberFactory(union=union_a1, group=group, full_name="Nguyễn Thị Hoa", gender="female")

    log_in(page, live_server.url, district_staff.username, PASSWORD)
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(live_server.url + url_of(union_a1, group))
        link = page.get_by_role("link", name=button)
        expect(link).to_be_visible()
        screenshot(page, f"export_{name}_{size}")

    with page.expect_download() as download:
        page.get_by_role("link", name=button).click()
    assert download.value.suggested_filename.startswith(("danh-sach-doan-vien_A1_", "danh-sach-to-van-phong_A1_"))
    sheet = load_workbook(BytesIO(Path(download.value.path()).read_bytes())).active
    names = [row[1] for row in sheet.iter_rows(values_only=True)]
    assert "Nguyễn Thị Hoa" in names
