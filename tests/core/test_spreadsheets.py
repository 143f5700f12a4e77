"""The spreadsheet writer keeps text as text, and an uploaded .xlsx is checked before it is unpacked."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.http import StreamingHttpResponse
from openpyxl import Workbook, load_workbook

from apps.core import spreadsheets
from tests.hostile_files import many_entries, workbook, zip_bomb

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]


@pytest.mark.parametrize("trigger", TRIGGERS)
def test_text_that_could_start_a_formula_gets_an_apostrophe(trigger):
    assert spreadsheets.neutralise(f'{trigger}HYPERLINK("http://x","y")') == f'\'{trigger}HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    "value", [-5, -1.5, Decimal("-2.50"), 0, dt.date(2021, 7, 9), dt.datetime(2021, 7, 9, 14, 30), None, True]
)
def test_numbers_dates_and_empty_cells_stay_real_values(value):
    assert spreadsheets.neutralise(value) is value


@pytest.mark.parametrize("text", ["Nguyễn Thị Hoa", "0912 345 678", "hoa@example.org", " =1+1", "95,9 %", ""])
def test_ordinary_text_is_untouched(text):
    assert spreadsheets.neutralise(text) == text


def test_xlsx_writer_keeps_formula_text_as_text_and_numbers_as_numbers():
    book = Workbook()
    # Appended the plain way: openpyxl takes the first cell for a formula until the writer sees it.
    book.active.append(['=HYPERLINK("http://x","y")', -5, dt.date(2021, 7, 9), "@SUM(A1)"])
    spreadsheets.append_row(book.create_sheet("Hai"), ["+1+2", None, -1.5])

    saved = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(book)))
    formula, number, day, at_sign = saved.worksheets[0][1]
    assert (formula.data_type, formula.value) == ("s", '\'=HYPERLINK("http://x","y")')
    assert (number.data_type, number.value) == ("n", -5)
    assert day.value == dt.datetime(2021, 7, 9)
    assert at_sign.value == "'@SUM(A1)"
    plus, empty, negative = saved.worksheets[1][1]
    assert (plus.data_type, plus.value, empty.value, negative.data_type, negative.value) == (
        "s",
        "'+1+2",
        None,
        "n",
        -1.5,
    )


def download(columns, rows, extension: str) -> tuple[StreamingHttpResponse, bytes]:
    response = spreadsheets.table_download(
        columns, rows, extension=extension, title="Danh sách", filename=f"ds.{extension}"
    )
    return response, response.getvalue()


def test_a_csv_download_is_utf8_with_a_byte_order_mark_dates_day_first_and_text_neutralised():
    columns = [spreadsheets.TableColumn("Họ và tên"), spreadsheets.TableColumn("Số"), spreadsheets.TableColumn("Ngày")]
    response, data = download(columns, [["=1+2", -5, dt.date(1990, 6, 5)], ["\r=cmd", 3, None]], "csv")
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="ds.csv"'
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows == [["Họ và tên", "Số", "Ngày"], ["'=1+2", "-5", "05/06/1990"], ["'\r=cmd", "3", ""]]


def test_an_xlsx_download_has_typed_cells_a_bold_frozen_header_and_fitted_widths():
    columns = [
        spreadsheets.TableColumn("Họ và tên"),
        spreadsheets.TableColumn("Số CCCD"),
        spreadsheets.TableColumn("Ngày sinh", spreadsheets.DATE_FORMAT),
        spreadsheets.TableColumn("Số dư", spreadsheets.COUNT_FORMAT),
    ]
    rows = [["-Nguyễn Thị Phương Anh", "001190000021", dt.date(1990, 6, 5), -5], ["=HYPERLINK(1)", None, None, 1234]]
    response, data = download(columns, rows, "xlsx")
    assert response.streaming and response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Danh sách" and sheet.freeze_panes == "A2"
    assert [cell.value for cell in sheet[1]] == ["Họ và tên", "Số CCCD", "Ngày sinh", "Số dư"]
    assert all(cell.font.bold for cell in sheet[1])
    name, number, born, balance = sheet[2]
    assert (name.value, name.data_type) == ("'-Nguyễn Thị Phương Anh", "s")
    assert (number.value, number.data_type) == ("001190000021", "s")  # the leading zeros stay
    assert born.value == dt.datetime(1990, 6, 5) and born.number_format == "dd/mm/yyyy"
    assert (balance.value, balance.data_type, balance.number_format) == (-5, "n", "#,##0")
    assert sheet["A3"].value == "'=HYPERLINK(1)" and sheet["A3"].data_type == "s"
    assert not [cell for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert sheet.column_dimensions["A"].width >= len("'-Nguyễn Thị Phương Anh")
    assert sheet.column_dimensions["B"].width < sheet.column_dimensions["A"].width


def test_an_empty_list_is_still_a_sheet_with_its_header():
    for extension in ("xlsx", "csv"):
        _response, data = download([spreadsheets.TableColumn("Họ và tên")], [], extension)
        assert data


# --- uploads -------------------------------------------------------------------------------


def test_a_real_workbook_passes():
    spreadsheets.check_xlsx_archive(workbook())


def test_an_archive_that_unpacks_past_the_cap_is_refused_unopened(vi):
    bomb = zip_bomb(spreadsheets.MAX_XLSX_UNPACKED_BYTES + 8 * 1024 * 1024)
    assert len(bomb) < 500 * 1024
    with pytest.raises(spreadsheets.SpreadsheetRefused, match="khi giải nén sẽ lớn hơn 100 MB"):
        spreadsheets.check_xlsx_archive(bomb)


def test_an_archive_of_too_many_entries_is_refused(vi):
    with pytest.raises(spreadsheets.SpreadsheetRefused, match=r"chứa 20\.000 thành phần"):
        spreadsheets.check_xlsx_archive(many_entries(20_000))


def test_an_absurdly_compressed_entry_is_refused_even_under_the_size_cap(vi):
    with pytest.raises(spreadsheets.SpreadsheetRefused, match="được nén theo cách"):
        spreadsheets.check_xlsx_archive(zip_bomb(4 * 1024 * 1024))


@pytest.mark.parametrize("content", [b"", b"Ho va ten\nNguyen Thi Hoa\n", b"PK\x03\x04 not really a zip"])
def test_a_file_that_is_not_a_zip_is_refused(vi, content):
    with pytest.raises(spreadsheets.SpreadsheetRefused, match="không phải là tệp Excel"):
        spreadsheets.check_xlsx_archive(content)


def test_checking_an_upload_leaves_it_ready_to_be_read():
    upload = io.BytesIO(workbook())
    spreadsheets.check_xlsx_archive(upload)
    assert upload.tell() == 0


def test_openpyxl_reads_xml_through_defusedxml():
    # openpyxl decides this when it is imported; OPENPYXL_DEFUSEDXML=False would switch it off.
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize(
    ("title", "code", "expected"),
    [
        ("Danh sách đoàn viên", "CDCS-TH-DN-023", "danh-sach-doan-vien_CDCS-TH-DN-023_02-12-2026.xlsx"),
        ("Danh sách đoàn viên", "CĐCS-TH-ĐN-023", "danh-sach-doan-vien_CDCS-TH-DN-023_02-12-2026.xlsx"),
        ("Danh sách tổ", "Tổ 3 / Văn phòng", "danh-sach-to_To-3-Van-phong_02-12-2026.xlsx"),
        ("Số liệu công đoàn", None, "so-lieu-cong-doan_02-12-2026.xlsx"),
        ("Số liệu công đoàn", "ấ", "so-lieu-cong-doan_a_02-12-2026.xlsx"),
    ],
)
def test_download_names_are_vietnamese_without_diacritics_and_dated_day_first(title, code, expected):
    name = spreadsheets.export_filename(title, code=code, on=dt.date(2026, 12, 2))
    assert name == expected
    assert name.isascii()


def test_a_table_has_a_title_a_frozen_bold_header_typed_cells_and_fitted_widths():
    book = Workbook()
    columns = [
        spreadsheets.TableColumn("họ và tên"),
        spreadsheets.TableColumn("đoàn viên", spreadsheets.COUNT_FORMAT),
        spreadsheets.TableColumn("tỷ lệ", spreadsheets.PERCENT_FORMAT),
        spreadsheets.TableColumn("ngày", spreadsheets.DATE_FORMAT),
    ]
    rows = [["Nguyễn Thị Hoa", 13734, 0.959, dt.date(2021, 7, 9)], ["=cmd()", 5, None, None]]
    spreadsheets.write_table(
        book.active, columns, rows, title=["Danh sách", "Tính đến ngày 09/07/2021"], footer=[["Tổng số", 13739]]
    )

    sheet = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(book))).active
    assert (sheet["A1"].value, sheet["A2"].value, sheet["A3"].value) == ("Danh sách", "Tính đến ngày 09/07/2021", None)
    assert [cell.value for cell in sheet[4]] == ["Họ và tên", "Đoàn viên", "Tỷ lệ", "Ngày"]
    assert all(cell.font.bold for cell in sheet[4])
    assert sheet.freeze_panes == "A5"
    _name, count, ratio, day = sheet[5]
    assert (count.value, count.data_type, count.number_format) == (13734, "n", "#,##0")
    assert (ratio.value, ratio.data_type, ratio.number_format) == (0.959, "n", "0.0%")
    assert (day.value, day.number_format) == (dt.datetime(2021, 7, 9), "dd/mm/yyyy")
    assert (sheet["A6"].data_type, sheet["A6"].value) == ("s", "'=cmd()")
    total_label, total = sheet[7][:2]
    assert (total_label.value, total.value, total.number_format, total.font.bold) == ("Tổng số", 13739, "#,##0", True)
    assert sheet.column_dimensions["A"].width == len("Nguyễn Thị Hoa") + 2
    assert sheet.auto_filter.ref == "A4:D6"


def test_the_xlsx_writer_keeps_edge_spaces_escapes_markup_and_drops_what_xml_cannot_hold():
    columns = [spreadsheets.TableColumn(name) for name in ("Tên", "Ghi chú", "Số", "Lúc", "Có")]
    rows = [["  Hoa ", "<b>&amp;\x01", Decimal("1.5"), dt.datetime(2026, 12, 3, 6, 0), True]]
    _response, data = download(columns, rows, "xlsx")
    name, note, number, moment, flag = load_workbook(io.BytesIO(data)).active[2]
    assert name.value == "  Hoa "
    assert note.value == "<b>&amp;"
    assert (number.value, number.data_type) == (1.5, "n")
    assert moment.value == dt.datetime(2026, 12, 3, 6, 0)
    assert flag.value == "True"


def test_a_workbook_download_has_one_typed_neutralised_sheet_per_list_in_order():
    column = spreadsheets.TableColumn
    response = spreadsheets.workbook_download(
        [
            spreadsheets.TableSheet(
                "CĐCS",
                [column("Mã CĐCS"), column("Ngày giải thể", spreadsheets.DATE_FORMAT)],
                iter([["A1", dt.date(2025, 6, 15)]]),
            ),
            spreadsheets.TableSheet(
                "Đoàn viên",
                [column("Họ và tên"), column("Số", spreadsheets.COUNT_FORMAT)],
                iter([["=cmd|' /C calc'!A0", 1234]]),
            ),
            # Excel refuses two tabs of one name, or one with a slash: both are renamed, not lost.
            spreadsheets.TableSheet("Đoàn viên", [column("Trống")], iter([])),
            spreadsheets.TableSheet("Tài liệu/tệp", [column("Tên tệp")], iter([["a.pdf"]])),
        ],
        filename="ho-so.xlsx",
    )
    assert isinstance(response, StreamingHttpResponse)
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["CĐCS", "Đoàn viên", "Đoàn viên (3)", "Tài liệu tệp"]
    assert book["CĐCS"]["B2"].value == dt.datetime(2025, 6, 15)
    assert book["CĐCS"]["B2"].number_format == spreadsheets.DATE_FORMAT
    assert book["Đoàn viên"]["A2"].value == "'=cmd|' /C calc'!A0"
    assert book["Đoàn viên"]["B2"].value == 1234 and book["Đoàn viên"]["B2"].number_format == spreadsheets.COUNT_FORMAT
    assert [cell.value for cell in book["Đoàn viên (3)"][1]] == ["Trống"]
    assert book["Tài liệu tệp"].freeze_panes == "A2"
