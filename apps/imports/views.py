"""The import pages: upload a sheet, see what it holds, confirm, download the rejected rows, the log.

Every job is fetched through ``ImportJob.objects.visible_to(request.user)``: another
union's or federation's job answers 404. Viewing needs the right to view imports (leaders
have it); uploading and confirming need the right to import and are the uploader's own.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from apps.accounts.permissions import can_see_full_national_id
from apps.core import spreadsheets
from apps.core.import_kinds import ImportKind, import_kind, import_kinds
from apps.core.spreadsheets import CONTENT_TYPES, XLSX_CONTENT_TYPE
from apps.imports import services, tasks
from apps.imports.forms import SheetForm, UploadForm
from apps.imports.models import ImportJob

PAGE_SIZE = 50


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _kind_or_404(name: str) -> ImportKind:
    kind = import_kind(name)
    if kind is None:
        raise Http404
    return kind


def _job_or_404(request: HttpRequest, pk: int) -> ImportJob:
    _require(request, "imports.view_importjob")
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by", "union", "federation")
    return get_object_or_404(jobs, pk=pk)


def _own_job_or_403(request: HttpRequest, pk: int) -> tuple[ImportJob, ImportKind]:
    """A job the user may act on: in their scope (else 404), uploaded by them, of a kind they may import."""
    job = _job_or_404(request, pk)
    kind = import_kind(job.kind)
    if job.created_by_id != request.user.pk or kind is None or not services.may_import(request.user, kind):
        raise PermissionDenied
    return job, kind


def _run(step, job: ImportJob) -> None:
    """Run a small file's step in this request; queue a large one's for the worker."""
    if job.file_size <= settings.IMPORTS_INLINE_MAX_BYTES:
        step.call(job.pk)
    else:
        step.enqueue(job.pk)


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    """The import log: who imported which file when, into which CĐCS, with what outcome."""
    _require(request, "imports.view_importjob")
    jobs = ImportJob.objects.visible_to(request.user).select_related("created_by", "union")
    page = Paginator(jobs, PAGE_SIZE).get_page(request.GET.get("page"))
    labels = {kind.name: kind.label for kind in import_kinds()}
    for job in page:
        job.kind_label = labels.get(job.kind, job.kind)
    lists = [
        (kind, services.may_import(request.user, kind), services.may_export(request.user, kind))
        for kind in import_kinds()
    ]
    lists = [entry for entry in lists if entry[1] or entry[2]]
    uploadable = any(may_import for _kind, may_import, _may_export in lists)
    return render(request, "imports/list.html", {"page": page, "lists": lists, "uploadable": uploadable})


@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload a sheet of one list; it is checked at once (small file) or in the background."""
    import_kind_ = _kind_or_404(kind)
    if not services.may_import(request.user, import_kind_):
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, kind=import_kind_)
    if request.method == "POST" and form.is_valid():
        job = services.job_create(
            user=request.user,
            kind=import_kind_,
            file=form.cleaned_data["file"],
            union=form.cleaned_data.get("union"),
        )
        _run(tasks.preview_import, job)
        return redirect(job)
    return render(request, "imports/upload.html", {"kind": import_kind_, "form": form})


@login_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    """The kind's empty sheet to fill in."""
    import_kind_ = _kind_or_404(kind)
    if import_kind_.template is None or not services.may_import(request.user, import_kind_):
        raise Http404 if import_kind_.template is None else PermissionDenied
    content, filename = import_kind_.template(request.user)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def export(request: HttpRequest, kind: str, extension: str) -> HttpResponseBase:
    """The list of one kind as the user may see it, with the import's headers: it imports back unchanged."""
    import_kind_ = _kind_or_404(kind)
    if extension not in CONTENT_TYPES or import_kind_.export is None:
        raise Http404
    if not services.may_export(request.user, import_kind_):
        raise PermissionDenied
    spreadsheets.log_export(user=request.user, what=import_kind_.name, file_format=extension)
    return import_kind_.export(request.user, extension)


def _job_context(request: HttpRequest, job: ImportJob) -> dict:
    kind = import_kind(job.kind)
    own = job.created_by_id == request.user.pk and kind is not None and services.may_import(request.user, kind)
    return {
        "job": job,
        "kind": kind,
        "kind_label": kind.label if kind else job.kind,
        "own": own,
        "may_confirm": own and job.status == ImportJob.Status.PREVIEWED and job.accepted_rows > 0,
        "may_restart": own and services.may_restart(job),
        "may_download_rejected": can_see_full_national_id(request.user),
        "sheet_form": SheetForm(sheets=job.sheets) if own and job.sheets and job.file else None,
    }


@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's status (a progress bar while it runs), then its counts and every problem."""
    job = _job_or_404(request, pk)
    return render(request, "imports/job.html", _job_context(request, job))


@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    """What the progress bar needs, polled by static/js/import_progress.js."""
    job = _job_or_404(request, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "running": job.is_running,
            "done": job.rows_done,
            "total": job.rows_total,
            "percent": job.progress_percent,
        }
    )


@login_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Import the accepted rows of a checked file (once, whatever the number of clicks)."""
    job, _kind = _own_job_or_403(request, pk)
    if job.accepted_rows and services.claim(
        job, from_statuses=[ImportJob.Status.PREVIEWED], to_status=ImportJob.Status.IMPORTING
    ):
        _run(tasks.apply_import, job)
    return redirect(job)


@login_required
@require_POST
def choose_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Check the same file again, on the sheet the user chose."""
    job, _kind = _own_job_or_403(request, pk)
    form = SheetForm(request.POST, sheets=job.sheets)
    if not (job.status == ImportJob.Status.REFUSED and job.file and form.is_valid()):
        return redirect(job)
    job.sheet = form.cleaned_data["sheet"]
    job.save(update_fields=["sheet", "updated_at"])
    if services.claim(job, from_statuses=[ImportJob.Status.REFUSED], to_status=ImportJob.Status.UPLOADED):
        _run(tasks.preview_import, job)
    return redirect(job)


@login_required
@require_POST
def restart(request: HttpRequest, pk: int) -> HttpResponse:
    """Check a failed (or cut-off) job's file again; the user then confirms as before."""
    job, _kind = _own_job_or_403(request, pk)
    if services.may_restart(job) and services.claim(
        job, from_statuses=[job.status], to_status=ImportJob.Status.UPLOADED
    ):
        _run(tasks.preview_import, job)
    return redirect(job)


@login_required
def rejected_rows(request: HttpRequest, pk: int) -> FileResponse:
    """The rejected rows with their errors, to correct and upload again (as typed: full ID numbers)."""
    job = _job_or_404(request, pk)
    if not can_see_full_national_id(request.user):
        raise PermissionDenied
    if not job.rejected_file:
        raise Http404
    return FileResponse(
        job.rejected_file.open("rb"),
        as_attachment=True,
        filename=services.rejected_rows_filename(job),
        content_type=XLSX_CONTENT_TYPE,
    )
