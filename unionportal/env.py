"""Typed readers for settings that come from the environment.

Each helper fails loudly (ImproperlyConfigured) on a value it cannot understand,
so a typo in the environment stops the portal at start instead of silently
running with a default.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_str(name: str, default: str = "") -> str:
    """Return the variable as text, or ``default`` when it is unset."""
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    """Return the variable as a boolean; anything but a known spelling is an error."""
    raw = os.environ.get(name)
    # Empty counts as unset, as in env_int and env_database: "DJANGO_SSL_REDIRECT=" (how a
    # compose file passes on an unset variable) must not switch off a setting that defaults on.
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean; use one of: 1/0, true/false, yes/no, on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    """Return the variable as an integer, no smaller than ``minimum`` when one is given."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={raw!r} must be at least {minimum}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated variable as a list of non-empty, stripped items."""
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str, sqlite_path: Path, *, connect_timeout: int = 5) -> dict:
    """Return a Django DATABASES entry from a URL; unset or empty means SQLite at ``sqlite_path``.

    ``connect_timeout`` (seconds, 0 for none) bounds how long opening a PostgreSQL connection
    may take, unless the URL sets its own.
    """
    raw = os.environ.get(name, "").strip()
    if not raw:
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(sqlite_path),
            # Transactions take the write lock when they begin: two requests that read and then
            # write (the dashboard's summary refresh) wait for each other instead of failing
            # with "database is locked" when the second tries to upgrade its lock.
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        }
    scheme = urlparse(raw).scheme
    if scheme not in {"postgres", "postgresql", "sqlite"}:
        raise ImproperlyConfigured(
            f"{name} must be a postgres:// or sqlite:// URL, not {scheme or 'an address without a scheme'}."
        )
    try:
        config = dj_database_url.parse(raw, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} could not be read: {exc}") from exc
    if scheme.startswith("postgres") and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database (postgres://user@host:port/NAME).")
    if scheme.startswith("postgres"):
        # PostgreSQL's JIT compiles a query whose estimated cost is high. The portal's queries
        # are short, and estimates through many joins run wild: refreshing one union's
        # dashboard figures spent a second compiling a plan that runs in 5 ms.
        options = config.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} -c jit=off".strip()
        # Without it a server that accepts the connection and never answers (hung, or a dead
        # host behind a live port) holds the request until gunicorn kills the worker (120 s).
        if connect_timeout:
            options.setdefault("connect_timeout", connect_timeout)
    return config
