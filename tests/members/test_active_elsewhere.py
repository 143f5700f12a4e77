"""A person active in another union: who is told which union, through the admin, the import and rejoin.

Only someone who may see the other union learns its name and code (and, in a form, gets a
link to start the transfer); anyone else is told the person is a member elsewhere and whom
to ask. What decides is the other union's place in the user's scope, not the user's role.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.members import services
from apps.members.imports import preview_member_import
from apps.members.models import Member
from tests import factories
from tests.members.test_member_import_service import row, xlsx

NUMBER = "001190007777"
NEUTRAL_VI = "Người này đang là đoàn viên của một CĐCS khác. Liên hệ cán bộ LĐLĐ để làm thủ tục chuyển sinh hoạt."


@pytest.fixture
def active_in_a2(union_a2):
    """The person, active in union A2 (federation A)."""
    return factories.MemberFactory(union=union_a2, full_name="Phạm Thị Lan", national_id=NUMBER)


@pytest.fixture
def city_staff(federation_a):
    """Staff of the city federation that holds district federation A."""
    city = factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội")
    federation_a.parent = city
    federation_a.save()
    return factories.UserFactory(username="canbo_thanhpho", role=User.Role.DISTRICT_STAFF, federation=city)


def _add_in_admin(client, user, union) -> str:
    """Post the admin's add form for a new member with NUMBER into ``union``; the national_id errors as HTML."""
    client.force_login(user)
    response = client.post(
        reverse("admin:members_member_add"),
        {
            "union": union.pk,
            "full_name": "Kẻ Trùng Số",
            "gender": "female",
            "national_id": NUMBER,
            "ethnicity": "Kinh",
            "nationality": "VN",
            "joined_union_on": "01/02/2024",
            **{
                f"{prefix}-{count}": "0"
                for prefix in ("periods", "offices")
                for count in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 200, response.content.decode()[:1000]
    form = response.context["adminform"].form
    assert list(form.errors) == ["national_id"]
    return str(form.errors["national_id"])


def _import(user, union) -> str:
    """Check one row for NUMBER into ``union`` through the member import; the row's problems as text.

    Those who see the member match the row to them (a row moving a member is refused on
    the union column); others are refused on the ID number.
    """
    data = xlsx(row(NUMBER, "Kẻ Trùng Số", union=union.code, **{"Ngày vào công đoàn": dt.date(2024, 2, 1)}))
    plan = preview_member_import(data, filename="doan-vien.xlsx", user=user)
    assert plan.counts["rejected"] == 1, plan.counts
    return " ".join(problem.message for problem in plan.problems)


def _assert_nothing_added():
    assert list(Member.objects.values_list("full_name", flat=True)) == ["Phạm Thị Lan"]


def test_chair_is_told_only_that_the_person_is_a_member_elsewhere(client, chair_a1, union_a1, active_in_a2, vi):
    for message in (_add_in_admin(client, chair_a1, union_a1), _import(chair_a1, union_a1)):
        assert NEUTRAL_VI in message
        assert active_in_a2.union.name not in message and "A2" not in message
        assert "<a " not in message
    _assert_nothing_added()


def test_district_staff_get_the_union_and_a_link_to_start_the_transfer(
    client, district_staff, union_a1, active_in_a2, vi
):
    message = _add_in_admin(client, district_staff, union_a1)
    assert "Công đoàn Công ty CP May Thăng Long" in message and "A2" in message
    assert f'href="{reverse("admin:members_member_transfer", args=[active_in_a2.pk])}"' in message
    # The import names the union by its code and asks for the transfer (a sheet's problem has no link).
    message = _import(district_staff, union_a1)
    assert "A2" in message and "chuyển sinh hoạt" in message
    assert "<a " not in message
    _assert_nothing_added()


def test_city_staff_who_see_the_district_get_the_union(client, city_staff, union_a1, active_in_a2, vi):
    message = _add_in_admin(client, city_staff, union_a1)
    assert "Công đoàn Công ty CP May Thăng Long" in message and "A2" in message
    message = _import(city_staff, union_a1)
    assert "A2" in message and "chuyển sinh hoạt" in message
    _assert_nothing_added()


def test_staff_of_another_district_are_not_told_which_union(client, staff_b, union_b1, active_in_a2, vi):
    for message in (_add_in_admin(client, staff_b, union_b1), _import(staff_b, union_b1)):
        assert NEUTRAL_VI in message
        assert active_in_a2.union.name not in message and "A2" not in message
        assert "<a " not in message
    _assert_nothing_added()


def test_a_duplicate_in_ones_own_union_links_to_the_member(client, chair_a2, union_a2, active_in_a2, vi):
    message = _add_in_admin(client, chair_a2, union_a2)
    assert "đang là đoàn viên của CĐCS này" in message
    assert f'href="{reverse("admin:members_member_change", args=[active_in_a2.pk])}"' in message


@pytest.fixture
def left_a1(union_a1):
    """Someone who left union A1 and has since joined A2."""
    member = factories.MemberFactory(union=union_a1, full_name="Lê Thị Mai", national_id=NUMBER)
    services.member_leave(member=member, on=dt.date(2022, 1, 1), reason="Chuyển công tác")
    return member


def _rejoin(client, user, member) -> str:
    client.force_login(user)
    response = client.post(reverse("admin:members_member_rejoin", args=[member.pk]), {"on": "01/02/2024"})
    assert response.status_code == 200, response.content.decode()[:1000]
    member.refresh_from_db()
    assert member.status == Member.Status.LEFT
    return " ".join(response.context["form"].non_field_errors())


def test_rejoin_of_someone_active_elsewhere_names_the_union_only_in_scope(
    client, chair_a1, district_staff, left_a1, active_in_a2, vi
):
    message = _rejoin(client, chair_a1, left_a1)
    assert NEUTRAL_VI in message and "A2" not in message
    message = _rejoin(client, district_staff, left_a1)
    assert "Công đoàn Công ty CP May Thăng Long" in message and "A2" in message


def test_services_called_without_a_user_name_no_union(union_a1, active_in_a2, vi):
    with pytest.raises(services.ValidationError) as error:
        services.member_enrol(union=union_a1, joined_on=dt.date(2024, 1, 1), full_name="X", national_id=NUMBER)
    assert "May Thăng Long" not in str(error.value)


def _transfer_error(client, user, member, code: str) -> str:
    client.force_login(user)
    response = client.post(
        reverse("admin:members_member_transfer", args=[member.pk]), {"to_union": code, "effective_on": "01/02/2024"}
    )
    assert response.status_code == 200
    return " ".join(response.context["form"].errors["to_union"]).replace(code, "<code>")


def test_a_transfer_code_outside_reach_reads_like_a_code_that_does_not_exist(
    client, chair_a1, district_staff, union_a1, union_b1, vi
):
    member = factories.MemberFactory(union=union_a1, full_name="Lê Thị Mai", national_id=NUMBER)
    dissolved = factories.GrassrootsUnionFactory(
        federation=union_a1.federation, code="A9", status="dissolved", dissolved_on=dt.date(2023, 1, 1)
    )
    for user in (chair_a1, district_staff):
        nowhere = _transfer_error(client, user, member, "KHONG-CO")
        assert _transfer_error(client, user, member, union_b1.code) == nowhere
        assert _transfer_error(client, user, member, dissolved.code) == nowhere
        assert union_b1.name not in nowhere
    assert not member.transfers.exists()
