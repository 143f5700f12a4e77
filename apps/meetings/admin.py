"""Admin for meetings, their attendance and documents."""

from __future__ import annotations

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ScopedHistoryAdmin, ScopedModelAdmin, ScopedTabularInline
from apps.meetings.models import Attendance, FollowUpTask, Meeting, MeetingDocument


class AttendanceInline(ScopedTabularInline):
    model = Attendance
    fields = ["name", "position", "role", "headcount", "member", "union", "invited", "presence", "absence_reason"]
    autocomplete_fields = ["member", "union"]
    show_change_link = False


class FollowUpTaskInline(ScopedTabularInline):
    model = FollowUpTask
    fields = ["description", "owner", "due_on", "done_on"]
    autocomplete_fields = ["owner"]
    show_change_link = False


class MeetingDocumentInline(ScopedTabularInline):
    model = MeetingDocument
    fields = ["title", "file"]
    show_change_link = False


@admin.register(Meeting)
class MeetingAdmin(ScopedHistoryAdmin):
    list_display = ["held_on", "kind", "title", "organiser_union", "sector", "status"]
    list_display_links = ["held_on", "title"]
    list_select_related = ["organiser_union", "sector"]
    list_filter = ["kind", "status", "sector"]
    date_hierarchy = "held_on"
    search_fields = ["title", "topics", "conclusions"]
    autocomplete_fields = ["federation", "organiser_union", "group", "participating_unions"]
    inlines = [AttendanceInline, FollowUpTaskInline, MeetingDocumentInline]

    # The number is counted for the one meeting shown: counted for a whole list, it would run
    # for every meeting of the district before the page is chosen (the portal's list counts its page).
    @admin.display(description=_("number in its series"))
    def number_in_series(self, obj):
        if obj is None or obj.pk is None:
            return "–"
        number = Meeting.objects.with_series_number().filter(pk=obj.pk).values_list("series_number", flat=True).first()
        return number or "–"

    def get_readonly_fields(self, request, obj=None):
        # A chair's meetings belong to their union and its federation; they choose neither.
        if getattr(request.user, "is_union_chair", False):
            return ["number_in_series", "federation", "organiser_union"]
        return ["number_in_series"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if not getattr(request.user, "is_union_chair", False):
            return form
        union = request.user.union

        class ChairMeetingForm(form):
            # Set before validation so the model's checks (group of the organising union) see them.
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                self.instance.organiser_union = union
                self.instance.federation_id = union.federation_id

        return ChairMeetingForm


@admin.register(Attendance)
class AttendanceAdmin(ScopedModelAdmin):
    list_display = ["name", "position", "role", "presence", "meeting"]
    list_select_related = ["meeting"]
    search_fields = ["name", "position"]
    list_filter = ["role", "presence", "invited"]
    autocomplete_fields = ["meeting", "member", "union"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(ScopedModelAdmin):
    list_display = ["title", "meeting", "file_link", "uploaded_at"]
    list_select_related = ["meeting"]
    search_fields = ["title"]
    autocomplete_fields = ["meeting"]

    @admin.display(description=_("file"))
    def file_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.file.url, obj.file.download_name)

    def get_urls(self):
        return [self.object_page_url("file/", self.file_view, "file"), *super().get_urls()]

    def file_view(self, request, object_id):
        """The document's file, to those who may see the document; 404 to everyone else, as its pages do."""
        document = self.viewable_object_or_404(request, object_id)
        try:
            return document.file.response()
        except FileNotFoundError:
            # Lost with a disk or a restore: say so on the document's page, where it can be uploaded again.
            self.message_user(
                request,
                _("The file of “%(title)s” is no longer on the server: upload it again.") % {"title": document.title},
                messages.ERROR,
            )
            return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_change", args=[document.pk]))
