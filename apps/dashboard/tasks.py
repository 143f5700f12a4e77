"""Keeping the figures up to date on the primary when pages read from a replica (apps.core.replica)."""

from __future__ import annotations

import logging

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
