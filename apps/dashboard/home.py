"""What district staff find on their home page: what waits for them, what changed lately.

Every list is read through ``visible_to``; the stale declarations are the charter check
"stale_workforce" (apps.dashboard.checks, thresholds in settings.PORTAL_WARNINGS) on
today's figures, worst (oldest, or none at all) first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import models
from django.urls import reverse
from django.utils.translation import pgettext

from apps.dashboard import selectors
from apps.dashboard.checks import HOME_LIST_LENGTH
from apps.dashboard.overview import federation_of
from apps.imports.models import ImportJob
from apps.members.models import Member, TransferRequest
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion

if TYPE_CHECKING:
    from apps.accounts.models import User


@dataclass(frozen=True)
class Listing:
    """The first entries of a list and how many it holds in all."""

    entries: list
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.entries)


def _listing(queryset: models.QuerySet, length: int = HOME_LIST_LENGTH) -> Listing:
    entries = list(queryset[:length])
    # A short first page is the whole list: no second query to count it.
    count = len(entries) if len(entries) < length else queryset.count()
    return Listing(entries, count)


@dataclass(frozen=True)
class Change:
    """One recent change to a record: when, by whom, what was done, to which record, and where to see it."""

    when: datetime
    who: str
    action: str
    kind: str
    label: str
    url: str


@dataclass(frozen=True)
class StaffHome:
    """The district staff's home page."""

    incoming_transfers: Listing
    waiting_imports: Listing
    stale_declarations: Listing
    recent_changes: list[Change]


def incoming_transfers(user: User) -> models.QuerySet[TransferRequest]:
    """Transfers waiting for an answer from a union the user sees (the receiving side answers), oldest first."""
    receiving = GrassrootsUnion.objects.visible_to(user).values("pk")
    return (
        TransferRequest.objects.visible_to(user)
        .pending()
        .filter(to_union__in=receiving)
        .select_related("member", "from_union", "to_union")
        .order_by("effective_on", "pk")
    )


def waiting_imports(user: User) -> models.QuerySet[ImportJob]:
    """The user's own imports checked and waiting for their confirmation (only the uploader confirms)."""
    return (
        ImportJob.objects.visible_to(user)
        .filter(created_by=user, status=ImportJob.Status.PREVIEWED)
        .select_related("union")
        .order_by("-created_at", "-pk")
    )


def stale_declarations(user: User, today: date) -> models.QuerySet[GrassrootsUnion]:
    """Unions whose workforce declaration is missing or too old today, the oldest first."""
    unions = selectors.per_union_figures(as_of=today, user=user, federation=federation_of(user))
    stale = selectors.unions_needing_attention(unions, "stale_workforce", today)
    return stale.order_by(models.F("declared_on").asc(nulls_first=True), "name", "pk")


def _action_label(history_type: str) -> str:
    labels = {
        "+": pgettext("recent change", "Created"),
        "~": pgettext("recent change", "Changed"),
        "-": pgettext("recent change", "Deleted"),
    }
    return labels.get(history_type, "")


def recent_changes(user: User, length: int = HOME_LIST_LENGTH) -> list[Change]:
    """The latest changes to members, unions and groups in the user's scope, newest first (three queries).

    Only versions made while the record was in a union the user sees, of records they see
    now: a member transferred in does not bring the other union's history along (as on
    the admin's history pages), and each entry links to a page that opens.
    """
    unions = GrassrootsUnion.objects.visible_to(user).values("pk")
    sources = [
        (
            Member.history.filter(id__in=Member.objects.visible_to(user).values("pk"), union_id__in=unions),
            Member._meta.verbose_name,
            "full_name",
            "admin:members_member_change",
        ),
        (
            GrassrootsUnion.history.filter(id__in=unions),
            GrassrootsUnion._meta.verbose_name,
            "name",
            "admin:unions_grassrootsunion_change",
        ),
        (
            UnionGroup.history.filter(id__in=UnionGroup.objects.visible_to(user).values("pk"), union_id__in=unions),
            UnionGroup._meta.verbose_name,
            "name",
            "admin:union_groups_uniongroup_change",
        ),
    ]
    changes = []
    for history, kind, label_field, url_name in sources:
        rows = history.select_related("history_user").order_by("-history_date", "-history_id")[:length]
        for row in rows:
            # Imports and commands label their rows with a reason when no one signed in made them.
            who = (row.history_user.get_full_name() or row.history_user.username) if row.history_user else ""
            changes.append(
                Change(
                    when=row.history_date,
                    who=who or row.history_change_reason or "",
                    action=_action_label(row.history_type),
                    kind=str(kind),
                    label=getattr(row, label_field),
                    url=reverse(url_name, args=[row.id]),
                )
            )
    changes.sort(key=lambda change: change.when, reverse=True)
    return changes[:length]


def staff_home(user: User, today: date) -> StaffHome:
    """Everything the staff home page shows, each list in a few queries whatever its length."""
    return StaffHome(
        incoming_transfers=_listing(incoming_transfers(user)),
        waiting_imports=_listing(waiting_imports(user)),
        stale_declarations=_listing(stale_declarations(user, today)),
        recent_changes=recent_changes(user),
    )
