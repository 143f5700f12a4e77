"""Federations of every kind, with lifespans and the decisions that founded and ended them (issue 16, part 1)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from apps.accounts.models import User
from apps.unions.models import Decision, Federation, GrassrootsUnion
from tests import factories

FOUNDED = dt.date(1996, 1, 1)
# The district federations' last day was 30/06/2025: ended_on is the first day without them.
ENDED = dt.date(2025, 7, 1)


@pytest.fixture
def decision(db):
    return Decision.objects.create(
        number="123/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 12), issuer="Ban Thường vụ LĐLĐ thành phố Hà Nội"
    )


@pytest.fixture
def ended_federation(decision):
    return factories.FederationFactory(
        code="LB",
        name="Liên đoàn Lao động quận Long Biên",
        founded_on=FOUNDED,
        ended_on=ENDED,
        ending_decision=decision,
    )


def test_a_decision_reads_as_its_number_and_date(decision, vi):
    assert str(decision) == "Quyết định số 123/QĐ-LĐLĐ ngày 12/06/2025"


def test_the_same_decision_is_not_recorded_twice(decision, vi):
    again = Decision(number=decision.number, signed_on=decision.signed_on, issuer=decision.issuer)
    with pytest.raises(ValidationError) as error:
        again.full_clean()
    assert "Quyết định này đã có trong danh sách." in str(error.value)


def test_every_kind_has_its_vietnamese_name(vi):
    assert [str(label) for _value, label in Federation.Kind.choices] == [
        "Liên đoàn Lao động tỉnh, thành phố",
        "Liên đoàn Lao động quận, huyện",
        "Công đoàn xã, phường, đặc khu",
        "Công đoàn khu công nghiệp",
        "Công đoàn ngành",
        "Công đoàn cấp trên trực tiếp khác",
    ]


@pytest.mark.parametrize("ended_on", [dt.date(1995, 12, 31), FOUNDED], ids=["before", "same day"])
def test_a_federation_cannot_end_before_it_was_founded(db, vi, ended_on):
    federation = factories.FederationFactory.build(code="X1", founded_on=FOUNDED, ended_on=ended_on)
    with pytest.raises(ValidationError) as error:
        federation.full_clean()
    assert error.value.message_dict["ended_on"] == ["Ngày chấm dứt hoạt động phải sau ngày thành lập."]
    with pytest.raises(IntegrityError), transaction.atomic():
        federation.save()


def test_a_federation_without_a_known_founding_date_may_end(db):
    federation = factories.FederationFactory.build(code="X2", founded_on=None, ended_on=ENDED)
    federation.full_clean()


def test_an_ending_decision_needs_the_ending_date(decision, vi):
    federation = factories.FederationFactory.build(code="X3", founded_on=FOUNDED, ending_decision=decision)
    with pytest.raises(ValidationError) as error:
        federation.full_clean()
    assert error.value.message_dict["ended_on"] == [
        "Đã có quyết định chấm dứt hoạt động thì cần ghi ngày chấm dứt hoạt động."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        federation.save()


def test_a_decision_named_by_a_federation_cannot_be_deleted(ended_federation, decision):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        decision.delete()


def test_ended_on_is_the_first_day_without_the_federation(ended_federation):
    assert not ended_federation.has_ended(on=dt.date(2025, 6, 30))
    assert ended_federation.has_ended(on=ENDED)
    today = timezone.localdate()
    assert set(Federation.objects.ended(on=today)) == {ended_federation}
    assert ended_federation not in Federation.objects.not_ended(on=today)
    assert ended_federation in Federation.objects.not_ended(on=dt.date(2025, 6, 30))


def test_no_cdcs_is_created_in_a_federation_that_has_ended(ended_federation, vi):
    union = factories.GrassrootsUnionFactory.build(federation=ended_federation, sector=factories.sector())
    with pytest.raises(ValidationError) as error:
        union.full_clean()
    assert error.value.message_dict["federation"] == [
        "“Liên đoàn Lao động quận Long Biên” đã chấm dứt hoạt động từ ngày 01/07/2025: "
        "không thể thêm hoặc chuyển CĐCS, tài khoản vào đơn vị này."
    ]


def test_no_cdcs_is_moved_into_a_federation_that_has_ended(ended_federation, union_a1, vi):
    union_a1.federation = ended_federation
    with pytest.raises(ValidationError) as error:
        union_a1.full_clean()
    assert "federation" in error.value.message_dict


def test_a_cdcs_already_in_a_federation_that_ended_stays_editable(ended_federation, vi):
    union = factories.GrassrootsUnionFactory(federation=ended_federation)  # recorded before it ended
    union.refresh_from_db()
    union.phone = "0243825123"
    union.full_clean()


def test_a_cdcs_dissolved_before_its_federation_ended_may_be_recorded(ended_federation):
    union = factories.GrassrootsUnionFactory.build(
        federation=ended_federation,
        sector=factories.sector(),
        established_on=dt.date(2010, 3, 1),
        status=GrassrootsUnion.Status.DISSOLVED,
        dissolved_on=dt.date(2025, 6, 15),
    )
    union.full_clean()
    # Dissolved after the federation ended: it would have been in no federation at the end.
    union.dissolved_on = dt.date(2025, 8, 1)
    with pytest.raises(ValidationError):
        union.full_clean()


def test_a_cdcs_may_go_to_a_federation_whose_end_is_still_ahead(db):
    ending_later = factories.FederationFactory(code="X4", ended_on=timezone.localdate() + dt.timedelta(days=30))
    union = factories.GrassrootsUnionFactory.build(federation=ending_later, sector=factories.sector())
    union.full_clean()


def test_no_account_is_attached_to_a_federation_that_has_ended(ended_federation, vi):
    account = User(username="canbo_lb", role=User.Role.DISTRICT_STAFF, federation=ended_federation)
    with pytest.raises(ValidationError) as error:
        account.full_clean(exclude=["password"])
    assert "đã chấm dứt hoạt động từ ngày 01/07/2025" in error.value.message_dict["federation"][0]


def test_no_account_is_moved_to_a_federation_that_has_ended(ended_federation, district_staff):
    district_staff.federation = ended_federation
    with pytest.raises(ValidationError) as error:
        district_staff.full_clean(exclude=["password"])
    assert "federation" in error.value.message_dict


def test_an_account_of_a_federation_that_ended_can_still_be_deactivated(ended_federation):
    account = factories.UserFactory(username="canbo_lb", role=User.Role.DISTRICT_STAFF, federation=ended_federation)
    account.refresh_from_db()
    account.is_active = False
    account.full_clean(exclude=["password"])


def test_the_migration_sets_the_kind_from_the_parent(db):
    city = factories.FederationFactory(code="HN", kind=Federation.Kind.OTHER)
    district = factories.FederationFactory(code="TH", parent=city, kind=Federation.Kind.OTHER)
    migration = importlib.import_module("apps.unions.migrations.0006_federation_kinds_lifespans")
    migration.kind_from_parent(apps, None)
    city.refresh_from_db()
    district.refresh_from_db()
    assert (city.kind, district.kind) == (Federation.Kind.PROVINCE, Federation.Kind.DISTRICT)
