"""The union-official sheet (chủ tịch, phó chủ tịch, tổ trưởng … and their terms), declared once.

An office is found by its CĐCS, the member's CCCD number, the role and the first day of the
term; the member is looked up by CCCD among the CĐCS's own members, never outside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.permissions import can_see_full_national_id
from apps.core import sheets
from apps.core.sheet_lists import ListField, ListRun, chunks
from apps.core.sheets import Kind
from apps.core.text import fold, normalize_name
from apps.members.models import Member, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.imports import UNION_FIELD, UnionSheetList


def _role_labels() -> list[str]:
    with translation.override("vi"):
        return [str(label) for _value, label in UnionOfficial.Role.choices]


def _roles_by_label() -> dict[str, str]:
    """Each role's label, in Vietnamese and in English, folded (case and accents aside) → the role."""
    found = {}
    for language in ("vi", "en"):
        with translation.override(language):
            found.update({fold(str(label)): value for value, label in UnionOfficial.Role.choices})
    return found


class OfficialList(UnionSheetList):
    name = "officials"
    label = gettext_lazy("union officials")
    title = "Cán bộ công đoàn"
    model = UnionOfficial
    fields = (
        UNION_FIELD,
        ListField(
            "national_id",
            "Số CCCD",
            Kind.ID_NUMBER,
            sheets.NATIONAL_ID_ALIASES,
            required=True,
            how="Số CCCD của đoàn viên giữ chức vụ; đoàn viên phải thuộc CĐCS đó.",
            example="001190012345",
        ),
        ListField(
            "full_name",
            "Họ và tên",
            Kind.NAME,
            sheets.FULL_NAME_ALIASES,
            how="Để dễ đọc; cổng thông tin tìm đoàn viên theo số CCCD.",
            example="Nguyễn Thị An",
        ),
        ListField(
            "role",
            "Chức vụ",
            Kind.TEXT,
            ("Chức vụ công đoàn", "Chức danh công đoàn"),
            required=True,
            how="Chọn chức vụ trong danh sách.",
            example="chủ tịch",
        ),
        ListField(
            "group",
            "Tổ công đoàn",
            Kind.NAME,
            ("Tên tổ công đoàn", "Tổ CĐ"),
            how="Chỉ với tổ trưởng và tổ phó: tên tổ của CĐCS.",
            example="",
        ),
        ListField(
            "started_on",
            "Từ ngày",
            Kind.DATE,
            ("Ngày bắt đầu", "Ngày bổ nhiệm", "Bắt đầu nhiệm kỳ"),
            required=True,
            how="Ngày bắt đầu giữ chức vụ (dd/mm/yyyy).",
            example="01/07/2023",
        ),
        ListField(
            "ended_on",
            "Đến ngày",
            Kind.DATE,
            ("Ngày kết thúc", "Kết thúc nhiệm kỳ"),
            how="Ngày thôi giữ chức vụ (không tính ngày này); bỏ trống nếu đang giữ.",
            example="",
        ),
    )
    attribute_columns = {"member": "national_id", "member_id": "national_id", "group_id": "group"}

    def template_choices(self, user) -> dict[str, Sequence[str]]:
        choices: dict[str, Sequence[str]] = {"role": _role_labels()}
        if user.is_union_chair:
            groups = UnionGroup.objects.visible_to(user).filter(dissolved_on__isnull=True).order_by("name")
            choices["group"] = list(groups.values_list("name", flat=True))
        return choices

    def objects(self, user):
        related = ("union", "member", "group")
        return super().objects(user).select_related(*related).order_by("union__code", "role", "-started_on")

    def row_of(self, obj: UnionOfficial, user) -> dict[str, Any]:
        member = obj.member
        shown_id = member.national_id if can_see_full_national_id(user) else member.masked_national_id
        return {
            "union": obj.union.code,
            "national_id": shown_id,
            "full_name": member.full_name,
            "role": str(obj.get_role_display()),
            "group": obj.group.name if obj.group_id else "",
            "started_on": obj.started_on,
            "ended_on": obj.ended_on,
        }

    def prepare(self, run: ListRun) -> None:
        super().prepare(run)
        union_ids = run.unions.ids()
        numbers = {row.values["national_id"] for row in run.table.rows if row.values.get("national_id")}
        run.members = {}
        members = Member.objects.visible_to(run.user).select_related(None).only("id", "union_id", "national_id")
        for chunk in chunks(numbers):
            for member in members.filter(national_id__in=chunk, union_id__in=union_ids):
                # Someone who left and joined again has two records; the latest is the one in office.
                run.members[(member.union_id, member.national_id)] = member
        run.groups = {}
        for chunk in chunks(union_ids):
            for group in (
                UnionGroup.objects.visible_to(run.user).filter(union_id__in=chunk).only("id", "union_id", "name")
            ):
                run.groups[(group.union_id, normalize_name(group.name))] = group
        run.roles = _roles_by_label()

    def resolve(self, run: ListRun, row: sheets.Row) -> dict[str, Any] | None:
        values = row.values
        union = self.union_of(run, row)
        if union is None or not values.get("national_id") or values.get("started_on") is None:
            return None
        member = run.members.get((union.pk, values["national_id"]))
        if member is None:
            run.problem(
                row.number,
                "national_id",
                _("No member of CĐCS “%(union)s” has this CCCD number.") % {"union": union.code},
            )
            return None
        role = run.roles.get(fold(values.get("role", "")))
        if role is None:
            run.problem(
                row.number,
                "role",
                _("“%(value)s” is not a union office; choose one from the list: %(roles)s.")
                % {"value": values.get("role", ""), "roles": ", ".join(_role_labels())},
            )
            return None
        group = None
        if values.get("group"):
            group = run.groups.get((union.pk, values["group"]))
            if group is None:
                run.problem(
                    row.number,
                    "group",
                    _("CĐCS “%(union)s” has no union group “%(group)s”.")
                    % {"union": union.code, "group": values["group"]},
                )
                return None
        attributes = {
            "union_id": union.pk,
            "member_id": member.pk,
            "role": role,
            "started_on": values["started_on"],
        }
        if run.has("group"):
            attributes["group_id"] = group.pk if group else None
        if run.has("ended_on"):
            attributes["ended_on"] = values["ended_on"]
        return attributes

    def key_of(self, attributes: dict[str, Any]) -> tuple:
        return (attributes["union_id"], attributes["member_id"], attributes["role"], attributes["started_on"])

    def candidates(self, run: ListRun, resolved: list[dict[str, Any]]) -> Iterable[UnionOfficial]:
        member_ids = {attributes["member_id"] for attributes in resolved}
        visible = UnionOfficial.objects.visible_to(run.user)
        for chunk in chunks(member_ids):
            yield from visible.filter(member_id__in=chunk)


OFFICIAL_LIST = OfficialList()
