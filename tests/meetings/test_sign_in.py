"""Signing in at the door with the meeting's QR code: public, on the meeting's day, revealing nothing about invitees."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.meetings.models import Attendance, Meeting
from apps.meetings.views.sign_in import MAX_FAILED_ATTEMPTS
from tests import factories

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
MEETING_DAY = dt.date(2021, 7, 9)


@pytest.fixture
def now(monkeypatch):
    """Set the clock (local time in Hà Nội) for the code under test."""

    def set_clock(hour: int, minute: int, day: dt.date = MEETING_DAY):
        moment = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=HANOI)
        monkeypatch.setattr(timezone, "now", lambda: moment)
        return moment

    set_clock(7, 50)
    return set_clock


@pytest.fixture
def meeting(union_a1):
    return factories.MeetingFactory(
        federation=union_a1.federation,
        organiser_union=union_a1,
        title="Hội nghị người lao động 2021",
        held_on=MEETING_DAY,
        starts_at=dt.time(8, 0),
    )


@pytest.fixture
def invitee(meeting, union_a1):
    member = factories.MemberFactory(
        union=union_a1, full_name="Phạm Thu Trang", national_id="001190004321", date_of_birth=dt.date(1990, 6, 5)
    )
    return factories.AttendanceFactory(meeting=meeting, member=member, union=union_a1, name=member.full_name)


def url(meeting) -> str:
    return reverse("meetings:sign_in", args=[meeting.sign_in_token])


def without_csrf(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_an_invitee_signs_in_with_their_id_digits_and_birthday(client, now, meeting, invitee, vi):
    response = client.get(url(meeting))
    assert response.status_code == 200
    assert "Phạm Thu Trang" not in response.content.decode()  # nothing about invitees before a match
    now(8, 10)
    response = client.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"})
    assert response.status_code == 200
    assert "Đã ghi nhận bạn có mặt" in response.content.decode()
    invitee.refresh_from_db()
    assert (invitee.presence, invitee.signed_in_by) == ("present", "qr")
    assert invitee.signed_in_at == dt.datetime(2021, 7, 9, 8, 10, tzinfo=HANOI)
    # Scanning again says so, and changes nothing.
    now(8, 40)
    again = client.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"})
    assert "Bạn đã ký tên từ trước" in again.content.decode()
    invitee.refresh_from_db()
    assert (invitee.presence, invitee.signed_in_at.astimezone(HANOI).time()) == ("present", dt.time(8, 10))


def test_more_than_15_minutes_after_the_start_is_late(client, now, meeting, invitee, vi):
    now(8, 16)
    response = client.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"})
    assert "đến muộn" in response.content.decode()
    invitee.refresh_from_db()
    assert (invitee.presence, invitee.signed_in_by) == ("late", "qr")


def test_15_minutes_after_the_start_is_still_on_time(client, now, meeting, invitee):
    now(8, 15)
    client.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"})
    invitee.refresh_from_db()
    assert invitee.presence == "present"


def test_no_login_is_needed_and_csrf_is_checked(now, meeting, invitee):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.get(url(meeting)).status_code == 200
    assert strict.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"}).status_code == 403
    invitee.refresh_from_db()
    assert invitee.presence == ""


def test_the_page_runs_no_inline_script(client, now, meeting, invitee):
    html = client.get(url(meeting)).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert " style=" not in html and " onclick=" not in html


def test_refusals_are_one_and_the_same_whoever_asks(client, now, meeting, invitee, union_a1, vi):
    not_invited = factories.MemberFactory(union=union_a1, national_id="001190008765", date_of_birth=dt.date(1985, 1, 2))
    other_meeting = factories.MeetingFactory(federation=meeting.federation, held_on=MEETING_DAY)
    elsewhere = factories.MemberFactory(union=union_a1, national_id="001190005555", date_of_birth=dt.date(1979, 3, 4))
    factories.AttendanceFactory(meeting=other_meeting, member=elsewhere, name=elsewhere.full_name)
    answers = [
        client.post(url(meeting), data)
        for data in (
            {"id_last_digits": "8765", "date_of_birth": "02/01/1985"},  # a member, not invited
            {"id_last_digits": "4320", "date_of_birth": "05/06/1990"},  # an invitee's birthday, wrong digits
            {"id_last_digits": "4321", "date_of_birth": "06/06/1990"},  # an invitee's digits, wrong birthday
            {"id_last_digits": "5555", "date_of_birth": "04/03/1979"},  # invited to another meeting
            {"id_last_digits": "0000", "date_of_birth": "01/01/2000"},  # nobody at all
        )
    ]
    assert {answer.status_code for answer in answers} == {200}
    bodies = {without_csrf(answer) for answer in answers}
    assert len(bodies) == 1
    body = bodies.pop()
    assert "Không ghi nhận được với thông tin này" in body
    for name in (invitee.name, not_invited.full_name, elsewhere.full_name):
        assert name not in body
    assert not Attendance.objects.filter(presence__in=["present", "late"]).exists()
    assert not meeting.attendances.filter(member=not_invited).exists()


def test_a_bad_date_or_digits_are_told_next_to_the_field(client, now, meeting, invitee, vi):
    response = client.post(url(meeting), {"id_last_digits": "43a1", "date_of_birth": "1990-06-05"})
    html = response.content.decode()
    assert "Vui lòng nhập 4 số cuối CCCD." in html
    assert "Vui lòng nhập ngày theo dạng dd/mm/yyyy" in html


def test_a_member_who_walked_in_uninvited_cannot_sign_in_with_the_code(client, now, meeting, invitee, union_a1):
    member = factories.MemberFactory(union=union_a1, national_id="001190007777", date_of_birth=dt.date(1980, 1, 1))
    walked_in = factories.AttendanceFactory(meeting=meeting, member=member, name=member.full_name, invited=False)
    client.post(url(meeting), {"id_last_digits": "7777", "date_of_birth": "01/01/1980"})
    walked_in.refresh_from_db()
    assert walked_in.presence == ""


def test_failed_attempts_are_limited_per_meeting_and_address(client, now, meeting, invitee, vi):
    wrong = {"id_last_digits": "0000", "date_of_birth": "01/01/2000"}
    for _ in range(MAX_FAILED_ATTEMPTS):
        assert "Không ghi nhận được" in client.post(url(meeting), wrong).content.decode()
    # Now even the right answer waits, from this address.
    blocked = client.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"})
    assert "quá nhiều lần" in blocked.content.decode()
    invitee.refresh_from_db()
    assert invitee.presence == ""
    # Another address is not held back.
    client.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"}, REMOTE_ADDR="10.0.0.9")
    invitee.refresh_from_db()
    assert invitee.presence == "present"


def test_the_failed_attempts_are_counted_in_the_database_for_every_worker(client, now, meeting, invitee):
    from django.db import connection

    client.post(url(meeting), {"id_last_digits": "0000", "date_of_birth": "01/01/2000"})
    # Kept in the shared cache table (settings.CACHES), not in one worker process's memory.
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_cache WHERE cache_key LIKE %s", ["%door-sign-in%"])
        assert cursor.fetchone()[0] == 1


def test_a_wrong_code_is_not_found(client, now, meeting):
    assert client.get(reverse("meetings:sign_in", args=["not-the-code"])).status_code == 404
    assert client.post(reverse("meetings:sign_in", args=["not-the-code"]), {}).status_code == 404


@pytest.mark.parametrize(
    ("day", "message"),
    [(dt.date(2021, 7, 8), "Chỉ ký tên được vào ngày họp, 09/07/2021"), (dt.date(2021, 7, 10), "đã hết thời gian")],
)
def test_the_code_opens_only_on_the_meetings_day(client, now, meeting, invitee, day, message, vi):
    now(9, 0, day=day)
    for response in (
        client.get(url(meeting)),
        client.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"}),
    ):
        assert message in response.content.decode()
        assert 'name="id_last_digits"' not in response.content.decode()
    invitee.refresh_from_db()
    assert invitee.presence == ""


def test_the_day_is_the_meetings_local_day(client, now, meeting, invitee):
    # 23:30 UTC on 8 July is 06:30 on 9 July in Hà Nội: the meeting's day.
    moment = dt.datetime(2021, 7, 8, 23, 30, tzinfo=dt.UTC)
    now(moment.astimezone(HANOI).hour, moment.astimezone(HANOI).minute)
    assert 'name="id_last_digits"' in client.get(url(meeting)).content.decode()


def test_a_cancelled_meeting_takes_no_sign_in(client, now, meeting, invitee, vi):
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    response = client.post(url(meeting), {"id_last_digits": "4321", "date_of_birth": "05/06/1990"})
    assert "đã bị hủy" in response.content.decode()
    invitee.refresh_from_db()
    assert invitee.presence == ""


def test_an_invitee_signed_in_to_their_account_taps_once(client, now, meeting, invitee, union_a1, vi):
    account = factories.UserFactory(
        username="trang", role="chair", union=union_a1, first_name="Trang", last_name="Phạm Thu"
    )
    assert invitee.member.full_name == "Phạm Thu Trang"  # family name first, as the account's last_name
    client.force_login(account)
    response = client.get(url(meeting))
    assert "Tôi có mặt" in response.content.decode()
    client.post(url(meeting), {"action": "me"})
    invitee.refresh_from_db()
    assert (invitee.presence, invitee.signed_in_by) == ("present", "qr")


def test_an_account_matching_no_invitee_gets_the_id_form_only(client, now, meeting, invitee, chair_a1):
    client.force_login(chair_a1)
    response = client.get(url(meeting))
    assert "Tôi có mặt" not in response.content.decode()
    client.post(url(meeting), {"action": "me"})
    invitee.refresh_from_db()
    assert invitee.presence == ""
