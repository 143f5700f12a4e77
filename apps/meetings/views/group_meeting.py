"""Record a union group's regular meeting (sinh hoạt tổ công đoàn) from a phone: /meetings/groups/<group>/new/.

The group comes from ``UnionGroup.objects.visible_to(user)`` (another CĐCS's group is 404),
then the role decides (a leader reads, 403). The write is one service call, all or nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from apps.meetings import services
from apps.meetings.group_meeting_forms import GroupMeetingForm
from apps.members.forms import add_service_error
from apps.union_groups.models import UnionGroup


@login_required
def group_meeting_add(request: HttpRequest, group_pk: int) -> HttpResponse:
    """The form: the day, the group's roster that day all ticked present, topics, notes, a photo."""
    groups = UnionGroup.objects.visible_to(request.user).select_related("union")
    group = get_object_or_404(groups, pk=group_pk)
    if not request.user.has_perm("meetings.add_meeting"):
        raise PermissionDenied
    union = group.union
    context = {
        "group": group,
        "union": union,
        "tab": "groups",
        "title": _("Record a group meeting"),
        # The CĐCS pages' tabs (templates/portal/union_base.html), as on the group's own page.
        "may_declare_workforce": request.user.has_perm("unions.add_workforcedeclaration"),
    }
    if group.dissolved_on is not None or union.dissolved_on is not None:
        # Nothing to fill: the page says why and leads back.
        return render(request, "meetings/group_meeting_form.html", {**context, "dissolved": True})
    form = GroupMeetingForm(request.POST or None, request.FILES or None, user=request.user, group=group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.record_group_meeting(
                group=group,
                held_on=data["held_on"],
                roster=form.roster,
                present=form.present_members(),
                starts_at=data["starts_at"],
                topics=data["topics"],
                discussion=data["discussion"],
                photo=data["photo"],
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            present = sum(1 for _member in form.present_members())
            messages.success(
                request,
                _("The meeting of %(group)s on %(day)s has been recorded: %(present)s of %(total)s present.")
                % {
                    "group": group.name,
                    "day": meeting.held_on.strftime("%d/%m/%Y"),
                    "present": present,
                    "total": len(form.roster),
                },
            )
            return redirect("portal:group", union_pk=union.pk, group_pk=group.pk)
    return render(request, "meetings/group_meeting_form.html", {**context, "form": form})
