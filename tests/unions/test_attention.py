"""Charter checks: warnings on the union page and the "needs attention" filter."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from apps.accounts.scoping import SYSTEM
from apps.dashboard.selectors import union_warnings
from apps.members.models import UnionOfficial
from tests import factories


def test_a_small_union_with_old_figures_and_a_leaderless_group_gets_warnings(union_a1, vi):
    today = timezone.localdate()
    factories.WorkforceDeclarationFactory(
        union=union_a1, as_of=today - dt.timedelta(days=400), total_workers=2, female_workers=1
    )
    factories.MemberFactory.create_batch(3, union=union_a1)
    factories.UnionGroupFactory(union=union_a1)
    assert union_warnings(union_a1, today, user=SYSTEM) == [
        "ít hơn 5 đoàn viên",
        "số đoàn viên nhiều hơn số người lao động đã khai báo",
        "chưa khai báo số lao động hoặc khai báo đã quá một năm",
        "có tổ công đoàn chưa có tổ trưởng",
    ]


def test_a_healthy_union_has_no_warning(union_a1):
    today = timezone.localdate()
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=today, total_workers=7, female_workers=3)
    members = factories.MemberFactory.create_batch(6, union=union_a1)
    group = factories.UnionGroupFactory(union=union_a1)
    UnionOfficial.objects.create(
        member=members[0], union=union_a1, group=group, role="group_leader", started_on=dt.date(2020, 1, 1)
    )
    assert union_warnings(union_a1, today, user=SYSTEM) == []


def test_warnings_show_on_the_union_page_and_the_filter_lists_it(client, district_staff, union_a1, union_a2):
    today = timezone.localdate()
    factories.WorkforceDeclarationFactory(union=union_a2, as_of=today, total_workers=10, female_workers=5)
    factories.MemberFactory.create_batch(6, union=union_a2)
    client.force_login(district_staff)
    page = client.get(reverse("admin:unions_grassrootsunion_change", args=[union_a1.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert "ít hơn 5 đoàn viên" in page.content.decode()
    listed = client.get(reverse("admin:unions_grassrootsunion_changelist"), {"attention": "few_members"})
    assert [union.pk for union in listed.context["cl"].result_list] == [union_a1.pk]
