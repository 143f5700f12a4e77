"""A meeting's minutes (biên bản): a page that prints on A4, and the same minutes as a Word file."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from apps.meetings.minutes import (
    Minutes,
    attendance_line,
    closing_line,
    intro_lines,
    minutes_docx,
    minutes_for,
    official_rows,
    task_line,
)
from apps.meetings.models import Meeting

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _minutes(request, pk: int) -> Minutes:
    """The minutes of a meeting the user sees (404 otherwise), with only the attendees they may see."""
    meetings = Meeting.objects.visible_to(request.user).with_series_number()
    meeting = get_object_or_404(meetings.select_related("federation", "organiser_union", "sector"), pk=pk)
    if not request.user.has_perm("meetings.view_meeting"):
        raise PermissionDenied
    return minutes_for(meeting, request.user)


@login_required
def minutes(request, pk: int):
    content = _minutes(request, pk)
    return render(
        request,
        "meetings/minutes.html",
        {
            "minutes": content,
            "intro_lines": intro_lines(content),
            "official_rows": official_rows(content),
            "attendance_line": attendance_line(content),
            "task_lines": [task_line(task) for task in content.tasks],
            "closing_line": closing_line(content),
        },
    )


@login_required
def minutes_docx_download(request, pk: int):
    minutes = _minutes(request, pk)
    response = HttpResponse(minutes_docx(minutes), content_type=DOCX)
    # A name outside ASCII would be written as RFC 5987 "filename*"; ours is in plain letters anyway.
    response["Content-Disposition"] = content_disposition_header(True, minutes.filename)
    return response
