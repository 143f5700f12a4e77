"""Database-level rules that Django's constraints cannot express, for PostgreSQL and SQLite."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import islice
from typing import Any

from django.db import connection, connections, migrations, models


def same_union_trigger(*, name: str, table: str, fk_column: str, parent_table: str, message: str):
    """A migration operation: ``table.fk_column`` must point at a ``parent_table`` row of the same union.

    Both tables carry ``union_id``. Imports, scripts and bulk writes skip ``clean()``;
    this keeps the rule true for them too.
    """
    check = (
        f"NEW.{fk_column} IS NOT NULL AND NOT EXISTS "
        f"(SELECT 1 FROM {parent_table} p WHERE p.id = NEW.{fk_column} AND p.union_id = NEW.union_id)"
    )
    quoted = message.replace("'", "''")

    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger AS $$
                BEGIN
                    IF {check} THEN
                        RAISE EXCEPTION '{quoted}' USING ERRCODE = '23514';
                    END IF;
                    RETURN NEW;
                END $$ LANGUAGE plpgsql;
                """
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE INSERT OR UPDATE OF {fk_column}, union_id ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}_fn();"
            )
        elif vendor == "sqlite":
            for event, suffix in (("INSERT", "ins"), (f"UPDATE OF {fk_column}, union_id", "upd")):
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{suffix} BEFORE {event} ON {table} FOR EACH ROW "
                    f"WHEN {check} BEGIN SELECT RAISE(ABORT, '{quoted}'); END;"
                )
        else:
            raise NotImplementedError(f"No same-union trigger for the {vendor} database.")

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}_fn();")
        else:
            for suffix in ("ins", "upd"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix};")

    return migrations.RunPython(forwards, backwards)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys the database has never given and never will, for rows written with their ids.

    Bulk loads that need an id before the row exists (a member's card number is made
    from it) take them here rather than guess from the largest id in the table.
    """
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        if connection.vendor != "sqlite":
            raise NotImplementedError(f"No id reservation for the {connection.vendor} database.")
        # An AUTOINCREMENT table: the next id is past both the largest and the last one ever given
        # (its counter in sqlite_sequence); moving the counter past the reserved ids keeps them ours.
        cursor.execute(f"SELECT MAX({connection.ops.quote_name(column)}) FROM {connection.ops.quote_name(table)}")
        largest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(largest, row[0] if row else 0) + 1
        last = first + count - 1
        if row:
            cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [last, table])
        else:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, last])
        return list(range(first, last + 1))


# Field types whose Python values COPY's text format takes as they are (see _copy_text).
_COPIED_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "DateField",
    "DateTimeField",
    "EmailField",
    "ForeignKey",
    "IntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SlugField",
    "SmallIntegerField",
    "TextField",
}
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_ESCAPED = "\\\t\n\r"
# Rows sent by one COPY: bounds the text held in memory at once.
COPY_CHUNK = 10_000


_NULL = "\\N"


def _copy_text(value: Any) -> str:
    if value is None:
        return _NULL
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, date):  # datetimes too: ISO 8601, with the offset of an aware one
        return value.isoformat()
    return str(value)


def _column_text(values: Sequence[Any]) -> list[str]:
    """``_copy_text`` of each value of one column of a chunk, the conversion picked once by the column's type.

    A sheet of 100,000 members sends 4.4 million values; a function call and a chain of type
    tests for each was about a tenth of the import's write. Each comprehension below does inline
    what ``_copy_text`` does for one exact type; other and mixed columns go value by value.
    """
    kinds = {value.__class__ for value in values}
    kinds.discard(type(None))
    if len(kinds) != 1:
        return [_copy_text(value) for value in values]
    (kind,) = kinds
    if kind is str:
        # Escaping is rare and str.translate slow on Vietnamese text: one scan of the column says if any is needed.
        joined = "\0".join(value for value in values if value is not None)
        if any(character in joined for character in _ESCAPED):
            escapes = _COPY_ESCAPES
            return [_NULL if value is None else value.translate(escapes) for value in values]
        return [_NULL if value is None else value for value in values]
    if kind is int:
        return [_NULL if value is None else str(value) for value in values]
    if kind is bool:
        return [_NULL if value is None else ("t" if value else "f") for value in values]
    if kind is date or kind is datetime:
        # A column of dates repeats itself (every row's created_at is one moment): each written once.
        texts = {value: _NULL if value is None else value.isoformat() for value in set(values)}
        return [texts[value] for value in values]
    return [_copy_text(value) for value in values]


def _copy_chunk(rows: Sequence[Sequence[Any]], width: int) -> str:
    """The COPY text of ``rows``, each of ``width`` values: converted a column at a time, then joined row by row."""
    columns = [_column_text(column) for column in zip(*rows, strict=True)]
    if len(columns) != width:
        raise ValueError(f"COPY: rows of {len(columns)} values for {width} columns.")
    return "".join(line + "\n" for line in map("\t".join, zip(*columns, strict=True)))


def copy_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write ``rows`` (values in ``columns``' order) into ``table`` with PostgreSQL's COPY, a chunk at a time.

    Triggers fire as for INSERT; constraints are checked. Values must be plain Python
    values of the types in ``_COPIED_AS_IS`` (``insert_objects`` checks that).
    """
    quote = connection.ops.quote_name
    statement = f"COPY {quote(table)} ({', '.join(quote(column) for column in columns)}) FROM STDIN"
    rows = iter(rows)
    with connection.cursor() as cursor:
        while chunk := list(islice(rows, COPY_CHUNK)):
            # As Django's execute() does: the driver's errors become django.db's (IntegrityError …).
            with connection.wrap_database_errors:
                cursor.copy_expert(statement, io.StringIO(_copy_chunk(chunk, len(columns))))


def _copyable(model: type[models.Model]) -> bool:
    return connection.vendor == "postgresql" and all(
        field.get_internal_type() in _COPIED_AS_IS for field in model._meta.concrete_fields
    )


def insert_objects(model: type[models.Model], objects: Sequence[models.Model]) -> None:
    """Insert new ``objects`` as ``bulk_create`` does (no ``save()``, no signals), by COPY on PostgreSQL.

    Every object has its id afterwards: those without one get theirs from the table's
    sequence first. ``auto_now``/``auto_now_add`` fields are filled as ``save()`` would.
    A sheet of 100,000 new members spent most of its write in ``bulk_create``'s SQL
    compilation (one placeholder per value); COPY sends plain text instead.
    """
    if not objects:
        return
    if not _copyable(model):
        model._default_manager.bulk_create(objects, batch_size=500)
        return
    without_id = [obj for obj in objects if obj.pk is None]
    for obj, pk in zip(without_id, reserve_ids(model, len(without_id)), strict=True):
        obj.pk = pk
    fields = model._meta.concrete_fields
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objects:
                field.pre_save(obj, add=True)
    attnames = [field.attname for field in fields]
    copy_rows(
        model._meta.db_table,
        [field.column for field in fields],
        ([getattr(obj, attname) for attname in attnames] for obj in objects),
    )
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias


def copy_or_insert(model: type[models.Model], attnames: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert ``rows`` (values of ``attnames``; other fields get their defaults, the id its sequence's) without
    model instances: by COPY on PostgreSQL, elsewhere as model instances through ``bulk_create``.

    Fields with ``auto_now``/``auto_now_add`` must be among ``attnames``.
    """
    if not rows:
        return
    if _copyable(model):
        given = set(attnames)
        defaulted = [
            field for field in model._meta.concrete_fields if field.attname not in given and not field.primary_key
        ]
        defaults = [field.get_default() for field in defaulted]
        columns = [model._meta.get_field(attname).column for attname in attnames]
        copy_rows(
            model._meta.db_table,
            [*columns, *(field.column for field in defaulted)],
            ([*row, *defaults] for row in rows),
        )
        return
    model._default_manager.bulk_create([model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=500)


def vietnamese_order(*fields: str, connection=None) -> list:
    """Order by ``fields`` the Vietnamese way (a < ă < â …) where the database can.

    PostgreSQL has ICU's "vi-x-icu" collation; SQLite orders by code point.
    """
    from django.db import connection as default_connection
    from django.db.models import F
    from django.db.models.functions import Collate

    conn = connection or default_connection
    if conn.vendor == "postgresql":
        return [Collate(F(name), "vi-x-icu").asc() for name in fields]
    return [F(name).asc() for name in fields]


def postgresql_only(sql: str, reverse_sql: str):
    """A migration operation that runs ``sql`` on PostgreSQL and nothing elsewhere."""

    def forwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    def backwards(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(reverse_sql)

    return migrations.RunPython(forwards, backwards)


def note_changes_trigger(*, name: str, table: str, note: str, watched: tuple[str, ...] = ()):
    """A migration operation: after each insert, delete or update of ``table``, run ``note`` per changed row.

    ``note`` is an INSERT … SELECT statement in which ``{row}`` stands for the row (NEW,
    or OLD as it was); it runs for the old row and for the new one. With ``watched``,
    an update counts only when one of those columns changed value.
    """

    def statement(row: str) -> str:
        return note.format(row=row)

    def forwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            changed = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column in watched)
            schema_editor.execute(
                f"""
                CREATE OR REPLACE FUNCTION {name}_fn() RETURNS trigger AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN {statement("OLD")}; END IF;
                    IF TG_OP <> 'DELETE' THEN {statement("NEW")}; END IF;
                    RETURN NULL;
                END $$ LANGUAGE plpgsql;
                """
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn();"
            )
            update_of = f" OF {', '.join(watched)}" if watched else ""
            when = f" WHEN ({changed})" if watched else ""
            schema_editor.execute(
                f"CREATE TRIGGER {name}_upd AFTER UPDATE{update_of} ON {table} "
                f"FOR EACH ROW{when} EXECUTE FUNCTION {name}_fn();"
            )
        elif vendor == "sqlite":
            changed = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in watched)
            update_of = f" OF {', '.join(watched)}" if watched else ""
            when = f" WHEN {changed}" if watched else ""
            for suffix, event, body in (
                ("ins", "INSERT", statement("NEW")),
                ("del", "DELETE", statement("OLD")),
                ("upd", f"UPDATE{update_of}", f"{statement('OLD')}; {statement('NEW')}"),
            ):
                schema_editor.execute(
                    f"CREATE TRIGGER {name}_{suffix} AFTER {event} ON {table} FOR EACH ROW"
                    f"{when if suffix == 'upd' else ''} BEGIN {body}; END;"
                )
        else:
            raise NotImplementedError(f"No change-noting trigger for the {vendor} database.")

    def backwards(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table};")
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_upd ON {table};")
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}_fn();")
        else:
            for suffix in ("ins", "del", "upd"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_{suffix};")

    return migrations.RunPython(forwards, backwards)


def note_inserts_per_statement(*, name: str, table: str, select: str):
    """A migration operation, PostgreSQL only: ``note_changes_trigger``'s notes of inserts, once per statement.

    The row trigger ``name`` then fires for deletes only, and ``{name}_ins`` notes what a
    whole INSERT or COPY added: ``select`` gives (union_id, since) pairs from the inserted
    rows, a relation named ``inserted``, and each CĐCS is noted once with its earliest day
    (all the reader keeps of its notes). A sheet of 100,000 new members wrote 200,000
    notes row by row, each with its own query; now one statement writes one note a CĐCS.
    """
    statement_fn = f"""
        CREATE OR REPLACE FUNCTION {name}_ins_fn() RETURNS trigger AS $$
        BEGIN
            INSERT INTO dashboard_pendingfigureschange (union_id, since)
            SELECT noted.union_id, MIN(noted.since) FROM ({select}) AS noted (union_id, since)
            GROUP BY noted.union_id;
            RETURN NULL;
        END $$ LANGUAGE plpgsql;
    """
    forwards = [
        f"DROP TRIGGER {name} ON {table};",
        f"CREATE TRIGGER {name} AFTER DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn();",
        statement_fn,
        f"CREATE TRIGGER {name}_ins AFTER INSERT ON {table} REFERENCING NEW TABLE AS inserted "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {name}_ins_fn();",
    ]
    backwards = [
        f"DROP TRIGGER IF EXISTS {name}_ins ON {table};",
        f"DROP FUNCTION IF EXISTS {name}_ins_fn();",
        f"DROP TRIGGER {name} ON {table};",
        f"CREATE TRIGGER {name} AFTER INSERT OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_fn();",
    ]
    return postgresql_only("\n".join(forwards), "\n".join(backwards))


def add_column_in_place(*, model_name: str, field_name: str, field, table: str, column_sql: str):
    """A migration operation: AddField as one ALTER TABLE … ADD COLUMN, on SQLite too.

    SQLite's AddField of a NOT NULL column rebuilds the table (copy, drop, rename), which
    drops the table's triggers and fails on other tables' triggers that name it.
    ``column_sql`` is the column's type, constraint and default, valid on both databases.
    """
    return migrations.SeparateDatabaseAndState(
        state_operations=[migrations.AddField(model_name=model_name, name=field_name, field=field)],
        database_operations=[
            migrations.RunSQL(
                f"ALTER TABLE {table} ADD COLUMN {field_name} {column_sql}",
                f"ALTER TABLE {table} DROP COLUMN {field_name}",
            )
        ],
    )


def fill_folded_copy(*, app_label: str, model_name: str, source: str = "name", target: str = "search_name"):
    """A migration operation: fill a new folded search column from the rows already there.

    Models keep the column on save; rows written before it existed get it here, in batches.
    """

    def forwards(apps, schema_editor):
        from apps.core.text import fold

        model = apps.get_model(app_label, model_name)
        rows = model._base_manager.using(schema_editor.connection.alias).only("pk", source).order_by("pk")
        batch = []
        for row in rows.iterator(chunk_size=2000):
            setattr(row, target, fold(getattr(row, source)))
            batch.append(row)
            if len(batch) == 2000:
                model._base_manager.bulk_update(batch, [target])
                batch = []
        model._base_manager.bulk_update(batch, [target])

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)


def read_through(rows: models.QuerySet, chunk_size: int) -> Iterator:
    """``rows.iterator(chunk_size)``, planned for reading every row rather than the first few.

    PostgreSQL plans a server-side cursor for its first tenth (``cursor_tuple_fraction``): an
    export of a sector's 43,000 active members out of a million walked the list's order index
    and read each row from the table in that order (2.1 s) where sorting them took 0.25 s. The
    setting holds for the cursor's DECLARE only, the first fetch, and is reset at once.
    """
    found = rows.iterator(chunk_size=chunk_size)
    on_postgresql = connections[rows.db].vendor == "postgresql"
    if on_postgresql:
        with connections[rows.db].cursor() as cursor:
            cursor.execute("SET cursor_tuple_fraction = 1.0")
    try:
        first = next(found, _NOTHING)
    finally:
        if on_postgresql:
            with connections[rows.db].cursor() as cursor:
                cursor.execute("RESET cursor_tuple_fraction")
    if first is _NOTHING:
        return
    yield first
    yield from found


_NOTHING = object()
