"""Error pages that need more than Django's defaults."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# Seconds a browser or an integration should wait before asking again.
DATABASE_RETRY_AFTER = 30


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """500, or 503 "database unavailable" when the request failed because the database did not answer.

    This is Django's handler500, called for an exception raised anywhere in the request,
    middleware included (the session is the first thing read, in a middleware, where no
    middleware's process_exception would see the error). The exception is still being
    handled, so sys.exc_info() names it. Django logs it with its traceback (django.request);
    the page shows neither the traceback nor the database's text, and touches no database.
    """
    error = sys.exc_info()[1]
    # OperationalError: refused or timed-out connection, statement timeout, server gone;
    # InterfaceError: the connection broke under the request.
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(DATABASE_RETRY_AFTER)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())
