"""A fake list for the import machinery's tests: department unions, one per row of a small CSV.

The file is ``;``-separated text: a header row ``Tên;Ghi chú``, then one department union
per row. A name starting with "!" is refused (a problem on that row); a file starting
with ``HONG`` is refused whole; one starting with ``NHIEU-TRANG`` asks for a sheet until
one is chosen; a name "=NO" makes the apply fail half-way (after writing a row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import transaction
from openpyxl import Workbook

from apps.core import spreadsheets
from apps.core.import_kinds import ImportKind, register_import_kind, unregister_import_kind
from apps.core.sheets import Problem, Row, SheetChoiceNeeded, SheetError, Table
from apps.unions.models import DepartmentUnion, GrassrootsUnion

NAME = "to-thu"


@dataclass
class FakePlan:
    union: GrassrootsUnion
    table: Table
    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    rejected_rows: list = field(default_factory=list)
    accepted: list = field(default_factory=list)


def fake_preview(file, *, filename, user, union=None, sheet=None, progress=None) -> FakePlan:
    data = file.read().decode("utf-8-sig")
    if data.startswith("HONG"):
        raise SheetError("Tệp bị hỏng, không đọc được.")
    if data.startswith("NHIEU-TRANG"):
        if sheet is None:
            raise SheetChoiceNeeded(["Danh sách", "Ghi chú"])
        data = data.split("\n", 1)[1]
    target = user.union if user.is_union_chair else GrassrootsUnion.objects.visible_to(user).get(code=union)
    lines = [line.split(";") for line in data.strip().split("\n")]
    table = Table(format="csv", sheet_names=[], sheet=None, header_row=1, headers={}, header_cells=lines[0])
    plan = FakePlan(union=target, table=table)
    existing = set(DepartmentUnion.objects.filter(union=target).values_list("name", flat=True))
    created = unchanged = 0
    for number, cells in enumerate(lines[1:], start=2):
        row = Row(number=number, values={"name": cells[0].strip()}, cells=cells)
        if cells[0].startswith("!"):
            plan.problems.append(Problem(row=number, column=lines[0][0], message="Tên không hợp lệ."))
            plan.rejected_rows.append(row)
        elif cells[0].strip() in existing:
            unchanged += 1
        else:
            created += 1
            plan.accepted.append(cells[0].strip())
        if progress:
            progress(number - 1, len(lines) - 1)
    plan.counts = {"created": created, "updated": 0, "unchanged": unchanged, "rejected": len(plan.rejected_rows)}
    return plan


def fake_apply(plan: FakePlan, *, user, file_label: str) -> dict:
    with transaction.atomic():
        for name in plan.accepted:
            if name == "=NO":
                raise RuntimeError("secret internal detail: members_member.email")
            DepartmentUnion.objects.create(union=plan.union, name=name, established_on=dt.date(2024, 1, 1))
    return {"created": len(plan.accepted), "updated": 0}


def fake_template(user=None) -> tuple[bytes, str]:
    book = Workbook()
    book.active.append(["Tên", "Ghi chú"])
    return spreadsheets.xlsx_bytes(book), "mau-to-thu.xlsx"


FAKE_KIND = ImportKind(
    name=NAME,
    label="tổ thử",
    preview=fake_preview,
    apply=fake_apply,
    template=fake_template,
    permission="unions.add_departmentunion",
)


@contextmanager
def fake_kind_registered() -> Iterator[ImportKind]:
    register_import_kind(FAKE_KIND)
    try:
        yield FAKE_KIND
    finally:
        unregister_import_kind(NAME)
