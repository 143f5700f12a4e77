"""Member import and export (Excel/CSV), with Vietnamese column names, through the lifecycle services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from import_export import fields, widgets

from apps.accounts.permissions import can_see_full_national_id
from apps.core.resources import ChoiceLabelWidget, DayFirstDateWidget, ScopedForeignKeyWidget, ScopedModelResource
from apps.members import services
from apps.members.models import Gender, Member
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion


class NationalIdWidget(widgets.CharWidget):
    """A CCCD number as text; Excel turns 001090000123 into the number 1090000123, so pad it back."""

    def clean(self, value, row=None, **kwargs):
        if value in (None, ""):
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip().replace(" ", "")
        if isinstance(value, int) and len(text) < 12:
            text = text.zfill(12)
        return text


class GroupOfRowUnionWidget(ScopedForeignKeyWidget):
    """A union group named within the row's own union."""

    def get_queryset(self, value, row, *args, **kwargs):
        return (
            super().get_queryset(value, row, *args, **kwargs).filter(union__code=row.get(MemberResource.UNION_COLUMN))
        )


class MemberResource(ScopedModelResource):
    """One member a row; existing members are matched on the CCCD number among those the user may see."""

    UNION_COLUMN = "Mã CĐCS"

    union = fields.Field(
        attribute="union",
        column_name=UNION_COLUMN,
        widget=ScopedForeignKeyWidget(GrassrootsUnion, "code", label="CĐCS"),
    )
    group = fields.Field(
        attribute="group",
        column_name="Tổ công đoàn",
        widget=GroupOfRowUnionWidget(UnionGroup, "name", label="Tổ công đoàn"),
    )
    full_name = fields.Field(attribute="full_name", column_name="Họ và tên")
    gender = fields.Field(
        attribute="gender",
        column_name="Giới tính",
        widget=ChoiceLabelWidget(Gender, label="Giới tính", aliases={"nam": "male", "nữ": "female", "nu": "female"}),
    )
    date_of_birth = fields.Field(attribute="date_of_birth", column_name="Ngày sinh", widget=DayFirstDateWidget())
    national_id = fields.Field(attribute="national_id", column_name="Số CCCD", widget=NationalIdWidget())
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
        import_id_fields = ("national_id",)
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
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True

    def dehydrate_national_id(self, member: Member) -> str:
        if self.user is not None and not can_see_full_national_id(self.user):
            return member.masked_national_id
        return member.national_id or ""

    def get_queryset(self):
        # Only active members are matched: a row for someone who left is a new enrolment.
        return super().get_queryset().active().select_related("union", "group")

    def get_export_queryset(self, request=None):
        return super().get_queryset().select_related("union", "group")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if instance.pk:
            original = Member.objects.select_related("union").get(pk=instance.pk)
            if instance.union_id != original.union_id:
                # The row names one of the user's own members (matched in scope), so their union may be named.
                message = services.active_elsewhere_message(original, actor=self.user)
                errors.setdefault("union", ValidationError(message))
        if "national_id" not in errors:
            try:
                services.check_not_active_elsewhere(
                    instance.national_id,
                    exclude_pk=instance.pk,
                    actor=self.user,
                    union=instance.union if instance.union_id else None,
                )
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        super().validate_instance(instance, errors, validate_unique)

    def do_instance_save(self, instance, is_create):
        personal = {name: getattr(instance, name) for name in services.PERSONAL_FIELDS}
        if is_create:
            member = services.member_enrol(
                union=instance.union,
                group=instance.group,
                joined_on=instance.joined_union_on,
                actor=self.user,
                **personal,
            )
            instance.pk = member.pk
            return
        current = Member.objects.get(pk=instance.pk)
        services.member_update(member=current, actor=self.user, **personal)
        if current.group_id != instance.group_id:
            services.member_change_group(member=current, group=instance.group, on=timezone.localdate())
