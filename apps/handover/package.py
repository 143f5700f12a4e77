"""What a dissolved CĐCS or an ended federation hands over, as of its last day, and to whom.

The package is read from history, not from today's rows: members whose membership period
covered the last day (a dissolution ends periods *on* the dissolution date, so they are still
in it), officials whose term covered it, groups that existed on it, workforce declarations up
to it. End dates are exclusive (docs/ARCHITECTURE.md): the last day is the day before
``dissolved_on`` / ``ended_on``.

Successors are not modelled yet (issue 16, part 3): the receiving side is the dissolved CĐCS's
federation, or the ended federation's parent, and the pages say so.

Everything is read through ``visible_to(user)``. The package is the federation's work: a
chair gets 404 for their own union's (see :func:`refuse_chairs`); district staff and
leaders (read-only, ID numbers masked) in the federation's scope may read it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import PurePath

from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from apps.accounts.models import PersonalDataAccess
from apps.accounts.permissions import can_see_full_national_id
from apps.accounts.services import personal_data_access_record
from apps.core import spreadsheets
from apps.core.db import vietnamese_order
from apps.core.formatting import format_number
from apps.meetings.models import Meeting, MeetingDocument
from apps.members.imports import member_rows, member_table_columns
from apps.members.models import Gender, MembershipPeriod, UnionOfficial
from apps.members.official_imports import OFFICIAL_LIST
from apps.union_groups.imports import GROUP_LIST
from apps.union_groups.models import UnionGroup
from apps.unions.imports import UnionList, WorkforceList
from apps.unions.models import Decision, Federation, GrassrootsUnion, UnionAffiliation, WorkforceDeclaration

UNION_LIST = UnionList()
WORKFORCE_LIST = WorkforceList()


@dataclass(frozen=True)
class Handover:
    """An ended body (bên giao), the body that receives its records (bên nhận), and its last day."""

    user: object
    giver_name: str
    giver_code: str
    # The federation above the giver, named in the record's heading.
    above: Federation | None
    receiver: Federation | None
    ended_on: date
    union: GrassrootsUnion | None = None
    federation: Federation | None = None
    # The decision that dissolved the CĐCS or ended the federation, named on the record; None if not recorded.
    decision: Decision | None = None
    # The CĐCS this record hands to ``receiver`` when an ended federation's went to several successors.
    only_unions: frozenset[int] | None = None
    # Whether the body's own meeting documents go with this record (with the one to the body above).
    with_documents: bool = True

    @property
    def last_day(self) -> date:
        return self.ended_on - timedelta(days=1)

    def unions(self) -> QuerySet[GrassrootsUnion]:
        """The CĐCS handed over: the dissolved one, or the ended federation's CĐCS that existed on its last day."""
        visible = GrassrootsUnion.objects.visible_to(self.user)
        if self.union is not None:
            return visible.filter(pk=self.union.pk)
        if self.only_unions is not None:
            return visible.filter(pk__in=self.only_unions)
        # As organised on its last day: the CĐCS it held then, wherever they went since.
        held = UnionAffiliation.objects.as_of(self.last_day).filter(federation=self.federation)
        return visible.filter(pk__in=held.values("union_id")).as_of(self.last_day)

    def per_receiver(self) -> list[Handover]:
        """One record per body that took something over: each successor its CĐCS, the body above the rest.

        The successors of an ended federation are read from its CĐCS's periods: those that left it
        on its ending day went to the superior whose period began that day. Without such moves
        (a dissolved CĐCS, a federation ended before moves were dated) it is this one record.
        """
        if self.federation is None:
            return [self]
        moved = UnionAffiliation.objects.filter(
            started_on=self.ended_on,
            union__in=UnionAffiliation.objects.filter(federation=self.federation, ended_on=self.ended_on).values(
                "union_id"
            ),
        ).select_related("federation")
        taken: dict[Federation, set[int]] = {}
        for period in moved:
            taken.setdefault(period.federation, set()).add(period.union_id)
        if not taken:
            return [self]
        records = [
            replace(self, receiver=successor, only_unions=frozenset(unions), with_documents=False)
            for successor, unions in sorted(taken.items(), key=lambda item: item[0].code)
        ]
        handed = set().union(*taken.values())
        rest = frozenset(set(self.unions().values_list("pk", flat=True)) - handed)
        # The body's own files (meeting documents), and any CĐCS no successor took, go to the body above.
        records.append(replace(self, only_unions=rest))
        return records

    def periods(self) -> QuerySet[MembershipPeriod]:
        """Membership periods in force on the last day: one per member handed over."""
        return MembershipPeriod.objects.visible_to(self.user).as_of(self.last_day).filter(union__in=self.unions())

    def officials(self) -> QuerySet[UnionOfficial]:
        return UnionOfficial.objects.visible_to(self.user).as_of(self.last_day).filter(union__in=self.unions())

    def groups(self) -> QuerySet[UnionGroup]:
        return UnionGroup.objects.visible_to(self.user).as_of(self.last_day).filter(union__in=self.unions())

    def declarations(self) -> QuerySet[WorkforceDeclaration]:
        return WorkforceDeclaration.objects.visible_to(self.user).filter(
            union__in=self.unions(), as_of__lte=self.last_day
        )

    def meetings(self) -> QuerySet[Meeting]:
        """The meetings the giver organised up to its last day (a federation's: its own and its CĐCS')."""
        meetings = Meeting.objects.visible_to(self.user).filter(held_on__lte=self.last_day)
        if self.union is not None:
            return meetings.filter(organiser_union=self.union)
        return meetings.filter(federation=self.federation)

    def documents(self) -> QuerySet[MeetingDocument]:
        return MeetingDocument.objects.visible_to(self.user).filter(meeting__in=self.meetings())


def refuse_chairs(user) -> None:
    """A chair never opens a handover package, even their own union's: handing it over is the federation's job."""
    if getattr(user, "is_union_chair", False):
        raise Http404(_("Not found"))


def union_handover(user, union: GrassrootsUnion) -> Handover:
    """The handover of a dissolved CĐCS (``union``, already read in ``user``'s scope) to its federation."""
    refuse_chairs(user)
    if union.dissolved_on is None:
        raise Http404(_("This grassroots union is not dissolved: it has no handover package."))
    federation = union.federation
    return Handover(
        user=user,
        giver_name=union.name,
        giver_code=union.code,
        above=federation,
        receiver=federation,
        ended_on=union.dissolved_on,
        union=union,
        decision=union.dissolution_decision,
    )


def federation_handover(user, federation: Federation) -> Handover:
    """The handover of an ended federation (already read in ``user``'s scope) to its parent federation."""
    refuse_chairs(user)
    if federation.ended_on is None:
        raise Http404(_("This federation has not ended: it has no handover package."))
    return Handover(
        user=user,
        giver_name=federation.name,
        giver_code=federation.code,
        above=federation.parent,
        receiver=federation.parent,
        ended_on=federation.ended_on,
        federation=federation,
        decision=federation.ending_decision,
    )


def handover_counts(handover: Handover) -> list[tuple[str, int]]:
    """What both sides sign for: the counts as of the last day, one query per list."""
    members = handover.periods().aggregate(
        total=Count("member", distinct=True),
        female=Count("member", distinct=True, filter=Q(member__gender=Gender.FEMALE)),
    )
    return [
        (_("Grassroots unions"), handover.unions().count()),
        (_("Members"), members["total"]),
        (_("of whom women"), members["female"]),
        (_("Union officials"), handover.officials().count()),
        (_("Union groups"), handover.groups().count()),
        (_("Workforce declarations"), handover.declarations().count()),
        *([(_("Meeting documents"), handover.documents().count())] if handover.with_documents else []),
    ]


def _group_rows(handover: Handover):
    """The groups sheet: the group list's columns, and the leader in office on the last day."""
    leaders = dict(
        handover.officials()
        .filter(role=UnionOfficial.Role.GROUP_LEADER, group__isnull=False)
        .order_by("started_on")
        .values_list("group_id", "member__full_name")
    )
    groups = GROUP_LIST.objects(handover.user).filter(pk__in=handover.groups().values("pk"))
    for group in groups.iterator(chunk_size=2000):
        row = GROUP_LIST.row_of(group, handover.user)
        yield [*(row[field.key] for field in GROUP_LIST.fields), leaders.get(group.pk, "")]


def _document_rows(handover: Handover):
    kinds = dict(Meeting.Kind.choices)
    documents = handover.documents().select_related("meeting").order_by("meeting__held_on", "meeting_id", "uploaded_at")
    for document in documents.iterator(chunk_size=2000):
        name = PurePath(document.file.name).name
        try:
            size = round(document.file.size / 1024, 1)
        except OSError:  # the file is gone from storage: the list still names it
            size = None
        yield [
            document.meeting.held_on,
            document.meeting.title,
            str(kinds.get(document.meeting.kind, document.meeting.kind)),
            document.title,
            name,
            PurePath(name).suffix.lstrip(".").upper(),
            size,
        ]


def handover_download(request: HttpRequest, handover: Handover) -> StreamingHttpResponse:
    """The package as one .xlsx, a sheet per list, streamed; ID numbers as the reader may see them."""
    user = request.user
    sees_whole_ids = can_see_full_national_id(user)
    periods = handover.periods().order_by("union__code", *vietnamese_order("member__given_name", "member__full_name"))
    if sees_whole_ids:
        personal_data_access_record(
            user=user,
            action=PersonalDataAccess.Action.EXPORT,
            model="members.member",
            record_ids=periods.values_list("member_id", flat=True),
            path=request.path,
        )
    unions = UNION_LIST.objects(user).filter(pk__in=handover.unions().values("pk"))
    officials = OFFICIAL_LIST.objects(user).filter(pk__in=handover.officials().values("pk"))
    declarations = WORKFORCE_LIST.objects(user).filter(pk__in=handover.declarations().values("pk"))
    column = spreadsheets.TableColumn
    sheets = [
        spreadsheets.TableSheet("CĐCS", UNION_LIST.table_columns(), UNION_LIST.rows(unions, user)),
        spreadsheets.TableSheet(
            "Đoàn viên",
            member_table_columns(),
            member_rows(
                periods,
                sees_whole_ids=sees_whole_ids,
                prefix="member__",
                # The CĐCS and group of the period, where the member stood on the last day.
                paths={"union": "union__code", "group": "group__name"},
            ),
        ),
        spreadsheets.TableSheet("Cán bộ công đoàn", OFFICIAL_LIST.table_columns(), OFFICIAL_LIST.rows(officials, user)),
        spreadsheets.TableSheet(
            "Tổ công đoàn", [*GROUP_LIST.table_columns(), column("Tổ trưởng")], _group_rows(handover)
        ),
        spreadsheets.TableSheet(
            "Khai báo lao động", WORKFORCE_LIST.table_columns(), WORKFORCE_LIST.rows(declarations, user)
        ),
        spreadsheets.TableSheet(
            "Tài liệu hội nghị",
            [
                column("Ngày họp", spreadsheets.DATE_FORMAT),
                column("Hội nghị"),
                column("Loại hội nghị"),
                column("Tài liệu"),
                column("Tên tệp"),
                column("Loại tệp"),
                column("Dung lượng (KB)", "#,##0.0"),
            ],
            _document_rows(handover),
        ),
    ]
    filename = spreadsheets.export_filename("Hồ sơ bàn giao", code=handover.giver_code, on=handover.last_day)
    spreadsheets.log_export(user=user, what="handover_package", file_format="xlsx", whole_id_numbers=sees_whole_ids)
    return spreadsheets.workbook_download(sheets, filename=filename)


def handover_page(request: HttpRequest, handover: Handover, *, back_url: str, download_url: str) -> TemplateResponse:
    """The handover records (biên bản bàn giao), one per receiving body, to print on A4; counts as of the last day."""
    records = handover.per_receiver()
    context = {
        "handover": handover,
        "records": [
            (record, [(label, format_number(count)) for label, count in handover_counts(record)]) for record in records
        ],
        "successors_recorded": len(records) > 1,
        "back_url": back_url,
        "download_url": download_url,
    }
    return TemplateResponse(request, "handover/record.html", context)
