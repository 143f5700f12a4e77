"""An .xlsx of one sheet (or a few) written row by row in constant memory, for the portal's long downloads.

Why not a library: on this project's machine, 100,000 members (1.2 million cells) took
XlsxWriter 15 s in its constant-memory mode and openpyxl's write-only mode 30-80 s (with or
without lxml), against a target of 10 s for the whole export (docs/PERFORMANCE.md). Both pay
a Python call or two per cell; here a row is one formatted string. The file is the plainest
SpreadsheetML that Excel, LibreOffice, openpyxl and calamine read: one sheet or a few, text as inline
strings (no shared-strings table to hold in memory), numbers and dates as values with a number
format, a bold header row kept in view, filter buttons, column widths. Nothing else (no
formulas, merged cells): :func:`apps.core.spreadsheets.write_table` and
openpyxl are there for formatted reports.

Text is written as given: neutralising formula-like text is the caller's
(:func:`apps.core.spreadsheets.table_download`).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import IO, Any
from xml.sax.saxutils import escape, quoteattr

from openpyxl.utils import get_column_letter

# Excel counts days from 30/12/1899 (its 1900 leap-year bug folded in, for dates after 28/02/1900).
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
# Characters XML 1.0 does not allow, which no spreadsheet program would open: dropped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# What a text cell may hold that XML must escape or cannot hold: most names hold none of it.
_NEEDS_ESCAPING = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Spaces at either end that Excel would drop unless told to keep them ("" is no space).
_EDGE_SPACE = frozenset(" \t\n\r")
# Rows whose text sets the column widths; later rows are written as they come.
WIDTH_SAMPLE_ROWS = 1_000
# Rows formatted before they are handed to the zip stream.
_BATCH_ROWS = 1_000
# Style indexes in styles.xml: 0 plain, 1 bold (the header), then one per number format.
_BOLD = 1


def _content_types(sheet_count: int) -> str:
    sheets = "".join(
        f'<Override PartName="/xl/worksheets/sheet{number}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for number in range(1, sheet_count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{sheets}"
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    )


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    "</Relationships>"
)


def _workbook_rels(sheet_count: int) -> str:
    # Sheets are rId1 … rIdN, the styles come after them.
    sheets = "".join(
        f'<Relationship Id="rId{number}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{number}.xml"/>'
        for number in range(1, sheet_count + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{sheets}"
        f'<Relationship Id="rId{sheet_count + 1}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    )


_MAIN = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RELATIONS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'


def _text(value: str) -> str:
    """An inline-string cell's content: escaped, stray control characters dropped, edge spaces kept."""
    if _NEEDS_ESCAPING.search(value) is not None:
        value = escape(_NOT_XML.sub("", value))
    if value[:1] in _EDGE_SPACE or value[-1:] in _EDGE_SPACE:
        return f'<is><t xml:space="preserve">{value}</t></is>'
    return f"<is><t>{value}</t></is>"


def _shown(value: Any) -> int:
    """About how many characters a cell needs to show ``value``."""
    if isinstance(value, date):
        return 10
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return len(f"{value:,}")
    return len(str(value))


@dataclass
class Sheet:
    """One sheet of a workbook: its tab's name, its headers, per column the number format, its rows (read once)."""

    title: str
    headers: Sequence[str]
    number_formats: Sequence[str | None]
    rows: Iterable[Sequence[Any]]


def write_sheet(
    output: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    number_formats: Sequence[str | None],
    rows: Iterable[Sequence[Any]],
    prepare_text: Callable[[str], str] = str,
    min_width: int = 6,
    max_width: int = 50,
) -> int:
    """Write an .xlsx of one sheet to ``output`` (seekable), reading ``rows`` once; the rows written.

    ``number_formats``: per column, the Excel format of its numbers and dates (None: general,
    and dd/mm/yyyy for a date). Cells: str → text (through ``prepare_text``), date/datetime →
    a date value, int/float/Decimal → a number, None or "" → empty.
    """
    sheet = Sheet(title=title, headers=headers, number_formats=number_formats, rows=rows)
    return write_workbook(output, [sheet], prepare_text=prepare_text, min_width=min_width, max_width=max_width)[0]


def write_workbook(
    output: IO[bytes],
    sheets: Sequence[Sheet],
    *,
    prepare_text: Callable[[str], str] = str,
    min_width: int = 6,
    max_width: int = 50,
) -> list[int]:
    """Write an .xlsx of ``sheets`` (in their order, the first one open) to ``output``; the rows written to each.

    Each sheet is written as :func:`write_sheet` writes its one: a frozen bold header,
    filter buttons, widths from its first rows. Sheets are written one after the other, each
    read once, so memory stays flat however long they are.
    """
    formats = sorted({fmt for sheet in sheets for fmt in sheet.number_formats if fmt})
    style_of_format = {fmt: index for index, fmt in enumerate(formats, start=2)}
    if "dd/mm/yyyy" not in style_of_format:
        formats.append("dd/mm/yyyy")
        style_of_format["dd/mm/yyyy"] = len(formats) + 1
    names = _sheet_names([sheet.title for sheet in sheets])
    written = []
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _content_types(len(sheets)))
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/_rels/workbook.xml.rels", _workbook_rels(len(sheets)))
        archive.writestr("xl/styles.xml", _styles(formats))
        for number, sheet in enumerate(sheets, start=1):
            with archive.open(f"xl/worksheets/sheet{number}.xml", "w", force_zip64=True) as part:
                written.append(
                    _write_rows(
                        part,
                        sheet,
                        style_of_format=style_of_format,
                        selected=number == 1,
                        prepare_text=prepare_text,
                        min_width=min_width,
                        max_width=max_width,
                    )
                )
        entries, filters = [], []
        for index, (name, sheet, count) in enumerate(zip(names, sheets, written, strict=True)):
            entries.append(f'<sheet name={quoteattr(name)} sheetId="{index + 1}" r:id="rId{index + 1}"/>')
            quoted = "'" + name.replace("'", "''") + "'"
            last = get_column_letter(len(sheet.headers))
            filters.append(
                f'<definedName name="_xlnm._FilterDatabase" localSheetId="{index}" hidden="1">'
                f"{escape(quoted)}!$A$1:${last}${count + 1}</definedName>"
            )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_MAIN} {_RELATIONS}>'
            f"<sheets>{''.join(entries)}</sheets><definedNames>{''.join(filters)}</definedNames></workbook>",
        )
    return written


def _sheet_names(titles: Sequence[str]) -> list[str]:
    """Tab names Excel accepts: no ``[]:*?/\\``, at most 31 characters, none twice."""
    names: list[str] = []
    for number, title in enumerate(titles, start=1):
        name = re.sub(r"[\[\]:*?/\\]", " ", title)[:31] or f"Sheet{number}"
        if name.casefold() in {taken.casefold() for taken in names}:
            name = f"{name[:27]} ({number})"
        names.append(name)
    return names


def _write_rows(
    part: IO[bytes],
    sheet: Sheet,
    *,
    style_of_format: dict[str, int],
    selected: bool,
    prepare_text: Callable[[str], str],
    min_width: int,
    max_width: int,
) -> int:
    """One worksheet's XML, written to ``part`` as its rows are read; the rows written."""
    headers = sheet.headers
    date_style = style_of_format["dd/mm/yyyy"]
    column_styles = [style_of_format.get(fmt) if fmt else None for fmt in sheet.number_formats]
    letters = [get_column_letter(index) for index in range(1, len(headers) + 1)]
    widths = [len(header) for header in headers]
    rows = iter(sheet.rows)

    def row_xml(number: int, values: Sequence[Any]) -> str:
        cells = []
        for index, value in enumerate(values):
            if value is None or value == "":
                continue
            reference = f"{letters[index]}{number}"
            if isinstance(value, str):
                cells.append(f'<c r="{reference}" t="inlineStr">{_text(prepare_text(value))}</c>')
            elif isinstance(value, date):
                serial = value.toordinal() - _EXCEL_EPOCH
                if isinstance(value, datetime):
                    serial += (value.hour * 3600 + value.minute * 60 + value.second) / 86400
                style = column_styles[index] or date_style
                cells.append(f'<c r="{reference}" s="{style}"><v>{serial}</v></c>')
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                style = column_styles[index]
                styled = f' s="{style}"' if style else ""
                cells.append(f'<c r="{reference}"{styled}><v>{value}</v></c>')
            else:
                cells.append(f'<c r="{reference}" t="inlineStr">{_text(prepare_text(str(value)))}</c>')
        return f'<row r="{number}">{"".join(cells)}</row>'

    # The widths come before the data in the sheet's XML: the first rows set them.
    sample = []
    for values in rows:
        sample.append(values)
        for index, value in enumerate(values):
            if value is not None and (shown := _shown(value)) > widths[index]:
                widths[index] = shown
        if len(sample) == WIDTH_SAMPLE_ROWS:
            break
    header = "".join(
        f'<c r="{letter}1" t="inlineStr" s="{_BOLD}">{_text(str(text))}</c>'
        for letter, text in zip(letters, headers, strict=True)
    )
    columns = "".join(
        f'<col min="{index}" max="{index}" width="{min(max(width, min_width) + 2, max_width)}" customWidth="1"/>'
        for index, width in enumerate(widths, start=1)
    )
    tab = ' tabSelected="1"' if selected else ""
    part.write(
        (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_MAIN} {_RELATIONS}>'
            f'<sheetViews><sheetView{tab} workbookViewId="0">'
            '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
            '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{columns}</cols>'
            f'<sheetData><row r="1">{header}</row>'
        ).encode()
    )
    written = 0
    batch = []
    for values in sample:
        written += 1
        batch.append(row_xml(written + 1, values))
    for values in rows:
        written += 1
        batch.append(row_xml(written + 1, values))
        if len(batch) >= _BATCH_ROWS:
            part.write("".join(batch).encode())
            batch = []
    part.write("".join(batch).encode())
    last = f"{letters[-1]}{written + 1}"
    part.write(f'</sheetData><autoFilter ref="A1:{last}"/></worksheet>'.encode())
    return written


def _styles(formats: Sequence[str]) -> str:
    """styles.xml: style 0 plain, 1 bold, then one per number format (custom ids from 164)."""
    number_formats = "".join(
        f'<numFmt numFmtId="{164 + index}" formatCode={quoteattr(fmt)}/>' for index, fmt in enumerate(formats)
    )
    formatted = "".join(
        f'<xf numFmtId="{164 + index}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        for index, _fmt in enumerate(formats)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_MAIN}>'
        f'<numFmts count="{len(formats)}">{number_formats}</numFmts>'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{2 + len(formats)}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        f"{formatted}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    )
