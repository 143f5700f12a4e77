"""Read-only figures for dashboards and the periodic report, all as of a date and from history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.db.models import Count, Exists, OuterRef, Sum

from apps.accounts.scoping import ScopedQuerySet
from apps.core.formatting import ratio_percent
from apps.members.models import MembershipPeriod
from apps.union_groups.models import UnionGroup
from apps.unions.models import DepartmentUnion, Federation, GrassrootsUnion, Sector
from apps.unions.querysets import count_per_union

if TYPE_CHECKING:
    from apps.accounts.models import User


@dataclass(frozen=True)
class SectorFigures:
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

    @property
    def membership_ratio(self) -> Decimal | None:
        """Members per hundred workers in this sector, one decimal; None without workers."""
        return ratio_percent(self.members, self.workers)

    @property
    def female_membership_ratio(self) -> Decimal | None:
        """Female members per hundred female workers in this sector; None without female workers."""
        return ratio_percent(self.female_members, self.female_workers)


@dataclass(frozen=True)
class DistrictSummary:
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

    @property
    def membership_ratio(self) -> Decimal | None:
        """Members per hundred workers (tỷ lệ đoàn viên/NLĐ), one decimal; None without workers."""
        return ratio_percent(self.members, self.workers)

    @property
    def female_membership_ratio(self) -> Decimal | None:
        """Female members per hundred female workers, one decimal; None without female workers."""
        return ratio_percent(self.female_members, self.female_workers)


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
