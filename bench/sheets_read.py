"""How long the sheet reader takes on a district's member sheet, beside calamine alone.

Run on demand: ``python -m bench.sheets_read [ROWS ...]`` (default 14000 and 100000 rows).
The ratio read_table / calamine is the figure to watch (issue 12, item 11).
"""

from __future__ import annotations

import io
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "unionportal.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdef")
django.setup()

from python_calamine import CalamineWorkbook  # noqa: E402

from apps.core.sheets import read_table  # noqa: E402
from apps.members.imports import MEMBER_COLUMNS  # noqa: E402
from bench.member_import import member_sheet  # noqa: E402


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
    table = read_table(data, filename="ds.xlsx", columns=MEMBER_COLUMNS)
    assert len(table.rows) == rows and not table.problems, table.problems[:3]
    del table
    calamine = best_of(3, lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python())
    reader = best_of(3, lambda: read_table(data, filename="ds.xlsx", columns=MEMBER_COLUMNS))
    return (
        f"{rows:>7} rows, {len(data) / 1e6:.1f} MB: calamine alone {calamine:.2f} s, "
        f"read_table {reader:.2f} s (x{reader / calamine:.1f}), {rows / reader:,.0f} rows/s"
    )


def main(sizes: list[int]) -> None:
    for rows in sizes:
        print(measure(rows))


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [14_000, 100_000])
