"""An import job: one uploaded sheet, its preview and its import; together the import log."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.accounts.scoping import ScopedQuerySet


class ImportJobQuerySet(ScopedQuerySet):
    # A chair sees the jobs aimed at their CĐCS; staff and leaders those of their federation
    # (set from the importer when the job is made, also for a job with no target CĐCS).
    union_path = "union"
    federation_path = "federation"
    federation_field = "federation_id"


class PrivateFieldFile(FieldFile):
    """An uploaded sheet: kept under MEDIA_ROOT/imports/, never served from there; no URL at all."""

    @property
    def url(self) -> str:
        raise ValueError("Import files are only read by the import job and its scoped views.")


class PrivateFileField(models.FileField):
    attr_class = PrivateFieldFile


class ImportJob(models.Model):
    """One sheet someone uploaded: what it holds (the preview), what was imported, and by whom."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("uploaded")
        PREVIEWING = "previewing", _("checking the file")
        PREVIEWED = "previewed", _("checked, waiting for confirmation")
        IMPORTING = "importing", _("importing")
        DONE = "done", _("imported")
        FAILED = "failed", _("failed")
        REFUSED = "refused", _("file refused")

    RUNNING = (Status.UPLOADED, Status.PREVIEWING, Status.IMPORTING)

    kind = models.CharField(_("list"), max_length=40)
    original_filename = models.CharField(_("file name"), max_length=255)
    file = PrivateFileField(_("file"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("imported by"), on_delete=models.PROTECT, related_name="+"
    )
    federation = models.ForeignKey(
        "unions.Federation",
        verbose_name=_("federation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    sheet = models.CharField(_("sheet"), max_length=255, blank=True)
    sheets = models.JSONField(_("sheets to choose from"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.UPLOADED)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(default=0)
    counts = models.JSONField(_("rows"), default=dict, blank=True)
    written = models.JSONField(_("rows written"), default=dict, blank=True)
    problems = models.JSONField(_("problems"), default=list, blank=True)
    rejected_file = PrivateFileField(_("rejected rows"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    # What the preview found each accepted row would do (apps.core.sheet_lists.ImportPlan.dumps):
    # confirming applies it instead of reading and checking the file a second time.
    plan_file = PrivateFileField(_("checked plan"), upload_to="imports/%Y/%m/", max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    # The background worker running the job's current step (empty when run inside a request):
    # once that worker stops beating (apps.core.workers), the job may be started again.
    worker_id = models.CharField(_("worker"), max_length=64, blank=True, default="")
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["federation", "-created_at"]), models.Index(fields=["union", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.original_filename} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("imports:job", args=[self.pk])

    @property
    def is_running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def accepted_rows(self) -> int:
        """Rows the import would write (created or updated)."""
        return int(self.counts.get("created", 0)) + int(self.counts.get("updated", 0))

    @property
    def progress_percent(self) -> int | None:
        if not self.rows_total:
            return None
        return min(100, round(100 * self.rows_done / self.rows_total))
