"""The member list imported in a real browser, as district staff and as a chair (issue 12).

A sheet as a union office makes it (a title above the header, the headers people type),
through every page: upload, preview with each problem where Excel shows it, the rejected
rows to correct, confirm, the members written and the log. The list is the real one
(apps/members/imports.py), not the fake kind of test_imports.py.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook
from playwright.sync_api import Page, expect

from apps.imports.models import ImportJob
from apps.members.imports import MEMBER_COLUMNS
from apps.members.models import Member
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.test_admin_login import log_in
from tests.e2e.test_content_security_policy import watch_for_violations

pytestmark = pytest.mark.e2e

SIZES = {"desktop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
FILENAME = "Danh sách đoàn viên 2026.xlsx"
# Headers as union offices type them: none is the template's own spelling.
HEADER = ["STT", "Họ tên", "Giới tính (Nam/Nữ)", "Ngày tháng năm sinh", "Số CMND/CCCD", "SĐT", "Ngày kết nạp"]
# Excel's row numbers: a title, a subtitle and a blank line sit above the header (row 4).
FIRST_ROW = 5

# One row per case, (name, gender, born, CCCD, phone, joined); born and joined as a real date cell or as text.
NEW = ("Trần Thị Lan", "Nữ", "05/06/1990", "001190012345", "0912345678", dt.date(2015, 3, 1))
UPDATED = ("Nguyễn Văn Bình", "Nam", "03/02/1989", "001089000111", "0987000222", "01/01/2020")
UNCHANGED = ("Phạm Thị Hoa", "nữ", dt.date(1992, 11, 20), "001192000222", "0987000333", dt.date(2020, 1, 1))
BAD_DATE = ("Lê Văn Ba", "Nam", "31/02/1990", "001090000444", "0912000444", "01/09/2018")
TWICE = ("Đỗ Minh Châu", "Nam", "12/12/1995", "001095000777", "0912000777", "01/06/2021")
ELSEWHERE = ("Vũ Thị Mai", "Nữ", "08/08/1993", "001193000888", "0912000888", "01/05/2022")
ROWS = [NEW, UPDATED, UNCHANGED, BAD_DATE, TWICE, TWICE]

BAD_DATE_MESSAGE = "Ngày không hợp lệ: “31/02/1990”, ghi theo dạng dd/mm/yyyy."


def member_sheet(rows, *, unions: list[str] | None = None) -> bytes:
    """An .xlsx as a union office sends it; ``unions`` fills a "Mã CĐCS" column, one code per row."""
    book = Workbook()
    sheet = book.active
    sheet.title = "DS đoàn viên"
    sheet.append(["DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN TRƯỜNG THCS NGÔ QUYỀN"])
    sheet.append(["(Kèm theo công văn số 12/CĐ-NQ ngày 02/12/2026)"])
    sheet.append([])
    header = list(HEADER)
    if unions is not None:
        header.insert(1, "Mã CĐCS")
    sheet.append(header)
    for number, cells in enumerate(rows, start=1):
        values = [number, *cells]
        if unions is not None:
            values.insert(1, unions[number - 1])
        sheet.append(values)
    for row in sheet.iter_rows(min_row=FIRST_ROW):
        for cell in row:
            if isinstance(cell.value, dt.date):
                cell.number_format = "dd/mm/yyyy"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def shoot(page: Page, screenshot, name: str) -> None:
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        screenshot(page, f"member_import_{name}_{size}")
    page.set_viewport_size(SIZES["desktop"])


def fits_a_phone(page: Page, table: str) -> bool:
    """Whether ``table`` is read on a phone without scrolling sideways (every cell beside its header's name)."""
    page.set_viewport_size(SIZES["phone"])
    try:
        return page.locator(table).evaluate(
            "table => table.parentElement.scrollWidth <= table.parentElement.clientWidth"
        )
    finally:
        page.set_viewport_size(SIZES["desktop"])


def counts_shown(page: Page) -> dict[str, str]:
    cards = page.locator(".import-counts .card")
    return {
        cards.nth(index).locator(".label").inner_text(): cards.nth(index).locator(".value").inner_text()
        for index in range(cards.count())
    }


def problems_shown(page: Page) -> list[tuple[str, ...]]:
    rows = page.locator("table.problems tbody tr")
    return [tuple(rows.nth(index).locator("td").all_inner_texts()) for index in range(rows.count())]


@pytest.fixture
def on_record(union_a1, union_a2):
    """Two members of A1 the sheet names again, and one of A2 no import into A1 may touch."""
    return {
        "updated": factories.MemberFactory(
            union=union_a1,
            full_name="Nguyễn Văn Bình",
            gender="male",
            date_of_birth=dt.date(1989, 2, 3),
            national_id="001089000111",
            phone="0987000111",
            joined_union_on=dt.date(2020, 1, 1),
        ),
        "unchanged": factories.MemberFactory(
            union=union_a1,
            full_name="Phạm Thị Hoa",
            gender="female",
            date_of_birth=dt.date(1992, 11, 20),
            national_id="001192000222",
            phone="0987000333",
            joined_union_on=dt.date(2020, 1, 1),
        ),
        "other_union": factories.MemberFactory(union=union_a2, full_name="Hoàng Văn Nam", phone="0912999999"),
    }


# Who uploads, how the CĐCS is told, and the extra row naming a CĐCS the file may not import into.
CASES = {
    # District staff choose the CĐCS on the form; the sheet has no CĐCS column.
    "staff_choosing": ("district_staff", "A1", None, None),
    # District staff leave the form empty; each row names its CĐCS, one of them a union of another district.
    "staff_by_column": (
        "district_staff",
        "",
        ["A1", "A1", "A1", "A1", "A1", "A1", "B1"],
        "CĐCS “B1” không tồn tại hoặc nằm ngoài phạm vi của bạn.",
    ),
    # A chair has nothing to choose; the template's CĐCS column may be blank, and a row naming A2 is refused.
    "chair": (
        "chair_a1",
        None,
        ["A1", "", "Công đoàn Trường THCS Ngô Quyền", "A1", "", "", "A2"],
        "Bạn chỉ được nhập vào CĐCS của mình.",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_member_sheet_from_upload_to_the_import_log(
    transactional_db, live_server, page, request, case, union_a1, union_b1, on_record, screenshot, tmp_path
):
    persona, union_field, unions, elsewhere_message = CASES[case]
    user = request.getfixturevalue(persona)
    rows = ROWS + ([ELSEWHERE] if unions else [])
    before_elsewhere = Member.objects.exclude(union=union_a1).values_list("pk", "full_name", "phone", "updated_at")
    before_elsewhere = set(before_elsewhere)
    unchanged_at = on_record["unchanged"].updated_at
    console = watch_for_violations(page)
    log_in(page, live_server.url, user.username, PASSWORD)

    page.goto(f"{live_server.url}/imports/")
    page.get_by_role("link", name="Nhập đoàn viên").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập đoàn viên")
    if union_field is None:
        # One possible CĐCS: no field to fill, a sentence saying where the rows go.
        expect(page.get_by_label("Mã CĐCS")).to_have_count(0)
        expect(page.locator(".upload-form")).to_contain_text("Các dòng sẽ được nhập vào CĐCS của bạn")
    shoot(page, screenshot, f"upload_{case}")
    page.get_by_label("Tệp (.xlsx, .xls, .ods hoặc .csv)").set_input_files(
        {
            "name": FILENAME,
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": member_sheet(rows, unions=unions),
        }
    )
    if union_field:
        page.get_by_label("Mã CĐCS").fill(union_field)
    page.get_by_role("button", name="Xem trước").click()

    # The preview: counts, and every problem at Excel's row, under the header as the file writes it.
    expect(page.locator("#job-status")).to_have_text("đã kiểm tra, chờ xác nhận")
    rejected = 4 if unions else 3
    assert counts_shown(page) == {
        "dòng sẽ tạo mới": "1",
        "dòng sẽ cập nhật": "1",
        "dòng không thay đổi": "1",
        "dòng bị từ chối": str(rejected),
    }
    twice = FIRST_ROW + ROWS.index(TWICE)
    expected_problems = [
        (str(FIRST_ROW + 3), "Ngày tháng năm sinh", BAD_DATE_MESSAGE),
        (str(twice), "Số CMND/CCCD", f"Số CCCD này cũng có ở dòng {twice + 1}; mỗi người chỉ ghi một dòng."),
        (str(twice + 1), "Số CMND/CCCD", f"Số CCCD này cũng có ở dòng {twice}; mỗi người chỉ ghi một dòng."),
    ]
    if unions:
        expected_problems.append((str(FIRST_ROW + len(ROWS)), "Mã CĐCS", elsewhere_message))
    assert problems_shown(page) == expected_problems
    expect(page.get_by_role("heading", name=f"{len(expected_problems)} lỗi")).to_be_visible()
    assert not Member.objects.filter(full_name="Trần Thị Lan").exists()  # nothing written before confirming
    shoot(page, screenshot, f"preview_{case}")
    assert fits_a_phone(page, "table.problems")

    # The rejected rows: the file's own header (not its title rows), the cells as typed, and why.
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải các dòng bị từ chối").click()
    assert download.value.suggested_filename.startswith("cac-dong-bi-tu-choi_danh-sach-doan-vien-2026_")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    header, *sent_back = load_workbook(saved).active.iter_rows(values_only=True)
    assert list(header) == [*([*HEADER[:1], "Mã CĐCS", *HEADER[1:]] if unions else HEADER), "Lỗi"]
    assert [(row[header.index("Họ tên")], row[-1]) for row in sent_back] == [
        (name_of(problem), f"{problem[1]}: {problem[2]}") for problem in expected_problems
    ]
    assert sent_back[0][header.index("Ngày tháng năm sinh")] == "31/02/1990"

    page.get_by_role("button", name="Xác nhận nhập dữ liệu").click()
    expect(page.locator("#job-status")).to_have_text("đã nhập xong")
    assert counts_shown(page)["dòng đã tạo mới"] == "1" and counts_shown(page)["dòng đã cập nhật"] == "1"

    # In the database: the new member and the new phone, nothing of a rejected row, nothing outside A1.
    created = Member.objects.get(national_id="001190012345")
    assert (created.union, created.full_name, created.gender) == (union_a1, "Trần Thị Lan", "female")
    assert (created.date_of_birth, created.joined_union_on, created.phone) == (
        dt.date(1990, 6, 5),
        dt.date(2015, 3, 1),
        "0912345678",
    )
    assert Member.objects.get(pk=on_record["updated"].pk).phone == "0987000222"
    assert Member.objects.get(pk=on_record["unchanged"].pk).updated_at == unchanged_at
    assert set(Member.objects.filter(union=union_a1).values_list("full_name", flat=True)) == {
        "Trần Thị Lan",
        "Nguyễn Văn Bình",
        "Phạm Thị Hoa",
    }
    assert not Member.objects.filter(full_name__in=["Lê Văn Ba", "Đỗ Minh Châu", "Vũ Thị Mai"]).exists()
    after_elsewhere = Member.objects.exclude(union=union_a1).values_list("pk", "full_name", "phone", "updated_at")
    assert set(after_elsewhere) == before_elsewhere

    # The log: who, which file, into which CĐCS, with what outcome.
    page.goto(f"{live_server.url}/imports/")
    job = ImportJob.objects.get()
    assert (job.union, job.created_by, job.status) == (union_a1 if union_field != "" else None, user, "done")
    row = page.locator("table.import-log tbody tr").first
    expect(row).to_contain_text(FILENAME)
    expect(row).to_contain_text("đã nhập xong")
    cells = row.locator("td").all_inner_texts()
    assert cells[2:] == [
        "đoàn viên",
        FILENAME,
        "A1" if union_field != "" else "–",
        "1",
        "1",
        "1",
        str(rejected),
        "đã nhập xong",
    ]
    shoot(page, screenshot, f"log_{case}")
    assert fits_a_phone(page, "table.import-log")
    assert page.evaluate("window.__cspViolations") == [] and console == []


def name_of(problem: tuple[str, ...]) -> str:
    """The name on the sheet row a preview problem points at."""
    return ([*ROWS, ELSEWHERE][int(problem[0]) - FIRST_ROW])[0]


@pytest.mark.parametrize("persona", ["district_staff", "chair_a1"])
def test_the_member_template_from_the_import_page(transactional_db, live_server, page, request, persona, tmp_path):
    user = request.getfixturevalue(persona)
    log_in(page, live_server.url, user.username, PASSWORD)
    page.goto(f"{live_server.url}/imports/")
    page.get_by_role("link", name="Nhập đoàn viên").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải mẫu").click()
    assert download.value.suggested_filename == "mau-nhap-doan-vien.xlsx"
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)

    book = load_workbook(saved)
    # The drop-down values sit on a hidden sheet (a list typed into the rule is cut at 255 characters).
    assert book.sheetnames == ["Đoàn viên", "Hướng dẫn", "Danh mục"] and book["Danh mục"].sheet_state == "hidden"
    data, guide = book["Đoàn viên"], book["Hướng dẫn"]
    headers = [cell.value for cell in data[1]]
    assert headers == [column.header for column in MEMBER_COLUMNS]
    assert {"Mã CĐCS", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Ngày vào công đoàn"} <= set(headers)
    letter = "ABCDEFGHIJKL"[headers.index("Giới tính")]
    (gender,) = [rule for rule in data.data_validations.dataValidation if str(rule.sqref).startswith(letter)]
    assert gender.type == "list" and gender.formula1 == f"'Danh mục'!${letter}$1:${letter}$2"
    assert [book["Danh mục"][f"{letter}1"].value, book["Danh mục"][f"{letter}2"].value] == ["Nam", "Nữ"]
    assert str(gender.sqref).startswith(f"{letter}2:{letter}")
    assert data.max_row == 1  # no example row that could be imported by mistake
    guide_rows = list(guide.iter_rows(values_only=True))
    assert guide_rows[0][:4] == ("Cột", "Bắt buộc", "Cách ghi", "Ví dụ")
    required = {row[0]: row[1] == "Có" for row in guide_rows[1 : len(MEMBER_COLUMNS) + 1]}
    assert list(required) == headers
    assert required["Họ và tên"] and required["Ngày vào công đoàn"] and not required["Điện thoại"]
