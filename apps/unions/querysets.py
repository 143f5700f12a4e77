"""Chainable reads for federations, grassroots unions and their workforce."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Self

from django.db import models
from django.db.models import FilteredRelation

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


# The alias under which ``GrassrootsUnionQuerySet.with_figures`` joins the day's summary row.
FIGURES_ON_DAY = "figures_on_day"


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

    def with_figures(self, day: date) -> Self:
        """Annotate each union's figures on ``day`` from the dashboard's summary (computed first if need be).

        Adds each figure of apps.dashboard.figure_definitions.ANNOTATED under its
        ``annotation`` name (member_count, female_member_count, workers, female_workers,
        group_count, department_union_count, groups_without_leader, declared_on of the
        workforce declaration in force); the names say "count" where the plain name is a
        relation. The figures are defined once, in apps.dashboard; reading them is a join.
        """
        from apps.dashboard.figure_definitions import ANNOTATED
        from apps.dashboard.figures import ensure_figures

        ensure_figures([day])
        on_day = FIGURES_ON_DAY
        return self.annotate(
            **{on_day: FilteredRelation("figures", condition=models.Q(figures__day=day))},
        ).annotate(**{figure.annotation: figure.annotate(on_day) for figure in ANNOTATED})


class DepartmentUnionQuerySet(DistrictScopedQuerySet, DatedLifespanQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    district_federation_field = "union__federation_id"


class WorkforceDeclarationQuerySet(DistrictScopedQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    district_federation_field = "union__federation_id"
