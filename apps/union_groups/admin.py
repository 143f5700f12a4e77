"""Admin for union groups."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ScopedHistoryAdmin
from apps.members import rosters
from apps.union_groups.models import UnionGroup


@admin.register(UnionGroup)
class UnionGroupAdmin(ScopedHistoryAdmin):
    list_display = ["name", "union", "department_union", "established_on", "dissolved_on"]
    list_select_related = ["union", "department_union"]
    list_filter = ["union__sector"]
    # A group by its own name or its union's ("to van phong hoa sen"); member forms look groups up here too.
    search_fields = ["search_name", "union__search_text"]
    folded_search_fields = ("search_name", "union__search_text")
    autocomplete_fields = ["union", "department_union"]

    def get_urls(self):
        roster = path(
            "<path:object_id>/roster.xlsx",
            self.admin_site.admin_view(self.roster_xlsx_view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_roster_xlsx",
        )
        return [roster, *super().get_urls()]

    def roster_xlsx_view(self, request, object_id):
        """The group's members active today as a sheet ("Xuất danh sách tổ"); out of scope is 404."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        group = self.get_object(request, unquote(object_id))
        if group is None:
            raise Http404(_("Not found"))
        return rosters.roster_download(request, union=group.union, group=group)
