"""Keeping the figures on the primary: changes when pages read from a replica (apps.core.replica), days read live."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.db import DatabaseError
from django_tasks import task

from apps.core.replica import replica_configured
from apps.dashboard import figures
from apps.dashboard.models import PendingFiguresChange

logger = logging.getLogger("unionportal.figures")


@task()
def apply_figure_changes() -> None:
    """Apply the changes the triggers noted, on the primary, so readers on the replica see them."""
    figures.apply_pending_changes()


@task()
def keep_figures_days(days: list[str]) -> None:
    """Compute and keep days read live (figures.read_live), so the next reader finds them kept."""
    figures.ensure_figures([date.fromisoformat(day) for day in days])


def keep_later(days: Iterable[date]) -> None:
    """Have the worker keep ``days``, which a reader has just read live."""
    try:
        keep_figures_days.enqueue(sorted(day.isoformat() for day in days))
    except DatabaseError:
        # The reader has its figures; the day is read live again until the nightly refresh or another reader.
        logger.warning("could not queue keeping the figures of %s", days, exc_info=True)


def queue_figure_changes(**_kwargs) -> None:
    """After a request or a task wrote: have the worker apply the notes it left, if any.

    Without a replica the readers apply them themselves (figures.ensure_figures), as before.
    """
    if not replica_configured():
        return
    try:
        if PendingFiguresChange.objects.exists():
            apply_figure_changes.enqueue()
    except DatabaseError:
        # The change itself is committed; its notes wait for the next write or the nightly refresh.
        logger.warning("could not queue the figures' upkeep", exc_info=True)
