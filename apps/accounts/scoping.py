"""Who may see what: the one place that turns a user into a row filter.

Every queryset that reaches union data derives from ``ScopedQuerySet`` and declares
where its rows hang in the organisation (``union_path`` / ``federation_path``);
``visible_to(user)`` then applies the same rule everywhere: admin lists, forms,
autocomplete, filters, imports, exports, history, dashboards and reports. Portal
accounts (``AccountQuerySet``), shared lookups (``SharedLookupQuerySet``) and the unions a
transfer may be addressed to (``transfer_destinations_of``) have their rule here too;
nothing outside this module writes a scope as a filter.

A user is always given. Code that serves no person (management commands, the figures
refresh, benchmarks) passes ``SYSTEM`` instead, which sees every row; no view, admin,
URL conf, form or import resource may name it (tests/accounts/test_scoping_rules.py).
Anything else that is not a signed-in, active account (an anonymous visitor, a
deactivated account, ``None``) sees nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final, Self, TypeAlias

from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from apps.accounts.models import User
    from apps.unions.models import Federation


class SystemReader:
    """The portal itself reading, for no person: a management command or the figures refresh.

    Only non-request code passes it; it sees every row.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "SYSTEM"


# The one unscoped entry point: ``visible_to(SYSTEM)``, ``scope_q(SYSTEM, ...)``, and the
# dashboard selectors' ``user=SYSTEM``. Never from a view, admin, URL conf, form or resource.
SYSTEM: Final = SystemReader()

# Whom a query is read for.
Reader: TypeAlias = "User | AnonymousUser | SystemReader | None"


def _is_signed_in(user) -> bool:
    return user is not None and not isinstance(user, SystemReader) and user.is_authenticated and user.is_active


def federation_subtree_q(federation: Federation, federation_path: str) -> models.Q:
    """Rows whose federation (``federation_path``; "" on Federation) is ``federation`` or any below it, at any depth.

    The subtree is a prefix match on the federations' ``tree_path`` (its own indexed column,
    with a pattern index on PostgreSQL), asked as a subquery: the federations table answers a
    small list of ids, then the rows are found through their own federation column's index.
    """
    subtree = models.Q(tree_path__startswith=federation.tree_path)
    if not federation_path:
        return subtree
    # Imported here: the unions app's querysets are built on this module.
    from apps.unions.models import Federation

    return models.Q(**{f"{federation_path}__in": Federation._base_manager.filter(subtree).values("pk")})


def federation_q(user: User, federation_path: str) -> models.Q | None:
    """The filter on ``federation_path`` for a user's federation and its whole subtree.

    Returns None when the user's role is not federation-wide.
    """
    if not user.federation_id:
        return None
    return federation_subtree_q(user.federation, federation_path)


def leaf_federation_id(user: Reader) -> int | None:
    """The user's federation when it is known to hold no other (a leaf), for staff and leaders; else None.

    The sign-in backend reads, with the user, whether their federation holds others
    (``holds_federations``). A user loaded otherwise has no answer and gets the general rule,
    which gives the same rows: no query is spent here to find out.
    """
    if not _is_signed_in(user) or user.is_superuser:
        return None
    if not (user.is_district_staff or user.is_leader) or not user.federation_id:
        return None
    return user.federation_id if getattr(user, "holds_federations", True) is False else None


Paths = str | tuple[str, ...] | None


def _as_tuple(paths: Paths) -> tuple[str, ...]:
    if paths is None:
        return ()
    return (paths,) if isinstance(paths, str) else paths


def _crosses_many(model: type[models.Model] | None, path: str) -> bool:
    """Whether ``path`` from ``model`` passes a to-many relation (an invitation list, say)."""
    for name in path.split("__") if model is not None and path else ():
        field = model._meta.get_field(name)
        if field.many_to_many or field.one_to_many:
            return True
        model = field.related_model
    return False


def _union_q(model: type[models.Model] | None, path: str, union_id: int) -> models.Q:
    if not path:
        return models.Q(id=union_id)
    if _crosses_many(model, path):
        # A join through a list would repeat the row once per match: ask a subquery instead. By
        # "id", which a historical record of the row carries too (its own key is history_id).
        return models.Q(id__in=model._base_manager.filter(**{path: union_id}).values("pk"))
    return models.Q(**{f"{path}_id": union_id})


def scope_q(
    user: Reader, *, union_path: Paths, federation_path: Paths, model: type[models.Model] | None = None
) -> models.Q | None:
    """Return the Q that limits rows to ``user``'s scope, or None for "everything" (superusers, ``SYSTEM``).

    A row that hangs from several unions (a transfer between two, a meeting and the unions
    invited to it) declares a tuple of paths and is visible from any of them; a path through
    a to-many relation needs ``model``. An empty result is ``Q(pk__in=[])`` so callers never
    forget to filter.
    """
    nothing = models.Q(pk__in=[])
    if isinstance(user, SystemReader):
        return None
    if not _is_signed_in(user):
        return nothing
    if user.is_superuser:
        return None
    visible = models.Q(pk__in=[])
    if user.is_union_chair and user.union_id:
        for path in _as_tuple(union_path):
            visible |= _union_q(model, path, user.union_id)
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
    # The column holding the row's federation id (the union's, or a copy kept by
    # triggers), when there is one: a leaf federation's scope is then one equality on it.
    #
    # For staff and leaders the common rule reads "the row's federation is in my subtree"
    # (``federation_subtree_q``): an IN over a small subquery on the federations' paths,
    # which stays indexed but leaves the planner guessing how many federations it returns.
    # Most accounts belong to a federation that holds no other (a ward union, a district
    # federation): its subtree is itself, and the rule is exactly
    # ``<federation_field> = theirs``, which the planner costs right. Whether the
    # federation holds others is read with the user (``leaf_federation_id``), so the
    # shortcut applies only when it equals the rule, at any depth.
    federation_field: str = ""
    # Rows that whoever sees their parent sees too, whatever the paths say: (the path to the
    # parent, a filter on the row). The officials presiding a meeting are named on its minutes,
    # which every CĐCS invited to it reads; the other attendees stay with their own CĐCS.
    seen_with_parent: tuple[str, dict] | None = None
    # Union paths that show a chair a row without handing it over: an invitation lets a CĐCS
    # read the federation's meeting, not change it (``changeable_by``).
    read_only_union_paths: tuple[str, ...] = ()

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        # The shortcut's old name: a queryset still declaring it would silently lose it.
        if "district_federation_field" in cls.__dict__:
            raise TypeError(f"{cls.__name__}: district_federation_field is now federation_field.")

    def visible_to(self, user: Reader) -> Self:
        """Rows ``user`` may see; out-of-scope rows are simply absent (so views answer 404)."""
        rows = self._own_scope(user)
        if self.seen_with_parent is not None:
            parent_path, condition = self.seen_with_parent
            parent = self.model._meta.get_field(parent_path).related_model
            seen_parents = parent._default_manager.all().visible_to(user).values("pk")
            rows = rows | self.filter(**condition, **{f"{parent_path}__in": seen_parents})
        return rows

    def changeable_by(self, user: Reader) -> Self:
        """Of the rows ``user`` sees, those they may change or delete (if their role may change the model at all)."""
        if not self.read_only_union_paths:
            return self._own_scope(user)
        paths = tuple(path for path in _as_tuple(self.union_path) if path not in self.read_only_union_paths)
        q = scope_q(user, union_path=paths, federation_path=self.federation_path, model=self.model)
        return self if q is None else self.filter(q)

    def _own_scope(self, user: Reader) -> Self:
        if self.federation_field:
            leaf = leaf_federation_id(user)
            if leaf is not None:
                return self.filter(**{self.federation_field: leaf})
        q = scope_q(user, union_path=self.union_path, federation_path=self.federation_path, model=self.model)
        return self if q is None else self.filter(q)

    def scope_q(self, user: Reader, *, federation_path: Paths = None) -> models.Q | None:
        """The general rule's filter for this model's paths (``federation_path`` replaces the declared one if given)."""
        return scope_q(
            user,
            union_path=self.union_path,
            federation_path=self.federation_path if federation_path is None else federation_path,
            model=self.model,
        )


def transfer_destinations_of(unions: ScopedQuerySet, user: Reader) -> ScopedQuerySet:
    """Of ``unions``, those ``user`` may send a member to: those they see; for a chair, every union of their federation.

    A chair sees no other union's data, but may address one by its code to send a member there.
    """
    if _is_signed_in(user) and user.is_union_chair:
        return unions.filter(federation_id=user.union.federation_id) if user.union_id else unions.none()
    return unions.visible_to(user)


class AccountQuerySet(ScopedQuerySet):
    """Portal accounts: district staff see the accounts of their federation's subtree, chairs' of its unions included.

    Chairs and leaders manage no accounts and see none; no one but a superuser sees a superuser.
    """

    def visible_to(self, user: Reader) -> Self:
        if isinstance(user, SystemReader) or (_is_signed_in(user) and user.is_superuser):
            return self
        if not _is_signed_in(user) or not user.is_district_staff or not user.federation_id:
            return self.none()
        own = federation_q(user, "federation")
        of_unions = federation_q(user, "union__federation")
        return self.filter(is_superuser=False).filter(own | of_unions)


class SharedLookupQuerySet(models.QuerySet):
    """A lookup every signed-in user reads whole (sectors): it holds no union's data."""

    def visible_to(self, user: Reader) -> Self:
        return self if isinstance(user, SystemReader) or _is_signed_in(user) else self.none()
