"""generate_synthetic: a small synthetic city whose histories, figures and ID numbers hold together."""

from __future__ import annotations

import re
from collections import defaultdict
from io import StringIO
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Q
from django.utils import timezone

from apps.dashboard.union_figures import with_figures
from apps.demo.synthetic import SYNTHETIC_PREFIX
from apps.members.models import Member, MembershipPeriod, TransferRequest, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import Federation, GrassrootsUnion, WorkforceDeclaration
from tests import factories
from tests.unions.periods import uncovered_unions

SMALL = ["--federations", "2", "--unions", "20", "--members", "500", "--seed", "7"]


def generate(*extra: str) -> str:
    out = StringIO()
    call_command("generate_synthetic", *SMALL, *extra, stdout=out)
    return out.getvalue()


@pytest.fixture
def city(db) -> str:
    return generate()


def test_a_city_federation_holds_the_district_federations(city):
    codes = list(Federation.objects.values_list("code", flat=True))
    assert all(code.startswith(SYNTHETIC_PREFIX) for code in codes)
    city_federation = Federation.objects.get(parent=None)
    assert Federation.objects.filter(parent=city_federation).count() == 2
    assert GrassrootsUnion.objects.count() == 20
    assert not GrassrootsUnion.objects.filter(federation=city_federation).exists()
    assert GrassrootsUnion.objects.exclude(code__startswith=SYNTHETIC_PREFIX).count() == 0
    assert UnionGroup.objects.count() == 50
    assert uncovered_unions() == []


def test_derived_columns_are_filled_as_save_would(city):
    for federation in Federation.objects.all():
        parent_path = federation.parent.tree_path if federation.parent_id else "/"
        assert federation.tree_path == f"{parent_path}{federation.pk}/"
    for union in GrassrootsUnion.objects.all():
        assert union.search_text == GrassrootsUnion.build_search_text(union.code, union.name, union.employer_name)
    for member in Member.objects.all()[:200]:
        derived = Member.derived_name_fields(member.full_name)
        assert (member.given_name, member.search_name) == (derived["given_name"], derived["search_name"])


def test_people_are_plausible_and_id_numbers_unique(city):
    members = list(Member.objects.values("national_id", "gender", "date_of_birth", "joined_union_on", "full_name"))
    assert len(members) == 500
    numbers = [m["national_id"] for m in members]
    assert len(set(numbers)) == 500
    assert all(re.fullmatch(r"\d{12}", number) for number in numbers)
    assert {m["gender"] for m in members} == {"male", "female"}
    assert all(m["date_of_birth"] < m["joined_union_on"] for m in members)
    assert all(len(m["full_name"].split()) >= 3 for m in members)
    # CCCD: the fourth digit says century and gender (0/2 men, 1/3 women).
    for member in members:
        assert (int(member["national_id"][3]) % 2 == 1) == (member["gender"] == "female")


def test_each_member_agrees_with_their_open_period(city):
    periods = defaultdict(list)
    for period in MembershipPeriod.objects.order_by("member_id", "started_on"):
        periods[period.member_id].append(period)
    for member in Member.objects.all():
        history = periods[member.pk]
        assert history, member
        open_ = [p for p in history if p.ended_on is None]
        if member.status == Member.Status.ACTIVE:
            assert len(open_) == 1
            assert (open_[0].union_id, open_[0].group_id) == (member.union_id, member.group_id)
        else:
            assert open_ == []
            assert member.group_id is None
            assert history[-1].union_id == member.union_id
            assert history[-1].end_reason
        assert history[0].started_on == member.joined_union_on
        # One continuous history: each period begins the day the previous one ends.
        for before, after in pairwise(history):
            assert before.ended_on == after.started_on
            assert before.ended_on > before.started_on


def test_histories_hold_joins_transfers_within_a_district_and_leaves(city):
    unions = {union.pk: union for union in GrassrootsUnion.objects.all()}
    transfers = moves = 0
    for member_id in (
        MembershipPeriod.objects.values("member_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("member_id", flat=True)
    ):
        history = list(MembershipPeriod.objects.filter(member_id=member_id).order_by("started_on"))
        for before, after in pairwise(history):
            if before.union_id != after.union_id:
                transfers += 1
                assert unions[before.union_id].federation_id == unions[after.union_id].federation_id
                assert TransferRequest.objects.filter(
                    member_id=member_id,
                    from_union_id=before.union_id,
                    to_union_id=after.union_id,
                    effective_on=after.started_on,
                    status=TransferRequest.Status.ACCEPTED,
                ).exists()
            else:
                moves += 1
                assert before.group_id != after.group_id
    assert transfers == TransferRequest.objects.count() > 0
    assert moves > 0
    assert Member.objects.filter(status=Member.Status.LEFT).count() > 0


def test_periods_in_force_today_are_the_active_members(city):
    today = timezone.localdate()
    active = Member.objects.active().count()
    assert 0 < active < 500
    assert MembershipPeriod.objects.as_of(today).count() == active
    assert MembershipPeriod.objects.filter(ended_on=None).count() == active


def test_workforce_declarations_cover_their_members(city):
    declarations = list(WorkforceDeclaration.objects.all())
    assert declarations
    for declaration in declarations:
        in_force = MembershipPeriod.objects.as_of(declaration.as_of).filter(union_id=declaration.union_id)
        counted = in_force.aggregate(all=Count("pk"), women=Count("pk", filter=Q(member__gender="female")))
        assert declaration.female_workers <= declaration.total_workers
        assert declaration.total_workers >= counted["all"], declaration
        assert declaration.female_workers >= counted["women"], declaration
        assert declaration.total_workers - declaration.female_workers >= counted["all"] - counted["women"]
    today = timezone.localdate()
    for union in with_figures(GrassrootsUnion.objects.all(), today):
        assert union.workers >= union.member_count > 0 or union.member_count == 0
        assert union.female_workers >= union.female_member_count


def test_officials_are_active_members_of_their_union_and_group(city):
    officials = list(UnionOfficial.objects.select_related("member"))
    assert (
        sum(o.role == UnionOfficial.Role.CHAIR for o in officials)
        == GrassrootsUnion.objects.filter(members__status="active").distinct().count()
    )
    for official in officials:
        assert official.member.status == Member.Status.ACTIVE
        assert official.member.union_id == official.union_id
        if official.group_id:
            assert official.member.group_id == official.group_id


def test_refuses_a_database_with_other_data(db):
    factories.MemberFactory(union=factories.GrassrootsUnionFactory(federation=factories.FederationFactory(code="HBT")))
    with pytest.raises(CommandError, match="--allow-mixed"):
        generate()
    assert not Federation.objects.filter(code__startswith=SYNTHETIC_PREFIX).exists()


def test_mixes_only_when_told_and_leaves_the_other_data_alone(db):
    real = factories.MemberFactory(national_id="001090000001")
    output = generate("--allow-mixed")
    assert "500" in output
    real.refresh_from_db()
    assert not real.union.federation.code.startswith(SYNTHETIC_PREFIX)
    assert Member.objects.count() == 501
    assert Member.objects.filter(national_id="001090000001").count() == 1


def test_refuses_to_generate_twice(city):
    with pytest.raises(CommandError, match="SYN-"):
        generate()


def test_rows_written_after_the_city_get_ids_of_their_own(city):
    # The city's rows carry ids reserved from the database: its own numbering carries on after them.
    union = GrassrootsUnion.objects.order_by("pk").first()
    member = factories.MemberFactory(union=union, group=None)
    group = factories.UnionGroupFactory(union=union)
    assert member.pk > Member.objects.exclude(pk=member.pk).order_by("-pk").first().pk
    assert group.pk > UnionGroup.objects.exclude(pk=group.pk).order_by("-pk").first().pk


def test_reorganise_plays_the_2025_story_and_keeps_the_figures_as_organised_then(db):
    """--reorganise: districts end on 01/07/2025, their CĐCS pass to ward unions, the past stays where it was."""
    import datetime as dt

    from django.db.models import Sum

    from apps.accounts.models import User
    from apps.dashboard import figures
    from apps.dashboard.models import FederationFigures
    from apps.unions.models import UnionAffiliation

    out = generate("--reorganise")
    assert "Đã sắp xếp xong" in out
    day, eve = dt.date(2025, 7, 1), dt.date(2025, 6, 30)
    city = Federation.objects.get(parent=None)
    districts = Federation.objects.filter(kind=Federation.Kind.DISTRICT)
    assert districts.count() == 2
    assert set(districts.values_list("ended_on", flat=True)) == {day}
    assert not districts.filter(ending_decision=None).exists()
    wards = Federation.objects.filter(kind=Federation.Kind.COMMUNE, parent=city, founded_on=day)
    assert wards.count() == 8
    active = GrassrootsUnion.objects.filter(status=GrassrootsUnion.Status.ACTIVE)
    assert set(active.values_list("federation__kind", flat=True)) == {Federation.Kind.COMMUNE}
    assert uncovered_unions() == []
    for union in GrassrootsUnion.objects.filter(established_on__lt=day, dissolved_on=None):
        before = UnionAffiliation.objects.filter(union=union).as_of(eve).get().federation
        after = UnionAffiliation.objects.filter(union=union).as_of(day).get().federation
        assert before.kind == Federation.Kind.DISTRICT
        assert after.code.startswith(f"{before.code}-P")
    # The districts' staff moved to the city; each ward union has its own.
    assert set(User.objects.filter(username__endswith="-canbo", federation__in=districts)) == set()
    assert User.objects.filter(federation__in=wards, role=User.Role.DISTRICT_STAFF).count() == 8

    def hand_count(day: dt.date, federation: Federation) -> int:
        under = UnionAffiliation.objects.filter(federation=federation).as_of(day).values("union")
        return (
            MembershipPeriod.objects.filter(union__in=under, started_on__lte=day)
            .filter(Q(ended_on=None) | Q(ended_on__gt=day))
            .count()
        )

    figures.ensure_figures([eve, day])
    for when in (eve, day):
        for federation in Federation.objects.exclude(pk=city.pk):
            kept = FederationFigures.objects.filter(day=when, federation=federation).aggregate(n=Sum("members"))["n"]
            assert (kept or 0) == hand_count(when, federation), (when, federation.code)
    on_eve = FederationFigures.objects.filter(day=eve)
    assert on_eve.filter(federation__in=districts).aggregate(n=Sum("members"))["n"] > 0
    assert not on_eve.filter(federation__in=wards, members__gt=0).exists()
