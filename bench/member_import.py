"""How long a district's member sheet takes through the import service: preview, confirm, and again.

Run on demand against a scratch database (it is migrated and filled here):
``DATABASE_URL=sqlite:////tmp/bench-import.sqlite3 python -m bench.member_import [ROWS]`` or with a
PostgreSQL URL. Prints seconds per step beside calamine reading the same file alone.
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
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from python_calamine import CalamineWorkbook  # noqa: E402

from apps.accounts.models import User  # noqa: E402
from apps.members.imports import MEMBER_COLUMNS, apply_member_import, preview_member_import  # noqa: E402
from apps.union_groups.models import UnionGroup  # noqa: E402
from apps.unions.models import Federation, GrassrootsUnion, Sector  # noqa: E402

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thu", "Ngọc", "Quang", "Thanh"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hằng", "Hương", "Khánh", "Lan", "Long", "Mai", "Nam", "Phương", "Trang"]
# The row below fills the import's columns in their order.
HEADERS = [column.header for column in MEMBER_COLUMNS]
UNIONS, GROUPS = 250, 4


def district() -> User:
    federation, _ = Federation.objects.get_or_create(code="BENCH", defaults={"name": "LĐLĐ quận Thử"})
    sector = Sector.objects.first() or Sector.objects.create(code="dn", name="Doanh nghiệp")
    for number in range(UNIONS):
        union, _ = GrassrootsUnion.objects.get_or_create(
            federation=federation,
            code=f"CDCS-{number:03d}",
            defaults={
                "sector": sector,
                "name": f"Công đoàn {number}",
                "employer_name": f"Công ty {number}",
                "established_on": date(2000, 1, 1),
            },
        )
        for group in range(1, GROUPS + 1):
            UnionGroup.objects.get_or_create(
                union=union, name=f"Tổ {group}", defaults={"established_on": date(2001, 1, 1)}
            )
    user, _ = User.objects.get_or_create(username="bench", defaults={"role": "staff", "federation": federation})
    return user


def member_sheet(rows: int, seed: int = 12, units: list[tuple[str, list[str]]] | None = None) -> bytes:
    """A district's sheet as units send it: a title row, Excel dates, phones typed as numbers, some blanks.

    ``units``: the CĐCS codes the rows go to, each with its groups' names (this module's district by default).
    """
    units = units or [
        (f"CDCS-{number:03d}", [f"Tổ {group}" for group in range(1, GROUPS + 1)]) for number in range(UNIONS)
    ]
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Đoàn viên")
    sheet.append(["DANH SÁCH ĐOÀN VIÊN"])
    sheet.append(HEADERS)
    for number in range(1, rows + 1):
        code, groups = units[number % len(units)]
        sheet.append(
            [
                code,
                groups[number % len(groups)] if groups else None,
                f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                rng.choice(["Nam", "Nữ"]),
                date(1970, 1, 1) + timedelta(days=number % 12000),
                f"0{number:011d}",
                rng.randrange(900_000_000, 999_999_999),
                "" if number % 3 else f"dv{number}@example.vn",
                "Kinh",
                "Công nhân",
                (date(2005, 1, 1) + timedelta(days=number % 5000)).strftime("%d/%m/%Y"),
                None,
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def timed(label: str, function):
    start = time.perf_counter()
    result = function()
    print(f"{label:<34} {time.perf_counter() - start:7.2f} s", flush=True)
    return result


def main(rows: int) -> None:
    call_command("migrate", verbosity=0)
    user = district()
    data = member_sheet(rows)
    print(f"{rows} rows, {len(data) / 1e6:.1f} MB, {connection.vendor}")
    timed("calamine alone", lambda: CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python())
    plan = timed("preview (empty district)", lambda: preview_member_import(data, filename="b.xlsx", user=user))
    print("   ", plan.counts)
    timed("confirm (creates)", lambda: apply_member_import(plan, user=user, file_label="b.xlsx"))
    plan = timed("preview again", lambda: preview_member_import(data, filename="b.xlsx", user=user))
    print("   ", plan.counts)
    timed("confirm again (writes nothing)", lambda: apply_member_import(plan, user=user, file_label="b.xlsx"))
    changed = member_sheet(rows, seed=13)  # other names and phones: every row an update
    plan = timed("preview of changes", lambda: preview_member_import(changed, filename="c.xlsx", user=user))
    print("   ", plan.counts)
    timed("confirm (updates)", lambda: apply_member_import(plan, user=user, file_label="c.xlsx"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 14_000)
