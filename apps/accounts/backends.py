"""Signing in with a username and password, and loading the signed-in user on each request."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from apps.accounts.models import User
from apps.unions.models import Federation


class PortalUserBackend(ModelBackend):
    """Django's password sign-in; grants no permissions and loads the user with their union or federation.

    Permissions come from the role (``apps.accounts.permissions.RolePermissionBackend``)
    and from ``is_superuser``; rows in the auth permission tables, per user or per group,
    grant nothing, so they are not read on every request.
    """

    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    async def aget_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    async def aget_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_user(self, user_id) -> User | None:
        try:
            user = _with_scope().get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    async def aget_user(self, user_id) -> User | None:
        try:
            user = await _with_scope().aget(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


def _with_scope():
    # Every page header names the user's union or federation: joined here, not fetched there.
    # Whether that federation holds others decides the scoping shortcut
    # (``apps.accounts.scoping.leaf_federation_id``): asked in the same query.
    return User.objects.select_related("federation", "union").annotate(
        holds_federations=Exists(Federation._base_manager.filter(parent_id=OuterRef("federation_id")))
    )
