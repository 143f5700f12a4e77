"""Admin for meetings, their attendance and documents."""

from __future__ import annotations

from django.contrib import admin

from apps.core.admin import ScopedHistoryAdmin, ScopedModelAdmin, ScopedTabularInline
from apps.meetings.models import Attendance, Meeting, MeetingDocument


class AttendanceInline(ScopedTabularInline):
    model = Attendance
    fields = ["name", "position", "role", "headcount", "member"]
    autocomplete_fields = ["member"]
    show_change_link = False


class MeetingDocumentInline(ScopedTabularInline):
    model = MeetingDocument
    fields = ["title", "file"]
    show_change_link = False


@admin.register(Meeting)
class MeetingAdmin(ScopedHistoryAdmin):
    list_display = ["held_on", "kind", "sequence_number", "title", "organiser_union", "sector"]
    list_display_links = ["held_on", "title"]
    list_select_related = ["organiser_union", "sector"]
    list_filter = ["kind", "sector"]
    date_hierarchy = "held_on"
    search_fields = ["title", "topics", "conclusions"]
    autocomplete_fields = ["federation", "organiser_union", "group", "participating_unions"]
    inlines = [AttendanceInline, MeetingDocumentInline]

    def get_readonly_fields(self, request, obj=None):
        # A chair's meetings belong to their union and its federation; they choose neither.
        if getattr(request.user, "is_union_chair", False):
            return ["federation", "organiser_union"]
        return []

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
    list_display = ["name", "position", "role", "headcount", "meeting"]
    list_select_related = ["meeting"]
    search_fields = ["name", "position"]
    autocomplete_fields = ["meeting", "member"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(ScopedModelAdmin):
    list_display = ["title", "meeting", "uploaded_at"]
    list_select_related = ["meeting"]
    search_fields = ["title"]
    autocomplete_fields = ["meeting"]
