"""Writes to meetings, called alike by the pages, the admin and the demo: each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.text import fold
from apps.meetings import models as meeting_models
from apps.meetings.models import Attendance, FollowUpTask, Meeting, MeetingDocument, new_sign_in_token
from apps.unions.models import GrassrootsUnion

if TYPE_CHECKING:
    from apps.members.models import Member
    from apps.union_groups.models import UnionGroup


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


def group_meeting_title(group: UnionGroup, held_on: date) -> str:
    """ "Sinh hoạt Tổ Văn phòng tháng 07/2021": a group meeting's title, in the portal's language, never typed."""
    with translation.override(settings.LANGUAGE_CODE):
        # A group named "Văn phòng" is "Tổ Văn phòng"; one named "Tổ 3" is not "Tổ Tổ 3".
        name = group.name if fold(group.name).startswith("to ") else _("Group %(name)s") % {"name": group.name}
        return _("Meeting of %(group)s, month %(month)s") % {"group": name, "month": f"{held_on:%m/%Y}"}


@transaction.atomic
def record_group_meeting(
    *,
    group: UnionGroup,
    held_on: date,
    roster: Iterable[Member],
    present: Iterable[Member],
    starts_at: time | None = None,
    topics: str = "",
    discussion: str = "",
    photo: UploadedFile | None = None,
) -> Meeting:
    """Record a union group's regular meeting, held: its roster invited, each present or absent, and one photo.

    ``roster`` is the group's members on ``held_on``; everyone in ``present`` must be on it.
    All or nothing: a refused photo (``add_document``) or roster raises ``ValidationError``
    and leaves no meeting, attendance or file behind.
    """
    union = group.union
    roster = list(roster)
    on_roster = {member.pk for member in roster}
    present_ids = {member.pk for member in present}
    if present_ids - on_roster:
        raise ValidationError(
            {"present": _("Only members of the group on the day of the meeting can be recorded as present.")}
        )
    if group.dissolved_on is not None or union.dissolved_on is not None:
        raise ValidationError(_("A dissolved union group cannot have new meetings."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A meeting that has been held cannot be dated in the future.")})
    if held_on < group.established_on:
        raise ValidationError(
            {
                "held_on": _("The group was established on %(day)s; its meetings cannot be earlier.")
                % {"day": f"{group.established_on:%d/%m/%Y}"}
            }
        )
    meeting = Meeting(
        kind=Meeting.Kind.GROUP_MEETING,
        status=Meeting.Status.HELD,
        federation_id=union.federation_id,
        organiser_union=union,
        group=group,
        held_on=held_on,
        starts_at=starts_at,
        title=group_meeting_title(group, held_on),
        topics=topics.strip(),
        discussion=discussion.strip(),
    )
    meeting.full_clean()
    meeting.save()
    Attendance.objects.bulk_create(
        Attendance(
            meeting=meeting,
            member=member,
            union=union,
            name=member.full_name,
            role=Attendance.Role.PARTICIPANT,
            invited=True,
            presence=Attendance.Presence.PRESENT if member.pk in present_ids else Attendance.Presence.ABSENT,
        )
        for member in roster
    )
    if photo is not None:
        try:
            add_document(meeting, photo, title=_("Group meeting photo"))
        except ValidationError as error:
            # The photo field's refusal, whatever the document's own field is called.
            raise ValidationError({"photo": error.messages}) from error
    return meeting


# ---------------------------------------------------------------------------------------
# Invitees and attendance (the attendance page, the door QR sign-in)
# ---------------------------------------------------------------------------------------

# Someone who signs in more than this long after the meeting starts arrived late.
LATE_AFTER = timedelta(minutes=15)


def presence_on_arrival(meeting: Meeting, at: datetime) -> str:
    """``present``, or ``late`` when ``at`` is more than ``LATE_AFTER`` past the meeting's start (local time)."""
    if meeting.starts_at is None:
        return Attendance.Presence.PRESENT
    starts = timezone.make_aware(datetime.combine(meeting.held_on, meeting.starts_at))
    return Attendance.Presence.LATE if at > starts + LATE_AFTER else Attendance.Presence.PRESENT


@transaction.atomic
def invite_members(
    meeting: Meeting, members: Iterable[Member], *, role: str = Attendance.Role.PARTICIPANT, position: str = ""
) -> int:
    """Put ``members`` on the meeting's list (each for their own CĐCS); those already on it are left as they are.

    Returns how many were added. The caller hands over only members the user may see.
    """
    members = list(members)
    already = set(
        Attendance.objects.filter(meeting=meeting, member__in=[m.pk for m in members]).values_list(
            "member_id", flat=True
        )
    )
    rows = [
        Attendance(
            meeting=meeting,
            member=member,
            union_id=member.union_id,
            name=member.full_name,
            position=position or member.job_title,
            role=role,
        )
        for member in members
        if member.pk not in already
    ]
    for row in rows:
        row.full_clean(exclude=["meeting", "member", "union"], validate_unique=False, validate_constraints=False)
    Attendance.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def invite_person(
    meeting: Meeting,
    *,
    name: str,
    position: str = "",
    role: str = Attendance.Role.GUEST,
    union_id: int | None = None,
    walked_in: bool = False,
    at: datetime | None = None,
) -> Attendance:
    """Put an official or an outside guest on the list by name; ``walked_in``: came without an invitation, present."""
    row = Attendance(meeting=meeting, name=name.strip(), position=position.strip(), role=role, union_id=union_id)
    if walked_in:
        _mark_arrived(row, Attendance.Presence.PRESENT, Attendance.SignedInBy.STAFF, at or timezone.now())
        row.invited = False
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def record_walk_in(meeting: Meeting, member: Member, *, at: datetime | None = None) -> Attendance:
    """A member who came without an invitation: on the list as present, not invited.

    A member already on the list (invited) is simply ticked present.
    """
    row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
    if row is None:
        row = Attendance(
            meeting=meeting,
            member=member,
            union_id=member.union_id,
            name=member.full_name,
            position=member.job_title,
            invited=False,
        )
    if not row.attended:
        _mark_arrived(row, Attendance.Presence.PRESENT, Attendance.SignedInBy.STAFF, at or timezone.now())
        row.absence_reason = ""
    row.full_clean(validate_unique=False)
    row.save()
    return row


@transaction.atomic
def remove_invitee(attendance: Attendance) -> None:
    """Take someone off the meeting's list."""
    attendance.delete()


def _mark_arrived(row: Attendance, presence: str, by: str, at: datetime) -> None:
    row.presence = presence
    row.absence_reason = ""
    if row.signed_in_at is None:
        row.signed_in_at = at
        row.signed_in_by = by


@transaction.atomic
def record_attendance(
    rows: Iterable[Attendance], marks: dict[int, tuple[str, str]], *, at: datetime | None = None
) -> int:
    """Tick many rows at once: ``marks`` maps a row's id to (presence, absence reason).

    Rows ticked present or late by staff are signed in by staff at ``at`` (unless already signed
    in); an absent row loses its sign-in. Every row is checked before any is written, so an
    error in one saves none (``ValidationError`` keyed by the row's id). Returns how many changed.
    """
    at = at or timezone.now()
    changed, errors = [], {}
    for row in rows:
        if row.pk not in marks:
            continue
        presence, reason = marks[row.pk]
        before = (row.presence, row.absence_reason, row.signed_in_at, row.signed_in_by)
        if presence in (Attendance.Presence.PRESENT, Attendance.Presence.LATE):
            _mark_arrived(row, presence, Attendance.SignedInBy.STAFF, at)
        else:
            row.presence = presence
            row.absence_reason = reason.strip() if presence == Attendance.Presence.ABSENT else ""
            row.signed_in_at, row.signed_in_by = None, ""
        if presence == Attendance.Presence.ABSENT and not row.absence_reason:
            errors[row.pk] = _("Please give the reason for the absence.")
            continue
        try:
            row.clean_fields(exclude=["meeting", "member", "union"])
            row.clean()
        except ValidationError as error:
            errors[row.pk] = " ".join(error.messages)
            continue
        if (row.presence, row.absence_reason, row.signed_in_at, row.signed_in_by) != before:
            changed.append(row)
    if errors:
        raise ValidationError(errors)
    Attendance.objects.bulk_update(changed, ["presence", "absence_reason", "signed_in_at", "signed_in_by"])
    return len(changed)


@transaction.atomic
def sign_in_at_door(attendance: Attendance, *, at: datetime | None = None) -> bool:
    """An invitee signs themselves in with the door QR code: present, or late. False if already signed in."""
    row = Attendance.objects.select_for_update().get(pk=attendance.pk)
    if row.attended:
        attendance.refresh_from_db()
        return False
    at = at or timezone.now()
    _mark_arrived(row, presence_on_arrival(row.meeting, at), Attendance.SignedInBy.QR_CODE, at)
    row.save(update_fields=["presence", "absence_reason", "signed_in_at", "signed_in_by"])
    attendance.refresh_from_db()
    return True


@transaction.atomic
def new_sign_in_code(meeting: Meeting) -> Meeting:
    """Issue a new door QR code for ``meeting``: every printed code stops working."""
    meeting.sign_in_token = new_sign_in_token()
    meeting.save(update_fields=["sign_in_token", "updated_at"])
    return meeting


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
