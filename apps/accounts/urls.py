"""The signed-in user's own account pages: the second factor and its recovery codes."""

from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("security/", views.security, name="security"),
    path("security/verify/", views.verify, name="verify"),
    path("security/authenticator/", views.enrol, name="enrol"),
    path("security/recovery-codes/", views.recovery_codes, name="recovery_codes"),
]
