"""A large file's job waits in the database queue until the worker (`manage.py db_worker`) runs it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from apps.imports.models import ImportJob
from apps.unions.models import DepartmentUnion
from tests.imports.fake_kind import NAME
from tests.imports.test_import_pages import SHEET

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker_once() -> None:
    """What `make run`'s worker does, until the queue is empty."""
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay")


# The worker claims tasks in a transaction of its own, as it does in production.
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE, IMPORTS_INLINE_MAX_BYTES=10)
def test_the_worker_previews_then_imports_a_queued_job(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    client.post(reverse("imports:upload", args=[NAME]), {"file": SimpleUploadedFile("to.csv", SHEET.encode())})
    job = ImportJob.objects.get()
    assert job.status == "uploaded" and DBTaskResult.objects.count() == 1

    run_worker_once()
    job.refresh_from_db()
    assert job.status == "previewed" and job.counts["created"] == 2
    assert not DepartmentUnion.objects.exists()

    client.post(reverse("imports:confirm", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "importing"
    run_worker_once()
    job.refresh_from_db()
    assert job.status == "done"
    assert DepartmentUnion.objects.filter(union=chair_a1.union).count() == 2
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
