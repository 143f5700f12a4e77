"""One CĐCS at a glance, as its chair opens it on a phone: figures, groups, officials, meetings, warnings.

The figures are the dashboard's (``union_figures.with_figures``: the summary row of the
day, the workforce declaration in force included) and the warnings its charter checks
(``selectors.union_warnings``), so this page never counts a second way. Every read
goes through ``visible_to``; a union the user does not see is a 404.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from apps.core.formatting import format_ratio
from apps.dashboard import selectors
from apps.dashboard.union_figures import with_figures
from apps.meetings.models import Meeting
from apps.members.models import UnionOfficial
from apps.unions.models import GrassrootsUnion

if TYPE_CHECKING:
    from apps.accounts.models import User

LAST_MEETINGS = 5

# The union's own offices in the order a union lists them (the choices' order), not alphabetically.
_OFFICE_ORDER = models.Case(
    *(models.When(role=role, then=models.Value(rank)) for rank, role in enumerate(UnionOfficial.Role.values)),
    output_field=models.IntegerField(),
)


@dataclass(frozen=True)
class UnionOverview:
    """What the CĐCS page shows; ``union`` carries its figures of ``as_of`` (member_count, workers …)."""

    union: GrassrootsUnion
    as_of: date
    membership_ratio: str
    female_membership_ratio: str
    groups: list
    officials: list
    meetings: list
    warnings: list[str]


def union_overview(*, pk: int, user: User, as_of: date) -> UnionOverview:
    """The overview of the union ``pk`` as ``user`` may see it (404 out of scope), in a fixed number of queries."""
    unions = with_figures(GrassrootsUnion.objects.visible_to(user), as_of).select_related("sector", "federation")
    union = get_object_or_404(unions, pk=pk)
    leaders = (
        UnionOfficial.objects.visible_to(user)
        .as_of(as_of)
        .filter(role=UnionOfficial.Role.GROUP_LEADER)
        .select_related("member")
        .order_by("started_on", "pk")
    )
    groups = (
        selectors.group_figures(union=union, as_of=as_of)
        .visible_to(user)
        .prefetch_related(Prefetch("officials", queryset=leaders, to_attr="current_leaders"))
        .order_by("name", "pk")
    )
    officials = (
        UnionOfficial.objects.visible_to(user)
        .as_of(as_of)
        .filter(union=union, group__isnull=True)
        .select_related("member")
        .order_by(_OFFICE_ORDER, "started_on", "pk")
    )
    meetings = (
        Meeting.objects.visible_to(user)
        .filter(organiser_union=union, held_on__lte=as_of)
        .select_related("group")
        .order_by("-held_on", "-pk")[:LAST_MEETINGS]
    )
    return UnionOverview(
        union=union,
        as_of=as_of,
        membership_ratio=format_ratio(union.member_count, union.workers),
        female_membership_ratio=format_ratio(union.female_member_count, union.female_workers),
        groups=list(groups),
        officials=list(officials),
        meetings=list(meetings),
        warnings=selectors.union_warnings(union, as_of, user=user),
    )
