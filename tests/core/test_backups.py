"""Backups are proven: the demo district backed up, restored elsewhere, found identical row by row.

The round trip runs the commands as an operator does (``manage.py`` in a process of its own) on two
databases of its own beside the test database: the source is migrated and seeded with the demo
data, the target is created empty, exactly as docs/BACKUPS.md tells the operator to.
pg_dump and pg_restore exist only for PostgreSQL, so these tests run in CI's PostgreSQL pass.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from apps.core.backups import (
    MANIFEST_FILE,
    PARTIAL_PREFIX,
    USER_TABLES_SQL,
    BackupError,
    complete_sets,
    create_backup,
    libpq_params_from_settings,
    migrations_unknown_here,
)

BASE_DIR = Path(__file__).resolve().parents[2]
ON_POSTGRES = django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="pg_dump and pg_restore back up PostgreSQL only")

# The report's dates: the reference day of the demo data, and one before its seminar.
REPORT_DAYS = ["2021-07-09", "2020-12-31"]


def test_sqlite_is_refused_with_a_clear_message(tmp_path):
    with pytest.raises(BackupError, match="PostgreSQL"):
        create_backup(
            database={"ENGINE": "django.db.backends.sqlite3", "NAME": "x.sqlite3"},
            media_root=tmp_path / "media",
            backup_dir=tmp_path / "backups",
            keep=3,
        )
    assert not (tmp_path / "backups").exists()


@pytest.mark.skipif(ON_POSTGRES, reason="the quick-start's SQLite database is what this refuses")
def test_the_backup_command_on_sqlite_fails_and_says_why(tmp_path):
    with pytest.raises(CommandError, match=r"backup failed.*PostgreSQL"):
        call_command("backup", backup_dir=tmp_path)


@postgres_only
def test_the_backup_command_without_pg_dump_fails_and_says_how_to_install_it(tmp_path, monkeypatch, db):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match=r"backup failed.*pg_dump.*postgresql-client"):
        call_command("backup", backup_dir=tmp_path / "backups")
    assert complete_sets(tmp_path / "backups") == []


def test_a_set_from_a_newer_version_is_recognised_by_its_migrations():
    manifest = {"migrations": {"members": "0001_initial", "meetings": "9999_from_the_future"}}
    assert migrations_unknown_here(manifest) == ["meetings.9999_from_the_future"]


# --- helpers -------------------------------------------------------------------------------


def admin_params() -> dict[str, str]:
    """The test database's connection, pointed at the maintenance database to create others."""
    return {**libpq_params_from_settings(connection.settings_dict), "dbname": "postgres"}


def create_database(name: str) -> None:
    admin = psycopg2.connect(**admin_params())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    admin.close()


def drop_database(name: str) -> None:
    admin = psycopg2.connect(**admin_params())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def database_url(name: str) -> str:
    """A URL without the password: the commands get it from PGPASSWORD, as the docs advise."""
    params = libpq_params_from_settings(connection.settings_dict)
    user = params.get("user", "")
    return f"postgres://{user}@{params.get('host', '127.0.0.1')}:{params.get('port', '5432')}/{name}"


class Portal:
    """``manage.py`` in its own process, on one database, with the uploaded files in one directory."""

    def __init__(self, settings_dir: Path, database: str):
        self.database = database
        self.environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "backup_test_settings",
            "PYTHONPATH": os.pathsep.join([str(settings_dir), str(BASE_DIR)]),
            "DJANGO_DEBUG": "1",
            "DATABASE_URL": database_url(database),
        }
        password = libpq_params_from_settings(connection.settings_dict).get("password")
        if password:
            self.environment["PGPASSWORD"] = password

    def run(self, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, str(BASE_DIR / "manage.py"), *arguments],
            env=self.environment,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            pytest.fail(f"manage.py {' '.join(arguments)} failed:\n{result.stdout}\n{result.stderr}")
        return result


def settings_module(directory: Path, media_root: Path) -> Path:
    """The portal's settings with MEDIA_ROOT in the test's own directory."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "backup_test_settings.py").write_text(
        f"from unionportal.settings import *  # noqa: F403\nMEDIA_ROOT = {str(media_root)!r}\n", encoding="utf-8"
    )
    return directory


def every_table_fingerprint(database: str) -> dict[str, tuple[int, str]]:
    """Per table: its row count and the MD5 of all its rows as text, in a fixed order."""
    params = {**libpq_params_from_settings(connection.settings_dict), "dbname": database}
    fingerprints = {}
    with psycopg2.connect(**params) as db, db.cursor() as cursor:
        cursor.execute(USER_TABLES_SQL)
        for schema, table in cursor.fetchall():
            rows_as_text = "coalesce(string_agg(t::text, ',' ORDER BY t::text), '')"
            cursor.execute(f'SELECT count(*), md5({rows_as_text}) FROM "{schema}"."{table}" t')
            fingerprints[f"{schema}.{table}"] = cursor.fetchone()
    db.close()
    return fingerprints


def files_under(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


UPLOAD_FILES = """
from django.core.files.base import ContentFile
from apps.meetings.models import Meeting, MeetingDocument
meeting = Meeting.objects.order_by("held_on", "pk").last()
minutes = ContentFile(bytes(range(256)) * 40, name="bien-ban.pdf")
photo = ContentFile("Ảnh hội nghị".encode() * 10, name="anh.jpg")
MeetingDocument.objects.create(meeting=meeting, title="Biên bản tọa đàm", file=minutes)
MeetingDocument.objects.create(meeting=meeting, title="Ảnh", file=photo)
"""


# --- the round trip ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """The demo district with two uploaded documents, backed up, then restored into an empty database."""
    base = tmp_path_factory.mktemp("backups")
    prefix = connection.settings_dict["NAME"]
    source_name, target_name = f"{prefix}_backup_source", f"{prefix}_backup_target"
    source_media, target_media = base / "media", base / "restored-media"
    create_database(source_name)
    create_database(target_name)
    source = Portal(settings_module(base / "source-settings", source_media), source_name)
    target = Portal(settings_module(base / "target-settings", target_media), target_name)
    try:
        source.run("migrate", "--noinput", "-v", "0")
        source.run("seed_demo")
        source.run("shell", "-c", UPLOAD_FILES)
        backed_up = source.run("backup", "--backup-dir", str(base / "backups"))
        restored = target.run(
            "restore", "latest", "--backup-dir", str(base / "backups"), "--database-url", database_url(target_name)
        )
        yield {
            "source": source,
            "target": target,
            "source_media": source_media,
            "target_media": target_media,
            "backup_dir": base / "backups",
            "backup_output": backed_up.stdout,
            "restore_output": restored.stdout,
        }
    finally:
        drop_database(source_name)
        drop_database(target_name)


@postgres_only
def test_every_row_of_every_table_comes_back(round_trip):
    source = every_table_fingerprint(round_trip["source"].database)
    restored = every_table_fingerprint(round_trip["target"].database)
    assert source.keys() == restored.keys()
    assert source["public.members_member"][0] > 0, "the demo data was seeded"
    differing = [table for table in source if source[table] != restored[table]]
    assert differing == []


@postgres_only
def test_every_uploaded_file_comes_back_byte_for_byte(round_trip):
    source = files_under(round_trip["source_media"])
    assert len(source) == 2
    assert files_under(round_trip["target_media"]) == source


@postgres_only
def test_the_dashboard_figures_are_the_same(round_trip):
    for day in REPORT_DAYS:
        report = ["district_report", "--as-of", day, "--federation", "TH"]
        before = round_trip["source"].run(*report).stdout
        after = round_trip["target"].run(*report).stdout
        assert before.strip()
        assert after == before
    # Each database keeps its figures per CĐCS for those days on its own (the reports read them
    # live, as any reader of a day not kept): all of them agree.
    keep = ["refresh_figures", "--cut-offs-seconds", "0", *(f"--day={day}" for day in REPORT_DAYS)]
    for portal in (round_trip["source"], round_trip["target"]):
        portal.run(*keep)
    computed = [union_figures(portal.database, REPORT_DAYS) for portal in (round_trip["source"], round_trip["target"])]
    assert len(computed[0]) >= len(REPORT_DAYS)
    assert computed[1] == computed[0]


def union_figures(database: str, days: list[str]) -> list[tuple]:
    """Every figure of every CĐCS kept for these days, in a fixed order, without the row's own id."""
    params = {**libpq_params_from_settings(connection.settings_dict), "dbname": database}
    with psycopg2.connect(**params) as db, db.cursor() as cursor:
        query = "SELECT * FROM dashboard_unionfigures WHERE day = ANY(%s::date[]) ORDER BY day, union_id"
        cursor.execute(query, [days])
        columns = [column.name for column in cursor.description]
        rows = [tuple(value for column, value in zip(columns, row, strict=True) if column != "id") for row in cursor]
    db.close()
    return rows


@postgres_only
def test_the_manifest_describes_the_set(round_trip):
    [backup] = complete_sets(round_trip["backup_dir"])
    manifest = backup.manifest
    assert manifest["database"] == round_trip["source"].database
    assert manifest["pg_dump_version"].startswith("pg_dump (PostgreSQL)")
    assert manifest["migrations"]["members"].startswith("00")
    assert (
        manifest["tables"]["public.members_member"]
        == every_table_fingerprint(round_trip["source"].database)["public.members_member"][0]
    )
    assert sorted(file["name"] for file in manifest["files"]) == sorted(files_under(round_trip["source_media"]))
    assert all(len(file["sha256"]) == 64 for file in manifest["files"])
    assert manifest["missing_files"] == []
    assert "pg_restore --list: OK" in round_trip["backup_output"]
    assert "khớp manifest" in round_trip["restore_output"]


@postgres_only
def test_restore_refuses_a_database_that_is_not_empty(round_trip, tmp_path):
    result = round_trip["target"].run(
        "restore",
        "latest",
        "--backup-dir",
        str(round_trip["backup_dir"]),
        "--database-url",
        database_url(round_trip["target"].database),
        "--media-dir",
        str(tmp_path / "empty-media"),
        check=False,
    )
    assert result.returncode != 0
    assert "is not empty" in result.stderr
    assert "createdb" in result.stderr
    assert not (tmp_path / "empty-media").exists()


@postgres_only
def test_restore_refuses_a_media_directory_that_is_not_empty(round_trip, tmp_path):
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "old.pdf").write_bytes(b"old")
    result = round_trip["target"].run(
        "restore", "latest", "--backup-dir", str(round_trip["backup_dir"]), "--media-dir", str(tmp_path / "media"),
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "not empty" in result.stderr


@postgres_only
def test_restore_refuses_a_damaged_dump_before_touching_anything(round_trip, tmp_path):
    [backup] = complete_sets(round_trip["backup_dir"])
    damaged = tmp_path / "backups" / backup.name
    shutil.copytree(backup.path, damaged)
    with (damaged / "database.dump").open("r+b") as dump:
        dump.seek(100)
        dump.write(b"\0\0\0\0")
    result = round_trip["target"].run(
        "restore", backup.name, "--backup-dir", str(tmp_path / "backups"), "--media-dir", str(tmp_path / "media"),
        check=False,
    )  # fmt: skip
    assert result.returncode != 0
    assert "SHA-256" in result.stderr
    assert not (tmp_path / "media").exists()


@postgres_only
def test_restore_fails_when_what_comes_back_differs_from_the_manifest(round_trip, tmp_path):
    [backup] = complete_sets(round_trip["backup_dir"])
    altered = tmp_path / "backups" / backup.name
    shutil.copytree(backup.path, altered)
    manifest = json.loads((altered / MANIFEST_FILE).read_text())
    manifest["tables"]["public.members_member"] += 1
    manifest["files"][0]["sha256"] = "0" * 64
    (altered / MANIFEST_FILE).write_text(json.dumps(manifest))
    scratch = f"{round_trip['target'].database}_check"
    create_database(scratch)
    try:
        result = round_trip["target"].run(
            "restore", backup.name, "--backup-dir", str(tmp_path / "backups"),
            "--database-url", database_url(scratch), "--media-dir", str(tmp_path / "media"),
            check=False,
        )  # fmt: skip
    finally:
        drop_database(scratch)
    assert result.returncode != 0
    assert "does not match" in result.stderr
    assert "public.members_member" in result.stderr
    assert manifest["files"][0]["name"] in result.stderr


# --- rotation and failures (on the test database itself: the dump sees what is committed) ----


@postgres_only
def test_rotation_keeps_the_newest_sets_and_ignores_half_written_ones(tmp_path, db):
    backup_dir = tmp_path / "backups"
    backup_dir.mkdir()
    (backup_dir / "notes").mkdir()  # not a set: never counted, never deleted
    for hour in range(4):
        create_backup(
            database=connection.settings_dict,
            media_root=tmp_path / "no-media",
            backup_dir=backup_dir,
            keep=2,
            now=datetime(2026, 1, 1, hour, tzinfo=UTC),
        )
    assert [backup.name for backup in complete_sets(backup_dir)] == [
        "unionportal-20260101T020000Z",
        "unionportal-20260101T030000Z",
    ]
    assert (backup_dir / "notes").is_dir()


@pytest.fixture
def failing_pg_dump(tmp_path, monkeypatch):
    """A pg_dump that writes half a file, complains and fails, first on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "pg_dump"
    script.write_text(
        "#!/bin/sh\n"
        'for a in "$@"; do case "$a" in --file=*) echo half > "${a#--file=}";; esac; done\n'
        'echo "pg_dump: error: connection to server lost" >&2\n'
        "exit 1\n"
    )
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")


@postgres_only
def test_a_failing_pg_dump_leaves_no_half_set_and_deletes_nothing(tmp_path, failing_pg_dump, db):
    backup_dir = tmp_path / "backups"
    kept = backup_dir / "unionportal-20250101T000000Z"
    kept.mkdir(parents=True)
    (kept / MANIFEST_FILE).write_text("{}")
    with pytest.raises(BackupError, match="connection to server lost"):
        create_backup(database=connection.settings_dict, media_root=tmp_path / "media", backup_dir=backup_dir, keep=1)
    assert sorted(path.name for path in backup_dir.iterdir() if path.name != ".lock") == [kept.name]


@postgres_only
def test_a_missing_pg_dump_says_how_to_install_it(tmp_path, monkeypatch, db):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(BackupError, match=r"pg_dump.*postgresql-client"):
        create_backup(database=connection.settings_dict, media_root=tmp_path, backup_dir=tmp_path / "b", keep=1)


@postgres_only
def test_a_crashed_backup_is_cleared_by_the_next_one(tmp_path, db):
    backup_dir = tmp_path / "backups"
    crashed = backup_dir / f"{PARTIAL_PREFIX}unionportal-20250101T000000Z"
    crashed.mkdir(parents=True)
    (crashed / "database.dump").write_bytes(b"half")
    create_backup(database=connection.settings_dict, media_root=tmp_path / "media", backup_dir=backup_dir, keep=5)
    assert not crashed.exists()
    assert len(complete_sets(backup_dir)) == 1
