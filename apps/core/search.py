"""Accent-insensitive search that behaves the same on PostgreSQL and SQLite.

Searchable models keep a folded copy of their names (``fold``: lower case, no
diacritics); the query is folded the same way, so "nguyen van an" finds "Nguyễn Văn An".
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from apps.core.text import fold


def folded_search(queryset: QuerySet, query: str, fields: Sequence[str]) -> QuerySet:
    """Rows where every word of ``query`` occurs in one of the folded ``fields``."""
    condition = Q()
    for word in fold(query).split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__contains": word})
        condition &= any_field
    return queryset.filter(condition)
