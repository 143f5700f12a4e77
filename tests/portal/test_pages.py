"""A CĐCS's own pages: who may open them, each action through its service, errors on the form, list queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from apps.accounts.models import PersonalDataAccess
from apps.members.models import Member, MembershipPeriod, TransferRequest
from apps.unions.models import WorkforceDeclaration
from tests import factories


@pytest.fixture
def group_a1(union_a1):
    return factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")


@pytest.fixture
def other_group_a1(union_a1):
    return factories.UnionGroupFactory(union=union_a1, name="Tổ Giáo viên")


@pytest.fixture
def member_a1(union_a1, group_a1):
    return factories.MemberFactory(
        union=union_a1, group=group_a1, full_name="Nguyễn Thị Hoà", national_id="001190000001"
    )


def url(name, *args):
    return reverse(f"portal:{name}", args=args)


def member_urls(union, member):
    return [
        url(name, union.pk, member.pk) for name in ("member_edit", "member_move", "member_leave", "member_transfer")
    ]


def union_urls(union):
    return [
        url(name, union.pk)
        for name in ("members", "member_add", "transfers", "transfer_destinations", "groups", "workforce_new")
    ]


# --- scoping -----------------------------------------------------------------------------


def test_chair_cannot_open_another_unions_pages(client, chair_a1, union_a2, union_b1):
    other = factories.MemberFactory(union=union_a2, full_name="Trần Văn Khác")
    group = factories.UnionGroupFactory(union=union_a2)
    client.force_login(chair_a1)
    for page in [*union_urls(union_a2), *union_urls(union_b1), *member_urls(union_a2, other)]:
        assert client.get(page).status_code == 404, page
        assert client.post(page).status_code == 404, page
    assert client.get(url("group", union_a2.pk, group.pk)).status_code == 404


def test_a_member_of_another_union_is_not_found_under_ones_own(client, chair_a1, union_a1, union_a2, group_a1):
    other = factories.MemberFactory(union=union_a2)
    client.force_login(chair_a1)
    for page in member_urls(union_a1, other):
        assert client.get(page).status_code == 404, page
    other_group = factories.UnionGroupFactory(union=union_a2)
    assert client.get(url("group", union_a1.pk, other_group.pk)).status_code == 404


def test_staff_of_another_federation_get_not_found(client, staff_b, union_a1, member_a1, group_a1):
    client.force_login(staff_b)
    for page in [*union_urls(union_a1), *member_urls(union_a1, member_a1), url("group", union_a1.pk, group_a1.pk)]:
        assert client.get(page).status_code == 404, page


def test_leaders_read_but_may_not_act(client, leader, union_a1, member_a1, group_a1):
    client.force_login(leader)
    for name in ("members", "transfers", "groups"):
        assert client.get(url(name, union_a1.pk)).status_code == 200
    assert client.get(url("group", union_a1.pk, group_a1.pk)).status_code == 200
    response = client.get(url("members", union_a1.pk))
    assert member_a1.full_name in response.content.decode()
    assert url("member_edit", union_a1.pk, member_a1.pk) not in response.content.decode()
    assert url("member_add", union_a1.pk) not in response.content.decode()
    acting = [url(name, union_a1.pk) for name in ("member_add", "workforce_new", "transfer_destinations")]
    for page in [*acting, *member_urls(union_a1, member_a1)]:
        assert client.post(page, {"full_name": "X", "on": "01/01/2024", "reason": "x"}).status_code == 403, page
    assert Member.objects.get(pk=member_a1.pk).status == Member.Status.ACTIVE


def test_anonymous_visitors_are_sent_to_sign_in(client, union_a1):
    response = client.get(url("members", union_a1.pk))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- the list ----------------------------------------------------------------------------


def test_list_filters_by_group_status_and_accent_free_name(client, chair_a1, union_a1, group_a1, other_group_a1):
    factories.MemberFactory(union=union_a1, group=group_a1, full_name="Nguyễn Thị Hoà")
    factories.MemberFactory(union=union_a1, group=other_group_a1, full_name="Lê Văn Đức")
    factories.MemberFactory(union=union_a1, full_name="Phạm Thu Trang")
    gone = factories.MemberFactory(union=union_a1, full_name="Vũ Đình Xưa")
    gone.status = Member.Status.LEFT
    gone.save()
    client.force_login(chair_a1)
    page = url("members", union_a1.pk)

    def names(**query):
        return [member.full_name for member in client.get(page, query).context["page"]]

    everyone = {"Lê Văn Đức", "Nguyễn Thị Hoà", "Phạm Thu Trang"}
    assert set(names()) == everyone
    assert names(group=group_a1.pk) == ["Nguyễn Thị Hoà"]
    assert names(group="none") == ["Phạm Thu Trang"]
    assert names(status="left") == ["Vũ Đình Xưa"]
    assert names(q="duc") == ["Lê Văn Đức"]
    assert names(q="nguyen hoa", group=other_group_a1.pk) == []
    # Rubbish in the query string is ignored, never a server error.
    assert set(names(group="abc", status="zzz", page="-4")) == everyone
    body = client.get(page).content.decode()
    assert "Tổ Văn phòng" in body and "Tổ Giáo viên" in body
    assert "Khối" not in body  # no sector filter on a chair's own list
    assert f'href="?group={group_a1.pk}"' in body  # a chip keeps the other filters and drops the page


def test_list_offers_the_groups_of_this_union_only(client, district_staff, union_a1, union_a2, group_a1):
    factories.UnionGroupFactory(union=union_a2, name="Tổ Kinh doanh")
    client.force_login(district_staff)
    response = client.get(url("members", union_a1.pk))
    assert [group.name for group in response.context["groups"]] == ["Tổ Văn phòng"]
    assert "Tổ Kinh doanh" not in response.content.decode()


def test_list_pages_through_many_members(client, chair_a1, union_a1):
    factories.MemberFactory.create_batch(55, union=union_a1)
    client.force_login(chair_a1)
    first = client.get(url("members", union_a1.pk))
    assert len(first.context["page"].object_list) == 50
    second = client.get(url("members", union_a1.pk), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_list_query_count_does_not_grow_with_members(client, chair_a1, union_a1, group_a1, django_assert_num_queries):
    client.force_login(chair_a1)
    factories.MemberFactory.create_batch(3, union=union_a1, group=group_a1)
    client.get(url("members", union_a1.pk))  # the session, once
    # Session and user, the union, its groups with counts, the count and the page of members.
    with django_assert_num_queries(6):
        client.get(url("members", union_a1.pk))
    factories.MemberFactory.create_batch(30, union=union_a1, group=group_a1)
    with django_assert_num_queries(6):
        client.get(url("members", union_a1.pk))


def test_group_pages_query_count_does_not_grow(client, chair_a1, union_a1, group_a1, django_assert_num_queries):
    client.force_login(chair_a1)
    factories.MemberFactory.create_batch(3, union=union_a1, group=group_a1)
    client.get(url("groups", union_a1.pk))
    with django_assert_num_queries(5):
        client.get(url("groups", union_a1.pk))
    for n in range(5):
        factories.UnionGroupFactory(union=union_a1, name=f"Tổ số {n}")
    factories.MemberFactory.create_batch(10, union=union_a1, group=group_a1)
    with django_assert_num_queries(5):
        client.get(url("groups", union_a1.pk))


# --- actions -----------------------------------------------------------------------------


def enrol_data(**overrides):
    data = {
        "full_name": "Đặng Minh Châu",
        "gender": "female",
        "date_of_birth": "1995-03-14",
        "joined_union_on": "2024-05-02",
        "national_id": "001195000777",
        "ethnicity": "Kinh",
        "nationality": "VN",
    }
    return data | overrides


def test_chair_enrols_a_member_into_their_union(client, chair_a1, union_a1, group_a1, vi):
    client.force_login(chair_a1)
    form = client.get(url("member_add", union_a1.pk)).context["form"]
    assert "union" not in form.fields  # one possible value: never asked
    response = client.post(url("member_add", union_a1.pk), enrol_data(group=group_a1.pk), follow=True)
    member = Member.objects.get(full_name="Đặng Minh Châu")
    assert (member.union, member.group, member.joined_union_on) == (union_a1, group_a1, dt.date(2024, 5, 2))
    assert member.card_number  # numbered by the service
    assert member.periods.get().started_on == dt.date(2024, 5, 2)
    assert member.history.filter(history_type="+").count() == 1
    assert response.redirect_chain[-1][0] == url("members", union_a1.pk)
    assert "Đã kết nạp đoàn viên Đặng Minh Châu." in response.content.decode()


def test_the_group_picker_offers_only_this_unions_current_groups(client, chair_a1, union_a1, union_a2, group_a1):
    factories.UnionGroupFactory(union=union_a1, name="Tổ đã giải thể", dissolved_on=dt.date(2023, 1, 1))
    foreign = factories.UnionGroupFactory(union=union_a2, name="Tổ Kinh doanh")
    client.force_login(chair_a1)
    form = client.get(url("member_add", union_a1.pk)).context["form"]
    assert list(form.fields["group"].queryset) == [group_a1]
    response = client.post(url("member_add", union_a1.pk), enrol_data(group=foreign.pk))
    assert response.status_code == 200
    assert "group" in response.context["form"].errors
    assert not Member.objects.filter(full_name="Đặng Minh Châu").exists()


def test_enrol_errors_are_shown_next_to_the_field_in_vietnamese(client, chair_a1, union_a1, member_a1, vi):
    client.force_login(chair_a1)
    response = client.post(
        url("member_add", union_a1.pk),
        enrol_data(full_name="", national_id=member_a1.national_id, date_of_birth="2030-01-01"),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["full_name"] and "required" not in errors["full_name"][0]
    assert errors["national_id"] == ["Người này đang là đoàn viên của CĐCS này."]
    assert "date_of_birth" in errors
    body = response.content.decode()
    assert 'id="id_national_id_error"' in body  # the message sits under its field


def test_chair_edits_personal_details_and_the_view_is_logged(client, chair_a1, union_a1, member_a1):
    client.force_login(chair_a1)
    page = url("member_edit", union_a1.pk, member_a1.pk)
    assert client.get(page).status_code == 200
    assert PersonalDataAccess.objects.filter(user=chair_a1, record_ids=[member_a1.pk]).exists()
    data = {
        "full_name": "Nguyễn Thị Hoà",
        "gender": "female",
        "date_of_birth": "1990-06-05",
        "national_id": member_a1.national_id,
        "phone": "0912 345 678",
        "ethnicity": "Kinh",
        "nationality": "VN",
        "card_number": member_a1.card_number or "",
    }
    response = client.post(page, data)
    assert response.status_code == 302
    member_a1.refresh_from_db()
    assert member_a1.phone == "0912 345 678"
    assert member_a1.history.first().history_type == "~"


def test_edit_with_a_bad_phone_stays_on_the_form(client, chair_a1, union_a1, member_a1, vi):
    client.force_login(chair_a1)
    response = client.post(
        url("member_edit", union_a1.pk, member_a1.pk),
        {"full_name": "Nguyễn Thị Hoà", "gender": "female", "phone": "abc"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phone"]
    member_a1.refresh_from_db()
    assert member_a1.phone == ""


def test_chair_moves_a_member_to_another_group(client, chair_a1, union_a1, member_a1, other_group_a1, vi):
    client.force_login(chair_a1)
    response = client.post(
        url("member_move", union_a1.pk, member_a1.pk), {"group": other_group_a1.pk, "on": "2024-03-01"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("members", union_a1.pk)
    member_a1.refresh_from_db()
    assert member_a1.group == other_group_a1
    periods = list(member_a1.periods.order_by("started_on").values_list("group__name", "ended_on"))
    assert periods == [("Tổ Văn phòng", dt.date(2024, 3, 1)), ("Tổ Giáo viên", None)]
    assert "Đã chuyển Nguyễn Thị Hoà sang tổ khác." in response.content.decode()


def test_a_move_dated_before_the_membership_shows_the_services_refusal(client, chair_a1, union_a1, member_a1, vi):
    client.force_login(chair_a1)
    other = factories.UnionGroupFactory(union=union_a1)
    response = client.post(url("member_move", union_a1.pk, member_a1.pk), {"group": other.pk, "on": "2010-01-01"})
    assert response.status_code == 200
    assert "01/01/2020" in str(response.context["form"].errors["group"])


def test_chair_records_a_member_leaving(client, chair_a1, union_a1, member_a1):
    client.force_login(chair_a1)
    response = client.post(url("member_leave", union_a1.pk, member_a1.pk), {"on": "2024-06-30", "reason": "Nghỉ hưu"})
    assert response.status_code == 302
    member_a1.refresh_from_db()
    assert member_a1.status == Member.Status.LEFT
    assert MembershipPeriod.objects.get(member=member_a1).end_reason == "Nghỉ hưu"
    # Only an active member can leave: the page is no more.
    assert client.get(url("member_leave", union_a1.pk, member_a1.pk)).status_code == 404


def test_leaving_without_a_reason_or_before_joining_is_refused_on_the_form(client, chair_a1, union_a1, member_a1, vi):
    client.force_login(chair_a1)
    page = url("member_leave", union_a1.pk, member_a1.pk)
    response = client.post(page, {"on": "2024-06-30", "reason": ""})
    assert response.context["form"].errors["reason"]
    response = client.post(page, {"on": "2019-01-01", "reason": "Nghỉ việc"})
    assert response.status_code == 200
    assert response.context["form"].errors["on"]
    assert Member.objects.get(pk=member_a1.pk).status == Member.Status.ACTIVE


def test_transfer_found_by_name_then_accepted_by_the_receiving_chair(
    client, chair_a1, chair_a2, union_a1, union_a2, member_a1, vi
):
    group_a2 = factories.UnionGroupFactory(union=union_a2, name="Tổ May 1")
    client.force_login(chair_a1)
    lookup = client.get(url("transfer_destinations", union_a1.pk), {"q": "may thang"}).json()
    assert lookup == {"results": [{"code": "A2", "name": union_a2.name}]}
    response = client.post(
        url("member_transfer", union_a1.pk, member_a1.pk), {"to_union": "may thang long", "effective_on": "2024-07-01"}
    )
    assert response.status_code == 302
    transfer = TransferRequest.objects.get(member=member_a1)
    assert (transfer.to_union, transfer.status) == (union_a2, TransferRequest.Status.PENDING)

    client.force_login(chair_a2)
    page = client.get(url("transfers", union_a2.pk))
    assert [t.pk for t in page.context["incoming"]] == [transfer.pk]
    assert list(page.context["incoming"][0].form.fields["group"].queryset) == [group_a2]
    response = client.post(
        url("transfer_decide", union_a2.pk, transfer.pk), {f"t{transfer.pk}-group": group_a2.pk, "_accept": "1"}
    )
    assert response.status_code == 302
    member_a1.refresh_from_db()
    assert (member_a1.union, member_a1.group) == (union_a2, group_a2)
    assert TransferRequest.objects.get(pk=transfer.pk).history.count() == 2


def test_a_transfer_to_an_unknown_or_ambiguous_union_is_refused_on_the_field(
    client, chair_a1, union_a1, union_a2, union_b1, member_a1, vi
):
    factories.GrassrootsUnionFactory(federation=union_a1.federation, code="A3", name="Công đoàn Công ty May Hà Nội")
    client.force_login(chair_a1)
    page = url("member_transfer", union_a1.pk, member_a1.pk)
    # Another federation's union cannot be reached by name, nor by code.
    for term in ("Bệnh viện Đống Đa", "B1", "khong co"):
        response = client.post(page, {"to_union": term, "effective_on": "2024-07-01"})
        assert "Không có CĐCS nào" in response.context["form"].errors["to_union"][0]
    response = client.post(page, {"to_union": "cong ty may", "effective_on": "2024-07-01"})
    error = response.context["form"].errors["to_union"][0]
    assert "A2" in error and "A3" in error
    # Its own union is no destination.
    response = client.post(page, {"to_union": "A1", "effective_on": "2024-07-01"})
    assert response.context["form"].errors["to_union"]
    assert not TransferRequest.objects.exists()


def test_the_lookup_never_lists_another_federations_unions(client, chair_a1, union_a1, union_a2, union_b1):
    client.force_login(chair_a1)
    for term in ("cong doan", "B1", "dong da", ""):
        codes = {
            row["code"] for row in client.get(url("transfer_destinations", union_a1.pk), {"q": term}).json()["results"]
        }
        assert codes <= {"A2"}, term


def test_refusal_needs_a_reason_and_cancel_is_the_senders(
    client, chair_a1, chair_a2, union_a1, union_a2, member_a1, vi
):
    transfer = TransferRequest.objects.create(
        member=member_a1,
        from_union=union_a1,
        to_union=union_a2,
        effective_on=dt.date(2024, 7, 1),
        requested_by=chair_a1,
    )
    client.force_login(chair_a2)
    decide = url("transfer_decide", union_a2.pk, transfer.pk)
    response = client.post(decide, {"_refuse": "1"})
    assert response.status_code == 200
    assert response.context["incoming"][0].form.errors["refusal_reason"]
    # The receiving side cannot withdraw, nor can the sending side answer.
    assert client.post(decide, {"_cancel": "1"}).status_code == 404
    client.force_login(chair_a1)
    assert client.post(url("transfer_decide", union_a1.pk, transfer.pk), {"_accept": "1"}).status_code == 404
    assert client.post(url("transfer_decide", union_a1.pk, transfer.pk), {}).status_code == 404
    assert client.post(url("transfer_decide", union_a1.pk, transfer.pk), {"_cancel": "1"}).status_code == 302
    assert TransferRequest.objects.get(pk=transfer.pk).status == TransferRequest.Status.CANCELLED

    again = TransferRequest.objects.create(
        member=member_a1,
        from_union=union_a1,
        to_union=union_a2,
        effective_on=dt.date(2024, 7, 1),
        requested_by=chair_a1,
    )
    client.force_login(chair_a2)
    response = client.post(
        url("transfer_decide", union_a2.pk, again.pk), {"_refuse": "1", f"t{again.pk}-refusal_reason": "Không đủ hồ sơ"}
    )
    assert response.status_code == 302
    again.refresh_from_db()
    assert (again.status, again.refusal_reason) == (TransferRequest.Status.REFUSED, "Không đủ hồ sơ")


# --- groups and workforce ----------------------------------------------------------------


def test_group_page_shows_roster_leader_and_the_roster_download(client, chair_a1, union_a1, group_a1, member_a1):
    from apps.members.models import UnionOfficial

    factories.UnionOfficialFactory(
        member=member_a1, union=union_a1, group=group_a1, role=UnionOfficial.Role.GROUP_LEADER
    )
    gone = factories.MemberFactory(union=union_a1, group=group_a1, full_name="Người Đã Nghỉ")
    gone.status = Member.Status.LEFT
    gone.save()
    client.force_login(chair_a1)
    response = client.get(url("group", union_a1.pk, group_a1.pk))
    assert [member.full_name for member in response.context["roster"]] == ["Nguyễn Thị Hoà"]
    assert [official.member for official in response.context["officials"]] == [member_a1]
    roster = reverse("admin:union_groups_uniongroup_roster_xlsx", args=[group_a1.pk])
    assert roster in response.content.decode()
    assert client.get(roster).status_code == 200
    groups = client.get(url("groups", union_a1.pk))
    (only,) = groups.context["groups"]
    assert (only.active_members, [o.member for o in only.officials_today]) == (1, [member_a1])


def test_chair_declares_the_workforce(client, chair_a1, union_a1, vi):
    client.force_login(chair_a1)
    page = url("workforce_new", union_a1.pk)
    assert client.get(page).context["form"]["as_of"].value() is not None
    response = client.post(page, {"as_of": "2024-05-31", "total_workers": "120", "female_workers": "70"})
    assert response.status_code == 302
    declaration = WorkforceDeclaration.objects.get(union=union_a1)
    assert (declaration.total_workers, declaration.female_workers) == (120, 70)
    assert declaration.history.count() == 1


def test_workforce_errors_are_on_their_fields(client, chair_a1, union_a1, vi):
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2024, 5, 31))
    client.force_login(chair_a1)
    page = url("workforce_new", union_a1.pk)
    response = client.post(page, {"as_of": "2024-06-01", "total_workers": "10", "female_workers": "11"})
    assert response.context["form"].errors["female_workers"] == [
        "Số lao động nữ không được lớn hơn tổng số người lao động."
    ]
    response = client.post(page, {"as_of": "2024-05-31", "total_workers": "10", "female_workers": "1"})
    assert response.context["form"].errors["as_of"]
    response = client.post(page, {"as_of": "31/13/2024", "total_workers": "-1", "female_workers": "x"})
    assert set(response.context["form"].errors) == {"as_of", "total_workers", "female_workers"}
    assert WorkforceDeclaration.objects.filter(union=union_a1).count() == 1
