"""Chainable reads for union groups."""

from __future__ import annotations

from apps.accounts.scoping import ScopedQuerySet
from apps.core.models import DatedLifespanQuerySet


class UnionGroupQuerySet(ScopedQuerySet, DatedLifespanQuerySet):
    union_path = "union"
    federation_path = "union__federation"
