"""Every admin list and change page runs a bounded number of queries, however many rows there are.

The pages are found by walking ``admin.site._registry``: a newly registered model fails
here until it has a row maker below, so no page escapes the check. Each page is opened
as district staff (or, for the few models district staff may not open, as a superuser),
once with a little data and once with much more; the second visit may not run more
queries than the first. An N+1 shows up here in CI, without timing anything.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from itertools import count

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import PersonalDataAccess, User
from apps.dashboard.figures import ensure_figures
from apps.meetings.models import Meeting, MeetingDocument
from apps.members.models import Member, MembershipPeriod, TransferRequest
from apps.unions.models import Decision, Federation, GrassrootsUnion, Sector
from tests import factories

# Ceilings, each the count of the costliest page: a list page of the data-entry admin needs
# about ten queries (the session and the user, the filters' choices, the count, the rows, and,
# on the first visit after signing in, storing the time in the session); a change page more
# (its inlines).
MAX_CHANGELIST_QUERIES = 11
MAX_CHANGE_PAGE_QUERIES = 19

_numbers = count(1)


class World:
    """The district staff's federation with two unions, and makers of more rows in it."""

    def __init__(self, federation: Federation, staff: User) -> None:
        self.federation = federation
        self.staff = staff
        self.union = factories.GrassrootsUnionFactory(federation=federation)
        self.other_union = factories.GrassrootsUnionFactory(federation=federation)
        self.group = factories.UnionGroupFactory(union=self.union)
        self.meeting = factories.MeetingFactory(federation=federation, organiser_union=self.union)

    def n(self) -> int:
        return next(_numbers)

    def member(self, union: GrassrootsUnion | None = None) -> Member:
        return factories.MemberFactory(union=union or self.union, group=self.group if union is None else None)


def _axes_row(model_path: str) -> Callable[[World], object]:
    def make(world: World):
        from django.apps import apps

        model = apps.get_model(model_path)
        fields = {"user_agent": "Mozilla/5.0", "ip_address": "127.0.0.1", "username": f"nguoi{world.n()}"}
        if model_path == "axes.AccessAttempt":
            fields["failures_since_start"] = 1
        return model.objects.create(http_accept="*/*", **fields)

    return make


def _member(world: World) -> Member:
    return world.member()


def _grow_member(world: World, member: Member) -> None:
    # More history (group moves) and more offices: the change page's inlines grow.
    group = factories.UnionGroupFactory(union=world.union)
    for _ in range(3):
        current = MembershipPeriod.objects.get(member=member, ended_on=None)
        day = current.started_on + dt.timedelta(days=30)
        current.ended_on = day
        current.save()
        MembershipPeriod.objects.create(member=member, union=world.union, group=group, started_on=day)
        factories.UnionOfficialFactory(member=member, union=world.union, started_on=day)


def _union(world: World) -> GrassrootsUnion:
    return factories.GrassrootsUnionFactory(federation=world.federation)


def _grow_union(world: World, union: GrassrootsUnion) -> None:
    department = factories.DepartmentUnionFactory(union=union)
    for _ in range(3):
        factories.WorkforceDeclarationFactory(union=union, as_of=dt.date(2000, 1, 1) + dt.timedelta(world.n()))
        factories.UnionGroupFactory(union=union, department_union=department)
        factories.DepartmentUnionFactory(union=union)
        factories.MemberFactory(union=union)


def _meeting(world: World) -> Meeting:
    return factories.MeetingFactory(federation=world.federation, organiser_union=world.union)


def _grow_meeting(world: World, meeting: Meeting) -> None:
    for _ in range(6):
        factories.AttendanceFactory(meeting=meeting, member=world.member())
        MeetingDocument.objects.create(meeting=meeting, title="Biên bản", file=ContentFile(b"%PDF-1.4", name="b.pdf"))
    meeting.participating_unions.add(world.union, world.other_union, _union(world))


def _transfer(world: World) -> TransferRequest:
    return TransferRequest.objects.create(
        member=world.member(),
        from_union=world.union,
        to_union=world.other_union,
        effective_on=dt.date(2024, 3, 1),
        requested_by=world.staff,
    )


def _access(world: World) -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(
        user=world.staff,
        federation=world.federation,
        action=PersonalDataAccess.Action.VIEW,
        model="members.member",
        record_ids=[1, 2, 3],
        record_count=3,
        path="/admin/members/member/1/change/",
    )


def _decision(w: World) -> Decision:
    return Decision.objects.create(number=f"{w.n()}/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 26), issuer="Ban Thường vụ")


# model label -> (make one more row, add rows the row's change page shows: its inlines)
MAKERS: dict[str, tuple[Callable[[World], object], Callable[[World, object], None] | None]] = {
    "axes.accessattempt": (_axes_row("axes.AccessAttempt"), None),
    "axes.accesslog": (_axes_row("axes.AccessLog"), None),
    "axes.accessfailurelog": (_axes_row("axes.AccessFailureLog"), None),
    "accounts.user": (
        lambda w: factories.UserFactory(role=User.Role.UNION_CHAIR, union=_union(w)),
        None,
    ),
    "accounts.personaldataaccess": (_access, None),
    # With its founding decision: the list shows it (one join, not a query per row).
    "unions.federation": (
        lambda w: factories.FederationFactory(parent=w.federation, founding_decision=_decision(w)),
        None,
    ),
    "unions.decision": (_decision, None),
    "unions.sector": (lambda w: Sector.objects.create(code=f"khoi-{w.n()}", name=f"Khối {w.n()}"), None),
    "unions.grassrootsunion": (_union, _grow_union),
    "unions.departmentunion": (
        lambda w: factories.DepartmentUnionFactory(union=w.union),
        lambda w, d: [factories.UnionGroupFactory(union=w.union, department_union=d) for _ in range(5)],
    ),
    "unions.workforcedeclaration": (
        lambda w: factories.WorkforceDeclarationFactory(union=w.union, as_of=dt.date(2000, 1, 1) + dt.timedelta(w.n())),
        None,
    ),
    "union_groups.uniongroup": (
        lambda w: factories.UnionGroupFactory(union=w.union),
        lambda w, g: [factories.MemberFactory(union=w.union, group=g) for _ in range(5)],
    ),
    "members.member": (_member, _grow_member),
    "members.membershipperiod": (lambda w: MembershipPeriod.objects.get(member=w.member()), None),
    "members.unionofficial": (lambda w: factories.UnionOfficialFactory(member=w.member()), None),
    "members.transferrequest": (_transfer, None),
    "meetings.meeting": (_meeting, _grow_meeting),
    "meetings.attendance": (lambda w: factories.AttendanceFactory(meeting=w.meeting, member=w.member()), None),
    "meetings.meetingdocument": (
        lambda w: MeetingDocument.objects.create(
            meeting=w.meeting, title="Biên bản", file=ContentFile(b"%PDF-1.4", name="b.pdf")
        ),
        None,
    ),
}

REGISTERED = sorted(model._meta.label_lower for model in admin.site._registry)


@pytest.fixture
def world(federation_a, district_staff) -> World:
    factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội")
    return World(federation_a, district_staff)


def keep_figures_current() -> None:
    """Apply data changes to the dashboard's summary (the CĐCS pages read today's figures from it).

    Its refresh costs queries in proportion to the days kept, not to the page: it is
    pinned on its own in tests/dashboard/test_figures.py.
    """
    ensure_figures([timezone.localdate()])


def _viewer(model_label: str, district_staff: User, superuser: User) -> User:
    """District staff, unless their role may not open this model at all (accounts, lockouts)."""
    return district_staff if district_staff.has_perm(model_label.replace(".", ".view_")) else superuser


def test_every_registered_model_has_a_row_maker():
    missing = sorted(set(REGISTERED) - MAKERS.keys())
    assert not missing, f"Add a row maker to MAKERS for the admin pages of: {', '.join(missing)}"


@pytest.mark.parametrize("model_label", REGISTERED)
def test_changelist_queries_do_not_grow_with_rows(
    model_label, world, district_staff, superuser, client, django_assert_max_num_queries
):
    make, _grow = MAKERS[model_label]
    app_label, model_name = model_label.split(".")
    client.force_login(_viewer(model_label, district_staff, superuser))
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    make(world)
    keep_figures_current()
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES) as few:
        response = client.get(url)
    assert response.status_code == 200
    for _ in range(12):
        make(world)
    keep_figures_current()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) >= 2


@pytest.mark.parametrize("model_label", REGISTERED)
def test_change_page_queries_do_not_grow_with_related_rows(
    model_label, world, district_staff, superuser, client, django_assert_max_num_queries
):
    make, grow = MAKERS[model_label]
    app_label, model_name = model_label.split(".")
    client.force_login(_viewer(model_label, district_staff, superuser))
    obj = make(world)
    url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    # A first batch of related rows, so each inline has rows to show on the first visit too.
    if grow is not None:
        grow(world, obj)
    keep_figures_current()
    with django_assert_max_num_queries(MAX_CHANGE_PAGE_QUERIES) as few:
        response = client.get(url)
    assert response.status_code == 200
    if grow is not None:
        for _ in range(3):
            grow(world, obj)
    for _ in range(5):
        make(world)
    keep_figures_current()
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_member_list_of_a_district_uses_the_members_own_federation(world, client, django_assert_max_num_queries):
    """District staff's member list filters on members_member.federation_id, without joining the unions."""
    city = Federation.objects.get(code="HN")
    world.federation.parent = city
    world.federation.save()
    world.member()
    client.force_login(User.objects.get(pk=world.staff.pk))
    with django_assert_max_num_queries(MAX_CHANGELIST_QUERIES) as captured:
        response = client.get(reverse("admin:members_member_changelist"))
    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(*)" in q["sql"] and '"members_member"' in q["sql"]]
    assert counts, "the list counts its rows"
    for sql in counts:
        assert '"members_member"."federation_id" = ' in sql
        assert '"unions_grassrootsunion"' not in sql


def test_member_federation_follows_its_union(world):
    member = world.member()
    assert Member.objects.values_list("federation_id", flat=True).get(pk=member.pk) == world.federation.pk
    other = factories.FederationFactory(parent=Federation.objects.get(code="HN"))
    GrassrootsUnion.objects.filter(pk=world.union.pk).update(federation=other)
    assert Member.objects.values_list("federation_id", flat=True).get(pk=member.pk) == other.pk
    # Whoever writes the row, the copy is the union's: a wrong value is corrected.
    Member.objects.filter(pk=member.pk).update(federation=world.federation)
    assert Member.objects.values_list("federation_id", flat=True).get(pk=member.pk) == other.pk
    member.union, member.group = world.other_union, None
    member.save()
    assert Member.objects.values_list("federation_id", flat=True).get(pk=member.pk) == world.federation.pk
