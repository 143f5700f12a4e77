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
