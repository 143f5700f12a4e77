"""The demo district reproduces the federation's July 2021 report exactly, and loads once."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, F, Max, Q, Sum
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import User
from apps.dashboard import selectors
from apps.demo.district import (
    DEMO_PASSWORD,
    STATE_FUNDED_DISSOLVED_ON,
    last_report_day,
    plan_district,
    ward_union_code,
)
from apps.meetings.models import Attendance, FollowUpTask, Meeting
from apps.members.models import Member, MembershipPeriod, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import (
    Decision,
    DepartmentUnion,
    Federation,
    GrassrootsUnion,
    Sector,
    UnionAffiliation,
    WorkforceDeclaration,
)
from tests.unions.periods import uncovered_unions

REPORT_DAY = date(2021, 7, 9)


@pytest.fixture
def seeded(db, settings) -> str:
    settings.DEBUG = True  # as `make run` and .ci/run load it
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def membership_as_of(day: date) -> tuple[int, int]:
    periods = MembershipPeriod.objects.as_of(day)
    return periods.count(), periods.filter(member__gender="female").count()


def test_plan_is_the_same_every_time():
    first, second = plan_district(), plan_district()

    def fingerprint(plan):
        return [
            (unit.code, unit.employer_name, [(p.full_name, p.national_id) for p in unit.people]) for unit in plan.units
        ]

    assert fingerprint(first) == fingerprint(second)


def test_demo_district_matches_the_report(seeded):
    district = Federation.objects.get(code="TH")
    assert district.name == "Liên đoàn Lao động quận Tây Hồ"
    assert district.parent.code == "HN"

    # The reference district, and the two CĐCS founded in 2025 (apps.demo.law_2024).
    assert GrassrootsUnion.objects.count() == 337
    unions = GrassrootsUnion.objects.filter(established_on__lte=REPORT_DAY)
    assert unions.count() == 335
    # As organised then: all 335 were the district's; since its end on 01/07/2025 it holds only
    # its 25 public-service CĐCS, dissolved on 15/06/2025 by its decision (their last superior).
    assert UnionAffiliation.objects.as_of(REPORT_DAY).filter(federation=district).count() == 335
    left_behind = GrassrootsUnion.objects.filter(federation=district)
    assert set(left_behind.values_list("sector__code", "status", "dissolved_on")) == {
        ("hcsn", "dissolved", STATE_FUNDED_DISSOLVED_ON)
    }
    assert left_behind.count() == 25
    assert set(left_behind.values_list("dissolution_decision__number", flat=True)) == {"86/QĐ-LĐLĐ"}
    assert not GrassrootsUnion.objects.filter(status="active", federation__kind=Federation.Kind.DISTRICT).exists()
    # Bulk-created, as the synthetic city's: each still opens its first period under its federation.
    assert uncovered_unions() == []
    by_sector = dict(unions.order_by().values("sector__code").annotate(n=Count("id")).values_list("sector__code", "n"))
    assert by_sector == {"hcsn": 25, "truong-hoc": 80, "dn-ngoai-nha-nuoc": 230}

    reported = WorkforceDeclaration.objects.filter(as_of__lte=REPORT_DAY)
    workforce = reported.aggregate(workers=Sum("total_workers"), women=Sum("female_workers"))
    assert workforce == {"workers": 14_327, "women": 8_538}
    assert reported.count() == 335
    # Since then most units still running declared again on the last half-yearly reporting day.
    recent = WorkforceDeclaration.objects.filter(as_of__gt=REPORT_DAY, union__in=unions)
    assert set(recent.values_list("as_of", flat=True)) == {last_report_day(timezone.localdate())}
    assert 0.95 * 310 <= recent.count() < 310
    assert not recent.filter(union__status="dissolved").exists()
    # So "needs attention" today lists a handful of real cases, not every unit and group.
    staff = User.objects.get(username="canbo")
    counts = selectors.attention_counts(as_of=timezone.localdate(), user=staff, federation=staff.federation)
    assert 0 < counts["stale_workforce"] <= 0.05 * 335
    assert 0 < counts["quiet_groups"] <= 0.08 * 835
    assert counts["low_ratio"] <= 5
    assert counts["more_members_than_workers"] == counts["group_without_leader"] == 0

    assert membership_as_of(REPORT_DAY) == (13_734, 8_072)
    # The dissolved CĐCS's members left on 15/06/2025 with the reason "CĐCS giải thể"; the day
    # before still counts them.
    dissolved = MembershipPeriod.objects.filter(union__in=left_behind)
    assert dissolved.filter(ended_on=None).count() == 0
    gone = dissolved.filter(ended_on=STATE_FUNDED_DISSOLVED_ON, end_reason="CĐCS giải thể")
    gone_women = gone.filter(member__gender="female").count()
    eve = STATE_FUNDED_DISSOLVED_ON - timedelta(days=1)
    assert gone.count() == MembershipPeriod.objects.as_of(eve).filter(union__in=left_behind).count() > 800
    assert membership_as_of(eve) == (13_734, 8_072)
    assert Member.objects.filter(status="active", union__in=unions).count() == 13_734 - gone.count()
    # Since August 2025: ten members of an FDI enterprise (four foreign engineers) and five drivers.
    assert membership_as_of(timezone.localdate()) == (13_749 - gone.count(), 8_078 - gone_women)
    assert not MembershipPeriod.objects.exclude(union=F("member__union")).exists()
    assert not MembershipPeriod.objects.exclude(started_on=F("member__joined_union_on")).exists()

    assert unions.filter(groups__isnull=False).distinct().count() == 265
    assert unions.filter(department_unions__isnull=False).distinct().count() == 2
    assert UnionGroup.objects.count() == 835
    assert UnionGroup.objects.filter(department_union__isnull=False).exists()
    assert DepartmentUnion.objects.values("union").distinct().count() == 2
    # Everyone in a running union with groups is in one of its groups, and so is their period
    # (a dissolved CĐCS's members left their groups; their periods keep the group they were in).
    members = Member.objects.exclude(union__status="dissolved")
    periods = MembershipPeriod.objects.exclude(union__status="dissolved")
    assert not members.filter(group__isnull=True, union__groups__isnull=False).exists()
    same_group = periods.filter(group=F("member__group")).count()
    both_without = periods.filter(group__isnull=True, member__group__isnull=True).count()
    assert same_group + both_without == members.count()
    assert same_group == members.filter(group__isnull=False).count()
    assert not Member.objects.filter(union__status="dissolved", group__isnull=False).exists()

    assert_each_union_has_no_more_members_than_workers()


def test_people_offices_seminar_and_accounts(seeded):
    assert_people_and_offices_are_consistent()
    assert_the_third_enterprise_seminar_is_recorded()
    assert_demo_accounts_can_sign_in()
    assert_a_year_of_meetings_around_each_day()


def assert_a_year_of_meetings_around_each_day():
    today = timezone.localdate()
    meetings = Meeting.objects.all()
    kinds = set(meetings.values_list("kind", flat=True))
    assert kinds == set(Meeting.Kind.values)
    # Every CĐCS held its workers' conference of 2021 (early in the year, before the reference day).
    conferences = meetings.filter(kind="workers_conference", held_on__year=2021)
    assert conferences.values("organiser_union").distinct().count() == 335
    # A few cancelled; those after today still planned; none planned in the past.
    assert 0 < meetings.filter(status="cancelled").count() < 0.05 * meetings.count()
    assert meetings.filter(status="planned", held_on__gt=today).exists()
    assert not meetings.filter(status="planned", held_on__lte=today).exists()
    assert not meetings.filter(status="held", held_on__gt=today).exists()
    # Most groups meet every month or two around both days; some have gone quiet.
    staff = User.objects.get(username="canbo")
    for day in (REPORT_DAY, today):
        quiet = selectors.attention_counts(as_of=day, user=staff, federation=staff.federation)["quiet_groups"]
        assert 0 < quiet <= 0.08 * 835, day
        in_quarter = meetings.filter(kind="group_meeting", held_on__gt=day - timedelta(days=92), held_on__lte=day)
        running = UnionGroup.objects.filter(Q(dissolved_on=None) | Q(dissolved_on__gt=day)).count()
        assert in_quarter.exclude(status="cancelled").values("group").distinct().count() >= 0.9 * running
    # A CĐCS dissolved on 15/06/2025 meets no more, nor do its groups.
    assert not meetings.filter(organiser_union__status="dissolved", held_on__gte=STATE_FUNDED_DISSOLVED_ON).exists()
    # Group meetings' attendance comes from the group's own roster.
    attended = Attendance.objects.filter(meeting__kind="group_meeting")
    assert attended.count() > 10_000
    # (A dissolved CĐCS's members are in no group since 15/06/2025: the rule holds for the others.)
    running_groups = attended.exclude(meeting__organiser_union__status="dissolved")
    assert not running_groups.exclude(member__group=F("meeting__group")).exists()
    assert attended.filter(presence="absent").exclude(absence_reason="").exists()
    assert not attended.filter(presence="absent", absence_reason="").exists()
    # Follow-up tasks of recent meetings: canbo_phuong has one past due (of the ward union's own
    # committee), chutich1 one of their own CĐCS's.
    ward_staff = User.objects.get(username="canbo_phuong")
    overdue = selectors.overdue_tasks(as_of=today, user=ward_staff, federation=ward_staff.federation)
    assert overdue.filter(owner=ward_staff).count() == 1
    assert overdue.get(owner=ward_staff).meeting.federation == ward_staff.federation
    # The district held its own meetings until its end, the ward union from its founding; a
    # CĐCS's meetings belong to its superior of the day, as its figures do.
    ended = date(2025, 7, 1)
    district_meetings = meetings.filter(federation__code="TH")
    assert district_meetings.exists() and not district_meetings.filter(held_on__gte=ended).exists()
    hosted = meetings.filter(federation=ward_staff.federation, organiser_union=None)
    assert hosted.exists() and not hosted.filter(held_on__lt=ended).exists()
    for meeting in (
        meetings.filter(held_on__gte=ended).exclude(organiser_union=None).select_related("organiser_union")[:300]
    ):
        assert meeting.federation_id == meeting.organiser_union.federation_id, meeting.pk
    chair = User.objects.get(username="chutich1")
    own = selectors.overdue_tasks(as_of=today, user=chair)
    assert own.count() == 1 and own.get().meeting.organiser_union == chair.union
    assert FollowUpTask.objects.filter(owner=chair, done_on__isnull=True, due_on__gt=today).exists()


def assert_each_union_has_no_more_members_than_workers():
    periods = MembershipPeriod.objects.as_of(REPORT_DAY).order_by().values("union")
    members = dict(periods.annotate(n=Count("id")).values_list("union", "n"))
    women = dict(periods.filter(member__gender="female").annotate(n=Count("id")).values_list("union", "n"))
    declarations = WorkforceDeclaration.objects.filter(union__established_on__lte=REPORT_DAY).values_list(
        "union", "total_workers", "female_workers"
    )
    for union_id, workers, female_workers in declarations:
        assert 1 <= members[union_id] <= workers
        assert women.get(union_id, 0) <= female_workers
        assert members[union_id] - women.get(union_id, 0) <= workers - female_workers


def assert_people_and_offices_are_consistent():
    reference = Member.objects.filter(union__established_on__lte=REPORT_DAY)
    assert not reference.exclude(national_id__regex=r"^[0-9]{12}$").exists()
    assert reference.values("national_id").distinct().count() == 13_734
    assert reference.exclude(given_name="").count() == 13_734
    assert not reference.filter(joined_union_on__gt=REPORT_DAY).exists()
    assert Member.objects.aggregate(oldest=Max("date_of_birth"))["oldest"] < date(2002, 1, 1)
    # Card numbers follow the portal's own rule (members.services.card_number), with the code of
    # the federation that issued them: the district's, kept when their CĐCS moved to a ward in 2025.
    for member in reference[:50]:
        assert member.card_number == f"TH-{member.pk:07d}"
    for member in Member.objects.filter(union__established_on__gt=REPORT_DAY).select_related("union__federation"):
        assert member.card_number == f"{member.union.federation.code}-{member.pk:07d}"

    chairs = UnionOfficial.objects.filter(role="chair")
    assert chairs.count() == 335
    assert chairs.values("union").distinct().count() == 335
    leaders = UnionOfficial.objects.filter(role="group_leader")
    assert leaders.count() == 835
    # Those of the CĐCS dissolved on 15/06/2025 ended that day, their members out of any group.
    running = leaders.exclude(union__status="dissolved")
    assert running.filter(member__group=F("group")).count() == running.count() > 700
    assert set(leaders.filter(union__status="dissolved").values_list("ended_on", flat=True)) == {
        STATE_FUNDED_DISSOLVED_ON
    }
    assert not UnionOfficial.objects.exclude(member__union=F("union")).exists()
    assert not UnionOfficial.objects.filter(started_on__gt=REPORT_DAY).exists()


def assert_the_third_enterprise_seminar_is_recorded():
    seminar = Meeting.objects.with_series_number().get(kind="seminar", held_on=REPORT_DAY)
    assert seminar.series_number == 3
    assert seminar.title == "Nâng cao chất lượng hoạt động Tổ Công đoàn cơ sở"
    assert seminar.federation.code == "TH"
    assert seminar.organiser_union is None
    assert seminar.sector.code == "dn-ngoai-nha-nuoc"
    assert seminar.topics
    assert seminar.conclusions
    assert seminar.participating_unions.count() >= 24
    assert not seminar.participating_unions.exclude(sector__code="dn-ngoai-nha-nuoc").exists()

    assert seminar.discussion
    assert seminar.conclusions.startswith("Đồng chí Trần Thị Minh Thu, Chủ tịch LĐLĐ quận, kết luận:")
    assert "trước ngày 30/9/2021" in seminar.conclusions

    attendances = seminar.attendances.all()
    # Presided by the federation's chair with its two vice-chairs, all there.
    presiding = attendances.filter(role=Attendance.Role.PRESIDING)
    assert sorted(presiding.values_list("name", "position")) == [
        ("Lê Đức Thắng", "Phó Chủ tịch LĐLĐ quận"),
        ("Phạm Thị Hồng Vân", "Phó Chủ tịch LĐLĐ quận"),
        ("Trần Thị Minh Thu", "Chủ tịch LĐLĐ quận"),
    ]
    assert set(presiding.values_list("presence", flat=True)) == {Attendance.Presence.PRESENT}
    assert attendances.filter(name="Tổ trưởng, đại diện tổ công đoàn", headcount__gt=1).exists()
    # Each invited CĐCS's chair was invited: most came, a few were absent with a reason.
    chairs = attendances.filter(member__offices__role="chair", role=Attendance.Role.PARTICIPANT)
    assert chairs.count() == seminar.participating_unions.count()
    assert set(chairs.values_list("union", flat=True)) == set(seminar.participating_unions.values_list("pk", flat=True))
    assert not chairs.exclude(member__union=F("union")).exists()
    assert not chairs.filter(invited=False).exists()
    absent = chairs.filter(presence=Attendance.Presence.ABSENT)
    assert 1 <= absent.count() <= 5 and not absent.filter(absence_reason="").exists()
    assert chairs.filter(presence=Attendance.Presence.PRESENT).count() == chairs.count() - absent.count()
    # Group leaders spoke (tham luận).
    speakers = attendances.filter(role=Attendance.Role.REPORTING)
    assert speakers.exists()
    assert speakers.filter(member__offices__role="group_leader").distinct().count() == speakers.count()

    # Its follow-up, owned by the district staff account, done in 2021.
    tasks = seminar.follow_up_tasks.all()
    assert tasks.count() == 2
    assert set(tasks.values_list("owner__username", flat=True)) == {"canbo"}
    assert not tasks.filter(done_on__isnull=True).exists()
    assert all(task.due_on > REPORT_DAY and task.done_on <= task.due_on for task in tasks)

    # On the dashboard of its day: the chairs who came, the officials and the delegation, of all invited.
    leader = User.objects.get(username="lanhdao")
    figures = selectors.meeting_figures(
        start=date(2021, 6, 1), end=REPORT_DAY, user=leader, sectors=list(Sector.objects.ordered())
    )
    assert figures.by_kind["seminar"] == 1
    shown = next((row for row in figures.lowest_meetings if row.label == seminar.title), None)
    invited = sum(attendances.filter(invited=True).values_list("headcount", flat=True))
    came = sum(attendances.filter(invited=True, presence__in=["present", "late"]).values_list("headcount", flat=True))
    assert 0.9 * invited <= came < invited
    if shown is not None:  # among the ten lowest of the period
        assert (shown.invited, shown.attended) == (invited, came)


def assert_demo_accounts_can_sign_in():
    # The district's accounts went to the city federation when the district ended (README).
    city, ward = Federation.objects.get(code="HN"), Federation.objects.get(code="P-PHUTHUONG")
    expected = {
        "canbo": (User.Role.DISTRICT_STAFF, city, None),
        "lanhdao": (User.Role.LEADER, city, None),
        "canbo_phuong": (User.Role.DISTRICT_STAFF, ward, None),
        "chutich1": (User.Role.UNION_CHAIR, None, GrassrootsUnion.objects.get(code="TH-TH-001")),
        "chutich2": (User.Role.UNION_CHAIR, None, GrassrootsUnion.objects.get(code="TH-DN-001")),
    }
    for username, (role, federation, union) in expected.items():
        user = User.objects.get(username=username)
        assert (user.role, user.federation, user.union) == (role, federation, union)
        assert user.is_staff and not user.is_superuser
        assert user.first_name and user.last_name
    assert User.objects.get(username="quantri").is_superuser
    # The chair's account is the person who chairs the union.
    chair = User.objects.get(username="chutich1")
    assert UnionOfficial.objects.filter(
        role="chair", union=chair.union, member__full_name=f"{chair.last_name} {chair.first_name}"
    ).exists()

    # In development (debug on) the README's password opens every demo account.
    for username in DEMO_USERNAMES:
        request = RequestFactory().post("/admin/login/")
        assert authenticate(request, username=username, password=DEMO_PASSWORD) is not None, username


WARD_CODES = ["P-HONGHA", "P-PHUTHUONG", "P-TAYHO", "P-XUANDINH"]


def test_the_district_ended_and_four_ward_unions_took_its_cdcs(seeded):
    city, district = Federation.objects.get(code="HN"), Federation.objects.get(code="TH")
    assert (city.kind, district.kind) == (Federation.Kind.PROVINCE, Federation.Kind.DISTRICT)
    # Ended by a recorded decision: its last day is 30/06/2025.
    assert (district.founded_on, district.ended_on, district.parent) == (date(1996, 1, 1), date(2025, 7, 1), city)
    ending = district.ending_decision
    assert date(2025, 6, 20) <= ending.signed_on <= date(2025, 6, 30)
    assert district.history.filter(ended_on=date(2025, 7, 1), history_change_reason__contains=ending.number).exists()
    wards = list(Federation.objects.filter(kind=Federation.Kind.COMMUNE).order_by("code"))
    assert [ward.code for ward in wards] == WARD_CODES
    founding = wards[0].founding_decision
    assert date(2025, 6, 20) <= founding.signed_on <= date(2025, 6, 30)
    for ward in wards:
        assert (ward.parent, ward.founded_on, ward.founding_decision, ward.ended_on) == (
            city,
            date(2025, 7, 1),
            founding,
            None,
        )
        ward.full_clean()

    # Every CĐCS still running moved on 01/07/2025 with the decision, to the ward of its address
    # (the 25 public-service CĐCS dissolved on 15/06/2025 stayed the district's).
    moved = UnionAffiliation.objects.filter(started_on=date(2025, 7, 1))
    assert moved.count() == 310
    assert set(moved.values_list("decision", flat=True)) == {ending.pk}
    assert not UnionAffiliation.objects.filter(federation=district, ended_on__isnull=True).exists()
    assert uncovered_unions() == []
    running = GrassrootsUnion.objects.filter(status="active")
    for union in running.filter(established_on__lte=REPORT_DAY).select_related("federation"):
        assert union.federation.code == ward_union_code(union.address), union.code
    # Each ward took some of them; the 2025 CĐCS were founded under their ward directly.
    per_ward = dict(
        running.order_by().values("federation__code").annotate(n=Count("id")).values_list("federation__code", "n")
    )
    assert sorted(per_ward) == WARD_CODES and min(per_ward.values()) >= 30
    assert sum(per_ward.values()) == 312
    founded_since = GrassrootsUnion.objects.filter(established_on__gt=date(2025, 7, 1))
    assert {(union.code, union.federation.code) for union in founded_since} == {
        ("TH-FDI-001", "P-XUANDINH"),
        ("TH-ND-001", "P-TAYHO"),
    }
    assert not UnionAffiliation.objects.filter(union__in=founded_since, federation=district).exists()


def test_the_accounts_follow_the_reorganisation(seeded):
    today = timezone.localdate()
    city, district = Federation.objects.get(code="HN"), Federation.objects.get(code="TH")
    staff, leader = User.objects.get(username="canbo"), User.objects.get(username="lanhdao")
    ward_staff = User.objects.get(username="canbo_phuong")
    assert not User.objects.filter(federation=district).exists()

    # The district's former staff read its July 2021 figures as organised then, and through the city.
    for user in (staff, leader):
        for federation in (district, city):
            then = selectors.district_summary(as_of=REPORT_DAY, user=user, federation=federation)
            assert (then.unions, then.members, then.female_members) == (335, 13_734, 8_072), (user, federation)
            assert (then.workers, then.female_workers) == (14_327, 8_538)
    # Today the city holds the wards with all the moved CĐCS and those founded since.
    now = selectors.district_summary(as_of=today, user=staff, federation=city)
    # All but the 25 dissolved CĐCS and their members (the 15 joined since 2025 among them).
    dissolved = MembershipPeriod.objects.filter(union__status="dissolved", ended_on=STATE_FUNDED_DISSOLVED_ON)
    running_members = 13_749 - dissolved.count()
    assert (now.unions, now.members) == (312, running_members)
    wards = [Federation.objects.get(code=code) for code in WARD_CODES]
    by_ward = [selectors.district_summary(as_of=today, user=staff, federation=ward) for ward in wards]
    assert sum(summary.unions for summary in by_ward) == 312
    assert sum(summary.members for summary in by_ward) == running_members
    # The city's dashboard shows the wards today, and the district as organised in 2021.
    today_rows = selectors.figures_by_subordinate(as_of=today, user=staff, federation=city)
    assert [(row.federation.code, row.unions, row.members) for row in today_rows] == sorted(
        ((ward.code, summary.unions, summary.members) for ward, summary in zip(wards, by_ward, strict=True)),
        key=lambda row: Federation.objects.get(code=row[0]).name,
    )
    then_rows = selectors.figures_by_subordinate(as_of=REPORT_DAY, user=leader, federation=city)
    assert [(row.federation, row.unions, row.members) for row in then_rows] == [(district, 335, 13_734)]
    client = Client()
    client.force_login(staff)

    def subordinates_section(**query) -> str:
        page = client.get(reverse("dashboard:index"), query).content.decode()
        return page.split("Theo đơn vị trực thuộc", 1)[1].split("</section>", 1)[0]

    today_section = subordinates_section()
    assert all(ward.name in today_section for ward in wards) and district.name not in today_section
    then_section = subordinates_section(as_of="2021-07-09")
    assert district.name in then_section and not any(ward.name in then_section for ward in wards)
    # Nothing was the wards' before they were founded; the district holds nothing today.
    assert all(selectors.district_summary(as_of=REPORT_DAY, user=staff, federation=ward).unions == 0 for ward in wards)
    assert selectors.district_summary(as_of=today, user=staff, federation=district).unions == 0

    # The ward account sees its own ward's CĐCS only, their members and their history before the move.
    ward = ward_staff.federation
    own = GrassrootsUnion.objects.filter(federation=ward)
    assert set(GrassrootsUnion.objects.visible_to(ward_staff)) == set(own)
    assert not GrassrootsUnion.objects.visible_to(ward_staff).exclude(federation=ward).exists()
    assert set(Member.objects.visible_to(ward_staff)) == set(Member.objects.filter(union__in=own))
    periods = MembershipPeriod.objects.visible_to(ward_staff)
    assert (
        periods.filter(started_on__lt=date(2025, 7, 1)).count()
        == MembershipPeriod.objects.filter(union__in=own, started_on__lt=date(2025, 7, 1)).count()
        > 0
    )
    mine = selectors.district_summary(as_of=today, user=ward_staff, federation=ward)
    seen_by_city = selectors.district_summary(as_of=today, user=staff, federation=ward)
    assert (mine.unions, mine.members, mine.workers) == (
        seen_by_city.unions,
        seen_by_city.members,
        seen_by_city.workers,
    )
    assert 0 < mine.unions < 335


def test_seeding_twice_changes_nothing(seeded):
    models = [
        Federation,
        Decision,
        GrassrootsUnion,
        DepartmentUnion,
        WorkforceDeclaration,
        UnionGroup,
        Member,
        MembershipPeriod,
        UnionOfficial,
        Meeting,
        Attendance,
        FollowUpTask,
        User,
    ]

    def snapshot():
        return {model.__name__: model.objects.aggregate(n=Count("pk"), last=Max("pk")) for model in models}

    before = snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)

    assert "Dữ liệu mẫu đã có sẵn — không thay đổi gì." in out.getvalue()
    assert snapshot() == before
    assert "13.734" in seeded
    assert "Tọa đàm lần thứ 3 khối doanh nghiệp ngày 09/07/2021" in seeded
    assert "Ngày 15/06/2025 giải thể 25 CĐCS hành chính sự nghiệp" in seeded
    assert "Từ ngày 01/07/2025 Liên đoàn Lao động quận Tây Hồ kết thúc hoạt động" in seeded
    assert "4 công đoàn phường: Tây Hồ, Phú Thượng, Hồng Hà, Xuân Đỉnh" in seeded
    assert f"mật khẩu chung: {DEMO_PASSWORD}" in seeded


# With debug off the database may be a real one: the published password must never open it.

DEMO_USERNAMES = ["canbo", "lanhdao", "chutich1", "chutich2", "quantri", "canbo_phuong"]


def signs_in(username: str, password: str) -> bool:
    return authenticate(RequestFactory().post("/admin/login/"), username=username, password=password) is not None


def test_seed_demo_refuses_a_production_database_without_the_flag(db, settings):
    settings.DEBUG = False
    out = StringIO()

    with pytest.raises(CommandError) as error:
        call_command("seed_demo", stdout=out)

    assert "--allow-production" in str(error.value)
    assert "DJANGO_DEBUG" in str(error.value)
    assert not Federation.objects.exists()
    assert not Member.objects.exists()
    assert not User.objects.exists()
    assert out.getvalue() == ""


def printed_passwords(output: str) -> dict[str, str]:
    """The password table of seed_demo's output: username → password."""
    rows = {}
    for line in output.splitlines():
        words = line.split()
        if words and words[0] in DEMO_USERNAMES:
            rows[words[0]] = words[-1]
    return rows


def test_seed_demo_with_the_flag_gives_each_account_its_own_random_password(db, settings):
    settings.DEBUG = False
    out = StringIO()

    call_command("seed_demo", allow_production=True, stdout=out)

    output = out.getvalue()
    passwords = printed_passwords(output)
    assert sorted(passwords) == sorted(DEMO_USERNAMES)
    assert len(set(passwords.values())) == len(DEMO_USERNAMES)
    assert DEMO_PASSWORD not in output
    for username, password in passwords.items():
        assert len(password) >= 16
        assert output.count(password) == 1, username
        assert signs_in(username, password), username
        assert not signs_in(username, DEMO_PASSWORD), username
        # Only the hash is kept.
        assert password not in User.objects.get(username=username).password
    assert User.objects.get(username="quantri").is_superuser
    assert Member.objects.count() == 13_734 + 15  # and the fifteen of 2025 (apps.demo.law_2024)

    again = StringIO()
    call_command("seed_demo", allow_production=True, stdout=again)
    assert "Dữ liệu mẫu đã có sẵn — không thay đổi gì." in again.getvalue()
    assert not any(password in again.getvalue() for password in passwords.values())


def test_the_trade_union_law_2024_shows_after_the_reference_day(seeded):
    foreign = Member.objects.exclude(nationality="VN")
    assert sorted(foreign.values_list("nationality", flat=True)) == ["JP", "KR", "KR", "KR"]
    assert all(24 <= months <= 36 for months in foreign.values_list("contract_months", flat=True))
    assert set(foreign.values_list("union__sector__code", flat=True)) == {"dn-fdi"}
    assert not UnionOfficial.objects.filter(member__in=foreign).exists()
    (occupational,) = GrassrootsUnion.objects.filter(kind=GrassrootsUnion.Kind.OCCUPATIONAL)
    assert occupational.members.count() == 5 and occupational.established_on > REPORT_DAY
    staff = User.objects.get(username="canbo")
    today = selectors.district_summary(as_of=timezone.localdate(), user=staff, federation=staff.federation)
    assert today.foreign_members == 4
    assert selectors.district_summary(as_of=REPORT_DAY, user=staff, federation=staff.federation).foreign_members == 0
