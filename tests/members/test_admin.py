"""The member admin: accent-insensitive search, ID search, Vietnamese order, constant query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.dashboard.figures import ensure_figures
from apps.members.models import Member, MembershipPeriod
from tests import factories

CHANGELIST = reverse("admin:members_member_changelist")


@pytest.fixture
def staff_client(client, district_staff):
    client.force_login(district_staff)
    return client


def names_in(response) -> list[str]:
    return [member.full_name for member in response.context["cl"].result_list]


def test_search_ignores_accents(staff_client, union_a1):
    factories.MemberFactory(union=union_a1, full_name="Nguyễn Văn An")
    factories.MemberFactory(union=union_a1, full_name="Trần Thị Bình")
    response = staff_client.get(CHANGELIST, {"q": "nguyen van an"})
    assert names_in(response) == ["Nguyễn Văn An"]
    response = staff_client.get(CHANGELIST, {"q": "NGUYỄN an"})
    assert names_in(response) == ["Nguyễn Văn An"]


def test_search_by_the_start_of_the_national_id(staff_client, union_a1):
    factories.MemberFactory(union=union_a1, full_name="Lê Văn Cường", national_id="001090001111")
    factories.MemberFactory(union=union_a1, full_name="Phạm Thị Dung", national_id="079190002222")
    response = staff_client.get(CHANGELIST, {"q": "0010900"})
    assert names_in(response) == ["Lê Văn Cường"]


def test_list_is_sorted_by_given_name_first(staff_client, union_a1):
    for name in ["Nguyễn Văn Bình", "Trần Thị An", "Lê Văn Cường", "Phạm Văn An"]:
        factories.MemberFactory(union=union_a1, full_name=name)
    response = staff_client.get(CHANGELIST)
    assert names_in(response) == ["Phạm Văn An", "Trần Thị An", "Nguyễn Văn Bình", "Lê Văn Cường"]


def test_national_id_is_masked_in_the_list(staff_client, union_a1):
    factories.MemberFactory(union=union_a1, national_id="001090001111")
    body = staff_client.get(CHANGELIST).content.decode()
    assert "001090001111" not in body
    assert "1111" in body


def test_member_list_query_count_does_not_grow_with_rows(staff_client, union_a1, django_assert_max_num_queries):
    group = factories.UnionGroupFactory(union=union_a1)
    factories.MemberFactory.create_batch(3, union=union_a1, group=group)
    with django_assert_max_num_queries(8) as few:
        staff_client.get(CHANGELIST)
    factories.MemberFactory.create_batch(30, union=union_a1, group=group)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    sql = " ".join(query["sql"].upper() for query in few.captured_queries)
    assert "DISTINCT" not in sql


def test_union_list_query_count_does_not_grow_with_rows(staff_client, federation_a, django_assert_max_num_queries):
    url = reverse("admin:unions_grassrootsunion_changelist")
    factories.GrassrootsUnionFactory(federation=federation_a)
    # The list reads today's figures from the dashboard's summary: made current first,
    # as its own refresh is counted in tests/dashboard/test_figures.py.
    ensure_figures([timezone.localdate()])
    with django_assert_max_num_queries(10) as few:
        staff_client.get(url)
    for _ in range(10):
        union = factories.GrassrootsUnionFactory(federation=federation_a)
        factories.WorkforceDeclarationFactory(union=union)
        factories.MemberFactory(union=union)
        factories.UnionGroupFactory(union=union)
    ensure_figures([timezone.localdate()])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = staff_client.get(url)
    assert response.status_code == 200


def test_union_list_shows_members_workers_ratio_and_groups(staff_client, union_a1, vi):
    factories.WorkforceDeclarationFactory(union=union_a1, total_workers=4, female_workers=2)
    factories.MemberFactory.create_batch(3, union=union_a1)
    factories.UnionGroupFactory(union=union_a1)
    response = staff_client.get(reverse("admin:unions_grassrootsunion_changelist"), HTTP_ACCEPT_LANGUAGE="vi")
    row = response.context["cl"].result_list[0]
    assert (row.member_count, row.workers, row.group_count) == (3, 4, 1)
    assert "75,0 %" in response.content.decode()


def test_union_search_ignores_accents(staff_client, union_a1, union_a2):
    response = staff_client.get(reverse("admin:unions_grassrootsunion_changelist"), {"q": "ngo quyen"})
    assert [union.pk for union in response.context["cl"].result_list] == [union_a1.pk]


def test_adding_a_member_in_the_admin_opens_a_membership_period(staff_client, union_a1):
    response = staff_client.post(
        reverse("admin:members_member_add"),
        {
            "union": union_a1.pk,
            "full_name": "Đỗ Thị Hằng",
            "gender": "female",
            "date_of_birth": "05/06/1990",
            "national_id": "001190004444",
            "ethnicity": "Kinh",
            "nationality": "VN",
            "joined_union_on": "01/02/2015",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    member = Member.objects.get(national_id="001190004444")
    assert member.date_of_birth == dt.date(1990, 6, 5)
    assert list(MembershipPeriod.objects.filter(member=member).values_list("union_id", "started_on")) == [
        (union_a1.pk, dt.date(2015, 2, 1))
    ]


def test_bad_member_input_names_the_field_and_saves_nothing(staff_client, union_a1):
    response = staff_client.post(
        reverse("admin:members_member_add"),
        {
            "union": union_a1.pk,
            "full_name": "Đỗ Thị Hằng",
            "gender": "female",
            "national_id": "12345",
            "joined_union_on": "31/02/2015",
            **_empty_inlines(),
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert {"national_id", "joined_union_on"} <= errors.keys()
    assert not Member.objects.exists()


def _empty_inlines() -> dict[str, str]:
    data = {}
    for prefix in ("periods", "offices"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data
