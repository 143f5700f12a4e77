"""Fields a user may see (masked) but never search, sort or filter on, in any admin.

A leader sees the last four digits of a CCCD number. If a search, a sort or a filter
could use the rest, comparing which rows come back, and in what order, would give the
whole number back digit by digit. So each admin names the fields of its model that the
requesting user may not query (``get_unqueryable_fields``), and every admin refuses
lookups, search fields, list filters and sortable columns that reach such a field,
also through a relation (``member__national_id`` asks the member admin).

Django hides the sort link of a column left out of ``sortable_by`` but still sorts on it
when ``?o=`` names it; ``LargeTableChangeList`` (apps.core.admin) drops such columns.
Checked against Django 5.2. The member list's downloads (``export_members``) build their
rows from the same change list, so they search, filter and sort exactly as the page does.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, OrderBy
from django.db.models.constants import LOOKUP_SEP

# Prefixes of Django's search_fields: "^name" (starts with), "=name" (exact), "@name" (full text).
_SEARCH_PREFIXES = "^=@"


def _path_of(order) -> str | None:
    """The field path an ordering or a lookup names ("-national_id" -> "national_id"); None for expressions."""
    if isinstance(order, OrderBy):
        order = order.expression
    if isinstance(order, F):
        return order.name
    if isinstance(order, str):
        return order.lstrip("-")
    return None


class UnqueryableFieldsMixin:
    """An admin that keeps fields the user may not query out of every search, filter and sort."""

    def get_unqueryable_fields(self, request) -> Collection[str]:
        """Names of this admin's model fields that ``request.user`` may not query."""
        return ()

    def may_query(self, request, path) -> bool:
        """Whether the lookup or ordering ``path`` reaches no field ``request.user`` may not query."""
        path = _path_of(path)
        if not path:
            return True
        model = self.model
        for part in path.split(LOOKUP_SEP):
            try:
                field = model._meta.get_field(part)
            except FieldDoesNotExist:
                return True  # a transform or a lookup ("startswith"): the fields are behind us
            owner = self if model is self.model else self.admin_site._registry.get(model)
            refused = getattr(owner, "get_unqueryable_fields", None)
            if refused is not None and field.name in refused(request):
                return False
            if not field.is_relation or field.related_model is None:
                return True
            model = field.related_model
        return True

    def lookup_allowed(self, lookup, value, request=None):
        if request is not None and not self.may_query(request, lookup):
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return [name for name in fields if self.may_query(request, name.lstrip(_SEARCH_PREFIXES))]

    def get_list_filter(self, request):
        kept = []
        for item in super().get_list_filter(request):
            name = item[0] if isinstance(item, (list, tuple)) else item
            if not isinstance(name, str) or self.may_query(request, name):
                kept.append(item)
        return kept

    def get_sortable_by(self, request):
        return [name for name in super().get_sortable_by(request) if self.may_query(request, self._ordering_of(name))]

    def _ordering_of(self, column):
        """What sorting on a list column orders by (as the change list reads it), or None."""
        if isinstance(column, str):
            try:
                return self.model._meta.get_field(column).name
            except FieldDoesNotExist:
                pass
            if LOOKUP_SEP in column and not hasattr(self, column):
                return column
            attr = getattr(self, column, None) or getattr(self.model, column, None)
        else:
            attr = column
        if isinstance(attr, property):
            attr = attr.fget
        return getattr(attr, "admin_order_field", None)
