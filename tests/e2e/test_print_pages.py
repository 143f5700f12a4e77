"""The pages to print, in a real browser: the member list and the member cards on A4, on screen and as PDF."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
MM = 96 / 25.4  # CSS pixels in a millimetre


def pdf_of(page: Page, name: str) -> bytes:
    """The page as Chromium prints it ("Save as PDF"), kept beside the screenshots to look at."""
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / f"{name}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    return pdf


def pages_in(pdf: bytes) -> list[tuple[float, float]]:
    """The size in mm of each page of ``pdf`` (Chromium writes its page objects uncompressed)."""
    boxes = re.findall(rb"/Type /Page\b(?!s).*?/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf, re.S)
    return [(round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)) for width, height in boxes]


def shoot(page: Page, screenshot, name: str) -> None:
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        screenshot(page, f"{name}_{size}")
    page.set_viewport_size({"width": 1366, "height": 768})


def test_the_member_list_prints_on_a4_with_its_header_on_every_page(
    transactional_db, live_server, page, district_staff, union_a1, screenshot
):
    office = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.MemberFactory(union=union_a1, group=office, full_name="Nguyễn Thị Hoa", gender="female")
    factories.MemberFactory.create_batch(44, union=union_a1, group=office)  # more than one sheet of paper

    log_in(page, live_server.url, district_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/unions/grassrootsunion/{union_a1.pk}/change/")
    page.get_by_role("link", name="In danh sách đoàn viên").click()
    expect(page.get_by_role("heading", name="DANH SÁCH ĐOÀN VIÊN")).to_be_visible()
    expect(page.get_by_role("cell", name="Nguyễn Thị Hoa")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Ký tên")).to_be_visible()
    expect(page.get_by_text("Tổng số: 45 đoàn viên, trong đó nữ: 1.")).to_be_visible()
    shoot(page, screenshot, "print_members")

    # "In" opens the browser's print dialog (wired by print.js: no inline handler).
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.get_by_role("button", name="In", exact=True).click()
    assert page.evaluate("window.__printed") is True

    pages = pages_in(pdf_of(page, "print_members"))
    assert len(pages) >= 2 and set(pages) == {(210, 297)}, pages
    page.emulate_media(media="print")
    expect(page.locator(".print-toolbar")).to_be_hidden()
    header = page.locator(".roster-table thead")
    assert header.evaluate("element => getComputedStyle(element).display") == "table-header-group"
    screenshot(page, "print_members_paper")

    page.emulate_media(media="screen")
    page.get_by_role("link", name="Quay lại").click()
    expect(page).to_have_url(re.compile(rf"/admin/unions/grassrootsunion/{union_a1.pk}/change/$"))


def test_a_chair_prints_a_groups_roster(transactional_db, live_server, page, chair_a1, union_a1, screenshot):
    office = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.MemberFactory(union=union_a1, group=office, full_name="Nguyễn Thị Hoa", national_id="001190000031")
    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/union_groups/uniongroup/{office.pk}/change/")
    page.get_by_role("link", name="In danh sách tổ").click()
    expect(page.get_by_text("Tổ công đoàn: Tổ Văn phòng")).to_be_visible()
    expect(page.get_by_role("cell", name="001190000031")).to_be_visible()
    shoot(page, screenshot, "print_group")
    assert len(pages_in(pdf_of(page, "print_group"))) == 1


def test_member_cards_print_at_id_card_size_ten_to_a_sheet(
    transactional_db, live_server, page, district_staff, union_a1, screenshot
):
    factories.MemberFactory(union=union_a1, full_name="Nguyễn Thị Phương Hoa", card_number="TH-0001")
    factories.MemberFactory.create_batch(11, union=union_a1)

    log_in(page, live_server.url, district_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/unions/grassrootsunion/{union_a1.pk}/change/")
    page.get_by_role("link", name="In thẻ đoàn viên").click()
    card = page.locator(".member-card", has_text="Nguyễn Thị Phương Hoa")
    expect(card).to_contain_text("TH-0001")
    expect(card).to_contain_text(union_a1.name)
    expect(card.get_by_role("img", name="Mã QR mở trang của đoàn viên Nguyễn Thị Phương Hoa")).to_be_visible()
    shoot(page, screenshot, "print_cards")

    assert pages_in(pdf_of(page, "print_cards")) == [(210, 297), (210, 297)]  # 10 + 2 cards
    page.emulate_media(media="print")
    box = card.bounding_box()
    assert box is not None
    assert (round(box["width"] / MM, 1), round(box["height"] / MM, 1)) == (85.6, 54.0)
    qr = card.locator("svg").bounding_box()
    assert qr is not None and qr["width"] / MM >= 25  # big enough for a phone's camera
    screenshot(page, "print_cards_paper")


def test_a_small_unions_handover_record_prints_on_one_a4_page(
    transactional_db, live_server, page, district_staff, union_a1, screenshot
):
    from tests.handover.test_handover import dissolve

    factories.MemberFactory.create_batch(3, union=union_a1)
    dissolve(union_a1)
    log_in(page, live_server.url, district_staff.username, PASSWORD)
    page.goto(f"{live_server.url}/admin/unions/grassrootsunion/{union_a1.pk}/change/")
    page.get_by_role("link", name="Hồ sơ bàn giao").click()
    expect(page.get_by_role("heading", name="BIÊN BẢN BÀN GIAO HỒ SƠ, TÀI LIỆU")).to_be_visible()
    expect(page.get_by_text("(Số liệu tính đến hết ngày 14/06/2025)")).to_be_visible()
    expect(page.get_by_text("ĐẠI DIỆN BÊN NHẬN")).to_be_visible()
    shoot(page, screenshot, "print_handover")
    assert pages_in(pdf_of(page, "print_handover")) == [(210, 297)]
