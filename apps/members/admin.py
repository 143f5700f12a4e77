"""Admin for members, their membership history and union offices."""

from __future__ import annotations

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin

from apps.accounts.models import PersonalDataAccess
from apps.accounts.permissions import can_see_full_national_id
from apps.accounts.services import personal_data_access_record
from apps.core.admin import ScopedModelAdmin, ScopedTabularInline
from apps.core.db import vietnamese_order
from apps.members import services
from apps.members.models import Member, MembershipPeriod, UnionOfficial
from apps.members.resources import MemberResource


class MembershipPeriodInline(ScopedTabularInline):
    """Membership history: read-only here, written by the lifecycle services."""

    model = MembershipPeriod
    fields = ["union", "group", "started_on", "ended_on"]
    readonly_fields = fields
    show_change_link = False
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class UnionOfficialInline(ScopedTabularInline):
    model = UnionOfficial
    fk_name = "member"
    fields = ["union", "role", "group", "started_on", "ended_on"]
    autocomplete_fields = ["union", "group"]
    show_change_link = False


@admin.register(Member)
class MemberAdmin(ImportExportMixin, ScopedModelAdmin):
    list_display = ["full_name", "national_id_column", "gender", "date_of_birth", "union", "group", "status"]
    list_select_related = ["union", "group"]
    list_filter = ["status", "gender", "union__sector"]
    search_fields = ["search_name", "national_id"]
    search_help_text = _("Search by name (accents optional) or by the start of the national ID number.")
    folded_search_fields = ("search_name",)
    autocomplete_fields = ["union", "group"]
    inlines = [MembershipPeriodInline, UnionOfficialInline]
    resource_classes = [MemberResource]
    fieldsets = [
        (None, {"fields": ["union", "group", "full_name", "gender", "date_of_birth", "national_id"]}),
        (_("Contact"), {"fields": ["phone", "email"]}),
        (_("Union"), {"fields": ["ethnicity", "job_title", "joined_union_on", "card_number", "status"]}),
    ]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"user": request.user}

    def get_fieldsets(self, request, obj=None):
        if can_see_full_national_id(request.user):
            return self.fieldsets
        # Roles that do not enter ID numbers see only their last four digits.
        return [
            (title, {**options, "fields": [self._masked(name) for name in options["fields"]]})
            for title, options in self.fieldsets
        ]

    @staticmethod
    def _masked(field_name: str) -> str:
        return "masked_national_id_field" if field_name == "national_id" else field_name

    @admin.display(description=_("national ID number (CCCD)"))
    def masked_national_id_field(self, obj):
        return obj.masked_national_id

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200 and can_see_full_national_id(request.user):
            personal_data_access_record(
                user=request.user,
                action=PersonalDataAccess.Action.VIEW,
                model="members.member",
                record_ids=[int(object_id)],
                path=request.path,
            )
        return response

    def get_data_for_export(self, request, queryset, **kwargs):
        data = super().get_data_for_export(request, queryset, **kwargs)
        if can_see_full_national_id(request.user):
            personal_data_access_record(
                user=request.user,
                action=PersonalDataAccess.Action.EXPORT,
                model="members.member",
                record_ids=queryset.values_list("pk", flat=True),
                path=request.path,
            )
        return data

    def get_ordering(self, request):
        return [*vietnamese_order("given_name", "full_name"), "id"]

    def get_readonly_fields(self, request, obj=None):
        # Union and status change only through the lifecycle (join, transfer, leave).
        readonly = ["status", "masked_national_id_field"]
        if obj is not None:
            readonly += ["union", "joined_union_on"]
        return readonly

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term.isdigit():
            return queryset.filter(national_id__startswith=term), False
        return super().get_search_results(request, queryset, search_term)

    @admin.display(description=_("national ID number (CCCD)"), ordering="national_id")
    def national_id_column(self, obj):
        return obj.masked_national_id

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            personal = {name: data[name] for name in services.PERSONAL_FIELDS if name in data}
            created = services.member_enrol(
                union=data["union"], group=data.get("group"), joined_on=data["joined_union_on"], **personal
            )
            # The admin goes on to save inlines and log the addition against this object.
            obj.pk = created.pk
            return
        personal = {name: data[name] for name in form.changed_data if name in services.PERSONAL_FIELDS}
        if personal:
            services.member_update(member=obj, **personal)
        if "group" in form.changed_data:
            services.member_change_group(member=obj, group=form.cleaned_data["group"], on=timezone.localdate())


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(ScopedModelAdmin):
    list_display = ["member", "union", "group", "started_on", "ended_on"]
    list_select_related = ["member", "union", "group"]
    search_fields = ["member__search_name"]
    folded_search_fields = ("member__search_name",)
    autocomplete_fields = ["member", "union", "group"]
    date_hierarchy = "started_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(UnionOfficial)
class UnionOfficialAdmin(ScopedModelAdmin):
    list_display = ["member", "role", "union", "group", "started_on", "ended_on"]
    list_select_related = ["member", "union", "group"]
    list_filter = ["role"]
    search_fields = ["member__search_name"]
    folded_search_fields = ("member__search_name",)
    autocomplete_fields = ["member", "union", "group"]
