"""The meetings pages (/meetings/…): browse, record, attendance, the door sign-in, minutes and files."""

from django.urls import path

from apps.meetings.views import attendance, browse, documents, group_meeting, minutes, record, sign_in

app_name = "meetings"

urlpatterns = [
    # Browse and record (the list, the calendar, one meeting, its form, its follow-up tasks).
    path("", browse.meeting_list, name="list"),
    path("calendar/", browse.meeting_calendar, name="calendar"),
    path("unions.json", browse.union_lookup, name="unions"),
    path("<int:pk>/", browse.meeting_detail, name="detail"),
    path("new/", record.meeting_add, name="add"),
    path("<int:pk>/edit/", record.meeting_edit, name="edit"),
    path("tasks/<int:pk>/done/", record.task_done, name="task_done"),
    # A union group's regular meeting, recorded from a phone.
    path("groups/<int:group_pk>/new/", group_meeting.group_meeting_add, name="group_meeting_add"),
    # Invitees and attendance, the door QR code and the sign-in sheet (views/attendance.py, views/sign_in.py).
    path("<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path("<int:pk>/door/", attendance.door, name="door"),
    path("<int:pk>/sign-in-sheet/", sign_in.sign_in_sheet, name="sign_in_sheet"),
    path("sign-in/<str:token>/", sign_in.sign_in, name="sign_in"),
    # The minutes (to print, and as a Word file) and the meeting's photos and files.
    path("<int:pk>/minutes/", minutes.minutes, name="minutes"),
    path("<int:pk>/minutes.docx", minutes.minutes_docx_download, name="minutes_docx"),
    path("<int:pk>/documents/", documents.documents, name="documents"),
    path("documents/<int:pk>/file", documents.document_file, name="document_file"),
    path("documents/<int:pk>/thumbnail", documents.document_thumbnail, name="document_thumbnail"),
    path("documents/<int:pk>/delete", documents.document_delete, name="document_delete"),
]
