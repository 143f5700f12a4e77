"""The change list's paginator for tables of a city's size: an estimated count, ids first.

Why: Django's admin paginator runs an exact ``COUNT(*)`` of the whole filtered list on
every page and lets the database walk every skipped row (OFFSET) while joining the
related columns the list shows; on a million members both grow with the table. Checked
against Django 5.2 (``Paginator.count``/``page`` and ``ChangeList.get_results``).
"""

from __future__ import annotations

import json

from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.paginator import Paginator
from django.db import connection, connections
from django.db.models import QuerySet
from django.utils.functional import cached_property


class LargeTablePaginator(Paginator):
    """A paginator whose cost does not grow with the table: no full COUNT, no walk through skipped rows.

    On PostgreSQL a list is counted exactly up to ``exact_below`` rows, by a COUNT that
    stops reading there; past it the size is the planner's estimate (``EXPLAIN``, or the
    table's row estimate when nothing filters it), rounded to three significant digits as
    a reader should take it. A page reads its ids first (through the index the list is
    ordered by, or by sorting narrow rows) and only then joins the related rows the list
    shows for those ids, instead of joining every row it skips or sorts. Elsewhere (SQLite)
    it counts and slices as Django does.
    """

    # Counted exactly up to here. Past a few thousand rows PostgreSQL stops being able to
    # count a search's matches by reading a few of them (it builds the whole bitmap).
    exact_below = 2_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if connection.vendor != "postgresql" or not isinstance(queryset, QuerySet) or queryset.query.distinct:
            return super().count
        if not queryset.query.where:
            rows = self._table_rows(queryset)
            if rows >= self.exact_below:
                return _significant(rows)
        counted = queryset.order_by().values("pk")[: self.exact_below + 1].count()
        if counted <= self.exact_below:
            return counted
        return max(_significant(self._estimated_rows(queryset)), counted)

    @staticmethod
    def _table_rows(queryset: QuerySet) -> int:
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
            )
            row = cursor.fetchone()
        return int(row[0]) if row else -1

    @staticmethod
    def _estimated_rows(queryset: QuerySet) -> int:
        sql, params = queryset.order_by().query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return int(plan[0]["Plan"]["Plan Rows"])

    def page(self, number):
        queryset = self.object_list
        if connection.vendor != "postgresql" or not isinstance(queryset, QuerySet) or queryset.query.distinct:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = queryset.values("pk")[bottom:top]
        return self._get_page(queryset.filter(pk__in=ids), number, self)


class LargeTableChangeList(ChangeList):
    """A change list that corrects an estimated count once the last page shows where the list ends."""

    def get_ordering(self, request, queryset):
        # Django leaves a column out of sortable_by unlinked but still sorts on it when ?o=
        # names it: keep only the columns this user may sort (apps.core.unqueryable).
        if self.params.get(ORDER_VAR):
            sortable = self.model_admin.get_sortable_by(request)
            kept = [part for part in self.params[ORDER_VAR].split(".") if self._column(part) in sortable]
            if kept:
                self.params[ORDER_VAR] = ".".join(kept)
            else:
                del self.params[ORDER_VAR]
        return super().get_ordering(request, queryset)

    def _column(self, order_part: str):
        try:
            return self.list_display[int(order_part.rpartition("-")[2])]
        except (IndexError, ValueError):
            return None

    def get_results(self, request):
        super().get_results(request)
        shown = len(self.result_list)  # the template reads these same rows: no extra query
        if shown >= self.list_per_page or (shown == 0 and self.page_num > 1):
            return
        exact = (self.page_num - 1) * self.list_per_page + shown
        if exact != self.result_count:
            self.result_count = exact
            self.paginator.count = exact
            self.multi_page = exact > self.list_per_page
            self.can_show_all = exact <= self.list_max_show_all


def _significant(number: int, digits: int = 3) -> int:
    """``number`` rounded to ``digits`` significant digits: 967,742 -> 968,000."""
    if number < 10**digits:
        return number
    scale = 10 ** (len(str(number)) - digits)
    return round(number / scale) * scale
