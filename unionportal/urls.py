"""URL configuration for unionportal."""

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from apps.core.admin import ScopedAutocompleteJsonView
from apps.core.health import healthz
from apps.dashboard import views as dashboard_views

# A database that does not answer gets its own page (503), not "server error".
handler500 = "apps.core.views.server_error"

admin.site.site_header = _("Union portal")
admin.site.site_title = _("Union portal")
admin.site.index_title = _("Data entry and administration")
_admin_login = admin.site.login


def _login_to_home(request, extra_context=None):
    """Signing in without a page to return to leads to the role's home page, not the admin index."""
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        extra_context = {REDIRECT_FIELD_NAME: reverse("home"), **(extra_context or {})}
    return _admin_login(request, extra_context)


# Before admin.site.urls is read below: its login URL calls this.
admin.site.login = _login_to_home

urlpatterns = [
    # For probes: no login, reveals nothing (apps/core/health.py).
    path("healthz", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own: the same autocomplete, answering 403 for reverse relations.
    path(
        "admin/autocomplete/",
        admin.site.admin_view(ScopedAutocompleteJsonView.as_view(admin_site=admin.site)),
    ),
    path("admin/", admin.site.urls),
    # The signed-in user's own account: the second factor (code page, enrolment, recovery codes).
    path("account/", include("apps.accounts.urls")),
    path("dashboard/", include("apps.dashboard.urls")),
    path("imports/", include("apps.imports.urls")),
    path("meetings/", include("apps.meetings.urls")),
    # A CĐCS's own pages (/cdcs/<id>/…) and the site search (/search/).
    path("", include("apps.portal.urls")),
    path("", dashboard_views.home, name="home"),
]
