"""Trade Union Law 2024: a foreign worker joins with a labour contract of 12 months or more, and holds no office."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from apps.core.countries import country_choices, country_code
from apps.members import services
from apps.members.models import Member, UnionOfficial
from apps.portal.forms import EnrolForm
from tests import factories

RULE = "Người lao động nước ngoài chỉ được gia nhập công đoàn khi có hợp đồng lao động từ 12 tháng trở lên"
NO_OFFICE = "Người lao động nước ngoài được là đoàn viên nhưng không được giữ chức vụ công đoàn."


@pytest.fixture
def staff_client(client, district_staff):
    client.force_login(district_staff)
    return client


@pytest.fixture
def member_a1(union_a1):
    return factories.MemberFactory(union=union_a1, full_name="Nguyễn Văn Bình")


def enrol(union, **personal):
    details = {"full_name": "Kim Min Jun", "gender": "male", "national_id": None} | personal
    return services.member_enrol(union=union, joined_on=dt.date(2025, 8, 1), **details)


def test_countries_come_from_babel_with_viet_nam_first():
    choices = country_choices()
    assert choices[0] == ("VN", "Việt Nam")
    assert ("KR", "Hàn Quốc") in choices and ("JP", "Nhật Bản") in choices
    assert all(len(code) == 2 for code, _name in choices)
    assert not {"EU", "UN", "ZZ"} & {code for code, _name in choices}
    assert country_code("Hàn Quốc") == country_code("han quoc") == country_code("kr") == "KR"
    assert country_code("Xứ Sở Thần Tiên") is None


def test_a_member_is_vietnamese_unless_said_otherwise(union_a1):
    member = factories.MemberFactory(union=union_a1)
    assert member.nationality == "VN" and member.contract_months is None and not member.is_foreign


@pytest.mark.parametrize(("months", "refused"), [(None, True), (6, True), (11, True), (12, False), (36, False)])
def test_the_model_asks_a_foreign_worker_for_a_contract_of_twelve_months(union_a1, vi, months, refused):
    member = factories.MemberFactory.build(union=union_a1, nationality="KR", contract_months=months)
    if not refused:
        member.clean()
        return
    with pytest.raises(ValidationError) as error:
        member.clean()
    assert RULE.lower() in error.value.message_dict["contract_months"][0].lower()


def test_the_enrolment_service_refuses_a_short_contract_and_writes_nothing(union_a1, vi):
    with pytest.raises(ValidationError) as error:
        enrol(union_a1, nationality="KR", contract_months=6)
    assert error.value.message_dict["contract_months"] == [RULE + "."]
    assert not Member.objects.filter(full_name="Kim Min Jun").exists()
    member = enrol(union_a1, nationality="KR", contract_months=24)
    assert (member.nationality, member.contract_months) == ("KR", 24)
    assert member.periods.count() == 1


def test_the_update_service_refuses_making_a_member_foreign_without_a_contract(member_a1, vi):
    with pytest.raises(ValidationError) as error:
        services.member_update(member=member_a1, nationality="JP")
    assert "contract_months" in error.value.message_dict
    member_a1.refresh_from_db()
    assert member_a1.nationality == "VN"


def test_bulk_enrolment_refuses_a_short_contract_even_when_fields_were_checked(union_a1, vi):
    enrolments = [
        {"union": union_a1, "joined_on": dt.date(2025, 8, 1), "full_name": "Tanaka Hiroshi", "gender": "male"},
        {
            "union": union_a1,
            "joined_on": dt.date(2025, 8, 1),
            "full_name": "Sato Yuki",
            "gender": "female",
            "nationality": "JP",
            "contract_months": 3,
        },
    ]
    with pytest.raises(ValidationError) as error:
        services.member_enrol_many(enrolments, fields_checked=True)
    assert error.value.index == 1
    assert "contract_months" in error.value.message_dict
    assert not Member.objects.filter(full_name__in=["Tanaka Hiroshi", "Sato Yuki"]).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database check is PostgreSQL's (members/0011)")
def test_the_database_refuses_a_foreign_member_without_a_long_enough_contract(member_a1):
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member_a1.pk).update(nationality="KR", contract_months=6)


def test_the_portal_enrol_form_says_the_rule_next_to_the_contract(chair_a1, union_a1, vi):
    data = {
        "full_name": "Park Ji Hoon",
        "gender": "male",
        "joined_union_on": "02/08/2025",
        "ethnicity": "",
        "nationality": "KR",
        "contract_months": "6",
    }
    form = EnrolForm(data, union=union_a1, user=chair_a1)
    assert not form.is_valid()
    assert list(form.errors) == ["contract_months"]
    assert RULE in form.errors["contract_months"][0]
    form = EnrolForm({**data, "contract_months": "24"}, union=union_a1, user=chair_a1)
    assert form.is_valid(), form.errors
    member = form.perform()
    assert (member.nationality, member.contract_months) == ("KR", 24)


def test_the_portal_pages_offer_nationality_and_contract(client, chair_a1, union_a1, member_a1):
    client.force_login(chair_a1)
    for page in (
        reverse("portal:member_add", args=[union_a1.pk]),
        reverse("portal:member_edit", args=[union_a1.pk, member_a1.pk]),
    ):
        html = client.get(page).content.decode()
        assert 'name="nationality"' in html and 'name="contract_months"' in html
        assert "js/contract_months.js" in html


def test_the_admin_refuses_a_foreign_member_without_a_contract(staff_client, union_a1, vi):
    response = staff_client.post(
        reverse("admin:members_member_add"),
        {
            "union": union_a1.pk,
            "full_name": "Lee Seo Yeon",
            "gender": "female",
            "ethnicity": "",
            "nationality": "KR",
            "joined_union_on": "01/08/2025",
            **{
                f"{prefix}-{count}": "0"
                for prefix in ("periods", "offices")
                for count in ("TOTAL_FORMS", "INITIAL_FORMS")
            },
        },
    )
    assert response.status_code == 200
    assert list(response.context["adminform"].form.errors) == ["contract_months"]
    assert not Member.objects.filter(full_name="Lee Seo Yeon").exists()


def test_the_admin_list_filters_foreign_members(staff_client, union_a1, member_a1):
    foreign = factories.MemberFactory(union=union_a1, nationality="JP", contract_months=24)
    response = staff_client.get(reverse("admin:members_member_changelist"), {"foreign": "1"})
    assert [member.pk for member in response.context["cl"].result_list] == [foreign.pk]


# --- offices ------------------------------------------------------------------------------


def test_a_foreign_member_cannot_be_made_an_official(union_a1, vi):
    member = factories.MemberFactory(union=union_a1, nationality="KR", contract_months=24)
    office = UnionOfficial(
        member=member, union=union_a1, role=UnionOfficial.Role.EXECUTIVE_MEMBER, started_on=dt.date(2025, 9, 1)
    )
    with pytest.raises(ValidationError) as error:
        office.full_clean()
    assert error.value.message_dict["member"] == [NO_OFFICE]


def test_the_officials_admin_refuses_a_foreign_member(staff_client, union_a1, vi):
    member = factories.MemberFactory(union=union_a1, nationality="JP", contract_months=36)
    response = staff_client.post(
        reverse("admin:members_unionofficial_add"),
        {"member": member.pk, "union": union_a1.pk, "role": "chair", "started_on": "01/09/2025"},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["member"] == [NO_OFFICE]
    assert not UnionOfficial.objects.filter(member=member).exists()


def test_an_official_cannot_become_foreign(union_a1, vi):
    office = factories.UnionOfficialFactory(member__union=union_a1, role=UnionOfficial.Role.CHAIR)
    with pytest.raises(ValidationError) as error:
        services.member_update(member=office.member, nationality="KR", contract_months=24)
    assert error.value.message_dict["nationality"] == [NO_OFFICE]
    office.member.refresh_from_db()
    assert office.member.nationality == "VN"


def test_the_officials_import_refuses_a_foreign_member_on_the_cccd_column(district_staff, union_a1, vi):
    from apps.core.import_kinds import import_kind
    from tests.core.sheetfiles import xlsx

    factories.MemberFactory(union=union_a1, national_id="001190012345")
    foreign = factories.MemberFactory(union=union_a1, national_id="001190054321", nationality="KR", contract_months=24)
    rows = [
        ["Mã CĐCS", "Số CCCD", "Họ và tên", "Chức vụ", "Tổ công đoàn", "Từ ngày", "Đến ngày"],
        ["A1", "001190012345", "", "Chủ tịch", "", "01/07/2025", ""],
        ["A1", foreign.national_id, foreign.full_name, "Phó chủ tịch", "", "01/07/2025", ""],
    ]
    plan = import_kind("officials").preview(xlsx({"Cán bộ": rows}), filename="cb.xlsx", user=district_staff, union=None)
    assert plan.counts["created"] == 1 and plan.counts["rejected"] == 1
    assert [(problem.row, problem.column, problem.message) for problem in plan.problems] == [(3, "Số CCCD", NO_OFFICE)]
