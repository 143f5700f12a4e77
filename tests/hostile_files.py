"""Spreadsheet files built in code for the upload tests: a normal workbook and the hostile ones."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook


def workbook(*rows: list) -> bytes:
    """An ordinary .xlsx holding ``rows`` in its first sheet (text goes to sharedStrings.xml)."""
    book = Workbook()
    for row in rows or (["Họ và tên"], ["Nguyễn Thị Hoa"]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb(unpacked_bytes: int) -> bytes:
    """A real workbook plus one sheet of zeros: small on disk, huge once unpacked."""
    buffer = io.BytesIO(workbook())
    chunk = b"0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("xl/worksheets/sheet2.xml", "w", force_zip64=True) as entry,
    ):
        for _ in range(unpacked_bytes // len(chunk)):
            entry.write(chunk)
    return buffer.getvalue()


def many_entries(count: int) -> bytes:
    """A zip of ``count`` empty entries."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(count):
            archive.writestr(f"xl/media/{number}.xml", b"")
    return buffer.getvalue()


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def billion_laughs_workbook(*rows: list, part: str = "xl/sharedStrings.xml") -> bytes:
    """A real workbook whose shared strings (or first sheet) nest nine entities: 10⁹ "lol"s once expanded."""
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">' for level in range(1, 10)
    ]
    root, body = (
        ("sst", "<si><t>&lol9;</t></si>")
        if part == "xl/sharedStrings.xml"
        else ("worksheet", '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>')
    )
    bomb = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE {root} [{"".join(entities)}]>\n'
        f'<{root} xmlns="{MAIN}">{body}</{root}>'
    )
    source = zipfile.ZipFile(io.BytesIO(workbook(*rows)))
    parts = {part: bomb.encode()}
    if part == "xl/sharedStrings.xml":
        # openpyxl (like Excel) finds the shared strings through the package's content types.
        declaration = (
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        )
        content_types = source.read("[Content_Types].xml").decode().replace("</Types>", declaration)
        parts["[Content_Types].xml"] = content_types.encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            archive.writestr(name, parts.pop(name, None) or source.read(name))
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()
