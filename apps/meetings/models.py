"""Meetings, seminars and group meetings, with who attended and what was decided."""

from __future__ import annotations

import re
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.meetings.querysets import AttendanceQuerySet, MeetingDocumentQuerySet, MeetingQuerySet


class Meeting(TimeStampedModel):
    """A conference, seminar, group meeting or training held by the federation or a CĐCS."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("conference")
        SEMINAR = "seminar", _("seminar")
        GROUP_MEETING = "group_meeting", _("union group meeting")
        WORKERS_CONFERENCE = "workers_conference", _("workers' conference")
        TRAINING = "training", _("training")

    federation = models.ForeignKey(
        "unions.Federation", verbose_name=_("federation"), on_delete=models.PROTECT, related_name="meetings"
    )
    organiser_union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("organised by grassroots union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="organised_meetings",
        help_text=_("Leave empty for a meeting held by the federation itself."),
    )
    group = models.ForeignKey(
        "union_groups.UnionGroup",
        verbose_name=_("union group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    sequence_number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("For example 3 for the third seminar of a sector.")
    )
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    sector = models.ForeignKey(
        "unions.Sector",
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("The sector the meeting is for, if any."),
    )
    participating_unions = models.ManyToManyField(
        "unions.GrassrootsUnion", verbose_name=_("participating unions"), blank=True, related_name="meetings"
    )
    presided_by = models.CharField(_("presided by"), max_length=255, blank=True)
    topics = models.TextField(_("topics discussed"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[participating_unions])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "title"]
        indexes = [models.Index(fields=["federation", "held_on", "kind"], name="meeting_fed_day_kind")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def clean(self) -> None:
        errors = {}
        if self.organiser_union_id and self.federation_id and self.organiser_union.federation_id != self.federation_id:
            errors["organiser_union"] = _("The organising union must belong to the meeting's federation.")
        if self.group_id and self.group.union_id != self.organiser_union_id:
            errors["group"] = _("The union group must belong to the organising grassroots union.")
        if self.kind == self.Kind.GROUP_MEETING and not self.group_id:
            errors["group"] = _("A union group meeting needs its union group.")
        if errors:
            raise ValidationError(errors)


class Attendance(models.Model):
    """One person at a meeting, with the capacity they attended in."""

    class Role(models.TextChoices):
        PRESIDING = "presiding", _("presiding")
        GUEST = "guest", _("guest")
        PARTICIPANT = "participant", _("participant")
        SECRETARY = "secretary", _("secretary")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
    )
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    role = models.CharField(_("role at the meeting"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    headcount = models.PositiveIntegerField(
        _("number of people"),
        default=1,
        help_text=_("More than 1 for a delegation, e.g. 'leaders of the union groups'."),
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "role", "name"]

    def __str__(self) -> str:
        return self.name


# Minutes, photos and slides: formats an office suite opens or a browser shows as a
# document. Never a page, an image with scripts (SVG) or a program, which a browser
# could run from the portal's own address.
DOCUMENT_EXTENSIONS = (
    "pdf",
    "doc",
    "docx",
    "xls",
    "xlsx",
    "ppt",
    "pptx",
    "odt",
    "ods",
    "odp",
    "txt",
    "jpg",
    "jpeg",
    "png",
)
# Opened in the browser rather than saved; every other format is downloaded.
DOCUMENT_SHOWN_INLINE = frozenset({"pdf", "jpg", "jpeg", "png"})
DOCUMENT_MAX_MEGABYTES = 20
DOCUMENT_MAX_BYTES = DOCUMENT_MAX_MEGABYTES * 1024 * 1024


def validate_document_size(file) -> None:
    if file.size > DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("This file is %(size)s; a meeting document may be at most %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(file.size), "limit": filesizeformat(DOCUMENT_MAX_BYTES)},
        )


class DocumentFieldFile(FieldFile):
    """A meeting document's file, whose address is the scoped download page, never the storage's.

    Every link to the file (the admin's "Currently:" link included) goes through the
    page that checks who is asking; the files themselves are never served as they lie.
    """

    @property
    def url(self) -> str:
        self._require_file()
        if self.instance.pk is None:
            return ""
        return reverse("admin:meetings_meetingdocument_file", args=[self.instance.pk])

    @property
    def download_name(self) -> str:
        """The document's title with the file's extension, as people named it (not as stored)."""
        title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "-", self.instance.title).strip(" .-")
        return f"{title or PurePath(self.name).stem}{PurePath(self.name).suffix.lower()}"

    @property
    def shown_inline(self) -> bool:
        return PurePath(self.name).suffix.lower().lstrip(".") in DOCUMENT_SHOWN_INLINE


class DocumentFileField(models.FileField):
    attr_class = DocumentFieldFile


class MeetingDocument(models.Model):
    """A photo, minutes or other file attached to a meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = DocumentFileField(
        _("file"),
        upload_to="meetings/%Y/%m/",
        validators=[
            # Our own message: Django's has no Vietnamese translation.
            FileExtensionValidator(
                DOCUMENT_EXTENSIONS,
                message=_(
                    "A file of type “%(extension)s” cannot be attached. "
                    "Attach one of these types: %(allowed_extensions)s."
                ),
            ),
            validate_document_size,
        ],
        help_text=format_lazy(
            _("PDF, Word, Excel, PowerPoint, OpenDocument, text, JPEG or PNG; at most {megabytes} MB."),
            megabytes=DOCUMENT_MAX_MEGABYTES,
        ),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = MeetingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "uploaded_at"]

    def __str__(self) -> str:
        return self.title


# Django keeps a file when its row goes or when another file replaces it. Minutes and
# photos of people must not outlive their record: the old file is removed once the change
# has committed (a rolled-back change keeps it).
def _remove_after_commit(storage, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))


@receiver(models.signals.post_delete, sender=MeetingDocument)
def remove_file_of_deleted_document(sender, instance, **kwargs) -> None:
    if instance.file:
        _remove_after_commit(instance.file.storage, instance.file.name)


@receiver(models.signals.pre_save, sender=MeetingDocument)
def remove_replaced_file(sender, instance, **kwargs) -> None:
    if instance.pk is None:
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("file", flat=True).first()
    # A new upload is not yet committed to storage; its name may even equal the old one's.
    uploaded = not getattr(instance.file, "_committed", True)
    if stored and (uploaded or stored != instance.file.name):
        _remove_after_commit(instance.file.storage, stored)
