"""Chainable reads for federations, grassroots unions and their workforce."""

from __future__ import annotations

from datetime import date
from typing import Self

from django.db import models
from django.db.models import F, FilteredRelation, Value
from django.db.models.functions import Coalesce

from apps.accounts.scoping import ScopedQuerySet, SharedLookupQuerySet
from apps.core.models import DatedLifespanQuerySet

# The alias under which ``GrassrootsUnionQuerySet.with_figures`` joins the day's summary row.
FIGURES_ON_DAY = "figures_on_day"


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

    def with_figures(self, day: date) -> Self:
        """Annotate each union's figures on ``day`` from the dashboard's summary (computed first if need be).

        Adds member_count, female_member_count, workers, female_workers, group_count,
        department_union_count, groups_without_leader and declared_on (of the workforce
        declaration in force); the names say "count" where the plain name is a relation.
        The figures are defined once, in apps.dashboard.figures; reading them is a join.
        """
        from apps.dashboard.figures import ensure_figures

        ensure_figures([day])
        on_day = FIGURES_ON_DAY
        return self.annotate(
            **{on_day: FilteredRelation("figures", condition=models.Q(figures__day=day))},
        ).annotate(
            member_count=Coalesce(F(f"{on_day}__members"), Value(0)),
            female_member_count=Coalesce(F(f"{on_day}__female_members"), Value(0)),
            workers=Coalesce(F(f"{on_day}__workers"), Value(0)),
            female_workers=Coalesce(F(f"{on_day}__female_workers"), Value(0)),
            group_count=Coalesce(F(f"{on_day}__groups"), Value(0)),
            department_union_count=Coalesce(F(f"{on_day}__department_unions"), Value(0)),
            groups_without_leader=Coalesce(F(f"{on_day}__groups_without_leader"), Value(0)),
            declared_on=F(f"{on_day}__declared_on"),
        )


class DepartmentUnionQuerySet(ScopedQuerySet, DatedLifespanQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    district_federation_field = "union__federation_id"


class WorkforceDeclarationQuerySet(ScopedQuerySet):
    union_path = "union"
    federation_path = "union__federation"
    district_federation_field = "union__federation_id"
