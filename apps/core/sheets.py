"""Reading sheets as people really make them: .xlsx, .xls, .ods or CSV, headers found, values tidied.

The format is told from the content, never from the file's name or a picker. A file that
cannot be read at all is refused with one ``SheetError`` (a Vietnamese message); every bad
cell is a ``Problem`` with its Excel row number and the column's header as written, all of
them collected so a preview can show everything at once.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, BinaryIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from python_calamine import CalamineWorkbook, PasswordError, SheetVisibleEnum

from apps.core.formatting import format_number
from apps.core.spreadsheets import restore_neutralised
from apps.core.text import fold, normalize_name

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
# Title rows, a blank line and a note often sit above the headers; twenty is generous.
HEADER_SCAN_ROWS = 20

# Usual ways Vietnamese sheets head the common columns, for callers to pass as aliases.
FULL_NAME_ALIASES = ("Họ tên", "Họ và tên đoàn viên", "Tên đoàn viên")
NATIONAL_ID_ALIASES = (
    "CCCD",
    "Số CCCD",
    "Số căn cước",
    "Số căn cước công dân",
    "Số định danh",
    "Số định danh cá nhân",
    "Số CMND/CCCD",
    "CMND/CCCD",
    "Số CCCD/CMND",
    "CCCD/CMND",
    "Số CMND",
    "CMND",
)
BIRTH_DATE_ALIASES = ("Ngày tháng năm sinh", "Ngày, tháng, năm sinh", "Ngày sinh (dd/mm/yyyy)")
PHONE_ALIASES = ("Điện thoại", "Số điện thoại", "SĐT", "Số ĐT", "ĐT")
GENDER_ALIASES = ("Nam/Nữ", "Phái")

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 container whose directory names these streams (UTF-16LE).
_ENCRYPTION_MARKERS = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# Other binary files mostly hold NUL bytes early and are caught by that; these may not.
_NOT_SPREADSHEET_MAGIC = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class Kind(StrEnum):
    """How a column's cells are read; empty cells are ``None`` for dates and integers, ``""`` otherwise."""

    TEXT = "text"
    NAME = "name"
    CODE = "code"
    DATE = "date"
    ID_NUMBER = "id_number"
    PHONE = "phone"
    EMAIL = "email"
    GENDER = "gender"
    INTEGER = "integer"


@dataclass(frozen=True)
class Column:
    """One logical column: its key in code, its Vietnamese header and the variants people type."""

    key: str
    header: str
    kind: Kind = Kind.TEXT
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class Problem:
    """A bad cell: Excel's row number, the header as written in the file, a Vietnamese message."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        """One line for a person: "Row 5, column «Ngày sinh»: …", or the message alone for the whole file."""
        if not self.row:
            return str(self.message)
        with_column = _("Row %(row)s, column «%(column)s»: %(message)s")
        line = with_column if self.column else _("Row %(row)s: %(message)s")
        return line % {"row": self.row, "column": self.column, "message": self.message}


@dataclass(slots=True)
class Row:
    """A non-blank data row: Excel's row number, tidied values by key, and the cells as read if kept.

    ``read_table`` keeps no cells (``Table.cells_of`` reads them again for the rows that need them).
    """

    number: int
    values: dict[str, Any]
    cells: Sequence[Any] | None = None


@dataclass
class Table:
    """What a sheet holds; ``headers`` maps each key found to its header as written."""

    format: str
    sheet_names: list[str]
    sheet: str | None
    header_row: int
    headers: dict[str, str]
    header_cells: list[str]
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # The sheet's rows from row 1, read again from the file. Only the rejected rows' cells are
    # wanted once every row is checked; keeping all of them took 75 MB for 100,000 rows.
    reread: Callable[[], Iterable[Sequence[Any]]] | None = field(default=None, repr=False, compare=False)

    def cells_of(self, rows: Iterable[Row]) -> dict[int, Sequence[Any]]:
        """The cells as read of ``rows``, by row number (those kept, the others read again)."""
        cells = {row.number: row.cells for row in rows}
        missing = {number for number, kept in cells.items() if kept is None}
        if missing and self.reread is not None:
            for number, read in enumerate(self.reread(), start=1):
                if number in missing:
                    cells[number] = read
                    missing.discard(number)
                    if not missing:
                        break
        return {number: kept for number, kept in cells.items() if kept is not None}


class SheetError(Exception):
    """The whole file is refused; ``message`` says why in the user's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class SheetChoiceNeeded(SheetError):
    """Several sheets hold data: the user must choose one of ``sheets``."""

    def __init__(self, sheets: list[str]):
        names = ", ".join(f"“{name}”" for name in sheets)
        super().__init__(
            _("The workbook has several sheets with data: %(sheets)s. Choose the sheet to import.") % {"sheets": names}
        )
        self.sheets = sheets


class _BadCell(ValueError):
    """Raised by a cell reader; the message goes into a Problem."""


def read_table(
    file: bytes | BinaryIO | str | Path,
    *,
    filename: str,
    columns: Sequence[Column],
    sheet: str | None = None,
    max_bytes: int = MAX_BYTES,
    max_rows: int = MAX_ROWS,
    check_archive: Callable[[bytes], None] | None = None,
) -> Table:
    """Read one sheet of ``file`` into tidy rows, or raise SheetError.

    ``check_archive`` is called with the raw bytes of a zip-based workbook (.xlsx, .ods)
    before it is opened; it is the place for the zip-bomb check, raising SheetError.
    """
    data = _read_bytes(file, max_bytes)
    kind = detect_format(data, filename)
    if kind == "csv":
        grid = _csv_grid(data, columns)
        sheet_names: list[str] = []
        chosen = None
        header_index, mapping = _find_header(grid, columns)
        if len(grid) - header_index - 1 > max_rows:
            raise _too_many_rows(max_rows)
    else:
        if check_archive is not None and kind in ("xlsx", "ods"):
            check_archive(data)
        workbook = _open_workbook(data, kind)
        sheet_names = list(workbook.sheet_names)
        chosen, calamine_sheet, header_index, mapping = _choose_sheet(workbook, sheet, columns)
        end = calamine_sheet.end
        if end is not None and end[0] - header_index > max_rows:
            raise _too_many_rows(max_rows)
        grid = _sheet_rows(calamine_sheet)
    rows = iter(grid)
    reread = (lambda: _csv_grid(data, columns)) if kind == "csv" else (lambda: _reread_sheet(data, kind, chosen))
    for _above in range(header_index):
        next(rows)
    table = Table(
        format=kind,
        sheet_names=sheet_names,
        sheet=chosen,
        header_row=header_index + 1,
        headers={column.key: header for header, column in mapping.values()},
        header_cells=[_header_text(cell) for cell in next(rows)],
        reread=reread,
    )
    _read_rows(table, rows, first_number=header_index + 2, mapping=mapping)
    return table


def _reread_sheet(data: bytes, kind: str, name: str | None) -> Iterator[list[Any]]:
    workbook = _open_workbook(data, kind)
    return _sheet_rows(workbook.get_sheet_by_name(name) if name is not None else workbook.get_sheet_by_index(0))


def _sheet_rows(sheet) -> Iterator[list[Any]]:
    """The sheet's rows from A1, one at a time: ``to_python`` would hold every cell of the sheet at once
    beside the rows read from them (a third of the memory a 100,000-row import took)."""
    # iter_rows starts at row 1 but at the first column holding data: pad back to column A.
    padding = [""] * (sheet.start[1] if sheet.start is not None else 0)
    for cells in sheet.iter_rows():
        yield padding + cells if padding else cells


def detect_format(data: bytes, filename: str) -> str:
    """Tell "xlsx", "xls", "ods" or "csv" from the content; refuse anything else."""
    if not data:
        raise SheetError(_("The file is empty."))
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_format(data, filename)
    if data.startswith(_OLE2_MAGIC):
        return "xls"  # or an encrypted .xlsx, told apart when calamine cannot open it
    if data.startswith(_NOT_SPREADSHEET_MAGIC):
        raise _not_a_spreadsheet(filename)
    if data.startswith(_UTF16_BOMS):
        return "csv"  # Excel's "Unicode Text": tab-separated UTF-16
    head = data[:8192].lstrip(b"\xef\xbb\xbf \t\r\n")
    if b"\x00" in head or head.startswith(b"<"):
        # Binary content, or HTML/XML that some programs save under an .xls name.
        raise _not_a_spreadsheet(filename)
    return "csv"


def _read_bytes(file: bytes | BinaryIO | str | Path, max_bytes: int) -> bytes:
    """The file's content, refusing it before reading when its size is known to be over the cap."""
    if isinstance(file, bytes | bytearray):
        data = bytes(file)
    elif isinstance(file, str | Path):
        with open(file, "rb") as handle:
            return _read_bytes(handle, max_bytes)
    else:
        size = getattr(file, "size", None)  # Django's UploadedFile knows it
        if size is not None and size > max_bytes:
            raise _too_large(max_bytes)
        if getattr(file, "seekable", lambda: False)():
            file.seek(0)  # an upload may have been read already, e.g. by a form's validation
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(max_bytes)
    return data


def _zip_format(data: bytes, filename: str) -> str:
    """An .xlsx or .ods by the parts inside; refuse XML with a DOCTYPE (entity bombs) early."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "xl/workbook.xml" in names:
            kind = "xlsx"
        elif "mimetype" in names and archive.read("mimetype").strip() == _ODS_MIMETYPE:
            kind = "ods"
        else:
            raise _not_a_spreadsheet(filename)  # a .docx, a plain zip …
        for info in archive.infolist():
            if info.filename.endswith((".xml", ".rels")):
                # A DOCTYPE must come before the root element, so the first bytes tell.
                with archive.open(info) as part:
                    head = part.read(4096)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    raise SheetError(_("The file contains XML declarations that are not allowed and was refused."))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise _damaged() from None
    return kind


def _open_workbook(data: bytes, kind: str) -> CalamineWorkbook:
    """Open with calamine, turning its errors into Vietnamese refusals."""
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except PasswordError:
        raise _password_protected() from None
    except Exception:  # calamine reports damage through several exception types
        if kind == "xls" and any(marker in data for marker in _ENCRYPTION_MARKERS):
            raise _password_protected() from None
        if kind == "xls":
            # An OLE2 file that is no workbook: a Word .doc, an Outlook message …
            raise SheetError(
                _("The file cannot be read as a spreadsheet; open it in Excel and save it as .xlsx.")
            ) from None
        raise _damaged() from None


def _choose_sheet(workbook: CalamineWorkbook, wanted: str | None, columns: Sequence[Column]):
    """The sheet to read: the one asked for, the only one with data, or the only one with the headers."""
    try:
        if wanted is not None:
            if wanted not in workbook.sheet_names:
                raise SheetError(_("The file has no sheet named “%(sheet)s”.") % {"sheet": wanted})
            sheet = workbook.get_sheet_by_name(wanted)
            return (wanted, sheet, *_find_header(_top_rows(sheet), columns))
        # Hidden sheets hold a template's drop-down lists, never the data.
        visible = [meta.name for meta in workbook.sheets_metadata if meta.visible == SheetVisibleEnum.Visible]
        with_data = [(name, workbook.get_sheet_by_name(name)) for name in visible]
        with_data = [(name, sheet) for name, sheet in with_data if sheet.end is not None]
    except SheetError:
        raise
    except Exception:
        raise _damaged() from None
    if not with_data:
        raise SheetError(_("The file has no data."))
    if len(with_data) == 1:
        name, sheet = with_data[0]
        return (name, sheet, *_find_header(_top_rows(sheet), columns))
    # A template's data sheet sits beside its instructions sheet: take the one sheet whose headers fit.
    fitting = []
    for name, sheet in with_data:
        try:
            fitting.append((name, sheet, *_find_header(_top_rows(sheet), columns)))
        except SheetError:
            continue
    if len(fitting) == 1:
        return fitting[0]
    raise SheetChoiceNeeded([choice[0] for choice in fitting] or [name for name, _sheet in with_data])


def _top_rows(sheet) -> list[list[Any]]:
    return sheet.to_python(skip_empty_area=False, nrows=HEADER_SCAN_ROWS)


def _csv_grid(data: bytes, columns: Sequence[Column]) -> list[list[str]]:
    """Decode as Excel saves CSV and split on the separator that makes the headers fit best."""
    if data.startswith(_UTF16_BOMS):
        text = data.decode("utf-16")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            # Excel's plain "CSV (Comma delimited)" uses the Windows code page; guessing it garbles names.
            raise SheetError(
                _(
                    "The CSV file is not in UTF-8. In Excel choose Save As › “CSV UTF-8 (Comma delimited) (*.csv)” "
                    "and upload it again."
                )
            ) from None
    lines = text.splitlines(keepends=True)
    first = lines[0].strip() if lines else ""
    if first.lower().startswith("sep=") and len(first) == 5:
        # Excel's own hint line; Excel does not show it, so rows are numbered without it.
        delimiters = [first[4]]
        text = "".join(lines[1:])
    else:
        delimiters = [";", ",", "\t"]
    best, best_score = delimiters[0], -1
    for delimiter in delimiters:
        top = _split_csv(text, delimiter, limit=HEADER_SCAN_ROWS)
        score = max((len(_matched_keys(row, columns)) for row in top), default=0)
        if score > best_score:
            best, best_score = delimiter, score
    grid = _split_csv(text, best)
    while grid and _is_blank(grid[-1]):
        grid.pop()
    if not grid:
        raise SheetError(_("The file has no data."))
    return grid


def _split_csv(text: str, delimiter: str, limit: int | None = None) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        if limit is None:
            return list(reader)
        return [row for _index, row in zip(range(limit), reader, strict=False)]
    except csv.Error:
        raise _damaged() from None


def _header_key(text: str) -> str:
    """Fold a header for matching: "  Họ và Tên (*):" and "ho va ten" are the same."""
    folded = fold(unicodedata.normalize("NFC", text)).replace("(*)", "")
    return " ".join(folded.strip(" :*.").split())


def _header_text(cell: Any) -> str:
    return normalize_name(cell) if isinstance(cell, str) else ""


def _lookup(columns: Sequence[Column]) -> dict[str, Column]:
    table = {}
    for column in columns:
        for name in (column.header, *column.aliases):
            table.setdefault(_header_key(name), column)
    return table


def _matched_keys(row: Sequence[Any], columns: Sequence[Column]) -> set[str]:
    lookup = _lookup(columns)
    return {lookup[key].key for cell in row if isinstance(cell, str) and (key := _header_key(cell)) in lookup}


def _find_header(grid: Sequence[Sequence[Any]], columns: Sequence[Column]) -> tuple[int, dict[int, tuple[str, Column]]]:
    """The row among the first ones that names the most known columns, and which cell is which column."""
    best_index, best_score = 0, 0
    for index, row in enumerate(grid[:HEADER_SCAN_ROWS]):
        score = len(_matched_keys(row, columns))
        if score > best_score:
            best_index, best_score = index, score
    lookup = _lookup(columns)
    mapping: dict[int, tuple[str, Column]] = {}
    seen: dict[str, str] = {}
    for position, cell in enumerate(grid[best_index] if grid else ()):
        if not isinstance(cell, str) or (column := lookup.get(_header_key(cell))) is None:
            continue
        written = _header_text(cell)
        if column.key in seen:
            raise SheetError(
                _("The columns “%(first)s” and “%(second)s” both hold “%(column)s”; keep only one of them.")
                % {"first": seen[column.key], "second": written, "column": column.header}
            )
        seen[column.key] = written
        mapping[position] = (written, column)
    missing = [column.header for column in columns if column.required and column.key not in seen]
    if not mapping and not missing:
        missing = [column.header for column in columns]
    if missing:
        raise SheetError(
            _("Missing required columns: %(columns)s.") % {"columns": ", ".join(f"“{name}”" for name in missing)}
        )
    return best_index, mapping


def _is_blank(row: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _read_rows(table: Table, grid: Iterable[Sequence[Any]], *, first_number: int, mapping) -> None:
    """Tidy every non-blank row, collecting every bad cell rather than stopping at the first."""
    # Looked up once, not per cell: a district's sheet has some 200,000 cells.
    plan = [
        (position, written, column.key, _READERS[column.kind], _empty(column.kind), column.required)
        for position, (written, column) in mapping.items()
    ]
    for offset, cells in enumerate(grid):
        if _is_blank(cells):
            continue
        number = first_number + offset
        values: dict[str, Any] = {}
        for position, written, key, reader, empty, required in plan:
            raw = cells[position] if position < len(cells) else ""
            if isinstance(raw, str):
                # Before stripping, as the value was before the export neutralised it ("'\tx" is "\tx").
                raw = unicodedata.normalize("NFC", restore_neutralised(raw)).strip()
            if raw is None or raw == "":
                values[key] = empty
                if required:
                    table.problems.append(Problem(number, written, _("Please fill in this cell.")))
                continue
            try:
                values[key] = reader(raw)
            except _BadCell as error:
                values[key] = empty
                table.problems.append(Problem(number, written, str(error)))
        table.rows.append(Row(number=number, values=values))


def _empty(kind: Kind) -> Any:
    """An empty cell: None where a value has a type of its own, "" for text (never "None")."""
    return None if kind in (Kind.DATE, Kind.INTEGER) else ""


def _display(value: Any) -> str:
    """A cell as the user would recognise it in a message: 912345678, not 912345678.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def _read_text(value: Any) -> str:
    return _display(value)


def _read_name(value: Any) -> str:
    return normalize_name(_display(value))


_DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?")


def _read_date(value: Any) -> date:
    """An Excel date, or text written day first (05/06/1990 is 5 June) or as yyyy-mm-dd."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            if match := _DAY_FIRST.fullmatch(value):
                return date(int(match[4]), int(match[3]), int(match[1]))
            if match := _ISO.fullmatch(value):
                return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass  # 31/02/1990
    # A bare number is refused: it may be a year of birth as easily as a date that lost its format.
    raise _BadCell(_("Invalid date: “%(value)s”; write it as dd/mm/yyyy.") % {"value": _display(value)})


_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?E\+?\d+", re.IGNORECASE)


def _digits(value: Any) -> str | None:
    """The digits of a number typed as a number or as text (None if it is no whole number).

    Raises _BadCell for what Excel already rounded to "1,23457E+11": the lost digits cannot be guessed.
    """
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        return None
    if isinstance(value, int | float):
        return str(int(value))
    text = str(value).lstrip("'")
    if _SCIENTIFIC.fullmatch(text):
        raise _BadCell(
            _(
                "Excel turned the number into “%(value)s” and lost its last digits; format the column as Text, "
                "type the numbers again and upload."
            )
            % {"value": text}
        )
    return re.sub(r"[\s.\-()]", "", text)


def _read_id_number(value: Any) -> str:
    """A CCCD (12 digits) or old CMND (9 digits), with the leading zeros a number cell dropped put back."""
    digits = _digits(value)
    if not digits or not digits.isascii() or not digits.isdigit():
        raise _invalid_id_number(value)
    # CCCD numbers start with a province code 001-096 and CMND numbers often with 0: only zeros go missing.
    if len(digits) in (10, 11):
        digits = digits.zfill(12)
    elif len(digits) == 8:
        digits = digits.zfill(9)
    if len(digits) not in (9, 12):
        raise _invalid_id_number(value)
    return digits


def _invalid_id_number(value: Any) -> _BadCell:
    return _BadCell(
        _("“%(value)s” is not a CCCD number (12 digits) or an old ID card number (9 digits).")
        % {"value": _display(value)}
    )


def _read_phone(value: Any) -> str:
    """Digits only (a leading + kept); a mobile or landline number typed as a number gets its 0 back."""
    digits = _digits(value) or ""
    plus, digits = ("+", digits[1:]) if digits.startswith("+") else ("", digits)
    if not digits.isascii() or not digits.isdigit():
        raise _invalid_phone(value)
    if not plus and not digits.startswith("0") and len(digits) in (9, 10):
        digits = "0" + digits
    if not 8 <= len(digits) <= 15:
        raise _invalid_phone(value)
    return plus + digits


def _invalid_phone(value: Any) -> _BadCell:
    return _BadCell(_("“%(value)s” is not a phone number (8 to 15 digits).") % {"value": _display(value)})


def _read_email(value: Any) -> str:
    text = _display(value)
    try:
        validate_email(text)
    except ValidationError:
        raise _BadCell(_("“%(value)s” is not an e-mail address.") % {"value": text}) from None
    return text


# The exact spellings first, so most cells skip folding.
_GENDERS = {"Nam": "male", "Nữ": "female", "nam": "male", "nu": "female", "male": "male", "female": "female"}


def _read_gender(value: Any) -> str:
    """ "male" or "female" (the model's codes) from Nam/Nữ however typed."""
    gender = _GENDERS.get(value) or _GENDERS.get(fold(_display(value)))
    if gender is None:
        raise _BadCell(_("Gender must be “Nam” or “Nữ”, not “%(value)s”.") % {"value": _display(value)})
    return gender


_GROUPED = re.compile(r"\d{1,3}(?:([.,\s])\d{3})(?:\1\d{3})*")
_WHOLE_DECIMAL = re.compile(r"(\d+)[.,]0+")


def _read_integer(value: Any) -> int:
    """A whole number: 12, 12.0, "1.234" (Vietnamese thousands) or "1,234"."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        text = value.strip().lstrip("+")
        if text.isascii() and text.isdigit():
            return int(text)
        if _GROUPED.fullmatch(text):
            return int(re.sub(r"\D", "", text))
        if match := _WHOLE_DECIMAL.fullmatch(text):
            return int(match[1])
    raise _BadCell(_("“%(value)s” is not a whole number.") % {"value": _display(value)})


_READERS: dict[Kind, Callable[[Any], Any]] = {
    Kind.TEXT: _read_text,
    Kind.NAME: _read_name,
    Kind.CODE: _read_name,
    Kind.DATE: _read_date,
    Kind.ID_NUMBER: _read_id_number,
    Kind.PHONE: _read_phone,
    Kind.EMAIL: _read_email,
    Kind.GENDER: _read_gender,
    Kind.INTEGER: _read_integer,
}


def _too_large(max_bytes: int) -> SheetError:
    return SheetError(
        _("The file is larger than %(limit)s MB; split it into smaller files.") % {"limit": max_bytes // (1024 * 1024)}
    )


def _too_many_rows(max_rows: int) -> SheetError:
    return SheetError(
        _("The file has more than %(limit)s rows, the most one import takes; split it into several files.")
        % {"limit": format_number(max_rows)}
    )


def _not_a_spreadsheet(filename: str) -> SheetError:
    return SheetError(
        _("“%(name)s” is not a spreadsheet: its content is not Excel (.xlsx, .xls), OpenDocument (.ods) or CSV.")
        % {"name": filename}
    )


def _password_protected() -> SheetError:
    return SheetError(
        _("The file is protected by a password. Open it in Excel, remove the password, save it and upload it again.")
    )


def _damaged() -> SheetError:
    return SheetError(_("The file is damaged or cannot be read. Open it in Excel, save it again and upload it."))
