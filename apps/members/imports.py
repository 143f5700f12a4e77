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
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from apps.accounts.models import PersonalDataAccess, User
from apps.accounts.permissions import can_see_full_national_id
from apps.accounts.services import personal_data_access_record
from apps.core import sheets, spreadsheets
from apps.core.countries import VIETNAM, country_code, country_name
from apps.core.db import read_through
from apps.core.history import recorded_as
from apps.core.sheet_lists import (
    ImportFailed,
    ImportPlan,
    ListField,
    check_archive,
    chunks,
    problems_from,
    template_workbook,
)
from apps.core.sheets import Kind, Problem, SheetError
from apps.core.text import normalize_name
from apps.core.validation import RowValidator
from apps.members import services
from apps.members.models import FOREIGN_WORKER_NO_OFFICE, Gender, Member, UnionOfficial, mask_national_id
from apps.union_groups.models import UnionGroup
from apps.unions.imports import UNION_FIELD, UnionCells
from apps.unions.models import GrassrootsUnion

# The columns of the portal's member sheet (README), with the variants people type and how to fill them.
MEMBER_COLUMNS = (
    UNION_FIELD,
    ListField(
        "group",
        "Tổ công đoàn",
        Kind.NAME,
        ("Tổ CĐ", "Tên tổ công đoàn"),
        how="Tên tổ công đoàn của CĐCS đó, đúng như trên cổng thông tin; bỏ trống nếu chưa vào tổ.",
        example="Tổ Văn phòng",
    ),
    ListField(
        "full_name",
        "Họ và tên",
        Kind.NAME,
        sheets.FULL_NAME_ALIASES,
        required=True,
        how="Họ và tên đầy đủ, có dấu.",
        example="Nguyễn Thị An",
    ),
    ListField(
        "gender",
        "Giới tính",
        Kind.GENDER,
        (*sheets.GENDER_ALIASES, "Giới tính (Nam/Nữ)"),
        required=True,
        how="Chọn Nam hoặc Nữ trong danh sách.",
        example="Nữ",
        choices=("Nam", "Nữ"),
    ),
    ListField(
        "date_of_birth",
        "Ngày sinh",
        Kind.DATE,
        sheets.BIRTH_DATE_ALIASES,
        how="Ngày/tháng/năm (dd/mm/yyyy) hoặc ô ngày của Excel.",
        example="05/06/1990",
    ),
    ListField(
        "national_id",
        "Số CCCD",
        Kind.ID_NUMBER,
        sheets.NATIONAL_ID_ALIASES,
        how="12 chữ số của căn cước công dân; số 0 ở đầu được giữ nguyên.",
        example="001190012345",
    ),
    ListField(
        "phone",
        "Điện thoại",
        Kind.PHONE,
        sheets.PHONE_ALIASES,
        how="Số điện thoại di động hoặc cố định.",
        example="0912345678",
    ),
    ListField(
        "email",
        "Email",
        Kind.EMAIL,
        ("E-mail", "Thư điện tử"),
        how="Địa chỉ email, nếu có.",
        example="an.nguyen@example.vn",
    ),
    ListField("ethnicity", "Dân tộc", Kind.NAME, how="Dân tộc.", example="Kinh"),
    ListField(
        "job_title",
        "Chức danh, nghề nghiệp",
        Kind.NAME,
        ("Chức danh", "Nghề nghiệp", "Chức vụ"),
        how="Chức danh hoặc nghề nghiệp.",
        example="Kế toán",
    ),
    ListField(
        "joined_union_on",
        "Ngày vào công đoàn",
        Kind.DATE,
        ("Ngày kết nạp", "Ngày vào CĐ"),
        required=True,
        how="Ngày vào công đoàn (dd/mm/yyyy).",
        example="01/03/2015",
    ),
    ListField(
        "card_number",
        "Số thẻ đoàn viên",
        Kind.TEXT,
        ("Số thẻ", "Số thẻ ĐV"),
        how="Để trống với đoàn viên mới: cổng thông tin cấp số thẻ.",
        example="",
    ),
    # Last, so sheets made before the Trade Union Law 2024 keep their columns where they were.
    ListField(
        "nationality",
        "Quốc tịch",
        Kind.NAME,
        ("Quốc gia",),
        how="Tên nước (Hàn Quốc) hoặc mã 2 chữ cái (KR); bỏ trống là Việt Nam.",
        example="Việt Nam",
    ),
    ListField(
        "contract_months",
        "Thời hạn hợp đồng (tháng)",
        Kind.INTEGER,
        ("Thời hạn hợp đồng", "Thời hạn HĐLĐ (tháng)", "Thời hạn HĐLĐ"),
        how="Với người lao động nước ngoài: số tháng của hợp đồng lao động, từ 12 tháng trở lên.",
        example="",
    ),
)
_HEADER = {column.key: column.header for column in MEMBER_COLUMNS}


def member_import_template(user=None) -> tuple[bytes, str]:
    """An empty member sheet to fill in: the headers, drop-downs (gender, a chair's own groups), a guide sheet."""
    choices = {}
    if user is not None and user.is_union_chair:
        groups = UnionGroup.objects.visible_to(user).filter(dissolved_on__isnull=True).order_by("name")
        choices["group"] = list(groups.values_list("name", flat=True))
    book = template_workbook(
        "Đoàn viên",
        MEMBER_COLUMNS,
        choices=choices,
        note="Mỗi đoàn viên một dòng. Dòng tiêu đề có thể nằm dưới vài dòng tên bảng; cột thừa được bỏ qua.",
    )
    return spreadsheets.xlsx_bytes(book), spreadsheets.export_filename("Mẫu nhập đoàn viên", on=None)


# What each column of the member sheet reads from the database: a union by its code, a group by its name.
_EXPORT_PATHS = {"union": "union__code", "group": "group__name"}
# Members read from the database at a time while the download is written.
_EXPORT_CHUNK = 2_000


def export_members(
    user, extension: str = "xlsx", *, members: QuerySet[Member] | None = None, path: str = ""
) -> StreamingHttpResponse:
    """The members ``user`` may see (of ``members``: the admin list as filtered, if given) as a streamed sheet.

    The import page's download and the admin list's both come here. The columns are the
    template's, so the file imports back unchanged; rows are read as plain values a chunk at a
    time (no model instances), written while they are read: flat memory for 100,000 members.
    The CCCD number is masked for the roles that see it masked; an export of whole numbers is
    written in the personal-data log.
    """
    # In the admin list's order, with its filters and search; still only what the user may see
    # (the scope's conditions added again to the same query, not a subquery over every member).
    scoped = (Member.objects.all() if members is None else members).visible_to(user)
    sees_whole_ids = can_see_full_national_id(user)
    if sees_whole_ids:
        personal_data_access_record(
            user=user,
            action=PersonalDataAccess.Action.EXPORT,
            model="members.member",
            record_ids=scoped.values_list("pk", flat=True),
            path=path,
        )
    filename = spreadsheets.export_filename(
        "Danh sách đoàn viên", code=spreadsheets.scope_code(user), on=timezone.localdate(), extension=extension
    )
    rows = member_rows(scoped, sees_whole_ids=sees_whole_ids)
    return spreadsheets.table_download(
        member_table_columns(), rows, extension=extension, title="Đoàn viên", filename=filename
    )


def member_table_columns() -> list[spreadsheets.TableColumn]:
    """The member sheet's columns as the export writes them (the template's, dates formatted)."""
    formats = {Kind.DATE: spreadsheets.DATE_FORMAT}
    return [spreadsheets.TableColumn(column.header, formats.get(column.kind)) for column in MEMBER_COLUMNS]


def member_rows(rows_of, *, sees_whole_ids: bool, prefix: str = "", paths: dict[str, str] | None = None):
    """The member sheet's rows read from ``rows_of`` as plain values, a chunk at a time.

    ``rows_of`` is a queryset of members, or of rows reaching a member through ``prefix``
    (``"member__"`` for membership periods); ``paths`` says where a column is read instead
    (a period's own CĐCS and group). ID numbers are masked unless ``sees_whole_ids``.
    """
    genders = {value: capfirst(str(label)) for value, label in Gender.choices}  # "Nam", "Nữ", as the template offers
    keys = [column.key for column in MEMBER_COLUMNS]
    gender_at, id_at, nationality_at = keys.index("gender"), keys.index("national_id"), keys.index("nationality")
    paths = paths if paths is not None else _EXPORT_PATHS
    values = rows_of.values_list(*(paths.get(key, f"{prefix}{key}") for key in keys))
    for row in read_through(values, _EXPORT_CHUNK):
        row = list(row)
        row[gender_at] = genders.get(row[gender_at], row[gender_at])
        row[nationality_at] = country_name(row[nationality_at])
        if not sees_whole_ids:
            row[id_at] = mask_national_id(row[id_at])
        yield row


# Personal details an import may set: all but the card number, whose blank keeps the one the portal gave.
_COMPARED = tuple(name for name in services.PERSONAL_FIELDS if name != "card_number")
# New members written at a time (in the one transaction of the import).
_WRITE_CHUNK = 5_000


@dataclass(slots=True)  # one per accepted row: 100,000 in a district's sheet
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
    table = sheets.read_table(file, filename=filename, columns=MEMBER_COLUMNS, sheet=sheet, check_archive=check_archive)
    if "national_id" not in table.headers and "card_number" not in table.headers:
        raise SheetError(_("Missing required columns: %(columns)s.") % {"columns": f"“{_HEADER['national_id']}”"})
    unions = UnionCells(user, table, union)
    return _Preview(user, table, unions, filename).run()


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
                    ],
                    # The preview that made this plan ran the model's validation on each row.
                    fields_checked=True,
                )
            except ValidationError as error:
                row = chunk[error.index].row if hasattr(error, "index") else 0
                raise ImportFailed(problems_from(error, row, {**_HEADER, **plan.headers})) from None
        updates = [action for action in changing if action.action == "update" and action.personal]
        try:
            services.member_update_many([(members[action.member_id], action.personal) for action in updates])
        except ValidationError as error:
            row = updates[error.index].row if hasattr(error, "index") else 0
            raise ImportFailed(problems_from(error, row, {**_HEADER, **plan.headers})) from None
        today = timezone.localdate()
        for action in changing:
            if not action.group_changed:
                continue
            try:
                services.member_change_group(
                    member=members[action.member_id], group=groups.get(action.group_id), on=today
                )
            except ValidationError as error:
                raise ImportFailed(problems_from(error, action.row, {**_HEADER, **plan.headers})) from None
    return dict(plan.counts)


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

    def __init__(self, user: User, table: sheets.Table, unions: UnionCells, filename: str):
        self.user = user
        self.table = table
        self.unions = unions
        self.filename = filename
        self.problems: dict[int, list[Problem]] = defaultdict(list)
        for problem in table.problems:
            self.problems[problem.row].append(problem)
        # Foreign keys, uniqueness and constraints would cost queries per row: checked in bulk instead.
        self.row_validator = RowValidator(Member, exclude=("union", "group", "federation"))

    def problem(self, row: int, key: str, message: str) -> None:
        self.problems[row].append(Problem(row, self.table.headers.get(key, ""), message))

    def run(self) -> ImportPlan:
        rows = self.table.rows
        row_unions = {row.number: self.unions.of(row, self.problem) for row in rows}
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

    def load_groups(self, union_ids: set[int]) -> None:
        self.groups: dict[tuple[int, str], UnionGroup] = {}
        self.groups_by_id: dict[int, UnionGroup] = {}
        visible = UnionGroup.objects.visible_to(self.user).only("id", "union_id", "name", "dissolved_on")
        for chunk in chunks(union_ids):
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
        for chunk in chunks(ids):
            for member in scoped.filter(national_id__in=chunk):
                self.by_id[member.national_id].append(member)
        for chunk in chunks(cards):
            for member in scoped.filter(card_number__in=chunk):
                self.by_card[member.card_number] = member
        # Outside the scope only the fact is read (is this number taken?), never who or where.
        in_scope = {member.pk for members in self.by_id.values() for member in members}
        in_scope.update(member.pk for member in self.by_card.values())
        self.active_elsewhere: set[str] = set()
        self.cards_elsewhere: set[str] = set()
        for chunk in chunks(ids):
            taken = Member.objects.active().filter(national_id__in=chunk).values_list("national_id", "pk")
            self.active_elsewhere.update(value for value, pk in taken if pk not in in_scope)
        for chunk in chunks(cards):
            taken = Member.objects.filter(card_number__in=chunk).values_list("card_number", "pk")
            self.cards_elsewhere.update(value for value, pk in taken if pk not in in_scope)
        self.card_owner = {member.card_number: member.pk for members in self.by_id.values() for member in members}
        # Who holds an office now: a file may not make one of them foreign (Trade Union Law 2024).
        self.office_holders: set[int] = set()
        if "nationality" in self.table.headers:
            for chunk in chunks(in_scope):
                self.office_holders.update(
                    UnionOfficial.objects.filter(member_id__in=chunk, ended_on__isnull=True).values_list(
                        "member_id", flat=True
                    )
                )
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
        if "nationality" in self.table.headers:
            self.read_nationality(row)
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

    def read_nationality(self, row: sheets.Row) -> None:
        """The row's nationality as its code, from a country's Vietnamese name or code; blank is Việt Nam."""
        written = row.values.get("nationality", "")
        code = country_code(written) if written else VIETNAM
        if code is None:
            self.problem(
                row.number,
                "nationality",
                _("“%(value)s” is not a country; write its name in Vietnamese (Hàn Quốc) or its two-letter code (KR).")
                % {"value": written},
            )
            return
        row.values["nationality"] = code

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
        # The group is left out: group_of found it among the union's own (Member.clean would fetch it, a query a row).
        candidate = Member(union_id=union.pk, joined_union_on=values.get("joined_union_on"), **personal)
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
        if changed.get("nationality", VIETNAM) != VIETNAM and member.pk in self.office_holders:
            self.problem(row.number, "nationality", FOREIGN_WORKER_NO_OFFICE)
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
            self.row_validator.full_clean(candidate)
        except ValidationError as error:
            for problem in problems_from(error, row.number, {**_HEADER, **self.table.headers}):
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


def _recheck_scope(actions: list[RowAction], user: User):
    """Inside the transaction: every union, group and member is still the user's and unchanged since the preview."""
    stale = ImportFailed([Problem(0, "", _("The data changed since the preview; preview the file again."))])
    union_ids = {action.union_id for action in actions}
    group_ids = {action.group_id for action in actions if action.group_id}
    member_ids = [action.member_id for action in actions if action.member_id]
    unions = {}
    for chunk in chunks(union_ids):
        unions.update(GrassrootsUnion.objects.visible_to(user).select_related("federation").in_bulk(chunk))
    groups = {}
    for chunk in chunks(group_ids):
        groups.update(UnionGroup.objects.visible_to(user).in_bulk(chunk))
    members = {}
    for chunk in chunks(member_ids):
        members.update(
            Member.objects.visible_to(user).select_related("group").select_for_update(of=("self",)).in_bulk(chunk)
        )
    if len(unions) != len(union_ids) or len(groups) != len(group_ids) or len(members) != len(member_ids):
        raise stale
    # Dissolved since the preview (a plan may be confirmed long after it was made).
    today = timezone.localdate()
    if any(group.dissolved_on is not None and group.dissolved_on <= today for group in groups.values()):
        raise stale
    creating_in = {action.union_id for action in actions if action.action == "create"}
    if any(unions[union_id].status != GrassrootsUnion.Status.ACTIVE for union_id in creating_in):
        raise stale
    for action in actions:
        member = members.get(action.member_id)
        if member is not None and (member.updated_at != action.member_updated_at or member.union_id != action.union_id):
            raise stale
        if member is not None:
            member.union = unions[action.union_id]
    return unions, groups, members
