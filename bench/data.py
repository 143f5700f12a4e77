"""Data for the benchmark: the schema migrated, the synthetic city at the asked scale, personas, sample ids."""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Count

from apps.accounts.models import User
from apps.demo.synthetic import CITY_CODE, SYNTHETIC_PREFIX, foreign_federations, synthetic_federations
from apps.members.models import Member, MembershipPeriod
from apps.unions.models import Federation, GrassrootsUnion

STATE_DIR = Path(settings.BASE_DIR) / "var" / "bench"
# Autovacuum is off on this machine's server: the tables a load or a reorganisation churned,
# vacuumed as a running server's autovacuum would leave them. The notes tables are read by every
# dashboard ("anything to apply?"): 180,000 dead notes of a reorganisation made that 6 ms.
VACUUMED = (
    "members_member",
    "members_membershipperiod",
    "unions_grassrootsunion",
    "unions_workforcedeclaration",
    "dashboard_pendingfigureschange",
    "dashboard_pendingrestatement",
)


@dataclass
class Scale:
    federations: int
    unions: int
    members: int

    def as_dict(self) -> dict:
        return {"federations": self.federations, "unions": self.unions, "members": self.members}


@dataclass
class Prepared:
    scale: Scale
    generated_now: bool
    generation: dict  # seconds per step, when and how the data was made
    migration_seconds: float
    periods: int = 0
    active_members: int = 0
    table_sizes: dict[str, str] = field(default_factory=dict)


def current_scale() -> Scale | None:
    districts = synthetic_federations().filter(kind=Federation.Kind.DISTRICT).count()
    if not districts:
        return None
    return Scale(
        federations=districts,
        unions=GrassrootsUnion.objects.filter(federation__code__startswith=SYNTHETIC_PREFIX).count(),
        members=Member.objects.filter(union__federation__code__startswith=SYNTHETIC_PREFIX).count(),
    )


def _state_file(database: str) -> Path:
    return STATE_DIR / f"{database}.json"


def migrate(log) -> float:
    started = time.monotonic()
    out = StringIO()
    call_command("migrate", interactive=False, verbosity=1, stdout=out)
    applied = [line.strip() for line in out.getvalue().splitlines() if line.strip().startswith("Applying")]
    for line in applied:
        log(f"  {line}")
    return time.monotonic() - started


def generate(scale: Scale, seed: int, log) -> dict:
    started = time.monotonic()
    out = StringIO()
    call_command(
        "generate_synthetic",
        federations=scale.federations,
        unions=scale.unions,
        members=scale.members,
        seed=seed,
        stdout=out,
    )
    elapsed = time.monotonic() - started
    for line in out.getvalue().splitlines():
        log(f"  {line}")
    return {"seconds": round(elapsed, 1), "log_tail": out.getvalue().splitlines()[-3:], "at": time.strftime("%F %T")}


def table_sizes() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT relname, pg_size_pretty(pg_total_relation_size(oid))
            FROM pg_class
            WHERE relname IN ('members_member', 'members_membershipperiod', 'members_historicalmember',
                              'unions_grassrootsunion', 'unions_workforcedeclaration')
            ORDER BY pg_total_relation_size(oid) DESC
            """
        )
        return dict(cursor.fetchall())


def pg_settings() -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, setting, unit FROM pg_settings WHERE name IN "
            "('shared_buffers', 'work_mem', 'effective_cache_size', 'random_page_cost', 'jit', 'max_connections')"
        )
        rows = cursor.fetchall()
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    shown = {"server_version": version}
    for name, value, unit in rows:
        shown[name] = f"{value} {unit}" if unit else value
    return shown


def prepare(scale: Scale, *, database: str, seed: int, log) -> Prepared:
    """Migrate, then make sure the synthetic city of ``scale`` is there (generating it if not)."""
    log("Migrating the schema …")
    migration_seconds = migrate(log)
    if foreign_federations().exists():
        raise SystemExit(f"The database {database} holds data that is not synthetic; use a benchmark database.")
    state_file = _state_file(database)
    found = current_scale()
    generated_now = False
    if found is None:
        log(f"Generating the synthetic city: {scale.as_dict()} …")
        generation = generate(scale, seed, log)
        generation["scale"] = scale.as_dict()
        STATE_DIR.mkdir(parents=True, exist_ok=True)
        state_file.write_text(json.dumps(generation, indent=2, ensure_ascii=False))
        generated_now = True
    elif found != scale:
        raise ScaleMismatch(found)
    else:
        log(f"Reusing the synthetic city already in {database}: {found.as_dict()}")
        generation = json.loads(state_file.read_text()) if state_file.exists() else {}
    # Fresh statistics and visibility maps (after a load or a migration that rewrote rows),
    # as autovacuum would leave them on a server that has been running for a while.
    with connection.cursor() as cursor:
        for table in VACUUMED:
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")
    return Prepared(
        scale=scale,
        generated_now=generated_now,
        generation=generation,
        migration_seconds=migration_seconds,
        periods=MembershipPeriod.objects.count(),
        active_members=Member.objects.active().count(),
        table_sizes=table_sizes(),
    )


class ScaleMismatch(Exception):
    def __init__(self, found: Scale) -> None:
        super().__init__(f"the database holds another scale: {found.as_dict()}")
        self.found = found


@dataclass
class Persona:
    key: str
    label: str
    user: User
    password: str
    in_scope: int  # members this persona sees


def account(key: str, label: str, in_scope: int, **fields) -> Persona:
    """The staff account ``bench-<key>`` with ``fields`` and a fresh password, as a persona."""
    password = secrets.token_urlsafe(16)
    user, _ = User.objects.update_or_create(username=f"bench-{key}", defaults={"is_staff": True, **fields})
    user.set_password(password)
    user.save()
    return Persona(key, label, user, password, in_scope)


def personas(*, chairs: int = 6) -> dict[str, Persona]:
    """District staff of the city federation (sees everyone), of one district, and a few union chairs."""
    city = Federation.objects.get(code=CITY_CODE)
    districts = list(synthetic_federations().filter(kind=Federation.Kind.DISTRICT).order_by("code"))
    made: dict[str, Persona] = {}
    members = Member.objects.all()
    made["city"] = account(
        "city",
        "city federation staff",
        members.count(),
        role=User.Role.DISTRICT_STAFF,
        federation=city,
        union=None,
    )
    first = districts[0]
    made["district"] = account(
        "district",
        f"district staff ({first.name})",
        members.filter(union__federation=first).count(),
        role=User.Role.DISTRICT_STAFF,
        federation=first,
        union=None,
    )
    # A few more districts' staff and some chairs of ordinary unions, for the load test's mix.
    for index, district in enumerate(districts[1:4], start=2):
        made[f"district{index}"] = account(
            f"district{index}",
            f"district staff ({district.name})",
            members.filter(union__federation=district).count(),
            role=User.Role.DISTRICT_STAFF,
            federation=district,
            union=None,
        )
    sized = list(
        GrassrootsUnion.objects.filter(federation__code__startswith=SYNTHETIC_PREFIX)
        .annotate(n=Count("members"))
        .filter(n__gte=20)
        .order_by("id")
        .values_list("id", "n")[: chairs * 50 : 50]
    )
    for index, (union_id, size) in enumerate(sized[:chairs], start=1):
        made[f"chair{index}"] = account(
            f"chair{index}",
            "union chair",
            size,
            role=User.Role.UNION_CHAIR,
            union_id=union_id,
            federation=None,
        )
    return made


def province_personas() -> dict[str, Persona]:
    """Staff of the reorganised province (sees everyone) and of its largest ward union (bench.growth)."""
    city = Federation.objects.get(code=CITY_CODE)
    ward = (
        synthetic_federations()
        .filter(kind=Federation.Kind.COMMUNE)
        .annotate(n=Count("unions__members"))
        .order_by("-n", "code")
        .first()
    )
    if ward is None:
        raise SystemExit("No ward union: generate the province with generate_synthetic --reorganise.")
    members = Member.objects.all()
    staff = {"role": User.Role.DISTRICT_STAFF, "union": None}
    return {
        "province": account("province", "province staff", members.count(), federation=city, **staff),
        "ward": account(
            "ward",
            f"ward staff ({ward.name})",
            members.filter(union__federation=ward).count(),
            federation=ward,
            **staff,
        ),
    }
