"""Read-only figures for dashboards and the periodic report, all as of a date and from history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, make_dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import pgettext

from apps.accounts.scoping import federation_subtree_q
from apps.core.db import vietnamese_order
from apps.core.formatting import format_percent, ratio_percent
from apps.dashboard.checks import ATTENTION_CHECKS, attention_label, attention_q, ordered_fields
from apps.dashboard.figure_definitions import (
    BY_NAME,
    MOVEMENTS,
    SUMMARY_TOTALS,
    TOTALS,
    ratio_properties,
)
from apps.dashboard.figures import QUIET_AFTER_DAYS, WHOLE_DAY_ABOVE, ensure_figures, kept_days, read_live
from apps.dashboard.models import FederationFigures, FederationFiguresToday, UnionFigures
from apps.dashboard.tasks import keep_later
from apps.dashboard.union_figures import FIGURES_ON_DAY, with_figures
from apps.meetings.models import Attendance, FollowUpTask, Meeting
from apps.meetings.querysets import ATTENDED
from apps.members.models import MembershipPeriod
from apps.union_groups.models import UnionGroup
from apps.unions.models import Federation, GrassrootsUnion, Sector, UnionAffiliation

if TYPE_CHECKING:
    from apps.accounts.scoping import Reader


def _figures_class(name: str, doc: str, fields: list[tuple]) -> type:
    """A frozen dataclass of ``fields`` with the ratio figures as properties (figure_definitions.RATIOS)."""
    namespace = {"__doc__": doc, "__module__": __name__, **ratio_properties()}
    return make_dataclass(name, fields, frozen=True, namespace=namespace)


# What the summary shows of a sector and in all: figure_definitions.SUMMARY.
SECTOR_FIELDS = tuple(figure.name for figure in SUMMARY_TOTALS)
_SUMMARY_FIELDS = [(name, int) for name in SECTOR_FIELDS]
SectorFigures = _figures_class(
    "SectorFigures", "The unions of one sector and their figures.", [("sector", Sector), *_SUMMARY_FIELDS]
)
SubordinateFigures = _figures_class(
    "SubordinateFigures",
    "A federation right below the reader's, its subtree added in (or, ``direct``, the CĐCS right under the reader's).",
    [("federation", Federation), ("direct", bool), *_SUMMARY_FIELDS],
)
DistrictSummary = _figures_class(
    "DistrictSummary",
    "The district's organisation and membership figures as of one date.",
    [("as_of", date), ("federation", Federation | None), ("unions_by_sector", list), *_SUMMARY_FIELDS],
)


def _is_chair(user: Reader) -> bool:
    # SYSTEM (commands, the figures refresh) and anonymous readers are nobody's chair.
    return bool(getattr(user, "is_union_chair", False))


class Organised(StrEnum):
    """Which structure figures of a past day are read in (issue 16, part 2)."""

    # Each CĐCS under the superior it had on the day: what the federation's reports said then.
    THEN = "then"
    # Today's structure restated back in time: a ward union founded in 2025 sees its CĐCS's past.
    TODAY = "today"


def counted_unions(
    *,
    as_of: date,
    user: Reader,
    federation: Federation | None = None,
    sector: Sector | None = None,
    organised: Organised = Organised.THEN,
) -> models.QuerySet[GrassrootsUnion]:
    """The unions that existed on ``as_of``, in ``user``'s scope, under ``federation`` (or below it).

    Under it on ``as_of`` (as organised then, like the totals: a CĐCS moved since counts under the
    superior it had that day), or today (``Organised.TODAY``).
    """
    unions = GrassrootsUnion.objects.as_of(as_of).visible_to(user)
    if federation is not None and organised == Organised.TODAY:
        unions = unions.filter(federation_subtree_q(federation, "federation"))
    elif federation is not None:
        under_then = UnionAffiliation.objects.as_of(as_of).filter(federation_subtree_q(federation, "federation"))
        unions = unions.filter(pk__in=under_then.values("union_id"))
    if sector is not None:
        unions = unions.filter(sector=sector)
    return unions


def per_union_figures(
    *,
    as_of: date,
    user: Reader,
    federation: Federation | None = None,
    sector: Sector | None = None,
    organised: Organised = Organised.THEN,
) -> models.QuerySet[GrassrootsUnion]:
    """Unions as of a date annotated with their figures (``union_figures.with_figures``; one query)."""
    unions = counted_unions(as_of=as_of, user=user, federation=federation, sector=sector, organised=organised)
    return with_figures(unions, as_of)


def _union_rows(user: Reader, federation: Federation | None, organised: Organised) -> models.QuerySet[UnionFigures]:
    """The unions' summary rows in ``user``'s scope and ``federation``: as organised on each row's day, or today."""
    if organised == Organised.TODAY:
        return UnionFigures.objects.visible_as_organised_today(user, federation=federation)
    rows = UnionFigures.objects.visible_to(user)
    if federation is not None:
        rows = rows.filter(federation_subtree_q(federation, "federation"))
    return rows


# How many of the worst of each charter check the dashboard lists.
ATTENTION_SAMPLE = 10
# The unions with the most quiet groups first (their figure's index order, UnionFigures.Meta.indexes).
QUIETEST_FIRST = ("-quiet_groups", "-union_id")
# The unions' figures the lists of the worst are ordered by (besides their ids).
_LISTS_ORDERED_BY = tuple(
    sorted(
        (
            {name for check in ATTENTION_CHECKS.values() for name in ordered_fields(check.worst_first)}
            | set(ordered_fields(QUIETEST_FIRST))
        )
        - {"union_id"}
    )
)
# The rows of days read live, per day and scope, within ``live_reads`` (one page's selectors).
_live_read: ContextVar[dict | None] = ContextVar("unionportal_live_figures", default=None)


@contextmanager
def live_reads() -> Iterator[None]:
    """Within it, a day read live is read once per scope: the page's totals, checks and lists share it."""
    if _live_read.get() is not None:
        # Already within one (a selector of the page calling another): the page's memo serves both.
        yield
        return
    token = _live_read.set({})
    try:
        yield
    finally:
        _live_read.reset(token)


def days_kept(days: list[date]) -> set[date]:
    """``figures.kept_days`` asked once a page (within ``live_reads``) for days already found kept."""
    wanted = set(days)
    memo = _live_read.get()
    if memo is not None and wanted <= memo.setdefault("kept", set()):
        return wanted
    found = kept_days(wanted)
    if memo is not None:
        memo["kept"] |= found
    return found


def live_rows(
    day: date, user: Reader, federation: Federation | None, organised: Organised, *, per_union: bool = False
) -> list[dict]:
    """The totals of a day not kept in ``user``'s scope, per place, computed from the sources (figures.read_live).

    Each row adds up the unions of one place (sector, federation then and today) that are
    not listed: it holds their TOTAL_FIELDS as the kept totals add them up and how many of
    them fail each charter check (``fails_<code>``). Each union among the ATTENTION_SAMPLE
    counted unions failing a check worst (``worst_<code>``; ``worst_quiet_groups``: with the
    most quiet groups) has a row of its own, with its figures to order it by, and so has every
    union when ``per_union``. One read-only query, added up in the database: reading a city's
    20,000 unions' rows into Python took longer than computing them. The worker is asked to
    keep the day for the next reader.
    """
    key = (day, getattr(user, "pk", None), getattr(federation, "pk", None), organised, per_union)
    memo = _live_read.get()
    if memo is not None and key in memo:
        return memo[key]
    # No filter on the day: the rows read live are that day's only, and a filter PostgreSQL cannot
    # estimate there made it guess a handful of rows and loop (70 ms a check for a city).
    rows = _union_rows(user, federation, organised)
    counted = rows.filter(counted=True)

    def among_worst(failing: models.QuerySet, ordering: tuple) -> Q:
        # The database picks them, ordered as the kept day's index orders them (the same subquery
        # reads the same rows: the common table expression of figures.read_live).
        return Q(union_id__in=failing.order_by(*ordering).values("union_id")[:ATTENTION_SAMPLE])

    worst = {
        f"worst_{code}": among_worst(counted.filter(check.condition("", day)), check.worst_first)
        for code, check in ATTENTION_CHECKS.items()
    }
    worst["worst_quiet_groups"] = among_worst(counted.filter(quiet_groups__gt=0), QUIETEST_FIRST)
    flags = {f"is_{name}": Case(When(condition, then=1), default=0) for name, condition in worst.items()}
    listed = F("union_id") if per_union else Case(When(reduce(or_, worst.values()), then=F("union_id")))
    values = (
        rows.annotate(**flags, listed_union_id=listed, today_federation_id=F("union__federation_id"))
        .values("listed_union_id", *_PLACE)
        .annotate(
            # Named apart from the unions' own figures of the same names (Django refuses the clash).
            **{f"total_{name}": total for name, total in _TOTALS_OF_UNION_ROWS.items()},
            **{
                f"fails_{code}": Count("union_id", filter=Q(counted=True) & attention_q(code, day))
                for code in ATTENTION_CHECKS
            },
            **{name: Max(f"is_{name}") for name in worst},
            # A listed row is one union's: its own figures, to order the lists by.
            **{f"union_{name}": Max(name) for name in _LISTS_ORDERED_BY},
        )
        .order_by()
    )
    found = read_live(values, day, _maybe_in_scope(user, federation))
    for row in found:
        row["union_id"] = row.pop("listed_union_id")
        # int(): PostgreSQL adds up the tallies' big integers as numeric, which arrives as Decimal.
        row.update({name: int(row.pop(f"total_{name}") or 0) for name in TOTAL_FIELDS})
        row["figures"] = {name: row.pop(f"union_{name}") for name in _LISTS_ORDERED_BY} | {"union_id": row["union_id"]}
    keep_later([day])
    if memo is not None:
        memo[key] = found
    return found


def _maybe_in_scope(user: Reader, federation: Federation | None) -> list[int] | None:
    """The CĐCS a day read live need compute for ``user`` under ``federation``: None for all.

    A chair's one CĐCS; for a federation's reader, every CĐCS ever under its subtree or under it
    today (what it counted on any day, as organised then or today), when they are no more than
    a day computed whole is worth: a ward union of a province of 60,000 CĐCS computes its own
    few hundred, not the province's (0.7 s).
    """
    if _is_chair(user):
        return [user.union_id]
    top = federation or getattr(user, "federation", None)
    if top is None:
        return None
    # Asked once a page (within ``live_reads``), however many of its days are read live.
    memo = _live_read.get()
    key = ("in scope", top.pk)
    if memo is not None and key in memo:
        return memo[key]
    under = federation_subtree_q(top, "federation")
    ever_under = GrassrootsUnion.objects.filter(
        under | Q(pk__in=UnionAffiliation.objects.filter(under).values("union_id"))
    ).order_by()
    found = list(ever_under.values_list("pk", flat=True)[: WHOLE_DAY_ABOVE + 1])
    union_ids = sorted(found) if len(found) <= WHOLE_DAY_ABOVE else None
    if memo is not None:
        memo[key] = union_ids
    return union_ids


# Where a union's row is added up, for any grouping of figure_totals.
_PLACE = ("sector_id", "federation_id", "today_federation_id")


def _live_totals(
    day: date, user: Reader, federation: Federation | None, organised: Organised, *, per_union: bool
) -> list[tuple[dict, dict[str, int]]]:
    """The TOTAL_FIELDS of a live day per place (sector, federation then and today), or ``per_union``."""
    fields = ("union_id", *_PLACE) if per_union else _PLACE
    totals: dict[tuple, dict[str, int]] = {}
    for row in live_rows(day, user, federation, organised, per_union=per_union):
        place = tuple(row[field] for field in fields)
        if place not in totals:
            totals[place] = dict.fromkeys(TOTAL_FIELDS, 0)
        for name in TOTAL_FIELDS:
            totals[place][name] += row[name]
    return [(dict(zip(fields, place, strict=True)), values) for place, values in totals.items()]


def figures_rows(
    *, days: list[date], user: Reader, federation: Federation | None = None, organised: Organised = Organised.THEN
) -> models.QuerySet[UnionFigures]:
    """Each union's summary rows of ``days`` in ``user``'s scope and ``federation``, made exact first."""
    ensure_figures(days)
    return _union_rows(user, federation, organised).filter(day__in=days)


# What the totals add up (figure_definitions.TOTALS, each with how it is added up).
TOTAL_FIELDS = tuple(figure.name for figure in TOTALS)
MOVEMENT_FIELDS = tuple(figure.name for figure in MOVEMENTS)
# The same totals read from unions' rows (FederationFigures holds them ready per federation and sector).
_TOTALS_OF_UNION_ROWS = {figure.name: figure.union_sum() for figure in TOTALS}


def figure_totals(
    *,
    days: list[date],
    user: Reader,
    federation: Federation | None = None,
    by: str | None = None,
    organised: Organised = Organised.THEN,
) -> dict[tuple, dict[str, int]]:
    """The TOTAL_FIELDS of ``user``'s scope on each of ``days``, keyed by (day,) or (day, ``by``) (two queries).

    ``by`` is None, "sector_id", "federation_id" or "union_id". Federation-wide readers
    add up the federations' rows (a few hundred a day for a city), as organised then or as
    organised today (``FederationFiguresToday``: each CĐCS's rows under its superior of today);
    a chair's scope is their union's row, and per-union figures come from the unions' rows.
    """
    kept = days_kept(days)
    today = organised == Organised.TODAY
    by_union = by == "union_id" or _is_chair(user)
    if by_union:
        rows, sums = _union_rows(user, federation, organised), _TOTALS_OF_UNION_ROWS
    else:
        table = FederationFiguresToday if today else FederationFigures
        rows, sums = table.objects.visible_to(user), {name: Sum(name) for name in TOTAL_FIELDS}
        if federation is not None:
            rows = rows.filter(federation_subtree_q(federation, "federation"))
    rows = rows.filter(day__in=kept)
    column = "union__federation_id" if today and by_union and by == "federation_id" else by
    keys = ["day", column] if by else ["day"]
    annotated = rows.order_by().values(*keys).annotate(**{f"{name}_total": sums[name] for name in TOTAL_FIELDS})
    totals = {
        tuple(row[key] for key in keys): {name: row[f"{name}_total"] or 0 for name in TOTAL_FIELDS} for row in annotated
    }
    for day in sorted(set(days) - kept):
        # A day not kept: its unions' rows read live, added up here as the kept totals add them up.
        column = "today_federation_id" if today and by == "federation_id" else by
        for place, values in _live_totals(day, user, federation, organised, per_union=by == "union_id"):
            key = (day, place[column]) if by else (day,)
            if key not in totals:
                totals[key] = dict.fromkeys(TOTAL_FIELDS, 0)
            for name, value in values.items():
                totals[key][name] += value
    return totals


def district_summary(
    *, as_of: date, user: Reader, federation: Federation | None = None, organised: Organised = Organised.THEN
) -> DistrictSummary:
    """Unions, members, workforce and groups as of ``as_of``, per sector and in all (three queries)."""
    totals = figure_totals(days=[as_of], user=user, federation=federation, by="sector_id", organised=organised)
    return summary_of(as_of, federation, totals, list(Sector.objects.ordered()))


def figures_by_subordinate(
    *, as_of: date, user: Reader, federation: Federation, organised: Organised = Organised.THEN
) -> list[SubordinateFigures]:
    """The figures of ``as_of`` per federation directly below ``federation`` (its subtree added in), by name.

    Each CĐCS counts under the superior it had that day (the kept rows say which), or has today; the CĐCS
    right under ``federation`` make a row of their own (``direct``), first. The row's
    federation is placed in the tree as it is today. Three queries.
    """
    totals = figure_totals(days=[as_of], user=user, federation=federation, by="federation_id", organised=organised)
    paths = dict(
        Federation.objects.visible_to(user).filter(pk__in=[pk for _, pk in totals]).values_list("pk", "tree_path")
    )
    added: dict[int, dict[str, int]] = {}
    for (_, federation_id), values in totals.items():
        below = paths.get(federation_id, federation.tree_path).removeprefix(federation.tree_path)
        # The first id on the path below the reader's federation; its own id for the CĐCS right under it.
        key = int(below.split("/", 1)[0]) if below else federation.pk
        row = added.setdefault(key, dict.fromkeys(SECTOR_FIELDS, 0))
        for name in SECTOR_FIELDS:
            row[name] += values[name]
    named = Federation.objects.visible_to(user).filter(pk__in=list(added)).order_by(*vietnamese_order("name"))
    rows = [
        SubordinateFigures(federation=named_one, direct=named_one.pk == federation.pk, **added[named_one.pk])
        for named_one in named
        if added[named_one.pk]["unions"]
    ]
    return sorted(rows, key=lambda row: not row.direct)


def summary_of(
    as_of: date, federation: Federation | None, totals: dict[tuple, dict[str, int]], sectors: list[Sector]
) -> DistrictSummary:
    """The DistrictSummary of ``as_of`` from ``figure_totals(..., by="sector_id")`` that include that day."""
    unions_by_sector: list[SectorFigures] = []
    for sector in sectors:
        sector_totals = totals.get((as_of, sector.pk))
        if not sector_totals or not sector_totals["unions"]:
            continue
        unions_by_sector.append(
            SectorFigures(sector=sector, **{field: sector_totals[field] for field in SECTOR_FIELDS})
        )

    def total(field: str) -> int:
        return sum(getattr(figures, field) for figures in unions_by_sector)

    return DistrictSummary(
        as_of=as_of,
        federation=federation,
        unions_by_sector=unions_by_sector,
        **{field: total(field) for field in SECTOR_FIELDS},
    )


def totals_on(day: date, totals: dict[tuple, dict[str, int]]) -> dict[str, int]:
    """The totals of ``day`` added up over the other key of ``figure_totals`` (sectors, say)."""
    added = dict.fromkeys(TOTAL_FIELDS, 0)
    for key, values in totals.items():
        if key[0] == day:
            for name in TOTAL_FIELDS:
                added[name] += values[name]
    return added


def _net_change(self) -> int:
    """Members gained minus members lost."""
    return self.joined + self.transferred_in - self.transferred_out - self.left


def _movements_between(cls, upto_before: dict[str, int], upto_end: dict[str, int]):
    """The movements of a period from the totals up to its last day and up to the day before it."""
    return cls(**{name: upto_end.get(name, 0) - upto_before.get(name, 0) for name in MOVEMENT_FIELDS})


Movements = make_dataclass(
    "Movements",
    [(name, int, field(default=0)) for name in MOVEMENT_FIELDS],
    frozen=True,
    namespace={
        "__doc__": "Members who joined, transferred in, transferred out or left during a period.",
        "__module__": __name__,
        "net_change": property(_net_change),
        "between": classmethod(_movements_between),
    },
)


MOVEMENT_GROUPINGS = {None: None, "sector": "sector_id", "union": "union_id", "federation": "federation_id"}


def membership_movements(
    *,
    start: date,
    end: date,
    user: Reader,
    federation: Federation | None = None,
    by: str | None = None,
    organised: Organised = Organised.THEN,
) -> dict[int | None, Movements]:
    """Joins, transfers in and out, and leaves dated within [start, end] (three queries when the days are kept).

    The summary keeps each union's movements from the beginning up to a day, so those of
    [start, end] are the day ``end``'s less the day before ``start``'s. A period that
    begins the day another of the same member's periods ends in another union is a
    transfer; in the same union it is a group move and not counted
    (apps.dashboard.figures.FIGURES_SQL). Groups without any movement are left out.
    """
    key = MOVEMENT_GROUPINGS[by]
    before = start - timedelta(days=1)
    with live_reads():
        totals = figure_totals(days=[before, end], user=user, federation=federation, by=key, organised=organised)
        carry_moves(totals, before=before, end=end, user=user, federation=federation, key=key, organised=organised)
    result = {}
    for group in {(row_key[1] if key else None) for row_key in totals}:
        moved = Movements.between(
            totals.get((before, group) if key else (before,), {}), totals.get((end, group) if key else (end,), {})
        )
        if moved != Movements():
            result[group] = moved
    return result


def carry_moves(
    totals: dict[tuple, dict[str, int]],
    *,
    before: date,
    end: date,
    user: Reader,
    federation: Federation | None,
    key: str | None,
    organised: Organised,
) -> None:
    """Make the movements of ``totals`` between ``before`` and ``end`` count each moved CĐCS once (at most 2 queries).

    Nothing to carry when the totals come from the unions' own rows: a chair's, per union,
    or as organised today, where each CĐCS stays under one superior throughout.
    """
    if key == "union_id" or _is_chair(user) or organised == Organised.TODAY:
        return
    _carry_moved_unions(totals, before=before, end=end, user=user, federation=federation, key=key)


def _carry_moved_unions(
    totals: dict[tuple, dict[str, int]],
    *,
    before: date,
    end: date,
    user: Reader,
    federation: Federation | None,
    key: str | None,
) -> None:
    """Count a CĐCS that changed superior within (``before``, ``end``] under its superior on ``end``, in ``totals``.

    Each union's row keeps its movements from its beginning, and a superior's totals of a day
    add up the rows of the unions it had that day: a CĐCS moved from A to B within the period
    would leave A's difference less its whole past, and bring B its whole past. Carrying
    the CĐCS's count up to ``before`` back to A's side and off B's side leaves each of its
    movements of the period counted once, under B (as organised on the period's last day),
    and figures over periods without a move as they were. One query; one more after a move.
    """
    moved = UnionAffiliation.objects.filter(started_on__gt=before, started_on__lte=end).exclude(
        started_on=models.F("union__established_on")
    )
    # Read for any reader: only the counts of the superiors in their scope below take them in.
    of_moved = UnionFigures.objects.filter(union__in=moved.values("union_id")).values(
        "day", "union_id", "federation_id", "sector_id", *MOVEMENT_FIELDS
    )
    kept = days_kept([before, end])
    rows = list(of_moved.filter(day__in=kept))
    live = {before, end} - kept
    moved_ids = sorted(set(moved.values_list("union_id", flat=True))) if live else []
    for day in sorted(live):
        if moved_ids:
            rows += read_live(of_moved, day, moved_ids)
    if not rows:
        return
    in_scope = Federation.objects.visible_to(user)
    if federation is not None:
        in_scope = in_scope.filter(federation_subtree_q(federation, ""))
    in_scope_ids = set(in_scope.values_list("pk", flat=True))
    by_union: dict[int, dict[date, dict]] = {}
    for row in rows:
        by_union.setdefault(row["union_id"], {})[row["day"]] = row
    for days in by_union.values():
        then, now = days.get(before), days.get(end)
        if then is None or now is None or then["federation_id"] == now["federation_id"]:
            continue
        for row, sign in ((then, 1), (now, -1)):
            if row["federation_id"] not in in_scope_ids:
                continue
            group = (end,) if key is None else (end, row[key])
            # The day ``end`` side: A's totals there lack the CĐCS (add its past), B's hold it whole (take it off).
            carried = totals.setdefault(group, dict.fromkeys(TOTAL_FIELDS, 0))
            for name in MOVEMENT_FIELDS:
                carried[name] += sign * (then[name] or 0)


def attention_counts(
    *, as_of: date, user: Reader, federation: Federation | None = None, organised: Organised = Organised.THEN
) -> dict[str, int]:
    """Unions of the scope failing each charter check on ``as_of``, and their quiet groups (two queries).

    Federation-wide readers add up the federations' counts, kept with their totals (as organised
    then or today); a chair's scope is their union's one row.
    """
    if as_of not in days_kept([as_of]):
        rows = live_rows(as_of, user, federation, organised)
        return {code: sum(row[f"fails_{code}"] for row in rows) for code in ATTENTION_CHECKS} | {
            "quiet_groups": sum(row["quiet_groups"] for row in rows)
        }
    if _is_chair(user):
        rows = figures_rows(days=[as_of], user=user, federation=federation, organised=organised).filter(counted=True)
        sums = {code: Count("pk", filter=attention_q(code, as_of)) for code in ATTENTION_CHECKS}
    else:
        table = FederationFiguresToday if organised == Organised.TODAY else FederationFigures
        rows = table.objects.filter(day=as_of).visible_to(user)
        if federation is not None:
            rows = rows.filter(federation_subtree_q(federation, "federation"))
        sums = {code: Sum(code) for code in ATTENTION_CHECKS}
    counted = rows.aggregate(**{f"{code}_total": total for code, total in sums.items()}, quiet=Sum("quiet_groups"))
    return {code: counted[f"{code}_total"] or 0 for code in ATTENTION_CHECKS} | {"quiet_groups": counted["quiet"] or 0}


def unions_needing_attention(unions: models.QuerySet[GrassrootsUnion], check: str, day: date):
    """``unions`` (already annotated by ``with_figures(day)``) that fail the charter check ``check``."""
    return unions.filter(attention_q(check, day, path=f"{FIGURES_ON_DAY}__"))


def union_warnings(union: GrassrootsUnion, day: date, *, user: Reader) -> list[str]:
    """The charter checks one union fails on ``day``, as sentences for the person entering its data (two queries)."""
    row = figures_rows(days=[day], user=user).filter(union=union)
    failed = row.aggregate(**{code: Count("pk", filter=attention_q(code, day)) for code in ATTENTION_CHECKS})
    return [attention_label(code) for code in ATTENTION_CHECKS if failed[code]]


# Reporting cut-offs (mốc báo cáo): the half-year report counts to 31/5, the yearly one to 30/11.
CUT_OFFS = ((5, 31), (11, 30))


def cut_offs_before(day: date, count: int) -> list[date]:
    """The ``count`` reporting cut-offs strictly before ``day``, newest first."""
    found: list[date] = []
    year = day.year
    while len(found) < count:
        for month, dom in reversed(CUT_OFFS):
            candidate = date(year, month, dom)
            if candidate < day and len(found) < count:
                found.append(candidate)
        year -= 1
    return found


def cut_offs_of_year(year: int) -> list[date]:
    """A year's reporting cut-offs, for one-click links."""
    return [date(year, month, dom) for month, dom in CUT_OFFS]


TrendPoint = _figures_class("TrendPoint", "The summary's figures on one date.", [("day", date), *_SUMMARY_FIELDS])


def trend_of(days: list[date], totals: dict[tuple, dict[str, int]]) -> list[TrendPoint]:
    """The TrendPoints of ``days`` from ``figure_totals`` that include them, from the first day with data.

    Days before anything was recorded would draw a line along zero that says nothing.
    """
    points = [TrendPoint(day=day, **{name: totals_on(day, totals)[name] for name in SECTOR_FIELDS}) for day in days]
    first = next((index for index, point in enumerate(points) if point.members or point.workers), len(points))
    return points[first:]


def meetings_in_period(
    *, start: date, end: date, user: Reader, federation: Federation | None = None
) -> models.QuerySet[Meeting]:
    """Meetings in ``user``'s scope that took place (were not cancelled) on a day in [start, end]."""
    meetings = Meeting.objects.held_between(start, end).took_place().visible_to(user)
    if federation is not None:
        meetings = meetings.filter(federation_subtree_q(federation, "federation"))
    return meetings


# A meeting's sector: its organiser CĐCS's, or for a federation meeting the sector it was for.
_MEETING_SECTOR = Coalesce("organiser_union__sector", "sector")


def meetings_by_kind(*, start: date, end: date, user: Reader, federation: Federation | None = None) -> dict[str, int]:
    """Meetings that took place in [start, end] per kind (one query); give ``end`` = the as-of day."""
    meetings = meetings_in_period(start=start, end=end, user=user, federation=federation)
    return dict(meetings.order_by().values_list("kind").annotate(n=Count("pk")))


@dataclass(frozen=True)
class AttendanceRate:
    """Invitees and how many of them came, of a meeting, a CĐCS's meetings or a sector's."""

    label: str
    invited: int
    attended: int
    meetings: int = 1
    held_on: date | None = None

    @property
    def rate(self) -> Decimal | None:
        """attended / invited in per cent; None when nobody was invited (shown as a dash, never 0 %)."""
        return ratio_percent(self.attended, self.invited)

    @property
    def percent(self) -> str:
        return format_percent(self.rate)

    @property
    def percent_shown(self) -> str:
        """``percent`` that never breaks before its sign in a narrow column."""
        return self.percent.replace(" ", "\u00a0")

    def sort_key(self) -> tuple:
        # Lowest rate first; those without invitees (no rate) last.
        return (self.rate is None, self.rate or 0, self.label)


@dataclass(frozen=True)
class MeetingFigures:
    """The period's meetings: per kind, the attendance rates, and per sector and CĐCS."""

    by_kind: dict[str, int]
    lowest_meetings: list[AttendanceRate]
    by_sector: list[AttendanceRate]
    by_union: list[AttendanceRate]

    @property
    def lowest_unions(self) -> list[AttendanceRate]:
        return self.by_union[:MEETING_SAMPLE]


MEETING_SAMPLE = 10


def meeting_figures(
    *, start: date, end: date, user: Reader, sectors: list[Sector], federation: Federation | None = None
) -> MeetingFigures:
    """Meetings of [start, end] per kind, and attendance per meeting, CĐCS and sector (three queries).

    Pass ``end`` = the as-of day: meetings after it have not been held yet.

    Invitees and attendees are counted from the attendance rows ``user`` may read
    (``Attendance.objects.visible_to``): at a federation meeting a chair counts only the
    people their own CĐCS sent, never another CĐCS's. Attended means invited and present
    or late (walk-ins are not among the invited); a delegation counts its headcount.
    """
    meetings = meetings_in_period(start=start, end=end, user=user, federation=federation)
    invited = Attendance.objects.visible_to(user).invited().order_by()
    came = Q(presence__in=ATTENDED)

    def summed(rows: models.QuerySet) -> models.Expression:
        return Coalesce(Subquery(rows.values("meeting").annotate(n=Sum("headcount")).values("n")), 0)

    of_meeting = invited.filter(meeting=OuterRef("pk"))
    lowest = (
        meetings.annotate(invited_n=summed(of_meeting), attended_n=summed(of_meeting.filter(came)))
        .annotate(
            rate=models.ExpressionWrapper(
                models.F("attended_n") * 1.0 / NullIf(models.F("invited_n"), 0), output_field=models.FloatField()
            )
        )
        .order_by(models.F("rate").asc(nulls_last=True), "held_on", "pk")
        .values_list("title", "held_on", "invited_n", "attended_n")[:MEETING_SAMPLE]
    )
    lowest_meetings = [
        AttendanceRate(label=title, held_on=held_on, invited=n_invited, attended=n_attended)
        for title, held_on, n_invited, n_attended in lowest
    ]

    # Per organiser (None: the federation) and sector: the meetings, then their invitees.
    keys = {"organiser": models.F("organiser_union"), "organiser_name": models.F("organiser_union__name")}
    held = meetings.order_by().values("kind", **keys, sector_key=_MEETING_SECTOR).annotate(n=Count("pk"))
    people = (
        invited.filter(meeting__in=meetings.values("pk"))
        .values(
            organiser=models.F("meeting__organiser_union"),
            organiser_name=models.F("meeting__organiser_union__name"),
            sector_key=Coalesce("meeting__organiser_union__sector", "meeting__sector"),
        )
        .annotate(n_invited=Sum("headcount"), n_attended=Coalesce(Sum("headcount", filter=came), 0))
    )
    totals: dict[tuple, list] = {}
    by_kind: dict[str, int] = {}
    for row in held:
        totals.setdefault((row["organiser"], row["organiser_name"], row["sector_key"]), [0, 0, 0])[0] += row["n"]
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
    for row in people:
        counted = totals.setdefault((row["organiser"], row["organiser_name"], row["sector_key"]), [0, 0, 0])
        counted[1] += row["n_invited"]
        counted[2] += row["n_attended"]

    sector_names = {sector.pk: sector.name for sector in sectors}
    by_sector_totals: dict[int | None, list] = {}
    by_union_totals: dict[tuple, list] = {}
    for (union, union_name, sector_key), counts in totals.items():
        for bucket, key in ((by_sector_totals, sector_key), (by_union_totals, (union, union_name))):
            added = bucket.setdefault(key, [0, 0, 0])
            for index in range(3):
                added[index] += counts[index]

    def rate(label: str, counts: list) -> AttendanceRate:
        return AttendanceRate(label=label, meetings=counts[0], invited=counts[1], attended=counts[2])

    order = {sector.pk: position for position, sector in enumerate(sectors)}
    by_sector = [
        rate(sector_names.get(key) or pgettext("meeting figures", "no particular sector"), counts)
        for key, counts in sorted(by_sector_totals.items(), key=lambda item: order.get(item[0], len(order)))
    ]
    by_union = sorted(
        (
            rate(name or pgettext("meeting figures", "the federation"), counts)
            for (_union, name), counts in by_union_totals.items()
        ),
        key=AttendanceRate.sort_key,
    )
    return MeetingFigures(
        by_kind=by_kind,
        lowest_meetings=lowest_meetings,
        by_sector=by_sector,
        by_union=by_union,
    )


def overdue_tasks(*, as_of: date, user: Reader, federation: Federation | None = None) -> models.QuerySet[FollowUpTask]:
    """Follow-up tasks of meetings held by ``as_of`` that were due before it and not done by then."""
    tasks = (
        FollowUpTask.objects.visible_to(user)
        .filter(meeting__held_on__lte=as_of, due_on__lt=as_of)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=as_of))
        .exclude(meeting__status=Meeting.Status.CANCELLED)
    )
    if federation is not None:
        tasks = tasks.filter(federation_subtree_q(federation, "meeting__federation"))
    return tasks


def groups_without_recent_meeting(
    *, as_of: date, user: Reader, days: int = QUIET_AFTER_DAYS
) -> models.QuerySet[UnionGroup]:
    """Groups that existed on ``as_of`` with no meeting that took place in the ``days`` before it (a quarter).

    The same rule as the kept figure (figures.FIGURES_SQL): a cancelled meeting does not count.
    """
    recent = Meeting.objects.filter(
        group=OuterRef("pk"), held_on__gt=as_of - timedelta(days=days), held_on__lte=as_of
    ).took_place()
    return UnionGroup.objects.as_of(as_of).visible_to(user).exclude(Exists(recent))


def group_figures(*, union: GrassrootsUnion, as_of: date) -> models.QuerySet[UnionGroup]:
    """The union's groups on ``as_of`` with their members and female members then (one query)."""
    periods = MembershipPeriod.objects.as_of(as_of).filter(group=OuterRef("pk"))

    def count_of(queryset: models.QuerySet) -> Coalesce:
        counted = queryset.order_by().values("group").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted, output_field=models.IntegerField()), 0)

    return (
        UnionGroup.objects.as_of(as_of)
        .filter(union=union)
        .select_related("department_union")
        .annotate(member_count=count_of(periods), female_member_count=count_of(periods.filter(member__gender="female")))
    )


def quiet_groups_label() -> str:
    """The label of ``groups_without_recent_meeting`` in the active language."""
    return str(BY_NAME["quiet_groups"].label)
