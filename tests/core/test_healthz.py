"""`/healthz` answers probes without a login, says only "ok" or which check failed, and costs one query."""

from __future__ import annotations

import json

import pytest
from django.core.management import get_commands
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.core import workers
from apps.core.models import WorkerHeartbeat

URL = "/healthz"


@pytest.fixture
def probe(db):
    # A probe sends no cookie and reads the status; the error page is never raised in the test.
    return Client(raise_request_exception=False)


@pytest.fixture
def live_worker(db):
    workers.beat("worker-alive")


def test_ok_when_the_database_answers_and_a_worker_beats(probe, live_worker):
    response = probe.get(URL)
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_database_down_is_503_database(probe, live_worker, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError("could not connect to server at 10.1.2.3: Connection refused")

    monkeypatch.setattr("apps.core.health._last_beat", refused)
    response = probe.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": "database"}


def test_a_worker_that_stopped_beating_is_503_worker(probe, settings):
    WorkerHeartbeat.objects.create(
        worker_id="worker-gone", beat_at=timezone.now() - workers.dead_after() - timezone.timedelta(seconds=1)
    )
    response = probe.get(URL)
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "failed": "worker"}


def test_no_worker_ever_is_503_worker(probe):
    assert probe.get(URL).json() == {"status": "unavailable", "failed": "worker"}


def test_reveals_nothing(probe, live_worker, settings, district_staff):
    response = probe.get(URL)
    body = response.content.decode()
    assert json.loads(body) == {"status": "ok"}
    for header in ("Server", "X-Powered-By"):
        assert header not in response
    for secret in ("worker-alive", "version", "django", "postgres", "sqlite", "127.0.0.1", "testserver"):
        assert secret not in body.lower()


def test_one_query(probe, live_worker):
    with CaptureQueriesContext(connection) as queries:
        assert probe.get(URL).status_code == 200
    statements = [query["sql"] for query in queries.captured_queries]
    # Savepoints of the test's transaction aside: the statement timeout on PostgreSQL, the check itself.
    work = [sql for sql in statements if not sql.upper().startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    expected = 2 if connection.vendor == "postgresql" else 1
    assert len(work) == expected, statements
    assert "core_workerheartbeat" in work[-1]


def test_no_login_and_no_ssl_redirect_for_probes(probe, live_worker, settings):
    # The suite runs with debug off, so SECURE_REDIRECT_EXEMPT is production's own.
    settings.SECURE_SSL_REDIRECT = True
    assert probe.get(URL).status_code == 200
    # Every other page still goes to https.
    assert probe.get("/dashboard/").status_code == 301


def test_a_locked_out_address_still_gets_the_health(probe, live_worker, district_staff, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        probe.post("/admin/login/", {"username": "canbo", "password": "wrong"}, REMOTE_ADDR="10.0.0.9")
    assert probe.get(URL, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_db_worker_is_the_one_that_beats():
    assert get_commands()["db_worker"] == "apps.core"
