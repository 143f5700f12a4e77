"""The address a request comes from, as django-axes counts sign-in failures by it."""

from __future__ import annotations

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """The client's address: the one our proxy added to X-Forwarded-For when behind it, else REMOTE_ADDR.

    Behind nginx every request comes from 127.0.0.1, so counting failures by REMOTE_ADDR lets
    anyone lock a username for everybody. Our one proxy appends the address it saw to the
    right of X-Forwarded-For; everything to its left was written by the client and may be
    forged, so only the right-most entry is taken. Served directly, the header is ignored:
    anyone can send it.
    """
    remote_addr = request.META.get("REMOTE_ADDR")
    if not settings.BEHIND_TLS_PROXY:
        return remote_addr
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
    try:
        return str(ip_address(forwarded))
    except ValueError:
        # No header, or garbage in it: the proxy is not configured as README says.
        return remote_addr
