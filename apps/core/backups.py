"""Backup sets: a PostgreSQL dump and the uploaded files, taken together, restored together.

A set is one directory ``unionportal-<UTC time>`` under the backup directory holding
``database.dump`` (``pg_dump -Fc``), ``media.tar`` (every file under MEDIA_ROOT) and
``manifest.json`` (what is in them, with sizes, SHA-256 and every table's row count).
docs/BACKUPS.md explains it for the operator; this module is what ``manage.py backup``
and ``manage.py restore`` call.

The dump and the row counts come from one exported snapshot (``pg_export_snapshot`` and
``pg_dump --snapshot``), so the counts in the manifest are exactly what the dump holds and a
restore can prove it got every row back. The files are archived after the snapshot: a file
the dump refers to was already stored (uploads are written before their row is committed)
and files are never rewritten in place, so only a document deleted in the seconds between
the two can be missing; the manifest lists any such file under ``missing_files``.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
import psycopg2.extensions
from django.apps import apps
from django.db import models
from django.db.migrations.loader import MigrationLoader

SET_PREFIX = "unionportal-"
SET_NAME = re.compile(r"^unionportal-\d{8}T\d{6}Z$")
PARTIAL_PREFIX = ".partial-"
DUMP_FILE = "database.dump"
MEDIA_FILE = "media.tar"
MANIFEST_FILE = "manifest.json"
MANIFEST_FORMAT = 1

# libpq's connection parameters and the environment variables pg_dump and pg_restore read them
# from: the password travels in the environment, never on a command line others can list.
LIBPQ_ENVIRONMENT = {
    "host": "PGHOST",
    "port": "PGPORT",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "dbname": "PGDATABASE",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
    "application_name": "PGAPPNAME",
}

# Every table of the database except PostgreSQL's own: what pg_dump dumps.
USER_TABLES_SQL = """
    SELECT n.nspname, c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p')
      AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
    ORDER BY n.nspname, c.relname
"""


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass(frozen=True)
class BackupSet:
    """A complete set on disk: its directory and its manifest."""

    path: Path
    manifest: dict

    @property
    def name(self) -> str:
        return self.path.name


def libpq_params_from_settings(database: dict) -> dict[str, str]:
    """The libpq parameters of a Django DATABASES entry; refuses anything but PostgreSQL."""
    if not database["ENGINE"].endswith("postgresql"):
        raise BackupError(
            "Sao lưu chỉ hỗ trợ PostgreSQL (backups need PostgreSQL): cơ sở dữ liệu SQLite của bản chạy thử "
            "không được sao lưu bằng lệnh này. Đặt DATABASE_URL=postgres://… như docs/DEPLOY.md hướng dẫn."
        )
    params = {
        "dbname": database.get("NAME") or "",
        "user": database.get("USER") or "",
        "password": database.get("PASSWORD") or "",
        "host": database.get("HOST") or "",
        "port": str(database.get("PORT") or ""),
    }
    for key, value in (database.get("OPTIONS") or {}).items():
        if key in LIBPQ_ENVIRONMENT:
            params[key] = str(value)
    return {key: value for key, value in params.items() if value}


def libpq_params_from_url(url: str) -> dict[str, str]:
    """The libpq parameters of a postgres:// URL (the restore's --database-url)."""
    try:
        params = psycopg2.extensions.parse_dsn(url)
    except psycopg2.ProgrammingError as exc:
        raise BackupError(f"--database-url không đọc được (cannot be read): {exc}") from None
    if not params.get("dbname"):
        raise BackupError("--database-url không nêu tên cơ sở dữ liệu (names no database): postgres://user@host/NAME")
    return {key: value for key, value in params.items() if key in LIBPQ_ENVIRONMENT}


def libpq_environment(params: dict[str, str]) -> dict[str, str]:
    """This process's environment with the connection given as PG* variables, for pg_dump and pg_restore.

    What the parameters do not say is left to libpq as usual (PGPASSWORD, ~/.pgpass, PGSSLMODE …),
    as it is for psycopg2's own connections here.
    """
    environment = dict(os.environ)
    for key, value in params.items():
        environment[LIBPQ_ENVIRONMENT[key]] = value
    return environment


def find_program(name: str) -> str:
    """The path of a PostgreSQL client program, or a BackupError that says how to install it."""
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"Không tìm thấy {name} (not found on PATH). Cài gói postgresql-client cùng phiên bản "
            f"với máy chủ PostgreSQL (apt-get install postgresql-client) rồi chạy lại."
        )
    return path


def run_program(arguments: list[str], params: dict[str, str], what: str) -> str:
    """Run a PostgreSQL client program; its standard error becomes the BackupError when it fails."""
    result = subprocess.run(arguments, env=libpq_environment(params), capture_output=True, text=True, check=False)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip() or f"exit status {result.returncode}"
        raise BackupError(f"{what} thất bại (failed): {detail}")
    return result.stdout


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def table_row_counts(cursor) -> dict[str, int]:
    """Rows of every table, as ``schema.table``: the restore must find the same."""
    cursor.execute(USER_TABLES_SQL)
    counts = {}
    for schema, table in cursor.fetchall():
        quoted = f'"{schema}"."{table}"'
        cursor.execute(f"SELECT count(*) FROM {quoted}")  # names from the catalogue, quoted
        counts[f"{schema}.{table}"] = cursor.fetchone()[0]
    return counts


def last_migrations(cursor) -> dict[str, str]:
    """The last migration applied per app: what code the dump belongs with."""
    cursor.execute("SELECT app, max(name) FROM django_migrations GROUP BY app ORDER BY app")
    return dict(cursor.fetchall())


def stored_file_names(cursor) -> set[str]:
    """Every file name a FileField of the portal holds in the database (from the dump's snapshot)."""
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                table, column = model._meta.db_table, field.column
                cursor.execute(f'SELECT DISTINCT "{column}" FROM "{table}" WHERE "{column}" <> \'\'')
                names.update(row[0] for row in cursor.fetchall())
    return names


def media_files(media_root: Path) -> Iterator[tuple[str, Path]]:
    """(name relative to MEDIA_ROOT, path) of every regular file under it, in a stable order."""
    if not media_root.is_dir():
        return
    for directory, subdirectories, files in os.walk(media_root):
        subdirectories.sort()
        for file in sorted(files):
            path = Path(directory) / file
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(media_root).as_posix(), path


def complete_sets(backup_dir: Path) -> list[BackupSet]:
    """The complete sets, oldest first; a half-written one (never renamed into place) is not among them."""
    if not backup_dir.is_dir():
        return []
    found = []
    for path in sorted(backup_dir.iterdir()):
        manifest_path = path / MANIFEST_FILE
        if path.is_dir() and SET_NAME.match(path.name) and manifest_path.is_file():
            found.append(BackupSet(path, json.loads(manifest_path.read_text(encoding="utf-8"))))
    return found


@contextmanager
def backup_lock(backup_dir: Path) -> Iterator[None]:
    """One backup at a time per directory (a timer firing while a manual run is going)."""
    with (backup_dir / ".lock").open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                f"Đang có một lần sao lưu khác chạy vào {backup_dir} (another backup is running)."
            ) from None
        yield


def create_backup(
    *,
    database: dict,
    media_root: Path,
    backup_dir: Path,
    keep: int,
    now: datetime | None = None,
    say: Callable[[str], None] = lambda line: None,
) -> BackupSet:
    """Write a new set, verify it, then delete all but the newest ``keep`` sets."""
    if keep < 1:
        raise BackupError("--keep phải từ 1 trở lên (must be at least 1).")
    params = libpq_params_from_settings(database)
    pg_dump, pg_restore = find_program("pg_dump"), find_program("pg_restore")
    backup_dir.mkdir(parents=True, exist_ok=True)
    name = SET_PREFIX + (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    final = backup_dir / name
    if final.exists():
        raise BackupError(f"Bộ sao lưu {name} đã có (already exists); chờ một giây rồi chạy lại.")
    with backup_lock(backup_dir):
        # Under the lock, a partial directory is what a crashed run left behind.
        for leftover in backup_dir.glob(PARTIAL_PREFIX + "*"):
            shutil.rmtree(leftover, ignore_errors=True)
        partial = backup_dir / (PARTIAL_PREFIX + name)
        partial.mkdir()
        try:
            manifest = _write_set(partial, params, pg_dump, pg_restore, media_root, name, say)
            os.rename(partial, final)
            _fsync_directory(backup_dir)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        new_set = BackupSet(final, manifest)
        for old in complete_sets(backup_dir)[:-keep]:
            say(f"Xoá bộ cũ (rotation): {old.name}")
            shutil.rmtree(old.path)
    return new_set


def _write_set(
    partial: Path,
    params: dict[str, str],
    pg_dump: str,
    pg_restore: str,
    media_root: Path,
    name: str,
    say: Callable[[str], None],
) -> dict:
    dump_path = partial / DUMP_FILE
    try:
        connection = psycopg2.connect(**params)
    except psycopg2.Error as exc:
        raise BackupError(f"Không kết nối được cơ sở dữ liệu (cannot connect): {str(exc).strip()}") from None
    try:
        connection.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot(), now()")
            snapshot, taken_at = cursor.fetchone()
            say(f"Đang sao lưu cơ sở dữ liệu {params['dbname']} (pg_dump -Fc)…")
            # The transaction stays open until pg_dump is done: the snapshot lives as long as it.
            run_program(
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={dump_path}"], params, "pg_dump"
            )
            row_counts = table_row_counts(cursor)
            migrations = last_migrations(cursor)
            referenced_files = stored_file_names(cursor)
    finally:
        connection.close()
    run_program([pg_restore, "--list", str(dump_path)], params, "pg_restore --list (kiểm tra bản dump)")
    version = run_program([pg_dump, "--version"], params, "pg_dump --version").strip()

    say(f"Đang lưu các tệp tải lên từ {media_root}…")
    files = []
    with tarfile.open(partial / MEDIA_FILE, "w", format=tarfile.PAX_FORMAT) as archive:
        for relative, path in media_files(media_root):
            files.append({"name": relative, "size": path.stat().st_size, "sha256": sha256_of(path)})
            archive.add(path, arcname=relative, recursive=False)
    archived = {file["name"] for file in files}
    manifest = {
        "format": MANIFEST_FORMAT,
        "name": name,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "snapshot_taken_at": taken_at.isoformat(),
        "database": params["dbname"],
        "pg_dump_version": version,
        "migrations": migrations,
        "tables": row_counts,
        "database_dump": {"file": DUMP_FILE, "size": dump_path.stat().st_size, "sha256": sha256_of(dump_path)},
        "media_archive": {"file": MEDIA_FILE, "size": (partial / MEDIA_FILE).stat().st_size},
        "files": files,
        # Referred to by a row of the dump but gone from MEDIA_ROOT when the files were archived.
        "missing_files": sorted(referenced_files - archived),
    }
    manifest_path = partial / MANIFEST_FILE
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    for written in (dump_path, partial / MEDIA_FILE, manifest_path):
        with written.open("rb") as stream:
            os.fsync(stream.fileno())
    return manifest


def _fsync_directory(directory: Path) -> None:
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def find_set(backup_dir: Path, name_or_path: str) -> BackupSet:
    """A set named by its directory name (in the backup directory), by its path, or ``latest``."""
    if name_or_path == "latest":
        sets = complete_sets(backup_dir)
        if not sets:
            raise BackupError(f"Chưa có bộ sao lưu nào trong {backup_dir} (no backup set).")
        return sets[-1]
    path = Path(name_or_path)
    if not path.is_absolute() and not path.exists():
        path = backup_dir / name_or_path
    manifest_path = path / MANIFEST_FILE
    if not manifest_path.is_file():
        raise BackupError(f"{path} không phải là một bộ sao lưu đầy đủ (no {MANIFEST_FILE}: not a complete set).")
    return BackupSet(path, json.loads(manifest_path.read_text(encoding="utf-8")))


def migrations_unknown_here(manifest: dict) -> list[str]:
    """The set's last migrations that this code does not have: the set comes from a newer version."""
    known = MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    return [f"{app}.{name}" for app, name in sorted(manifest["migrations"].items()) if (app, name) not in known]


def restore_backup(
    backup: BackupSet,
    *,
    params: dict[str, str],
    media_root: Path,
    say: Callable[[str], None] = lambda line: None,
) -> None:
    """Bring a set back into an empty database and an empty media directory, and prove it complete."""
    pg_restore = find_program("pg_restore")
    manifest = backup.manifest
    dump_path = backup.path / manifest["database_dump"]["file"]
    say(f"Kiểm tra bản dump {dump_path} (SHA-256)…")
    if not dump_path.is_file() or sha256_of(dump_path) != manifest["database_dump"]["sha256"]:
        raise BackupError(f"{dump_path} thiếu hoặc hỏng: SHA-256 khác manifest (missing or damaged).")
    _refuse_non_empty_media(media_root)
    _refuse_non_empty_database(params)

    say(f"Khôi phục cơ sở dữ liệu vào {params['dbname']} (pg_restore)…")
    # One transaction: a restore that fails leaves the database empty again, ready for a retry.
    run_program(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={params['dbname']}", str(dump_path)],
        params,
        "pg_restore",
    )  # fmt: skip
    say(f"Giải nén các tệp tải lên vào {media_root}…")
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(backup.path / manifest["media_archive"]["file"]) as archive:
        # The "data" filter refuses absolute names, "..", links out of the directory and device files.
        archive.extractall(media_root, filter="data")

    say("Đối chiếu với manifest (số dòng từng bảng, SHA-256 từng tệp)…")
    problems = _compare_files(media_root, manifest["files"]) + _compare_row_counts(params, manifest["tables"])
    if problems:
        raise BackupError("Khôi phục xong nhưng KHÔNG khớp manifest (does not match):\n  " + "\n  ".join(problems))


def _refuse_non_empty_media(media_root: Path) -> None:
    if media_root.exists() and any(media_root.iterdir()):
        raise BackupError(
            f"Thư mục tệp {media_root} không trống (not empty). Khôi phục chỉ vào thư mục trống: "
            f"đổi tên thư mục cũ (mv {media_root} {media_root}.old) hoặc chọn --media-dir khác."
        )


def _refuse_non_empty_database(params: dict[str, str]) -> None:
    try:
        connection = psycopg2.connect(**params)
    except psycopg2.Error as exc:
        raise BackupError(
            f"Không kết nối được cơ sở dữ liệu đích (cannot connect to the target): {str(exc).strip()}"
        ) from None
    try:
        with connection.cursor() as cursor:
            cursor.execute(USER_TABLES_SQL)
            tables = cursor.fetchall()
    finally:
        connection.close()
    if tables:
        name = params["dbname"]
        raise BackupError(
            f"Cơ sở dữ liệu {name} đã có {len(tables)} bảng (is not empty). Khôi phục chỉ vào cơ sở dữ liệu trống; "
            f"tạo một cơ sở dữ liệu mới, ví dụ:\n"
            f"  sudo -u postgres createdb --owner=<vai trò của cổng> --template=template0 --encoding=UTF8 \\\n"
            f"      {name}_restored\n"
            f"rồi chạy lại với --database-url postgres://<vai trò>@<máy>/{name}_restored "
            f"(hoặc đặt DATABASE_URL tới nó)."
        )


def _compare_files(media_root: Path, expected: list[dict]) -> list[str]:
    problems = []
    found = dict(media_files(media_root))
    for file in expected:
        path = found.pop(file["name"], None)
        if path is None:
            problems.append(f"tệp thiếu (missing file): {file['name']}")
        elif path.stat().st_size != file["size"] or sha256_of(path) != file["sha256"]:
            problems.append(f"tệp khác (different file): {file['name']}")
    problems.extend(f"tệp thừa (unexpected file): {name}" for name in sorted(found))
    return problems


def _compare_row_counts(params: dict[str, str], expected: dict[str, int]) -> list[str]:
    connection = psycopg2.connect(**params)
    try:
        with connection.cursor() as cursor:
            found = table_row_counts(cursor)
    finally:
        connection.close()
    problems = [
        f"bảng {table}: {found.get(table, 'không có')} dòng, manifest {count}"
        for table, count in expected.items()
        if found.get(table) != count
    ]
    problems.extend(f"bảng thừa (unexpected table): {table}" for table in sorted(set(found) - set(expected)))
    return problems
