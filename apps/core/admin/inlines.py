"""Inlines whose rows share their choice lists: a fixed number of queries however many rows.

Why: Django builds each inline row's form on its own, so a select reads its choices
from the database once per row and an autocomplete looks up its selected object once per
row: an inline of 50 rows ran 50 queries per such column. Checked against Django 5.2
(``BaseInlineFormSet.forms``, ``AutocompleteSelect.optgroups``).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteMixin, RelatedFieldWidgetWrapper
from django.forms.models import BaseInlineFormSet, ModelChoiceField
from django.utils.choices import BaseChoiceIterator
from django.utils.functional import cached_property

from apps.core.admin.scoped import ScopedAdminMixin, is_foreign_key


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
            if isinstance(name, str) and is_foreign_key(self.model, name)
        ]
        related = list(dict.fromkeys(required + shown))
        return queryset.select_related(*related) if related else queryset
