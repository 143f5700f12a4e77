"""factory_boy factories for the domain models."""

from __future__ import annotations

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from apps.accounts.models import User
from apps.meetings.models import Attendance, Meeting
from apps.members.models import Member, MembershipPeriod, UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import DepartmentUnion, Federation, GrassrootsUnion, Sector, WorkforceDeclaration
from apps.unions.sectors import ensure_standard_sectors


class FederationFactory(DjangoModelFactory):
    class Meta:
        model = Federation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LDLD{n:03d}")
    name = factory.Sequence(lambda n: f"Liên đoàn Lao động quận {n}")


def sector(code: str = "dn-ngoai-nha-nuoc") -> Sector:
    """One of the sectors seeded by migration (re-created if a live-server test flushed them)."""
    if not Sector.objects.filter(code=code).exists():
        ensure_standard_sectors(Sector)
    return Sector.objects.get(code=code)


class GrassrootsUnionFactory(DjangoModelFactory):
    class Meta:
        model = GrassrootsUnion

    federation = factory.SubFactory(FederationFactory)
    sector = factory.LazyFunction(sector)
    code = factory.Sequence(lambda n: f"CD{n:05d}")
    name = factory.Sequence(lambda n: f"Công đoàn Công ty TNHH Thành Đạt {n}")
    employer_name = factory.Sequence(lambda n: f"Công ty TNHH Thành Đạt {n}")
    address = "12 Nguyễn Trãi, phường Bến Thành"
    established_on = dt.date(2015, 1, 1)


class DepartmentUnionFactory(DjangoModelFactory):
    class Meta:
        model = DepartmentUnion

    union = factory.SubFactory(GrassrootsUnionFactory)
    name = factory.Sequence(lambda n: f"Công đoàn bộ phận Phân xưởng {n}")
    established_on = dt.date(2016, 1, 1)


class WorkforceDeclarationFactory(DjangoModelFactory):
    class Meta:
        model = WorkforceDeclaration

    union = factory.SubFactory(GrassrootsUnionFactory)
    as_of = dt.date(2021, 1, 1)
    total_workers = 50
    female_workers = 20


class UnionGroupFactory(DjangoModelFactory):
    class Meta:
        model = UnionGroup

    union = factory.SubFactory(GrassrootsUnionFactory)
    name = factory.Sequence(lambda n: f"Tổ công đoàn số {n}")
    established_on = dt.date(2016, 1, 1)


class MemberFactory(DjangoModelFactory):
    """A member; pass ``joined_union_on`` and the factory opens the matching membership period."""

    class Meta:
        model = Member
        skip_postgeneration_save = True

    union = factory.SubFactory(GrassrootsUnionFactory)
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn An {n}")
    gender = "male"
    date_of_birth = dt.date(1990, 6, 5)
    national_id = factory.Sequence(lambda n: f"0{n:011d}")
    joined_union_on = dt.date(2020, 1, 1)

    @factory.post_generation
    def period(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        if self.status == Member.Status.ACTIVE:
            MembershipPeriod.objects.create(
                member=self, union=self.union, group=self.group, started_on=self.joined_union_on
            )


class MembershipPeriodFactory(DjangoModelFactory):
    class Meta:
        model = MembershipPeriod

    member = factory.SubFactory(MemberFactory, period=False)
    union = factory.SelfAttribute("member.union")
    started_on = dt.date(2020, 1, 1)


class UnionOfficialFactory(DjangoModelFactory):
    class Meta:
        model = UnionOfficial

    member = factory.SubFactory(MemberFactory)
    union = factory.SelfAttribute("member.union")
    role = UnionOfficial.Role.CHAIR
    started_on = dt.date(2020, 1, 1)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    federation = factory.SubFactory(FederationFactory)
    kind = Meeting.Kind.SEMINAR
    title = factory.Sequence(lambda n: f"Tọa đàm số {n}")
    held_on = dt.date(2021, 7, 9)


class AttendanceFactory(DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(MeetingFactory)
    name = "Trần Thị Bình"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password("Mat-khau-an-toan-2021")
    is_staff = True
