"""Writes to meetings, called alike by the pages, the admin and the demo: each in one transaction."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from apps.meetings.models import Meeting, MeetingDocument


@transaction.atomic
def add_document(meeting: Meeting, uploaded: UploadedFile, *, title: str = "") -> MeetingDocument:
    """Attach a photo or file to ``meeting``, checked (type, size) before anything is stored.

    Raises ``ValidationError`` (nothing saved, no file left on disk) for a file that may not be attached.
    """
    document = MeetingDocument(meeting=meeting, title=title or uploaded.name.rsplit(".", 1)[0], file=uploaded)
    document.full_clean()
    document.save()
    return document
