"""The federations' admin: kinds, lifespans and decisions listed and filtered; ended ones not offered for new CĐCS."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.unions.models import Decision, Federation
from tests import factories


@pytest.fixture
def city(db):
    return factories.FederationFactory(
        code="HN", name="Liên đoàn Lao động thành phố Hà Nội", kind=Federation.Kind.PROVINCE
    )


@pytest.fixture
def decision(db):
    return Decision.objects.create(
        number="1568/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 26), issuer="Ban Thường vụ LĐLĐ thành phố Hà Nội"
    )


@pytest.fixture
def city_staff(city):
    from apps.accounts.models import User

    return factories.UserFactory(username="canbo_hn", role=User.Role.DISTRICT_STAFF, federation=city)


@pytest.fixture
def ended_district(city, decision):
    return factories.FederationFactory(
        code="TH",
        name="Liên đoàn Lao động quận Tây Hồ",
        parent=city,
        founded_on=dt.date(1996, 1, 1),
        ended_on=dt.date(2025, 7, 1),
        ending_decision=decision,
    )


@pytest.fixture
def ward(city, decision):
    return factories.FederationFactory(
        code="P-TAYHO",
        name="Công đoàn phường Tây Hồ",
        parent=city,
        kind=Federation.Kind.COMMUNE,
        founded_on=dt.date(2025, 7, 1),
        founding_decision=decision,
    )


def test_the_list_shows_kind_parent_dates_and_decisions(client, city_staff, ended_district, ward, vi):
    client.force_login(city_staff)
    response = client.get(reverse("admin:unions_federation_changelist"))
    assert [name for name in response.context["cl"].list_display if name != "action_checkbox"] == [
        "code",
        "name_in_tree",
        "kind",
        "parent",
        "founded_on",
        "ended_on",
        "founding_decision",
        "ending_decision",
    ]
    page = response.content.decode()
    for text in (
        "Công đoàn xã, phường, đặc khu",
        "Liên đoàn Lao động quận, huyện",
        "01/07/2025",
        "Quyết định số 1568/QĐ-LĐLĐ ngày 26/06/2025",
        "Chấm dứt hoạt động từ ngày",
    ):
        assert text in page


def listed(client, **filters) -> set[str]:
    response = client.get(reverse("admin:unions_federation_changelist"), filters)
    assert response.status_code == 200
    return {federation.code for federation in response.context["cl"].result_list}


def test_the_list_filters_by_kind_and_by_existence(client, city_staff, ended_district, ward, vi):
    client.force_login(city_staff)
    assert listed(client, kind=Federation.Kind.COMMUNE) == {"P-TAYHO"}
    assert listed(client, kind=Federation.Kind.PROVINCE) == {"HN"}
    assert listed(client, ended="yes") == {"TH"}
    assert listed(client, ended="no") == {"HN", "P-TAYHO"}
    assert listed(client) == {"HN", "TH", "P-TAYHO"}
    page = client.get(reverse("admin:unions_federation_changelist")).content.decode()
    assert "Theo tình trạng hoạt động" in page
    assert "Còn hoạt động" in page and "Đã chấm dứt hoạt động" in page


def test_the_change_form_groups_fields_in_vietnamese(client, city_staff, ward, vi):
    client.force_login(city_staff)
    response = client.get(reverse("admin:unions_federation_change", args=[ward.pk]))
    titles = [fieldset.name for fieldset in response.context["adminform"]]
    assert [str(title) for title in titles] == ["Thông tin chung", "Thành lập", "Chấm dứt hoạt động"]
    page = response.content.decode()
    assert "Quyết định thành lập" in page and "Quyết định chấm dứt hoạt động" in page


def autocomplete(client, app_label: str, model_name: str, field_name: str) -> set[str]:
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": app_label, "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    return {row["text"] for row in response.json()["results"]}


def test_an_ended_federation_is_not_offered_for_a_cdcs_nor_an_account(client, city_staff, ended_district, ward):
    client.force_login(city_staff)
    for app_label, model_name in (("unions", "grassrootsunion"), ("accounts", "user")):
        offered = autocomplete(client, app_label, model_name, "federation")
        assert "Công đoàn phường Tây Hồ" in offered
        assert "Liên đoàn Lao động quận Tây Hồ" not in offered
    add_form = client.get(reverse("admin:unions_grassrootsunion_add")).context["adminform"].form
    assert set(add_form.fields["federation"].queryset) == {city_staff.federation, ward}


def test_a_cdcs_of_an_ended_federation_keeps_it_on_its_form_and_in_the_filters(client, city_staff, ended_district):
    union = factories.GrassrootsUnionFactory(federation=ended_district)
    client.force_login(city_staff)
    page = client.get(reverse("admin:unions_grassrootsunion_change", args=[union.pk]))
    # Shown, not offered: a CĐCS changes superior through unions_move, on a date.
    assert "federation" not in page.context["adminform"].form.fields
    assert ended_district.name in page.content.decode()
    listing = client.get(reverse("admin:unions_grassrootsunion_changelist"))
    federation_filter = next(
        spec for spec in listing.context["cl"].filter_specs if getattr(spec, "field_path", "") == "federation"
    )
    assert (ended_district.pk, ended_district.name) in federation_filter.lookup_choices


def test_adding_a_cdcs_to_an_ended_federation_is_refused_on_the_form(client, city_staff, ended_district, vi):
    client.force_login(city_staff)
    response = client.post(
        reverse("admin:unions_grassrootsunion_add"),
        {
            "federation": ended_district.pk,
            "sector": factories.sector().pk,
            "code": "TH-DN-999",
            "name": "Công đoàn Công ty Mới",
            "employer_name": "Công ty Mới",
            "status": "active",
            "established_on": "01/09/2025",
        },
    )
    assert response.status_code == 200
    assert not ended_district.unions.exists()


def test_decisions_are_recorded_by_district_staff_only(client, city_staff, leader, decision, vi):
    client.force_login(city_staff)
    page = client.get(reverse("admin:unions_decision_changelist"), {"q": "1568"})
    assert [str(row) for row in page.context["cl"].result_list] == ["Quyết định số 1568/QĐ-LĐLĐ ngày 26/06/2025"]
    client.force_login(leader)
    assert client.get(reverse("admin:unions_decision_changelist")).status_code == 403
