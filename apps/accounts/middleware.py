"""Sign a user out after a period without requests; hold a session at its second factor until given."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect
from django.urls import reverse

from apps.accounts import two_factor


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


class SecondFactorMiddleware:
    """Sends a session that owes its second factor to the code (or enrolment) page, whatever it asked for.

    Every request passes here, so no admin page, portal page, export, import or JSON answer
    is reached with the password alone. Only the page of the step owed, the sign-out and the
    language switch stay open.
    """

    step_url_names = {"verify": "accounts:verify", "enrol": "accounts:enrol"}
    open_url_names = ("admin:logout", "set_language")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            step = two_factor.pending_step(request)
            if step is not None:
                step_url = reverse(self.step_url_names[step])
                open_paths = {step_url, *(reverse(name) for name in self.open_url_names)}
                if request.path_info not in open_paths:
                    wanted = request.get_full_path() if request.method == "GET" else request.path
                    return redirect(f"{step_url}?{urlencode({REDIRECT_FIELD_NAME: wanted})}")
        return self.get_response(request)
