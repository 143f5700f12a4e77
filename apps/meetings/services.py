"""Writes to meetings, called alike by the pages, the admin and the demo: each in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, time
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.core.text import fold
from apps.meetings.models import Attendance, Meeting, MeetingDocument

if TYPE_CHECKING:
    from apps.members.models import Member
    from apps.union_groups.models import UnionGroup


@transaction.atomic
def add_document(meeting: Meeting, uploaded: UploadedFile, *, title: str = "") -> MeetingDocument:
    """Attach a photo or file to ``meeting``, checked (type, size) before anything is stored.

    Raises ``ValidationError`` (nothing saved, no file left on disk) for a file that may not be attached.
    """
    document = MeetingDocument(meeting=meeting, title=title or uploaded.name.rsplit(".", 1)[0], file=uploaded)
    document.full_clean()
    document.save()
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
