"""Reads the meetings pages share: how a meeting's place in its series is worded, who came, open tasks.

Each figure is worked out here once; the list, the calendar, the detail page and the home
pages show what these functions return.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from apps.accounts.models import User
from apps.core.formatting import format_percent, ratio_percent
from apps.meetings.models import Attendance, FollowUpTask, Meeting
from apps.meetings.querysets import ATTENDED

# The model's labels, said with a context (apps/meetings/models.py), so that a meeting's
# words never clash with the same English word used elsewhere ("cancelled" transfers).
STATUS_LABELS = dict(Meeting.Status.choices)
KIND_LABELS = dict(Meeting.Kind.choices)
ROLE_LABELS = dict(Attendance.Role.choices)


def kind_label(kind: str) -> str:
    return str(KIND_LABELS.get(kind, kind))


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def series_label(meeting: Meeting) -> str:
    """The meeting's place in its series, in words: "Tọa đàm thứ 3 năm 2021 của khối Doanh nghiệp ngoài nhà nước".

    Needs ``series_number`` (``Meeting.objects.with_series_number()``) and, for the words
    after "của", the meeting's group, organising CĐCS and sector loaded with it. A cancelled
    meeting has no number: its kind alone is said.
    """
    kind = capfirst(kind_label(meeting.kind))
    number = getattr(meeting, "series_number", None)
    if not number:
        return kind
    label = _("%(kind)s no. %(number)s of %(year)s") % {"kind": kind, "number": number, "year": meeting.held_on.year}
    if meeting.group_id:
        label = _("%(label)s of %(organiser)s") % {"label": label, "organiser": meeting.group.name}
    elif meeting.organiser_union_id:
        label = _("%(label)s of %(organiser)s") % {"label": label, "organiser": meeting.organiser_union.name}
    if meeting.sector_id:
        label = _("%(label)s of the %(sector)s sector") % {"label": label, "sector": meeting.sector.name}
    return label


def organiser_name(meeting: Meeting) -> str:
    """Who holds the meeting: the group (with its CĐCS), the CĐCS, or the federation."""
    if meeting.group_id:
        return f"{meeting.group.name} · {meeting.organiser_union.name}"
    if meeting.organiser_union_id:
        return meeting.organiser_union.name
    return meeting.federation.name


def _headcount(rows: QuerySet) -> Subquery:
    total = rows.order_by().values("meeting").annotate(n=Sum("headcount")).values("n")[:1]
    return Coalesce(Subquery(total, output_field=IntegerField()), Value(0))


def with_attendance_counts(meetings: QuerySet, user) -> QuerySet:
    """Annotate ``invited_count`` and ``attended_count`` (people, a delegation counted by its size).

    Counted over the attendances ``user`` may see, so that the list and the detail page say the same.
    Invited counts those invited; attended, those of them who came (walk-ins are counted apart).
    """
    seen = Attendance.objects.visible_to(user).filter(meeting=OuterRef("pk"), invited=True)
    return meetings.annotate(
        invited_count=_headcount(seen), attended_count=_headcount(seen.filter(presence__in=ATTENDED))
    )


def officials_first() -> Case:
    """The order of a meeting's list: presiding, reporting, secretary, then everyone else (for ``order_by``)."""
    return Case(
        *(When(role=role, then=Value(place)) for place, role in enumerate(Attendance.OFFICIAL_ROLES)),
        default=Value(len(Attendance.OFFICIAL_ROLES)),
    )


def attendance_rate(attended: int, invited: int) -> str:
    """Attended / invited as "95,9 %" (a dash when nobody was invited): the one wording of the rate."""
    return format_percent(ratio_percent(attended, invited))


@dataclass
class AttendanceSummary:
    """A meeting's attendees (those the reader may see), by what is known of their coming."""

    officials: list[Attendance] = field(default_factory=list)
    present: list[Attendance] = field(default_factory=list)
    late: list[Attendance] = field(default_factory=list)
    absent: list[Attendance] = field(default_factory=list)
    walked_in: list[Attendance] = field(default_factory=list)
    not_recorded: list[Attendance] = field(default_factory=list)
    invited: int = 0
    attended: int = 0

    @property
    def recorded(self) -> bool:
        """Whether anyone's coming or not is known yet (before that a rate of 0 % would mislead)."""
        return bool(self.present or self.late or self.absent or self.walked_in)

    @property
    def rate(self) -> str:
        return attendance_rate(self.attended, self.invited)

    @property
    def rate_value(self) -> Decimal | None:
        return ratio_percent(self.attended, self.invited)

    @property
    def groups(self) -> list[tuple[str, str, list[Attendance]]]:
        """(key, heading, people) of each group, in the order a reader looks for them."""
        return [
            ("present", pgettext_lazy("attendance group", "Present"), self.present),
            ("late", pgettext_lazy("attendance group", "Arrived late"), self.late),
            ("absent", pgettext_lazy("attendance group", "Absent"), self.absent),
            ("walked_in", pgettext_lazy("attendance group", "Came without an invitation"), self.walked_in),
            ("not_recorded", pgettext_lazy("attendance group", "Not recorded yet"), self.not_recorded),
        ]


def attendance_summary(attendances: Iterable[Attendance]) -> AttendanceSummary:
    """Sort ``attendances`` (already scoped) into groups and count the rate, once."""
    summary = AttendanceSummary()
    for person in attendances:
        if person.role in Attendance.OFFICIAL_ROLES:
            summary.officials.append(person)
        if person.invited:
            summary.invited += person.headcount
            if person.attended:
                summary.attended += person.headcount
        if person.walked_in:
            summary.walked_in.append(person)
        elif person.presence == Attendance.Presence.PRESENT:
            summary.present.append(person)
        elif person.presence == Attendance.Presence.LATE:
            summary.late.append(person)
        elif person.presence == Attendance.Presence.ABSENT:
            summary.absent.append(person)
        else:
            summary.not_recorded.append(person)
    return summary


def open_tasks_of(user) -> QuerySet[FollowUpTask]:
    """The follow-up tasks ``user`` owns and has not done, soonest due first, with their meeting."""
    if not getattr(user, "is_authenticated", False):
        return FollowUpTask.objects.none()
    return (
        FollowUpTask.objects.visible_to(user)
        .open()
        .filter(owner=user)
        .select_related("meeting")
        .order_by("due_on", "pk")
    )


def account_names(user, accounts: Iterable) -> dict[int, str]:
    """How each of ``accounts`` is named to ``user``: by name if ``user`` may see the account (or is it), else by role.

    Accounts are district staff's to see; a chair or a leader reading a task learns who must do
    it by role ("district staff"), not by name.
    """
    accounts = list(accounts)
    seen = set(
        User.objects.visible_to(user).filter(pk__in=[account.pk for account in accounts]).values_list("pk", flat=True)
    )
    names = {}
    for account in accounts:
        if account.pk in seen or account.pk == getattr(user, "pk", None):
            full_name = account.get_full_name()
            names[account.pk] = f"{full_name} ({account.username})" if full_name else account.username
        else:
            names[account.pk] = capfirst(account.get_role_display()) or "–"
    return names
