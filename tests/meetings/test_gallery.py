"""A meeting's photos and files: checked by content, photos stripped of EXIF with a thumbnail, served in scope."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from apps.meetings import models as meeting_models
from apps.meetings.models import THUMBNAIL_SIZE, MeetingDocument
from apps.meetings.services import add_document
from tests import factories
from tests.hostile_files import CAMERA, EXECUTABLE, HTML_PAGE, JPEG_COMMENT, photo_jpeg, photo_png, workbook


def _all_stored(folder: str = "") -> set[str]:
    directories, files = default_storage.listdir(folder)
    found = {f"{folder}{name}" for name in files}
    for directory in directories:
        found |= _all_stored(f"{folder}{directory}/")
    return found


@pytest.fixture
def media():
    """The files in storage before the test (the suite's storage is in memory and shared)."""
    return _all_stored()


def stored_files(before: set[str]) -> list[str]:
    """The files stored since the test began."""
    return sorted(_all_stored() - before)


@pytest.fixture
def meeting_a1(union_a1):
    return factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1, title="Họp BCH tháng 7")


@pytest.fixture
def federation_meeting(federation_a, union_a1):
    meeting = factories.MeetingFactory(federation=federation_a, title="Tọa đàm khối doanh nghiệp")
    meeting.participating_unions.add(union_a1)
    return meeting


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


# --- the service: what may be attached -------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("anh-hoi-nghi.jpg", EXECUTABLE),
        ("anh-hoi-nghi.jpg", HTML_PAGE),
        ("bien-ban.pdf", EXECUTABLE),
        ("bien-ban.pdf", HTML_PAGE),
        ("anh.png", photo_jpeg()),  # a real photo, but not what its name says
        ("bien-ban.docx", workbook()),  # a zip, but a workbook
        ("bang.xlsx", b"PK\x03\x04 not really a zip"),
        ("bien-ban.doc", HTML_PAGE),
        ("ghi-chu.txt", HTML_PAGE),
        ("ghi-chu.txt", EXECUTABLE),
        ("chuong-trinh.exe", EXECUTABLE),
        ("trang.html", HTML_PAGE),
    ],
)
def test_a_file_that_is_not_what_it_says_is_refused_and_nothing_kept(vi, media, meeting_a1, name, content):
    with pytest.raises(ValidationError) as refused:
        add_document(meeting_a1, upload(name, content))
    [message] = refused.value.message_dict["file"]
    assert f"“{name}”" in message  # the error names the file
    assert not MeetingDocument.objects.exists()
    assert stored_files(media) == []


def test_the_refusal_says_what_is_wrong_in_vietnamese(vi, meeting_a1):
    with pytest.raises(ValidationError) as refused:
        add_document(meeting_a1, upload("anh-hoi-nghi.jpg", EXECUTABLE))
    assert refused.value.message_dict["file"] == [
        "Tệp “anh-hoi-nghi.jpg” không phải là tệp JPG thật: nội dung tệp không khớp với đuôi tên tệp."
    ]


def test_an_oversized_file_is_refused_with_its_name_and_nothing_kept(vi, media, meeting_a1, monkeypatch):
    monkeypatch.setattr(meeting_models, "DOCUMENT_MAX_BYTES", 1024)
    with pytest.raises(ValidationError) as refused:
        add_document(meeting_a1, upload("bien-ban.pdf", b"%PDF-1.4" + b"x" * 2048))
    assert refused.value.message_dict["file"] == [
        "Tệp “bien-ban.pdf” nặng 2,0\xa0KB; tài liệu cuộc họp chỉ được nặng tối đa 1,0\xa0KB."
    ]
    assert not MeetingDocument.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bien-ban.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
        ("bang-diem-danh.xlsx", workbook()),
        ("bien-ban.doc", meeting_models.OLE_SIGNATURE + b"\x00" * 504),
        ("ghi-chu.txt", "Biên bản họp tổ: đủ 12/12 người.".encode()),
    ],
)
def test_documents_of_the_right_kind_are_kept_as_they_are(media, meeting_a1, name, content):
    document = add_document(meeting_a1, upload(name, content), title="Tài liệu")
    assert document.file.open("rb").read() == content
    assert not document.thumbnail
    assert len(stored_files(media)) == 1


def test_a_photo_loses_its_exif_and_gps_and_gets_a_thumbnail(media, meeting_a1):
    original = photo_jpeg((1600, 1200))
    document = add_document(meeting_a1, upload("anh-hoi-nghi.jpg", original))
    stored = document.file.open("rb").read()
    assert stored != original
    assert CAMERA.encode() not in stored and JPEG_COMMENT not in stored and b"Exif" not in stored
    photo = Image.open(io.BytesIO(stored))
    assert (photo.format, photo.size) == ("JPEG", (1600, 1200))
    assert dict(photo.getexif()) == {}
    assert dict(photo.getexif().get_ifd(0x8825)) == {}
    thumbnail = Image.open(document.thumbnail.open("rb"))
    assert thumbnail.format == "JPEG"
    assert max(thumbnail.size) == THUMBNAIL_SIZE and thumbnail.size == (320, 240)
    assert len(stored_files(media)) == 2


def test_a_png_keeps_its_kind_and_loses_its_text_chunks(meeting_a1):
    document = add_document(meeting_a1, upload("so-do.png", photo_png()))
    stored = document.file.open("rb").read()
    assert b"<script>" not in stored
    assert Image.open(io.BytesIO(stored)).format == "PNG"
    assert Image.open(document.thumbnail.open("rb")).size == (320, 240)


def test_a_photo_turned_by_the_camera_is_stored_upright(meeting_a1):
    image = Image.new("RGB", (400, 200), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # the phone was held upright: rotate 90° to show
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    document = add_document(meeting_a1, upload("doc.jpg", buffer.getvalue()))
    assert Image.open(document.file.open("rb")).size == (200, 400)


def test_a_truncated_photo_is_refused(vi, media, meeting_a1):
    with pytest.raises(ValidationError):
        add_document(meeting_a1, upload("anh.jpg", photo_jpeg()[:400]))
    assert stored_files(media) == []


def test_deleting_a_photo_removes_its_thumbnail(media, meeting_a1, django_capture_on_commit_callbacks):
    document = add_document(meeting_a1, upload("anh.jpg", photo_jpeg()))
    with django_capture_on_commit_callbacks(execute=True):
        document.delete()
    assert stored_files(media) == []


# --- the pages ------------------------------------------------------------------------


def documents_url(meeting) -> str:
    return reverse("meetings:documents", args=[meeting.pk])


def test_a_chair_attaches_a_photo_and_sees_it_in_the_gallery(client, chair_a1, meeting_a1):
    client.force_login(chair_a1)
    response = client.post(
        documents_url(meeting_a1),
        {"title": "Ảnh toàn cảnh", "file": upload("toan-canh.jpg", photo_jpeg())},
        HTTP_ACCEPT_LANGUAGE="vi",
        follow=True,
    )
    document = MeetingDocument.objects.get()
    assert response.redirect_chain == [(documents_url(meeting_a1), 302)]
    html = response.content.decode()
    assert "Đã đính kèm “Ảnh toàn cảnh”." in html
    assert reverse("meetings:document_thumbnail", args=[document.pk]) in html
    assert reverse("meetings:document_file", args=[document.pk]) in html
    assert "/media/" not in html


def test_the_page_shows_the_refusal_next_to_the_field(client, chair_a1, meeting_a1, media):
    client.force_login(chair_a1)
    response = client.post(
        documents_url(meeting_a1), {"file": upload("virus.pdf", EXECUTABLE)}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Tệp “virus.pdf” không phải là tệp PDF thật: nội dung tệp không khớp với đuôi tên tệp."
    ]
    assert "Vui lòng sửa các lỗi dưới đây." in response.content.decode()
    assert not MeetingDocument.objects.exists()
    assert stored_files(media) == []


def test_old_photos_without_a_thumbnail_show_an_icon(client, chair_a1, meeting_a1):
    from django.core.files.base import ContentFile

    document = MeetingDocument.objects.create(meeting=meeting_a1, title="Ảnh cũ", file=ContentFile(b"x", "cu.jpg"))
    client.force_login(chair_a1)
    html = client.get(documents_url(meeting_a1), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert reverse("meetings:document_thumbnail", args=[document.pk]) not in html
    assert 'class="file-icon"' in html
    assert client.get(reverse("meetings:document_thumbnail", args=[document.pk])).status_code == 404


def test_files_are_listed_with_their_size(client, chair_a1, meeting_a1):
    add_document(meeting_a1, upload("bien-ban.pdf", b"%PDF-1.4" + b"0" * 3000), title="Biên bản ký")
    client.force_login(chair_a1)
    html = client.get(documents_url(meeting_a1), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "Biên bản ký" in html and "2,9\xa0KB" in html


@pytest.fixture
def photo_a1(meeting_a1):
    return add_document(meeting_a1, upload("anh.jpg", photo_jpeg()), title="Ảnh họp")


@pytest.mark.parametrize("who", ["district_staff", "leader", "chair_a1"])
def test_the_thumbnail_and_photo_are_served_to_those_who_see_the_meeting(client, request, who, photo_a1):
    client.force_login(request.getfixturevalue(who))
    thumbnail = client.get(reverse("meetings:document_thumbnail", args=[photo_a1.pk]))
    assert thumbnail.status_code == 200 and thumbnail["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(b"".join(thumbnail.streaming_content))).size == (320, 240)
    photo = client.get(reverse("meetings:document_file", args=[photo_a1.pk]))
    assert photo.status_code == 200
    assert photo["Content-Disposition"].startswith("inline;")


@pytest.mark.parametrize("who", ["chair_a2", "staff_b"])
def test_others_get_404_for_the_thumbnail_and_the_file(client, request, who, photo_a1):
    client.force_login(request.getfixturevalue(who))
    for name in ("meetings:document_thumbnail", "meetings:document_file"):
        assert client.get(reverse(name, args=[photo_a1.pk])).status_code == 404


def test_a_forged_id_is_404(client, chair_a1, photo_a1):
    client.force_login(chair_a1)
    for name in ("meetings:document_thumbnail", "meetings:document_file"):
        assert client.get(reverse(name, args=[photo_a1.pk + 1000])).status_code == 404


def test_an_invited_union_sees_the_federations_photos_but_cannot_add_or_delete(
    client, chair_a1, federation_meeting, media
):
    photo = add_document(federation_meeting, upload("anh.jpg", photo_jpeg()))
    client.force_login(chair_a1)
    assert client.get(reverse("meetings:document_thumbnail", args=[photo.pk])).status_code == 200
    assert client.get(documents_url(federation_meeting)).status_code == 403
    assert client.post(reverse("meetings:document_delete", args=[photo.pk])).status_code == 403
    assert MeetingDocument.objects.filter(pk=photo.pk).exists()


def test_a_leader_reads_but_does_not_upload(client, leader, meeting_a1):
    client.force_login(leader)
    assert client.get(documents_url(meeting_a1)).status_code == 403


def test_deleting_from_the_page_removes_row_and_files(client, chair_a1, photo_a1, django_capture_on_commit_callbacks):
    names = [photo_a1.file.name, photo_a1.thumbnail.name]
    assert all(default_storage.exists(name) for name in names)
    client.force_login(chair_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meetings:document_delete", args=[photo_a1.pk]))
    assert response.status_code == 302
    assert not MeetingDocument.objects.exists()
    assert not any(default_storage.exists(name) for name in names)


def test_another_union_cannot_delete(client, chair_a2, photo_a1):
    client.force_login(chair_a2)
    assert client.post(reverse("meetings:document_delete", args=[photo_a1.pk])).status_code == 404
    assert MeetingDocument.objects.filter(pk=photo_a1.pk).exists()


def test_the_documents_page_query_count(client, chair_a1, meeting_a1, django_assert_max_num_queries):
    for number in range(5):
        add_document(meeting_a1, upload(f"anh-{number}.jpg", photo_jpeg((60, 40))))
    client.force_login(chair_a1)
    with django_assert_max_num_queries(12):
        assert client.get(documents_url(meeting_a1)).status_code == 200


def test_a_photo_attached_in_the_admin_is_cleaned_and_thumbnailed_too(client, chair_a1, meeting_a1):
    client.force_login(chair_a1)
    response = client.post(
        reverse("admin:meetings_meetingdocument_add"),
        {"meeting": meeting_a1.pk, "title": "Ảnh", "file": upload("anh.jpg", photo_jpeg())},
    )
    assert response.status_code == 302
    document = MeetingDocument.objects.get()
    assert CAMERA.encode() not in document.file.open("rb").read()
    assert Image.open(document.thumbnail.open("rb")).size == (320, 240)


def test_the_admin_refuses_a_renamed_program_too(client, chair_a1, meeting_a1):
    client.force_login(chair_a1)
    response = client.post(
        reverse("admin:meetings_meetingdocument_add"),
        {"meeting": meeting_a1.pk, "title": "Ảnh", "file": upload("anh.jpg", EXECUTABLE)},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["file"] == [
        "Tệp “anh.jpg” không phải là tệp JPG thật: nội dung tệp không khớp với đuôi tên tệp."
    ]
    assert not MeetingDocument.objects.exists()


def test_replacing_a_photo_by_a_pdf_removes_the_old_thumbnail(photo_a1, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile

    old = photo_a1.thumbnail.name
    with django_capture_on_commit_callbacks(execute=True):
        photo_a1.file = ContentFile(b"%PDF-1.4", name="thay.pdf")
        photo_a1.save()
    photo_a1.refresh_from_db()
    assert not photo_a1.thumbnail
    assert not default_storage.exists(old)
