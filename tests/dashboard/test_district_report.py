"""The report paragraph, word for word, and the district_report command around it."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from apps.accounts.scoping import SYSTEM
from apps.dashboard.report import district_report_text
from apps.dashboard.selectors import district_summary
from apps.unions.models import Federation, GrassrootsUnion
from tests import factories

DAY = dt.date(2021, 7, 9)
HEADING = "SỐ LIỆU TỔ CHỨC CÔNG ĐOÀN VÀ ĐOÀN VIÊN\n\n"

# The fixture below, as the federation's report writes it: 6/1.256 = 0,48 % and 4/605 = 0,66 %.
SMALL_DISTRICT_REPORT = (
    HEADING + "Tính đến ngày 09/07/2021, Liên đoàn Lao động quận Hai Bà Trưng trực tiếp quản lý 4 CĐCS, trong đó: "
    "1 CĐCS khối hành chính sự nghiệp, 1 CĐCS khối trường học công lập, 2 CĐCS khối doanh nghiệp ngoài nhà nước; "
    "với 6 đoàn viên/1.256 người lao động (đạt 0,5 %), trong đó 4 đoàn viên nữ/605 lao động nữ (đạt 0,7 %). "
    "Có 2 CĐCS có tổ công đoàn, 1 CĐCS có công đoàn bộ phận, tổng số 3 tổ công đoàn.\n"
)


def members(union, *genders):
    for gender in genders:
        factories.MemberFactory(union=union, gender=gender, joined_union_on=dt.date(2020, 1, 1))


@pytest.fixture
def small_district(federation_a):
    """Four unions of federation A in three sectors."""
    office = factories.GrassrootsUnionFactory(federation=federation_a, sector=factories.sector("hcsn"))
    school = factories.GrassrootsUnionFactory(federation=federation_a, sector=factories.sector("truong-hoc"))
    factory = factories.GrassrootsUnionFactory(federation=federation_a, sector=factories.sector("dn-ngoai-nha-nuoc"))
    # A newly founded enterprise union: no members, no workforce declared yet.
    factories.GrassrootsUnionFactory(federation=federation_a, sector=factories.sector("dn-ngoai-nha-nuoc"))

    members(office, "female", "female", "male")
    factories.WorkforceDeclarationFactory(union=office, total_workers=4, female_workers=3)
    members(school, "female", "female")
    factories.WorkforceDeclarationFactory(union=school, total_workers=2, female_workers=2)
    factories.UnionGroupFactory(union=school)
    members(factory, "male")
    factories.WorkforceDeclarationFactory(union=factory, total_workers=1250, female_workers=600)
    workshop = factories.DepartmentUnionFactory(union=factory)
    factories.UnionGroupFactory(union=factory, department_union=workshop)
    factories.UnionGroupFactory(union=factory, department_union=workshop)
    return federation_a


def test_report_reads_like_the_federations_own_report(small_district):
    summary = district_summary(as_of=DAY, user=SYSTEM, federation=small_district)

    assert district_report_text(summary) == SMALL_DISTRICT_REPORT


def test_report_is_in_vietnamese_whatever_the_active_language(small_district):
    summary = district_summary(as_of=DAY, user=SYSTEM, federation=small_district)

    with translation.override("en"):
        text = district_report_text(summary)

    assert text == SMALL_DISTRICT_REPORT


def test_report_without_workforce_prints_a_dash_for_the_ratios(federation_a, union_a1):
    members(union_a1, "male")

    text = district_report_text(district_summary(as_of=DAY, user=SYSTEM, federation=federation_a))

    assert "với 1 đoàn viên/0 người lao động (đạt –), trong đó 0 đoàn viên nữ/0 lao động nữ (đạt –)." in text


def test_report_names_the_foreign_members_when_there_are_some(small_district):
    factory = small_district.unions.filter(members__isnull=False, sector__code="dn-ngoai-nha-nuoc").first()
    factories.MemberFactory(
        union=factory, national_id=None, nationality="KR", contract_months=24, joined_union_on=dt.date(2020, 1, 1)
    )

    text = district_report_text(district_summary(as_of=DAY, user=SYSTEM, federation=small_district))

    assert "(đạt 0,7 %). Có 1 đoàn viên là người lao động nước ngoài. Có 2 CĐCS có tổ công đoàn" in text


def test_report_of_a_federation_without_unions_says_so(federation_a):
    text = district_report_text(district_summary(as_of=DAY, user=SYSTEM, federation=federation_a))

    assert text == HEADING + "Tính đến ngày 09/07/2021, Liên đoàn Lao động quận Hai Bà Trưng không có CĐCS nào.\n"


def test_report_without_a_federation_counts_what_is_in_scope(union_a1, chair_a1):
    members(union_a1, "female")
    factories.WorkforceDeclarationFactory(union=union_a1, total_workers=2, female_workers=1)

    text = district_report_text(district_summary(as_of=DAY, user=chair_a1))

    assert text == (
        HEADING + "Tính đến ngày 09/07/2021, có 1 CĐCS, trong đó: 1 CĐCS khối doanh nghiệp ngoài nhà nước; "
        "với 1 đoàn viên/2 người lao động (đạt 50,0 %), trong đó 1 đoàn viên nữ/1 lao động nữ (đạt 100,0 %). "
        "Có 0 CĐCS có tổ công đoàn, 0 CĐCS có công đoàn bộ phận, tổng số 0 tổ công đoàn.\n"
    )


def test_city_federation_manages_its_districts_unions_not_directly(small_district):
    city = factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội")
    small_district.parent = city
    small_district.save()

    text = district_report_text(district_summary(as_of=DAY, user=SYSTEM, federation=city))

    assert "Liên đoàn Lao động thành phố Hà Nội quản lý 4 CĐCS, trong đó:" in text


def test_report_does_not_escape_names_like_html(db):
    federation = factories.FederationFactory(code="KCN", name="Công đoàn các KCN & KCX")

    text = district_report_text(district_summary(as_of=DAY, user=SYSTEM, federation=federation))

    assert "Công đoàn các KCN & KCX không có CĐCS nào." in text


# The command.


def run_report(*args, **options) -> str:
    out = StringIO()
    call_command("district_report", *args, stdout=out, **options)
    return out.getvalue()


def test_command_prints_the_report(small_district):
    assert run_report(as_of="2021-07-09", federation="HBT") == SMALL_DISTRICT_REPORT


def test_command_reads_options_from_the_command_line(small_district):
    assert run_report("--as-of", "2021-07-09", "--federation", "HBT") == SMALL_DISTRICT_REPORT


def test_command_uses_the_only_federation_with_unions(small_district, federation_b):
    assert run_report(as_of="2021-07-09") == SMALL_DISTRICT_REPORT


def test_command_defaults_to_today_in_vietnam(small_district, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: dt.date(2021, 7, 9))

    assert run_report(federation="HBT") == SMALL_DISTRICT_REPORT


@pytest.mark.parametrize("value", ["2021-13-40", "09/07/2021", "hôm nay", ""])
def test_command_rejects_a_bad_date(small_district, value):
    with pytest.raises(CommandError) as error:
        run_report(as_of=value, federation="HBT")

    assert str(error.value) == f"--as-of: '{value}' không phải là ngày hợp lệ (định dạng YYYY-MM-DD)."


def test_command_rejects_an_unknown_federation(small_district):
    with pytest.raises(CommandError) as error:
        run_report(as_of="2021-07-09", federation="XYZ")

    assert str(error.value) == "--federation: không có LĐLĐ nào có mã 'XYZ'."


def test_command_asks_which_federation_when_several_have_unions(small_district, union_b1):
    with pytest.raises(CommandError) as error:
        run_report(as_of="2021-07-09")

    assert str(error.value) == "--federation: có nhiều LĐLĐ (DD, HBT), hãy chọn một mã."


def test_command_without_any_union_says_so(federation_a):
    with pytest.raises(CommandError) as error:
        run_report(as_of="2021-07-09")

    assert str(error.value) == "--federation: chưa có LĐLĐ nào có CĐCS."


# The demo district reproduces the federation's report of July 2021.


def test_demo_district_report_has_the_reference_figures(db, settings):
    settings.DEBUG = True  # seed_demo runs only in development unless told otherwise
    call_command("seed_demo", stdout=StringIO())

    text = run_report(as_of="2021-07-09", federation="TH")

    for figure in (
        "Tính đến ngày 09/07/2021, Liên đoàn Lao động quận Tây Hồ trực tiếp quản lý 335 CĐCS, trong đó:",
        "25 CĐCS khối hành chính sự nghiệp",
        "80 CĐCS khối trường học công lập",
        "230 CĐCS khối doanh nghiệp ngoài nhà nước",
        "13.734 đoàn viên/14.327 người lao động (đạt 95,9 %)",
        "8.072 đoàn viên nữ/8.538 lao động nữ (đạt 94,5 %)",
        "265 CĐCS có tổ công đoàn",
        "2 CĐCS có công đoàn bộ phận",
        "835 tổ công đoàn",
    ):
        assert figure in text

    # Only the three sectors of the reference report, nothing more.
    assert "trong đó: 25 CĐCS khối hành chính sự nghiệp, 80 CĐCS khối trường học công lập, 230 CĐCS khối" in text

    # The district ended on 01/07/2025: today a ward union that took its CĐCS reports them.
    today = timezone.localdate()
    ward = Federation.objects.get(code="P-PHUTHUONG")
    held = GrassrootsUnion.objects.filter(federation=ward, status=GrassrootsUnion.Status.ACTIVE).count()
    text = run_report(as_of=today.isoformat(), federation="P-PHUTHUONG")
    assert f"Tính đến ngày {today:%d/%m/%Y}, Công đoàn phường Phú Thượng trực tiếp quản lý {held} CĐCS" in text
    assert 30 <= held < 335
