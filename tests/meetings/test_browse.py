"""The meetings people browse: the list, the month calendar and one meeting's page, scoped like everything else."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.meetings.models import Attendance, FollowUpTask, Meeting
from apps.meetings.selectors import attendance_summary, series_label
from tests import factories

LIST = reverse("meetings:list")
CALENDAR = reverse("meetings:calendar")


def detail(meeting) -> str:
    return reverse("meetings:detail", args=[meeting.pk])


@pytest.fixture
def meetings(union_a1, union_a2, federation_a, federation_b):
    """A federation seminar A1 is invited to, one A2 is invited to, a meeting of each CĐCS, one of federation B."""
    invited_a1 = factories.MeetingFactory(
        federation=federation_a, title="Tọa đàm khối doanh nghiệp", held_on=dt.date(2021, 7, 9)
    )
    invited_a1.participating_unions.add(union_a1, union_a2)
    only_a2 = factories.MeetingFactory(
        federation=federation_a, title="Hội nghị chỉ mời A2", kind=Meeting.Kind.CONFERENCE, held_on=dt.date(2021, 7, 20)
    )
    only_a2.participating_unions.add(union_a2)
    own_a1 = factories.MeetingFactory(
        federation=federation_a,
        organiser_union=union_a1,
        title="Hội nghị người lao động A1",
        kind=Meeting.Kind.WORKERS_CONFERENCE,
        held_on=dt.date(2021, 7, 1),
    )
    own_a2 = factories.MeetingFactory(
        federation=federation_a,
        organiser_union=union_a2,
        title="Hội nghị người lao động A2",
        kind=Meeting.Kind.WORKERS_CONFERENCE,
        held_on=dt.date(2021, 7, 2),
        status=Meeting.Status.HELD,
    )
    other = factories.MeetingFactory(federation=federation_b, title="Tọa đàm quận Đống Đa", held_on=dt.date(2021, 7, 9))
    # At the seminar: the presiding official, a teacher of A1, a worker of A2 (absent) and a walk-in from A2.
    factories.AttendanceFactory(meeting=invited_a1, name="Nguyễn Văn Chủ Trì", role=Attendance.Role.PRESIDING)
    factories.AttendanceFactory(
        meeting=invited_a1, name="Giáo Viên A1", union=union_a1, presence=Attendance.Presence.PRESENT
    )
    factories.AttendanceFactory(
        meeting=invited_a1,
        name="Công Nhân A2",
        union=union_a2,
        presence=Attendance.Presence.ABSENT,
        absence_reason="Ốm",
    )
    factories.AttendanceFactory(
        meeting=invited_a1, name="Khách A2", union=union_a2, invited=False, presence=Attendance.Presence.LATE
    )
    return {"invited_a1": invited_a1, "only_a2": only_a2, "own_a1": own_a1, "own_a2": own_a2, "other": other}


def titles(response) -> set[str]:
    return {meeting.title for meeting in response.context["page"].object_list}


def test_chair_lists_own_and_invited_meetings_only(client, chair_a1, meetings):
    client.force_login(chair_a1)
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == {"Tọa đàm khối doanh nghiệp", "Hội nghị người lao động A1"}
    assert "A2" not in response.content.decode().replace("A2 ", "")  # neither A2's meetings nor its name


def test_staff_and_leader_list_their_federations_meetings(client, district_staff, leader, meetings):
    for user in (district_staff, leader):
        client.force_login(user)
        response = client.get(LIST)
        assert titles(response) == {
            "Tọa đàm khối doanh nghiệp",
            "Hội nghị chỉ mời A2",
            "Hội nghị người lao động A1",
            "Hội nghị người lao động A2",
        }
    assert "Tọa đàm quận Đống Đa" not in response.content.decode()


def test_leader_sees_no_record_or_edit_buttons(client, leader, meetings):
    client.force_login(leader)
    assert reverse("meetings:add") not in client.get(LIST).content.decode()
    assert (
        reverse("meetings:edit", args=[meetings["invited_a1"].pk])
        not in client.get(detail(meetings["invited_a1"])).content.decode()
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"kind": "workers_conference"}, {"Hội nghị người lao động A1", "Hội nghị người lao động A2"}),
        ({"status": "held"}, {"Hội nghị người lao động A2"}),
        ({"organiser": "federation"}, {"Tọa đàm khối doanh nghiệp", "Hội nghị chỉ mời A2"}),
        ({"organiser": "unions"}, {"Hội nghị người lao động A1", "Hội nghị người lao động A2"}),
        ({"union": "A2"}, {"Hội nghị người lao động A2"}),
        ({"union": "may thang long"}, {"Hội nghị người lao động A2"}),
        ({"date_from": "05/07/2021", "date_to": "10/07/2021"}, {"Tọa đàm khối doanh nghiệp"}),
        ({"q": "chỉ mời"}, {"Hội nghị chỉ mời A2"}),
    ],
)
def test_staff_filters_the_list(client, district_staff, meetings, query, expected):
    client.force_login(district_staff)
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert titles(response) == expected


def test_filter_by_sector_and_group(client, district_staff, meetings, union_a1):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.MeetingFactory(
        federation=union_a1.federation,
        organiser_union=union_a1,
        group=group,
        kind=Meeting.Kind.GROUP_MEETING,
        title="Sinh hoạt tổ Văn phòng",
    )
    meetings["invited_a1"].sector = factories.sector()
    meetings["invited_a1"].save()
    client.force_login(district_staff)
    assert titles(client.get(LIST, {"sector": factories.sector().pk})) == {"Tọa đàm khối doanh nghiệp"}
    response = client.get(LIST, {"union": "A1", "group": group.pk})
    assert titles(response) == {"Sinh hoạt tổ Văn phòng"}
    assert "Tổ Văn phòng" in response.content.decode()  # the group filter appears once the union is known


def test_chair_filters_by_own_union_or_federation(client, chair_a1, meetings):
    client.force_login(chair_a1)
    assert titles(client.get(LIST, {"organiser": "own"})) == {"Hội nghị người lao động A1"}
    assert titles(client.get(LIST, {"organiser": "federation"})) == {"Tọa đàm khối doanh nghiệp"}
    # A chair has no union filter: asking for another union's meetings changes nothing.
    assert "union" not in client.get(LIST).context["form"].fields
    assert titles(client.get(LIST, {"union": "A2"})) == {"Tọa đàm khối doanh nghiệp", "Hội nghị người lao động A1"}


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"date_from": "31/02/2021"}, "date_from", "hợp lệ"),
        ({"date_from": "10/07/2021", "date_to": "01/07/2021"}, "date_to", "không được trước"),
        ({"kind": "picnic"}, "kind", "lựa chọn hợp lệ"),
        ({"sector": "999999"}, "sector", "lựa chọn hợp lệ"),
        ({"union": "không có công đoàn này"}, "union", "Không có công đoàn cơ sở"),
        ({"union": "công đoàn"}, "union", "Có nhiều CĐCS khớp"),
    ],
)
def test_bad_filters_say_why_in_vietnamese(client, district_staff, meetings, vi, query, field, message):
    client.force_login(district_staff)
    response = client.get(LIST, query)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    # The bad filter is left out; the list still shows (narrowed by the good ones).
    assert len(titles(response)) == (1 if "date_from" in query and field == "date_to" else 4)


def test_empty_list_says_what_to_do(client, chair_a1, vi):
    client.force_login(chair_a1)
    html = client.get(LIST).content.decode()
    assert "Chưa có hội nghị nào" in html
    assert "Ghi hội nghị" in html


def test_list_pages(client, district_staff, federation_a):
    for day in range(1, 31):
        factories.MeetingFactory(federation=federation_a, held_on=dt.date(2021, 6, day))
    client.force_login(district_staff)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 25
    assert len(client.get(LIST, {"page": 2}).context["page"].object_list) == 5
    assert client.get(LIST, {"page": "abc"}).status_code == 200


def test_list_row_counts_attended_of_invited(client, district_staff, meetings, chair_a1):
    client.force_login(district_staff)
    row = next(m for m in client.get(LIST).context["page"].object_list if m.title == "Tọa đàm khối doanh nghiệp")
    # Invited: the official, A1's teacher, A2's worker (the walk-in was not); came: the teacher.
    assert (row.attended_count, row.invited_count) == (1, 3)
    client.force_login(chair_a1)
    row = next(m for m in client.get(LIST).context["page"].object_list if m.title == "Tọa đàm khối doanh nghiệp")
    assert (row.attended_count, row.invited_count) == (1, 2)  # only the people A1's chair may see


# The calendar ---------------------------------------------------------------------------


def calendar_titles(response) -> dict[dt.date, list[str]]:
    return {
        day["day"]: [meeting.title for meeting in day["meetings"]]
        for week in response.context["weeks"]
        for day in week
        if day["meetings"]
    }


def test_calendar_shows_the_month_asked_for(client, district_staff, federation_a, meetings):
    factories.MeetingFactory(federation=federation_a, title="Cuối tháng Sáu", held_on=dt.date(2021, 6, 30))
    factories.MeetingFactory(federation=federation_a, title="Đầu tháng Tám", held_on=dt.date(2021, 8, 1))
    factories.MeetingFactory(federation=federation_a, title="Tháng Chín", held_on=dt.date(2021, 9, 1))
    client.force_login(district_staff)
    response = client.get(CALENDAR, {"month": "2021-07"})
    assert response.status_code == 200
    shown = calendar_titles(response)
    # July 2021 runs Monday 28 June to Sunday 1 August on the grid: both edge days are shown, greyed.
    assert shown[dt.date(2021, 6, 30)] == ["Cuối tháng Sáu"]
    assert shown[dt.date(2021, 8, 1)] == ["Đầu tháng Tám"]
    assert "Tháng Chín" not in str(shown)
    assert response.context["in_month"] == 4
    assert response.context["previous"] == "2021-06"
    assert response.context["following"] == "2021-08"
    weeks = response.context["weeks"]
    assert weeks[0][0]["day"] == dt.date(2021, 6, 28) and not weeks[0][0]["in_month"]
    assert weeks[-1][-1]["day"] == dt.date(2021, 8, 1)


def test_calendar_december_leads_to_january(client, district_staff):
    client.force_login(district_staff)
    response = client.get(CALENDAR, {"month": "2021-12"})
    assert (response.context["previous"], response.context["following"]) == ("2021-11", "2022-01")


@pytest.mark.parametrize("month", ["2021-13", "abc", "2021-00", "99999-01", "2021-7-1"])
def test_a_bad_month_says_so(client, district_staff, month, vi):
    client.force_login(district_staff)
    response = client.get(CALENDAR, {"month": month})
    assert response.status_code == 200
    assert "không phải là tháng" in response.context["problem"]
    assert response.context["problem"] in response.content.decode()


def test_calendar_marks_today_and_scopes(client, chair_a1, meetings, union_a1):
    today = dt.date.today()
    factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1, title="Hôm nay", held_on=today)
    client.force_login(chair_a1)
    response = client.get(CALENDAR)
    today_cell = next(day for week in response.context["weeks"] for day in week if day["today"])
    assert today_cell["day"] == today
    assert [m.title for m in today_cell["meetings"]] == ["Hôm nay"]
    july = calendar_titles(client.get(CALENDAR, {"month": "2021-07"}))
    assert sorted(title for day in july.values() for title in day) == [
        "Hội nghị người lao động A1",
        "Tọa đàm khối doanh nghiệp",
    ]


def test_calendar_filters(client, district_staff, meetings):
    client.force_login(district_staff)
    july = calendar_titles(client.get(CALENDAR, {"month": "2021-07", "kind": "conference"}))
    assert [title for day in july.values() for title in day] == ["Hội nghị chỉ mời A2"]


# One meeting ----------------------------------------------------------------------------


def test_chair_reads_an_invited_meeting_without_other_unions_people(client, chair_a1, meetings):
    client.force_login(chair_a1)
    response = client.get(detail(meetings["invited_a1"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Văn Chủ Trì" in html  # the official, on everyone's minutes
    assert "Giáo Viên A1" in html
    for hidden in ("Công Nhân A2", "Khách A2", "Công đoàn Công ty CP May Thăng Long"):
        assert hidden not in html
    assert reverse("meetings:edit", args=[meetings["invited_a1"].pk]) not in html


@pytest.mark.parametrize("meeting", ["only_a2", "own_a2", "other"])
def test_chair_cannot_open_another_unions_meeting(client, chair_a1, meetings, meeting):
    client.force_login(chair_a1)
    assert client.get(detail(meetings[meeting])).status_code == 404


def test_staff_cannot_open_another_federations_meeting(client, district_staff, meetings):
    client.force_login(district_staff)
    assert client.get(detail(meetings["other"])).status_code == 404


def test_detail_groups_attendees_and_counts_the_rate(client, district_staff, meetings, vi):
    client.force_login(district_staff)
    response = client.get(detail(meetings["invited_a1"]))
    summary = response.context["summary"]
    assert [p.name for p in summary.present] == ["Giáo Viên A1"]
    assert [p.name for p in summary.absent] == ["Công Nhân A2"]
    assert [p.name for p in summary.walked_in] == ["Khách A2"]
    assert [p.name for p in summary.not_recorded] == ["Nguyễn Văn Chủ Trì"]
    assert [p.name for p in summary.officials] == ["Nguyễn Văn Chủ Trì"]
    assert (summary.attended, summary.invited, summary.rate) == (1, 3, "33,3 %")
    html = response.content.decode()
    assert "Lý do: Ốm" in html
    assert "33,3 %" in html
    assert "{% block meeting_parts %}" not in html


def test_attendance_summary_counts_delegations_by_their_size():
    people = [
        Attendance(name="Tổ trưởng các tổ", headcount=10, presence="present"),
        Attendance(name="Đại biểu", headcount=1, presence="absent"),
        Attendance(name="Khách", headcount=2, invited=False, presence="present"),
    ]
    summary = attendance_summary(people)
    assert (summary.attended, summary.invited) == (10, 11)
    assert summary.rate_value == Decimal("90.9")


def test_detail_lists_tasks_with_overdue_and_done(client, district_staff, meetings, vi):
    meeting = meetings["invited_a1"]
    FollowUpTask.objects.create(
        meeting=meeting, description="Gửi báo cáo", owner=district_staff, due_on=dt.date(2021, 8, 1)
    )
    FollowUpTask.objects.create(
        meeting=meeting,
        description="Tổng hợp ý kiến",
        owner=district_staff,
        due_on=dt.date(2021, 8, 1),
        done_on=dt.date(2021, 7, 30),
    )
    client.force_login(district_staff)
    html = client.get(detail(meeting)).content.decode()
    assert "quá hạn" in html
    assert "xong ngày 30/07/2021" in html


# The series label -----------------------------------------------------------------------


def labelled(meeting_pk) -> str:
    meeting = (
        Meeting.objects.with_series_number().select_related("group", "organiser_union", "sector").get(pk=meeting_pk)
    )
    return series_label(meeting)


def test_series_label_words_the_number_year_and_sector(federation_a, vi):
    sector = factories.sector()
    seminars = [
        factories.MeetingFactory(federation=federation_a, sector=sector, held_on=dt.date(2021, month, 9))
        for month in (2, 5, 7)
    ]
    assert labelled(seminars[2].pk) == f"Tọa đàm thứ 3 năm 2021 của khối {sector.name}"


def test_series_counts_each_year_afresh_and_skips_cancelled(federation_a, vi):
    def seminar(day, **kwargs):
        return factories.MeetingFactory(federation=federation_a, held_on=day, **kwargs)

    december = seminar(dt.date(2020, 12, 20))
    january = seminar(dt.date(2021, 1, 10))
    cancelled = seminar(dt.date(2021, 2, 10), status=Meeting.Status.CANCELLED)
    march = seminar(dt.date(2021, 3, 10))
    assert labelled(december.pk).startswith("Tọa đàm thứ 1 năm 2020")
    assert labelled(january.pk).startswith("Tọa đàm thứ 1 năm 2021")
    assert labelled(march.pk).startswith("Tọa đàm thứ 2 năm 2021")
    assert labelled(cancelled.pk) == "Tọa đàm"  # no number for a cancelled meeting
    # One entered late, before March: March becomes the third.
    late = seminar(dt.date(2021, 1, 25))
    assert labelled(late.pk).startswith("Tọa đàm thứ 2 năm 2021")
    assert labelled(march.pk).startswith("Tọa đàm thứ 3 năm 2021")


def test_series_of_a_cdcs_and_of_a_group(union_a1, vi):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Giáo viên")
    own = factories.MeetingFactory(
        federation=union_a1.federation, organiser_union=union_a1, kind=Meeting.Kind.CONFERENCE
    )
    of_group = factories.MeetingFactory(
        federation=union_a1.federation, organiser_union=union_a1, group=group, kind=Meeting.Kind.GROUP_MEETING
    )
    assert labelled(own.pk) == f"Hội nghị thứ 1 năm 2021 của {union_a1.name}"
    assert labelled(of_group.pk) == "Sinh hoạt tổ công đoàn thứ 1 năm 2021 của Tổ Giáo viên"


# Query counts ---------------------------------------------------------------------------


@pytest.fixture
def fifty_meetings(federation_a, union_a1, district_staff):
    group = factories.UnionGroupFactory(union=union_a1)
    for n in range(50):
        meeting = factories.MeetingFactory(
            federation=federation_a,
            organiser_union=union_a1 if n % 2 else None,
            group=group if n % 4 == 1 else None,
            kind=Meeting.Kind.GROUP_MEETING if n % 4 == 1 else Meeting.Kind.SEMINAR,
            sector=factories.sector() if n % 3 else None,
            held_on=dt.date(2021, 7, 1 + n % 28),
        )
        meeting.participating_unions.add(union_a1)
        factories.AttendanceFactory(meeting=meeting, union=union_a1, presence="present", role=Attendance.Role.PRESIDING)
        factories.AttendanceFactory(meeting=meeting, union=union_a1)
        FollowUpTask.objects.create(
            meeting=meeting, description="Việc", owner=district_staff, due_on=dt.date(2021, 9, 1)
        )
    return meeting


@pytest.mark.parametrize("who", ["district_staff", "chair_a1", "leader"])
def test_list_and_calendar_queries_do_not_grow_with_meetings(
    client, request, fifty_meetings, who, django_assert_max_num_queries
):
    client.force_login(request.getfixturevalue(who))
    # 11: the page is chosen on plain rows, then its 25 meetings are read numbered and counted.
    with django_assert_max_num_queries(11):
        response = client.get(LIST, {"page_size": 50})
    assert response.status_code == 200 and len(response.context["page"].object_list) == 25
    with django_assert_max_num_queries(10):
        response = client.get(CALENDAR, {"month": "2021-07"})
    assert response.context["in_month"] == 50


@pytest.mark.parametrize("who", ["district_staff", "chair_a1"])
def test_only_the_pages_meetings_are_numbered_and_counted(client, request, fifty_meetings, who):
    """The series number and the attendance counts are correlated subqueries: run over the 25 rows shown,
    never over every meeting of the district before the page is chosen (20 s on the demo's 17,000)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(request.getfixturevalue(who))
    with CaptureQueriesContext(connection) as list_queries:
        client.get(LIST)
    numbered = [q["sql"] for q in list_queries.captured_queries if "series_number" in q["sql"]]
    assert numbered, "the list numbers its meetings"
    assert all('"meetings_meeting"."id" IN (' in sql for sql in numbered), numbered
    with CaptureQueriesContext(connection) as calendar_queries:
        client.get(CALENDAR, {"month": "2021-07"})
    assert not [q for q in calendar_queries.captured_queries if "series_number" in q["sql"]]


@pytest.mark.parametrize("who", ["district_staff", "chair_a1", "leader"])
def test_detail_queries_are_bounded(client, request, fifty_meetings, who, django_assert_max_num_queries):
    for n in range(20):
        factories.AttendanceFactory(meeting=fifty_meetings, name=f"Người {n}", presence="present")
        FollowUpTask.objects.create(
            meeting=fifty_meetings,
            description=f"Việc {n}",
            owner=request.getfixturevalue("district_staff"),
            due_on=dt.date(2021, 9, 1),
        )
    client.force_login(request.getfixturevalue(who))
    with django_assert_max_num_queries(12):
        response = client.get(detail(fifty_meetings))
    assert response.status_code == 200
