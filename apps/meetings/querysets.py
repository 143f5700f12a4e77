"""Chainable reads for meetings."""

from __future__ import annotations

from datetime import date
from typing import Self

from apps.accounts.scoping import ScopedQuerySet


class MeetingQuerySet(ScopedQuerySet):
    # Meetings a CĐCS organises (group meetings, workers' conferences) belong to it;
    # federation-wide meetings have no organiser union and chairs do not see them.
    union_path = "organiser_union"
    federation_path = "federation"

    def held_between(self, start: date, end: date) -> Self:
        """Meetings held on a day in [start, end]."""
        return self.filter(held_on__gte=start, held_on__lte=end)


class AttendanceQuerySet(ScopedQuerySet):
    union_path = "meeting__organiser_union"
    federation_path = "meeting__federation"


class MeetingDocumentQuerySet(ScopedQuerySet):
    union_path = "meeting__organiser_union"
    federation_path = "meeting__federation"
