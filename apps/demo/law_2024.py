"""What the Trade Union Law 2024 (in force 1/7/2025) brings to the demo district, after its 2021 figures.

An FDI enterprise's CĐCS founded in August 2025, whose Korean and Japanese engineers joined
with contracts of 24 to 36 months beside its Vietnamese workers, and a nghiệp đoàn cơ sở of
app-based motorbike drivers, who work without a labour contract. Both come after the
reference day, so the July 2021 figures do not change; the dashboard as of today counts
the foreign members. Written through the member services, so the law's rules are applied.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from apps.demo.drawing import national_id_prefix
from apps.members import services
from apps.members.models import Gender, Member
from apps.unions.models import Federation, GrassrootsUnion, Sector, WorkforceDeclaration
from apps.unions.sectors import FDI_ENTERPRISES, NON_STATE_ENTERPRISES

FDI_FOUNDED = date(2025, 8, 1)
FDI_JOINED = date(2025, 8, 15)
OCCUPATIONAL_FOUNDED = date(2025, 10, 1)
OCCUPATIONAL_JOINED = date(2025, 10, 10)


@dataclass(frozen=True)
class Person:
    full_name: str
    gender: str
    born: date
    job_title: str
    nationality: str = "VN"
    contract_months: int | None = None


FDI_PEOPLE = (
    Person("Kim Min Jun", Gender.MALE, date(1986, 3, 12), "Kỹ sư sản xuất", "KR", 36),
    Person("Park Ji Hoon", Gender.MALE, date(1990, 11, 2), "Kỹ sư chất lượng", "KR", 24),
    Person("Lee Seo Yeon", Gender.FEMALE, date(1992, 5, 20), "Kỹ sư thiết kế", "KR", 24),
    Person("Tanaka Hiroshi", Gender.MALE, date(1984, 8, 8), "Kỹ sư bảo trì", "JP", 36),
    Person("Nguyễn Thị Thu Hà", Gender.FEMALE, date(1995, 2, 14), "Công nhân lắp ráp"),
    Person("Trần Văn Đức", Gender.MALE, date(1993, 7, 1), "Công nhân lắp ráp"),
    Person("Lê Thị Hồng", Gender.FEMALE, date(1997, 9, 30), "Công nhân kiểm tra"),
    Person("Phạm Minh Tuấn", Gender.MALE, date(1991, 12, 5), "Tổ trưởng sản xuất"),
    Person("Đỗ Thị Lan", Gender.FEMALE, date(1998, 4, 18), "Phiên dịch tiếng Hàn"),
    Person("Vũ Thị Mai", Gender.FEMALE, date(1996, 1, 25), "Nhân viên nhân sự"),
)
DRIVERS = (
    Person("Hoàng Văn Nam", Gender.MALE, date(1988, 6, 16), "Lái xe công nghệ"),
    Person("Bùi Văn Thắng", Gender.MALE, date(1979, 10, 3), "Lái xe công nghệ"),
    Person("Ngô Thị Hạnh", Gender.FEMALE, date(1990, 3, 9), "Lái xe công nghệ"),
    Person("Đặng Văn Hùng", Gender.MALE, date(1985, 1, 27), "Lái xe công nghệ"),
    Person("Dương Văn Long", Gender.MALE, date(1994, 8, 21), "Lái xe công nghệ"),
)


def load_law_2024_unions(
    superior_at: Callable[[str], Federation], *, code_prefix: str, seed: int, report_day: date
) -> list[GrassrootsUnion]:
    """The FDI enterprise's CĐCS with its foreign engineers, and the drivers' nghiệp đoàn cơ sở.

    Both are founded after the district federation ended: each is under the ward union that
    ``superior_at`` gives for its address. Codes keep the district's ``code_prefix``, as the CĐCS
    it handed over kept theirs. Each declares its workforce when founded and again on
    ``report_day`` (the last half-yearly reporting day), as the district's other units do.
    """
    rng = random.Random(seed)
    fdi = _union(
        superior_at,
        sector=FDI_ENTERPRISES,
        code=f"{code_prefix}-FDI-001",
        employer_name="Công ty TNHH Điện tử Hanbit Việt Nam",
        address="Số 12 Võ Chí Công, phường Xuân Đỉnh, Hà Nội",
        founded=FDI_FOUNDED,
        workers=(len(FDI_PEOPLE) + 2, 6),
        report_day=report_day,
    )
    drivers = _union(
        superior_at,
        sector=NON_STATE_ENTERPRISES,
        code=f"{code_prefix}-ND-001",
        name="Nghiệp đoàn cơ sở Lái xe công nghệ phường Tây Hồ",
        employer_name="Người lao động lái xe công nghệ (không có hợp đồng lao động)",
        address="Số 1 Quảng An, phường Tây Hồ, Hà Nội",
        founded=OCCUPATIONAL_FOUNDED,
        kind=GrassrootsUnion.Kind.OCCUPATIONAL,
        # No employer declares these workers: the nghiệp đoàn counts those who drive in the ward.
        workers=(len(DRIVERS) + 1, 1),
        report_day=report_day,
    )
    # In one go, as an import enrols: the same checks, one history row a member.
    services.member_enrol_many(
        [
            {
                "union": union,
                "joined_on": joined,
                "full_name": person.full_name,
                "gender": person.gender,
                "date_of_birth": person.born,
                # A foreign worker has a passport, not a CCCD.
                "national_id": None if person.contract_months else _free_national_id(rng, person),
                "job_title": person.job_title,
                "ethnicity": "" if person.contract_months else "Kinh",
                "nationality": person.nationality,
                "contract_months": person.contract_months,
            }
            for union, people, joined in ((fdi, FDI_PEOPLE, FDI_JOINED), (drivers, DRIVERS, OCCUPATIONAL_JOINED))
            for person in people
        ]
    )
    return [fdi, drivers]


def _union(
    superior_at: Callable[[str], Federation],
    *,
    sector: str,
    code: str,
    employer_name: str,
    address: str,
    founded: date,
    workers: tuple[int, int],
    report_day: date,
    name: str | None = None,
    kind: str = GrassrootsUnion.Kind.UNION,
) -> GrassrootsUnion:
    union = GrassrootsUnion(
        federation=superior_at(address),
        sector=Sector.objects.get(code=sector),
        kind=kind,
        code=code,
        name=name or f"Công đoàn {employer_name}",
        employer_name=employer_name,
        address=address,
        established_on=founded,
    )
    union.full_clean()
    union.save()
    total, female = workers
    WorkforceDeclaration.objects.create(
        union=union, as_of=founded, total_workers=total, female_workers=female, note="Khai báo khi thành lập"
    )
    if report_day > founded:
        WorkforceDeclaration.objects.create(
            union=union,
            as_of=report_day,
            total_workers=total,
            female_workers=female,
            note=f"Số liệu báo cáo ngày {report_day:%d/%m/%Y}",
        )
    return union


def _free_national_id(rng: random.Random, person: Person) -> str:
    """A CCCD number of Hà Nội (001) no demo member holds."""
    prefix = national_id_prefix("001", person.born, female=person.gender == Gender.FEMALE)
    while True:
        number = f"{prefix}{rng.randint(0, 999_999):06d}"
        if not Member.objects.filter(national_id=number).exists():
            return number
