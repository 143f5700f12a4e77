"""The admin's scoping: every list, form, filter, autocomplete, action and history page
goes through ``visible_to(request.user)`` (apps.accounts.scoping)."""

from __future__ import annotations

import json

from django import forms
from django.apps import apps as django_apps
from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet, ModelChoiceField
from django.http import Http404
from django.utils import formats, timezone
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from apps.accounts.scoping import scope_q
from apps.core.search import capped_search_term, folded_search
from apps.core.unqueryable import UnqueryableFieldsMixin


def scoped(queryset, user):
    """``queryset.visible_to(user)`` for scoped models; lookups such as Sector are shared by all."""
    return queryset.visible_to(user) if hasattr(queryset, "visible_to") else queryset


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field filter that lists only the objects the user may see."""

    def field_choices(self, field, request, model_admin):
        queryset = scoped(field.related_model._default_manager.all(), request.user)
        return [(obj.pk, str(obj)) for obj in queryset]


class LargeTablePaginator(Paginator):
    """A paginator whose cost does not grow with the table: no full COUNT, no walk through skipped rows.

    On PostgreSQL a list is counted exactly up to ``exact_below`` rows, by a COUNT that
    stops reading there; past it the size is the planner's estimate (``EXPLAIN``, or the
    table's row estimate when nothing filters it), rounded to three significant digits as
    a reader should take it. A page reads its ids first (through the index the list is
    ordered by, or by sorting narrow rows) and only then joins the related rows the list
    shows for those ids, instead of joining every row it skips or sorts. Elsewhere (SQLite)
    it counts and slices as Django does.
    """

    # Counted exactly up to here. Past a few thousand rows PostgreSQL stops being able to
    # count a search's matches by reading a few of them (it builds the whole bitmap).
    exact_below = 2_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor != "postgresql" or not isinstance(queryset, QuerySet) or queryset.query.distinct:
            return super().count
        if not queryset.query.where:
            rows = self._table_rows(queryset)
            if rows >= self.exact_below:
                return _significant(rows)
        counted = queryset.order_by().values("pk")[: self.exact_below + 1].count()
        if counted <= self.exact_below:
            return counted
        return max(_significant(self._estimated_rows(queryset)), counted)

    @staticmethod
    def _table_rows(queryset: QuerySet) -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
            )
            row = cursor.fetchone()
        return int(row[0]) if row else -1

    @staticmethod
    def _estimated_rows(queryset: QuerySet) -> int:
        sql, params = queryset.order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def page(self, number):
        queryset = self.object_list
        if connection.vendor != "postgresql" or not isinstance(queryset, QuerySet) or queryset.query.distinct:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = queryset.values("pk")[bottom:top]
        return self._get_page(queryset.filter(pk__in=ids), number, self)


class LargeTableChangeList(ChangeList):
    """A change list that corrects an estimated count once the last page shows where the list ends."""

    def get_ordering(self, request, queryset):
        # Django leaves a column out of sortable_by unlinked but still sorts on it when ?o=
        # names it: keep only the columns this user may sort (apps.core.unqueryable).
        if self.params.get(ORDER_VAR):
            sortable = self.model_admin.get_sortable_by(request)
            kept = [part for part in self.params[ORDER_VAR].split(".") if self._column(part) in sortable]
            if kept:
                self.params[ORDER_VAR] = ".".join(kept)
            else:
                del self.params[ORDER_VAR]
        return super().get_ordering(request, queryset)

    def _column(self, order_part: str):
        try:
            return self.list_display[int(order_part.rpartition("-")[2])]
        except (IndexError, ValueError):
            return None

    def get_results(self, request):
        super().get_results(request)
        shown = len(self.result_list)  # the template reads these same rows: no extra query
        if shown >= self.list_per_page or (shown == 0 and self.page_num > 1):
            return
        exact = (self.page_num - 1) * self.list_per_page + shown
        if exact != self.result_count:
            self.result_count = exact
            self.paginator.count = exact
            self.multi_page = exact > self.list_per_page
            self.can_show_all = exact <= self.list_max_show_all


def _is_foreign_key(model, name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.many_to_one or field.one_to_one


def _significant(number: int, digits: int = 3) -> int:
    """``number`` rounded to ``digits`` significant digits: 967,742 -> 968,000."""
    if number < 10**digits:
        return number
    scale = 10 ** (len(str(number)) - digits)
    return round(number / scale) * scale


class ScopedAdminMixin:
    """Limits an admin to the rows, choices and related objects the signed-in user may see."""

    # Out-of-scope and missing objects are both "not found": never reveal that a row exists.
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("Not found"))

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def get_search_results(self, request, queryset, search_term):
        # Django's own search adds conditions per word too (see capped_search_term).
        return super().get_search_results(request, queryset, capped_search_term(search_term))

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


class ReadOnlyAdminMixin:
    """For records written only by the services or the system: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedModelAdmin(NoLostUpdateMixin, ScopedAdminMixin, UnqueryableFieldsMixin, admin.ModelAdmin):
    """The base of every admin of union data."""

    show_full_result_count = False
    # Facet counts run one COUNT per filter choice on every page: too dear on large tables.
    show_facets = admin.ShowFacets.NEVER
    paginator = LargeTablePaginator
    list_per_page = 50
    # Folded (accent-free) columns searched instead of Django's icontains on raw text.
    folded_search_fields: tuple[str, ...] = ()

    def get_changelist(self, request, **kwargs):
        return LargeTableChangeList

    def action_checkbox(self, obj):
        # The same checkbox as Django's, without rendering a widget template for each row
        # (a sixth of a 50-row list's time).
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            label,
        )

    def get_list_select_related(self, request):
        # Django follows only non-null foreign keys by itself: name every related column shown.
        if self.list_select_related is not False:
            return self.list_select_related
        related = [
            name
            for name in self.get_list_display(request)
            if isinstance(name, str) and _is_foreign_key(self.model, name)
        ]
        return related or False

    def get_search_results(self, request, queryset, search_term):
        if not self.folded_search_fields:
            return super().get_search_results(request, queryset, search_term)
        if not search_term.strip():
            return queryset, False
        fields = [name for name in self.folded_search_fields if self.may_query(request, name)]
        return folded_search(queryset, search_term, fields), False


class _PrefetchedChoices(BaseChoiceIterator):
    """What an autocomplete widget reads its selected options from: objects fetched once per formset."""

    def __init__(self, field: ModelChoiceField, objects: list) -> None:
        self.field = field
        self.queryset = _PrefetchedObjects(objects)

    def __iter__(self):
        return iter(())


class _PrefetchedObjects:
    """Answers the one lookup AutocompleteSelect.optgroups makes (``<key>__in=selected``) from memory."""

    def __init__(self, objects: list) -> None:
        self.objects = objects

    def using(self, alias):
        return self

    def filter(self, **lookup):
        ((key, wanted),) = lookup.items()
        attname = key.removesuffix("__in")
        return [obj for obj in self.objects if str(getattr(obj, attname)) in wanted]


def _share_choices(rows: list[forms.Form]) -> None:
    """Read each choice field's options once for all rows of an inline, not once per row.

    A select lists its choices from the database for every row it is rendered in, and an
    autocomplete looks up its selected object for every row: an inline of 50 rows ran
    50 queries per such column. Here a select's choices are read once and shared, and an
    autocomplete's selected objects are fetched for all rows in one query.
    """
    if not rows:
        return
    for name, field in rows[0].fields.items():
        widget = _inner_widget(field)
        if not isinstance(field, ModelChoiceField) or not isinstance(widget, forms.Select) or widget.is_hidden:
            continue  # the rows' own ids are hidden choice fields: never list them
        if isinstance(widget, forms.SelectMultiple):
            continue
        if isinstance(widget, AutocompleteMixin):
            to_field = field.to_field_name or field.queryset.model._meta.pk.attname
            wanted = {str(value) for row in rows if (value := row[name].value()) not in field.empty_values}
            objects = list(field.queryset.filter(**{f"{to_field}__in": wanted})) if wanted else []
            for row in rows:
                _inner_widget(row.fields[name]).choices = _PrefetchedChoices(row.fields[name], objects)
        else:
            choices = list(field.choices)
            for row in rows:
                row.fields[name].choices = choices


def _inner_widget(field: forms.Field) -> forms.Widget:
    widget = field.widget
    return widget.widget if isinstance(widget, RelatedFieldWidgetWrapper) else widget


class SharedChoicesInlineFormSet(BaseInlineFormSet):
    """An inline formset whose rows share their choice lists (see ``_share_choices``)."""

    @cached_property
    def forms(self):
        rows = BaseInlineFormSet.forms.func(self)
        _share_choices(rows)
        return rows


class ScopedTabularInline(ScopedAdminMixin, admin.TabularInline):
    """An inline whose rows and choices are scoped like its admin's, in a fixed number of queries."""

    extra = 0
    show_change_link = True
    formset = SharedChoicesInlineFormSet

    def get_queryset(self, request):
        # Each row prints itself (its __str__ names its required relations, such as the
        # member and the union) and its read-only related columns: join those rather than
        # run one query per row for each.
        queryset = super().get_queryset(request)
        required = [f.name for f in self.model._meta.concrete_fields if f.many_to_one and not f.null]
        shown = [
            name
            for name in self.get_readonly_fields(request)
            if isinstance(name, str) and _is_foreign_key(self.model, name)
        ]
        related = list(dict.fromkeys(required + shown))
        return queryset.select_related(*related) if related else queryset


def _paths(paths) -> tuple[str, ...]:
    return (paths,) if isinstance(paths, str) else tuple(paths or ())


def _historical_path(historical_model, path: str) -> str:
    """``path`` as it reads on the historical model, which lacks denormalised keys (reach them via the union)."""
    first = path.split("__")[0] if path else "id"
    names = {field.name for field in historical_model._meta.get_fields()}
    if first in names:
        return path
    return "union__federation"


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    """Django's autocomplete, refusing (403) reverse relations instead of failing with a 500."""

    def process_request(self, request):
        model_name = request.GET.get("model_name")
        app_label = request.GET.get("app_label")
        field_name = request.GET.get("field_name")
        try:
            field = django_apps.get_model(app_label, model_name)._meta.get_field(field_name)
        except (LookupError, FieldDoesNotExist, TypeError) as error:
            raise PermissionDenied from error
        if field.auto_created or not field.is_relation:
            raise PermissionDenied
        return super().process_request(request)


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

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # Only the versions that were inside the user's scope: a member transferred in
        # from another union does not bring that union's history along.
        records = super().get_history_queryset(request, history_manager, pk_name, object_id)
        scope = self.model._default_manager.all()
        # Historical rows keep the union but not denormalised keys, so reach the federation through it.
        q = scope_q(
            request.user,
            union_path=scope.union_path,
            federation_path=tuple(_historical_path(records.model, path) for path in _paths(scope.federation_path)),
        )
        return records if q is None else records.filter(q)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_in_scope(request, object_id)
        if request.method != "GET":
            # A past version is for reading: posting it back would "revert" around the services.
            raise PermissionDenied
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        if (
            not self.get_history_queryset(request, history, self.model._meta.pk.attname, unquote(object_id))
            .filter(history_id=version_id)
            .exists()
        ):
            raise Http404(_("Not found"))
        return super().history_form_view(request, object_id, version_id, extra_context)
