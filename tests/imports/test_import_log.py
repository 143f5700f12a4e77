"""Each import job's steps are in the log: ids, list and counts, never the file's name or rows."""

from __future__ import annotations

from django.urls import reverse

from apps.imports.models import ImportJob
from tests.imports.test_import_pages import upload


def test_checked_started_done_with_counts(client, fake_kind, chair_a1, log):
    client.force_login(chair_a1)
    upload(client, name="Danh sách Nguyễn Văn Một.csv")
    job = ImportJob.objects.get()
    client.post(reverse("imports:confirm", args=[job.pk]))
    events = [line for line in log.lines if line.get("event", "").startswith("import_")]
    assert [line["event"] for line in events] == [
        "import_check_started",
        "import_checked",
        "import_started",
        "import_done",
    ]
    assert all(line["job_id"] == job.pk and line["user_id"] == chair_a1.pk for line in events)
    assert all(line["kind"] == job.kind and line["union_id"] == chair_a1.union_id for line in events)
    assert events[1]["counts"] == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}
    assert events[-1]["written"]["created"] == 2
    # Run inside the requests: the requests' client address is on the lines too.
    assert all(line["client"] == "127.0.0.1" for line in events)
    assert "Nguyễn" not in log.text and "Tổ Văn phòng" not in log.text


def test_a_failed_job_is_logged_with_its_traceback(client, fake_kind, chair_a1, log, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the portal's bug")

    monkeypatch.setattr("apps.imports.services.preview_job", broken)
    client.force_login(chair_a1)
    upload(client)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    [failed] = [line for line in log.lines if line.get("event") == "import_failed"]
    assert failed["job_id"] == job.pk and failed["user_id"] == chair_a1.pk and failed["level"] == "ERROR"
    assert "the portal's bug" in failed["exception"]
