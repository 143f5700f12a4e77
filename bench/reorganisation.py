"""The 2025 reorganisation of one district at city scale (issue 16, part 8): writes, then the dashboard.

``python -m bench.reorganisation`` on the benchmark's city (``make bench`` runs it too), inside
one transaction rolled back at the end, so the city stays as generated:

1. the district nearest 50,000 members gets its four ward unions (apps.demo.synthetic_reorganisation);
   the dashboards the leaders would have opened before are computed and kept;
2. its public-service CĐCS are dissolved in bulk as of today (a date no member history runs past),
   timed over several runs, each rolled back;
3. the district is ended and its CĐCS handed to the ward unions (``federation_reorganise``), timed
   over several runs, each rolled back but the last;
4. the first dashboard after it (which applies the reorganisation's notes to the kept days), then
   the dashboard of city staff and of one ward union's staff as of the eve and the day of the
   reorganisation, as organised then and as organised today: warm, and cold (nothing kept).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MEMBERS = 50_000
KEY = "reorganisation"


@dataclass
class Timed:
    name: str
    persona: str
    runs_ms: list[float]
    queries: int
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.runs_ms)

    @property
    def p95(self) -> float:
        from bench.server import percentile

        return percentile(self.runs_ms, 0.95)


class _Rollback(Exception):
    pass


def _timed_write(name: str, work: Callable[[], object], *, runs: int, keep_last: bool, log) -> Timed:
    """Time ``work`` ``runs`` times, each in a savepoint rolled back (but the last, if ``keep_last``)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    timings, queries = [], 0
    for run in range(runs):
        kept = keep_last and run == runs - 1
        try:
            with transaction.atomic(), CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                work()
                timings.append((time.perf_counter() - started) * 1000)
                queries = len(captured.captured_queries)
                if not kept:
                    raise _Rollback
        except _Rollback:
            pass
    measured = Timed(name, "district staff", timings, queries)
    log(f"  {name:<60} median {measured.median:9.1f} ms  max {max(timings):9.1f} ms  {queries} queries, {runs} runs")
    return measured


def _first_request(name: str, persona, client, url: str, log) -> Timed:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"{name}: HTTP {response.status_code}")
    measured = Timed(name, persona.label, [elapsed], len(captured.captured_queries), note=url)
    log(f"  {name:<60} {elapsed:9.1f} ms  {measured.queries} queries")
    return measured


def measure(*, runs: int, cold_runs: int, page_runs: int, warmup: int, log) -> dict:
    """Everything in one transaction rolled back; returns the facts and the measurements."""
    from django.db import transaction
    from django.db.models import Count, Q
    from django.utils import timezone

    from apps.accounts.models import User
    from apps.dashboard import figures
    from apps.dashboard.models import FiguresDay
    from apps.dashboard.overview import TREND_CUT_OFFS
    from apps.dashboard.selectors import cut_offs_before
    from apps.demo.district import DISTRICT_ENDED_ON
    from apps.demo.synthetic import CITY_CODE
    from apps.demo.synthetic_reorganisation import (
        districts_to_reorganise,
        found_late_unions_in_wards,
        reorganise,
        ward_unions_of,
    )
    from apps.members.models import Member
    from apps.members.services import unions_dissolve
    from apps.unions.models import Federation, GrassrootsUnion
    from apps.unions.sectors import PUBLIC_SERVICE
    from bench.data import Persona, personas
    from bench.server import Bench

    result: dict = {"facts": {}, "before": [], "writes": [], "first": [], "warm": [], "cold": []}
    with transaction.atomic():
        city = Federation.objects.get(code=CITY_CODE)
        sized = districts_to_reorganise(city).annotate(
            n=Count("unions__members", filter=Q(unions__members__status=Member.Status.ACTIVE))
        )
        district = min(sized, key=lambda federation: abs(federation.n - TARGET_MEMBERS))
        unions = GrassrootsUnion.objects.filter(federation=district, status=GrassrootsUnion.Status.ACTIVE)
        state_funded = list(unions.filter(sector__code=PUBLIC_SERVICE))
        log(f"Reorganising {district.name} ({district.n:,} active members, {unions.count():,} active CĐCS) …")
        team = personas(chairs=0)
        city_staff = team["city"]
        wards = ward_unions_of(district)
        found_late_unions_in_wards(district, wards)
        ward_user = User.objects.get(username=f"{wards[0].code.lower()}-canbo")
        ward_staff = Persona("ward", f"ward union staff ({wards[0].name})", ward_user, "", 0)
        eve, day, today = DISTRICT_ENDED_ON - timedelta(days=1), DISTRICT_ENDED_ON, timezone.localdate()
        pages = [
            (city_staff, f"as of {eve:%d/%m/%Y}", f"/dashboard/?as_of={eve}"),
            (city_staff, f"as of {day:%d/%m/%Y}", f"/dashboard/?as_of={day}"),
            (city_staff, f"as of {eve:%d/%m/%Y}, as organised today", f"/dashboard/?as_of={eve}&organised=today"),
            (city_staff, "today", "/dashboard/"),
            (ward_staff, f"as of {eve:%d/%m/%Y}, as organised today", f"/dashboard/?as_of={eve}&organised=today"),
            (ward_staff, f"as of {day:%d/%m/%Y}", f"/dashboard/?as_of={day}"),
        ]
        bench = Bench(runs=page_runs, warmup=warmup, budget=60.0, log=log)
        # What leaders opened before: these days are kept when the reorganisation is recorded
        # (a day read live is kept by the worker; the nightly refresh keeps today and the cut-offs).
        page_days = {today, eve, day}
        figures.ensure_figures(
            sorted({*page_days, *(cut for one in page_days for cut in cut_offs_before(one, TREND_CUT_OFFS))})
        )
        for persona, label, url in pages:
            if persona is city_staff:
                result["before"].append(bench.page(f"dashboard {label}, before the reorganisation", persona, url))
        members_dissolved = Member.objects.filter(union__in=state_funded, status=Member.Status.ACTIVE).count()
        result["writes"].append(
            _timed_write(
                f"dissolve {len(state_funded):,} public-service CĐCS ({members_dissolved:,} members), as of today",
                lambda: unions_dissolve(state_funded, on=today),
                runs=runs,
                keep_last=False,
                log=log,
            )
        )
        moved = unions.count()
        result["writes"].append(
            _timed_write(
                f"end the district, {moved:,} CĐCS ({district.n:,} members) to {len(wards)} ward unions",
                lambda: reorganise(district, wards),
                runs=runs,
                keep_last=True,
                log=log,
            )
        )
        result["first"].append(
            _first_request(
                "first dashboard after it (applies the move to the kept days)",
                city_staff,
                bench.client(city_staff),
                "/dashboard/",
                log,
            )
        )
        for persona, label, url in pages:
            result["warm"].append(bench.page(f"dashboard {label}", persona, url))
        for persona, label, url in pages:
            samples = []
            for _ in range(cold_runs):
                figures.forget_days(FiguresDay.objects.values_list("day", flat=True))
                samples.append(_first_request(f"dashboard {label}, cold", persona, bench.client(persona), url, log))
            result["cold"].append(
                Timed(samples[0].name, persona.label, [s.runs_ms[0] for s in samples], samples[0].queries, url)
            )
        result["facts"] = {
            "district": f"{district.name}: {district.n:,} active members, {moved:,} active CĐCS "
            f"({len(state_funded):,} of them public-service), to {len(wards)} ward unions",
            "day": f"{day:%d/%m/%Y} (eve {eve:%d/%m/%Y}); today {today:%d/%m/%Y}",
        }
        transaction.set_rollback(True)
    return result


def section(result: dict, *, commit: str, members: int, minutes: float) -> str:
    from bench.report import _ms

    lines = [
        f"<!-- bench:begin {KEY} -->",
        f"## The 2025 reorganisation of a district, at {members:,} members",
        "",
        "`python -m bench.reorganisation` (also run by `make bench`): in one transaction rolled back at the end, "
        "on the benchmark's city. Writes are timed over several runs, each in a savepoint rolled back "
        "(the reorganisation's last run is kept for the dashboards). *Warm*: the days are kept; "
        "*cold*: every kept day dropped first (`figures.forget_days`), so the request reads its seven days live.",
        "",
        f"- run: {time.strftime('%Y-%m-%d %H:%M')}, commit {commit}, {minutes:.1f} min",
        *(f"- {label}: {value}" for label, value in result["facts"].items()),
        "",
        "| step | as | runs | median ms | p95 ms | queries |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for group, suffix in (("before", ", warm"), ("writes", ""), ("first", ""), ("warm", ", warm"), ("cold", "")):
        for timed in result[group]:
            if hasattr(timed, "server_ms"):  # a bench.server.Measurement
                runs, median, p95, queries = timed.runs, timed.server_median, timed.server_p95, timed.queries
            else:
                runs, median, p95, queries = len(timed.runs_ms), timed.median, timed.p95, timed.queries
            cells = [f"{timed.name}{suffix}", timed.persona, str(runs), _ms(median), _ms(p95), str(queries)]
            lines.append("| " + " | ".join(cells) + " |")
    lines += ["", f"<!-- bench:end {KEY} -->"]
    return "\n".join(lines)


def run_and_write(*, output: Path, runs: int, cold_runs: int, page_runs: int, warmup: int, log) -> None:
    from apps.members.models import Member
    from bench import report

    started = time.monotonic()
    result = measure(runs=runs, cold_runs=cold_runs, page_runs=page_runs, warmup=warmup, log=log)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    text = section(
        result,
        commit=commit.stdout.strip() or "?",
        members=Member.objects.count(),
        minutes=(time.monotonic() - started) / 60,
    )
    report.write(output, KEY, text)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from bench.database import DEFAULT_URL

    parser = argparse.ArgumentParser(
        prog="python -m bench.reorganisation",
        description="The 2025 reorganisation of one district on the benchmark's synthetic city (rolled back).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--database-url", default=DEFAULT_URL, help="a PostgreSQL database holding the synthetic city")
    parser.add_argument("--runs", type=int, default=3, help="runs of each write")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold requests of each dashboard")
    parser.add_argument("--page-runs", type=int, default=20, help="warm requests of each dashboard")
    parser.add_argument("--warmup", type=int, default=2, help="untimed warm requests first")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "PERFORMANCE.md", help="report to update")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from bench.__main__ import configure_environment, log

    configure_environment(args.database_url)
    import django

    django.setup()
    from apps.demo.synthetic import synthetic_federations
    from bench.data import migrate

    migrate(log)
    if not synthetic_federations().exists():
        raise SystemExit("No synthetic city in this database: run `make bench` (or generate_synthetic) first.")
    from django.core.management import call_command

    # As a deploy does (README): with debug off, pages link the collected, hashed files.
    call_command("collectstatic", "--noinput", verbosity=0)
    run_and_write(
        output=args.output,
        runs=args.runs,
        cold_runs=args.cold_runs,
        page_runs=args.page_runs,
        warmup=args.warmup,
        log=log,
    )
    log(f"Figures in {args.output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
