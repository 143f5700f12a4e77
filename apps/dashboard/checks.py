"""The charter checks (điều lệ) a CĐCS's figures on a day can fail.

Shown as warnings where a union's data is entered, filtered on in the CĐCS list, listed
as "needs attention" on the dashboard, and counted per federation in the summary.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.db.models.lookups import LessThan
from django.utils.translation import gettext

# Charter checks (điều lệ): shown as warnings where data is entered and listed as "needs attention".
# The thresholds are set in one place, settings.PORTAL_WARNINGS.
MINIMUM_MEMBERS = settings.PORTAL_WARNINGS["minimum_members"]
# Below this membership ratio (members per hundred workers) a union needs the federation's attention.
RATIO_THRESHOLD = settings.PORTAL_WARNINGS["ratio_threshold"]
DECLARATION_MAX_AGE_DAYS = settings.PORTAL_WARNINGS["declaration_max_age_days"]
# How many entries a home page's list shows.
HOME_LIST_LENGTH = settings.PORTAL_WARNINGS["home_list_length"]


def _field(path: str, name: str, lookup: str = "") -> str:
    return f"{path}{name}__{lookup}" if lookup else f"{path}{name}"


@dataclass(frozen=True)
class AttentionCheck:
    """A charter check on a union's summary figures on a day.

    ``condition(path, day)`` names fields through ``path``: "" on UnionFigures rows,
    FIGURES_ON_DAY + "__" on unions annotated by ``union_figures.with_figures(unions, day)``.
    ``worst_first`` orders UnionFigures rows, the worst first, as an index of the table does
    (UnionFigures.Meta.indexes). ``label()`` is in the active language.
    """

    condition: Callable[[str, date], models.Q]
    worst_first: tuple
    label: Callable[[], str]

    @property
    def sort_key(self) -> Callable[[dict], tuple]:
        """A key placing a union's figures (a dict) where ``worst_first`` places its row in PostgreSQL."""
        return ordered_by(self.worst_first)


def ordered_by(ordering: tuple) -> Callable[[dict], tuple]:
    """A sort key for dicts that orders them as ``order_by(*ordering)`` orders rows in PostgreSQL.

    For a few rows of many (the worst ten of a day read live): ranking a city's 20,000 rows
    in the database, a window function per check, took 0.47 s; this, 0.05 s.
    ``ordering`` holds field names ("-" for descending) or F(name).asc/desc(nulls_first=…);
    without a word on nulls they come last ascending and first descending, as PostgreSQL puts
    them. tests/dashboard/test_live_days.py compares it with the database's order.
    """
    places = _orders(ordering)

    def key(row: dict) -> tuple:
        placed = []
        for name, descending, nulls_first in places:
            value = row[name]
            if value is None:
                placed.append((0 if nulls_first else 2, 0))
            elif descending:
                placed.append((1, -value if isinstance(value, int | float) else _Reversed(value)))
            else:
                placed.append((1, value))
        return tuple(placed)

    return key


def ordered_fields(ordering: tuple) -> tuple[str, ...]:
    """The names of the fields ``ordering`` (as ``ordered_by`` takes it) orders by."""
    return tuple(name for name, _descending, _nulls_first in _orders(ordering))


def _orders(ordering: tuple) -> list[tuple[str, bool, bool]]:
    """Each of ``ordering``'s terms as (field name, descending, nulls first), PostgreSQL's defaults filled in."""
    orders = []
    for order in ordering:
        if isinstance(order, str):
            descending, name, nulls_first = order.startswith("-"), order.lstrip("-"), None
        else:
            descending, name, nulls_first = order.descending, order.expression.name, order.nulls_first
        orders.append((name, descending, descending if nulls_first is None else nulls_first))
    return orders


class _Reversed:
    """A value that sorts the other way round (a descending date in a sort key)."""

    def __init__(self, value) -> None:
        self.value = value

    def __lt__(self, other: _Reversed) -> bool:
        return other.value < self.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Reversed) and other.value == self.value


ATTENTION_CHECKS = {
    "low_ratio": AttentionCheck(
        condition=lambda path, day: (
            models.Q(**{_field(path, "workers", "gt"): 0})
            # members / workers < threshold %, multiplied out: whole numbers divide without their remainder
            # in SQL, so "members < workers * 80 / 100" let 3 of 4 (75 %) pass.
            & models.Q(
                LessThan(models.F(_field(path, "members")) * 100, models.F(_field(path, "workers")) * RATIO_THRESHOLD)
            )
        ),
        worst_first=("ratio_permille", "union_id"),
        label=lambda: gettext("membership ratio below %(n)s %%") % {"n": RATIO_THRESHOLD},
    ),
    "few_members": AttentionCheck(
        condition=lambda path, day: models.Q(**{_field(path, "members", "lt"): MINIMUM_MEMBERS}),
        worst_first=("members", "union_id"),
        label=lambda: gettext("fewer than %(n)s members") % {"n": MINIMUM_MEMBERS},
    ),
    "more_members_than_workers": AttentionCheck(
        # members > workers, stated so that the ratio index finds the (usually few) rows: such
        # a union's ratio is at least a thousand per thousand (the highest with no workers).
        condition=lambda path, day: (
            models.Q(**{_field(path, "ratio_permille", "gte"): 1000})
            & models.Q(**{_field(path, "members", "gt"): models.F(_field(path, "workers"))})
        ),
        worst_first=("-ratio_permille", "-union_id"),
        label=lambda: gettext("more members than declared workers"),
    ),
    "stale_workforce": AttentionCheck(
        condition=lambda path, day: (
            models.Q(**{_field(path, "declared_on", "isnull"): True})
            | models.Q(**{_field(path, "declared_on", "lt"): day - timedelta(days=DECLARATION_MAX_AGE_DAYS)})
        ),
        worst_first=(models.F("declared_on").asc(nulls_first=True), "union_id"),
        label=lambda: gettext("workforce declaration missing or older than a year"),
    ),
    "group_without_leader": AttentionCheck(
        condition=lambda path, day: models.Q(**{_field(path, "groups_without_leader", "gt"): 0}),
        worst_first=("-groups_without_leader", "-union_id"),
        label=lambda: gettext("a union group without a leader"),
    ),
}


def attention_label(check: str) -> str:
    """What the charter check ``check`` flags, in the active language."""
    return ATTENTION_CHECKS[check].label()


def attention_q(check: str, day: date, path: str = "") -> models.Q:
    """The condition of the charter check ``check`` on ``day``, on UnionFigures rows (or through ``path``)."""
    return ATTENTION_CHECKS[check].condition(path, day)
