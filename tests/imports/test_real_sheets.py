"""The job machinery with a kind that reads real workbooks through apps.core.sheets, as the lists' kinds do."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from apps.core import sheets
from apps.core.import_kinds import ImportKind, register_import_kind, unregister_import_kind
from apps.imports.models import ImportJob
from apps.unions.models import DepartmentUnion

COLUMNS = [
    sheets.Column("name", "Tên công đoàn bộ phận", sheets.Kind.NAME, required=True),
    sheets.Column("established_on", "Ngày thành lập", sheets.Kind.DATE, required=True),
]


@dataclass
class Plan:
    table: sheets.Table
    union: object
    counts: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)
    rejected_rows: list = field(default_factory=list)
    accepted: list = field(default_factory=list)


def preview(file, *, filename, user, union=None, sheet=None) -> Plan:
    table = sheets.read_table(file, filename=filename, columns=COLUMNS, sheet=sheet)
    plan = Plan(table=table, union=user.union, problems=list(table.problems))
    bad = {problem.row for problem in table.problems}
    plan.rejected_rows = [row for row in table.rows if row.number in bad]
    plan.accepted = [row.values for row in table.rows if row.number not in bad]
    plan.counts = {"created": len(plan.accepted), "updated": 0, "unchanged": 0, "rejected": len(bad)}
    return plan


def apply(plan: Plan, *, user, file_label: str) -> dict:
    for values in plan.accepted:
        DepartmentUnion.objects.create(union=plan.union, **values)
    return {"created": len(plan.accepted)}


@pytest.fixture
def sheet_kind():
    register_import_kind(ImportKind("cong-doan-bo-phan", "công đoàn bộ phận", preview, apply))
    yield
    unregister_import_kind("cong-doan-bo-phan")


def workbook_with_two_sheets() -> bytes:
    book = Workbook()
    notes = book.active
    notes.title = "Hướng dẫn"
    notes.append(["Tên công đoàn bộ phận", "Ngày thành lập"])
    notes.append(["Ghi tên đầy đủ", "dd/mm/yyyy"])
    data = book.create_sheet("Danh sách")
    data.append(["DANH SÁCH CÔNG ĐOÀN BỘ PHẬN"])
    data.append(["Tên công đoàn bộ phận", "Ngày thành lập", "Ghi chú"])
    data.append(["Công đoàn bộ phận Văn phòng", dt.datetime(2020, 5, 6), ""])
    data.append(["", "05/06/2021", "+thiếu tên"])
    data.append(["Công đoàn bộ phận Bếp", "31/02/2021", "-1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_real_workbook_asks_for_its_sheet_then_shows_the_problems_and_gives_back_the_rejected_rows(
    client, sheet_kind, chair_a1, union_a1
):
    client.force_login(chair_a1)
    upload = SimpleUploadedFile("cdbp.xlsx", workbook_with_two_sheets())
    response = client.post(reverse("imports:upload", args=["cong-doan-bo-phan"]), {"file": upload}, follow=True)
    job = ImportJob.objects.get()
    assert job.status == "refused" and job.sheets == ["Hướng dẫn", "Danh sách"]
    assert job.error in response.content.decode() and '<option value="Danh sách">' in response.content.decode()

    response = client.post(reverse("imports:sheet", args=[job.pk]), {"sheet": "Danh sách"}, follow=True)
    job.refresh_from_db()
    assert job.status == "previewed", job.error
    assert job.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 2}
    assert {(p["row"], p["column"]) for p in job.problems} == {
        (4, "Tên công đoàn bộ phận"),
        (5, "Ngày thành lập"),
    }

    rejected = client.get(reverse("imports:rejected", args=[job.pk]))
    rows = list(load_workbook(io.BytesIO(b"".join(rejected.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0] == ("Tên công đoàn bộ phận", "Ngày thành lập", "Ghi chú", "Lỗi")
    assert [row[:3] for row in rows[1:]] == [
        (None, "05/06/2021", "'+thiếu tên"),
        ("Công đoàn bộ phận Bếp", "31/02/2021", "'-1+1"),
    ]
    assert all(row[3] for row in rows[1:])

    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done"
    assert list(DepartmentUnion.objects.values_list("name", "established_on")) == [
        ("Công đoàn bộ phận Văn phòng", dt.date(2020, 5, 6))
    ]
