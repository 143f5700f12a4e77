"""The meetings pages (/meetings/…): browse, record, attendance, the door sign-in, minutes and files."""

from django.urls import path

from apps.meetings.views import browse, record

app_name = "meetings"

urlpatterns: list = []

# Browse and record (the list, the calendar, one meeting, its form, its follow-up tasks).
urlpatterns += [
    path("", browse.meeting_list, name="list"),
    path("calendar/", browse.meeting_calendar, name="calendar"),
    path("unions.json", browse.union_lookup, name="unions"),
    path("<int:pk>/", browse.meeting_detail, name="detail"),
    path("new/", record.meeting_add, name="add"),
    path("<int:pk>/edit/", record.meeting_edit, name="edit"),
    path("tasks/<int:pk>/done/", record.task_done, name="task_done"),
]
