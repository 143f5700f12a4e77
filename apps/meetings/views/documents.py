"""A meeting's photos and files: upload and list for those who may change the meeting; files served in scope."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from apps.meetings import services
from apps.meetings.models import DOCUMENT_MAX_MEGABYTES, Meeting, MeetingDocument


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=gettext_lazy("Name of the photo or file"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Leave empty to use the file's name."),
    )
    file = forms.FileField(
        label=gettext_lazy("Photo or file"),
        error_messages={"required": gettext_lazy("Choose a photo or a file to attach.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "A photo (JPEG, PNG), PDF, Word, Excel, PowerPoint, OpenDocument or text; at most %(megabytes)s MB."
        ) % {"megabytes": DOCUMENT_MAX_MEGABYTES}
        self.fields["file"].widget.attrs["accept"] = (
            ".jpg,.jpeg,.png,.pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.txt"
        )


def _changeable_meeting(request, pk: int) -> Meeting:
    """A meeting the user may add files to: 404 out of scope, 403 to those who only read it."""
    meeting = get_object_or_404(Meeting.objects.visible_to(request.user).select_related("federation"), pk=pk)
    if not (
        request.user.has_perm("meetings.change_meeting")
        and Meeting.objects.changeable_by(request.user).filter(pk=pk).exists()
    ):
        raise PermissionDenied
    return meeting


@login_required
def documents(request, pk: int):
    meeting = _changeable_meeting(request, pk)
    form = DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.add_document(meeting, form.cleaned_data["file"], title=form.cleaned_data["title"])
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("“%(title)s” is attached.") % {"title": document.title})
            return redirect("meetings:documents", pk=meeting.pk)
    return render(
        request,
        "meetings/documents.html",
        {
            "meeting": meeting,
            "form": form,
            "documents": meeting.documents.order_by("uploaded_at", "pk"),
            "may_delete": True,
        },
    )


def _visible_document(request, pk: int) -> MeetingDocument:
    document = get_object_or_404(MeetingDocument.objects.visible_to(request.user), pk=pk)
    if not request.user.has_perm("meetings.view_meetingdocument"):
        raise PermissionDenied
    return document


@login_required
def document_file(request, pk: int):
    document = _visible_document(request, pk)
    try:
        return document.file.response()
    except FileNotFoundError:
        raise Http404(_("The file is no longer on the server.")) from None


@login_required
def document_thumbnail(request, pk: int):
    document = _visible_document(request, pk)
    if not document.thumbnail:
        raise Http404
    try:
        return FileResponse(document.thumbnail.open("rb"), content_type="image/jpeg")
    except FileNotFoundError:
        raise Http404 from None


@require_POST
@login_required
def document_delete(request, pk: int):
    document = get_object_or_404(MeetingDocument.objects.visible_to(request.user), pk=pk)
    meeting = _changeable_meeting(request, document.meeting_id)
    if not request.user.has_perm("meetings.delete_meetingdocument"):
        raise PermissionDenied
    document.delete()
    messages.success(request, _("“%(title)s” is deleted.") % {"title": document.title})
    return redirect("meetings:documents", pk=meeting.pk)
