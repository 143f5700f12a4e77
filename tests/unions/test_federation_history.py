"""A federation's change history (issue 16): who changed its kind, parent, lifespan or decisions, within scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.unions.models import Decision, Federation
from tests import factories


@pytest.fixture
def city(db):
    return factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội", kind="province")


@pytest.fixture
def other_city(db):
    return factories.FederationFactory(code="HP", name="Liên đoàn Lao động thành phố Hải Phòng", kind="province")


@pytest.fixture
def district(city):
    return factories.FederationFactory(code="TH", name="Liên đoàn Lao động quận Tây Hồ", parent=city)


def staff_of(federation, username):
    return factories.UserFactory(username=username, role=User.Role.DISTRICT_STAFF, federation=federation)


def post_change(client, federation, **changes):
    """Save the federation's admin form as a person would: what the form shows, with ``changes``."""
    url = reverse("admin:unions_federation_change", args=[federation.pk])
    form = client.get(url).context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        data[name] = "" if value is None else field.widget.format_value(value) if name.endswith("_on") else value
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def history_page(client, federation):
    return client.get(reverse("admin:unions_federation_history", args=[federation.pk]))


def test_a_change_through_the_admin_is_in_the_history_with_who_and_what(client, city, district, vi):
    decision = Decision.objects.create(
        number="1568/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 26), issuer="Ban Thường vụ LĐLĐ thành phố Hà Nội"
    )
    staff = staff_of(city, "canbo_hn")
    client.force_login(staff)
    post_change(client, district, ended_on="01/07/2025", ending_decision=decision.pk)

    latest = district.history.order_by("-history_id").first()
    assert latest.history_type == "~" and latest.history_user == staff
    assert latest.ended_on == dt.date(2025, 7, 1) and latest.ending_decision_id == decision.pk
    response = history_page(client, district)
    assert response.status_code == 200
    page = response.content.decode()
    assert "canbo_hn" in page
    assert "Chấm dứt hoạt động từ ngày: (trống) &rarr; 01/07/2025" in page
    assert "Quyết định số 1568/QĐ-LĐLĐ ngày 26/06/2025" in page
    assert "Lịch sử thay đổi" in page


def test_saving_without_a_change_of_tracked_fields_keeps_updated_at_out_of_the_history(city):
    city.save()
    changes = city.history.order_by("-history_id")
    assert "updated_at" not in {field.name for field in changes.model._meta.fields}
    assert changes[0].diff_against(changes[1]).changes == []


def test_staff_of_another_federation_and_of_a_district_cannot_open_the_citys_history(
    client, city, district, other_city
):
    for outsider in (staff_of(other_city, "canbo_hp"), staff_of(district, "canbo_th")):
        client.force_login(outsider)
        assert history_page(client, city).status_code == 404
        version = city.history.first().history_id
        assert client.get(reverse("admin:unions_federation_simple_history", args=[city.pk, version])).status_code == 404
    # The district's own staff read the district's history.
    client.force_login(staff_of(district, "canbo_th2"))
    assert history_page(client, district).status_code == 200


def test_versions_from_before_a_district_came_under_the_city_are_not_shown_to_the_citys_staff(client, city, other_city):
    district = factories.FederationFactory(code="KA", name="Liên đoàn Lao động huyện Kiến An", parent=other_city)
    district.address = "Số 1 đường cũ"
    district.save()
    before_move = list(district.history.values_list("history_id", flat=True))
    district.parent = city
    district.address = "Số 2 đường mới"
    district.save()
    district.address = "Số 3 đường mới"
    district.save()

    client.force_login(staff_of(city, "canbo_hn"))
    response = history_page(client, district)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số 2 đường mới &rarr; Số 3 đường mới" in page
    # The move is the oldest version they see, so it shows no change from what came before.
    assert "Số 1 đường cũ" not in page and "Hải Phòng" not in page
    for version in before_move:
        url = reverse("admin:unions_federation_simple_history", args=[district.pk, version])
        assert client.get(url).status_code == 404
    # The other city's staff no longer see the district at all, its past versions included.
    client.force_login(staff_of(other_city, "canbo_hp"))
    assert history_page(client, district).status_code == 404


def test_a_past_version_of_a_federation_is_shown_read_only(client, city, district, vi):
    client.force_login(staff_of(city, "canbo_hn"))
    first = district.history.order_by("history_id").first().history_id
    url = reverse("admin:unions_federation_simple_history", args=[district.pk, first])
    page = client.get(url)
    assert page.status_code == 200
    # The breadcrumbs name the list of federations, not simple-history's untranslated "Historical …".
    breadcrumbs = page.content.decode().split('class="breadcrumbs"')[1].split("</div>")[0]
    assert "Liên đoàn lao động</a>" in breadcrumbs and "Historical" not in breadcrumbs
    response = client.post(url, {"code": "TH", "name": "Đổi tên qua phiên bản cũ", "kind": "district"})
    assert response.status_code == 403
    assert Federation.objects.get(pk=district.pk).name == "Liên đoàn Lao động quận Tây Hồ"
