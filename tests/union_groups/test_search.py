"""Groups and department unions are found by their own name, accents optional, or by their union's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.union_groups.models import UnionGroup
from apps.unions.models import DepartmentUnion
from tests import factories


@pytest.fixture
def groups(union_a1, union_a2):
    union_a1.name = "Công đoàn Trường Mầm non Hoa Sen"
    union_a1.save()
    return {
        "office": factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng"),
        "kitchen": factories.UnionGroupFactory(union=union_a1, name="Tổ Cấp dưỡng"),
        "other_office": factories.UnionGroupFactory(union=union_a2, name="Tổ Văn phòng"),
    }


def changelist_hits(client, admin_name: str, term: str) -> set[int]:
    response = client.get(reverse(f"admin:{admin_name}_changelist"), {"q": term})
    assert response.status_code == 200
    return {obj.pk for obj in response.context["cl"].result_list}


def test_the_name_is_kept_folded_on_save(union_a1):
    group = factories.UnionGroupFactory(union=union_a1, name="  Tổ   Giáo viên Khối Lá ")
    assert UnionGroup.objects.values_list("search_name", flat=True).get(pk=group.pk) == "to giao vien khoi la"
    group.name = "Tổ Đời sống"
    group.save()
    assert UnionGroup.objects.values_list("search_name", flat=True).get(pk=group.pk) == "to doi song"


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("van phong", {"office", "other_office"}),  # own name, without accents
        ("Tổ cấp DƯỠNG", {"kitchen"}),  # own name, as typed
        ("hoa sen", {"office", "kitchen"}),  # the union's name
        ("van phong hoa sen", {"office"}),  # words from both
        ("to bao ve", set()),
    ],
)
def test_groups_are_found_by_their_own_name_or_their_unions(client, district_staff, groups, term, expected):
    client.force_login(district_staff)
    assert changelist_hits(client, "union_groups_uniongroup", term) == {groups[key].pk for key in expected}


def test_a_member_form_finds_a_group_by_its_name(client, chair_a1, groups):
    # The group field of a member's form looks groups up through the group admin's search,
    # scoped to the chair's union: the other union's "Tổ Văn phòng" is not offered.
    client.force_login(chair_a1)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "members", "model_name": "member", "field_name": "group", "term": "van phong"},
    )
    assert response.status_code == 200
    assert [result["id"] for result in response.json()["results"]] == [str(groups["office"].pk)]


def test_department_unions_are_found_by_their_own_name(client, district_staff, union_a1, union_a2):
    workshop = DepartmentUnion.objects.create(
        union=union_a1, name="Công đoàn bộ phận Phân xưởng Dệt", established_on="2020-01-01"
    )
    DepartmentUnion.objects.create(union=union_a2, name="Công đoàn bộ phận Văn phòng", established_on="2020-01-01")
    client.force_login(district_staff)
    assert changelist_hits(client, "unions_departmentunion", "phan xuong det") == {workshop.pk}
