"""Keeping the figures up to date on the primary when pages read from a replica (apps.core.replica)."""

from __future__ import annotations

from django_tasks import task

from apps.core.replica import replica_configured
from apps.dashboard import figures
from apps.dashboard.models import PendingFiguresChange


@task()
def apply_figure_changes() -> None:
    """Apply the changes the triggers noted, on the primary, so readers on the replica see them."""
    figures.apply_pending_changes()


def queue_figure_changes(**_kwargs) -> None:
    """After a request or a task wrote: have the worker apply the notes it left, if any.

    Without a replica the readers apply them themselves (figures.ensure_figures), as before.
    """
    if replica_configured() and PendingFiguresChange.objects.exists():
        apply_figure_changes.enqueue()
