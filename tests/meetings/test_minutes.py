"""A meeting's minutes: the A4 page in the official layout and the same minutes as an editable .docx, in scope."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document
from docx.shared import Pt

from apps.meetings.minutes import date_line, minutes_for, place_of, series_label
from apps.meetings.models import Attendance, FollowUpTask, Meeting
from tests import factories

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def seminar(federation_a, union_a1, union_a2, district_staff):
    """The federation's 3rd seminar of 2021, with A1 and A2 invited, each sending a participant."""
    sector = union_a1.sector
    for held_on in (dt.date(2021, 3, 5), dt.date(2021, 5, 14)):
        factories.MeetingFactory(
            federation=federation_a, sector=sector, held_on=held_on, status=Meeting.Status.HELD, title="Trước"
        )
    meeting = factories.MeetingFactory(
        federation=federation_a,
        sector=sector,
        status=Meeting.Status.HELD,
        title="Nâng cao chất lượng hoạt động Tổ Công đoàn <cơ sở> & doanh nghiệp",
        held_on=dt.date(2021, 7, 9),
        starts_at=dt.time(8, 0),
        ends_at=dt.time(11, 30),
        location="Hội trường LĐLĐ quận",
        topics="1. Thực trạng tổ công đoàn\n- Kinh nghiệm <b>hay</b>\n",
        discussion="Các tổ trưởng trao đổi.\nÝ kiến: cần sinh hoạt đều & đúng kỳ.",
        conclusions="Duy trì sinh hoạt tổ mỗi tháng.",
    )
    meeting.participating_unions.add(union_a1, union_a2)
    Attendance.objects.bulk_create(
        [
            Attendance(meeting=meeting, name="Nguyễn Văn Chủ", position="Chủ tịch LĐLĐ quận", role="presiding"),
            Attendance(meeting=meeting, name="Lê Thị Phó", position="Phó Chủ tịch LĐLĐ quận", role="presiding"),
            Attendance(meeting=meeting, name="Phạm Văn Trình", position="Trưởng ban Tổ chức", role="reporting"),
            Attendance(meeting=meeting, name="Trần Thư Ký", position="Cán bộ LĐLĐ quận", role="secretary"),
            Attendance(meeting=meeting, name="Đại Biểu Aa", union=union_a1, presence="present"),
            Attendance(meeting=meeting, name="Đại Biểu Ab", union=union_a2, presence="late", headcount=3),
            Attendance(meeting=meeting, name="Vắng Mặt Ac", union=union_a2, presence="absent"),
        ]
    )
    FollowUpTask.objects.create(
        meeting=meeting, description="Gửi báo cáo tổng hợp", owner=district_staff, due_on=dt.date(2021, 7, 31)
    )
    return meeting


def docx_of(response) -> Document:
    return Document(io.BytesIO(response.content))


def docx_text(document) -> str:
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([*cells, *(paragraph.text for paragraph in document.paragraphs)])


def test_the_series_label_counts_the_meeting(seminar, vi):
    meeting = Meeting.objects.with_series_number().get(pk=seminar.pk)
    sector = seminar.sector.name
    assert series_label(meeting) == f"tọa đàm thứ 3 năm 2021 của khối {sector}"


def test_a_cancelled_meeting_has_no_series_label(seminar):
    seminar.status = Meeting.Status.CANCELLED
    seminar.save()
    assert series_label(Meeting.objects.with_series_number().get(pk=seminar.pk)) == ""


@pytest.mark.parametrize(
    ("name", "address", "place"),
    [
        ("Liên đoàn Lao động quận Tây Hồ", "", "Tây Hồ"),
        ("Công đoàn phường Quảng An", "", "Quảng An"),
        ("LĐLĐ thành phố Hà Nội", "", "Hà Nội"),
        ("Công đoàn Khu công nghiệp", "Số 1, phường Phúc Lợi, quận Long Biên, Hà Nội", "Long Biên"),
        ("Công đoàn ngành", "", "……"),
    ],
)
def test_the_place_of_the_date_line(db, name, address, place):
    meeting = factories.MeetingFactory(federation=factories.FederationFactory(name=name, address=address))
    assert place_of(meeting) == place


def test_the_date_line_writes_days_and_early_months_with_two_digits(vi):
    assert date_line("Tây Hồ", dt.date(2021, 7, 9)) == "Tây Hồ, ngày 09 tháng 7 năm 2021"
    assert date_line("Tây Hồ", dt.date(2022, 2, 15)) == "Tây Hồ, ngày 15 tháng 02 năm 2022"
    assert date_line("Tây Hồ", dt.date(2022, 11, 30)) == "Tây Hồ, ngày 30 tháng 11 năm 2022"


def test_the_minutes_page_in_the_official_layout(client, district_staff, seminar):
    client.force_login(district_staff)
    response = client.get(reverse("meetings:minutes", args=[seminar.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "LIÊN ĐOÀN LAO ĐỘNG QUẬN HAI BÀ TRƯNG",
        "Số: ……/BB-……",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "Hai Bà Trưng, ngày 09 tháng 7 năm 2021",
        "BIÊN BẢN",
        "TỌA ĐÀM: Nâng cao chất lượng",
        "(tọa đàm thứ 3 năm 2021 của khối",
        "Thời gian: từ 8 giờ 00 đến 11 giờ 30, ngày 09/07/2021.",
        "Địa điểm: Hội trường LĐLĐ quận.",
        "Nguyễn Văn Chủ, Chủ tịch LĐLĐ quận; Lê Thị Phó, Phó Chủ tịch LĐLĐ quận",
        "Phạm Văn Trình",
        "Số người được mời: 9; số người có mặt: 4.",
        "<li>Thực trạng tổ công đoàn</li>",
        "Duy trì sinh hoạt tổ mỗi tháng.",
        "Gửi báo cáo tổng hợp (",
        "hạn 31/07/2021)",
        "Cuộc họp kết thúc vào lúc 11 giờ 30 cùng ngày.",
        "THƯ KÝ",
        "CHỦ TRÌ",
        "Trần Thư Ký",
        'href="/static/css/print.css"',
    ):
        assert text in html, text
    # Typed text is shown, never run as markup.
    assert "&lt;cơ sở&gt; &amp; doanh nghiệp" in html
    assert "Kinh nghiệm &lt;b&gt;hay&lt;/b&gt;" in html
    assert "<b>hay" not in html
    assert 'style="' not in html and "<script>" not in html
    # Who came is listed; who was absent is not.
    assert "Đại Biểu Aa" in html and "Đại Biểu Ab" in html and "Vắng Mặt Ac" not in html


def test_a_cdcs_meeting_names_its_federation_above_it(client, chair_a1, union_a1):
    meeting = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1, title="Họp BCH")
    client.force_login(chair_a1)
    html = client.get(reverse("meetings:minutes", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert html.index("LIÊN ĐOÀN LAO ĐỘNG QUẬN HAI BÀ TRƯNG") < html.index("CÔNG ĐOÀN TRƯỜNG THCS NGÔ QUYỀN")
    # Nothing recorded yet: the blanks are there to fill by hand.
    assert "Thời gian: từ …… đến ……" in html
    assert "Cuộc họp kết thúc vào lúc …… cùng ngày." in html


def test_an_invited_chair_sees_the_officials_and_their_own_people_only(client, chair_a1, seminar):
    client.force_login(chair_a1)
    for name in ("meetings:minutes", "meetings:minutes_docx"):
        response = client.get(reverse(name, args=[seminar.pk]), HTTP_ACCEPT_LANGUAGE="vi")
        assert response.status_code == 200
        text = response.content.decode() if name == "meetings:minutes" else docx_text(docx_of(response))
        assert "Nguyễn Văn Chủ" in text and "Trần Thư Ký" in text and "Đại Biểu Aa" in text
        assert "Đại Biểu Ab" not in text, name  # A2's delegate
        # The counts are of what the chair may see too: nothing of A2's people leaks through a number.
        assert "Số người được mời: 5; số người có mặt: 1." in text


def test_minutes_of_a_meeting_of_another_scope_are_not_found(client, chair_a2, staff_b, union_a1):
    meeting = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1)
    for user in (chair_a2, staff_b):
        client.force_login(user)
        for name in ("meetings:minutes", "meetings:minutes_docx"):
            assert client.get(reverse(name, args=[meeting.pk])).status_code == 404
            assert client.get(reverse(name, args=[meeting.pk + 1000])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, seminar):
    for name in ("meetings:minutes", "meetings:minutes_docx"):
        response = client.get(reverse(name, args=[seminar.pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_docx_is_an_editable_word_file_of_the_same_minutes(client, leader, seminar):
    client.force_login(leader)
    response = client.get(reverse("meetings:minutes_docx", args=[seminar.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == (
        'attachment; filename="Bien-ban-2021-07-09-nang-cao-chat-luong-hoat-dong-to-cong-doan-co-so-doanh.docx"'
    )
    document = docx_of(response)
    text = docx_text(document)
    for line in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập – Tự do – Hạnh phúc",
        "Hai Bà Trưng, ngày 09 tháng 7 năm 2021",
        "BIÊN BẢN",
        "I. THÀNH PHẦN THAM DỰ",
        "1. Thực trạng tổ công đoàn",
        "2. Kinh nghiệm <b>hay</b>",
        "Ý kiến: cần sinh hoạt đều & đúng kỳ.",
        "TỌA ĐÀM: Nâng cao chất lượng hoạt động Tổ Công đoàn <cơ sở> & doanh nghiệp",
        "Cuộc họp kết thúc vào lúc 11 giờ 30 cùng ngày.",
    ):
        assert line in text, line
    # The heading is a two-column table without borders; the signatures another.
    head = document.tables[0]
    assert len(head.columns) == 2
    assert head.style is None or "Grid" not in head.style.name
    assert "tblBorders" not in head._tbl.xml
    assert head.rows[0].cells[1].paragraphs[1].runs[0].underline is True
    signatures = docx_text(document).split("Cuộc họp kết thúc")[0]
    assert "THƯ KÝ" in docx_text(document) and "CHỦ TRÌ" in docx_text(document) and signatures
    # A4 with the margins of administrative documents; Times New Roman 13 pt.
    section = document.sections[0]
    millimetres = [
        round(length.mm)
        for length in (
            section.page_width,
            section.page_height,
            section.top_margin,
            section.bottom_margin,
            section.left_margin,
            section.right_margin,
        )
    ]
    assert millimetres == [210, 297, 20, 20, 30, 15]
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size == Pt(13)
    assert document.styles["Minutes Title"].font.size == Pt(14)
    assert any(paragraph.style.name == "Minutes Section" for paragraph in document.paragraphs)


def test_the_content_is_built_in_few_queries(seminar, district_staff, django_assert_max_num_queries):
    meeting = Meeting.objects.with_series_number().select_related("federation__parent", "sector").get(pk=seminar.pk)
    with django_assert_max_num_queries(3):
        minutes = minutes_for(meeting, district_staff)
    assert [person.name for person in minutes.presiding] == ["Nguyễn Văn Chủ", "Lê Thị Phó"]
    assert minutes.present_count == 4


def test_the_pages_query_count(client, district_staff, seminar, django_assert_max_num_queries):
    client.force_login(district_staff)
    for name in ("meetings:minutes", "meetings:minutes_docx"):
        with django_assert_max_num_queries(8):
            assert client.get(reverse(name, args=[seminar.pk])).status_code == 200


def test_no_english_on_the_minutes_and_documents_pages(client, district_staff, seminar):
    """The walk of tests/core/test_no_english_left.py reaches these once the meeting's page links them."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from apps.meetings.services import add_document
    from tests.core.test_no_english_left import english as english_fixture
    from tests.core.test_no_english_left import english_left
    from tests.hostile_files import photo_jpeg

    english = english_fixture.__wrapped__()
    add_document(seminar, SimpleUploadedFile("anh.jpg", photo_jpeg((60, 40))), title="Ảnh toàn cảnh")
    add_document(seminar, SimpleUploadedFile("ket-luan.pdf", b"%PDF-1.4"), title="Kết luận")
    client.force_login(district_staff)
    pages = {
        "minutes": client.get(reverse("meetings:minutes", args=[seminar.pk]), HTTP_ACCEPT_LANGUAGE="vi"),
        "documents": client.get(reverse("meetings:documents", args=[seminar.pk]), HTTP_ACCEPT_LANGUAGE="vi"),
        "documents, refused": client.post(
            reverse("meetings:documents", args=[seminar.pk]),
            {"file": SimpleUploadedFile("x.pdf", b"MZ")},
            HTTP_ACCEPT_LANGUAGE="vi",
        ),
        "documents, empty": client.post(reverse("meetings:documents", args=[seminar.pk]), HTTP_ACCEPT_LANGUAGE="vi"),
    }
    found = {what: english_left(page.content.decode(), english) for what, page in pages.items()}
    assert {what: left for what, left in found.items() if left} == {}
