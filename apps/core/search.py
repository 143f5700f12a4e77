"""Accent-insensitive search that behaves the same on PostgreSQL and SQLite.

Searchable models keep a folded copy of their names (``fold``: lower case, no
diacritics); the query is folded the same way, so "nguyen van an" finds "Nguyễn Văn An".
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Q, QuerySet

from apps.core.text import fold

# Each word becomes one more condition in the WHERE clause, and SQLite refuses a query whose
# expression tree is deeper than 1,000 ("Expression tree is too large"): a pasted paragraph
# answered a 500. Nobody searches for more than a few words of a name.
MAX_SEARCH_WORDS = 10
MAX_SEARCH_LENGTH = 200


def capped_search_term(term: str) -> str:
    """The first MAX_SEARCH_WORDS words of ``term``, and no more than MAX_SEARCH_LENGTH characters."""
    return " ".join(term[:MAX_SEARCH_LENGTH].split()[:MAX_SEARCH_WORDS])


def folded_search(queryset: QuerySet, query: str, fields: Sequence[str]) -> QuerySet:
    """Rows where every word of ``query`` occurs in one of the folded ``fields``."""
    condition = Q()
    for word in fold(capped_search_term(query)).split():
        any_field = Q()
        for field in fields:
            any_field |= Q(**{f"{field}__contains": word})
        condition &= any_field
    return queryset.filter(condition)
