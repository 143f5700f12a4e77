"""Member export and import against hostile data: no formula goes out, no bomb is unpacked, no traceback shows."""

from __future__ import annotations

import csv
import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from apps.core import spreadsheets
from apps.members.models import Member
from tests import factories
from tests.hostile_files import billion_laughs_workbook, zip_bomb

TRIGGERS = ["=", "+", "-", "@", "\t", "\r"]
EXPORT_CSV, EXPORT_XLSX = "csv", "xlsx"
HEADERS = ["Mã CĐCS", "Tổ công đoàn", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD", "Ngày vào công đoàn"]


# --- export ------------------------------------------------------------------------------


@pytest.fixture
def hostile_members(union_a1):
    """One member a trigger character, with name, phone and email each starting with it (as stored)."""
    members = {}
    for index, trigger in enumerate(TRIGGERS):
        member = factories.MemberFactory(
            union=union_a1,
            full_name=f'{trigger}HYPERLINK("http://x","{index}")',
            phone=f"{trigger}84912345{index:03d}",
            email=f"{trigger}cmd{index}@example.org",
        )
        member.refresh_from_db()
        members[trigger] = member
    return members


def export(client, user, file_format: str) -> bytes:
    client.force_login(user)
    response = client.get(reverse("admin:members_member_export"), {"format": file_format})
    assert response.status_code == 200
    return response.getvalue()


def expected_cells(members) -> set[str]:
    """Every stored value that starts with a trigger, with the apostrophe that keeps it text."""
    stored = {getattr(member, name) for member in members.values() for name in ("full_name", "phone", "email")}
    starting = {value for value in stored if value.startswith(tuple(TRIGGERS))}
    # Names are stripped when saved; phone and email keep every trigger, tab and CR included.
    assert {value[0] for value in starting} == set(TRIGGERS)
    return {"'" + value for value in starting}


def test_member_excel_export_keeps_every_formula_character_as_text(client, district_staff, hostile_members):
    sheet = load_workbook(io.BytesIO(export(client, district_staff, EXPORT_XLSX))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    # XML reads a carriage return back as a line feed; the apostrophe in front is what matters.
    expected = {value.replace("\r", "\n") for value in expected_cells(hostile_members)}
    assert expected <= {cell.value for cell in cells}


def test_member_csv_export_keeps_every_formula_character_as_text(client, chair_a1, hostile_members):
    rows = list(csv.reader(io.StringIO(export(client, chair_a1, EXPORT_CSV).decode("utf-8-sig"), newline="")))
    values = {value for row in rows[1:] for value in row}
    assert expected_cells(hostile_members) <= values
    assert not [value for value in values if value.startswith(tuple(TRIGGERS))]


def test_a_negative_number_stays_a_number_in_excel_and_in_csv():
    columns = [spreadsheets.TableColumn("Họ và tên"), spreadsheets.TableColumn("Số dư", spreadsheets.COUNT_FORMAT)]
    rows = [['-HYPERLINK("http://x","2")', -5]]
    sheet = load_workbook(io.BytesIO(b"".join(spreadsheets.streamed_table(columns, rows, extension="xlsx", title="x"))))
    name, balance = sheet.active[2]
    assert (balance.data_type, balance.value) == ("n", -5)
    assert name.value == '\'-HYPERLINK("http://x","2")'
    data = b"".join(spreadsheets.streamed_table(columns, rows, extension="csv", title="x")).decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(data)))[1] == ['\'-HYPERLINK("http://x","2")', "-5"]


# --- import: files refused before they are read ----------------------------------------------
# Through the import pages (apps.imports), the only way members are imported.


def workbook_of_many_entries(count: int) -> bytes:
    """A zip of ``count`` empty entries that names a workbook, so it is taken for an .xlsx and opened as one."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", b"")
        for number in range(count - 1):
            archive.writestr(f"xl/media/{number}.xml", b"")
    return buffer.getvalue()


def upload(client, user, content: bytes, name: str = "danh-sach.xlsx") -> str:
    client.force_login(user)
    started = time.monotonic()
    response = client.post(
        reverse("imports:upload", args=["members"]),
        {"file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    # Generous on a busy machine; the check reads only the archive's directory.
    assert time.monotonic() - started < 5
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            lambda: zip_bomb(spreadsheets.MAX_XLSX_UNPACKED_BYTES + 16 * 1024 * 1024),
            "khi giải nén sẽ lớn hơn 100 MB",
            id="unpacks-past-the-cap",
        ),
        pytest.param(lambda: workbook_of_many_entries(20_000), "chứa 20.000 thành phần", id="twenty-thousand-entries"),
        pytest.param(lambda: zip_bomb(4 * 1024 * 1024), "được nén theo cách", id="absurd-ratio"),
        pytest.param(lambda: b"\x00\x01\x02 not a sheet", "không phải bảng tính", id="not-a-zip"),
        pytest.param(
            lambda: billion_laughs_workbook(HEADERS, ["A1", "", "Nguyễn Thị Hoa", "Nữ", "05/06/1990", "0011", ""]),
            "chứa khai báo XML không được phép",
            id="billion-laughs-in-shared-strings",
        ),
        pytest.param(
            lambda: billion_laughs_workbook(part="xl/worksheets/sheet1.xml"),
            "chứa khai báo XML không được phép",
            id="billion-laughs-in-the-sheet",
        ),
    ],
)
def test_hostile_excel_files_are_refused_in_vietnamese_and_nothing_is_created(
    client, district_staff, union_a1, content, message
):
    body = upload(client, district_staff, content())
    assert message in body
    assert "Traceback" not in body and "Error" not in body
    assert not Member.objects.exists()


def test_a_zip_bomb_is_refused_before_it_is_parsed(client, district_staff, union_a1, monkeypatch):
    def must_not_run(*args, **kwargs):
        raise AssertionError("the file reached the parser")

    monkeypatch.setattr("openpyxl.reader.excel.ExcelReader.read", must_not_run)
    body = upload(client, district_staff, zip_bomb(spreadsheets.MAX_XLSX_UNPACKED_BYTES + 16 * 1024 * 1024))
    assert "khi giải nén sẽ lớn hơn 100 MB" in body
    assert not Member.objects.exists()


def test_an_excel_file_named_csv_is_still_checked(client, district_staff, union_a1):
    body = upload(client, district_staff, workbook_of_many_entries(20_000), name="danh-sach.csv")
    assert "chứa 20.000 thành phần" in body
    assert not Member.objects.exists()


def test_a_file_that_cannot_be_read_is_said_without_naming_exceptions(client, district_staff, union_a1):
    body = upload(client, district_staff, "Họ và tên\n".encode("utf-16"), name="danh-sach.csv")
    assert "bị từ chối" in body
    assert "UnicodeDecodeError" not in body and "Traceback" not in body
    assert not Member.objects.exists()
