"""The admin's base classes: every list, form, filter, autocomplete, action and history page
goes through ``visible_to(request.user)`` (apps.accounts.scoping).

One module per mechanism, each saying why it exists:

- ``scoped``: the scoping mixin, the scoped related-field filter, the read-only mixin;
- ``paginator``: the estimated-count paginator and change list for large tables;
- ``locking``: the optimistic-locking form (no lost updates);
- ``checkbox``: the row checkbox written without a widget template;
- ``inlines``: inlines whose rows share their choice lists;
- ``autocomplete``: the autocomplete endpoint that refuses bad fields with a 403;
- ``history``: change history limited to the user's scope;
- ``base``: ``ScopedModelAdmin``, the above put together.

The names below are the public ones; import them from ``apps.core.admin``.
"""

from apps.core.admin.autocomplete import ScopedAutocompleteJsonView
from apps.core.admin.base import ScopedModelAdmin
from apps.core.admin.checkbox import PlainActionCheckboxMixin
from apps.core.admin.history import ScopedHistoryAdmin
from apps.core.admin.inlines import ScopedTabularInline, SharedChoicesInlineFormSet
from apps.core.admin.locking import NoLostUpdateMixin
from apps.core.admin.paginator import LargeTableChangeList, LargeTablePaginator
from apps.core.admin.scoped import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedRelatedFieldListFilter, scoped

__all__ = [
    "LargeTableChangeList",
    "LargeTablePaginator",
    "NoLostUpdateMixin",
    "PlainActionCheckboxMixin",
    "ReadOnlyAdminMixin",
    "ScopedAdminMixin",
    "ScopedAutocompleteJsonView",
    "ScopedHistoryAdmin",
    "ScopedModelAdmin",
    "ScopedRelatedFieldListFilter",
    "ScopedTabularInline",
    "SharedChoicesInlineFormSet",
    "scoped",
]
