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
