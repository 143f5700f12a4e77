"""A database that does not answer gets a clear Vietnamese 503 within seconds, not a hung worker."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import OperationalError, connection, connections
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from django.test import Client
from django.urls import reverse

from unionportal.env import env_database
from unionportal.statement_timeout import limit_statement_time

BASE_DIR = Path(__file__).resolve().parents[2]
ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="statement_timeout is PostgreSQL's")

UNAVAILABLE = "Cơ sở dữ liệu tạm thời không truy cập được"


@pytest.fixture
def silent_server():
    """A TCP port that accepts connections and never says a word: a hung database server."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    yield listener.getsockname()[1]
    listener.close()


@pytest.fixture
def browser():
    # Like a browser: the error page, not the exception the test client re-raises by default.
    return Client(raise_request_exception=False)


def assert_database_unavailable_page(response):
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert UNAVAILABLE in body
    for leak in ("Traceback", "OperationalError", "timeout expired", "canceling statement", "127.0.0.1"):
        assert leak not in body


def test_a_hung_database_answers_503_within_seconds(browser, leader, monkeypatch, silent_server, caplog):
    monkeypatch.setenv("DATABASE_URL", f"postgres://portal@127.0.0.1:{silent_server}/portal")
    config = env_database("DATABASE_URL", BASE_DIR / "unused.sqlite3", connect_timeout=2)
    hung = PostgresWrapper({**connection.settings_dict, **config, "CONN_MAX_AGE": 0}, alias="default")
    browser.force_login(leader)
    original = connections["default"]
    connections["default"] = hung
    started = time.monotonic()
    try:
        with caplog.at_level(logging.ERROR, logger="django.request"):
            response = browser.get(reverse("dashboard:index"))
    finally:
        connections["default"] = original
    assert time.monotonic() - started < 10
    assert_database_unavailable_page(response)
    assert any(record.exc_info and record.status_code == 503 for record in caplog.records), "logged with the cause"


@pytest.mark.parametrize("error", [OperationalError("could not connect to server: Connection refused")])
def test_a_database_error_in_a_view_answers_503_and_is_logged(browser, leader, monkeypatch, caplog, error):
    def refused(*args, **kwargs):
        raise error

    monkeypatch.setattr("apps.dashboard.views.build_overview", refused)
    browser.force_login(leader)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = browser.get(reverse("dashboard:index"))
    assert_database_unavailable_page(response)
    assert any("Connection refused" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)


def test_other_errors_still_answer_the_server_error_page(browser, leader, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("apps.dashboard.views.build_overview", broken)
    browser.force_login(leader)
    response = browser.get(reverse("dashboard:index"))
    assert response.status_code == 500
    assert "Đã xảy ra lỗi" in response.content.decode()
    assert "a bug" not in response.content.decode()


def test_connect_timeout_gives_up_on_a_silent_server(db, monkeypatch, silent_server):
    monkeypatch.setenv("DATABASE_URL", f"postgres://portal@127.0.0.1:{silent_server}/portal")
    config = env_database("DATABASE_URL", BASE_DIR / "unused.sqlite3", connect_timeout=2)
    hung = PostgresWrapper({**connection.settings_dict, **config, "CONN_MAX_AGE": 0}, alias="hung")
    started = time.monotonic()
    with pytest.raises(OperationalError):
        hung.ensure_connection()
    assert time.monotonic() - started < 10


def test_statement_limit_applies_to_postgres_connections_only():
    databases = {
        "default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c jit=off"}},
        "local": {"ENGINE": "django.db.backends.sqlite3", "OPTIONS": {}},
    }
    limit_statement_time(databases, 30)
    assert databases["default"]["OPTIONS"]["options"] == "-c jit=off -c statement_timeout=30000"
    assert databases["local"]["OPTIONS"] == {}
    unlimited = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}}}
    limit_statement_time(unlimited, 0)
    assert unlimited["default"]["OPTIONS"] == {}


def connection_options(entry_point: str) -> str:
    """The PostgreSQL options a fresh process would connect with, loaded as ``entry_point`` loads Django."""
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "unionportal.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": "postgres://portal@127.0.0.1:1/portal",
    }
    code = f"{entry_point}\nfrom django.db import connection\nprint(connection.settings_dict['OPTIONS'])"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_web_requests_are_limited_and_management_commands_are_not():
    assert "statement_timeout=30000" in connection_options("import unionportal.wsgi")
    # manage.py and the commands it runs set Django up without the WSGI module.
    assert "statement_timeout" not in connection_options("import django; django.setup()")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_statement_over_the_time_limit_answers_503(browser, leader, monkeypatch):
    options = dict(connection.settings_dict["OPTIONS"])
    limited = {"default": {"ENGINE": connection.settings_dict["ENGINE"], "OPTIONS": options}}
    limit_statement_time(limited, 1)
    browser.force_login(leader)

    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")

    monkeypatch.setattr("apps.dashboard.views.build_overview", slow)
    monkeypatch.setitem(connection.settings_dict, "OPTIONS", options)
    connection.close()  # the next connection is opened with the limit, as a web worker's is
    started = time.monotonic()
    try:
        response = browser.get(reverse("dashboard:index"))
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "1s"
    finally:
        connection.close()
    assert time.monotonic() - started < 4
    assert_database_unavailable_page(response)
