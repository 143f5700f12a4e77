"""The role × URL access matrix: every registered admin, every persona, in and out of scope.

The matrix is generated from ``admin.site._registry`` and from the URL resolver, so a new
model or URL fails here until someone says, in this file, who may reach it. What each
persona should see and do is written out below as explicit tables; nothing is computed
by calling ``visible_to`` or ``role_allows``, so a mistake in the code under test cannot
hide itself by also being in the expectation.

The world (one of every kind of row for unions A1, A2 and B1, federation-wide rows for A
and B, the personas' accounts) is built once for the module and each test's writes are
rolled back, as Django's setUpTestData does. Each test collects every deviation it finds
and fails once with the whole list.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import quote
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from apps.accounts.models import PersonalDataAccess, User
from apps.accounts.services import personal_data_access_record
from apps.meetings.models import Attendance, Meeting, MeetingDocument
from apps.members import services
from apps.members.models import TransferRequest, UnionOfficial
from apps.unions.models import Decision, GrassrootsUnion
from tests import factories
from tests.conftest import PASSWORD

LOGIN = reverse("admin:login")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# ---------------------------------------------------------------------------------------
# Expectations, written out by hand.
# ---------------------------------------------------------------------------------------

VIEW = frozenset({"view"})
VIEW_CHANGE = frozenset({"view", "change"})
ALL = frozenset({"view", "add", "change", "delete"})
NOTHING = frozenset()

# What each role may do, model by model, from DESIGN.md and the issues:
# district staff enter and correct everything of their federation and manage accounts, but
# do not create or remove federations, nor edit the sector list that all federations share;
# they record the decisions that found and end federations (issue 16), which no one else opens,
# but may not change or delete one: decisions are shared by every federation;
# leaders read; a chair keeps their own union's data (groups, department unions, workforce,
# members, officials, meetings with their attendance and documents) and the union's own
# profile, nothing about federations, sectors or accounts. Transfers are seen by both
# unions and answered through their own page (with the right to change members), never
# edited as records. Membership history is written by the lifecycle services only
# ("history is kept, never overwritten"), so it is view-only for every role, as is a CĐCS's
# history under its superiors (unions_move writes it); the audit log
# of ID-number access is for district staff to read.
EXPECTED_ROLE_ACTIONS: dict[str, dict[str, frozenset[str]]] = {
    "staff": {
        "unions.federation": VIEW_CHANGE,
        "unions.decision": frozenset({"view", "add"}),
        "unions.sector": VIEW,
        "unions.grassrootsunion": ALL,
        "unions.departmentunion": ALL,
        "unions.workforcedeclaration": ALL,
        "unions.unionaffiliation": VIEW,
        "union_groups.uniongroup": ALL,
        "members.member": ALL,
        "members.membershipperiod": VIEW,
        "members.unionofficial": ALL,
        "meetings.meeting": ALL,
        "meetings.attendance": ALL,
        "meetings.meetingdocument": ALL,
        "members.transferrequest": VIEW,
        "accounts.user": ALL,
        "accounts.personaldataaccess": VIEW,
    },
    "leader": {
        "unions.federation": VIEW,
        "unions.sector": VIEW,
        "unions.grassrootsunion": VIEW,
        "unions.departmentunion": VIEW,
        "unions.workforcedeclaration": VIEW,
        "unions.unionaffiliation": VIEW,
        "union_groups.uniongroup": VIEW,
        "members.member": VIEW,
        "members.membershipperiod": VIEW,
        "members.unionofficial": VIEW,
        "meetings.meeting": VIEW,
        "meetings.attendance": VIEW,
        "meetings.meetingdocument": VIEW,
        "members.transferrequest": VIEW,
    },
    "chair": {
        "unions.grassrootsunion": VIEW_CHANGE,
        "unions.departmentunion": ALL,
        "unions.workforcedeclaration": ALL,
        "unions.unionaffiliation": VIEW,
        "union_groups.uniongroup": ALL,
        "members.member": ALL,
        "members.membershipperiod": VIEW,
        "members.unionofficial": ALL,
        "meetings.meeting": ALL,
        "meetings.attendance": ALL,
        "meetings.meetingdocument": ALL,
        "members.transferrequest": VIEW,
    },
    # An account without a role (possible: the role is optional) may do nothing at all.
    "": {},
}

# Actions an admin refuses to everyone, superusers included (read-only logs and history;
# django-axes' records are made by logins, never by hand).
ADMIN_REFUSES: dict[str, frozenset[str]] = {
    "members.membershipperiod": frozenset({"add", "change", "delete"}),
    "accounts.personaldataaccess": frozenset({"add", "change", "delete"}),
    "members.transferrequest": frozenset({"add", "delete"}),
    "axes.accessattempt": frozenset({"add"}),
    "axes.accesslog": frozenset({"add"}),
    "axes.accessfailurelog": frozenset({"add"}),
}

PERSONAS = ["anonymous", "superuser", "staff_a", "leader_a", "chair_a1", "chair_b1", "staff_b", "no_role"]
ROLE_OF = {
    "superuser": None,
    "staff_a": "staff",
    "leader_a": "leader",
    "chair_a1": "chair",
    "chair_b1": "chair",
    "staff_b": "staff",
    "no_role": "",
}

# Whose rows each persona may see. Owners: a union ("A1", "A2", "B1"), a federation ("A",
# "B": federation-wide rows such as the federation itself, its own meetings, its accounts
# and its ID-access log), "*" for shared rows that no union owns (sectors, permission
# groups, login records: only the permission decides) and "root" for rows only a
# superuser sees (superuser accounts, accounts with no federation).
SCOPE: dict[str, frozenset[str]] = {
    "anonymous": frozenset(),
    "superuser": frozenset({"A1", "A2", "B1", "A", "B", "*", "root"}),
    "staff_a": frozenset({"A1", "A2", "A", "*"}),
    "leader_a": frozenset({"A1", "A2", "A", "*"}),
    "chair_a1": frozenset({"A1", "*"}),
    "chair_b1": frozenset({"B1", "*"}),
    "staff_b": frozenset({"B1", "B", "*"}),
    "no_role": frozenset({"*"}),
}

# Names a persona may read although it cannot list the rows: a chair's own union page
# shows which federation the union belongs to.
MAY_MENTION: dict[str, frozenset[str]] = {
    "chair_a1": frozenset({"A"}),
    "chair_b1": frozenset({"B"}),
}

# Roles that see whole national ID numbers (leaders see the last four digits).
SEES_FULL_NATIONAL_ID = {"superuser", "staff_a", "chair_a1", "chair_b1", "staff_b"}

# Admin URL names (without "<app>_<model>_"), by what they do. A name not listed here
# fails the matrix until someone says what it should answer.
MODEL_LEVEL_KINDS = {"changelist", "add", "import", "process_import", "export"}
# The member's lifecycle pages, and the member status each is offered for.
LIFECYCLE = {"move_group": "active", "transfer": "active", "leave": "active", "rejoin": "left"}
# "file" is a meeting document's download, the only way to its file; "members_xlsx" and
# "roster_xlsx" are a CĐCS's member list and a group's roster as sheets, "members_print",
# "roster_print" and "cards_print" the same lists and the CĐCS's member cards as pages to print.
DOWNLOADS = {"file", "members_xlsx", "roster_xlsx", "members_print", "roster_print", "cards_print"}
# The handover package of a dissolved CĐCS or an ended federation (a workbook and a record to
# print): the world's unions and federations are neither, so in scope it is 404 too; a chair's
# is always 404 (tests/handover/test_handover.py covers the package itself).
HANDOVER = {"handover_xlsx", "handover_print"}
# Reorganising a superior union (end it, move its CĐCS) and the sheet to map them: for whoever
# may change federations, of one not yet ended (tests/unions/test_reorganise.py covers the rest).
REORGANISE = {"reorganise", "reorganise_mapping"}
OBJECT_LEVEL_KINDS = {
    "change",
    "delete",
    "history",
    "simple_history",
    "decide",
    "password_change",
    *DOWNLOADS,
    *HANDOVER,
    *REORGANISE,
    *LIFECYCLE,
}
EXTRA_MODEL_URLS = {"auth_user_password_change": "password_change"}
# The object pages that show the row's own data.
DATA_PAGES = {"change", "history", "simple_history", *DOWNLOADS}
# Object URLs also POSTed to: only where the answer must be a refusal (403/404), so the
# matrix never changes what it then goes on to check.
POSTED_KINDS = {"change", "delete", "decide", "password_change", *LIFECYCLE}


def allowed_actions(persona: str, label: str) -> frozenset[str]:
    if persona == "anonymous":
        return NOTHING
    granted = ALL if persona == "superuser" else EXPECTED_ROLE_ACTIONS[ROLE_OF[persona]].get(label, NOTHING)
    return granted - ADMIN_REFUSES.get(label, NOTHING)


def can_view(persona: str, label: str) -> bool:
    return bool(allowed_actions(persona, label) & {"view", "change"})


# Rows no union owns, kept by Django's and django-axes' own admins (or a plain ModelAdmin).
SHARED_LABELS = {"unions.sector", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


NOWHERE = frozenset({"nowhere"})  # the owners of an id that does not exist


def expected_status(
    persona: str, label: str, kind: str, owners: frozenset[str] | None = None, entry: Entry | None = None
) -> frozenset[int]:
    """The status the admin should answer for a URL kind ("change", "change_post" …) and a row's owners."""
    if persona == "anonymous":
        return frozenset({302})
    if owners == NOWHERE and label in SHARED_LABELS:
        # Not the portal's scoped admin: Django's default redirects to the admin index with
        # "does not exist" once the permission check (if it comes first) has passed.
        if kind == "history":
            return frozenset({302})
        found = expected_status(persona, label, kind, frozenset({"*"}))
        return frozenset(302 if status in (200, 404) else status for status in found)
    actions = allowed_actions(persona, label)
    in_scope = bool((owners or frozenset()) & SCOPE[persona])
    # A row a persona only reads (a meeting their CĐCS was invited to) is not theirs to change.
    read_only = in_scope and entry is not None and not entry.may_change(persona)
    viewable = can_view(persona, label)
    match kind:
        case "changelist":
            return frozenset({200 if viewable else 403})
        case "add" | "import" | "process_import":
            return frozenset({200 if "add" in actions else 403})
        case "export":
            return frozenset({200 if "view" in actions else 403})
        case "change" | "file" | "members_xlsx" | "roster_xlsx" | "members_print" | "roster_print" | "cards_print":
            # Django checks the permission before it looks the object up (and so do the downloads).
            return frozenset({403 if not viewable else 200 if in_scope else 404})
        case "handover_xlsx" | "handover_print":
            return frozenset({403 if not viewable else 404})
        case "reorganise" | "reorganise_mapping":
            # Looked up like any object page (permission to view, then scope); then the right to change.
            if not viewable:
                return frozenset({403})
            if not in_scope:
                return frozenset({404})
            return frozenset({200 if "change" in actions else 403})
        case "change_post":
            # An empty POST re-displays the form (200), or saves a form of read-only fields (302).
            if "change" not in actions or read_only:
                return frozenset({403})
            return frozenset({200, 302} if in_scope else {404})
        case "simple_history":
            # One past version of a record (django-simple-history): scope first, then permission.
            if not in_scope:
                return frozenset({404})
            return frozenset({200} if viewable else {403, 404})
        case kind if kind.removesuffix("_post") in LIFECYCLE:
            # Looked up in scope first; then the right to change; then the member's status.
            if not in_scope:
                return frozenset({404})
            if "change" not in actions:
                return frozenset({403})
            fits = entry is not None and entry.status == LIFECYCLE[kind.removesuffix("_post")]
            return frozenset({200} if fits else {404})
        case "decide" | "decide_post":
            # Answering a transfer takes the right to change members; only a pending one.
            if not in_scope or entry is None or entry.status != TransferRequest.Status.PENDING:
                return frozenset({404})
            return frozenset({200} if "change" in allowed_actions(persona, "members.member") else {403})
        case "password_change" | "password_change_post":
            return frozenset({403 if "change" not in actions else 200 if in_scope else 404})
        case "delete" | "delete_post":
            if "delete" not in actions or read_only:
                return frozenset({403})
            return frozenset({200 if kind == "delete" else 302} if in_scope else {404})
        case "history":
            # Django looks the object up first: out of scope is 404 whatever the permission;
            # in scope without permission is 403, or 404 where the scoped queryset of a
            # model the role cannot see is already empty.
            if not in_scope:
                return frozenset({404})
            return frozenset({200} if viewable else {403, 404})
    raise AssertionError(f"no expectation for URL kind {kind!r}")


# ---------------------------------------------------------------------------------------
# The world: one of everything for A1, A2 and B1, federation-wide rows for A and B.
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    label: str
    owners: frozenset[str]  # a transfer belongs to both its unions
    obj: models.Model
    markers: tuple[str, ...]  # text that must not reach a persona who may not see this row
    search: str = ""  # a term that finds this row in its changelist search
    national_ids: tuple[str, ...] = ()  # whole ID numbers: hidden from leaders even in scope
    status: str = ""  # a member's or a transfer's status, for the pages offered by status
    readers: frozenset[str] = frozenset()  # owners who may see the row but not change it (an invited CĐCS)

    def may_change(self, persona: str) -> bool:
        return bool((self.owners - self.readers) & SCOPE[persona])

    @property
    def owner(self) -> str:
        return "+".join(sorted(self.owners))

    def in_scope(self, persona: str) -> bool:
        return bool(self.owners & SCOPE[persona])


@dataclass
class World:
    entries: list[Entry]
    users: dict[str, User]
    unions: dict[str, GrassrootsUnion]
    by_owner: dict[tuple[str, str], Entry] = field(default_factory=dict)

    def __post_init__(self):
        for entry in self.entries:
            self.by_owner.setdefault((entry.label, entry.owner), entry)  # the first, plainest row

    def of(self, label: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.label == label]

    def get(self, label: str, owner: str):
        return self.by_owner[(label, owner)].obj

    def visible(self, persona: str, entry: Entry) -> bool:
        return persona != "anonymous" and entry.in_scope(persona) and can_view(persona, entry.label)

    def forbidden_markers(self, persona: str) -> set[str]:
        """Text of rows ``persona`` may not see, minus what a row it may see shows too."""
        own_user = self.users.get(persona)
        mentionable = MAY_MENTION.get(persona, frozenset())
        forbidden, allowed, national_ids = set(), set(), set()
        for entry in self.entries:
            national_ids.update(entry.national_ids)
            if self.visible(persona, entry) or (own_user is not None and entry.obj == own_user):
                allowed.update(entry.markers)
                if persona in SEES_FULL_NATIONAL_ID:
                    allowed.update(entry.national_ids)
            elif not (entry.label == "unions.federation" and entry.owners <= mentionable):
                forbidden.update(entry.markers)
        if persona not in SEES_FULL_NATIONAL_ID:
            return (forbidden - allowed) | national_ids
        return (forbidden | national_ids) - allowed

    def counterpart_union_names(self, persona: str) -> set[str]:
        """Names of the unions on the other side of the transfers ``persona`` sees."""
        names = set()
        for entry in self.of("members.transferrequest"):
            if self.visible(persona, entry):
                names |= {entry.obj.from_union.name, entry.obj.to_union.name}
        return names


def label_of(model) -> str:
    return model._meta.label_lower


NATIONAL_IDS = {"A1": "001186000101", "A2": "001186000202", "B1": "079186000303"}
LEFT_NATIONAL_IDS = {"A1": "001186000404", "A2": "001186000505", "B1": "079186000606"}


def group_of(entries: list[Entry], tag: str):
    return next(e.obj for e in entries if e.label == "union_groups.uniongroup" and e.owners == {tag})


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction that is rolled back at its end; each
    test runs in a savepoint of its own (Django's setUpTestData, for pytest)."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = _build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _rolled_back_after_each_test(db):
    """Whatever a test writes into the world is undone before the next one."""


def _build_world() -> World:
    # The federations, unions and personas of tests/conftest.py (same codes, names and
    # usernames), plus a chair for B1 and an account without a role.
    federation_a = factories.FederationFactory(code="HBT", name="Liên đoàn Lao động quận Hai Bà Trưng")
    federation_b = factories.FederationFactory(code="DD", name="Liên đoàn Lao động quận Đống Đa")
    union_a1 = factories.GrassrootsUnionFactory(
        federation=federation_a,
        code="A1",
        name="Công đoàn Trường THCS Ngô Quyền",
        employer_name="Trường THCS Ngô Quyền",
    )
    union_a2 = factories.GrassrootsUnionFactory(
        federation=federation_a, code="A2", name="Công đoàn Công ty CP May Thăng Long", employer_name="May Thăng Long"
    )
    union_b1 = factories.GrassrootsUnionFactory(
        federation=federation_b, code="B1", name="Công đoàn Bệnh viện Đống Đa", employer_name="Bệnh viện Đống Đa"
    )
    superuser = User.objects.create_superuser("quantri", "quantri@example.org", PASSWORD)
    district_staff = factories.UserFactory(username="canbo", role=User.Role.DISTRICT_STAFF, federation=federation_a)
    leader = factories.UserFactory(username="lanhdao", role=User.Role.LEADER, federation=federation_a)
    chair_a1 = factories.UserFactory(username="chutich_a1", role=User.Role.UNION_CHAIR, union=union_a1)
    chair_a2 = factories.UserFactory(username="chutich_a2", role=User.Role.UNION_CHAIR, union=union_a2)
    chair_b1 = factories.UserFactory(username="chutich_b1", role=User.Role.UNION_CHAIR, union=union_b1)
    staff_b = factories.UserFactory(username="canbo_b", role=User.Role.DISTRICT_STAFF, federation=federation_b)
    no_role_user = factories.UserFactory(username="khong_vai_tro", role="")

    entries: list[Entry] = []

    def add(owner, obj, *markers, search="", national_ids=(), status="", readers=""):
        owners = frozenset(owner.split("+"))
        entries.append(
            Entry(
                label_of(type(obj)),
                owners,
                obj,
                tuple(markers),
                search,
                tuple(national_ids),
                status,
                frozenset(readers.split("+")) - {""},
            )
        )
        return obj

    federations = {"A": federation_a, "B": federation_b}
    unions = {"A1": union_a1, "A2": union_a2, "B1": union_b1}
    for owner, federation in federations.items():
        add(owner, federation, federation.name, search=federation.name)
    sector = union_a1.sector
    add("*", sector, search=sector.name)
    # The decisions that found and end federations: a shared record, for district staff only.
    decision = Decision.objects.create(
        number="77/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 26), issuer="Ban Thường vụ LĐLĐ thành phố"
    )
    add("*", decision, search=decision.number)

    members = {}
    for tag, union in unions.items():
        add(tag, union, union.name, search=union.name)
        department = add(
            tag,
            factories.DepartmentUnionFactory(union=union, name=f"Công đoàn bộ phận {tag}"),
            f"Công đoàn bộ phận {tag}",
            search=union.name,  # the admin's folded search looks at the union only
        )
        group = add(
            tag,
            factories.UnionGroupFactory(union=union, department_union=department, name=f"Tổ công đoàn {tag}"),
            f"Tổ công đoàn {tag}",
            search=union.name,  # the admin's folded search looks at the union only
        )
        add(
            tag,
            factories.WorkforceDeclarationFactory(union=union, note=f"Khai báo lao động {tag}"),
            f"Khai báo lao động {tag}",
            search=union.name,
        )
        member = factories.MemberFactory(
            union=union, group=group, full_name=f"Đoàn Viên {tag}", national_id=NATIONAL_IDS[tag]
        )
        members[tag] = member
        add(tag, member, member.full_name, search=member.full_name, national_ids=[NATIONAL_IDS[tag]], status="active")
        add(tag, member.periods.get(), member.full_name, search=member.full_name)
        add(
            tag,
            factories.UnionOfficialFactory(member=member, union=union, role=UnionOfficial.Role.CHAIR),
            member.full_name,
            search=member.full_name,
        )
        meeting = factories.MeetingFactory(
            federation=union.federation,
            organiser_union=union,
            group=group,
            kind=Meeting.Kind.GROUP_MEETING,
            title=f"Họp định kỳ {tag}",
            topics=f"Nội dung họp {tag}",
        )
        meeting.participating_unions.add(union)
        add(tag, meeting, meeting.title, meeting.topics, search=meeting.title)
        add(
            tag,
            factories.AttendanceFactory(meeting=meeting, member=member, name=f"Người dự họp {tag}"),
            f"Người dự họp {tag}",
            search=f"Người dự họp {tag}",
        )
        add(
            tag,
            MeetingDocument.objects.create(
                meeting=meeting,
                title=f"Biên bản họp {tag}",
                file=ContentFile(b"bien ban", name=f"tai-lieu-{tag}.txt"),
            ),
            f"Biên bản họp {tag}",
            f"tai-lieu-{tag}",
            search=f"Biên bản họp {tag}",
        )

    for tag, union in unions.items():
        # A member who left: the page to take them back is offered, the others are not.
        left = factories.MemberFactory(
            union=union, full_name=f"Đoàn Viên Đã Nghỉ {tag}", national_id=LEFT_NATIONAL_IDS[tag]
        )
        services.member_leave(member=left, on=dt.date(2021, 6, 1), reason=f"Nghỉ việc {tag}")
        add(tag, left, left.full_name, search=left.full_name, national_ids=[LEFT_NATIONAL_IDS[tag]], status="left")
        add(tag, left.periods.get(), left.full_name, f"Nghỉ việc {tag}", search=left.full_name)

    # Transfers between A1 and A2: one waiting for A2's answer, one accepted by A1.
    leaving = factories.MemberFactory(union=union_a1, full_name="Người Chờ Chuyển A1", national_id="001186000111")
    add("A1", leaving, leaving.full_name, search=leaving.full_name, national_ids=["001186000111"], status="active")
    add("A1", leaving.periods.get(), leaving.full_name, search=leaving.full_name)
    pending = services.transfer_request(
        member=leaving, to_union=union_a2, on=dt.date(2022, 3, 1), actor=chair_a1, note="Xin chuyển sang A2"
    )
    add("A1+A2", pending, "Xin chuyển sang A2", search=leaving.full_name, status=pending.status)
    group_a2 = group_of(entries, "A2")
    arrived = factories.MemberFactory(
        union=union_a2, group=group_a2, full_name="Người Đã Chuyển A2", national_id="001186000222"
    )
    accepted = services.transfer_request(
        member=arrived, to_union=union_a1, on=dt.date(2021, 9, 1), actor=chair_a2, note="Chuyển về A1"
    )
    services.transfer_accept(transfer=accepted, actor=chair_a1, group=group_of(entries, "A1"))
    arrived.refresh_from_db()
    accepted.refresh_from_db()
    add("A1", arrived, arrived.full_name, search=arrived.full_name, national_ids=["001186000222"], status="active")
    for period in arrived.periods.order_by("started_on"):
        owner = "A2" if period.union_id == union_a2.pk else "A1"
        add(owner, period, arrived.full_name, search=arrived.full_name)
    add("A1+A2", accepted, "Chuyển về A1", search=arrived.full_name, status=accepted.status)

    for owner, federation, staff in (("A", federation_a, district_staff), ("B", federation_b, staff_b)):
        meeting = factories.MeetingFactory(
            federation=federation, organiser_union=None, title=f"Tọa đàm toàn quận {owner}-{federation.code}"
        )
        # Invited: the federation's first CĐCS (its chair sees the meeting), not A2.
        invited, reader = f"{owner}+{owner}1", f"{owner}1"
        meeting.participating_unions.add(unions[f"{owner}1"])
        add(invited, meeting, meeting.title, search=meeting.title, readers=reader)
        add(
            owner,
            factories.AttendanceFactory(meeting=meeting, name=f"Đại biểu quận {federation.code}"),
            f"Đại biểu quận {federation.code}",
            search=f"Đại biểu quận {federation.code}",
        )
        # The officials on the minutes: everyone who sees the meeting sees them.
        add(
            invited,
            factories.AttendanceFactory(
                meeting=meeting, name=f"Chủ trì quận {federation.code}", role=Attendance.Role.PRESIDING
            ),
            f"Chủ trì quận {federation.code}",
            search=f"Chủ trì quận {federation.code}",
            readers=reader,
        )
        add(
            invited,
            MeetingDocument.objects.create(
                meeting=meeting,
                title=f"Kết luận tọa đàm {federation.code}",
                file=ContentFile(b"ket luan", name=f"ket-luan-{federation.code}.txt"),
            ),
            f"Kết luận tọa đàm {federation.code}",
            search=f"Kết luận tọa đàm {federation.code}",
            readers=reader,
        )
        access = personal_data_access_record(
            user=staff,
            action=PersonalDataAccess.Action.VIEW,
            model="members.member",
            record_ids=[members[f"{owner}1"].pk],
            path=f"/dau-vet-{federation.code}/",
        )
        add(owner, access, f"/dau-vet-{federation.code}/", search=staff.username)

    users = {
        "chair_a2": chair_a2,
        "superuser": superuser,
        "staff_a": district_staff,
        "leader_a": leader,
        "chair_a1": chair_a1,
        "chair_b1": chair_b1,
        "staff_b": staff_b,
        "no_role": no_role_user,
    }
    user_owners = [
        ("root", superuser),
        ("A", district_staff),
        ("A", leader),
        ("A", chair_a1),
        ("A", chair_a2),
        ("B", chair_b1),
        ("B", staff_b),
        ("root", no_role_user),
    ]
    for owner, user in user_owners:
        # Usernames overlap ("canbo" is part of "canbo_b"); the last name is a unique marker.
        user.last_name = f"TK[{user.username}]"
        user.save(update_fields=["last_name"])
        add(owner, user, user.last_name, search=user.last_name)

    login_record = {"user_agent": "Trình duyệt thử", "http_accept": "*/*", "path_info": "/admin/login/"}
    add(
        "*",
        AccessAttempt.objects.create(
            username="ke-do-tham-1",
            ip_address="10.9.9.1",
            get_data="",
            post_data="",
            failures_since_start=3,
            **login_record,
        ),
        "ke-do-tham-1",
        search="ke-do-tham-1",
    )
    add(
        "*",
        AccessLog.objects.create(username="ke-do-tham-2", ip_address="10.9.9.2", **login_record),
        "ke-do-tham-2",
        search="ke-do-tham-2",
    )
    add(
        "*",
        AccessFailureLog.objects.create(username="ke-do-tham-3", ip_address="10.9.9.3", **login_record),
        "ke-do-tham-3",
        search="ke-do-tham-3",
    )

    all_markers = [marker for entry in entries for marker in (*entry.markers, *entry.national_ids)]
    clashes = {(a, b) for a in set(all_markers) for b in set(all_markers) if a != b and a in b}
    assert not clashes, f"markers must not contain one another: {sorted(clashes)}"
    return World(entries=entries, users=users, unions=unions)


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------

REGISTERED = sorted(admin.site._registry, key=label_of)


def model_url_names(model_admin) -> tuple[dict[str, str], list[str]]:
    """URL kind -> URL name for one model admin, and the names this matrix does not know."""
    opts = model_admin.opts
    prefix = f"{opts.app_label}_{opts.model_name}_"
    kinds, unknown = {}, []
    for pattern in model_admin.get_urls():
        if pattern.name is None:  # the bare "<id>/" redirect to the change page
            continue
        kind = EXTRA_MODEL_URLS.get(pattern.name) or pattern.name.removeprefix(prefix)
        if kind in MODEL_LEVEL_KINDS | OBJECT_LEVEL_KINDS:
            kinds[kind] = pattern.name
        else:
            unknown.append(pattern.name)
    return kinds, unknown


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if response.status_code == 200 and response.get("Content-Type", "").startswith(XLSX):
        return _xlsx_text(raw)  # the cells, where a leak would be (the file is a zip)
    if response.status_code == 200 and response.get("Content-Type", "").startswith(DOCX):
        return _docx_text(raw)  # the minutes' paragraphs and tables (the file is a zip too)
    text = raw.decode("utf-8", errors="replace")
    if response.get("Content-Type", "").startswith("application/json"):
        text += json.dumps(json.loads(text), ensure_ascii=False)
    return text


class Probe:
    """Requests as one persona; records every unexpected status and every leaked marker."""

    def __init__(self, client, persona: str, world: World):
        self.client = client
        self.persona = persona
        self.world = world
        self.forbidden = world.forbidden_markers(persona)
        self.problems: list[str] = []
        client.raise_request_exception = False
        if persona != "anonymous":
            client.force_login(world.users[persona])

    def __call__(
        self, method: str, url: str, expected, data=None, what: str = "", to_login: bool = True, echo: str = ""
    ):
        response = getattr(self.client, method)(url, data or {})
        status = response.status_code
        where = f"{method.upper()} {url}" + (f" [{what}]" if what else "")
        if status not in expected:
            detail = f": {response.exc_info[1]!r}" if getattr(response, "exc_info", None) else ""
            self.problems.append(f"{where}: expected {sorted(expected)}, got {status}{detail}")
        if to_login and status == 302 and self.persona == "anonymous" and not response.url.startswith(LOGIN):
            self.problems.append(f"{where}: anonymous redirected to {response.url}, not to the login page")
        if status != 500:
            body = body_of(response)
            if echo:  # what the request itself sent back, such as the search box
                body = body.replace(echo, "")
            leaked = sorted(marker for marker in self.forbidden if marker in body)
            if leaked:
                self.problems.append(f"{where}: answer ({status}) shows out-of-scope data {leaked}")
        return response

    def fail_if_any(self):
        if self.problems:
            pytest.fail(f"{len(self.problems)} access problem(s) as {self.persona}:\n  " + "\n  ".join(self.problems))


def result_pks(response) -> set:
    return {obj.pk for obj in response.context["cl"].result_list}


# ---------------------------------------------------------------------------------------
# Coverage: every registered model and every URL has an expectation
# ---------------------------------------------------------------------------------------


def test_every_registered_model_is_in_the_world(world):
    missing = [label_of(model) for model in REGISTERED if not world.of(label_of(model))]
    assert not missing, "\n".join(f"add {label} to the access matrix world" for label in missing)


def test_every_admin_url_is_in_the_matrix():
    unknown = [name for model in REGISTERED for name in model_url_names(admin.site._registry[model])[1]]
    assert not unknown, f"add these admin URLs to MODEL_LEVEL_KINDS/OBJECT_LEVEL_KINDS of the access matrix: {unknown}"


def test_every_registered_model_has_an_expectation_for_every_role():
    # A model that no role table mentions is refused to everyone but superusers; that is a
    # decision, so it must be written down here rather than happen by omission.
    declared = set().union(*EXPECTED_ROLE_ACTIONS.values()) | set(ADMIN_REFUSES) | DECLARED_SUPERUSER_ONLY
    missing = sorted(label_of(model) for model in REGISTERED if label_of(model) not in declared)
    assert not missing, f"say in EXPECTED_ROLE_ACTIONS (or DECLARED_SUPERUSER_ONLY) who may use: {missing}"


# Registered by Django and django-axes, for superusers only.
DECLARED_SUPERUSER_ONLY = {"axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


@pytest.mark.parametrize("persona", ["staff_a", "leader_a", "chair_a1"], ids=["staff", "leader", "chair"])
def test_role_permissions_match_the_matrix(world, persona):
    """apps/accounts/permissions.py grants what the expectation table says, no more, no less."""
    user = world.users[persona]
    role = ROLE_OF[persona]
    labels = {label_of(model) for model in REGISTERED}
    differences = []
    for label in sorted(labels):
        app_label, model_name = label.split(".")
        for action in ("view", "add", "change", "delete"):
            granted = user.has_perm(f"{app_label}.{action}_{model_name}")
            expected = action in EXPECTED_ROLE_ACTIONS[role].get(label, NOTHING)
            if granted != expected:
                differences.append(f"{role} {action} {label}: permissions.py says {granted}, the matrix {expected}")
    assert not differences, "\n".join(differences)


# ---------------------------------------------------------------------------------------
# The admin matrix: persona × registered model × URL × object
# ---------------------------------------------------------------------------------------


# chair_b1 mirrors chair_a1 in the other federation; the autocomplete, site and dashboard
# tests run as both, the full admin matrix as chair_a1 only (to keep the run short).
MATRIX_PERSONAS = [persona for persona in PERSONAS if persona != "chair_b1"]


def _matrix_params():
    for persona in MATRIX_PERSONAS:
        for model in REGISTERED:
            yield pytest.param(persona, label_of(model), id=f"{persona}-{label_of(model)}")


@pytest.mark.parametrize(("persona", "label"), list(_matrix_params()))
def test_admin_access(client, world, persona, label):
    model = next(model for model in REGISTERED if label_of(model) == label)
    model_admin = admin.site._registry[model]
    urls, _unknown = model_url_names(model_admin)
    entries = world.of(label)
    if not entries:
        pytest.fail(f"add {label} to the access matrix world")
    probe = Probe(client, persona, world)
    world_pks = {entry.obj.pk for entry in entries}
    in_scope = [entry for entry in entries if entry.in_scope(persona)]
    out_of_scope = [entry for entry in entries if not entry.in_scope(persona)]
    if label in ("members.transferrequest", "members.member"):
        # A transfer, and the transferred member's page, name the union on the other side.
        probe.forbidden -= world.counterpart_union_names(persona)

    def url(kind, *args):
        return reverse(f"admin:{urls[kind]}", args=[quote(arg) for arg in args])

    # The list, and its search.
    changelist = url("changelist")
    expected = expected_status(persona, label, "changelist")
    response = probe("get", changelist, expected)
    if response.status_code == 200:
        want = {entry.obj.pk for entry in in_scope}
        got = result_pks(response) & world_pks
        if got != want:
            probe.problems.append(f"GET {changelist}: lists {sorted(got)}, expected {sorted(want)}")
        if model_admin.get_search_fields(response.wsgi_request):
            # Every out-of-scope row, and one in-scope row to show the search finds anything.
            for entry in out_of_scope + in_scope[:1]:
                if not entry.search:
                    continue
                found = probe(
                    "get", changelist, expected, {"q": entry.search}, what=f"search {entry.owner}", echo=entry.search
                )
                if found.status_code != 200:
                    continue
                hits = result_pks(found)
                if entry.in_scope(persona) and entry.obj.pk not in hits:
                    probe.problems.append(f"search {entry.search!r} on {changelist} misses an in-scope row")
                stray = hits & {other.obj.pk for other in out_of_scope}
                if stray:
                    probe.problems.append(f"search {entry.search!r} on {changelist} finds out-of-scope rows {stray}")
    else:
        probe("get", changelist, expected, {"q": entries[0].search or "a"}, what="search")

    # The add form, also with out-of-scope objects put in its fields through the query string.
    expected = expected_status(persona, label, "add")
    probe("get", url("add"), expected)
    if 200 in expected:
        relations = [f for f in model._meta.get_fields() if f.is_relation and f.concrete and not f.auto_created]
        for owner in {entry.owner for entry in world.entries} - SCOPE[persona]:
            prefill = {}
            for relation in relations:
                target = world.by_owner.get((label_of(relation.related_model), owner))
                if target is not None:
                    prefill[relation.name] = target.obj.pk
            if prefill:
                probe("get", url("add"), expected, prefill, what=f"prefilled with {owner}'s objects")

    for kind in ("import", "export"):
        if kind in urls:
            probe("get", url(kind), expected_status(persona, label, kind))
    if "process_import" in urls:
        probe("post", url("process_import"), expected_status(persona, label, "process_import"))

    # Every object, and an id that does not exist (which must answer like an out-of-scope one).
    # All pages of one row per owner and status; the pages that show a row's data for the others.
    missing_pk = max(world_pks) + 10_000
    representatives = {(entry.owners, entry.status): entry for entry in reversed(entries)}.values()
    for entry in [*entries, None]:
        owners = entry.owners if entry else NOWHERE
        pk = entry.obj.pk if entry else missing_pk
        whose = f"{entry.owner}'s object" if entry else "a missing id"
        kinds = OBJECT_LEVEL_KINDS if entry is None or entry in representatives else DATA_PAGES
        for kind in sorted(kinds & set(urls)):
            if kind == "simple_history":
                _probe_versions(probe, persona, label, entry, entries, url)
                continue
            expected = expected_status(persona, label, kind, owners, entry)
            probe("get", url(kind, pk), expected, what=f"{kind} of {whose}")
            if kind not in POSTED_KINDS:
                continue
            expected = expected_status(persona, label, f"{kind}_post", owners, entry)
            if entry is not None and not expected <= {302, 403, 404}:
                continue  # would change or delete the row: the forgery and action tests do that
            if entry is not None and kind == "delete" and 302 in expected:
                continue
            before = _snapshot(entry.obj) if entry else None
            probe("post", url(kind, pk), expected, what=f"POST {kind} of {whose}")
            if entry is not None and _snapshot(entry.obj) != before:
                probe.problems.append(f"POST {url(kind, pk)} changed {whose}")
        # "View on site" would redirect to a page of the object; no model has one today.
        if entry is not None and entry in representatives:
            content_type = ContentType.objects.get_for_model(model)
            shortcut = reverse("admin:view_on_site", args=[content_type.pk, pk])
            has_page = hasattr(model, "get_absolute_url")
            want = 302 if persona == "anonymous" or (has_page and world.visible(persona, entry)) else 404
            probe("get", shortcut, frozenset({want}), what=f"view on site of {whose}")

    probe.fail_if_any()


def _version_id(obj) -> int | None:
    return obj.history.order_by("-history_id").values_list("history_id", flat=True).first()


def _probe_versions(probe, persona, label, entry, entries, url):
    """The page of one past version: the row's own, and (forged) another row's version under its id."""
    if entry is None:
        version = _version_id(entries[0].obj)
        probe("get", url("simple_history", 10**9, version), frozenset({302} if persona == "anonymous" else {404}))
        return
    own = expected_status(persona, label, "simple_history", entry.owners, entry)
    probe("get", url("simple_history", entry.obj.pk, _version_id(entry.obj)), own, what=f"version of {entry.owner}")
    for other in entries:
        if other is not entry and not other.in_scope(persona):
            forged = frozenset({302} if persona == "anonymous" else own - {200} | {404})
            path = url("simple_history", entry.obj.pk, _version_id(other.obj))
            probe("get", path, forged, what=f"{other.owner}'s version under {entry.owner}'s id")
            break


# ---------------------------------------------------------------------------------------
# Autocomplete: every relation of every model whose target has an admin with search
# ---------------------------------------------------------------------------------------


def _autocomplete_sources(*, reverse: bool):
    from django.apps import apps

    for model in apps.get_models():
        for relation in model._meta.get_fields():
            target = getattr(relation, "related_model", None)
            if not relation.is_relation or target is None or target not in admin.site._registry:
                continue
            if not admin.site._registry[target].search_fields or relation.auto_created != reverse:
                continue
            yield model, relation, target


def _sorted_sources(sources):
    return sorted(sources, key=lambda source: (label_of(source[0]), source[1].name, label_of(source[2])))


# Every foreign key and many-to-many field of every model, not only those the admins
# declare: the autocomplete view answers for any of them.
AUTOCOMPLETE_SOURCES = _sorted_sources(_autocomplete_sources(reverse=False))
REVERSE_RELATIONS = _sorted_sources(_autocomplete_sources(reverse=True))


def _declared_autocomplete() -> set[tuple[str, str]]:
    declared = set()
    for model, model_admin in admin.site._registry.items():
        declared |= {(label_of(model), name) for name in model_admin.autocomplete_fields}
        for inline in model_admin.inlines:
            declared |= {(label_of(inline.model), name) for name in inline.autocomplete_fields}
    return declared


# The fields the admins offer as autocomplete; these are also searched with out-of-scope terms.
DECLARED_AUTOCOMPLETE = _declared_autocomplete()


def test_autocomplete_fields_are_all_probed():
    probed = {(label_of(model), relation.name) for model, relation, _target in AUTOCOMPLETE_SOURCES}
    missing = DECLARED_AUTOCOMPLETE - probed
    assert not missing, f"autocomplete fields the matrix does not call: {missing}"


@pytest.mark.parametrize("persona", PERSONAS)
def test_autocomplete_shows_only_rows_in_scope(client, world, persona):
    probe = Probe(client, persona, world)
    endpoint = reverse("admin:autocomplete")
    for source, relation, target in AUTOCOMPLETE_SOURCES:
        target_label = label_of(target)
        params = {"app_label": source._meta.app_label, "model_name": source._meta.model_name}
        params["field_name"] = relation.name
        what = f"{label_of(source)}.{relation.name} -> {target_label}"
        if persona == "anonymous":
            expected = frozenset({302})
        else:
            expected = frozenset({200 if "view" in allowed_actions(persona, target_label) else 403})
        entries = world.of(target_label)
        terms = [""]
        if (label_of(source), relation.name) in DECLARED_AUTOCOMPLETE:
            terms += [entry.search for entry in entries if not entry.in_scope(persona) and entry.search]
        for term in terms:
            response = probe("get", endpoint, expected, {**params, "term": term}, what=what)
            if response.status_code != 200:
                continue
            ids = {result["id"] for result in response.json()["results"]}
            world_ids = {str(entry.obj.pk) for entry in entries}
            want = {str(entry.obj.pk) for entry in entries if entry.in_scope(persona)}
            got = ids & world_ids
            if term and got - want:
                probe.problems.append(f"autocomplete {what} term={term!r} finds out-of-scope {sorted(got - want)}")
            if not term and got != want:
                probe.problems.append(f"autocomplete {what}: offers {sorted(got)}, expected {sorted(want)}")
    probe.fail_if_any()


@pytest.mark.parametrize("persona", ["chair_a1", "staff_a"])
def test_autocomplete_through_a_reverse_relation_is_refused(client, world, persona):
    """The view takes any field name; a reverse relation must be refused (403) like any other bad one, not crash."""
    probe = Probe(client, persona, world)
    for source, relation, target in REVERSE_RELATIONS:
        params = {"app_label": source._meta.app_label, "model_name": source._meta.model_name}
        params |= {"field_name": relation.name, "term": ""}
        what = f"{label_of(source)}.{relation.name} (reverse) -> {label_of(target)}"
        probe("get", reverse("admin:autocomplete"), frozenset({403}), params, what=what)
    probe.fail_if_any()


# ---------------------------------------------------------------------------------------
# Forged POSTs: moving one's own rows into another union, adding rows to another union
# ---------------------------------------------------------------------------------------

# Who forges, their own union and the union they try to reach.
FORGERS = [
    pytest.param("chair_a1", "A1", "A2", id="chair_a1-into-A2"),
    pytest.param("chair_a1", "A1", "B1", id="chair_a1-into-B1"),
    pytest.param("staff_a", "A1", "B1", id="staff_a-into-B1"),
]


def changeform_data(response) -> dict:
    """The POST data a browser would send back for an admin change form, unchanged."""
    data = {}

    def put(form):
        for name in form.fields:
            bound = form[name]
            value = bound.value()
            key = bound.html_name
            if value is None:
                data[key] = ""
            elif isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, (list, tuple)):
                data[key] = [getattr(item, "pk", item) for item in value]
            else:
                data[key] = getattr(value, "pk", value)

    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for form in formset.forms:
            put(form)
            data.pop(f"{form.prefix}-DELETE", None)
    return data


GU, DU, UG = "unions.grassrootsunion", "unions.departmentunion", "union_groups.uniongroup"
FED, MEMBER, MEETING = "unions.federation", "members.member", "meetings.meeting"

# Per model, the forgeries to try. Each points some fields at the victim union's objects
# ("" clears a field) in one POST; the bundles keep the row consistent in itself (a group
# of A2 with a department union of A2), so that only the scope can refuse them, not the
# model's own checks.
CHANGE_FORGERIES: dict[str, list[dict[str, str]]] = {
    MEMBER: [{"group": UG}, {"union": GU}],
    UG: [{"union": GU, "department_union": ""}, {"union": GU, "department_union": DU}, {"department_union": DU}],
    MEETING: [{"organiser_union": GU, "group": UG, "federation": FED}, {"group": UG}, {"federation": FED}],
    DU: [{"union": GU}],
    "unions.workforcedeclaration": [{"union": GU}],
    "members.unionofficial": [{"union": GU, "member": MEMBER}, {"member": MEMBER}],
    "meetings.attendance": [{"meeting": MEETING, "member": MEMBER}, {"meeting": MEETING}, {"member": MEMBER}],
    "meetings.meetingdocument": [{"meeting": MEETING}],
}
ADD_FORGERIES: dict[str, list[dict[str, str]]] = {
    DU: [{"union": GU}],
    "unions.workforcedeclaration": [{"union": GU}],
    UG: [{"union": GU}, {"union": GU, "department_union": DU}],
    MEMBER: [{"union": GU}, {"union": GU, "group": UG}],
    "members.unionofficial": [{"union": GU, "member": MEMBER}, {"union": GU}, {"member": MEMBER}],
    MEETING: [{"organiser_union": GU, "federation": FED}, {"organiser_union": GU}],
    "meetings.attendance": [{"meeting": MEETING}, {"meeting": MEETING, "member": MEMBER}],
    "meetings.meetingdocument": [{"meeting": MEETING}],
}
# One harmless edit per model, for the control that the form saves at all.
HARMLESS_CHANGE = {
    MEMBER: ("phone", "0912 345 678"),
    UG: ("name", "Tổ công đoàn đổi tên"),
    MEETING: ("location", "Hội trường tầng 2"),
    DU: ("name", "Công đoàn bộ phận đổi tên"),
    "unions.workforcedeclaration": ("note", "Đã sửa"),
    "members.unionofficial": ("ended_on", "2030-01-01"),
    "meetings.attendance": ("position", "Tổ trưởng"),
    "meetings.meetingdocument": ("title", "Biên bản đã sửa"),
}


def forged_values(world: World, forgery: dict[str, str], victim: str) -> dict:
    values = {}
    for field_name, target_label in forgery.items():
        if not target_label:
            values[field_name] = ""
        elif target_label == FED:
            values[field_name] = world.get(FED, victim[0]).pk
        else:
            values[field_name] = world.get(target_label, victim).pk
    return values


def _snapshot(obj) -> dict | None:
    fresh = type(obj)._default_manager.filter(pk=obj.pk).first()
    if fresh is None:
        return None
    return {f.attname: getattr(fresh, f.attname) for f in type(obj)._meta.concrete_fields if f.attname != "updated_at"}


def _form_errors(response):
    return response.context["adminform"].form.errors if response.context else response.status_code


@pytest.mark.parametrize(("persona", "own", "victim"), FORGERS)
@pytest.mark.parametrize("label", sorted(CHANGE_FORGERIES))
def test_change_form_cannot_move_a_row_out_of_scope(client, world, persona, own, victim, label):
    client.force_login(world.users[persona])
    obj = world.get(label, own)
    change_url = reverse(f"admin:{label.replace('.', '_')}_change", args=[obj.pk])
    page = client.get(change_url)
    assert page.status_code == 200
    editable = set(page.context["adminform"].form.fields)
    data = changeform_data(page)
    problems = []

    # Control: the form as shown, with one harmless edit, saves; so a refusal below is
    # about the forged fields.
    name, value = HARMLESS_CHANGE[label]
    data[name] = value
    control = client.post(change_url, data)
    if control.status_code != 302:
        problems.append(f"control: {persona} cannot save their own {label} ({name} edited): {_form_errors(control)}")
    before = _snapshot(obj)

    for forgery in CHANGE_FORGERIES[label]:
        values = forged_values(world, forgery, victim)
        response = client.post(change_url, {**data, **values})
        after = _snapshot(obj)
        what = f"{persona} posting {sorted(forgery)} of {victim} to {own}'s {label}"
        if after != before:
            changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
            problems.append(f"{what} changed it: {changed}")
        elif response.status_code == 302 and set(forgery) & editable:
            problems.append(f"{what} was accepted (302) without an error")
        elif response.status_code not in (200, 302):
            problems.append(f"{what} answered {response.status_code}")
    assert not problems, "\n".join(problems)


def _add_data(world, own: str) -> dict[str, dict]:
    union = world.unions[own]
    member = world.get(MEMBER, own)
    meeting = world.get(MEETING, own)
    return {
        DU: {"union": union.pk, "name": "Công đoàn bộ phận mới", "established_on": "2021-01-01"},
        "unions.workforcedeclaration": {
            "union": union.pk,
            "as_of": "2022-01-01",
            "total_workers": 10,
            "female_workers": 4,
            "note": "mới",
        },
        UG: {"union": union.pk, "name": "Tổ công đoàn mới", "established_on": "2021-01-01"},
        MEMBER: {
            "union": union.pk,
            "full_name": "Người Mới Vào",
            "gender": "female",
            "national_id": "001199000999",
            "joined_union_on": "2022-01-01",
            "ethnicity": "Kinh",
            "nationality": "VN",
            **_empty_inlines("periods", "offices"),
        },
        "members.unionofficial": {
            "union": union.pk,
            "member": member.pk,
            "role": UnionOfficial.Role.VICE_CHAIR,
            "started_on": "2022-01-01",
        },
        MEETING: {
            "federation": union.federation_id,
            "organiser_union": union.pk,
            "kind": Meeting.Kind.WORKERS_CONFERENCE,
            "title": "Hội nghị người lao động mới",
            "held_on": "2022-01-15",
            "status": Meeting.Status.HELD,
            **_empty_inlines("attendances", "follow_up_tasks", "documents"),
        },
        "meetings.attendance": {
            "meeting": meeting.pk,
            "name": "Khách mời mới",
            "role": "guest",
            "headcount": 1,
            "invited": "on",
        },
        "meetings.meetingdocument": {"meeting": meeting.pk, "title": "Tài liệu mới"},
    }


def _empty_inlines(*prefixes) -> dict:
    data = {}
    for prefix in prefixes:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
        data |= {f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000}
    return data


@pytest.mark.parametrize(("persona", "own", "victim"), FORGERS)
@pytest.mark.parametrize("label", sorted(ADD_FORGERIES))
def test_add_form_cannot_create_a_row_out_of_scope(client, world, persona, own, victim, label):
    client.force_login(world.users[persona])
    model = type(world.get(label, own))
    add_url = reverse(f"admin:{label.replace('.', '_')}_add")
    problems = []

    def post(data):
        files = {}
        if label == "meetings.meetingdocument":
            files = {"file": ContentFile(b"noi dung", name="tai-lieu-moi.txt")}
        before = set(model.objects.values_list("pk", flat=True))
        response = client.post(add_url, {**data, **files})
        return response, list(model.objects.exclude(pk__in=before))

    for forgery in ADD_FORGERIES[label]:
        response, created = post({**_add_data(world, own)[label], **forged_values(world, forgery, victim)})
        what = f"{persona} adding a {label} with {sorted(forgery)} of {victim}"
        if created:
            # Accepted only if the forged fields were ignored and the row landed in one's own scope
            # (a chair's meetings always belong to their own union, whatever is posted).
            visible = model.objects.visible_to(world.users[persona]).filter(pk__in=[row.pk for row in created])
            if visible.count() != len(created):
                problems.append(f"{what} created {created} outside its scope")
            # Gone again, so that the control below is not refused as a duplicate of it.
            visible.delete()
        elif response.status_code != 200:
            problems.append(f"{what} answered {response.status_code}")
        elif not set(forgery) & set(response.context["adminform"].form.errors):
            problems.append(f"{what}: refused, but with no error on those fields: {_form_errors(response)}")

    # Control: the same form for one's own union is accepted.
    response, created = post(_add_data(world, own)[label])
    if not created:
        problems.append(f"control: {persona} cannot add a {label} to their own union {own}: {_form_errors(response)}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------
# Past versions (django-simple-history) are for reading: SIMPLE_HISTORY_REVERT_DISABLED
# ---------------------------------------------------------------------------------------

HISTORY_REVERTS = {
    MEMBER: ("phone", "0988 000 111"),
    UG: ("name", "Tổ công đoàn khôi phục"),
    DU: ("name", "Công đoàn bộ phận khôi phục"),
    "unions.workforcedeclaration": ("note", "Khôi phục"),
    "unions.grassrootsunion": ("address", "Địa chỉ khôi phục"),
    MEETING: ("location", "Phòng khôi phục"),
    "members.unionofficial": ("ended_on", "2031-01-01"),
    FED: ("address", "Trụ sở khôi phục"),
}
# The row each history belongs to: a federation's own history is federation A's, which a chair never sees.
HISTORY_OWNER = {FED: "A"}


@pytest.mark.parametrize(
    ("persona", "label"),
    [
        (persona, label)
        for label in sorted(HISTORY_REVERTS)
        for persona in ("leader_a", "chair_a1", "staff_a")
        if can_view(persona, label)
    ],
)
def test_a_past_version_cannot_be_posted_back(client, world, persona, label):
    """The version page shows a full form; posting it must not write, least of all for a read-only leader."""
    obj = world.get(label, HISTORY_OWNER.get(label, "A1"))
    url = reverse(f"admin:{label.replace('.', '_')}_simple_history", args=[obj.pk, _version_id(obj)])
    client.force_login(world.users[persona])
    page = client.get(url)
    assert page.status_code == 200
    data = {}
    form = page.context["adminform"].form
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else getattr(value, "pk", value)
    name, value = HISTORY_REVERTS[label]
    data[name] = value
    before = _snapshot(obj)
    response = client.post(url, data)
    after = _snapshot(obj)
    changed = {key: (before[key], after[key]) for key in before if before[key] != after[key]}
    status = response.status_code
    assert not changed, f"{persona} changed {label} of {obj} by posting its past version ({status}): {changed}"
    assert response.status_code in (403, 405), f"posting a past version answered {response.status_code}"


# ---------------------------------------------------------------------------------------
# Transfers: each side does only its part
# ---------------------------------------------------------------------------------------


def _pending_transfer(world) -> TransferRequest:
    return next(e.obj for e in world.of("members.transferrequest") if e.status == TransferRequest.Status.PENDING)


@pytest.mark.parametrize(
    ("persona", "button", "status", "outcome"),
    [
        pytest.param("chair_a1", "_accept", 200, "pending", id="sender-cannot-accept"),
        pytest.param("chair_a1", "_refuse", 200, "pending", id="sender-cannot-refuse"),
        pytest.param("chair_a2", "_cancel", 200, "pending", id="receiver-cannot-withdraw"),
        pytest.param("chair_b1", "_accept", 404, "pending", id="outsider-chair-cannot-see-it"),
        pytest.param("staff_b", "_accept", 404, "pending", id="outsider-staff-cannot-see-it"),
        pytest.param("leader_a", "_accept", 403, "pending", id="leader-cannot-answer"),
        pytest.param("chair_a2", "_accept", 302, "accepted", id="control-receiver-accepts"),
        pytest.param("chair_a1", "_cancel", 302, "cancelled", id="control-sender-withdraws"),
    ],
)
def test_a_transfer_is_answered_only_by_its_own_side(client, world, persona, button, status, outcome):
    transfer = _pending_transfer(world)
    client.force_login(world.users[persona])
    data = {button: "1", "refusal_reason": "Không đủ điều kiện"}
    response = client.post(reverse("admin:members_transferrequest_decide", args=[transfer.pk]), data)
    transfer.refresh_from_db()
    assert (response.status_code, transfer.status) == (status, outcome)


@pytest.mark.parametrize(
    ("persona", "code", "accepted"),
    [
        pytest.param("chair_a1", "B1", False, id="chair-to-another-federation"),
        pytest.param("staff_a", "B1", False, id="staff-to-another-federation"),
        pytest.param("chair_a1", "A2", True, id="control-chair-within-the-federation"),
    ],
)
def test_a_transfer_goes_only_where_the_sender_may_send(client, world, persona, code, accepted):
    member = world.get(MEMBER, "A1")
    client.force_login(world.users[persona])
    response = client.post(
        reverse("admin:members_member_transfer", args=[member.pk]),
        {"to_union": code, "effective_on": "2023-01-02", "note": ""},
    )
    made = TransferRequest.objects.filter(member=member).exists()
    assert made == accepted, f"{persona} sending A1's member to {code}: answered {response.status_code}"
    body = body_of(response)
    if not accepted:
        leaked = sorted(marker for marker in world.forbidden_markers(persona) if marker in body)
        assert not leaked


@pytest.mark.parametrize("persona", ["chair_a1", "staff_a"])
def test_a_member_moves_only_to_a_group_of_their_union(client, world, persona):
    member = world.get(MEMBER, "A1")
    victim = "A2" if persona == "chair_a1" else "B1"
    client.force_login(world.users[persona])
    response = client.post(
        reverse("admin:members_member_move_group", args=[member.pk]),
        {"group": world.get(UG, victim).pk, "on": "2023-01-02"},
    )
    member.refresh_from_db()
    assert member.group == world.get(UG, "A1"), f"moved into {victim}'s group ({response.status_code})"
    assert response.status_code == 200


# ---------------------------------------------------------------------------------------
# Bulk actions and export with out-of-scope ids
# ---------------------------------------------------------------------------------------


def _action_params():
    for persona in ("chair_a1", "staff_a", "leader_a"):
        for model in REGISTERED:
            label = label_of(model)
            if can_view(persona, label) and label not in SHARED_LABELS:
                yield pytest.param(persona, label, id=f"{persona}-{label}")


@pytest.mark.parametrize(("persona", "label"), list(_action_params()))
def test_admin_actions_ignore_out_of_scope_ids(client, world, persona, label):
    """Every action the changelist offers, posted with out-of-scope ids (and one in-scope id)."""
    from django.test import RequestFactory

    user = world.users[persona]
    client.force_login(user)
    entries = world.of(label)
    outside = [entry for entry in entries if not entry.in_scope(persona)]
    inside = [entry for entry in entries if entry.in_scope(persona)]
    model = type(entries[0].obj)
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = user
    actions = list(model_admin.get_actions(request))
    changelist = reverse(f"admin:{label.replace('.', '_')}_changelist")
    forbidden = world.forbidden_markers(persona)
    if label in ("members.transferrequest", "members.member"):
        forbidden -= world.counterpart_union_names(persona)
    problems = []
    # With no action offered, a forged "delete_selected" must be refused all the same.
    for action in actions or ["delete_selected"]:
        before = {entry.obj.pk: _snapshot(entry.obj) for entry in outside}
        response = client.post(
            changelist,
            {
                "action": action,
                "_selected_action": [entry.obj.pk for entry in outside + inside[:1]],
                "post": "yes",
                "index": 0,
                "select_across": 0,
            },
        )
        # 403: no action for this role, or a deletion that would take rows nobody may delete
        # with it (a member's membership periods).
        if response.status_code not in (200, 302, 403):
            problems.append(f"{action}: answered {response.status_code}")
        after = {entry.obj.pk: _snapshot(entry.obj) for entry in outside}
        touched = [pk for pk in before if before[pk] != after[pk]]
        if touched:
            problems.append(f"{action} changed or deleted out-of-scope {label} {touched}")
        leaked = sorted(marker for marker in forbidden if marker in body_of(response))
        if leaked:
            problems.append(f"{action}: the answer shows out-of-scope data {leaked}")
        if action == "delete_selected" and action in actions and inside:
            # Control: the in-scope row went, or was refused as protected by other rows.
            protected = response.status_code == 200 and response.context and response.context.get("protected")
            gone = not model.objects.filter(pk=inside[0].obj.pk).exists()
            if not (protected or gone or response.status_code == 403):
                problems.append(f"control: {persona} could not delete their own {label}")
    assert not problems, "\n".join(problems)


def test_select_across_deletes_only_rows_in_scope(client, world):
    client.force_login(world.users["chair_a1"])
    response = client.post(
        reverse("admin:meetings_attendance_changelist"),
        {"action": "delete_selected", "_selected_action": [0], "select_across": 1, "index": 0, "post": "yes"},
    )
    assert response.status_code in (200, 302)
    left = set(Attendance.objects.values_list("name", flat=True))
    # The presiding official of A's meeting is shown to A1's chair (invited) but is not theirs to delete.
    federation_rows = {f"{who} quận {code}" for who in ("Đại biểu", "Chủ trì") for code in ("HBT", "DD")}
    assert left == {f"Người dự họp {tag}" for tag in ("A2", "B1")} | federation_rows


@pytest.mark.parametrize("persona", ["chair_a1", "staff_a", "leader_a"])
@pytest.mark.parametrize("extension", ["xlsx", "csv"])
def test_member_downloads_filtered_towards_other_scopes_show_nothing_of_them(client, world, persona, extension):
    client.force_login(world.users[persona])
    outside = [entry for entry in world.of("members.member") if not entry.in_scope(persona)]
    for entry in outside:
        for filters in ({"q": entry.obj.full_name}, {"union__id__exact": entry.obj.union_id}):
            response = client.get(reverse("admin:members_member_export"), {"format": extension, **filters})
            assert response.status_code in (200, 302)
            body = body_of(response)
            leaked = sorted(marker for marker in world.forbidden_markers(persona) if marker in body)
            assert not leaked, (filters, leaked)
    for extension_url in (reverse("imports:export", args=["members", extension]),):
        body = body_of(client.get(extension_url))
        assert not sorted(marker for marker in world.forbidden_markers(persona) if marker in body)


# ---------------------------------------------------------------------------------------
# URLs outside the model admins
# ---------------------------------------------------------------------------------------


def _named_patterns(patterns, namespace=None, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _named_patterns(pattern.url_patterns, inner, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), prefix + str(pattern.pattern)


MODEL_ADMIN_URL_NAMES = {
    f"admin:{name}" for model in REGISTERED for name in model_url_names(admin.site._registry[model])[0].values()
}

# The admin site's own pages and the portal's other URLs: method, and what each persona
# gets (anonymous visitors are sent to the login page unless said otherwise).
DASHBOARD_USERS = {"superuser", "staff_a", "leader_a", "chair_a1", "chair_b1", "staff_b"}


def _everyone(status):
    return lambda persona: status


# Staff and chairs import; leaders read the import log; an account without a role does neither.
IMPORT_VIEWERS = {"superuser", "staff_a", "leader_a", "chair_a1", "chair_b1", "staff_b"}
IMPORTERS = {"superuser", "staff_a", "chair_a1", "chair_b1", "staff_b"}


# Meetings: staff, leaders and chairs read them; staff and chairs record them (a chair, their own CĐCS's).
MEETING_READERS = {"superuser", "staff_a", "leader_a", "chair_a1", "chair_b1", "staff_b"}
MEETING_RECORDERS = {"superuser", "staff_a", "chair_a1", "chair_b1", "staff_b"}


def _dashboard(persona):
    return 200 if persona in DASHBOARD_USERS else 403


ADMIN_SITE_URLS = {
    "admin:index": ("get", _everyone(200)),
    "admin:login": ("get", lambda persona: 200 if persona == "anonymous" else 302),
    # Django 5 signs out on POST only, then goes to LOGOUT_REDIRECT_URL (the login page).
    "admin:logout": ("post", _everyone(302)),
    "admin:password_change": ("get", _everyone(200)),
    "admin:password_change_done": ("get", _everyone(200)),
    "admin:jsi18n": ("get", _everyone(200)),
    # Covered per object by test_admin_access and per field by test_autocomplete_*.
    "admin:view_on_site": None,
    "admin:autocomplete": None,
    # Per app: 200 where the persona may use a model of the app, 404 where none.
    "admin:app_list": None,
}
NON_ADMIN_URLS = {
    # Open to probes, signed in or not. No worker beats in this test, so its check fails:
    # 503 for everyone alike; tests/core/test_healthz.py covers the 200 and what it reveals.
    "healthz": ("get", _everyone(503)),
    # District staff (and superusers) have a home page of what needs doing; leaders start on
    # the dashboard, chairs on their CĐCS, an account without a role on data entry.
    "home": ("get", lambda persona: 200 if persona in {"superuser", "staff_a", "staff_b"} else 302),
    "set_language": ("post", lambda persona: 302),
    # Covered with data by test_dashboard_shows_only_the_personas_scope.
    "dashboard:index": ("get", _dashboard),
    "dashboard:json": ("get", _dashboard),
    "dashboard:export": ("get", _dashboard),
    # A CĐCS's overview, per union (A1, A2, B1) and persona by test_union_overview_pages below.
    "dashboard:union": None,
    # The import log; the pages of one job or one list are probed by test_import_pages.
    "imports:list": ("get", lambda persona: 200 if persona in IMPORT_VIEWERS else 403),
    "imports:upload": None,
    "imports:template": None,
    # Per list and persona by tests/imports/test_list_sheets.py.
    "imports:export": None,
    "imports:job": None,
    "imports:status": None,
    "imports:confirm": None,
    "imports:sheet": None,
    "imports:restart": None,
    "imports:rejected": None,
    # Everyone signed in may search; what each persona finds is probed by test_portal_pages.
    "portal:search": ("get", _everyone(200)),
    # A meeting's minutes (page and .docx) and its photos and files: per meeting, document and
    # persona by test_meeting_minutes_and_documents below.
    **dict.fromkeys(
        [
            "meetings:minutes",
            "meetings:minutes_docx",
            "meetings:documents",
            "meetings:document_file",
            "meetings:document_thumbnail",
            "meetings:document_delete",
        ]
    ),
    # One's own account (the second factor, off in the suite: tests/accounts/test_two_factor.py):
    # everyone may open the security page and set up an authenticator; with no code owed the
    # code page sends on, and without an authenticator there are no recovery codes to renew.
    "accounts:security": ("get", _everyone(200)),
    "accounts:enrol": ("get", _everyone(200)),
    "accounts:verify": ("get", _everyone(302)),
    "accounts:recovery_codes": ("post", _everyone(302)),
    # A CĐCS's own pages, per union, member, group and transfer: test_portal_pages.
    **dict.fromkeys(
        [
            "portal:members",
            "portal:member_add",
            "portal:member_edit",
            "portal:member_move",
            "portal:member_leave",
            "portal:member_transfer",
            "portal:transfers",
            "portal:transfer_decide",
            "portal:transfer_destinations",
            "portal:groups",
            "portal:group",
            "portal:workforce_new",
            "meetings:group_meeting_add",
        ]
    ),
    # A meeting's attendance, door poster and sign-in sheet, per meeting: test_meeting_attendance_pages.
    # "meetings:sign_in" is PUBLIC (the door QR code's secret is the key; no login): probed there too.
    **dict.fromkeys(["meetings:attendance", "meetings:door", "meetings:sign_in_sheet", "meetings:sign_in"]),
    # The meetings pages: every role that reads meetings lists them; who may record one records.
    # One meeting's pages (detail, edit, a task done) are probed per meeting by test_meeting_pages.
    "meetings:list": ("get", lambda persona: 200 if persona in MEETING_READERS else 403),
    "meetings:calendar": ("get", lambda persona: 200 if persona in MEETING_READERS else 403),
    "meetings:unions": ("get", lambda persona: 200 if persona in MEETING_READERS else 403),
    "meetings:add": ("get", lambda persona: 200 if persona in MEETING_RECORDERS else 403),
    "meetings:detail": None,
    "meetings:edit": None,
    "meetings:task_done": None,
}
NOT_BEHIND_LOGIN = {"admin:login", "set_language", "healthz"}


def test_every_url_has_an_expectation():
    names = {name for name, _route in _named_patterns(get_resolver().url_patterns)}
    discovered = names - MODEL_ADMIN_URL_NAMES
    declared = set(ADMIN_SITE_URLS) | set(NON_ADMIN_URLS)
    assert discovered == declared, (
        f"URLs without an expectation in the access matrix: {sorted(discovered - declared)}; "
        f"expectations for URLs that no longer exist: {sorted(declared - discovered)}"
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_site_pages(client, world, persona):
    probe = Probe(client, persona, world)
    names = {name for name, _route in _named_patterns(get_resolver().url_patterns)}
    for name, spec in (ADMIN_SITE_URLS | NON_ADMIN_URLS).items():
        if spec is None or name == "admin:logout" or name not in names:
            continue  # logout signs the persona out: checked last
        method, expect = spec
        expected = expect(persona)
        if persona == "anonymous" and name not in NOT_BEHIND_LOGIN:
            expected = 302
        response = probe(method, reverse(name), frozenset({expected}), to_login=name != "set_language")
        if name == "home" and persona != "anonymous" and response.status_code == 302:
            start = {
                "leader_a": reverse("dashboard:index"),
                "chair_a1": reverse("dashboard:union", args=[world.unions["A1"].pk]),
                "chair_b1": reverse("dashboard:union", args=[world.unions["B1"].pk]),
            }.get(persona, reverse("admin:index"))
            if response.url != start:
                probe.problems.append(f"home sends {persona} to {response.url}, not {start}")
    # The language switch never sends anyone to another site.
    response = probe(
        "post",
        reverse("set_language"),
        frozenset({302}),
        {"language": "en", "next": "https://ke-gian.example/"},
        to_login=False,
    )
    if response.status_code == 302 and "ke-gian.example" in response.url:
        probe.problems.append(f"set_language redirects to {response.url}")

    for app_label in sorted({model._meta.app_label for model in REGISTERED}):
        usable = any(
            allowed_actions(persona, label_of(model)) for model in REGISTERED if model._meta.app_label == app_label
        )
        expected = 302 if persona == "anonymous" else 200 if usable else 404
        probe("get", reverse("admin:app_list", args=[app_label]), frozenset({expected}))
    if persona != "anonymous":
        probe("post", reverse("admin:logout"), frozenset({302}))
    probe.fail_if_any()


# Members counted today and unions, per persona, in the world above (written out, not computed):
# A1 has "Đoàn Viên A1", "Người Chờ Chuyển A1" and "Người Đã Chuyển A2" (arrived from A2);
# A2 has "Đoàn Viên A2"; B1 has "Đoàn Viên B1"; those who left are not counted.
DASHBOARD_TOTALS = {
    "superuser": {"members": 5, "unions": 3},
    "staff_a": {"members": 4, "unions": 2},
    "leader_a": {"members": 4, "unions": 2},
    "chair_a1": {"members": 3, "unions": 1},
    "chair_b1": {"members": 1, "unions": 1},
    "staff_b": {"members": 1, "unions": 1},
}


def _xlsx_text(raw: bytes) -> str:
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(raw))
    return "\n".join(
        str(value) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for value in row if value
    )


@pytest.mark.parametrize("persona", sorted(DASHBOARD_USERS))
def test_dashboard_shows_only_the_personas_scope(client, world, persona):
    if "dashboard:index" not in {name for name, _route in _named_patterns(get_resolver().url_patterns)}:
        pytest.skip("no dashboard yet")
    probe = Probe(client, persona, world)
    index = reverse("dashboard:index")
    probe("get", index, frozenset({200}))
    for sector in {entry.obj.sector for entry in world.of("unions.grassrootsunion")}:
        probe("get", index, frozenset({200}), {"sector": sector.pk}, what="drill down to a sector")
    for entry in world.of("unions.grassrootsunion"):
        expected = frozenset({200 if entry.in_scope(persona) else 404})
        probe("get", index, expected, {"union": entry.obj.pk}, what=f"drill down to {entry.owner}")

    response = probe("get", reverse("dashboard:json"), frozenset({200}))
    if response.status_code == 200:
        totals = response.json()["totals"]
        got = {key: totals[key] for key in DASHBOARD_TOTALS[persona]}
        if got != DASHBOARD_TOTALS[persona]:
            probe.problems.append(f"dashboard JSON counts {got}, expected {DASHBOARD_TOTALS[persona]}")

    response = probe("get", reverse("dashboard:export"), frozenset({200}))
    if response.status_code == 200:
        text = _xlsx_text(response.content)
        leaked = sorted(marker for marker in probe.forbidden if marker in text)
        if leaked:
            probe.problems.append(f"dashboard export shows out-of-scope data {leaked}")
    probe.fail_if_any()


# ---------------------------------------------------------------------------------------
# Import jobs: one per union and one per federation, every page of a job as every persona
# ---------------------------------------------------------------------------------------

# Who uploaded each job: a union's chair, or a federation's staff (a job for no one CĐCS).
IMPORT_JOB_OWNERS = {"A1": "chair_a1", "A2": "chair_a2", "B1": "chair_b1", "A": "staff_a", "B": "staff_b"}


def _import_jobs(world) -> dict:
    from apps.imports.models import ImportJob

    jobs = {}
    for owner, uploader in IMPORT_JOB_OWNERS.items():
        user = world.users[uploader]
        union = world.unions.get(owner)
        job = ImportJob(
            kind="to-thu",
            original_filename=f"tep-nhap-{owner}.csv",
            created_by=user,
            union=union,
            federation_id=union.federation_id if union else user.federation_id,
            status=ImportJob.Status.DONE,
            counts={"created": 1, "updated": 0, "unchanged": 0, "rejected": 1},
            problems=[{"row": 3, "column": "Tên", "message": f"Lỗi nhập thử [{owner}]"}],
        )
        job.rejected_file.save(f"bi-tu-choi-{owner}.xlsx", ContentFile(_rejected_rows_sheet(owner)), save=False)
        job.save()
        jobs[owner] = job
    return jobs


def _rejected_rows_sheet(owner: str) -> bytes:
    """A real rejected-rows sheet whose one cell names its job, so that the matrix sees who can read it."""
    from io import BytesIO

    from openpyxl import Workbook

    book = Workbook()
    book.active.append([f"Dòng bị từ chối [{owner}]"])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("persona", PERSONAS)
def test_import_pages(client, world, persona):
    from tests.imports.fake_kind import NAME, fake_kind_registered

    with fake_kind_registered():
        jobs = _import_jobs(world)
        probe = Probe(client, persona, world)
        viewer, importer = persona in IMPORT_VIEWERS, persona in IMPORTERS
        for owner, job in jobs.items():
            markers = {job.original_filename, f"Lỗi nhập thử [{owner}]", f"Dòng bị từ chối [{owner}]"}
            if viewer and owner in SCOPE[persona]:
                # The log names who imported, to everyone who may read it (issue 12, item 8).
                probe.forbidden -= {world.users[IMPORT_JOB_OWNERS[owner]].last_name}
            else:
                probe.forbidden |= markers
        for owner, job in jobs.items():
            in_scope = owner in SCOPE[persona]
            seen = 302 if persona == "anonymous" else 403 if not viewer else 200 if in_scope else 404
            for name in ("job", "status"):
                probe("get", reverse(f"imports:{name}", args=[job.pk]), frozenset({seen}), what=owner)
            full_ids = 200 if persona in SEES_FULL_NATIONAL_ID else 403
            probe("get", reverse("imports:rejected", args=[job.pk]), {full_ids if seen == 200 else seen}, what=owner)
            own = persona != "anonymous" and job.created_by == world.users[persona]
            acted = 302 if own else 403 if seen == 200 else seen
            for name in ("confirm", "restart", "sheet"):
                probe("post", reverse(f"imports:{name}", args=[job.pk]), frozenset({acted}), what=owner)
        may_upload = 302 if persona == "anonymous" else 200 if importer else 403
        for name in ("upload", "template"):
            probe("get", reverse(f"imports:{name}", args=[NAME]), frozenset({may_upload}))
        probe("get", reverse("imports:list"), frozenset({302 if persona == "anonymous" else 200 if viewer else 403}))
        probe(
            "get",
            reverse("imports:job", args=[max(job.pk for job in jobs.values()) + 1]),
            {404 if viewer else 302 if persona == "anonymous" else 403},
        )
        probe.fail_if_any()


@pytest.mark.parametrize("persona", PERSONAS)
def test_union_overview_pages(client, world, persona):
    """A CĐCS's overview: 200 in scope, 404 out of scope (never a 403 that confirms it exists)."""
    probe = Probe(client, persona, world)
    for owner, union in world.unions.items():
        if persona == "anonymous":
            expected = 302
        elif persona not in DASHBOARD_USERS:
            expected = 403
        else:
            expected = 200 if owner in SCOPE[persona] else 404
        probe("get", reverse("dashboard:union", args=[union.pk]), frozenset({expected}), what=owner)
    missing = max(union.pk for union in world.unions.values()) + 1
    expected = 302 if persona == "anonymous" else 404 if persona in DASHBOARD_USERS else 403
    probe("get", reverse("dashboard:union", args=[missing]), frozenset({expected}))
    probe.fail_if_any()


# ---------------------------------------------------------------------------------------
# A CĐCS's own pages (apps/portal): every page of every union as every persona
# ---------------------------------------------------------------------------------------

# Who reads a union's pages, and who acts on them (enrol, edit, move, leave, transfer, answer,
# declare the workforce): written out, not read from permissions.py.
PORTAL_READERS = {"superuser", "staff_a", "leader_a", "chair_a1", "chair_b1", "staff_b"}
PORTAL_ACTORS = {"superuser", "staff_a", "chair_a1", "chair_b1", "staff_b"}
# The pages of a union, of its active member, and of its group; "act" pages change data.
PORTAL_UNION_PAGES = {
    "members": "read",
    "groups": "read",
    "transfers": "read",
    "member_add": "act",
    "workforce_new": "act",
    "transfer_destinations": "act",
}
PORTAL_MEMBER_PAGES = ("member_edit", "member_move", "member_leave", "member_transfer")


def _portal_expected(persona: str, tag: str, kind: str) -> int:
    if persona == "anonymous":
        return 302
    if tag not in SCOPE[persona]:
        return 404  # out of scope first, whatever the role
    allowed = PORTAL_READERS if kind == "read" else PORTAL_ACTORS
    return 200 if persona in allowed else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_portal_pages(client, world, persona):
    probe = Probe(client, persona, world)
    base_forbidden = set(probe.forbidden)
    meetings_before = Meeting.objects.count()
    for tag, union in world.unions.items():
        member = next(e.obj for e in world.of("members.member") if e.owners == {tag} and e.status == "active")
        group = group_of(world.entries, tag)
        pages = [(reverse(f"portal:{name}", args=[union.pk]), kind) for name, kind in PORTAL_UNION_PAGES.items()]
        pages += [(reverse(f"portal:{name}", args=[union.pk, member.pk]), "act") for name in PORTAL_MEMBER_PAGES]
        pages.append((reverse("portal:group", args=[union.pk, group.pk]), "read"))
        # Recording the group's meeting (an empty POST re-displays the form and saves nothing).
        pages.append((reverse("meetings:group_meeting_add", args=[group.pk]), "act"))
        for page, kind in pages:
            # The transfer pages name the union on the other side; the lookup, the unions of one's federation.
            if "transfer" in page:
                probe.forbidden = base_forbidden - world.counterpart_union_names(persona)
            expected = _portal_expected(persona, tag, kind)
            probe("get", page, frozenset({expected}), {"q": "cong doan"}, what=f"{tag} {kind}")
            # An empty POST re-displays a form with its errors (200) and writes nothing.
            if kind == "act" and not page.endswith(".json"):
                probe("post", page, frozenset({expected}), what=f"POST {tag}")
            probe.forbidden = base_forbidden
        # Another union's member under this union's address: not found (once the role may act at all).
        stranger = next(e.obj for e in world.of("members.member") if e.owners == {"B1" if tag != "B1" else "A1"})
        expected = _portal_expected(persona, tag, "act")
        for name in PORTAL_MEMBER_PAGES:
            page = reverse(f"portal:{name}", args=[union.pk, stranger.pk])
            probe("get", page, frozenset({404 if expected == 200 else expected}), what="another union's member")

    # Answering transfers: the pending one A1 -> A2; an empty POST (no button) does nothing.
    pending = world.get("members.transferrequest", "A1+A2")
    for tag in ("A1", "A2", "B1"):
        page = reverse("portal:transfer_decide", args=[world.unions[tag].pk, pending.pk])
        expected = _portal_expected(persona, tag, "act")
        # In scope and allowed, still nothing: no button said what to do.
        probe("post", page, frozenset({404 if expected == 200 else expected}), what=f"decide under {tag}")
        if persona != "anonymous":
            probe("get", page, frozenset({405}), what=f"GET decide under {tag}")
    if Meeting.objects.count() != meetings_before:
        probe.problems.append("an empty POST recorded a meeting")
    pending.refresh_from_db()
    if pending.status != TransferRequest.Status.PENDING:
        probe.problems.append(f"an empty POST answered the transfer: {pending.status}")

    # The site search finds nothing of another scope, whatever is asked.
    for entry in world.entries:
        if entry.label in ("members.member", "unions.grassrootsunion", "union_groups.uniongroup") and entry.search:
            probe(
                "get",
                reverse("portal:search"),
                frozenset({302 if persona == "anonymous" else 200}),
                {"q": entry.search},
                what=f"search {entry.owner}",
                echo=entry.search,
            )
    for number in (*NATIONAL_IDS.values(), "0011860"):
        response = probe(
            "get",
            reverse("portal:search"),
            frozenset({302 if persona == "anonymous" else 200}),
            {"q": number},
            what="search by ID number",
            echo=number,
        )
        if response.status_code == 200 and persona not in SEES_FULL_NATIONAL_ID and response.context["results"].members:
            probe.problems.append(f"{persona} finds members by ID number {number}")
    probe.fail_if_any()


# ---------------------------------------------------------------------------------------
# A meeting's attendance pages (apps/meetings/views/attendance.py, sign_in.py)
# ---------------------------------------------------------------------------------------

# Who keeps a meeting's list (attendance, door poster): those who may change the meeting; a
# leader reads it but is refused (403); a CĐCS invited to a federation meeting reads it only (404).
MEETING_LIST_KEEPERS = {"superuser", "staff_a", "chair_a1", "chair_b1", "staff_b"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_meeting_attendance_pages(client, world, persona):
    probe = Probe(client, persona, world)
    for entry in world.of("meetings.meeting"):
        meeting = entry.obj
        what = f"meeting of {entry.owner}"
        if persona == "anonymous":
            keeper = sheet = 302
        else:
            changeable = entry.may_change(persona) if persona != "superuser" else True
            keeper = 404 if not changeable else 200 if persona in MEETING_LIST_KEEPERS else 403
            sheet = 200 if entry.in_scope(persona) and persona != "no_role" else 404
        for name in ("meetings:attendance", "meetings:door"):
            probe("get", reverse(name, args=[meeting.pk]), frozenset({keeper}), what=what)
            # A POST that would change something (a new door code) is only sent where it must be refused.
            if keeper != 200:
                probe("post", reverse(name, args=[meeting.pk]), frozenset({keeper}), {"action": "new_code"}, what=what)
        probe("get", reverse("meetings:sign_in_sheet", args=[meeting.pk]), frozenset({sheet}), what=what)
        # The public sign-in page: open to anyone holding the code, signed in or not; it names the
        # meeting (that is on the poster) and nothing of its invitees.
        probe(
            "get",
            reverse("meetings:sign_in", args=[meeting.sign_in_token]),
            frozenset({200}),
            what=what,
            to_login=False,
            echo=meeting.title,
        )
        before = meeting.sign_in_token
        meeting.refresh_from_db()
        if meeting.sign_in_token != before:
            probe.problems.append(f"{persona} changed the door code of the {what}")
    probe("get", reverse("meetings:sign_in", args=["khong-phai-ma-that"]), frozenset({404}), to_login=False)
    missing = max(entry.obj.pk for entry in world.of("meetings.meeting")) + 1
    for name in ("meetings:attendance", "meetings:door", "meetings:sign_in_sheet"):
        probe("get", reverse(name, args=[missing]), frozenset({302 if persona == "anonymous" else 404}))


# One meeting's pages: read, change, tick a follow-up task done, for every meeting of the world
# ---------------------------------------------------------------------------------------


def _meeting_expected(persona: str, entry: Entry, kind: str) -> int:
    """What one meeting's page answers: out of scope 404; read by every reader; changed only where it is one's own."""
    if persona == "anonymous":
        return 302
    in_scope, own = entry.in_scope(persona), entry.may_change(persona)
    if kind == "read":
        return 403 if persona not in MEETING_READERS else 200 if in_scope else 404
    # "change" and "task": looked up among the meetings one may change (an invited CĐCS only reads).
    if kind == "change":
        return 404 if not own else 200 if persona in MEETING_RECORDERS else 403
    # A task (owned by the federation's staff): seen in scope, ticked by whoever may change the meeting.
    if not in_scope or persona not in MEETING_READERS:
        return 404
    return 302 if own and persona in MEETING_RECORDERS else 403


@pytest.mark.parametrize("persona", PERSONAS)
def test_meeting_pages(client, world, persona):
    from apps.meetings.models import FollowUpTask

    probe = Probe(client, persona, world)
    for entry in world.of("meetings.meeting"):
        meeting = entry.obj
        owner = world.users["staff_a" if meeting.federation.code == "HBT" else "staff_b"]
        task = FollowUpTask.objects.create(
            meeting=meeting, description=f"Việc sau họp {entry.owner}", owner=owner, due_on=dt.date(2030, 1, 1)
        )
        what = entry.owner
        probe(
            "get", reverse("meetings:detail", args=[meeting.pk]), {_meeting_expected(persona, entry, "read")}, what=what
        )
        page = reverse("meetings:edit", args=[meeting.pk])
        expected = _meeting_expected(persona, entry, "change")
        probe("get", page, {expected}, what=what)
        # An empty POST re-displays the form with its errors (200) and changes nothing.
        probe("post", page, {expected}, what=f"POST {what}")
        done = reverse("meetings:task_done", args=[task.pk])
        probe("post", done, {_meeting_expected(persona, entry, "task")}, what=what)
        if persona != "anonymous":
            probe("get", done, {405}, what=f"GET {what}")
        meeting.refresh_from_db()
        if meeting.title != entry.obj.title or not meeting.title:
            probe.problems.append(f"an empty POST changed meeting {what}")
    # The CĐCS lookup finds only the unions the persona sees.
    for entry in world.of("unions.grassrootsunion"):
        probe(
            "get",
            reverse("meetings:unions"),
            {302 if persona == "anonymous" else 200 if persona in MEETING_READERS else 403},
            {"q": entry.obj.code},
            what=f"lookup {entry.owner}",
            echo=entry.obj.code,
        )
    for page in (reverse("meetings:list"), reverse("meetings:calendar")):
        probe(
            "get",
            page,
            {302 if persona == "anonymous" else 200 if persona in MEETING_READERS else 403},
            {"month": "2021-07"},
        )


# A meeting's minutes and its photos and files (apps/meetings/views/minutes.py, documents.py)
# ---------------------------------------------------------------------------------------

# Who may add and remove a meeting's files (where the meeting is theirs to change, not only to read).
MEETING_FILE_CHANGERS = {"superuser", "staff_a", "chair_a1", "chair_b1", "staff_b"}


def _docx_text(raw: bytes) -> str:
    from io import BytesIO

    from docx import Document

    document = Document(BytesIO(raw))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*cells, *(paragraph.text for paragraph in document.paragraphs)])


def _meeting_page_expected(persona: str, entry: Entry, *, changes: bool) -> int:
    if persona == "anonymous":
        return 302
    if not entry.in_scope(persona):
        return 404
    if changes:
        return 200 if persona in MEETING_FILE_CHANGERS and entry.may_change(persona) else 403
    return 200


@pytest.mark.parametrize("persona", PERSONAS)
def test_meeting_minutes_and_documents(client, world, persona):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.meetings.services import add_document
    from tests.hostile_files import photo_jpeg

    probe = Probe(client, persona, world)
    # A photo (with its thumbnail) on each meeting, alongside the world's text files.
    photos = [
        (entry, add_document(entry.obj, SimpleUploadedFile("anh.jpg", photo_jpeg((40, 30))), title="Ảnh"))
        for entry in world.of("meetings.meeting")
    ]
    for entry in world.of("meetings.meeting"):
        what = entry.owner
        for name in ("meetings:minutes", "meetings:minutes_docx"):
            expected = _meeting_page_expected(persona, entry, changes=False)
            probe("get", reverse(name, args=[entry.obj.pk]), frozenset({expected}), what=what)
        expected = _meeting_page_expected(persona, entry, changes=True)
        page = reverse("meetings:documents", args=[entry.obj.pk])
        probe("get", page, frozenset({expected}), what=what)
        # An empty POST re-displays the form with its error and attaches nothing.
        probe("post", page, frozenset({expected}), what=f"POST {what}")
    for entry in world.of("meetings.meetingdocument"):
        expected = _meeting_page_expected(persona, entry, changes=False)
        probe("get", reverse("meetings:document_file", args=[entry.obj.pk]), frozenset({expected}), what=entry.owner)
        # A text file has no thumbnail: not found, in scope or out.
        no_thumbnail = 302 if persona == "anonymous" else 404
        url = reverse("meetings:document_thumbnail", args=[entry.obj.pk])
        probe("get", url, frozenset({no_thumbnail}), what=entry.owner)
    for entry, photo in photos:
        expected = _meeting_page_expected(persona, entry, changes=False)
        for name in ("meetings:document_thumbnail", "meetings:document_file"):
            probe("get", reverse(name, args=[photo.pk]), frozenset({expected}), what=f"photo {entry.owner}")
    forged = max(photo.pk for _entry, photo in photos) + 1000
    for name in ("meetings:document_thumbnail", "meetings:document_file"):
        probe("get", reverse(name, args=[forged]), frozenset({302 if persona == "anonymous" else 404}), what="forged")
    for name in ("meetings:minutes", "meetings:documents"):
        probe("get", reverse(name, args=[forged]), frozenset({302 if persona == "anonymous" else 404}), what="forged")
    # Deleting: only the refusals are probed here (a deletion is tested in tests/meetings/test_gallery.py).
    for entry, photo in photos:
        expected = _meeting_page_expected(persona, entry, changes=True)
        if expected != 200:
            probe("post", reverse("meetings:document_delete", args=[photo.pk]), frozenset({expected}), what=entry.owner)
    remaining = MeetingDocument.objects.filter(pk__in=[photo.pk for _entry, photo in photos]).count()
    if remaining != len(photos):
        probe.problems.append(f"a refused deletion deleted {len(photos) - remaining} photo(s)")
    probe.fail_if_any()
