"""An import walked in a real browser: upload, preview with every problem, rejected rows, confirm."""

from __future__ import annotations

import pytest
from django.test import override_settings
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from apps.imports.models import ImportJob
from apps.unions.models import DepartmentUnion
from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in
from tests.e2e.test_content_security_policy import watch_for_violations
from tests.imports.fake_kind import fake_kind_registered

pytestmark = pytest.mark.e2e

SHEET = (
    "Tên;Ghi chú\n"
    "Tổ Văn phòng;\n"
    '!Tổ Bảo vệ;=HYPERLINK("http://ke-gian.example")\n'
    "Tổ Kế toán;\n"
    "!Tổ Nhà bếp;ca sáng\n"
    "!Tổ Lái xe;\n"
    "Tổ Kỹ thuật;\n"
    "!Tổ Vệ sinh môi trường và cây xanh khu vực phía bắc;ghi chú dài để xem bảng xuống dòng trên điện thoại\n"
)
SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def fake_kind():
    with fake_kind_registered() as kind:
        yield kind


def shoot(page: Page, screenshot, name: str) -> None:
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"import_{name}_{size}")
    page.set_viewport_size(SIZES["desktop"])


def upload(page: Page, url: str, *, union: str = "") -> None:
    page.goto(f"{url}/imports/")
    page.get_by_role("link", name="Nhập tổ thử").click()
    page.get_by_label("Tệp (.xlsx, .xls, .ods hoặc .csv)").set_input_files(
        {"name": "danh-sach-to.csv", "mimeType": "text/csv", "buffer": SHEET.encode()}
    )
    if union:
        page.get_by_label("Mã CĐCS").fill(union)
    page.get_by_role("button", name="Xem trước").click()


@pytest.mark.parametrize("persona", ["district_staff", "chair_a1"])
def test_an_import_from_upload_to_confirmation(
    transactional_db, live_server, page, fake_kind, persona, union_a1, screenshot, request, tmp_path
):
    user = request.getfixturevalue(persona)
    console = watch_for_violations(page)
    log_in(page, live_server.url, user.username, PASSWORD)
    page.goto(f"{live_server.url}/imports/")
    page.get_by_role("link", name="Nhập tổ thử").click()
    if persona == "district_staff":
        shoot(page, screenshot, "upload_staff")
    else:
        expect(page.get_by_label("Mã CĐCS")).to_have_count(0)
    upload(page, live_server.url, union="A1" if persona == "district_staff" else "")

    expect(page.locator(".import-counts")).to_contain_text("3")  # to create
    problems = page.locator("table.problems tbody tr")
    expect(problems).to_have_count(4)
    expect(problems.first).to_contain_text("3")
    expect(problems.first).to_contain_text("Tên không hợp lệ.")
    if persona == "district_staff":
        shoot(page, screenshot, "previewed")

    with page.expect_download() as download:
        page.get_by_role("link", name="Tải các dòng bị từ chối").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0] == ("Tên", "Ghi chú", "Lỗi") and len(rows) == 5
    assert rows[1][1].startswith("'=")

    assert not DepartmentUnion.objects.exists()
    page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
    expect(page.locator("#job-status")).to_have_text("đã nhập xong")
    assert set(DepartmentUnion.objects.filter(union=union_a1).values_list("name", flat=True)) == {
        "Tổ Văn phòng",
        "Tổ Kế toán",
        "Tổ Kỹ thuật",
    }
    page.goto(f"{live_server.url}/imports/")
    expect(page.locator("table.import-log")).to_contain_text("danh-sach-to.csv")
    if persona == "district_staff":
        shoot(page, screenshot, "log")
    assert page.evaluate("window.__cspViolations") == [] and console == []


def test_a_queued_job_shows_a_progress_bar_that_follows_the_job(
    transactional_db, live_server, page, fake_kind, chair_a1, screenshot
):
    console = watch_for_violations(page)
    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    queue = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with override_settings(IMPORTS_INLINE_MAX_BYTES=10, TASKS=queue):
        upload(page, live_server.url)
        expect(page.locator("progress")).to_be_visible()
        job = ImportJob.objects.get()
        ImportJob.objects.filter(pk=job.pk).update(status="previewing", rows_done=40, rows_total=100)
        expect(page.locator("progress")).to_have_attribute("value", "40")
        expect(page.locator("#job-status")).to_have_text("đang kiểm tra tệp")
        shoot(page, screenshot, "progress")
        ImportJob.objects.filter(pk=job.pk).update(
            status="previewed", counts={"created": 1, "updated": 0, "unchanged": 0, "rejected": 0}
        )
        # The page reloads itself when the job is done and shows the outcome.
        expect(page.get_by_role("button", name="Xác nhận nhập dữ liệu")).to_be_visible()
    assert page.evaluate("window.__cspViolations") == [] and console == []
