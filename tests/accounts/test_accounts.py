"""Sign-in, lockout, idle timeout, permissions from the role, password strength and account management."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from apps.accounts.backends import PortalUserBackend
from apps.accounts.models import User
from apps.accounts.permissions import role_allows
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


def test_idle_session_is_signed_out_after_requests_that_did_not_store_the_time(client, district_staff, settings):
    client.force_login(district_staff)
    assert client.get(reverse("admin:index")).status_code == 200
    stored = client.session["last_seen"]
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.session["last_seen"] == stored, "within the minute the time is not stored again"
    session = client.session
    session["last_seen"] = stored - settings.SESSION_IDLE_TIMEOUT.total_seconds() - 1
    session.save()
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
    assert client.get(reverse("admin:index")).status_code == 302


def test_session_idle_just_under_the_timeout_stays_signed_in(client, district_staff, settings):
    client.force_login(district_staff)
    session = client.session
    session["last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT.total_seconds() + 5
    session.save()
    assert client.get(reverse("admin:index")).status_code == 200
    assert client.session["last_seen"] > time.time() - 5


@pytest.mark.parametrize("persona", ["district_staff", "chair_a1", "leader"])
def test_permissions_come_from_the_role_alone(persona, request):
    """Permissions granted in the database, to the user or to a group of theirs, grant nothing."""
    user = request.getfixturevalue(persona)
    everything = Permission.objects.all()
    group = Group.objects.create(name="Mọi quyền")
    group.permissions.set(everything)
    user.groups.add(group)
    user.user_permissions.set(everything)
    user = PortalUserBackend().get_user(user.pk)
    names = {
        f"{app_label}.{codename}"
        for app_label, codename in everything.values_list("content_type__app_label", "codename")
    }
    granted = {name for name in names if user.has_perm(name)}
    assert granted == {name for name in names if role_allows(user.role, name)}
    assert granted, "every role may do something"
    assert user.get_all_permissions() == set()


def test_a_permission_granted_in_the_database_does_not_open_the_admin(client, chair_a1):
    chair_a1.user_permissions.add(Permission.objects.get(codename="view_user", content_type__app_label="accounts"))
    client.force_login(chair_a1)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 403


def test_sign_in_refuses_a_wrong_password_or_an_unknown_name_and_admits_the_right_one(client, district_staff):
    assert attempt(client, "canbo", "wrong-password").status_code == 200
    assert attempt(client, "nobody", PASSWORD).status_code == 200
    assert attempt(client, "canbo", PASSWORD).status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == "apps.accounts.backends.PortalUserBackend"
    assert client.get(reverse("admin:index")).status_code == 200


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


# Behind nginx every request reaches Django from 127.0.0.1; nginx appends the address it
# saw to X-Forwarded-For (on the right of anything the client sent).
PROXY = "127.0.0.1"


def attempt_through_proxy(client, username, password, forwarded_for):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_the_proxy_failures_lock_only_the_address_they_came_from(client, district_staff, settings):
    settings.BEHIND_TLS_PROXY = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt_through_proxy(client, "canbo", "wrong-password", "203.0.113.7")
    assert attempt_through_proxy(client, "canbo", PASSWORD, "203.0.113.7").status_code == 429
    # The real user signs in from elsewhere through the same proxy.
    assert attempt_through_proxy(client, "canbo", PASSWORD, "198.51.100.20").status_code == 302


def test_behind_the_proxy_only_the_address_the_proxy_added_counts(client, district_staff, settings):
    settings.BEHIND_TLS_PROXY = True
    for attempt_number in range(settings.AXES_FAILURE_LIMIT):
        # The attacker varies what it writes itself; the proxy appends its real address.
        attempt_through_proxy(client, "canbo", "wrong-password", f"10.1.1.{attempt_number}, 203.0.113.7")
    assert attempt_through_proxy(client, "canbo", PASSWORD, "10.9.9.9, 203.0.113.7").status_code == 429


def test_served_directly_a_forged_forwarded_for_does_not_escape_the_lockout(client, district_staff, settings):
    settings.BEHIND_TLS_PROXY = False
    for attempt_number in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            LOGIN,
            {"username": "canbo", "password": "wrong-password", "next": "/admin/"},
            REMOTE_ADDR="203.0.113.7",
            HTTP_X_FORWARDED_FOR=f"10.1.1.{attempt_number}",
        )
    forged = client.post(
        LOGIN,
        {"username": "canbo", "password": PASSWORD, "next": "/admin/"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert forged.status_code == 429


@pytest.mark.parametrize(
    ("behind_proxy", "forwarded_for", "expected"),
    [
        (False, "198.51.100.20", "127.0.0.1"),
        (True, "198.51.100.20", "198.51.100.20"),
        (True, "10.0.0.1, 198.51.100.20", "198.51.100.20"),
        (True, "2001:db8::1", "2001:db8::1"),
        (True, "", "127.0.0.1"),
        (True, "not-an-address", "127.0.0.1"),
    ],
)
def test_client_address_is_taken_from_the_proxy_header_only_behind_the_proxy(
    behind_proxy, forwarded_for, expected, rf, settings
):
    from apps.accounts.client_address import client_ip_address

    settings.BEHIND_TLS_PROXY = behind_proxy
    request = rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip_address(request) == expected
