"""The meetings pages (/meetings/…): browse, record, attendance, the door sign-in, minutes and files."""

from django.urls import path

from apps.meetings.views import attendance, group_meeting, sign_in

app_name = "meetings"

urlpatterns = [
    # A union group's regular meeting, recorded from a phone.
    path("groups/<int:group_pk>/new/", group_meeting.group_meeting_add, name="group_meeting_add"),
    # Invitees and attendance, the door QR code and the sign-in sheet (views/attendance.py, views/sign_in.py).
    path("<int:pk>/attendance/", attendance.attendance, name="attendance"),
    path("<int:pk>/door/", attendance.door, name="door"),
    path("<int:pk>/sign-in-sheet/", sign_in.sign_in_sheet, name="sign_in_sheet"),
    path("sign-in/<str:token>/", sign_in.sign_in, name="sign_in"),
]
