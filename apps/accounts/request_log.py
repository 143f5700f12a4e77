"""A log line for every request, and who and where from for every other line written while serving it.

The path is logged without its query string: searches carry names and ID numbers there.
"""

from __future__ import annotations

import logging
import time

from apps.accounts.client_address import client_ip_address
from apps.core.logs import request_context

logger = logging.getLogger("unionportal.requests")


def signed_in_user_id(request) -> int | None:
    """The signed-in user's id if this request has already loaded its user, else None.

    Never loads it: a log line is also written when the database has just failed, and
    loading the user then would query it again. AuthenticationMiddleware keeps the user it
    loaded in ``request._cached_user``; the session middleware reads it on nearly every page.
    """
    user = getattr(request, "_cached_user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestLogMiddleware:
    """Logs method, path, status, duration and user of each request; sets the context of every record."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.monotonic()
        token = request_context.set(
            {"client": client_ip_address(request), "user_id": lambda: signed_in_user_id(request)}
        )
        try:
            response = self.get_response(request)
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "event": "request",
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_context.reset(token)
