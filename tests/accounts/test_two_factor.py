"""The second factor: enrolment, codes, recovery codes, lockout, resets, and no page with the password alone."""

from __future__ import annotations

import re
import time
from binascii import unhexlify

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import TOTP, totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import two_factor
from tests.accounts.test_access_matrix import _named_patterns
from tests.conftest import PASSWORD

LOGIN = reverse("admin:login")
VERIFY = reverse("accounts:verify")
ENROL = reverse("accounts:enrol")


@pytest.fixture
def required(settings):
    settings.TWO_FACTOR_REQUIRED = True
    # Checked here without the exponential pause after a wrong code (its own test turns it back on).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def sign_in(client, user, address="127.0.0.1"):
    response = client.post(LOGIN, {"username": user.username, "password": PASSWORD}, REMOTE_ADDR=address)
    assert response.status_code == 302, "the password was refused"
    return response


def code_at(key_hex: str, offset_steps: int = 0) -> str:
    generator = TOTP(unhexlify(key_hex))
    generator.time = time.time() + 30 * offset_steps
    return f"{generator.token():06d}"


def authenticator_for(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="test", confirmed=True)


def current_code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def test_enrolment_end_to_end_with_a_real_code(client, district_staff, required):
    sign_in(client, district_staff)
    # The password alone leads to the enrolment, whatever was asked for.
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url.startswith(ENROL)

    page = client.get(response.url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'class="qr enrol-qr"' in body  # the QR code, inline, no image service
    key = client.session[two_factor.PENDING_KEY_SESSION_KEY]
    assert page.context["secret"].replace(" ", "") in body.replace(" ", "")
    assert not TOTPDevice.objects.filter(user=district_staff).exists(), "showing the page wrote a device"

    wrong = client.post(ENROL, {"code": "000000" if code_at(key) != "000000" else "111111", "next": "/"})
    assert wrong.status_code == 200 and wrong.context["form"].errors
    assert not TOTPDevice.objects.filter(user=district_staff).exists()

    done = client.post(ENROL, {"code": code_at(key), "next": "/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in done.content.decode() for code in codes)
    assert done["Cache-Control"] == "no-store"
    assert TOTPDevice.objects.get(user=district_staff).confirmed
    assert client.get(reverse("home")).status_code == 200

    # The same code, used at enrolment, does not sign in again.
    client.post(reverse("admin:logout"))
    sign_in(client, district_staff)
    assert client.get(reverse("home")).url.startswith(VERIFY)
    reused = client.post(VERIFY, {"code": code_at(key), "next": "/"})
    assert reused.status_code == 200 and reused.context["form"].errors
    assert client.get(reverse("home")).status_code == 302
    # The next code does (the app shows a new one every 30 seconds).
    accepted = client.post(VERIFY, {"code": code_at(key, 1), "next": "/"})
    assert accepted.status_code == 302 and accepted.url == "/"
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_refused_and_a_right_one_used_once(client, district_staff, required):
    device = authenticator_for(district_staff)
    sign_in(client, district_staff)
    code = current_code(device)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = client.post(VERIFY, {"code": wrong})
    assert refused.status_code == 200
    assert "Mã không đúng" in refused.content.decode()
    assert client.get(reverse("dashboard:index")).status_code == 302
    assert client.post(VERIFY, {"code": code}).status_code == 302
    assert client.get(reverse("dashboard:index")).status_code == 200
    # Another session trying the same code: refused, it has been used.
    other = client_class()
    sign_in(other, district_staff, address="10.0.0.2")
    assert other.post(VERIFY, {"code": code}).status_code == 200
    assert other.get(reverse("dashboard:index")).status_code == 302


def client_class():
    from django.test import Client

    return Client()


def test_a_recovery_code_signs_in_once(client, district_staff, required):
    authenticator_for(district_staff)
    codes = two_factor.new_recovery_codes(district_staff)
    sign_in(client, district_staff)
    # As printed (two halves, upper case) is accepted too.
    response = client.post(VERIFY, {"code": two_factor.shown(codes[0]).upper()})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert StaticToken.objects.filter(device__user=district_staff).count() == 9

    client.post(reverse("admin:logout"))
    sign_in(client, district_staff)
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and again.context["form"].errors
    assert client.get(reverse("home")).status_code == 302


def test_wrong_codes_lock_the_account_like_wrong_passwords(client, district_staff, required, settings):
    device = authenticator_for(district_staff)
    sign_in(client, district_staff)
    wrong = f"{(int(current_code(device)) + 1) % 1_000_000:06d}"
    answers = [client.post(VERIFY, {"code": wrong}).status_code for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert answers[-1] == 429, answers
    # Signed out, and the password no longer signs in from there.
    assert client.get(reverse("home")).url.startswith(LOGIN)
    locked = client.post(LOGIN, {"username": district_staff.username, "password": PASSWORD})
    assert locked.status_code == 429


def test_codes_after_a_wrong_one_wait(client, district_staff, required, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = authenticator_for(district_staff)
    sign_in(client, district_staff)
    code = current_code(device)
    client.post(VERIFY, {"code": f"{(int(code) + 1) % 1_000_000:06d}"})
    throttled = client.post(VERIFY, {"code": code})
    assert throttled.status_code == 200
    assert "nhiều lần" in throttled.content.decode()
    assert client.get(reverse("home")).status_code == 302


# ---------------------------------------------------------------------------------------
# Every URL the portal has, with the password alone: the code page (or the enrolment).
# ---------------------------------------------------------------------------------------

# Reached before the second factor: the step's own page, signing out, the language switch.
OPEN_DURING_VERIFY = {"accounts:verify", "admin:logout", "set_language"}
OPEN_DURING_ENROL = {"accounts:enrol", "admin:logout", "set_language"}
SAMPLE = {"int": 1, "str": "x", "slug": "x", "path": "1", "uuid": "00000000-0000-0000-0000-000000000001"}


def _every_url():
    """(name, path) of every URL pattern of the portal, named or not, with sample arguments."""

    def walk(patterns, namespace, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                yield from walk(pattern.url_patterns, inner, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield name, _sample_path(prefix + str(pattern.pattern))

    yield from walk(get_resolver().url_patterns, None, "")


def _sample_path(route: str) -> str:
    # Regular expressions (the admin's app index and catch-all) and path() converters alike.
    route = re.sub(r"\(\?P<app_label>[^)]*\)", "accounts", route)
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route)
    route = re.sub(r"<(?:(\w+):)?\w+>", lambda match: str(SAMPLE.get(match.group(1) or "str", "x")), route)
    return "/" + route.replace("^", "").replace("$", "").replace("\\", "")


def test_the_walk_covers_every_url_the_access_matrix_knows():
    walked = {name for name, _path in _every_url() if name}
    assert walked == {name for name, _route in _named_patterns(get_resolver().url_patterns)}


@pytest.mark.parametrize(
    ("who", "step", "open_names"),
    [("district_staff", VERIFY, OPEN_DURING_VERIFY), ("superuser", ENROL, OPEN_DURING_ENROL)],
)
def test_the_password_alone_reaches_no_page(client, request, required, who, step, open_names):
    user = request.getfixturevalue(who)
    if who == "district_staff":
        authenticator_for(user)
    sign_in(client, user)
    problems, walked = [], 0
    for name, path in _every_url():
        if name in open_names:
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            walked += 1
            if response.status_code != 302 or not response.url.startswith(step):
                problems.append(f"{method.upper()} {path} ({name}): {response.status_code} {response.get('Location')}")
    assert walked > 200, "the walk lost its way"
    assert not problems, "reached with the password alone:\n" + "\n".join(problems)
    # The step's page itself answers, and after it everything is as before.
    assert client.get(step).status_code == 200


def test_the_page_asked_for_comes_after_the_code(client, district_staff, required):
    device = authenticator_for(district_staff)
    sign_in(client, district_staff)
    wanted = reverse("imports:list") + "?page=2"
    held = client.get(wanted)
    assert held.status_code == 302
    response = client.post(held.url, {"code": current_code(device), "next": wanted})
    assert response.status_code == 302 and response.url == wanted
    # Another site is never where it leads.
    assert client.get(VERIFY + "?next=https://ke-gian.example/").url == "/"


def test_chairs_and_leaders_are_not_asked_unless_they_opted_in(client, chair_a1, leader, required):
    sign_in(client, chair_a1)
    assert client.get(reverse("dashboard:union", args=[chair_a1.union_id])).status_code == 200
    assert client.get(reverse("accounts:security")).status_code == 200
    client.post(reverse("admin:logout"))
    sign_in(client, leader)
    assert client.get(reverse("dashboard:index")).status_code == 200


def test_a_chair_opts_in_and_is_asked_from_then_on(client, chair_a1):
    sign_in(client, chair_a1)
    page = client.get(reverse("accounts:security"))
    assert ENROL in page.content.decode()
    client.get(ENROL)
    key = client.session[two_factor.PENDING_KEY_SESSION_KEY]
    assert client.post(ENROL, {"code": code_at(key)}).status_code == 200
    assert client.get(reverse("dashboard:union", args=[chair_a1.union_id])).status_code == 200
    client.post(reverse("admin:logout"))
    sign_in(client, chair_a1)
    assert client.get(reverse("dashboard:union", args=[chair_a1.union_id])).url.startswith(VERIFY)


def test_with_the_setting_off_the_password_is_enough(client, district_staff, superuser, settings):
    settings.TWO_FACTOR_REQUIRED = False
    for user in (district_staff, superuser):
        sign_in(client, user)
        assert client.get(reverse("home")).status_code == 200
        assert client.get(reverse("dashboard:export")).status_code == 200
        client.post(reverse("admin:logout"))


def test_the_setting_turned_on_reaches_sessions_already_open(client, district_staff, settings):
    settings.TWO_FACTOR_REQUIRED = False
    sign_in(client, district_staff)
    assert client.get(reverse("home")).status_code == 200
    settings.TWO_FACTOR_REQUIRED = True
    assert client.get(reverse("home")).url.startswith(ENROL)


def test_new_recovery_codes_replace_the_old_ones(client, district_staff, required):
    device = authenticator_for(district_staff)
    old = two_factor.new_recovery_codes(district_staff)
    sign_in(client, district_staff)
    client.post(VERIFY, {"code": current_code(device)})
    response = client.post(reverse("accounts:recovery_codes"))
    assert response.status_code == 200
    new = [code.replace("-", "") for code in response.context["codes"]]
    tokens = set(StaticToken.objects.filter(device__user=district_staff).values_list("token", flat=True))
    assert tokens == set(new) and not tokens & set(old)


# ---------------------------------------------------------------------------------------
# Resets: staff for chairs and leaders, superusers for staff; logged.
# ---------------------------------------------------------------------------------------


def _reset(client, actor, target):
    client.force_login(actor)
    return client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [target.pk], "index": 0},
    )


@pytest.mark.parametrize(
    ("actor", "target", "reset"),
    [
        pytest.param("district_staff", "chair_a1", True, id="staff-resets-a-chair"),
        pytest.param("district_staff", "leader", True, id="staff-resets-a-leader"),
        pytest.param("district_staff", "other_staff", False, id="staff-cannot-reset-staff"),
        pytest.param("superuser", "district_staff", True, id="superuser-resets-staff"),
        pytest.param("staff_b", "chair_a1", False, id="staff-of-another-federation-cannot"),
    ],
)
def test_who_resets_whose_second_factor(client, request, actor, target, reset, federation_a):
    from tests import factories

    if target == "other_staff":
        target_user = factories.UserFactory(username="canbo2", role="staff", federation=federation_a)
    else:
        target_user = request.getfixturevalue(target)
    actor_user = request.getfixturevalue(actor)
    authenticator_for(target_user)
    two_factor.new_recovery_codes(target_user)
    response = _reset(client, actor_user, target_user)
    assert response.status_code in (200, 302)
    left = (
        TOTPDevice.objects.filter(user=target_user).exists() or StaticDevice.objects.filter(user=target_user).exists()
    )
    assert left != reset
    logged = LogEntry.objects.filter(user=actor_user, object_id=str(target_user.pk)).exists()
    assert logged == reset


def test_after_a_reset_the_user_sets_up_again(client, district_staff, superuser, required):
    device = authenticator_for(district_staff)
    sign_in(client, district_staff)
    client.post(VERIFY, {"code": current_code(device)})
    assert client.get(reverse("home")).status_code == 200
    two_factor.reset(target=district_staff, actor=superuser)
    # The session that passed with the removed device passes no longer.
    assert client.get(reverse("home")).url.startswith(ENROL)


def test_a_lost_phone_replaced_after_a_recovery_code(client, district_staff, required):
    old = authenticator_for(district_staff)
    codes = two_factor.new_recovery_codes(district_staff)
    sign_in(client, district_staff)
    # Before any code, the enrolment is not offered: it would let the password alone replace the phone.
    assert client.get(ENROL).url.startswith(VERIFY)
    assert client.post(VERIFY, {"code": codes[0]}).status_code == 302
    page = client.get(ENROL)
    assert page.status_code == 200 and page.context["replacing"]
    key = client.session[two_factor.PENDING_KEY_SESSION_KEY]
    assert client.post(ENROL, {"code": code_at(key)}).status_code == 200
    new = TOTPDevice.objects.get(user=district_staff)
    assert new.pk != old.pk and new.key == key
    assert codes[1] not in set(StaticToken.objects.filter(device__user=district_staff).values_list("token", flat=True))
    assert client.get(reverse("home")).status_code == 200
