"""The 2025 reorganisation played on the synthetic city (issue 16, part 8).

The demo district's story (apps.demo.district) at city scale, through the same services the
admin's pages call: on 15/06/2025 each district federation dissolves the CĐCS of its units
paid wholly by the state (the public-service sector); on 01/07/2025 the city federation ends
the district federation and hands its active CĐCS to ward unions it founded that day under
itself. The district's staff account moves to the city; each ward union gets one.

The generator founds CĐCS until about a year before today, some of them after 01/07/2025
under a district that had ended by then. Such a CĐCS is founded in its ward union instead
(its first period, not a move): nothing is founded under a body that no longer exists.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import QuerySet

from apps.accounts.models import User
from apps.core.history import bulk_update_recorded, recorded_as
from apps.demo.district import (
    DISTRICT_ENDED_ON,
    STATE_FUNDED_DISSOLUTION_SUMMARY,
    WARDS_FOUNDED_ON,
    dissolve_state_funded,
)
from apps.unions.models import Decision, Federation, GrassrootsUnion, UnionAffiliation
from apps.unions.services import Reorganised, federation_reorganise

# Hà Nội's 30 districts became 126 wards and communes: about four each.
WARDS_PER_DISTRICT = 4
HISTORY_REASON = "generate_synthetic --reorganise"
CITY_ISSUER = "Ban Thường vụ Liên đoàn Lao động thành phố Hà Nội"


@dataclass(frozen=True)
class Played:
    """What the reorganisation of one district did, and what each step cost."""

    district: str
    dissolved: int
    founded_in_wards: int
    moved: int
    wards: int
    dissolve_seconds: float
    reorganise_seconds: float


def districts_to_reorganise(city: Federation) -> QuerySet[Federation]:
    """The district federations under ``city`` still running on the day they end."""
    return Federation.objects.filter(parent=city, kind=Federation.Kind.DISTRICT).not_ended(on=DISTRICT_ENDED_ON)


def ward_unions_of(district: Federation) -> list[Federation]:
    """Found the ward unions taking ``district``'s CĐCS (codes ``<district>-P1`` …), each with a staff account."""
    decision, _ = Decision.objects.get_or_create(
        issuer=CITY_ISSUER,
        number="1568/QĐ-LĐLĐ",
        signed_on=date(2025, 6, 26),
        defaults={"summary": "Thành lập công đoàn các phường, xã từ ngày 01/07/2025."},
    )
    # "Liên đoàn Lao động quận Ba Đình" → "phường Ba Đình 1"; a rural district's are communes.
    local = district.name.removeprefix("Liên đoàn Lao động ")
    place, kind = local, "phường"
    for prefix, ward_kind in (("quận ", "phường"), ("thị xã ", "phường"), ("huyện ", "xã")):
        if local.startswith(prefix):
            place, kind = local.removeprefix(prefix), ward_kind
            break
    wards = []
    for number in range(1, WARDS_PER_DISTRICT + 1):
        ward = Federation.objects.create(
            code=f"{district.code}-P{number}",
            name=f"Công đoàn {kind} {place} {number}",
            kind=Federation.Kind.COMMUNE,
            parent=district.parent,
            founded_on=WARDS_FOUNDED_ON,
            founding_decision=decision,
        )
        user = User(
            username=f"{ward.code.lower()}-canbo",
            role=User.Role.DISTRICT_STAFF,
            federation=ward,
            is_staff=True,
            last_name="Cán bộ",
            first_name=ward.name.removeprefix("Công đoàn "),
        )
        user.set_unusable_password()
        user.save()
        wards.append(ward)
    return wards


def ward_of(union_id: int, wards: list[Federation]) -> Federation:
    # The synthetic addresses name no ward: CĐCS are dealt out by id, evenly and reproducibly.
    return wards[union_id % len(wards)]


def found_late_unions_in_wards(district: Federation, wards: list[Federation]) -> int:
    """CĐCS founded on or after the district's end are founded in their ward union; how many."""
    late = list(GrassrootsUnion.objects.filter(federation=district, established_on__gte=DISTRICT_ENDED_ON))
    if not late:
        return 0
    periods = {period.union_id: period for period in UnionAffiliation.objects.filter(union__in=late)}
    for union in late:
        union.federation = periods[union.pk].federation = ward_of(union.pk, wards)
    UnionAffiliation.objects.bulk_update(periods.values(), ["federation"])
    with recorded_as(HISTORY_REASON):
        bulk_update_recorded(GrassrootsUnion, late, ["federation"])
    return len(late)


def dissolve_state_funded_unions(district: Federation) -> int:
    """The district's own decision dissolving its state-funded CĐCS (``dissolve_state_funded``); how many."""
    decision, _ = Decision.objects.get_or_create(
        issuer=f"Ban Thường vụ {district.name}",
        number="86/QĐ-LĐLĐ",
        signed_on=date(2025, 6, 10),
        defaults={"summary": STATE_FUNDED_DISSOLUTION_SUMMARY},
    )
    return dissolve_state_funded(district, decision)


def reorganise(district: Federation, wards: list[Federation]) -> Reorganised:
    """End ``district`` on 01/07/2025 and hand its active CĐCS to ``wards`` (``federation_reorganise``)."""
    decision, _ = Decision.objects.get_or_create(
        issuer=CITY_ISSUER,
        number="1571/QĐ-LĐLĐ",
        signed_on=date(2025, 6, 27),
        defaults={"summary": "Kết thúc hoạt động của các liên đoàn lao động quận, huyện, thị xã từ ngày 01/07/2025."},
    )
    active = GrassrootsUnion.objects.filter(federation=district, status=GrassrootsUnion.Status.ACTIVE)
    return federation_reorganise(
        federation=district,
        on=DISTRICT_ENDED_ON,
        decision=decision,
        successors={union: ward_of(union.pk, wards) for union in active},
        accounts_to=district.parent,
        by=None,
    )


def play_district(district: Federation) -> Played:
    """The whole story for one district, in one transaction."""
    with transaction.atomic():
        wards = ward_unions_of(district)
        founded = found_late_unions_in_wards(district, wards)
        started = time.monotonic()
        dissolved = dissolve_state_funded_unions(district)
        dissolve_seconds = time.monotonic() - started
        started = time.monotonic()
        done = reorganise(district, wards)
        reorganise_seconds = time.monotonic() - started
    return Played(
        district=district.code,
        dissolved=dissolved,
        founded_in_wards=founded,
        moved=done.unions,
        wards=len(wards),
        dissolve_seconds=dissolve_seconds,
        reorganise_seconds=reorganise_seconds,
    )


def play(districts: Iterable[Federation], *, progress: Callable[[Played], None] = lambda played: None) -> list[Played]:
    """Play the story for each of ``districts``, one transaction each (a failure keeps those done before)."""
    played = []
    for district in districts:
        played.append(play_district(district))
        progress(played[-1])
    return played
