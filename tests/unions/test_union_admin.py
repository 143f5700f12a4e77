"""The CĐCS change page lists its groups with links; groups are added and edited on their own pages."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from tests import factories


def test_groups_are_listed_with_links_not_as_forms(client, district_staff, federation_a, vi):
    # An id past a thousand: Vietnamese formatting would print it "12.345" in the link.
    union_a1 = factories.GrassrootsUnionFactory(pk=12345, federation=federation_a)
    groups = factories.UnionGroupFactory.create_batch(3, union=union_a1)
    client.force_login(district_staff)
    page = client.get(reverse("admin:unions_grassrootsunion_change", args=[union_a1.pk])).content.decode()
    for group in groups:
        assert group.name in page
        assert reverse("admin:union_groups_uniongroup_change", args=[group.pk]) in page
    assert 'name="groups-0-name"' not in page
    add_url = reverse("admin:union_groups_uniongroup_add") + f"?union={union_a1.pk}"
    assert add_url in page
    assert "Thêm tổ công đoàn cho CĐCS này" in page


def test_the_add_link_opens_a_group_form_for_that_union(client, district_staff, union_a1):
    client.force_login(district_staff)
    response = client.get(reverse("admin:union_groups_uniongroup_add"), {"union": union_a1.pk})
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["union"] == str(union_a1.pk)


def test_a_leader_who_may_not_add_groups_sees_no_add_link(client, leader, union_a1):
    client.force_login(leader)
    page = client.get(reverse("admin:unions_grassrootsunion_change", args=[union_a1.pk])).content.decode()
    assert reverse("admin:union_groups_uniongroup_add") not in page


def test_the_union_list_shows_each_unions_figures_added_by_the_dashboard(client, district_staff, union_a1):
    # The figures are the dashboard's (apps.dashboard.admin extends the unions' admin).
    factories.WorkforceDeclarationFactory(union=union_a1, total_workers=4, female_workers=2)
    factories.MemberFactory.create_batch(3, union=union_a1)
    client.force_login(district_staff)
    listed = client.get(reverse("admin:unions_grassrootsunion_changelist"))
    changelist = listed.context["cl"]
    assert changelist.list_display[1:] == [
        "code",
        "name",
        "sector",
        "members_column",
        "workers_column",
        "ratio_column",
        "groups_column",
        "status",
    ]
    assert changelist.filter_specs[0].parameter_name == "attention"
    (union,) = changelist.result_list
    assert (union.member_count, union.workers) == (3, 4)


def test_the_dissolution_decision_is_shown_with_the_dissolution_date(client, district_staff, chair_a1, union_a1, vi):
    from apps.members.services import unions_dissolve
    from apps.unions.models import Decision

    decision = Decision.objects.create(
        number="210/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 12), issuer="Ban Thường vụ LĐLĐ quận Hai Bà Trưng"
    )
    unions_dissolve([union_a1], on=dt.date(2025, 6, 15), decision=decision)
    url = reverse("admin:unions_grassrootsunion_change", args=[union_a1.pk])
    # District staff correct it, like the dissolution date, by picking a decision.
    client.force_login(district_staff)
    response = client.get(url)
    status = next(fieldset for fieldset in response.context["adminform"] if "dissolved_on" in fieldset.fields)
    assert list(status.fields)[-2:] == ["dissolved_on", "dissolution_decision"]
    form = response.context["adminform"].form
    assert form.fields["dissolution_decision"].label == "Quyết định giải thể"
    assert form["dissolution_decision"].value() == decision.pk
    # A chair reads it, as they read the dissolution date.
    client.force_login(chair_a1)
    response = client.get(url)
    assert "dissolution_decision" not in response.context["adminform"].form.fields
    assert "Quyết định số 210/QĐ-LĐLĐ ngày 12/06/2025" in response.content.decode()
