"""The sheet reader takes the files people really send and tells them plainly what is wrong."""

from __future__ import annotations

import io
import re
import time
import unicodedata
from datetime import date, datetime

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from python_calamine import CalamineWorkbook

from apps.core import spreadsheets
from apps.core.sheets import (
    BIRTH_DATE_ALIASES,
    FULL_NAME_ALIASES,
    GENDER_ALIASES,
    NATIONAL_ID_ALIASES,
    PHONE_ALIASES,
    Column,
    Kind,
    SheetChoiceNeeded,
    SheetError,
    read_table,
)
from tests.core import sheetfiles

COLUMNS = (
    Column("full_name", "Họ và tên", Kind.NAME, FULL_NAME_ALIASES, required=True),
    Column("birth_date", "Ngày sinh", Kind.DATE, BIRTH_DATE_ALIASES),
    Column("gender", "Giới tính", Kind.GENDER, GENDER_ALIASES),
    Column("national_id", "Số CCCD", Kind.ID_NUMBER, NATIONAL_ID_ALIASES, required=True),
    Column("phone", "Số điện thoại", Kind.PHONE, PHONE_ALIASES),
    Column("email", "Email", Kind.EMAIL, ("E-mail", "Thư điện tử")),
    Column("union", "Mã CĐCS", Kind.CODE, ("CĐCS",)),
    Column("years", "Số năm công tác", Kind.INTEGER),
)
HEADERS = ["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại", "Email", "Mã CĐCS", "Số năm công tác"]
ROW = ["Nguyễn Văn An", date(1990, 6, 5), "Nam", "001090012345", "0912345678", "an@example.vn", "A1", 12]
EXPECTED = {
    "full_name": "Nguyễn Văn An",
    "birth_date": date(1990, 6, 5),
    "gender": "male",
    "national_id": "001090012345",
    "phone": "0912345678",
    "email": "an@example.vn",
    "union": "A1",
    "years": 12,
}


def read(data: bytes, filename: str = "danh-sach.xlsx", **kwargs):
    return read_table(data, filename=filename, columns=kwargs.pop("columns", COLUMNS), **kwargs)


def one_row(rows, **kwargs):
    """Read a sheet of headers plus ``rows`` and return the table."""
    return read(sheetfiles.xlsx({"Đoàn viên": [HEADERS, *rows]}), **kwargs)


def problems(table):
    return [(problem.row, problem.column, problem.message) for problem in table.problems]


class TestFormatsFromContent:
    def test_xlsx_reads_into_tidy_values(self):
        table = one_row([ROW])
        assert table.format == "xlsx"
        assert table.sheet == "Đoàn viên"
        assert [row.values for row in table.rows] == [EXPECTED]
        assert table.problems == []

    def test_legacy_xls(self):
        row = [*ROW[:3], 1090012345, 912345678, *ROW[5:]]
        table = read(sheetfiles.xls({"Đoàn viên": [HEADERS, row]}), "danh-sach.xls")
        assert table.format == "xls"
        assert [row.values for row in table.rows] == [EXPECTED]

    def test_ods_from_libreoffice(self):
        row = [*ROW[:3], 1090012345, 912345678, *ROW[5:]]
        table = read(sheetfiles.ods({"Đoàn viên": [["DANH SÁCH ĐOÀN VIÊN"], [], HEADERS, row]}), "danh-sach.ods")
        assert table.format == "ods"
        assert table.header_row == 3
        assert [(row.number, row.values) for row in table.rows] == [(4, EXPECTED)]

    def test_csv_utf8_with_bom_and_semicolons_as_vietnamese_excel_saves_it(self):
        row = ["Nguyễn Văn An", "05/06/1990", "Nam", "001090012345", "0912345678", "an@example.vn", "A1", "12"]
        data = sheetfiles.csv_file([HEADERS, row], delimiter=";", bom=True)
        table = read(data, "danh-sach.csv")
        assert table.format == "csv"
        assert table.headers["full_name"] == "Họ và tên"  # the BOM is not part of the first header
        assert [row.values for row in table.rows] == [EXPECTED]

    def test_csv_without_bom_and_commas_keeps_a_quoted_address_whole(self):
        columns = (*COLUMNS, Column("address", "Địa chỉ"))
        row = ["Nguyễn Văn An", "05/06/1990", "Nam", "001090012345", "0912345678", "", "A1", "12", "Phường 1, Quận 3"]
        table = read(sheetfiles.csv_file([[*HEADERS, "Địa chỉ"], row]), "danh-sach.csv", columns=columns)
        assert table.rows[0].values["address"] == "Phường 1, Quận 3"
        assert table.rows[0].values["full_name"] == "Nguyễn Văn An"

    def test_csv_with_excels_sep_line_numbers_rows_as_excel_shows_them(self):
        data = b"sep=;\r\n" + sheetfiles.csv_file([HEADERS, [*ROW[:1], "", "", "001090012345"]], delimiter=";")
        table = read(data, "danh-sach.csv")
        assert table.header_row == 1
        assert table.rows[0].number == 2

    def test_csv_whose_title_looks_like_a_magic_number_is_still_csv(self):
        data = sheetfiles.csv_file(
            [["BM01 - DANH SÁCH"], ["PK - Phòng kế toán"], HEADERS, [*ROW[:1], "", "", "001090012345"]]
        )
        table = read(data, "bm01.csv")
        assert (table.header_row, table.rows[0].values["full_name"]) == (3, "Nguyễn Văn An")

    def test_csv_unicode_text_utf16_tab_separated(self):
        data = sheetfiles.csv_file([HEADERS, ["Lê Thị Bình", "", "Nữ", "001090012345"]], delimiter="\t")
        table = read(b"\xff\xfe" + data.decode().encode("utf-16-le"), "danh-sach.txt")
        assert table.rows[0].values["full_name"] == "Lê Thị Bình"
        assert table.rows[0].values["gender"] == "female"

    def test_csv_in_the_windows_code_page_asks_for_csv_utf8(self):
        data = sheetfiles.csv_file([["Ho va ten", "CCCD"], ["Nguyễn Văn An", "001090012345"]], encoding="cp1258")
        assert "Nguyễn".encode() not in data
        with pytest.raises(SheetError) as refused:
            read(data, "danh-sach.csv")
        assert "CSV UTF-8" in refused.value.message
        assert "không dùng bảng mã UTF-8" in refused.value.message

    def test_the_name_does_not_decide_the_format(self):
        table = read(sheetfiles.xlsx({"Sheet1": [HEADERS, ROW]}), "danh-sach.csv")
        assert table.format == "xlsx"
        assert table.rows[0].values == EXPECTED

    @pytest.mark.parametrize(
        "content",
        [
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
            b"<html><body><table><tr><td>H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan</td></tr></table></body></html>",
            b"\x00\x01\x02\x03binary",
        ],
        ids=["pdf", "png", "jpeg", "html-saved-as-xls", "binary"],
    )
    def test_a_file_that_is_not_a_spreadsheet_is_refused_by_its_content(self, content):
        with pytest.raises(SheetError) as refused:
            read(content, "danh-sach.xlsx")
        assert refused.value.message == (
            "Tệp “danh-sach.xlsx” không phải bảng tính: nội dung không phải Excel (.xlsx, .xls), "
            "OpenDocument (.ods) hay CSV."
        )

    def test_a_word_document_renamed_xlsx_is_not_a_spreadsheet(self):
        import io
        import zipfile

        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("word/document.xml", "<w:document/>")
        with pytest.raises(SheetError, match="không phải bảng tính"):
            read(buffer.getvalue(), "danh-sach.xlsx")

    def test_an_office_file_that_holds_no_workbook(self):
        # A Word .doc is an OLE2 file too; an .xls whose Workbook stream is renamed stands in for it.
        data = sheetfiles.xls({"Sheet1": [HEADERS, ROW]}).replace(
            "Workbook".encode("utf-16-le"), "Document".encode("utf-16-le")
        )
        with pytest.raises(SheetError) as refused:
            read(data, "danh-sach.xls")
        assert refused.value.message == (
            "Không đọc được tệp như một bảng tính. Vui lòng mở bằng Excel và lưu lại dạng .xlsx."
        )

    def test_a_truncated_xlsx_is_damaged(self):
        data = sheetfiles.xlsx({"Sheet1": [HEADERS, ROW]})
        with pytest.raises(SheetError) as refused:
            read(data[: len(data) // 2])
        assert refused.value.message.startswith("Tệp bị hỏng hoặc không đọc được.")

    def test_an_empty_file(self):
        with pytest.raises(SheetError, match=re.escape("Tệp không có nội dung.")):
            read(b"")

    def test_an_empty_workbook(self):
        with pytest.raises(SheetError, match=re.escape("Tệp không có dữ liệu.")):
            read(sheetfiles.xlsx({"Sheet1": []}))


class TestHeaders:
    def test_title_rows_above_the_headers_are_skipped_and_rows_keep_excels_numbers(self):
        data = sheetfiles.xlsx(
            {"Đoàn viên": [["DANH SÁCH ĐOÀN VIÊN CÔNG ĐOÀN CƠ SỞ A1"], ["Tính đến ngày 01/12/2026"], [], HEADERS, ROW]}
        )
        table = read(data)
        assert table.header_row == 4
        assert table.rows[0].number == 5

    def test_headers_in_another_order_with_variants_stray_spaces_and_no_accents(self):
        headers = [
            "STT",
            "  so  cccd ",
            "HO TEN (*)",
            unicodedata.normalize("NFD", "Ngày sinh:"),
            "Ghi chú",
            "SĐT *",
        ]
        row = [1, "001090012345", "Nguyễn Văn An", "05/06/1990", "chuyển đến 2024", "0912345678"]
        table = read(sheetfiles.xlsx({"Sheet1": [headers, row]}))
        assert table.headers == {
            "national_id": "so cccd",
            "full_name": "HO TEN (*)",
            "birth_date": "Ngày sinh:",
            "phone": "SĐT *",
        }
        assert table.rows[0].values == {
            "national_id": "001090012345",
            "full_name": "Nguyễn Văn An",
            "birth_date": date(1990, 6, 5),
            "phone": "0912345678",
        }

    @pytest.mark.parametrize(
        "header", ["CCCD", "Số định danh cá nhân", "Số CMND/CCCD", "Số CCCD/CMND", "Số căn cước công dân"]
    )
    def test_usual_names_of_the_id_number_column(self, header):
        table = read(sheetfiles.xlsx({"Sheet1": [["Họ tên", header], ["Nguyễn Văn An", "001090012345"]]}))
        assert table.rows[0].values["national_id"] == "001090012345"

    def test_missing_required_columns_are_named(self):
        data = sheetfiles.xlsx({"Sheet1": [["STT", "Ngày sinh", "Giới tính"], [1, date(1990, 6, 5), "Nam"]]})
        with pytest.raises(SheetError) as refused:
            read(data)
        assert refused.value.message == "Thiếu cột bắt buộc: “Họ và tên”, “Số CCCD”."

    def test_a_sheet_without_any_known_header(self):
        with pytest.raises(SheetError, match=re.escape("Thiếu cột bắt buộc: “Họ và tên”, “Số CCCD”.")):
            read(sheetfiles.xlsx({"Sheet1": [["a", "b"], [1, 2]]}))

    def test_the_same_column_twice_is_refused(self):
        data = sheetfiles.xlsx({"Sheet1": [["Họ và tên", "Họ tên", "CCCD"], ["A", "B", "001090012345"]]})
        with pytest.raises(SheetError) as refused:
            read(data)
        assert refused.value.message == (
            "Cột “Họ và tên” và cột “Họ tên” cùng là “Họ và tên”; vui lòng chỉ giữ một cột."
        )

    def test_an_absent_optional_column_is_left_out_so_it_overwrites_nothing(self):
        table = read(sheetfiles.xlsx({"Sheet1": [["Họ và tên", "CCCD"], ["Nguyễn Văn An", "001090012345"]]}))
        assert table.rows[0].values == {"full_name": "Nguyễn Văn An", "national_id": "001090012345"}
        assert set(table.headers) == {"full_name", "national_id"}

    def test_header_cells_and_row_cells_are_given_for_the_rejected_rows_sheet(self):
        grid = [["DANH SÁCH"], ["STT", "Họ và tên", "CCCD"], [1, "An", "123"], [], [2, "Bình", "456"]]
        table = read(sheetfiles.xlsx({"Sheet1": grid}))
        assert table.header_cells == ["STT", "Họ và tên", "CCCD"]
        # Read again from the file, by Excel row number (a blank row and a title row above included).
        first, second = table.rows
        assert second.number == 5
        assert {number: list(cells) for number, cells in table.cells_of([second, first]).items()} == {
            3: [1.0, "An", "123"],
            5: [2.0, "Bình", "456"],
        }

    def test_cells_of_rows_in_a_sheet_that_starts_past_column_a(self):
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet["C3"], sheet["D3"], sheet["C4"], sheet["D5"] = "Họ và tên", "CCCD", "An", "001090012345"
        buffer = io.BytesIO()
        workbook.save(buffer)
        table = read(buffer.getvalue())
        assert [(row.number, row.values) for row in table.rows] == [
            (4, {"full_name": "An", "national_id": ""}),
            (5, {"full_name": "", "national_id": "001090012345"}),
        ]
        assert list(table.cells_of(table.rows[1:])[5]) == ["", "", "", "001090012345"]

    def test_cells_of_a_csv_row(self):
        table = read("Họ và tên;CCCD\nAn;001090012345\n".encode(), filename="ds.csv")
        assert list(table.cells_of(table.rows)[2]) == ["An", "001090012345"]


class TestValues:
    def test_excel_dates_and_day_first_text_dates(self):
        rows = [
            ["A", date(1990, 6, 5), "", "001090012345"],
            ["B", datetime(1990, 6, 5, 0, 0), "", "001090012346"],
            ["C", "05/06/1990", "", "001090012347"],
            ["D", "5/6/1990", "", "001090012348"],
            ["E", "05-06-1990", "", "001090012349"],
            ["F", "05.06.1990", "", "001090012350"],
            ["G", "1990-06-05", "", "001090012351"],
            ["H", " 05/06/1990 00:00:00 ", "", "001090012352"],
        ]
        table = one_row(rows)
        assert [row.values["birth_date"] for row in table.rows] == [date(1990, 6, 5)] * 8
        assert table.problems == []

    @pytest.mark.parametrize("value", ["31/02/1990", "1990", "05/06/90", "5 tháng 6 1990", "06/05-1990", 1990])
    def test_invalid_dates_say_how_to_write_them(self, value):
        table = one_row([["An", value, "", "001090012345"]])
        shown = "1990" if value == 1990 else value
        assert problems(table) == [(2, "Ngày sinh", f"Ngày không hợp lệ: “{shown}”, ghi theo dạng dd/mm/yyyy.")]
        assert table.rows[0].values["birth_date"] is None

    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            (1090012345, "001090012345"),  # CCCD typed as a number: two zeros lost
            (79090012345, "079090012345"),
            (1.2345e11, "123450000000"),
            ("001090012345", "001090012345"),
            (" 001 090 012 345 ", "001090012345"),
            ("'001090012345", "001090012345"),
            (12345678, "012345678"),  # an old 9-digit CMND that lost its zero
            (123456789, "123456789"),
        ],
    )
    def test_id_numbers_get_their_leading_zeros_back(self, typed, expected):
        table = one_row([["An", None, None, typed]])
        assert table.rows[0].values["national_id"] == expected
        assert table.problems == []

    @pytest.mark.parametrize("typed", ["12345", "00109001234X", 1234567890123, 12.5])
    def test_a_wrong_id_number_is_a_problem(self, typed):
        table = one_row([["An", None, None, typed]])
        shown = {12.5: "12.5"}.get(typed, str(typed))
        assert problems(table) == [
            (2, "Số CCCD", f"“{shown}” không phải số CCCD (12 chữ số) hay số CMND cũ (9 chữ số).")
        ]
        assert table.rows[0].values["national_id"] == ""

    def test_an_id_number_excel_already_rounded_cannot_be_guessed(self):
        data = sheetfiles.csv_file([HEADERS[:4], ["An", "", "", "1,2345E+11"]], delimiter=";")
        table = read(data, "danh-sach.csv")
        assert problems(table) == [
            (
                2,
                "Số CCCD",
                "Excel đã đổi số thành “1,2345E+11” và làm mất các chữ số cuối. Vui lòng định dạng cột là "
                "Văn bản (Text), nhập lại số rồi tải lên lại.",
            )
        ]

    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            (912345678, "0912345678"),
            (912345678.0, "0912345678"),
            (2438123456, "02438123456"),  # a Hà Nội landline
            ("0912 345 678", "0912345678"),
            ("0912.345.678", "0912345678"),
            ("+84912345678", "+84912345678"),
        ],
    )
    def test_phone_numbers_typed_as_numbers_get_their_zero_back(self, typed, expected):
        table = one_row([["An", None, None, "001090012345", typed]])
        assert table.rows[0].values["phone"] == expected

    def test_a_wrong_phone_is_a_problem(self):
        table = one_row([["An", None, None, "001090012345", "gọi cơ quan"]])
        assert problems(table) == [(2, "Số điện thoại", "“gọi cơ quan” không phải số điện thoại (8 đến 15 chữ số).")]

    def test_names_are_composed_trimmed_and_single_spaced(self):
        typed = "  " + unicodedata.normalize("NFD", "Nguyễn   Thị  Hằng") + " "
        table = one_row([[typed, None, None, "001090012345"]])
        assert table.rows[0].values["full_name"] == "Nguyễn Thị Hằng"
        assert unicodedata.is_normalized("NFC", table.rows[0].values["full_name"])

    @pytest.mark.parametrize(
        ("typed", "expected"), [("Nam", "male"), ("nam ", "male"), ("NỮ", "female"), ("nu", "female"), ("Nữ", "female")]
    )
    def test_gender_however_typed(self, typed, expected):
        table = one_row([["An", None, typed, "001090012345"]])
        assert table.rows[0].values["gender"] == expected

    def test_a_wrong_gender_is_a_problem(self):
        table = one_row([["An", None, "x", "001090012345"]])
        assert problems(table) == [(2, "Giới tính", "Giới tính ghi “Nam” hoặc “Nữ”, không ghi “x”.")]

    @pytest.mark.parametrize(("typed", "expected"), [(12, 12), (12.0, 12), ("12", 12), ("1.234", 1234), ("12,0", 12)])
    def test_whole_numbers(self, typed, expected):
        table = one_row([["An", None, None, "001090012345", None, None, None, typed]])
        assert table.rows[0].values["years"] == expected

    def test_a_fraction_is_not_a_whole_number(self):
        table = one_row([["An", None, None, "001090012345", None, None, None, 1.5]])
        assert problems(table) == [(2, "Số năm công tác", "“1.5” không phải số nguyên.")]

    def test_codes_typed_as_numbers_lose_the_point_zero(self):
        table = one_row([["An", None, None, "001090012345", None, None, 23]])
        assert table.rows[0].values["union"] == "23"

    def test_empty_optional_cells_are_empty_never_none_or_nan(self):
        table = one_row([["An", None, "", "001090012345", None, "  ", None, None]])
        assert table.rows[0].values == {
            "full_name": "An",
            "birth_date": None,
            "gender": "",
            "national_id": "001090012345",
            "phone": "",
            "email": "",
            "union": "",
            "years": None,
        }
        assert table.problems == []

    def test_empty_optional_cells_in_csv_too(self):
        data = sheetfiles.csv_file([HEADERS, ["An", "", "", "001090012345", "", "", "", ""]], delimiter=";")
        assert (
            read(data, "danh-sach.csv").rows[0].values == one_row([["An", None, None, "001090012345"]]).rows[0].values
        )

    def test_blank_rows_are_skipped_and_the_others_keep_excels_numbers(self):
        table = one_row(
            [["An", None, None, "001090012345"], [], [None, "", "  "], ["Bình", None, None, "001090012346"]]
        )
        assert [(row.number, row.values["full_name"]) for row in table.rows] == [(2, "An"), (5, "Bình")]

    def test_every_problem_is_reported_none_hiding_another(self):
        table = one_row(
            [
                ["", "31/02/1990", "x", "12345", "gọi", "không có", None, "nhiều"],
                ["Bình", None, None, "001090012346"],
                ["Chi", None, None, None],
            ]
        )
        assert [(row, column) for row, column, _message in problems(table)] == [
            (2, "Họ và tên"),
            (2, "Ngày sinh"),
            (2, "Giới tính"),
            (2, "Số CCCD"),
            (2, "Số điện thoại"),
            (2, "Email"),
            (2, "Số năm công tác"),
            (4, "Số CCCD"),
        ]
        assert problems(table)[0][2] == "Vui lòng nhập thông tin này."
        assert problems(table)[5][2] == "“không có” không phải địa chỉ email hợp lệ."
        assert [row.number for row in table.rows] == [2, 3, 4]


class TestNeutralisedCellsComeBackAsTheyWere:
    """Exports put an apostrophe before text that could run as a formula; reading undoes exactly that."""

    COLUMNS = (
        Column("full_name", "Họ và tên", Kind.NAME, required=True),
        Column("group", "Tổ công đoàn", Kind.NAME),
        Column("note", "Ghi chú", Kind.TEXT),
    )
    # As typed, and as the reader gives them back (a tab or CR is stripped like any outer space).
    ROWS = [
        (["Nguyễn Văn An", "-Tổ 1", "=1+1"], ["Nguyễn Văn An", "-Tổ 1", "=1+1"]),
        (["+84 Trần Bình", "@Tổ 2", "-5 ngày phép"], ["+84 Trần Bình", "@Tổ 2", "-5 ngày phép"]),
        (["Lê Chi", "Tổ 3", '\t=HYPERLINK("x")'], ["Lê Chi", "Tổ 3", '=HYPERLINK("x")']),
        # An apostrophe the user typed before anything else is their text, kept as is.
        (["'Phạm Dung", "'Tổ 4", "'ghi chú"], ["'Phạm Dung", "'Tổ 4", "'ghi chú"]),
        (["Hoàng Em", "''=2", "'"], ["Hoàng Em", "''=2", "'"]),
    ]
    HEADER = ["Họ và tên", "Tổ công đoàn", "Ghi chú"]

    def values(self, table):
        return [[row.values[key] for key in ("full_name", "group", "note")] for row in table.rows]

    def test_an_exported_xlsx_imports_unchanged(self):
        data = spreadsheets.xlsx_bytes(self.workbook())
        stored = [[cell.value for cell in row] for row in openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(2)]
        assert stored[0] == ["Nguyễn Văn An", "'-Tổ 1", "'=1+1"]  # the file really holds the apostrophes
        table = read(data, "xuat.xlsx", columns=self.COLUMNS)
        assert self.values(table) == [expected for _typed, expected in self.ROWS]
        assert table.problems == []

    def test_an_exported_csv_imports_unchanged(self):
        columns = [spreadsheets.TableColumn(header) for header in self.HEADER]
        rows = [typed for typed, _read in self.ROWS]
        data = b"".join(spreadsheets.streamed_table(columns, rows, extension="csv", title="Xuất"))
        assert "'=1+1" in data.decode("utf-8-sig")
        table = read(data, "xuat.csv", columns=self.COLUMNS)
        assert self.values(table) == [expected for _typed, expected in self.ROWS]

    def test_the_rejected_rows_sheet_comes_back_unchanged(self):
        """The portal's own rejected-rows sheet holds the cells as read, neutralised again when written."""
        first = read(spreadsheets.xlsx_bytes(self.workbook()), "xuat.xlsx", columns=self.COLUMNS)
        again = openpyxl.Workbook()
        again.active.append(first.header_cells)
        read_again = first.cells_of(first.rows)
        for row in first.rows:
            again.active.append(list(read_again[row.number]))
        second = read(spreadsheets.xlsx_bytes(again), "cac-dong-bi-tu-choi.xlsx", columns=self.COLUMNS)
        assert self.values(second) == self.values(first) == [expected for _typed, expected in self.ROWS]

    def workbook(self):
        book = openpyxl.Workbook()
        book.active.append(self.HEADER)
        for typed, _read in self.ROWS:
            book.active.append(typed)
        return book


class TestSheets:
    def test_several_sheets_with_data_ask_the_user_to_choose(self):
        data = sheetfiles.xlsx({"Tổ 1": [HEADERS, ROW], "Tổ 2": [HEADERS, ROW]})
        with pytest.raises(SheetChoiceNeeded) as refused:
            read(data)
        assert refused.value.sheets == ["Tổ 1", "Tổ 2"]
        assert refused.value.message == (
            "Tệp có nhiều trang tính chứa dữ liệu: “Tổ 1”, “Tổ 2”. Vui lòng chọn trang tính cần nhập."
        )

    def test_only_the_sheets_whose_headers_fit_are_offered(self):
        data = sheetfiles.xlsx({"Hướng dẫn": [["Cột", "Cách ghi"]], "Tổ 1": [HEADERS, ROW], "Tổ 2": [HEADERS, ROW]})
        with pytest.raises(SheetChoiceNeeded) as refused:
            read(data)
        assert refused.value.sheets == ["Tổ 1", "Tổ 2"]

    def test_the_chosen_sheet_is_read(self):
        other = [*ROW[:3], "001090099999"]
        table = read(sheetfiles.xlsx({"Tổ 1": [HEADERS, ROW], "Tổ 2": [HEADERS, other]}), sheet="Tổ 2")
        assert table.sheet_names == ["Tổ 1", "Tổ 2"]
        assert table.sheet == "Tổ 2"
        assert table.rows[0].values["national_id"] == "001090099999"

    def test_a_sheet_that_is_not_there(self):
        with pytest.raises(SheetError, match=re.escape("Tệp không có trang tính “Tổ 3”.")):
            read(sheetfiles.xlsx({"Tổ 1": [HEADERS, ROW]}), sheet="Tổ 3")

    def test_a_templates_instructions_and_hidden_lists_do_not_need_a_choice(self):
        data = sheetfiles.xlsx(
            {
                "Hướng dẫn": [["Cột", "Cách ghi"], ["Họ và tên", "Bắt buộc"]],
                "Đoàn viên": [HEADERS, ROW],
                "Danh mục": [["Nam"], ["Nữ"]],
            },
            hidden=["Danh mục"],
        )
        table = read(data)
        assert table.sheet == "Đoàn viên"
        assert table.rows[0].values == EXPECTED

    def test_empty_sheets_beside_the_data_need_no_choice(self):
        table = read(sheetfiles.xls({"Sheet1": [HEADERS, ROW], "Sheet2": [], "Sheet3": []}), "cu.xls")
        assert table.sheet == "Sheet1"


class TestHostileFiles:
    def test_a_password_protected_workbook(self):
        with pytest.raises(SheetError) as refused:
            read(sheetfiles.encrypted_xlsx([HEADERS, ROW]))
        assert refused.value.message == (
            "Tệp được đặt mật khẩu. Vui lòng mở bằng Excel, gỡ mật khẩu, lưu lại rồi tải lên lại."
        )

    def test_an_xml_entity_bomb_is_refused_at_once(self):
        started = time.monotonic()
        with pytest.raises(SheetError) as refused:
            read(sheetfiles.entity_bomb_xlsx())
        assert refused.value.message == "Tệp chứa khai báo XML không được phép nên bị từ chối."
        assert time.monotonic() - started < 5

    def test_calamine_itself_does_not_expand_entities(self):
        """The reader behind the pre-scan refuses a billion laughs too, rather than expanding it."""
        import io

        with pytest.raises(Exception):  # noqa: B017 - calamine's own error types vary
            CalamineWorkbook.from_filelike(io.BytesIO(sheetfiles.entity_bomb_xlsx())).get_sheet_by_index(0).to_python()

    def test_a_file_over_the_size_cap_is_refused_before_reading(self):
        with pytest.raises(SheetError, match=re.escape("Tệp lớn hơn 10 MB. Vui lòng chia thành nhiều tệp nhỏ hơn.")):
            read(b"a;b\r\n" * (3 * 1024 * 1024))

    def test_an_upload_over_the_cap_is_not_even_read(self):
        class HugeUpload:
            size = 11 * 1024 * 1024

            def read(self, *args):
                pytest.fail("read an oversized upload")

        with pytest.raises(SheetError, match="Tệp lớn hơn 10 MB"):
            read_table(HugeUpload(), filename="to.xlsx", columns=COLUMNS)

    def test_a_path_and_an_already_read_stream_read_the_same(self, tmp_path):
        import io

        data = sheetfiles.xlsx({"Sheet1": [HEADERS, ROW]})
        (tmp_path / "ds.xlsx").write_bytes(data)
        stream = io.BytesIO(data)
        stream.read()  # as a form's validation may have done
        for source in (tmp_path / "ds.xlsx", str(tmp_path / "ds.xlsx"), stream, bytearray(data)):
            assert read_table(source, filename="ds.xlsx", columns=COLUMNS).rows[0].values == EXPECTED

    def test_an_upload_within_the_cap_is_read(self):
        upload = SimpleUploadedFile("ds.xlsx", sheetfiles.xlsx({"Sheet1": [HEADERS, ROW]}))
        assert read_table(upload, filename="ds.xlsx", columns=COLUMNS).rows[0].values == EXPECTED

    def test_too_many_rows_names_the_cap(self):
        data = sheetfiles.xlsx({"Sheet1": [["Tiêu đề"], HEADERS] + [ROW] * 6})
        assert len(read(data, max_rows=6).rows) == 6
        with pytest.raises(SheetError) as refused:
            read(data, max_rows=5)
        assert refused.value.message == (
            "Tệp có hơn 5 dòng, vượt quá giới hạn của một lần nhập. Vui lòng chia thành nhiều tệp."
        )

    def test_too_many_rows_in_csv(self):
        data = sheetfiles.csv_file([HEADERS] + [["An", "", "", "001090012345"]] * 1001)
        with pytest.raises(SheetError, match=re.escape("Tệp có hơn 1.000 dòng")):
            read(data, "ds.csv", max_rows=1000)

    def test_the_archive_check_sees_every_zip_workbook_before_it_is_opened(self):
        seen = []

        def refuse(data: bytes) -> None:
            seen.append(data[:2])
            raise SheetError("zip bomb")

        for data in (sheetfiles.xlsx({"Sheet1": [HEADERS, ROW]}), sheetfiles.ods({"Sheet1": [HEADERS, ROW]})):
            with pytest.raises(SheetError, match="zip bomb"):
                read(data, check_archive=refuse)
        assert seen == [b"PK", b"PK"]
        csv_data = sheetfiles.csv_file([HEADERS, ["An", "", "", "001090012345"]])
        assert read(csv_data, "ds.csv", check_archive=refuse).rows


class TestRepeatedCells:
    """A bad cell copied down a column is a problem on each of its rows, not once for the sheet."""

    def test_a_bad_cell_repeated_is_a_problem_on_every_row_it_is_on(self):
        rows = [[f"Người {n}", "31/02/1990", "Nam", f"00109001234{n}", "", "", "A1", ""] for n in range(3)]
        table = one_row(rows)

        dates = [(row, column) for row, column, _message in problems(table) if column == "Ngày sinh"]
        assert dates == [(2, "Ngày sinh"), (3, "Ngày sinh"), (4, "Ngày sinh")]
        blanks = [row for row, column, _message in problems(table) if column == "Số CCCD"]
        assert blanks == []
