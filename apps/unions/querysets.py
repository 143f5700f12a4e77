"""Chainable reads for federations, grassroots unions and their workforce."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models

from apps.accounts.scoping import ScopedQuerySet, SharedLookupQuerySet
from apps.core.models import DatedLifespanQuerySet


def _exists_on(day: date) -> models.Q:
    # ended_on is the first day a federation no longer exists (Federation's docstring).
    return models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day)


class FederationQuerySet(ScopedQuerySet):
    union_path = None
    federation_path = ""

    def not_ended(self, *, on: date) -> Self:
        """Federations that still exist on ``on`` (or are yet to be founded): those something may be placed in."""
        return self.filter(_exists_on(on))

    def ended(self, *, on: date) -> Self:
        """Federations that no longer exist on ``on``."""
        return self.filter(ended_on__lte=on)

    def open_for_placement(self, *, on: date, keeping: int | None = None) -> Self:
        """The choices for a CĐCS's or an account's federation: those not ended on ``on``, and ``keeping``.

        ``keeping`` is the federation the record is in already, ended or not, so that a record of
        an ended federation can still be edited without being moved.
        """
        if keeping is None:
            return self.not_ended(on=on)
        return self.filter(_exists_on(on) | models.Q(pk=keeping))


class DecisionQuerySet(SharedLookupQuerySet):
    """Decisions hold no union's data: every signed-in user's rows; the role decides who opens them."""


class SectorQuerySet(SharedLookupQuerySet):
    def ordered(self) -> Self:
        return self.order_by("sort_order", "name")


class GrassrootsUnionQuerySet(ScopedQuerySet, DatedLifespanQuerySet):
    union_path = ""
    federation_path = "federation"
    federation_field = "federation_id"

    def active(self) -> Self:
        """Unions that are not dissolved today."""
        return self.filter(status="active")


class UnionAffiliationQuerySet(ScopedQuerySet):
    # A CĐCS's superiors over time: seen by whoever sees the CĐCS today (a ward union's staff
    # read their CĐCS's past under the district), and by the federation a period was in.
    union_path = "union"
    federation_path = ("union__federation", "federation")

    def as_of(self, day: date) -> Self:
        """The periods covering ``day``: at most one per CĐCS (``ended_on`` is the first day out of it)."""
        return self.filter(started_on__lte=day).filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day))

    def open(self) -> Self:
        """The periods not ended: a CĐCS's superior today (or from a day still to come)."""
        return self.filter(ended_on__isnull=True)


class DepartmentUnionQuerySet(ScopedQuerySet, DatedLifespanQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    federation_field = "union__federation_id"


class WorkforceDeclarationQuerySet(ScopedQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    federation_field = "union__federation_id"
