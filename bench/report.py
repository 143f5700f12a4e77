"""docs/PERFORMANCE.md: each run rewrites the section of its scale and keeps everything else."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Types only: bench.growth writes its section from a process without Django.
    from bench.load import LoadResult
    from bench.server import Measurement

HEADER = """# Performance at city scale

How the portal behaves with a synthetic city federation loaded (`manage.py generate_synthetic`),
measured by `make bench` (`python -m bench --help`). Sections between the `bench:` markers
are rewritten by each run of their scale; the rest of this page is kept as written.
"""


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value < 100 else f"{value:,.0f}"


def _met(measurement: Measurement) -> str:
    target = measurement.target
    if not target:
        return "—"
    ok = True
    if "p95<1000" in target:
        ok &= measurement.server_p95 < 1000
    elif "p95<100" in target:
        ok &= measurement.server_p95 < 100
    if "q<=10" in target:
        ok &= measurement.queries <= 10
    return "yes" if ok else "**no**"


TARGET_TEXT = {"p95<100,q<=10": "p95 < 100 ms, ≤ 10 queries", "p95<100": "p95 < 100 ms", "p95<1000": "p95 < 1 s"}


def section(*, key: str, context: dict, measurements: list[Measurement], load: list[LoadResult]) -> str:
    lines = [f"<!-- bench:begin {key} -->", f"## {context['title']}", ""]
    lines += [f"- {label}: {value}" for label, value in context["facts"].items()]
    lines += [
        "",
        "### Server time, in-process",
        "",
        "Django's test client in the bench process, timed around each request (after "
        f"{context['warmup']} warm-up requests). *SQL alone* is the lower bound: the SELECTs the page ran, "
        "captured from one more request and replayed directly on a cursor the same number of times "
        "(writes, such as the session's, are not replayed). p95 is the nearest-rank 95th percentile.",
        "",
        "| page | as | runs | median ms | p95 ms | SQL alone median ms | SQL alone p95 ms | queries (+ BEGIN/COMMIT) "
        "| target | met |",
        "|---|---|--:|--:|--:|--:|--:|--:|---|---|",
    ]
    for m in measurements:
        lines.append(
            f"| {m.name} | {m.persona} | {m.runs} | {_ms(m.server_median)} | {_ms(m.server_p95)} | "
            f"{_ms(m.lower_median)} | {_ms(m.lower_p95)} | {m.queries} (+{m.transaction_control}) | "
            f"{TARGET_TEXT.get(m.target, m.target or '—')} | "
            f"{_met(m)} |"
        )
    if load:
        lines += [
            "",
            "### Load test",
            "",
            context["load_text"],
            "",
            "| connections | think time ms | duration s | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | "
            "non-2xx | socket errors | largest worker RSS MB | target | met |",
            "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|---|",
        ]
        for r in load:
            target, met = "—", "—"
            if r.connections >= 50:
                target = "no errors, p95 < 500 ms"
                ok = r.non2xx == 0 and r.socket_errors == 0 and r.p95_ms < 500
                met = "yes" if ok else "**no**"
            think = f"{r.think_ms[0]}–{r.think_ms[1]}" if r.think_ms[1] else "none"
            lines.append(
                f"| {r.connections} | {think} | {r.duration_s:.0f} | {r.requests:,} | {r.rps:.1f} | {_ms(r.p50_ms)} | "
                f"{_ms(r.p95_ms)} | {_ms(r.p99_ms)} | {_ms(r.max_ms)} | {r.non2xx} | {r.socket_errors} | "
                f"{r.largest_worker_rss_mb:.0f} | {target} | {met} |"
            )
    lines += ["", f"<!-- bench:end {key} -->"]
    return "\n".join(lines)


def write(path: Path, key: str, text: str) -> None:
    """Replace the section marked ``key`` in ``path`` (or append it), keeping the rest of the page."""
    current = path.read_text() if path.exists() else HEADER
    pattern = re.compile(rf"<!-- bench:begin {re.escape(key)} -->.*?<!-- bench:end {re.escape(key)} -->", re.DOTALL)
    if pattern.search(current):
        updated = pattern.sub(lambda _: text, current)
    else:
        updated = current.rstrip() + "\n\n" + text + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(updated)
