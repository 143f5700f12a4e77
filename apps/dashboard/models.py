"""Summary tables behind the dashboards: each CĐCS's figures on the days leaders ask about.

Counting a city's million membership periods for every dashboard view takes seconds, so
the figures of each union are computed once per day asked for (``FiguresDay``) and kept
in ``UnionFigures``. Database triggers (dashboard migration 0001) note every change to the
data the figures come from in ``PendingFiguresChange``; apps.dashboard.figures applies
those notes before any figure is read, so what leaders see is always exact.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.accounts.scoping import Reader, ScopedQuerySet, federation_subtree_q
from apps.dashboard.checks import ATTENTION_CHECKS
from apps.dashboard.figure_definitions import TALLIED, TOTALS, UNION_FIGURES, figure_fields
from apps.unions.models import GrassrootsUnion

if TYPE_CHECKING:
    from apps.unions.models import Federation


def _figure_columns(name: str, fields: dict[str, models.Field]) -> type[models.Model]:
    """An abstract model holding ``fields``: the figure columns a summary table inherits.

    The columns come from apps.dashboard.figure_definitions, so a figure added there is a
    column here once its migration is made.
    """
    meta = type("Meta", (), {"abstract": True})
    return type(name, (models.Model,), {"__module__": __name__, "Meta": meta, **fields})


# Each union's figures on a day, as apps.dashboard.figures.FIGURES_SQL computes them.
UnionFiguresColumns = _figure_columns("UnionFiguresColumns", figure_fields(UNION_FIGURES))
# A federation's and sector's totals on a day, and how many of its unions fail each charter
# check (apps.dashboard.checks.ATTENTION_CHECKS, same codes; zero for rows kept before them).
FederationFiguresColumns = _figure_columns(
    "FederationFiguresColumns",
    figure_fields(TOTALS) | {code: models.PositiveIntegerField(db_default=0) for code in ATTENTION_CHECKS},
)

# A union's tallied figures (figure_definitions.TALLIED) at the end of a day: running sums.
TallyColumns = _figure_columns("TallyColumns", {figure.name: models.IntegerField() for figure in TALLIED})


class MembershipTally(TallyColumns):
    """A union's members, female and foreign members and movements at the end of a day any of them changed.

    Running sums from the union's first membership period (apps.dashboard.figures.TALLY_SQL), so
    its figures on any day are its latest row on or before it: one probe of the unique index,
    whatever the length of its history. Recounted from the periods for the unions the triggers
    note (``PendingFiguresChange``), from the noted day on, before any figure is computed.
    """

    # No foreign key, like the notes: a deleted union's rows go when its note is applied.
    union_id = models.BigIntegerField()
    day = models.DateField()

    class Meta:
        verbose_name = _("membership tally")
        verbose_name_plural = _("membership tallies")
        constraints = [models.UniqueConstraint(fields=["union_id", "day"], name="membership_tally_one_per_day")]

    def __str__(self) -> str:
        return f"{self.union_id} – {self.day:%d/%m/%Y}"


class FiguresDay(models.Model):
    """A day whose figures are in ``UnionFigures`` for every union."""

    day = models.DateField(_("day"), primary_key=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("figures day")
        verbose_name_plural = _("figures days")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}"


class UnionFiguresQuerySet(ScopedQuerySet):
    # A row counts under the superior its CĐCS had on the row's day ("as organised then").
    union_path = "union"
    federation_path = "federation"
    federation_field = "federation_id"

    def visible_as_organised_today(self, user: Reader, *, federation: Federation | None = None) -> Self:
        """The rows of the CĐCS ``user`` sees today (under ``federation`` today), whatever their superior then.

        A ward union's staff read their CĐCS's days from before the ward existed; nothing of a
        CĐCS they do not see today is in them.
        """
        unions = GrassrootsUnion.objects.visible_to(user)
        if federation is not None:
            unions = unions.filter(federation_subtree_q(federation, "federation"))
        return self.filter(union__in=unions.values("pk"))


COUNTED = models.Q(counted=True)


class UnionFigures(UnionFiguresColumns):
    """One union's figures on one day, as ``apps.dashboard.figures.FIGURES_SQL`` computes them.

    There is a row for every union on every ``FiguresDay``, also for unions not yet
    founded or already dissolved then (``counted`` is false), so that the movements of a
    period are always the difference of two rows.
    """

    day = models.DateField(_("day"))
    # No database constraint and nothing done on delete: a deleted union's rows stay until the
    # next refresh, which reads their federation to add up its totals again, then drops them.
    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="figures",
        verbose_name=_("grassroots union"),
    )
    # The union's place on that day: its superior then (unions.UnionAffiliation, "as organised
    # then") and its sector; a change to either recomputes its rows (triggers), so scoping and
    # grouping need no join.
    federation = models.ForeignKey("unions.Federation", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("unions.Sector", on_delete=models.CASCADE, related_name="+")
    # So that lists of unions needing attention sort without joining the unions.
    union_name = models.CharField(max_length=255)
    # The union existed on the day (founded, not yet dissolved).
    counted = models.BooleanField()
    # Its figures (members, workers, groups, movements …) come from UnionFiguresColumns.

    objects = UnionFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("union figures")
        verbose_name_plural = _("union figures")
        constraints = [models.UniqueConstraint(fields=["day", "union"], name="union_figures_one_per_day")]
        indexes = [
            models.Index(fields=["day", "federation", "sector"], name="union_figures_day_scope"),
            models.Index(fields=["union", "day"], name="union_figures_union_day"),
            # The worst few of each charter check, read in index order (apps.dashboard.overview).
            *(
                models.Index(fields=["day", field, "union"], name=f"union_figures_worst_{short}", condition=COUNTED)
                for field, short in (
                    ("members", "members"),
                    ("ratio_permille", "ratio"),
                    ("groups_without_leader", "leaderless"),
                    ("quiet_groups", "quiet"),
                )
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union_id} – {self.day:%d/%m/%Y}"


class FederationFiguresQuerySet(ScopedQuerySet):
    # A federation's totals: nothing of them is a chair's (chairs read their union's row).
    union_path = None
    federation_path = "federation"
    federation_field = "federation_id"


class FederationTotals(FederationFiguresColumns):
    """One federation's and sector's totals on one day (their columns from FederationFiguresColumns)."""

    day = models.DateField()
    federation = models.ForeignKey("unions.Federation", on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey("unions.Sector", on_delete=models.CASCADE, related_name="+")

    objects = FederationFiguresQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.federation_id}/{self.sector_id} – {self.day:%d/%m/%Y}"


class FederationFigures(FederationTotals):
    """The ``UnionFigures`` of one federation and sector on one day, added up (what leaders' totals read)."""

    class Meta:
        verbose_name = _("federation figures")
        verbose_name_plural = _("federation figures")
        constraints = [
            models.UniqueConstraint(fields=["day", "federation", "sector"], name="federation_figures_one_per_day")
        ]


class FederationFiguresToday(FederationTotals):
    """The ``UnionFigures`` of one day added up under each CĐCS's superior of *today* ("as organised today").

    What the dashboard's "as organised today" reads instead of adding up every CĐCS's row of
    each day (20,000 a day for a city). A CĐCS's row of a day is in its today's federation's
    total whatever its superior was then; a move (``PendingRestatement``) restates the totals of
    both federations on every kept day.
    """

    class Meta:
        verbose_name = _("federation figures as organised today")
        verbose_name_plural = _("federation figures as organised today")
        constraints = [
            models.UniqueConstraint(fields=["day", "federation", "sector"], name="federation_figures_today_one_per_day")
        ]


class PendingRestatement(models.Model):
    """A federation that a CĐCS joined or left today: its totals as organised today need adding up again."""

    # No foreign key: the note must survive the deletion of what it is about.
    federation_id = models.BigIntegerField()

    class Meta:
        verbose_name = _("pending restatement")
        verbose_name_plural = _("pending restatements")

    def __str__(self) -> str:
        return str(self.federation_id)


class PendingFiguresChange(models.Model):
    """A union whose figures may differ from ``since`` on: written by triggers, consumed by a refresh."""

    # No foreign key: the note must survive the deletion of what it is about.
    union_id = models.BigIntegerField()
    since = models.DateField()

    class Meta:
        verbose_name = _("pending figures change")
        verbose_name_plural = _("pending figures changes")

    def __str__(self) -> str:
        return f"{self.union_id} ≥ {self.since:%d/%m/%Y}"
