"""Chainable reads for federations, grassroots unions and their workforce."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.apps import apps
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from apps.accounts.scoping import ScopedQuerySet
from apps.core.models import DatedLifespanQuerySet


def count_per_union(queryset: models.QuerySet) -> Coalesce:
    """A correlated subquery counting ``queryset``'s rows that belong to the outer union (0 when none)."""
    counted = queryset.filter(union=OuterRef("pk")).order_by().values("union").annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class FederationQuerySet(ScopedQuerySet):
    union_path = None
    federation_path = ""


class SectorQuerySet(models.QuerySet):
    def ordered(self) -> Self:
        return self.order_by("sort_order", "name")


class GrassrootsUnionQuerySet(ScopedQuerySet, DatedLifespanQuerySet):
    union_path = ""
    federation_path = "federation"

    def active(self) -> Self:
        """Unions that are not dissolved today."""
        return self.filter(status="active")

    def with_workforce_as_of(self, day: date) -> Self:
        """Annotate ``workers`` and ``female_workers`` from the latest declaration on or before ``day``."""
        from apps.unions.models import WorkforceDeclaration

        latest = WorkforceDeclaration.objects.filter(union=OuterRef("pk"), as_of__lte=day).order_by("-as_of")
        return self.annotate(
            workers=Coalesce(Subquery(latest.values("total_workers")[:1]), Value(0)),
            female_workers=Coalesce(Subquery(latest.values("female_workers")[:1]), Value(0)),
        )

    def with_figures(self, day: date) -> Self:
        """Annotate member_count, female_member_count, workers, female_workers and group_count as of ``day``.

        One query; the names say "count" because "members" and "groups" are reverse relations.
        """
        MembershipPeriod = apps.get_model("members", "MembershipPeriod")
        UnionGroup = apps.get_model("union_groups", "UnionGroup")
        periods = MembershipPeriod.objects.as_of(day)
        return self.with_workforce_as_of(day).annotate(
            member_count=count_per_union(periods),
            female_member_count=count_per_union(periods.filter(member__gender="female")),
            group_count=count_per_union(UnionGroup.objects.as_of(day)),
        )


class DepartmentUnionQuerySet(ScopedQuerySet, DatedLifespanQuerySet):
    union_path = "union"
    federation_path = "union__federation"


class WorkforceDeclarationQuerySet(ScopedQuerySet):
    union_path = "union"
    federation_path = "union__federation"

    def latest_as_of(self, day: date) -> Self:
        """The one declaration in force on ``day`` for each union (the latest on or before it)."""
        newer = self.model.objects.filter(union=OuterRef("union"), as_of__gt=OuterRef("as_of"), as_of__lte=day)
        return self.filter(as_of__lte=day).exclude(models.Exists(newer))
