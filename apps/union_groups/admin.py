"""Admin for union groups."""

from __future__ import annotations

from django.contrib import admin

from apps.core.admin import ScopedHistoryAdmin
from apps.union_groups.models import UnionGroup


@admin.register(UnionGroup)
class UnionGroupAdmin(ScopedHistoryAdmin):
    list_display = ["name", "union", "department_union", "established_on", "dissolved_on"]
    list_select_related = ["union", "department_union"]
    list_filter = ["union__sector"]
    search_fields = ["name", "union__search_text"]
    folded_search_fields = ("union__search_text",)
    autocomplete_fields = ["union", "department_union"]
