"""Server time of pages and aggregates, in-process, next to the time of the same SQL run directly."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.data import Persona


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (the p95 of 30 runs is the 29th fastest)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Measurement:
    name: str
    persona: str
    target: str
    runs: int
    server_ms: list[float]
    lower_ms: list[float]
    queries: int  # SQL statements, as Django counts them, less transaction control (BEGIN, COMMIT, savepoints)
    transaction_control: int
    replayed: int  # SELECTs replayed for the lower bound (writes such as the session's are not)
    status: int = 200
    note: str = ""
    sql: list[str] = field(default_factory=list)

    @property
    def server_median(self) -> float:
        return statistics.median(self.server_ms)

    @property
    def server_p95(self) -> float:
        return percentile(self.server_ms, 0.95)

    @property
    def lower_median(self) -> float:
        return statistics.median(self.lower_ms)

    @property
    def lower_p95(self) -> float:
        return percentile(self.lower_ms, 0.95)


def _replay(statements: list[str], runs: int) -> list[float]:
    """Run the page's SELECTs directly on a cursor: what the database alone costs, ``runs`` times."""
    timings = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            started = time.perf_counter()
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def _is_transaction_control(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT"))


def _selects(captured: CaptureQueriesContext) -> list[str]:
    # A day read live is a SELECT behind its common table expression (apps.dashboard.figures.read_live).
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].lstrip().upper().startswith(("SELECT", "WITH"))
    ]


class Bench:
    """Times pages for personas: ``warmup`` runs first, then ``runs`` timed runs and one that records the SQL."""

    def __init__(self, *, runs: int, warmup: int, budget: float, log: Callable[[str], None]) -> None:
        self.runs = runs
        self.warmup = warmup
        self.budget = budget
        self.log = log
        self.results: list[Measurement] = []
        self.clients: dict[str, Client] = {}

    def client(self, persona: Persona) -> Client:
        if persona.key not in self.clients:
            client = Client(HTTP_ACCEPT_LANGUAGE="vi")
            client.force_login(persona.user)
            self.clients[persona.key] = client
        return self.clients[persona.key]

    def page(self, name: str, persona: Persona, url: str, *, target: str = "", runs: int | None = None) -> Measurement:
        client = self.client(persona)
        return self._measure(name, persona, target, lambda: client.get(url), runs or self.runs, note=url)

    def call(
        self, name: str, persona: Persona, work: Callable[[], object], *, target: str = "", note: str = ""
    ) -> Measurement:
        return self._measure(name, persona, target, work, self.runs, note=note)

    def _measure(self, name, persona, target, work, runs, note) -> Measurement:
        status = 200
        started = time.perf_counter()
        for _ in range(max(1, self.warmup)):
            self._check(work(), name)
        each = (time.perf_counter() - started) / max(1, self.warmup)
        # A page slower than the budget allows gets fewer runs (at least five); the table says how many.
        if each * runs * 2 > self.budget:
            runs = max(5, min(runs, int(self.budget / (2 * each))))
        timings = []
        for _ in range(runs):
            started = time.perf_counter()
            response = work()
            timings.append((time.perf_counter() - started) * 1000)
            status = self._check(response, name)
        with CaptureQueriesContext(connection) as captured:
            self._check(work(), name)
        statements = _selects(captured)
        control = sum(1 for query in captured.captured_queries if _is_transaction_control(query["sql"]))
        measurement = Measurement(
            name=name,
            persona=persona.label,
            target=target,
            runs=runs,
            server_ms=timings,
            lower_ms=_replay(statements, runs),
            queries=len(captured.captured_queries) - control,
            transaction_control=control,
            replayed=len(statements),
            status=status,
            note=note,
            sql=[query["sql"] for query in captured.captured_queries],
        )
        self.results.append(measurement)
        self.log(
            f"  {name:<38} {persona.label[:34]:<34} median {measurement.server_median:8.1f} ms  "
            f"p95 {measurement.server_p95:8.1f} ms  SQL alone {measurement.lower_median:8.1f} ms  "
            f"{measurement.queries} queries (+{control} transaction control), {runs} runs"
        )
        return measurement

    @staticmethod
    def _check(response, name: str) -> int:
        status = getattr(response, "status_code", 200)
        if status != 200:
            raise RuntimeError(f"{name}: HTTP {status}")
        return status
