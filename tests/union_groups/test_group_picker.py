"""The group picker offers the groups of the chosen CĐCS, named with it; a chair is not asked for their CĐCS."""

from __future__ import annotations

from django.urls import reverse

from apps.members.models import Member
from apps.union_groups.models import UnionGroup
from tests import factories

AUTOCOMPLETE = "/admin/autocomplete/"


def group_choices(client, **params):
    query = {"app_label": "members", "model_name": "member", "field_name": "group", "term": "", **params}
    response = client.get(AUTOCOMPLETE, query)
    assert response.status_code == 200
    return [result["text"] for result in response.json()["results"]]


def test_the_picker_lists_the_groups_of_the_chosen_union_named_with_it(client, district_staff, union_a1, union_a2):
    factories.UnionGroupFactory(union=union_a1, name="Tổ Kinh doanh")
    factories.UnionGroupFactory(union=union_a2, name="Tổ Kinh doanh")
    client.force_login(district_staff)
    assert group_choices(client, union=union_a1.pk) == ["Tổ Kinh doanh — Công đoàn Trường THCS Ngô Quyền"]
    assert len(group_choices(client)) == 2  # nothing chosen yet: every group in scope


def test_a_chair_naming_another_union_gets_nothing(client, chair_a1, union_a1, union_a2, union_b1):
    factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.UnionGroupFactory(union=union_a2, name="Tổ Kinh doanh")
    client.force_login(chair_a1)
    assert group_choices(client, union=union_a2.pk) == []
    assert group_choices(client, union="A2") == []
    assert group_choices(client, union=union_a1.pk) == ["Tổ Văn phòng — Công đoàn Trường THCS Ngô Quyền"]


def test_staff_choosing_another_federations_union_gets_nothing(client, district_staff, union_b1):
    factories.UnionGroupFactory(union=union_b1, name="Tổ Khoa Nội")
    client.force_login(district_staff)
    assert group_choices(client, union=union_b1.pk) == []


def test_a_chairs_add_forms_do_not_ask_for_the_union(client, chair_a1):
    client.force_login(chair_a1)
    for name in (
        "union_groups_uniongroup",
        "unions_departmentunion",
        "unions_workforcedeclaration",
        "members_unionofficial",
        "members_member",
    ):
        page = client.get(reverse(f"admin:{name}_add")).content.decode()
        assert 'name="union"' not in page, name


def test_staff_are_asked_for_the_union(client, district_staff):
    client.force_login(district_staff)
    assert 'name="union"' in client.get(reverse("admin:members_member_add")).content.decode()


def test_a_chair_adds_a_member_into_their_union_whatever_they_post(client, chair_a1, union_a1, union_a2):
    client.force_login(chair_a1)
    response = client.post(
        reverse("admin:members_member_add"),
        {
            "union": union_a2.pk,
            "full_name": "Lê Thị Hoa",
            "gender": "female",
            "nationality": "VN",
            "date_of_birth": "05/06/1990",
            "national_id": "001190000123",
            "joined_union_on": "01/02/2021",
            "status": "active",
            "periods-TOTAL_FORMS": "0",
            "periods-INITIAL_FORMS": "0",
            "offices-TOTAL_FORMS": "0",
            "offices-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, [str(e) for e in response.context["errors"]]
    assert Member.objects.get(national_id="001190000123").union == union_a1


def test_a_chair_adds_a_group_into_their_union_and_returns_to_it(client, chair_a1, union_a1):
    client.force_login(chair_a1)
    response = client.post(
        reverse("admin:union_groups_uniongroup_add"), {"name": "Tổ Bảo vệ", "established_on": "01/02/2021"}
    )
    group = UnionGroup.objects.get(name="Tổ Bảo vệ")
    assert group.union == union_a1
    assert response.url == reverse("admin:unions_grassrootsunion_change", args=[union_a1.pk])


def test_saving_a_group_returns_to_its_union(client, district_staff, union_a1):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    client.force_login(district_staff)
    url = reverse("admin:union_groups_uniongroup_change", args=[group.pk])

    def save(**extra):
        page = client.get(url).content.decode()
        version = page.split('name="loaded_version" value="')[1].split('"')[0]
        data = {"union": union_a1.pk, "name": "Tổ Hành chính", "established_on": "01/02/2021"}
        return client.post(url, {**data, "loaded_version": version, **extra})

    assert save(_continue="1").url == url  # "Lưu và tiếp tục sửa" stays on the group
    assert save().url == reverse("admin:unions_grassrootsunion_change", args=[union_a1.pk])


def test_a_chair_adding_a_group_of_a_name_taken_gets_a_message_not_an_error_page(client, chair_a1, union_a1):
    factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    client.force_login(chair_a1)
    response = client.post(
        reverse("admin:union_groups_uniongroup_add"), {"name": "Tổ Văn phòng", "established_on": "01/01/2020"}
    )
    assert response.status_code == 200
    assert "Công đoàn cơ sở này đã có tổ công đoàn trùng tên." in response.content.decode()
    assert UnionGroup.objects.filter(union=union_a1, name="Tổ Văn phòng").count() == 1
