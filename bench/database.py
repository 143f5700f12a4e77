"""The benchmark's own PostgreSQL database: created when missing, dropped only when it is ours to drop."""

from __future__ import annotations

from urllib.parse import urlparse, urlunparse

import psycopg2
from psycopg2 import sql

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/unionportal_bench"


def database_name(url: str) -> str:
    return urlparse(url).path.lstrip("/")


def _maintenance_connection(url: str):
    parts = urlparse(url)
    maintenance = urlunparse(parts._replace(path="/postgres"))
    connection = psycopg2.connect(maintenance)
    connection.autocommit = True
    return connection


def ensure_database(url: str) -> bool:
    """Create the database named in ``url`` if it does not exist; True if it was created."""
    name = database_name(url)
    connection = _maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()


def drop_database(url: str) -> None:
    """Drop the database named in ``url`` (connections to it are ended first)."""
    name = database_name(url)
    connection = _maintenance_connection(url)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    finally:
        connection.close()
