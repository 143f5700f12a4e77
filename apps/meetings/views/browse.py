"""The meetings people browse: the list, the month calendar and one meeting's page (what a leader reads on a phone).

Everything is read through ``visible_to(request.user)``: a meeting out of scope is 404, and
a chair sees the attendees of their own CĐCS and the officials, never another CĐCS's people.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.meetings import selectors
from apps.meetings.forms import UNION_CHOICES, MeetingFilterForm, unions_matching
from apps.meetings.models import Attendance, FollowUpTask, Meeting, MeetingDocument
from apps.meetings.views.attendance import may_keep_attendance
from apps.unions.models import GrassrootsUnion

PAGE_SIZE = 25
# The months the calendar can show: a typo such as 20211-07 is answered with a message, not a page of nothing.
FIRST_YEAR, LAST_YEAR = 1990, 2100


def _may_view(request: HttpRequest) -> None:
    if not request.user.has_perm("meetings.view_meeting"):
        raise PermissionDenied


def readable_meetings(user, *, numbered: bool = True):
    """The meetings ``user`` may read, with what their label names and (``numbered``) their number in their series.

    The calendar shows no number: counting a busy month's hundreds of group meetings into their
    series took seconds, for words it does not show.
    """
    meetings = Meeting.objects.visible_to(user).select_related("federation", "organiser_union", "group", "sector")
    return meetings.with_series_number() if numbered else meetings


def crumbs(*trail: tuple[str, str]) -> list[tuple[str, str]]:
    """The breadcrumbs of a meetings page: home, the meetings, then ``trail`` ((label, url) pairs)."""
    return [(_("Home"), reverse("home")), (pgettext("meetings page", "Meetings"), reverse("meetings:list")), *trail]


def _describe(meetings) -> list[Meeting]:
    """The meetings with the words their rows show, worked out by the one function of each."""
    described = list(meetings)
    for meeting in described:
        meeting.series_text = selectors.series_label(meeting)
        meeting.organiser_text = selectors.organiser_name(meeting)
        meeting.kind_text = selectors.kind_label(meeting.kind)
        meeting.status_text = selectors.status_label(meeting.status)
    return described


def _page_context(request: HttpRequest, form: MeetingFilterForm, **extra) -> dict:
    return {
        "form": form,
        "may_add": request.user.has_perm("meetings.add_meeting"),
        "lookup_url": reverse("meetings:unions") if form.show_union else "",
        **extra,
    }


@login_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Meetings the user may read, newest first, filtered and a page at a time."""
    _may_view(request)
    user = request.user
    form = MeetingFilterForm(request.GET, user=user)
    # The page is chosen first, on the plain rows; only its 25 meetings are then numbered and
    # counted (correlated subqueries that, on the whole list, the database would run for every
    # meeting of the district before sorting: 20 s on the demo's 17,000).
    order = ("-held_on", "-starts_at", "-pk")
    chosen = form.apply(Meeting.objects.visible_to(user)).order_by(*order).values_list("pk", flat=True)
    page = Paginator(chosen, PAGE_SIZE).get_page(request.GET.get("page"))
    page_rows = selectors.with_attendance_counts(readable_meetings(user).filter(pk__in=list(page.object_list)), user)
    page.object_list = _describe(page_rows.order_by(*order))
    for meeting in page.object_list:
        meeting.rate = selectors.attendance_rate(meeting.attended_count, meeting.invited_count)
    context = _page_context(
        request,
        form,
        page=page,
        crumbs=crumbs((pgettext("meetings page", "List"), "")),
        title=pgettext("meetings page", "Meetings"),
    )
    return render(request, "meetings/list.html", context)


def _month_asked(request: HttpRequest) -> tuple[date, str]:
    """The first day of the month asked for (``?month=YYYY-MM``), or of this month with a message saying why."""
    today = timezone.localdate()
    asked = request.GET.get("month", "").strip()
    if not asked:
        return today.replace(day=1), ""
    found = re.fullmatch(r"(\d{4})-(\d{1,2})", asked)
    if found and FIRST_YEAR <= int(found[1]) <= LAST_YEAR and 1 <= int(found[2]) <= 12:
        return date(int(found[1]), int(found[2]), 1), ""
    problem = _("“%(month)s” is not a month the calendar can show: write it as year-month, e.g. %(example)s.") % {
        "month": asked[:20],
        "example": today.strftime("%Y-%m"),
    }
    return today.replace(day=1), problem


@login_required
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """A month of meetings, week by week (a list of days on a phone), with the list's filters."""
    _may_view(request)
    user = request.user
    first, problem = _month_asked(request)
    form = MeetingFilterForm(request.GET, user=user, with_period=False)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    shown = _describe(
        form.apply(readable_meetings(user, numbered=False))
        .held_between(weeks[0][0], weeks[-1][-1])
        .order_by("held_on", "starts_at", "pk")
    )
    by_day: dict[date, list[Meeting]] = {}
    for meeting in shown:
        by_day.setdefault(meeting.held_on, []).append(meeting)
    today = timezone.localdate()
    weekdays = [
        pgettext("weekday", "Mon"),
        pgettext("weekday", "Tue"),
        pgettext("weekday", "Wed"),
        pgettext("weekday", "Thu"),
        pgettext("weekday", "Fri"),
        pgettext("weekday", "Sat"),
        pgettext("weekday", "Sun"),
    ]
    days = [
        [
            {
                "day": day,
                "weekday": weekdays[day.weekday()],
                "in_month": day.month == first.month,
                "today": day == today,
                "meetings": by_day.get(day, []),
            }
            for day in week
        ]
        for week in weeks
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    month_name = pgettext("calendar", "month %(month)s/%(year)s") % {"month": first.month, "year": first.year}
    context = _page_context(
        request,
        form,
        weeks=days,
        month=first,
        month_name=month_name,
        problem=problem,
        previous=previous.strftime("%Y-%m"),
        following=following.strftime("%Y-%m"),
        this_month=today.strftime("%Y-%m"),
        in_month=sum(1 for meeting in shown if meeting.held_on.month == first.month),
        weekdays=weekdays,
        month_value=first.strftime("%Y-%m"),
        crumbs=crumbs((pgettext("meetings page", "Calendar"), "")),
    )
    return render(request, "meetings/calendar.html", context)


@login_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting: its facts, officials, agenda, what was said and decided, who came, what must follow."""
    _may_view(request)
    user = request.user
    meeting = get_object_or_404(readable_meetings(user), pk=pk)
    _describe([meeting])
    attendances = (
        Attendance.objects.visible_to(user).filter(meeting=meeting).select_related("union").order_by("role", "name")
    )
    summary = selectors.attendance_summary(attendances)
    may_change = user.has_perm("meetings.change_meeting") and Meeting.objects.changeable_by(user).filter(pk=pk).exists()
    today = timezone.localdate()
    tasks = list(FollowUpTask.objects.visible_to(user).filter(meeting=meeting).select_related("owner"))
    owner_names = selectors.account_names(user, {task.owner for task in tasks})
    for task in tasks:
        task.owner_text = owner_names[task.owner_id]
        task.overdue = task.done_on is None and task.due_on < today
        task.may_mark_done = task.done_on is None and (may_change or task.owner_id == user.pk)
    context = {
        "meeting": meeting,
        "invited_unions": list(meeting.participating_unions.visible_to(user).order_by("name")),
        "summary": summary,
        "role_labels": selectors.ROLE_LABELS,
        "tasks": tasks,
        "may_change": may_change,
        "may_keep_attendance": may_keep_attendance(user, meeting, changeable=may_change),
        "documents": list(MeetingDocument.objects.visible_to(user).filter(meeting=meeting).order_by("uploaded_at")),
        "crumbs": crumbs((meeting.title, "")),
    }
    return render(request, "meetings/detail.html", context)


@login_required
def union_lookup(request: HttpRequest) -> JsonResponse:
    """The CĐCS the user sees whose name or code holds ``q``, for the organiser and invitation fields."""
    _may_view(request)
    term = request.GET.get("q", "").strip()
    unions = unions_matching(request.user, term) if term else GrassrootsUnion.objects.none()
    rows = unions.values("code", "name")[:UNION_CHOICES]
    return JsonResponse({"results": [{"code": row["code"], "name": row["name"]} for row in rows]})
