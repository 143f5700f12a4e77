"""``manage.py import_sheet``: the page's import for scripts, with its counts, problems and exit status."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from apps.members.models import Member
from tests.core import sheetfiles
from tests.members.test_member_import_service import HEADERS, row, xlsx


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_sheet", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), str(error)
    return 0, out.getvalue(), ""


@pytest.fixture
def sheet_file(tmp_path):
    def write(data: bytes, name: str = "doan-vien.xlsx"):
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return write


def test_imports_and_prints_counts(district_staff, union_a1, sheet_file):
    path = sheet_file(xlsx(row("001190000001"), row("001092000003", "Lê Thị Mai")))
    status, out, _err = run(path, "--kind", "members", "--as", "canbo")
    assert status == 0
    assert "Tạo mới: 2, cập nhật: 0, không đổi: 0, bị từ chối: 0." in out
    assert Member.objects.count() == 2
    assert Member.objects.first().history.earliest().history_user == district_staff


def test_json_output_and_exit_status_when_rows_are_rejected(district_staff, union_a1, sheet_file):
    path = sheet_file(xlsx(row("001190000001"), row("123", "Lê Thị Mai")))
    status, out, _err = run(path, "--kind", "members", "--as", "canbo", "--json")
    assert status == 1
    payload = json.loads(out)
    assert payload == {
        "counts": {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1},
        "problems": [{"row": 4, "column": "Số CCCD", "message": payload["problems"][0]["message"]}],
    }
    assert "123" in payload["problems"][0]["message"]
    # Something was rejected: nothing is written unless asked to skip the rejected rows.
    assert not Member.objects.exists()
    status, _out, _err = run(path, "--kind", "members", "--as", "canbo", "--skip-rejected")
    assert status == 1
    assert Member.objects.count() == 1


def test_problems_are_printed_in_vietnamese_with_row_and_header(district_staff, union_a1, sheet_file):
    path = sheet_file(xlsx(row("123")))
    status, out, err = run(path, "--kind", "members", "--as", "canbo")
    assert status == 1
    assert "Dòng 3, cột «Số CCCD»: " in out
    assert "1 dòng bị từ chối" in err


def test_dry_run_writes_nothing(district_staff, union_a1, sheet_file):
    path = sheet_file(xlsx(row("001190000001")))
    status, out, _err = run(path, "--kind", "members", "--as", "canbo", "--dry-run", "--json")
    assert status == 0
    assert json.loads(out)["counts"]["created"] == 1
    assert not Member.objects.exists()


def test_reimport_reports_everything_unchanged(district_staff, union_a1, sheet_file):
    path = sheet_file(xlsx(row("001190000001")))
    run(path, "--kind", "members", "--as", "canbo")
    before = Member.history.count()
    status, out, _err = run(path, "--kind", "members", "--as", "canbo", "--json")
    assert (status, json.loads(out)["counts"]) == (0, {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0})
    assert Member.history.count() == before


def test_a_refused_file_exits_with_2(district_staff, union_a1, sheet_file):
    path = sheet_file(b"%PDF-1.4 not a sheet", "doan-vien.xlsx")
    status, out, err = run(path, "--kind", "members", "--as", "canbo", "--json")
    assert status == 2
    assert "doan-vien.xlsx" in err
    payload = json.loads(out)
    assert payload["counts"]["created"] == 0 and payload["problems"][0]["row"] is None


def test_csv_and_union_option(district_staff, union_a1, union_a2, sheet_file):
    data = sheetfiles.csv_file([HEADERS[1:], row("001190000001")[1:]], bom=True)
    status, _out, _err = run(sheet_file(data, "ds.csv"), "--kind", "members", "--as", "canbo", "--union", "A2")
    assert status == 0
    assert Member.objects.get().union == union_a2


def test_chair_goes_through_their_own_scope(chair_a1, union_a1, union_a2, sheet_file):
    path = sheet_file(xlsx(row("001190000001", union="A2")))
    status, out, _err = run(path, "--kind", "members", "--as", "chutich_a1", "--json")
    assert status == 1
    assert union_a2.name not in out and "A2" not in json.loads(out)["problems"][0]["message"]
    assert not Member.objects.exists()


@pytest.mark.parametrize("username", ["nobody", "inactive"])
def test_unknown_or_inactive_user_is_a_clear_error(db, union_a1, sheet_file, username):
    from tests import factories

    factories.UserFactory(username="inactive", is_active=False)
    status, _out, err = run(sheet_file(xlsx(row("001190000001"))), "--kind", "members", "--as", username)
    assert status == 2
    assert username in err


def test_leader_may_not_import(leader, union_a1, sheet_file):
    status, _out, err = run(sheet_file(xlsx(row("001190000001"))), "--kind", "members", "--as", "lanhdao")
    assert status == 2
    assert "không có quyền" in err


def test_unknown_kind_lists_the_supported_ones(district_staff, sheet_file):
    status, _out, err = run(sheet_file(xlsx(row("001190000001"))), "--kind", "hoi-vien", "--as", "canbo")
    assert status == 2
    assert "members" in err and "groups" in err and "workforce" in err
