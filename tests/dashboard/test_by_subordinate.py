"""The dashboard's table "by subordinate union": each federation right below the reader's, its subtree added in."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.models import User
from apps.dashboard.overview import subordinates_of
from apps.dashboard.selectors import figures_by_subordinate
from apps.unions.models import Federation, GrassrootsUnion
from apps.unions.services import unions_move
from tests import factories

MOVED_ON = dt.date(2025, 7, 1)
BEFORE, AFTER = MOVED_ON - dt.timedelta(days=1), dt.date(2025, 12, 31)


@pytest.fixture
def city(db):
    """A city with two districts, a ward below the first, and a CĐCS of its own; members in each CĐCS."""
    city = factories.FederationFactory(code="HN", name="LĐLĐ thành phố", kind="province")
    tay = factories.FederationFactory(code="TAY", name="LĐLĐ quận Bắc Sơn", parent=city)
    dong = factories.FederationFactory(code="DONG", name="LĐLĐ quận Nam Sơn", parent=city)
    ward = factories.FederationFactory(code="P1", name="Công đoàn phường Một", parent=tay, kind="commune")
    for code, superior, members in (("C1", city, 1), ("T1", tay, 2), ("W1", ward, 3), ("D1", dong, 4)):
        union = factories.GrassrootsUnionFactory(federation=superior, code=code)
        factories.MemberFactory.create_batch(members, union=union, joined_union_on=dt.date(2020, 1, 1))
    return city


def rows(day, user, federation):
    return [
        (row.federation.code, row.direct, row.unions, row.members)
        for row in figures_by_subordinate(as_of=day, user=user, federation=federation)
    ]


def test_each_subordinate_counts_its_whole_subtree_as_organised_that_day(city):
    staff = factories.UserFactory(username="canbo_hn", role=User.Role.DISTRICT_STAFF, federation=city)
    # The city's own CĐCS first, then the districts by name (Vietnamese order), each with the wards below it.
    assert rows(BEFORE, staff, city) == [("HN", True, 1, 1), ("TAY", False, 2, 5), ("DONG", False, 1, 4)]
    unions_move(
        unions=[GrassrootsUnion.objects.get(code="W1")],
        to=Federation.objects.get(code="DONG"),
        on=MOVED_ON,
        decision=None,
        by=None,
    )
    assert rows(BEFORE, staff, city) == [("HN", True, 1, 1), ("TAY", False, 2, 5), ("DONG", False, 1, 4)]
    assert rows(AFTER, staff, city) == [("HN", True, 1, 1), ("TAY", False, 1, 2), ("DONG", False, 2, 7)]
    # A district's staff read their own subtree only: the ward below, and their CĐCS right under them.
    tay = Federation.objects.get(code="TAY")
    tay_staff = factories.UserFactory(username="canbo_tay", role=User.Role.DISTRICT_STAFF, federation=tay)
    assert rows(BEFORE, tay_staff, tay) == [("TAY", True, 1, 2), ("P1", False, 1, 3)]
    assert rows(AFTER, tay_staff, tay) == [("TAY", True, 1, 2)]


def test_the_table_shows_only_where_there_is_something_below(city, client):
    ward = Federation.objects.get(code="P1")
    ward_staff = factories.UserFactory(username="canbo_p1", role=User.Role.DISTRICT_STAFF, federation=ward)
    assert subordinates_of(ward_staff, ward, AFTER) == []
    staff = factories.UserFactory(username="canbo_hn", role=User.Role.DISTRICT_STAFF, federation=city)
    client.force_login(staff)
    page = client.get(reverse("dashboard:index"), {"as_of": BEFORE.isoformat()}).content.decode()
    section = page.split("Theo đơn vị trực thuộc", 1)[1].split("</section>", 1)[0]
    assert "CĐCS trực thuộc trực tiếp" in section and "LĐLĐ quận Bắc Sơn" in section and "LĐLĐ quận Nam Sơn" in section
    client.force_login(ward_staff)
    assert "Theo đơn vị trực thuộc" not in client.get(reverse("dashboard:index")).content.decode()


def test_as_organised_today_the_subordinates_take_their_cdcs_past_along(city):
    from apps.dashboard.selectors import Organised

    staff = factories.UserFactory(username="canbo_hn2", role=User.Role.DISTRICT_STAFF, federation=city)
    unions_move(
        unions=[GrassrootsUnion.objects.get(code="W1")],
        to=Federation.objects.get(code="DONG"),
        on=MOVED_ON,
        decision=None,
        by=None,
    )
    today = [
        (row.federation.code, row.unions, row.members)
        for row in figures_by_subordinate(as_of=BEFORE, user=staff, federation=city, organised=Organised.TODAY)
    ]
    # Before the move, W1 already counts with the district that holds it today.
    assert today == [("HN", 1, 1), ("TAY", 1, 2), ("DONG", 2, 7)]
