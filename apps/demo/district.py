"""The reference demo district: LĐLĐ quận Tây Hồ as its July 2021 report describes it.

``plan_district()`` draws the whole district in memory from a fixed seed, so every run
gives the same people, units and dates; ``seed_demo_district()`` writes it in one
transaction. The reference figures of DESIGN.md hold exactly, as of ``REFERENCE_DAY``
and as of any later day until the district federation ends on 01/07/2025: every date is on or
before it and no period ends. Then the city's reorganisation moves its CĐCS to ward unions
(``_reorganise``, through the portal's own service), and what the Trade Union Law 2024 brought
(apps.demo.law_2024) comes in two CĐCS founded after it, under their ward unions.
"""

from __future__ import annotations

import random
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone, translation

from apps.accounts.models import User
from apps.core.db import reserve_ids
from apps.core.formatting import format_number, format_ratio
from apps.core.history import bulk_create_recorded, recorded_as
from apps.core.text import fold, normalize_name
from apps.demo import names
from apps.demo.drawing import Picker, day_between, landline, mobile_phone, national_id_prefix, years_after
from apps.demo.law_2024 import load_law_2024_unions
from apps.demo.meetings import DemoMeetings, FederationOfficials, Host, UnionToMeet, load_meetings
from apps.meetings.models import Attendance, FollowUpTask, Meeting
from apps.members.models import Gender, Member, MembershipPeriod, UnionOfficial
from apps.members.services import card_number, unions_dissolve
from apps.union_groups.models import UnionGroup
from apps.unions.models import (
    Decision,
    DepartmentUnion,
    Federation,
    GrassrootsUnion,
    Sector,
    UnionAffiliation,
    WorkforceDeclaration,
)
from apps.unions.sectors import NON_STATE_ENTERPRISES, PUBLIC_SCHOOLS, PUBLIC_SERVICE
from apps.unions.services import federation_reorganise

SEED = 20210709
# Published in the README: the demo accounts are for trying the portal, never for real data.
DEMO_PASSWORD = "CongDoan@2021"
REFERENCE_DAY = date(2021, 7, 9)
# Nothing in the demo happens after the federation's mid-year report.
LAST_DAY = date(2021, 6, 30)

CITY_CODE = "HN"
CITY_NAME = "Liên đoàn Lao động thành phố Hà Nội"
DISTRICT_CODE = "TH"
DISTRICT_NAME = "Liên đoàn Lao động quận Tây Hồ"
DISTRICT_ADDRESS = "Số 6 Đặng Thai Mai, phường Quảng An, quận Tây Hồ, Hà Nội"
# Quận Tây Hồ, and its federation with it, came into being on 01/01/1996 (Nghị định 69/CP).
DISTRICT_FOUNDED_ON = date(1996, 1, 1)

# The 2025 reorganisation: the city federation founded ward unions from 01/07/2025 and ended the
# district federation that day (its last day 30/06/2025); its CĐCS went to the ward unions, each
# by the ward of its address. The decisions' numbers are the demo's.
WARDS_DECISION = {
    "number": "1568/QĐ-LĐLĐ",
    "signed_on": date(2025, 6, 26),
    "issuer": "Ban Thường vụ Liên đoàn Lao động thành phố Hà Nội",
    "summary": "Thành lập công đoàn các phường, xã thuộc Liên đoàn Lao động thành phố Hà Nội từ ngày 01/07/2025.",
}
WARDS_FOUNDED_ON = date(2025, 7, 1)
WARD_UNIONS = (
    ("P-TAYHO", "Công đoàn phường Tây Hồ", "Số 6 Đặng Thai Mai, phường Tây Hồ, Hà Nội"),
    ("P-PHUTHUONG", "Công đoàn phường Phú Thượng", "Số 1 An Dương Vương, phường Phú Thượng, Hà Nội"),
    ("P-HONGHA", "Công đoàn phường Hồng Hà", "Số 2 Yên Phụ, phường Hồng Hà, Hà Nội"),
    ("P-XUANDINH", "Công đoàn phường Xuân Đỉnh", "Số 52 Xuân La, phường Xuân Đỉnh, Hà Nội"),
)
DISTRICT_ENDED_ON = WARDS_FOUNDED_ON
DISTRICT_ENDING_DECISION = {
    "number": "1571/QĐ-LĐLĐ",
    "signed_on": date(2025, 6, 27),
    "issuer": "Ban Thường vụ Liên đoàn Lao động thành phố Hà Nội",
    "summary": (
        "Kết thúc hoạt động của Liên đoàn Lao động quận Tây Hồ từ ngày 01/07/2025; chuyển các công đoàn cơ sở "
        "trực thuộc về công đoàn các phường Tây Hồ, Phú Thượng, Hồng Hà và Xuân Đỉnh."
    ),
}
# The CĐCS of units paid wholly by the state budget (the public-service sector) were dissolved on
# 15/06/2025, each by its district federation, and their people stopped being members that day.
STATE_FUNDED_DISSOLVED_ON = date(2025, 6, 15)
STATE_FUNDED_DISSOLUTION_SUMMARY = (
    "Giải thể công đoàn cơ sở các đơn vị do ngân sách nhà nước bảo đảm toàn bộ chi thường xuyên từ ngày 15/06/2025."
)
STATE_FUNDED_DISSOLUTION_DECISION = {
    "number": "86/QĐ-LĐLĐ",
    "signed_on": date(2025, 6, 10),
    "issuer": "Ban Thường vụ Liên đoàn Lao động quận Tây Hồ",
    "summary": STATE_FUNDED_DISSOLUTION_SUMMARY,
}
# Which ward union took the CĐCS of each old ward (names.WARDS). The real 2025 boundaries cut
# some old wards in two; the demo sends each old ward whole to the new ward that took most of it.
WARD_UNION_OF_OLD_WARD = {
    "Bưởi": "P-TAYHO",
    "Thụy Khuê": "P-TAYHO",
    "Quảng An": "P-TAYHO",
    "Yên Phụ": "P-HONGHA",
    "Tứ Liên": "P-HONGHA",
    "Nhật Tân": "P-PHUTHUONG",
    "Phú Thượng": "P-PHUTHUONG",
    "Xuân La": "P-XUANDINH",
    # Addresses written since 01/07/2025 name the new wards.
    "Tây Hồ": "P-TAYHO",
    "Hồng Hà": "P-HONGHA",
    "Xuân Đỉnh": "P-XUANDINH",
}
# A CĐCS whose address names no old ward goes where the district federation sat.
SEAT_WARD_UNION = "P-TAYHO"
# The ward union whose staff account the demo has (canbo_phuong).
DEMO_WARD_UNION = "P-PHUTHUONG"
_OLD_WARD = re.compile(r"phường ([^,]+),")


def ward_union_code(address: str) -> str:
    """The code of the ward union that took a CĐCS of the district at ``address``."""
    found = _OLD_WARD.search(address)
    return WARD_UNION_OF_OLD_WARD.get(found.group(1).strip(), SEAT_WARD_UNION) if found else SEAT_WARD_UNION


HCSN, SCHOOLS, ENTERPRISES = PUBLIC_SERVICE, PUBLIC_SCHOOLS, NON_STATE_ENTERPRISES

# The reference figures (DESIGN.md).
UNIONS_PER_SECTOR = {HCSN: 25, SCHOOLS: 80, ENTERPRISES: 230}
WORKERS = 14_327
FEMALE_WORKERS = 8_538
MEMBERS = 13_734
FEMALE_MEMBERS = 8_072
UNIONS_WITH_GROUPS = 265
UNIONS_WITH_DEPARTMENTS = 2
GROUPS = 835

# How the workforce splits across sectors, (workers, female workers). Not in the report:
# chosen so that schools are mostly women and enterprises about half.
SECTOR_WORKFORCE = {HCSN: (905, 508), SCHOOLS: (4_770, 3_812), ENTERPRISES: (8_652, 4_218)}
# Of the unions with groups, how many in each sector; the rest are the smallest units.
UNIONS_WITH_GROUPS_PER_SECTOR = {HCSN: 20, SCHOOLS: 80, ENTERPRISES: 165}

FEDERATION_CHAIR = "Trần Thị Minh Thu"
FEDERATION_VICE_CHAIRS = ("Lê Đức Thắng", "Phạm Thị Hồng Vân")
FEDERATION_STAFF = "Đỗ Thùy Linh"
WARD_UNION_STAFF = "Nguyễn Thị Phương Thảo"
# The demo ward union (DEMO_WARD_UNION) holds its own meetings from its founding on 01/07/2025.
WARD_UNION_CHAIR = "Lương Văn Hòa"
WARD_UNION_VICE_CHAIRS = ("Đinh Thị Thu Hà",)
WARD_UNION_HALL = "Hội trường Ủy ban nhân dân phường Phú Thượng"
WARD_UNION_COMMITTEE = 11
FEDERATION_HALL = "Hội trường Liên đoàn Lao động quận Tây Hồ"
FEDERATION_COMMITTEE = 21
SYSTEM_ADMIN = "Vũ Minh Tuấn"

SEMINAR_TITLE = "Nâng cao chất lượng hoạt động Tổ Công đoàn cơ sở"
# The enterprise sector's seminars of 2021 before the one of 09/07/2021, its third.
EARLIER_SEMINARS = (
    (date(2021, 3, 18), "Vai trò của công đoàn cơ sở trong đối thoại tại nơi làm việc"),
    (date(2021, 5, 20), "Chăm lo đời sống đoàn viên, người lao động trong dịch COVID-19"),
)
SEMINAR_PARTICIPANTS = 36
# The chairs of invited CĐCS who could not come, and why.
SEMINAR_ABSENCE_REASONS = (
    "Doanh nghiệp có đoàn kiểm tra phòng, chống dịch",
    "Đi công tác tỉnh",
    "Ốm, đã cử tổ trưởng dự thay",
)
SEMINAR_DISCUSSION = (
    "Tổ trưởng công đoàn của các CĐCS tham luận về cách tổ chức sinh hoạt tổ ngắn gọn, gắn với ca sản xuất; "
    "về sinh hoạt trực tuyến qua nhóm tin nhắn khi doanh nghiệp hạn chế tập trung đông người vì dịch COVID-19; "
    "về kinh nghiệm vận động người lao động mới tuyển dụng gia nhập công đoàn ngay tại tổ. Các ý kiến đề nghị "
    "LĐLĐ quận sớm tập huấn nghiệp vụ cho tổ trưởng và có sổ tay hướng dẫn sinh hoạt tổ."
)
# The seminar's follow-up, owned by the district staff account: (task, due, done).
SEMINAR_TASKS = (
    (
        "Xây dựng kế hoạch tập huấn nghiệp vụ cho tổ trưởng công đoàn quý IV/2021; "
        "biên soạn sổ tay hướng dẫn sinh hoạt tổ",
        date(2021, 9, 15),
        date(2021, 9, 10),
    ),
    (
        "Theo dõi, đôn đốc các CĐCS khối doanh nghiệp rà soát, kiện toàn tổ công đoàn và tổ trưởng; "
        "tổng hợp kết quả báo cáo Thường trực LĐLĐ quận",
        date(2021, 10, 15),
        date(2021, 10, 12),
    ),
)
# Open tasks of the latest executive committee meetings, the ward union's for canbo_phuong and their
# CĐCS's for chutich1: (task, days from the seeding day to its due date; a negative count is overdue).
FEDERATION_COMMITTEE_TASKS = (
    ("Tổng hợp danh sách tổ công đoàn chưa sinh hoạt trong quý, gửi Thường trực Công đoàn phường", -12),
    ("Chuẩn bị báo cáo tổng kết công tác công đoàn năm, gửi các đồng chí Ủy viên BCH góp ý", 10),
)
UNION_COMMITTEE_TASKS = (
    ("Kiện toàn tổ trưởng các tổ công đoàn còn khuyết", -3),
    ("Lập danh sách đoàn viên có hoàn cảnh khó khăn đề nghị hỗ trợ dịp Tết", 7),
)

# Kinds of unit, each with its workers (low, high, typical) and share of women.
KIND_SIZES = {
    "ward-office": (28, 55, 40, 0.50),
    "health-station": (10, 18, 13, 0.72),
    "district-unit": (20, 60, 45, 0.55),
    "kindergarten": (30, 65, 47, 0.96),
    "primary": (40, 85, 62, 0.84),
    "secondary": (45, 90, 67, 0.74),
}
MAX_GROUPS = {
    "ward-office": len(names.WARD_OFFICE_GROUPS),
    "health-station": len(names.HEALTH_STATION_GROUPS),
    "district-unit": len(names.DISTRICT_UNIT_GROUPS),
    "kindergarten": max(names.KINDERGARTEN_GROUPS),
    "primary": max(names.PRIMARY_GROUPS),
    "secondary": max(names.SECONDARY_GROUPS),
}
SCHOOL_KINDS = ("kindergarten", "primary", "secondary")


@dataclass
class PersonPlan:
    full_name: str
    gender: str
    date_of_birth: date
    national_id: str
    phone: str
    ethnicity: str
    job_title: str
    joined_on: date
    group: int | None


@dataclass
class GroupPlan:
    name: str
    established_on: date
    department: int | None = None


@dataclass
class OfficePlan:
    person: int
    role: str
    started_on: date
    group: int | None = None


@dataclass
class UnitPlan:
    """One grassroots union with everything it holds."""

    code: str
    sector: str
    kind: str
    employer_name: str
    address: str
    phone: str
    established_on: date
    declared_on: date
    size_low: int
    size_high: int
    size_weight: float
    female_share: float
    line: names.BusinessLine | None = None
    workers: int = 0
    female_workers: int = 0
    members: int = 0
    female_members: int = 0
    groups: list[GroupPlan] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    offices: list[OfficePlan] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"Công đoàn {self.employer_name}"


@dataclass
class SeminarPlan:
    participants: list[int]  # indexes into units
    speakers: list[tuple[int, int]]  # (unit, office) of group leaders who spoke
    group_representatives: int
    topics: str
    conclusions: str
    absent_chairs: list[int] = field(default_factory=list)  # indexes into units, as many as the reasons


@dataclass
class DistrictPlan:
    units: list[UnitPlan]
    seminar: SeminarPlan


@dataclass
class DistrictSummary:
    unions: int
    unions_by_sector: dict[str, int]
    unions_with_groups: int
    unions_with_departments: int
    groups: int
    workers: int
    female_workers: int
    members: int
    female_members: int
    officials: int
    accounts_created: list[DemoAccount]
    accounts_kept: list[str]
    dissolved: int = 0  # public-service CĐCS dissolved on 15/06/2025


@dataclass(frozen=True)
class DemoAccount:
    """A demo account just created; ``password`` is set only when it was generated, to be shown once."""

    username: str
    role: str
    password: str | None = None


# --- arithmetic ---------------------------------------------------------------------------


def apportion(total: int, weights: Sequence[float], low: Sequence[int], high: Sequence[int]) -> list[int]:
    """Whole numbers in [low, high], roughly proportional to ``weights``, that sum to ``total`` exactly."""
    if not sum(low) <= total <= sum(high):
        raise ValueError(f"Cannot share {total} between bounds summing to {sum(low)}..{sum(high)}.")

    def fill(scale: float) -> list[int]:
        return [min(h, max(lo, int(scale * w))) for w, lo, h in zip(weights, low, high, strict=True)]

    bottom, top = 0.0, 1.0
    for _ in range(200):
        if sum(fill(top)) >= total:
            break
        top *= 2
    for _ in range(100):
        middle = (bottom + top) / 2
        if sum(fill(middle)) <= total:
            bottom = middle
        else:
            top = middle
    counts = fill(bottom)
    # What rounding left over goes one by one to the largest remainders that have room.
    by_remainder = sorted(range(len(counts)), key=lambda i: (-(bottom * weights[i] % 1), i))
    short = total - sum(counts)
    while short:
        for i in by_remainder:
            if short and counts[i] < high[i]:
                counts[i] += 1
                short -= 1
    return counts


def _address(rng: random.Random, ward: str) -> str:
    street = rng.choice(names.WARDS[ward])
    number = rng.randint(1, 450)
    form = rng.random()
    if form < 0.55:
        place = f"Số {number} {street}"
    elif form < 0.85:
        place = f"Số {rng.randint(1, 60)} ngõ {number} {street}"
    else:
        place = f"Tầng {rng.randint(2, 12)}, số {number} {street}"
    return f"{place}, phường {ward}, {names.DISTRICT}, Hà Nội"


# --- the plan -----------------------------------------------------------------------------


def plan_district(seed: int = SEED) -> DistrictPlan:
    """Draw the whole demo district, in memory; the same seed gives the same district."""
    rng = random.Random(seed)
    units = _plan_units(rng)
    _size_workforce(units)
    _count_members(units, rng)
    _plan_groups(units, rng)
    _plan_people(units, rng)
    _plan_offices(units, rng)
    return DistrictPlan(units=units, seminar=_plan_seminar(units, rng))


def _plan_units(rng: random.Random) -> list[UnitPlan]:
    wards = list(names.WARDS)
    units: list[UnitPlan] = []

    def declared_on() -> date:
        if rng.random() < 0.8:
            return date(2021, 6, 30)
        return rng.choice((date(2021, 6, 15), date(2021, 5, 31), date(2021, 3, 31), date(2021, 1, 1)))

    def add(sector: str, prefix: str, kind: str, employer: str, ward: str, established: date, **sizes) -> None:
        number = sum(1 for unit in units if unit.sector == sector) + 1
        if not sizes:
            low, high, typical, female_share = KIND_SIZES[kind]
            sizes = {
                "size_low": low,
                "size_high": high,
                "size_weight": typical * rng.uniform(0.7, 1.3),
                "female_share": female_share * rng.uniform(0.93, 1.04),
            }
        units.append(
            UnitPlan(
                code=f"{DISTRICT_CODE}-{prefix}-{number:03d}",
                sector=sector,
                kind=kind,
                employer_name=employer,
                address=_address(rng, ward),
                phone=landline(rng),
                established_on=established,
                declared_on=declared_on(),
                **sizes,
            )
        )

    # Public-service units: each ward's People's Committee and health station, then the district's units.
    for pattern, kind in zip(names.WARD_UNIT_PATTERNS, ("ward-office", "health-station"), strict=True):
        for ward in wards:
            established = day_between(rng, date(1996, 1, 1), date(1997, 6, 30))
            add(HCSN, "HCSN", kind, pattern.format(ward=ward), ward, established)
    for unit in names.DISTRICT_UNITS:
        established = day_between(rng, date(1996, 1, 1), date(2012, 12, 31))
        add(HCSN, "HCSN", "district-unit", f"{unit} Tây Hồ", rng.choice(wards), established)

    # Public schools: 30 kindergartens, 30 primary and 20 lower-secondary schools.
    for kind, label, pool, count in (
        ("kindergarten", "Trường Mầm non", names.KINDERGARTEN_NAMES, 30),
        ("primary", "Trường Tiểu học", names.PRIMARY_SCHOOL_NAMES, 30),
        ("secondary", "Trường THCS", names.SECONDARY_SCHOOL_NAMES, 20),
    ):
        for school in rng.sample(pool, count):
            established = day_between(rng, date(1978, 9, 5), date(2014, 9, 5))
            add(SCHOOLS, "TH", kind, f"{label} {school}", rng.choice(wards), established)

    # Non-state enterprises; the first two are the large ones with department unions.
    trade_names = [
        f"{first} {second}" for first in names.TRADE_NAME_FIRST for second in names.TRADE_NAME_SECOND if first != second
    ]
    rng.shuffle(trade_names)
    lines = names.BUSINESS_LINES
    large = [line for line in lines if line.department_unions]
    for index in range(UNIONS_PER_SECTOR[ENTERPRISES]):
        if index < len(large):
            line = large[index]
            sizes = {"size_low": 240 - 30 * index, "size_high": 300, "size_weight": 1000.0}
            established = day_between(rng, date(1998, 1, 1), date(2005, 12, 31))
        else:
            line = rng.choices(lines, weights=[line.weight for line in lines])[0]
            weight = line.size * rng.lognormvariate(3.1, 0.85)
            sizes = {"size_low": 5, "size_high": 300, "size_weight": weight}
            established = day_between(rng, date(2002, 1, 1), date(2019, 12, 31), skew=0.8)
        form = Picker(rng, names.LEGAL_FORMS)()
        employer = f"{form} {line.label} {trade_names.pop()}"
        female_share = min(0.97, max(0.03, line.female_share + rng.uniform(-0.12, 0.12)))
        add(
            ENTERPRISES,
            "DN",
            "enterprise",
            employer,
            rng.choice(wards),
            established,
            female_share=female_share,
            **sizes,
        )
        units[-1].line = line
        if index < len(large):
            units[-1].departments = list(line.department_unions)
    return units


def _size_workforce(units: list[UnitPlan]) -> None:
    """Workers and female workers per unit, summing exactly to each sector's figures."""
    for sector, (workers, female_workers) in SECTOR_WORKFORCE.items():
        in_sector = [unit for unit in units if unit.sector == sector]
        counts = apportion(
            workers,
            [unit.size_weight for unit in in_sector],
            [unit.size_low for unit in in_sector],
            [unit.size_high for unit in in_sector],
        )
        for unit, count in zip(in_sector, counts, strict=True):
            unit.workers = count
        # Every unit keeps at least one man (a guard, a driver …) and, past ten people, one woman.
        women = apportion(
            female_workers,
            [unit.workers * unit.female_share for unit in in_sector],
            [1 if unit.workers > 10 else 0 for unit in in_sector],
            [unit.workers - 1 for unit in in_sector],
        )
        for unit, count in zip(in_sector, women, strict=True):
            unit.female_workers = count
    assert sum(unit.workers for unit in units) == WORKERS
    assert sum(unit.female_workers for unit in units) == FEMALE_WORKERS


def _count_members(units: list[UnitPlan], rng: random.Random) -> None:
    """Members per unit: almost everyone in public units, a few non-members in enterprises."""
    propensity = []
    for unit in units:
        if unit.sector == ENTERPRISES:
            propensity.append(0.0 if rng.random() < 0.3 else rng.uniform(0.02, 0.2))
        else:
            propensity.append(0.0 if rng.random() < 0.85 else rng.uniform(0.01, 0.05))
    # At most a quarter of a unit's women, and of its men, stay outside the union.
    non_members_f = apportion(
        FEMALE_WORKERS - FEMALE_MEMBERS,
        [unit.female_workers * p for unit, p in zip(units, propensity, strict=True)],
        [0] * len(units),
        [unit.female_workers // 4 if p else 0 for unit, p in zip(units, propensity, strict=True)],
    )
    non_members_m = apportion(
        (WORKERS - FEMALE_WORKERS) - (MEMBERS - FEMALE_MEMBERS),
        [(unit.workers - unit.female_workers) * p for unit, p in zip(units, propensity, strict=True)],
        [0] * len(units),
        [(unit.workers - unit.female_workers) // 4 if p else 0 for unit, p in zip(units, propensity, strict=True)],
    )
    for unit, women_out, men_out in zip(units, non_members_f, non_members_m, strict=True):
        unit.female_members = unit.female_workers - women_out
        unit.members = unit.workers - women_out - men_out
    assert sum(unit.members for unit in units) == MEMBERS
    assert sum(unit.female_members for unit in units) == FEMALE_MEMBERS


def _group_names(unit: UnitPlan, count: int) -> list[str]:
    if unit.kind == "kindergarten":
        return list(names.KINDERGARTEN_GROUPS[count])
    if unit.kind == "primary":
        return list(names.PRIMARY_GROUPS[count])
    if unit.kind == "secondary":
        return list(names.SECONDARY_GROUPS[count])
    if unit.kind == "ward-office":
        return list(names.WARD_OFFICE_GROUPS[:count])
    if unit.kind == "health-station":
        return list(names.HEALTH_STATION_GROUPS[:count])
    if unit.kind == "district-unit":
        return list(names.DISTRICT_UNIT_GROUPS[:count])
    line = unit.line
    result = list(line.groups[:count])
    number = line.numbered_from
    while len(result) < count:
        result.append(line.numbered_group.format(n=number))
        number += 1
    return result


def _plan_groups(units: list[UnitPlan], rng: random.Random) -> None:
    """835 groups in the 265 largest units (all schools), department unions in the two large firms."""
    chosen: list[UnitPlan] = []
    for sector, count in UNIONS_WITH_GROUPS_PER_SECTOR.items():
        in_sector = sorted((unit for unit in units if unit.sector == sector), key=lambda u: (-u.members, u.code))
        chosen.extend(in_sector[:count])
    assert len(chosen) == UNIONS_WITH_GROUPS

    low, high = [], []
    for unit in chosen:
        if unit.departments:
            most, least = 14, 8
        elif unit.kind in SCHOOL_KINDS:
            most, least = MAX_GROUPS[unit.kind], 3
        elif unit.sector == HCSN:
            most, least = MAX_GROUPS[unit.kind], 2
        else:
            most, least = 8, 2
        # Groups of four members or more, and at least one group.
        room = max(1, unit.members // 4)
        high.append(min(most, room))
        low.append(min(least, room))
    counts = apportion(GROUPS, [unit.members**0.8 for unit in chosen], low, high)

    for unit, count in zip(chosen, counts, strict=True):
        desk = 0
        for name in _group_names(unit, count):
            group = GroupPlan(
                name=name, established_on=day_between(rng, unit.established_on, unit.established_on + timedelta(400))
            )
            # In the two large firms the office group answers to the CĐCS, the others to a department union.
            if unit.departments and "Văn phòng" not in name:
                group.department = desk % len(unit.departments)
                desk += 1
            unit.groups.append(group)
        assert len({group.name for group in unit.groups}) == count
    assert sum(len(unit.groups) for unit in units) == GROUPS
    assert sum(1 for unit in units if unit.departments) == UNIONS_WITH_DEPARTMENTS


_OFFICE_GROUP_PREFIXES = ("Tổ Văn phòng", "Tổ Nuôi dưỡng", "Tổ Hành chính", "Tổ Thu ngân", "Tổ Điều hành")


def _job_pool(unit: UnitPlan, group: GroupPlan | None, rng: random.Random) -> Sequence[str]:
    in_office = group is not None and group.name.startswith(_OFFICE_GROUP_PREFIXES)
    if unit.kind == "kindergarten":
        return names.KINDERGARTEN_OFFICE_JOBS if in_office else names.KINDERGARTEN_JOBS
    if unit.kind in SCHOOL_KINDS:
        return names.SCHOOL_OFFICE_JOBS if in_office else names.SCHOOL_JOBS
    if unit.kind == "ward-office":
        return names.WARD_OFFICE_JOBS
    if unit.kind == "health-station":
        return names.HEALTH_STATION_JOBS
    if unit.kind == "district-unit":
        return names.DISTRICT_UNIT_JOBS
    if in_office or (group is None and rng.random() < 0.1):
        return names.OFFICE_JOBS
    return unit.line.jobs


# Jobs still held almost only by men; a woman drawn into one is drawn again.
_MEN_S_JOBS = frozenset(
    {
        "Bảo vệ", "Lái xe", "Phụ xe", "Thợ hàn", "Thợ nề", "Thợ mộc", "Thợ cơ khí", "Thợ điện",
        "Nhân viên bảo vệ", "Đội trưởng bảo vệ", "Thợ sửa chữa ô tô", "Công nhân xây dựng",
    }
)  # fmt: skip


def _job_title(pool: Sequence[str], gender: str, rng: random.Random) -> str:
    job = rng.choice(pool)
    for _ in range(4):
        if gender == Gender.MALE or job not in _MEN_S_JOBS:
            break
        job = rng.choice(pool)
    return job


class _People:
    """Draws people: names that match their gender, unique ID numbers."""

    FEMALE_OLDEST = date(1966, 7, 1)  # women retired at 55 years 4 months in 2021
    MALE_OLDEST = date(1962, 1, 1)
    YOUNGEST = date(2001, 12, 31)

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.national_ids: set[str] = set()
        self.family_name = Picker(rng, names.FAMILY_NAMES)
        self.female_middle_name = Picker(rng, names.FEMALE_MIDDLE_NAMES)
        self.male_middle_name = Picker(rng, names.MALE_MIDDLE_NAMES)
        self.province = Picker(rng, names.PROVINCE_CODES)

    def full_name(self, gender: str) -> str:
        rng = self.rng
        family = self.family_name()
        if gender == Gender.FEMALE:
            middle = self.female_middle_name()
            if middle == "Thị" and rng.random() < 0.2:
                middle = f"{middle} {rng.choice(names.FEMALE_SECOND_MIDDLE_NAMES)}"
            given = rng.choice(names.FEMALE_GIVEN_NAMES)
        else:
            middle = self.male_middle_name()
            given = rng.choice(names.MALE_GIVEN_NAMES)
        if middle.split()[-1] == given:
            middle = "Thị" if gender == Gender.FEMALE else "Văn"
        return f"{family} {middle} {given}"

    def date_of_birth(self, gender: str, typical_year: int, adult_at: int) -> date:
        oldest = self.FEMALE_OLDEST if gender == Gender.FEMALE else self.MALE_OLDEST
        # Old enough to have joined by the report.
        youngest = min(self.YOUNGEST, years_after(LAST_DAY, -adult_at) - timedelta(days=30))
        span = (youngest - oldest).days
        mode = min(1.0, max(0.0, (date(typical_year, 7, 1) - oldest).days / span))
        return oldest + timedelta(days=int(self.rng.triangular(0, span, mode * span)))

    def national_id(self, gender: str, born: date) -> str:
        while True:
            number = national_id_prefix(self.province(), born, female=gender == Gender.FEMALE)
            number += f"{self.rng.randint(0, 999_999):06d}"
            if number not in self.national_ids:
                self.national_ids.add(number)
                return number

    def phone(self) -> str:
        if self.rng.random() < 0.06:
            return ""
        return mobile_phone(self.rng)


def _plan_people(units: list[UnitPlan], rng: random.Random) -> None:
    people = _People(rng)
    ethnicity = Picker(rng, names.ETHNICITIES)
    for unit in units:
        genders = [Gender.FEMALE] * unit.female_members + [Gender.MALE] * (unit.members - unit.female_members)
        rng.shuffle(genders)
        placement: list[int | None] = [None] * unit.members
        if unit.groups:
            count = len(unit.groups)
            floor = 2 if unit.members >= 2 * count else 1
            # Offices are smaller than the teams that do the unit's work.
            weights = [
                rng.uniform(0.6, 1.4) * (0.4 if group.name.startswith(_OFFICE_GROUP_PREFIXES) else 1.0)
                for group in unit.groups
            ]
            sizes = apportion(unit.members, weights, [floor] * count, [unit.members] * count)
            placement = [index for index, size in enumerate(sizes) for _ in range(size)]
            rng.shuffle(placement)
        typical_year = 1990 if unit.sector == ENTERPRISES else 1982
        adult_at = 22 if unit.kind in SCHOOL_KINDS else 18
        for gender, group_index in zip(genders, placement, strict=True):
            group = unit.groups[group_index] if group_index is not None else None
            born = people.date_of_birth(gender, typical_year, adult_at)
            earliest = max(unit.established_on, years_after(born, adult_at))
            if group:
                earliest = max(earliest, group.established_on)
            unit.people.append(
                PersonPlan(
                    full_name=people.full_name(gender),
                    gender=gender,
                    date_of_birth=born,
                    national_id=people.national_id(gender, born),
                    phone=people.phone(),
                    ethnicity=ethnicity(),
                    job_title=_job_title(_job_pool(unit, group, rng), gender, rng),
                    # Enterprises hire more recently than schools and offices.
                    joined_on=day_between(rng, earliest, LAST_DAY, skew=0.6 if unit.sector == ENTERPRISES else 1.0),
                    group=group_index,
                )
            )
        if unit.kind in SCHOOL_KINDS:
            _appoint_school_heads(unit)

    assert all(person.joined_on <= LAST_DAY for unit in units for person in unit.people)


def _appoint_school_heads(unit: UnitPlan) -> None:
    """The longest-serving teachers run the school; a young one leads its Young Pioneers."""
    teachers = sorted((person for person in unit.people if person.job_title == "Giáo viên"), key=lambda p: p.joined_on)
    teachers[0].job_title = "Hiệu trưởng"
    for deputy in teachers[1 : 3 if unit.members > 60 else 2]:
        deputy.job_title = "Phó Hiệu trưởng"
    if unit.kind != "kindergarten":
        teachers[-1].job_title = "Tổng phụ trách Đội"


def _plan_offices(units: list[UnitPlan], rng: random.Random) -> None:
    """A chair in every union, a vice chair in the larger ones, a leader for every group."""
    for unit in units:
        candidates = [i for i, person in enumerate(unit.people) if person.job_title != "Hiệu trưởng"]
        # This term's congress of the CĐCS (nhiệm kỳ 2017–2022 or 2018–2023).
        congress = day_between(rng, date(2017, 3, 1), date(2018, 6, 30))
        officers = rng.sample(candidates, 2 if unit.members >= 30 else 1)
        for person, role in zip(officers, (UnionOfficial.Role.CHAIR, UnionOfficial.Role.VICE_CHAIR), strict=False):
            started = max(congress, unit.people[person].joined_on)
            unit.offices.append(OfficePlan(person=person, role=role, started_on=started))
        for group_index, _group in enumerate(unit.groups):
            in_group = [i for i, person in enumerate(unit.people) if person.group == group_index]
            others = [i for i in in_group if i not in officers] or in_group
            leader = rng.choice(others)
            elected = day_between(rng, date(2017, 6, 1), date(2020, 12, 31))
            started = max(elected, unit.people[leader].joined_on)
            unit.offices.append(
                OfficePlan(person=leader, role=UnionOfficial.Role.GROUP_LEADER, started_on=started, group=group_index)
            )


def _plan_seminar(units: list[UnitPlan], rng: random.Random) -> SeminarPlan:
    enterprise = [i for i, unit in enumerate(units) if unit.sector == ENTERPRISES]
    with_groups = [i for i in enterprise if units[i].groups]
    large = [i for i in with_groups if units[i].departments]
    others = [i for i in with_groups if i not in large]
    participants = sorted(large + rng.sample(others, SEMINAR_PARTICIPANTS - len(large)))
    leaders = [
        (i, office_index)
        for i in participants
        for office_index, office in enumerate(units[i].offices)
        if office.role == UnionOfficial.Role.GROUP_LEADER
    ]
    speakers = sorted(rng.sample(leaders, 6))

    workers = sum(units[i].workers for i in enterprise)
    members = sum(units[i].members for i in enterprise)
    groups = sum(len(units[i].groups) for i in enterprise)
    with translation.override("vi"):
        # Written into the minutes in Vietnamese, whatever language the command runs in.
        n = format_number
        counts = f"""{n(len(enterprise))} CĐCS với {n(members)} đoàn viên trên tổng số {n(workers)} người lao động \
(đạt {format_ratio(members, workers)}); {n(len(with_groups))} CĐCS đã thành lập tổ công đoàn với {n(groups)} tổ"""
    topics = f"""\
1. Thực trạng tổ công đoàn trong khối doanh nghiệp ngoài nhà nước. Toàn khối có {counts}. Nhiều tổ duy trì sinh hoạt \
hằng tháng, nắm bắt kịp thời tâm tư, nguyện vọng của người lao động; tuy vậy ở không ít doanh nghiệp nhỏ, \
sinh hoạt tổ còn hình thức, nội dung đơn điệu, tổ trưởng kiêm nhiệm nhiều việc và chưa được tập huấn nghiệp vụ.

2. Vai trò của tổ trưởng công đoàn trong đối thoại tại nơi làm việc: phản ánh kiến nghị của người lao động \
về tiền lương, thời giờ làm việc, an toàn, vệ sinh lao động; theo dõi việc thực hiện thỏa ước lao động tập thể \
và nội quy lao động; phối hợp với người sử dụng lao động giải quyết vướng mắc ngay từ tổ, không để phát sinh \
tranh chấp.

3. Sinh hoạt tổ công đoàn trong điều kiện phòng, chống dịch COVID-19: sinh hoạt trực tuyến qua nhóm tin nhắn, \
lồng ghép vào giao ban đầu ca; nắm danh sách đoàn viên khó khăn, bị giảm giờ làm, ngừng việc để đề xuất \
hỗ trợ; tuyên truyền người lao động thực hiện nghiêm các biện pháp phòng dịch tại nơi làm việc.

4. Phát triển đoàn viên qua tổ: tổ trưởng trực tiếp vận động người lao động mới tuyển dụng gia nhập công đoàn, \
chia sẻ kinh nghiệm của các tổ có tỷ lệ đoàn viên cao; các ý kiến tham luận của tổ trưởng các CĐCS \
về cách tổ chức sinh hoạt ngắn gọn, thiết thực, gắn với sản xuất, kinh doanh."""
    conclusions = f"""\
Đồng chí {FEDERATION_CHAIR}, Chủ tịch LĐLĐ quận, kết luận:

1. Ghi nhận các ý kiến tham luận; tổ công đoàn là nơi gần người lao động nhất, chất lượng hoạt động của CĐCS \
bắt đầu từ chất lượng sinh hoạt tổ.

2. Các CĐCS khối doanh nghiệp rà soát, kiện toàn tổ công đoàn và tổ trưởng trước ngày 30/9/2021; \
doanh nghiệp có từ 10 đoàn viên trở lên mà chưa có tổ thì xem xét thành lập tổ theo bộ phận, ca, kíp.

3. Duy trì sinh hoạt tổ ít nhất mỗi quý một lần, nội dung thiết thực; ghi nhận kết quả sinh hoạt trên \
cổng thông tin của LĐLĐ quận để theo dõi, đánh giá.

4. LĐLĐ quận tổ chức tập huấn nghiệp vụ cho tổ trưởng công đoàn trong quý IV/2021, biên soạn sổ tay \
hướng dẫn sinh hoạt tổ; biểu dương các tổ công đoàn tiêu biểu trong dịp tổng kết năm 2021.

5. Giao Ban Tổ chức LĐLĐ quận theo dõi, đôn đốc và tổng hợp kết quả, báo cáo Thường trực LĐLĐ quận."""
    return SeminarPlan(
        participants=participants,
        absent_chairs=sorted(rng.sample(participants, len(SEMINAR_ABSENCE_REASONS))),
        speakers=speakers,
        group_representatives=48,
        topics=topics,
        conclusions=conclusions,
    )


# --- the database -------------------------------------------------------------------------


# Most units keep their data up to date, so that "needs attention" shows a handful of real
# cases to a new user rather than every unit: these shares of units and groups did not.
STALE_DECLARATION_SHARE = 0.03


def last_report_day(today: date) -> date:
    """The latest half-yearly reporting day (1 January or 1 July) on or before ``today``."""
    return date(today.year, 7, 1) if today >= date(today.year, 7, 1) else date(today.year, 1, 1)


def _load_recent_activity(
    units: list[UnitPlan],
    federation: Federation,
    unions: list[GrassrootsUnion],
    groups: list[list[UnionGroup]],
    *,
    today: date,
) -> None:
    """A recent workforce declaration for most units and a recent meeting for most groups.

    Relative to ``today`` (the day the demo is seeded), after the reference day: the 2021
    figures the reference report quotes do not change.
    """
    rng = random.Random(SEED + 1)
    report_day = last_report_day(today)
    declarations = []
    for unit, union in zip(units, unions, strict=True):
        if rng.random() < STALE_DECLARATION_SHARE or unit.sector == HCSN:
            # A public-service CĐCS is dissolved on 15/06/2025 (dissolve_state_funded): it declares no more.
            continue
        # A few per cent more or fewer workers than in 2021; women in the same share.
        # Never fewer than the members it has: they all still work there.
        workers = max(unit.workers + round(unit.workers * rng.uniform(-0.02, 0.03)), unit.members, 1)
        female = round(workers * unit.female_workers / unit.workers) if unit.workers else 0
        # As many women workers as women members at least, as many men workers as men members.
        female = min(max(female, unit.female_members), workers - (unit.members - unit.female_members))
        declarations.append(
            WorkforceDeclaration(
                union=union,
                as_of=report_day,
                total_workers=workers,
                female_workers=female,
                note=f"Số liệu báo cáo ngày {report_day:%d/%m/%Y}",
            )
        )
    bulk_create_recorded(WorkforceDeclaration, declarations)


def demo_district_exists() -> bool:
    """True once the demo federation has held its unions (it holds none since its end in 2025)."""
    return UnionAffiliation.objects.filter(federation__code=DISTRICT_CODE).exists()


def seed_demo_district(plan: DistrictPlan | None = None, *, generate_passwords: bool = False) -> DistrictSummary | None:
    """Write the demo district in one transaction; None (and no change) if it is already there.

    The demo accounts share the published ``DEMO_PASSWORD``, unless ``generate_passwords``:
    then each gets its own random one, returned in the summary and stored only as a hash.
    """
    with transaction.atomic(), recorded_as("seed_demo"):
        if demo_district_exists():
            return None
        plan = plan or plan_district()
        federation = _load_federations()
        unions, groups = _load_unions(plan.units, federation)
        members = _load_people(plan.units, unions, groups)
        today = timezone.localdate()
        seminar = _load_seminar(plan, federation, unions, members)
        _load_recent_activity(plan.units, federation, unions, groups, today=today)
        to_meet = [
            UnionToMeet(
                union=union,
                groups=its_groups,
                members=len(in_union),
                rosters=_rosters(in_union),
                officials=[(office.role, in_union[office.person]) for office in unit.offices],
                dissolved_on=STATE_FUNDED_DISSOLVED_ON if unit.sector == HCSN else None,
            )
            for unit, union, its_groups, in_union in zip(plan.units, unions, groups, members, strict=True)
        ]
        meetings = load_meetings(
            hosts=_meeting_hosts(federation, to_meet),
            unions=to_meet,
            federation_of=_superior_of_the_day(federation),
            reference_day=REFERENCE_DAY,
            today=today,
            seed=SEED + 2,
        )
        created, kept = _load_accounts(plan.units, federation, unions, generate_passwords=generate_passwords)
        _load_follow_up_tasks(seminar, meetings, today=today)
        # The district as its 2021 report describes it, counted before its CĐCS move on.
        summary = _summarise(federation, created, kept)
        decision, _ = Decision.objects.get_or_create(
            **{key: STATE_FUNDED_DISSOLUTION_DECISION[key] for key in ("issuer", "number", "signed_on")},
            defaults={"summary": STATE_FUNDED_DISSOLUTION_DECISION["summary"]},
        )
        summary.dissolved = dissolve_state_funded(federation, decision)
        wards = _reorganise(federation)
        # After the reference day: the 2021 figures hold, and today's count foreign members.
        load_law_2024_unions(
            lambda address: wards[ward_union_code(address)],
            code_prefix=DISTRICT_CODE,
            seed=SEED + 3,
            report_day=last_report_day(today),
        )
        return summary


def _rosters(in_union: list[Member]) -> dict[int, list[Member]]:
    rosters: dict[int, list[Member]] = {}
    for member in in_union:
        if member.group_id:
            rosters.setdefault(member.group_id, []).append(member)
    return rosters


def _load_federations() -> Federation:
    """The city federation, the district federation (the demo's) and the city's first ward unions."""
    city, _ = Federation.objects.get_or_create(
        code=CITY_CODE, defaults={"name": CITY_NAME, "kind": Federation.Kind.PROVINCE}
    )
    district, _ = Federation.objects.get_or_create(
        code=DISTRICT_CODE,
        defaults={
            "name": DISTRICT_NAME,
            "kind": Federation.Kind.DISTRICT,
            "parent": city,
            "address": DISTRICT_ADDRESS,
            "founded_on": DISTRICT_FOUNDED_ON,
        },
    )
    decision, _ = Decision.objects.get_or_create(
        issuer=WARDS_DECISION["issuer"],
        number=WARDS_DECISION["number"],
        signed_on=WARDS_DECISION["signed_on"],
        defaults={"summary": WARDS_DECISION["summary"]},
    )
    for code, name, address in WARD_UNIONS:
        Federation.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": Federation.Kind.COMMUNE,
                "parent": city,
                "address": address,
                "founded_on": WARDS_FOUNDED_ON,
                "founding_decision": decision,
            },
        )
    return district


def dissolve_state_funded(district: Federation, decision: Decision) -> int:
    """Dissolve ``district``'s public-service CĐCS on 15/06/2025 (``unions_dissolve``); how many.

    A CĐCS whose records show people joining or leaving after that day was still running: its
    unit was not paid wholly by the state, and it is kept (the synthetic city has many).
    """
    running_after = MembershipPeriod.objects.filter(
        Q(started_on__gte=STATE_FUNDED_DISSOLVED_ON) | Q(ended_on__gt=STATE_FUNDED_DISSOLVED_ON),
        union=OuterRef("pk"),
    )
    unions = list(
        GrassrootsUnion.objects.filter(
            federation=district,
            sector__code=PUBLIC_SERVICE,
            status=GrassrootsUnion.Status.ACTIVE,
            established_on__lt=STATE_FUNDED_DISSOLVED_ON,
        ).exclude(Exists(running_after))
    )
    if unions:
        unions_dissolve(unions, on=STATE_FUNDED_DISSOLVED_ON, decision=decision)
    return len(unions)


def _reorganise(district: Federation) -> dict[str, Federation]:
    """End the district federation on 01/07/2025 and move its active CĐCS to the ward unions.

    Through ``federation_reorganise``, as the admin's reorganisation page does: each CĐCS goes
    to the ward union of its address (``WARD_UNION_OF_OLD_WARD``), its periods before the day
    stay under the district, and the district's staff and leader accounts move to the city
    federation, which keeps the district's records. Returns the ward unions by code.
    """
    wards = {ward.code: ward for ward in Federation.objects.filter(code__in=[code for code, *_ in WARD_UNIONS])}
    decision, _ = Decision.objects.get_or_create(
        issuer=DISTRICT_ENDING_DECISION["issuer"],
        number=DISTRICT_ENDING_DECISION["number"],
        signed_on=DISTRICT_ENDING_DECISION["signed_on"],
        defaults={"summary": DISTRICT_ENDING_DECISION["summary"]},
    )
    active = GrassrootsUnion.objects.filter(federation=district, status=GrassrootsUnion.Status.ACTIVE)
    federation_reorganise(
        federation=district,
        on=DISTRICT_ENDED_ON,
        decision=decision,
        successors={union: wards[ward_union_code(union.address)] for union in active},
        accounts_to=district.parent,
        by=None,
    )
    return wards


def _load_unions(units: list[UnitPlan], federation: Federation) -> tuple[list[GrassrootsUnion], list[list[UnionGroup]]]:
    sectors = {sector.code: sector for sector in Sector.objects.filter(code__in=UNIONS_PER_SECTOR)}
    unions = []
    for unit in units:
        name, employer = normalize_name(unit.name), normalize_name(unit.employer_name)
        unions.append(
            GrassrootsUnion(
                federation=federation,
                sector=sectors[unit.sector],
                code=unit.code,
                name=name,
                employer_name=employer,
                address=unit.address,
                phone=unit.phone,
                established_on=unit.established_on,
                # bulk_create skips save(), which fills this column.
                search_text=GrassrootsUnion.build_search_text(unit.code, name, employer),
            )
        )
    bulk_create_recorded(GrassrootsUnion, unions)
    # bulk_create skips save(), which opens each CĐCS's first period under its federation.
    UnionAffiliation.objects.bulk_create(
        [period for union in unions if (period := UnionAffiliation.first_of(union)) is not None]
    )
    bulk_create_recorded(
        WorkforceDeclaration,
        [
            WorkforceDeclaration(
                union=union,
                as_of=unit.declared_on,
                total_workers=unit.workers,
                female_workers=unit.female_workers,
                note="Số liệu báo cáo 6 tháng đầu năm 2021",
            )
            for unit, union in zip(units, unions, strict=True)
        ],
    )
    departments = {
        (index, number): DepartmentUnion(
            union=union, name=normalize_name(name), search_name=fold(name), established_on=unit.established_on
        )
        for index, (unit, union) in enumerate(zip(units, unions, strict=True))
        for number, name in enumerate(unit.departments)
    }
    bulk_create_recorded(DepartmentUnion, list(departments.values()))
    # Each union's groups, in plan order, for its people to join.
    groups = [
        [
            UnionGroup(
                union=union,
                department_union=departments[index, group.department] if group.department is not None else None,
                name=normalize_name(group.name),
                search_name=fold(group.name),
                established_on=group.established_on,
            )
            for group in unit.groups
        ]
        for index, (unit, union) in enumerate(zip(units, unions, strict=True))
    ]
    bulk_create_recorded(UnionGroup, [group for in_union in groups for group in in_union])
    return unions, groups


def _load_people(
    units: list[UnitPlan], unions: list[GrassrootsUnion], groups: list[list[UnionGroup]]
) -> list[list[Member]]:
    members: list[list[Member]] = []
    # Card numbers follow the product's rule, which needs the member's id: reserve the ids first.
    ids = iter(reserve_ids(Member, sum(len(unit.people) for unit in units)))
    for unit, union, its_groups in zip(units, unions, groups, strict=True):
        in_union = []
        for person in unit.people:
            full_name = normalize_name(person.full_name)
            member_id = next(ids)
            in_union.append(
                Member(
                    id=member_id,
                    union=union,
                    group=its_groups[person.group] if person.group is not None else None,
                    full_name=full_name,
                    gender=person.gender,
                    date_of_birth=person.date_of_birth,
                    national_id=person.national_id,
                    phone=person.phone,
                    ethnicity=person.ethnicity,
                    job_title=person.job_title,
                    joined_union_on=person.joined_on,
                    card_number=card_number(federation_code=union.federation.code, member_id=member_id),
                    status=Member.Status.ACTIVE,
                    # bulk_create skips save(), which fills the sort and search columns.
                    **Member.derived_name_fields(full_name),
                )
            )
        members.append(in_union)
    everyone = [member for in_union in members for member in in_union]
    bulk_create_recorded(Member, everyone)
    MembershipPeriod.objects.bulk_create(
        (
            MembershipPeriod(
                member=member, union_id=member.union_id, group_id=member.group_id, started_on=member.joined_union_on
            )
            for member in everyone
        ),
        batch_size=2000,
    )
    bulk_create_recorded(
        UnionOfficial,
        [
            UnionOfficial(
                member=in_union[office.person],
                union=union,
                group=its_groups[office.group] if office.group is not None else None,
                role=office.role,
                started_on=office.started_on,
            )
            for unit, union, its_groups, in_union in zip(units, unions, groups, members, strict=True)
            for office in unit.offices
        ],
    )
    return members


def _load_seminar(
    plan: DistrictPlan, federation: Federation, unions: list[GrassrootsUnion], members: list[list[Member]]
) -> Meeting:
    seminar = plan.seminar
    enterprises = Sector.objects.get(code=ENTERPRISES)
    # The report calls it the sector's third seminar of 2021: its number is counted, so the two before it are here.
    for held_on, title in EARLIER_SEMINARS:
        Meeting.objects.create(
            federation=federation,
            kind=Meeting.Kind.SEMINAR,
            status=Meeting.Status.HELD,
            title=title,
            held_on=held_on,
            location="Hội trường Liên đoàn Lao động quận Tây Hồ",
            sector=enterprises,
        )
    meeting = Meeting.objects.create(
        federation=federation,
        organiser_union=None,
        kind=Meeting.Kind.SEMINAR,
        status=Meeting.Status.HELD,
        title=SEMINAR_TITLE,
        held_on=REFERENCE_DAY,
        starts_at=time(8, 0),
        ends_at=time(11, 30),
        location="Hội trường Liên đoàn Lao động quận Tây Hồ",
        sector=enterprises,
        topics=seminar.topics,
        discussion=SEMINAR_DISCUSSION,
        conclusions=seminar.conclusions,
    )
    meeting.participating_unions.set([unions[i] for i in seminar.participants])
    attendances = [
        Attendance(
            meeting=meeting, name=FEDERATION_CHAIR, position="Chủ tịch LĐLĐ quận", role=Attendance.Role.PRESIDING
        ),
        *(
            Attendance(meeting=meeting, name=name, position="Phó Chủ tịch LĐLĐ quận", role=Attendance.Role.PRESIDING)
            for name in FEDERATION_VICE_CHAIRS
        ),
        Attendance(
            meeting=meeting,
            name=FEDERATION_STAFF,
            position="Cán bộ Ban Tổ chức LĐLĐ quận",
            role=Attendance.Role.SECRETARY,
        ),
        Attendance(
            meeting=meeting,
            name="Tổ trưởng, đại diện tổ công đoàn",
            position="Các CĐCS doanh nghiệp ngoài nhà nước",
            role=Attendance.Role.PARTICIPANT,
            headcount=seminar.group_representatives,
            presence=Attendance.Presence.PRESENT,
        ),
    ]
    for attendance in attendances:
        # The federation's chair presided with the two vice-chairs; its staff kept the minutes.
        attendance.presence = Attendance.Presence.PRESENT
    # Each invited CĐCS's chair: most came, a few sent word they could not.
    absent = dict(zip(seminar.absent_chairs, SEMINAR_ABSENCE_REASONS, strict=True))
    invited_members = set()
    for unit_index in seminar.participants:
        unit, union = plan.units[unit_index], unions[unit_index]
        chair = next(office for office in unit.offices if office.role == UnionOfficial.Role.CHAIR)
        member = members[unit_index][chair.person]
        invited_members.add(member.pk)
        reason = absent.get(unit_index, "")
        attendances.append(
            Attendance(
                meeting=meeting,
                member=member,
                union=union,
                name=member.full_name,
                position=f"Chủ tịch {union.name}",
                role=Attendance.Role.PARTICIPANT,
                presence=Attendance.Presence.ABSENT if reason else Attendance.Presence.PRESENT,
                absence_reason=reason,
            )
        )
    for unit_index, office_index in seminar.speakers:
        unit = plan.units[unit_index]
        office = unit.offices[office_index]
        member = members[unit_index][office.person]
        group = unit.groups[office.group]
        if member.pk in invited_members:  # a chair who also leads a group is on the list once
            continue
        attendances.append(
            Attendance(
                meeting=meeting,
                member=member,
                union=unions[unit_index],
                name=member.full_name,
                position=f"Tổ trưởng {group.name}, {unit.name} (tham luận)",
                role=Attendance.Role.REPORTING,
                presence=Attendance.Presence.PRESENT,
            )
        )
    Attendance.objects.bulk_create(attendances)
    return meeting


def _meeting_hosts(district: Federation, unions: list[UnionToMeet]) -> list[Host]:
    """The district federation's own meetings until its end, then the demo ward union's from its founding."""
    ward = Federation.objects.get(code=DEMO_WARD_UNION)
    return [
        Host(
            federation=district,
            title="LĐLĐ quận",
            hall=FEDERATION_HALL,
            officials=FederationOfficials(FEDERATION_CHAIR, FEDERATION_VICE_CHAIRS, FEDERATION_STAFF),
            staff_position="Cán bộ Ban Tổ chức LĐLĐ quận",
            committee=FEDERATION_COMMITTEE,
            unions=unions,
            ends_on=DISTRICT_ENDED_ON,
        ),
        Host(
            federation=ward,
            title="Công đoàn phường",
            hall=WARD_UNION_HALL,
            officials=FederationOfficials(WARD_UNION_CHAIR, WARD_UNION_VICE_CHAIRS, WARD_UNION_STAFF),
            staff_position="Cán bộ chuyên trách Công đoàn phường",
            committee=WARD_UNION_COMMITTEE,
            unions=[
                in_union
                for in_union in unions
                if in_union.dissolved_on is None and ward_union_code(in_union.union.address) == DEMO_WARD_UNION
            ],
            first_day=WARDS_FOUNDED_ON,
        ),
    ]


def _superior_of_the_day(district: Federation) -> Callable[[GrassrootsUnion, date], Federation]:
    """A CĐCS's meeting belongs to the district until its end, then to the ward union that took the CĐCS."""
    wards = {ward.code: ward for ward in Federation.objects.filter(code__in=[code for code, *_ in WARD_UNIONS])}

    def superior(union: GrassrootsUnion, day: date) -> Federation:
        return district if day < DISTRICT_ENDED_ON else wards[ward_union_code(union.address)]

    return superior


def _load_follow_up_tasks(seminar: Meeting, meetings: DemoMeetings, *, today: date) -> None:
    """The seminar's follow-up (done in 2021), and open tasks of recent meetings for the ward's staff and chutich1."""
    accounts = User.objects.in_bulk(["canbo", "canbo_phuong", "chutich1"], field_name="username")
    staff, ward_staff, chair = accounts.get("canbo"), accounts.get("canbo_phuong"), accounts.get("chutich1")
    tasks = []
    if staff is not None:
        tasks += [
            FollowUpTask(meeting=seminar, description=task, owner=staff, due_on=due, done_on=done)
            for task, due, done in SEMINAR_TASKS
        ]
    if ward_staff is not None and (committee := meetings.latest_federation_committee):
        tasks += _open_tasks(committee, ward_staff, FEDERATION_COMMITTEE_TASKS, today=today)
    if chair is not None and (committee := meetings.latest_union_committee.get(chair.union_id)):
        tasks += _open_tasks(committee, chair, UNION_COMMITTEE_TASKS, today=today)
    FollowUpTask.objects.bulk_create(tasks)


def _open_tasks(meeting: Meeting, owner: User, tasks: Sequence[tuple[str, int]], *, today: date) -> list[FollowUpTask]:
    """A meeting's open follow-up tasks for one owner, each due some days from today."""
    return [
        FollowUpTask(meeting=meeting, description=task, owner=owner, due_on=today + timedelta(days=days))
        for task, days in tasks
    ]


def _split_name(full_name: str) -> tuple[str, str]:
    family_and_middle, _, given = full_name.rpartition(" ")
    return given, family_and_middle


def new_password() -> str:
    """A random password of about 119 bits, in letters and digits that cannot be misread."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(20))


# No 0/O, 1/l/I: the password is read off a terminal and typed in by hand.
PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _load_accounts(
    units: list[UnitPlan], federation: Federation, unions: list[GrassrootsUnion], *, generate_passwords: bool
) -> tuple[list[DemoAccount], list[str]]:
    def chair_of(prefix: str) -> tuple[GrassrootsUnion, str]:
        index = next(i for i, unit in enumerate(units) if unit.code.startswith(prefix))
        chair = next(office for office in units[index].offices if office.role == UnionOfficial.Role.CHAIR)
        return unions[index], units[index].people[chair.person].full_name

    school, school_chair = chair_of(f"{DISTRICT_CODE}-TH-")
    firm, firm_chair = chair_of(f"{DISTRICT_CODE}-DN-")
    accounts = [
        ("canbo", "cán bộ LĐLĐ quận", FEDERATION_STAFF, {"role": User.Role.DISTRICT_STAFF, "federation": federation}),
        ("lanhdao", "lãnh đạo LĐLĐ quận", FEDERATION_CHAIR, {"role": User.Role.LEADER, "federation": federation}),
        ("chutich1", "chủ tịch CĐCS trường học", school_chair, {"role": User.Role.UNION_CHAIR, "union": school}),
        ("chutich2", "chủ tịch CĐCS doanh nghiệp", firm_chair, {"role": User.Role.UNION_CHAIR, "union": firm}),
        ("quantri", "quản trị hệ thống (superuser)", SYSTEM_ADMIN, {"is_superuser": True}),
        (
            "canbo_phuong",
            "cán bộ công đoàn phường",
            WARD_UNION_STAFF,
            {"role": User.Role.DISTRICT_STAFF, "federation": Federation.objects.get(code=DEMO_WARD_UNION)},
        ),
    ]
    existing = set(
        User.objects.filter(username__in=[username for username, *_ in accounts]).values_list("username", flat=True)
    )
    # One hash for all of them when the password is the public one: each hash costs a good part of a second.
    shared_hash = None if generate_passwords else make_password(DEMO_PASSWORD)
    created, kept = [], []
    for username, role, full_name, scope in accounts:
        if username in existing:
            kept.append(username)
            continue
        password = new_password() if generate_passwords else None
        first_name, last_name = _split_name(full_name)
        User.objects.create(
            username=username,
            password=make_password(password) if password else shared_hash,
            first_name=first_name,
            last_name=last_name,
            email=f"{username}@example.org",
            is_staff=True,
            **scope,
        )
        created.append(DemoAccount(username=username, role=role, password=password))
    return created, kept


def _summarise(federation: Federation, created: list[str], kept: list[str]) -> DistrictSummary:
    # The district of the reference report (the unions founded since are not in it).
    unions = GrassrootsUnion.objects.filter(federation=federation, established_on__lte=REFERENCE_DAY)
    by_sector = dict(unions.order_by().values("sector__code").annotate(n=Count("id")).values_list("sector__code", "n"))
    # The reference report's workforce: the declarations of 2021, not the recent ones below.
    declared = WorkforceDeclaration.objects.filter(union__federation=federation, as_of__lte=REFERENCE_DAY)
    workforce = declared.aggregate(workers=Sum("total_workers"), female_workers=Sum("female_workers"))
    periods = MembershipPeriod.objects.as_of(REFERENCE_DAY).filter(union__federation=federation)
    membership = periods.aggregate(members=Count("id"), female_members=Count("id", filter=Q(member__gender="female")))
    return DistrictSummary(
        unions=unions.count(),
        unions_by_sector=by_sector,
        unions_with_groups=unions.filter(groups__isnull=False).distinct().count(),
        unions_with_departments=unions.filter(department_unions__isnull=False).distinct().count(),
        groups=UnionGroup.objects.filter(union__federation=federation).count(),
        workers=workforce["workers"] or 0,
        female_workers=workforce["female_workers"] or 0,
        members=membership["members"],
        female_members=membership["female_members"],
        officials=UnionOfficial.objects.filter(union__federation=federation).count(),
        accounts_created=created,
        accounts_kept=kept,
    )
