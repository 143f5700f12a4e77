"""Sign-in, lockout, idle timeout, password strength and account management by district staff."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.models import User
from tests.conftest import PASSWORD

LOGIN = reverse("admin:login")


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, REMOTE_ADDR=address)


def test_login_page_is_vietnamese(client, db):
    body = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'lang="vi"' in body
    assert "Đăng nhập" in body


def test_login_page_in_english_when_the_browser_asks(client, db):
    body = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in body
    assert "Log in" in body


def test_district_staff_can_sign_in(client, district_staff):
    response = attempt(client, "canbo", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_repeated_failures_lock_the_username_from_that_address(client, district_staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "canbo", "wrong-password")
    locked = attempt(client, "canbo", PASSWORD)
    assert locked.status_code == 429
    assert "accounts/locked_out.html" in [template.name for template in locked.templates]
    # Another address is not punished for this one's failures.
    assert attempt(client, "canbo", PASSWORD, address="10.0.0.2").status_code == 302


def test_lockout_ends_after_the_cool_off(client, district_staff, settings):
    from axes.models import AccessAttempt
    from django.utils import timezone

    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "canbo", "wrong-password")
    assert attempt(client, "canbo", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert attempt(client, "canbo", PASSWORD).status_code == 302


def test_idle_session_is_signed_out(client, district_staff, settings):
    client.force_login(district_staff)
    assert client.get(reverse("admin:index")).status_code == 200
    session = client.session
    session["last_seen"] -= settings.SESSION_IDLE_TIMEOUT.total_seconds() + 1
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.parametrize("weak", ["12345678901", "matkhau", "password123", "canbo"])
def test_weak_passwords_are_refused(district_staff, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, user=district_staff)


def test_staff_create_a_chair_account(client, district_staff, union_a1):
    client.force_login(district_staff)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "chutich_moi",
            "password1": "Hoa-sen-no-2024!",
            "password2": "Hoa-sen-no-2024!",
            "role": "chair",
            "union": union_a1.pk,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    chair = User.objects.get(username="chutich_moi")
    assert (chair.role, chair.union, chair.is_staff, chair.is_superuser) == ("chair", union_a1, True, False)


def test_staff_cannot_create_a_chair_for_another_federations_union(client, district_staff, union_b1):
    client.force_login(district_staff)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "ke_gian",
            "password1": "Hoa-sen-no-2024!",
            "password2": "Hoa-sen-no-2024!",
            "role": "chair",
            "union": union_b1.pk,
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "union" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="ke_gian").exists()


def test_chair_account_needs_its_union(client, district_staff):
    client.force_login(district_staff)
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "chutich_thieu",
            "password1": "Hoa-sen-no-2024!",
            "password2": "Hoa-sen-no-2024!",
            "role": "chair",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert "union" in response.context["adminform"].form.errors
    assert not User.objects.filter(username="chutich_thieu").exists()


def test_staff_reset_a_chairs_password_and_deactivate_it(client, district_staff, chair_a1):
    client.force_login(district_staff)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[chair_a1.pk]),
        {"password1": "Mat-khau-moi-2025!", "password2": "Mat-khau-moi-2025!", "usable_password": "true"},
    )
    assert response.status_code == 302
    chair_a1.refresh_from_db()
    assert chair_a1.check_password("Mat-khau-moi-2025!")
    User.objects.filter(pk=chair_a1.pk).update(is_active=False)
    assert attempt(client, chair_a1.username, "Mat-khau-moi-2025!").status_code == 200


def test_staff_cannot_reset_another_federations_account(client, district_staff, staff_b):
    client.force_login(district_staff)
    response = client.post(
        reverse("admin:auth_user_password_change", args=[staff_b.pk]),
        {"password1": "Mat-khau-moi-2025!", "password2": "Mat-khau-moi-2025!", "usable_password": "true"},
    )
    assert response.status_code == 404
    staff_b.refresh_from_db()
    assert not staff_b.check_password("Mat-khau-moi-2025!")


def test_staff_cannot_make_a_superuser(client, district_staff, chair_a1):
    client.force_login(district_staff)
    url = reverse("admin:accounts_user_change", args=[chair_a1.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page
