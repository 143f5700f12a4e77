"""Staff and leaders of a federation see its whole subtree, at any depth (issue 16, part 1).

The tree: a province holds a district, which holds a ward; a sibling province stands apart.
Each federation has one CĐCS with two members.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.backends import PortalUserBackend
from apps.accounts.models import User
from apps.dashboard import selectors
from apps.members.models import Member
from apps.unions.models import Federation, GrassrootsUnion
from tests import factories

TODAY = dt.date.today()


@pytest.fixture
def tree(db):
    province = factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội", kind="province")
    district = factories.FederationFactory(code="LB", name="Liên đoàn Lao động quận Long Biên", parent=province)
    ward = factories.FederationFactory(code="P-BD", name="Công đoàn phường Bồ Đề", parent=district, kind="commune")
    sibling = factories.FederationFactory(code="HP", name="Liên đoàn Lao động thành phố Hải Phòng", kind="province")
    unions = {}
    for federation in (province, district, ward, sibling):
        union = factories.GrassrootsUnionFactory(federation=federation, code=f"CD-{federation.code}")
        factories.MemberFactory.create_batch(2, union=union)
        unions[federation.code] = union
    return SimpleNamespace(province=province, district=district, ward=ward, sibling=sibling, unions=unions)


def staff_of(federation: Federation, role: str = User.Role.DISTRICT_STAFF) -> User:
    """An account of ``federation`` loaded as a request loads it (with whether its federation holds others)."""
    user = factories.UserFactory(username=f"canbo-{federation.code.lower()}-{role}", role=role, federation=federation)
    return PortalUserBackend().get_user(user.pk)


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def union_codes_of_members(user: User) -> set[str]:
    return set(Member.objects.visible_to(user).values_list("union__code", flat=True))


@pytest.mark.parametrize("role", [User.Role.DISTRICT_STAFF, User.Role.LEADER])
def test_province_staff_and_leaders_see_rows_of_every_level_below(tree, role):
    user = staff_of(tree.province, role)
    everything_below = {"CD-HN", "CD-LB", "CD-P-BD"}
    assert codes(GrassrootsUnion.objects.visible_to(user)) == everything_below
    assert union_codes_of_members(user) == everything_below
    assert Member.objects.visible_to(user).count() == 6
    assert codes(Federation.objects.visible_to(user)) == {"HN", "LB", "P-BD"}


def test_a_middle_federations_staff_see_their_level_and_below_not_above(tree):
    user = staff_of(tree.district)
    assert codes(GrassrootsUnion.objects.visible_to(user)) == {"CD-LB", "CD-P-BD"}
    assert union_codes_of_members(user) == {"CD-LB", "CD-P-BD"}
    assert codes(Federation.objects.visible_to(user)) == {"LB", "P-BD"}


def test_a_wards_staff_see_only_their_ward_by_one_equality(tree):
    user = staff_of(tree.ward)
    assert codes(GrassrootsUnion.objects.visible_to(user)) == {"CD-P-BD"}
    assert union_codes_of_members(user) == {"CD-P-BD"}
    assert codes(Federation.objects.visible_to(user)) == {"P-BD"}
    # A leaf: the shortcut on the row's own federation column, no subquery on the paths.
    assert "tree_path" not in str(Member.objects.visible_to(user).query)


def test_a_sibling_provinces_staff_see_nothing_of_the_other_tree(tree):
    user = staff_of(tree.sibling)
    assert codes(GrassrootsUnion.objects.visible_to(user)) == {"CD-HP"}
    assert union_codes_of_members(user) == {"CD-HP"}
    assert codes(Federation.objects.visible_to(user)) == {"HP"}


def test_a_federation_that_gains_a_child_loses_the_shortcut(tree):
    # The shortcut holds only while the federation holds nothing (else it would hide the new level).
    user = staff_of(tree.ward)
    factories.FederationFactory(code="TO-1", name="Tổ dân phố 1", parent=tree.ward, kind="other")
    union = factories.GrassrootsUnionFactory(federation=Federation.objects.get(code="TO-1"), code="CD-TO-1")
    user = PortalUserBackend().get_user(user.pk)
    assert codes(GrassrootsUnion.objects.visible_to(user)) == {"CD-P-BD", union.code}


def test_the_subtree_filter_is_one_query_with_the_user_already_loaded(tree):
    user = staff_of(tree.province)
    with CaptureQueriesContext(connection) as captured:
        unions = list(GrassrootsUnion.objects.visible_to(user))
        members = Member.objects.visible_to(user).count()
    assert len(unions) == 3 and members == 6
    assert len(captured.captured_queries) == 2
    for query in captured.captured_queries:
        # A subquery on the federations' paths by their prefix, inside the one statement.
        assert "tree_path" in query["sql"] and "LIKE" in query["sql"].upper()
        assert "parent_id" not in query["sql"]


def test_accounts_of_the_whole_subtree_are_listed_to_province_staff(tree):
    province_staff = staff_of(tree.province)
    ward_staff = staff_of(tree.ward)
    chair = factories.UserFactory(username="chutich-bd", role=User.Role.UNION_CHAIR, union=tree.unions["P-BD"])
    sibling_staff = staff_of(tree.sibling)
    listed = set(User.objects.visible_to(province_staff))
    assert {province_staff, ward_staff, chair} <= listed
    assert sibling_staff not in listed
    assert set(User.objects.visible_to(ward_staff)) == {ward_staff, chair}


def test_dashboard_figures_add_up_every_level_of_the_subtree(tree):
    province_staff = staff_of(tree.province)
    assert codes(selectors.counted_unions(as_of=TODAY, user=province_staff)) == {"CD-HN", "CD-LB", "CD-P-BD"}
    assert codes(selectors.counted_unions(as_of=TODAY, user=province_staff, federation=tree.district)) == {
        "CD-LB",
        "CD-P-BD",
    }
    summary = selectors.district_summary(as_of=TODAY, user=province_staff)
    assert (summary.unions, summary.members) == (3, 6)
    of_district = selectors.district_summary(as_of=TODAY, user=province_staff, federation=tree.district)
    assert (of_district.unions, of_district.members) == (2, 4)
    ward_summary = selectors.district_summary(as_of=TODAY, user=staff_of(tree.ward))
    assert (ward_summary.unions, ward_summary.members) == (1, 2)
    sibling_summary = selectors.district_summary(as_of=TODAY, user=staff_of(tree.sibling), federation=tree.district)
    assert (sibling_summary.unions, sibling_summary.members) == (0, 0)
