"""The list of CĐCS with a missing or stale workforce declaration reads an index in its own order (dashboard 0014)."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_index_is_there_in_the_lists_order():
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'union_figures_worst_stale'")
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'union_figures_worst_stale'")
        (definition,) = cursor.fetchone()
    assert "declared_on" in definition and "counted" in definition
    if connection.vendor == "postgresql":
        assert "NULLS FIRST" in definition
