"""Abstract models shared by the domain apps."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Adds creation and last-change timestamps."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class DatedLifespanQuerySet(models.QuerySet):
    """Reads for rows that exist from ``established_on`` until (not including) ``dissolved_on``."""

    def as_of(self, day):
        """Rows that existed on ``day``."""
        return self.filter(established_on__lte=day).filter(
            models.Q(dissolved_on__isnull=True) | models.Q(dissolved_on__gt=day)
        )
