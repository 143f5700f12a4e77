"""Writes to meetings, called alike by the pages, the admin and the demo: each in one transaction."""

from __future__ import annotations

from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from apps.meetings import models as meeting_models
from apps.meetings.models import Meeting, MeetingDocument


def _refused(message: str, **params) -> ValidationError:
    return ValidationError({"file": ValidationError(message, params=params)})


@transaction.atomic
def add_document(meeting: Meeting, uploaded: UploadedFile, *, title: str = "") -> MeetingDocument:
    """Attach a photo or file to ``meeting``, checked (type, size) before anything is stored.

    The type is read from the content, not only the name; a photo is stored re-encoded
    (without its EXIF data) with a thumbnail. Raises ``ValidationError`` naming the file
    (nothing saved, no file left on disk) for a file that may not be attached.
    """
    name = PurePath(uploaded.name).name
    extension = meeting_models.extension_of(name)
    if extension not in meeting_models.DOCUMENT_EXTENSIONS:
        raise _refused(
            _("The file “%(name)s” cannot be attached: attach a PDF, an office document, a text file or a photo."),
            name=name,
        )
    if uploaded.size > meeting_models.DOCUMENT_MAX_BYTES:
        raise _refused(
            _("The file “%(name)s” is %(size)s; a meeting document may be at most %(limit)s."),
            name=name,
            size=filesizeformat(uploaded.size),
            limit=filesizeformat(meeting_models.DOCUMENT_MAX_BYTES),
        )
    try:
        meeting_models.validate_document_content(uploaded)  # its message names the file
    except ValidationError as error:
        raise ValidationError({"file": error}) from None
    # A photo is re-encoded without its EXIF data, with its thumbnail, by MeetingDocument.save().
    document = MeetingDocument(meeting=meeting, title=title or name.rsplit(".", 1)[0], file=uploaded)
    document.full_clean()
    try:
        document.save()
    except BaseException:
        # Whichever file was already written goes: nothing of a refused upload stays on disk.
        for stored in (document.file, document.thumbnail):
            if stored and getattr(stored, "_committed", False):
                stored.storage.delete(stored.name)
        raise
    return document
