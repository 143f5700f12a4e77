"""A large file's job waits in the database queue until the worker (`manage.py db_worker`) runs it."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.core import workers
from apps.core.models import WorkerHeartbeat
from apps.imports import services
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


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_QUEUE, IMPORTS_INLINE_MAX_BYTES=10)
def test_the_worker_beats_and_names_itself_on_the_job(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    client.post(reverse("imports:upload", args=[NAME]), {"file": SimpleUploadedFile("to.csv", SHEET.encode())})
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--worker-id", "worker-one")
    job = ImportJob.objects.get()
    assert job.status == "previewed" and job.worker_id == "worker-one"
    assert WorkerHeartbeat.objects.filter(worker_id="worker-one").exists()
    # Gone with the command: a step run afterwards in a request names no worker.
    assert workers.this_process_worker_id() == ""


def _importing_job(user, *, worker_id: str) -> ImportJob:
    job = ImportJob.objects.create(
        kind=NAME, original_filename="to.csv", created_by=user, status="importing", worker_id=worker_id
    )
    job.file.save("to.upload", ContentFile(SHEET.encode()))
    return job


def test_a_job_held_by_a_dead_worker_may_be_restarted_at_once(chair_a1):
    WorkerHeartbeat.objects.create(worker_id="killed", beat_at=timezone.now() - workers.dead_after() * 2)
    assert services.may_restart(_importing_job(chair_a1, worker_id="killed"))


def test_a_job_held_by_a_living_worker_may_not_be_restarted(chair_a1):
    workers.beat("alive")
    assert not services.may_restart(_importing_job(chair_a1, worker_id="alive"))


def test_a_queued_job_waits_for_a_worker_until_it_is_stale(chair_a1):
    # Confirmed but not yet taken by any worker: one may start later and will run it.
    job = _importing_job(chair_a1, worker_id="")
    assert not services.may_restart(job)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - services.STALE_AFTER * 2)
    job.refresh_from_db()
    assert services.may_restart(job)
