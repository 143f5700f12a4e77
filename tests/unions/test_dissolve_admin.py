"""The CĐCS list's action “Giải thể các CĐCS đã chọn”: district staff only, scoped, confirmed on a page of its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from apps.members.models import Member
from apps.unions.models import Decision, GrassrootsUnion
from tests import factories

CHANGELIST = reverse("admin:unions_grassrootsunion_changelist")


@pytest.fixture
def staffed(union_a1, union_a2, union_b1):
    for union in (union_a1, union_a2, union_b1):
        group = factories.UnionGroupFactory(union=union)
        chair = factories.MemberFactory(union=union, group=group)
        factories.MemberFactory(union=union, group=group)
        factories.UnionOfficialFactory(member=chair)


def choose(*unions, **extra) -> dict:
    return {"action": "dissolve_selected", helpers.ACTION_CHECKBOX_NAME: [u.pk for u in unions], **extra}


def confirm(*unions, on="15/06/2025", **extra) -> dict:
    return choose(*unions, confirm="1", select_across="0", on=on, **extra)


def test_staff_see_the_action_and_chairs_and_leaders_do_not(client, district_staff, chair_a1, leader, union_a1, vi):
    client.force_login(district_staff)
    assert "Giải thể các CĐCS đã chọn" in client.get(CHANGELIST).content.decode()
    for user in (chair_a1, leader):
        client.force_login(user)
        assert "dissolve_selected" not in client.get(CHANGELIST).content.decode()


def test_a_chair_posting_the_action_dissolves_nothing(client, chair_a1, union_a1, staffed):
    client.force_login(chair_a1)
    client.post(CHANGELIST, confirm(union_a1))
    union_a1.refresh_from_db()
    assert union_a1.status == GrassrootsUnion.Status.ACTIVE


def test_the_confirmation_page_shows_what_each_union_will_close(
    client, district_staff, union_a1, union_a2, staffed, vi
):
    Decision.objects.create(number="123/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 10), issuer="LĐLĐ Hà Nội")
    client.force_login(district_staff)
    response = client.post(CHANGELIST, choose(union_a1, union_a2))
    assert response.status_code == 200
    rows = {union.code: counts for union, counts in response.context["rows"]}
    assert (rows["A1"].members, rows["A1"].groups, rows["A1"].officials) == (2, 1, 1)
    page = response.content.decode()
    assert "Giải thể CĐCS" in page and "123/QĐ-LĐLĐ ngày 10/06/2025, LĐLĐ Hà Nội" in page
    assert GrassrootsUnion.objects.filter(status="dissolved").count() == 0


def test_confirming_dissolves_them_and_says_what_was_closed(client, district_staff, union_a1, union_a2, staffed, vi):
    decision = Decision.objects.create(number="123/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 10), issuer="LĐLĐ Hà Nội")
    client.force_login(district_staff)
    response = client.post(CHANGELIST, confirm(union_a1, union_a2, decision=decision.pk), follow=True)
    message = " ".join(str(m) for m in response.context["messages"])
    assert "Đã giải thể 2 CĐCS: 4 đoàn viên thôi sinh hoạt, 2 tổ công đoàn giải thể" in message
    assert set(GrassrootsUnion.objects.filter(status="dissolved").values_list("code", flat=True)) == {"A1", "A2"}
    assert union_a1.history.latest().history_change_reason == "Giải thể theo quyết định 123/QĐ-LĐLĐ ngày 10/06/2025"
    assert set(decision.dissolved_unions.values_list("code", flat=True)) == {"A1", "A2"}
    assert Member.objects.filter(status=Member.Status.ACTIVE).count() == 2  # B1's


def test_a_date_error_is_shown_next_to_the_field(client, district_staff, union_a1, staffed, vi):
    client.force_login(district_staff)
    response = client.post(CHANGELIST, confirm(union_a1, on="31/12/2014"))
    assert response.status_code == 200
    assert "A1" in " ".join(response.context["form"].errors["on"])
    assert "errorlist" in response.content.decode()
    union_a1.refresh_from_db()
    assert union_a1.status == GrassrootsUnion.Status.ACTIVE


def test_another_federations_union_in_the_post_is_ignored(client, district_staff, union_a1, union_b1, staffed, vi):
    client.force_login(district_staff)
    preview = client.post(CHANGELIST, choose(union_a1, union_b1))
    assert [union.code for union, _counts in preview.context["rows"]] == ["A1"]
    assert union_b1.name not in preview.content.decode()
    client.post(CHANGELIST, confirm(union_a1, union_b1))
    assert list(GrassrootsUnion.objects.filter(status="dissolved").values_list("code", flat=True)) == ["A1"]
    union_b1.refresh_from_db()
    assert union_b1.status == GrassrootsUnion.Status.ACTIVE


def test_select_all_on_a_filtered_list_dissolves_that_sector(client, district_staff, union_a1, union_a2, staffed, vi):
    sector = union_a2.sector
    other = factories.GrassrootsUnionFactory(federation=union_a1.federation, sector=factories.sector("truong-hoc"))
    assert other.sector != sector
    client.force_login(district_staff)
    filtered = f"{CHANGELIST}?sector__id__exact={sector.pk}"
    first = client.post(filtered, choose(union_a1, select_across="1"))
    assert {union.code for union, _counts in first.context["rows"]} == {"A1", "A2"}
    client.post(filtered, confirm(union_a1, union_a2))
    assert set(GrassrootsUnion.objects.filter(status="dissolved").values_list("code", flat=True)) == {"A1", "A2"}
