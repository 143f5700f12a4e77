"""Sheets of CĐCS, department unions and workforce declarations, and the “Mã CĐCS” column every list shares.

Each list is a ``SheetList`` (apps.core.sheet_lists): one declaration gives its template,
export and import. ``UNION_FIELD``, ``fixed_union`` and ``UnionCells`` say how any list's
rows name their CĐCS (by code or exact name, among those the user may see; a chair's rows
always go to the chair's own), so the member, group and official imports read that column
the same way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import sheets
from apps.core.sheet_lists import ListField, ListRun, SheetList, chunks, missing_columns
from apps.core.sheets import Kind, SheetError
from apps.core.text import fold, normalize_name
from apps.unions.models import DepartmentUnion, Federation, GrassrootsUnion, Sector, WorkforceDeclaration

UNION_FIELD = ListField(
    "union",
    "Mã CĐCS",
    Kind.CODE,
    ("CĐCS", "Mã công đoàn cơ sở", "Tên CĐCS", "Công đoàn cơ sở"),
    how="Mã CĐCS (hoặc đúng tên CĐCS). Chủ tịch CĐCS có thể bỏ trống: dòng thuộc CĐCS của mình.",
    example="TH-DN-023",
)
ESTABLISHED_FIELD = ListField(
    "established_on",
    "Ngày thành lập",
    Kind.DATE,
    ("Ngày thành lập (dd/mm/yyyy)",),
    required=True,
    how="Ngày/tháng/năm (dd/mm/yyyy) hoặc ô ngày của Excel.",
    example="15/03/2010",
)
DISSOLVED_FIELD = ListField(
    "dissolved_on",
    "Ngày giải thể",
    Kind.DATE,
    ("Ngày giải thể (dd/mm/yyyy)",),
    how="Bỏ trống nếu còn hoạt động.",
    example="",
)


def fixed_union(user, code: str | None) -> GrassrootsUnion | None:
    """The CĐCS every row goes to: the one named by ``code``, or a chair's own; None when the rows say."""
    visible = GrassrootsUnion.objects.visible_to(user)
    if code is not None and code.strip():
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


class UnionCells:
    """The CĐCS each row names in its “Mã CĐCS” column, by code or exact name, in the user's scope.

    Loaded once for the whole file (no query per row). ``problem(row, key, message)`` notes a
    problem on the row's column; a CĐCS outside the scope gets the same words as one that
    does not exist, so nothing is learnt about it.
    """

    def __init__(self, user, table: sheets.Table, union_code: str | None):
        self.user = user
        self.table = table
        self.fixed = fixed_union(user, union_code)
        if self.fixed is None and "union" not in table.headers:
            raise missing_columns([UNION_FIELD.header])
        self.by_code: dict[str, list[GrassrootsUnion]] = defaultdict(list)
        self.by_name: dict[str, list[GrassrootsUnion]] = defaultdict(list)
        if self.fixed is not None or "union" not in table.headers:
            return
        values = {row.values["union"] for row in table.rows if row.values.get("union")}
        visible = GrassrootsUnion.objects.visible_to(user).only("id", "code", "name", "status", "federation_id")
        for chunk in chunks(values):
            for union in visible.filter(models.Q(code__in=chunk) | models.Q(name__in=chunk)):
                self.by_code[union.code].append(union)
                self.by_name[normalize_name(union.name)].append(union)

    def of(self, row: sheets.Row, problem: Callable[[int, str, str], None]) -> GrassrootsUnion | None:
        value = row.values.get("union", "")
        if self.fixed is not None:
            if value and value not in (self.fixed.code, normalize_name(self.fixed.name)):
                if self.user.is_union_chair:
                    problem(row.number, "union", _("You can import only into your own CĐCS."))
                else:
                    problem(
                        row.number,
                        "union",
                        _("This file is imported into CĐCS “%(union)s” only; this row names another.")
                        % {"union": self.fixed.code},
                    )
                return None
            return self.fixed
        if not value:
            problem(row.number, "union", _("Please fill in this cell."))
            return None
        found = self.by_code.get(value) or self.by_name.get(value) or []
        if len(found) > 1:
            problem(
                row.number,
                "union",
                _("The code “%(value)s” matches several CĐCS; ask district staff.") % {"value": value},
            )
            return None
        if not found:
            problem(
                row.number, "union", _("CĐCS “%(value)s” does not exist or is outside your scope.") % {"value": value}
            )
            return None
        return found[0]

    def ids(self) -> set[int]:
        if self.fixed is not None:
            return {self.fixed.pk}
        return {union.pk for unions in self.by_code.values() for union in unions} | {
            union.pk for unions in self.by_name.values() for union in unions
        }


class UnionSheetList(SheetList):
    """A list whose rows each belong to a CĐCS, named in the “Mã CĐCS” column."""

    def prepare(self, run: ListRun) -> None:
        run.unions = UnionCells(run.user, run.table, run.union)

    def union_of(self, run: ListRun, row: sheets.Row) -> GrassrootsUnion | None:
        return run.unions.of(row, run.problem)


def _union_code(obj) -> str:
    return obj.union.code


class DepartmentUnionList(UnionSheetList):
    name = "department-unions"
    label = gettext_lazy("department unions")
    title = "Công đoàn bộ phận"
    model = DepartmentUnion
    fields = (
        UNION_FIELD,
        ListField(
            "name",
            "Tên công đoàn bộ phận",
            Kind.NAME,
            ("Công đoàn bộ phận", "Tên CĐBP", "CĐBP"),
            required=True,
            how="Tên công đoàn bộ phận, đúng như đơn vị gọi.",
            example="Công đoàn Phân xưởng May 1",
        ),
        ESTABLISHED_FIELD,
        DISSOLVED_FIELD,
    )

    def objects(self, user):
        return super().objects(user).select_related("union").order_by("union__code", "name")

    def row_of(self, obj: DepartmentUnion, user) -> dict[str, Any]:
        return {
            "union": obj.union.code,
            "name": obj.name,
            "established_on": obj.established_on,
            "dissolved_on": obj.dissolved_on,
        }

    def resolve(self, run: ListRun, row: sheets.Row) -> dict[str, Any] | None:
        union = self.union_of(run, row)
        if union is None or not row.values.get("name"):
            return None
        attributes = {"union_id": union.pk, "name": row.values["name"]}
        attributes.update({key: row.values[key] for key in ("established_on", "dissolved_on") if run.has(key)})
        return attributes

    def key_of(self, attributes: dict[str, Any]) -> tuple:
        return (attributes["union_id"], normalize_name(attributes["name"]))


class WorkforceList(UnionSheetList):
    name = "workforce"
    label = gettext_lazy("workforce declarations")
    title = "Khai báo lao động"
    model = WorkforceDeclaration
    fields = (
        UNION_FIELD,
        ListField(
            "as_of",
            "Tính đến ngày",
            Kind.DATE,
            ("Ngày khai báo", "Ngày", "Thời điểm", "Tính đến"),
            required=True,
            how="Ngày số liệu lao động được tính (dd/mm/yyyy).",
            example="01/01/2026",
        ),
        ListField(
            "total_workers",
            "Tổng số lao động",
            Kind.INTEGER,
            ("Số lao động", "Tổng số CNVCLĐ", "Tổng số người lao động", "Tổng số"),
            required=True,
            how="Số người lao động của đơn vị (số nguyên).",
            example=250,
        ),
        ListField(
            "female_workers",
            "Lao động nữ",
            Kind.INTEGER,
            ("Số lao động nữ", "Trong đó nữ", "Nữ"),
            required=True,
            how="Trong đó số lao động nữ; không lớn hơn tổng số.",
            example=130,
        ),
        ListField("note", "Ghi chú", Kind.TEXT, how="Nếu cần.", example=""),
    )

    def objects(self, user):
        return super().objects(user).select_related("union").order_by("union__code", "-as_of")

    def row_of(self, obj: WorkforceDeclaration, user) -> dict[str, Any]:
        return {
            "union": obj.union.code,
            "as_of": obj.as_of,
            "total_workers": obj.total_workers,
            "female_workers": obj.female_workers,
            "note": obj.note,
        }

    def resolve(self, run: ListRun, row: sheets.Row) -> dict[str, Any] | None:
        union = self.union_of(run, row)
        if union is None or row.values.get("as_of") is None:
            return None
        attributes = {"union_id": union.pk, "as_of": row.values["as_of"]}
        attributes.update({key: row.values[key] for key in ("total_workers", "female_workers", "note") if run.has(key)})
        return attributes

    def key_of(self, attributes: dict[str, Any]) -> tuple:
        return (attributes["union_id"], attributes["as_of"])


def _union_kind_label(kind: str) -> str:
    with translation.override("vi"):
        return str(GrassrootsUnion.Kind(kind).label)


def _union_kind_labels() -> list[str]:
    return [_union_kind_label(kind) for kind in GrassrootsUnion.Kind.values]


def _union_kinds_by_label() -> dict[str, str]:
    """Each kind by its label in Vietnamese and in English and by its value, folded → the kind."""
    found = {fold(kind): kind for kind in GrassrootsUnion.Kind.values}
    for language in ("vi", "en"):
        with translation.override(language):
            found.update({fold(str(label)): kind for kind, label in GrassrootsUnion.Kind.choices})
    return found


class UnionList(SheetList):
    """The CĐCS themselves; district staff only (a chair may edit their own CĐCS, never add one)."""

    name = "unions"
    label = gettext_lazy("grassroots unions")
    title = "CĐCS"
    model = GrassrootsUnion
    key_columns = ("code",)
    fields = (
        ListField(
            "code",
            "Mã CĐCS",
            Kind.CODE,
            ("Mã công đoàn cơ sở", "Mã"),
            required=True,
            how="Mã CĐCS, duy nhất trong liên đoàn (chữ, số, gạch ngang).",
            example="TH-DN-023",
        ),
        ListField(
            "name",
            "Tên CĐCS",
            Kind.NAME,
            ("Tên công đoàn cơ sở", "Công đoàn cơ sở", "CĐCS"),
            required=True,
            how="Tên đầy đủ của CĐCS.",
            example="Công đoàn Công ty TNHH May Thành Công",
        ),
        ListField(
            "employer_name",
            "Đơn vị",
            Kind.NAME,
            ("Tên đơn vị", "Đơn vị, doanh nghiệp", "Doanh nghiệp", "Đơn vị sử dụng lao động"),
            required=True,
            how="Tên đơn vị hoặc doanh nghiệp sử dụng lao động.",
            example="Công ty TNHH May Thành Công",
        ),
        ListField(
            "sector",
            "Khối",
            Kind.NAME,
            ("Khối, ngành", "Ngành", "Khối ngành"),
            required=True,
            how="Chọn khối trong danh sách.",
            example="Doanh nghiệp ngoài nhà nước",
        ),
        ListField(
            "kind",
            "Loại CĐCS",
            Kind.NAME,
            ("Loại công đoàn cơ sở", "Loại hình CĐCS", "Loại"),
            how="Công đoàn cơ sở, hoặc nghiệp đoàn cơ sở (người lao động không có hợp đồng lao động); "
            "bỏ trống là công đoàn cơ sở.",
            example="Công đoàn cơ sở",
        ),
        ListField(
            "federation",
            "Mã liên đoàn",
            Kind.CODE,
            ("Liên đoàn", "Mã LĐLĐ", "LĐLĐ"),
            how="Mã liên đoàn lao động quản lý; bỏ trống là liên đoàn của người nhập.",
            example="TH",
        ),
        ListField("address", "Địa chỉ", Kind.TEXT, how="Địa chỉ của đơn vị.", example="12 Lê Lợi, phường Thành Hưng"),
        ListField(
            "phone", "Điện thoại", Kind.PHONE, sheets.PHONE_ALIASES[1:], how="Số điện thoại.", example="0243825123"
        ),
        ESTABLISHED_FIELD,
        DISSOLVED_FIELD,
    )

    def objects(self, user):
        return super().objects(user).select_related("federation", "sector").order_by("federation__code", "code")

    def template_choices(self, user) -> dict[str, list[str]]:
        return {
            "sector": list(Sector.objects.ordered().values_list("name", flat=True)),
            "kind": _union_kind_labels(),
        }

    def row_of(self, obj: GrassrootsUnion, user) -> dict[str, Any]:
        return {
            "code": obj.code,
            "name": obj.name,
            "employer_name": obj.employer_name,
            "sector": obj.sector.name,
            "kind": _union_kind_label(obj.kind),
            "federation": obj.federation.code,
            "address": obj.address,
            "phone": obj.phone,
            "established_on": obj.established_on,
            "dissolved_on": obj.dissolved_on,
        }

    def prepare(self, run: ListRun) -> None:
        run.sectors = {normalize_name(sector.name): sector for sector in Sector.objects.all()}
        run.sectors.update({sector.code: sector for sector in Sector.objects.all()})
        run.federations = {federation.code: federation for federation in Federation.objects.visible_to(run.user)}
        run.own_federation = run.user.federation if run.user.federation_id else None
        run.kinds = _union_kinds_by_label()

    def resolve(self, run: ListRun, row: sheets.Row) -> dict[str, Any] | None:
        values = row.values
        if not values.get("code"):
            return None
        federation = run.own_federation
        if values.get("federation"):
            federation = run.federations.get(values["federation"])
            if federation is None:
                run.problem(
                    row.number,
                    "federation",
                    _("Federation “%(value)s” does not exist or is outside your scope.")
                    % {"value": values["federation"]},
                )
                return None
        if federation is None:
            run.problem(row.number, "federation", _("Please fill in this cell."))
            return None
        attributes: dict[str, Any] = {"federation_id": federation.pk, "code": values["code"]}
        if run.has("sector") and values.get("sector"):
            sector = run.sectors.get(values["sector"])
            if sector is None:
                run.problem(
                    row.number,
                    "sector",
                    _("There is no sector “%(value)s”; choose one from the list.") % {"value": values["sector"]},
                )
                return None
            attributes["sector_id"] = sector.pk
        if run.has("kind") and values.get("kind"):
            kind = run.kinds.get(fold(values["kind"]))
            if kind is None:
                run.problem(
                    row.number,
                    "kind",
                    _("“%(value)s” is not a kind of grassroots union; choose one from the list: %(kinds)s.")
                    % {"value": values["kind"], "kinds": ", ".join(_union_kind_labels())},
                )
                return None
            attributes["kind"] = kind
        for key in ("name", "employer_name", "address", "phone", "established_on", "dissolved_on"):
            if run.has(key):
                attributes[key] = values[key]
        if run.has("dissolved_on"):
            dissolved = values["dissolved_on"] is not None
            attributes["status"] = GrassrootsUnion.Status.DISSOLVED if dissolved else GrassrootsUnion.Status.ACTIVE
        return attributes

    def key_of(self, attributes: dict[str, Any]) -> tuple:
        return (attributes["federation_id"], attributes["code"])

    def candidates(self, run: ListRun, resolved: list[dict[str, Any]]) -> Iterable[GrassrootsUnion]:
        codes = {attributes["code"] for attributes in resolved}
        visible = GrassrootsUnion.objects.visible_to(run.user)
        for chunk in chunks(codes):
            yield from visible.filter(code__in=chunk)


UNION_LISTS = (UnionList(), DepartmentUnionList(), WorkforceList())
