"""Links from an admin list to its sheet: import it through the import pages, download it.

Lists are imported through the import pages (upload, preview of every row, confirm), never
through the admin; the admin list of each importable model links there, and to the download
of the list as the user may see it.
"""

from __future__ import annotations

from django.urls import reverse

from apps.core.import_kinds import import_kind
from apps.imports.services import may_export, may_import


def sheet_links(user, kind_name: str, download_url=None) -> dict[str, str]:
    """The import and download links of a list that ``user`` may follow.

    ``download_url(extension)`` gives a download's address when the list has its own (the admin's
    member list, which keeps its filters); else it is the import pages' export of the whole list.
    """
    kind = import_kind(kind_name)
    if kind is None:
        return {}
    links = {}
    if may_import(user, kind):
        links["import_url"] = reverse("imports:upload", args=[kind.name])
    if may_export(user, kind):
        for extension in ("xlsx", "csv"):
            url = download_url(extension) if download_url else reverse("imports:export", args=[kind.name, extension])
            links[f"{extension}_url"] = url
    return links


class SheetLinksMixin:
    """For a ModelAdmin: ``sheet_kind`` names the import kind whose links its list shows."""

    sheet_kind: str = ""
    change_list_template = "admin/change_list_sheet_links.html"

    def sheet_download_url(self, request, extension: str) -> str | None:
        """The list's own download, if it has one (None: the import pages' export of the whole list)."""
        return None

    def changelist_view(self, request, extra_context=None):
        def download_url(extension: str) -> str:
            own = self.sheet_download_url(request, extension)
            return own or reverse("imports:export", args=[self.sheet_kind, extension])

        links = sheet_links(request.user, self.sheet_kind, download_url)
        return super().changelist_view(request, {**(extra_context or {}), "sheet_links": links})
