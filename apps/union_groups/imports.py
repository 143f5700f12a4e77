"""The union-group sheet: template, export and import, declared once (apps.core.sheet_lists)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core import sheets
from apps.core.sheet_lists import ListField, ListRun, chunks
from apps.core.sheets import Kind
from apps.core.text import normalize_name
from apps.union_groups.models import UnionGroup
from apps.unions.imports import DISSOLVED_FIELD, ESTABLISHED_FIELD, UNION_FIELD, UnionSheetList
from apps.unions.models import DepartmentUnion


class UnionGroupList(UnionSheetList):
    name = "groups"
    label = gettext_lazy("union groups")
    title = "Tổ công đoàn"
    model = UnionGroup
    fields = (
        UNION_FIELD,
        ListField(
            "name",
            "Tên tổ công đoàn",
            Kind.NAME,
            ("Tổ công đoàn", "Tên tổ", "Tổ CĐ", "Tên tổ CĐ"),
            required=True,
            how="Tên tổ công đoàn, không trùng trong một CĐCS.",
            example="Tổ Văn phòng",
        ),
        ListField(
            "department_union",
            "Công đoàn bộ phận",
            Kind.NAME,
            ("Tên công đoàn bộ phận", "CĐBP"),
            how="Tên công đoàn bộ phận của CĐCS mà tổ trực thuộc; bỏ trống nếu tổ trực thuộc CĐCS.",
            example="",
        ),
        ESTABLISHED_FIELD,
        DISSOLVED_FIELD,
    )

    def objects(self, user):
        return super().objects(user).select_related("union", "department_union").order_by("union__code", "name")

    def template_choices(self, user) -> dict[str, Sequence[str]]:
        # A chair picks among their own department unions; staff type them (they span many CĐCS).
        if not user.is_union_chair:
            return {}
        names = DepartmentUnion.objects.visible_to(user).order_by("name").values_list("name", flat=True)
        return {"department_union": list(names)}

    def row_of(self, obj: UnionGroup, user) -> dict[str, Any]:
        return {
            "union": obj.union.code,
            "name": obj.name,
            "department_union": obj.department_union.name if obj.department_union_id else "",
            "established_on": obj.established_on,
            "dissolved_on": obj.dissolved_on,
        }

    def prepare(self, run: ListRun) -> None:
        super().prepare(run)
        run.departments = {}
        if not run.has("department_union"):
            return
        visible = DepartmentUnion.objects.visible_to(run.user).only("id", "union_id", "name")
        for chunk in chunks(run.unions.ids()):
            for department in visible.filter(union_id__in=chunk):
                run.departments[(department.union_id, normalize_name(department.name))] = department

    def resolve(self, run: ListRun, row: sheets.Row) -> dict[str, Any] | None:
        union = self.union_of(run, row)
        if union is None or not row.values.get("name"):
            return None
        attributes = {"union_id": union.pk, "name": row.values["name"]}
        if run.has("department_union"):
            name = row.values["department_union"]
            department = run.departments.get((union.pk, name)) if name else None
            if name and department is None:
                run.problem(
                    row.number,
                    "department_union",
                    _("CĐCS “%(union)s” has no department union “%(name)s”.") % {"union": union.code, "name": name},
                )
                return None
            attributes["department_union_id"] = department.pk if department else None
        attributes.update({key: row.values[key] for key in ("established_on", "dissolved_on") if run.has(key)})
        return attributes

    def key_of(self, attributes: dict[str, Any]) -> tuple:
        return (attributes["union_id"], normalize_name(attributes["name"]))


GROUP_LIST = UnionGroupList()
