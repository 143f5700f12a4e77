"""The organisation: federations, sectors, grassroots unions, department unions, workforce."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.accounts.scoping import federation_subtree_q
from apps.core.models import TimeStampedModel
from apps.core.text import fold, normalize_name
from apps.unions.querysets import (
    DecisionQuerySet,
    DepartmentUnionQuerySet,
    FederationQuerySet,
    GrassrootsUnionQuerySet,
    SectorQuerySet,
    UnionAffiliationQuerySet,
    WorkforceDeclarationQuerySet,
)

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Use letters, digits, dots, dashes or underscores, without spaces or accents."),
)


class Decision(TimeStampedModel):
    """A decision (quyết định) that founded or ended a union body: its number, date and issuer."""

    number = models.CharField(
        pgettext_lazy("decision", "number"), max_length=64, help_text=_("For example 123/QĐ-LĐLĐ.")
    )
    signed_on = models.DateField(_("signed on"))
    issuer = models.CharField(
        _("issued by"),
        max_length=255,
        help_text=_("The body that issued it, e.g. Ban Thường vụ LĐLĐ thành phố Hà Nội."),
    )
    summary = models.TextField(_("summary"), blank=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-signed_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "number", "signed_on"],
                name="decision_unique_per_issuer",
                violation_error_message=_("This decision is already recorded."),
            ),
        ]

    def __str__(self) -> str:
        return _("Decision no. %(number)s of %(date)s") % {"number": self.number, "date": f"{self.signed_on:%d/%m/%Y}"}


class Federation(TimeStampedModel):
    """An upper-level union (LĐLĐ, ward union …), with its kind and lifespan, in a tree of any depth.

    A federation may hold others (national → province → ward …), to any depth: ``parent`` says
    where it hangs, and ``tree_path`` ("/1/7/31/": the ids from its root down to itself) is kept
    from it by ``save`` so that a whole subtree is one indexed prefix match (``tree_path`` starts
    with the top federation's path; ``apps.accounts.scoping.federation_subtree_q``).

    A federation exists from ``founded_on`` until, not including, ``ended_on``: ``ended_on`` is
    the first day it no longer exists, as for a CĐCS's ``dissolved_on`` and a membership
    period's ``ended_on``. A district federation whose last day was 30/06/2025 has ``ended_on``
    01/07/2025, the day its successors are founded.
    """

    class Kind(models.TextChoices):
        PROVINCE = "province", _("province or city federation")
        DISTRICT = "district", _("district federation")
        COMMUNE = "commune", _("commune, ward or special-zone union")
        INDUSTRIAL_ZONE = "industrial_zone", _("industrial-zone union")
        SECTOR_UNION = "sector_union", _("sector union")
        OTHER = "other", _("other directly-superior union")

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=255)
    # District: what the portal was built for, and what every path that makes a federation
    # without saying its kind (the first staff account's command, without --federation-kind) means.
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DISTRICT)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent federation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Derived from ``parent`` by ``save``, never typed in. db_index: on PostgreSQL Django adds a
    # second, varchar_pattern_ops index (…_like) beside the plain one, which a prefix LIKE uses.
    # Ten levels of ten-digit ids fit in 255.
    tree_path = models.CharField(_("place in the hierarchy"), max_length=255, default="", editable=False, db_index=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Optional: federations recorded before lifespans were kept have no known founding date.
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    ended_on = models.DateField(
        _("no longer exists from"),
        null=True,
        blank=True,
        help_text=_(
            "The first day it no longer exists (a body whose last day was 30/06/2025: 01/07/2025). "
            "Empty while it exists."
        ),
    )
    founding_decision = models.ForeignKey(
        Decision,
        verbose_name=_("founding decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="founded_federations",
    )
    ending_decision = models.ForeignKey(
        Decision,
        verbose_name=_("ending decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ended_federations",
    )

    objects = FederationQuerySet.as_manager()
    # A federation's kind, parent, lifespan and decisions change with reorganisations: keep who changed what.
    history = HistoricalRecords(excluded_fields=["updated_at"])

    CYCLE_MESSAGE = _(
        "A federation cannot be placed under itself or under a federation it holds: "
        "choose a parent outside its own subtree."
    )

    class Meta:
        verbose_name = _("federation")
        verbose_name_plural = _("federations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")),
                name="federation_not_own_parent",
                violation_error_message=_("A federation cannot be its own parent."),
            ),
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True)
                | models.Q(founded_on__isnull=True)
                | models.Q(ended_on__gt=models.F("founded_on")),
                name="federation_ended_after_founded",
                violation_error_message=_(
                    "A federation must have existed at least one day: end it after its founding."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(ending_decision__isnull=True) | models.Q(ended_on__isnull=False),
                name="federation_ending_decision_has_date",
                violation_error_message=_("An ending decision needs the date the federation no longer exists from."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.parent_id and self._would_be_own_ancestor(self._parent_path()):
            errors["parent"] = self.CYCLE_MESSAGE
        elif clash := self._code_clash_in_new_tree():
            errors["parent"] = clash
        if self.founded_on and self.ended_on and self.ended_on <= self.founded_on:
            errors["ended_on"] = _("A federation must have existed at least one day: end it after its founding.")
        elif self.ending_decision_id and not self.ended_on:
            errors["ended_on"] = _("An ending decision needs the date the federation no longer exists from.")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs) -> None:
        """Save, keeping ``tree_path`` right: a new parent rewrites the paths of the whole subtree in one UPDATE."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "parent" not in update_fields and "parent_id" not in update_fields:
            super().save(*args, **kwargs)
            return
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "tree_path"}
        with transaction.atomic():
            parent_path = self._parent_path()
            if self._would_be_own_ancestor(parent_path):
                # clean() says so in words; this guards paths that skip it.
                raise ValidationError({"parent": self.CYCLE_MESSAGE})
            if self.pk is None:
                # The path ends with the new row's own id, known once it is inserted.
                self.tree_path = ""
                super().save(*args, **kwargs)
                self.tree_path = f"{parent_path}{self.pk}/"
                type(self)._base_manager.filter(pk=self.pk).update(tree_path=self.tree_path)
                # The first version was recorded before the path was known; past versions are
                # scoped by their own path, so it takes the row's.
                type(self).history.filter(id=self.pk, tree_path="").update(tree_path=self.tree_path)
                return
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("tree_path", flat=True).first()
            self.tree_path = f"{parent_path}{self.pk}/"
            super().save(*args, **kwargs)
            if stored and stored != self.tree_path:
                # Every federation below this one: its path's head (``stored``) becomes the new one.
                type(self)._base_manager.filter(tree_path__startswith=stored).update(
                    tree_path=Concat(models.Value(self.tree_path), Substr("tree_path", len(stored) + 1))
                )

    def top(self) -> Federation:
        """The federation at the root of this one's tree (itself when it has no parent)."""
        root_id = int(self.tree_path.split("/")[1]) if self.tree_path else self.pk
        return self if root_id == self.pk else type(self)._base_manager.get(pk=root_id)

    def _code_clash_in_new_tree(self) -> str | None:
        """Why this federation cannot move into another tree: a CĐCS code of its subtree is taken there."""
        if self.pk is None or not self.tree_path or self.parent_id is None:
            return None
        new_top_id = int(self._parent_path().split("/")[1])
        if self.tree_path.startswith(f"/{new_top_id}/"):
            return None
        new_top = type(self)._base_manager.get(pk=new_top_id)
        own = GrassrootsUnion._base_manager.filter(federation_subtree_q(self, "federation"))
        clash = (
            GrassrootsUnion._base_manager.filter(federation_subtree_q(new_top, "federation"))
            .filter(code__in=own.values("code"))
            .values_list("code", flat=True)
            .first()
        )
        if clash is None:
            return None
        return GrassrootsUnion.code_taken_message(clash, new_top)

    @property
    def depth(self) -> int:
        """1 for a federation with no parent, 2 for one below it, and so on."""
        return self.tree_path.count("/") - 1

    def _parent_path(self) -> str:
        """The parent's path as stored ("/" for a root), read afresh: an instance in memory may be stale."""
        if self.parent_id is None:
            return "/"
        return type(self)._base_manager.filter(pk=self.parent_id).values_list("tree_path", flat=True).first() or "/"

    def _would_be_own_ancestor(self, parent_path: str) -> bool:
        """Whether a parent at ``parent_path`` is this federation or lies in its subtree (a cycle)."""
        return self.pk is not None and (self.parent_id == self.pk or f"/{self.pk}/" in parent_path)

    def has_ended(self, *, on: date) -> bool:
        """Whether the federation no longer exists on ``on``."""
        return self.ended_on is not None and self.ended_on <= on

    @property
    def ended_message(self) -> str:
        """Why nothing new may be placed in this (ended) federation, in the reader's language."""
        return _("“%(federation)s” no longer exists from %(date)s: nothing can be added to it or moved into it.") % {
            "federation": self.name,
            "date": f"{self.ended_on:%d/%m/%Y}",
        }


class Sector(models.Model):
    """A sector (khối) that groups grassroots unions: public-service units, schools, enterprises …"""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120, unique=True)
    is_enterprise = models.BooleanField(
        _("enterprise sector"), default=False, help_text=_("Unions in this sector may sign collective agreements.")
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    objects = SectorQuerySet.as_manager()

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class GrassrootsUnion(TimeStampedModel):
    """A grassroots union (công đoàn cơ sở, CĐCS) of one employer or unit."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("union status", "active")
        DISSOLVED = "dissolved", _("dissolved")

    class Kind(models.TextChoices):
        # Trade Union Law 2024: workers without a labour contract join through a nghiệp đoàn
        # cơ sở, a kind of CĐCS; everything else about it is a CĐCS's.
        UNION = "union", pgettext_lazy("union kind", "grassroots union")
        OCCUPATIONAL = "occupational", pgettext_lazy("union kind", "occupational union")

    federation = models.ForeignKey(
        Federation, verbose_name=_("federation"), on_delete=models.PROTECT, related_name="unions"
    )
    sector = models.ForeignKey(Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="unions")
    kind = models.CharField(
        pgettext_lazy("union", "kind"),
        max_length=16,
        choices=Kind.choices,
        default=Kind.UNION,
        help_text=_("An occupational union (nghiệp đoàn cơ sở) gathers workers without a labour contract."),
    )
    code = models.CharField(_("code"), max_length=32, validators=[code_validator])
    name = models.CharField(_("name"), max_length=255)
    employer_name = models.CharField(_("employer / unit"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    dissolution_decision = models.ForeignKey(
        Decision,
        verbose_name=_("dissolution decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dissolved_unions",
    )
    # Accent-free, lower-case copy of name and employer for search on any database.
    search_text = models.CharField(max_length=600, editable=False, default="", db_index=True)

    objects = GrassrootsUnionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("grassroots union")
        verbose_name_plural = _("grassroots unions")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "code"],
                name="union_code_unique_in_federation",
                violation_error_message=_("A grassroots union with this code already exists in this federation."),
            ),
            models.CheckConstraint(
                condition=models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gte=models.F("established_on")),
                name="union_dissolved_after_established",
                violation_error_message=_("The dissolution date cannot be before the establishment date."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="active", dissolved_on__isnull=True)
                | models.Q(status="dissolved", dissolved_on__isnull=False),
                name="union_status_matches_dissolution",
                violation_error_message=_("A dissolved union needs a dissolution date, and an active one has none."),
            ),
            models.CheckConstraint(
                condition=models.Q(dissolution_decision__isnull=True) | models.Q(dissolved_on__isnull=False),
                name="union_dissolution_decision_has_date",
                violation_error_message=_("A dissolution decision needs the date the union is dissolved on."),
            ),
        ]
        indexes = [models.Index(fields=["federation", "sector", "status"], name="union_fed_sector_status")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        self.employer_name = normalize_name(self.employer_name)
        self.search_text = self.build_search_text(self.code, self.name, self.employer_name)
        adding = self._state.adding
        super().save(*args, **kwargs)
        # Every path that makes a CĐCS one at a time (admin, sheet import, commands) comes here;
        # the bulk ones write UnionAffiliation.first_of themselves.
        if adding:
            first = UnionAffiliation.first_of(self)
            if first is not None:
                first.save()
        elif kwargs.get("update_fields") is None or {"established_on", "dissolved_on"} & set(kwargs["update_fields"]):
            UnionAffiliation.follow_lifespan(self)

    @staticmethod
    def build_search_text(code: str, name: str, employer_name: str) -> str:
        return fold(f"{code} {name} {employer_name}")

    @staticmethod
    def code_taken_message(code: str, top: Federation) -> str:
        # Names no CĐCS: the one holding the code may be outside the reader's scope.
        return _(
            "The code “%(code)s” is already used by another grassroots union under “%(top)s”: "
            "grassroots union codes are unique within the top federation."
        ) % {"code": code, "top": top.name}

    def clean(self) -> None:
        if self.dissolution_decision_id and not self.dissolved_on:
            raise ValidationError(
                {"dissolved_on": _("A dissolution decision needs the date the union is dissolved on.")}
            )
        self._check_lifespan_covers_periods()
        errors = {}
        for check in (self._check_code_unique_in_tree, self._check_federation_exists):
            try:
                check()
            except ValidationError as error:
                errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)

    def _check_code_unique_in_tree(self) -> None:
        """A CĐCS code is unique within the top federation of its tree, so it stays stable through moves.

        No database constraint: it would need the top federation copied onto every CĐCS. Within
        one federation the database's own constraint answers (union_code_unique_in_federation).
        """
        if not self.code or self.federation_id is None:
            return
        top = self.federation.top()
        clash = (
            GrassrootsUnion._base_manager.filter(federation_subtree_q(top, "federation"), code=self.code)
            .exclude(federation_id=self.federation_id)
            .exclude(pk=self.pk)
        )
        if clash.exists():
            raise ValidationError({"code": self.code_taken_message(self.code, top)})

    def _check_federation_exists(self) -> None:
        # Only a CĐCS being placed (created, or moved to another federation) is asked: one
        # already in a federation that has since ended stays editable, its past intact.
        if self.federation_id is None or self.federation.ended_on is None:
            return
        # The federation it is placed in must still exist on the CĐCS's last day in it: the
        # eve of its dissolution, or today while it is active.
        last_day = self.dissolved_on - timedelta(days=1) if self.dissolved_on else timezone.localdate()
        if not self.federation.has_ended(on=last_day):
            return
        stored = GrassrootsUnion._base_manager.filter(pk=self.pk).values_list("federation_id", flat=True).first()
        if self._state.adding or stored != self.federation_id:
            raise ValidationError({"federation": self.federation.ended_message})

    def _check_lifespan_covers_periods(self) -> None:
        """Corrected dates of its life must leave each of its periods under a superior at least a day."""
        if self._state.adding or self.established_on is None:
            return
        periods = list(UnionAffiliation.objects.filter(union=self).order_by("started_on"))
        if not periods:
            return
        first, last = periods[0], periods[-1]
        if first.ended_on is not None and self.established_on >= first.ended_on:
            raise ValidationError(
                {
                    "established_on": _("It was under %(federation)s only until %(day)s: establish it before.")
                    % {"federation": first.federation, "day": f"{first.ended_on:%d/%m/%Y}"}
                }
            )
        if self.dissolved_on is not None and self.dissolved_on <= last.started_on:
            raise ValidationError(
                {
                    "dissolved_on": _("It has been under %(federation)s since %(day)s: dissolve it after.")
                    % {"federation": last.federation, "day": f"{last.started_on:%d/%m/%Y}"}
                }
            )


class UnionAffiliation(TimeStampedModel):
    """A period [started_on, ended_on) during which a CĐCS belonged to a superior union (federation).

    A CĐCS's periods cover its life, from ``established_on`` to ``dissolved_on``, one after
    another without overlap; an active CĐCS has exactly one open period, whose federation is
    ``GrassrootsUnion.federation`` ("the superior today"). Only ``unions_move`` opens a later
    period (apps.unions.services); figures of a day count the CĐCS under the period's federation.
    """

    union = models.ForeignKey(
        GrassrootsUnion, verbose_name=_("grassroots union"), on_delete=models.CASCADE, related_name="affiliations"
    )
    federation = models.ForeignKey(
        Federation, verbose_name=_("superior union"), on_delete=models.PROTECT, related_name="affiliations"
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until (not included)"), null=True, blank=True)
    decision = models.ForeignKey(
        Decision,
        verbose_name=_("decision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="affiliations",
    )

    objects = UnionAffiliationQuerySet.as_manager()

    class Meta:
        verbose_name = _("superior union period")
        verbose_name_plural = _("superior unions over time")
        ordering = ["union", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("started_on")),
                name="affiliation_ends_after_start",
                violation_error_message=_("A period under a superior union must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["union"],
                condition=models.Q(ended_on__isnull=True),
                name="affiliation_one_open_per_union",
                violation_error_message=_("A grassroots union can have only one open period under a superior union."),
            ),
            # Also the index the figures read a CĐCS's period of a day by. Overlaps are refused
            # by clean() and, on PostgreSQL, by an exclusion constraint (migration 0008).
            models.UniqueConstraint(
                fields=["union", "started_on"],
                name="affiliation_one_start_per_day",
                violation_error_message=_("A grassroots union can start only one period under a superior union a day."),
            ),
        ]
        indexes = [models.Index(fields=["federation", "started_on"], name="affiliation_federation_start")]

    def __str__(self) -> str:
        end = f"{self.ended_on:%d/%m/%Y}" if self.ended_on else "…"
        return f"{self.union} – {self.federation} ({self.started_on:%d/%m/%Y} – {end})"

    def clean(self) -> None:
        if self.started_on and self.ended_on and self.ended_on <= self.started_on:
            raise ValidationError({"ended_on": _("A period under a superior union must end after it starts.")})
        if self.union_id is None or self.started_on is None:
            return
        overlapping = UnionAffiliation.objects.filter(union_id=self.union_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=self.started_on))
        if self.ended_on is not None:
            overlapping = overlapping.filter(started_on__lt=self.ended_on)
        if overlapping.exists():
            raise ValidationError(
                _("The grassroots union %(code)s already has a superior union for part of this period.")
                % {"code": self.union.code}
            )

    @classmethod
    def first_of(cls, union: GrassrootsUnion) -> UnionAffiliation | None:
        """The (unsaved) first period of a new CĐCS: under its federation from its establishment.

        None for a CĐCS dissolved the day it was established: it belonged nowhere for a day.
        """
        if union.dissolved_on is not None and union.dissolved_on <= union.established_on:
            return None
        return cls(
            union=union,
            federation_id=union.federation_id,
            started_on=union.established_on,
            ended_on=union.dissolved_on,
        )

    @classmethod
    def follow_lifespan(cls, union: GrassrootsUnion) -> None:
        """Keep the first period starting at ``established_on`` and the last ending at ``dissolved_on``.

        The dates of a CĐCS's life are corrected on its own form; the periods follow so that
        they keep covering exactly its life. Where it belongs is changed only by ``unions_move``.
        """
        periods = list(cls.objects.filter(union=union).order_by("started_on"))
        if not periods:
            return
        # GrassrootsUnion.clean() and the services checked the new dates leave each period a day.
        first, last = periods[0], periods[-1]
        if first.started_on != union.established_on:
            first.started_on = union.established_on
            first.save(update_fields=["started_on", "updated_at"])
        if last.ended_on != union.dissolved_on:
            last.ended_on = union.dissolved_on
            last.save(update_fields=["ended_on", "updated_at"])


class DepartmentUnion(TimeStampedModel):
    """A department union (công đoàn bộ phận) between a CĐCS and its groups."""

    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.CASCADE,
        related_name="department_unions",
    )
    name = models.CharField(_("name"), max_length=255)
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # The name folded for accent-free search (apps.core.search), set on save.
    search_name = models.CharField(max_length=255, editable=False, default="")

    objects = DepartmentUnionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])

    class Meta:
        verbose_name = _("department union")
        verbose_name_plural = _("department unions")
        ordering = ["union", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gte=models.F("established_on")),
                name="department_union_dissolved_after_established",
                violation_error_message=_("The dissolution date cannot be before the establishment date."),
            ),
            models.UniqueConstraint(
                fields=["union", "name"],
                name="department_union_name_unique",
                violation_error_message=_("This union already has a department union with this name."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class WorkforceDeclaration(TimeStampedModel):
    """The workforce (người lao động) a union declares as of a date: total and female."""

    union = models.ForeignKey(
        GrassrootsUnion,
        verbose_name=_("grassroots union"),
        on_delete=models.CASCADE,
        related_name="workforce_declarations",
    )
    as_of = models.DateField(_("as of"))
    total_workers = models.PositiveIntegerField(_("workers"))
    female_workers = models.PositiveIntegerField(_("female workers"))
    note = models.CharField(_("note"), max_length=255, blank=True)

    objects = WorkforceDeclarationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("workforce declaration")
        verbose_name_plural = _("workforce declarations")
        ordering = ["union", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["union", "as_of"],
                name="workforce_one_per_union_and_day",
                violation_error_message=_("This union already declared its workforce on this date."),
            ),
            models.CheckConstraint(
                condition=models.Q(female_workers__lte=models.F("total_workers")),
                name="workforce_female_not_above_total",
                violation_error_message=_("Female workers cannot outnumber all workers."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.union} – {self.as_of:%d/%m/%Y}"

    def clean(self) -> None:
        if (
            self.total_workers is not None
            and self.female_workers is not None
            and self.female_workers > self.total_workers
        ):
            raise ValidationError({"female_workers": _("Female workers cannot outnumber all workers.")})
