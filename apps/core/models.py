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


class WorkerHeartbeat(models.Model):
    """A background worker (`manage.py db_worker`) said it was alive at ``beat_at``: one row per worker."""

    worker_id = models.CharField(_("worker"), max_length=64, unique=True)
    beat_at = models.DateTimeField(_("last sign of life"), db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return f"{self.worker_id} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"
