"""The base of every admin of union data: scoping, optimistic locking, the large-table
paginator, the plain row checkbox and accent-free search, put together.

Why: each admin of union data needs all of these; composing them once keeps an app's
admin to its own columns. Checked against Django 5.2.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.utils.text import capfirst

from apps.core.admin.checkbox import PlainActionCheckboxMixin
from apps.core.admin.locking import NoLostUpdateMixin
from apps.core.admin.paginator import LargeTableChangeList, LargeTablePaginator
from apps.core.admin.scoped import ScopedAdminMixin, is_foreign_key
from apps.core.search import folded_search
from apps.core.unqueryable import UnqueryableFieldsMixin


def _link_tables():
    """The tables Django makes for many-to-many fields: no thing a user knows by name."""
    return [
        field.remote_field.through
        for model in apps.get_models()
        for field in model._meta.local_many_to_many
        if field.remote_field.through._meta.auto_created
    ]


def _without(items: list, prefixes: tuple[str, ...]) -> list:
    kept = []
    for item in items:
        if isinstance(item, list):
            nested = _without(item, prefixes)
            if nested:
                kept.append(nested)
        elif not str(item).startswith(prefixes):
            kept.append(item)
    return kept


class ScopedModelAdmin(
    PlainActionCheckboxMixin, NoLostUpdateMixin, ScopedAdminMixin, UnqueryableFieldsMixin, admin.ModelAdmin
):
    """The base of every admin of union data."""

    show_full_result_count = False
    # Facet counts run one COUNT per filter choice on every page: too dear on large tables.
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator
    list_per_page = 50
    # Folded (accent-free) columns searched instead of Django's icontains on raw text.
    folded_search_fields: tuple[str, ...] = ()

    class Media:
        # A group picker offers the groups of the CĐCS chosen on the form (static: no inline script).
        # Listed after jquery.init.js, which defines django.jQuery: Django orders merged media by
        # these lists, and alone the script landed before it and found no jQuery.
        js = ["admin/js/jquery.init.js", "js/union_choices.js"]

    def get_deleted_objects(self, objs, request):
        # Django lists the rows of many-to-many link tables too, in English
        # ("Meeting-grassrootsunion relationship: Meeting_participating_unions object (1)");
        # they go with the object and mean nothing to a reader.
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        tables = _link_tables()
        prefixes = tuple(f"{capfirst(table._meta.verbose_name)}: " for table in tables)
        names = {str(table._meta.verbose_name_plural) for table in tables}
        model_count = {name: count for name, count in model_count.items() if str(name) not in names}
        return _without(to_delete, prefixes), model_count, perms_needed, protected

    def get_changelist(self, request, **kwargs):
        return LargeTableChangeList

    def get_list_select_related(self, request):
        # Django follows only non-null foreign keys by itself: name every related column shown.
        if self.list_select_related is not False:
            return self.list_select_related
        related = [
            name
            for name in self.get_list_display(request)
            if isinstance(name, str) and is_foreign_key(self.model, name)
        ]
        return related or False

    def get_search_results(self, request, queryset, search_term):
        if not self.folded_search_fields:
            return super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return queryset, False
        fields = [name for name in self.folded_search_fields if self.may_query(request, name)]
        return folded_search(queryset, search_term, fields), False
