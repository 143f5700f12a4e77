"""The meetings pages (/meetings/…): browse, record, attendance, the door sign-in, minutes and files."""

from django.urls import path

from apps.meetings.views import documents, minutes

app_name = "meetings"

urlpatterns: list = []

# The minutes (to print, and as a Word file) and the meeting's photos and files.
urlpatterns += [
    path("<int:pk>/minutes/", minutes.minutes, name="minutes"),
    path("<int:pk>/minutes.docx", minutes.minutes_docx_download, name="minutes_docx"),
    path("<int:pk>/documents/", documents.documents, name="documents"),
    path("documents/<int:pk>/file", documents.document_file, name="document_file"),
    path("documents/<int:pk>/thumbnail", documents.document_thumbnail, name="document_thumbnail"),
    path("documents/<int:pk>/delete", documents.document_delete, name="document_delete"),
]
