"""Admin for federations, sectors, grassroots unions and their workforce declarations."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ReadOnlyAdminMixin, ScopedHistoryAdmin, ScopedModelAdmin, ScopedTabularInline
from apps.core.formatting import format_number, format_ratio
from apps.dashboard.checks import ATTENTION_CHECKS, attention_label
from apps.dashboard.selectors import union_warnings, unions_needing_attention
from apps.union_groups.models import UnionGroup
from apps.unions.models import DepartmentUnion, Federation, GrassrootsUnion, Sector, WorkforceDeclaration


@admin.register(Federation)
class FederationAdmin(ScopedModelAdmin):
    list_display = ["code", "name", "parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_enterprise", "sort_order"]
    search_fields = ["name", "code"]


class WorkforceDeclarationInline(ScopedTabularInline):
    model = WorkforceDeclaration
    fields = ["as_of", "total_workers", "female_workers", "note"]
    show_change_link = False


class DepartmentUnionInline(ScopedTabularInline):
    model = DepartmentUnion
    fields = ["name", "established_on", "dissolved_on"]


class UnionGroupInline(ReadOnlyAdminMixin, ScopedTabularInline):
    """The union's groups listed with a link to each; a group is added and edited on its own page.

    Editable here, a CĐCS with 48 groups rendered 48 rows of form widgets: 280 ms a page
    at city scale, for a list people mostly read (docs/PERFORMANCE.md).
    """

    model = UnionGroup
    fields = readonly_fields = ["name", "department_union", "established_on", "dissolved_on"]
    show_change_link = True
    template = "admin/unions/grassrootsunion/groups_inline.html"


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Unions failing one of the charter checks (apps.dashboard.checks.ATTENTION_CHECKS)."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [(code, attention_label(code)) for code in ATTENTION_CHECKS]

    def queryset(self, request, queryset):
        if self.value() in ATTENTION_CHECKS:
            return unions_needing_attention(queryset, self.value(), timezone.localdate())
        return queryset


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(ScopedHistoryAdmin):
    list_display = [
        "code",
        "name",
        "sector",
        "members_column",
        "workers_column",
        "ratio_column",
        "groups_column",
        "status",
    ]
    list_display_links = ["code", "name"]
    list_filter = [NeedsAttentionFilter, "sector", "status", "federation"]
    list_select_related = ["sector"]
    search_fields = ["search_text"]
    folded_search_fields = ("search_text",)
    search_help_text = _("Search by code, name or employer; accents are optional.")
    autocomplete_fields = ["federation"]
    inlines = [WorkforceDeclarationInline, DepartmentUnionInline, UnionGroupInline]
    fieldsets = [
        (None, {"fields": ["federation", "sector", "code", "name", "employer_name"]}),
        (_("Contact"), {"fields": ["address", "phone"]}),
        (_("Status"), {"fields": ["status", "established_on", "dissolved_on"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_figures(timezone.localdate())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        union = self.get_object(request, unquote(object_id))
        if request.method == "GET" and union is not None:
            for warning in union_warnings(union, timezone.localdate(), user=request.user):
                self.message_user(request, _("Charter check: %(problem)s.") % {"problem": warning}, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def get_readonly_fields(self, request, obj=None):
        # A chair keeps the profile current; where the union sits is the federation's call.
        if getattr(request.user, "is_union_chair", False):
            return ["federation", "sector", "code", "status", "established_on", "dissolved_on"]
        return []

    @admin.display(description=_("members"), ordering="member_count")
    def members_column(self, obj):
        url = reverse("admin:members_member_changelist") + f"?union__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, format_number(obj.member_count))

    @admin.display(description=_("workers"), ordering="workers")
    def workers_column(self, obj):
        return format_number(obj.workers)

    @admin.display(description=_("members / workers"))
    def ratio_column(self, obj):
        return format_ratio(obj.member_count, obj.workers)

    @admin.display(description=_("groups"), ordering="group_count")
    def groups_column(self, obj):
        return format_number(obj.group_count)


@admin.register(DepartmentUnion)
class DepartmentUnionAdmin(ScopedHistoryAdmin):
    list_display = ["name", "union", "established_on", "dissolved_on"]
    list_select_related = ["union"]
    search_fields = ["search_name", "union__search_text"]
    folded_search_fields = ("search_name", "union__search_text")
    autocomplete_fields = ["union"]


@admin.register(WorkforceDeclaration)
class WorkforceDeclarationAdmin(ScopedHistoryAdmin):
    list_display = ["union", "as_of", "total_workers", "female_workers"]
    list_select_related = ["union"]
    list_filter = ["union__sector"]
    date_hierarchy = "as_of"
    search_fields = ["union__search_text"]
    folded_search_fields = ("union__search_text",)
    autocomplete_fields = ["union"]
