"""Meetings, seminars and group meetings, with who attended and what was decided."""

from __future__ import annotations

import io
import re
import secrets
import warnings
import zipfile
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.dispatch import receiver
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from PIL import Image, ImageOps
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.meetings.querysets import (
    ATTENDED,
    OFFICIAL_ROLES,
    AttendanceQuerySet,
    FollowUpTaskQuerySet,
    MeetingDocumentQuerySet,
    MeetingQuerySet,
)


def new_sign_in_token() -> str:
    """The secret part of a meeting's door QR code: unguessable, so the code is the only way to the sign-in page."""
    return secrets.token_urlsafe(18)


class Meeting(TimeStampedModel):
    """A conference, seminar, group meeting or training held by the federation, a CĐCS or a union group.

    Its number in its series ("the 3rd seminar of the enterprise sector in 2021") is never
    typed: ``MeetingQuerySet.with_series_number`` counts it (see ``SERIES_FIELDS``).
    """

    class Kind(models.TextChoices):
        CONFERENCE = "conference", pgettext_lazy("meeting kind", "conference")
        SEMINAR = "seminar", pgettext_lazy("meeting kind", "seminar")
        GROUP_MEETING = "group_meeting", pgettext_lazy("meeting kind", "union group meeting")
        WORKERS_CONFERENCE = "workers_conference", pgettext_lazy("meeting kind", "workers' conference")
        TRAINING = "training", pgettext_lazy("meeting kind", "training")
        EXECUTIVE_COMMITTEE = "executive_committee", pgettext_lazy("meeting kind", "executive committee meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting status", "planned")
        HELD = "held", pgettext_lazy("meeting status", "held")
        CANCELLED = "cancelled", pgettext_lazy("meeting status", "cancelled")

    # Meetings of one series: the same kind, organiser and audience sector, counted per calendar year.
    SERIES_FIELDS = ("kind", "federation_id", "organiser_union_id", "group_id", "sector_id")

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
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("held on"))
    starts_at = models.TimeField(_("starts at"), null=True, blank=True)
    ends_at = models.TimeField(_("ends at"), null=True, blank=True)
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
        "unions.GrassrootsUnion",
        verbose_name=_("invited grassroots unions"),
        blank=True,
        related_name="meetings",
        help_text=_("The CĐCS invited to a meeting of the federation; their chairs see the meeting."),
    )
    topics = models.TextField(_("agenda"), blank=True, help_text=_("One item per line."))
    discussion = models.TextField(_("discussion summary"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)
    # The door QR code's secret (see new_sign_in_token); a new one retires every printed code.
    sign_in_token = models.CharField(
        _("sign-in code"), max_length=32, unique=True, default=new_sign_in_token, editable=False
    )

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[participating_unions])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-starts_at", "title"]
        indexes = [models.Index(fields=["federation", "held_on", "kind"], name="meeting_fed_day_kind")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(starts_at__isnull=True)
                | models.Q(ends_at__gte=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
                violation_error_message=_("A meeting cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    @property
    def agenda_items(self) -> list[str]:
        """The agenda, one item per non-empty line, without the numbering or bullets people type."""
        items = (re.sub(r"^\s*(?:[-*•+]|\d+[.)])\s*", "", line).strip() for line in self.topics.splitlines())
        return [item for item in items if item]

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
    """One person (or a delegation) invited to or present at a meeting, in the capacity they came in.

    A member is linked to their record; officials of the federation and outside guests are
    named only. ``union`` is the CĐCS the person came for: the chair of that union sees
    the row, the chair of another never does.
    """

    class Role(models.TextChoices):
        PRESIDING = "presiding", pgettext_lazy("meeting role", "presiding")
        REPORTING = "reporting", pgettext_lazy("meeting role", "reporting")
        SECRETARY = "secretary", pgettext_lazy("meeting role", "secretary")
        GUEST = "guest", pgettext_lazy("meeting role", "guest")
        PARTICIPANT = "participant", pgettext_lazy("meeting role", "participant")

    class Presence(models.TextChoices):
        # Blank until someone records it: invited, not (yet) known to have come.
        PRESENT = "present", _("present")
        LATE = "late", _("arrived late")
        ABSENT = "absent", _("absent")

    class SignedInBy(models.TextChoices):
        QR_CODE = "qr", _("the attendee, with the QR code")
        STAFF = "staff", _("staff")

    # The officials whose names a meeting's minutes carry; every reader of the meeting sees them.
    OFFICIAL_ROLES = OFFICIAL_ROLES

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
    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attendances",
        help_text=_("The CĐCS the person attends for; empty for federation officials and outside guests."),
    )
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    role = models.CharField(_("role at the meeting"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    headcount = models.PositiveIntegerField(
        _("number of people"),
        default=1,
        help_text=_("More than 1 for a delegation, e.g. 'leaders of the union groups'."),
    )
    invited = models.BooleanField(
        _("invited"), default=True, help_text=_("Unticked for someone who came without an invitation.")
    )
    presence = models.CharField(_("attendance"), max_length=8, choices=Presence.choices, blank=True)
    absence_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)
    signed_in_at = models.DateTimeField(_("signed in at"), null=True, blank=True)
    signed_in_by = models.CharField(_("signed in by"), max_length=8, choices=SignedInBy.choices, blank=True)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "role", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"],
                condition=models.Q(member__isnull=False),
                name="attendance_member_once_per_meeting",
                violation_error_message=_("This member is already on the meeting's list."),
            ),
            models.CheckConstraint(
                condition=~models.Q(presence="absent") | models.Q(signed_in_at__isnull=True),
                name="attendance_absent_not_signed_in",
                violation_error_message=_("Someone who signed in cannot be recorded as absent."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def attended(self) -> bool:
        return self.presence in ATTENDED

    @property
    def walked_in(self) -> bool:
        """Came without an invitation."""
        return self.attended and not self.invited

    def clean(self) -> None:
        if self.absence_reason and self.presence != self.Presence.ABSENT:
            raise ValidationError({"absence_reason": _("A reason is given only for someone absent.")})
        if self.member_id and self.union_id is None:
            self.union_id = self.member.union_id


class FollowUpTask(models.Model):
    """Something a meeting decided someone must do by a date; it stays on the owner's home page until done."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="follow_up_tasks"
    )
    description = models.CharField(_("task"), max_length=500)
    owner = models.ForeignKey(
        "accounts.User",
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="follow_up_tasks",
        help_text=_("The account that must do it; the task shows on their home page until it is done."),
    )
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    objects = FollowUpTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"], name="followup_owner_open")]

    def __str__(self) -> str:
        return self.description


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
# Photos: checked and re-encoded by Pillow on upload, shown as thumbnails.
DOCUMENT_IMAGE_EXTENSIONS = frozenset({"jpg", "jpeg", "png"})
DOCUMENT_MAX_MEGABYTES = 20
DOCUMENT_MAX_BYTES = DOCUMENT_MAX_MEGABYTES * 1024 * 1024


# What each format's content must look like: the extension alone is what anyone can rename.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word, Excel and PowerPoint 97-2003
OOXML_MAIN_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
IMAGE_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG"}
# Text that a browser would take for a page or a picture with scripts is not "text".
MARKUP_START = re.compile(rb"^\s*<(?:!doctype|html|head|body|script|svg|\?xml)", re.IGNORECASE)


def extension_of(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def open_checked_image(file) -> Image.Image | None:
    """The picture in ``file``, decoded whole, if it is the JPEG or PNG its extension says; else None."""
    image_format = IMAGE_FORMATS.get(extension_of(file.name))
    if image_format is None:
        return None
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # A picture of hundreds of megapixels is a memory bomb, not a photo.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(file, formats=[image_format])
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None
    finally:
        file.seek(0)
    return image


# The gallery's thumbnails: the longer side, in pixels (sharp on a phone's two-column grid).
THUMBNAIL_SIZE = 320


def reencoded_photo(image: Image.Image) -> tuple[bytes, bytes]:
    """The photo encoded anew from its pixels, and its thumbnail (JPEG).

    Only the pixels are kept: EXIF (the phone's GPS location, its serial number), comments
    and any other chunk a crafted file could carry are left behind. The camera's
    orientation is applied to the pixels first, so the photo stays upright without it.
    """
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    # Pillow writes back what it read (comments, EXIF, ICC, text chunks) unless told otherwise:
    # only a palette picture's transparent colour is kept, as it is part of the pixels.
    upright.info = {key: value for key, value in upright.info.items() if key == "transparency"}
    if image_format == "JPEG" and upright.mode not in ("RGB", "L"):
        upright = upright.convert("RGB")
    photo = io.BytesIO()
    if image_format == "JPEG":
        upright.save(photo, "JPEG", quality=90, optimize=True)
    else:
        upright.save(photo, "PNG", optimize=True)
    small = upright.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE))
    if small.mode in ("RGBA", "LA", "P"):
        small = small.convert("RGBA")
        background = Image.new("RGB", small.size, "white")
        background.paste(small, mask=small.getchannel("A"))
        small = background
    elif small.mode != "RGB":
        small = small.convert("RGB")
    thumbnail = io.BytesIO()
    small.save(thumbnail, "JPEG", quality=82)
    return photo.getvalue(), thumbnail.getvalue()


def _zip_has_structure(file, extension: str) -> bool:
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if extension in OOXML_MAIN_PARTS:
                return "[Content_Types].xml" in names and OOXML_MAIN_PARTS[extension] in names
            if "mimetype" not in names:
                return False
            with archive.open("mimetype") as entry:
                return entry.read(100).strip() == ODF_MIMETYPES[extension]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, NotImplementedError):
        return False
    finally:
        file.seek(0)


def content_matches_extension(file) -> bool:
    """Whether the file's content is what its extension says (extensions not attachable say yes: refused elsewhere)."""
    extension = extension_of(file.name)
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("doc", "xls", "ppt"):
        return head == OLE_SIGNATURE
    if extension in OOXML_MAIN_PARTS or extension in ODF_MIMETYPES:
        return _zip_has_structure(file, extension)
    if extension in IMAGE_FORMATS:
        return open_checked_image(file) is not None
    if extension == "txt":
        text = file.read(DOCUMENT_MAX_BYTES + 1)
        file.seek(0)
        try:
            text.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        return b"\x00" not in text and not MARKUP_START.match(text)
    return True


def validate_document_content(file) -> None:
    # A stored file was checked when it was uploaded (and may be read from a slow or lost disk);
    # an oversized one is refused by validate_document_size without being read.
    if getattr(file, "_committed", False) or file.size > DOCUMENT_MAX_BYTES:
        return
    if not content_matches_extension(file):
        raise ValidationError(
            _("The file “%(name)s” is not a real %(type)s file: its content does not match its name."),
            code="wrong_content",
            params={"name": PurePath(file.name).name, "type": extension_of(file.name).upper()},
        )


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

    @property
    def extension(self) -> str:
        return extension_of(self.name)

    @property
    def stored_size(self) -> int | None:
        """The file's size, or None when it is no longer on the server (a page listing it still shows)."""
        try:
            return self.size
        except OSError:
            return None

    @property
    def is_image(self) -> bool:
        return PurePath(self.name).suffix.lower().lstrip(".") in DOCUMENT_IMAGE_EXTENSIONS

    def response(self) -> FileResponse:
        """The file as a download (or shown in the browser, for PDFs and pictures); FileNotFoundError if lost."""
        return FileResponse(self.open("rb"), as_attachment=not self.shown_inline, filename=self.download_name)


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
            validate_document_content,
        ],
        help_text=format_lazy(
            _("PDF, Word, Excel, PowerPoint, OpenDocument, text, JPEG or PNG; at most {megabytes} MB."),
            megabytes=DOCUMENT_MAX_MEGABYTES,
        ),
    )
    # A small JPEG of a photo for the gallery, made on upload (apps.meetings.services.add_document);
    # empty for other files and for photos attached before thumbnails were made.
    thumbnail = models.FileField(_("thumbnail"), upload_to="meetings/thumbnails/%Y/%m/", blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = MeetingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "uploaded_at"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # A new photo, from any form (the pages, the admin, its inline), is stored re-encoded
        # from its pixels, without EXIF (GPS), comments or other chunks, with a thumbnail.
        if self.file and not self.file._committed and self.file.is_image:
            image = open_checked_image(self.file)
            if image is not None:
                name = PurePath(self.file.name).name
                photo, thumbnail = reencoded_photo(image)
                self.file = ContentFile(photo, name=name)
                self.thumbnail = ContentFile(thumbnail, name=f"{PurePath(name).stem}.jpg")
        super().save(*args, **kwargs)


# Django keeps a file when its row goes or when another file replaces it. Minutes and
# photos of people must not outlive their record: the old file is removed once the change
# has committed (a rolled-back change keeps it).
def _remove_after_commit(storage, name: str) -> None:
    transaction.on_commit(lambda: storage.delete(name))


@receiver(models.signals.post_delete, sender=MeetingDocument)
def remove_file_of_deleted_document(sender, instance, **kwargs) -> None:
    if instance.file:
        _remove_after_commit(instance.file.storage, instance.file.name)
    if instance.thumbnail:
        _remove_after_commit(instance.thumbnail.storage, instance.thumbnail.name)


@receiver(models.signals.pre_save, sender=MeetingDocument)
def remove_replaced_file(sender, instance, **kwargs) -> None:
    if instance.pk is None:
        return
    stored, thumbnail = sender._default_manager.filter(pk=instance.pk).values_list("file", "thumbnail").first() or (
        None,
        None,
    )
    # A new upload is not yet committed to storage; its name may even equal the old one's.
    uploaded = not getattr(instance.file, "_committed", True)
    if stored and (uploaded or stored != instance.file.name):
        _remove_after_commit(instance.file.storage, stored)
        # The old photo's thumbnail goes with it (the gallery then shows the file's icon).
        if thumbnail and instance.thumbnail.name == thumbnail:
            _remove_after_commit(instance.thumbnail.storage, thumbnail)
            instance.thumbnail = ""
