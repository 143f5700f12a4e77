"""Chainable reads for federations, grassroots unions and their workforce."""

from __future__ import annotations

from typing import Self

from apps.accounts.scoping import ScopedQuerySet, SharedLookupQuerySet
from apps.core.models import DatedLifespanQuerySet


class FederationQuerySet(ScopedQuerySet):
    union_path = None
    federation_path = ""


class SectorQuerySet(SharedLookupQuerySet):
    def ordered(self) -> Self:
        return self.order_by("sort_order", "name")


class GrassrootsUnionQuerySet(ScopedQuerySet, DatedLifespanQuerySet):
    union_path = ""
    federation_path = "federation"
    district_federation_field = "federation_id"

    def active(self) -> Self:
        """Unions that are not dissolved today."""
        return self.filter(status="active")


class DepartmentUnionQuerySet(ScopedQuerySet, DatedLifespanQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    district_federation_field = "union__federation_id"


class WorkforceDeclarationQuerySet(ScopedQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    district_federation_field = "union__federation_id"
