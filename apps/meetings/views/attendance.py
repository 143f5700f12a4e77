"""One meeting's invitees and attendance, ticked in bulk on a tablet; the QR poster for the door.

Only those who may change the meeting reach these pages: the meeting comes from
``Meeting.objects.changeable_by(user)`` (404 otherwise, a meeting a CĐCS was merely invited to
included), then the role decides (403 for leaders, who read but change nothing). Every person
offered or accepted comes from a ``visible_to(user)`` queryset, so a forged POST naming another
CĐCS's member finds nobody. Every write goes through apps.meetings.services, in one transaction.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from apps.core.qr import qr_svg
from apps.core.search import folded_search
from apps.meetings import selectors, services
from apps.meetings.models import Attendance, Meeting
from apps.members.models import Member, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion

# How many members a name lookup offers at once: type more of the name to narrow it.
LOOKUP_LIMIT = 20
PRESENCE_VALUES = ("", *Attendance.Presence.values)


def changeable_meeting_or_404(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if ``request.user`` may change it: 404 out of reach, then 403 without the right to change lists."""
    meeting = get_object_or_404(
        Meeting.objects.changeable_by(request.user).select_related("federation", "organiser_union", "group"), pk=pk
    )
    if not request.user.has_perm("meetings.change_attendance"):
        raise PermissionDenied
    return meeting


def may_keep_attendance(user, meeting: Meeting, *, changeable: bool | None = None) -> bool:
    """Whether ``user`` may keep ``meeting``'s list (attendance page, door poster): for the links that lead there.

    ``changeable``: whether the user may change the meeting, when the caller has already asked.
    """
    if changeable is None:
        changeable = Meeting.objects.changeable_by(user).filter(pk=meeting.pk).exists()
    return user.has_perm("meetings.change_attendance") and changeable


def meeting_unions(request: HttpRequest, meeting: Meeting):
    """The CĐCS a person may come for at ``meeting``: the organiser and the invited ones, as far as the user sees."""
    unions = GrassrootsUnion.objects.visible_to(request.user)
    if meeting.organiser_union_id:
        return unions.filter(pk=meeting.organiser_union_id)
    return unions.filter(pk__in=meeting.participating_unions.values("pk")).order_by("name")


class PersonForm(forms.Form):
    """An official or an outside guest, named: invited, or come without an invitation."""

    name = forms.CharField(label=gettext_lazy("full name"), max_length=255)
    position = forms.CharField(label=gettext_lazy("position"), max_length=255, required=False)
    role = forms.ChoiceField(
        label=gettext_lazy("role at the meeting"), choices=Attendance.Role.choices, initial=Attendance.Role.GUEST
    )
    union = forms.ModelChoiceField(
        label=gettext_lazy("attends for"),
        queryset=GrassrootsUnion.objects.none(),
        required=False,
        empty_label=gettext_lazy("no grassroots union (federation official, guest)"),
    )

    def __init__(self, *args, unions=None, **kwargs):
        super().__init__(*args, prefix="person", **kwargs)
        if unions is None or not unions.exists():
            del self.fields["union"]
        else:
            self.fields["union"].queryset = unions


def _rows(request: HttpRequest, meeting: Meeting):
    return (
        Attendance.objects.visible_to(request.user)
        .filter(meeting=meeting)
        .select_related("union")
        .order_by(selectors.officials_first(), "-invited", "name", "pk")
    )


def _groups(request: HttpRequest, meeting: Meeting, unions):
    groups = UnionGroup.objects.visible_to(request.user).filter(dissolved_on__isnull=True)
    if meeting.organiser_union_id or unions.exists():
        groups = groups.filter(union__in=unions)
    else:
        groups = groups.filter(union__federation_id=meeting.federation_id)
    return groups.select_related("union").order_by("union__name", "name")


def _chairs(request: HttpRequest, meeting: Meeting):
    """The chairs (today) of the CĐCS invited to ``meeting``, as far as the user sees them."""
    return (
        UnionOfficial.objects.visible_to(request.user)
        .as_of(timezone.localdate())
        .filter(role=UnionOfficial.Role.CHAIR, union__in=meeting.participating_unions.values("pk"))
        .select_related("member")
    )


def _lookup(request: HttpRequest, meeting: Meeting, query: str):
    members = Member.objects.visible_to(request.user).active().select_related("union")
    members = members.filter(union__federation_id=meeting.federation_id)
    return list(folded_search(members, query, ["search_name"])[:LOOKUP_LIMIT]) if query.strip() else []


def _member_or_none(request: HttpRequest, meeting: Meeting) -> Member | None:
    """The member named by the POST, if the user sees them (a forged id of another CĐCS's member finds no one)."""
    try:
        pk = int(request.POST.get("member", ""))
    except ValueError:
        return None
    members = Member.objects.visible_to(request.user).active().filter(union__federation_id=meeting.federation_id)
    return members.filter(pk=pk).first()


def _marks(request: HttpRequest, rows: list[Attendance]) -> tuple[dict[int, tuple[str, str]], dict[int, str]]:
    """(presence, reason) per row as posted, and the rows whose value is not one of the choices."""
    marks, errors = {}, {}
    for row in rows:
        key = f"presence-{row.pk}"
        if key not in request.POST:
            continue
        presence = request.POST[key]
        if presence not in PRESENCE_VALUES:
            errors[row.pk] = _("Choose present, late or absent.")
            continue
        marks[row.pk] = (presence, request.POST.get(f"reason-{row.pk}", "")[:255])
    return marks, errors


@login_required
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    """Who is invited and who came: add invitees in bulk, tick everyone on one form, record walk-ins."""
    meeting = changeable_meeting_or_404(request, pk)
    unions = meeting_unions(request, meeting)
    query = request.GET.get("q", "").strip()
    person_form = PersonForm(unions=unions)
    row_errors: dict[int, str] = {}
    posted: dict[int, tuple[str, str]] = {}
    if request.method == "POST":
        action = request.POST.get("action", "")
        rows = list(_rows(request, meeting))
        by_pk = {row.pk: row for row in rows}
        try:
            if action in ("tick", "all_present"):
                if action == "all_present":
                    marks = {row.pk: (Attendance.Presence.PRESENT, "") for row in rows if not row.presence}
                    errors = {}
                else:
                    marks, errors = _marks(request, rows)
                posted = marks
                if errors:
                    raise ValidationError(errors)
                changed = services.record_attendance(rows, marks)
                messages.success(
                    request,
                    ngettext("Attendance saved: %(n)s row changed.", "Attendance saved: %(n)s rows changed.", changed)
                    % {"n": changed},
                )
                return redirect("meetings:attendance", pk=meeting.pk)
            if action in ("invite_group", "invite_union", "invite_chairs"):
                return _invite_many(request, meeting, unions, action)
            if action in ("invite_member", "walk_in_member"):
                member = _member_or_none(request, meeting)
                if member is None:
                    messages.error(request, _("This member was not found. Look them up by name again."))
                    return redirect(_here(meeting, query))
                if action == "walk_in_member":
                    services.record_walk_in(meeting, member)
                    messages.success(request, _("%(name)s is recorded as present.") % {"name": member.full_name})
                else:
                    role = request.POST.get("role", Attendance.Role.PARTICIPANT)
                    if role not in Attendance.Role.values:
                        role = Attendance.Role.PARTICIPANT
                    added = services.invite_members(meeting, [member], role=role)
                    if added:
                        messages.success(request, _("%(name)s is invited.") % {"name": member.full_name})
                    else:
                        messages.warning(request, _("%(name)s is already on the list.") % {"name": member.full_name})
                return redirect(_here(meeting, query))
            if action in ("invite_person", "walk_in_person"):
                person_form = PersonForm(request.POST, unions=unions)
                if person_form.is_valid():
                    data = person_form.cleaned_data
                    union = data.get("union")
                    services.invite_person(
                        meeting,
                        name=data["name"],
                        position=data["position"],
                        role=data["role"],
                        union_id=union.pk if union else None,
                        walked_in=action == "walk_in_person",
                    )
                    messages.success(request, _("%(name)s is on the list.") % {"name": data["name"]})
                    return redirect("meetings:attendance", pk=meeting.pk)
            elif action == "remove":
                try:
                    row = by_pk[int(request.POST.get("attendance", ""))]
                except (KeyError, ValueError):
                    messages.error(request, _("This person is no longer on the list."))
                else:
                    services.remove_invitee(row)
                    messages.success(request, _("%(name)s is taken off the list.") % {"name": row.name})
                return redirect("meetings:attendance", pk=meeting.pk)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                row_errors = {key: " ".join(texts) for key, texts in error.message_dict.items()}
            else:
                messages.error(request, " ".join(error.messages))
        if row_errors:
            messages.error(request, _("Nothing was saved. Please correct the rows marked below."))
    rows = list(_rows(request, meeting))
    for row in rows:
        row.posted = posted.get(row.pk, (row.presence, row.absence_reason))
        row.error = row_errors.get(row.pk, "")
    counts = {
        "invited": sum(row.invited for row in rows),
        "attended": sum(row.attended for row in rows),
        "walked_in": sum(row.walked_in for row in rows),
    }
    context = {
        "meeting": meeting,
        "rows": rows,
        "counts": counts,
        "person_form": person_form,
        "query": query,
        "found": _lookup(request, meeting, query),
        "groups": _groups(request, meeting, unions),
        "chairs_count": _chairs(request, meeting).count() if not meeting.organiser_union_id else 0,
        "presence_choices": Attendance.Presence.choices,
        "role_choices": Attendance.Role.choices,
    }
    return render(request, "meetings/attendance.html", context)


def _here(meeting: Meeting, query: str) -> str:
    """Back to the page, with the name lookup still open when there was one."""
    url = reverse("meetings:attendance", args=[meeting.pk])
    return f"{url}?{urlencode({'q': query})}#lookup" if query else url


def _invite_many(request: HttpRequest, meeting: Meeting, unions, action: str) -> HttpResponse:
    members = Member.objects.visible_to(request.user).active()
    position = ""
    if action == "invite_group":
        group_pk = request.POST.get("group", "")
        group = _groups(request, meeting, unions).filter(pk=group_pk).first() if group_pk.isdigit() else None
        if group is None:
            messages.error(request, _("Choose a union group."))
            return redirect("meetings:attendance", pk=meeting.pk)
        chosen = list(members.filter(group=group))
    elif action == "invite_union":
        if not meeting.organiser_union_id:
            messages.error(request, _("This meeting is not held by a grassroots union."))
            return redirect("meetings:attendance", pk=meeting.pk)
        chosen = list(members.filter(union_id=meeting.organiser_union_id))
    else:
        officials = list(_chairs(request, meeting))
        chosen = [official.member for official in officials]
        position = capfirst(UnionOfficial.Role.CHAIR.label)
    added = services.invite_members(meeting, chosen, position=position)
    messages.success(request, ngettext("%(n)s person invited.", "%(n)s people invited.", added) % {"n": added})
    return redirect("meetings:attendance", pk=meeting.pk)


@login_required
def door(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR poster for the meeting's door (A4); a new code retires every printed one."""
    meeting = changeable_meeting_or_404(request, pk)
    if request.method == "POST" and request.POST.get("action") == "new_code":
        services.new_sign_in_code(meeting)
        messages.success(request, _("A new code is issued: posters printed before no longer work."))
        return redirect("meetings:door", pk=meeting.pk)
    url = request.build_absolute_uri(reverse("meetings:sign_in", args=[meeting.sign_in_token]))
    return render(
        request,
        "meetings/door.html",
        {"meeting": meeting, "sign_in_url": url, "qr": qr_svg(url, css_class="door-qr")},
    )
