"""Import jobs: make one from an upload, check the file (preview), import it, and what may be done with it.

The list itself is read and written by the kind's own service (``apps.core.import_kinds``);
this module keeps the job's status, counts, problems and files. A job's preview and import
run in ``apps.imports.tasks`` (in the request for a small file, in the worker for a large one).
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as day_time
from pathlib import PurePath
from typing import Any

from django.core.files.base import ContentFile, File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core import spreadsheets, workers
from apps.core.import_kinds import ImportKind, import_kind
from apps.core.sheet_lists import ImportFailed, ImportPlan
from apps.core.sheets import SheetChoiceNeeded, SheetError
from apps.core.text import fold
from apps.imports.models import ImportJob

logger = logging.getLogger("unionportal.imports")

COUNT_KEYS = ("created", "updated", "unchanged", "rejected")
# A job still "running" with no sign of life for this long was cut off (the worker stopped
# or the machine restarted): it may be started again. Sooner when the worker that held it is
# known dead (it stopped beating, apps.core.workers).
STALE_AFTER = timedelta(minutes=15)
# The progress bar is written at most this often (seconds), so that a large file is not
# slowed down by its own progress.
PROGRESS_EVERY = 0.5


def log_job(job: ImportJob, event: str, **fields: Any) -> None:
    """One line in the log about ``job``: ids, its list and counts; never the file's name or content."""
    logger.info(
        "import job %s: %s",
        job.pk,
        event,
        extra={
            "event": event,
            "job_id": job.pk,
            "kind": job.kind,
            "user_id": job.created_by_id,
            "union_id": job.union_id,
            "worker_id": job.worker_id or None,
            **fields,
        },
    )


def may_import(user, kind: ImportKind) -> bool:
    """Whether ``user`` may upload a sheet of ``kind`` (the right to import, and the kind's own permission)."""
    if not (user.is_active and user.has_perm("imports.add_importjob")):
        return False
    return not kind.permission or user.has_perm(kind.permission)


def may_export(user, kind: ImportKind) -> bool:
    """Whether ``user`` may download the list of ``kind`` (what they may see of it)."""
    return bool(kind.export and user.is_active and kind.export_permission and user.has_perm(kind.export_permission))


def job_create(*, user, kind: ImportKind, file: File, union=None, sheet: str = "") -> ImportJob:
    """Store an uploaded sheet as a new job; a chair's job always targets their own CĐCS."""
    if user.is_union_chair:
        union = user.union
    federation_id = union.federation_id if union is not None else user.federation_id
    job = ImportJob(
        kind=kind.name,
        original_filename=PurePath(file.name or "").name[:255] or "upload",
        file_size=file.size or 0,
        created_by=user,
        federation_id=federation_id,
        union=union,
        sheet=sheet,
    )
    # The stored name says nothing of the content; the original name is kept in the row.
    job.file.save(f"{timezone.now():%Y%m%d-%H%M%S}.upload", file, save=False)
    job.save()
    return job


def may_restart(job: ImportJob) -> bool:
    """A failed job, or one cut off while running (no news for long, or its worker died), may be checked again."""
    if not job.file:
        return False
    if job.status == ImportJob.Status.FAILED:
        return True
    if not job.is_running:
        return False
    if job.updated_at < timezone.now() - STALE_AFTER:
        return True
    # Its worker was killed (or its machine stopped): whatever it was writing was rolled back
    # with its connection, and nobody will finish the job.
    return bool(job.worker_id) and not workers.is_alive(job.worker_id)


def claim(job: ImportJob, *, from_statuses, to_status: str) -> bool:
    """Move the job to ``to_status`` if it is still in one of ``from_statuses`` (a double click claims once)."""
    claimed = ImportJob.objects.filter(pk=job.pk, status__in=list(from_statuses)).update(
        status=to_status, updated_at=timezone.now()
    )
    if claimed:
        job.refresh_from_db()
    return bool(claimed)


def _progress_writer(job: ImportJob) -> Callable[[int, int], None]:
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < PROGRESS_EVERY and done < total:
            return
        last[0] = now
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=max(0, int(done)), rows_total=max(0, int(total)), updated_at=timezone.now()
        )

    return progress


def _kind_of(job: ImportJob) -> ImportKind:
    kind = import_kind(job.kind)
    if kind is None:
        raise LookupError(f"import kind {job.kind!r} is not registered")
    return kind


def _preview(job: ImportJob, kind: ImportKind) -> Any:
    """Run the kind's preview on the stored file, as the job's owner, in their scope."""
    extra: dict[str, Any] = {}
    if kind.takes_progress(kind.preview):
        extra["progress"] = _progress_writer(job)
    with job.file.open("rb") as stream, transaction.atomic():
        # Reading only; the savepoint keeps a database error from spoiling the connection.
        return kind.preview(
            stream,
            filename=job.original_filename,
            user=job.created_by,
            union=job.union.code if job.union_id else None,
            sheet=job.sheet or None,
            **extra,
        )


def _counts(raw: Any) -> dict[str, int]:
    raw = raw or {}
    return {key: int(raw.get(key, 0) or 0) for key in COUNT_KEYS}


def _problems(plan: Any) -> list[dict[str, Any]]:
    return [
        {"row": problem.row, "column": str(problem.column or ""), "message": str(problem.message)}
        for problem in getattr(plan, "problems", None) or []
    ]


def _refuse(job: ImportJob, error: SheetError) -> None:
    job.status = ImportJob.Status.REFUSED
    job.error = error.message
    job.sheets = list(error.sheets) if isinstance(error, SheetChoiceNeeded) else []
    job.finished_at = timezone.now()
    if not job.sheets:
        # Nothing more can be done with this file: keep no copy of the people in it.
        job.file.delete(save=False)
    job.plan_file.delete(save=False)
    job.save()


def _store_plan(job: ImportJob, plan: Any) -> None:
    """Keep the preview's counts, problems and rejected rows on the job, and the plan to apply on confirmation."""
    job.counts = _counts(getattr(plan, "counts", None))
    job.problems = _problems(plan)
    job.sheets = []
    job.error = ""
    if job.rejected_file:
        job.rejected_file.delete(save=False)
    if job.counts["rejected"] or job.problems:
        content = spreadsheets.xlsx_bytes(rejected_rows_workbook(plan))
        job.rejected_file.save(f"{timezone.now():%Y%m%d-%H%M%S}-rejected.xlsx", ContentFile(content), save=False)
    job.plan_file.delete(save=False)
    if isinstance(plan, ImportPlan):
        with tempfile.TemporaryFile() as stream:
            plan.write(stream)
            stream.seek(0)
            job.plan_file.save(f"{timezone.now():%Y%m%d-%H%M%S}.plan", File(stream), save=False)


def _kept_plan(job: ImportJob) -> ImportPlan | None:
    """The plan the preview kept, or None (none kept, or unreadable: the file is then checked again)."""
    if not job.plan_file:
        return None
    try:
        with job.plan_file.open("rb") as stream:
            return ImportPlan.read(stream)
    except (OSError, ValueError, TypeError, KeyError, ImportError):
        logger.warning("import job %s: its kept plan could not be read; checking the file again", job.pk)
        return None


def _start(job: ImportJob, status: str) -> ImportKind:
    """Put ``job`` in ``status``, run by this process; its kind, if its owner may still import it."""
    kind = _kind_of(job)
    job.status = status
    job.started_at = timezone.now()
    job.worker_id = workers.this_process_worker_id()
    job.rows_done = job.rows_total = 0
    job.save()
    log_job(job, "import_started" if status == ImportJob.Status.IMPORTING else "import_check_started")
    if not may_import(job.created_by, kind):
        raise PermissionError(f"{job.created_by} may no longer import {kind.name}")
    return kind


def _check_file(job: ImportJob, kind: ImportKind) -> Any | None:
    """Run ``kind``'s preview on the job's stored file; None if the file was refused."""
    try:
        plan = _preview(job, kind)
    except SheetError as error:
        _refuse(job, error)
        log_job(job, "import_refused")
        return None
    job.refresh_from_db(fields=["rows_done", "rows_total"])
    return plan


def preview_job(job: ImportJob) -> None:
    """Check the job's file with its kind's preview and keep the counts, problems, rejected rows and plan."""
    kind = _start(job, ImportJob.Status.PREVIEWING)
    plan = _check_file(job, kind)
    if plan is None:
        return
    _store_plan(job, plan)
    job.status = ImportJob.Status.PREVIEWED
    job.finished_at = timezone.now()
    job.save()
    log_job(job, "import_checked", counts=job.counts)


def apply_job(job: ImportJob) -> None:
    """Import the job's accepted rows in one transaction, as the preview planned them.

    The kind's apply checks that nothing the plan relies on changed since the preview; if
    something did, the file is checked again and the fresh plan applied. Reading and
    checking a 100,000-row sheet a second time took a third of its confirmation.
    """
    kind = _start(job, ImportJob.Status.IMPORTING)
    plan = _kept_plan(job)
    written = None
    if plan is not None:
        try:
            with transaction.atomic():
                written = kind.apply(plan, user=job.created_by, file_label=job.original_filename)
        except ImportFailed:
            log_job(job, "import_plan_stale")
    if written is None:
        plan = _check_file(job, kind)
        if plan is None:
            return
        try:
            with transaction.atomic():
                written = kind.apply(plan, user=job.created_by, file_label=job.original_filename)
        except ImportFailed as failure:
            _store_plan(job, plan)
            _fail(job, failure)
            return
        _store_plan(job, plan)
    job.written = _counts(written)
    job.status = ImportJob.Status.DONE
    job.finished_at = timezone.now()
    # The rows are in the database now and the rejected ones in their own sheet.
    job.file.delete(save=False)
    job.plan_file.delete(save=False)
    job.save()
    log_job(job, "import_done", counts=job.counts, written=job.written)


def _fail(job: ImportJob, failure: ImportFailed) -> None:
    """The file checked again still cannot be imported (a rule only the write finds): say why, on the job."""
    job.status = ImportJob.Status.FAILED
    job.error = " ".join(str(problem) for problem in failure.problems)
    job.finished_at = timezone.now()
    job.save()
    log_job(job, "import_failed")


def fail_job(job_id: int, message: str) -> None:
    """Mark the job failed with ``message`` (Vietnamese, for the page); the details are in the log."""
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, error=message, finished_at=timezone.now(), updated_at=timezone.now()
    )


# ---------------------------------------------------------------------------------------
# The rejected rows, as a sheet to correct and upload again
# ---------------------------------------------------------------------------------------


def _cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool | date | datetime | day_time | timedelta):
        return value
    return str(value)


def rejected_rows_workbook(plan: Any) -> Workbook:
    """The original header and each rejected row's cells as read, with a last column "Errors" saying why.

    Without the plan's ``table`` and ``rejected_rows`` (see apps.core.import_kinds) the sheet
    lists the problems alone: row, column, message.
    """
    messages: dict[int, list[str]] = defaultdict(list)
    for problem in getattr(plan, "problems", None) or []:
        column = str(problem.column or "")
        messages[problem.row].append(f"{column}: {problem.message}" if column else str(problem.message))
    book = Workbook()
    sheet = book.active
    sheet.title = _("Rejected rows")[:31]
    error_header = _("Errors")
    table = getattr(plan, "table", None)
    rows = getattr(plan, "rejected_rows", None)
    if table is not None and rows is not None:
        header = [str(cell or "") for cell in table.header_cells]
        # A sheet that comes back a second time already has our error column: replace it.
        dropped = {index for index, text in enumerate(header) if fold(text) == fold(error_header)}
        kept = [index for index in range(len(header)) if index not in dropped]
        sheet.append([header[index] for index in kept] + [error_header])
        read = table.cells_of(rows)
        for row in rows:
            cells = list(read.get(row.number, ()))
            cells += [None] * max(0, len(header) - len(cells))
            sheet.append([_cell(cells[index]) for index in kept] + ["; ".join(messages.get(row.number, []))])
    else:
        sheet.append([_("Excel row"), _("Column"), error_header])
        for problem in getattr(plan, "problems", None) or []:
            sheet.append([problem.row, str(problem.column or ""), str(problem.message)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    return book


def rejected_rows_filename(job: ImportJob) -> str:
    """A download name in plain letters: "cac-dong-bi-tu-choi_<file>_dd-mm-yyyy.xlsx"."""
    stem = fold(PurePath(job.original_filename).stem).replace(" ", "-")
    stem = re.sub(r"[^a-z0-9._-]+", "", stem)[:60] or "tep"
    day = timezone.localtime(job.finished_at or job.created_at)
    return f"cac-dong-bi-tu-choi_{stem}_{day:%d-%m-%Y}.xlsx"
