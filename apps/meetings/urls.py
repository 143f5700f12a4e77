"""The meetings pages (/meetings/…): browse, record, attendance, the door sign-in, minutes and files."""

from django.urls import path

from apps.meetings.views import group_meeting

app_name = "meetings"

urlpatterns: list = []

# A union group's regular meeting, recorded from a phone.
urlpatterns += [
    path("groups/<int:group_pk>/new/", group_meeting.group_meeting_add, name="group_meeting_add"),
]
