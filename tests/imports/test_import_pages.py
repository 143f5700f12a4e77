"""Upload a sheet, see every problem, confirm, download the rejected rows: the import pages with a fake list."""

from __future__ import annotations

import io
import logging

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import load_workbook

from apps.imports.models import ImportJob
from apps.unions.models import DepartmentUnion
from tests.imports.fake_kind import NAME

SHEET = 'Tên;Ghi chú\nTổ Văn phòng;\n!Tổ xấu;=HYPERLINK("http://ke-gian.example")\nTổ Kế toán;ghi chú\n'


def upload(client, content: str | bytes = SHEET, name: str = "to.csv", **data):
    raw = content.encode() if isinstance(content, str) else content
    return client.post(
        reverse("imports:upload", args=[NAME]), {"file": SimpleUploadedFile(name, raw), **data}, follow=True
    )


def only_job() -> ImportJob:
    return ImportJob.objects.get()


def test_staff_uploads_sees_every_problem_and_imports_the_valid_rows(client, fake_kind, district_staff, union_a1):
    client.force_login(district_staff)
    response = upload(client, union="a1")
    job = only_job()
    assert (job.status, job.union, job.federation) == ("previewed", union_a1, union_a1.federation)
    assert job.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    page = response.content.decode()
    assert "Tên không hợp lệ." in page and ">3<" in page  # the problem with its Excel row
    assert "Xác nhận nhập" in page and "Tải các dòng bị từ chối" in page
    assert not DepartmentUnion.objects.exists()  # nothing written before confirming

    response = client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.status == "done" and job.written == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 0}
    assert set(DepartmentUnion.objects.values_list("name", flat=True)) == {"Tổ Văn phòng", "Tổ Kế toán"}
    assert not job.file  # the uploaded copy goes once imported; the rejected rows stay
    assert job.rejected_file

    client.post(reverse("imports:confirm", args=[job.pk]))  # a second click imports nothing more
    assert DepartmentUnion.objects.count() == 2


def test_the_same_file_again_changes_nothing(client, fake_kind, district_staff, union_a1):
    client.force_login(district_staff)
    upload(client, union="A1")
    client.post(reverse("imports:confirm", args=[only_job().pk]))
    upload(client, union="A1")
    again = ImportJob.objects.order_by("-pk").first()
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 2, "rejected": 1}
    page = client.get(again.get_absolute_url()).content.decode()
    assert "Xác nhận nhập dữ liệu</button>" not in page and "Không có gì để nhập" in page


def test_chair_imports_into_their_own_union_whatever_they_post(client, fake_kind, chair_a1, union_a1, union_a2):
    client.force_login(chair_a1)
    form_page = client.get(reverse("imports:upload", args=[NAME])).content.decode()
    assert 'name="union"' not in form_page
    upload(client, union="A2")
    job = only_job()
    assert job.union == union_a1
    client.post(reverse("imports:confirm", args=[job.pk]))
    assert set(DepartmentUnion.objects.values_list("union__code", flat=True)) == {"A1"}


def test_chair_cannot_see_another_unions_job(client, fake_kind, chair_a1, chair_a2, union_a2):
    client.force_login(chair_a2)
    upload(client)
    job = only_job()
    client.force_login(chair_a1)
    for name in ("job", "status", "rejected"):
        assert client.get(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    for name in ("confirm", "restart", "sheet"):
        assert client.post(reverse(f"imports:{name}", args=[job.pk])).status_code == 404
    assert job.original_filename not in client.get(reverse("imports:list")).content.decode()
    assert not DepartmentUnion.objects.exists()


def test_staff_of_another_federation_cannot_see_the_job(client, fake_kind, district_staff, staff_b, union_a1):
    client.force_login(district_staff)
    upload(client, union="A1")
    client.force_login(staff_b)
    assert client.get(reverse("imports:job", args=[only_job().pk])).status_code == 404
    # Nor name a union outside their scope.
    response = upload(client, union="A1")
    assert response.status_code == 200 and "Không có CĐCS" in response.content.decode()
    assert ImportJob.objects.count() == 1


def test_leader_views_the_log_and_the_job_but_cannot_upload_or_confirm(
    client, fake_kind, district_staff, leader, union_a1
):
    client.force_login(district_staff)
    upload(client, union="A1")
    job = only_job()
    client.force_login(leader)
    assert job.original_filename in client.get(reverse("imports:list")).content.decode()
    page = client.get(job.get_absolute_url())
    assert page.status_code == 200 and "Xác nhận nhập dữ liệu</button>" not in page.content.decode()
    assert client.get(reverse("imports:upload", args=[NAME])).status_code == 403
    assert upload(client, union="A1").status_code == 403
    assert client.post(reverse("imports:confirm", args=[job.pk])).status_code == 403
    # The rejected rows hold ID numbers as typed; leaders see them masked, so not this sheet.
    assert client.get(reverse("imports:rejected", args=[job.pk])).status_code == 403
    assert not DepartmentUnion.objects.exists()


def test_only_the_uploader_confirms(client, fake_kind, district_staff, superuser, union_a1):
    client.force_login(district_staff)
    upload(client, union="A1")
    client.force_login(superuser)
    assert client.post(reverse("imports:confirm", args=[only_job().pk])).status_code == 403
    assert not DepartmentUnion.objects.exists()


def test_a_refused_file_shows_the_message_and_writes_nothing(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    response = upload(client, "HONG\nabc")
    job = only_job()
    assert job.status == "refused" and not job.file
    page = response.content.decode()
    assert "Tệp bị hỏng, không đọc được." in page and "Xác nhận nhập dữ liệu</button>" not in page
    assert not DepartmentUnion.objects.exists()


def test_a_file_over_the_size_cap_is_refused_before_it_is_stored(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    response = upload(client, b"x" * (10 * 1024 * 1024 + 1))
    assert "lớn hơn 10 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_empty_upload_is_refused(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    response = upload(client, b"")
    assert response.status_code == 200 and not ImportJob.objects.exists()
    assert "Tệp không có nội dung." in response.content.decode()


def test_a_workbook_with_several_sheets_asks_which_then_previews_it(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    response = upload(client, "NHIEU-TRANG\n" + SHEET)
    job = only_job()
    assert job.status == "refused" and job.sheets == ["Danh sách", "Ghi chú"]
    assert '<option value="Ghi chú">' in response.content.decode()
    client.post(reverse("imports:sheet", args=[job.pk]), {"sheet": "Danh sách"})
    job.refresh_from_db()
    assert (job.status, job.sheet, job.counts["created"]) == ("previewed", "Danh sách", 2)


def test_the_rejected_rows_come_back_with_their_header_an_error_column_and_neutralised_cells(
    client, fake_kind, chair_a1
):
    client.force_login(chair_a1)
    upload(client)
    response = client.get(reverse("imports:rejected", args=[only_job().pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="cac-dong-bi-tu-choi_to_')
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Tên", "Ghi chú", "Lỗi"]
    assert rows[1] == ["!Tổ xấu", '\'=HYPERLINK("http://ke-gian.example")', "Tên: Tên không hợp lệ."]
    assert len(rows) == 2


def test_a_failing_import_is_marked_failed_in_vietnamese_and_writes_nothing(client, fake_kind, chair_a1, caplog):
    client.force_login(chair_a1)
    upload(client, "Tên;Ghi chú\nTổ Một;\n=NO;\n")
    job = only_job()
    with caplog.at_level(logging.ERROR, logger="unionportal.imports"):
        response = client.post(reverse("imports:confirm", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.status == "failed" and "Không có dòng nào được nhập" in job.error
    page = response.content.decode()
    assert job.error in page and "members_member" not in page and "Thử lại" in page
    assert "members_member.email" in caplog.text
    assert not DepartmentUnion.objects.exists()
    # Started again, it checks the file anew, and the user decides again.
    client.post(reverse("imports:restart", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "previewed"


def test_a_kind_that_is_gone_fails_the_job_instead_of_the_page(client, fake_kind, chair_a1):
    from apps.imports import tasks

    client.force_login(chair_a1)
    upload(client)
    job = only_job()
    job.kind = "khong-con"
    job.save()
    ImportJob.objects.filter(pk=job.pk).update(status="importing")
    tasks.apply_import.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error


def test_the_status_answers_for_the_progress_bar(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    upload(client)
    answer = client.get(reverse("imports:status", args=[only_job().pk])).json()
    assert answer["status"] == "previewed" and answer["running"] is False
    assert (answer["done"], answer["total"]) == (3, 3)


@override_settings(
    IMPORTS_INLINE_MAX_BYTES=10,
    TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
)
def test_a_large_file_is_queued_and_its_page_shows_a_progress_bar(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    response = upload(client)
    job = only_job()
    assert job.status == "uploaded"
    page = response.content.decode()
    assert "<progress" in page and "import_progress.js" in page
    assert client.get(reverse("imports:status", args=[job.pk])).json()["running"] is True


def test_the_template_downloads(client, fake_kind, chair_a1, leader):
    client.force_login(chair_a1)
    response = client.get(reverse("imports:template", args=[NAME]))
    assert response.status_code == 200
    assert next(load_workbook(io.BytesIO(response.content)).active.values) == ("Tên", "Ghi chú")
    client.force_login(leader)
    assert client.get(reverse("imports:template", args=[NAME])).status_code == 403


def test_an_unknown_kind_is_not_found(client, chair_a1):
    client.force_login(chair_a1)
    assert client.get(reverse("imports:upload", args=["khong-co"])).status_code == 404


def test_the_log_lists_jobs_with_who_when_file_union_and_counts(client, fake_kind, chair_a1):
    client.force_login(chair_a1)
    upload(client)
    page = client.get(reverse("imports:list")).content.decode()
    for text in ("to.csv", "chutich_a1", "A1", "tổ thử", "Tổ thử", reverse("imports:upload", args=[NAME])):
        assert text in page, text


def test_an_empty_log_says_so_in_a_sentence_not_an_empty_table(client, chair_a1):
    client.force_login(chair_a1)
    page = client.get(reverse("imports:list")).content.decode()
    assert "Chưa có lần nhập nào" in page and "import-log" not in page


def test_a_leader_is_not_told_to_choose_a_list_they_cannot_import(client, leader):
    client.force_login(leader)
    page = client.get(reverse("imports:list")).content.decode()
    assert "Chưa có lần nhập nào." in page and "Chọn danh sách cần nhập" not in page
