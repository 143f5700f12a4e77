"""Reorganising a superior union as one operation: it ends, and its CĐCS go to their successors (issue 16 part 3)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.models import User
from apps.members.models import Member
from apps.unions.models import Decision, Federation, GrassrootsUnion, UnionAffiliation
from apps.unions.services import federation_reorganise
from tests import factories

# The district federations' last day was 30/06/2025: their successors took over on 01/07/2025.
ON = dt.date(2025, 7, 1)


@pytest.fixture
def decision(db):
    return Decision.objects.create(
        number="1234/QĐ-LĐLĐ", signed_on=dt.date(2025, 6, 26), issuer="Ban Thường vụ LĐLĐ thành phố Hà Nội"
    )


@pytest.fixture
def city(db):
    return factories.FederationFactory(code="HN", name="Liên đoàn Lao động thành phố Hà Nội", kind="province")


@pytest.fixture
def district(city):
    return factories.FederationFactory(
        code="TH", name="Liên đoàn Lao động quận Tây Hồ", parent=city, founded_on=dt.date(1996, 1, 1)
    )


@pytest.fixture
def wards(city):
    return [
        factories.FederationFactory(code=code, name=name, kind="commune", parent=city, founded_on=ON)
        for code, name in (("P-TAYHO", "Công đoàn phường Tây Hồ"), ("P-PHUTHUONG", "Công đoàn phường Phú Thượng"))
    ]


@pytest.fixture
def unions(district):
    made = []
    for code, members in (("TH-01", 2), ("TH-02", 1), ("TH-03", 1)):
        union = factories.GrassrootsUnionFactory(federation=district, code=code, name=f"Công đoàn {code}")
        for _ in range(members):
            factories.MemberFactory(union=union)
        made.append(union)
    return made


def _user(username: str, federation: Federation, role=User.Role.DISTRICT_STAFF) -> User:
    return factories.UserFactory(username=username, role=role, federation=federation)


@pytest.fixture
def city_staff(city):
    return _user("canbo_thanhpho", city)


@pytest.fixture
def district_staff_th(district):
    return _user("canbo_tayho", district)


def _split(unions, wards) -> dict:
    return {unions[0]: wards[0], unions[1]: wards[0], unions[2]: wards[1]}


def _federation_codes(unions) -> list[str]:
    return list(
        GrassrootsUnion.objects.filter(pk__in=[u.pk for u in unions])
        .order_by("code")
        .values_list("federation__code", flat=True)
    )


def test_the_body_ends_and_each_cdcs_goes_to_its_successor_with_the_decision(
    district, wards, unions, decision, city_staff, district_staff_th
):
    done = federation_reorganise(
        federation=district, on=ON, decision=decision, successors=_split(unions, wards), accounts_to=None, by=city_staff
    )
    assert (done.unions, done.successors, done.accounts) == (3, 2, 1)
    district.refresh_from_db()
    assert (district.ended_on, district.ending_decision) == (ON, decision)
    assert _federation_codes(unions) == ["P-TAYHO", "P-TAYHO", "P-PHUTHUONG"]
    periods = list(
        UnionAffiliation.objects.filter(union=unions[0])
        .order_by("started_on")
        .values_list("federation__code", "started_on", "ended_on", "decision")
    )
    assert periods == [("TH", unions[0].established_on, ON, None), ("P-TAYHO", ON, None, decision.pk)]
    district_staff_th.refresh_from_db()
    assert not district_staff_th.is_active


def test_the_ended_bodys_accounts_may_move_to_a_successor_instead(
    district, wards, unions, decision, city_staff, district_staff_th
):
    leader = _user("lanhdao_tayho", district, role=User.Role.LEADER)
    federation_reorganise(
        federation=district,
        on=ON,
        decision=decision,
        successors=_split(unions, wards),
        accounts_to=wards[1],
        by=city_staff,
    )
    for account in (district_staff_th, leader):
        account.refresh_from_db()
        assert account.is_active and account.federation == wards[1]


def test_a_cdcs_left_without_a_successor_refuses_everything(district, wards, unions, decision, city_staff):
    chosen = _split(unions, wards)
    del chosen[unions[2]]
    with pytest.raises(ValidationError, match="TH-03"):
        federation_reorganise(
            federation=district, on=ON, decision=decision, successors=chosen, accounts_to=None, by=city_staff
        )
    district.refresh_from_db()
    assert district.ended_on is None
    assert _federation_codes(unions) == ["TH", "TH", "TH"]


def test_a_failure_half_way_writes_nothing(district, wards, unions, decision, city_staff, district_staff_th):
    # The second ward is founded a day late: the first ward's CĐCS would be moved before the refusal.
    Federation.objects.filter(pk=wards[1].pk).update(founded_on=ON + dt.timedelta(days=1))
    wards[1].refresh_from_db()
    with pytest.raises(ValidationError):
        federation_reorganise(
            federation=district,
            on=ON,
            decision=decision,
            successors=_split(unions, wards),
            accounts_to=None,
            by=city_staff,
        )
    district.refresh_from_db()
    district_staff_th.refresh_from_db()
    assert district.ended_on is None and district_staff_th.is_active
    assert _federation_codes(unions) == ["TH", "TH", "TH"]
    assert not UnionAffiliation.objects.filter(started_on=ON).exists()


def test_a_body_that_still_holds_unions_of_its_own_cannot_end(district, wards, unions, decision, city_staff):
    factories.FederationFactory(
        code="TH-KCN", name="Công đoàn khu công nghiệp", kind="industrial_zone", parent=district
    )
    with pytest.raises(ValidationError, match="Công đoàn khu công nghiệp"):
        federation_reorganise(
            federation=district,
            on=ON,
            decision=decision,
            successors=_split(unions, wards),
            accounts_to=None,
            by=city_staff,
        )


def test_a_successor_inside_the_ending_body_or_the_body_itself_is_refused(
    district, wards, unions, decision, city_staff
):
    chosen = dict.fromkeys(unions, district)
    with pytest.raises(ValidationError):
        federation_reorganise(
            federation=district, on=ON, decision=decision, successors=chosen, accounts_to=None, by=city_staff
        )
    assert _federation_codes(unions) == ["TH", "TH", "TH"]


def test_a_merger_is_the_same_operation(wards, city_staff, decision):
    """Two ward unions merge: one ends, all its CĐCS go to the other."""
    absorbed, keeping = wards
    union = factories.GrassrootsUnionFactory(federation=absorbed, code="PT-01", established_on=dt.date(2025, 7, 2))
    merged_on = dt.date(2025, 9, 1)
    federation_reorganise(
        federation=absorbed,
        on=merged_on,
        decision=decision,
        successors={union: keeping},
        accounts_to=keeping,
        by=city_staff,
    )
    union.refresh_from_db()
    absorbed.refresh_from_db()
    assert union.federation == keeping and absorbed.ended_on == merged_on


def test_after_the_move_the_wards_staff_see_their_cdcs_past_and_not_the_other_wards(
    district, wards, unions, decision, city_staff, district_staff_th
):
    old_member = factories.MemberFactory(
        union=unions[0], joined_union_on=dt.date(2018, 1, 1), status=Member.Status.LEFT, period=False
    )
    factories.MembershipPeriodFactory(
        member=old_member, union=unions[0], started_on=dt.date(2018, 1, 1), ended_on=dt.date(2020, 1, 1)
    )
    ward_staff = _user("canbo_phuong_tayho", wards[0])
    federation_reorganise(
        federation=district, on=ON, decision=decision, successors=_split(unions, wards), accounts_to=None, by=city_staff
    )
    seen = set(Member.objects.visible_to(ward_staff).values_list("union__code", flat=True))
    assert seen == {"TH-01", "TH-02"}
    assert Member.objects.visible_to(ward_staff).filter(pk=old_member.pk).exists()
    district_staff_th.refresh_from_db()
    assert not Member.objects.visible_to(district_staff_th).exists()
    assert not GrassrootsUnion.objects.visible_to(district_staff_th).exists()


# --- The page ------------------------------------------------------------------------------


def _page(district) -> str:
    return reverse("admin:unions_federation_reorganise", args=[district.pk])


def _posted(unions, wards, decision, **extra) -> dict:
    data = {"on": "01/07/2025", "decision": decision.pk, **extra}
    return data


def test_city_staff_open_the_page_with_every_cdcs_to_place(client, district, wards, unions, city_staff, vi):
    client.force_login(city_staff)
    response = client.get(_page(district))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(union.code in page for union in unions)
    assert "P-TAYHO – Công đoàn phường Tây Hồ" in page


def test_the_mapping_sheet_lists_the_cdcs_and_reads_back_into_a_preview(
    client, district, wards, unions, decision, city_staff, vi
):
    client.force_login(city_staff)
    sheet = client.get(reverse("admin:unions_federation_reorganise_mapping", args=[district.pk]))
    book = load_workbook(io.BytesIO(b"".join(sheet.streaming_content) if sheet.streaming else sheet.content))
    for row, code in zip(range(2, 5), ("P-TAYHO", "P-TAYHO", "P-PHUTHUONG"), strict=True):
        book.worksheets[0].cell(row=row, column=3, value=code)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = "chuyen.xlsx"
    response = client.post(_page(district), {**_posted(unions, wards, decision), "mapping": upload, "preview": "1"})
    assert response.status_code == 200
    shares = {successor.code: (share.unions, share.members) for successor, share in response.context["preview"]}
    assert shares == {"P-TAYHO": (2, 3), "P-PHUTHUONG": (1, 1)}
    assert _federation_codes(unions) == ["TH", "TH", "TH"]  # checking moves nothing
    # The choices read from the sheet are on the form: confirming them does it.
    chosen = {name: value for name, value in response.context["form"].data.items() if name.startswith("union_")}
    response = client.post(_page(district), {**_posted(unions, wards, decision), **chosen, "confirm": "1"})
    assert response.status_code == 302
    assert _federation_codes(unions) == ["P-TAYHO", "P-TAYHO", "P-PHUTHUONG"]


def test_a_bad_mapping_sheet_names_its_rows_and_moves_nothing(
    client, district, wards, unions, decision, city_staff, vi
):
    client.force_login(city_staff)
    upload = io.BytesIO("Mã CĐCS;Mã công đoàn cấp trên mới\nTH-01;P-TAYHO\nTH-99;P-TAYHO\n".encode())
    upload.name = "chuyen.csv"
    response = client.post(_page(district), {**_posted(unions, wards, decision), "mapping": upload, "confirm": "1"})
    assert response.status_code == 200
    assert "Dòng 3, cột «Mã CĐCS»: CĐCS “TH-99” không thuộc các CĐCS được chuyển." in response.content.decode()
    assert _federation_codes(unions) == ["TH", "TH", "TH"]


def test_a_cdcs_not_placed_is_pointed_at_and_nothing_moves(client, district, wards, unions, decision, city_staff, vi):
    client.force_login(city_staff)
    data = {
        **_posted(unions, wards, decision),
        f"union_{unions[0].pk}": wards[0].pk,
        f"union_{unions[1].pk}": wards[1].pk,
        "confirm": "1",
    }
    response = client.post(_page(district), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {f"union_{unions[2].pk}": ["Chọn nơi chuyển CĐCS này về."]}
    assert _federation_codes(unions) == ["TH", "TH", "TH"]


def test_a_merger_by_one_choice_for_every_cdcs(client, district, wards, unions, decision, city_staff, vi):
    client.force_login(city_staff)
    response = client.post(
        _page(district), {**_posted(unions, wards, decision), "send_rest_to": wards[1].pk, "confirm": "1"}
    )
    assert response.status_code == 302
    assert _federation_codes(unions) == ["P-PHUTHUONG"] * 3
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages and "3 CĐCS" in messages[0]


def test_the_district_itself_has_no_successor_in_sight(client, district, wards, unions, district_staff_th, vi):
    client.force_login(district_staff_th)
    response = client.get(_page(district))
    assert response.status_code == 200
    assert "Không có công đoàn cấp trên nào khác" in response.content.decode()


def test_other_federations_leaders_and_chairs_cannot_reorganise(client, district, unions, wards, city):
    outsider = factories.FederationFactory(code="DD", name="Liên đoàn Lao động quận Đống Đa")
    cases = [
        (_user("canbo_dongda", outsider), 404),
        (_user("lanhdao_thanhpho", city, role=User.Role.LEADER), 403),
        (factories.UserFactory(username="chutich", role=User.Role.UNION_CHAIR, union=unions[0]), 403),
    ]
    for user, status in cases:
        client.force_login(user)
        assert client.get(_page(district)).status_code == status, user.username


def test_an_ended_body_has_no_reorganise_page(client, district, wards, unions, decision, city_staff):
    federation_reorganise(
        federation=district, on=ON, decision=decision, successors=_split(unions, wards), accounts_to=None, by=city_staff
    )
    client.force_login(city_staff)
    assert client.get(_page(district)).status_code == 404


def test_the_handover_has_one_record_per_successor_and_one_to_the_body_above(
    client, district, wards, unions, decision, city_staff, vi
):
    federation_reorganise(
        federation=district, on=ON, decision=decision, successors=_split(unions, wards), accounts_to=None, by=city_staff
    )
    client.force_login(city_staff)
    response = client.get(reverse("admin:unions_federation_handover_print", args=[district.pk]))
    assert response.status_code == 200
    received = [
        (record.receiver.code, dict(counts)["CĐCS"], "Tài liệu hội nghị" in dict(counts))
        for record, counts in response.context["records"]
    ]
    # Each ward signs for its CĐCS; the city, above the district, for the district's own documents.
    assert received == [("P-PHUTHUONG", "1", False), ("P-TAYHO", "2", False), ("HN", "0", True)]
    page = response.content.decode()
    assert page.count("BIÊN BẢN BÀN GIAO") == 3
    assert "chưa ghi nhận đơn vị kế thừa" not in page
    # The package lists the district's CĐCS as it held them on its last day, wherever they went.
    workbook = client.get(reverse("admin:unions_federation_handover_xlsx", args=[district.pk]))
    assert workbook.status_code == 200


def test_checking_says_what_confirming_would_refuse_and_changes_nothing(
    client, district, wards, unions, decision, city_staff, vi
):
    # A CĐCS founded after the day its union ends cannot be moved on that day.
    GrassrootsUnion.objects.filter(pk=unions[2].pk).update(established_on=ON + dt.timedelta(days=30))
    UnionAffiliation.objects.filter(union=unions[2]).update(started_on=ON + dt.timedelta(days=30))
    client.force_login(city_staff)
    response = client.post(
        _page(district), {**_posted(unions, wards, decision), "send_rest_to": wards[0].pk, "preview": "1"}
    )
    assert response.status_code == 200
    assert response.context["preview"] is None
    assert "TH-03" in " ".join(
        response.context["form"].non_field_errors() + response.context["form"].errors.get("on", [])
    )
    # A check that passes undoes everything it tried.
    GrassrootsUnion.objects.filter(pk=unions[2].pk).update(established_on=dt.date(2015, 1, 1))
    UnionAffiliation.objects.filter(union=unions[2]).update(started_on=dt.date(2015, 1, 1))
    response = client.post(
        _page(district), {**_posted(unions, wards, decision), "send_rest_to": wards[0].pk, "preview": "1"}
    )
    assert response.context["preview"] is not None
    district.refresh_from_db()
    assert district.ended_on is None and _federation_codes(unions) == ["TH", "TH", "TH"]
    assert not UnionAffiliation.objects.filter(started_on=ON).exists()
