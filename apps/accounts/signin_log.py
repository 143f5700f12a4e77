"""Sign-ins, failed sign-ins and lockouts in the log: the account's id, never the name typed or a password."""

from __future__ import annotations

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from apps.accounts.models import User

logger = logging.getLogger("unionportal.auth")


def _account_id(username: object) -> int | None:
    # A username may be someone's name or phone number: the log names the account by its id,
    # and an unknown username not at all.
    if not isinstance(username, str) or not username:
        return None
    return User.objects.filter(**{User.USERNAME_FIELD: username}).values_list("pk", flat=True).first()


@receiver(user_logged_in, dispatch_uid="log_sign_in")
def log_sign_in(sender, request, user, **kwargs) -> None:
    logger.info("sign-in", extra={"event": "sign_in", "user_id": user.pk})


@receiver(user_logged_out, dispatch_uid="log_sign_out")
def log_sign_out(sender, request, user, **kwargs) -> None:
    logger.info("sign-out", extra={"event": "sign_out", "user_id": getattr(user, "pk", None)})


@receiver(user_login_failed, dispatch_uid="log_failed_sign_in")
def log_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    account = _account_id(credentials.get(User.USERNAME_FIELD))
    logger.warning("failed sign-in", extra={"event": "sign_in_failed", "account_id": account})


@receiver(user_locked_out, dispatch_uid="log_lockout")
def log_lockout(sender, request, username, ip_address, **kwargs) -> None:
    logger.warning(
        "sign-in locked out", extra={"event": "locked_out", "account_id": _account_id(username), "client": ip_address}
    )
