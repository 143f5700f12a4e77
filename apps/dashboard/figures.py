"""Each union's figures on a day, computed once and kept exact (the summary tables of apps.dashboard.models).

``ensure_figures(days)`` is called by every reader before it reads ``UnionFigures``:

1. changes noted by the triggers since the last call (``PendingFiguresChange``: a union,
   and the first day its figures may have changed) are applied by recomputing those
   unions' rows for the days already kept, from that day on;
2. a day never asked for is computed for every union (a few seconds for a city of a
   million members; ``manage.py refresh_figures`` does today's and the cut-offs' at night);
3. the federations touched have their totals per sector (``FederationFigures``), and how
   many of their unions fail each charter check, added up again from their unions' rows:
   that is what federation-wide dashboards read.

With a replica (apps.core.replica), a request reading from it never writes: step 1 is left to
the task worker (``apply_pending_changes``, queued after each request or task that wrote),
and step 2 moves that request to the primary.

All of it runs under one lock, so two requests never compute the same rows at once. The
figures themselves are defined once, in apps.dashboard.figure_definitions, each with its
SQL expression; ``FIGURES_SQL`` puts them in one INSERT … SELECT of plain SQL that
PostgreSQL and SQLite both run, set-based so a whole city takes one pass over its
membership periods rather than one subquery per union.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections, models, transaction
from django.db.models import Count, Exists

from apps.core.replica import read_from_primary_from_now, reading_from_replica
from apps.dashboard.checks import ATTENTION_CHECKS
from apps.dashboard.figure_definitions import TALLIED, TOTALS, UNION_FIGURES
from apps.dashboard.models import (
    FederationFigures,
    FederationFiguresToday,
    FiguresDay,
    MembershipTally,
    PendingFiguresChange,
    PendingRestatement,
    UnionFigures,
)
from apps.unions.models import GrassrootsUnion

# Above this many changed unions a day is recomputed whole: one pass over the city is
# cheaper than a list of thousands of ids (and SQLite caps the number of parameters).
WHOLE_DAY_ABOVE = 2_000
DELETE_BATCH = 5_000
# pg_advisory_xact_lock key: any constant the portal uses for nothing else.
REFRESH_LOCK = 7_091_2021
# The members-per-thousand-workers ratio of a union with members and no workers: above any
# real ratio, so ranking by ratio puts it with those that have more members than workers.
NO_WORKERS_RATIO = 2_147_483_647
# A group is quiet on a day when it recorded no meeting in this many days up to it (a quarter).
QUIET_AFTER_DAYS = 92

# The row's place and name, then its figures (apps.dashboard.figure_definitions.UNION_FIGURES).
COLUMNS = (
    "day",
    "union_id",
    "federation_id",
    "sector_id",
    "union_name",
    "counted",
    *(figure.name for figure in UNION_FIGURES),
)

# {only_x} is "" or "AND x.union_id IN (%(ids)s)"; {figures} is each figure's expression
# (figure_definitions.UNION_FIGURES) over the subqueries below. Definitions:
# - a union is counted under its superior of the day ("as organised then"): the federation of
#   its period under a superior (unions.UnionAffiliation) that started last on or before the
#   day; before its first period (not yet founded), its first one's. One index probe a union
#   (affiliation_one_start_per_day), a few thousand a city; the current federation only for
#   a union that never had a period (dissolved the day it was founded);
# - members, female and foreign members and the movements are the union's latest tally on or
#   before the day (MembershipTally, TALLY_SQL: one index probe a union);
# - workers are those of the latest declaration on or before the day (w: one probe a union);
# - a group counts on a day within [established_on, dissolved_on); it has a leader when a
#   group-leader term covers the day; it is quiet when none of its meetings took place in
#   (quiet_since, day] (a cancelled one did not: MeetingQuerySet.took_place).
FIGURES_SELECT = """
SELECT %(day)s AS "day", u.id AS "union_id",
    COALESCE(
        (SELECT a.federation_id FROM unions_unionaffiliation a WHERE a.union_id = u.id AND a.started_on <= %(day)s
            ORDER BY a.started_on DESC LIMIT 1),
        (SELECT a.federation_id FROM unions_unionaffiliation a WHERE a.union_id = u.id
            ORDER BY a.started_on LIMIT 1),
        u.federation_id
    ) AS "federation_id",
    u.sector_id AS "sector_id", u.name AS "union_name",
    CASE WHEN u.established_on <= %(day)s AND (u.dissolved_on IS NULL OR u.dissolved_on > %(day)s)
        THEN 1 ELSE 0 END = 1 AS "counted",
    {figures}
FROM unions_grassrootsunion u
{tally_join}
{workforce_join}
LEFT JOIN (
    SELECT ug.union_id, COUNT(*) AS groups,
        SUM(CASE WHEN EXISTS (
            SELECT 1 FROM members_unionofficial o
            WHERE o.group_id = ug.id AND o.role = 'group_leader'
                AND o.started_on <= %(day)s AND (o.ended_on IS NULL OR o.ended_on > %(day)s)
        ) THEN 0 ELSE 1 END) AS without_leader
    FROM union_groups_uniongroup ug
    WHERE ug.established_on <= %(day)s AND (ug.dissolved_on IS NULL OR ug.dissolved_on > %(day)s) {only_ug}
    GROUP BY ug.union_id
) g ON g.union_id = u.id
LEFT JOIN (
    SELECT ug.union_id, COUNT(*) AS n FROM union_groups_uniongroup ug
    WHERE ug.established_on <= %(day)s AND (ug.dissolved_on IS NULL OR ug.dissolved_on > %(day)s) {only_ug}
        AND NOT EXISTS (
            SELECT 1 FROM meetings_meeting mt
            WHERE mt.group_id = ug.id AND mt.held_on > %(quiet_since)s AND mt.held_on <= %(day)s
                AND mt.status <> 'cancelled'
        )
    GROUP BY ug.union_id
) quiet ON quiet.union_id = u.id
LEFT JOIN (
    SELECT du.union_id, COUNT(*) AS department_unions FROM unions_departmentunion du
    WHERE du.established_on <= %(day)s AND (du.dissolved_on IS NULL OR du.dissolved_on > %(day)s) {only_du}
    GROUP BY du.union_id
) du ON du.union_id = u.id
WHERE 1 = 1 {only_u}
"""
# What a kept day holds: the rows above, for every union (apps.dashboard.models.UnionFigures).
FIGURES_SQL = "INSERT INTO dashboard_unionfigures ({columns})" + FIGURES_SELECT

# The tallied figures' running sums (figure_definitions.TALLIED) per union and day they changed,
# from %(since)s on ({only_p}: of some unions only). Each membership period adds its figures'
# ``on_start`` on its first day and ``on_end`` on the day it ends (a member counts within
# [started_on, ended_on)); a day's row holds everything added up to it (the window), so a union's
# figures on any day are its latest row on or before it.
TALLY_SQL = """
INSERT INTO dashboard_membershiptally (union_id, day, {columns})
SELECT union_id, day, {columns} FROM (
    SELECT union_id, day, {running}
    FROM (
        SELECT p.union_id, p.started_on AS day, {on_start}
        FROM members_membershipperiod p JOIN members_member mm ON mm.id = p.member_id
        WHERE 1 = 1 {only_p}
        UNION ALL
        SELECT p.union_id, p.ended_on AS day, {on_end}
        FROM members_membershipperiod p JOIN members_member mm ON mm.id = p.member_id
        WHERE p.ended_on IS NOT NULL {only_p}
    ) events
    GROUP BY union_id, day
) tallies
WHERE day >= %(since)s
"""
# Recount every union's tallies from this day (before anything the portal holds).
FIRST_DAY = date(1900, 1, 1)

# The totals of one federation and sector from its unions' rows of the day: {columns} and
# {totals} are each total's name and sum (figure_definitions.TOTALS).
FEDERATION_SQL = """
INSERT INTO dashboard_federationfigures (day, federation_id, sector_id, {columns})
SELECT day, federation_id, sector_id,
    {totals}
FROM dashboard_unionfigures
WHERE day IN (%(days)s) {only_federations}
GROUP BY day, federation_id, sector_id
"""


# The same totals under each CĐCS's federation of today ("as organised today"): the rows of the
# CĐCS that exist today, whatever federation they were counted under on their day.
TODAY_SQL = """
INSERT INTO dashboard_federationfigurestoday (day, federation_id, sector_id, {columns})
SELECT day, today_federation_id, sector_id,
    {totals}
FROM (
    SELECT f.*, u.federation_id AS today_federation_id
    FROM dashboard_unionfigures f JOIN unions_grassrootsunion u ON u.id = f.union_id
    WHERE f.day IN (%(days)s) {only_federations}
) rows_of_today
GROUP BY day, today_federation_id, sector_id
"""


# A union's latest row on or before the day of a table kept per union and day (its tally t, its
# workforce declaration w): one probe of the table's unique index (union, day) a union.
# PostgreSQL is told so by LATERAL … LIMIT 1 (joined on the latest day it hashed the whole
# tally table, 0.6 s at a million members, and grouped every declaration, 0.1 s); SQLite,
# which has no LATERAL, loops over the unions like that anyway.
LATEST_JOIN = {
    "postgresql": """LEFT JOIN LATERAL (
    SELECT * FROM {table} x WHERE x.union_id = u.id AND x.{day} <= %(day)s ORDER BY x.{day} DESC LIMIT 1
) {alias} ON TRUE""",
    "sqlite": """LEFT JOIN {table} {alias} ON {alias}.union_id = u.id AND {alias}.{day} = (
    SELECT MAX(x.{day}) FROM {table} x WHERE x.union_id = u.id AND x.{day} <= %(day)s
)""",
}


def _figures_sql(only: dict[str, str], template: str = FIGURES_SQL, vendor: str | None = None) -> str:
    """``FIGURES_SQL`` (or ``FIGURES_SELECT``) with its columns and figures written out, filtered by ``only``."""
    return template.format(
        tally_join=LATEST_JOIN[vendor or connection.vendor].format(
            table="dashboard_membershiptally", alias="t", day="day"
        ),
        workforce_join=LATEST_JOIN[vendor or connection.vendor].format(
            table="unions_workforcedeclaration", alias="w", day="as_of"
        ),
        columns=", ".join(f'"{name}"' for name in COLUMNS),
        figures=",\n    ".join(f'{figure.sql} AS "{figure.name}"' for figure in UNION_FIGURES),
        **{f"only_{alias}": text for alias, text in only.items()},
    )


def _tally_sql(only_p: str) -> str:
    """``TALLY_SQL`` with the tallied figures written out, filtered by ``only_p``."""

    def contributions(side: str) -> str:
        return ", ".join(f'{getattr(figure, side) or 0} AS "{figure.name}"' for figure in TALLIED)

    return TALLY_SQL.format(
        columns=", ".join(f'"{figure.name}"' for figure in TALLIED),
        running=", ".join(
            f'SUM(SUM("{figure.name}")) OVER (PARTITION BY union_id ORDER BY day) AS "{figure.name}"'
            for figure in TALLIED
        ),
        on_start=contributions("on_start"),
        on_end=contributions("on_end"),
        only_p=only_p,
    )


def _retally(union_ids: list[int] | None, since: date) -> None:
    """Count the tallies of ``union_ids`` (of every union: None) again from the periods, from ``since`` on."""
    values: dict = {"since": since}
    only = ""
    if union_ids is None and since <= FIRST_DAY and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {MembershipTally._meta.db_table}")
    else:
        rows = MembershipTally.objects.filter(day__gte=since)
        if union_ids is not None:
            rows = rows.filter(union_id__in=union_ids)
        rows.delete()
    if union_ids is not None:
        only = "AND p.union_id IN (%(ids)s)"
        values["ids"] = union_ids
    _execute(_tally_sql(only), values)
    if union_ids is None and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {MembershipTally._meta.db_table}")


def _federation_sql(only_federations: str, template: str = FEDERATION_SQL) -> str:
    """``FEDERATION_SQL`` (or ``TODAY_SQL``) with its totals written out, filtered by ``only_federations``."""
    return template.format(
        columns=", ".join(f'"{figure.name}"' for figure in TOTALS),
        totals=",\n    ".join(figure.total_sql() for figure in TOTALS),
        only_federations=only_federations,
    )


def _positional(sql: str, values: dict) -> tuple[str, list]:
    """``sql`` with its ``%(name)s`` turned into ``%s`` and the values in order; a list fills ``IN (…)``."""
    params: list = []

    def placeholder(match: re.Match) -> str:
        value = values[match.group(1)]
        if isinstance(value, list):
            params.extend(value)
            return ", ".join(["%s"] * len(value))
        params.append(value)
        return "%s"

    return re.sub(r"%\((\w+)\)s", placeholder, sql), params


def _execute(sql: str, values: dict) -> None:
    query, params = _positional(sql, values)
    with connection.cursor() as cursor:
        cursor.execute(query, params)


def _day_values(day: date, union_ids: list[int] | None) -> tuple[dict[str, str], dict]:
    """The filters (``{only_x}``) and values of ``FIGURES_SELECT`` for ``day`` and ``union_ids`` (None: all)."""
    only = dict.fromkeys(("ug", "du", "u"), "")
    values: dict = {
        "day": day,
        "quiet_since": day - timedelta(days=QUIET_AFTER_DAYS),
        "no_workers_ratio": NO_WORKERS_RATIO,
    }
    if union_ids is not None:
        only = {alias: f"AND {alias}.{'id' if alias == 'u' else 'union_id'} IN (%(ids)s)" for alias in only}
        values["ids"] = list(union_ids) or [0]
    return only, values


def _compute(day: date) -> None:
    """Replace the rows of ``day`` for every union, and their totals."""
    UnionFigures.objects.filter(day=day).delete()
    FederationFigures.objects.filter(day=day).delete()
    only, values = _day_values(day, None)
    _execute(_figures_sql(only), values)
    _execute(_federation_sql(""), {"days": [day]})
    _count_charter_checks([day], None)
    _restate_today([day], None)
    if connection.vendor == "postgresql":
        # A whole day is thousands of new rows: without fresh statistics the planner
        # takes a city's day for a handful of rows and joins before it sorts.
        with connection.cursor() as cursor:
            cursor.execute(
                "ANALYZE dashboard_unionfigures, dashboard_federationfigures, dashboard_federationfigurestoday"
            )


def _compute_unions(days: list[date], union_ids: list[int]) -> None:
    """Replace the rows of ``union_ids`` on each of ``days``, and the totals they are counted in.

    A few statements for all the days together, not a dozen a day: one member's change touches
    every kept day (issue 17: under 50 ms with a year of days kept).
    """
    rows = UnionFigures.objects.filter(day__in=days, union_id__in=union_ids)
    # The federations and sectors these unions were counted under before (a union may have moved,
    # changed sector, or its period been corrected) and after: those totals are added up again.
    places = set(rows.values_list("federation_id", "sector_id"))
    rows.delete()
    _insert_rows(days, union_ids)
    places |= set(rows.values_list("federation_id", "sector_id"))
    federations = sorted({federation_id for federation_id, _sector_id in places}) or [0]
    sectors = sorted({sector_id for _federation_id, sector_id in places}) or [0]
    FederationFigures.objects.filter(day__in=days, federation_id__in=federations, sector_id__in=sectors).delete()
    _execute(
        _federation_sql("AND federation_id IN (%(federations)s) AND sector_id IN (%(sectors)s)"),
        {"days": days, "federations": federations, "sectors": sectors},
    )
    _count_charter_checks(days, federations, sectors)
    # As organised today: under their federations of today, in the sectors their rows were and are in.
    today = GrassrootsUnion.objects.filter(pk__in=union_ids).values_list("federation_id", flat=True)
    _restate_today(days, set(today), sectors)


# Bind parameters a statement may carry: SQLite's cap (32,766) and PostgreSQL's (65,535), with room.
PARAMETERS_A_STATEMENT = 30_000


def _insert_rows(days: list[date], union_ids: list[int]) -> None:
    """FIGURES_SQL of ``union_ids`` on each of ``days``: one INSERT of their SELECTs (UNION ALL) per batch of days.

    A batch holds as many days as its parameters allow (the ids come three times a day).
    """
    columns = ", ".join(f'"{name}"' for name in COLUMNS)

    def insert(selects: list[str], params: list) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO dashboard_unionfigures ({columns})" + " UNION ALL ".join(selects), params)

    selects: list[str] = []
    params: list = []
    for day in days:
        only, values = _day_values(day, union_ids)
        sql, day_params = _positional(_figures_sql(only, FIGURES_SELECT), values)
        if selects and len(params) + len(day_params) > PARAMETERS_A_STATEMENT:
            insert(selects, params)
            selects, params = [], []
        selects.append(sql)
        params += day_params
    if selects:
        insert(selects, params)


def _restate_today(days: list[date], federation_ids: Iterable[int] | None, sector_ids: list[int] | None = None) -> None:
    """Add up ``days``' totals as organised today again (of ``federation_ids`` today, ``sector_ids`` only, if given)."""
    totals = FederationFiguresToday.objects.filter(day__in=days)
    values: dict = {"days": days}
    only = ""
    if federation_ids is not None:
        values["federations"] = sorted(federation_ids) or [0]
        totals = totals.filter(federation_id__in=values["federations"])
        only = "AND u.federation_id IN (%(federations)s)"
    if sector_ids is not None:
        values["sectors"] = sector_ids or [0]
        totals = totals.filter(sector_id__in=values["sectors"])
        only += " AND f.sector_id IN (%(sectors)s)"
    totals.delete()
    _execute(_federation_sql(only, TODAY_SQL), values)
    _count_charter_checks(days, values.get("federations"), values.get("sectors"), today=True)


# Days whose charter-check counts one query gathers (a SELECT each, UNION ALL).
DAYS_A_COUNT = 100


def _count_charter_checks(
    days: list[date], federation_ids: list[int] | None, sector_ids: list[int] | None = None, *, today: bool = False
) -> None:
    """Fill the federations' counts of unions failing each charter check on ``days`` (one UPDATE a hundred days).

    The totals' rows were just inserted, their counts at zero: a row no failing union counts under
    keeps its zeros. ``today``: the totals as organised today, each union under its federation of today.
    """
    column = "union__federation_id" if today else "federation_id"
    unions = UnionFigures.objects.filter(counted=True)
    if today:
        unions = unions.filter(union__isnull=False)
    if federation_ids is not None:
        unions = unions.filter(**{f"{column}__in": federation_ids})
    if sector_ids is not None:
        unions = unions.filter(sector_id__in=sector_ids)

    def counted_on(day: date) -> tuple[str, tuple]:
        # The checks' conditions depend on the day (a declaration older than a year before it).
        checks = {code: Count("pk", filter=check.condition("", day)) for code, check in ATTENTION_CHECKS.items()}
        rows = unions.filter(day=day).order_by().values("day", column, "sector_id").annotate(**checks)
        return rows.query.sql_with_params()

    count_on = _same_statement_each_day(counted_on)
    table = (FederationFiguresToday if today else FederationFigures)._meta.db_table
    assignments = ", ".join(f'"{code}" = c."{code}"' for code in ATTENTION_CHECKS)
    for start in range(0, len(days), DAYS_A_COUNT):
        counts = [count_on(day) for day in days[start : start + DAYS_A_COUNT]]
        # Set-based: building the ORM's bulk_update of a few hundred rows cost more than the counting.
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM ({' UNION ALL '.join(sql for sql, _ in counts)}) c "
                f'WHERE {table}.day = c.day AND {table}.federation_id = c."{column}" '
                f"AND {table}.sector_id = c.sector_id",
                [param for _, params in counts for param in params],
            )


def _same_statement_each_day(compile_on: Callable[[date], tuple[str, tuple]]) -> Callable[[date], tuple[str, tuple]]:
    """``compile_on`` (a day's statement and parameters) compiled once, each day's dates swapped in.

    The ORM took longer to build the same statement for each kept day than the database took to
    run them all. The statement is compiled for two days; the parameters that differ are dates
    at a fixed distance from the day, and shift with it. Any other difference: compiled each day.
    """
    first, second = date(2001, 1, 1), date(2002, 2, 2)
    sql, params = compile_on(first)
    other_sql, other_params = compile_on(second)
    shifted = {index for index, (one, other) in enumerate(zip(params, other_params, strict=True)) if one != other}
    if other_sql != sql or any(
        not isinstance(params[index], date) or other_params[index] - params[index] != second - first
        for index in shifted
    ):
        return compile_on

    def on(day: date) -> tuple[str, tuple]:
        return sql, tuple(param + (day - first) if index in shifted else param for index, param in enumerate(params))

    return on


def _lock() -> None:
    """Serialise refreshes: PostgreSQL takes a transaction-scoped advisory lock; SQLite writes one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [REFRESH_LOCK])


def _known(days: set[date]) -> dict[date, bool]:
    """The kept ones of ``days``, each with whether changes wait to be applied (one query)."""
    kept = FiguresDay.objects.filter(day__in=days).annotate(
        pending=Exists(PendingFiguresChange.objects.all()), restating=Exists(PendingRestatement.objects.all())
    )
    return {day: pending or restating for day, pending, restating in kept.values_list("day", "pending", "restating")}


def ensure_figures(days: Iterable[date]) -> None:
    """Make ``UnionFigures`` exact for ``days``: apply noted changes, compute days never asked for.

    One query when nothing changed and every day is kept (the usual case for a reader).
    """
    wanted = set(days)
    known = _known(wanted)
    if known.keys() == wanted and not any(known.values()):
        return
    if reading_from_replica():
        # Readers never write, and a replica could not: the noted changes are applied on the
        # primary by the task worker moments after they were committed (apps.dashboard.tasks),
        # and until then the replica shows the figures of a moment ago.
        if known.keys() == wanted:
            return
        # A day never asked for is computed and kept on the primary, which the rest of this
        # request then reads (the replica has not got those rows yet).
        read_from_primary_from_now()
    with transaction.atomic():
        _lock()
        _apply_pending_changes()
        for day in sorted(wanted - set(FiguresDay.objects.filter(day__in=wanted).values_list("day", flat=True))):
            _compute(day)
            FiguresDay.objects.create(day=day)


def kept_days(days: Iterable[date]) -> set[date]:
    """Which of ``days`` are kept, exact (the changes noted so far applied first); the others are read live.

    Unlike ``ensure_figures`` it never computes a day: a day not kept is read with ``read_live``
    (read-only, so a replica can answer it) and kept later by the task worker. On a replica,
    nothing is written: the kept days and the tallies are those of a moment ago, as everywhere there.
    """
    wanted = set(days)
    known = _known(wanted)
    if known.keys() == wanted and not any(known.values()):
        return wanted
    if not reading_from_replica() and (
        any(known.values()) or PendingFiguresChange.objects.exists() or PendingRestatement.objects.exists()
    ):
        with transaction.atomic():
            _lock()
            _apply_pending_changes()
    return set(known)


def read_live(rows: models.QuerySet, day: date, union_ids: list[int] | None = None) -> list[dict]:
    """The values of ``rows`` (a ``.values()`` queryset of ``UnionFigures``) on ``day``, computed from the sources.

    The query runs as written, with ``dashboard_unionfigures`` standing for a common table
    expression of the same name: ``FIGURES_SELECT`` of ``day`` (of ``union_ids`` only, when
    given), the very rows keeping the day would write, and no other day's (``rows`` need not
    filter on the day). Scoping, filters and annotations apply
    to it as to the kept rows, and nothing is written. The tallies make it one index probe a
    union (about 0.4 s for a city of 20,000 CĐCS, measured in docs/PERFORMANCE.md).
    """
    compiler = rows.query.get_compiler(using=rows.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        # A scope that holds nothing (rows.none()): no query at all, as the ORM would run none.
        return []
    only, values = _day_values(day, union_ids)
    live_sql, live_params = _positional(_figures_sql(only, FIGURES_SELECT, connections[rows.db].vendor), values)
    # MATERIALIZED: the rows are computed once, then scoped. Inlined, PostgreSQL guessed a district's
    # scope at one union and looped over its groups for each: 18 s where computing the city takes 0.4 s.
    statement = f'WITH "{UnionFigures._meta.db_table}" AS MATERIALIZED ({live_sql}) {sql}', (*live_params, *params)
    # The columns in the order values() selects them (Django 5.2 keeps the order they were named in).
    query = rows.query
    names = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
    # As the database returns them, without the ORM's converters (a sixth of the time for a city):
    # the readers add up numbers and test flags, which both databases return as such; the day,
    # which SQLite returns as text, is the one asked for.
    with connections[rows.db].cursor() as cursor:
        cursor.execute(*statement)
        found = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if "day" in names:
        for row in found:
            row["day"] = day
    return found


def apply_pending_changes() -> None:
    """Apply the changes noted since the last time, and nothing else (the worker's upkeep, on the primary)."""
    with transaction.atomic():
        _lock()
        _apply_pending_changes()


def _apply_pending_changes() -> None:
    # The notes read here were committed with their changes, so the recomputation below
    # (later statements) sees those changes; notes committed meanwhile stay for next time.
    notes = list(PendingFiguresChange.objects.values_list("pk", "union_id", "since"))
    restated = list(PendingRestatement.objects.values_list("pk", "federation_id"))
    if restated:
        # A CĐCS joined or left these federations today: their totals as organised today change on
        # every kept day (its own rows stay what they were, so the union notes need not say so).
        federations = {federation_id for _pk, federation_id in restated}
        kept = list(FiguresDay.objects.order_by("day").values_list("day", flat=True))
        if kept:
            _restate_today(kept, federations)
        PendingRestatement.objects.filter(pk__in=[pk for pk, _federation_id in restated]).delete()
    if not notes:
        return
    since_by_union: dict[int, date] = {}
    for _pk, union_id, since in notes:
        since_by_union[union_id] = min(since, since_by_union.get(union_id, since))
    # The tallies first: every figure below is computed from them. From the earliest noted day
    # of a batch on (a union's rows from an earlier day are counted again the same).
    if len(since_by_union) > WHOLE_DAY_ABOVE:
        _retally(None, min(since_by_union.values()))
    else:
        _retally(sorted(since_by_union), min(since_by_union.values()))
    kept = list(
        FiguresDay.objects.filter(day__gte=min(since_by_union.values())).order_by("day").values_list("day", flat=True)
    )
    if len(since_by_union) <= WHOLE_DAY_ABOVE:
        # A union's rows of a day before its noted one come out as they were: all days at once.
        if kept:
            _compute_unions(kept, sorted(since_by_union))
    else:
        for day in kept:
            changed = sorted(union_id for union_id, since in since_by_union.items() if since <= day)
            if len(changed) > WHOLE_DAY_ABOVE:
                _compute(day)
            else:
                _compute_unions([day], changed)
    note_ids = [pk for pk, _union_id, _since in notes]
    for start in range(0, len(note_ids), DELETE_BATCH):
        PendingFiguresChange.objects.filter(pk__in=note_ids[start : start + DELETE_BATCH]).delete()


def forget_all() -> None:
    """Drop every kept day and note, and count the tallies again: after a bulk load that noted every row."""
    with transaction.atomic():
        _lock()
        UnionFigures.objects.all().delete()
        FederationFigures.objects.all().delete()
        FederationFiguresToday.objects.all().delete()
        FiguresDay.objects.all().delete()
        # A bulk load leaves a note per row: TRUNCATE where the database has it (the notes
        # table has no foreign keys, so no checks wait on it).
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {PendingFiguresChange._meta.db_table}, {PendingRestatement._meta.db_table}")
        else:
            PendingFiguresChange.objects.all().delete()
            PendingRestatement.objects.all().delete()
        _retally(None, FIRST_DAY)


def recount_tallies() -> None:
    """Count every union's tallies again from the membership periods (kept days stay as they are)."""
    with transaction.atomic():
        _lock()
        _retally(None, FIRST_DAY)


def forget_days(days: Iterable[date]) -> int:
    """Stop keeping ``days`` (their rows go); returns how many were kept."""
    days = list(days)
    with transaction.atomic():
        _lock()
        UnionFigures.objects.filter(day__in=days).delete()
        FederationFigures.objects.filter(day__in=days).delete()
        FederationFiguresToday.objects.filter(day__in=days).delete()
        forgotten, _ = FiguresDay.objects.filter(day__in=days).delete()
    return forgotten
