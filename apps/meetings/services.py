"""Writes to meetings, called alike by the pages, the admin and the demo: each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from apps.meetings.models import FollowUpTask, Meeting, MeetingDocument
from apps.unions.models import GrassrootsUnion


@transaction.atomic
def add_document(meeting: Meeting, uploaded: UploadedFile, *, title: str = "") -> MeetingDocument:
    """Attach a photo or file to ``meeting``, checked (type, size) before anything is stored.

    Raises ``ValidationError`` (nothing saved, no file left on disk) for a file that may not be attached.
    """
    document = MeetingDocument(meeting=meeting, title=title or uploaded.name.rsplit(".", 1)[0], file=uploaded)
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def save_meeting(
    meeting: Meeting,
    *,
    invited_unions: Iterable[GrassrootsUnion] | None = None,
    tasks: Iterable[FollowUpTask] = (),
    removed_tasks: Iterable[FollowUpTask] = (),
) -> Meeting:
    """Save a meeting with its invited CĐCS and follow-up tasks, checked first, all or nothing.

    ``invited_unions`` None leaves the invitation list as it is (a CĐCS's own meeting invites
    no other CĐCS: its form has no such list). History is kept by django-simple-history on save.
    Raises ``ValidationError`` (nothing saved) for a meeting or task the model refuses.
    """
    meeting.full_clean()
    meeting.save()
    if invited_unions is not None:
        meeting.participating_unions.set(list(invited_unions))
    for task in removed_tasks:
        if task.pk and task.meeting_id == meeting.pk:
            task.delete()
    for task in tasks:
        task.meeting = meeting
        task.full_clean()
        task.save()
    return meeting


@transaction.atomic
def task_mark_done(task: FollowUpTask, *, on: date) -> FollowUpTask:
    """Record that a follow-up task was done on ``on`` (it then leaves its owner's home page)."""
    task.done_on = on
    task.full_clean()
    task.save(update_fields=["done_on"])
    return task
