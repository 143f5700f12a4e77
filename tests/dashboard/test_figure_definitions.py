"""Each dashboard figure is defined once: every table, total, JSON key and Excel column follows the definitions.

A list of figure names written out again anywhere below fails these tests as soon as a
figure is added to (or removed from) apps.dashboard.figure_definitions.FIGURES.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields
from io import BytesIO

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import load_workbook

from apps.dashboard import figures, selectors
from apps.dashboard.checks import ATTENTION_CHECKS
from apps.dashboard.figure_definitions import (
    ANNOTATED,
    FIGURES,
    MOVEMENTS,
    PERCENT,
    SUMMARY,
    SUMMARY_TOTALS,
    TOTALS,
    UNION_FIGURES,
)
from apps.dashboard.models import FederationFigures, UnionFigures
from apps.dashboard.union_figures import with_figures
from apps.unions.models import GrassrootsUnion
from tests import factories

DAY = dt.date(2022, 6, 30)


def names(definitions) -> list[str]:
    return [figure.name for figure in definitions]


def figure_columns(model, *not_figures: str) -> list[str]:
    return [field.name for field in model._meta.concrete_fields if field.name not in not_figures]


@pytest.fixture
def district(union_a1, union_a2):
    """A1: 3 members (2 female) of 4 workers and a group; A2: 1 member of 2 workers."""
    for union, workers, female_workers in ((union_a1, 4, 3), (union_a2, 2, 1)):
        factories.WorkforceDeclarationFactory(
            union=union, as_of=dt.date(2022, 1, 1), total_workers=workers, female_workers=female_workers
        )
    factories.MemberFactory.create_batch(2, union=union_a1, gender="female", joined_union_on=dt.date(2022, 1, 1))
    factories.MemberFactory(union=union_a1, gender="male", joined_union_on=dt.date(2022, 1, 1))
    factories.MemberFactory(union=union_a2, gender="male", joined_union_on=dt.date(2022, 1, 1))
    factories.UnionGroupFactory(union=union_a1, established_on=dt.date(2022, 1, 1))


def test_every_figure_has_one_name_and_a_vietnamese_label():
    assert len(set(names(FIGURES))) == len(FIGURES)
    with translation.override("en"):
        english = {figure.name: str(figure.label) for figure in FIGURES}
    with translation.override("vi"):
        untranslated = [figure.name for figure in FIGURES if str(figure.label) == english[figure.name]]
    assert untranslated == []


def test_the_summary_tables_hold_exactly_the_defined_figures():
    union_columns = figure_columns(UnionFigures, "id", "day", "union", "federation", "sector", "union_name", "counted")
    assert union_columns == names(UNION_FIGURES)
    federation_columns = figure_columns(FederationFigures, "id", "day", "federation", "sector")
    assert federation_columns == [*names(TOTALS), *ATTENTION_CHECKS]


def test_the_computation_writes_the_defined_figures():
    assert figures.COLUMNS[6:] == tuple(names(UNION_FIGURES))
    sql = figures._figures_sql(dict.fromkeys(("p", "d2", "ug", "du", "u"), ""))
    assert all(figure.sql in sql for figure in UNION_FIGURES)
    totals_sql = figures._federation_sql("")
    assert all(f'"{figure.name}"' in totals_sql and figure.total_sql() in totals_sql for figure in TOTALS)


def test_the_selectors_add_up_and_carry_the_defined_figures():
    assert tuple(names(TOTALS)) == selectors.TOTAL_FIELDS
    assert tuple(names(MOVEMENTS)) == selectors.MOVEMENT_FIELDS
    summary_fields = names(SUMMARY_TOTALS)
    assert [field.name for field in fields(selectors.SectorFigures)] == ["sector", *summary_fields]
    assert [field.name for field in fields(selectors.DistrictSummary)][3:] == summary_fields
    assert [field.name for field in fields(selectors.TrendPoint)] == ["day", *summary_fields]
    assert [field.name for field in fields(selectors.Movements)] == names(MOVEMENTS)
    ratios = [figure.name for figure in SUMMARY if figure.kind == PERCENT]
    assert all(isinstance(getattr(selectors.SectorFigures, name), property) for name in ratios)


def test_the_union_rows_add_up_to_the_federations_totals(district, federation_a):
    figures.ensure_figures([DAY])
    kept = FederationFigures.objects.filter(day=DAY, federation=federation_a)
    added_up = (
        UnionFigures.objects.filter(day=DAY, federation=federation_a)
        .order_by()
        .values("sector")
        .annotate(**{f"{figure.name}_sum": figure.union_sum() for figure in TOTALS})
    )
    assert {row["sector"]: {name: row[f"{name}_sum"] or 0 for name in names(TOTALS)} for row in added_up} == {
        total.sector_id: {name: getattr(total, name) for name in names(TOTALS)} for total in kept
    }
    assert kept.aggregate(members=Sum("members"), unions=Sum("unions")) == {"members": 4, "unions": 2}


def test_unions_are_annotated_with_the_defined_figures(district, union_a1):
    unions = with_figures(GrassrootsUnion.objects.all(), DAY)
    assert set(unions.query.annotations) == {figure.annotation for figure in ANNOTATED}
    union = unions.get(pk=union_a1.pk)
    assert (union.member_count, union.female_member_count, union.workers, union.group_count) == (3, 2, 4, 1)
    assert union.declared_on == dt.date(2022, 1, 1)


def test_the_json_keys_are_the_defined_figures(client, leader, district):
    client.force_login(leader)
    data = client.get(reverse("dashboard:json"), {"as_of": DAY.isoformat()}).json()
    assert list(data["totals"]) == names(SUMMARY)
    assert [list(sector) for sector in data["sectors"]] == [["code", "name", *names(SUMMARY)]]
    assert list(data["since_previous_cut_off"]) == ["cut_off", "members", *names(MOVEMENTS)]
    assert {tuple(point) for point in data["trend"]} == {("as_of", *names(SUMMARY))}
    assert (data["totals"]["members"], data["totals"]["membership_ratio"]) == (4, 66.7)


def test_the_excel_columns_are_the_defined_figures_in_vietnamese(client, leader, union_a1, district):
    client.force_login(leader)
    response = client.get(reverse("dashboard:export"), {"as_of": DAY.isoformat()}, HTTP_ACCEPT_LANGUAGE="vi")
    book = load_workbook(BytesIO(response.content))
    by_sector, by_union = book.worksheets[0], book.worksheets[1]
    with translation.override("vi"):
        summary_labels = [capfirst(str(figure.label)) for figure in SUMMARY]
        union_labels = [capfirst(str(figure.label)) for figure in ANNOTATED]
    # Rows 1-2: what and as of when; row 4: the header.
    assert list(next(by_sector.iter_rows(min_row=4, max_row=4, values_only=True))) == ["Khối", *summary_labels]
    assert list(next(by_union.iter_rows(min_row=4, max_row=4, values_only=True)))[3:] == union_labels
    total = list(next(by_sector.iter_rows(min_row=6, max_row=6)))
    ratio_at = 1 + names(SUMMARY).index("membership_ratio")
    assert [cell.value for cell in total[:ratio_at]] == ["Tổng cộng", 2, 4, 6]
    assert total[ratio_at].value == pytest.approx(0.667)
    a1 = next(row for row in by_union.iter_rows(min_row=5) if row[0].value == union_a1.code)
    declared_on = a1[3 + names(ANNOTATED).index("declared_on")]
    assert (declared_on.value, declared_on.number_format) == (dt.datetime(2022, 1, 1), "dd/mm/yyyy")


def test_excel_cells_are_typed_by_their_figure_kind(client, leader, union_a1, district):
    """Counts, percentages and dates are real values that Excel shows through a number format, never text."""
    client.force_login(leader)
    response = client.get(reverse("dashboard:export"), {"as_of": DAY.isoformat()}, HTTP_ACCEPT_LANGUAGE="vi")
    by_sector = load_workbook(BytesIO(response.content)).worksheets[0]
    sector_row = list(next(by_sector.iter_rows(min_row=5, max_row=5)))[1:]
    for figure, cell in zip(SUMMARY, sector_row, strict=True):
        expected = "0.0%" if figure.kind == PERCENT else "#,##0"
        assert (figure.name, cell.data_type, cell.number_format) == (figure.name, "n", expected)
    ratio = sector_row[names(SUMMARY).index("female_membership_ratio")]
    assert ratio.value == pytest.approx(2 / 4, abs=0.0005)
