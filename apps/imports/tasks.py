"""The background side of an import: check a stored sheet, import it (django-tasks).

Each task loads its job, runs the service and stores the outcome. Whatever goes wrong
is the job's failure, told to the user in Vietnamese; what went wrong is in the log
``unionportal.imports``, never on the page. The import itself is one transaction (the
kind's apply), so a job stopped half-way has written nothing and can be started again.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django_tasks import task

from apps.imports import services
from apps.imports.models import ImportJob

logger = logging.getLogger("unionportal.imports")


def _run(job_id: int, step, failure: str) -> None:
    job = ImportJob.objects.select_related("created_by", "union").filter(pk=job_id).first()
    if job is None:
        logger.warning("import job %s no longer exists", job_id, extra={"event": "import_missing", "job_id": job_id})
        return
    try:
        step(job)
    except Exception:
        # The file's name stays out of the log: people name files after people.
        logger.exception(
            "import job %s failed",
            job_id,
            extra={"event": "import_failed", "job_id": job_id, "kind": job.kind, "user_id": job.created_by_id},
        )
        services.fail_job(job_id, failure)


@task()
def preview_import(job_id: int) -> None:
    """Check the job's file and keep what the import would do."""
    failure = _(
        "The file could not be checked because of an error in the portal. Nothing was imported. "
        "Try again later; if it happens again, tell the portal's administrator."
    )
    _run(job_id, services.preview_job, failure)


@task()
def apply_import(job_id: int) -> None:
    """Import the job's accepted rows, all or nothing."""
    failure = _(
        "The import stopped because of an error in the portal. Nothing was imported. "
        "Try again later; if it happens again, tell the portal's administrator."
    )
    _run(job_id, services.apply_job, failure)
