"""Change history in the admin (django-simple-history), limited to the user's scope.

Why: simple-history's history pages fall back to the historical rows when the object is
not in ``get_queryset()``, so an out-of-scope record's history would show; and a
member transferred in would bring the other union's versions along. Past versions are
read-only here (a "revert" would go around the services). Checked against Django 5.2
and django-simple-history 3.13 (``history_view``, ``history_form_view``,
``get_history_queryset``, ``HistoricalRecordContextHelper``, ``DeletedObject``).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import DeletedObject
from simple_history.template_utils import HistoricalRecordContextHelper

from apps.core.admin.base import ScopedModelAdmin


def _paths(paths) -> tuple[str, ...]:
    return (paths,) if isinstance(paths, str) else tuple(paths or ())


def _historical_path(historical_model, path: str) -> str:
    """``path`` as it reads on the historical model, which lacks denormalised keys (reach them via the union)."""
    first = path.split("__")[0] if path else "id"
    names = {field.name for field in historical_model._meta.get_fields()}
    if first in names:
        return path
    return "union__federation"


def readable_value(field, value):
    """A field's value as its form shows it, not as Python writes it ("None", "active", "2021-06-01")."""
    if isinstance(value, DeletedObject):
        # simple-history reads an empty foreign key as a deleted object with no key.
        return _("(empty)") if value.pk is None else _("(deleted)")
    if value is None or value == "":
        return _("(empty)")
    if getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return value


class ReadableHistory(HistoricalRecordContextHelper):
    """The changes of a history page in the words of the forms: labels, dd/mm/yyyy, "(trống)"."""

    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return readable_value(self.model._meta.get_field(change.field), value)


class ScopedHistoryAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    """A scoped admin with the change history of each record (django-simple-history)."""

    # The portal's own list (templates/admin/history_list.html): the columns a reader asks
    # for (when, who, what changed, why), no inline style (the CSP forbids it).
    object_history_list_template = "admin/history_list.html"
    # simple-history's page of one version, with the app's name (not its label) in the breadcrumbs.
    object_history_form_template = "admin/history_form.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistory(self.model, historical_record)

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
        q = scope.scope_q(
            request.user,
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
