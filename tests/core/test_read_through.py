"""apps.core.db.read_through: every row, in order, with the planner told so only for the cursor's declaration."""

from __future__ import annotations

import pytest
from django.db import connection

from apps.core.db import read_through
from apps.unions.models import Sector


@pytest.fixture(autouse=True)
def sectors(db):
    for number in range(5):
        Sector.objects.get_or_create(code=f"khoi-{number}", defaults={"name": f"Khối {number}"})


def cursor_tuple_fraction() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        return cursor.fetchone()[0]


def test_every_row_is_read_in_order_in_small_chunks():
    rows = Sector.objects.order_by("code").values_list("code", flat=True)
    assert list(read_through(rows, 2)) == list(rows)
    assert len(list(rows)) > 2


def test_nothing_to_read_reads_nothing():
    assert list(read_through(Sector.objects.none(), 2)) == []
    assert list(read_through(Sector.objects.filter(code="không có"), 2)) == []


def test_the_planner_setting_is_reset_once_the_cursor_is_declared():
    if connection.vendor != "postgresql":
        # SQLite has no server-side cursors and nothing to tell its planner: the rows alone.
        assert list(read_through(Sector.objects.all(), 2))
        return
    before = cursor_tuple_fraction()
    rows = read_through(Sector.objects.order_by("code").values_list("code", flat=True), 2)
    next(rows)
    assert cursor_tuple_fraction() == before
    assert list(rows)
