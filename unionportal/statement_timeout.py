"""A time limit on each SQL statement of a web request, and on no other work.

A statement stuck behind a lock or a runaway plan held a gunicorn worker until it was
killed after 120 s, and every request queued behind it. Web requests ask for figures that
are kept ready, so 30 s is far above any legitimate statement; the limit turns a stuck one
into a "database unavailable" page (apps.core.views.server_error). Management commands
(migrate, refresh_figures, generate_synthetic, seed_demo) legitimately run long statements
and must not be cut off, so the limit is set by the WSGI entry point (unionportal/wsgi.py),
which only web servers load, and not in settings, which everything loads. It is a startup
parameter of each new connection: no extra query per request.
"""

from __future__ import annotations


def limit_statement_time(databases: dict, seconds: int) -> None:
    """Ask PostgreSQL to cancel any statement of connections opened from now on after ``seconds`` (0: none)."""
    if not seconds:
        return
    for config in databases.values():
        if not config["ENGINE"].endswith("postgresql"):
            continue  # SQLite has no statement timeout; it is the quick-start database.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c statement_timeout={seconds * 1000}".strip()
