"""Who sees which meeting, which attendee, and who may change them; the number of a meeting in its series."""

from __future__ import annotations

import datetime as dt

import pytest

from apps.meetings.models import Attendance, FollowUpTask, Meeting, MeetingDocument
from apps.meetings.querysets import ATTENDED, OFFICIAL_ROLES
from tests import factories


@pytest.fixture
def seminar(federation_a, union_a1, union_a2):
    """A federation seminar to which A1 (not A2) is invited, with people from A1 and A2 and an official."""
    meeting = factories.MeetingFactory(federation=federation_a, title="Tọa đàm của quận")
    meeting.participating_unions.add(union_a1)
    factories.AttendanceFactory(meeting=meeting, name="Chủ tịch quận", role=Attendance.Role.PRESIDING)
    factories.AttendanceFactory(meeting=meeting, name="Người của A1", union=union_a1)
    factories.AttendanceFactory(meeting=meeting, name="Người của A2", union=union_a2)
    factories.AttendanceFactory(meeting=meeting, name="Khách mời ngoài")
    return meeting


def names(rows) -> set[str]:
    return set(rows.values_list("name", flat=True))


def test_a_chair_sees_the_federation_meetings_their_union_is_invited_to(seminar, chair_a1, chair_a2, union_a1):
    own = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1, title="Hội nghị A1")
    assert set(Meeting.objects.visible_to(chair_a1)) == {seminar, own}
    assert set(Meeting.objects.visible_to(chair_a2)) == set()


def test_an_invited_meeting_is_listed_once_however_many_unions_are_invited(seminar, chair_a1, union_a2):
    seminar.participating_unions.add(union_a2)
    assert Meeting.objects.visible_to(chair_a1).filter(pk=seminar.pk).count() == 1


def test_a_chair_sees_their_own_people_and_the_officials_never_another_unions(seminar, chair_a1, chair_a2):
    assert names(Attendance.objects.visible_to(chair_a1)) == {"Chủ tịch quận", "Người của A1"}
    # A2 is not invited: the meeting is hidden, and so are its officials; A2's own attendee stays visible to A2.
    assert names(Attendance.objects.visible_to(chair_a2)) == {"Người của A2"}


def test_staff_and_leaders_see_every_attendee_of_their_federation(seminar, district_staff, leader, staff_b):
    everyone = {"Chủ tịch quận", "Người của A1", "Người của A2", "Khách mời ngoài"}
    assert names(Attendance.objects.visible_to(district_staff)) == everyone
    assert names(Attendance.objects.visible_to(leader)) == everyone
    assert names(Attendance.objects.visible_to(staff_b)) == set()


def test_an_invitation_shows_a_meeting_without_handing_it_over(seminar, chair_a1, district_staff, union_a1):
    own = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1)
    assert set(Meeting.objects.changeable_by(chair_a1)) == {own}
    assert set(Meeting.objects.changeable_by(district_staff)) == {seminar, own}
    assert not Attendance.objects.changeable_by(chair_a1).filter(meeting=seminar).exists()


def test_tasks_and_documents_follow_the_meeting(seminar, chair_a1, chair_a2):
    task = FollowUpTask.objects.create(
        meeting=seminar, description="Gửi báo cáo", owner=chair_a1, due_on=dt.date(2021, 8, 1)
    )
    document = MeetingDocument.objects.create(meeting=seminar, title="Kết luận", file="meetings/x.pdf")
    assert list(FollowUpTask.objects.visible_to(chair_a1)) == [task]
    assert list(MeetingDocument.objects.visible_to(chair_a1)) == [document]
    assert not FollowUpTask.objects.visible_to(chair_a2).exists()
    assert not FollowUpTask.objects.changeable_by(chair_a1).exists()
    assert list(FollowUpTask.objects.overdue_on(dt.date(2021, 8, 2))) == [task]
    assert not FollowUpTask.objects.overdue_on(dt.date(2021, 8, 1)).exists()


def test_history_of_an_invited_meeting_is_readable_by_the_invited_chair_only(client, seminar, chair_a1, chair_a2):
    seminar.title = "Tọa đàm của quận (sửa)"
    seminar.save()
    version = seminar.history.order_by("-history_id").first().history_id
    page = f"/admin/meetings/meeting/{seminar.pk}/history/{version}/"
    client.force_login(chair_a1)
    assert client.get(page).status_code == 200
    client.force_login(chair_a2)
    assert client.get(page).status_code == 404


def series_numbers(meetings) -> list[int | None]:
    numbered = {m.pk: m.series_number for m in Meeting.objects.with_series_number()}
    return [numbered[m.pk] for m in meetings]


def test_the_number_in_a_series_is_counted_per_year_kind_organiser_and_sector(federation_a, union_a1):
    def seminar(day, **fields):
        return factories.MeetingFactory(federation=federation_a, held_on=day, status=Meeting.Status.HELD, **fields)

    first_2020 = seminar(dt.date(2020, 11, 5))
    first = seminar(dt.date(2021, 3, 1))
    third = seminar(dt.date(2021, 7, 9))
    second = seminar(dt.date(2021, 5, 1))  # entered late: numbers are counted, not typed
    training = seminar(dt.date(2021, 4, 1), kind=Meeting.Kind.TRAINING)
    of_a1 = seminar(dt.date(2021, 2, 1), organiser_union=union_a1)
    assert series_numbers([first_2020, first, second, third, training, of_a1]) == [1, 1, 2, 3, 1, 1]

    second.status = Meeting.Status.CANCELLED
    second.save()
    assert series_numbers([first, second, third]) == [1, None, 2]


def test_two_meetings_on_one_day_take_the_order_they_were_entered(federation_a):
    morning = factories.MeetingFactory(federation=federation_a, held_on=dt.date(2021, 7, 9))
    afternoon = factories.MeetingFactory(federation=federation_a, held_on=dt.date(2021, 7, 9))
    assert series_numbers([morning, afternoon]) == [1, 2]


def test_the_role_and_presence_lists_of_the_scoping_rule_match_the_model():
    assert set(OFFICIAL_ROLES) == {Attendance.Role.PRESIDING, Attendance.Role.REPORTING, Attendance.Role.SECRETARY}
    assert set(ATTENDED) == {Attendance.Presence.PRESENT, Attendance.Presence.LATE}
    assert set(ATTENDED) <= set(Attendance.Presence.values)


def test_the_agenda_reads_one_item_per_line_without_the_numbering_people_type():
    meeting = Meeting(topics="1. Báo cáo tình hình\n\n- Kế hoạch quý III\n  • Ý kiến đoàn viên  \n2) Bầu tổ trưởng")
    assert meeting.agenda_items == ["Báo cáo tình hình", "Kế hoạch quý III", "Ý kiến đoàn viên", "Bầu tổ trưởng"]
