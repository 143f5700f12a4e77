"""Scoping of the admin: every list, form choice and filter through ``visible_to(request.user)``.

Why: Django's admin lists every row of a model and every object in a related field's
choices and filters; the portal must show a user only their scope (apps.accounts.scoping)
and answer 404 for anything else. A model whose queryset has no ``visible_to`` fails
closed: ``scoped`` raises, and the system check ``core.E001`` refuses to start with
such a model in the admin. Checked against Django 5.2.

The rule itself is apps.accounts.scoping's; this module only calls ``visible_to`` on
the model's queryset, so apps.core imports no domain app.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.core import checks
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext as _

from apps.core.search import capped_search_term

# Apps whose models the admin shows unscoped, and why. Nothing of a union is in them.
UNSCOPED_ADMIN_APPS = {
    # django-axes' lockout records: no role is granted them (apps.accounts.permissions),
    # so only superusers, who see everything anyway, open them.
    "axes": "login lockouts, for superusers only",
}


def scoped(queryset, user):
    """``queryset.visible_to(user)``; a queryset without ``visible_to`` is a configuration error, never "everything"."""
    visible_to = getattr(queryset, "visible_to", None)
    if visible_to is None:
        raise ImproperlyConfigured(
            f"{queryset.model._meta.label} has no visible_to(user): give its queryset a scoping rule "
            "(apps.accounts.scoping) before showing it to anyone."
        )
    return visible_to(user)


def _may_change(request, obj) -> bool:
    """Whether the user may change ``obj`` (an inline's parent, for an inline), besides seeing it.

    Only rows whose scope has read-only paths (``read_only_union_paths``: a meeting a CĐCS was
    invited to) ask the database; the answer is kept for the request, as the admin asks often.
    """
    if obj is None or obj.pk is None:
        return True
    rows = type(obj)._default_manager.all()
    if not getattr(rows, "read_only_union_paths", ()):
        return True
    answers = request.__dict__.setdefault("_changeable_objects", {})
    key = (obj._meta.label, obj.pk)
    if key not in answers:
        answers[key] = rows.changeable_by(request.user).filter(pk=obj.pk).exists()
    return answers[key]


def check_admin_models_are_scoped(app_configs=None, *, site=None, **kwargs) -> list[checks.CheckMessage]:
    """System check core.E001: every model in the admin (and its inlines) has ``visible_to``."""
    site = site or admin.site
    errors = []
    for model, model_admin in site._registry.items():
        for shown in [model, *(inline.model for inline in model_admin.inlines)]:
            if shown._meta.app_label in UNSCOPED_ADMIN_APPS:
                continue
            if not hasattr(shown._default_manager.all(), "visible_to"):
                errors.append(
                    checks.Error(
                        f"{shown._meta.label} is in the admin but its queryset has no visible_to(user).",
                        hint="Derive its queryset from a queryset of apps.accounts.scoping.",
                        obj=model_admin,
                        id="core.E001",
                    )
                )
    return errors


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


def chair_union_field(model, user) -> str | None:
    """The name of ``model``'s CĐCS field when ``user`` is a chair: it has one possible value then."""
    if not getattr(user, "is_union_chair", False) or not getattr(user, "union_id", None):
        return None
    try:
        field = model._meta.get_field("union")
    except FieldDoesNotExist:
        return None
    if field.many_to_one and field.related_model is type(user.union):
        return "union"
    return None


class ScopedAdminMixin:
    """Limits an admin to the rows, choices and related objects the signed-in user may see."""

    def get_fieldsets(self, request, obj=None):
        # A chair's CĐCS field has one possible value: not asked; the form fills it in (get_form).
        fieldsets = super().get_fieldsets(request, obj)
        name = chair_union_field(self.model, request.user)
        if name is None:
            return fieldsets
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f != name]}) for title, options in fieldsets
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        name = chair_union_field(self.model, request.user)
        if name is None:
            return form
        union = request.user.union

        class ChairForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                if getattr(self.instance, f"{name}_id") is None:
                    setattr(self.instance, name, union)

            def validate_unique(self):
                # The CĐCS is not a field of this form, so Django would skip the rules that name it
                # ("one group of a name per CĐCS") and the database would refuse the row instead.
                super().validate_unique()
                try:
                    self.instance.validate_constraints(exclude=self._get_validation_exclusions() - {name})
                except ValidationError as error:
                    self._update_errors(error)

        ChairForm.__name__ = form.__name__
        return ChairForm

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # A choice says what it is ("Tổ Kinh doanh — Công đoàn Công ty X"), where the model says how.
        model = getattr(getattr(field, "queryset", None), "model", None)
        if model is not None and hasattr(model, "choice_label"):
            field.label_from_instance = lambda obj: obj.choice_label
        return field

    # Out-of-scope and missing objects are both "not found": never reveal that a row exists.
    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("Not found"))

    def get_queryset(self, request):
        return scoped(super().get_queryset(request), request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _may_change(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _may_change(request, obj)

    def response_action(self, request, queryset):
        # An action (delete, above all) acts on the rows the user may change, never on those
        # they only read; "select all" included.
        if getattr(queryset, "read_only_union_paths", ()):
            queryset = queryset.changeable_by(request.user)
        return super().response_action(request, queryset)

    def object_page_url(self, suffix: str, view, name: str):
        """A page of one object at ``<id>/<suffix>`` (a download), named ``<app>_<model>_<name>``.

        Put it before the admin's own URLs: their catch-all ``<id>/`` would take it otherwise.
        """
        return path(
            f"<path:object_id>/{suffix}",
            self.admin_site.admin_view(view),
            name=f"{self.opts.app_label}_{self.opts.model_name}_{name}",
        )

    def viewable_object_or_404(self, request, object_id):
        """The object for a page of its own: 403 without the right to view the model, 404 out of scope."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            raise Http404(_("Not found"))
        return obj

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
