"""Federations form a tree of any depth, kept as materialised paths (issue 16, part 1)."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.accounts.models import User
from apps.unions.models import Federation, GrassrootsUnion
from tests import factories


@pytest.fixture
def province(db):
    return factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội", kind="province")


@pytest.fixture
def district(province):
    return factories.FederationFactory(code="LB", name="Liên đoàn Lao động quận Long Biên", parent=province)


@pytest.fixture
def ward(district):
    return factories.FederationFactory(code="P-BD", name="Công đoàn phường Bồ Đề", parent=district, kind="commune")


@pytest.fixture
def sibling(db):
    return factories.FederationFactory(code="HP", name="Liên đoàn Lao động thành phố Hải Phòng", kind="province")


def stored_paths() -> dict[str, str]:
    return dict(Federation.objects.values_list("code", "tree_path"))


def test_paths_run_from_the_root_down_to_the_federation_at_any_depth(province, district, ward):
    assert stored_paths() == {
        "HN": f"/{province.pk}/",
        "LB": f"/{province.pk}/{district.pk}/",
        "P-BD": f"/{province.pk}/{district.pk}/{ward.pk}/",
    }
    assert [province.depth, district.depth, ward.depth] == [1, 2, 3]
    # Four levels are as good as three.
    group = factories.FederationFactory(code="TO", name="Tổ dân phố 1", parent=ward, kind="other")
    group.full_clean()
    assert group.tree_path == f"{ward.tree_path}{group.pk}/"


def test_moving_a_federation_rewrites_its_whole_subtree_in_one_update(province, district, ward, sibling):
    district.refresh_from_db()
    district.parent = sibling
    with CaptureQueriesContext(connection) as captured:
        district.save()
    updates = [query["sql"] for query in captured.captured_queries if query["sql"].startswith("UPDATE")]
    # The federation's own row, then every row below it at once.
    assert len(updates) == 2
    assert "LIKE" in updates[1].upper()
    assert stored_paths() == {
        "HN": f"/{province.pk}/",
        "HP": f"/{sibling.pk}/",
        "LB": f"/{sibling.pk}/{district.pk}/",
        "P-BD": f"/{sibling.pk}/{district.pk}/{ward.pk}/",
    }
    # Back to the top level: a root again, its subtree with it.
    district.parent = None
    district.save()
    assert stored_paths()["P-BD"] == f"/{district.pk}/{ward.pk}/"


def test_saving_without_a_move_leaves_the_paths_alone(province, district, ward):
    before = stored_paths()
    district.name = "Liên đoàn Lao động quận Long Biên (cũ)"
    district.save()
    district.save(update_fields=["name"])
    assert stored_paths() == before


@pytest.mark.parametrize("new_parent", ["itself", "its child", "its grandchild"])
def test_a_federation_cannot_be_placed_in_its_own_subtree(province, district, ward, new_parent, vi):
    parent = {"itself": province, "its child": district, "its grandchild": ward}[new_parent]
    province.parent = parent
    with pytest.raises(ValidationError) as error:
        province.full_clean()
    assert "Không thể đặt một công đoàn cấp trên trực thuộc chính nó" in " ".join(error.value.message_dict["parent"])
    # Saved without being cleaned, it is refused all the same, and nothing moves.
    before = stored_paths()
    with pytest.raises(ValidationError):
        province.save()
    assert stored_paths() == before
    assert Federation.objects.get(pk=province.pk).parent_id is None


def test_the_migration_fills_the_paths_from_the_parents(province, district, ward, sibling):
    expected = stored_paths()
    Federation.objects.update(tree_path="")
    migration = importlib.import_module("apps.unions.migrations.0011_federation_tree_path")
    migration.fill_tree_paths(apps, None)
    assert stored_paths() == expected


@pytest.fixture
def province_staff(province):
    return factories.UserFactory(username="canbo_hn", role=User.Role.DISTRICT_STAFF, federation=province)


def test_the_parent_list_leaves_out_the_federation_its_subtree_and_ended_ones(
    client, province_staff, province, district, ward
):
    other = factories.FederationFactory(code="GL", name="Liên đoàn Lao động quận Gia Lâm", parent=province)
    factories.FederationFactory(code="TH", parent=province, ended_on=dt.date(2025, 7, 1))
    client.force_login(province_staff)
    form = client.get(reverse("admin:unions_federation_change", args=[district.pk])).context["adminform"].form
    field = form.fields["parent"]
    assert list(field.queryset) == sorted([province, other], key=lambda federation: federation.tree_path)
    # Indented by depth, so the list reads as the tree.
    assert field.label_from_instance(other) == "└\u00a0" + other.name
    assert field.label_from_instance(province) == province.name


def test_a_new_federation_may_go_under_any_existing_one(client, superuser, province, district, ward):
    client.force_login(superuser)
    add_form = client.get(reverse("admin:unions_federation_add")).context["adminform"].form
    assert set(add_form.fields["parent"].queryset) == {province, district, ward}


def post_change(client, federation: Federation, **changes):
    """Post the federation's change form as loaded, with ``changes``."""
    url = reverse("admin:unions_federation_change", args=[federation.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data = {name: "" if value is None else value for name, value in {**data, **changes}.items()}
    return client.post(url, data)


def test_a_cycle_posted_through_the_admin_is_refused_in_vietnamese(client, province_staff, province, district, vi):
    client.force_login(province_staff)
    response = post_change(client, district, parent=district.pk)
    assert response.status_code == 200
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()
    assert Federation.objects.get(pk=district.pk).parent_id == province.pk


def test_province_staff_edit_federations_at_every_level_below_and_no_other(
    client, province_staff, province, district, ward, sibling
):
    client.force_login(province_staff)
    listing = client.get(reverse("admin:unions_federation_changelist"))
    # In tree order, names indented by depth.
    assert [federation.code for federation in listing.context["cl"].result_list] == ["HN", "LB", "P-BD"]
    assert "\u00a0\u00a0\u00a0\u00a0└\u00a0Công đoàn phường Bồ Đề</a>" in listing.content.decode()
    response = post_change(client, ward, name="Công đoàn phường Bồ Đề (mới)", parent=province.pk)
    assert response.status_code == 302, response.context["adminform"].form.errors
    ward.refresh_from_db()
    assert (ward.name, ward.tree_path) == ("Công đoàn phường Bồ Đề (mới)", f"/{province.pk}/{ward.pk}/")
    assert client.get(reverse("admin:unions_federation_change", args=[sibling.pk])).status_code == 404


def test_paths_are_indexed_for_prefix_matches(db):
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, Federation._meta.db_table)
        assert any(index["index"] and index["columns"] == ["tree_path"] for index in indexes.values())
        if connection.vendor == "postgresql":
            # A plain btree serves no LIKE 'prefix%' outside the C collation; the pattern index does.
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [Federation._meta.db_table])
            assert any("(tree_path varchar_pattern_ops)" in row[0] for row in cursor.fetchall())


# CĐCS codes are unique within the top federation of their tree, so they stay stable through moves.


def test_a_cdcs_code_is_refused_when_used_anywhere_in_the_same_tree(province, district, ward, sibling, vi):
    factories.GrassrootsUnionFactory(federation=district, code="CD-001")
    in_ward = factories.GrassrootsUnionFactory.build(federation=ward, sector=factories.sector(), code="CD-001")
    with pytest.raises(ValidationError) as error:
        in_ward.full_clean()
    assert error.value.message_dict["code"] == [
        "Mã “CD-001” đã được một công đoàn cơ sở khác thuộc “Liên đoàn Lao động thành phố Hà Nội” sử dụng: "
        "mã công đoàn cơ sở không được trùng trong cùng một công đoàn cấp trên cao nhất."
    ]
    # Another tree may use it; the CĐCS holding it may edit itself.
    factories.GrassrootsUnionFactory.build(federation=sibling, sector=factories.sector(), code="CD-001").full_clean()
    GrassrootsUnion.objects.get(code="CD-001", federation=district).full_clean()


def test_a_federation_cannot_move_into_a_tree_where_its_cdcs_codes_are_taken(province, district, ward, sibling, vi):
    factories.GrassrootsUnionFactory(federation=ward, code="CD-001")
    factories.GrassrootsUnionFactory(federation=sibling, code="CD-001")
    district.parent = sibling
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert (
        "Mã “CD-001” đã được một công đoàn cơ sở khác thuộc “Liên đoàn Lao động thành phố Hải Phòng”"
        in (error.value.message_dict["parent"][0])
    )
    # Within its own tree it moves freely.
    district.parent = None
    district.full_clean()
