"""Chainable reads for meetings."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models
from django.db.models.functions import Coalesce, TruncYear

from apps.accounts.scoping import ScopedQuerySet

# Attendance.Role values of the officials a meeting's minutes name (presiding, reporting, secretary).
OFFICIAL_ROLES = ("presiding", "reporting", "secretary")
# Attendance.Presence values of someone who came (on time or late).
ATTENDED = ("present", "late")
# A chair sees the meetings their CĐCS organises and the federation's meetings it was invited to.
MEETING_UNION_PATHS = ("organiser_union", "participating_unions")


class MeetingQuerySet(ScopedQuerySet):
    union_path = MEETING_UNION_PATHS
    read_only_union_paths = ("participating_unions",)
    federation_path = "federation"

    def held_between(self, start: date, end: date) -> Self:
        """Meetings held (or planned) on a day in [start, end]."""
        return self.filter(held_on__gte=start, held_on__lte=end)

    def took_place(self) -> Self:
        """Meetings not cancelled and not still to come: held, or planned and recorded without a change of status."""
        return self.exclude(status=self.model.Status.CANCELLED)

    def with_series_number(self) -> Self:
        """Annotate ``series_number``: the meeting's place among the same year's meetings of its series.

        A series is ``Meeting.SERIES_FIELDS`` alike in one calendar year; cancelled meetings are
        not counted and have no number. Counted at read time, so a meeting entered late, moved
        or cancelled renumbers the rest of its series without anyone retyping a number.
        """
        # Ranges and equalities on plain columns, so that the index on (federation, held_on, kind)
        # finds the year's earlier meetings of the federation without reading the others.
        earlier = (
            self.model._base_manager.filter(
                federation_id=models.OuterRef("federation_id"),
                kind=models.OuterRef("kind"),
                held_on__gte=TruncYear(
                    models.ExpressionWrapper(models.OuterRef("held_on"), output_field=models.DateField())
                ),
                held_on__lte=models.OuterRef("held_on"),
            )
            .exclude(held_on=models.OuterRef("held_on"), pk__gt=models.OuterRef("pk"))
            .exclude(status=self.model.Status.CANCELLED)
            .order_by()
        )
        for field in self.model.SERIES_FIELDS:
            if field in ("kind", "federation_id"):
                continue
            # A federation meeting (no organiser CĐCS, no group) is in the same series as another: NULLs alike.
            alias = f"series_{field}"
            earlier = earlier.alias(**{alias: Coalesce(field, 0)}).filter(
                **{alias: Coalesce(models.OuterRef(field), 0)}
            )
        return self.annotate(
            series_number=models.Case(
                models.When(status=self.model.Status.CANCELLED, then=None),
                default=Coalesce(
                    models.Subquery(earlier.values("kind").annotate(n=models.Count("pk")).values("n")[:1]),
                    0,
                ),
                output_field=models.IntegerField(),
            )
        )


class AttendanceQuerySet(ScopedQuerySet):
    # The organising CĐCS sees everyone; at a federation meeting, a CĐCS sees the people it sent.
    union_path = ("meeting__organiser_union", "union")
    read_only_union_paths = ("union",)
    federation_path = "meeting__federation"
    seen_with_parent = ("meeting", {"role__in": OFFICIAL_ROLES})

    def invited(self) -> Self:
        return self.filter(invited=True)

    def attended(self) -> Self:
        return self.filter(presence__in=ATTENDED)


class FollowUpTaskQuerySet(ScopedQuerySet):
    union_path = tuple(f"meeting__{path}" for path in MEETING_UNION_PATHS)
    read_only_union_paths = ("meeting__participating_unions",)
    federation_path = "meeting__federation"

    def open(self) -> Self:
        return self.filter(done_on__isnull=True)

    def overdue_on(self, day: date) -> Self:
        return self.open().filter(due_on__lt=day)


class MeetingDocumentQuerySet(ScopedQuerySet):
    union_path = tuple(f"meeting__{path}" for path in MEETING_UNION_PATHS)
    read_only_union_paths = ("meeting__participating_unions",)
    federation_path = "meeting__federation"
