"""The dashboard's Excel export writes what chairs typed as text: a union name never becomes a formula."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories

FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def union_named_like_a_formula(union_a1, union_a2, chair_a1):
    """Chair A1 names their union as a formula (the name field takes any text)."""
    for union in (union_a1, union_a2):
        factories.WorkforceDeclarationFactory(union=union, as_of=dt.date(2022, 1, 1), total_workers=4, female_workers=2)
        factories.MemberFactory(union=union, joined_union_on=dt.date(2020, 1, 1))
    union_a1.name = FORMULA
    union_a1.save()
    return union_a1


def exported_cells(client, user):
    client.force_login(user)
    response = client.get(reverse("dashboard:export"), {"as_of": "2022-06-30"})
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


@pytest.mark.parametrize("persona", ["district_staff", "leader", "chair_a1"])
def test_a_union_named_like_a_formula_is_exported_as_text(client, request, persona, union_named_like_a_formula):
    cells = exported_cells(client, request.getfixturevalue(persona))
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    names = [cell for cell in cells if FORMULA in str(cell.value)]
    assert [(cell.data_type, cell.value) for cell in names] == [("s", "'" + FORMULA)]


def test_the_unions_figures_stay_numbers(client, leader, union_named_like_a_formula):
    client.force_login(leader)
    response = client.get(reverse("dashboard:export"), {"as_of": "2022-06-30"})
    unions_sheet = load_workbook(BytesIO(response.content)).worksheets[1]
    row = next(row for row in unions_sheet.iter_rows(min_row=2) if row[1].value == "'" + FORMULA)
    assert [(cell.data_type, cell.value) for cell in row[3:5]] == [("n", 1), ("n", 4)]
