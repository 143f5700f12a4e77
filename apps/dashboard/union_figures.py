"""Each union's figures of a day joined onto a queryset of unions, for lists that show them.

This lives in the dashboard, which owns the figures, and not on the unions' queryset:
the domain apps never import apps.dashboard (the import-linter contracts in
pyproject.toml).
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.db import models
from django.db.models import FilteredRelation

from apps.dashboard.figure_definitions import ANNOTATED
from apps.dashboard.figures import ensure_figures
from apps.unions.models import GrassrootsUnion

# The alias under which ``with_figures`` joins the day's summary row.
FIGURES_ON_DAY = "figures_on_day"

Unions = TypeVar("Unions", bound=models.QuerySet[GrassrootsUnion])


def with_figures(unions: Unions, day: date) -> Unions:
    """Annotate each union's figures on ``day`` from the dashboard's summary (computed first if need be).

    Adds each figure of apps.dashboard.figure_definitions.ANNOTATED under its
    ``annotation`` name (member_count, female_member_count, workers, female_workers,
    group_count, department_union_count, groups_without_leader, declared_on of the
    workforce declaration in force); the names say "count" where the plain name is a
    relation. The figures are defined once, in figure_definitions; reading them is a join.
    """
    ensure_figures([day])
    on_day = FIGURES_ON_DAY
    return unions.annotate(
        **{on_day: FilteredRelation("figures", condition=models.Q(figures__day=day))},
    ).annotate(**{figure.annotation: figure.annotate(on_day) for figure in ANNOTATED})
