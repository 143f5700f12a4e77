"""A check shared by the tests of every path that makes CĐCS: their superiors' periods cover their lives."""

from __future__ import annotations

import itertools
from collections import defaultdict

from apps.unions.models import GrassrootsUnion, UnionAffiliation


def uncovered_unions() -> list[str]:
    """Codes of the CĐCS whose periods under a superior do not cover their life exactly, one after another."""
    periods = defaultdict(list)
    for period in UnionAffiliation.objects.order_by("union_id", "started_on"):
        periods[period.union_id].append(period)
    wrong = []
    for union in GrassrootsUnion.objects.all():
        own = periods[union.pk]
        if union.dissolved_on is not None and union.dissolved_on <= union.established_on:
            if own:
                wrong.append(union.code)  # it existed no day, so belonged nowhere
            continue
        bounds = [(p.started_on, p.ended_on) for p in own]
        follows = all(earlier[1] == later[0] for earlier, later in itertools.pairwise(bounds))
        if (
            not own
            or not follows
            or bounds[0][0] != union.established_on
            or bounds[-1][1] != union.dissolved_on
            or own[-1].federation_id != union.federation_id
        ):
            wrong.append(union.code)
    return wrong
