"""The header every page shares (portal pages and the admin): who is signed in and where they may go.

A context processor (settings.TEMPLATES), so the admin's templates get the same
sections as the portal's. It runs no query: the sections follow from the role and the
permission table (apps.accounts.permissions), and the current one from the URL.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@dataclass(frozen=True)
class Section:
    """A link of the header: its label, its address and whether the page shown belongs to it."""

    label: str
    url: str
    current: bool


def _current(request: HttpRequest) -> tuple[str, str, dict]:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", "", {}
    return match.namespace, match.url_name or "", match.kwargs


def is_own_union_page(user, url_name: str, kwargs: dict) -> bool:
    """The chair's own CĐCS overview ("CĐCS của tôi"), as opposed to the dashboard's pages."""
    return url_name == "union" and user.is_union_chair and str(kwargs.get("pk")) == str(user.union_id)


def sections_for(request: HttpRequest) -> list[Section]:
    """The header's links for the signed-in user, in the order they are shown."""
    user = request.user
    namespace, url_name, kwargs = _current(request)
    own_union = is_own_union_page(user, url_name, kwargs)
    sections = []
    # Leaders' home is the dashboard and chairs' is their CĐCS: "Trang chủ" would be a second link there.
    if user.is_superuser or user.is_district_staff:
        sections.append(Section(_("Home"), reverse("home"), namespace == "" and url_name == "home"))
    if user.is_superuser or user.is_district_staff or user.is_leader:
        sections.append(Section(_("Dashboard"), reverse("dashboard:index"), namespace == "dashboard"))
    if user.is_union_chair and user.union_id:
        sections.append(
            Section(
                pgettext("portal page", "My grassroots union"),
                reverse("dashboard:union", args=[user.union_id]),
                own_union,
            )
        )
    if not user.is_leader:
        sections.append(Section(_("Data entry"), reverse("admin:index"), namespace == "admin"))
    if user.has_perm("imports.view_importjob"):
        sections.append(
            Section(pgettext("portal page", "Excel import and export"), reverse("imports:list"), namespace == "imports")
        )
    return sections


def role_label(user) -> str:
    """The user's role in the active language; a superuser has none and is the administrator."""
    if user.is_superuser and not user.role:
        return pgettext("portal page", "system administrator")
    return user.get_role_display()


def site_navigation(request: HttpRequest) -> dict:
    """``site_sections`` and ``site_role`` for the shared header (templates/includes/site_header.html)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"site_sections": sections_for(request), "site_role": role_label(user)}
