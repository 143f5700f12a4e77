"""The mapping sheet of a reorganisation: CĐCS code → new superior code, read with every problem by row."""

from __future__ import annotations

import io

import pytest
from openpyxl import Workbook, load_workbook

from apps.core.sheets import SheetError
from apps.core.spreadsheets import xlsx_bytes
from apps.unions.reorganisation import mapping_read, mapping_template
from tests import factories


@pytest.fixture
def district(db):
    return factories.FederationFactory(code="TH", name="Liên đoàn Lao động quận Tây Hồ")


@pytest.fixture
def unions(district):
    return [factories.GrassrootsUnionFactory(federation=district, code=code) for code in ("TH-01", "TH-02", "TH-03")]


@pytest.fixture
def wards(db):
    return [
        factories.FederationFactory(code="P-TAYHO", name="Công đoàn phường Tây Hồ"),
        factories.FederationFactory(code="P-PHUTHUONG", name="Công đoàn phường Phú Thượng"),
    ]


def _sheet(rows, headers=("Mã CĐCS", "Tên CĐCS", "Mã công đoàn cấp trên mới")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def _read(data: bytes, unions, wards):
    return mapping_read(data, filename="chuyen.xlsx", unions=unions, successors=wards)


def test_template_lists_each_union_and_offers_the_successors(unions, wards):
    book = load_workbook(io.BytesIO(xlsx_bytes(mapping_template(unions, wards))))
    data = book.worksheets[0]
    rows = [tuple(cell.value for cell in row) for row in data.iter_rows(min_row=1, max_row=4)]
    assert rows[0] == ("Mã CĐCS", "Tên CĐCS", "Mã công đoàn cấp trên mới")
    assert [row[0] for row in rows[1:]] == ["TH-01", "TH-02", "TH-03"]
    choices = [cell.value for cell in book["Danh mục"]["C"]]
    assert choices == ["P-TAYHO", "P-PHUTHUONG"]


def test_a_filled_template_reads_back_as_the_mapping(unions, wards):
    book = load_workbook(io.BytesIO(xlsx_bytes(mapping_template(unions, wards))))
    for number, code in ((2, "P-TAYHO"), (3, "P-PHUTHUONG"), (4, "P-TAYHO")):
        book.worksheets[0].cell(row=number, column=3, value=code)
    stream = io.BytesIO()
    book.save(stream)
    mapping = _read(stream.getvalue(), unions, wards)
    assert mapping.problems == []
    assert {pk: successor.code for pk, successor in mapping.successors.items()} == {
        unions[0].pk: "P-TAYHO",
        unions[1].pk: "P-PHUTHUONG",
        unions[2].pk: "P-TAYHO",
    }


def test_every_bad_row_is_named_with_its_column(unions, wards):
    mapping = _read(
        _sheet(
            [
                ("TH-01", "", "P-TAYHO"),
                ("XX-99", "", "P-TAYHO"),
                ("TH-02", "", "P-NOWHERE"),
                ("TH-03", "", ""),
                ("TH-01", "", "P-PHUTHUONG"),
                ("TH-01", "", "P-TAYHO"),
            ]
        ),
        unions,
        wards,
    )
    lines = [str(problem) for problem in mapping.problems]
    assert lines == [
        "Dòng 3, cột «Mã CĐCS»: CĐCS “XX-99” không thuộc các CĐCS được chuyển.",
        "Dòng 4, cột «Mã công đoàn cấp trên mới»: "
        "“P-NOWHERE” không phải công đoàn cấp trên được tiếp nhận các CĐCS này.",
        "Dòng 5, cột «Mã công đoàn cấp trên mới»: Vui lòng nhập thông tin này.",
        "Dòng 6, cột «Mã công đoàn cấp trên mới»: CĐCS “TH-01” đã được chuyển về nơi khác ở dòng 2.",
    ]
    # The same CĐCS twice to the same successor is no contradiction.
    assert mapping.successors == {unions[0].pk: wards[0]}


def test_a_sheet_without_the_successor_column_is_refused_whole(unions, wards):
    with pytest.raises(SheetError, match="Mã công đoàn cấp trên mới"):
        _read(_sheet([("TH-01", "x")], headers=("Mã CĐCS", "Tên CĐCS")), unions, wards)


def test_a_file_that_is_no_sheet_is_refused_in_vietnamese(unions, wards):
    with pytest.raises(SheetError) as refused:
        mapping_read(b"%PDF-1.4 not a sheet", filename="chuyen.xlsx", unions=unions, successors=wards)
    assert "tệp" in refused.value.message.lower() or "bảng tính" in refused.value.message.lower()
