"""`manage.py db_worker`: django-tasks-db's worker, beating a heartbeat while it lives (apps.core.workers).

It takes the place of django-tasks-db's own command of the same name because apps.core is
listed before django_tasks_db in INSTALLED_APPS (Django runs the first app's command); the
options are the same. tests/core/test_healthz.py checks that this one is what runs.
"""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands import db_worker

from apps.core.workers import Heartbeat, set_this_process_worker_id


class Command(db_worker.Command):
    help = "Run the database background worker, recording a heartbeat for /healthz and the import log."

    def handle(self, *args, reload: bool, worker_id: str, **options) -> None:
        # With --reload, the first process only watches files; the worker runs in its child.
        if reload and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            super().handle(*args, reload=reload, worker_id=worker_id, **options)
            return
        heartbeat = Heartbeat(worker_id)
        set_this_process_worker_id(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, reload=reload, worker_id=worker_id, **options)
        finally:
            # Reached with --batch or --max-tasks (and in tests); a signal ends the process instead.
            set_this_process_worker_id("")
            heartbeat.stop()
