"""Change history in the admin (django-simple-history), limited to the user's scope.

Why: simple-history's history pages fall back to the historical rows when the object is
not in ``get_queryset()``, so an out-of-scope record's history would show; and a
member transferred in would bring the other union's versions along. Past versions are
read-only here (a "revert" would go around the services). Checked against Django 5.2
and django-simple-history 3.13 (``history_view``, ``history_form_view``,
``get_history_queryset``).
"""

from __future__ import annotations

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

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
