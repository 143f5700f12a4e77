"""manage.py create_staff_account: the first district staff account of a new server (docs/DEPLOY.md)."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from apps.accounts.models import User
from apps.unions.models import Federation
from tests.conftest import PASSWORD


def create(monkeypatch, *args: str, password: str = PASSWORD) -> str:
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    out = io.StringIO()
    call_command("create_staff_account", *args, "--password-stdin", stdout=out)
    return out.getvalue()


def test_on_an_empty_database_it_creates_the_federation_and_a_staff_account_that_signs_in(client, db, monkeypatch):
    output = create(
        monkeypatch, "--federation", "TH", "--federation-name", "LĐLĐ quận Tây Hồ", "--username", "canbo.th"
    )

    federation = Federation.objects.get(code="TH")
    user = User.objects.get(username="canbo.th")
    assert federation.name == "LĐLĐ quận Tây Hồ"
    assert (user.role, user.federation, user.is_staff, user.is_superuser) == ("staff", federation, True, False)
    assert PASSWORD not in output
    assert "canbo.th" in output
    response = client.post(reverse("admin:login"), {"username": "canbo.th", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard:index")).status_code == 200


def test_an_existing_federation_is_used_by_its_code(db, monkeypatch, federation_a):
    create(monkeypatch, "--federation", federation_a.code, "--username", "canbo2", "--last-name", "Trần Thị")

    assert Federation.objects.count() == 1
    user = User.objects.get(username="canbo2")
    assert (user.federation, user.last_name) == (federation_a, "Trần Thị")


def test_an_unknown_federation_without_a_name_is_refused(db, monkeypatch):
    with pytest.raises(CommandError, match="--federation-name"):
        create(monkeypatch, "--federation", "XX", "--username", "canbo")
    assert not User.objects.exists()


def test_a_federation_named_otherwise_is_refused(db, monkeypatch, federation_a):
    with pytest.raises(CommandError, match=federation_a.name):
        create(monkeypatch, "--federation", federation_a.code, "--federation-name", "Khác", "--username", "canbo")
    assert not User.objects.exists()


def test_a_username_already_taken_changes_nothing(db, monkeypatch, district_staff):
    before = district_staff.password
    with pytest.raises(CommandError, match="đã có"):
        create(monkeypatch, "--federation", "NEW", "--federation-name", "Mới", "--username", "CANBO")
    district_staff.refresh_from_db()
    assert district_staff.password == before
    assert not Federation.objects.filter(code="NEW").exists()


def test_a_weak_password_is_refused_in_vietnamese_and_nothing_is_created(db, monkeypatch):
    with pytest.raises(CommandError, match="Mật khẩu chưa đạt") as refused:
        create(
            monkeypatch, "--federation", "TH", "--federation-name", "Tây Hồ", "--username", "canbo", password="12345"
        )
    assert "password" not in str(refused.value).lower()
    assert not Federation.objects.exists()
    assert not User.objects.exists()


def test_an_invalid_federation_code_is_refused(db, monkeypatch):
    with pytest.raises(CommandError):
        create(monkeypatch, "--federation", "T H!", "--federation-name", "Tây Hồ", "--username", "canbo")
    assert not Federation.objects.exists()


def test_without_a_terminal_it_asks_for_password_stdin(db, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(CommandError, match="--password-stdin"):
        call_command("create_staff_account", "--federation", "TH", "--federation-name", "Tây Hồ", "--username", "x")
    assert not User.objects.exists()


def test_without_a_kind_the_new_federation_is_a_district_one_as_before(db, monkeypatch):
    create(monkeypatch, "--federation", "TH", "--federation-name", "LĐLĐ quận Tây Hồ", "--username", "canbo")
    federation = Federation.objects.get(code="TH")
    assert (federation.kind, federation.parent) == (Federation.Kind.DISTRICT, None)


@pytest.mark.parametrize("kind", Federation.Kind.values)
def test_every_kind_of_federation_gets_its_staff_account(db, monkeypatch, kind):
    output = create(
        monkeypatch,
        "--federation",
        "X1",
        "--federation-name",
        "Công đoàn X",
        "--federation-kind",
        kind,
        "--username",
        "cb",
    )
    assert Federation.objects.get(code="X1").kind == kind
    assert User.objects.get(username="cb").federation.code == "X1"
    assert "cb" in output


def test_a_ward_union_is_created_under_its_city(db, monkeypatch):
    city = Federation.objects.create(code="HN", name="LĐLĐ thành phố Hà Nội", kind=Federation.Kind.PROVINCE)
    create(
        monkeypatch,
        *("--federation", "P-TAYHO", "--federation-name", "Công đoàn phường Tây Hồ"),
        *("--federation-kind", "commune", "--parent", "HN", "--username", "canbo.tayho"),
    )
    ward = Federation.objects.get(code="P-TAYHO")
    assert (ward.kind, ward.parent) == (Federation.Kind.COMMUNE, city)
    assert User.objects.get(username="canbo.tayho").federation == ward


def test_an_unknown_kind_is_refused_naming_the_kinds_in_vietnamese(db, monkeypatch):
    with pytest.raises(CommandError) as refused:
        create(
            monkeypatch, "--federation", "X1", "--federation-name", "X", "--federation-kind", "ward", "--username", "c"
        )
    message = str(refused.value)
    assert "Không có loại liên đoàn «ward»" in message
    assert "commune (Công đoàn xã, phường, đặc khu)" in message
    assert not Federation.objects.exists() and not User.objects.exists()


def test_an_unknown_parent_is_refused(db, monkeypatch):
    with pytest.raises(CommandError, match="Không có liên đoàn cấp trên mã «HN»"):
        create(monkeypatch, "--federation", "X1", "--federation-name", "X", "--parent", "HN", "--username", "c")
    assert not Federation.objects.exists() and not User.objects.exists()


def test_an_ended_parent_is_refused(db, monkeypatch):
    import datetime as dt

    Federation.objects.create(code="OLD", name="LĐLĐ quận Cũ", ended_on=dt.date(2025, 7, 1))
    with pytest.raises(CommandError, match="“LĐLĐ quận Cũ” đã chấm dứt hoạt động từ ngày 01/07/2025"):
        create(monkeypatch, "--federation", "X1", "--federation-name", "X", "--parent", "OLD", "--username", "c")
    assert not Federation.objects.filter(code="X1").exists() and not User.objects.exists()


def test_an_existing_federation_of_another_kind_or_parent_is_refused(db, monkeypatch, federation_a):
    with pytest.raises(CommandError, match="không phải commune"):
        create(monkeypatch, "--federation", federation_a.code, "--federation-kind", "commune", "--username", "c")
    Federation.objects.create(code="HN", name="LĐLĐ thành phố Hà Nội", kind=Federation.Kind.PROVINCE)
    with pytest.raises(CommandError, match="không phải «HN»"):
        create(monkeypatch, "--federation", federation_a.code, "--parent", "HN", "--username", "c")
    assert not User.objects.exists()
    # Saying what it already is, is fine.
    create(monkeypatch, "--federation", federation_a.code, "--federation-kind", federation_a.kind, "--username", "c")
    assert User.objects.get(username="c").federation == federation_a
