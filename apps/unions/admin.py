"""Admin for federations, sectors, grassroots unions and their workforce declarations."""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ReadOnlyAdminMixin, ScopedHistoryAdmin, ScopedModelAdmin, ScopedTabularInline
from apps.imports.admin_links import SheetLinksMixin
from apps.members import rosters
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


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "unions"
    """The CĐCS admin, without figures: apps.dashboard.admin adds them (unions never import the dashboard)."""

    list_display = ["code", "name", "sector", "status"]
    list_display_links = ["code", "name"]
    list_filter = ["sector", "kind", "status", "federation"]
    list_select_related = ["sector"]
    search_fields = ["search_text"]
    folded_search_fields = ("search_text",)
    search_help_text = _("Search by code, name or employer; accents are optional.")
    autocomplete_fields = ["federation"]
    inlines = [WorkforceDeclarationInline, DepartmentUnionInline, UnionGroupInline]
    fieldsets = [
        (None, {"fields": ["federation", "sector", "kind", "code", "name", "employer_name"]}),
        (_("Contact"), {"fields": ["address", "phone"]}),
        (_("Status"), {"fields": ["status", "established_on", "dissolved_on"]}),
    ]

    def get_urls(self):
        # Here, on the base, so the registered extension (apps.dashboard.admin) has it too.
        return [
            self.object_page_url("members.xlsx", self.members_xlsx_view, "members_xlsx"),
            self.object_page_url("members/print/", self.members_print_view, "members_print"),
            self.object_page_url("cards/print/", self.cards_print_view, "cards_print"),
            *super().get_urls(),
        ]

    def members_xlsx_view(self, request, object_id):
        """The union's members active today as a sheet ("Xuất danh sách đoàn viên"); out of scope is 404."""
        union = self.viewable_object_or_404(request, object_id)
        return rosters.roster_download(request, union=union)

    def members_print_view(self, request, object_id):
        """The union's members active today as an A4 page to print and sign ("In danh sách"); out of scope is 404."""
        union = self.viewable_object_or_404(request, object_id)
        return rosters.roster_page(request, union=union, back_url=self._change_page(union))

    def cards_print_view(self, request, object_id):
        """The union's member cards as A4 sheets to print ("In thẻ đoàn viên"); out of scope is 404."""
        union = self.viewable_object_or_404(request, object_id)
        return rosters.cards_page(request, union=union, back_url=self._change_page(union))

    @staticmethod
    def _change_page(union) -> str:
        return reverse("admin:unions_grassrootsunion_change", args=[union.pk])

    def get_readonly_fields(self, request, obj=None):
        # A chair keeps the profile current; where the union sits is the federation's call.
        if getattr(request.user, "is_union_chair", False):
            return ["federation", "sector", "kind", "code", "status", "established_on", "dissolved_on"]
        return []


@admin.register(DepartmentUnion)
class DepartmentUnionAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "department-unions"
    list_display = ["name", "union", "established_on", "dissolved_on"]
    list_select_related = ["union"]
    search_fields = ["search_name", "union__search_text"]
    folded_search_fields = ("search_name", "union__search_text")
    autocomplete_fields = ["union"]


@admin.register(WorkforceDeclaration)
class WorkforceDeclarationAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "workforce"
    list_display = ["union", "as_of", "total_workers", "female_workers"]
    list_select_related = ["union"]
    list_filter = ["union__sector"]
    date_hierarchy = "as_of"
    search_fields = ["union__search_text"]
    folded_search_fields = ("union__search_text",)
    autocomplete_fields = ["union"]
