"""Everything the dashboard shows for one user and date, gathered once for the page, the JSON and the sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from apps.accounts.models import User
from apps.dashboard import selectors
from apps.dashboard.report import district_report_text
from apps.meetings.models import Meeting

ATTENTION_SAMPLE = 10
TREND_CUT_OFFS = 6


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
    attention: list[AttentionItem]
    report: str

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


def build_overview(user: User, as_of: date) -> Overview:
    """All dashboard figures for ``user`` as of ``as_of``; a fixed number of queries whatever the data's size."""
    federation = federation_of(user)
    previous_cut_off = selectors.cut_offs_before(as_of, 1)[0]
    summary = selectors.district_summary(as_of=as_of, user=user, federation=federation)
    previous = selectors.district_summary(as_of=previous_cut_off, user=user, federation=federation)
    trend_days = [*reversed(selectors.cut_offs_before(as_of, TREND_CUT_OFFS)), as_of]
    period_start = previous_cut_off + timedelta(days=1)
    movements = selectors.membership_movements(start=period_start, end=as_of, user=user, federation=federation)
    held = selectors.meetings_by_kind(start=period_start, end=as_of, user=user, federation=federation)
    unions = selectors.per_union_figures(as_of=as_of, user=user, federation=federation)
    attention = []
    for code in selectors.ATTENTION_CHECKS:
        failing = selectors.unions_needing_attention(unions, code, as_of).order_by("name")
        attention.append(
            AttentionItem(code, selectors.attention_label(code), failing.count(), list(failing[:ATTENTION_SAMPLE]))
        )
    quiet_groups = selectors.groups_without_recent_meeting(as_of=as_of, user=user).select_related("union")
    attention.append(
        AttentionItem(
            "quiet_groups",
            selectors.quiet_groups_label(),
            quiet_groups.count(),
            list(quiet_groups.order_by("union__name", "name")[:ATTENTION_SAMPLE]),
        )
    )
    return Overview(
        as_of=as_of,
        previous_cut_off=previous_cut_off,
        summary=summary,
        previous=previous,
        trend=selectors.membership_trend(days=trend_days, user=user, federation=federation),
        movements=movements.get(None, selectors.Movements()),
        meetings=[(str(label), held.get(kind, 0)) for kind, label in Meeting.Kind.choices],
        attention=attention,
        report=district_report_text(summary),
    )
