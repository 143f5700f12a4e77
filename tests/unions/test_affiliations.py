"""A CĐCS's superiors over time (UnionAffiliation) and the service that moves CĐCS (issue 16, part 2)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from apps.accounts.scoping import SYSTEM
from apps.members.services import unions_dissolve
from apps.unions.models import Decision, GrassrootsUnion, UnionAffiliation
from apps.unions.services import unions_move
from tests import factories
from tests.unions.periods import uncovered_unions

ON = dt.date(2025, 7, 1)
ESTABLISHED = dt.date(2015, 1, 1)  # the factory's


@pytest.fixture
def decision(db):
    return Decision.objects.create(number="512/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 25), issuer="LĐLĐ thành phố Hà Nội")


@pytest.fixture
def ward(db):
    return factories.FederationFactory(code="PTH", name="Công đoàn phường Tây Hồ", kind="commune", founded_on=ON)


def periods(union) -> list[tuple]:
    return list(
        UnionAffiliation.objects.filter(union=union)
        .order_by("started_on")
        .values_list("federation__code", "started_on", "ended_on", "decision__number")
    )


def test_a_new_cdcs_opens_its_first_period_under_its_federation(union_a1):
    assert periods(union_a1) == [("HBT", ESTABLISHED, None, None)]
    assert uncovered_unions() == []


def test_correcting_a_cdcs_dates_keeps_its_periods_covering_its_life(union_a1):
    union_a1.established_on = dt.date(2014, 3, 1)
    union_a1.save()
    assert periods(union_a1) == [("HBT", dt.date(2014, 3, 1), None, None)]
    union_a1.status = GrassrootsUnion.Status.DISSOLVED
    union_a1.dissolved_on = dt.date(2020, 1, 1)
    union_a1.save()
    assert periods(union_a1) == [("HBT", dt.date(2014, 3, 1), dt.date(2020, 1, 1), None)]


def test_a_period_ends_after_it_starts_and_a_cdcs_has_one_open_period(union_a1, federation_b):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnionAffiliation.objects.create(union=union_a1, federation=federation_b, started_on=ON, ended_on=ON)
    with pytest.raises(IntegrityError), transaction.atomic():
        UnionAffiliation.objects.create(union=union_a1, federation=federation_b, started_on=ON)


def test_overlapping_periods_are_refused(union_a1, federation_b):
    UnionAffiliation.objects.filter(union=union_a1).update(ended_on=ON)
    overlapping = UnionAffiliation(union=union_a1, federation=federation_b, started_on=dt.date(2025, 6, 1), ended_on=ON)
    with pytest.raises(ValidationError) as error:
        overlapping.full_clean()
    assert "A1" in str(error.value)
    if connection.vendor == "postgresql":  # the exclusion constraint; SQLite has none
        with pytest.raises(IntegrityError), transaction.atomic():
            overlapping.save()
    after = UnionAffiliation(union=union_a1, federation=federation_b, started_on=ON)
    after.full_clean()  # from the day the other one ends: no overlap


def test_as_of_gives_the_period_covering_the_day(union_a1, federation_b, decision):
    unions_move(unions=[union_a1], to=federation_b, on=ON, decision=decision, by=None)
    rows = UnionAffiliation.objects.filter(union=union_a1)
    assert rows.as_of(ON - dt.timedelta(days=1)).get().federation.code == "HBT"
    assert rows.as_of(ON).get().federation.code == "DD"
    assert not rows.as_of(ESTABLISHED - dt.timedelta(days=1)).exists()


def test_move_ends_the_open_period_and_opens_one_under_the_target(
    union_a1, union_a2, federation_b, decision, district_staff
):
    opened = unions_move(unions=[union_a1, union_a2], to=federation_b, on=ON, decision=decision, by=district_staff)
    assert len(opened) == 2
    for union in (union_a1, union_a2):
        assert periods(union) == [("HBT", ESTABLISHED, ON, None), ("DD", ON, None, "512/QĐ-LĐLĐ")]
        union.refresh_from_db()
        assert union.federation == federation_b
        latest = union.history.latest()
        assert latest.federation_id == federation_b.pk
        assert latest.history_user == district_staff
        assert "512/QĐ-LĐLĐ" in latest.history_change_reason
    assert uncovered_unions() == []


def test_a_move_refuses_and_names_the_cdcs(union_a1, union_a2, federation_a, federation_b, ward, decision, vi):
    def refused(**kwargs) -> str:
        arguments = {"unions": [union_a1], "to": federation_b, "on": ON, "decision": decision, "by": None} | kwargs
        with pytest.raises(ValidationError) as error:
            unions_move(**arguments)
        return " ".join(error.value.messages)

    assert "phường Tây Hồ" in refused(to=ward, on=ON - dt.timedelta(days=1))  # not founded yet
    federation_b.ended_on = ON
    federation_b.save()
    assert "đã chấm dứt hoạt động" in refused(on=ON)
    federation_b.ended_on = None
    federation_b.save()
    assert "A1" in refused(on=ESTABLISHED)  # not after the current period's start
    assert "A1" in refused(to=federation_a)  # already there
    assert "sau ngày hôm nay" in refused(on=dt.date.today() + dt.timedelta(days=1))
    factories.GrassrootsUnionFactory(federation=federation_b, code="A2")
    assert "A2" in refused(unions=[union_a1, union_a2])  # a CĐCS with its code is there already
    unions_dissolve([union_a1], on=dt.date(2024, 1, 1))
    assert "A1" in refused()
    assert periods(union_a2) == [("HBT", ESTABLISHED, None, None)]


def test_a_move_that_fails_half_way_writes_nothing(union_a1, union_a2, federation_b, decision, monkeypatch):
    from apps.unions import services

    written = []
    original = services.bulk_update_recorded

    def fail_after_writing(model, objects, fields):
        # The periods are ended and opened, the CĐCS updated: then the database goes away.
        written.append(original(model, objects, fields))
        raise IntegrityError("the database went away")

    monkeypatch.setattr(services, "bulk_update_recorded", fail_after_writing)
    with pytest.raises(IntegrityError):
        unions_move(unions=[union_a1, union_a2], to=federation_b, on=ON, decision=decision, by=None)
    monkeypatch.undo()
    assert written == [2]
    for union in (union_a1, union_a2):
        assert periods(union) == [("HBT", ESTABLISHED, None, None)]
        union.refresh_from_db()
        assert union.federation.code == "HBT"


def test_dissolving_ends_the_last_period_and_not_before_a_move(union_a1, union_a2, federation_b, decision):
    unions_dissolve([union_a1], on=dt.date(2024, 1, 1))
    assert periods(union_a1) == [("HBT", ESTABLISHED, dt.date(2024, 1, 1), None)]
    unions_move(unions=[union_a2], to=federation_b, on=ON, decision=decision, by=None)
    with pytest.raises(ValidationError) as error:
        unions_dissolve([union_a2], on=ON)
    assert "A2" in str(error.value)
    unions_dissolve([union_a2], on=ON + dt.timedelta(days=1))
    assert periods(union_a2)[-1] == ("DD", ON, ON + dt.timedelta(days=1), "512/QĐ-LĐLĐ")
    assert uncovered_unions() == []


def test_periods_are_seen_from_the_cdcs_and_from_the_federation_they_were_in(
    union_a1, federation_b, decision, district_staff, staff_b, chair_a1, union_b1
):
    unions_move(unions=[union_a1], to=federation_b, on=ON, decision=decision, by=None)
    visible = UnionAffiliation.objects.visible_to
    # Staff of B see the CĐCS's past under A (it is theirs now); A's staff still see their own past.
    assert visible(staff_b).filter(union=union_a1).count() == 2
    assert list(visible(district_staff).values_list("federation__code", flat=True)) == ["HBT"]
    assert visible(chair_a1).count() == 2
    assert visible(SYSTEM).count() == 3


def test_the_admin_does_not_move_a_cdcs_by_editing_it(client, district_staff, union_a1, federation_b):
    client.force_login(district_staff)
    page = client.get(f"/admin/unions/grassrootsunion/{union_a1.pk}/change/")
    assert page.status_code == 200
    assert 'name="federation"' not in page.content.decode()
    assert 'name="federation"' in client.get("/admin/unions/grassrootsunion/add/").content.decode()


def test_the_cdcs_page_shows_its_superiors_over_time(
    client, union_a1, federation_b, decision, staff_b, district_staff, vi
):
    unions_move(unions=[union_a1], to=federation_b, on=ON, decision=decision, by=None)
    page = f"/admin/unions/grassrootsunion/{union_a1.pk}/change/"
    client.force_login(staff_b)
    response = client.get(page)
    formset = next(f for f in response.context["inline_admin_formsets"] if f.opts.model is UnionAffiliation)
    assert [form.instance.federation.code for form in formset.formset.forms] == ["HBT", "DD"]
    text = response.content.decode()
    assert "Quá trình trực thuộc công đoàn cấp trên" in text
    assert "01/07/2025" in text and "512/QĐ-LĐLĐ" in text
    assert 'name="affiliations-0-started_on"' not in text  # read-only: written by unions_move only
    client.force_login(district_staff)  # A's staff: the CĐCS is no longer theirs
    assert client.get(page).status_code == 404


def test_a_move_costs_the_same_statements_for_two_cdcs_or_twenty(federation_a, federation_b, decision):
    """Moved in bulk: a district of a thousand CĐCS is one request, not a thousand saves."""
    from django.test.utils import CaptureQueriesContext

    few = [factories.GrassrootsUnionFactory(federation=federation_a, code=f"F{n}") for n in range(2)]
    many = [factories.GrassrootsUnionFactory(federation=federation_a, code=f"M{n}") for n in range(20)]
    counted = []
    for unions in (few, many):
        with CaptureQueriesContext(connection) as queries:
            unions_move(unions=unions, to=federation_b, on=ON, decision=decision, by=None)
        counted.append(len(queries))
    assert counted[0] == counted[1], counted
    assert counted[0] <= 12, counted
    moved = GrassrootsUnion.objects.filter(code__startswith="M")
    assert set(moved.values_list("federation__code", flat=True)) == {"DD"}
    assert UnionAffiliation.objects.filter(union__in=moved, federation=federation_b, started_on=ON).count() == 20
