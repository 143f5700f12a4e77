"""The admin's scoping: every list, form, filter, autocomplete, action and history page
goes through ``visible_to(request.user)`` (apps.accounts.scoping)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from apps.core.search import folded_search


def scoped(queryset, user):
    """``queryset.visible_to(user)`` for scoped models; lookups such as Sector are shared by all."""
    return queryset.visible_to(user) if hasattr(queryset, "visible_to") else queryset


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field filter that lists only the objects the user may see."""

    def field_choices(self, field, request, model_admin):
        queryset = scoped(field.related_model._default_manager.all(), request.user)
        return [(obj.pk, str(obj)) for obj in queryset]


class LargeTablePaginator(Paginator):
    """Avoids a full COUNT of a large unfiltered table on PostgreSQL by using the planner's estimate."""

    exact_below = 50_000

    @cached_property
    def count(self) -> int:
        query = self.object_list.query
        if connection.vendor == "postgresql" and not query.where and not query.distinct:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [self.object_list.model._meta.db_table],
                )
                row = cursor.fetchone()
            if row and row[0] >= self.exact_below:
                return int(row[0])
        return super().count


class ScopedAdminMixin:
    """Limits an admin to the rows, choices and related objects the signed-in user may see."""

    # Out-of-scope and missing objects are both "not found": never reveal that a row exists.
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("Not found"))

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(field.queryset, request.user)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped(field.queryset, request.user)
        return field

    def get_list_filter(self, request):
        # Swap Django's related-field filter (which lists every object) for the scoped one.
        filters = []
        for item in super().get_list_filter(request):
            if isinstance(item, str) and self._is_relation(item):
                filters.append((item, ScopedRelatedFieldListFilter))
            else:
                filters.append(item)
        return filters

    def _is_relation(self, path: str) -> bool:
        from django.contrib.admin.utils import get_fields_from_path

        try:
            field = get_fields_from_path(self.model, path)[-1]
        except Exception:
            return False
        return bool(getattr(field, "is_relation", False))


VERSION_FIELD = "loaded_version"


def _version_token(value) -> str:
    return value.isoformat() if value else ""


def _versioned_form(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """``base`` with a hidden copy of the record's ``updated_at`` that must still match on save."""

    class VersionedForm(base):
        loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[VERSION_FIELD].initial = _version_token(self.instance.updated_at)

        def clean(self):
            cleaned = super().clean()
            current = (
                type(self.instance)
                ._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if _version_token(current) != (self.data.get(self.add_prefix(VERSION_FIELD)) or ""):
                raise forms.ValidationError(
                    _(
                        "Someone else changed this record at %(time)s, after you opened it. "
                        "Your changes were not saved: open the record again and re-enter them."
                    )
                    % {"time": formats.date_format(timezone.localtime(current), "SHORT_DATETIME_FORMAT")},
                    code="stale",
                )
            return cleaned

    return VersionedForm


class NoLostUpdateMixin:
    """Refuses to save a record someone else changed since the form was opened.

    The form carries the record's ``updated_at`` as it was loaded; on save the row is
    locked (the admin saves inside a transaction) and compared, so the second of two
    people editing at once is told instead of silently overwriting the first.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and hasattr(obj, "updated_at") and "form" not in kwargs:
            kwargs["form"] = _versioned_form(self.form)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not hasattr(obj, "updated_at"):
            return fieldsets
        if any(VERSION_FIELD in options.get("fields", ()) for _title, options in fieldsets):
            return fieldsets
        (title, options), *rest = fieldsets
        return [(title, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]


class ScopedModelAdmin(NoLostUpdateMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The base of every admin of union data."""

    show_full_result_count = False
    # Facet counts run one COUNT per filter choice on every page: too dear on large tables.
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator
    list_per_page = 50
    # Folded (accent-free) columns searched instead of Django's icontains on raw text.
    folded_search_fields: tuple[str, ...] = ()

    def get_search_results(self, request, queryset, search_term):
        if not self.folded_search_fields:
            return super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return queryset, False
        return folded_search(queryset, search_term, self.folded_search_fields), False


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):
    """An inline whose rows and choices are scoped like its admin's."""

    extra = 0
    show_change_link = True


class ScopedHistoryAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    """A scoped admin with the change history of each record (django-simple-history)."""

    def _require_in_scope(self, request, object_id) -> None:
        # simple-history falls back to the historical rows when the object is not in
        # get_queryset(), which would show an out-of-scope record's history: check first.
        if not self.get_queryset(request).filter(pk=unquote(object_id)).exists():
            raise Http404(_("Not found"))

    def history_view(self, request, object_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)
