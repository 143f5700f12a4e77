"""Who may see what: the one place that turns a user into a row filter.

Every queryset that reaches union data derives from ``ScopedQuerySet`` and declares
where its rows hang in the organisation (``union_path`` / ``federation_path``);
``visible_to(user)`` then applies the same rule everywhere: admin lists, forms,
autocomplete, filters, imports, exports, history, dashboards and reports.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models

if TYPE_CHECKING:
    from apps.accounts.models import User


def federation_q(user: User, federation_path: str) -> models.Q | None:
    """The filter on ``federation_path`` for a user's federation and its district federations.

    Returns None when the user's role is not federation-wide.
    """
    if not user.federation_id:
        return None
    prefix = f"{federation_path}__" if federation_path else ""
    own = models.Q(**{f"{prefix}id" if federation_path else "id": user.federation_id})
    # A city federation's staff also see the district federations it holds (two levels).
    children = models.Q(**{f"{prefix}parent_id": user.federation_id})
    return own | children


Paths = str | tuple[str, ...] | None


def _as_tuple(paths: Paths) -> tuple[str, ...]:
    if paths is None:
        return ()
    return (paths,) if isinstance(paths, str) else paths


def scope_q(user: User | None, *, union_path: Paths, federation_path: Paths) -> models.Q | None:
    """Return the Q that limits rows to ``user``'s scope, or None for "everything".

    A row that hangs from several unions (a transfer between two) declares a tuple of
    paths and is visible from any of them. An empty result is ``Q(pk__in=[])`` so
    callers never forget to filter.
    """
    nothing = models.Q(pk__in=[])
    if user is None or not user.is_authenticated or not user.is_active:
        return nothing
    if user.is_superuser:
        return None
    visible = models.Q(pk__in=[])
    if user.is_union_chair and user.union_id:
        for path in _as_tuple(union_path):
            visible |= models.Q(**{f"{path}_id" if path else "id": user.union_id})
        return visible
    if (user.is_district_staff or user.is_leader) and user.federation_id:
        for path in _as_tuple(federation_path):
            visible |= federation_q(user, path)
        return visible
    return nothing


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows how to limit itself to what a user may see."""

    # Path from this model to GrassrootsUnion ("" when the model *is* the union), or a
    # tuple of paths; None when rows belong to no union (then chairs see none).
    union_path: Paths = None
    # Path from this model to Federation ("" when the model *is* the federation), or a tuple.
    federation_path: Paths = None

    def visible_to(self, user: User | None) -> Self:
        """Rows ``user`` may see; out-of-scope rows are simply absent (so views answer 404)."""
        q = scope_q(user, union_path=self.union_path, federation_path=self.federation_path)
        return self if q is None else self.filter(q)
