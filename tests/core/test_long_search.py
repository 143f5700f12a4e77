"""A very long search on an admin list answers a page, not a 500 (SQLite's expression depth)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

LONG_SEARCH = " ".join(f"nguyen{number}" for number in range(1000))

LISTS_WITH_SEARCH = [
    "admin:members_member_changelist",
    "admin:unions_grassrootsunion_changelist",
    "admin:union_groups_uniongroup_changelist",
    "admin:meetings_meeting_changelist",
    "admin:accounts_user_changelist",
    "admin:accounts_personaldataaccess_changelist",
]


@pytest.mark.parametrize("changelist", LISTS_WITH_SEARCH)
def test_a_thousand_word_search_answers_the_list(client, superuser, union_a1, changelist):
    factories.MemberFactory(union=union_a1, full_name="Nguyễn Văn An")
    client.force_login(superuser)
    response = client.get(reverse(changelist), {"q": LONG_SEARCH})
    assert response.status_code == 200


def test_a_search_of_one_enormous_word_answers_the_list(client, superuser, union_a1):
    client.force_login(superuser)
    response = client.get(reverse("admin:members_member_changelist"), {"q": "a" * 100_000})
    assert response.status_code == 200


def test_the_first_words_of_a_long_search_still_find_the_member(client, district_staff, union_a1):
    factories.MemberFactory(union=union_a1, full_name="Nguyễn Văn An")
    factories.MemberFactory(union=union_a1, full_name="Trần Thị Bình")
    client.force_login(district_staff)
    response = client.get(reverse("admin:members_member_changelist"), {"q": "nguyen van an " + "van " * 1000})
    assert [member.full_name for member in response.context["cl"].result_list] == ["Nguyễn Văn An"]


def test_autocomplete_with_a_long_search_answers(client, district_staff, union_a1):
    client.force_login(district_staff)
    response = client.get(
        "/admin/autocomplete/",
        {"term": LONG_SEARCH, "app_label": "members", "model_name": "membershipperiod", "field_name": "union"},
    )
    assert response.status_code == 200
