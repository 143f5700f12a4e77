"""Recording a meeting: the form (district staff, a chair), its follow-up tasks, and ticking a task done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.meetings.models import FollowUpTask, Meeting
from apps.meetings.selectors import series_label
from tests import factories

ADD = reverse("meetings:add")


def edit(meeting) -> str:
    return reverse("meetings:edit", args=[meeting.pk])


def form_data(tasks: list[dict] | None = None, initial_tasks: int = 0, **fields) -> dict:
    """A filled-in meeting form, with ``tasks`` as the follow-up task rows."""
    data = {
        "kind": "seminar",
        "title": "Tọa đàm về an toàn lao động",
        "status": "planned",
        "held_on": "09/07/2021",
        "starts_at": "08:00",
        "ends_at": "11:30",
        "location": "Hội trường quận",
        "topics": "1. Báo cáo\n2. Thảo luận",
        "discussion": "",
        "conclusions": "",
        **fields,
    }
    tasks = tasks or []
    data.update(
        {
            "tasks-TOTAL_FORMS": str(len(tasks)),
            "tasks-INITIAL_FORMS": str(initial_tasks),
            "tasks-MIN_NUM_FORMS": "0",
            "tasks-MAX_NUM_FORMS": "1000",
        }
    )
    for index, task in enumerate(tasks):
        data.update({f"tasks-{index}-{key}": value for key, value in task.items()})
    return data


# District staff -------------------------------------------------------------------------


def test_staff_records_a_federation_meeting_with_invitations_and_tasks(client, district_staff, union_a1, union_a2):
    client.force_login(district_staff)
    sector = factories.sector()
    data = form_data(
        sector=sector.pk,
        invited="A1\nmay thăng long",
        tasks=[{"description": "Gửi kết luận cho các CĐCS", "owner": district_staff.pk, "due_on": "20/07/2021"}],
    )
    response = client.post(ADD, data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.federation == district_staff.federation
    assert meeting.organiser_union is None
    assert meeting.sector == sector
    assert set(meeting.participating_unions.all()) == {union_a1, union_a2}
    assert meeting.agenda_items == ["Báo cáo", "Thảo luận"]
    assert meeting.starts_at == dt.time(8, 0)
    task = meeting.follow_up_tasks.get()
    assert (task.owner, task.due_on) == (district_staff, dt.date(2021, 7, 20))
    assert meeting.history.count() >= 1
    assert meeting.history.latest().history_user == district_staff


def test_staff_records_a_cdcs_group_meeting(client, district_staff, union_a1):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Toán")
    client.force_login(district_staff)
    response = client.post(ADD, form_data(kind="group_meeting", organiser="A1", group=group.pk))
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.organiser_union, meeting.group, meeting.federation) == (union_a1, group, union_a1.federation)


def test_a_group_alone_makes_its_cdcs_the_organiser(client, district_staff, union_a1):
    group = factories.UnionGroupFactory(union=union_a1)
    client.force_login(district_staff)
    client.post(ADD, form_data(kind="group_meeting", group=group.pk))
    assert Meeting.objects.get().organiser_union == union_a1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", ""),
        ({"held_on": "31/02/2021"}, "held_on", "hợp lệ"),
        ({"starts_at": "14:00", "ends_at": "13:00"}, "ends_at", "Giờ kết thúc không được trước giờ bắt đầu."),
        ({"starts_at": "25:61"}, "starts_at", "hợp lệ"),
        ({"invited": "A1\nkhông có công đoàn này"}, "invited", "Không có công đoàn cơ sở nào"),
        ({"invited": "công đoàn"}, "invited", "Có nhiều CĐCS khớp"),
        ({"invited": "B1"}, "invited", "Không có công đoàn cơ sở nào"),  # another federation's
        ({"organiser": "B1"}, "organiser", "Không có công đoàn cơ sở nào"),
        ({"kind": "group_meeting"}, "group", "Cần chọn tổ"),
    ],
)
def test_bad_input_is_said_next_to_the_field_and_nothing_is_saved(
    client, district_staff, union_a1, union_a2, union_b1, fields, field, message
):
    client.force_login(district_staff)
    task = {"description": "Việc", "owner": district_staff.pk, "due_on": "20/07/2021"}
    response = client.post(ADD, form_data(tasks=[task], **fields))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert any(message in error for error in errors[field]), errors[field]
    html = response.content.decode()
    assert "Vui lòng sửa các lỗi dưới đây." in html
    assert f'id="id_{field}_error"' in html  # next to its field
    assert not Meeting.objects.exists()
    assert not FollowUpTask.objects.exists()


def test_a_bad_task_saves_nothing(client, district_staff):
    client.force_login(district_staff)
    task = {"description": "Việc", "owner": district_staff.pk, "due_on": "hôm nay"}
    response = client.post(ADD, form_data(tasks=[task]))
    assert response.status_code == 200
    assert "due_on" in response.context["tasks"].forms[0].errors
    assert not Meeting.objects.exists()


def test_a_task_for_an_account_out_of_sight_is_refused(client, district_staff, staff_b):
    client.force_login(district_staff)
    task = {"description": "Việc", "owner": staff_b.pk, "due_on": "20/07/2021"}
    response = client.post(ADD, form_data(tasks=[task]))
    assert "owner" in response.context["tasks"].forms[0].errors
    assert not Meeting.objects.exists()


def test_staff_edits_and_removes_a_task(client, district_staff, federation_a):
    meeting = factories.MeetingFactory(federation=federation_a, title="Cũ")
    task = FollowUpTask.objects.create(
        meeting=meeting, description="Bỏ", owner=district_staff, due_on=dt.date(2021, 8, 1)
    )
    client.force_login(district_staff)
    assert client.get(edit(meeting)).status_code == 200
    data = form_data(
        title="Mới",
        initial_tasks=1,
        tasks=[
            {
                "id": task.pk,
                "meeting": meeting.pk,
                "description": "Bỏ",
                "owner": district_staff.pk,
                "due_on": "01/08/2021",
                "DELETE": "on",
            }
        ],
    )
    response = client.post(edit(meeting), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    meeting.refresh_from_db()
    assert meeting.title == "Mới"
    assert not FollowUpTask.objects.exists()


def test_cancelling_a_meeting_renumbers_the_later_ones(client, district_staff, federation_a, vi):
    _first, second, third = (
        factories.MeetingFactory(federation=federation_a, held_on=dt.date(2021, month, 1)) for month in (3, 5, 9)
    )
    client.force_login(district_staff)
    response = client.post(edit(second), form_data(title=second.title, held_on="01/05/2021", status="cancelled"))
    assert response.status_code == 302
    numbered = Meeting.objects.with_series_number().select_related("group", "organiser_union", "sector")
    assert series_label(numbered.get(pk=third.pk)).startswith("Tọa đàm thứ 2 năm 2021")
    assert series_label(numbered.get(pk=second.pk)) == "Tọa đàm"


# Chairs ---------------------------------------------------------------------------------


def test_chair_form_asks_neither_union_nor_federation(client, chair_a1, union_a1, union_a2):
    own_group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn")
    factories.UnionGroupFactory(union=union_a2, name="Tổ May A2")
    client.force_login(chair_a1)
    response = client.get(ADD)
    fields = response.context["form"].fields
    for absent in ("organiser", "federation", "organiser_union", "invited", "participating_unions", "sector"):
        assert absent not in fields
    assert list(fields["group"].queryset) == [own_group]
    html = response.content.decode()
    assert "Tổ May A2" not in html
    assert union_a2.name not in html


def test_chair_records_their_own_union_meeting(client, chair_a1, union_a1, union_a2):
    group = factories.UnionGroupFactory(union=union_a1)
    client.force_login(chair_a1)
    # Whatever is posted about the organiser or invitations is not theirs to say.
    data = form_data(
        kind="group_meeting",
        group=group.pk,
        organiser="A2",
        invited="A2",
        federation="999",
        tasks=[{"description": "Nộp biên bản", "owner": chair_a1.pk, "due_on": "15/07/2021"}],
    )
    response = client.post(ADD, data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert (meeting.organiser_union, meeting.federation, meeting.group) == (union_a1, union_a1.federation, group)
    assert not meeting.participating_unions.exists()
    assert meeting.follow_up_tasks.get().owner == chair_a1


def test_chair_cannot_use_another_unions_group(client, chair_a1, union_a2):
    other_group = factories.UnionGroupFactory(union=union_a2)
    client.force_login(chair_a1)
    response = client.post(ADD, form_data(kind="group_meeting", group=other_group.pk))
    assert "group" in response.context["form"].errors
    assert not Meeting.objects.exists()


def test_chair_can_give_a_task_only_to_themselves(client, chair_a1, district_staff):
    client.force_login(chair_a1)
    owners = client.get(ADD).context["tasks"].forms[0].fields["owner"].queryset
    assert list(owners) == [chair_a1]


def test_chair_edits_own_but_not_an_invited_or_another_unions_meeting(client, chair_a1, union_a1, union_a2):
    own = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1)
    invited = factories.MeetingFactory(federation=union_a1.federation)
    invited.participating_unions.add(union_a1)
    others = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a2)
    client.force_login(chair_a1)
    assert client.get(edit(own)).status_code == 200
    assert client.get(reverse("meetings:detail", args=[invited.pk])).status_code == 200
    for meeting in (invited, others):
        assert client.get(edit(meeting)).status_code == 404
        assert client.post(edit(meeting), form_data(title="Đổi")).status_code == 404
    assert not Meeting.objects.filter(title="Đổi").exists()


# Leaders --------------------------------------------------------------------------------


def test_leader_reads_only(client, leader, federation_a):
    meeting = factories.MeetingFactory(federation=federation_a, title="Không đổi")
    client.force_login(leader)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form_data()).status_code == 403
    assert client.get(edit(meeting)).status_code == 403
    assert client.post(edit(meeting), form_data(title="Đổi")).status_code == 403
    assert Meeting.objects.get().title == "Không đổi"


def test_staff_of_another_federation_cannot_edit(client, staff_b, federation_a):
    meeting = factories.MeetingFactory(federation=federation_a)
    client.force_login(staff_b)
    assert client.get(edit(meeting)).status_code == 404


# Follow-up tasks on the home page -------------------------------------------------------


@pytest.fixture
def task_of_staff(district_staff, federation_a):
    meeting = factories.MeetingFactory(federation=federation_a, title="Hội nghị sơ kết")
    return FollowUpTask.objects.create(
        meeting=meeting, description="Gửi báo cáo sơ kết", owner=district_staff, due_on=dt.date(2021, 8, 1)
    )


def test_open_task_shows_on_the_owners_home_until_done(client, district_staff, task_of_staff, vi):
    client.force_login(district_staff)
    home = reverse("home")
    html = client.get(home).content.decode()
    assert "Gửi báo cáo sơ kết" in html
    assert "quá hạn" in html  # due in 2021
    done = reverse("meetings:task_done", args=[task_of_staff.pk])
    assert client.get(done).status_code == 405
    response = client.post(done, {"next": home})
    assert (response.status_code, response.url) == (302, home)
    task_of_staff.refresh_from_db()
    assert task_of_staff.done_on == dt.date.today()
    assert 'id="my-tasks"' not in client.get(home).content.decode()


def test_task_done_never_goes_to_another_site(client, district_staff, task_of_staff):
    client.force_login(district_staff)
    response = client.post(reverse("meetings:task_done", args=[task_of_staff.pk]), {"next": "https://ke-gian.example/"})
    assert response.url == reverse("meetings:detail", args=[task_of_staff.meeting_id])


def test_chair_sees_their_task_on_their_union_page(client, chair_a1, union_a1):
    meeting = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1)
    FollowUpTask.objects.create(
        meeting=meeting, description="Lập danh sách tổ", owner=chair_a1, due_on=dt.date(2030, 1, 1)
    )
    client.force_login(chair_a1)
    html = client.get(reverse("dashboard:union", args=[union_a1.pk])).content.decode()
    assert "Lập danh sách tổ" in html


def test_only_the_owner_or_who_may_change_the_meeting_ticks_a_task(
    client, task_of_staff, leader, chair_a1, staff_b, district_staff, federation_a
):
    done = reverse("meetings:task_done", args=[task_of_staff.pk])
    client.force_login(leader)
    assert client.post(done).status_code == 403  # sees it, changes nothing
    client.force_login(staff_b)
    assert client.post(done).status_code == 404
    client.force_login(chair_a1)
    assert client.post(done).status_code == 404  # not invited: out of sight
    task_of_staff.refresh_from_db()
    assert task_of_staff.done_on is None
    # Another member of the staff may change the meeting, so may tick its task.
    colleague = factories.UserFactory(username="canbo2", role="staff", federation=federation_a)
    client.force_login(colleague)
    assert client.post(done).status_code == 302
    task_of_staff.refresh_from_db()
    assert task_of_staff.done_on is not None


def test_an_invited_chair_owning_a_task_may_tick_it(client, chair_a1, union_a1, federation_a):
    meeting = factories.MeetingFactory(federation=federation_a)
    meeting.participating_unions.add(union_a1)
    task = FollowUpTask.objects.create(
        meeting=meeting, description="Cử người dự", owner=chair_a1, due_on=dt.date(2030, 1, 1)
    )
    client.force_login(chair_a1)
    assert client.post(reverse("meetings:task_done", args=[task.pk])).status_code == 302
    task.refresh_from_db()
    assert task.done_on is not None
