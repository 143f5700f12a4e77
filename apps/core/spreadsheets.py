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

Lists people download whole (members, every list of the import pages) go through
:func:`table_download`, which writes .xlsx (apps.core.xlsx_writer, constant memory) or .csv while the
rows are read (.xlsx by the small writer of ``apps.core.xlsx_writer``) and sends the file as a
stream: 100,000 members in a few seconds and flat memory.

Sheets people use: :func:`write_table` writes a table with a title saying what and as of when,
a bold header row that stays in view, fitted column widths, and numbers, percentages and dates
as real values with Excel number formats (Excel shows them with the reader's own separators:
13.734 and 95,9 % in Vietnamese). :func:`export_filename` names every download the same way:
``danh-sach-doan-vien_CDCS-TH-DN-023_02-12-2026.xlsx``, Vietnamese words without diacritics.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from apps.core import xlsx_writer
from apps.core.formatting import format_number
from apps.core.text import fold

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": CSV_CONTENT_TYPE}

# What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# A member sheet written by openpyxl takes about 600-730 bytes a row unpacked (Excel's own
# files less, thanks to shared strings): the largest sheet the reader takes (apps.core.sheets.
# MAX_ROWS, 100,000 rows) is 60-75 MB. calamine parses it as it unpacks, about 60 MB a second,
# and a file that large is checked and imported by the background worker, never in a request
# (IMPORTS_INLINE_MAX_BYTES). Anything past this cap is no member sheet.
MAX_XLSX_UNPACKED_BYTES = 100 * 1024 * 1024
# A workbook is a dozen parts (sheets, styles, strings, relations); even one with a hundred
# sheets and pictures stays far below this.
MAX_XLSX_ENTRIES = 1_000
# Sheet XML compresses about 15:1, a sheet of repeated values perhaps 100:1; a stream of
# zeros compresses about 1000:1. Only entries large enough to matter are judged by it.
MAX_XLSX_COMPRESSION_RATIO = 200
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


# Excel number formats, written in Excel's own notation: the reader's Excel shows them with its
# locale's separators, so a Vietnamese Excel shows 13.734, 95,9 % and 09/07/2021.
COUNT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "dd/mm/yyyy"

# Column widths in characters: wide enough for a header or a value, never wider than a name needs.
MIN_COLUMN_WIDTH = 6
MAX_COLUMN_WIDTH = 50

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_NOT_CODE = re.compile(r"[^A-Za-z0-9]+")


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


def restore_neutralised(value: Any) -> Any:
    """Undo :func:`neutralise` on a cell read back: an apostrophe before a formula trigger goes, nothing else.

    The portal's own files (exports, the rejected-rows sheet) come back as uploads; without
    this "-Tổ 1" would be imported as "'-Tổ 1". An apostrophe before anything else is the
    user's own text and stays.
    """
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
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


export_logger = logging.getLogger("unionportal.exports")


def log_export(*, user, what: str, file_format: str, rows: int | None = None, **fields: Any) -> None:
    """One line in the log for each list downloaded: which list, its format and size, by whom (ids only)."""
    export_logger.info(
        "export %s (%s)",
        what,
        file_format,
        extra={"event": "export", "user_id": user.pk, "what": what, "format": file_format, "rows": rows, **fields},
    )


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


def _ascii_code(code: str) -> str:
    """A code as a file name can carry it: diacritics dropped (``fold``), case and dashes kept."""
    letters = "".join(ch if ch.isascii() else fold(ch).upper() if ch.isupper() else fold(ch) for ch in code)
    return _NOT_CODE.sub("-", letters).strip("-")


def export_filename(title: str, *, code: str | None = None, on: date | None, extension: str = "xlsx") -> str:
    """A download's name in Vietnamese without diacritics: ``danh-sach-doan-vien_CDCS-023_02-12-2026.xlsx``.

    ``title`` in plain Vietnamese ("Danh sách đoàn viên"), ``code`` as the portal shows it, the
    day as dd-mm-yyyy (None for a file of no day, like a template). ASCII only, so every browser
    and mail program keeps it as it is.
    """
    day = on.strftime("%d-%m-%Y") if on is not None else ""
    parts = [_NOT_SLUG.sub("-", fold(title)).strip("-"), _ascii_code(code or ""), day]
    return "_".join(part for part in parts if part) + f".{extension}"


def scope_code(user) -> str | None:
    """The code of what ``user`` works on, for a download's name: their CĐCS, else their federation."""
    for scope in (getattr(user, "union", None), getattr(user, "federation", None)):
        if scope is not None:
            return scope.code
    return None


@dataclass(frozen=True)
class TableColumn:
    """A column of a table written by :func:`write_table`.

    ``number_format``: the Excel format of its numbers and dates (``COUNT_FORMAT`` …), None
    for text. ``width``: in characters; None fits it to the header and the values.
    """

    header: str
    number_format: str | None = None
    width: int | None = None


def _shown_width(value: Any) -> int:
    """About how many characters Excel needs to show ``value``."""
    if value is None:
        return 0
    if isinstance(value, date | datetime):
        return 10
    if isinstance(value, float):
        return 7  # a percentage: "100,0 %"
    if isinstance(value, int):
        return len(f"{value:,}")
    return len(str(value))


def write_table(
    sheet: Worksheet,
    columns: Sequence[TableColumn],
    rows: Iterable[Sequence[Any]],
    *,
    title: Sequence[str] = (),
    footer: Iterable[Sequence[Any]] = (),
) -> None:
    """Write a table on an empty sheet: title lines, a bold frozen header, typed cells, fitted widths.

    Cells hold real numbers and dates, shown through each column's number format; text is
    neutralised when the workbook is saved (:func:`xlsx_bytes`). ``footer`` rows (totals) come
    after the data in bold, counts formatted like counts.
    """
    bold = Font(bold=True)
    for number, line in enumerate(title, start=1):
        sheet.cell(row=number, column=1, value=str(line)).font = Font(bold=True, size=13 if number == 1 else 11)
    header_row = len(title) + 2 if title else 1
    widths = []
    for index, column in enumerate(columns, start=1):
        header = capfirst(str(column.header))
        cell = sheet.cell(row=header_row, column=index, value=header)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        widths.append(len(header))
    # The header stays in view while scrolling, and is printed again on every page.
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    formats = [(index, column.number_format) for index, column in enumerate(columns, start=1) if column.number_format]
    row_number = header_row
    for values in rows:
        row_number += 1
        for index, value in enumerate(values, start=1):
            sheet.cell(row=row_number, column=index, value=value)
            if index <= len(widths):
                widths[index - 1] = max(widths[index - 1], _shown_width(value))
        for index, number_format in formats:
            sheet.cell(row=row_number, column=index).number_format = number_format
    if row_number > header_row:
        # Excel's filter buttons on the header, over the data only (not the totals below).
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{row_number}"
    for values in footer:
        row_number += 1
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row_number, column=index, value=value)
            cell.font = bold
            if index <= len(columns) and columns[index - 1].number_format:
                cell.number_format = columns[index - 1].number_format
            elif isinstance(value, int):
                cell.number_format = COUNT_FORMAT
    for index, column in enumerate(columns, start=1):
        fitted = min(max(widths[index - 1], MIN_COLUMN_WIDTH) + 2, MAX_COLUMN_WIDTH)
        sheet.column_dimensions[get_column_letter(index)].width = column.width or fitted


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


# Rows of a CSV download sent at a time, and bytes of an .xlsx one.
CSV_CHUNK_ROWS = 2_000
XLSX_CHUNK_BYTES = 256 * 1024


def _text_cell(value: Any) -> str:
    """A CSV cell: dates day first as Vietnamese sheets write them, text neutralised, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.day:02}/{value.month:02}/{value.year}"  # strftime is several times slower
    return neutralise(value)


def _csv_chunks(columns: Sequence[TableColumn], rows: Iterable[Sequence[Any]]) -> Iterator[bytes]:
    # The byte-order mark makes Excel read the file as UTF-8 (Vietnamese).
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow([str(column.header) for column in columns])
    for count, row in enumerate(rows, start=1):
        writer.writerow([_text_cell(value) for value in row])
        if count % CSV_CHUNK_ROWS == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_chunks(columns: Sequence[TableColumn], rows: Iterable[Sequence[Any]], *, title: str) -> Iterator[bytes]:
    """An .xlsx written row by row in constant memory (apps.core.xlsx_writer), then sent from its temporary file.

    A zip archive is complete only once its last entry is written: the file is built first
    (in a temporary file, not in memory), then streamed.
    """
    with tempfile.TemporaryFile() as file:
        xlsx_writer.write_sheet(
            file,
            title=title,
            headers=[capfirst(str(column.header)) for column in columns],
            number_formats=[column.number_format for column in columns],
            rows=rows,
            prepare_text=neutralise,
            min_width=MIN_COLUMN_WIDTH,
            max_width=MAX_COLUMN_WIDTH,
        )
        file.seek(0)
        while chunk := file.read(XLSX_CHUNK_BYTES):
            yield chunk


def streamed_table(
    columns: Sequence[TableColumn], rows: Iterable[Sequence[Any]], *, extension: str, title: str
) -> Iterator[bytes]:
    """The bytes of a table as .xlsx or .csv, written as ``rows`` are read (see :func:`table_download`)."""
    if extension == "csv":
        return _csv_chunks(columns, rows)
    return _xlsx_chunks(columns, rows, title=title)


def table_download(
    columns: Sequence[TableColumn], rows: Iterable[Sequence[Any]], *, extension: str, title: str, filename: str
) -> StreamingHttpResponse:
    """A list as a download, written while it is sent: memory stays flat however many rows ``rows`` yields.

    .xlsx: a bold header that stays in view, filter buttons, fitted widths, dates and numbers
    as real values in their column's number format (``TableColumn.number_format``), text as
    text (neutralised). .csv: UTF-8 with a byte-order mark, dates as dd/mm/yyyy, text
    neutralised. ``rows`` is read lazily, while the response is sent (a queryset's
    ``.iterator()``): the database connection must stay open until then, as it does in a request.
    """
    response = StreamingHttpResponse(
        streamed_table(columns, rows, extension=extension, title=title), content_type=CONTENT_TYPES[extension]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass(frozen=True)
class TableSheet:
    """One sheet of a :func:`workbook_download`: its tab's name, its columns and its rows (read once, lazily)."""

    title: str
    columns: Sequence[TableColumn]
    rows: Iterable[Sequence[Any]]


def _workbook_chunks(sheets: Sequence[TableSheet]) -> Iterator[bytes]:
    with tempfile.TemporaryFile() as file:
        xlsx_writer.write_workbook(
            file,
            [
                xlsx_writer.Sheet(
                    title=sheet.title,
                    headers=[capfirst(str(column.header)) for column in sheet.columns],
                    number_formats=[column.number_format for column in sheet.columns],
                    rows=sheet.rows,
                )
                for sheet in sheets
            ],
            prepare_text=neutralise,
            min_width=MIN_COLUMN_WIDTH,
            max_width=MAX_COLUMN_WIDTH,
        )
        file.seek(0)
        while chunk := file.read(XLSX_CHUNK_BYTES):
            yield chunk


def workbook_download(sheets: Sequence[TableSheet], *, filename: str) -> StreamingHttpResponse:
    """Several lists as one .xlsx download, one sheet each, written as :func:`table_download` writes one."""
    response = StreamingHttpResponse(_workbook_chunks(sheets), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
