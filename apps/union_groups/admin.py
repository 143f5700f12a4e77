"""Admin for union groups."""

from __future__ import annotations

from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse

from apps.core.admin import ScopedHistoryAdmin
from apps.imports.admin_links import SheetLinksMixin
from apps.members import rosters
from apps.union_groups.models import UnionGroup


@admin.register(UnionGroup)
class UnionGroupAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "groups"
    list_display = ["name", "union", "department_union", "established_on", "dissolved_on"]
    list_select_related = ["union", "department_union"]
    list_filter = ["union__sector"]
    # A group by its own name or its union's ("to van phong hoa sen"); member forms look groups up here too.
    search_fields = ["search_name", "union__search_text"]
    folded_search_fields = ("search_name", "union__search_text")
    autocomplete_fields = ["union", "department_union"]

    def _back_to_union(self, request, obj, response):
        # A group is added and edited from its CĐCS's page: "Lưu" goes back there.
        if any(key in request.POST for key in ("_continue", "_addanother", "_saveasnew", "_popup")):
            return response
        return redirect(reverse("admin:unions_grassrootsunion_change", args=[obj.union_id]))

    def response_add(self, request, obj, post_url_continue=None):
        return self._back_to_union(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._back_to_union(request, obj, super().response_change(request, obj))

    def get_urls(self):
        return [
            self.object_page_url("roster.xlsx", self.roster_xlsx_view, "roster_xlsx"),
            self.object_page_url("roster/print/", self.roster_print_view, "roster_print"),
            *super().get_urls(),
        ]

    def roster_xlsx_view(self, request, object_id):
        """The group's members active today as a sheet ("Xuất danh sách tổ"); out of scope is 404."""
        group = self.viewable_object_or_404(request, object_id)
        return rosters.roster_download(request, union=group.union, group=group)

    def roster_print_view(self, request, object_id):
        """The group's members active today as an A4 page to print and sign ("In danh sách tổ"); out of scope is 404."""
        group = self.viewable_object_or_404(request, object_id)
        back_url = reverse("admin:union_groups_uniongroup_change", args=[group.pk])
        return rosters.roster_page(request, union=group.union, group=group, back_url=back_url)
