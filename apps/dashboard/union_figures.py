"""Each union's figures of a day joined onto a queryset of unions, for lists that show them.

This lives in the dashboard, which owns the figures, and not on the unions' queryset:
the domain apps never import apps.dashboard (the import-linter contracts in
pyproject.toml).
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.db import models
from django.db.models import F, FilteredRelation, Value
from django.db.models.functions import Coalesce

from apps.dashboard.figures import ensure_figures
from apps.unions.models import GrassrootsUnion

# The alias under which ``with_figures`` joins the day's summary row.
FIGURES_ON_DAY = "figures_on_day"

Unions = TypeVar("Unions", bound=models.QuerySet[GrassrootsUnion])


def with_figures(unions: Unions, day: date) -> Unions:
    """Annotate each union's figures on ``day`` from the dashboard's summary (computed first if need be).

    Adds member_count, female_member_count, workers, female_workers, group_count,
    department_union_count, groups_without_leader and declared_on (of the workforce
    declaration in force); the names say "count" where the plain name is a relation.
    The figures are defined once, in apps.dashboard.figures; reading them is a join.
    """
    ensure_figures([day])
    on_day = FIGURES_ON_DAY
    return unions.annotate(
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
