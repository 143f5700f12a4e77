"""Lists in and out of sheets: one declaration per list gives its template, its export and its import.

A list the portal keeps (CĐCS, department unions, union groups, officials, workforce
declarations) is declared once, by the app that owns it, as a :class:`SheetList`: its
columns (:class:`ListField`: header, the variants people type, how to fill it, an example),
how a record reads as a row (``row_of``) and how a row's cells become a record's attributes
(``resolve``). From that one declaration come

- the template to fill in (:meth:`SheetList.template`): Vietnamese headers, drop-down lists
  where the values are fixed, an example row and a sheet explaining each column;
- the export (:meth:`SheetList.export`): the records the user may see, as .xlsx or .csv,
  with the template's headers, so that what the portal exports it imports back unchanged;
- the import (:meth:`SheetList.preview` then :meth:`SheetList.apply`), the ``preview`` and
  ``apply`` of an ``apps.core.import_kinds.ImportKind``.

Rows are matched on natural keys (a CĐCS's code, a group's name within its CĐCS, a
declaration's day …), never on database ids, among the records the user may see; an
unchanged row writes nothing, so importing the same file twice changes nothing.

The member list has its own import (apps.members.imports: enrolment, transfers and group
moves are more than writing attributes), and shares the pieces below: ``ImportFailed``,
``problems_from``, ``check_archive``, ``chunks`` and the template writer.
"""

from __future__ import annotations

import json
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, models, transaction
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from apps.core import sheets, spreadsheets
from apps.core.history import recorded_as
from apps.core.sheets import Column, Kind, Problem, SheetError

# SQLite's default limit on query parameters is 999 in older builds; stay under it.
CHUNK = 900
# Rows of a template's data sheet that get the drop-down lists.
TEMPLATE_ROWS = 5_000


@dataclass(frozen=True)
class ListField(Column):
    """A column of a list's sheet: how it is read (``Column``) and how the template explains it.

    ``how`` says in Vietnamese how to fill it, ``example`` is a value for the guide, and
    ``choices`` the values of its drop-down list in the template (gender, role, the chair's groups).
    """

    how: str = ""
    example: Any = ""
    choices: tuple[str, ...] = ()


class ImportFailed(Exception):
    """Writing was abandoned and nothing was written; ``problems`` say why (rows, columns, messages)."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(problem.message for problem in problems))
        self.problems = problems


def chunks(values: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    """``values`` in lists of at most ``size``, for ``__in`` lookups every database accepts."""
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


def check_archive(data: bytes) -> None:
    """The zip-bomb check of apps.core.spreadsheets, refusing the way the sheet reader does."""
    try:
        spreadsheets.check_xlsx_archive(data)
    except spreadsheets.SpreadsheetRefused as refusal:
        raise SheetError(refusal.message) from None


def problems_from(error: ValidationError, row: int, headers: dict[str, str]) -> list[Problem]:
    """A model's ValidationError as problems on the columns the file calls them (``headers``: attribute → header)."""
    if not hasattr(error, "error_dict"):
        return [Problem(row, "", message) for message in error.messages]
    problems = []
    for name, errors in error.message_dict.items():
        column = headers.get(name, "") if name != "__all__" else ""
        problems.extend(Problem(row, column, message) for message in errors)
    return problems


def missing_columns(names: Iterable[str]) -> SheetError:
    """The file lacks these columns (headers as the template writes them)."""
    return SheetError(_("Missing required columns: %(columns)s.") % {"columns": ", ".join(f"“{n}”" for n in names)})


def template_workbook(
    title: str, fields: Sequence[ListField], *, note: str = "", choices: dict[str, Sequence[str]] | None = None
) -> Workbook:
    """An empty sheet to fill in: bold headers, drop-downs, and a sheet explaining each column.

    ``choices`` adds drop-down values known only at download time (a chair's own groups). The
    example lives on the guide sheet, never on the data sheet, so it is never imported by mistake.
    """
    lists = {f.key: tuple(f.choices) for f in fields if f.choices}
    lists.update({key: tuple(values) for key, values in (choices or {}).items() if values})
    book = Workbook()
    data = book.active
    data.title = title[:31]
    spreadsheets.append_row(data, [f.header for f in fields])
    hidden = None
    for index, column in enumerate(fields, start=1):
        letter = get_column_letter(index)
        data[f"{letter}1"].font = Font(bold=True)
        data.column_dimensions[letter].width = max(14, len(column.header) + 4)
        if column.kind in (Kind.ID_NUMBER, Kind.PHONE, Kind.CODE):
            # Typed into a text column, a number keeps its leading zero in Excel.
            data.column_dimensions[letter].number_format = "@"
        values = lists.get(column.key)
        if not values:
            continue
        if hidden is None:
            # Drop-down values live on a hidden sheet: a list typed into the rule itself is cut at 255 characters.
            hidden = book.create_sheet("Danh mục")
            hidden.sheet_state = "hidden"
        for number, value in enumerate(values, start=1):
            hidden.cell(row=number, column=index, value=spreadsheets.neutralise(str(value)))
        choice = DataValidation(
            type="list", formula1=f"'Danh mục'!${letter}$1:${letter}${len(values)}", allow_blank=True
        )
        choice.error = "Chọn một giá trị trong danh sách."
        choice.errorTitle = column.header
        data.add_data_validation(choice)
        choice.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
    data.freeze_panes = "A2"

    guide = book.create_sheet("Hướng dẫn", index=1)
    spreadsheets.append_row(guide, ["Cột", "Bắt buộc", "Cách ghi", "Ví dụ"])
    for column in fields:
        spreadsheets.append_row(guide, [column.header, "Có" if column.required else "", column.how, column.example])
    spreadsheets.append_row(guide, [])
    spreadsheets.append_row(
        guide, [note or "Mỗi dòng một bản ghi. Dòng tiêu đề có thể nằm dưới vài dòng tên bảng; cột thừa được bỏ qua."]
    )
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (26, 10, 80, 24), strict=True):
        guide.column_dimensions[letter].width = width
    return book


def comparable(value: Any) -> Any:
    """A value as an import compares it: text in composed Unicode with single spaces, so tidying is no change."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split())
    return value


@dataclass(slots=True)  # one per accepted row: 100,000 in a district's sheet
class RowAction:
    """What confirming the import does with one accepted row."""

    row: int
    action: str  # "create", "update" or "unchanged"
    pk: int | None = None
    updated_at: datetime | None = None
    attributes: dict[str, Any] = field(default_factory=dict)  # all of them to create, the changed ones to update


# Values an action may hold that JSON has no type for, tagged so that they come back as they were.
_TAGGED = {"date": date.fromisoformat, "datetime": datetime.fromisoformat, "decimal": Decimal}


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"__t": "datetime", "v": value.isoformat()}
    if isinstance(value, date):
        return {"__t": "date", "v": value.isoformat()}
    if isinstance(value, Decimal):
        return {"__t": "decimal", "v": str(value)}
    if isinstance(value, Promise):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be kept in an import plan")


def _untagged(value: dict) -> Any:
    tag = value.get("__t")
    return _TAGGED[tag](value["v"]) if tag in _TAGGED else value


@dataclass
class ImportPlan:
    """The preview: counts, every problem, and what each accepted row will do.

    ``write``/``read`` keep it between the preview and the confirmation (an import job
    stores it beside the file), so that confirming does not read and check the file again.
    """

    user_id: int
    filename: str
    counts: dict[str, int]
    problems: list[Problem]
    actions: list[Any]  # a list's RowActions (the member import has its own)
    headers: dict[str, str] = field(default_factory=dict)
    # The sheet as read: its header cells and rows head and fill the rejected-rows download.
    table: sheets.Table | None = field(default=None, repr=False, compare=False)

    def write(self, stream: BinaryIO) -> None:
        """The plan as JSON lines, without the sheet as read (``table``): its head, then one line per action.

        Line by line, so that a plan of 100,000 rows is never one document in memory beside itself.
        """
        action_types = {type(action) for action in self.actions}
        if len(action_types) > 1 or not all(is_dataclass(kind) for kind in action_types):
            raise TypeError("an import plan's actions must be dataclasses of one type")
        names = [each.name for kind in action_types for each in fields(kind)]
        head = {
            "user_id": self.user_id,
            "filename": self.filename,
            "counts": self.counts,
            "problems": [[problem.row, str(problem.column), str(problem.message)] for problem in self.problems],
            "headers": self.headers,
            "action_type": next((f"{kind.__module__}.{kind.__qualname__}" for kind in action_types), None),
        }
        for document in (head, *([getattr(action, name) for name in names] for action in self.actions)):
            stream.write(json.dumps(document, default=_tagged, ensure_ascii=False, separators=(",", ":")).encode())
            stream.write(b"\n")

    @classmethod
    def read(cls, stream: BinaryIO) -> ImportPlan:
        """A plan ``write`` wrote (only the portal's own actions: the type must be an ``apps`` dataclass)."""
        head = json.loads(stream.readline(), object_hook=_untagged)
        action_type = None
        if head["action_type"]:
            action_type = import_string(head["action_type"])
            if not (head["action_type"].startswith("apps.") and is_dataclass(action_type)):
                raise TypeError(f"{head['action_type']} is not an import plan's action")
        # readline, not iteration: iterating a Django File starts again from its first byte.
        lines = iter(stream.readline, b"") if action_type else ()
        actions = [action_type(*json.loads(line, object_hook=_untagged)) for line in lines]
        return cls(
            head["user_id"],
            head["filename"],
            head["counts"],
            [Problem(*problem) for problem in head["problems"]],
            actions,
            head["headers"],
        )

    @property
    def rejected_rows(self) -> list[sheets.Row]:
        """The rows that will not be imported, as read from the file (apps.core.import_kinds)."""
        rejected = {problem.row for problem in self.problems}
        return [row for row in self.table.rows if row.number in rejected] if self.table is not None else []


class ListRun:
    """One preview: the user, the sheet as read, the target CĐCS code, and the problems found so far."""

    def __init__(self, user, table: sheets.Table, union: str | None):
        self.user = user
        self.table = table
        self.union = union
        self.problems: dict[int, list[Problem]] = defaultdict(list)
        for problem in table.problems:
            self.problems[problem.row].append(problem)

    def problem(self, row: int, key: str, message: str) -> None:
        """A problem on the column ``key`` of Excel row ``row`` (the header as the file writes it)."""
        self.problems[row].append(Problem(row, self.table.headers.get(key, ""), message))

    def has(self, key: str) -> bool:
        """Whether the file has the column ``key`` (a column it lacks is left alone on update)."""
        return key in self.table.headers


class SheetList:
    """A list the portal keeps, declared once for its template, export and import (see the module's doc).

    A subclass sets the class attributes and implements ``row_of``, ``resolve`` and
    ``key_of``; ``prepare`` loads what rows refer to (a few queries for the whole file,
    none per row) and ``candidates`` the records rows may match.
    """

    name: str  # in URLs and commands: "groups"
    label: str | Promise  # "union groups"
    title: str  # the sheet's and the file's name: "Tổ công đoàn"
    model: type[models.Model]
    fields: tuple[ListField, ...]
    # Column keys that must be in the file (beyond those whose every cell is required).
    key_columns: tuple[str, ...] = ()
    note: str = ""
    # The attribute a row's header names on a model error ("dissolved_on" → its column's key).
    attribute_columns: dict[str, str] = {}

    # What a subclass says.

    def objects(self, user) -> models.QuerySet:
        """The records ``user`` may see, as the export lists them."""
        return self.model.objects.visible_to(user)

    def row_of(self, obj: models.Model, user) -> dict[str, Any]:
        """A record as its row: cell values by column key, as the export writes them."""
        raise NotImplementedError

    def prepare(self, run: ListRun) -> None:
        """Load what the rows refer to (CĐCS, groups, members) before any row is resolved."""

    def resolve(self, run: ListRun, row: sheets.Row) -> dict[str, Any] | None:
        """The model attributes a row sets (foreign keys as ``*_id``), or None with problems noted."""
        raise NotImplementedError

    def key_of(self, attributes: dict[str, Any]) -> tuple:
        """The natural key of a record, from its attributes (``resolve``'s or a record's)."""
        raise NotImplementedError

    def candidates(self, run: ListRun, resolved: list[dict[str, Any]]) -> Iterable[models.Model]:
        """The records in scope that rows may match (by default, those of the CĐCS the rows name)."""
        union_ids = {attributes["union_id"] for attributes in resolved}
        visible = self.model.objects.visible_to(run.user)
        for chunk in chunks(union_ids):
            yield from visible.filter(union_id__in=chunk)

    def permission(self, action: str) -> str:
        """``app_label.action_model``, as ``user.has_perm`` wants it."""
        return f"{self.model._meta.app_label}.{action}_{self.model._meta.model_name}"

    def template_choices(self, user) -> dict[str, Sequence[str]]:
        """Drop-down values known only for the user (a chair's own groups)."""
        return {}

    # What follows from it.

    def headers(self) -> dict[str, str]:
        return {f.key: f.header for f in self.fields}

    def template(self, user=None) -> tuple[bytes, str]:
        """``(bytes, filename)`` of an empty sheet to fill in."""
        choices = self.template_choices(user) if user is not None else {}
        book = template_workbook(self.title, self.fields, note=self.note, choices=choices)
        return spreadsheets.xlsx_bytes(book), spreadsheets.export_filename(f"Mẫu nhập {self.title}", on=None)

    def export(self, user, extension: str = "xlsx") -> StreamingHttpResponse:
        """The records ``user`` may see as a streamed .xlsx or .csv download, with the template's headers."""
        filename = spreadsheets.export_filename(
            f"Danh sách {self.title}", code=spreadsheets.scope_code(user), on=timezone.localdate(), extension=extension
        )
        return spreadsheets.table_download(
            self.table_columns(),
            self.rows(self.objects(user), user),
            extension=extension,
            title=self.title,
            filename=filename,
        )

    def table_columns(self) -> list[spreadsheets.TableColumn]:
        """The export's columns: the template's headers, dates and counts formatted."""
        formats = {Kind.DATE: spreadsheets.DATE_FORMAT, Kind.INTEGER: spreadsheets.COUNT_FORMAT}
        return [spreadsheets.TableColumn(f.header, formats.get(f.kind)) for f in self.fields]

    def rows(self, objects: models.QuerySet, user) -> Iterator[list[Any]]:
        """``objects`` as the export's rows, read a chunk at a time (others, like the handover package, reuse it)."""
        for obj in objects.iterator(chunk_size=2000):
            row = self.row_of(obj, user)
            yield [row[f.key] for f in self.fields]

    def read(self, file, *, filename: str, sheet: str | None) -> sheets.Table:
        table = sheets.read_table(
            file, filename=filename, columns=self.fields, sheet=sheet, check_archive=check_archive
        )
        wanted = [f for f in self.fields if f.key in self.key_columns or f.required]
        missing = [f.header for f in wanted if f.key not in table.headers]
        if missing:
            raise missing_columns(missing)
        return table

    def preview(
        self, file: bytes | BinaryIO | str, *, filename: str, user, union: str | None = None, sheet: str | None = None
    ) -> ImportPlan:
        """Read and check every row for ``user`` without writing; raise SheetError for the file as a whole."""
        if not (user.has_perm(self.permission("add")) and user.has_perm(self.permission("change"))):
            raise PermissionDenied(_("You may not import this list."))
        table = self.read(file, filename=filename, sheet=sheet)
        run = ListRun(user, table, union)
        self.prepare(run)
        resolved: dict[int, dict[str, Any]] = {}
        for row in table.rows:
            attributes = self.resolve(run, row)
            if attributes is not None:
                resolved[row.number] = attributes
        self._mark_duplicates(run, resolved)
        existing = {self.key_of(self._attributes(obj)): obj for obj in self.candidates(run, list(resolved.values()))}
        actions = []
        for row in table.rows:
            attributes = resolved.get(row.number)
            if attributes is None:
                continue
            action = self._action(run, row.number, attributes, existing.get(self.key_of(attributes)))
            if not run.problems.get(row.number):
                actions.append(action)
        counts = {"created": 0, "updated": 0, "unchanged": 0, "rejected": len(run.problems)}
        for action in actions:
            counts[{"create": "created", "update": "updated", "unchanged": "unchanged"}[action.action]] += 1
        problems = [problem for number in sorted(run.problems) for problem in run.problems[number]]
        return ImportPlan(user.pk, filename, counts, problems, actions, dict(table.headers), table=table)

    def apply(self, plan: ImportPlan, *, user, file_label: str) -> dict[str, int]:
        """Write every accepted row of ``plan`` in one transaction (all or nothing); return the counts."""
        if user.pk != plan.user_id:
            raise ImportFailed([Problem(0, "", _("This preview belongs to another user; preview the file again."))])
        changing = [action for action in plan.actions if action.action != "unchanged"]
        stale = ImportFailed([Problem(0, "", _("The data changed since the preview; preview the file again."))])
        try:
            with transaction.atomic(), recorded_as(_("Imported from %(source)s") % {"source": file_label}, user=user):
                pks = [action.pk for action in changing if action.pk is not None]
                records = {}
                for chunk in chunks(pks):
                    records.update(self.objects(user).select_for_update(of=("self",)).in_bulk(chunk))
                for action in changing:
                    if action.pk is None:
                        obj = self.model(**action.attributes)
                    else:
                        obj = records.get(action.pk)
                        if obj is None or getattr(obj, "updated_at", None) != action.updated_at:
                            raise stale
                        for name, value in action.attributes.items():
                            setattr(obj, name, value)
                    try:
                        obj.full_clean(validate_unique=True, validate_constraints=True)
                    except ValidationError as error:
                        raise ImportFailed(
                            problems_from(error, action.row, self._attribute_headers(plan.headers))
                        ) from None
                    obj.save()
        except DatabaseError:
            # A rule only the database knows (a trigger); nothing was written.
            raise ImportFailed(
                [Problem(0, "", _("The database refused the import; nothing was written. Preview the file again."))]
            ) from None
        return dict(plan.counts)

    # The preview's steps.

    def _attributes(self, obj: models.Model) -> dict[str, Any]:
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    def _attribute_headers(self, headers: dict[str, str]) -> dict[str, str]:
        """Model attribute → the header the file gives its column (``headers``: key → header as written)."""
        mapping = {f.key: headers[f.key] for f in self.fields if headers.get(f.key)}
        mapping.update({attribute: headers[key] for attribute, key in self.attribute_columns.items() if key in headers})
        return mapping

    def _mark_duplicates(self, run: ListRun, resolved: dict[int, dict[str, Any]]) -> None:
        """The same record twice in one file: an error on every one of those rows, none kept."""
        seen: dict[tuple, list[int]] = defaultdict(list)
        for number, attributes in resolved.items():
            seen[self.key_of(attributes)].append(number)
        for numbers in seen.values():
            if len(numbers) < 2:
                continue
            for number in numbers:
                others = ", ".join(str(other) for other in numbers if other != number)
                run.problems[number].append(
                    Problem(
                        number, "", _("The same record is also on row %(rows)s; keep one row each.") % {"rows": others}
                    )
                )

    def _action(self, run: ListRun, number: int, attributes: dict[str, Any], obj: models.Model | None) -> RowAction:
        if obj is None:
            candidate = self.model(**attributes)
            self._validate(run, number, candidate)
            return RowAction(number, "create", attributes=attributes)
        changed = {
            name: value for name, value in attributes.items() if comparable(value) != comparable(getattr(obj, name))
        }
        if changed:
            candidate = self.model(**{**self._attributes(obj), **changed})
            candidate._state.adding = False  # the record itself is no clash with its own key
            self._validate(run, number, candidate)
        return RowAction(
            number,
            "update" if changed else "unchanged",
            pk=obj.pk,
            updated_at=getattr(obj, "updated_at", None),
            attributes=changed,
        )

    def _validate(self, run: ListRun, number: int, candidate: models.Model) -> None:
        """Everything the model would refuse, found now, on the columns the file calls them."""
        already = {problem.column for problem in run.problems.get(number, [])}
        foreign = [f.name for f in candidate._meta.concrete_fields if f.is_relation]
        found = []
        try:
            # References were resolved in scope above: their existence is not asked again row by row.
            candidate.full_clean(exclude=foreign, validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            found.append(error)
        try:
            # Constraints on references too (a group leader needs a group); a few queries a row,
            # and these lists hold hundreds or thousands of rows, not a district's members.
            candidate.validate_constraints()
        except ValidationError as error:
            found.append(error)
        said = {problem.message for problem in run.problems.get(number, [])}
        for error in found:
            for problem in problems_from(error, number, self._attribute_headers(run.table.headers)):
                # A bad cell is said once: by the reader, or by clean() and a constraint alike.
                if problem.column not in already and problem.message not in said:
                    run.problems[number].append(problem)
                    said.add(problem.message)
