"""Meeting documents: reached only through the scoped download page, checked on upload, removed with their row."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse

from apps.meetings import models as meeting_models
from apps.meetings.models import MeetingDocument
from tests import factories
from tests.hostile_files import photo_jpeg

MINUTES = b"Bien ban hop to cong doan"


@pytest.fixture
def document_a1(union_a1):
    meeting = factories.MeetingFactory(federation=union_a1.federation, organiser_union=union_a1)
    return MeetingDocument.objects.create(
        meeting=meeting, title="Biên bản họp tháng 7", file=ContentFile(MINUTES, name="bien-ban-thang-7.txt")
    )


def file_url(document) -> str:
    return reverse("admin:meetings_meetingdocument_file", args=[document.pk])


@pytest.mark.parametrize("who", ["district_staff", "leader"])  # an editable form, a read-only one
def test_links_to_a_document_go_through_the_download_page(client, request, who, document_a1):
    client.force_login(request.getfixturevalue(who))
    assert document_a1.file.url == file_url(document_a1)
    for page in (
        reverse("admin:meetings_meetingdocument_changelist"),
        reverse("admin:meetings_meetingdocument_change", args=[document_a1.pk]),
        reverse("admin:meetings_meeting_change", args=[document_a1.meeting_id]),
    ):
        html = client.get(page).content.decode()
        assert f'href="{file_url(document_a1)}"' in html, page
        assert "/media/" not in html, page


def test_stored_files_are_not_served_as_they_lie(document_a1):
    with pytest.raises(Resolver404):
        resolve(f"/media/{document_a1.file.name}")


@pytest.mark.parametrize("who", ["district_staff", "leader", "chair_a1"])
def test_those_who_see_the_meeting_download_its_document(client, request, who, document_a1):
    client.force_login(request.getfixturevalue(who))
    response = client.get(file_url(document_a1))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == MINUTES
    # A text file is saved, not opened (only PDF and pictures are shown in the browser),
    # under the title people gave it rather than the name it is stored under.
    assert response["Content-Disposition"] == (
        "attachment; filename*=utf-8''Bi%C3%AAn%20b%E1%BA%A3n%20h%E1%BB%8Dp%20th%C3%A1ng%207.txt"
    )


@pytest.mark.parametrize("who", ["chair_a2", "staff_b"])
def test_others_are_told_the_document_does_not_exist(client, request, who, document_a1):
    client.force_login(request.getfixturevalue(who))
    assert client.get(file_url(document_a1)).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, document_a1):
    response = client.get(file_url(document_a1))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_pdf_opens_in_the_browser(client, chair_a1, document_a1):
    document_a1.title = 'Kết luận: "hội nghị" 2/2021'
    document_a1.file = ContentFile(b"%PDF-1.4", name="ket-luan.PDF")
    document_a1.save()
    client.force_login(chair_a1)
    response = client.get(file_url(document_a1))
    # Characters no file name may hold become dashes.
    assert document_a1.file.download_name == "Kết luận- -hội nghị- 2-2021.pdf"
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''K%E1%BA%BFt")
    assert response["Content-Type"] == "application/pdf"


def test_a_file_missing_from_the_server_is_said_on_the_documents_page(client, chair_a1, document_a1):
    default_storage.delete(document_a1.file.name)
    client.force_login(chair_a1)
    response = client.get(file_url(document_a1), HTTP_ACCEPT_LANGUAGE="vi", follow=True)
    assert response.redirect_chain == [(reverse("admin:meetings_meetingdocument_change", args=[document_a1.pk]), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Tệp của “Biên bản họp tháng 7” không còn trên máy chủ: hãy tải lên lại."
    ]


def _upload(client, meeting, name: str, content: bytes):
    before = set(MeetingDocument.objects.values_list("pk", flat=True))
    response = client.post(
        reverse("admin:meetings_meetingdocument_add"),
        {"meeting": meeting.pk, "title": "Ảnh hội nghị", "file": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    return response, MeetingDocument.objects.exclude(pk__in=before)


def test_a_page_or_a_program_cannot_be_attached(client, chair_a1, document_a1):
    client.force_login(chair_a1)
    response, created = _upload(client, document_a1.meeting, "trang.html", b"<script>alert(1)</script>")
    assert response.status_code == 200
    assert not created.exists()
    errors = response.context["adminform"].form.errors["file"]
    assert errors == [
        "Không đính kèm được tệp loại “html”. Hãy đính kèm một trong các loại: "
        + ", ".join(meeting_models.DOCUMENT_EXTENSIONS)
        + "."
    ]


def test_a_file_over_the_limit_is_refused(client, chair_a1, document_a1, monkeypatch):
    monkeypatch.setattr(meeting_models, "DOCUMENT_MAX_BYTES", 1024)
    client.force_login(chair_a1)
    response, created = _upload(client, document_a1.meeting, "anh.png", b"x" * 2048)
    assert not created.exists()
    assert response.context["adminform"].form.errors["file"] == [
        "Tệp này nặng 2,0\xa0KB; tài liệu cuộc họp chỉ được nặng tối đa 1,0\xa0KB."
    ]


def test_an_accepted_upload_is_kept(client, chair_a1, document_a1, django_capture_on_commit_callbacks):
    client.force_login(chair_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response, created = _upload(client, document_a1.meeting, "anh-hoi-nghi.jpg", photo_jpeg())
    assert response.status_code == 302
    document = created.get()
    assert default_storage.exists(document.file.name)


def test_deleting_a_document_removes_its_file(document_a1, django_capture_on_commit_callbacks):
    name = document_a1.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document_a1.delete()
    assert not default_storage.exists(name)


def test_deleting_the_meeting_removes_its_documents_files(document_a1, django_capture_on_commit_callbacks):
    name = document_a1.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document_a1.meeting.delete()
    assert not default_storage.exists(name)


def test_a_replaced_file_is_removed_and_the_new_one_kept(document_a1, django_capture_on_commit_callbacks):
    old = document_a1.file.name
    with django_capture_on_commit_callbacks(execute=True):
        document_a1.file = ContentFile(b"ban moi", name=old.rsplit("/", 1)[-1])
        document_a1.save()
    # The new file was stored under another name while the old one still existed.
    assert document_a1.file.name != old
    assert not default_storage.exists(old)
    assert default_storage.open(document_a1.file.name).read() == b"ban moi"


def test_saving_without_a_new_file_keeps_it(document_a1, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document_a1.title = "Biên bản (sửa)"
        document_a1.save()
    assert default_storage.open(document_a1.file.name).read() == MINUTES


def test_nothing_is_removed_until_the_deletion_commits(document_a1, django_capture_on_commit_callbacks):
    name = document_a1.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        document_a1.delete()
    assert default_storage.exists(name)
    assert len(callbacks) == 1
