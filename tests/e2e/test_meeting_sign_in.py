"""At the door on a phone: an invitee scans the QR code and signs in; a chair ticks attendance on a small screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from apps.meetings.models import Attendance
from tests import factories
from tests.conftest import PASSWORD
from tests.e2e.browser_problems import watch_for_problems
from tests.e2e.test_admin_login import log_in

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_invitee_signs_in_at_the_door_on_a_phone(transactional_db, live_server, page, union_a1, screenshot):
    meeting = factories.MeetingFactory(
        federation=union_a1.federation,
        organiser_union=union_a1,
        title="Hội nghị người lao động năm 2026",
        held_on=timezone.localdate(),
        location="Hội trường tầng 2",
    )
    member = factories.MemberFactory(
        union=union_a1, full_name="Phạm Thu Trang", national_id="001190004321", date_of_birth=dt.date(1990, 6, 5)
    )
    row = factories.AttendanceFactory(meeting=meeting, member=member, union=union_a1, name=member.full_name)
    factories.AttendanceFactory(meeting=meeting, union=union_a1, name="Người Được Mời Khác")
    problems = watch_for_problems(page)

    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/meetings/sign-in/{meeting.sign_in_token}/")
    expect(page.locator("h1")).to_have_text("Ký tên tham dự")
    expect(page.locator("body")).not_to_contain_text("Người Được Mời Khác")
    assert fits_the_screen(page)
    screenshot(page, "meeting_sign_in_phone")

    # A wrong try is refused without a word about who is invited.
    page.get_by_label("4 số cuối CCCD").fill("4320")
    page.get_by_label("Ngày sinh").fill("05/06/1990")
    page.get_by_role("button", name="Ký tên tham dự").click()
    expect(page.get_by_role("alert")).to_contain_text("Không ghi nhận được với thông tin này")
    expect(page.locator("body")).not_to_contain_text("Phạm Thu Trang")

    page.get_by_label("4 số cuối CCCD").fill("4321")
    page.get_by_label("Ngày sinh").fill("05/06/1990")
    page.get_by_role("button", name="Ký tên tham dự").click()
    expect(page.locator(".sign-in-done h1")).to_have_text("Đã ghi nhận bạn có mặt")
    expect(page.locator(".sign-in-done")).to_contain_text("Phạm Thu Trang")
    assert fits_the_screen(page)
    screenshot(page, "meeting_sign_in_done_phone")

    row.refresh_from_db()
    assert (row.presence, row.signed_in_by) == (Attendance.Presence.PRESENT, Attendance.SignedInBy.QR_CODE)
    assert row.signed_in_at is not None
    assert problems == []


def test_a_chair_ticks_attendance_on_a_phone(transactional_db, live_server, page, chair_a1, union_a1, screenshot):
    meeting = factories.MeetingFactory(
        federation=union_a1.federation, organiser_union=union_a1, title="Họp BCH tháng 7", held_on=timezone.localdate()
    )
    members = [
        factories.MemberFactory(union=union_a1, full_name=name, job_title="Giáo viên")
        for name in ("Nguyễn Thị Hoà", "Trần Quốc Bảo", "Lê Văn Cường")
    ]
    rows = [factories.AttendanceFactory(meeting=meeting, member=m, union=union_a1, name=m.full_name) for m in members]
    problems = watch_for_problems(page)
    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    expect(page.locator("h1")).to_have_text("Khách mời và điểm danh")

    bao = page.locator(f"#row-{rows[1].pk}")
    bao.get_by_text("Vắng", exact=True).click()
    expect(bao.get_by_label("Lý do vắng mặt")).to_be_visible()
    # Saved without a reason: refused next to the row, nothing saved.
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.locator(f"#error-{rows[1].pk}")).to_have_text("Vui lòng ghi lý do vắng mặt.")
    assert not Attendance.objects.filter(meeting=meeting).exclude(presence="").exists()
    bao = page.locator(f"#row-{rows[1].pk}")
    bao.get_by_label("Lý do vắng mặt").fill("Đi công tác")
    page.locator(f"#row-{rows[0].pk}").get_by_text("Đến muộn", exact=True).click()
    assert fits_the_screen(page)
    screenshot(page, "meeting_attendance_phone")
    page.get_by_role("button", name="Lưu điểm danh").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu điểm danh")
    page.get_by_role("button", name="Những người chưa ghi đều có mặt").click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu điểm danh")
    presence = dict(Attendance.objects.filter(meeting=meeting).values_list("name", "presence"))
    assert presence == {"Nguyễn Thị Hoà": "late", "Trần Quốc Bảo": "absent", "Lê Văn Cường": "present"}
    assert problems == []


def test_removing_an_invitee_asks_first(transactional_db, live_server, page, chair_a1, union_a1):
    meeting = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1, title="Họp BCH")
    factories.AttendanceFactory(meeting=meeting, union=union_a1, name="Trần Văn Khách")
    log_in(page, live_server.url, chair_a1.username, PASSWORD)
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    asked = []

    def answer(dialog, accept):
        asked.append(dialog.message)
        dialog.accept() if accept else dialog.dismiss()

    # "No": the invitee stays.
    page.once("dialog", lambda dialog: answer(dialog, accept=False))
    page.get_by_role("button", name="Xóa khỏi danh sách").first.click()
    assert asked == ["Xóa Trần Văn Khách khỏi danh sách?"]
    assert Attendance.objects.filter(meeting=meeting, name="Trần Văn Khách").exists()
    # "Yes": removed.
    page.once("dialog", lambda dialog: answer(dialog, accept=True))
    with page.expect_navigation():
        page.get_by_role("button", name="Xóa khỏi danh sách").first.click()
    assert not Attendance.objects.filter(meeting=meeting, name="Trần Văn Khách").exists()
