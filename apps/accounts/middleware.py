"""Sign a user out after a period without requests."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout


class IdleTimeoutMiddleware:
    """Ends an authenticated session idle for longer than ``SESSION_IDLE_TIMEOUT``."""

    session_key = "last_seen"
    # Storing the time on every request would write the session (an UPDATE in a
    # transaction) on every page. Refreshed at most once a minute, the stored time is up to
    # a minute behind, so an idle session ends up to a minute early, never late.
    refresh_after_seconds = 60

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.SESSION_IDLE_TIMEOUT.total_seconds()

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(self.session_key)
            if last_seen is not None and now - last_seen > self.timeout:
                logout(request)
            elif last_seen is None or not 0 <= now - last_seen < self.refresh_after_seconds:
                # A time in the future (another server's clock ahead) is replaced at once too.
                request.session[self.session_key] = now
        return self.get_response(request)
