"""The second factor: who must give a one-time code, enrolment, recovery codes and resets.

The codes themselves are django-otp's (TOTP from an authenticator app, RFC 6238; static
recovery codes, each deleted when used); this module holds the portal's rules around them.
Whether a session still owes a code is kept in the session (``SESSION_KEY``) so that the
middleware costs no query on the pages of people who need none, and is worked out again
whenever what it was based on may have changed (sign-in, a reset device, the setting).
"""

from __future__ import annotations

import logging
from binascii import unhexlify

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from apps.accounts.models import User

logger = logging.getLogger("unionportal.accounts")

SESSION_KEY = "second_factor"
# What the session owes: a code (VERIFY), an enrolment (ENROL), nothing after a code (DONE),
# nothing because none is asked of this user (NONE).
VERIFY, ENROL, DONE, NONE = "verify", "enrol", "done", "none"
# A secret being enrolled lives in the session until a code from it is confirmed: showing
# the enrolment page writes nothing to the database.
PENDING_KEY_SESSION_KEY = "second_factor_pending_key"
RECOVERY_CODE_COUNT = 10
CODE_DIGITS = 6
# TOTP steps either side of now accepted (django-otp's default): a phone's clock off by up to 30 s.
TOLERANCE = 1


def is_required_for(user: User) -> bool:
    """District staff and superusers hold everyone's personal data: they must use a second factor."""
    return settings.TWO_FACTOR_REQUIRED and (user.is_superuser or user.is_district_staff)


def authenticator_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _state_of(request: HttpRequest) -> str:
    user = request.user
    if user.is_verified():
        return DONE
    if TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        return VERIFY
    return ENROL if is_required_for(user) else NONE


def pending_step(request: HttpRequest) -> str | None:
    """VERIFY or ENROL while the signed-in session owes its second factor, else None."""
    state = request.session.get(SESSION_KEY)
    if state in (VERIFY, ENROL):
        return state
    if state == DONE and request.user.is_verified():
        return None  # the device that verified this session still exists
    if state == NONE and not is_required_for(request.user):
        return None
    state = _state_of(request)
    request.session[SESSION_KEY] = state
    return state if state in (VERIFY, ENROL) else None


def refresh_step(request: HttpRequest) -> str | None:
    """The step worked out afresh (a device may have been reset since it was noted)."""
    request.session.pop(SESSION_KEY, None)
    return pending_step(request)


@receiver(user_logged_in)
def _decide_step_at_sign_in(sender, request, user, **kwargs):
    """A password sign-in decides again whether a code is owed, there rather than on the first page."""
    if request is None or not hasattr(request, "session"):
        return
    if DEVICE_ID_SESSION_KEY in request.session:
        # django-otp keeps the device that verified the same user's session before, as Django
        # keeps the session itself: whether it still counts is the middleware's to find out.
        request.session.pop(SESSION_KEY, None)
    elif TOTPDevice.objects.devices_for_user(user, confirmed=True).exists():
        request.session[SESSION_KEY] = VERIFY
    else:
        request.session[SESSION_KEY] = ENROL if is_required_for(user) else NONE


def _mark_verified(request: HttpRequest, device) -> None:
    otp_login(request, device)
    request.session[SESSION_KEY] = DONE
    request.session.pop(PENDING_KEY_SESSION_KEY, None)


def normalised(code: str) -> str:
    """A code as typed: spaces and dashes (recovery codes are shown in two halves) and case ignored."""
    return "".join(code.split()).replace("-", "").lower()


def is_authenticator_code(code: str) -> bool:
    return len(code) == CODE_DIGITS and code.isdigit()


class Throttled(Exception):
    """Too many wrong codes in a row: the device refuses to check another for a while."""


def verify(request: HttpRequest, code: str) -> bool:
    """Check a code from the authenticator app, or a recovery code (used up); mark the session verified."""
    user = request.user
    code = normalised(code)
    model = TOTPDevice if is_authenticator_code(code) else StaticDevice
    with transaction.atomic():
        # Locked, so that two requests cannot both use one code (TOTP's last_t, a recovery code's row).
        device = model.objects.devices_for_user(user, confirmed=True).select_for_update().first()
        if device is None:
            return False
        allowed, _reason = device.verify_is_allowed()
        if not allowed:
            raise Throttled
        accepted = device.verify_token(code)
    if accepted:
        _mark_verified(request, device)
        logger.info(
            "second factor passed",
            extra={"user": user.get_username(), "kind": "recovery code" if model is StaticDevice else "authenticator"},
        )
    return accepted


def pending_secret(request: HttpRequest) -> str:
    """The hex key being enrolled in this session (new on first call)."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not key:
        key = request.session[PENDING_KEY_SESSION_KEY] = default_key()
    return key


def pending_device(request: HttpRequest) -> TOTPDevice:
    """The device being enrolled, unsaved: for its QR code (``config_url``) and its secret."""
    return TOTPDevice(user=request.user, key=pending_secret(request), name=TOTPDevice._meta.verbose_name)


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it when the QR code cannot be scanned: base32, in fours."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def confirm_enrolment(request: HttpRequest, code: str) -> list[str] | None:
    """With a right code from the new secret: the authenticator replaces any other, and new recovery codes.

    Returns the recovery codes (to be shown once), or None when the code is wrong.
    """
    user = request.user
    code = normalised(code)
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not key or not is_authenticator_code(code):
        return None
    totp = TOTP(unhexlify(key.encode()), step=30, digits=CODE_DIGITS)
    if not totp.verify(int(code), tolerance=TOLERANCE):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        # The code just used may not sign in again (last_t), as for any accepted code.
        device = TOTPDevice.objects.create(
            user=user,
            name=TOTPDevice._meta.verbose_name,
            key=key,
            confirmed=True,
            tolerance=TOLERANCE,
            drift=totp.drift,
            last_t=totp.t(),
        )
        codes = new_recovery_codes(user)
    _mark_verified(request, device)
    logger.info("second factor enrolled", extra={"user": user.get_username()})
    return codes


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh recovery codes replacing the old ones (django-otp stores them as they are, like the TOTP key)."""
    # The recovery device itself is kept, so that a session verified by one of its codes stays
    # verified; its codes are replaced.
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "recovery codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def shown(code: str) -> str:
    """A recovery code as printed: two halves, easier to copy by hand."""
    return f"{code[:4]}-{code[4:]}"


def may_reset(actor: User, target: User) -> bool:
    """Superusers reset anyone's second factor; district staff reset chairs' and leaders' (in their scope)."""
    if actor.is_superuser:
        return True
    return actor.is_district_staff and not target.is_superuser and (target.is_union_chair or target.is_leader)


def reset(*, target: User, actor: User) -> None:
    """Remove the user's authenticator and recovery codes: at the next page they enrol again (if asked to)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=target).delete()
        StaticDevice.objects.filter(user=target).delete()
    logger.warning("second factor reset", extra={"user": actor.get_username(), "target": target.get_username()})
