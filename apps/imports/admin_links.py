"""Links from an admin list to its sheet: import it through the import pages, download it.

Lists are imported through the import pages (upload, preview of every row, confirm), never
through the admin; the admin list of each importable model links there, and to the download
of the list as the user may see it.
"""

from __future__ import annotations

from django.urls import reverse

from apps.core.import_kinds import import_kind
from apps.imports.services import may_export, may_import


def sheet_links(user, kind_name: str) -> dict[str, str]:
    """The import and download links of a list that ``user`` may follow."""
    kind = import_kind(kind_name)
    if kind is None:
        return {}
    links = {}
    if may_import(user, kind):
        links["import_url"] = reverse("imports:upload", args=[kind.name])
    if may_export(user, kind) and kind.name != "members":
        # Members have the admin's own export button (django-import-export), with the same headers.
        links["xlsx_url"] = reverse("imports:export", args=[kind.name, "xlsx"])
        links["csv_url"] = reverse("imports:export", args=[kind.name, "csv"])
    return links


class SheetLinksMixin:
    """For a ModelAdmin: ``sheet_kind`` names the import kind whose links its list shows."""

    sheet_kind: str = ""
    change_list_template = "admin/change_list_sheet_links.html"

    def changelist_view(self, request, extra_context=None):
        links = sheet_links(request.user, self.sheet_kind)
        return super().changelist_view(request, {**(extra_context or {}), "sheet_links": links})
