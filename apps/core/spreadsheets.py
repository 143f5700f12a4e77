"""The one place the portal writes spreadsheets for people and checks the ones they upload.

Formula injection: Excel and LibreOffice run a cell whose text starts with ``=``, ``+``,
``-`` or ``@`` as a formula (and skip a leading tab or carriage return before looking), so a
chair who names their union ``=HYPERLINK(...)`` would put a live link in a leader's report.
Every exported text goes through :func:`neutralise`, which follows OWASP's advice on CSV
injection: such text gets a leading apostrophe and is then shown as typed, never run. Only
text is touched; numbers, dates and empty cells stay real values, so ``-5`` stays a number.

Zip bombs: an .xlsx is a zip archive that openpyxl unpacks while parsing, and a few hundred
kilobytes can declare gigabytes. :func:`check_xlsx_archive` reads only the archive's central
directory and refuses what no member sheet needs, before anything is unpacked. Python's
``zipfile`` never hands out more bytes than an entry declares there, so the declared sizes are
the sizes a parser gets. XML entity bombs inside the archive are refused by ``defusedxml``,
which openpyxl uses for every XML part as soon as it is installed (pinned in requirements.txt).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from typing import IO, Any

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from apps.core.formatting import format_number

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A member sheet written by openpyxl takes about 730 bytes a row unpacked (Excel's own files
# less, thanks to shared strings): the whole district of the reference report (13,734
# members) is about 10 MB, and openpyxl parses about 5 MB a second (measured on a busy
# two-core machine). 25 MB holds twice that district in one sheet and parses in seconds, far
# inside gunicorn's 120 s timeout; a larger list is imported in parts.
MAX_XLSX_UNPACKED_BYTES = 25 * 1024 * 1024
# A workbook is a dozen parts (sheets, styles, strings, relations); even one with a hundred
# sheets and pictures stays far below this.
MAX_XLSX_ENTRIES = 1_000
# Sheet XML compresses about 15:1, a sheet of repeated values perhaps 100:1; a stream of
# zeros compresses about 1000:1. Only entries large enough to matter are judged by it.
MAX_XLSX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


class SpreadsheetRefused(ValueError):
    """An uploaded spreadsheet refused before parsing; ``message`` is for the person who sent it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def neutralise(value: Any) -> Any:
    """The value as a spreadsheet cell should hold it: text that could start a formula is kept as text."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values: Iterable[Any]) -> list[Any]:
    """Every value of a row through :func:`neutralise`."""
    return [neutralise(value) for value in values]


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row to an openpyxl sheet with its text neutralised."""
    sheet.append(neutralise_row(values))


def neutralise_workbook(book: Workbook) -> None:
    """Neutralise every text cell of ``book``, those openpyxl already took for formulas included."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    # Assigning again lets openpyxl retype the cell: "'=..." is a plain string.
                    cell.value = neutralise(cell.value)


def xlsx_bytes(book: Workbook) -> bytes:
    """The workbook as an .xlsx file, every text cell neutralised."""
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(book: Workbook, *, filename: str) -> HttpResponse:
    """A download of the workbook as an .xlsx file, every text cell neutralised."""
    response = HttpResponse(xlsx_bytes(book), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def write_csv(rows: Iterable[Iterable[Any]], stream: IO[str]) -> None:
    """Write rows as CSV to a text stream, every text value neutralised."""
    writer = csv.writer(stream)
    for row in rows:
        writer.writerow(neutralise_row(row))


def csv_response(rows: Iterable[Iterable[Any]], *, filename: str) -> HttpResponse:
    """A download of rows as CSV; the byte-order mark makes Excel read it as UTF-8 (Vietnamese)."""
    buffer = io.StringIO()
    write_csv(rows, buffer)
    response = HttpResponse(buffer.getvalue().encode("utf-8-sig"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def check_xlsx_archive(source: bytes | IO[bytes]) -> None:
    """Refuse an .xlsx that is not a zip archive or would unpack into far more than a member sheet."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    position = stream.tell() if stream.seekable() else None
    try:
        # Opening reads the central directory only; no entry is unpacked here.
        with zipfile.ZipFile(stream) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise SpreadsheetRefused(
            _("This file is not a valid Excel (.xlsx) file. Open it in Excel, save it again as .xlsx and retry.")
        ) from None
    finally:
        if position is not None:
            stream.seek(position)
    if len(entries) > MAX_XLSX_ENTRIES:
        raise SpreadsheetRefused(
            _("This Excel file holds %(count)s parts, more than any member list needs; it was not opened.")
            % {"count": format_number(len(entries))}
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise SpreadsheetRefused(
            _(
                "This Excel file would unpack to more than %(limit)s MB; it was not opened. "
                "Split the list into several smaller files and import them one by one."
            )
            % {"limit": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size >= RATIO_CHECKED_FROM_BYTES and ratio > MAX_XLSX_COMPRESSION_RATIO:
            raise SpreadsheetRefused(
                _("This Excel file is compressed in a way no spreadsheet program produces; it was not opened.")
            )
