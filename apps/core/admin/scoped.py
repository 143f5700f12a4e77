"""Scoping of the admin: every list, form choice and filter through ``visible_to(request.user)``.

Why: Django's admin lists every row of a model and every object in a related field's
choices and filters; the portal must show a user only their scope (apps.accounts.scoping)
and answer 404 for anything else. Checked against Django 5.2.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.http import Http404
from django.utils.translation import gettext as _


def scoped(queryset, user):
    """``queryset.visible_to(user)`` for scoped models; lookups such as Sector are shared by all."""
    return queryset.visible_to(user) if hasattr(queryset, "visible_to") else queryset


def is_foreign_key(model, name: str) -> bool:
    """True if ``name`` is a many-to-one or one-to-one field of ``model``."""
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return field.many_to_one or field.one_to_one


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A related-field filter that lists only the objects the user may see."""

    def field_choices(self, field, request, model_admin):
        queryset = scoped(field.related_model._default_manager.all(), request.user)
        return [(obj.pk, str(obj)) for obj in queryset]


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
        try:
            field = get_fields_from_path(self.model, path)[-1]
        except Exception:
            return False
        return bool(getattr(field, "is_relation", False))


class ReadOnlyAdminMixin:
    """For records written only by the services or the system: viewable, never added, changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
