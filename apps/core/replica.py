"""Reads from a streaming replica, writes to the primary (with ``DATABASE_REPLICA_URL`` set).

A replica is a read-only copy of the primary, a moment behind it. Reading from it is safe
only when nothing the reader is about to see was written by the reader itself, so the
rules are few and strict:

- only a GET or HEAD request may read from the replica; a POST, a management command, a
  task and the worker read and write on the primary (``ReplicaReadsMiddleware`` says which
  requests may, in a context variable the router reads);
- once a request writes anything but its session, the rest of it reads from the primary,
  and so do that browser's requests for ``REPLICA_STICKY_SECONDS`` after (a cookie): a user
  who saved a change sees it on the next page, however far behind the replica is;
- inside ``transaction.atomic`` on the primary every read goes there too (read, then write);
- sign-in, sessions, lockouts (django-axes), accounts, the task queue and the worker's
  heartbeat are always read from the primary: a session written a moment ago, or a lockout,
  must not be missed because the replica has not caught up.

Every write goes to the primary (``db_for_write``); the replica refuses writes anyway.
Without ``DATABASE_REPLICA_URL`` there is no "replica" alias and no router: everything is on
the one database, as before.
"""

from __future__ import annotations

import time
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.dispatch import Signal

REPLICA = "replica"
ROUTER = "apps.core.replica.ReplicaRouter"
# The cookie that sends a browser's reads to the primary for a while after it wrote.
STICKY_COOKIE = "primary_reads"
# Apps read from the primary even in a GET: authentication and its bookkeeping, the task
# queue (an import's progress page follows the worker), the worker's heartbeat (/healthz), the
# shared cache ("django_cache": counts read back right after they are written).
PRIMARY_ONLY_APPS = frozenset(
    {
        "sessions",
        "auth",
        "accounts",
        "axes",
        "admin",
        "contenttypes",
        "django_tasks_database",
        "core",
        "imports",
        "django_cache",
    }
)
# Writes that do not make a request's later reads (or the browser's next pages) need the
# primary: the session and the cache are read from the primary always.
UNREMARKABLE_WRITE_APPS = frozenset({"sessions", "django_cache"})

# Sent after a request that wrote to the primary has been answered, when a replica is in
# use: whoever keeps derived data (the dashboard's figures) brings it up to date on the
# primary, since readers on the replica cannot.
primary_written = Signal()


@dataclass
class _RequestReads:
    may_use_replica: bool
    wrote: bool = False


_reads: ContextVar[_RequestReads | None] = ContextVar("unionportal_replica_reads", default=None)


def replica_configured() -> bool:
    return ROUTER in settings.DATABASE_ROUTERS and REPLICA in settings.DATABASES


def reading_from_replica() -> bool:
    """Whether a read made now (of a model not pinned to the primary) goes to the replica."""
    state = _reads.get()
    return (
        state is not None
        and state.may_use_replica
        and not state.wrote
        and replica_configured()
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


def read_from_primary_from_now() -> None:
    """The rest of this request reads from the primary (it needs something only the primary has)."""
    state = _reads.get()
    if state is not None:
        state.may_use_replica = False


class ReplicaRouter:
    """Django's database router for a primary ("default") and a streaming replica ("replica")."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label not in PRIMARY_ONLY_APPS and reading_from_replica():
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        state = _reads.get()
        if state is not None and model._meta.app_label not in UNREMARKABLE_WRITE_APPS:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both aliases hold the same rows: a member read from the replica may be linked to a
        # union read from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


def _wrote_recently(request) -> bool:
    try:
        since = time.time() - float(request.COOKIES.get(STICKY_COOKIE, ""))
    except ValueError:
        return False
    return 0 <= since < settings.REPLICA_STICKY_SECONDS


class ReplicaReadsMiddleware:
    """Lets a request read from the replica when that cannot hide the user's own changes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        safe = request.method in {"GET", "HEAD"}
        state = _RequestReads(may_use_replica=safe and not _wrote_recently(request))
        token = _reads.set(state)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if not safe or state.wrote:
            # Whatever the replica's lag, this browser reads its own change on the primary.
            response.set_cookie(
                STICKY_COOKIE,
                str(time.time()),
                max_age=settings.REPLICA_STICKY_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        if state.wrote:
            primary_written.send(sender=self.__class__)
        return response
