"""`/healthz`: whether the portal can serve — the database answers and a background worker lives.

For nginx, a load balancer or a monitor; no login, nothing revealed (no versions, counts or
host names: only "ok", or which of the two checks failed), and cheap: one indexed query (and
"SELECT 1" on the replica when there is one: "database" covers either).
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connection, connections, transaction
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core.models import WorkerHeartbeat
from apps.core.replica import REPLICA, replica_configured
from apps.core.workers import dead_after

logger = logging.getLogger("unionportal.health")

# Milliseconds the check's query may take on PostgreSQL: a database that slow is not healthy.
STATEMENT_TIMEOUT_MS = 2000


def _last_beat():
    """The latest beat of any worker (None if none ever beat); DatabaseError if the database does not answer."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        # The query itself is the database check: it answers, or it raises.
        return WorkerHeartbeat.objects.aggregate(last=Max("beat_at"))["last"]


def _replica_answers() -> None:
    """With a replica (apps.core.replica), it answers too: GET pages read from it. DatabaseError if not."""
    if not replica_configured():
        return
    replica = connections[REPLICA]
    with transaction.atomic(using=REPLICA), replica.cursor() as cursor:
        if replica.vendor == "postgresql":
            cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
        cursor.execute("SELECT 1")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok"}, or 503 naming the failed check: "database" or "worker"."""
    try:
        last_beat = _last_beat()
        _replica_answers()
    except DatabaseError:
        logger.warning("health check: the database does not answer", exc_info=True)
        return JsonResponse({"status": "unavailable", "failed": "database"}, status=503)
    if last_beat is None or last_beat < timezone.now() - dead_after():
        logger.warning("health check: no background worker has beaten recently")
        return JsonResponse({"status": "unavailable", "failed": "worker"}, status=503)
    return JsonResponse({"status": "ok"})
