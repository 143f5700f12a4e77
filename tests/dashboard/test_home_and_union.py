"""Each role's home page, a CĐCS's overview and the shared header: what they show, to whom, in how many queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from apps.imports.models import ImportJob
from apps.meetings.models import Meeting
from apps.members import services
from apps.members.models import UnionOfficial
from tests import factories

pytestmark = pytest.mark.usefixtures("vi")


def union_url(union) -> str:
    return reverse("dashboard:union", args=[union.pk])


def get(client, user, url, **params):
    client.force_login(user)
    return client.get(url, params)


# --- Who may open a CĐCS's overview -----------------------------------------------------


def test_chair_opens_their_own_union(client, chair_a1, union_a1):
    response = get(client, chair_a1, union_url(union_a1))
    assert response.status_code == 200
    assert union_a1.name in response.content.decode()


def test_chair_gets_not_found_for_another_union(client, chair_a1, union_a2, union_b1):
    for union in (union_a2, union_b1):
        response = get(client, chair_a1, union_url(union))
        assert response.status_code == 404
        assert union.name not in response.content.decode()


def test_staff_of_another_federation_gets_not_found(client, staff_b, union_a1):
    assert get(client, staff_b, union_url(union_a1)).status_code == 404


def test_staff_and_leader_open_any_union_of_their_federation(client, district_staff, leader, union_a1, union_a2):
    for user in (district_staff, leader):
        for union in (union_a1, union_a2):
            assert get(client, user, union_url(union)).status_code == 200


def test_an_account_without_a_role_is_refused(client, federation_a, union_a1):
    nobody = factories.UserFactory(username="khong_vai_tro")
    assert get(client, nobody, union_url(union_a1)).status_code == 403


def test_a_union_that_does_not_exist_is_not_found(client, district_staff, union_a1):
    assert get(client, district_staff, reverse("dashboard:union", args=[union_a1.pk + 999])).status_code == 404


# --- What the overview shows ------------------------------------------------------------


@pytest.fixture
def union_with_everything(union_a1, federation_a):
    """A1 today: 3 members (2 women) of 4 workers (3 women); two groups, one led; a chair; two meetings."""
    today = timezone.localdate()
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2020, 6, 1), total_workers=4, female_workers=3)
    led = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.UnionGroupFactory(union=union_a1, name="Tổ Kinh doanh")
    leader = factories.MemberFactory(union=union_a1, group=led, gender="female", full_name="Phạm Thị Tổ Trưởng")
    chair = factories.MemberFactory(union=union_a1, gender="female", full_name="Lê Thị Chủ Tịch")
    factories.MemberFactory(union=union_a1, full_name="Hoàng Văn Đoàn Viên")
    factories.UnionOfficialFactory(member=leader, role=UnionOfficial.Role.GROUP_LEADER, group=led)
    factories.UnionOfficialFactory(member=chair, role=UnionOfficial.Role.CHAIR)
    # A past office is not shown.
    factories.UnionOfficialFactory(
        member=leader, role=UnionOfficial.Role.VICE_CHAIR, started_on=dt.date(2020, 1, 1), ended_on=dt.date(2021, 1, 1)
    )
    factories.MeetingFactory(
        federation=federation_a,
        organiser_union=union_a1,
        group=led,
        kind=Meeting.Kind.GROUP_MEETING,
        title="Sinh hoạt tổ quý này",
        held_on=today - dt.timedelta(days=3),
    )
    factories.MeetingFactory(federation=federation_a, organiser_union=union_a1, title="Hội nghị người lao động")
    return union_a1


def test_overview_shows_figures_groups_officials_meetings_and_warnings(client, chair_a1, union_with_everything):
    body = get(client, chair_a1, union_url(union_with_everything)).content.decode()
    assert "3 / 4" in body and "75,0 %" in body  # members / workers
    assert "2 / 3" in body and "66,7 %" in body  # female members / female workers
    assert "Tổ Văn phòng" in body and "Phạm Thị Tổ Trưởng" in body
    assert "Tổ Kinh doanh" in body and "chưa có tổ trưởng" in body
    assert "Lê Thị Chủ Tịch" in body and "Chủ tịch" in body
    assert "Phó chủ tịch" not in body  # the past office
    assert "Sinh hoạt tổ quý này" in body and "Hội nghị người lao động" in body
    assert "Khai báo ngày 01/06/2020: 4 người lao động, trong đó 3 nữ." in body
    # The charter checks: fewer than 5 members, the declaration of 2020 over a year old, a group without a leader.
    warnings = body.split('id="warnings"', 1)[1].split("</section>", 1)[0]
    assert "Ít hơn 5 đoàn viên" in warnings
    assert "Chưa khai báo số lao động hoặc khai báo đã quá một năm" in warnings
    assert "Có tổ công đoàn chưa có tổ trưởng" in warnings
    # Links to where each thing is edited, filtered to this union.
    pk = union_with_everything.pk
    # The phone-first pages of the CĐCS (apps/portal) for its members, groups and workforce.
    assert reverse("portal:members", args=[pk]) in body
    assert reverse("portal:groups", args=[pk]) in body
    assert reverse("portal:workforce_new", args=[pk]) in body


def test_overview_warnings_are_the_charter_checks_of_the_union(client, chair_a1, union_with_everything):
    from apps.dashboard.selectors import union_warnings

    expected = union_warnings(union_with_everything, timezone.localdate(), user=chair_a1)
    # 3 members of 4 workers (75 %, below 80 %), few members, a stale declaration, a group without a leader
    assert len(expected) == 4
    response = get(client, chair_a1, union_url(union_with_everything))
    assert response.context["overview"].warnings == expected


def test_every_edit_link_of_the_overview_opens(client, chair_a1, district_staff, union_with_everything):
    import re

    for user in (chair_a1, district_staff):
        body = get(client, user, union_url(union_with_everything)).content.decode()
        links = set(re.findall(r'href="(/admin/[^"#]+)"', body))
        assert len(links) > 8
        for link in links:
            response = client.get(link.replace("&amp;", "&"))
            # A filter the admin does not accept redirects with ?e=1; a page out of scope is 404.
            assert response.status_code == 200, (user.username, link, response.status_code)


def test_overview_queries_do_not_grow_with_groups_officials_and_meetings(
    client, chair_a1, union_with_everything, federation_a
):
    client.force_login(chair_a1)
    url = union_url(union_with_everything)
    client.get(url)  # the day's figures are computed once
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for number in range(4):
        group = factories.UnionGroupFactory(union=union_with_everything, name=f"Tổ thêm {number}")
        member = factories.MemberFactory(union=union_with_everything, group=group)
        factories.UnionOfficialFactory(member=member, role=UnionOfficial.Role.GROUP_LEADER, group=group)
        factories.UnionOfficialFactory(member=member, role=UnionOfficial.Role.EXECUTIVE_MEMBER)
        factories.MeetingFactory(federation=federation_a, organiser_union=union_with_everything, group=group)
    client.get(url)
    with CaptureQueriesContext(connection) as after:
        response = client.get(url)
    assert len(response.context["overview"].groups) == 6
    assert len(after) == len(before), [query["sql"][:120] for query in after]
    assert len(after) == OVERVIEW_QUERIES


# The overview once its day is kept (pinned, not capped): session, user, the figures' freshness,
# the union with its figures, its groups with their members, the groups' leaders, the officials,
# the meetings, the chair's own open follow-up tasks, and the warnings (freshness again, then the
# charter checks of its row).
OVERVIEW_QUERIES = 11


# --- Home per role ----------------------------------------------------------------------


def test_leader_starts_on_the_dashboard(client, leader):
    response = get(client, leader, reverse("home"))
    assert response.status_code == 302 and response.url == reverse("dashboard:index")


def test_chair_starts_on_their_union(client, chair_a1, union_a1):
    response = get(client, chair_a1, reverse("home"))
    assert response.status_code == 302 and response.url == union_url(union_a1)


def test_account_without_a_role_starts_on_data_entry(client, federation_a):
    nobody = factories.UserFactory(username="khong_vai_tro")
    response = get(client, nobody, reverse("home"))
    assert response.status_code == 302 and response.url == reverse("admin:index")


@pytest.fixture
def staff_work(district_staff, chair_a1, union_a1, union_a2, union_b1, staff_b):
    """A transfer A2 → A1 and one in federation B; a checked import of the staff and one of a chair; declarations."""
    today = timezone.localdate()
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=today - dt.timedelta(days=30))
    factories.WorkforceDeclarationFactory(union=union_a2, as_of=today - dt.timedelta(days=800))
    factories.WorkforceDeclarationFactory(union=union_b1, as_of=today - dt.timedelta(days=900))
    moving = factories.MemberFactory(union=union_a2, full_name="Đinh Văn Chuyển Đến")
    services.transfer_request(member=moving, to_union=union_a1, on=today, actor=district_staff)
    other = factories.MemberFactory(union=union_b1, full_name="Ngô Văn Quận Khác")
    b2 = factories.GrassrootsUnionFactory(federation=union_b1.federation, code="B2", name="Công đoàn Chợ Đống Đa")
    services.transfer_request(member=other, to_union=b2, on=today, actor=staff_b)
    for user, name, union in ((district_staff, "cua-can-bo.xlsx", None), (chair_a1, "cua-chu-tich.xlsx", union_a1)):
        ImportJob.objects.create(
            kind="members",
            original_filename=name,
            created_by=user,
            union=union,
            federation=union_a1.federation,
            status=ImportJob.Status.PREVIEWED,
        )
    ImportJob.objects.create(
        kind="members",
        original_filename="da-xong.xlsx",
        created_by=district_staff,
        federation=union_a1.federation,
        status=ImportJob.Status.DONE,
    )
    return moving


def test_staff_home_lists_what_needs_doing_in_their_scope(client, district_staff, staff_work, union_a1, union_a2):
    response = get(client, district_staff, reverse("home"))
    assert response.status_code == 200
    body = response.content.decode()
    home = response.context["home"]
    # The transfer into A1, linked to where it is answered; not the other federation's.
    assert [transfer.member.full_name for transfer in home.incoming_transfers.entries] == ["Đinh Văn Chuyển Đến"]
    decide = reverse("admin:members_transferrequest_decide", args=[home.incoming_transfers.entries[0].pk])
    assert decide in body and "Ngô Văn Quận Khác" not in body
    # Their own checked import only (only the uploader confirms), linked to its page.
    assert [job.original_filename for job in home.waiting_imports.entries] == ["cua-can-bo.xlsx"]
    assert reverse("imports:job", args=[home.waiting_imports.entries[0].pk]) in body
    # A2's declaration is 800 days old; A1's is recent; B1 is not theirs.
    assert [union.code for union in home.stale_declarations.entries] == ["A2"]
    assert f"{reverse('admin:unions_workforcedeclaration_add')}?union={union_a2.pk}" in body
    assert "Công đoàn Bệnh viện Đống Đa" not in body
    # Recent changes: the members and unions made above, in scope only, each a link.
    labels = {change.label for change in home.recent_changes}
    assert "Đinh Văn Chuyển Đến" in labels and union_a1.name in labels
    assert "Ngô Văn Quận Khác" not in labels and "Công đoàn Chợ Đống Đa" not in labels
    assert reverse("admin:members_member_change", args=[staff_work.pk]) in body


def test_staff_home_without_work_says_so_in_vietnamese(client, district_staff, union_a1):
    factories.WorkforceDeclarationFactory(union=union_a1, as_of=timezone.localdate())
    body = get(client, district_staff, reverse("home")).content.decode()
    assert "Không có yêu cầu chuyển sinh hoạt nào đang chờ" in body
    assert "Bạn không có tệp nhập nào đang chờ xác nhận." in body
    assert "Tất cả CĐCS đều đã khai báo số lao động gần đây." in body


def test_staff_home_lists_are_cut_with_how_many_more(client, district_staff, federation_a, settings):
    from apps.dashboard.checks import HOME_LIST_LENGTH

    for number in range(HOME_LIST_LENGTH + 3):
        factories.GrassrootsUnionFactory(federation=federation_a, code=f"K{number}", name=f"Công đoàn số {number}")
    response = get(client, district_staff, reverse("home"))
    stale = response.context["home"].stale_declarations
    assert (len(stale.entries), stale.count, stale.more) == (HOME_LIST_LENGTH, HOME_LIST_LENGTH + 3, 3)
    assert "và 3 mục khác" in response.content.decode()


def test_staff_home_queries_do_not_grow_with_the_lists(client, district_staff, staff_work, union_a1):
    client.force_login(district_staff)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("home"))
    for number in range(5):
        factories.MemberFactory(union=union_a1, full_name=f"Thêm {number}")
        factories.GrassrootsUnionFactory(
            federation=union_a1.federation, code=f"S{number}", name=f"Công đoàn cũ {number}"
        )
    client.get(reverse("home"))  # the figures take in the new rows once
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("home"))
    assert response.context["home"].stale_declarations.count == 6
    assert len(after) == len(before) == STAFF_HOME_QUERIES


# Session, user, transfers, imports, the figures' freshness, stale declarations, and the recent
# changes of members, unions and groups, and one's own open follow-up tasks (one query each); pinned, not capped.
STAFF_HOME_QUERIES = 10


# --- The header -------------------------------------------------------------------------


def header_links(body: str) -> list[str]:
    import re

    nav = body.split('class="sections"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r">([^<>]+)</a>", nav)


def test_header_names_the_user_their_role_and_unit(client, chair_a1, union_a1):
    chair_a1.first_name, chair_a1.last_name = "Hoa", "Nguyễn Thị"
    chair_a1.save()
    body = get(client, chair_a1, union_url(union_a1)).content.decode()
    header = body.split("</header>", 1)[0]
    assert "Nguyễn Thị Hoa" in header or "Hoa Nguyễn Thị" in header
    assert "Chủ tịch CĐCS" in header and union_a1.name in header


@pytest.mark.parametrize(
    ("persona", "links"),
    [
        ("district_staff", ["Trang chủ", "Tổng hợp số liệu", "Nhập liệu", "Nhập/xuất Excel", "Hội nghị, hội thảo"]),
        ("leader", ["Tổng hợp số liệu", "Nhập/xuất Excel", "Hội nghị, hội thảo"]),
        ("chair_a1", ["CĐCS của tôi", "Nhập liệu", "Nhập/xuất Excel", "Hội nghị, hội thảo"]),
    ],
)
def test_header_offers_what_the_role_may_use(client, request, persona, links):
    user = request.getfixturevalue(persona)
    body = get(client, user, reverse("admin:index")).content.decode()
    assert header_links(body) == links


def test_header_marks_the_current_section(client, chair_a1, district_staff, union_a1):
    body = get(client, chair_a1, union_url(union_a1)).content.decode()
    assert f'<a href="{union_url(union_a1)}" aria-current="page">CĐCS của tôi</a>' in body
    body = get(client, district_staff, union_url(union_a1)).content.decode()
    assert f'<a href="{reverse("dashboard:index")}" aria-current="true">Tổng hợp số liệu</a>' in body
    body = get(client, district_staff, reverse("admin:members_member_changelist")).content.decode()
    assert f'<a href="{reverse("admin:index")}" aria-current="true">Nhập liệu</a>' in body


def test_staff_overview_has_breadcrumbs_back_to_the_sector(client, district_staff, union_a1):
    body = get(client, district_staff, union_url(union_a1)).content.decode()
    crumbs = body.split('class="crumbs', 1)[1].split("</nav>", 1)[0]
    assert "Tổng hợp số liệu" in crumbs and union_a1.sector.name in crumbs
    assert f"?sector={union_a1.sector_id}" in crumbs


def test_dashboard_drill_down_leads_back_up_and_to_the_union_page(client, leader, union_a1):
    index = reverse("dashboard:index")
    body = get(client, leader, index, union=union_a1.pk).content.decode()
    crumbs = body.split('class="crumbs', 1)[1].split("</nav>", 1)[0]
    assert union_a1.federation.name in crumbs and union_a1.sector.name in crumbs and union_a1.name in crumbs
    assert union_url(union_a1) in body
    body = get(client, leader, index, sector=union_a1.sector_id).content.decode()
    crumbs = body.split('class="crumbs', 1)[1].split("</nav>", 1)[0]
    assert union_a1.federation.name in crumbs and union_a1.sector.name in crumbs


def test_every_link_of_the_staff_home_opens(client, district_staff, staff_work):
    import re

    body = get(client, district_staff, reverse("home")).content.decode()
    main = re.split(r"<main\b[^>]*>", body, maxsplit=1)[1]
    links = set(re.findall(r'href="(/[^"#]+)"', main))
    assert len(links) >= 8
    for link in links:
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, (link, response.status_code)


def test_signing_in_leads_to_the_home_page_unless_a_page_was_asked_for(client, db):
    login = reverse("admin:login")
    page = client.get(login)
    assert 'name="next" value="/"' in page.content.decode()
    members = reverse("admin:members_member_changelist")
    page = client.get(login, {"next": members})
    assert f'name="next" value="{members}"' in page.content.decode()
