"""Recording a meeting (the form with its follow-up tasks) and ticking a task done.

A chair records their own CĐCS's meetings and is never asked for their union or federation;
a federation meeting they were invited to is theirs to read, not to change (404 here).
Leaders read only (403). Every write goes through apps.meetings.services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from apps.meetings import services
from apps.meetings.forms import MeetingForm, TaskFormSet
from apps.meetings.models import FollowUpTask, Meeting
from apps.meetings.views.browse import crumbs
from apps.members.forms import add_service_error


def _meeting_form(request: HttpRequest, meeting: Meeting, *, title: str, trail: list) -> HttpResponse:
    user = request.user
    data = request.POST if request.method == "POST" else None
    form = MeetingForm(data, instance=meeting, user=user)
    tasks = TaskFormSet(data, instance=meeting, user=user, prefix="tasks")
    if request.method == "POST" and form.is_valid() and tasks.is_valid():
        try:
            saved = services.save_meeting(
                form.save(commit=False),
                invited_unions=form.invited_unions,
                tasks=tasks.save(commit=False),
                removed_tasks=tasks.deleted_objects,
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The meeting “%(title)s” has been saved.") % {"title": saved.title})
            return redirect("meetings:detail", pk=saved.pk)
    context = {
        "form": form,
        "tasks": tasks,
        "meeting": meeting,
        "title": title,
        "crumbs": crumbs(*trail, (title, "")),
        "lookup_url": reverse("meetings:unions") if "organiser" in form.fields else "",
    }
    return render(request, "meetings/form.html", context)


@login_required
def meeting_add(request: HttpRequest) -> HttpResponse:
    """Record a new meeting: the federation's (district staff) or the user's own CĐCS's (a chair)."""
    if not request.user.has_perm("meetings.add_meeting"):
        raise PermissionDenied
    meeting = Meeting(held_on=timezone.localdate())
    return _meeting_form(request, meeting, title=pgettext("meetings page", "Record a meeting"), trail=[])


@login_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a meeting the user may change: out of their hands (another's, or only invited to) is 404."""
    meeting = get_object_or_404(Meeting.objects.changeable_by(request.user).select_related("organiser_union"), pk=pk)
    if not request.user.has_perm("meetings.change_meeting"):
        raise PermissionDenied
    trail = [(meeting.title, reverse("meetings:detail", args=[meeting.pk]))]
    return _meeting_form(request, meeting, title=pgettext("meetings page", "Edit the meeting"), trail=trail)


@login_required
@require_POST
def task_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Tick a follow-up task done: its owner, or someone who may change its meeting; then back where they were."""
    user = request.user
    task = get_object_or_404(FollowUpTask.objects.visible_to(user).select_related("meeting"), pk=pk)
    may_change_meeting = (
        user.has_perm("meetings.change_meeting")
        and Meeting.objects.changeable_by(user).filter(pk=task.meeting_id).exists()
    )
    if task.owner_id != user.pk and not may_change_meeting:
        raise PermissionDenied
    if task.done_on is None:
        services.task_mark_done(task, on=timezone.localdate())
        messages.success(request, _("“%(task)s” is done.") % {"task": task.description})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("meetings:detail", args=[task.meeting_id])
    return redirect(back)
