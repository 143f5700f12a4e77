"""Read-only figures for dashboards and the periodic report, all as of a date and from history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from apps.accounts.scoping import ScopedQuerySet
from apps.core.formatting import ratio_percent
from apps.meetings.models import Meeting
from apps.members.models import MembershipPeriod, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import DepartmentUnion, Federation, GrassrootsUnion, Sector, WorkforceDeclaration
from apps.unions.querysets import count_per_union

if TYPE_CHECKING:
    from apps.accounts.models import User


class MembershipRatios:
    """The two ratios every figure set reports, from its members/workers fields."""

    members: int
    workers: int
    female_members: int
    female_workers: int

    @property
    def membership_ratio(self) -> Decimal | None:
        """Members per hundred workers (tỷ lệ đoàn viên/NLĐ), one decimal; None without workers."""
        return ratio_percent(self.members, self.workers)

    @property
    def female_membership_ratio(self) -> Decimal | None:
        """Female members per hundred female workers, one decimal; None without female workers."""
        return ratio_percent(self.female_members, self.female_workers)


@dataclass(frozen=True)
class SectorFigures(MembershipRatios):
    """The unions of one sector and their members against their workforce."""

    sector: Sector
    unions: int
    members: int
    workers: int
    female_members: int
    female_workers: int
    unions_with_groups: int
    unions_with_department_unions: int
    groups: int


@dataclass(frozen=True)
class DistrictSummary(MembershipRatios):
    """The district's organisation and membership figures as of one date."""

    as_of: date
    federation: Federation | None
    unions_by_sector: list[SectorFigures]
    unions: int
    members: int
    workers: int
    female_members: int
    female_workers: int
    unions_with_groups: int
    unions_with_department_unions: int
    groups: int


ScopedQS = TypeVar("ScopedQS", bound=ScopedQuerySet)


def _scoped(queryset: ScopedQS, user: User | None) -> ScopedQS:
    # user=None means "no person to scope to" (commands, reports), not "anonymous".
    return queryset if user is None else queryset.visible_to(user)


def counted_unions(
    *, as_of: date, user: User | None = None, federation: Federation | None = None, sector: Sector | None = None
) -> models.QuerySet[GrassrootsUnion]:
    """The unions that existed on ``as_of``, in ``user``'s scope, of ``federation`` (and its districts)."""
    unions = _scoped(GrassrootsUnion.objects.as_of(as_of), user)
    if federation is not None:
        unions = unions.filter(models.Q(federation_id=federation.pk) | models.Q(federation__parent_id=federation.pk))
    if sector is not None:
        unions = unions.filter(sector=sector)
    return unions


def per_union_figures(
    *, as_of: date, user: User | None = None, federation: Federation | None = None, sector: Sector | None = None
) -> models.QuerySet[GrassrootsUnion]:
    """Unions as of a date annotated with member_count, female_member_count, workers, female_workers (one query)."""
    return counted_unions(as_of=as_of, user=user, federation=federation, sector=sector).with_figures(as_of)


def district_summary(*, as_of: date, user: User | None = None, federation: Federation | None = None) -> DistrictSummary:
    """Unions, members, workforce and groups as of ``as_of``, per sector and in all (three queries)."""
    unions = counted_unions(as_of=as_of, user=user, federation=federation)
    groups = _scoped(UnionGroup.objects.as_of(as_of), user)
    department_unions = _scoped(DepartmentUnion.objects.as_of(as_of), user)
    union_figures = (
        unions.with_workforce_as_of(as_of)
        .annotate(group_count=count_per_union(groups))
        .order_by()
        .values("sector_id")
        .annotate(
            unions=Count("pk"),
            workers_sum=Sum("workers"),
            female_workers_sum=Sum("female_workers"),
            groups=Sum("group_count"),
            unions_with_groups=Count("pk", filter=Exists(groups.filter(union=OuterRef("pk")))),
            unions_with_department_unions=Count("pk", filter=Exists(department_unions.filter(union=OuterRef("pk")))),
        )
    )
    union_rows = {row["sector_id"]: row for row in union_figures}
    # Members in one pass over the periods rather than one subquery per union (as in
    # per_union_figures): same figures, several times faster at city scale.
    member_rows = (
        _scoped(MembershipPeriod.objects.as_of(as_of), user)
        .filter(union__in=unions.values("pk"))
        .order_by()
        .values("union__sector_id")
        .annotate(members=Count("pk"), female_members=Count("pk", filter=models.Q(member__gender="female")))
    )
    no_members = {"members": 0, "female_members": 0}
    members_by_sector = {row["union__sector_id"]: row for row in member_rows}
    unions_by_sector: list[SectorFigures] = []
    # Sectors are a short lookup list: reading it whole keeps the query count fixed.
    for sector in Sector.objects.ordered():
        if (row := union_rows.get(sector.pk)) is None:
            continue
        counted = members_by_sector.get(sector.pk, no_members)
        unions_by_sector.append(
            SectorFigures(
                sector=sector,
                unions=row["unions"],
                members=counted["members"],
                workers=row["workers_sum"],
                female_members=counted["female_members"],
                female_workers=row["female_workers_sum"],
                unions_with_groups=row["unions_with_groups"],
                unions_with_department_unions=row["unions_with_department_unions"],
                groups=row["groups"],
            )
        )

    def total(field: str) -> int:
        return sum(getattr(figures, field) for figures in unions_by_sector)

    return DistrictSummary(
        as_of=as_of,
        federation=federation,
        unions_by_sector=unions_by_sector,
        unions=total("unions"),
        members=total("members"),
        workers=total("workers"),
        female_members=total("female_members"),
        female_workers=total("female_workers"),
        unions_with_groups=total("unions_with_groups"),
        unions_with_department_unions=total("unions_with_department_unions"),
        groups=total("groups"),
    )


@dataclass(frozen=True)
class Movements:
    """Members who joined, transferred in, transferred out or left during a period."""

    joined: int = 0
    transferred_in: int = 0
    transferred_out: int = 0
    left: int = 0

    @property
    def net_change(self) -> int:
        """Members gained minus members lost."""
        return self.joined + self.transferred_in - self.transferred_out - self.left


MOVEMENT_GROUPINGS = {
    None: None,
    "sector": "union__sector_id",
    "union": "union_id",
    "federation": "union__federation_id",
}


def membership_movements(
    *, start: date, end: date, user: User | None = None, federation: Federation | None = None, by: str | None = None
) -> dict[int | None, Movements]:
    """Joins, transfers in and out, and leaves dated within [start, end], read from the periods (two queries).

    A period that begins the day another of the same member's periods ends in another
    union is a transfer; in the same union it is a group move and not counted.
    """
    key = MOVEMENT_GROUPINGS[by]
    periods = _scoped(MembershipPeriod.objects.all(), user)
    if federation is not None:
        periods = periods.filter(
            models.Q(union__federation_id=federation.pk) | models.Q(union__federation__parent_id=federation.pk)
        )
    all_periods = MembershipPeriod.objects.filter(member=OuterRef("member"))
    other_union = models.Q(union=OuterRef("union"))

    starts = periods.filter(started_on__gte=start, started_on__lte=end).annotate(
        after_other=Exists(all_periods.filter(ended_on=OuterRef("started_on")).exclude(other_union)),
        after_same=Exists(all_periods.filter(other_union, ended_on=OuterRef("started_on"))),
    )
    ends = periods.filter(ended_on__gte=start, ended_on__lte=end).annotate(
        before_other=Exists(all_periods.filter(started_on=OuterRef("ended_on")).exclude(other_union)),
        before_same=Exists(all_periods.filter(other_union, started_on=OuterRef("ended_on"))),
    )
    start_counts = {
        "joined": Count("pk", filter=models.Q(after_other=False, after_same=False)),
        "transferred_in": Count("pk", filter=models.Q(after_other=True)),
    }
    end_counts = {
        "transferred_out": Count("pk", filter=models.Q(before_other=True)),
        "left": Count("pk", filter=models.Q(before_other=False, before_same=False)),
    }
    if key:
        start_rows = {row[key]: row for row in starts.order_by().values(key).annotate(**start_counts)}
        end_rows = {row[key]: row for row in ends.order_by().values(key).annotate(**end_counts)}
    else:
        start_rows = {None: starts.aggregate(**start_counts)}
        end_rows = {None: ends.aggregate(**end_counts)}
    result = {}
    for group in start_rows.keys() | end_rows.keys():
        began, finished = start_rows.get(group, {}), end_rows.get(group, {})
        result[group] = Movements(
            joined=began.get("joined", 0),
            transferred_in=began.get("transferred_in", 0),
            transferred_out=finished.get("transferred_out", 0),
            left=finished.get("left", 0),
        )
    return result


# Charter checks (điều lệ): shown as warnings where data is entered and listed as "needs attention".
MINIMUM_MEMBERS = 5
# Below this membership ratio (members per hundred workers) a union needs the federation's attention.
RATIO_THRESHOLD = 80
DECLARATION_MAX_AGE_DAYS = 365


def _groups_without_leader(day: date) -> models.QuerySet[UnionGroup]:
    leaders = UnionOfficial.objects.as_of(day).filter(group=OuterRef("pk"), role=UnionOfficial.Role.GROUP_LEADER)
    return UnionGroup.objects.as_of(day).exclude(Exists(leaders))


def _latest_declaration_on(day: date) -> Subquery:
    declarations = WorkforceDeclaration.objects.filter(union=OuterRef("pk"), as_of__lte=day).order_by("-as_of")
    return Subquery(declarations.values("as_of")[:1])


def _stale_workforce(unions, day: date):
    too_old = day - timedelta(days=DECLARATION_MAX_AGE_DAYS)
    return unions.annotate(declared_on=_latest_declaration_on(day)).filter(
        models.Q(declared_on__isnull=True) | models.Q(declared_on__lt=too_old)
    )


# code -> (predicate on unions annotated by with_figures(day), label computed in the active language)
ATTENTION_CHECKS = {
    "low_ratio": (
        lambda unions, day: unions.filter(workers__gt=0, member_count__lt=models.F("workers") * RATIO_THRESHOLD / 100),
        lambda: gettext("membership ratio below %(n)s %%") % {"n": RATIO_THRESHOLD},
    ),
    "few_members": (
        lambda unions, day: unions.filter(member_count__lt=MINIMUM_MEMBERS),
        lambda: gettext("fewer than %(n)s members") % {"n": MINIMUM_MEMBERS},
    ),
    "more_members_than_workers": (
        lambda unions, day: unions.filter(member_count__gt=models.F("workers")),
        lambda: gettext("more members than declared workers"),
    ),
    "stale_workforce": (
        _stale_workforce,
        lambda: gettext("workforce declaration missing or older than a year"),
    ),
    "group_without_leader": (
        lambda unions, day: unions.filter(Exists(_groups_without_leader(day).filter(union=OuterRef("pk")))),
        lambda: gettext("a union group without a leader"),
    ),
}


def attention_label(check: str) -> str:
    """What the charter check ``check`` flags, in the active language."""
    return ATTENTION_CHECKS[check][1]()


def unions_needing_attention(unions: models.QuerySet[GrassrootsUnion], check: str, day: date):
    """``unions`` (already annotated by ``with_figures(day)``) that fail the charter check ``check``."""
    return ATTENTION_CHECKS[check][0](unions, day)


def union_warnings(union: GrassrootsUnion, day: date) -> list[str]:
    """The charter checks one union fails on ``day``, as sentences for the person entering its data (one query)."""
    checked = GrassrootsUnion.objects.filter(pk=union.pk).with_figures(day)
    flags = {
        code: Exists(unions_needing_attention(checked, code, day).filter(pk=OuterRef("pk")))
        for code in ATTENTION_CHECKS
    }
    row = checked.annotate(**flags).values(*flags).first() or {}
    return [attention_label(code) for code, failed in row.items() if failed]


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


def cut_offs_of_year(day: date) -> list[date]:
    """This year's reporting cut-offs, for one-click links."""
    return [date(day.year, month, dom) for month, dom in CUT_OFFS]


@dataclass(frozen=True)
class TrendPoint:
    """Members and workers on one date."""

    day: date
    members: int
    workers: int
    female_members: int
    female_workers: int

    @property
    def membership_ratio(self) -> Decimal | None:
        return ratio_percent(self.members, self.workers)


def membership_trend(
    *, days: list[date], user: User | None = None, federation: Federation | None = None
) -> list[TrendPoint]:
    """Members and workers on each of ``days`` (two queries whatever the number of days or rows)."""
    unions = counted_unions(as_of=max(days), user=user, federation=federation)
    periods = _scoped(MembershipPeriod.objects.filter(union__in=unions.values("pk")), user)
    member_counts = periods.aggregate(
        **{
            f"m{index}": Count(
                "pk",
                filter=models.Q(started_on__lte=day) & (models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day)),
            )
            for index, day in enumerate(days)
        },
        **{
            f"f{index}": Count(
                "pk",
                filter=models.Q(member__gender="female", started_on__lte=day)
                & (models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=day)),
            )
            for index, day in enumerate(days)
        },
    )
    workforce = {}
    for index, day in enumerate(days):
        latest = WorkforceDeclaration.objects.filter(union=OuterRef("pk"), as_of__lte=day).order_by("-as_of")
        workforce[f"w{index}"] = Subquery(latest.values("total_workers")[:1])
        workforce[f"fw{index}"] = Subquery(latest.values("female_workers")[:1])
    annotated = unions.annotate(**workforce)
    worker_sums = annotated.aggregate(**{f"sum_{name}": Sum(name) for name in workforce})
    return [
        TrendPoint(
            day=day,
            members=member_counts[f"m{index}"],
            female_members=member_counts[f"f{index}"],
            workers=worker_sums[f"sum_w{index}"] or 0,
            female_workers=worker_sums[f"sum_fw{index}"] or 0,
        )
        for index, day in enumerate(days)
    ]


def meetings_by_kind(
    *, start: date, end: date, user: User | None = None, federation: Federation | None = None
) -> dict[str, int]:
    """Meetings held in [start, end] per kind (one query)."""
    meetings = _scoped(Meeting.objects.held_between(start, end), user)
    if federation is not None:
        meetings = meetings.filter(
            models.Q(federation_id=federation.pk) | models.Q(federation__parent_id=federation.pk)
        )
    return dict(meetings.order_by().values_list("kind").annotate(n=Count("pk")))


def groups_without_recent_meeting(
    *, as_of: date, user: User | None = None, days: int = 92
) -> models.QuerySet[UnionGroup]:
    """Groups that existed on ``as_of`` with no group meeting recorded in the ``days`` before it (a quarter)."""
    recent = Meeting.objects.filter(group=OuterRef("pk"), held_on__gt=as_of - timedelta(days=days), held_on__lte=as_of)
    return _scoped(UnionGroup.objects.as_of(as_of), user).exclude(Exists(recent))


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
    return gettext("union groups with no meeting recorded in the last quarter")
