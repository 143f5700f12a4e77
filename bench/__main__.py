"""python -m bench: measure the portal at city scale on PostgreSQL and write docs/PERFORMANCE.md.

Steps: create (or reuse) the benchmark database, migrate, generate the synthetic city when
it is not there at the asked scale, time pages in-process for several personas next to the
same SQL run directly, then load gunicorn with wrk, and write the figures; then bench.big_files
imports a 100,000-row sheet through a background worker and exports 100,000 members, on its own
scratch database.
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

from bench.big_files import DEFAULT_URL as BIG_FILES_URL
from bench.database import DEFAULT_URL, database_name, drop_database, ensure_database

ROOT = Path(__file__).resolve().parent.parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Benchmarks of unionportal at city scale on PostgreSQL; writes docs/PERFORMANCE.md.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL),
        help="PostgreSQL database for the benchmark (created if missing; env BENCH_DATABASE_URL)",
    )
    parser.add_argument("--federations", type=int, default=30, help="district federations of the synthetic city")
    parser.add_argument("--unions", type=int, default=20_000, help="grassroots unions (CĐCS)")
    parser.add_argument("--members", type=int, default=1_000_000, help="members")
    parser.add_argument("--seed", type=int, default=20210709, help="seed of the synthetic data")
    parser.add_argument(
        "--regenerate",
        action="store_true",
        help="drop and recreate the database when it holds another scale (automatic for unionportal_bench*)",
    )
    parser.add_argument("--runs", type=int, default=30, help="timed runs per page")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs before each page's timed runs")
    parser.add_argument(
        "--budget", type=float, default=20.0, help="seconds a slow page may take in all: fewer runs past it"
    )
    parser.add_argument("--skip-server", action="store_true", help="skip the in-process page timings")
    parser.add_argument("--skip-load", action="store_true", help="skip the gunicorn + wrk load test")
    parser.add_argument("--load-duration", type=int, default=20, help="seconds per load level")
    parser.add_argument("--load-connections", default="10,50", help="concurrent connections, comma-separated")
    parser.add_argument(
        "--think-ms",
        default="1000-5000",
        help="after the closed-loop levels (no pause), the same levels again as users who pause 'LOW-HIGH' ms "
        "between requests; 0 to skip them",
    )
    parser.add_argument(
        "--skip-big-files",
        action="store_true",
        help="skip the 100,000-row import as a background job and the 100,000-member export (bench.big_files)",
    )
    parser.add_argument(
        "--big-files-database-url",
        default=os.environ.get("BENCH_BIG_FILES_DATABASE_URL", BIG_FILES_URL),
        help="the big files' own scratch PostgreSQL database (env BENCH_BIG_FILES_DATABASE_URL)",
    )
    parser.add_argument("--big-files-runs", type=int, default=2, help="runs of the big-file import and exports")
    parser.add_argument(
        "--skip-reorganisation",
        action="store_true",
        help="skip the 2025 reorganisation of a 50,000-member district and its dashboards (bench.reorganisation)",
    )
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "PERFORMANCE.md", help="report to write")
    return parser.parse_args(argv)


def configure_environment(database_url: str) -> None:
    """Production-like settings for the in-process measurements (debug off), on the benchmark database."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "unionportal.settings"
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DJANGO_SSL_REDIRECT"] = "0"
    os.environ["DJANGO_SECURE_COOKIES"] = "0"
    # Sessions are made by force_login, so no code was ever given: the measured pages, not the
    # second factor's redirect (its cost is one session read, measured with every page).
    os.environ["TWO_FACTOR_REQUIRED"] = "0"


def log(message: str) -> None:
    print(message, flush=True)


def think_range(text: str) -> tuple[int, int]:
    if text.strip() in {"", "0"}:
        return (0, 0)
    low, _, high = text.partition("-")
    return (int(low), int(high or low))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark runs on PostgreSQL: give a postgres:// URL.")
    started = time.monotonic()
    configure_environment(args.database_url)
    name = database_name(args.database_url)
    if ensure_database(args.database_url):
        log(f"Created the database {name}.")

    import django

    django.setup()
    from django.db import connections

    from bench import data

    scale = data.Scale(federations=args.federations, unions=args.unions, members=args.members)
    try:
        prepared = data.prepare(scale, database=name, seed=args.seed, log=log)
    except data.ScaleMismatch as mismatch:
        if not (args.regenerate or name.startswith("unionportal_bench")):
            raise SystemExit(f"{name}: {mismatch}; pass --regenerate to drop and recreate it.") from None
        log(f"{name} holds {mismatch.found.as_dict()}: dropping and recreating it.")
        connections.close_all()
        drop_database(args.database_url)
        ensure_database(args.database_url)
        prepared = data.prepare(scale, database=name, seed=args.seed, log=log)

    # As a deploy does (README): with debug off, pages link the collected, hashed files.
    from django.core.management import call_command

    call_command("collectstatic", "--noinput", verbosity=0)
    personas = data.personas()
    samples = pick_samples(personas)
    measurements = [] if args.skip_server else measure_pages(args, personas, samples)
    load_results = [] if args.skip_load else load_test(args, personas, samples)
    write_report(args, prepared, measurements, load_results, started)
    if not args.skip_reorganisation:
        from bench.reorganisation import run_and_write

        log("The 2025 reorganisation of one district (rolled back):")
        run_and_write(output=args.output, runs=3, cold_runs=3, page_runs=min(args.runs, 20), warmup=2, log=log)
    if not args.skip_big_files:
        measure_big_files(args)
    log(f"Done in {time.monotonic() - started:.0f} s; figures in {args.output}.")
    return 0


def measure_big_files(args) -> None:
    """bench.big_files in its own process: it works on its own database, with a worker of its own."""
    from django.db import connections

    connections.close_all()
    command = [sys.executable, "-m", "bench.big_files", "--database-url", args.big_files_database_url]
    command += ["--runs", str(args.big_files_runs), "--output", str(args.output)]
    subprocess.run(command, cwd=ROOT, check=True)


def pick_samples(personas) -> dict:
    """Ids the pages are opened with: a large union of the first district, members with a history there."""
    from django.db.models import Count

    from apps.members.models import Member, TransferRequest
    from apps.unions.models import GrassrootsUnion

    district = personas["district"].user.federation
    unions = (
        GrassrootsUnion.objects.filter(federation=district)
        .annotate(n=Count("members"))
        .order_by("-n", "id")
        .values_list("id", flat=True)
    )
    transferred = (
        TransferRequest.objects.filter(to_union__federation=district, member__status=Member.Status.ACTIVE)
        .order_by("id")
        .values_list("member_id", flat=True)
    )
    samples = {
        "sector": GrassrootsUnion.objects.filter(pk=unions[0]).values_list("sector_id", flat=True).get(),
        "union": unions[0],
        "unions": list(unions[:200:10]),
        "member": transferred[0],
        "members": list(transferred[:40]),
        "by_persona": {},
    }
    for key, persona in personas.items():
        user = persona.user
        scoped_members = Member.objects.visible_to(user).active().order_by("id").values_list("id", flat=True)
        scoped_unions = GrassrootsUnion.objects.visible_to(user).order_by("id").values_list("id", flat=True)
        samples["by_persona"][key] = {
            "members": list(scoped_members[:4000:100]),
            "unions": list(scoped_unions[:2000:100]),
        }
    return samples


MEMBER_LIST = "/admin/members/member/"
UNION_LIST = "/admin/unions/grassrootsunion/"
LIST_TARGET = "p95<100,q<=10"
DASHBOARD_TARGET = "p95<100"
COLD_TARGET = "p95<1000"


def measure_pages(args, personas, samples) -> list:
    from django.utils import timezone

    from apps.dashboard import figures
    from apps.dashboard.overview import TREND_CUT_OFFS, federation_of
    from apps.dashboard.selectors import cut_offs_before, district_summary
    from bench.server import Bench

    today = timezone.localdate()
    past = cut_offs_before(today, 4)[-1]
    bench = Bench(runs=args.runs, warmup=args.warmup, budget=args.budget, log=log)
    # The dashboards' days kept, as the nightly refresh and the worker keep them: a day nobody asked
    # for is read live, measured on its own (measure_cold_dashboards).
    figures.ensure_figures(
        sorted({day for one in (today, past) for day in (one, *cut_offs_before(one, TREND_CUT_OFFS))})
    )
    for key in ("city", "district"):
        persona = personas[key]
        log(f"Pages as {persona.label} ({persona.in_scope:,} members in scope):")
        bench.page("member list", persona, MEMBER_LIST, target=LIST_TARGET)
        bench.page(
            "member list, one CĐCS", persona, f"{MEMBER_LIST}?union__id__exact={samples['union']}", target=LIST_TARGET
        )
        bench.page("member list, name search", persona, f"{MEMBER_LIST}?q=nguyen+van", target=LIST_TARGET)
        bench.page("member list, ID-number prefix", persona, f"{MEMBER_LIST}?q=0791", target=LIST_TARGET)
        bench.page("member list, page 500", persona, f"{MEMBER_LIST}?p=500", target=LIST_TARGET)
        bench.page("member change page", persona, f"{MEMBER_LIST}{samples['member']}/change/", target="p95<100")
        bench.page("CĐCS list", persona, UNION_LIST)
        bench.page("CĐCS change page", persona, f"{UNION_LIST}{samples['union']}/change/")
        user = persona.user
        for label, day in (("today", today), (f"on {past:%d/%m/%Y}", past)):
            bench.call(
                f"members/workers by sector, {label}",
                persona,
                lambda day=day, user=user: district_summary(as_of=day, user=user, federation=federation_of(user)),
                note="apps.dashboard.selectors.district_summary",
            )
        bench.page("dashboard page", persona, "/dashboard/", target=DASHBOARD_TARGET)
        bench.page(f"dashboard page, on {past:%d/%m/%Y}", persona, f"/dashboard/?as_of={past}", target=DASHBOARD_TARGET)
        bench.page("dashboard, one sector's CĐCS", persona, f"/dashboard/?sector={samples['sector']}")
        measure_cold_dashboards(bench, persona, year=today.year - (3 if key == "city" else 4))
    measure_figures_upkeep(bench, personas["city"], today)
    chair = personas["chair1"]
    log(f"Pages as a union chair ({chair.in_scope:,} members in scope):")
    bench.page("member list", chair, MEMBER_LIST, target=LIST_TARGET)
    bench.page("dashboard page", chair, "/dashboard/", target=DASHBOARD_TARGET)
    return bench.results


def days_never_asked_for(year: int):
    """Day after day of ``year``'s first five months that no one asked for: they share the trend's cut-offs."""
    from apps.dashboard.models import FiguresDay

    kept = set(FiguresDay.objects.values_list("day", flat=True))
    day = date(year, 1, 2)
    while day < date(year, 5, 31):
        if day not in kept:
            yield day
        day += timedelta(days=1)


def measure_cold_dashboards(bench, persona, *, year: int) -> None:
    """The dashboard for a day nobody asked for (issue 17): read live, a new day each run.

    First with the trend's cut-offs kept (what the nightly refresh keeps), then with nothing
    kept: the day and its six cut-offs all read live (a date before the kept cut-offs).
    """
    from apps.dashboard import figures
    from apps.dashboard.overview import TREND_CUT_OFFS
    from apps.dashboard.selectors import cut_offs_before

    client = bench.client(persona)
    figures.ensure_figures(cut_offs_before(date(year, 1, 2), TREND_CUT_OFFS))
    days = days_never_asked_for(year)
    bench.call(
        "dashboard page, a day never asked for",
        persona,
        lambda: client.get(f"/dashboard/?as_of={next(days)}"),
        target=COLD_TARGET,
        note="a new day each run, its cut-offs kept; read live (figures.read_live)",
    )
    older = days_never_asked_for(year - 12)
    bench.call(
        "dashboard page, nothing kept",
        persona,
        lambda: client.get(f"/dashboard/?as_of={next(older)}"),
        note="a new day each run, its six cut-offs not kept either: seven days read live",
    )


def measure_figures_upkeep(bench, persona, today) -> None:
    """What keeping the dashboard's summary exact costs: a day asked for the first time, and one change applied."""
    from apps.dashboard import figures
    from apps.dashboard.models import FiguresDay
    from apps.members.models import Member
    from bench.growth import change_one_member

    odd_day = today.replace(year=today.year - 2, month=3, day=15)

    def first_request_for_a_day():
        figures.forget_days([odd_day])
        figures.ensure_figures([odd_day])

    bench.call(
        "summary: a day never asked for, whole city",
        persona,
        first_request_for_a_day,
        note="apps.dashboard.figures.ensure_figures on a day not kept (writes not replayed)",
    )
    member = Member.objects.filter(status=Member.Status.ACTIVE).order_by("id").first()
    kept = FiguresDay.objects.count()

    bench.call(
        f"summary: one member's change applied ({kept} days kept)",
        persona,
        lambda: change_one_member(member.pk, today),
        note="a raw UPDATE noted by the trigger, then ensure_figures (writes not replayed)",
    )


def load_mix(personas, samples, cookies: dict[str, str]) -> list[tuple[str, str]]:
    """A read-mostly mix: lists, searches, detail pages and the dashboard, for chairs and district staff."""
    from bench.load import shuffled_mix

    weighted = []
    for key, persona in personas.items():
        cookie = cookies[key]
        mine = samples["by_persona"][key]
        # Chairs are most of the portal's users; district staff fewer; the city's staff fewest.
        share = {"city": 1, "district": 3}.get(key, 3 if key.startswith("district") else 2)
        weighted.append((MEMBER_LIST, cookie, 4 * share))
        weighted.append(("/dashboard/", cookie, 1 * share))
        for member_id in mine["members"][:20]:
            weighted.append((f"{MEMBER_LIST}{member_id}/change/", cookie, share))
        if persona.user.is_union_chair:
            weighted.append((f"{UNION_LIST}{persona.user.union_id}/change/", cookie, share))
            continue
        weighted.append((f"{MEMBER_LIST}?q=nguyen+thi", cookie, share))
        weighted.append((f"{MEMBER_LIST}?q=tran+van+an", cookie, share))
        weighted.append((f"{MEMBER_LIST}?q=0011", cookie, share))
        weighted.append((f"{MEMBER_LIST}?p=7", cookie, share))
        weighted.append((UNION_LIST, cookie, 2 * share))
        for union_id in mine["unions"][:10]:
            weighted.append((f"{MEMBER_LIST}?union__id__exact={union_id}", cookie, share))
            weighted.append((f"{UNION_LIST}{union_id}/change/", cookie, share))
    return shuffled_mix(weighted)


def load_test(args, personas, samples) -> list:
    from django.db import connections

    from bench.load import Server, ensure_nginx, ensure_wrk, run_wrk

    wrk, nginx = ensure_wrk(log), ensure_nginx(log)
    if wrk is None or nginx is None:
        return []
    connections.close_all()
    results = []
    think = think_range(args.think_ms)
    with Server(database_url=args.database_url, workers=args.workers, nginx=nginx, log=log) as server:
        cookies = {key: server.login(persona.user.username, persona.password) for key, persona in personas.items()}
        mix = load_mix(personas, samples, cookies)
        log(f"Load test: {len(set(mix))} distinct requests in the mix; warming up for 5 s …")
        run_wrk(wrk, server, mix, connections=4, duration=5, think_ms=(0, 0), log=lambda _: None)
        levels = [int(n) for n in args.load_connections.split(",")]
        pauses = [(0, 0)] + ([think] if think[1] else [])
        for pause in pauses:
            for connections_ in levels:
                results.append(
                    run_wrk(
                        wrk, server, mix, connections=connections_, duration=args.load_duration, think_ms=pause, log=log
                    )
                )
    return results


def write_report(args, prepared, measurements, load_results, started) -> None:
    from bench import data, report

    def number(value: int) -> str:
        return f"{value:,}"

    scale = prepared.scale
    generation = prepared.generation
    if generation:
        made = f"{generation.get('seconds', '?')} s by generate_synthetic ({generation.get('at', '?')})"
        made += " in this run" if prepared.generated_now else ", before this run"
    else:
        made = "generated before this run (time not recorded)"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    pg = data.pg_settings()
    facts = {
        "run": f"{time.strftime('%Y-%m-%d %H:%M')}, commit {commit.stdout.strip() or '?'} (plus the working tree)",
        "machine": f"{os.cpu_count()} cores, {_memory_gb():.0f} GiB, {platform.python_implementation()} "
        f"{platform.python_version()}, shared and noisy",
        "PostgreSQL": f"{pg.pop('server_version')} on 127.0.0.1, default settings: "
        + ", ".join(f"{k} {v}" for k, v in pg.items()),
        "data": f"{number(scale.federations)} district federations, {number(scale.unions)} CĐCS, "
        f"{number(scale.members)} members ({number(prepared.active_members)} active), "
        f"{number(prepared.periods)} membership periods",
        "sizes": ", ".join(f"{table} {size}" for table, size in prepared.table_sizes.items()),
        "synthetic data": made,
        "migrations": f"{prepared.migration_seconds:.1f} s at the start of this run",
        "bench duration": f"{(time.monotonic() - started) / 60:.1f} min",
    }
    load_text = (
        f"nginx (Debian's, one worker) in front of gunicorn with gunicorn.conf.py ({args.workers} sync workers), "
        "production settings (debug off), on 127.0.0.1; wrk (one thread) "
        f"for {args.load_duration} s per level after a 5 s warm-up, rotating {len(load_mix_keys())} kinds of "
        "read-only pages (member list, searches, a CĐCS's members, member and CĐCS detail pages, the CĐCS "
        "list, the dashboard) as union chairs, district staff of four districts and the city's staff, each "
        "signed in once through the login form. The session is written at most once a minute per person "
        "(idle timeout), and each member page logs the access to ID numbers. Without think time each "
        "connection sends its next request as soon as the last is answered (the server's capacity); with "
        "think time each connection is a person who pauses between pages. RSS is the largest gunicorn "
        "worker's, sampled every 0.25 s from /proc during the level."
    )
    text = report.section(
        key=f"members={scale.members}",
        context={
            "title": f"{number(scale.members)} members",
            "facts": facts,
            "warmup": args.warmup,
            "load_text": load_text,
        },
        measurements=measurements,
        load=load_results,
    )
    report.write(args.output, f"members={scale.members}", text)


def load_mix_keys() -> list[str]:
    return ["member list", "names", "ID prefix", "page", "one CĐCS", "member", "CĐCS list", "CĐCS", "dashboard"]


def _memory_gb() -> float:
    try:
        with open("/proc/meminfo") as meminfo:
            total_kb = int(meminfo.readline().split()[1])
        return total_kb / 1024 / 1024
    except OSError:
        return 0.0


if __name__ == "__main__":
    sys.exit(main())
