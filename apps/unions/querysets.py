"""Chainable reads for federations, grassroots unions and their workforce."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Self

from django.apps import apps
from django.db import models
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

from apps.accounts.scoping import ScopedQuerySet
from apps.core.models import DatedLifespanQuerySet

if TYPE_CHECKING:
    from apps.accounts.models import User


def district_federation_id(user: User | None) -> int | None:
    """The user's federation when it is a district one (it has a parent), for staff and leaders; else None."""
    if user is None or not user.is_authenticated or not user.is_active or user.is_superuser:
        return None
    if not (user.is_district_staff or user.is_leader) or not user.federation_id:
        return None
    # The user's federation is read once per user object (the page header shows it too).
    return user.federation_id if user.federation.parent_id is not None else None


class DistrictScopedQuerySet(ScopedQuerySet):
    """``visible_to`` that states a district's scope as one equality on its federation column.

    For staff and leaders the common rule (apps.accounts.scoping) reads "the row's
    federation is mine or one of my districts": an OR across a join, which PostgreSQL can
    neither push below the join nor serve from an index, so every union of the city was
    read (and its figures computed) to find a district's. A federation that has a parent
    is a district and holds no federation of its own (Federation.clean): for its staff and
    leaders the rule is exactly ``<district_federation_field> = theirs``. Were a district
    ever given districts of its own, this would show fewer rows than the rule, never more.
    """

    district_federation_field: str = ""

    def visible_to(self, user: User | None) -> Self:
        district = district_federation_id(user)
        if district is not None and self.district_federation_field:
            return self.filter(**{self.district_federation_field: district})
        return super().visible_to(user)


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


class GrassrootsUnionQuerySet(DistrictScopedQuerySet, DatedLifespanQuerySet):
    union_path = ""
    federation_path = "federation"
    district_federation_field = "federation_id"

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


class DepartmentUnionQuerySet(DistrictScopedQuerySet, DatedLifespanQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    district_federation_field = "union__federation_id"


class WorkforceDeclarationQuerySet(DistrictScopedQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    district_federation_field = "union__federation_id"

    def latest_as_of(self, day: date) -> Self:
        """The one declaration in force on ``day`` for each union (the latest on or before it)."""
        newer = self.model.objects.filter(union=OuterRef("union"), as_of__gt=OuterRef("as_of"), as_of__lte=day)
        return self.filter(as_of__lte=day).exclude(models.Exists(newer))
