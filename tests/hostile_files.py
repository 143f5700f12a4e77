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


# Photos for the meeting gallery: a phone's JPEG with its GPS position, and files that only pretend.
CAMERA = "May-anh-thu-GPS"
JPEG_COMMENT = b"<script>alert('anh')</script>"


def photo_jpeg(size: tuple[int, int] = (800, 600), *, gps: bool = True) -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera's name and (by default) where it was taken, a comment."""
    from PIL import Image

    image = Image.new("RGB", size, (32, 91, 122))
    image.paste((200, 60, 40), (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    exif[0x010F] = CAMERA  # Make
    exif[0x0112] = 1  # Orientation: upright
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (21.0, 3.0, 30.0), 3: "E", 4: (105.0, 49.0, 12.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, comment=JPEG_COMMENT, quality=85)
    return buffer.getvalue()


def photo_png(size: tuple[int, int] = (640, 480)) -> bytes:
    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "<script>alert('png')</script>")
    buffer = io.BytesIO()
    Image.new("RGBA", size, (10, 120, 60, 200)).save(buffer, "PNG", pnginfo=info)
    return buffer.getvalue()


# A Windows program's first bytes ("MZ", then the DOS stub's message), and a page with a script.
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"This program cannot run in DOS." * 4
HTML_PAGE = b"<!DOCTYPE html><html><body><script>fetch('/admin/')</script></body></html>"
