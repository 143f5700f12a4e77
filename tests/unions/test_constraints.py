"""Each organisation rule refuses bad input with a message naming the field, in the form and in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from apps.union_groups.models import UnionGroup
from apps.unions.models import Decision, Federation, GrassrootsUnion, WorkforceDeclaration
from tests import factories


def test_union_code_is_unique_within_a_federation(union_a1, vi):
    duplicate = factories.GrassrootsUnionFactory.build(
        federation=union_a1.federation, sector=union_a1.sector, code=union_a1.code
    )
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Đã có công đoàn cơ sở với mã này trong liên đoàn này." in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()
    assert GrassrootsUnion.objects.filter(code=union_a1.code).count() == 1


def test_same_union_code_is_allowed_in_another_federation(union_a1, federation_b):
    other = factories.GrassrootsUnionFactory(federation=federation_b, code=union_a1.code)
    assert other.pk


def test_female_workers_cannot_outnumber_workers(union_a1):
    declaration = WorkforceDeclaration(union=union_a1, as_of=dt.date(2021, 1, 1), total_workers=10, female_workers=11)
    with pytest.raises(ValidationError) as error:
        declaration.full_clean()
    assert "female_workers" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        declaration.save()
    assert not WorkforceDeclaration.objects.exists()


def test_one_workforce_declaration_per_union_and_day(union_a1):
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2021, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2021, 1, 1))


def test_group_department_union_must_belong_to_the_same_union(union_a1, union_a2):
    foreign_department = factories.DepartmentUnionFactory(union=union_a2)
    group = UnionGroup(
        union=union_a1, department_union=foreign_department, name="Tổ 1", established_on=dt.date(2020, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        group.full_clean()
    assert "department_union" in error.value.message_dict
    # The database refuses it too, for imports and scripts that skip clean().
    with pytest.raises(IntegrityError), transaction.atomic():
        group.save()
    assert not UnionGroup.objects.exists()


def test_moving_a_group_under_another_unions_department_is_refused_by_the_database(union_a1, union_a2):
    group = factories.UnionGroupFactory(union=union_a1)
    foreign_department = factories.DepartmentUnionFactory(union=union_a2)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnionGroup.objects.filter(pk=group.pk).update(department_union=foreign_department)
    group.refresh_from_db()
    assert group.department_union is None


def test_dissolved_union_needs_a_dissolution_date(union_a1):
    union_a1.status = GrassrootsUnion.Status.DISSOLVED
    with pytest.raises(ValidationError):
        union_a1.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        union_a1.save()


def test_a_federation_cannot_be_its_own_parent_in_the_database(db):
    city = factories.FederationFactory(code="HN")
    with pytest.raises(IntegrityError), transaction.atomic():
        Federation.objects.filter(pk=city.pk).update(parent=city)


@pytest.mark.parametrize("factory", [factories.UnionGroupFactory, factories.DepartmentUnionFactory])
def test_group_and_department_cannot_dissolve_before_they_are_established(union_a1, factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(union=union_a1, established_on=dt.date(2020, 1, 1), dissolved_on=dt.date(2019, 1, 1))


def test_a_dissolution_decision_needs_the_dissolution_date(union_a1, vi):
    decision = Decision.objects.create(number="45/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 10), issuer="LĐLĐ Hà Nội")
    union_a1.dissolution_decision = decision
    with pytest.raises(ValidationError) as error:
        union_a1.full_clean()
    assert error.value.message_dict["dissolved_on"] == ["Đã có quyết định giải thể thì cần ghi ngày giải thể."]
    if connection.vendor == "postgresql":
        # The database's check is PostgreSQL's (unions/0008): on SQLite, clean() and the services keep the rule.
        with pytest.raises(IntegrityError), transaction.atomic():
            union_a1.save()
        union_a1.refresh_from_db()
        assert union_a1.dissolution_decision is None
        union_a1.dissolution_decision = decision
    # With the date, the decision is kept.
    union_a1.status, union_a1.dissolved_on = "dissolved", dt.date(2025, 6, 15)
    union_a1.full_clean()
    union_a1.save()
    assert decision.dissolved_unions.get() == union_a1
