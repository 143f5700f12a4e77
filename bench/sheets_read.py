"""How long the sheet reader takes on a district's member sheet, beside calamine alone.

Run on demand: ``python -m bench.sheets_read [ROWS ...]`` (default 14000 and 100000 rows).
The ratio read_table / calamine is the figure to watch (issue 12, item 11).
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
django.setup()

import openpyxl  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from apps.core.sheets import (  # noqa: E402
    BIRTH_DATE_ALIASES,
    FULL_NAME_ALIASES,
    GENDER_ALIASES,
    NATIONAL_ID_ALIASES,
    PHONE_ALIASES,
    Column,
    Kind,
    read_table,
)

COLUMNS = (
    Column("full_name", "Họ và tên", Kind.NAME, FULL_NAME_ALIASES, required=True),
    Column("birth_date", "Ngày sinh", Kind.DATE, BIRTH_DATE_ALIASES),
    Column("gender", "Giới tính", Kind.GENDER, GENDER_ALIASES),
    Column("national_id", "Số CCCD", Kind.ID_NUMBER, NATIONAL_ID_ALIASES, required=True),
    Column("phone", "Số điện thoại", Kind.PHONE, PHONE_ALIASES),
    Column("email", "Email", Kind.EMAIL),
    Column("union", "Mã CĐCS", Kind.CODE, required=True),
    Column("group", "Tổ công đoàn", Kind.NAME),
    Column("joined_on", "Ngày vào công đoàn", Kind.DATE),
    Column("card_number", "Số thẻ đoàn viên", Kind.CODE),
)
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hằng", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Phương", "Trang"]


def member_sheet(rows: int) -> bytes:
    """A realistic district sheet: title rows, Excel dates, phones typed as numbers, some empty cells."""
    rng = random.Random(12)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Đoàn viên")
    sheet.append(["DANH SÁCH ĐOÀN VIÊN"])
    sheet.append([])
    sheet.append(["STT", *(column.header for column in COLUMNS), "Ghi chú"])
    for number in range(1, rows + 1):
        sheet.append(
            [
                number,
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                date(1970, 1, 1) + timedelta(days=rng.randrange(12000)),
                rng.choice(["Nam", "Nữ"]),
                f"{rng.randrange(1, 97):03d}{rng.randrange(10**9):09d}",
                rng.randrange(900_000_000, 999_999_999),  # typed as a number: the 0 is lost
                "" if number % 3 else f"dv{number}@example.vn",
                f"CDCS-{number % 250:03d}",
                f"Tổ {number % 12 + 1}",
                (date(2010, 1, 1) + timedelta(days=rng.randrange(5000))).strftime("%d/%m/%Y"),
                None,
                "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def best_of(runs: int, action) -> float:
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def measure(rows: int) -> str:
    """One line of figures for a sheet of ``rows`` members."""
    data = member_sheet(rows)
    table = read_table(data, filename="ds.xlsx", columns=COLUMNS)
    assert len(table.rows) == rows and not table.problems, table.problems[:3]
    del table
    calamine = best_of(3, lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python())
    reader = best_of(3, lambda: read_table(data, filename="ds.xlsx", columns=COLUMNS))
    return (
        f"{rows:>7} rows, {len(data) / 1e6:.1f} MB: calamine alone {calamine:.2f} s, "
        f"read_table {reader:.2f} s (x{reader / calamine:.1f}), {rows / reader:,.0f} rows/s"
    )


def main(sizes: list[int]) -> None:
    for rows in sizes:
        print(measure(rows))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [14_000, 100_000])
