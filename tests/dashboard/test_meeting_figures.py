"""The dashboard's meeting figures: per kind, attendance rates, quiet groups, overdue tasks; scoped, as of a day."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from apps.dashboard import figures, selectors
from apps.dashboard.models import PendingFiguresChange, UnionFigures
from apps.meetings.models import Attendance, FollowUpTask, Meeting
from apps.unions.models import Sector
from tests import factories
from tests.dashboard.test_figures import snapshot

# The period the dashboard shows on the cut-off of 31/05/2022: from the day after the one of 30/11/2021.
START, AS_OF = dt.date(2021, 12, 1), dt.date(2022, 5, 31)
PRESENT, LATE, ABSENT = Attendance.Presence.PRESENT, Attendance.Presence.LATE, Attendance.Presence.ABSENT


def attend(meeting, *presences, union=None, invited=True, role=Attendance.Role.PARTICIPANT):
    for number, presence in enumerate(presences):
        Attendance.objects.create(
            meeting=meeting,
            union=union,
            name=f"Người dự {number}",
            role=role,
            invited=invited,
            presence=presence,
            absence_reason="Ốm" if presence == ABSENT else "",
        )


@pytest.fixture
def meetings(federation_a, federation_b, union_a1, union_a2, union_b1):
    """A1 (enterprise sector) and A2 (schools) in federation A; B1 in federation B.

    - A1's workers' conference: 4 invited, 3 came, 1 absent, and a walk-in (75,0 %);
    - A1's training, cancelled (counts nowhere);
    - A2's executive committee, nobody on its list (no rate);
    - the federation's seminar for the enterprise sector, A1 and A2 invited: the presiding
      chair, one from A1, three from A2 (present, late, absent): 5 invited, 4 came (80,0 %);
    - A1's conference after the as-of day, and B1's meeting (another federation).
    """
    union_a2.sector = factories.sector("truong-hoc")
    union_a2.save()
    held = Meeting.Status.HELD
    conference = factories.MeetingFactory(
        federation=federation_a,
        organiser_union=union_a1,
        kind=Meeting.Kind.WORKERS_CONFERENCE,
        title="Hội nghị người lao động 2022",
        held_on=dt.date(2022, 3, 10),
        status=held,
    )
    attend(conference, PRESENT, PRESENT, LATE, ABSENT, union=union_a1)
    attend(conference, PRESENT, union=union_a1, invited=False)
    training = factories.MeetingFactory(
        federation=federation_a,
        organiser_union=union_a1,
        kind=Meeting.Kind.TRAINING,
        title="Tập huấn bị hủy",
        held_on=dt.date(2022, 4, 1),
        status=Meeting.Status.CANCELLED,
    )
    attend(training, ABSENT, ABSENT, union=union_a1)
    committee = factories.MeetingFactory(
        federation=federation_a,
        organiser_union=union_a2,
        kind=Meeting.Kind.EXECUTIVE_COMMITTEE,
        title="Họp Ban Chấp hành quý II",
        held_on=dt.date(2022, 5, 2),
        status=held,
    )
    seminar = factories.MeetingFactory(
        federation=federation_a,
        kind=Meeting.Kind.SEMINAR,
        title="Tọa đàm khối doanh nghiệp",
        held_on=dt.date(2022, 2, 15),
        sector=factories.sector(),
        status=held,
    )
    seminar.participating_unions.set([union_a1, union_a2])
    attend(seminar, PRESENT, role=Attendance.Role.PRESIDING)
    attend(seminar, PRESENT, union=union_a1)
    attend(seminar, PRESENT, LATE, ABSENT, union=union_a2)
    later = factories.MeetingFactory(
        federation=federation_a, organiser_union=union_a1, kind=Meeting.Kind.CONFERENCE, held_on=dt.date(2022, 7, 20)
    )
    attend(later, ABSENT, union=union_a1)
    elsewhere = factories.MeetingFactory(
        federation=federation_b, organiser_union=union_b1, kind=Meeting.Kind.CONFERENCE, held_on=dt.date(2022, 3, 1)
    )
    attend(elsewhere, PRESENT, PRESENT, union=union_b1)
    return {"conference": conference, "committee": committee, "seminar": seminar, "training": training}


def figures_for(user) -> selectors.MeetingFigures:
    with translation.override("vi"):
        return selectors.meeting_figures(start=START, end=AS_OF, user=user, sectors=list(Sector.objects.ordered()))


def rows(rates: list[selectors.AttendanceRate]) -> list[tuple]:
    with translation.override("vi"):
        return [(rate.label, rate.meetings, rate.invited, rate.attended, rate.percent) for rate in rates]


def test_meetings_per_kind_count_only_those_that_took_place_by_the_day(meetings, leader):
    assert figures_for(leader).by_kind == {"workers_conference": 1, "executive_committee": 1, "seminar": 1}
    assert selectors.meetings_by_kind(start=START, end=AS_OF, user=leader, federation=leader.federation) == {
        "workers_conference": 1,
        "executive_committee": 1,
        "seminar": 1,
    }
    # Held again, the training counts.
    meetings["training"].status = Meeting.Status.HELD
    meetings["training"].save()
    assert figures_for(leader).by_kind["training"] == 1


def test_attendance_rate_per_meeting_lowest_first_and_a_dash_without_invitees(meetings, leader):
    lowest = figures_for(leader).lowest_meetings
    with translation.override("vi"):
        assert [(rate.label, rate.held_on, rate.invited, rate.attended, rate.percent) for rate in lowest] == [
            ("Hội nghị người lao động 2022", dt.date(2022, 3, 10), 4, 3, "75,0 %"),
            ("Tọa đàm khối doanh nghiệp", dt.date(2022, 2, 15), 5, 4, "80,0 %"),
            ("Họp Ban Chấp hành quý II", dt.date(2022, 5, 2), 0, 0, "–"),
        ]
    assert lowest[-1].rate is None


def test_attendance_rate_per_union_and_sector(meetings, leader, union_a1, union_a2):
    result = figures_for(leader)
    assert rows(result.by_union) == [
        (union_a1.name, 1, 4, 3, "75,0 %"),
        ("LĐLĐ", 1, 5, 4, "80,0 %"),
        (union_a2.name, 1, 0, 0, "–"),
    ]
    # The seminar was for the enterprise sector, as A1 is; A2's committee is in the schools'.
    assert rows(result.by_sector) == [
        ("Trường học công lập", 1, 0, 0, "–"),
        ("Doanh nghiệp ngoài nhà nước", 2, 9, 7, "77,8 %"),
    ]


def test_a_chair_counts_only_their_own_meetings_and_the_people_they_sent(meetings, chair_a1, union_a1, union_a2):
    result = figures_for(chair_a1)
    # Not A2's committee, not B1's meeting; the seminar they were invited to is theirs to read.
    assert result.by_kind == {"workers_conference": 1, "seminar": 1}
    seminar = next(rate for rate in result.lowest_meetings if rate.label == "Tọa đàm khối doanh nghiệp")
    # The presiding official and A1's own delegate: never A2's three.
    assert (seminar.invited, seminar.attended) == (2, 2)
    labels = [rate.label for rate in result.by_union]
    assert union_a2.name not in labels
    assert sum(rate.invited for rate in result.by_sector) == 4 + 2


def test_overdue_tasks_as_of_a_date(meetings, federation_a, district_staff, leader, chair_a2, union_b1):
    conference, seminar = meetings["conference"], meetings["seminar"]
    due = dt.date(2022, 5, 1)
    FollowUpTask.objects.create(meeting=conference, description="Gửi biên bản", owner=district_staff, due_on=due)
    FollowUpTask.objects.create(
        meeting=conference, description="Đã xong", owner=district_staff, due_on=due, done_on=dt.date(2022, 5, 10)
    )
    FollowUpTask.objects.create(
        meeting=seminar, description="Xong muộn", owner=leader, due_on=due, done_on=dt.date(2022, 6, 5)
    )
    FollowUpTask.objects.create(meeting=seminar, description="Chưa tới hạn", owner=leader, due_on=dt.date(2022, 6, 15))
    elsewhere = Meeting.objects.get(organiser_union=union_b1)
    FollowUpTask.objects.create(meeting=elsewhere, description="Quận khác", owner=leader, due_on=due)

    def overdue(user, day):
        return sorted(
            selectors.overdue_tasks(as_of=day, user=user, federation=federation_a).values_list("description", flat=True)
        )

    assert overdue(district_staff, AS_OF) == ["Gửi biên bản", "Xong muộn"]
    assert overdue(district_staff, dt.date(2022, 6, 10)) == ["Gửi biên bản"]
    assert overdue(district_staff, dt.date(2022, 6, 20)) == ["Chưa tới hạn", "Gửi biên bản"]
    assert overdue(district_staff, dt.date(2022, 5, 1)) == []
    # A2's chair reads the seminar they were invited to, not A1's conference.
    assert sorted(selectors.overdue_tasks(as_of=AS_OF, user=chair_a2).values_list("description", flat=True)) == [
        "Xong muộn"
    ]


def test_the_dashboard_shows_them_and_lists_overdue_tasks_to_district_staff(client, meetings, district_staff, leader):
    FollowUpTask.objects.create(
        meeting=meetings["conference"], description="Gửi biên bản hội nghị", owner=leader, due_on=dt.date(2022, 5, 1)
    )
    url = reverse("dashboard:index")
    client.force_login(district_staff)
    body = client.get(url, {"as_of": AS_OF.isoformat()}).content.decode()
    attendance = body.split('id="meeting-attendance"', 1)[1].split("</section>", 1)[0]
    assert "Hội nghị người lao động 2022" in attendance and "75,0\xa0%" in attendance and "–" in attendance
    assert "3 / 4" in attendance and "1 hội nghị" in attendance
    tasks = body.split('id="overdue-tasks"', 1)[1].split("</section>", 1)[0]
    assert "<strong>1</strong>" in tasks and "Gửi biên bản hội nghị" in tasks
    assert "Hội nghị người lao động 2022" in tasks

    client.force_login(leader)
    body = client.get(url, {"as_of": AS_OF.isoformat()}).content.decode()
    tasks = body.split('id="overdue-tasks"', 1)[1].split("</section>", 1)[0]
    assert "<strong>1</strong>" in tasks and "Gửi biên bản hội nghị" not in tasks


def test_json_and_export_carry_the_meeting_figures(client, meetings, district_staff):
    client.force_login(district_staff)
    data = client.get(reverse("dashboard:json"), {"as_of": AS_OF.isoformat()}).json()["meetings"]
    assert data["by_kind"] == {"workers_conference": 1, "executive_committee": 1, "seminar": 1}
    assert data["overdue_tasks"] == 0
    by_name = {row["name"]: row for row in data["attendance_by_union"]}
    assert by_name["Công đoàn Trường THCS Ngô Quyền"]["rate"] == 75.0
    assert by_name["Công đoàn Công ty CP May Thăng Long"]["rate"] is None

    response = client.get(reverse("dashboard:export"), {"as_of": AS_OF.isoformat()})
    book = load_workbook(BytesIO(b"".join(response.streaming_content if response.streaming else [response.content])))
    assert "Hội nghị" in book.sheetnames and "Tham dự theo CĐCS" in book.sheetnames
    values = [cell for row in book["Tham dự theo CĐCS"].iter_rows(values_only=True) for cell in row]
    assert "Công đoàn Trường THCS Ngô Quyền" in values and 75.0 in values


def test_meeting_figures_take_three_queries_whatever_the_data(meetings, leader, django_assert_num_queries):
    sectors = list(Sector.objects.ordered())
    with django_assert_num_queries(3):
        selectors.meeting_figures(start=START, end=AS_OF, user=leader, sectors=sectors)
    for number in range(5):
        union = factories.GrassrootsUnionFactory(federation=leader.federation)
        meeting = factories.MeetingFactory(
            federation=leader.federation, organiser_union=union, held_on=dt.date(2022, 1, number + 1)
        )
        attend(meeting, PRESENT, ABSENT, union=union)
    with django_assert_num_queries(3):
        result = selectors.meeting_figures(start=START, end=AS_OF, user=leader, sectors=sectors)
    assert len(result.by_union) == 3 + 5


# --- quiet groups: a cancelled meeting is not a meeting held -------------------------------

QUIET_DAY = dt.date(2022, 6, 30)
QUIET_DAYS = [dt.date(2022, 3, 31), QUIET_DAY, dt.date(2022, 9, 30)]


def assert_kept_rows_are_exact() -> None:
    figures.ensure_figures(QUIET_DAYS)
    assert not PendingFiguresChange.objects.exists()
    kept = snapshot()
    figures.forget_all()
    figures.ensure_figures(QUIET_DAYS)
    assert snapshot() == kept


def quiet_on(union, day) -> int:
    figures.ensure_figures([day])
    return UnionFigures.objects.get(union=union, day=day).quiet_groups


def test_a_cancelled_group_meeting_leaves_the_group_quiet_and_the_kept_figures_follow_its_status(
    federation_a, union_a1, district_staff
):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.UnionGroupFactory(union=union_a1, name="Tổ Bảo vệ")
    figures.ensure_figures(QUIET_DAYS)
    meeting = factories.MeetingFactory(
        federation=federation_a,
        organiser_union=union_a1,
        group=group,
        kind=Meeting.Kind.GROUP_MEETING,
        held_on=dt.date(2022, 6, 1),
        status=Meeting.Status.CANCELLED,
    )
    assert quiet_on(union_a1, QUIET_DAY) == 2
    assert group in selectors.groups_without_recent_meeting(as_of=QUIET_DAY, user=district_staff)
    assert_kept_rows_are_exact()

    for status, quiet in ((Meeting.Status.HELD, 1), (Meeting.Status.CANCELLED, 2), (Meeting.Status.PLANNED, 1)):
        # Through a queryset update as an import would: only the trigger sees it.
        Meeting.objects.filter(pk=meeting.pk).update(status=status)
        assert quiet_on(union_a1, QUIET_DAY) == quiet, status
        quiet_groups = selectors.groups_without_recent_meeting(as_of=QUIET_DAY, user=district_staff)
        assert (group in quiet_groups) == (quiet == 2)
        assert_kept_rows_are_exact()
    # A meeting planned after the day has not been held on it.
    assert quiet_on(union_a1, dt.date(2022, 5, 31)) == 2
