"""Big files (issue 12): a 100,000-row member sheet imported as a background job, and 100,000 members exported.

``python -m bench.big_files`` (``make bench`` runs it after the pages, unless ``--skip-big-files``)
works on its own scratch PostgreSQL database, created and migrated here and emptied of
members before each run. Each run:

1. signs in as the district's staff and uploads the sheet through the import page, as
   people do; the page stores the job and queues its check (the file is larger than
   ``IMPORTS_INLINE_MAX_BYTES``), and a real worker (``manage.py db_worker``, started before
   the upload, in its own process) checks it: timed from the upload to "checked";
2. confirms on the job's page: timed from the click to "imported"; the worker's peak RSS
   (``VmHWM`` of its process) is read before it is stopped;
3. exports the district's members from the admin's member list (its download links, the
   member export people use, scoped and neutralised, the same as the import page's), as .xlsx
   and as .csv, each in a fresh process whose peak RSS (``VmHWM``) is reported beside its
   RSS before the export.

``--skip-import`` exports the members an earlier run left in the database (a run without it
fills the database with the sheet's 100,000 members first).

Each figure stands beside the time python-calamine alone takes to read the same file.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/unionportal_bench_import"
KEY = "big-files"
TARGETS = {
    "import": "upload → imported < 60 s, worker < 300 MB",
    "export": "< 10 s, < 250 MB",
}
EXPORT_URL = "/admin/members/member/export/"
EXPORT_FORMATS = ("xlsx", "csv")


def log(message: str) -> None:
    print(message, flush=True)


def rss_mb(pid: int | str = "self", field_name: str = "VmRSS") -> float:
    """A process's resident set (VmRSS) or its high-water mark (VmHWM), in MB, from /proc."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def calamine_seconds(path: Path) -> float:
    """The fastest of three reads of the file's first sheet by python-calamine alone (every cell)."""
    from python_calamine import CalamineWorkbook

    data = path.read_bytes()
    timings = []
    for _run in range(3):
        started = time.perf_counter()
        if path.suffix == ".csv":
            # calamine reads workbooks only; Python's csv module is the plain reader of a CSV.
            import csv

            list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        else:
            CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        timings.append(time.perf_counter() - started)
    return min(timings)


# ---------------------------------------------------------------------------------------
# The import as a background job
# ---------------------------------------------------------------------------------------


@dataclass
class ImportRun:
    preview_s: float
    confirm_s: float
    worker_idle_mb: float
    worker_peak_mb: float
    counts: dict = field(default_factory=dict)
    written: dict = field(default_factory=dict)

    @property
    def total_s(self) -> float:
        return self.preview_s + self.confirm_s


class Worker:
    """``manage.py db_worker`` in its own process, polling every 0.1 s, stopped on leaving."""

    def __init__(self) -> None:
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Worker:
        command = [
            sys.executable,
            str(ROOT / "manage.py"),
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--no-reload",
            "--verbosity",
            "0",
        ]
        self.process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())
        # Ready once Django is set up and the first poll ran: its memory stops growing.
        previous, deadline = -1.0, time.monotonic() + 30
        while time.monotonic() < deadline:
            time.sleep(0.5)
            current = rss_mb(self.process.pid)
            if current and abs(current - previous) < 0.5:
                break
            previous = current
        return self

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def __exit__(self, *exc) -> None:
        assert self.process is not None
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _wait_for(job_id: int, statuses: set[str], timeout: float = 600) -> str:
    from apps.imports.models import ImportJob

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).get()
        if status in statuses:
            return status
        time.sleep(0.05)
    raise TimeoutError(f"import job {job_id} still not in {statuses} after {timeout:.0f} s")


def empty_district(federation) -> None:
    """Remove the members a previous run imported (and what hangs on them), so that each run creates them."""
    from django.db import connection

    from apps.imports.models import ImportJob

    with connection.cursor() as cursor:
        # TRUNCATE … CASCADE empties every table that points at a member (periods, history …).
        cursor.execute("TRUNCATE members_member, members_historicalmember CASCADE")
    ImportJob.objects.filter(federation=federation).delete()


def import_once(user, sheet: bytes) -> ImportRun:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from apps.imports.models import ImportJob

    client = Client()
    client.force_login(user)
    upload_url = reverse("imports:upload", args=["members"])
    with Worker() as worker:
        idle = rss_mb(worker.pid)
        started = time.perf_counter()
        response = client.post(upload_url, {"file": SimpleUploadedFile("ds-100k.xlsx", sheet), "union": ""})
        if response.status_code != 302:
            raise RuntimeError(f"upload answered {response.status_code}")
        job = ImportJob.objects.filter(created_by=user).order_by("-id").first()
        status = _wait_for(job.pk, {"previewed", "refused", "failed"})
        preview_s = time.perf_counter() - started
        job.refresh_from_db()
        if status != "previewed":
            raise RuntimeError(f"the check ended {status}: {job.error}")
        started = time.perf_counter()
        response = client.post(reverse("imports:confirm", args=[job.pk]))
        if response.status_code != 302:
            raise RuntimeError(f"confirm answered {response.status_code}")
        status = _wait_for(job.pk, {"done", "failed", "refused"})
        confirm_s = time.perf_counter() - started
        peak = rss_mb(worker.pid, "VmHWM")
        job.refresh_from_db()
        if status != "done":
            raise RuntimeError(f"the import ended {status}: {job.error}")
    return ImportRun(preview_s, confirm_s, idle, peak, dict(job.counts), dict(job.written))


# ---------------------------------------------------------------------------------------
# The export, in a fresh process each time
# ---------------------------------------------------------------------------------------


def export_child(file_format: str, username: str, output: Path) -> dict:
    """Run in the child: export the user's members through the admin as ``file_format``; figures as a dict."""
    import django

    django.setup()
    from django.test import Client

    from apps.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    before = rss_mb()
    started = time.perf_counter()
    # The list's "Tải .xlsx" / "Tải .csv" links, unfiltered: every member the staff may see.
    response = client.get(EXPORT_URL, {"format": file_format})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    seconds = time.perf_counter() - started
    if response.status_code != 200 or not response.get("Content-Disposition", "").startswith("attachment"):
        raise RuntimeError(f"the export answered {response.status_code} {response.get('Content-Type')}")
    output.write_bytes(content)
    return {
        "seconds": seconds,
        "bytes": len(content),
        "rss_before_mb": before,
        # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec, so a child of the bench (which
        # holds the 100,000-row sheet) reported the bench's own size as its peak.
        "peak_mb": rss_mb("self", "VmHWM"),
    }


@dataclass
class ExportRun:
    file_format: str
    seconds: float
    size_mb: float
    rss_before_mb: float
    peak_mb: float
    rows: int
    calamine_s: float


def export_once(file_format: str, username: str, workdir: Path) -> ExportRun:
    output = workdir / f"export.{file_format}"
    completed = subprocess.run(
        [sys.executable, "-m", "bench.big_files", "--export-child", file_format, username, str(output)],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"the {file_format} export failed:\n{completed.stderr[-3000:]}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    rows = _rows_in(output)
    return ExportRun(
        file_format,
        figures["seconds"],
        figures["bytes"] / 1e6,
        figures["rss_before_mb"],
        figures["peak_mb"],
        rows,
        calamine_seconds(output),
    )


def _rows_in(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    if path.suffix == ".csv":
        return path.read_bytes().count(b"\n") - 1
    return len(CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()) - 1


# ---------------------------------------------------------------------------------------
# The runs and the report
# ---------------------------------------------------------------------------------------


def _spread(values: list[float]) -> tuple[float, float]:
    """Median and nearest-rank p95 (with three runs, the slowest)."""
    from bench.server import percentile

    return statistics.median(values), percentile(values, 0.95)


def run(database_url: str, rows: int, runs: int, workdir: Path, *, skip_import: bool = False) -> dict:
    from bench.database import ensure_database

    ensure_database(database_url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.member_import import district, member_sheet

    started = time.monotonic()
    call_command("migrate", verbosity=0)
    # As a deploy does (README): with debug off, pages link the collected, hashed files.
    call_command("collectstatic", "--noinput", verbosity=0)
    user = district()
    # Staff reach the admin (where the member export is) as the accounts admin makes them.
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    log(f"Big files: {rows:,}-row sheet, {runs} runs, database {connection.settings_dict['NAME']}.")
    sheet = member_sheet(rows)
    sheet_path = workdir / "ds.xlsx"
    sheet_path.write_bytes(sheet)
    calamine_s = calamine_seconds(sheet_path)
    log(f"  sheet {len(sheet) / 1e6:.1f} MB; calamine alone reads it in {calamine_s:.2f} s")
    imports: list[ImportRun] = []
    exports: list[ExportRun] = []
    for number in range(1, runs + 1):
        if skip_import:
            log(f"  run {number}: the members already imported")
        else:
            empty_district(user.federation)
            imports.append(import_once(user, sheet))
            result = imports[-1]
            log(
                f"  run {number}: upload → checked {result.preview_s:.1f} s, "
                f"confirm → imported {result.confirm_s:.1f} s, "
                f"worker peak {result.worker_peak_mb:.0f} MB (idle {result.worker_idle_mb:.0f} MB); {result.written}"
            )
        with connection.cursor() as cursor:
            # What autovacuum does after a bulk load (it is off on the shared benchmark server): without
            # statistics the planner takes 100,000 members for 10,000 and joins them row by row.
            cursor.execute("ANALYZE")
        for file_format in EXPORT_FORMATS:
            exported = export_once(file_format, user.username, workdir)
            exports.append(exported)
            log(
                f"         export {file_format}: {exported.rows:,} rows in {exported.seconds:.1f} s, "
                f"{exported.size_mb:.1f} MB, peak {exported.peak_mb:.0f} MB (before {exported.rss_before_mb:.0f} MB); "
                f"reading it alone {exported.calamine_s:.2f} s"
            )
    return {
        "rows": rows,
        "sheet_mb": len(sheet) / 1e6,
        "calamine_s": calamine_s,
        "imports": imports,
        "exports": exports,
        "vendor": connection.vendor,
        "minutes": (time.monotonic() - started) / 60,
    }


def section(result: dict, commit: str) -> str:
    rows = result["rows"]
    imports: list[ImportRun] = result["imports"]
    calamine = result["calamine_s"]
    lines = [
        f"<!-- bench:begin {KEY} -->",
        f"## Big files: {rows:,} members imported in the background, and exported",
        "",
        f"- run: {time.strftime('%Y-%m-%d %H:%M')}, commit {commit}, {len(imports)} runs, "
        f"{result['vendor']} scratch database, {result['minutes']:.1f} min; machine shared and noisy",
        f"- sheet: {rows:,} rows, {result['sheet_mb']:.1f} MB .xlsx (title row, phones typed as numbers); "
        f"python-calamine alone reads it in {calamine:.2f} s (fastest of 3)",
        "- import: the district's staff upload it on the import page, which queues the check; a worker "
        "(`manage.py db_worker`, its own process, started before the upload) checks it, then imports it "
        "after the confirm click. Times are from the upload (or the click) to the job's new status, read "
        "from the database every 50 ms; peak RSS is the worker's VmHWM.",
        "- export: the admin member list's download (`/admin/members/member/export/?format=…`, the streamed "
        "export shared with the import page), as the district's staff, each "
        "in a fresh process; peak is its VmHWM, beside its RSS before the export. The reader alone is "
        "python-calamine for .xlsx, Python's csv module for .csv.",
        "",
        "| step | runs | median s | max s | ×reader alone (median) | peak RSS MB, median / max | target | met |",
        "|---|--:|--:|--:|--:|--:|---|---|",
    ]
    if imports:
        preview = _spread([r.preview_s for r in imports])
        confirm = _spread([r.confirm_s for r in imports])
        total = _spread([r.total_s for r in imports])
        peak = _spread([r.worker_peak_mb for r in imports])
        met = total[1] < 60 and peak[1] < 300
        lines += [
            f"| upload → checked | {len(imports)} | {preview[0]:.1f} | {preview[1]:.1f} | "
            f"×{preview[0] / calamine:.0f} | | | |",
            f"| confirm → imported | {len(imports)} | {confirm[0]:.1f} | {confirm[1]:.1f} | "
            f"×{confirm[0] / calamine:.0f} | | | |",
            f"| import, both steps | {len(imports)} | {total[0]:.1f} | {total[1]:.1f} | ×{total[0] / calamine:.0f} | "
            f"{peak[0]:.0f} / {peak[1]:.0f} (idle {statistics.median(r.worker_idle_mb for r in imports):.0f}) | "
            f"{TARGETS['import']} | {'yes' if met else '**no**'} |",
        ]
    else:
        lines.append("| import | 0 | — | — | — | — | " + TARGETS["import"] + " | not run |")
    for file_format in EXPORT_FORMATS:
        runs = [e for e in result["exports"] if e.file_format == file_format]
        seconds = _spread([e.seconds for e in runs])
        peaks = _spread([e.peak_mb for e in runs])
        reader = statistics.median(e.calamine_s for e in runs)
        met = seconds[1] < 10 and peaks[1] < 250
        lines.append(
            f"| export {runs[0].rows:,} members, .{file_format} ({runs[0].size_mb:.1f} MB) | {len(runs)} | "
            f"{seconds[0]:.1f} | {seconds[1]:.1f} | ×{seconds[0] / reader:.0f} (reader {reader:.2f} s) | "
            f"{peaks[0]:.0f} / {peaks[1]:.0f} (before {statistics.median(e.rss_before_mb for e in runs):.0f}) | "
            f"{TARGETS['export']} | {'yes' if met else '**no**'} |"
        )
    lines += ["", f"<!-- bench:end {KEY} -->"]
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.big_files",
        description="A 100,000-row member import as a background job, and the export of 100,000 members.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_BIG_FILES_DATABASE_URL", DEFAULT_URL),
        help="scratch PostgreSQL database (created if missing; its members are deleted before each run)",
    )
    parser.add_argument("--rows", type=int, default=100_000, help="rows of the sheet, members exported")
    parser.add_argument("--runs", type=int, default=3, help="runs of the import and of each export")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "PERFORMANCE.md", help="report to update")
    parser.add_argument(
        "--skip-import", action="store_true", help="export the members a previous run imported, without importing"
    )
    parser.add_argument("--export-child", nargs=3, metavar=("FORMAT", "USER", "PATH"), help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.export_child:
        file_format, username, output = args.export_child
        print(json.dumps(export_child(file_format, username, Path(output))))
        return 0
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark runs on PostgreSQL: give a postgres:// URL.")
    from bench.__main__ import configure_environment

    configure_environment(args.database_url)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="bench-big-files-") as workdir:
        result = run(args.database_url, args.rows, args.runs, Path(workdir), skip_import=args.skip_import)
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    from bench import report

    report.write(args.output, KEY, section(result, commit or "?"))
    log(f"Big files done in {result['minutes']:.1f} min; figures in {args.output}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
