"""The admin's member export (Excel/CSV) with Vietnamese column names; imports go through apps.members.imports."""

from __future__ import annotations

from import_export import fields, widgets

from apps.accounts.permissions import can_see_full_national_id
from apps.core.resources import ChoiceLabelWidget, DayFirstDateWidget, ScopedModelResource
from apps.members.models import Gender, Member
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion


class MemberResource(ScopedModelResource):
    """One member a row, among those the user may see; the CCCD number masked for those who see it masked."""

    union = fields.Field(
        attribute="union",
        column_name="Mã CĐCS",
        widget=widgets.ForeignKeyWidget(GrassrootsUnion, "code"),
    )
    group = fields.Field(
        attribute="group",
        column_name="Tổ công đoàn",
        widget=widgets.ForeignKeyWidget(UnionGroup, "name"),
    )
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
    gender = fields.Field(
        attribute="gender",
        column_name="Giới tính",
        widget=ChoiceLabelWidget(Gender),
    )
    date_of_birth = fields.Field(attribute="date_of_birth", column_name="Ngày sinh", widget=DayFirstDateWidget())
    national_id = fields.Field(attribute="national_id", column_name="Số CCCD", widget=widgets.CharWidget())
    phone = fields.Field(attribute="phone", column_name="Điện thoại")
    email = fields.Field(attribute="email", column_name="Email")
    ethnicity = fields.Field(attribute="ethnicity", column_name="Dân tộc")
    job_title = fields.Field(attribute="job_title", column_name="Chức danh, nghề nghiệp")
    joined_union_on = fields.Field(
        attribute="joined_union_on", column_name="Ngày vào công đoàn", widget=DayFirstDateWidget()
    )
    card_number = fields.Field(attribute="card_number", column_name="Số thẻ đoàn viên")

    class Meta:
        model = Member
        fields = (
            "union",
            "group",
            "full_name",
            "gender",
            "date_of_birth",
            "national_id",
            "phone",
            "email",
            "ethnicity",
            "job_title",
            "joined_union_on",
            "card_number",
        )

    def dehydrate_national_id(self, member: Member) -> str:
        if self.user is not None and not can_see_full_national_id(self.user):
            return member.masked_national_id
        return member.national_id or ""

    def get_export_queryset(self, request=None):
        return super().get_queryset().select_related("union", "group")
