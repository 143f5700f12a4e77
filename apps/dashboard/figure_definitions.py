"""Every dashboard figure, defined once: its name, label, type, SQL and how totals add it up.

Everything else is derived from ``FIGURES``: the figure columns of the summary tables
(apps.dashboard.models), the select list of ``FIGURES_SQL`` and the sums of
``FEDERATION_SQL`` (apps.dashboard.figures), what ``figure_totals`` adds up and the
shape of the summaries (apps.dashboard.selectors), the JSON keys and the Excel columns
with their number formats (apps.dashboard.views) and the annotations of
``GrassrootsUnion.objects.with_figures``.
Adding a figure is one ``Figure`` here (with its SQL) and a migration for its columns;
tests/dashboard/test_figure_definitions.py fails when a list is written out again.

The charter checks (apps.dashboard.checks.ATTENTION_CHECKS) are defined there, once too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.functions import Coalesce
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.core import spreadsheets
from apps.core.formatting import format_number, format_percent, ratio_percent

# What a figure's value is (how it is stored, formatted and written to JSON).
COUNT = "count"
PERCENT = "percent"  # of two totals, one decimal (apps.core.formatting.ratio_percent)
PER_MILLE = "per_mille"  # a whole number per thousand
DATE = "date"

# How a federation's total of a figure is added up from its unions' rows of the day.
# The unions counted that day (founded, not yet dissolved) add up their values …
SUM = "sum"
# … or are counted, all of them (``of`` None) or those whose figure ``of`` is above zero …
UNIONS = "unions"
# … except movements (counts from the beginning up to the day), which every union adds
# up, counted or not: a union dissolved since still saw its members leave. A period's
# movements are the difference between its last day's total and the day before it.
MOVEMENT = "movement"


@dataclass(frozen=True)
class Figure:
    """One dashboard figure.

    ``sql`` is its value in each union's row (``UnionFigures``) as ``FIGURES_SQL`` computes
    it, over that query's subqueries (w: workforce declaration in force, g: groups,
    du: department unions, quiet); None when the figure is not a union's (it exists only in
    the totals, or is a ratio).
    ``on_start`` and ``on_end`` make a *tallied* figure: what one membership period (``p``, its
    member ``mm``) adds to it on the day it starts and on the day it ends. Its value on a day is
    the running sum of those up to the day, kept per union and day it changed
    (``MembershipTally``, figures.TALLY_SQL), and its ``sql`` reads that tally (``t``).
    ``total`` says how ``FederationFigures`` adds it up (None: it is not added up); a
    ``UNIONS`` total with ``of`` counts the unions whose figure ``of`` is above zero.
    ``ratio_of`` (numerator, denominator) makes a ratio of two totals, computed on reading.
    ``annotation`` names it on unions annotated by ``with_figures`` (None: not annotated).
    ``in_summary``: shown in the dashboard's summary, per sector and in all (page, JSON,
    Excel, report, trend). ``nullable``: a union's row may hold no value (None).
    """

    name: str
    label: Promise
    kind: str = COUNT
    sql: str | None = None
    total: str | None = None
    of: str | None = None
    ratio_of: tuple[str, str] | None = None
    annotation: str | None = None
    in_summary: bool = False
    nullable: bool = False
    on_start: str | None = None
    on_end: str | None = None

    def __post_init__(self) -> None:
        if self.tallied:
            object.__setattr__(self, "sql", f"COALESCE(t.{self.name}, 0)")

    @property
    def tallied(self) -> bool:
        return self.on_start is not None or self.on_end is not None

    def model_field(self, **options: Any) -> models.Field:
        """The column that keeps this figure in a summary table."""
        if self.kind == DATE:
            return models.DateField(null=self.nullable, **options)
        return models.PositiveIntegerField(null=self.nullable, **options)

    def union_sum(self) -> models.Aggregate:
        """This figure's total over ``UnionFigures`` rows (what ``FEDERATION_SQL`` stores per federation)."""
        counted = models.Q(counted=True)
        if self.total == MOVEMENT:
            return models.Sum(self.name)
        if self.total == UNIONS:
            # Counted by union_id: the rows of a day read live (figures.read_live) have no pk.
            return models.Count("union_id", filter=counted & models.Q(**{f"{self.of}__gt": 0}) if self.of else counted)
        return models.Sum(self.name, filter=counted)

    def total_sql(self) -> str:
        """This figure's total in ``FEDERATION_SQL``, over the unions' rows of one federation and sector."""
        column = f'"{self.of or self.name}"'
        if self.total == MOVEMENT:
            return f"SUM({column})"
        if self.total == UNIONS:
            return f"SUM(CASE WHEN counted{f' AND {column} > 0' if self.of else ''} THEN 1 ELSE 0 END)"
        return f"SUM(CASE WHEN counted THEN {column} ELSE 0 END)"

    def annotate(self, path: str) -> models.Expression:
        """Its value on a union through ``path`` (the day's summary row); a union without a row has zero."""
        value = models.F(f"{path}__{self.name}")
        return value if self.nullable else Coalesce(value, models.Value(0))

    def ratio(self, figures: object) -> Decimal | None:
        """A ratio figure's value on ``figures`` (an object with its numerator and denominator)."""
        numerator, denominator = self.ratio_of
        return ratio_percent(getattr(figures, numerator), getattr(figures, denominator))

    def text(self, value: Any) -> str:
        """The value as a sentence writes it, in the active language (13.734, 95,9 %, 09/07/2021)."""
        if self.kind == PERCENT:
            return format_percent(value)
        if self.kind == DATE:
            return value.strftime("%d/%m/%Y") if value else ""
        return format_number(value)

    def cell(self, value: Any) -> Any:
        """The value as an Excel cell holds it: a real number or date; a ratio as a fraction (95,9 % is 0.959)."""
        if self.kind == PERCENT and value is not None:
            return float(value / 100)
        return value

    @property
    def number_format(self) -> str:
        """How Excel shows its cells (``cell``): a count, a percentage with one decimal, a date."""
        return {PERCENT: spreadsheets.PERCENT_FORMAT, DATE: spreadsheets.DATE_FORMAT}.get(
            self.kind, spreadsheets.COUNT_FORMAT
        )

    def json(self, value: Any) -> Any:
        """The value as JSON carries it."""
        if value is None:
            return None
        if self.kind == PERCENT:
            return float(value)
        if isinstance(value, date):
            return value.isoformat()
        return value


# What a membership period adds to the tallied figures (``Figure.on_start``, ``on_end``).
FEMALE = "CASE WHEN mm.gender = 'female' THEN 1 ELSE 0 END"
# Members not of Vietnamese nationality (Trade Union Law 2024: a contract of 12 months or more).
FOREIGN = "CASE WHEN mm.nationality <> 'VN' THEN 1 ELSE 0 END"
# Another period of the same member that ends the day this one starts, or starts the day it ends …
ENDED_THE_DAY_BEFORE = (
    "SELECT 1 FROM members_membershipperiod q WHERE q.member_id = p.member_id AND q.ended_on = p.started_on"
)
STARTS_THE_SAME_DAY = (
    "SELECT 1 FROM members_membershipperiod q WHERE q.member_id = p.member_id AND q.started_on = p.ended_on"
)
# … in another union: a transfer (in the same one, a group move, which is not a movement).
ELSEWHERE = "AND q.union_id <> p.union_id"


def _when(exists: str) -> str:
    return f"CASE WHEN EXISTS ({exists}) THEN 1 ELSE 0 END"


def _unless(exists: str) -> str:
    return f"CASE WHEN NOT EXISTS ({exists}) THEN 1 ELSE 0 END"


# In the order the dashboard shows them (the summary's columns, the unions' export).
FIGURES = (
    Figure("unions", _("grassroots unions"), total=UNIONS, in_summary=True),
    Figure(
        "members",
        _("members"),
        # A member counts on a day within [started_on, ended_on) of one of their periods.
        on_start="1",
        on_end="-1",
        total=SUM,
        annotation="member_count",
        in_summary=True,
    ),
    Figure(
        "workers",
        _("workers"),
        # Those of the latest workforce declaration on or before the day.
        sql="COALESCE(w.total_workers, 0)",
        total=SUM,
        annotation="workers",
        in_summary=True,
    ),
    Figure(
        "membership_ratio",
        _("members / workers"),
        kind=PERCENT,
        ratio_of=("members", "workers"),
        in_summary=True,
    ),
    Figure(
        "female_members",
        _("female members"),
        on_start=FEMALE,
        on_end=f"-{FEMALE}",
        total=SUM,
        annotation="female_member_count",
        in_summary=True,
    ),
    Figure(
        "female_workers",
        _("female workers"),
        sql="COALESCE(w.female_workers, 0)",
        total=SUM,
        annotation="female_workers",
        in_summary=True,
    ),
    Figure(
        "female_membership_ratio",
        _("female members / female workers"),
        kind=PERCENT,
        ratio_of=("female_members", "female_workers"),
        in_summary=True,
    ),
    Figure(
        "foreign_members",
        _("foreign members"),
        on_start=FOREIGN,
        on_end=f"-{FOREIGN}",
        total=SUM,
        annotation="foreign_member_count",
        in_summary=True,
    ),
    Figure(
        "groups",
        _("union groups"),
        # A group counts on a day within [established_on, dissolved_on).
        sql="COALESCE(g.groups, 0)",
        total=SUM,
        annotation="group_count",
        in_summary=True,
    ),
    Figure("unions_with_groups", _("grassroots unions with union groups"), total=UNIONS, of="groups", in_summary=True),
    Figure(
        "department_unions",
        _("department unions"),
        sql="COALESCE(du.department_unions, 0)",
        annotation="department_union_count",
    ),
    Figure(
        "unions_with_department_unions",
        _("grassroots unions with department unions"),
        total=UNIONS,
        of="department_unions",
        in_summary=True,
    ),
    Figure(
        "groups_without_leader",
        _("union groups without a leader"),
        # A group has a leader on a day when a group-leader term covers it.
        sql="COALESCE(g.without_leader, 0)",
        annotation="groups_without_leader",
    ),
    Figure(
        "quiet_groups",
        _("union groups with no meeting recorded in the last quarter"),
        # No meeting that took place (not cancelled) in (day - figures.QUIET_AFTER_DAYS, day].
        sql="COALESCE(quiet.n, 0)",
        total=SUM,
    ),
    Figure(
        "ratio_permille",
        _("members per thousand workers"),
        kind=PER_MILLE,
        # Rounded down, to rank unions by ratio; with members and no workers,
        # figures.NO_WORKERS_RATIO (above any ratio); with neither, None.
        sql=(
            "CASE WHEN w.total_workers > 0 THEN COALESCE(t.members, 0) * 1000 / w.total_workers"
            " WHEN t.members > 0 THEN %(no_workers_ratio)s END"
        ),
        nullable=True,
    ),
    Figure(
        "declared_on",
        _("workforce declared on"),
        kind=DATE,
        # The date of the workforce declaration in force on the day (None: none yet).
        sql="w.as_of",
        annotation="declared_on",
        nullable=True,
    ),
    # A period starting the day another of the same member's periods ends is a transfer when
    # the other was in another union, a group move (not counted) in the same one; otherwise
    # it is a join. Symmetrically a period ending is a transfer out or a leave.
    Figure("joined", _("joined"), on_start=_unless(ENDED_THE_DAY_BEFORE), total=MOVEMENT),
    Figure(
        "transferred_in", _("transferred in"), on_start=_when(f"{ENDED_THE_DAY_BEFORE} {ELSEWHERE}"), total=MOVEMENT
    ),
    Figure("transferred_out", _("transferred out"), on_end=_when(f"{STARTS_THE_SAME_DAY} {ELSEWHERE}"), total=MOVEMENT),
    Figure("left", _("left"), on_end=_unless(STARTS_THE_SAME_DAY), total=MOVEMENT),
)

BY_NAME = {figure.name: figure for figure in FIGURES}
# Each union's figures on a day: the figure columns of UnionFigures, in FIGURES_SQL's order.
UNION_FIGURES = tuple(figure for figure in FIGURES if figure.sql is not None)
# The figures counted from membership periods, kept as running sums (MembershipTally).
TALLIED = tuple(figure for figure in FIGURES if figure.tallied)
# A federation's and sector's totals on a day: the figure columns of FederationFigures.
TOTALS = tuple(figure for figure in FIGURES if figure.total is not None)
MOVEMENTS = tuple(figure for figure in FIGURES if figure.total == MOVEMENT)
RATIOS = tuple(figure for figure in FIGURES if figure.ratio_of is not None)
# What the summary shows per sector and in all: totals and the ratios between them.
SUMMARY = tuple(figure for figure in FIGURES if figure.in_summary)
SUMMARY_TOTALS = tuple(figure for figure in SUMMARY if figure.total is not None)
# What ``with_figures`` annotates each union with (and the unions' export shows).
ANNOTATED = tuple(figure for figure in FIGURES if figure.annotation is not None)


def figure_fields(figures: tuple[Figure, ...], **options: Any) -> dict[str, models.Field]:
    """The model fields that keep ``figures``, by name (for a summary model's abstract base)."""
    return {figure.name: figure.model_field(**options) for figure in figures}


def ratio_properties() -> dict[str, property]:
    """The ratio figures as properties of an object holding their numerators and denominators."""
    return {figure.name: property(figure.ratio) for figure in RATIOS}


def columns(figures: tuple[Figure, ...]) -> list[spreadsheets.TableColumn]:
    """``figures`` as an export's columns: their labels in the active language and their number formats."""
    return [spreadsheets.TableColumn(str(figure.label), figure.number_format) for figure in figures]


def cells(holder: object, figures: tuple[Figure, ...], *, annotated: bool = False) -> list[Any]:
    """``figures`` of ``holder`` as an export's cells; ``annotated``: a union read through ``with_figures``."""
    return [figure.cell(getattr(holder, figure.annotation if annotated else figure.name)) for figure in figures]


def as_json(holder: object, figures: tuple[Figure, ...]) -> dict[str, Any]:
    """``figures`` of ``holder`` (a summary, a sector's figures, a trend point …) as JSON, by name."""
    return {figure.name: figure.json(getattr(holder, figure.name)) for figure in figures}
