"""The access rule is one: it lives in apps.accounts.scoping, fails closed, and no request reaches SYSTEM."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from apps.accounts.backends import PortalUserBackend
from apps.accounts.models import User
from apps.accounts.scoping import SYSTEM, SystemReader, transfer_destinations_of
from apps.core.admin import ScopedAdminMixin
from apps.core.admin.scoped import check_admin_models_are_scoped
from apps.dashboard import selectors
from apps.members.models import Member
from apps.unions.models import Federation, GrassrootsUnion, Sector
from tests import factories

ROOT = Path(__file__).resolve().parents[2]

# Modules a request runs: they always have a person to scope to.
REQUEST_MODULES = sorted(
    {
        *ROOT.glob("apps/*/views.py"),
        *ROOT.glob("apps/*/admin.py"),
        *ROOT.glob("apps/*/admin/*.py"),
        *ROOT.glob("apps/*/urls.py"),
        *ROOT.glob("apps/*/forms.py"),
        *ROOT.glob("apps/*/resources.py"),
        ROOT / "apps/dashboard/overview.py",
        ROOT / "unionportal/urls.py",
    }
)


def _names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.ImportFrom):
            found.update(alias.name for alias in node.names)
    return found


def test_the_request_modules_are_found():
    assert ROOT / "apps/dashboard/views.py" in REQUEST_MODULES
    assert ROOT / "apps/members/admin.py" in REQUEST_MODULES


@pytest.mark.parametrize("path", REQUEST_MODULES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_view_admin_url_conf_form_or_resource_names_the_system_reader(path):
    assert not _names(path) & {"SYSTEM", "SystemReader"}


def test_the_system_reader_sees_every_row_and_nobody_else_does_by_default(union_a1, union_b1, federation_a):
    everything = set(GrassrootsUnion.objects.values_list("pk", flat=True))
    assert set(GrassrootsUnion.objects.visible_to(SYSTEM).values_list("pk", flat=True)) == everything
    for nobody in (None, AnonymousUser()):
        assert not GrassrootsUnion.objects.visible_to(nobody).exists()
        assert not User.objects.visible_to(nobody).exists()
    assert isinstance(SYSTEM, SystemReader)


def test_a_deactivated_account_sees_nothing(district_staff, union_a1):
    district_staff.is_active = False
    assert not GrassrootsUnion.objects.visible_to(district_staff).exists()


def test_dashboard_selectors_need_to_be_told_whom_they_read_for(federation_a):
    with pytest.raises(TypeError, match="user"):
        selectors.district_summary(as_of=dt.date(2021, 7, 9), federation=federation_a)
    with pytest.raises(TypeError, match="user"):
        selectors.groups_without_recent_meeting(as_of=dt.date(2021, 7, 9))


def test_a_selector_given_no_user_shows_nothing_rather_than_everything(union_a1, federation_a):
    assert not selectors.counted_unions(as_of=dt.date.today(), user=None).exists()
    assert selectors.counted_unions(as_of=dt.date.today(), user=SYSTEM).filter(pk=union_a1.pk).exists()


def test_a_leaf_federations_staff_scope_is_one_equality_on_the_federation_column(union_a1):
    city = Federation.objects.create(code="HN", name="Liên đoàn Lao động thành phố Hà Nội")
    union_a1.federation.parent = city
    union_a1.federation.save()
    staff = factories.UserFactory(username="canbo_quan", role=User.Role.DISTRICT_STAFF, federation=union_a1.federation)
    # As a request loads it: with whether its federation holds others.
    signed_in = PortalUserBackend().get_user(staff.pk)
    assert "tree_path" not in str(Member.objects.visible_to(signed_in).query)
    # Loaded otherwise, the answer is unknown: the general rule, the same rows, no query to find out.
    with CaptureQueriesContext(connection) as captured:
        sql = str(Member.objects.visible_to(staff).query)
    assert "tree_path" in sql and not captured.captured_queries
    assert set(GrassrootsUnion.objects.visible_to(staff)) == set(GrassrootsUnion.objects.visible_to(signed_in))
    city_staff = factories.UserFactory(username="canbo_tp", role=User.Role.DISTRICT_STAFF, federation=city)
    assert "tree_path" in str(Member.objects.visible_to(PortalUserBackend().get_user(city_staff.pk)).query)
    assert set(GrassrootsUnion.objects.visible_to(city_staff)) == {union_a1}


def test_sectors_are_a_lookup_every_signed_in_user_reads(chair_a1):
    sector = chair_a1.union.sector
    assert Sector.objects.visible_to(chair_a1).filter(pk=sector.pk).exists()
    assert not Sector.objects.visible_to(AnonymousUser()).exists()


def _unscoped_site():
    site = admin.AdminSite(name="unscoped")

    class SessionAdmin(ScopedAdminMixin, admin.ModelAdmin):
        pass

    site.register(Session, SessionAdmin)
    return site, site._registry[Session]


def test_the_admin_mixin_fails_closed_for_a_model_without_visible_to(district_staff):
    _site, session_admin = _unscoped_site()
    request = RequestFactory().get("/admin/sessions/session/")
    request.user = district_staff
    with pytest.raises(ImproperlyConfigured, match="visible_to"):
        session_admin.get_queryset(request)


def test_the_system_check_refuses_an_admin_of_a_model_without_visible_to():
    site, _session_admin = _unscoped_site()
    errors = check_admin_models_are_scoped(site=site)
    assert [error.id for error in errors] == ["core.E001"]
    assert "sessions.Session" in errors[0].msg


def test_every_model_in_the_portals_admin_is_scoped():
    assert check_admin_models_are_scoped() == []


def test_only_the_scoping_module_writes_the_federation_subtree_rule():
    # The rule reaches a federation's subtree through the paths: a "__parent" or a
    # "tree_path__startswith" lookup anywhere else would be a second copy of it. The model
    # that keeps the paths (Federation.save) rewrites a moved subtree's by their prefix.
    allowed = {
        ROOT / "apps/accounts/scoping.py": {"__parent", "tree_path__startswith"},
        ROOT / "apps/unions/models.py": {"tree_path__startswith"},
    }
    sources = [path for path in ROOT.glob("apps/**/*.py") if "migrations" not in path.parts]
    copies = [
        (str(path.relative_to(ROOT)), lookup)
        for path in sources
        for lookup in ("__parent", "tree_path__startswith")
        if lookup in path.read_text(encoding="utf-8") and lookup not in allowed.get(path, set())
    ]
    assert copies == []


def test_a_chair_may_address_a_transfer_to_any_union_of_their_federation_and_see_none_of_them(
    chair_a1, union_a2, union_b1
):
    assert set(transfer_destinations_of(GrassrootsUnion.objects.all(), chair_a1)) == {chair_a1.union, union_a2}
    assert set(GrassrootsUnion.objects.visible_to(chair_a1)) == {chair_a1.union}
