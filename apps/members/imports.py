"""Member import: preview every row of a sheet without writing, then write the accepted rows at once.

The page and ``manage.py import_sheet`` both go through these two functions, so both see the
same scope, the same checks and the same counts. Rows are matched on natural keys (the CCCD
number, else the member card number) among the members the importing user may see, never on
database ids; a person active outside that scope is refused without saying where. Values are
compared after the same tidying the importer applies, so importing a file again (or the
portal's own export) changes nothing and writes no history.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.accounts.models import User
from apps.core import sheets, spreadsheets
from apps.core.history import recorded_as
from apps.core.sheets import Column, Kind, Problem, SheetError
from apps.core.text import normalize_name
from apps.members import services
from apps.members.models import Member
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion

# The headers of the portal's member sheet (README), with the variants people type.
MEMBER_COLUMNS = (
    Column("union", "Mã CĐCS", Kind.CODE, ("CĐCS", "Mã công đoàn cơ sở", "Tên CĐCS", "Công đoàn cơ sở")),
    Column("group", "Tổ công đoàn", Kind.NAME, ("Tổ CĐ", "Tên tổ công đoàn")),
    Column("full_name", "Họ và tên", Kind.NAME, sheets.FULL_NAME_ALIASES, required=True),
    Column("gender", "Giới tính", Kind.GENDER, (*sheets.GENDER_ALIASES, "Giới tính (Nam/Nữ)"), required=True),
    Column("date_of_birth", "Ngày sinh", Kind.DATE, sheets.BIRTH_DATE_ALIASES),
    Column("national_id", "Số CCCD", Kind.ID_NUMBER, sheets.NATIONAL_ID_ALIASES),
    Column("phone", "Điện thoại", Kind.PHONE, sheets.PHONE_ALIASES),
    Column("email", "Email", Kind.EMAIL, ("E-mail", "Thư điện tử")),
    Column("ethnicity", "Dân tộc", Kind.NAME),
    Column("job_title", "Chức danh, nghề nghiệp", Kind.NAME, ("Chức danh", "Nghề nghiệp", "Chức vụ")),
    Column("joined_union_on", "Ngày vào công đoàn", Kind.DATE, ("Ngày kết nạp", "Ngày vào CĐ"), required=True),
    Column("card_number", "Số thẻ đoàn viên", Kind.TEXT, ("Số thẻ", "Số thẻ ĐV")),
)
_HEADER = {column.key: column.header for column in MEMBER_COLUMNS}
# The template's instructions: how to fill each column, and an example (the file is in Vietnamese,
# like the headers people type; the example lives on the instructions sheet so that it is
# never imported by mistake).
_HOW_TO_FILL = {
    "union": ("Mã CĐCS (hoặc đúng tên CĐCS). Chủ tịch CĐCS có thể bỏ trống: đoàn viên vào CĐCS của mình.", "TH-DN-023"),
    "group": ("Tên tổ công đoàn của CĐCS đó, đúng như trên cổng thông tin; bỏ trống nếu chưa vào tổ.", "Tổ Văn phòng"),
    "full_name": ("Họ và tên đầy đủ, có dấu.", "Nguyễn Thị An"),
    "gender": ("Chọn Nam hoặc Nữ trong danh sách.", "Nữ"),
    "date_of_birth": ("Ngày/tháng/năm (dd/mm/yyyy) hoặc ô ngày của Excel.", "05/06/1990"),
    "national_id": ("12 chữ số của căn cước công dân; số 0 ở đầu được giữ nguyên.", "001190012345"),
    "phone": ("Số điện thoại di động hoặc cố định.", "0912345678"),
    "email": ("Địa chỉ email, nếu có.", "an.nguyen@example.vn"),
    "ethnicity": ("Dân tộc.", "Kinh"),
    "job_title": ("Chức danh hoặc nghề nghiệp.", "Kế toán"),
    "joined_union_on": ("Ngày vào công đoàn (dd/mm/yyyy).", "01/03/2015"),
    "card_number": ("Để trống với đoàn viên mới: cổng thông tin cấp số thẻ.", ""),
}
# Rows of the data sheet that get the gender drop-down.
_TEMPLATE_ROWS = 5_000


def member_import_template() -> tuple[bytes, str]:
    """An empty member sheet to fill in: the headers, a gender drop-down, and a sheet explaining each column."""
    book = Workbook()
    data = book.active
    data.title = "Đoàn viên"
    spreadsheets.append_row(data, [column.header for column in MEMBER_COLUMNS])
    for index, column in enumerate(MEMBER_COLUMNS, start=1):
        letter = get_column_letter(index)
        data[f"{letter}1"].font = Font(bold=True)
        data.column_dimensions[letter].width = max(14, len(column.header) + 4)
        if column.kind in (Kind.ID_NUMBER, Kind.PHONE):
            # Typed into a text column, a number keeps its leading zero in Excel.
            data.column_dimensions[letter].number_format = "@"
        if column.kind == Kind.GENDER:
            choice = DataValidation(type="list", formula1='"Nam,Nữ"', allow_blank=True)
            choice.error = "Chọn Nam hoặc Nữ."
            choice.errorTitle = "Giới tính"
            data.add_data_validation(choice)
            choice.add(f"{letter}2:{letter}{_TEMPLATE_ROWS + 1}")
    data.freeze_panes = "A2"

    guide = book.create_sheet("Hướng dẫn")
    spreadsheets.append_row(guide, ["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for column in MEMBER_COLUMNS:
        how, example = _HOW_TO_FILL[column.key]
        spreadsheets.append_row(guide, [column.header, "Có" if column.required else "", how, example])
    spreadsheets.append_row(guide, [])
    spreadsheets.append_row(
        guide,
        ["Mỗi đoàn viên một dòng. Dòng tiêu đề có thể nằm dưới vài dòng tên bảng; cột thừa được bỏ qua."],
    )
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (26, 10, 80, 24), strict=True):
        guide.column_dimensions[letter].width = width
    return spreadsheets.xlsx_bytes(book), "mau-nhap-doan-vien.xlsx"


# Personal details an import may set; a blank card number keeps the one the portal gave.
_COMPARED = ("full_name", "gender", "date_of_birth", "national_id", "phone", "email", "ethnicity", "job_title")
# SQLite's default limit on query parameters is 999 in older builds; stay under it.
_CHUNK = 900
# New members written at a time (in the one transaction of the import).
_WRITE_CHUNK = 5_000


class ImportFailed(Exception):
    """Writing was abandoned and nothing was written; ``problems`` say why (rows, columns, messages)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


@dataclass
class RowAction:
    """What confirming the import does with one accepted row."""

    row: int
    action: str  # "create", "update" or "unchanged"
    union_id: int
    group_id: int | None
    member_id: int | None = None
    member_updated_at: datetime | None = None
    personal: dict[str, Any] = field(default_factory=dict)  # all of them to create, the changed ones to update
    joined_on: date | None = None
    group_changed: bool = False


@dataclass
class ImportPlan:
    """The preview: counts, every problem, and what each accepted row will do."""

    user_id: int
    filename: str
    counts: dict[str, int]
    problems: list[Problem]
    actions: list[RowAction]
    headers: dict[str, str] = field(default_factory=dict)
    # The sheet as read: its header cells and rows head and fill the rejected-rows download.
    table: sheets.Table | None = field(default=None, repr=False, compare=False)

    @property
    def rejected_rows(self) -> list[sheets.Row]:
        """The rows that will not be imported, as read from the file (apps.core.import_kinds)."""
        rejected = {problem.row for problem in self.problems}
        return [row for row in self.table.rows if row.number in rejected] if self.table is not None else []


def preview_member_import(
    file: bytes | BinaryIO | str,
    *,
    filename: str,
    user: User,
    union: str | None = None,
    sheet: str | None = None,
) -> ImportPlan:
    """Read and check every row of a member sheet for ``user`` without writing; raise SheetError for the file."""
    if not (user.has_perm("members.add_member") and user.has_perm("members.change_member")):
        raise PermissionDenied(_("You may not import members."))
    fixed_union = _fixed_union(user, union)
    table = sheets.read_table(
        file, filename=filename, columns=MEMBER_COLUMNS, sheet=sheet, check_archive=_check_archive
    )
    if "national_id" not in table.headers and "card_number" not in table.headers:
        raise SheetError(_("Missing required columns: %(columns)s.") % {"columns": f"“{_HEADER['national_id']}”"})
    if "union" not in table.headers and fixed_union is None:
        raise SheetError(_("Missing required columns: %(columns)s.") % {"columns": f"“{_HEADER['union']}”"})
    return _Preview(user, table, fixed_union, filename).run()


def apply_member_import(plan: ImportPlan, *, user: User, file_label: str) -> dict[str, int]:
    """Write every accepted row of ``plan`` in one transaction (all or nothing); return the counts."""
    if user.pk != plan.user_id:
        raise ImportFailed([Problem(0, "", _("This preview belongs to another user; preview the file again."))])
    changing = [action for action in plan.actions if action.action != "unchanged"]
    with transaction.atomic(), recorded_as(_("Imported from %(source)s") % {"source": file_label}, user=user):
        unions, groups, members = _recheck_scope(changing, user)
        creations = [action for action in changing if action.action == "create"]
        # New rows in a few queries; a district's sheet through member_enrol one by one took a
        # minute. A few thousand at a time, so that a sheet of 100,000 never becomes 300,000
        # models (members, their history, their periods) at once in the worker.
        for start in range(0, len(creations), _WRITE_CHUNK):
            chunk = creations[start : start + _WRITE_CHUNK]
            try:
                services.member_enrol_many(
                    [
                        {
                            "union": unions[action.union_id],
                            "group": groups.get(action.group_id),
                            "joined_on": action.joined_on,
                            **action.personal,
                        }
                        for action in chunk
                    ]
                )
            except ValidationError as error:
                row = chunk[error.index].row if hasattr(error, "index") else 0
                raise ImportFailed(_problems_from(error, row, plan.headers)) from None
        updates = [action for action in changing if action.action == "update" and action.personal]
        try:
            services.member_update_many([(members[action.member_id], action.personal) for action in updates])
        except ValidationError as error:
            row = updates[error.index].row if hasattr(error, "index") else 0
            raise ImportFailed(_problems_from(error, row, plan.headers)) from None
        today = timezone.localdate()
        for action in changing:
            if not action.group_changed:
                continue
            try:
                services.member_change_group(
                    member=members[action.member_id], group=groups.get(action.group_id), on=today
                )
            except ValidationError as error:
                raise ImportFailed(_problems_from(error, action.row, plan.headers)) from None
    return dict(plan.counts)


def _check_archive(data: bytes) -> None:
    """The zip-bomb check of apps.core.spreadsheets, refusing the way the sheet reader does."""
    try:
        spreadsheets.check_xlsx_archive(data)
    except spreadsheets.SpreadsheetRefused as refusal:
        raise SheetError(refusal.message) from None


def _fixed_union(user: User, code: str | None) -> GrassrootsUnion | None:
    """The union every row goes to: the one named by ``code``, or a chair's own; None when rows say."""
    visible = GrassrootsUnion.objects.visible_to(user)
    if code is not None:
        found = list(visible.filter(code=code.strip())[:2])
        if len(found) != 1:
            raise SheetError(
                _("CĐCS “%(value)s” does not exist or is outside your scope.") % {"value": code}
                if not found
                else _("The code “%(value)s” matches several CĐCS; ask district staff.") % {"value": code}
            )
        return found[0]
    if user.is_union_chair and not user.is_superuser:
        return visible.first()
    return None


def _chunks(values: Iterable[Any]) -> Iterator[list[Any]]:
    values = list(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _comparable(name: str, value: Any) -> Any:
    """A stored value as the importer would read it, so tidying alone never counts as a change."""
    if name == "phone":
        return re.sub(r"[^\d+]", "", value or "")
    if name in ("full_name", "ethnicity", "job_title"):
        return normalize_name(value)
    if name in ("email", "card_number"):
        return (value or "").strip()
    return value


class _Preview:
    """One preview run: what it has read from the database, and the problems found so far."""

    def __init__(self, user: User, table: sheets.Table, fixed_union: GrassrootsUnion | None, filename: str):
        self.user = user
        self.table = table
        self.fixed_union = fixed_union
        self.filename = filename
        self.problems: dict[int, list[Problem]] = defaultdict(list)
        for problem in table.problems:
            self.problems[problem.row].append(problem)

    def problem(self, row: int, key: str, message: str) -> None:
        self.problems[row].append(Problem(row, self.table.headers.get(key, ""), message))

    def run(self) -> ImportPlan:
        rows = self.table.rows
        self.load_unions()
        row_unions = {row.number: self.union_of(row) for row in rows}
        self.load_groups({union.pk for union in row_unions.values() if union is not None})
        self.mark_duplicates(rows, "national_id")
        self.mark_duplicates(rows, "card_number")
        self.load_members(rows)
        actions = []
        for row in rows:
            action = self.check_row(row, row_unions[row.number])
            if action is not None and not self.problems.get(row.number):
                actions.append(action)
        counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": len(self.problems)}
        for action in actions:
            counts[{"create": "created", "update": "updated", "unchanged": "unchanged"}[action.action]] += 1
        problems = [problem for number in sorted(self.problems) for problem in self.problems[number]]
        return ImportPlan(
            self.user.pk, self.filename, counts, problems, actions, dict(self.table.headers), table=self.table
        )

    # Reads: a few queries for the whole file, none per row.

    def load_unions(self) -> None:
        self.unions_by_code: dict[str, list[GrassrootsUnion]] = defaultdict(list)
        self.unions_by_name: dict[str, list[GrassrootsUnion]] = defaultdict(list)
        if self.fixed_union is not None or "union" not in self.table.headers:
            return
        values = {row.values["union"] for row in self.table.rows if row.values.get("union")}
        visible = GrassrootsUnion.objects.visible_to(self.user).only("id", "code", "name", "status", "federation_id")
        for chunk in _chunks(values):
            for union in visible.filter(models.Q(code__in=chunk) | models.Q(name__in=chunk)):
                self.unions_by_code[union.code].append(union)
                self.unions_by_name[normalize_name(union.name)].append(union)

    def union_of(self, row: sheets.Row) -> GrassrootsUnion | None:
        value = row.values.get("union", "")
        if self.fixed_union is not None:
            if value and value not in (self.fixed_union.code, normalize_name(self.fixed_union.name)):
                # The same words whether the other union exists or not: nothing is learnt about it.
                if self.user.is_union_chair:
                    self.problem(row.number, "union", _("You can import members only into your own CĐCS."))
                else:
                    self.problem(
                        row.number,
                        "union",
                        _("This file is imported into CĐCS “%(union)s” only; this row names another.")
                        % {"union": self.fixed_union.code},
                    )
                return None
            return self.fixed_union
        if not value:
            self.problem(row.number, "union", _("Please fill in this cell."))
            return None
        found = self.unions_by_code.get(value) or self.unions_by_name.get(value) or []
        if len(found) > 1:
            self.problem(
                row.number,
                "union",
                _("The code “%(value)s” matches several CĐCS; ask district staff.") % {"value": value},
            )
            return None
        if not found:
            self.problem(
                row.number, "union", _("CĐCS “%(value)s” does not exist or is outside your scope.") % {"value": value}
            )
            return None
        return found[0]

    def load_groups(self, union_ids: set[int]) -> None:
        self.groups: dict[tuple[int, str], UnionGroup] = {}
        self.groups_by_id: dict[int, UnionGroup] = {}
        visible = UnionGroup.objects.visible_to(self.user).only("id", "union_id", "name", "dissolved_on")
        for chunk in _chunks(union_ids):
            for group in visible.filter(union_id__in=chunk):
                self.groups[(group.union_id, normalize_name(group.name))] = group
                self.groups_by_id[group.pk] = group

    def mark_duplicates(self, rows: list[sheets.Row], key: str) -> None:
        """The same person twice in one file: an error on every one of those rows, none kept."""
        seen: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            if value := row.values.get(key):
                seen[value].append(row.number)
        for numbers in seen.values():
            if len(numbers) < 2:
                continue
            for number in numbers:
                others = ", ".join(str(other) for other in numbers if other != number)
                message = (
                    _("The same CCCD number is also on row %(rows)s; keep one row per person.")
                    if key == "national_id"
                    else _("The same member card number is also on row %(rows)s; keep one row per person.")
                )
                self.problem(number, key, message % {"rows": others})

    def load_members(self, rows: list[sheets.Row]) -> None:
        """Members in scope by CCCD and by card number, and which CCCDs and cards are taken outside it."""
        ids = {row.values["national_id"] for row in rows if row.values.get("national_id")}
        cards = {row.values["card_number"] for row in rows if row.values.get("card_number")}
        scoped = Member.objects.visible_to(self.user).select_related(None)
        self.by_id: dict[str, list[Member]] = defaultdict(list)
        self.by_card: dict[str, Member] = {}
        for chunk in _chunks(ids):
            for member in scoped.filter(national_id__in=chunk):
                self.by_id[member.national_id].append(member)
        for chunk in _chunks(cards):
            for member in scoped.filter(card_number__in=chunk):
                self.by_card[member.card_number] = member
        # Outside the scope only the fact is read (is this number taken?), never who or where.
        in_scope = {member.pk for members in self.by_id.values() for member in members}
        in_scope.update(member.pk for member in self.by_card.values())
        self.active_elsewhere: set[str] = set()
        self.cards_elsewhere: set[str] = set()
        for chunk in _chunks(ids):
            taken = Member.objects.active().filter(national_id__in=chunk).values_list("national_id", "pk")
            self.active_elsewhere.update(value for value, pk in taken if pk not in in_scope)
        for chunk in _chunks(cards):
            taken = Member.objects.filter(card_number__in=chunk).values_list("card_number", "pk")
            self.cards_elsewhere.update(value for value, pk in taken if pk not in in_scope)
        self.card_owner = {member.card_number: member.pk for members in self.by_id.values() for member in members}
        self.card_owner.update({card: member.pk for card, member in self.by_card.items()})

    def match(self, values: dict[str, Any]) -> Member | None:
        card = values.get("card_number")
        if national_id := values.get("national_id"):
            members = self.by_id.get(national_id, [])
            active = [member for member in members if member.status == Member.Status.ACTIVE]
            if active:
                return active[0]
            if members:
                # Someone who left: an identical row is their own line of an export, anything else a new enrolment.
                return max(members, key=lambda member: member.joined_union_on)
            # A member on record without a CCCD, whose number the file now gives.
            found = self.by_card.get(card) if card else None
            return found if found is not None and not found.national_id else None
        return self.by_card.get(card) if card else None

    # The checks of one row.

    def check_row(self, row: sheets.Row, union: GrassrootsUnion | None) -> RowAction | None:
        values = row.values
        number = row.number
        key = "national_id" if "national_id" in self.table.headers else "card_number"
        written = self.table.headers[key]
        blank = not values.get("national_id") and not values.get("card_number")
        if blank and not any(problem.column == written for problem in self.problems.get(number, [])):
            self.problem(number, key, _("Please fill in this cell."))
        national_id = values.get("national_id")
        if national_id and national_id in self.active_elsewhere:
            self.problem(number, "national_id", services.active_out_of_scope_message())
        member = self.match(values)
        if member is not None and member.status != Member.Status.ACTIVE and not self.same_as(member, values, union):
            member = None
        card = values.get("card_number")
        if card:
            owner = self.card_owner.get(card)
            if card in self.cards_elsewhere or (owner is not None and owner != (member.pk if member else None)):
                self.problem(number, "card_number", _("This member card number belongs to another member."))
        group = self.group_of(row, union)
        if union is None or group is False:
            return None
        if member is None:
            return self.creation(row, union, group)
        return self.change(row, member, union, group)

    def group_of(self, row: sheets.Row, union: GrassrootsUnion | None) -> UnionGroup | bool | None:
        """The row's group, None for none, False when the cell names no group of that union."""
        name = row.values.get("group", "")
        if not name or union is None:
            return None
        group = self.groups.get((union.pk, name))
        if group is None:
            self.problem(
                row.number,
                "group",
                _("CĐCS “%(union)s” has no union group “%(group)s”.") % {"union": union.code, "group": name},
            )
            return False
        if group.dissolved_on is not None and group.dissolved_on <= timezone.localdate():
            self.problem(row.number, "group", _("The union group “%(group)s” has been dissolved.") % {"group": name})
            return False
        return group

    def personal_from(self, values: dict[str, Any]) -> dict[str, Any]:
        """Personal details from the columns the file has; a column it lacks is left alone."""
        personal = {name: values[name] for name in _COMPARED if name in self.table.headers}
        if "national_id" in personal and not personal["national_id"]:
            # A blank CCCD keeps the one on record (the row was matched on the card number).
            del personal["national_id"]
        return personal

    def same_as(self, member: Member, values: dict[str, Any], union: GrassrootsUnion | None) -> bool:
        return (
            (union is None or member.union_id == union.pk)
            and not self.changed_fields(member, values)
            and ("group" not in self.table.headers or member.group_id == self.group_id_of(values, union))
        )

    def group_id_of(self, values: dict[str, Any], union: GrassrootsUnion | None) -> int | None:
        group = self.groups.get((union.pk, values.get("group", ""))) if union is not None else None
        return group.pk if group else None

    def changed_fields(self, member: Member, values: dict[str, Any]) -> dict[str, Any]:
        personal = self.personal_from(values)
        return {
            name: value
            for name, value in personal.items()
            if _comparable(name, value) != _comparable(name, getattr(member, name))
        }

    def creation(self, row: sheets.Row, union: GrassrootsUnion, group: UnionGroup | None) -> RowAction | None:
        values = row.values
        personal = self.personal_from(values)
        if values.get("card_number"):
            personal["card_number"] = values["card_number"]
        if union.status != GrassrootsUnion.Status.ACTIVE:
            self.problem(row.number, "union", _("CĐCS “%(union)s” has been dissolved.") % {"union": union.code})
        candidate = Member(union=union, group=group, joined_union_on=values.get("joined_union_on"), **personal)
        self.validate(row, candidate)
        return RowAction(
            row=row.number,
            action="create",
            union_id=union.pk,
            group_id=group.pk if group else None,
            personal=personal,
            joined_on=values.get("joined_union_on"),
        )

    def change(
        self, row: sheets.Row, member: Member, union: GrassrootsUnion, group: UnionGroup | None
    ) -> RowAction | None:
        values = row.values
        if member.union_id != union.pk:
            # Both unions are in the user's scope here, so naming the member's own is no leak.
            current = GrassrootsUnion.objects.only("code").get(pk=member.union_id)
            self.problem(
                row.number,
                "union",
                _("This person is a member of CĐCS “%(union)s”; use a transfer to move them.")
                % {"union": current.code},
            )
            return None
        joined = values.get("joined_union_on")
        if joined is not None and joined != member.joined_union_on:
            self.problem(
                row.number,
                "joined_union_on",
                _("This member joined the union on %(day)s; that date is not changed by an import.")
                % {"day": member.joined_union_on.strftime("%d/%m/%Y")},
            )
        changed = self.changed_fields(member, values)
        group_changed = "group" in self.table.headers and member.group_id != (group.pk if group else None)
        if group_changed and member.status != Member.Status.ACTIVE:
            group_changed = False
        if changed:
            candidate = Member(**{f.attname: getattr(member, f.attname) for f in Member._meta.concrete_fields})
            for name, value in changed.items():
                setattr(candidate, name, value)
            candidate.group_id = None  # the group was checked above; Member.clean would fetch it, a query a row
            self.validate(row, candidate)
        return RowAction(
            row=row.number,
            action="update" if changed or group_changed else "unchanged",
            union_id=union.pk,
            group_id=group.pk if group else None,
            member_id=member.pk,
            member_updated_at=member.updated_at,
            personal=changed,
            group_changed=group_changed,
        )

    def validate(self, row: sheets.Row, candidate: Member) -> None:
        """Everything the database would refuse, found now; the per-row queries of full_clean are done in bulk above."""
        already = {problem.column for problem in self.problems.get(row.number, [])}
        try:
            # Foreign keys, uniqueness and constraints would cost queries per row: checked in bulk here instead.
            candidate.full_clean(
                exclude=["union", "group", "federation"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for problem in _problems_from(error, row.number, self.table.headers):
                if problem.column not in already:
                    self.problems[row.number].append(problem)
        if (
            candidate.date_of_birth
            and candidate.joined_union_on
            and candidate.date_of_birth >= candidate.joined_union_on
        ):
            self.problem(
                row.number, "date_of_birth", _("The date of birth must be before the date of joining the union.")
            )


def _problems_from(error: ValidationError, row: int, headers: dict[str, str]) -> list[Problem]:
    """A model's ValidationError as problems on the columns the file calls them."""
    if not hasattr(error, "error_dict"):
        return [Problem(row, "", message) for message in error.messages]
    problems = []
    for name, errors in error.message_dict.items():
        column = headers.get(name, _HEADER.get(name, "")) if name != "__all__" else ""
        problems.extend(Problem(row, column, message) for message in errors)
    return problems


def _recheck_scope(actions: list[RowAction], user: User):
    """Inside the transaction: every union, group and member is still the user's and unchanged since the preview."""
    stale = ImportFailed([Problem(0, "", _("The data changed since the preview; preview the file again."))])
    union_ids = {action.union_id for action in actions}
    group_ids = {action.group_id for action in actions if action.group_id}
    member_ids = [action.member_id for action in actions if action.member_id]
    unions = {}
    for chunk in _chunks(union_ids):
        unions.update(GrassrootsUnion.objects.visible_to(user).select_related("federation").in_bulk(chunk))
    groups = {}
    for chunk in _chunks(group_ids):
        groups.update(UnionGroup.objects.visible_to(user).in_bulk(chunk))
    members = {}
    for chunk in _chunks(member_ids):
        members.update(
            Member.objects.visible_to(user).select_related("group").select_for_update(of=("self",)).in_bulk(chunk)
        )
    if len(unions) != len(union_ids) or len(groups) != len(group_ids) or len(members) != len(member_ids):
        raise stale
    for action in actions:
        member = members.get(action.member_id)
        if member is not None and (member.updated_at != action.member_updated_at or member.union_id != action.union_id):
            raise stale
        if member is not None:
            member.union = unions[action.union_id]
    return unions, groups, members
