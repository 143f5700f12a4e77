"""Union groups (tổ công đoàn) of a grassroots union."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.core.text import fold, normalize_name
from apps.union_groups.querysets import UnionGroupQuerySet


class UnionGroup(TimeStampedModel):
    """A union group (tổ công đoàn) of a CĐCS, optionally inside one of its department unions."""

    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        on_delete=models.CASCADE,
        related_name="groups",
    )
    department_union = models.ForeignKey(
        "unions.DepartmentUnion",
        verbose_name=_("department union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="groups",
    )
    name = models.CharField(_("name"), max_length=255)
    established_on = models.DateField(_("established on"))
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    # The name folded for accent-free search (apps.core.search), set on save.
    search_name = models.CharField(max_length=255, editable=False, default="")

    objects = UnionGroupQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_name", "updated_at"])

    class Meta:
        verbose_name = _("union group")
        verbose_name_plural = _("union groups")
        ordering = ["union", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gte=models.F("established_on")),
                name="union_group_dissolved_after_established",
                violation_error_message=_("The dissolution date cannot be before the establishment date."),
            ),
            models.UniqueConstraint(
                fields=["union", "name"],
                name="union_group_name_unique",
                violation_error_message=_("This union already has a group with this name."),
            ),
        ]
        # The rule "a group's department union belongs to the same CĐCS" is also a
        # database trigger (migration 0002), because imports and scripts bypass clean().

    def __str__(self) -> str:
        return self.name

    @property
    def choice_label(self) -> str:
        """The group among others of the district: many CĐCS have a "Tổ Kinh doanh"."""
        return f"{self.name} — {self.union.name}"

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_name(self.name)
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.department_union_id and self.union_id and self.department_union.union_id != self.union_id:
            raise ValidationError(
                {"department_union": _("The department union must belong to the same grassroots union.")}
            )
