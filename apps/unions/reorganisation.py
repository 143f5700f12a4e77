"""The mapping sheet of a reorganisation: to which superior union each CĐCS of an ending one goes.

Staff download it filled with the ending body's CĐCS, write each one's new superior by code
(a drop-down of the successors offered), and upload it back; the page then shows every
choice for a last look before anything is moved. Reading it writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.accounts.scoping import federation_subtree_q
from apps.core import spreadsheets
from apps.core.sheet_lists import ListField, check_archive, missing_columns, template_workbook
from apps.core.sheets import Kind, Problem, read_table
from apps.members.models import Member
from apps.unions.models import Federation, GrassrootsUnion

MAPPING_UNION = ListField(
    "union",
    "Mã CĐCS",
    Kind.CODE,
    ("Mã công đoàn cơ sở", "CĐCS"),
    required=True,
    how="Mã CĐCS, như trong danh sách tải về; mỗi CĐCS một dòng.",
    example="TH-DN-023",
)
MAPPING_NAME = ListField(
    "name",
    "Tên CĐCS",
    Kind.TEXT,
    ("Tên công đoàn cơ sở",),
    how="Để đối chiếu, không cần sửa; không được đọc khi tải lên.",
    example="CĐCS Công ty TNHH May Tây Hồ",
)
MAPPING_SUCCESSOR = ListField(
    "successor",
    "Mã công đoàn cấp trên mới",
    Kind.CODE,
    ("Mã cấp trên mới", "Công đoàn cấp trên mới", "Chuyển về"),
    required=True,
    how="Mã công đoàn cấp trên tiếp nhận CĐCS, chọn trong danh sách thả xuống.",
    example="P-TAYHO",
)
MAPPING_FIELDS = (MAPPING_UNION, MAPPING_NAME, MAPPING_SUCCESSOR)


@dataclass
class Mapping:
    """What a mapping sheet says: each CĐCS's successor (by the CĐCS's id), and every problem by row."""

    successors: dict[int, Federation] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def mapping_template(unions: Iterable[GrassrootsUnion], successors: Iterable[Federation]) -> Workbook:
    """The sheet to fill in: one row per CĐCS (code, name), the successor's code to choose."""
    book = template_workbook(
        "Chuyển CĐCS",
        MAPPING_FIELDS,
        note="Mỗi dòng một CĐCS. Các CĐCS chuyển về cùng một công đoàn cấp trên ghi cùng một mã.",
        choices={"successor": [successor.code for successor in successors]},
    )
    data = book.worksheets[0]
    for union in unions:
        spreadsheets.append_row(data, [union.code, union.name, ""])
    return book


def mapping_read(
    file: bytes | BinaryIO,
    *,
    filename: str,
    unions: Iterable[GrassrootsUnion],
    successors: Iterable[Federation],
) -> Mapping:
    """Read an uploaded mapping of ``unions`` (the ending body's CĐCS) to ``successors``; raise SheetError.

    A code outside ``unions`` or ``successors`` is a problem on its row, worded the same
    whether the row does not exist or is out of the reader's sight, so nothing is learnt.
    """
    table = read_table(file, filename=filename, columns=MAPPING_FIELDS, check_archive=check_archive)
    missing = [column.header for column in (MAPPING_UNION, MAPPING_SUCCESSOR) if column.key not in table.headers]
    if missing:
        raise missing_columns(missing)
    by_code = {union.code: union for union in unions}
    successor_by_code = {successor.code: successor for successor in successors}
    mapping = Mapping(problems=list(table.problems))
    first_row: dict[int, int] = {}

    def problem(row: int, key: str, message: str) -> None:
        mapping.problems.append(Problem(row, table.headers[key], message))

    for row in table.rows:
        code, successor_code = row.values.get("union", ""), row.values.get("successor", "")
        union = by_code.get(code) if code else None
        successor = successor_by_code.get(successor_code) if successor_code else None
        # A blank cell of a required column is already among the reader's problems.
        if code and union is None:
            problem(
                row.number,
                "union",
                _("CĐCS “%(value)s” is not one of the CĐCS being moved.") % {"value": code},
            )
        if successor_code and successor is None:
            problem(
                row.number,
                "successor",
                _("“%(value)s” is not one of the superior unions that may receive these CĐCS.")
                % {"value": successor_code},
            )
        if union is None or successor is None:
            continue
        if union.pk in first_row and mapping.successors[union.pk] != successor:
            problem(
                row.number,
                "successor",
                _("CĐCS “%(value)s” is already sent elsewhere on row %(row)s.")
                % {"value": code, "row": first_row[union.pk]},
            )
            continue
        first_row.setdefault(union.pk, row.number)
        mapping.successors[union.pk] = successor
    mapping.problems.sort(key=lambda found: found.row)
    return mapping


def reorganisation_successors(user, federation: Federation) -> models.QuerySet[Federation]:
    """The superior unions ``user`` may send ``federation``'s CĐCS to: seen by them, existing today, outside it."""
    return (
        Federation.objects.visible_to(user)
        .not_ended(on=timezone.localdate())
        .exclude(federation_subtree_q(federation, ""))
        .order_by("code")
    )


@dataclass(frozen=True)
class SuccessorShare:
    """What one successor takes over: how many CĐCS, with how many active members."""

    unions: int
    members: int


def reorganisation_preview(successors: dict[GrassrootsUnion, Federation]) -> list[tuple[Federation, SuccessorShare]]:
    """Per successor, in code order, the CĐCS it receives and their active members (two queries at most)."""
    members = dict(
        Member.objects.filter(union__in=[union.pk for union in successors], status=Member.Status.ACTIVE)
        .values_list("union_id")
        .annotate(count=models.Count("pk"))
    )
    shares: dict[Federation, list[int]] = {}
    for union, successor in successors.items():
        share = shares.setdefault(successor, [0, 0])
        share[0] += 1
        share[1] += members.get(union.pk, 0)
    return [
        (successor, SuccessorShare(unions=count, members=active))
        for successor, (count, active) in sorted(shares.items(), key=lambda item: item[0].code)
    ]
