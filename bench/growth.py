"""python -m bench.growth: how each cost grows with the data (issue 17, parts 2 and 3).

For each size asked for (100,000 members by default; 1,000,000 and 3,000,000 with ``--sizes``)
a synthetic province of that size, reorganised as in 2025 (province → ward unions → CĐCS,
``generate_synthetic --reorganise``), is generated once into its own database, then a child
process per size times the same figures on it as a province's staff and a ward union's staff.
Each size's figures are kept in bench/results/growth-<size>.json, so a later run of the small size
alone keeps the large sizes' figures; the table in docs/PERFORMANCE.md shows every size on
record, each figure's growth measured between the smallest and largest size, and what it was
expected to be, and why.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Kept with the code: a run of the small size alone rewrites the table with the large sizes' figures.
RESULTS_DIR = ROOT / "bench" / "results"
SIZES = {"100k": 100_000, "1m": 1_000_000, "3m": 3_000_000}
# The shape of Hà Nội's city federation before 2025, scaled: 30 districts and 20,000 CĐCS a
# million members; the reorganisation makes four ward unions of each district.
DISTRICTS_PER_MILLION = 30
MEMBERS_PER_UNION = 50
FLAT, LOGARITHMIC, LINEAR = "flat", "logarithmic", "linear"


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    who: str  # "province" or "ward": whose page or work it is
    expected: str  # FLAT, LOGARITHMIC or LINEAR in the data
    why: str
    target_ms: float | None = None


FIGURES = (
    Figure(
        "member_list",
        "member list",
        "province",
        FLAT,
        "a page of 50 from an index in the list's order; the total is PostgreSQL's estimate past 10,000 rows",
        100,
    ),
    Figure(
        "member_search",
        "member list, name search",
        "province",
        FLAT,
        "walks the list's order in an index that carries the folded name, to the page's 50th match: "
        "grows with how rare the name is, not with the data",
        100,
    ),
    Figure(
        "member_page_500",
        "member list, page 500",
        "province",
        FLAT,
        "an OFFSET of 25,000 entries of the same index, read alone: grows with the page number, not the data",
        100,
    ),
    Figure("member_change", "member change page", "province", FLAT, "one member by primary key", 100),
    Figure(
        "ward_member_list",
        "member list",
        "ward",
        FLAT,
        "the ward's members (about 8,000) by an index on the union: the province's size does not enter",
        100,
    ),
    Figure(
        "ward_member_search",
        "member list, name search",
        "ward",
        FLAT,
        "the same index walk, filtered to the ward's members",
        100,
    ),
    Figure(
        "dashboard_warm",
        "dashboard, today (kept)",
        "province",
        LINEAR,
        "adds up the kept totals per federation and sector: a row per ward union and sector, so it grows "
        "with the number of ward unions, not of members",
        100,
    ),
    Figure(
        "ward_dashboard_warm",
        "dashboard, today (kept)",
        "ward",
        FLAT,
        "the ward's own kept totals and its CĐCS's rows",
        100,
    ),
    Figure(
        "dashboard_cold",
        "dashboard, a day never asked for",
        "province",
        LINEAR,
        "one index probe per CĐCS into its tallies (logarithmic in each CĐCS's history), for every CĐCS of "
        "the province: linear in CĐCS, not in members or history",
        1000,
    ),
    Figure(
        "ward_dashboard_cold",
        "dashboard, a day never asked for",
        "ward",
        FLAT,
        "computes the rows of the CĐCS ever under the ward only (selectors._maybe_in_scope): grows with "
        "the ward, and with the province only through finding which CĐCS those are",
        1000,
    ),
    Figure(
        "member_change_applied",
        "one member's change applied to the kept figures",
        "province",
        FLAT,
        "recounts one CĐCS's tallies and rows on each kept day: grows with the kept days, not the data",
        50,
    ),
    Figure(
        "enrol",
        "enrol a member, figures applied",
        "province",
        FLAT,
        "the member's rows and indexes (a B-tree descent each), then one CĐCS's figures on the kept days",
        100,
    ),
    Figure(
        "transfer",
        "transfer a member (request and accept), figures applied",
        "province",
        FLAT,
        "two periods and a request, then two CĐCS's figures on the kept days",
        100,
    ),
    Figure(
        "import",
        "import a sheet of 14,000 members (preview and confirm)",
        "province",
        FLAT,
        "a lookup per row by CCCD, card and CĐCS code (B-tree descents), then the rows written in chunks: "
        "grows with the sheet, not the data",
        10_000,
    ),
    Figure(
        "export",
        "export the public-service sector's active members (.xlsx)",
        "province",
        LINEAR,
        "streams every row asked for: linear in the rows exported (about 4.5 % of the members), not in the rest",
        10_000,
    ),
    Figure(
        "nightly_refresh",
        "nightly refresh (a new day kept)",
        "province",
        LINEAR,
        "computes every CĐCS's row of the day: linear in CĐCS",
        60_000,
    ),
)
BY_KEY = {figure.key: figure for figure in FIGURES}


def shape(members: int) -> dict[str, int]:
    return {
        "members": members,
        "unions": members // MEMBERS_PER_UNION,
        "federations": max(1, round(members * DISTRICTS_PER_MILLION / 1_000_000)),
    }


def database_url(size: str, base: str) -> str:
    return f"{base.rsplit('/', 1)[0]}/unionportal_bench_{size}"


def log(message: str) -> None:
    print(message, flush=True)


# The child: one size, one database


def ensure_generated(size: str) -> dict:
    """The province of ``size`` in this process's database, generated (and reorganised) when not there."""
    from django.core.management import call_command

    from bench.data import current_scale, migrate

    migrate(log)
    wanted = shape(SIZES[size])
    found = current_scale()
    if found is not None:
        if found.as_dict() != wanted:
            raise SystemExit(f"{size}: the database holds {found.as_dict()}, not {wanted}; drop it first.")
        return {"generated_now": False}
    log(f"Generating and reorganising {wanted} …")
    started = time.monotonic()
    call_command("generate_synthetic", reorganise=True, **wanted)
    return {"generated_now": True, "generation_seconds": round(time.monotonic() - started, 1)}


def measure(size: str, runs: int) -> dict:
    """Time every figure of FIGURES on this process's database (of ``size``)."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    from apps.dashboard import figures
    from apps.dashboard.overview import TREND_CUT_OFFS
    from apps.dashboard.selectors import cut_offs_before
    from apps.members.models import Member
    from apps.unions.models import GrassrootsUnion
    from bench.__main__ import MEMBER_LIST, days_never_asked_for
    from bench.big_files import EXPORT_URL, rss_mb
    from bench.data import VACUUMED, province_personas
    from bench.server import Bench

    generated = ensure_generated(size)
    # Fresh statistics and visibility maps, as autovacuum leaves a server that has run a while.
    with connection.cursor() as cursor:
        for table in VACUUMED:
            cursor.execute(f"VACUUM ANALYZE {table}")
        cursor.execute("ANALYZE")
    call_command("collectstatic", "--noinput", verbosity=0)
    # The high-water mark from here on: the pages' memory, not the generation's (Linux resets VmHWM).
    Path("/proc/self/clear_refs").write_text("5")
    personas = province_personas()
    province, ward = personas["province"], personas["ward"]
    today = timezone.localdate()
    figures.ensure_figures([today, *cut_offs_before(today, TREND_CUT_OFFS)])
    bench = Bench(runs=runs, warmup=2, budget=60, log=log)
    member = Member.objects.filter(status=Member.Status.ACTIVE).order_by("id").values_list("id", flat=True)[0]
    timed = {
        "member_list": bench.page("member list", province, MEMBER_LIST),
        "member_search": bench.page("member list, name search", province, f"{MEMBER_LIST}?q=nguyen+van"),
        "member_page_500": bench.page("member list, page 500", province, f"{MEMBER_LIST}?p=500"),
        "member_change": bench.page("member change page", province, f"{MEMBER_LIST}{member}/change/"),
        "ward_member_list": bench.page("member list", ward, MEMBER_LIST),
        "ward_member_search": bench.page("member list, name search", ward, f"{MEMBER_LIST}?q=nguyen+van"),
        "dashboard_warm": bench.page("dashboard, today", province, "/dashboard/"),
        "ward_dashboard_warm": bench.page("dashboard, today", ward, "/dashboard/"),
    }
    year = today.year - 3
    figures.ensure_figures(cut_offs_before(date(year, 1, 2), TREND_CUT_OFFS))
    for key, persona, days in (
        ("dashboard_cold", province, days_never_asked_for(year)),
        ("ward_dashboard_cold", ward, days_never_asked_for(year)),
    ):
        client = bench.client(persona)
        timed[key] = bench.call(
            "dashboard, a day never asked for",
            persona,
            lambda client=client, days=days: client.get(f"/dashboard/?as_of={next(days)}"),
        )
    timed["member_change_applied"] = bench.call(
        "one member's change applied", province, lambda: change_one_member(member, today)
    )
    # Two active CĐCS with members, far apart in the province: the sending and the receiving side.
    with_members = GrassrootsUnion.objects.active().filter(
        Exists(Member.objects.filter(union=OuterRef("pk"), status=Member.Status.ACTIVE))
    )
    sending, receiving = with_members.order_by("id")[:2000:1000]
    timed["enrol"] = bench.call(
        "enrol a member", province, lambda: rolled_back(lambda: enrol_one(sending, province.user, today))
    )
    timed["transfer"] = bench.call(
        "transfer a member",
        province,
        lambda: rolled_back(lambda: transfer_one(sending, receiving, province.user, today)),
    )
    sheet = province_sheet(IMPORTED_ROWS)
    importing = Bench(runs=3, warmup=1, budget=600, log=log)
    timed["import"] = importing.call(
        f"import a sheet of {IMPORTED_ROWS:,} members",
        province,
        lambda: rolled_back(lambda: import_sheet(sheet, province.user)),
    )
    # Memory over the pages and writes above; the export below streams, and is measured for time.
    peak_mb = rss_mb("self", "VmHWM")
    exported = Member.objects.filter(union__sector__code=EXPORTED_SECTOR, status=Member.Status.ACTIVE)
    exported_rows = exported.count()
    sector_id = exported.values_list("union__sector_id", flat=True)[0]
    export_url = f"{EXPORT_URL}?format=xlsx&union__sector__id__exact={sector_id}&status__exact=active"
    client = bench.client(province)
    timed["export"] = importing.call(
        f"export {exported_rows:,} members (.xlsx)", province, lambda: download(client, export_url)
    )
    refresh = Bench(runs=3, warmup=1, budget=600, log=log)
    timed["nightly_refresh"] = refresh.call("nightly refresh, a new day", province, lambda: refresh_a_new_day(today))
    return {
        "size": size,
        "shape": shape(SIZES[size]),
        "measured_on": time.strftime("%F"),
        "runs": runs,
        "in_scope": {"province": province.in_scope, "ward": ward.in_scope},
        "exported_rows": exported_rows,
        "kept_days": figures_days(),
        "peak_rss_mb": round(peak_mb),
        **generated,
        "figures": {
            key: {
                "median_ms": round(one.server_median, 1),
                "p95_ms": round(one.server_p95, 1),
                "sql_median_ms": round(one.lower_median, 1),
                "queries": one.queries,
                "runs": one.runs,
            }
            for key, one in timed.items()
        },
    }


def figures_days() -> int:
    from apps.dashboard.models import FiguresDay

    return FiguresDay.objects.count()


def change_one_member(member_id: int, today: date) -> None:
    """A gender correction by raw SQL, noted by the trigger, then the kept figures made exact."""
    from django.db import connection

    from apps.dashboard import figures

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_member SET gender = CASE WHEN gender = 'female' THEN 'male' ELSE 'female' END "
            "WHERE id = %s",
            [member_id],
        )
    figures.ensure_figures([today])


def rolled_back(work) -> None:
    """``work`` in a transaction that is rolled back: the province keeps its size for the next run."""
    from django.db import transaction

    with transaction.atomic():
        work()
        transaction.set_rollback(True)


def enrol_one(union, actor, today: date) -> None:
    """What the enrol form does (members.services.member_enrol), then the figures made exact."""
    from apps.dashboard import figures
    from apps.members import services

    services.member_enrol(
        union=union,
        joined_on=today,
        actor=actor,
        full_name="Đỗ Thị Bench",
        gender="female",
        national_id=f"09{time.perf_counter_ns() % 10**10:010d}",
    )
    figures.ensure_figures([today])


def transfer_one(sending, receiving, actor, today: date) -> None:
    """A transfer proposed and accepted (members.services), then the figures made exact."""
    from apps.dashboard import figures
    from apps.members import services
    from apps.members.models import Member

    member = Member.objects.filter(union=sending, status=Member.Status.ACTIVE).order_by("id").first()
    transfer = services.transfer_request(member=member, to_union=receiving, on=today, actor=actor)
    services.transfer_accept(transfer=transfer, actor=actor)
    figures.ensure_figures([today])


# A district's sheet (issue 12's target: under 10 s), into 250 CĐCS of the province.
IMPORTED_ROWS = 14_000


def province_sheet(rows: int) -> bytes:
    """bench.member_import's sheet, its rows dealt to 250 of the province's active CĐCS and their groups."""
    from apps.unions.models import GrassrootsUnion
    from bench.member_import import member_sheet

    unions = GrassrootsUnion.objects.active().order_by("id").prefetch_related("groups")[:250]
    return member_sheet(rows, units=[(union.code, [group.name for group in union.groups.all()]) for union in unions])


def import_sheet(sheet: bytes, user) -> None:
    """The import page's two steps (preview, confirm) in one go: members.imports."""
    from apps.members.imports import apply_member_import, preview_member_import

    plan = preview_member_import(sheet, filename="growth.xlsx", user=user)
    if plan.counts["created"] != len(plan.actions):
        raise RuntimeError(f"the sheet was not taken as new members: {plan.counts}")
    apply_member_import(plan, user=user, file_label="growth.xlsx")


# The public-service sector's active members: about 130,000 of 3,000,000 (the target: 100,000 in 10 s).
EXPORTED_SECTOR = "hcsn"


def download(client, url: str):
    """The member list's .xlsx download, read to its last byte (it streams)."""
    response = client.get(url)
    b"".join(response.streaming_content)
    return response


def refresh_a_new_day(today: date) -> None:
    """What the nightly refresh does on a new day: keep it (and apply what changed); the cut-offs are kept."""
    from django.core.management import call_command

    from apps.dashboard import figures

    figures.forget_days([today])
    call_command("refresh_figures", "--cut-offs-seconds", "0", stdout=io.StringIO())


# The parent: each size in a child, then the table


def run_size(size: str, base_url: str, runs: int) -> None:
    from bench.database import ensure_database

    url = database_url(size, base_url)
    ensure_database(url)
    output = RESULTS_DIR / f"growth-{size}.json"
    command = [sys.executable, "-m", "bench.growth", "--child", size, "--runs", str(runs)]
    subprocess.run(command, cwd=ROOT, check=True, env={**os.environ, "BENCH_GROWTH_URL": url})
    log(f"{size}: figures in {output.relative_to(ROOT)}")


def child(size: str, runs: int) -> None:
    from bench.__main__ import configure_environment

    configure_environment(os.environ["BENCH_GROWTH_URL"])
    import django

    django.setup()
    # One line a request would bury the figures.
    logging.getLogger("unionportal.requests").setLevel(logging.WARNING)
    result = measure(size, runs)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / f"growth-{size}.json").write_text(json.dumps(result, indent=2, ensure_ascii=False))


def recorded() -> list[dict]:
    found = [RESULTS_DIR / f"growth-{size}.json" for size in SIZES]
    return [json.loads(path.read_text()) for path in found if path.exists()]


def growth_exponent(small: dict, large: dict, key: str) -> float | None:
    """k in time ∝ members^k between two sizes, from the medians: 0 flat, 1 linear."""
    a, b = small["figures"].get(key), large["figures"].get(key)
    if not a or not b or a["median_ms"] <= 0:
        return None
    return math.log(b["median_ms"] / a["median_ms"]) / math.log(large["shape"]["members"] / small["shape"]["members"])


def measured_class(exponent: float | None) -> str:
    if exponent is None:
        return "—"
    if exponent < 0.15:
        return FLAT
    if exponent < 0.6:
        return f"{LOGARITHMIC} (or better than linear)"
    return LINEAR


def section(results: list[dict], commit: str) -> str:
    sizes = sorted(results, key=lambda result: result["shape"]["members"])
    lines = [
        "<!-- bench:begin growth -->",
        "## How cost grows with the data (issue 17, parts 2 and 3)",
        "",
        f"Written by `python -m bench.growth` on `{commit}` (`make bench` runs it at 100,000 members; "
        "`BENCH_GROWTH=100k,1m,3m make bench` at every size). Each size is a synthetic province "
        "reorganised as in 2025 (province → ward unions → CĐCS), generated once into its own database: "
        + "; ".join(
            f"{one['shape']['members']:,} members, {one['shape']['unions']:,} CĐCS, "
            f"{one['shape']['federations'] * 4} ward unions (measured {one['measured_on']}, {one['runs']} runs)"
            for one in sizes
        )
        + ". Medians in ms, p95 after the slash; the growth is the exponent k in time ∝ members^k "
        "between the smallest and largest size (0 flat, 1 linear): on a shared two-core machine, "
        "read it as a class, not a figure. Flat means at most a B-tree index's descent: logarithmic, "
        "one more level for about a hundred times the rows, too little to see here.",
        "",
        "| figure | as | "
        + " | ".join(f"{one['shape']['members']:,}" for one in sizes)
        + " | SQL alone, largest | target | growth measured | expected, and why |",
        "|---|---|" + "--:|" * len(sizes) + "--:|---|---|---|",
    ]
    for figure in FIGURES:
        cells = []
        for one in sizes:
            found = one["figures"].get(figure.key)
            cells.append(f"{_ms(found['median_ms'])} / {_ms(found['p95_ms'])}" if found else "—")
        largest = sizes[-1]["figures"].get(figure.key)
        exponent = growth_exponent(sizes[0], sizes[-1], figure.key) if len(sizes) > 1 else None
        met = _met(figure, sizes[-1])
        lines.append(
            f"| {figure.label} | {figure.who} staff | "
            + " | ".join(cells)
            + f" | {_ms(largest['sql_median_ms']) if largest else '—'} | {met} | "
            + (f"k = {exponent:.2f}: {measured_class(exponent)}" if exponent is not None else "—")
            + f" | {figure.expected}: {figure.why} |"
        )
    lines += [
        "",
        "Members in scope: "
        + "; ".join(
            f"{one['in_scope']['province']:,} for the province, {one['in_scope']['ward']:,} for the ward "
            f"at {one['shape']['members']:,}"
            for one in sizes
        )
        + ". Members exported: "
        + ", ".join(f"{one.get('exported_rows', 0):,}" for one in sizes)
        + ". Days kept while measuring: "
        + ", ".join(str(one["kept_days"]) for one in sizes)
        + ". Peak memory of the measuring process over the pages (every page above, in one process, the "
        "generation left out): " + ", ".join(f"{one['peak_rss_mb']} MB" for one in sizes) + ".",
        "",
        "<!-- bench:end growth -->",
    ]
    return "\n".join(lines)


def _ms(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def _met(figure: Figure, largest: dict) -> str:
    found = largest["figures"].get(figure.key)
    if figure.target_ms is None or not found:
        return "—"
    target = f"< {_ms(figure.target_ms)} ms" if figure.target_ms < 1000 else f"< {figure.target_ms / 1000:g} s"
    return f"{target}: {'met' if found['p95_ms'] < figure.target_ms else '**not met**'}"


def main(argv: list[str] | None = None) -> int:
    from bench.database import DEFAULT_URL

    parser = argparse.ArgumentParser(prog="python -m bench.growth", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_GROWTH", "100k"), help="of " + ", ".join(SIZES))
    parser.add_argument("--runs", type=int, default=30, help="timed runs per page")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "PERFORMANCE.md")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.runs)
        return 0
    sizes = [size.strip() for size in args.sizes.split(",") if size.strip()]
    unknown = set(sizes) - set(SIZES)
    if unknown:
        raise SystemExit(f"Unknown sizes {sorted(unknown)}: choose among {', '.join(SIZES)}.")
    for size in sizes:
        run_size(size, args.database_url, args.runs)
    from bench.report import write

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    write(args.output, "growth", section(recorded(), commit.stdout.strip() or "?"))
    log(f"The growth table is in {args.output}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
