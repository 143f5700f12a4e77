"""Settings come from the environment, and a value the portal cannot read stops it at start."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from unionportal.env import env_bool, env_database, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parents[2]
VAR = "UNIONPORTAL_TEST_VALUE"


class TestEnvBool:
    @pytest.mark.parametrize("raw", ["1", "true", "yes", "on", "True", "YES", " on "])
    def test_true_spellings(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        assert env_bool(VAR) is True

    @pytest.mark.parametrize("raw", ["0", "false", "no", "off", "False", "NO", " off "])
    def test_false_spellings(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        assert env_bool(VAR, default=True) is False

    @pytest.mark.parametrize("default", [True, False])
    def test_unset_is_the_default(self, monkeypatch, default):
        monkeypatch.delenv(VAR, raising=False)
        assert env_bool(VAR, default=default) is default

    @pytest.mark.parametrize("default", [True, False])
    def test_empty_is_the_default(self, monkeypatch, default):
        # "DJANGO_SSL_REDIRECT=" (as a compose file writes an unset variable) must not turn it off.
        monkeypatch.setenv(VAR, "")
        assert env_bool(VAR, default=default) is default

    @pytest.mark.parametrize("raw", ["maybe", "2", "tru", "y es"])
    def test_anything_else_is_an_error_naming_the_variable(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        with pytest.raises(ImproperlyConfigured, match=VAR):
            env_bool(VAR)


class TestEnvInt:
    def test_reads_an_integer(self, monkeypatch):
        monkeypatch.setenv(VAR, " 30 ")
        assert env_int(VAR, 5) == 30

    @pytest.mark.parametrize("raw", [None, "", "  "])
    def test_unset_or_empty_is_the_default(self, monkeypatch, raw):
        if raw is None:
            monkeypatch.delenv(VAR, raising=False)
        else:
            monkeypatch.setenv(VAR, raw)
        assert env_int(VAR, 5) == 5

    @pytest.mark.parametrize("raw", ["abc", "1.5", "15m"])
    def test_not_an_integer_is_an_error_naming_the_variable(self, monkeypatch, raw):
        monkeypatch.setenv(VAR, raw)
        with pytest.raises(ImproperlyConfigured, match=VAR):
            env_int(VAR, 5)

    def test_below_the_minimum_is_an_error_naming_the_variable(self, monkeypatch):
        monkeypatch.setenv(VAR, "-1")
        with pytest.raises(ImproperlyConfigured, match=f"{VAR}.*at least 0"):
            env_int(VAR, 5, minimum=0)
        monkeypatch.setenv(VAR, "0")
        assert env_int(VAR, 5, minimum=0) == 0


class TestEnvStrAndList:
    def test_str_default_when_unset(self, monkeypatch):
        monkeypatch.delenv(VAR, raising=False)
        assert env_str(VAR, "WARNING") == "WARNING"

    def test_list_strips_and_drops_empty_items(self, monkeypatch):
        monkeypatch.setenv(VAR, " portal.example.org, ,localhost ,")
        assert env_list(VAR) == ["portal.example.org", "localhost"]

    def test_list_default_when_unset(self, monkeypatch):
        monkeypatch.delenv(VAR, raising=False)
        assert env_list(VAR, default=["localhost"]) == ["localhost"]


class TestEnvDatabase:
    @pytest.mark.parametrize("raw", [None, "", "  "])
    def test_unset_or_empty_is_sqlite_at_the_given_path(self, monkeypatch, tmp_path, raw):
        if raw is None:
            monkeypatch.delenv(VAR, raising=False)
        else:
            monkeypatch.setenv(VAR, raw)
        path = tmp_path / "var" / "portal.sqlite3"
        config = env_database(VAR, path)
        assert config == {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        }
        assert path.parent.is_dir()

    @pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
    def test_postgres_url(self, monkeypatch, tmp_path, scheme):
        monkeypatch.setenv(VAR, f"{scheme}://u:p@h:5432/db")
        config = env_database(VAR, tmp_path / "unused.sqlite3")
        assert config["ENGINE"] == "django.db.backends.postgresql"
        assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
            "db",
            "u",
            "p",
            "h",
            5432,
        )

    def test_postgres_connections_run_without_jit_and_keep_other_options(self, monkeypatch, tmp_path):
        monkeypatch.setenv(VAR, "postgres://u:p@h:5432/db")
        assert env_database(VAR, tmp_path / "unused.sqlite3")["OPTIONS"]["options"] == "-c jit=off"
        monkeypatch.setenv(VAR, "postgres://u:p@h:5432/db?options=-c%20search_path%3Dportal")
        assert env_database(VAR, tmp_path / "unused.sqlite3")["OPTIONS"]["options"] == (
            "-c search_path=portal -c jit=off"
        )

    def test_postgres_connections_give_up_connecting_after_the_timeout(self, monkeypatch, tmp_path):
        monkeypatch.setenv(VAR, "postgres://u:p@h:5432/db")
        assert env_database(VAR, tmp_path / "unused.sqlite3")["OPTIONS"]["connect_timeout"] == 5
        assert env_database(VAR, tmp_path / "unused.sqlite3", connect_timeout=9)["OPTIONS"]["connect_timeout"] == 9
        assert "connect_timeout" not in env_database(VAR, tmp_path / "unused.sqlite3", connect_timeout=0)["OPTIONS"]

    def test_the_urls_own_connect_timeout_is_kept(self, monkeypatch, tmp_path):
        monkeypatch.setenv(VAR, "postgres://u:p@h:5432/db?connect_timeout=12")
        options = env_database(VAR, tmp_path / "unused.sqlite3", connect_timeout=5)["OPTIONS"]
        assert (options["connect_timeout"], options["options"]) == (12, "-c jit=off")

    @pytest.mark.parametrize(
        "raw",
        [
            "mysql://u:p@h:3306/db",
            "h:5432/db",  # no scheme
            "postgres://h:5432/",  # no database name
            "postgres://h:5432",
            "postgres://u:p@h:port/db",  # port is not a number
        ],
    )
    def test_unusable_url_is_an_error_naming_the_variable(self, monkeypatch, tmp_path, raw):
        monkeypatch.setenv(VAR, raw)
        with pytest.raises(ImproperlyConfigured, match=VAR):
            env_database(VAR, tmp_path / "unused.sqlite3")


def start_django(**environ: str) -> subprocess.CompletedProcess[str]:
    """Run ``django.setup()`` with production settings in a fresh process and a bare environment."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "unionportal.settings", **environ}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


class TestSettingsFailLoudly:
    def test_production_without_secret_key_refuses_to_start(self):
        result = start_django(DJANGO_DEBUG="0")
        assert result.returncode != 0
        assert "ImproperlyConfigured" in result.stderr
        assert "DJANGO_SECRET_KEY" in result.stderr

    def test_unreadable_debug_flag_refuses_to_start(self):
        result = start_django(DJANGO_DEBUG="maybe", DJANGO_SECRET_KEY="x" * 50)
        assert result.returncode != 0
        assert "DJANGO_DEBUG" in result.stderr

    def test_unreadable_database_url_refuses_to_start(self):
        result = start_django(DJANGO_SECRET_KEY="x" * 50, DATABASE_URL="mysql://u:p@h/db")
        assert result.returncode != 0
        assert "DATABASE_URL" in result.stderr

    @pytest.mark.parametrize(
        ("name", "raw"),
        [
            ("DATABASE_CONNECT_TIMEOUT", "-1"),
            ("DATABASE_CONNECT_TIMEOUT", "5s"),
            ("DATABASE_STATEMENT_TIMEOUT", "-5"),
            ("DATABASE_STATEMENT_TIMEOUT", "half a minute"),
        ],
    )
    def test_unreadable_database_timeout_refuses_to_start(self, name, raw):
        result = start_django(DJANGO_SECRET_KEY="x" * 50, **{name: raw})
        assert result.returncode != 0
        assert name in result.stderr

    def test_production_with_secret_key_starts(self):
        # The control case: the failures above come from the missing values, not from the harness.
        result = start_django(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="x" * 50)
        assert result.returncode == 0, result.stderr

    def test_development_without_secret_key_starts(self):
        result = start_django(DJANGO_DEBUG="1")
        assert result.returncode == 0, result.stderr


def database_settings(**environ: str) -> dict:
    """The DATABASES and DATABASE_ROUTERS production settings build from ``environ`` (a fresh process)."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "unionportal.settings", "DJANGO_DEBUG": "1"}
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps({'databases': settings.DATABASES, 'routers': settings.DATABASE_ROUTERS}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env={**env, **environ}, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


class TestReplicaAndPgBouncerSettings:
    primary = "postgres://u:p@db1:5432/unionportal"
    replica = "postgres://u:p@db2:5432/unionportal"

    def test_without_a_replica_url_one_database_and_no_router(self):
        built = database_settings(DATABASE_URL=self.primary)
        assert list(built["databases"]) == ["default"]
        assert built["routers"] == []

    def test_a_replica_url_adds_the_replica_and_its_router(self):
        built = database_settings(DATABASE_URL=self.primary, DATABASE_REPLICA_URL=self.replica)
        assert built["databases"]["replica"]["HOST"] == "db2"
        assert built["databases"]["default"]["HOST"] == "db1"
        assert built["routers"] == ["apps.core.replica.ReplicaRouter"]

    def test_behind_pgbouncer_no_server_side_cursors_on_either(self):
        built = database_settings(
            DATABASE_URL=self.primary, DATABASE_REPLICA_URL=self.replica, DATABASE_BEHIND_PGBOUNCER="1"
        )
        assert all(config["DISABLE_SERVER_SIDE_CURSORS"] for config in built["databases"].values())
