"""What a signed-in request costs before the page's own work: reading the session and the user.

No permission tables (permissions come from the role), no query for the union or
federation in the page header (joined to the user), and no session write while the
idle clock is fresh (apps.accounts.middleware).
"""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.backends import PortalUserBackend
from apps.accounts.middleware import IdleTimeoutMiddleware

ADMIN_INDEX = reverse("admin:index")
PERSONAS = ["district_staff", "chair_a1", "leader"]


def session_writes(captured: CaptureQueriesContext) -> list[str]:
    return [
        query["sql"]
        for query in captured.captured_queries
        if query["sql"].startswith(("UPDATE", "INSERT")) and '"django_session"' in query["sql"]
    ]


def header_scope(user) -> str:
    return str(user.union or user.federation)


@pytest.fixture
def signed_in(client, request):
    """A client signed in as the persona given as parameter (district staff by default), past its first request."""
    user = request.getfixturevalue(getattr(request, "param", "district_staff"))
    client.force_login(user)
    client.get(ADMIN_INDEX)
    return client, user


@pytest.mark.parametrize("signed_in", PERSONAS, indirect=True)
def test_the_admin_index_reads_the_session_the_user_and_its_own_recent_actions_only(
    signed_in, django_assert_num_queries
):
    client, _user = signed_in
    with django_assert_num_queries(3) as captured:
        response = client.get(ADMIN_INDEX)
    assert response.status_code == 200
    session_read, user_read, recent_actions = (query["sql"] for query in captured.captured_queries)
    assert 'FROM "django_session"' in session_read
    assert 'FROM "accounts_user"' in user_read
    assert 'JOIN "unions_federation"' in user_read
    assert 'JOIN "unions_grassrootsunion"' in user_read
    assert 'FROM "django_admin_log"' in recent_actions


@pytest.mark.parametrize("signed_in", PERSONAS, indirect=True)
def test_the_admin_header_names_the_users_union_or_federation(signed_in):
    client, user = signed_in
    with CaptureQueriesContext(connection) as captured:
        body = client.get(ADMIN_INDEX).content.decode()
    assert f" · {header_scope(user)}</span>" in body
    assert not any(
        query["sql"].startswith(('SELECT "unions_federation"', 'SELECT "unions_grassrootsunion"'))
        for query in captured.captured_queries
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_site_header_names_the_users_union_or_federation_without_a_query(
    persona, request, django_assert_num_queries
):
    request_ = RequestFactory().get("/dashboard/")
    request_.user = PortalUserBackend().get_user(request.getfixturevalue(persona).pk)
    with django_assert_num_queries(0):
        body = render_to_string("base.html", request=request_)
    assert f" · {header_scope(request_.user)}</span>" in body


def test_the_first_request_after_signing_in_records_the_time(client, district_staff):
    client.force_login(district_staff)
    with CaptureQueriesContext(connection) as captured:
        client.get(ADMIN_INDEX)
    assert session_writes(captured)
    assert time.time() - client.session[IdleTimeoutMiddleware.session_key] < 5


def test_requests_within_a_minute_do_not_write_the_session(signed_in):
    client, _user = signed_in
    last_seen = client.session[IdleTimeoutMiddleware.session_key]
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(ADMIN_INDEX).status_code == 200
        assert session_writes(captured) == []
    assert client.session[IdleTimeoutMiddleware.session_key] == last_seen


def test_the_time_is_written_again_after_a_minute(signed_in):
    client, _user = signed_in
    session = client.session
    session[IdleTimeoutMiddleware.session_key] -= IdleTimeoutMiddleware.refresh_after_seconds + 1
    session.save()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(ADMIN_INDEX).status_code == 200
    assert session_writes(captured)
    assert time.time() - client.session[IdleTimeoutMiddleware.session_key] < 5


def test_a_time_in_the_future_is_replaced_at_once(signed_in):
    # Another server's clock ahead of ours must not stretch the idle timeout.
    client, _user = signed_in
    session = client.session
    session[IdleTimeoutMiddleware.session_key] = time.time() + 3600
    session.save()
    assert client.get(ADMIN_INDEX).status_code == 200
    assert client.session[IdleTimeoutMiddleware.session_key] <= time.time()


def test_the_group_admin_is_gone_because_groups_grant_nothing(client, superuser):
    client.force_login(superuser)
    assert client.get("/admin/auth/group/").status_code == 404
