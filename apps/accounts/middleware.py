"""Sign a user out after a period without requests."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout


class IdleTimeoutMiddleware:
    """Ends an authenticated session idle for longer than ``SESSION_IDLE_TIMEOUT``."""

    session_key = "last_seen"

    def __init__(self, get_response):
        self.get_response = get_response
        self.timeout = settings.SESSION_IDLE_TIMEOUT.total_seconds()

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            last_seen = request.session.get(self.session_key)
            if last_seen is not None and now - last_seen > self.timeout:
                logout(request)
            else:
                request.session[self.session_key] = now
        return self.get_response(request)
