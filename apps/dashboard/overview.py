"""Everything the dashboard shows for one user and date, gathered once for the page, the JSON and the sheet."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, QuerySet, Value, When

from apps.accounts.models import User
from apps.accounts.scoping import leaf_federation_id
from apps.dashboard import selectors
from apps.dashboard.checks import ATTENTION_CHECKS, attention_label, attention_q, ordered_by
from apps.dashboard.report import district_report_text
from apps.meetings.models import Meeting
from apps.unions.models import GrassrootsUnion, Sector

ATTENTION_SAMPLE = selectors.ATTENTION_SAMPLE
TREND_CUT_OFFS = 6
OVERDUE_SAMPLE = 10


@dataclass
class AttentionItem:
    code: str
    label: str
    count: int
    sample: list = field(default_factory=list)


@dataclass
class Overview:
    as_of: date
    previous_cut_off: date
    summary: selectors.DistrictSummary
    previous: selectors.DistrictSummary
    trend: list[selectors.TrendPoint]
    movements: selectors.Movements
    meetings: list[tuple[str, int]]
    meeting_figures: selectors.MeetingFigures
    overdue_task_count: int
    # Listed for district staff only (owner, meeting, due date); leaders and chairs see the count.
    overdue_tasks: list
    attention: list[AttentionItem]
    report: str
    # The federations directly below the reader's, each with its figures (none for a chair).
    subordinates: list = field(default_factory=list)

    @property
    def member_change(self) -> int:
        return self.summary.members - self.previous.members

    @property
    def worker_change(self) -> int:
        return self.summary.workers - self.previous.workers

    @property
    def union_change(self) -> int:
        return self.summary.unions - self.previous.unions


def federation_of(user: User):
    """The federation a dashboard reads for ``user`` (None for a chair: their scope is their union)."""
    return None if user.is_union_chair else user.federation


def _worst(rows: list[dict], among: str, key: Callable[[dict], tuple]) -> list[int]:
    """The union ids of the rows the database found ``among`` the worst, ordered by ``key`` of their figures."""
    return [row["union_id"] for row in sorted((row for row in rows if row[among]), key=lambda row: key(row["figures"]))]


def attention_items(
    user: User, federation, as_of: date, organised: selectors.Organised = selectors.Organised.THEN
) -> list[AttentionItem]:
    """The charter checks and quiet groups of ``user``'s scope on ``as_of``: counts and the worst few.

    The counts are kept with the federations' totals (selectors.attention_counts); each
    check's worst few (lowest ratio, fewest members …) come from the unions' summary rows
    of the day through an index in that order (UnionFigures.Meta.indexes).
    """
    checks = ATTENTION_CHECKS
    counts = selectors.attention_counts(as_of=as_of, user=user, federation=federation, organised=organised)
    if as_of in selectors.days_kept([as_of]):
        rows = selectors.figures_rows(days=[as_of], user=user, federation=federation, organised=organised)
        rows = rows.filter(counted=True)

        def worst(failing: QuerySet, ordering: tuple, count: int) -> list[int]:
            # No more than the count of the same rows: the index scan stops at the last failing union
            # instead of reading the whole day for a tenth that is not there (61 ms for a province
            # of 60,000 CĐCS where none failed).
            limit = min(ATTENTION_SAMPLE, count)
            return list(failing.order_by(*ordering).values_list("union_id", flat=True)[:limit]) if limit else []

        worst_ids = {
            code: worst(rows.filter(attention_q(code, as_of)), check.worst_first, counts[code])
            for code, check in checks.items()
        }
        # At most as many unions as quiet groups.
        worst_ids["quiet_groups"] = worst(
            rows.filter(quiet_groups__gt=0), selectors.QUIETEST_FIRST, counts["quiet_groups"]
        )
    else:
        # A day not kept: the same lists from its rows read live, in the order of the kept day's indexes.
        rows = selectors.live_rows(as_of, user, federation, organised)
        worst_ids = {code: _worst(rows, f"worst_{code}", check.sort_key) for code, check in checks.items()}
        worst_ids["quiet_groups"] = _worst(rows, "worst_quiet_groups", ordered_by(selectors.QUIETEST_FIRST))
    unions = GrassrootsUnion.objects.visible_to(user).in_bulk([pk for ids in worst_ids.values() for pk in ids])
    items = [
        AttentionItem(code, attention_label(code), counts[code], [unions[pk] for pk in worst_ids[code] if pk in unions])
        for code in checks
    ]
    # Quiet groups of the unions that have the most, those unions first, read in the
    # user's scope like everything else (the unions above were too).
    most_quiet = [pk for pk in worst_ids["quiet_groups"] if pk in unions]
    quiet_groups = []
    if most_quiet:
        by_union_rank = Case(*(When(union_id=pk, then=Value(rank)) for rank, pk in enumerate(most_quiet)))
        quiet_groups = list(
            selectors.groups_without_recent_meeting(as_of=as_of, user=user)
            .filter(union__in=most_quiet)
            .order_by(by_union_rank, "name")[:ATTENTION_SAMPLE]
        )
        for group in quiet_groups:
            group.union = unions[group.union_id]
    items.append(
        AttentionItem(
            "quiet_groups",
            selectors.quiet_groups_label(),
            counts["quiet_groups"],
            quiet_groups,
        )
    )
    return items


def build_overview(user: User, as_of: date, organised: selectors.Organised = selectors.Organised.THEN) -> Overview:
    """All dashboard figures for ``user`` as of ``as_of``; a fixed number of queries whatever the data's size.

    The totals of every day shown (the trend's cut-offs, the previous one among them, and
    ``as_of``) are read at once, per sector; the summary, the comparison, the trend and
    the movements since the previous cut-off are all taken from them.
    """
    with selectors.live_reads():
        return _overview(user, as_of, organised)


def _overview(user: User, as_of: date, organised: selectors.Organised) -> Overview:
    federation = federation_of(user)
    previous_cut_off = selectors.cut_offs_before(as_of, 1)[0]
    days = [*reversed(selectors.cut_offs_before(as_of, TREND_CUT_OFFS)), as_of]
    totals = selectors.figure_totals(days=days, user=user, federation=federation, by="sector_id", organised=organised)
    sectors = list(Sector.objects.ordered())
    summary = selectors.summary_of(as_of, federation, totals, sectors)
    # On a copy of the two days' totals: the summary and the trend read the others as they are.
    moved = {key: dict(values) for key, values in totals.items() if key[0] in (previous_cut_off, as_of)}
    selectors.carry_moves(
        moved,
        before=previous_cut_off,
        end=as_of,
        user=user,
        federation=federation,
        key="sector_id",
        organised=organised,
    )
    movements = selectors.Movements.between(
        selectors.totals_on(previous_cut_off, moved), selectors.totals_on(as_of, moved)
    )
    period_start = previous_cut_off + timedelta(days=1)
    meeting_figures = selectors.meeting_figures(
        start=period_start, end=as_of, user=user, sectors=sectors, federation=federation
    )
    held = meeting_figures.by_kind
    tasks = selectors.overdue_tasks(as_of=as_of, user=user, federation=federation)
    overdue_tasks = []
    if user.is_district_staff or user.is_superuser:
        overdue_tasks = list(tasks.select_related("owner", "meeting").order_by("due_on", "pk")[:OVERDUE_SAMPLE])
    return Overview(
        as_of=as_of,
        previous_cut_off=previous_cut_off,
        summary=summary,
        previous=selectors.summary_of(previous_cut_off, federation, totals, sectors),
        trend=selectors.trend_of(days, totals),
        movements=movements,
        meetings=[(str(label), held.get(kind, 0)) for kind, label in Meeting.Kind.choices],
        meeting_figures=meeting_figures,
        overdue_task_count=tasks.count(),
        overdue_tasks=overdue_tasks,
        attention=attention_items(user, federation, as_of, organised),
        report=district_report_text(summary),
        subordinates=subordinates_of(user, federation, as_of, organised),
    )


def subordinates_of(
    user: User, federation, as_of: date, organised: selectors.Organised = selectors.Organised.THEN
) -> list:
    """Per federation below ``federation``, when it holds any (a city's wards …); else nothing to show."""
    # The sign-in backend already knows whether the reader's federation is a leaf: no query then.
    if federation is None or leaf_federation_id(user) == federation.pk or not federation.children.exists():
        return []
    return selectors.figures_by_subordinate(as_of=as_of, user=user, federation=federation, organised=organised)
