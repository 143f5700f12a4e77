"""Chainable reads for members, their membership periods and union officials."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models

from apps.accounts.scoping import ScopedQuerySet


def _in_force_on(day: date, start: str, end: str) -> models.Q:
    # Periods are half-open [start, end): a member who transfers on day T counts in
    # the new union on T and in the old one until T-1, so never twice.
    return models.Q(**{f"{start}__lte": day}) & (models.Q(**{f"{end}__isnull": True}) | models.Q(**{f"{end}__gt": day}))


class MemberQuerySet(ScopedQuerySet):
    union_path = "union"
    # Member.federation is a copy of union.federation kept by database triggers: district
    # staff's scope is read from the member row, and served by the (federation, Vietnamese
    # order) index.
    federation_path = "federation"
    federation_field = "federation_id"

    def active(self) -> Self:
        """Members in good standing today."""
        return self.filter(status="active")


class MembershipPeriodQuerySet(ScopedQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    federation_field = "union__federation_id"

    def as_of(self, day: date) -> Self:
        """Periods in force on ``day``: each counts one member in one union."""
        return self.filter(_in_force_on(day, "started_on", "ended_on"))


class UnionOfficialQuerySet(ScopedQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    federation_field = "union__federation_id"

    def as_of(self, day: date) -> Self:
        """Offices held on ``day``."""
        return self.filter(_in_force_on(day, "started_on", "ended_on"))


class TransferRequestQuerySet(ScopedQuerySet):
    # Both sides see a transfer: the sending union and the receiving one.
    union_path = ("from_union", "to_union")
    federation_path = ("from_union__federation", "to_union__federation")

    def pending(self) -> Self:
        """Transfers waiting for the receiving side."""
        return self.filter(status="pending")
