"""Confirming an import applies the plan its preview kept; if the data changed since, the file is checked again."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.base import ContentFile

from apps.core.sheet_lists import ImportPlan
from apps.imports import services
from apps.imports.models import ImportJob
from apps.members.models import Member
from tests import factories
from tests.members.test_member_import_service import row, xlsx


def _job(user, data: bytes) -> ImportJob:
    job = ImportJob.objects.create(kind="members", original_filename="doan-vien.xlsx", created_by=user)
    job.file.save("doan-vien.upload", ContentFile(data))
    return job


def _previewed(user, data: bytes) -> ImportJob:
    job = _job(user, data)
    services.preview_job(job)
    job.refresh_from_db()
    assert job.status == "previewed" and job.plan_file
    return job


def test_the_plan_survives_its_json_with_dates_times_and_personal_details(chair_a1):
    member = factories.MemberFactory(
        union=chair_a1.union, national_id="001190000001", full_name="Lê Văn Cũ", joined_union_on=dt.date(2015, 9, 1)
    )
    data = xlsx(row("001190000001", "Lê Văn Mới"), row("001190000002", "Trần\tThị Tab", born=dt.date(1988, 2, 29)))
    job = _previewed(chair_a1, data)

    with job.plan_file.open("rb") as stream:
        plan = ImportPlan.read(stream)

    update, create = sorted(plan.actions, key=lambda action: action.action, reverse=True)
    assert (update.action, update.member_id, update.personal["full_name"]) == ("update", member.pk, "Lê Văn Mới")
    assert update.member_updated_at == member.updated_at  # an aware datetime, to the microsecond
    assert create.personal["date_of_birth"] == dt.date(1988, 2, 29)
    assert create.joined_on == dt.date(2015, 9, 1)
    assert plan.counts == job.counts and plan.user_id == chair_a1.pk


def test_confirming_imports_what_was_previewed_without_reading_the_file_again(chair_a1):
    job = _previewed(chair_a1, xlsx(row("001190000003", "Phạm Thị Xem")))
    # The stored upload is now unreadable: a confirmation that read it again would be refused.
    job.file.save("doan-vien.upload", ContentFile(b"not a sheet"), save=True)

    services.apply_job(job)

    job.refresh_from_db()
    assert job.status == "done" and job.written["created"] == 1
    assert Member.objects.filter(national_id="001190000003", full_name="Phạm Thị Xem").exists()
    # Nothing of the people in the file is kept once imported.
    assert not job.file and not job.plan_file


def test_a_member_changed_since_the_preview_sends_the_file_to_be_checked_again(chair_a1):
    member = factories.MemberFactory(
        union=chair_a1.union, national_id="001190000004", phone="0900000000", joined_union_on=dt.date(2015, 9, 1)
    )
    job = _previewed(chair_a1, xlsx(row("001190000004", "Đỗ Văn Sửa")))
    Member.objects.filter(pk=member.pk).update(updated_at=member.updated_at + dt.timedelta(seconds=1))

    services.apply_job(job)

    job.refresh_from_db()
    assert job.status == "done" and job.written["updated"] == 1
    member.refresh_from_db()
    assert member.full_name == "Đỗ Văn Sửa"


def test_a_group_dissolved_since_the_preview_rejects_its_rows_on_the_second_check(chair_a1):
    group = factories.UnionGroupFactory(union=chair_a1.union, name="Tổ Giải Thể")
    data = xlsx(row("001190000005", "Vũ Thị Tổ", group="Tổ Giải Thể"), row("001190000006", "Vũ Văn Khác"))
    job = _previewed(chair_a1, data)
    assert job.counts["created"] == 2
    group.dissolved_on = dt.date.today() - dt.timedelta(days=1)
    group.save()

    services.apply_job(job)

    job.refresh_from_db()
    assert job.status == "done"
    assert (job.counts["created"], job.counts["rejected"], job.written["created"]) == (1, 1, 1)
    assert not Member.objects.filter(national_id="001190000005").exists()
    assert job.rejected_file


@pytest.mark.parametrize("action_type", ["builtins.dict", "os.system"])
def test_a_plan_naming_anything_but_the_portals_actions_is_refused(action_type):
    head = b'{"user_id":1,"filename":"f","counts":{},"problems":[],"headers":{},"action_type":"%s"}\n[1]\n'
    with pytest.raises(TypeError):
        ImportPlan.read(io.BytesIO(head % action_type.encode()))
