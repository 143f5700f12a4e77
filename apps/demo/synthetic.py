"""Synthetic city-scale data (issue 4): a city federation, its district federations, their unions and members.

Everything made here is fictional and marked: every federation code starts with
``SYNTHETIC_PREFIX``. The data is plausible rather than exact: sectors in the
proportions of a Hà Nội district, skewed union sizes, Vietnamese names, CCCD numbers
built like real ones (province, century and gender, year of birth), and membership
histories over several years with joins, transfers between unions of one district
(the period in the old union ends the day the one in the new union begins) and
leaves. Workforce declarations are dated and never below the members they cover.

PostgreSQL is loaded with COPY in batches, with explicit ids reserved from the
database beforehand (``apps.core.db.reserve_ids``); other databases (SQLite in the
tests) with ``bulk_create``. Rows are written in one transaction. History rows ("+", created) are written alongside, as
``bulk_create_recorded`` would, labelled with the command's name.
"""

from __future__ import annotations

import csv
import io
import math
import random
import time
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate

from django.db import connection, models, transaction
from django.utils import timezone, translation

from apps.accounts.models import User
from apps.core.db import reserve_ids
from apps.core.formatting import format_number
from apps.core.text import fold, normalize_name
from apps.dashboard import figures
from apps.demo import names
from apps.demo.drawing import Picker, day_between, landline, mobile_phone, national_id_prefix, years_after
from apps.members.models import Member, MembershipPeriod, TransferRequest, UnionOfficial
from apps.members.services import card_number
from apps.union_groups.models import UnionGroup
from apps.unions.models import (
    DepartmentUnion,
    Federation,
    GrassrootsUnion,
    Sector,
    UnionAffiliation,
    WorkforceDeclaration,
)
from apps.unions.sectors import (
    FDI_ENTERPRISES,
    NON_STATE_ENTERPRISES,
    PUBLIC_SCHOOLS,
    PUBLIC_SERVICE,
    STATE_ENTERPRISES,
    ensure_standard_sectors,
)

SYNTHETIC_PREFIX = "SYN-"
CITY_CODE = f"{SYNTHETIC_PREFIX}HN"
CITY_NAME = "Liên đoàn Lao động thành phố Hà Nội"
HISTORY_REASON = "generate_synthetic"
HISTORY_YEARS = 6

# The 30 districts, towns and rural districts of Hà Nội; (kind, name, relative size).
DISTRICTS: tuple[tuple[str, str, float], ...] = (
    ("quận", "Ba Đình", 1.3), ("quận", "Hoàn Kiếm", 1.4), ("quận", "Tây Hồ", 0.9), ("quận", "Long Biên", 1.3),
    ("quận", "Cầu Giấy", 1.6), ("quận", "Đống Đa", 1.6), ("quận", "Hai Bà Trưng", 1.5), ("quận", "Hoàng Mai", 1.4),
    ("quận", "Thanh Xuân", 1.3), ("quận", "Nam Từ Liêm", 1.5), ("quận", "Bắc Từ Liêm", 1.2), ("quận", "Hà Đông", 1.3),
    ("thị xã", "Sơn Tây", 0.6), ("huyện", "Ba Vì", 0.6), ("huyện", "Phúc Thọ", 0.5), ("huyện", "Đan Phượng", 0.6),
    ("huyện", "Hoài Đức", 0.7), ("huyện", "Quốc Oai", 0.6), ("huyện", "Thạch Thất", 0.8), ("huyện", "Chương Mỹ", 0.7),
    ("huyện", "Thanh Oai", 0.5), ("huyện", "Thường Tín", 0.6), ("huyện", "Phú Xuyên", 0.5), ("huyện", "Ứng Hòa", 0.5),
    ("huyện", "Mỹ Đức", 0.4), ("huyện", "Sóc Sơn", 0.9), ("huyện", "Đông Anh", 1.1), ("huyện", "Gia Lâm", 1.0),
    ("huyện", "Mê Linh", 0.8), ("huyện", "Thanh Trì", 0.8),
)  # fmt: skip

HCSN, SCHOOLS, PRIVATE, STATE, FDI = (
    PUBLIC_SERVICE,
    PUBLIC_SCHOOLS,
    NON_STATE_ENTERPRISES,
    STATE_ENTERPRISES,
    FDI_ENTERPRISES,
)
# sector -> (share of unions, median members, spread of the log-normal size, female share)
SECTOR_PROFILE: dict[str, tuple[float, float, float, float]] = {
    HCSN: (0.12, 25, 0.7, 0.55),
    SCHOOLS: (0.22, 45, 0.45, 0.78),
    PRIVATE: (0.55, 18, 1.0, 0.50),
    STATE: (0.04, 150, 0.9, 0.35),
    FDI: (0.07, 300, 1.1, 0.70),
}
# Share of each sector's workforce that has joined the union: (lowest, highest).
MEMBERSHIP_RATIO = {
    HCSN: (0.93, 1.0),
    SCHOOLS: (0.95, 1.0),
    PRIVATE: (0.72, 0.99),
    STATE: (0.88, 1.0),
    FDI: (0.75, 0.98),
}

# What happens to a member over the years (shares of all members).
TRANSFER_SHARE = 0.06
GROUP_MOVE_SHARE = 0.05
LEAVE_SHARE = 0.09
TRANSFERRED_OUT_SHARE = 0.01
UNIONS_WITH_GROUPS_SHARE = 0.79
DEPARTMENT_UNION_SHARE = 0.3  # of the large enterprises whose line has department unions

LEAVE_REASONS = (
    "Nghỉ việc",
    "Nghỉ việc",
    "Chấm dứt hợp đồng lao động",
    "Nghỉ hưu",
    "Chuyển công tác ra ngoài thành phố",
)
TRANSFERRED_OUT_REASON = "Chuyển sinh hoạt công đoàn về tỉnh khác"

SCHOOL_KINDS = (
    ("Trường Mầm non", names.KINDERGARTEN_NAMES, names.KINDERGARTEN_GROUPS, names.KINDERGARTEN_JOBS),
    ("Trường Tiểu học", names.PRIMARY_SCHOOL_NAMES, names.PRIMARY_GROUPS, names.SCHOOL_JOBS),
    ("Trường THCS", names.SECONDARY_SCHOOL_NAMES, names.SECONDARY_GROUPS, names.SCHOOL_JOBS),
)
STATE_LINES = (
    "Môi trường Đô thị",
    "Thoát nước",
    "Công viên Cây xanh",
    "Chiếu sáng và Thiết bị Đô thị",
    "Nước sạch",
    "Quản lý Đường bộ",
    "Xe buýt",
    "Điện lực",
    "Thủy lợi",
    "Phát triển Nhà",
)
FDI_LINES = (
    ("Điện tử", 0.72),
    ("Linh kiện Ô tô", 0.35),
    ("May mặc", 0.85),
    ("Thiết bị Y tế", 0.65),
    ("Nhựa Kỹ thuật", 0.55),
    ("Cơ khí Chính xác", 0.3),
    ("Phần mềm", 0.35),
    ("Thực phẩm", 0.66),
)
FDI_BRANDS = (
    "Hanwa", "Daeyang", "Seiko Minh", "Sunrise", "Pacific Star", "Kyowa", "Evergreen", "Asia Link", "Taewon",
    "Nippon Viet", "Golden Bridge", "Orient Tech", "Meisei", "Hansol Viet", "Fuji Lotus", "Everbright",
)  # fmt: skip
STREETS = (
    tuple(sorted({street for streets in names.WARDS.values() for street in streets})) + names.SECONDARY_SCHOOL_NAMES
)
GENERIC_JOBS = ("Nhân viên", "Công nhân", "Chuyên viên", "Kỹ thuật viên", "Kế toán", "Lái xe", "Bảo vệ")


@dataclass(frozen=True)
class Scale:
    """How much to make."""

    federations: int = 30
    unions: int = 20_000
    members: int = 1_000_000
    groups: int | None = None  # default: two and a half per union, as in the reference district
    seed: int = 20210709
    batch_size: int = 50_000

    @property
    def group_count(self) -> int:
        return self.groups if self.groups is not None else round(self.unions * 2.5)


@dataclass
class Summary:
    """What was written, and how long each step took."""

    rows: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    active_members: int = 0


def synthetic_federations() -> models.QuerySet[Federation]:
    return Federation.objects.filter(code__startswith=SYNTHETIC_PREFIX)


def foreign_federations() -> models.QuerySet[Federation]:
    """Federations that are not synthetic: real or demo data this command must not mix with unasked."""
    return Federation.objects.exclude(code__startswith=SYNTHETIC_PREFIX)


# --- writing rows ---------------------------------------------------------------------------


class _Table:
    """Buffers rows of one model (and its "+" history rows) and writes them in batches."""

    def __init__(self, model: type[models.Model], *, batch_size: int, now: datetime) -> None:
        self.model = model
        self.batch_size = batch_size
        self.now = now
        self.postgres = connection.vendor == "postgresql"
        self.fields = list(model._meta.concrete_fields)
        self.rows: list[dict] = []
        self.written = 0
        # Tables whose rows a trigger on this one looks up: written first.
        self.depends_on: list[_Table] = []
        self.ids: Iterator[int] = iter(())
        history = getattr(model, "history", None)
        self.history_model = history.model if history is not None else None

    def new_id(self) -> int:
        """An id for a row written with it; taken from the database a batch at a time, as the demo district's are."""
        value = next(self.ids, None)
        if value is None:
            self.ids = iter(reserve_ids(self.model, self.batch_size))
            value = next(self.ids)
        return value

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        for table in self.depends_on:
            table.flush()
        self._write(self.model, self.fields, self.rows)
        if self.history_model is not None:
            self._write_history(self.rows)
        self.written += len(self.rows)
        self.rows = []

    def _write_history(self, rows: list[dict]) -> None:
        fields = [f for f in self.history_model._meta.concrete_fields if f.attname != "history_id"]
        special = {
            "history_date": self.now,
            "history_type": "+",
            "history_change_reason": HISTORY_REASON,
            "history_user_id": None,
        }
        history_rows = [{**row, **special} for row in rows]
        self._write(self.history_model, fields, history_rows)

    def _write(self, model: type[models.Model], fields: list[models.Field], rows: list[dict]) -> None:
        defaults = {f.attname: (None if f.null else f.get_default()) for f in fields}
        if not self.postgres:
            model._default_manager.bulk_create(
                [model(**{f.attname: row.get(f.attname, defaults[f.attname]) for f in fields}) for row in rows],
                batch_size=2000,
            )
            return
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        names_ = [f.attname for f in fields]
        writer.writerows([tuple(row.get(name, defaults[name]) for name in names_) for row in rows])
        buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        # In CSV an unquoted empty value is NULL: text columns that cannot be NULL read it as "".
        not_null_text = [
            connection.ops.quote_name(f.column)
            for f in fields
            if not f.null and f.get_internal_type() in {"CharField", "TextField", "EmailField", "SlugField"}
        ]
        force = f", FORCE_NOT_NULL ({', '.join(not_null_text)})" if not_null_text else ""
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {model._meta.db_table} ({columns}) FROM STDIN WITH (FORMAT csv{force})", buffer)


# --- the plan of the city -------------------------------------------------------------------


@dataclass
class _District:
    federation_id: int
    code: str
    name: str
    weight: float
    staff_id: int = 0
    union_ids: list[int] = field(default_factory=list)


@dataclass
class _Union:
    id: int
    district: _District
    sector: str
    established_on: date
    female_share: float
    jobs: Sequence[str]
    size: int = 0
    group_names: list[str] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    department_names: Sequence[str] = ()
    # Offices, each [candidate member id, their current period's start, candidates seen so far].
    chair: list = field(default_factory=lambda: [None, None, 0])
    group_leaders: dict[int, list] = field(default_factory=dict)


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Whole numbers proportional to ``weights`` that sum to ``total`` (largest remainders)."""
    scale = sum(weights)
    if not weights or scale <= 0:
        return [0] * len(weights)
    exact = [total * w / scale for w in weights]
    counts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


class Generator:
    """Draws and writes the synthetic city; ``run`` does everything in one transaction."""

    def __init__(self, scale: Scale, *, progress: Callable[[str], None] = print, today: date | None = None) -> None:
        self.scale = scale
        self.progress = progress
        self.today = today or timezone.localdate()
        self.rng = random.Random(scale.seed)
        self.now = timezone.now()
        self.history_start = date(self.today.year - HISTORY_YEARS, 1, 1)
        self.summary = Summary()
        self.started = time.monotonic()
        # Yearly workforce declarations on 1 January (from the first after the union was
        # founded); members are counted at each and on the eve of the next (or today), and
        # the declaration covers the larger of the two.
        self.declaration_days = [date(year, 1, 1) for year in range(self.history_start.year, self.today.year + 1)]
        checkpoints = []
        for day in self.declaration_days:
            following = date(day.year + 1, 1, 1) - timedelta(days=1)
            checkpoints += [day, min(following, self.today)]
        self.checkpoints = checkpoints
        self.used_national_ids: set[str] = set()
        self.national_id_serials: dict[str, int] = {}

    # -- steps -----------------------------------------------------------------------------

    def run(self) -> Summary:
        # The progress lines are Vietnamese, numbers included (1.000.000).
        with translation.override("vi"):
            return self._run()

    def _run(self) -> Summary:
        with transaction.atomic():
            sectors = self._sectors()
            tables = {
                model: _Table(model, batch_size=self.scale.batch_size, now=self.now)
                for model in (
                    Federation,
                    GrassrootsUnion,
                    UnionAffiliation,
                    DepartmentUnion,
                    UnionGroup,
                    WorkforceDeclaration,
                    Member,
                    MembershipPeriod,
                    UnionOfficial,
                    TransferRequest,
                )
            }
            self.tables = tables
            tables[UnionAffiliation].depends_on = [tables[GrassrootsUnion]]
            tables[UnionGroup].depends_on = [tables[DepartmentUnion]]
            tables[Member].depends_on = [tables[UnionGroup]]
            tables[UnionOfficial].depends_on = [tables[Member]]
            if foreign_federations().exists():
                # Mixed on purpose (--allow-mixed): keep clear of the ID numbers already active.
                self.used_national_ids = set(
                    Member.objects.active().exclude(national_id=None).values_list("national_id", flat=True)
                )
            districts = self._step("federations", lambda: self._federations())
            unions = self._step("unions", lambda: self._unions(districts, sectors))
            self._step("groups", lambda: self._groups(unions))
            self._step("members", lambda: self._members(districts, unions))
            self._step("officials", lambda: self._officials(unions))
            self._step("workforce", lambda: self._workforce(unions))
            self._step("flush", lambda: [table.flush() for table in tables.values()])
            # The triggers noted every row for the dashboard's summary; nothing was kept before
            # (or it is stale now): start it afresh rather than apply a million notes.
            self._step("figures", figures.forget_all)
            self.summary.rows = {model._meta.label: table.written for model, table in tables.items()}
            committing = time.monotonic()
        # Deferred foreign keys are checked here, a million of them at city scale.
        self.summary.timings["commit"] = time.monotonic() - committing
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            self._step("analyze", self._analyze)
        self.summary.timings["total"] = time.monotonic() - self.started
        return self.summary

    def _step(self, name: str, work: Callable):
        started = time.monotonic()
        result = work()
        self.summary.timings[name] = time.monotonic() - started
        return result

    def _say(self, message: str) -> None:
        self.progress(f"[{time.monotonic() - self.started:7.1f} s] {message}")

    def _sectors(self) -> dict[str, int]:
        if Sector.objects.filter(code__in=SECTOR_PROFILE).count() < len(SECTOR_PROFILE):
            ensure_standard_sectors(Sector)
        return dict(Sector.objects.filter(code__in=SECTOR_PROFILE).values_list("code", "id"))

    def _federations(self) -> list[_District]:
        table = self.tables[Federation]
        city_id = table.new_id()
        table.add(
            self._timestamped(
                id=city_id,
                code=CITY_CODE,
                name=CITY_NAME,
                kind=Federation.Kind.PROVINCE,
                parent_id=None,
                # Rows written in bulk skip Federation.save, which keeps the paths: stated here.
                tree_path=f"/{city_id}/",
                address="",
            )
        )
        districts = []
        for index in range(self.scale.federations):
            kind, place, weight = DISTRICTS[index % len(DISTRICTS)]
            round_ = index // len(DISTRICTS)
            if round_:
                place = f"{place} {round_ + 1}"
            code = f"{SYNTHETIC_PREFIX}{index + 1:02d}"
            federation_id = table.new_id()
            name = f"Liên đoàn Lao động {kind} {place}"
            address = f"Số {self.rng.randint(1, 300)} {self.rng.choice(STREETS)}, {kind} {place}, Hà Nội"
            table.add(
                self._timestamped(
                    id=federation_id,
                    code=code,
                    name=name,
                    kind=Federation.Kind.DISTRICT,
                    parent_id=city_id,
                    tree_path=f"/{city_id}/{federation_id}/",
                    address=address,
                )
            )
            districts.append(_District(federation_id, code, f"{kind} {place}", weight * self.rng.uniform(0.85, 1.15)))
        table.flush()
        self.city_id = city_id
        # One district-staff account per district federation: it files the transfers.
        for district in districts:
            user = User(
                username=f"{district.code.lower()}-canbo",
                role=User.Role.DISTRICT_STAFF,
                federation_id=district.federation_id,
                is_staff=True,
                last_name="Cán bộ",
                first_name=district.name,
            )
            user.set_unusable_password()
            user.save()
            district.staff_id = user.pk
        self._say(f"{len(districts) + 1} liên đoàn (1 thành phố, {len(districts)} quận/huyện)")
        return districts

    def _unions(self, districts: list[_District], sectors: dict[str, int]) -> list[_Union]:
        rng = self.rng
        table = self.tables[GrassrootsUnion]
        per_district = _apportion(self.scale.unions, [d.weight for d in districts])
        pick_sector = Picker(rng, [(code, profile[0]) for code, profile in SECTOR_PROFILE.items()])
        lines = names.BUSINESS_LINES
        pick_line = Picker(rng, [(index, line.weight) for index, line in enumerate(lines)])
        unions: list[_Union] = []
        weights: list[float] = []
        for district, count in zip(districts, per_district, strict=True):
            for _ in range(count):
                sector = pick_sector()
                _share, median, spread, female_share = SECTOR_PROFILE[sector]
                weight = median * rng.lognormvariate(0, spread)
                employer, jobs, group_names, departments, line_share = self._unit(sector, district, lines[pick_line()])
                if departments:
                    weight *= 1.5
                if line_share is not None:
                    female_share = line_share
                established = day_between(rng, date(1990, 1, 1), self.today - timedelta(days=400), skew=0.7)
                union = _Union(
                    id=table.new_id(),
                    district=district,
                    sector=sector,
                    established_on=established,
                    female_share=min(0.97, max(0.03, female_share + rng.uniform(-0.12, 0.12))),
                    jobs=jobs,
                    group_names=group_names,
                    department_names=departments,
                )
                district.union_ids.append(union.id)
                code = f"{SYNTHETIC_PREFIX}{union.id:06d}"
                name = normalize_name(f"Công đoàn {employer}")
                employer = normalize_name(employer)
                table.add(
                    self._timestamped(
                        id=union.id,
                        federation_id=district.federation_id,
                        sector_id=sectors[sector],
                        code=code,
                        name=name,
                        employer_name=employer,
                        address=self._address(district),
                        phone=landline(rng),
                        status=GrassrootsUnion.Status.ACTIVE,
                        established_on=established,
                        dissolved_on=None,
                        search_text=GrassrootsUnion.build_search_text(code, name, employer),
                    )
                )
                # Bulk writes skip GrassrootsUnion.save(), which opens a CĐCS's first period.
                self.tables[UnionAffiliation].add(
                    self._timestamped(
                        id=self.tables[UnionAffiliation].new_id(),
                        union_id=union.id,
                        federation_id=district.federation_id,
                        started_on=established,
                        ended_on=None,
                        decision_id=None,
                    )
                )
                unions.append(union)
                weights.append(weight)
        # Skewed sizes: a few large factories, many small firms and offices.
        cap = max(1.0, 300 * self.scale.members / max(1, self.scale.unions))
        sizes = _apportion(self.scale.members, [min(w, cap) for w in weights])
        for union, size in zip(unions, sizes, strict=True):
            union.size = size
        table.flush()
        self.tables[UnionAffiliation].flush()
        self._say(f"{format_number(len(unions))} CĐCS")
        return unions

    def _unit(self, sector: str, district: _District, line: names.BusinessLine) -> tuple:
        """Employer name, job titles, group names in order of founding, department unions, female share or None."""
        rng = self.rng
        if sector == HCSN:
            form = rng.random()
            if form < 0.45:
                employer = f"UBND phường {rng.choice(STREETS)}"
                return employer, names.WARD_OFFICE_JOBS, list(names.WARD_OFFICE_GROUPS), (), None
            if form < 0.7:
                employer = f"Trạm Y tế phường {rng.choice(STREETS)}"
                return employer, names.HEALTH_STATION_JOBS, list(names.HEALTH_STATION_GROUPS), (), None
            unit = rng.choice(names.DISTRICT_UNITS).removesuffix(" quận")
            return f"{unit} {district.name}", names.DISTRICT_UNIT_JOBS, list(names.DISTRICT_UNIT_GROUPS), (), None
        if sector == SCHOOLS:
            label, pool, groups, jobs = rng.choice(SCHOOL_KINDS)
            largest = max(groups)
            return f"{label} {rng.choice(pool)}", jobs, list(groups[largest]), (), None
        if sector == STATE:
            employer = f"Công ty TNHH MTV {rng.choice(STATE_LINES)} {rng.choice(names.TRADE_NAME_FIRST)} Hà Nội"
            return employer, GENERIC_JOBS, ["Tổ công đoàn số {n}"], (), None
        if sector == FDI:
            label, share = rng.choice(FDI_LINES)
            employer = f"Công ty TNHH {label} {rng.choice(FDI_BRANDS)} Việt Nam"
            return employer, GENERIC_JOBS, ["Tổ Văn phòng", "Tổ công đoàn Xưởng {n}"], (), share
        form = Picker(rng, names.LEGAL_FORMS)()
        employer = f"{form} {line.label} {rng.choice(names.TRADE_NAME_FIRST)} {rng.choice(names.TRADE_NAME_SECOND)}"
        groups = list(line.groups)
        departments = line.department_unions if rng.random() < DEPARTMENT_UNION_SHARE else ()
        return employer, line.jobs, [*groups, line.numbered_group], departments, line.female_share

    def _address(self, district: _District) -> str:
        rng = self.rng
        street = rng.choice(STREETS)
        if rng.random() < 0.6:
            return f"Số {rng.randint(1, 450)} {street}, {district.name}, Hà Nội"
        return f"Số {rng.randint(1, 60)} ngõ {rng.randint(1, 300)} {street}, {district.name}, Hà Nội"

    def _groups(self, unions: list[_Union]) -> None:
        total = self.scale.group_count
        by_size = sorted(unions, key=lambda u: (-u.size, u.id))
        with_groups = by_size[: min(total, round(len(unions) * UNIONS_WITH_GROUPS_SHARE))]
        # At least one group each, about one group per eight members, never more than a quarter of them.
        room = [max(1, union.size // 4) for union in with_groups]
        counts = [1] * len(with_groups)
        extra = _apportion(total - len(with_groups), [u.size**0.8 for u in with_groups]) if with_groups else []
        spare = 0
        for index, more in enumerate(extra):
            allowed = min(more, room[index] - 1)
            counts[index] += allowed
            spare += more - allowed
        for index in range(len(with_groups)):  # what did not fit goes to the largest unions
            if not spare:
                break
            allowed = min(spare, room[index] - counts[index])
            counts[index] += allowed
            spare -= allowed
        group_table = self.tables[UnionGroup]
        department_table = self.tables[DepartmentUnion]
        for union, count in zip(with_groups, counts, strict=True):
            departments = []
            if union.department_names and count >= 4:
                for name in union.department_names:
                    department_id = department_table.new_id()
                    department_table.add(
                        self._timestamped(
                            id=department_id,
                            union_id=union.id,
                            name=normalize_name(name),
                            search_name=fold(name),
                            established_on=union.established_on,
                            dissolved_on=None,
                        )
                    )
                    departments.append(department_id)
            for index, name in enumerate(self._group_names(union, count)):
                group_id = group_table.new_id()
                department = departments[index % len(departments)] if departments and "Văn phòng" not in name else None
                group_table.add(
                    self._timestamped(
                        id=group_id,
                        union_id=union.id,
                        department_union_id=department,
                        name=name,
                        search_name=fold(name),
                        established_on=union.established_on,
                        dissolved_on=None,
                    )
                )
                union.group_ids.append(group_id)
                union.group_leaders[group_id] = [None, None, 0]
        department_table.flush()
        group_table.flush()
        self._say(
            f"{format_number(group_table.written)} tổ công đoàn, "
            f"{format_number(department_table.written)} công đoàn bộ phận"
        )

    def _group_names(self, union: _Union, count: int) -> list[str]:
        fixed = [name for name in union.group_names if "{n}" not in name]
        pattern = next((name for name in union.group_names if "{n}" in name), "Tổ công đoàn số {n}")
        result = [normalize_name(name) for name in fixed[:count]]
        taken = set(result)
        number = 1
        while len(result) < count:
            name = normalize_name(pattern.format(n=number))
            if name not in taken:
                taken.add(name)
                result.append(name)
            number += 1
        return result

    # -- people ----------------------------------------------------------------------------

    def _members(self, districts: list[_District], unions: list[_Union]) -> None:
        rng = self.rng
        members, periods, transfers = (
            self.tables[Member],
            self.tables[MembershipPeriod],
            self.tables[TransferRequest],
        )
        today = self.today
        history_start = self.history_start
        family = Picker(rng, names.FAMILY_NAMES)
        male_middle = Picker(rng, names.MALE_MIDDLE_NAMES)
        female_middle = Picker(rng, names.FEMALE_MIDDLE_NAMES)
        ethnicity = Picker(rng, names.ETHNICITIES)
        province = Picker(rng, names.PROVINCE_CODES)
        derived_cache: dict[str, tuple[str, dict[str, str]]] = {}
        by_id = {union.id: union for union in unions}
        # Per union and checkpoint: members and female members in force (difference arrays).
        width = len(self.checkpoints) + 1
        self.in_force = {union.id: [0] * (2 * width) for union in unions}
        checkpoints = self.checkpoints
        fed_codes = {d.federation_id: d.code for d in districts}
        active = 0
        total = sum(union.size for union in unions)
        step = max(1, total // 10)
        made = 0

        def count_period(union_id: int, start: date, end: date | None, female: bool) -> None:
            counts = self.in_force[union_id]
            first = bisect_left(checkpoints, start)
            last = bisect_left(checkpoints, end) if end is not None else len(checkpoints)
            if first < last:
                counts[first] += 1
                counts[last] -= 1
                if female:
                    counts[width + first] += 1
                    counts[width + last] -= 1

        for union in unions:
            district_unions = union.district.union_ids
            fed_code = fed_codes[union.district.federation_id]
            for _ in range(union.size):
                made += 1
                female = rng.random() < union.female_share
                if female:
                    middle = female_middle()
                    if middle == "Thị" and rng.random() < 0.25:
                        middle = f"Thị {rng.choice(names.FEMALE_SECOND_MIDDLE_NAMES)}"
                    given = rng.choice(names.FEMALE_GIVEN_NAMES)
                else:
                    middle = male_middle()
                    given = rng.choice(names.MALE_GIVEN_NAMES)
                raw_name = f"{family()} {middle} {given}"
                cached = derived_cache.get(raw_name)
                if cached is None:
                    full_name = normalize_name(raw_name)
                    cached = derived_cache[raw_name] = (full_name, Member.derived_name_fields(full_name))
                full_name, derived = cached
                age_days = int(365.25 * rng.triangular(20, 60, 34))
                born = today - timedelta(days=age_days)
                adult = years_after(born, 18)
                earliest = max(union.established_on, adult, today - timedelta(days=365 * 30))
                joined = day_between(rng, earliest, today - timedelta(days=1), skew=0.6)
                if joined <= born:
                    joined = born + timedelta(days=1)
                member_id = members.new_id()
                status = Member.Status.ACTIVE
                # Where the member was before: a transfer in from another union of the district.
                spans: list[list] = []  # [union, group, start, end, end_reason]
                current_union = union
                start = joined
                moved_on = None
                roll = rng.random()
                if roll < TRANSFER_SHARE and len(district_unions) > 1:
                    window_start = max(start, history_start) + timedelta(days=1)
                    if window_start < today:
                        transfer_on = day_between(rng, window_start, today)
                        origin = by_id[rng.choice(district_unions)]
                        if origin is not union and origin.established_on <= start < transfer_on:
                            spans.append([origin, self._group_of(origin), start, transfer_on, ""])
                            start = moved_on = transfer_on
                group = self._group_of(current_union)
                if GROUP_MOVE_SHARE + TRANSFER_SHARE > roll >= TRANSFER_SHARE and len(union.group_ids) > 1:
                    window_start = max(start, history_start) + timedelta(days=1)
                    if window_start < today:
                        move_on = day_between(rng, window_start, today)
                        other = rng.choice([g for g in union.group_ids if g != group])
                        spans.append([union, group, start, move_on, ""])
                        start, group = move_on, other
                spans.append([union, group, start, None, ""])
                leave_roll = rng.random()
                if leave_roll < LEAVE_SHARE + TRANSFERRED_OUT_SHARE:
                    window_start = max(start, history_start) + timedelta(days=1)
                    if window_start <= today:
                        left_on = day_between(rng, window_start, today)
                        if leave_roll < TRANSFERRED_OUT_SHARE:
                            status, reason = Member.Status.TRANSFERRED, TRANSFERRED_OUT_REASON
                        else:
                            status, reason = Member.Status.LEFT, rng.choice(LEAVE_REASONS)
                        spans[-1][3], spans[-1][4] = left_on, reason
                is_active = status == Member.Status.ACTIVE
                if is_active:
                    active += 1
                    self._offer_office(union.chair, member_id, start)
                    if group is not None:
                        self._offer_office(union.group_leaders[group], member_id, start)
                members.add(
                    {
                        "id": member_id,
                        "created_at": self.now,
                        "updated_at": self.now,
                        "union_id": union.id,
                        # Kept by a trigger as well; written here so both databases agree.
                        "federation_id": union.district.federation_id,
                        "group_id": group if is_active else None,
                        "full_name": full_name,
                        "gender": "female" if female else "male",
                        "date_of_birth": born,
                        "national_id": self._national_id(province(), born, female),
                        "phone": mobile_phone(rng) if rng.random() < 0.8 else "",
                        "email": "",
                        "ethnicity": ethnicity(),
                        "job_title": rng.choice(union.jobs),
                        "joined_union_on": joined,
                        "card_number": card_number(federation_code=fed_code, member_id=member_id),
                        "status": status,
                        **derived,
                    }
                )
                for span_union, span_group, span_start, span_end, reason in spans:
                    periods.add(
                        {
                            "id": periods.new_id(),
                            "member_id": member_id,
                            "union_id": span_union.id,
                            "group_id": span_group,
                            "started_on": span_start,
                            "ended_on": span_end,
                            "end_reason": reason,
                        }
                    )
                    count_period(span_union.id, span_start, span_end, female)
                if moved_on is not None:
                    asked = datetime.combine(moved_on - timedelta(days=rng.randint(3, 20)), datetime.min.time())
                    asked = timezone.make_aware(asked.replace(hour=rng.randint(8, 16), minute=rng.randint(0, 59)))
                    transfers.add(
                        {
                            "id": transfers.new_id(),
                            "member_id": member_id,
                            "from_union_id": spans[0][0].id,
                            "to_union_id": union.id,
                            "effective_on": moved_on,
                            "status": TransferRequest.Status.ACCEPTED,
                            "note": "",
                            "requested_by_id": union.district.staff_id,
                            "requested_at": asked,
                            "decided_by_id": union.district.staff_id,
                            "decided_at": asked + timedelta(days=rng.randint(1, 3)),
                            "refusal_reason": "",
                        }
                    )
                if made % step == 0:
                    self._say(f"đoàn viên: {format_number(made)} / {format_number(total)}")
        members.flush()
        periods.flush()
        transfers.flush()
        self.summary.active_members = active

    def _group_of(self, union: _Union) -> int | None:
        if not union.group_ids or self.rng.random() < 0.05:
            return None
        return self.rng.choice(union.group_ids)

    def _offer_office(self, slot: list, member_id: int, since: date) -> None:
        """Reservoir of one: every active member of a union (or group) is equally likely to hold its office."""
        slot[2] += 1
        if self.rng.random() * slot[2] < 1:
            slot[0], slot[1] = member_id, since

    def _national_id(self, province: str, born: date, female: bool) -> str:
        prefix = national_id_prefix(province, born, female=female)
        while True:
            serial = self.national_id_serials.get(prefix, 0)
            self.national_id_serials[prefix] = serial + 1
            # An odd multiplier is a bijection modulo 10**6: serials never repeat within a prefix.
            number = f"{prefix}{(serial * 7919 + 104_729) % 1_000_000:06d}"
            if number not in self.used_national_ids:
                return number

    def _officials(self, unions: list[_Union]) -> None:
        table = self.tables[UnionOfficial]
        rng = self.rng
        for union in unions:
            offices = [(union.chair, UnionOfficial.Role.CHAIR, None)]
            offices += [(slot, UnionOfficial.Role.GROUP_LEADER, group) for group, slot in union.group_leaders.items()]
            for (member_id, since, _seen), role, group_id in offices:
                if member_id is None:
                    continue
                term_start = day_between(rng, max(since, self.today - timedelta(days=5 * 365)), self.today)
                table.add(
                    {
                        "id": table.new_id(),
                        "member_id": member_id,
                        "union_id": union.id,
                        "group_id": group_id,
                        "role": role,
                        "started_on": term_start,
                        "ended_on": None,
                    }
                )
        table.flush()
        self._say(f"{format_number(table.written)} cán bộ công đoàn (chủ tịch, tổ trưởng)")

    def _workforce(self, unions: list[_Union]) -> None:
        rng = self.rng
        table = self.tables[WorkforceDeclaration]
        width = len(self.checkpoints) + 1
        for union in unions:
            diff = self.in_force[union.id]
            members = list(accumulate(diff[: width - 1]))
            women = list(accumulate(diff[width : 2 * width - 1]))
            low, high = MEMBERSHIP_RATIO[union.sector]
            for index, day in enumerate(self.declaration_days):
                if day < union.established_on:
                    continue
                # The peak of the year it covers: at the declaration or on the eve of the next one.
                peak_all = max(members[2 * index], members[2 * index + 1])
                peak_women = max(women[2 * index], women[2 * index + 1])
                peak_men = peak_all - peak_women
                female_workers = math.ceil(peak_women / rng.uniform(low, high))
                male_workers = math.ceil(max(peak_men, 0) / rng.uniform(low, high))
                if female_workers + male_workers == 0:
                    female_workers, male_workers = 0, 1
                table.add(
                    self._timestamped(
                        id=table.new_id(),
                        union_id=union.id,
                        as_of=day,
                        total_workers=female_workers + male_workers,
                        female_workers=female_workers,
                        note=f"Số liệu khai báo năm {day.year}",
                    )
                )
        table.flush()
        self._say(f"{format_number(table.written)} bản khai báo lao động")

    def _analyze(self) -> None:
        with connection.cursor() as cursor:
            for model in self.tables:
                cursor.execute(f"VACUUM ANALYZE {model._meta.db_table}")

    def _timestamped(self, **row) -> dict:
        return {"created_at": self.now, "updated_at": self.now, **row}


def generate(scale: Scale, *, progress: Callable[[str], None] = print, today: date | None = None) -> Summary:
    """Write a synthetic city of ``scale`` into the database (one transaction) and say how long it took."""
    return Generator(scale, progress=progress, today=today).run()
