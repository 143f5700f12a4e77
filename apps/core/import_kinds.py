"""The lists the portal can import from a sheet ("kinds"), registered by the app that owns each.

The import pages and background jobs (``apps.imports``) know no list: an app registers an
``ImportKind`` in its ``AppConfig.ready()`` and the pages offer it. Core imports no app, so
the registry lives here and every kind comes to it, never the reverse.

A kind's ``preview`` reads a file and returns a plan without writing anything::

    preview(file, *, filename: str, user, union: str | None = None, sheet: str | None = None) -> plan

``union`` is the target CĐCS's code (always the chair's own for a chair), ``sheet`` the
sheet the user chose. A file refused as a whole raises ``apps.core.sheets.SheetError`` (or
``SheetChoiceNeeded``, whose ``.sheets`` the page offers). The plan has:

- ``counts``: ``{"created", "updated", "unchanged", "rejected"}`` row counts;
- ``problems``: objects with ``.row`` (Excel's row number), ``.column`` (the header as
  written) and ``.message`` (Vietnamese);
- optionally ``table`` (an ``apps.core.sheets.Table``: its ``header_cells`` head the
  rejected-rows sheet) and ``rejected_rows`` (the ``sheets.Row`` objects refused: their
  cells as read, ``table.cells_of(rows)``, are written back). Without them the rejected-rows sheet lists the
  problems alone.

``apply(plan, *, user, file_label: str) -> dict`` writes the plan's accepted rows in one
transaction (all or nothing) and returns the counts written. Either may take a keyword
``progress`` (a ``progress(done, total)`` callable) to move the page's progress bar.
``template(user)`` returns ``(bytes, filename)`` of an empty sheet to fill in (its drop-downs
may depend on the user: a chair's own groups), and ``export(user, extension)`` the download
(a streamed response, ``apps.core.spreadsheets.table_download``) of the records the user may
see as an .xlsx or .csv sheet with the same headers, so an export imports back.
A list declared as an ``apps.core.sheet_lists.SheetList`` becomes a kind with
``ImportKind.for_list``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http.response import HttpResponseBase
from django.utils.functional import Promise


@dataclass(frozen=True)
class ImportKind:
    """One importable list: its name in URLs and commands, its Vietnamese label and its service."""

    name: str
    label: str | Promise
    preview: Callable[..., Any]
    apply: Callable[..., dict]
    template: Callable[[Any], tuple[bytes, str]] | None = None
    # The model permission ("members.add_member") a user needs, besides the right to import.
    permission: str = ""
    export: Callable[[Any, str], HttpResponseBase] | None = None
    # The model permission ("members.view_member") a user needs to export the list.
    export_permission: str = ""
    # Whether rows go to a CĐCS that the upload form may name (not for the list of CĐCS itself).
    targets_union: bool = True

    @classmethod
    def for_list(cls, sheet_list: Any) -> ImportKind:
        """The kind of a list declared once as an ``apps.core.sheet_lists.SheetList``."""
        return cls(
            name=sheet_list.name,
            label=sheet_list.label,
            preview=sheet_list.preview,
            apply=sheet_list.apply,
            template=sheet_list.template,
            permission=sheet_list.permission("add"),
            export=sheet_list.export,
            export_permission=sheet_list.permission("view"),
            targets_union="union" in {field.key for field in sheet_list.fields},
        )

    def takes_progress(self, function: Callable[..., Any]) -> bool:
        """Whether ``function`` (this kind's preview or apply) accepts a ``progress`` callback."""
        try:
            parameters = inspect.signature(function).parameters
        except (TypeError, ValueError):
            return False
        return "progress" in parameters


_KINDS: dict[str, ImportKind] = {}


def register_import_kind(kind: ImportKind) -> ImportKind:
    """Make ``kind`` importable; registering a name again replaces it (apps reload in tests)."""
    _KINDS[kind.name] = kind
    return kind


def unregister_import_kind(name: str) -> None:
    """Forget a kind (tests register fakes and remove them)."""
    _KINDS.pop(name, None)


def import_kind(name: str) -> ImportKind | None:
    """The kind registered under ``name``, or None."""
    return _KINDS.get(name)


def import_kinds() -> list[ImportKind]:
    """Every registered kind, in registration order."""
    return list(_KINDS.values())
