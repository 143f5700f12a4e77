"""A meeting's invitees and attendance: bulk invites, ticking on a tablet, walk-ins, the door poster, the sheet."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.meetings.models import Attendance, Meeting
from apps.members.models import UnionOfficial
from tests import factories


@pytest.fixture
def meeting_a1(union_a1):
    return factories.MeetingFactory(
        federation=union_a1.federation,
        organiser_union=union_a1,
        title="Hội nghị người lao động 2021",
        kind=Meeting.Kind.WORKERS_CONFERENCE,
        held_on=dt.date(2021, 7, 9),
        starts_at=dt.time(8, 0),
        location="Hội trường tầng 2",
    )


@pytest.fixture
def federation_meeting(federation_a, union_a1, union_a2):
    meeting = factories.MeetingFactory(federation=federation_a, title="Tọa đàm khối doanh nghiệp")
    meeting.participating_unions.add(union_a1, union_a2)
    return meeting


def page(meeting) -> str:
    return reverse("meetings:attendance", args=[meeting.pk])


def test_chair_invites_a_whole_group_and_their_whole_union(client, chair_a1, union_a1, meeting_a1):
    office = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    in_group = factories.MemberFactory.create_batch(3, union=union_a1, group=office)
    others = factories.MemberFactory.create_batch(2, union=union_a1)
    client.force_login(chair_a1)
    response = client.post(page(meeting_a1), {"action": "invite_group", "group": office.pk})
    assert response.status_code == 302
    assert set(meeting_a1.attendances.values_list("member_id", flat=True)) == {m.pk for m in in_group}
    assert set(meeting_a1.attendances.values_list("union_id", flat=True)) == {union_a1.pk}
    client.post(page(meeting_a1), {"action": "invite_union"})
    # Those already invited are not invited twice.
    assert meeting_a1.attendances.count() == 5
    assert set(meeting_a1.attendances.values_list("member_id", flat=True)) == {m.pk for m in in_group + others}
    assert all(row.invited and row.presence == "" for row in meeting_a1.attendances.all())


def test_staff_invite_the_chairs_of_the_invited_unions(client, district_staff, federation_meeting, union_a1, union_a2):
    for union in (union_a1, union_a2):
        factories.UnionOfficialFactory(member=factories.MemberFactory(union=union), role=UnionOfficial.Role.CHAIR)
    factories.MemberFactory(union=union_a1)  # not a chair: not invited
    client.force_login(district_staff)
    response = client.get(page(federation_meeting))
    assert response.status_code == 200
    client.post(page(federation_meeting), {"action": "invite_chairs"})
    rows = federation_meeting.attendances.all()
    assert {row.union_id for row in rows} == {union_a1.pk, union_a2.pk}
    assert {row.position for row in rows} == {"Chủ tịch"} or {row.position for row in rows} == {"Chair"}


def test_staff_invite_an_official_and_a_guest_by_name(client, district_staff, federation_meeting):
    client.force_login(district_staff)
    response = client.post(
        page(federation_meeting),
        {
            "action": "invite_person",
            "person-name": "Nguyễn Thị Hà",
            "person-position": "Chủ tịch LĐLĐ quận",
            "person-role": "presiding",
            "person-union": "",
        },
    )
    assert response.status_code == 302
    row = federation_meeting.attendances.get()
    assert (row.name, row.role, row.union_id, row.invited, row.member_id) == (
        "Nguyễn Thị Hà",
        "presiding",
        None,
        True,
        None,
    )


def test_a_person_without_a_name_is_refused_next_to_the_field(client, district_staff, federation_meeting, vi):
    client.force_login(district_staff)
    response = client.post(page(federation_meeting), {"action": "invite_person", "person-role": "guest"})
    assert response.status_code == 200
    assert "Vui lòng nhập thông tin này." in response.content.decode()
    assert not federation_meeting.attendances.exists()


def test_chair_finds_and_invites_a_member_of_their_union_by_name(client, chair_a1, union_a1, union_a2, meeting_a1):
    mine = factories.MemberFactory(union=union_a1, full_name="Lê Thị Hồng")
    factories.MemberFactory(union=union_a2, full_name="Lê Thị Hồng Nhung")
    client.force_login(chair_a1)
    response = client.get(page(meeting_a1), {"q": "le thi hong"})
    assert [member.pk for member in response.context["found"]] == [mine.pk]
    assert "Lê Thị Hồng Nhung" not in response.content.decode()
    client.post(page(meeting_a1), {"action": "invite_member", "member": mine.pk})
    assert meeting_a1.attendances.get().member == mine


def test_chair_cannot_invite_another_unions_member_by_forging_the_post(
    client, chair_a1, union_a1, union_a2, meeting_a1
):
    stranger = factories.MemberFactory(union=union_a2, full_name="Người Của A2")
    client.force_login(chair_a1)
    for action in ("invite_member", "walk_in_member"):
        response = client.post(page(meeting_a1), {"action": action, "member": stranger.pk}, follow=True)
        assert response.status_code == 200
        assert not Attendance.objects.exists()
    other_group = factories.UnionGroupFactory(union=union_a2)
    factories.MemberFactory(union=union_a2, group=other_group)
    client.post(page(meeting_a1), {"action": "invite_group", "group": other_group.pk})
    assert not Attendance.objects.exists()


def test_remove_an_invitee(client, chair_a1, union_a1, meeting_a1):
    row = factories.AttendanceFactory(meeting=meeting_a1, member=factories.MemberFactory(union=union_a1))
    client.force_login(chair_a1)
    assert client.post(page(meeting_a1), {"action": "remove", "attendance": row.pk}).status_code == 302
    assert not Attendance.objects.filter(pk=row.pk).exists()


def _rows(meeting, union, n):
    members = factories.MemberFactory.create_batch(n, union=union)
    return [factories.AttendanceFactory(meeting=meeting, member=m, union=union, name=m.full_name) for m in members]


def test_tick_attendance_in_bulk(client, chair_a1, union_a1, meeting_a1):
    present, late, absent, unknown = _rows(meeting_a1, union_a1, 4)
    client.force_login(chair_a1)
    response = client.post(
        page(meeting_a1),
        {
            "action": "tick",
            f"presence-{present.pk}": "present",
            f"reason-{present.pk}": "typed, then changed their mind",
            f"presence-{late.pk}": "late",
            f"presence-{absent.pk}": "absent",
            f"reason-{absent.pk}": "Ốm",
            f"presence-{unknown.pk}": "",
        },
    )
    assert response.status_code == 302
    rows = {row.pk: row for row in meeting_a1.attendances.all()}
    assert (rows[present.pk].presence, rows[present.pk].absence_reason, rows[present.pk].signed_in_by) == (
        "present",
        "",
        "staff",
    )
    assert rows[present.pk].signed_in_at is not None
    assert (rows[late.pk].presence, rows[late.pk].signed_in_by) == ("late", "staff")
    assert (rows[absent.pk].presence, rows[absent.pk].absence_reason, rows[absent.pk].signed_in_at) == (
        "absent",
        "Ốm",
        None,
    )
    assert rows[unknown.pk].presence == ""


def test_an_absence_needs_a_reason_and_nothing_is_half_saved(client, chair_a1, union_a1, meeting_a1, vi):
    present, absent = _rows(meeting_a1, union_a1, 2)
    client.force_login(chair_a1)
    response = client.post(
        page(meeting_a1),
        {"action": "tick", f"presence-{present.pk}": "present", f"presence-{absent.pk}": "absent"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vui lòng ghi lý do vắng mặt." in html
    assert f'id="error-{absent.pk}"' in html
    assert f'id="error-{present.pk}"' not in html
    assert set(meeting_a1.attendances.values_list("presence", flat=True)) == {""}


def test_rows_past_a_thousand_keep_their_ids_unformatted(client, chair_a1, union_a1, meeting_a1, vi):
    """Vietnamese number format writes 1234567 as "1.234.567": never in a field's name or an element's id."""
    row = factories.AttendanceFactory(pk=1_234_567, meeting=meeting_a1, union=union_a1, name="Người Số Lớn")
    client.force_login(chair_a1)
    html = client.get(page(meeting_a1)).content.decode()
    assert 'name="presence-1234567"' in html and 'id="row-1234567"' in html
    assert "1.234.567" not in html
    client.post(page(meeting_a1), {"action": "tick", "presence-1234567": "present"})
    row.refresh_from_db()
    assert row.presence == "present"


def test_an_unknown_presence_is_refused(client, chair_a1, union_a1, meeting_a1):
    (row,) = _rows(meeting_a1, union_a1, 1)
    client.force_login(chair_a1)
    response = client.post(page(meeting_a1), {"action": "tick", f"presence-{row.pk}": "asleep"})
    assert response.status_code == 200
    assert meeting_a1.attendances.get().presence == ""


def test_everyone_not_yet_recorded_is_present(client, chair_a1, union_a1, meeting_a1):
    absent, *others = _rows(meeting_a1, union_a1, 3)
    Attendance.objects.filter(pk=absent.pk).update(presence="absent", absence_reason="Công tác")
    client.force_login(chair_a1)
    client.post(page(meeting_a1), {"action": "all_present"})
    assert dict(meeting_a1.attendances.values_list("pk", "presence")) == {
        absent.pk: "absent",
        **{row.pk: "present" for row in others},
    }


def test_a_walk_in_is_recorded_present_and_not_invited(client, chair_a1, union_a1, meeting_a1):
    member = factories.MemberFactory(union=union_a1)
    client.force_login(chair_a1)
    client.post(page(meeting_a1), {"action": "walk_in_member", "member": member.pk})
    row = meeting_a1.attendances.get()
    assert (row.invited, row.presence, row.signed_in_by, row.walked_in) == (False, "present", "staff", True)
    client.post(
        page(meeting_a1),
        {"action": "walk_in_person", "person-name": "Phóng viên báo Lao Động", "person-role": "guest"},
    )
    guest = meeting_a1.attendances.get(member=None)
    assert (guest.invited, guest.presence, guest.union_id) == (False, "present", None)


@pytest.mark.parametrize("count", [100])
def test_the_page_and_the_ticking_take_a_fixed_number_of_queries(
    client, chair_a1, union_a1, meeting_a1, django_assert_max_num_queries, count
):
    rows = _rows(meeting_a1, union_a1, count)
    client.force_login(chair_a1)
    client.get(page(meeting_a1))  # the session and the user, once
    with django_assert_max_num_queries(7):
        assert client.get(page(meeting_a1)).status_code == 200
    data = {"action": "tick", **{f"presence-{row.pk}": "present" for row in rows}}
    with django_assert_max_num_queries(8):
        assert client.post(page(meeting_a1), data).status_code == 302
    assert meeting_a1.attendances.filter(presence="present").count() == count


def test_who_reaches_the_attendance_page(client, meeting_a1, federation_meeting, chair_a1, chair_a2, leader):
    client.force_login(chair_a2)
    assert client.get(page(meeting_a1)).status_code == 404  # another CĐCS's meeting
    client.force_login(chair_a1)
    assert client.get(page(meeting_a1)).status_code == 200
    # Invited to the federation's meeting: the chair reads it, but does not keep its list.
    assert client.get(page(federation_meeting)).status_code == 404
    assert client.get(reverse("meetings:door", args=[federation_meeting.pk])).status_code == 404
    client.force_login(leader)
    assert client.get(page(meeting_a1)).status_code == 403
    assert client.post(page(meeting_a1), {"action": "invite_union"}).status_code == 403
    assert client.get(reverse("meetings:door", args=[meeting_a1.pk])).status_code == 403


def test_the_door_poster_shows_the_code_of_the_sign_in_url_and_a_new_code_retires_it(client, chair_a1, meeting_a1):
    client.force_login(chair_a1)
    old_token = meeting_a1.sign_in_token
    response = client.get(reverse("meetings:door", args=[meeting_a1.pk]))
    html = response.content.decode()
    assert f"http://testserver/meetings/sign-in/{old_token}/" in html
    assert "<svg" in html and meeting_a1.title in html and "09/07/2021" in html
    client.post(reverse("meetings:door", args=[meeting_a1.pk]), {"action": "new_code"})
    meeting_a1.refresh_from_db()
    assert meeting_a1.sign_in_token != old_token
    assert client.get(reverse("meetings:sign_in", args=[old_token])).status_code == 404


def test_the_sign_in_sheet_lists_the_invitees_a_reader_may_see(
    client, federation_meeting, union_a1, union_a2, chair_a1, leader, district_staff
):
    mine = factories.AttendanceFactory(meeting=federation_meeting, union=union_a1, name="Người Của A1")
    theirs = factories.AttendanceFactory(meeting=federation_meeting, union=union_a2, name="Người Của A2")
    presiding = factories.AttendanceFactory(
        meeting=federation_meeting, name="Chủ Trì Quận", role=Attendance.Role.PRESIDING, position="Chủ tịch LĐLĐ"
    )
    sheet = reverse("meetings:sign_in_sheet", args=[federation_meeting.pk])
    client.force_login(chair_a1)
    html = client.get(sheet).content.decode()
    assert mine.name in html and presiding.name in html
    assert theirs.name not in html
    for who in (leader, district_staff):
        client.force_login(who)
        html = client.get(sheet).content.decode()
        assert all(row.name in html for row in (mine, theirs, presiding))
        assert federation_meeting.title in html


def test_the_sign_in_sheet_of_another_unions_meeting_is_not_found(client, chair_a2, meeting_a1):
    client.force_login(chair_a2)
    assert client.get(reverse("meetings:sign_in_sheet", args=[meeting_a1.pk])).status_code == 404


def test_staff_ticking_someone_present_keeps_a_qr_sign_in_time(client, chair_a1, union_a1, meeting_a1):
    (row,) = _rows(meeting_a1, union_a1, 1)
    signed = timezone.now() - dt.timedelta(hours=1)
    Attendance.objects.filter(pk=row.pk).update(presence="present", signed_in_at=signed, signed_in_by="qr")
    client.force_login(chair_a1)
    client.post(page(meeting_a1), {"action": "tick", f"presence-{row.pk}": "late"})
    row.refresh_from_db()
    assert (row.presence, row.signed_in_by, row.signed_in_at) == ("late", "qr", signed)


def test_no_english_left_on_the_attendance_pages(client, district_staff, federation_meeting, union_a1, vi):
    """The walk of tests/core/test_no_english_left.py reaches these pages only once a detail page links them."""
    from tests.core.test_no_english_left import english, english_left

    catalogue = english.__wrapped__()
    factories.AttendanceFactory(meeting=federation_meeting, name="Trần Thị Minh Hà", role="presiding")
    factories.AttendanceFactory(meeting=federation_meeting, union=union_a1, name="Lê Văn Cường", invited=False)
    client.force_login(district_staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "vi"
    pages = {
        "attendance": client.get(page(federation_meeting), {"q": "khong co ai"}),
        "attendance, errors": client.post(
            page(federation_meeting), {"action": "invite_person", "person-name": "", "person-role": "x"}
        ),
        "door": client.get(reverse("meetings:door", args=[federation_meeting.pk])),
        "sheet": client.get(reverse("meetings:sign_in_sheet", args=[federation_meeting.pk])),
        "sign-in, closed": client.get(reverse("meetings:sign_in", args=[federation_meeting.sign_in_token])),
    }
    Meeting.objects.filter(pk=federation_meeting.pk).update(held_on=timezone.localdate())
    sign_in = reverse("meetings:sign_in", args=[federation_meeting.sign_in_token])
    pages["sign-in"] = client.get(sign_in)
    pages["sign-in, bad input"] = client.post(sign_in, {"id_last_digits": "12", "date_of_birth": "x"})
    pages["sign-in, refused"] = client.post(sign_in, {"id_last_digits": "1234", "date_of_birth": "01/01/1990"})
    left = {name: english_left(response.content.decode(), catalogue) for name, response in pages.items()}
    assert {name: found for name, found in left.items() if found} == {}
