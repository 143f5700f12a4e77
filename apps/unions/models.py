"""The organisation: federations, sectors, grassroots unions, department unions, workforce."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.text import fold, normalize_name
from apps.unions.querysets import (
    DepartmentUnionQuerySet,
    FederationQuerySet,
    GrassrootsUnionQuerySet,
    SectorQuerySet,
    WorkforceDeclarationQuerySet,
)

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_.-]*$",
    _("Use letters, digits, dots, dashes or underscores, without spaces or accents."),
)


class Federation(TimeStampedModel):
    """A labour federation (LĐLĐ); a city federation holds district ones."""

    code = models.CharField(_("code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("name"), max_length=255)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent federation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    address = models.CharField(_("address"), max_length=255, blank=True)

    objects = FederationQuerySet.as_manager()

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
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Scoping covers a city federation and its districts: two levels, no deeper.
        if self.parent_id and (self.parent_id == self.pk or self.parent.parent_id):
            raise ValidationError({"parent": _("The parent must be a city federation that has no parent of its own.")})


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
        ]
        indexes = [models.Index(fields=["federation", "sector", "status"], name="union_fed_sector_status")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        self.employer_name = normalize_name(self.employer_name)
        self.search_text = self.build_search_text(self.code, self.name, self.employer_name)
        super().save(*args, **kwargs)

    @staticmethod
    def build_search_text(code: str, name: str, employer_name: str) -> str:
        return fold(f"{code} {name} {employer_name}")


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
