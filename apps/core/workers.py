"""Whether the background worker is alive: each `manage.py db_worker` beats a row every few seconds.

django-tasks-db records which worker claimed a task but not whether that worker still
lives, so our `db_worker` (apps/core/management/commands/db_worker.py) writes a heartbeat
from a thread of its own: it keeps beating while a long import runs, and stops when the
process dies, however it dies. `/healthz` and the import log's "start again" read it.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection
from django.utils import timezone

from apps.core.models import WorkerHeartbeat

logger = logging.getLogger("unionportal.worker")

# Missing this many beats in a row, a worker is taken for dead.
MISSED_BEATS = 4
# Rows of workers gone for longer than this are dropped by the next worker that starts.
FORGET_AFTER = timedelta(days=1)


_this_process_worker_id = ""


def set_this_process_worker_id(worker_id: str) -> None:
    """Called once by `db_worker`: the tasks this process runs are run by ``worker_id``."""
    global _this_process_worker_id
    _this_process_worker_id = worker_id


def this_process_worker_id() -> str:
    """The id of the worker running in this process; empty in a web request or another command."""
    return _this_process_worker_id


def beat_interval() -> float:
    return float(settings.WORKER_HEARTBEAT_SECONDS)


def dead_after() -> timedelta:
    """How long without a beat before a worker is taken for dead."""
    return timedelta(seconds=MISSED_BEATS * beat_interval())


def beat(worker_id: str) -> None:
    """Record that ``worker_id`` is alive now."""
    WorkerHeartbeat.objects.update_or_create(worker_id=worker_id, defaults={"beat_at": timezone.now()})


def is_alive(worker_id: str) -> bool:
    """Whether ``worker_id`` beat recently enough to be taken for alive."""
    since = timezone.now() - dead_after()
    return WorkerHeartbeat.objects.filter(worker_id=worker_id, beat_at__gte=since).exists()


class Heartbeat(threading.Thread):
    """Beats for ``worker_id`` every ``beat_interval()`` seconds until the process ends (a daemon thread)."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)

    def start(self) -> None:
        # The first beat is written before the worker takes any task, from the worker's own
        # thread: it is alive as soon as it is started, and never writes at the same moment.
        WorkerHeartbeat.objects.filter(beat_at__lt=timezone.now() - FORGET_AFTER).delete()
        beat(self.worker_id)
        super().start()

    def run(self) -> None:
        # This thread has its own database connection (Django's are per thread), so a beat
        # never waits for, nor joins, the transaction of the import the worker is running.
        while not self.stopped.wait(beat_interval()):
            try:
                close_old_connections()
                beat(self.worker_id)
            except DatabaseError:
                # The database is away (restarted, unreachable): /healthz says so on its own;
                # the next beat tries a fresh connection.
                logger.warning("worker %s could not record its heartbeat", self.worker_id)
                connection.close()
        connection.close()
