"""The meetings pages (/meetings/…): browse, record, attendance, the door sign-in, minutes and files."""

from django.urls import path  # noqa: F401  (each part below adds its paths)

app_name = "meetings"

urlpatterns: list = []
