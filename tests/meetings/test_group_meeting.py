"""Recording a union group's meeting from a phone: only what applies, all or nothing, in scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from apps.meetings import models as meeting_models
from apps.meetings.models import Attendance, Meeting, MeetingDocument
from apps.members.models import MembershipPeriod
from tests import factories


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), (65, 118, 144)).save(buffer, format="PNG")
    return buffer.getvalue()


def photo(name: str = "anh-sinh-hoat.png", content: bytes | None = None, content_type: str = "image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type=content_type)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def office(union_a1):
    return factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")


@pytest.fixture
def office_members(office):
    names = ["Nguyễn Thị Hoà", "Trần Quốc Bảo", "Lê Văn Cường"]
    return [factories.MemberFactory(union=office.union, group=office, full_name=name) for name in names]


def add_url(group) -> str:
    return reverse("meetings:group_meeting_add", args=[group.pk])


def posted(form_members, *, present=None, day: dt.date | None = None, **extra) -> dict:
    """The form as a browser sends it: the roster shown, the ticked members."""
    day = day or timezone.localdate()
    data = {
        "held_on": day.strftime("%d/%m/%Y"),
        "shown": ",".join(str(member.pk) for member in form_members),
        "present": [str(member.pk) for member in (form_members if present is None else present)],
        "topics": "",
        "discussion": "",
    }
    data.update(extra)
    return data


def in_vietnamese(client):
    client.cookies["django_language"] = "vi"


def test_the_form_has_only_what_a_group_meeting_has(client, chair_a1, office, office_members):
    client.force_login(chair_a1)
    response = client.get(add_url(office))
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {
        "held_on",
        "starts_at",
        "present",
        "topics",
        "discussion",
        "photo",
        # Technical: the roster the page showed, and the confirmation asked only for a second meeting that day.
        "shown",
        "confirm_duplicate",
    }
    html = response.content.decode()
    for absent in ("kind", "organiser_union", "sector", "federation", "participating_unions", "status", "title"):
        assert f'name="{absent}"' not in html
    assert 'name="confirm_duplicate"' not in html  # not asked for
    assert 'accept="image/*"' in html and 'capture="environment"' in html
    assert 'enctype="multipart/form-data"' in html
    # Today, day first; the whole roster ticked present.
    assert f'value="{timezone.localdate():%d/%m/%Y}"' in html
    for member in office_members:
        assert member.full_name in html
    assert html.count('name="present"') == 3
    assert html.count("checked") == 3


def test_the_group_page_links_to_the_form(client, chair_a1, office):
    client.force_login(chair_a1)
    for page in (
        reverse("portal:group", args=[office.union_id, office.pk]),
        reverse("portal:groups", args=[office.union_id]),
    ):
        assert add_url(office) in client.get(page).content.decode(), page


def test_a_leader_has_no_link_to_the_form(client, leader, office):
    client.force_login(leader)
    assert (
        add_url(office) not in client.get(reverse("portal:group", args=[office.union_id, office.pk])).content.decode()
    )


def test_everyone_present_by_default_and_the_unticked_absent(client, chair_a1, office, office_members, vi):
    client.force_login(chair_a1)
    in_vietnamese(client)
    hoa, bao, cuong = office_members
    day = dt.date(2021, 7, 9)
    response = client.post(
        add_url(office),
        posted(
            office_members,
            present=[hoa, cuong],
            day=day,
            starts_at="14:30",
            topics="1. Triển khai kế hoạch tháng 7\n- Thăm hỏi đoàn viên ốm đau\n",
            discussion="Tổ thống nhất phân công thăm hỏi.",
            photo=photo(),
        ),
    )
    assert response.status_code == 302
    assert response.url == reverse("portal:group", args=[office.union_id, office.pk])
    meeting = Meeting.objects.get()
    assert meeting.kind == Meeting.Kind.GROUP_MEETING
    assert meeting.status == Meeting.Status.HELD
    assert meeting.group == office
    assert meeting.organiser_union == office.union
    assert meeting.federation == office.union.federation
    assert meeting.held_on == day
    assert meeting.starts_at == dt.time(14, 30)
    assert meeting.title == "Sinh hoạt Tổ Văn phòng tháng 07/2021"
    assert meeting.agenda_items == ["Triển khai kế hoạch tháng 7", "Thăm hỏi đoàn viên ốm đau"]
    assert meeting.discussion == "Tổ thống nhất phân công thăm hỏi."
    assert meeting.participating_unions.count() == 0
    rows = {a.member_id: a for a in meeting.attendances.all()}
    assert set(rows) == {hoa.pk, bao.pk, cuong.pk}
    assert {m: a.presence for m, a in rows.items()} == {hoa.pk: "present", bao.pk: "absent", cuong.pk: "present"}
    for member in office_members:
        row = rows[member.pk]
        assert (row.invited, row.union_id, row.name, row.role) == (
            True,
            office.union_id,
            member.full_name,
            "participant",
        )
    document = MeetingDocument.objects.get()
    assert document.meeting == meeting and document.file.name.endswith(".png")
    message = str(next(iter(response.wsgi_request._messages)))
    assert "Tổ Văn phòng" in message and "09/07/2021" in message and "2/3" in message


def test_a_group_named_without_to_gets_it_in_the_title(client, district_staff, union_a1, vi):
    group = factories.UnionGroupFactory(union=union_a1, name="Kế toán")
    client.force_login(district_staff)
    response = client.post(add_url(group), posted([], day=dt.date(2021, 3, 2)))
    assert response.status_code == 302
    assert Meeting.objects.get().title == "Sinh hoạt Tổ Kế toán tháng 03/2021"


def test_the_roster_is_the_groups_on_the_day(client, chair_a1, office, office_members):
    """Someone who joined the group later is not on an earlier meeting's roster; one who left it since is."""
    newcomer = factories.MemberFactory(union=office.union, group=office, joined_union_on=dt.date(2021, 8, 1))
    moved = office_members[0]
    MembershipPeriod.objects.filter(member=moved).update(ended_on=dt.date(2021, 8, 1))
    other = factories.UnionGroupFactory(union=office.union)
    MembershipPeriod.objects.create(member=moved, union=office.union, group=other, started_on=dt.date(2021, 8, 1))
    client.force_login(chair_a1)
    july = client.get(add_url(office), {}).context["form"]
    assert newcomer in july.roster and moved not in july.roster  # today
    response = client.post(add_url(office), posted(july.roster, day=dt.date(2021, 7, 9)))
    # The page showed today's roster; July's is another: shown to check, nothing saved yet.
    assert response.status_code == 200
    form = response.context["form"]
    assert {m.pk for m in form.roster} == {m.pk for m in office_members}
    assert "roster_changed" in {e.code for e in form.non_field_errors().as_data()}
    assert not Meeting.objects.exists()
    # The page now shows July's roster, the member who came back into it ticked present.
    assert str(moved.pk) in response.content.decode()
    response = client.post(add_url(office), posted(office_members, day=dt.date(2021, 7, 9)))
    assert response.status_code == 302
    assert set(Attendance.objects.values_list("member_id", flat=True)) == {m.pk for m in office_members}


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: photo("bien-ban.pdf", b"%PDF-1.4 minutes", "application/pdf"), "Hãy chọn một ảnh JPEG hoặc PNG."),
        (lambda: photo("anh.exe", b"MZ\x90\x00", "image/png"), "Hãy chọn một ảnh JPEG hoặc PNG."),
        (lambda: photo("trang.html", b"<script>alert(1)</script>", "image/png"), "Hãy chọn một ảnh JPEG hoặc PNG."),
    ],
)
def test_a_wrong_photo_is_refused_and_nothing_saved(client, chair_a1, office, office_members, upload, message):
    client.force_login(chair_a1)
    in_vietnamese(client)
    response = client.post(add_url(office), posted(office_members, photo=upload()))
    assert response.status_code == 200
    assert message in response.context["form"].errors["photo"]
    assert message in response.content.decode()
    assert not Meeting.objects.exists() and not Attendance.objects.exists() and not MeetingDocument.objects.exists()


def test_a_photo_the_document_check_refuses_leaves_nothing(
    client, chair_a1, office, office_members, monkeypatch, tmp_path
):
    """add_document's own refusal (here: too large) comes back on the photo field, and the meeting goes too."""
    monkeypatch.setattr(meeting_models, "DOCUMENT_MAX_BYTES", 10)
    client.force_login(chair_a1)
    in_vietnamese(client)
    response = client.post(add_url(office), posted(office_members, photo=photo()))
    assert response.status_code == 200
    assert response.context["form"].errors["photo"]
    assert not Meeting.objects.exists() and not Attendance.objects.exists() and not MeetingDocument.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


@pytest.mark.parametrize("held_on", ["31/02/2021", "09/13/2021", "hôm qua", ""])
def test_a_bad_date_is_refused_next_to_the_field(client, chair_a1, office, office_members, held_on):
    client.force_login(chair_a1)
    in_vietnamese(client)
    response = client.post(add_url(office), posted(office_members, held_on=held_on))
    assert response.status_code == 200
    assert response.context["form"].errors["held_on"]
    assert 'id="id_held_on_error"' in response.content.decode()
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_a_meeting_cannot_be_in_the_future_or_before_the_group(client, chair_a1, office, office_members):
    client.force_login(chair_a1)
    in_vietnamese(client)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(add_url(office), posted(office_members, day=tomorrow))
    assert "tương lai" in " ".join(response.context["form"].errors["held_on"])
    response = client.post(add_url(office), posted([], day=dt.date(2015, 12, 31)))
    assert "01/01/2016" in " ".join(response.context["form"].errors["held_on"])
    assert not Meeting.objects.exists()


def test_a_second_meeting_the_same_day_asks_first(client, chair_a1, office, office_members):
    client.force_login(chair_a1)
    in_vietnamese(client)
    day = dt.date(2021, 7, 9)
    assert client.post(add_url(office), posted(office_members, day=day)).status_code == 302
    response = client.post(add_url(office), posted(office_members, day=day))
    assert response.status_code == 200
    assert "duplicate" in {e.code for e in response.context["form"].non_field_errors().as_data()}
    assert 'name="confirm_duplicate"' in response.content.decode()
    assert Meeting.objects.count() == 1
    response = client.post(add_url(office), posted(office_members, day=day, confirm_duplicate="on"))
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_chair_cannot_record_for_another_unions_group(client, chair_a1, union_a2, method):
    group = factories.UnionGroupFactory(union=union_a2)
    members = [factories.MemberFactory(union=union_a2, group=group)]
    client.force_login(chair_a1)
    response = getattr(client, method)(add_url(group), posted(members) if method == "post" else {})
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_staff_of_another_federation_cannot_either(client, staff_b, office, office_members):
    client.force_login(staff_b)
    assert client.post(add_url(office), posted(office_members)).status_code == 404
    assert not Meeting.objects.exists()


def test_district_staff_record_for_any_group_of_their_district(client, district_staff, union_a2):
    group = factories.UnionGroupFactory(union=union_a2)
    members = [factories.MemberFactory(union=union_a2, group=group)]
    client.force_login(district_staff)
    assert client.post(add_url(group), posted(members)).status_code == 302
    assert Meeting.objects.get().organiser_union == union_a2


def test_a_leader_may_not_record(client, leader, office, office_members):
    client.force_login(leader)
    assert client.get(add_url(office)).status_code == 403
    assert client.post(add_url(office), posted(office_members)).status_code == 403
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("stranger_of", ["another_group", "another_union"])
def test_a_forged_member_from_elsewhere_is_refused(client, chair_a1, union_a2, office, office_members, stranger_of):
    union = office.union if stranger_of == "another_group" else union_a2
    stranger = factories.MemberFactory(union=union, group=factories.UnionGroupFactory(union=union))
    client.force_login(chair_a1)
    in_vietnamese(client)
    data = posted(office_members, present=[*office_members, stranger])
    response = client.post(add_url(office), data)
    assert response.status_code == 200
    assert response.context["form"].errors["present"]
    # Nor by claiming the page showed them.
    data["shown"] += f",{stranger.pk}"
    response = client.post(add_url(office), data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Meeting.objects.exists() and not Attendance.objects.exists()


def test_the_service_refuses_someone_off_the_roster(office, office_members, union_a2):
    from django.core.exceptions import ValidationError

    from apps.meetings.services import record_group_meeting

    stranger = factories.MemberFactory(union=union_a2)
    with pytest.raises(ValidationError):
        record_group_meeting(
            group=office, held_on=dt.date(2021, 7, 9), roster=office_members, present=[*office_members, stranger]
        )
    assert not Meeting.objects.exists()


def test_a_dissolved_group_gets_no_new_meeting(client, chair_a1, office, office_members):
    office.dissolved_on = dt.date(2024, 6, 30)
    office.save()
    client.force_login(chair_a1)
    in_vietnamese(client)
    response = client.get(add_url(office))
    assert response.status_code == 200
    html = response.content.decode()
    assert "30/06/2024" in html and "giải thể" in html
    assert 'name="held_on"' not in html
    response = client.post(add_url(office), posted(office_members, day=dt.date(2024, 6, 1)))
    assert response.status_code == 200
    assert not Meeting.objects.exists()
    assert (
        add_url(office) not in client.get(reverse("portal:group", args=[office.union_id, office.pk])).content.decode()
    )


def test_the_page_speaks_vietnamese(client, chair_a1, office, office_members):
    client.force_login(chair_a1)
    in_vietnamese(client)
    html = client.get(add_url(office)).content.decode()
    for text in (
        "Ghi buổi sinh hoạt",
        "Ngày sinh hoạt",
        "Giờ bắt đầu",
        "Nội dung sinh hoạt",
        "Ảnh buổi sinh hoạt",
        "Lưu",
    ):
        assert text in html


def test_query_counts_with_a_forty_member_roster(client, chair_a1, office, django_assert_max_num_queries):
    members = [factories.MemberFactory(union=office.union, group=office) for _ in range(40)]
    client.force_login(chair_a1)
    client.get(add_url(office))  # session and translations warmed
    # Session, user, the group, its roster on the day; nothing per member.
    with django_assert_max_num_queries(5):
        response = client.get(add_url(office))
    assert len(response.context["form"].roster) == 40
    # The same, the same-day check, the meeting (checked, saved, its history), one insert of the
    # 40 attendances, the photo: nothing per member.
    with django_assert_max_num_queries(24):
        response = client.post(add_url(office), posted(members, present=members[:30], photo=photo()))
    assert response.status_code == 302
    assert Attendance.objects.filter(presence="absent").count() == 10
    assert Attendance.objects.filter(presence="present").count() == 30
