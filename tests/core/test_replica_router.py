"""With a replica: which database each read and write of a request goes to (apps/core/replica.py).

The test settings carry a "replica" alias that mirrors the test database (Django's TEST
MIRROR): a separate connection to the same database, so a query run "on the replica" is
seen on that connection. The router is on only where a test turns it on.
"""

from __future__ import annotations

import datetime as dt
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import PersonalDataAccess, User
from apps.core import replica
from apps.core.models import WorkerHeartbeat
from apps.core.replica import REPLICA, STICKY_COOKIE, ReplicaReadsMiddleware
from apps.dashboard.models import FiguresDay, PendingFiguresChange, UnionFigures
from apps.members import services
from apps.members.models import Member
from tests import factories

# A request that wrote asks the dashboard whether figure notes wait (one query), and reads in a
# transaction on the primary stay there: those tests run outside the test's own transaction.
outside_a_transaction = pytest.mark.django_db(transaction=True)

WITH_REPLICA = {"DATABASE_ROUTERS": [replica.ROUTER], "REPLICA_STICKY_SECONDS": 10}


@pytest.fixture
def with_replica(settings):
    settings.DATABASE_ROUTERS = WITH_REPLICA["DATABASE_ROUTERS"]
    settings.REPLICA_STICKY_SECONDS = WITH_REPLICA["REPLICA_STICKY_SECONDS"]


def serve(method: str = "get", cookies: dict | None = None, view=None):
    """Run ``view(request, decisions)`` through the middleware as a ``method`` request.

    Returns what the view decided and the response.
    """
    decisions: dict[str, str] = {}

    def read_members(request, decisions):
        decisions["member"] = router.db_for_read(Member)
        return HttpResponse("ok")

    request = getattr(RequestFactory(), method)("/")
    request.COOKIES.update(cookies or {})
    response = ReplicaReadsMiddleware(lambda request: (view or read_members)(request, decisions))(request)
    return decisions, response


def test_a_get_reads_members_from_the_replica(with_replica):
    decisions, response = serve("get")
    assert decisions["member"] == REPLICA
    assert STICKY_COOKIE not in response.cookies


def test_a_head_reads_from_the_replica_too(with_replica):
    assert serve("head")[0]["member"] == REPLICA


@outside_a_transaction
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_a_request_that_may_write_reads_from_the_primary_and_sticks_the_browser_to_it(with_replica, method):
    decisions, response = serve(method)
    assert decisions["member"] == DEFAULT_DB_ALIAS
    assert response.cookies[STICKY_COOKIE]["max-age"] == 10


@outside_a_transaction
def test_after_a_write_the_rest_of_a_get_reads_from_the_primary(with_replica):
    def view(request, decisions):
        decisions["before"] = router.db_for_read(Member)
        decisions["write"] = router.db_for_write(PersonalDataAccess)
        decisions["after"] = router.db_for_read(Member)
        return HttpResponse("ok")

    decisions, response = serve("get", view=view)
    assert decisions == {"before": REPLICA, "write": DEFAULT_DB_ALIAS, "after": DEFAULT_DB_ALIAS}
    assert STICKY_COOKIE in response.cookies


def test_saving_the_session_does_not_move_anything_to_the_primary(with_replica):
    def view(request, decisions):
        router.db_for_write(Session)
        decisions["after"] = router.db_for_read(Member)
        return HttpResponse("ok")

    decisions, response = serve("get", view=view)
    assert decisions["after"] == REPLICA
    assert STICKY_COOKIE not in response.cookies


def test_within_the_sticky_window_gets_read_from_the_primary_then_from_the_replica_again(with_replica):
    assert serve("get", {STICKY_COOKIE: str(time.time() - 2)})[0]["member"] == DEFAULT_DB_ALIAS
    assert serve("get", {STICKY_COOKIE: str(time.time() - 11)})[0]["member"] == REPLICA
    assert serve("get", {STICKY_COOKIE: "not a time"})[0]["member"] == REPLICA


@outside_a_transaction
def test_reads_inside_a_transaction_on_the_primary_stay_there(with_replica):
    def view(request, decisions):
        with transaction.atomic():
            decisions["inside"] = router.db_for_read(Member)
        decisions["outside"] = router.db_for_read(Member)
        return HttpResponse("ok")

    decisions, _response = serve("get", view=view)
    assert decisions == {"inside": DEFAULT_DB_ALIAS, "outside": REPLICA}


@outside_a_transaction
@pytest.mark.parametrize("model", [Session, AccessAttempt, User, PersonalDataAccess])
def test_sign_in_sessions_lockouts_and_accounts_are_always_read_from_the_primary(with_replica, model):
    def view(request, decisions):
        decisions["read"] = router.db_for_read(model)
        decisions["write"] = router.db_for_write(model)
        return HttpResponse("ok")

    assert serve("get", view=view)[0] == {"read": DEFAULT_DB_ALIAS, "write": DEFAULT_DB_ALIAS}


@outside_a_transaction
def test_every_write_goes_to_the_primary_and_only_the_primary_is_migrated(with_replica):
    def view(request, decisions):
        decisions["write"] = router.db_for_write(Member)
        return HttpResponse("ok")

    assert serve("get", view=view)[0] == {"write": DEFAULT_DB_ALIAS}
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "members") is True
    assert router.allow_migrate(REPLICA, "members") is False


def test_commands_tasks_and_the_worker_read_from_the_primary(with_replica):
    # Outside a request nothing says the replica may be used.
    assert router.db_for_read(Member) == DEFAULT_DB_ALIAS


def test_without_a_replica_url_there_is_no_routing(settings):
    assert settings.DATABASE_ROUTERS == []
    assert not replica.replica_configured()
    decisions, response = serve("get")
    assert decisions["member"] == DEFAULT_DB_ALIAS
    assert STICKY_COOKIE not in response.cookies


# Real requests through the portal, the replica being a second connection to the test database.
# Committed data (transaction=True): the replica's connection sees only what is committed.
on_both = pytest.mark.django_db(transaction=True, databases=[DEFAULT_DB_ALIAS, REPLICA])


def tables_read(queries) -> str:
    return " ".join(query["sql"] for query in queries)


@on_both
def test_a_member_list_is_read_from_the_replica_and_the_session_from_the_primary(
    with_replica, client, chair_a1, union_a1
):
    factories.MemberFactory(union=union_a1, full_name="Nguyễn Thị Hoà")
    client.force_login(chair_a1)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        response = client.get(reverse("portal:members", args=[union_a1.pk]))
    assert response.status_code == 200
    assert "Nguyễn Thị Hoà" in response.content.decode()
    assert '"members_member"' in tables_read(on_replica)
    assert '"members_member"' not in tables_read(on_primary)
    assert '"django_session"' in tables_read(on_primary)
    assert '"django_session"' not in tables_read(on_replica)


@on_both
def test_a_view_of_whole_id_numbers_logs_on_the_primary_and_reads_on_from_there(
    with_replica, client, chair_a1, union_a1
):
    member = factories.MemberFactory(union=union_a1)
    client.force_login(chair_a1)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(reverse("portal:member_edit", args=[union_a1.pk, member.pk]))
    assert response.status_code == 200
    assert PersonalDataAccess.objects.filter(user=chair_a1, record_ids=[member.pk]).exists()
    assert not any(query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for query in on_replica)
    assert STICKY_COOKIE in response.cookies
    # The browser's next page, within the window, reads the members from the primary.
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get(reverse("portal:members", args=[union_a1.pk])).status_code == 200
    assert '"members_member"' not in tables_read(on_replica)


@on_both
def test_a_post_writes_and_reads_on_the_primary(with_replica, client, chair_a1, union_a1):
    client.force_login(chair_a1)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.post(
            reverse("portal:member_add", args=[union_a1.pk]),
            {
                "full_name": "Trần Văn Bình",
                "gender": "male",
                "date_of_birth": "1990-03-14",
                "joined_union_on": "2021-03-01",
                "national_id": "001090000123",
                "ethnicity": "Kinh",
                "nationality": "VN",
            },
        )
    assert response.status_code == 302
    assert Member.objects.filter(full_name="Trần Văn Bình", union=union_a1).exists()
    assert on_replica.captured_queries == []
    assert STICKY_COOKIE in response.cookies


@on_both
def test_dashboard_readers_on_the_replica_never_write_and_the_worker_applies_the_notes(
    with_replica, client, leader, chair_a1, union_a1
):
    day = dt.date(2022, 6, 30)
    factories.MemberFactory(union=union_a1, joined_union_on=dt.date(2022, 1, 1))
    client.force_login(leader)
    url = reverse("dashboard:json")
    # A day never kept: that request computes it on the primary and reads it from there.
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        first = client.get(url, {"as_of": day})
    assert first.status_code == 200
    assert FiguresDay.objects.filter(day=day).exists()
    assert not any("INSERT" in query["sql"].upper() for query in on_replica)
    members_before = UnionFigures.objects.get(union=union_a1, day=day).members

    # A member enrolled outside any request (as an import would): a note waits.
    services.member_enrol(
        union=union_a1,
        joined_on=dt.date(2022, 2, 1),
        full_name="Lê Thị Hoa",
        gender="female",
        national_id="001190000777",
    )
    assert PendingFiguresChange.objects.exists()
    # Computing that day was a write: this browser read from the primary for a while. Later:
    client.cookies.pop(STICKY_COOKIE)
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_primary,
    ):
        second = client.get(url, {"as_of": day})
    assert second.status_code == 200
    # Read on the replica, written nowhere: the note is still there for the worker.
    assert '"dashboard_' in tables_read(on_replica)
    assert not any(
        query["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        for query in on_replica.captured_queries + on_primary.captured_queries
        if "django_session" not in query["sql"]
    )
    assert PendingFiguresChange.objects.exists()

    # A request that writes queues the upkeep (the immediate task backend of the tests runs it at once).
    member = Member.objects.filter(union=union_a1).first()
    client.force_login(chair_a1)
    client.get(reverse("portal:member_edit", args=[union_a1.pk, member.pk]))
    assert not PendingFiguresChange.objects.exists()
    assert UnionFigures.objects.get(union=union_a1, day=day).members == members_before + 1


@on_both
def test_healthz_also_asks_the_replica(with_replica, client, monkeypatch):
    WorkerHeartbeat.objects.create(worker_id="w", beat_at=timezone.now())
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert client.get("/healthz").status_code == 200
    assert "SELECT 1" in tables_read(on_replica)

    def replica_away(*args, **kwargs):
        raise OperationalError("the replica does not answer")

    monkeypatch.setattr(connections[REPLICA], "ensure_connection", replica_away)
    connections[REPLICA].close()
    response = client.get("/healthz")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable", "failed": "database"})
