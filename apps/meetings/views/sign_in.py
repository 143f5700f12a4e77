"""Signing in at the door with the meeting's QR code (public), and the printable sign-in sheet.

The sign-in page needs no account: the code's secret (``Meeting.sign_in_token``) is the key,
and it opens only on the meeting's day. The page shows nothing about who is invited: a
visitor proves who they are (their account, or the last four digits of their CCCD and their
date of birth), is matched against the meeting's invited members only, and anyone not
matched gets one and the same refusal. Failed attempts are limited per meeting and address.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from apps.accounts.client_address import client_ip_address
from apps.meetings import selectors, services
from apps.meetings.models import Attendance, Meeting
from apps.meetings.views.attendance import may_keep_attendance

# Failed attempts allowed per meeting and client address, and for how long they count. Kept in
# the cache, which is the database's (settings.CACHES): one count for every worker process.
MAX_FAILED_ATTEMPTS = 5
FAILED_ATTEMPTS_WINDOW = 10 * 60
# Empty rows at the foot of the sign-in sheet, for those who come without an invitation.
BLANK_ROWS = 5


class DoorSignInForm(forms.Form):
    """What an invitee without an account types: the last four digits of their CCCD and their date of birth."""

    id_last_digits = forms.RegexField(
        label=gettext_lazy("last 4 digits of your CCCD"),
        regex=r"^[0-9]{4}$",
        error_messages={"invalid": gettext_lazy("Type the last 4 digits of your CCCD.")},
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "4", "pattern": "[0-9]{4}"}
        ),
    )
    date_of_birth = forms.DateField(
        label=gettext_lazy("date of birth"),
        input_formats=["%d/%m/%Y"],
        error_messages={"invalid": gettext_lazy("Type the date as dd/mm/yyyy, e.g. 05/06/1990.")},
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "autocomplete": "off", "inputmode": "numeric"}
        ),
    )


def _attempts_key(meeting: Meeting, request: HttpRequest) -> str:
    return f"meetings:door-sign-in:{meeting.pk}:{client_ip_address(request) or '-'}"


def _too_many_attempts(key: str) -> bool:
    return (cache.get(key) or 0) >= MAX_FAILED_ATTEMPTS


def _count_failure(key: str) -> None:
    if not cache.add(key, 1, timeout=FAILED_ATTEMPTS_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=FAILED_ATTEMPTS_WINDOW)


def _closed_reason(meeting: Meeting) -> str:
    """Why the door is closed today, or "" when the meeting can be signed in to."""
    if meeting.status == Meeting.Status.CANCELLED:
        return _("This meeting has been cancelled: there is nothing to sign in to.")
    today = timezone.localdate()
    if meeting.held_on > today:
        return _("Signing in opens on the day of the meeting, %(day)s.") % {"day": f"{meeting.held_on:%d/%m/%Y}"}
    if meeting.held_on < today:
        return _("This meeting took place on %(day)s: signing in is closed.") % {"day": f"{meeting.held_on:%d/%m/%Y}"}
    return ""


def _account_match(request: HttpRequest, meeting: Meeting) -> Attendance | None:
    """The one invited member whose name and CĐCS are those of the signed-in account, if exactly one."""
    user = request.user
    if not user.is_authenticated or not getattr(user, "union_id", None):
        return None
    # A Vietnamese name reads family name first ("Phạm Thu Trang" is last_name "Phạm Thu",
    # first_name "Trang": User.get_full_name); an account whose two fields were filled the other
    # way round still matches.
    names = {user.get_full_name(), " ".join(f"{user.first_name} {user.last_name}".split())} - {""}
    if not names:
        return None
    found = list(
        Attendance.objects.filter(
            meeting=meeting, invited=True, member__union_id=user.union_id, member__full_name__in=names
        ).select_related("meeting")[:2]
    )
    return found[0] if len(found) == 1 else None


def _id_match(meeting: Meeting, last_digits: str, born) -> Attendance | None:
    """The one invited member of ``meeting`` with these CCCD digits and date of birth, if exactly one."""
    found = list(
        Attendance.objects.filter(
            meeting=meeting,
            invited=True,
            member__national_id__endswith=last_digits,
            member__date_of_birth=born,
        ).select_related("meeting")[:2]
    )
    return found[0] if len(found) == 1 else None


@never_cache
def sign_in(request: HttpRequest, token: str) -> HttpResponse:
    """What an invitee sees after scanning the door's QR code: sign in with one tap or with their CCCD."""
    # The code is the key: no account is needed, and so no scope applies to finding the meeting.
    meeting = get_object_or_404(Meeting.objects.select_related("federation", "organiser_union"), sign_in_token=token)
    context = {"meeting": meeting, "closed": _closed_reason(meeting)}
    if context["closed"]:
        return render(request, "meetings/sign_in.html", context)
    key = _attempts_key(meeting, request)
    mine = _account_match(request, meeting)
    form = DoorSignInForm()
    if request.method == "POST":
        if request.POST.get("action") == "me" and mine is not None:
            return _signed_in(request, meeting, mine)
        if _too_many_attempts(key):
            context["blocked"] = True
        else:
            form = DoorSignInForm(request.POST)
            if form.is_valid():
                found = _id_match(meeting, form.cleaned_data["id_last_digits"], form.cleaned_data["date_of_birth"])
                if found is not None:
                    return _signed_in(request, meeting, found)
                _count_failure(key)
                # One refusal for everyone not matched, and the typed values are not echoed back.
                form = DoorSignInForm()
                context["refused"] = True
    context.update(form=form, mine=mine)
    return render(request, "meetings/sign_in.html", context)


def _signed_in(request: HttpRequest, meeting: Meeting, attendance: Attendance) -> HttpResponse:
    newly = services.sign_in_at_door(attendance, at=timezone.now())
    return render(
        request,
        "meetings/sign_in.html",
        {
            "meeting": meeting,
            "done": attendance,
            "newly": newly,
            "late": attendance.presence == Attendance.Presence.LATE,
            "signed_in_at": timezone.localtime(attendance.signed_in_at),
        },
    )


@login_required
def sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The A4 sheet people sign at the meeting, one row per invitee the reader may see."""
    meeting = get_object_or_404(
        Meeting.objects.visible_to(request.user).select_related("federation", "organiser_union", "group"), pk=pk
    )
    rows = (
        Attendance.objects.visible_to(request.user)
        .filter(meeting=meeting, invited=True)
        .select_related("union")
        .order_by(selectors.officials_first(), "union__name", "name", "pk")
    )
    may_keep = may_keep_attendance(request.user, meeting)
    back_url = reverse("meetings:attendance", args=[meeting.pk]) if may_keep else reverse("home")
    return render(
        request,
        "meetings/sign_in_sheet.html",
        {"meeting": meeting, "rows": rows, "back_url": back_url, "blank_rows": range(BLANK_ROWS)},
    )
