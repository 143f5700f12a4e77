"""The site search: accent-free, scoped, capped, CCCD only for those who may query it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.portal.search import RESULTS_PER_KIND
from tests import factories

SEARCH = reverse("portal:search")


@pytest.fixture
def people(union_a1, union_a2, union_b1):
    group_a1 = factories.UnionGroupFactory(union=union_a1, name="Tổ Kinh doanh")
    group_a2 = factories.UnionGroupFactory(union=union_a2, name="Tổ Kinh doanh")
    return {
        "A1": factories.MemberFactory(
            union=union_a1, group=group_a1, full_name="Nguyễn Thị Hoà", national_id="001190000101"
        ),
        "A2": factories.MemberFactory(
            union=union_a2, group=group_a2, full_name="Nguyễn Thị Hòa Bình", national_id="001190000202"
        ),
        "B1": factories.MemberFactory(union=union_b1, full_name="Nguyễn Hoà Đống", national_id="079190000303"),
    }


def found(client, q):
    results = client.get(SEARCH, {"q": q}).context["results"]
    return results


def test_chair_finds_only_their_own_union(client, chair_a1, people, union_a1):
    client.force_login(chair_a1)
    results = found(client, "nguyen hoa")
    assert [member.pk for member in results.members] == [people["A1"].pk]
    body = client.get(SEARCH, {"q": "kinh doanh"}).content.decode()
    assert body.count("Tổ Kinh doanh") == 1
    assert union_a1.name in body  # which CĐCS the group belongs to
    assert "May Thăng Long" not in body and "Đống Đa" not in body


def test_staff_find_across_their_federation_and_not_beyond(client, district_staff, people, union_a1, union_a2):
    client.force_login(district_staff)
    results = found(client, "NGUYEN HOA")
    assert {member.pk for member in results.members} == {people["A1"].pk, people["A2"].pk}
    groups = found(client, "kinh doanh").groups
    assert {group.union for group in groups} == {union_a1, union_a2}
    assert [union.code for union in found(client, "a2").unions] == ["A2"]
    assert not found(client, "dong da").unions


def test_national_id_prefix_for_staff_and_chairs_never_for_leaders(client, district_staff, leader, chair_a1, people):
    for user, expected in ((district_staff, {people["A1"].pk, people["A2"].pk}), (chair_a1, {people["A1"].pk})):
        client.force_login(user)
        assert {member.pk for member in found(client, "0011900").members} == expected
    client.force_login(leader)
    response = client.get(SEARCH, {"q": "0011900"})
    assert not response.context["results"].members
    body = response.content.decode()
    assert "Nguyễn Thị" not in body and "001190000101" not in body


def test_leaders_results_lead_to_the_list_not_an_edit_page(client, leader, chair_a1, people, union_a1):
    client.force_login(leader)
    member = found(client, "nguyen thi hoa").members[0]
    assert member.url.startswith(reverse("portal:members", args=[member.union_id]) + "?")
    assert client.get(member.url).status_code == 200
    client.force_login(chair_a1)
    member = found(client, "nguyen thi hoa").members[0]
    assert member.url == reverse("portal:member_edit", args=[union_a1.pk, people["A1"].pk])


def test_empty_and_unmatched_queries_say_so_in_vietnamese(client, chair_a1, people, vi):
    client.force_login(chair_a1)
    assert "Gõ điều bạn cần tìm" in client.get(SEARCH).content.decode()
    assert "Gõ điều bạn cần tìm" in client.get(SEARCH, {"q": "   "}).content.decode()
    body = client.get(SEARCH, {"q": "khong ai ten nay"}).content.decode()
    assert "Không có kết quả cho “khong ai ten nay”." in body
    assert '<label for="search-q">' in body


def test_results_are_capped(client, chair_a1, union_a1):
    factories.MemberFactory.create_batch(RESULTS_PER_KIND + 3, union=union_a1)  # "Nguyễn Văn An <n>"
    client.force_login(chair_a1)
    results = found(client, "an")
    assert len(results.members) == RESULTS_PER_KIND
    assert "members" in results.cut


def test_a_pasted_paragraph_is_no_server_error(client, chair_a1, people):
    client.force_login(chair_a1)
    assert client.get(SEARCH, {"q": "nguyễn " * 500}).status_code == 200


def test_search_queries_do_not_grow_with_results(client, district_staff, union_a1, django_assert_num_queries):
    client.force_login(district_staff)
    client.get(SEARCH, {"q": "an"})
    # Session and user (with the federation for the district rule), members, unions, groups.
    with django_assert_num_queries(5):
        client.get(SEARCH, {"q": "an"})
    factories.MemberFactory.create_batch(8, union=union_a1, group=factories.UnionGroupFactory(union=union_a1))
    with django_assert_num_queries(5):
        client.get(SEARCH, {"q": "an"})


def test_header_has_the_search_box(client, chair_a1, union_a1):
    client.force_login(chair_a1)
    body = client.get(reverse("portal:members", args=[union_a1.pk])).content.decode()
    assert f'action="{SEARCH}"' in body
    assert 'for="site-search-q"' in body
