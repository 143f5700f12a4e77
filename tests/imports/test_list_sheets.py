"""Every list in and out: CĐCS, department unions, groups, officials and workforce declarations.

Each list is exported through its page and imported back (nothing changes, no history is
written), created and updated from sheets as people make them, and kept in the importer's scope.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.core.import_kinds import import_kind
from apps.core.sheet_lists import ImportFailed
from apps.members.models import UnionOfficial
from apps.union_groups.models import UnionGroup
from apps.unions.models import DepartmentUnion, GrassrootsUnion, WorkforceDeclaration
from tests import factories
from tests.core.sheetfiles import csv_file, xlsx

LISTS = ("unions", "department-unions", "groups", "officials", "workforce")
TITLE = ["DANH SÁCH GỬI LIÊN ĐOÀN"]


def preview(kind: str, data: bytes, user, *, filename: str = "danh-sach.xlsx", union: str | None = None):
    return import_kind(kind).preview(data, filename=filename, user=user, union=union)


def history_rows() -> int:
    models = (GrassrootsUnion, DepartmentUnion, UnionGroup, UnionOfficial, WorkforceDeclaration)
    return sum(model.history.count() for model in models)


@pytest.fixture
def filled(union_a1, union_a2, union_b1):
    """Some of every list in A1 and A2 (federation A) and B1 (federation B); A2 is a nghiệp đoàn cơ sở."""
    union_a2.kind = GrassrootsUnion.Kind.OCCUPATIONAL
    union_a2.save()
    for union in (union_a1, union_a2, union_b1):
        department = factories.DepartmentUnionFactory(union=union, name=f"Công đoàn bộ phận {union.code}")
        group = factories.UnionGroupFactory(union=union, name=f"Tổ Sản xuất {union.code}", department_union=department)
        factories.UnionGroupFactory(
            union=union, name="Tổ Văn phòng", established_on=dt.date(2010, 5, 1), dissolved_on=dt.date(2024, 12, 31)
        )
        factories.WorkforceDeclarationFactory(union=union, as_of=dt.date(2025, 1, 1), total_workers=1234, note="")
        factories.WorkforceDeclarationFactory(
            union=union, as_of=dt.date(2026, 1, 1), total_workers=1300, female_workers=700, note="Tăng ca mùa vụ"
        )
        leader = factories.MemberFactory(union=union, group=group)
        factories.UnionOfficialFactory(member=leader, union=union, role=UnionOfficial.Role.GROUP_LEADER, group=group)
        factories.UnionOfficialFactory(
            member=leader, union=union, role=UnionOfficial.Role.CHAIR, ended_on=dt.date(2025, 7, 1)
        )


@pytest.mark.parametrize("extension", ["xlsx", "csv"])
@pytest.mark.parametrize("kind", LISTS)
def test_what_the_portal_exports_imports_back_unchanged(client, district_staff, filled, kind, extension):
    client.force_login(district_staff)
    response = client.get(reverse("imports:export", args=[kind, extension]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith(f'_HBT_{dt.date.today():%d-%m-%Y}.{extension}"')
    before = history_rows()
    plan = preview(kind, response.getvalue(), district_staff, filename=f"xuat.{extension}")
    assert plan.problems == []
    assert plan.counts["created"] == plan.counts["updated"] == plan.counts["rejected"] == 0
    assert plan.counts["unchanged"] >= 2  # federation A's rows, and only those
    import_kind(kind).apply(plan, user=district_staff, file_label="xuat")
    assert history_rows() == before


def test_an_export_holds_what_the_reader_may_see_and_no_more(client, chair_a1, leader, filled):
    client.force_login(chair_a1)
    book = load_workbook(io.BytesIO(client.get(reverse("imports:export", args=["groups", "xlsx"])).getvalue()))
    codes = {row[0] for row in book.active.iter_rows(min_row=2, values_only=True)}
    assert codes == {"A1"}
    client.force_login(leader)
    content = client.get(reverse("imports:export", args=["officials", "csv"])).getvalue().decode("utf-8-sig")
    number = UnionOfficial.objects.filter(union__code="A1").first().member.national_id
    assert number not in content and number[-4:] in content  # leaders see ID numbers masked
    assert "B1" not in content


def test_exports_keep_numbers_and_dates_as_values_with_formats(client, district_staff, filled):
    client.force_login(district_staff)
    book = load_workbook(io.BytesIO(client.get(reverse("imports:export", args=["workforce", "xlsx"])).getvalue()))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    assert header == ["Mã CĐCS", "Tính đến ngày", "Tổng số lao động", "Lao động nữ", "Ghi chú"]
    day, total = sheet["B2"], sheet["C2"]
    assert isinstance(day.value, dt.datetime) and day.number_format == "dd/mm/yyyy"
    assert isinstance(total.value, int) and total.number_format == "#,##0"


@pytest.mark.parametrize(
    ("persona", "kind", "status"),
    [
        ("leader", "groups", 200),
        ("chair_a1", "unions", 200),  # their own CĐCS only
        ("chair_a1", "officials", 200),
        ("district_staff", "unions", 200),
    ],
)
def test_who_may_download_which_list(client, request, persona, kind, status, filled):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("imports:export", args=[kind, "xlsx"])).status_code == status


def test_export_urls_that_are_not_lists_or_formats_are_not_found(client, district_staff):
    client.force_login(district_staff)
    assert client.get(reverse("imports:export", args=["groups", "pdf"])).status_code == 404
    assert client.get(reverse("imports:export", args=["khong-co", "xlsx"])).status_code == 404


def test_an_account_without_a_role_may_not_download(client, db):
    nobody = factories.UserFactory(username="khongvaitro", role="", federation=None)
    client.force_login(nobody)
    assert client.get(reverse("imports:export", args=["groups", "xlsx"])).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(reverse("imports:export", args=["groups", "xlsx"]))
    assert response.status_code == 302 and "login" in response["Location"]


# Groups: created, updated, refused, and the same file again.


def test_groups_from_a_sheet_with_every_problem_at_once(district_staff, union_a1, union_a2, union_b1):
    factories.DepartmentUnionFactory(union=union_a1, name="Công đoàn bộ phận Văn phòng")
    existing = factories.UnionGroupFactory(union=union_a1, name="Tổ Kế toán", established_on=dt.date(2016, 1, 1))
    rows = [
        TITLE,
        [],
        ["STT", "CĐCS", "Tên tổ", "Công đoàn bộ phận", "Ngày thành lập", "Ngày giải thể"],
        [1, "A1", "Tổ  Bảo vệ", " Công đoàn bộ phận  Văn phòng", "01/02/2020", None],  # 4: created
        [2, "A1", "Tổ Kế toán", None, dt.date(2017, 3, 1), None],  # 5: updated (date)
        [3, "A2", "Tổ May", None, "15/06/2021", None],  # 6: created in another CĐCS of the scope
        [4, "B1", "Tổ Lạ", None, "15/06/2021", None],  # 7: outside the scope
        [5, "A1", "Tổ Lái xe", None, "31/02/2021", None],  # 8: no such day
        [6, "A2", "Tổ Đóng gói", None, "01/01/2020", None],  # 9 and 10: twice
        [7, "A2", "Tổ Đóng gói", None, "01/01/2020", None],
        [8, "A1", "Tổ Nhà bếp", "CĐBP không có", "01/01/2020", None],  # 11: no such department union
        [9, "A1", "Tổ Kho", None, "01/01/2020", "01/01/2019"],  # 12: dissolved before it was established
    ]
    plan = preview("groups", xlsx({"Tổ": rows}), district_staff)
    assert plan.counts == {"created": 2, "updated": 1, "unchanged": 0, "rejected": 6}, plan.problems
    by_row = {(problem.row, problem.column): problem.message for problem in plan.problems}
    assert "B1" in by_row[(7, "CĐCS")] and "phạm vi" in by_row[(7, "CĐCS")]
    assert (8, "Ngày thành lập") in by_row
    assert "dòng 10" in by_row[(9, "")] and "dòng 9" in by_row[(10, "")]
    assert "CĐBP không có" in by_row[(11, "Công đoàn bộ phận")]
    assert {row for row, _column in by_row} == {7, 8, 9, 10, 11, 12}

    import_kind("groups").apply(plan, user=district_staff, file_label="to.xlsx")
    created = UnionGroup.objects.get(union=union_a1, name="Tổ Bảo vệ")
    assert created.department_union.name == "Công đoàn bộ phận Văn phòng"
    existing.refresh_from_db()
    assert existing.established_on == dt.date(2017, 3, 1)
    assert existing.history.first().history_change_reason == "Nhập từ to.xlsx"
    assert not UnionGroup.objects.filter(name__in=["Tổ Lạ", "Tổ Đóng gói", "Tổ Lái xe"]).exists()

    before = history_rows()
    again = preview("groups", xlsx({"Tổ": rows}), district_staff)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 6}
    import_kind("groups").apply(again, user=district_staff, file_label="to.xlsx")
    assert history_rows() == before


def test_a_chair_imports_groups_into_their_own_union_only(chair_a1, union_a1, union_a2):
    rows = [
        ["Tên tổ công đoàn", "Mã CĐCS", "Ngày thành lập"],
        ["Tổ Một", "", "01/01/2020"],
        ["Tổ Hai", "A2", "01/01/2020"],
    ]
    plan = preview("groups", csv_file(rows, delimiter=";", bom=True), chair_a1, filename="to.csv")
    assert plan.counts["created"] == 1 and plan.counts["rejected"] == 1
    (problem,) = plan.problems
    assert problem.row == 3 and problem.column == "Mã CĐCS" and "CĐCS của mình" in problem.message
    import_kind("groups").apply(plan, user=chair_a1, file_label="to.csv")
    assert list(UnionGroup.objects.values_list("union__code", "name")) == [("A1", "Tổ Một")]


def test_a_file_without_the_union_column_is_refused_for_staff_naming_it(district_staff, union_a1):
    rows = [["Tên tổ công đoàn", "Ngày thành lập"], ["Tổ Một", "01/01/2020"]]
    from apps.core.sheets import SheetError

    with pytest.raises(SheetError, match="Mã CĐCS"):
        preview("groups", xlsx({"Tổ": rows}), district_staff)
    plan = preview("groups", xlsx({"Tổ": rows}), district_staff, union="A1")
    assert plan.counts["created"] == 1


# Workforce declarations.


def test_workforce_declarations_read_as_people_type_them(district_staff, union_a1):
    declared = factories.WorkforceDeclarationFactory(union=union_a1, as_of=dt.date(2026, 1, 1), total_workers=100)
    rows = [
        ["Mã CĐCS", "Ngày khai báo", "Tổng số CNVCLĐ", "Trong đó nữ", "Ghi chú"],
        ["A1", "01/01/2026", "1.234", 600, ""],  # updated: Vietnamese thousands
        ["A1", dt.date(2026, 7, 1), 1250.0, 640, "Sau tuyển dụng"],  # created
        ["A1", "01/10/2026", 100, 120, ""],  # more women than workers
        ["A1", "01/11/2026", "nhiều", 10, ""],  # not a number
    ]
    plan = preview("workforce", xlsx({"Lao động": rows}), district_staff)
    assert plan.counts == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 2}
    columns = {problem.row: problem.column for problem in plan.problems}
    assert columns == {4: "Trong đó nữ", 5: "Tổng số CNVCLĐ"}
    import_kind("workforce").apply(plan, user=district_staff, file_label="ld.xlsx")
    declared.refresh_from_db()
    assert (declared.total_workers, declared.female_workers) == (1234, 600)
    assert WorkforceDeclaration.objects.get(as_of=dt.date(2026, 7, 1)).total_workers == 1250


# Officials.


def test_officials_are_found_by_cccd_among_the_unions_own_members(district_staff, union_a1, union_a2):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    member = factories.MemberFactory(union=union_a1, national_id="001190012345", group=group)
    elsewhere = factories.MemberFactory(union=union_a2, national_id="001190099999")
    rows = [
        ["Mã CĐCS", "Số CCCD", "Họ và tên", "Chức vụ", "Tổ công đoàn", "Từ ngày", "Đến ngày"],
        ["A1", 1190012345, member.full_name, "Chủ tịch", "", "01/07/2023", ""],  # leading zero restored
        ["A1", "001190012345", member.full_name, "group leader", "Tổ Văn phòng", "01/07/2023", ""],  # English label
        ["A1", elsewhere.national_id, elsewhere.full_name, "Phó chủ tịch", "", "01/07/2023", ""],  # not A1's
        ["A1", "001190012345", member.full_name, "Tổ trưởng", "", "01/01/2024", ""],  # no group
        ["A1", "001190012345", member.full_name, "Giám đốc", "", "01/01/2024", ""],  # not an office
        ["A1", "001190012345", member.full_name, "Ủy viên ban chấp hành", "", "01/01/2024", "01/01/2023"],
    ]
    plan = preview("officials", xlsx({"Cán bộ": rows}), district_staff)
    assert plan.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 4}
    messages = {problem.row: problem.message for problem in plan.problems}
    assert "A1" in messages[4] and "CCCD" in messages[4]
    assert "tổ" in messages[5].lower()
    assert "Giám đốc" in messages[6] and "chủ tịch" in messages[6]
    assert 7 in messages
    import_kind("officials").apply(plan, user=district_staff, file_label="cb.xlsx")
    assert set(UnionOfficial.objects.values_list("role", flat=True)) == {"chair", "group_leader"}


# CĐCS.


def test_grassroots_unions_created_and_updated_by_district_staff(district_staff, union_a1, federation_b):
    rows = [
        [
            "Mã CĐCS",
            "Tên CĐCS",
            "Đơn vị",
            "Khối",
            "Mã liên đoàn",
            "Địa chỉ",
            "Điện thoại",
            "Ngày thành lập",
            "Ngày giải thể",
        ],
        [
            "A9",
            "Công đoàn Công ty  Mới",
            "Công ty Mới",
            "Doanh nghiệp ngoài nhà nước",
            "",
            "",
            912345678,
            "01/01/2026",
            "",
        ],
        ["A1", union_a1.name, union_a1.employer_name, union_a1.sector.name, "HBT", "", "", "01/01/2015", "30/06/2025"],
        ["A8", "Công đoàn X", "X", "Khối không có", "", "", "", "01/01/2026", ""],
        ["B9", "Công đoàn Y", "Y", "Doanh nghiệp ngoài nhà nước", "DD", "", "", "01/01/2026", ""],
    ]
    plan = preview("unions", xlsx({"CĐCS": rows}), district_staff)
    assert plan.counts == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 2}, plan.problems
    columns = {problem.row: problem.column for problem in plan.problems}
    assert columns == {4: "Khối", 5: "Mã liên đoàn"}
    import_kind("unions").apply(plan, user=district_staff, file_label="cdcs.xlsx")
    created = GrassrootsUnion.objects.get(code="A9")
    assert (created.name, created.phone, created.federation.code) == ("Công đoàn Công ty Mới", "0912345678", "HBT")
    union_a1.refresh_from_db()
    assert (union_a1.status, union_a1.dissolved_on) == ("dissolved", dt.date(2025, 6, 30))


def test_a_chair_may_not_import_the_list_of_unions(client, chair_a1):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preview("unions", xlsx({"CĐCS": [["Mã CĐCS"], ["A1"]]}), chair_a1)
    client.force_login(chair_a1)
    assert client.get(reverse("imports:upload", args=["unions"])).status_code == 403


def test_the_union_list_upload_asks_for_no_union(client, district_staff):
    client.force_login(district_staff)
    page = client.get(reverse("imports:upload", args=["unions"])).content.decode()
    assert 'name="union"' not in page
    page = client.get(reverse("imports:upload", args=["groups"])).content.decode()
    assert 'name="union"' in page


# Templates.


@pytest.mark.parametrize("kind", LISTS)
def test_each_list_has_a_template_with_a_guide_that_imports_as_filled(client, district_staff, union_a1, kind):
    client.force_login(district_staff)
    response = client.get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    data, guide = book.worksheets[0], book["Hướng dẫn"]
    headers = [cell.value for cell in data[1]]
    fields = import_kind(kind).preview.__self__.fields
    assert headers == [field.header for field in fields]
    explained = [row[0] for row in guide.iter_rows(min_row=2, max_row=len(fields) + 1, values_only=True)]
    assert explained == headers
    assert all(row[2] for row in guide.iter_rows(min_row=2, max_row=len(fields) + 1, values_only=True))
    # An empty template is a file with no rows, not an error.
    plan = preview(kind, response.content, district_staff, union="A1")
    assert plan.counts == {"created": 0, "updated": 0, "unchanged": 0, "rejected": 0}


def test_the_chairs_official_template_offers_roles_and_their_own_groups(client, chair_a1, union_a1, union_a2):
    factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.UnionGroupFactory(union=union_a2, name="Tổ Người khác")
    client.force_login(chair_a1)
    book = load_workbook(io.BytesIO(client.get(reverse("imports:template", args=["officials"])).content))
    choices = [cell.value for row in book["Danh mục"].iter_rows() for cell in row if cell.value]
    assert "chủ tịch" in choices and "Tổ Văn phòng" in choices and "Tổ Người khác" not in choices


def test_a_stale_preview_writes_nothing(district_staff, union_a1):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Kế toán")
    rows = [
        ["Mã CĐCS", "Tên tổ công đoàn", "Ngày thành lập"],
        ["A1", "Tổ Kế toán", "01/01/2019"],
        ["A1", "Tổ Mới", "01/01/2019"],
    ]
    plan = preview("groups", xlsx({"Tổ": rows}), district_staff)
    group.save()  # someone edits the group after the preview
    with pytest.raises(ImportFailed):
        import_kind("groups").apply(plan, user=district_staff, file_label="to.xlsx")
    assert not UnionGroup.objects.filter(name="Tổ Mới").exists()


@pytest.mark.parametrize(
    ("model", "kind"),
    [
        ("unions_grassrootsunion", "unions"),
        ("unions_departmentunion", "department-unions"),
        ("unions_workforcedeclaration", "workforce"),
        ("union_groups_uniongroup", "groups"),
        ("members_unionofficial", "officials"),
    ],
)
def test_each_admin_list_links_to_its_import_and_download(client, district_staff, leader, model, kind):
    upload_page = reverse("imports:upload", args=[kind])
    download = reverse("imports:export", args=[kind, "xlsx"])
    for user, may_import in ((district_staff, True), (leader, False)):
        client.force_login(user)
        page = client.get(reverse(f"admin:{model}_changelist")).content.decode()
        assert (f'href="{upload_page}"' in page) is may_import, user
        assert f'href="{download}"' in page


def test_the_command_imports_any_list_through_the_same_scope(tmp_path, district_staff, union_a1, union_b1):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "to.xlsx"
    rows = [
        ["Mã CĐCS", "Tên tổ công đoàn", "Ngày thành lập"],
        ["A1", "Tổ Một", "01/01/2020"],
        ["B1", "Tổ Hai", "01/01/2020"],
    ]
    path.write_bytes(xlsx({"Tổ": rows}))
    out = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_sheet", str(path), kind="groups", username="canbo", json=True, stdout=out)
    assert refused.value.returncode == 1
    report = json.loads(out.getvalue())
    assert report["counts"] == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    assert report["problems"][0]["row"] == 3 and report["problems"][0]["column"] == "Mã CĐCS"
    assert not UnionGroup.objects.exists()  # a rejected row stops the whole file unless --skip-rejected
    with pytest.raises(CommandError):  # still non-zero: a row was rejected
        call_command(
            "import_sheet", str(path), kind="groups", username="canbo", skip_rejected=True, stdout=io.StringIO()
        )
    assert list(UnionGroup.objects.values_list("name", flat=True)) == ["Tổ Một"]


def test_the_kind_of_a_grassroots_union_reads_as_people_write_it(district_staff, union_a1):
    headers = ["Mã CĐCS", "Tên CĐCS", "Đơn vị", "Khối", "Loại CĐCS", "Ngày thành lập"]
    rows = [
        headers,
        [
            "A7",
            "Nghiệp đoàn Xe ôm",
            "Người lao động tự do",
            "Doanh nghiệp ngoài nhà nước",
            "nghiep doan co so",
            "01/01/2026",
        ],
        ["A8", "Công đoàn Công ty Z", "Công ty Z", "Doanh nghiệp ngoài nhà nước", "", "01/01/2026"],
        ["A9", "Công đoàn W", "W", "Doanh nghiệp ngoài nhà nước", "Hợp tác xã", "01/01/2026"],
    ]
    plan = preview("unions", xlsx({"CĐCS": rows}), district_staff)
    assert plan.counts == {"created": 2, "updated": 0, "unchanged": 0, "rejected": 1}, plan.problems
    assert [(problem.row, problem.column) for problem in plan.problems] == [(4, "Loại CĐCS")]
    assert "Nghiệp đoàn cơ sở" in plan.problems[0].message
    import_kind("unions").apply(plan, user=district_staff, file_label="cdcs.xlsx")
    kinds = dict(GrassrootsUnion.objects.filter(code__in=["A7", "A8"]).values_list("code", "kind"))
    assert kinds == {"A7": "occupational", "A8": "union"}


def test_the_union_admin_filters_by_kind(client, district_staff, union_a1, union_a2):
    union_a2.kind = GrassrootsUnion.Kind.OCCUPATIONAL
    union_a2.save()
    client.force_login(district_staff)
    response = client.get(reverse("admin:unions_grassrootsunion_changelist"), {"kind__exact": "occupational"})
    assert [union.pk for union in response.context["cl"].result_list] == [union_a2.pk]
