"""The member import service: every row checked before anything is written, then all accepted rows or none."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from apps.core.sheets import SheetError
from apps.core.text import fold
from apps.members import imports, services
from apps.members.imports import ImportFailed, apply_member_import, preview_member_import
from apps.members.models import Member
from tests import factories
from tests.core import sheetfiles

HEADERS = [
    "Mã CĐCS",
    "Tổ công đoàn",
    "Họ và tên",
    "Giới tính",
    "Ngày sinh",
    "Số CCCD",
    "Điện thoại",
    "Email",
    "Dân tộc",
    "Chức danh, nghề nghiệp",
    "Ngày vào công đoàn",
    "Số thẻ đoàn viên",
]


def row(cccd, name="Nguyễn Thị Hoa", *, union="A1", group="", gender="Nữ", born=dt.date(1990, 6, 5), **extra):
    values = {
        "Điện thoại": "0912345678",
        "Email": "hoa@example.vn",
        "Dân tộc": "Kinh",
        "Chức danh, nghề nghiệp": "Giáo viên",
        "Ngày vào công đoàn": dt.date(2015, 9, 1),
        "Số thẻ đoàn viên": "",
        **extra,
    }
    return [union, group, name, gender, born, cccd, *(values[h] for h in HEADERS[6:])]


def xlsx(*rows, headers=HEADERS):
    # A title row above the headers, as units make them: data rows start on Excel row 3.
    return sheetfiles.xlsx({"Đoàn viên": [["DANH SÁCH ĐOÀN VIÊN"], headers, *rows]})


def preview(user, data, filename="doan-vien.xlsx", **kwargs):
    return preview_member_import(data, filename=filename, user=user, **kwargs)


def problems(plan):
    return [(p.row, p.column, p.message) for p in plan.problems]


def history_rows():
    return Member.history.count()


@pytest.fixture
def three_rows():
    return xlsx(
        row("001190000001", "Nguyễn Thị Hoa", group="Tổ Văn phòng"),
        row("001085000002", "Trần Văn Nam", gender="Nam", Email="", **{"Điện thoại": ""}),
        row("001092000003", "Lê Thị Mai"),
    )


def test_staff_preview_counts_and_writes_nothing(district_staff, union_a1, three_rows):
    factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    plan = preview(district_staff, three_rows)
    assert plan.counts == {"created": 3, "updated": 0, "unchanged": 0, "rejected": 0}
    assert plan.problems == []
    assert not Member.objects.exists()


def test_apply_creates_then_reimport_changes_nothing(district_staff, union_a1, three_rows):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    counts = apply_member_import(preview(district_staff, three_rows), user=district_staff, file_label="doan-vien.xlsx")
    assert counts["created"] == 3
    hoa = Member.objects.get(national_id="001190000001")
    assert (hoa.union, hoa.group, hoa.full_name) == (union_a1, group, "Nguyễn Thị Hoa")
    # A blank e-mail and phone are empty text, never None or a database error.
    nam = Member.objects.get(national_id="001085000002")
    assert (nam.email, nam.phone) == ("", "")
    record = hoa.history.earliest()
    assert record.history_user == district_staff
    assert "doan-vien.xlsx" in record.history_change_reason

    before = history_rows()
    again = preview(district_staff, three_rows)
    assert again.counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}
    apply_member_import(again, user=district_staff, file_label="doan-vien.xlsx")
    assert history_rows() == before
    assert Member.objects.count() == 3


def test_update_and_group_move_are_counted_and_written(district_staff, union_a1):
    old = factories.UnionGroupFactory(union=union_a1, name="Tổ 1")
    new = factories.UnionGroupFactory(union=union_a1, name="Tổ 2")
    hoa = factories.MemberFactory(
        union=union_a1,
        group=old,
        national_id="001190000001",
        full_name="Nguyễn Thị Hoa",
        gender="female",
        joined_union_on=dt.date(2015, 9, 1),
    )
    plan = preview(
        district_staff,
        xlsx(
            row("001190000001", group="Tổ 2", **{"Điện thoại": "0987654321"}),
            row("001092000003", "Lê Thị Mai", group="Tổ 1"),
        ),
    )
    assert plan.counts == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 0}
    apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    hoa.refresh_from_db()
    assert (hoa.phone, hoa.group) == ("0987654321", new)


def test_names_tidied_by_the_first_import_do_not_count_as_changes(district_staff, union_a1):
    messy = "  Nguye\u0302\u0303n   Thị  Hoa "  # decomposed accents and stray spaces
    first = xlsx(row("001190000001", messy, Email="HOA@example.vn", **{"Điện thoại": "0912 345 678"}))
    apply_member_import(preview(district_staff, first), user=district_staff, file_label="f.xlsx")
    assert Member.objects.get().full_name == "Nguyễn Thị Hoa"
    before = history_rows()
    plan = preview(district_staff, first)
    assert plan.counts["unchanged"] == 1 and plan.counts["updated"] == 0
    apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    assert history_rows() == before


def test_stored_phone_with_spaces_is_not_a_change(district_staff, union_a1):
    factories.MemberFactory(
        union=union_a1,
        national_id="001190000001",
        full_name="Nguyễn Thị Hoa",
        gender="female",
        date_of_birth=dt.date(1990, 6, 5),
        joined_union_on=dt.date(2015, 9, 1),
        phone="0912 345 678",
        email="hoa@example.vn",
        ethnicity="Kinh",
        job_title="Giáo viên",
    )
    plan = preview(district_staff, xlsx(row("001190000001")))
    assert plan.counts == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}


def test_same_person_twice_is_an_error_on_both_rows(district_staff, union_a1):
    plan = preview(
        district_staff,
        xlsx(row("001190000001"), row("001092000003", "Lê Thị Mai"), row("001190000001", "Nguyễn Thị Hoà")),
    )
    assert plan.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 2}
    assert [(r, c) for r, c, _m in problems(plan)] == [(3, "Số CCCD"), (5, "Số CCCD")]
    assert "5" in plan.problems[0].message and "3" in plan.problems[1].message


def test_bad_date_and_bad_gender_are_both_reported_with_headers_as_written(district_staff, union_a1, vi):
    headers = [*HEADERS]
    headers[3] = "Nam/Nữ"
    headers[4] = "Ngày tháng năm sinh"
    plan = preview(district_staff, xlsx(row("001190000001", gender="Không rõ", born="31/02/1990"), headers=headers))
    found = problems(plan)
    assert [(r, c) for r, c, _m in found] == [(3, "Nam/Nữ"), (3, "Ngày tháng năm sinh")] or [
        (r, c) for r, c, _m in found
    ] == [(3, "Ngày tháng năm sinh"), (3, "Nam/Nữ")]
    assert plan.counts["rejected"] == 1
    assert all("NOT NULL" not in m and "gender" not in m for _r, _c, m in found)


def test_old_id_card_numbers_are_refused_by_the_models_rule(district_staff, union_a1, vi):
    plan = preview(district_staff, xlsx(row("012345678")))
    assert [(r, c) for r, c, _m in problems(plan)] == [(3, "Số CCCD")]


def test_born_after_joining_is_found_in_the_preview(district_staff, union_a1):
    plan = preview(district_staff, xlsx(row("001190000001", born=dt.date(2020, 1, 1))))
    assert [(r, c) for r, c, _m in problems(plan)] == [(3, "Ngày sinh")]


def test_chair_rows_aimed_at_another_union_are_refused_without_naming_it(chair_a1, union_a1, union_a2, vi):
    plan = preview(chair_a1, xlsx(row("001190000001"), row("001092000003", union="A2"), row("0010920000", union="ZZ")))
    assert plan.counts["created"] == 1 and plan.counts["rejected"] == 2
    messages = " ".join(m for _r, _c, m in problems(plan))
    assert "A2" not in messages and union_a2.name not in messages
    assert problems(plan)[0][2] == problems(plan)[1][2]  # an existing and a made-up union read the same


def test_chair_may_leave_out_the_union_column(chair_a1, union_a1):
    plan = preview(chair_a1, xlsx(row("001190000001")[1:], headers=HEADERS[1:]))
    assert plan.counts["created"] == 1
    apply_member_import(plan, user=chair_a1, file_label="f.xlsx")
    assert Member.objects.get().union == union_a1


def test_staff_without_union_column_is_told_it_is_missing(district_staff, union_a1):
    with pytest.raises(SheetError, match="Mã CĐCS"):
        preview(district_staff, xlsx(row("001190000001")[1:], headers=HEADERS[1:]))


def test_union_option_fixes_the_union_for_the_whole_file(district_staff, union_a1, union_a2):
    plan = preview(district_staff, xlsx(row("001190000001")[1:], headers=HEADERS[1:]), union="A2")
    apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    assert Member.objects.get().union == union_a2


def test_union_named_by_exact_name(district_staff, union_a1):
    plan = preview(district_staff, xlsx(row("001190000001", union=union_a1.name)))
    assert plan.counts["created"] == 1


def test_person_active_in_another_federation_is_refused_without_naming_it(
    chair_a1, district_staff, union_a1, union_b1, vi
):
    factories.MemberFactory(union=union_b1, national_id="001190000001")
    for user in (chair_a1, district_staff):
        plan = preview(user, xlsx(row("001190000001")))
        assert plan.counts["rejected"] == 1
        ((_r, column, message),) = problems(plan)
        assert column == "Số CCCD"
        assert "B1" not in message and union_b1.name not in message
    assert message == (
        "Người này đang là đoàn viên của một CĐCS khác. Liên hệ cán bộ LĐLĐ để làm thủ tục chuyển sinh hoạt."
    )


def test_chair_is_told_district_staff_can_arrange_the_transfer(chair_a1, union_a1, union_a2, vi):
    factories.MemberFactory(union=union_a2, national_id="001190000001")
    plan = preview(chair_a1, xlsx(row("001190000001")))
    ((_r, _c, message),) = problems(plan)
    assert "Liên hệ cán bộ LĐLĐ để làm thủ tục chuyển sinh hoạt" in message
    assert union_a2.name not in message and "A2" not in message


def test_member_of_another_visible_union_needs_a_transfer(district_staff, union_a1, union_a2):
    factories.MemberFactory(union=union_a2, national_id="001190000001")
    plan = preview(district_staff, xlsx(row("001190000001")))
    assert [(r, c) for r, c, _m in problems(plan)] == [(3, "Mã CĐCS")]


def test_unknown_group_is_a_problem_on_its_column(district_staff, union_a1):
    plan = preview(district_staff, xlsx(row("001190000001", group="Tổ không có")))
    assert [(r, c) for r, c, _m in problems(plan)] == [(3, "Tổ công đoàn")]


def test_csv_as_excel_saves_it(district_staff, union_a1):
    data = sheetfiles.csv_file(
        [
            HEADERS,
            ["A1", "", "Nguyễn Thị Hoa", "Nữ", "05/06/1990", "1190000001", "912345678", "", "", "", "01/09/2015"],
        ],
        delimiter=";",
        bom=True,
    )
    plan = preview(district_staff, data, filename="doan-vien.csv")
    assert plan.counts["created"] == 1, plan.problems
    apply_member_import(plan, user=district_staff, file_label="doan-vien.csv")
    assert Member.objects.get().national_id == "001190000001"


def test_a_failure_while_writing_leaves_nothing_written(district_staff, union_a1, monkeypatch):
    factories.UnionGroupFactory(union=union_a1, name="Tổ 2")
    for i in range(1, 5):
        factories.MemberFactory(
            union=union_a1,
            national_id=f"00119000000{i}",
            full_name=f"Người Số {i}",
            joined_union_on=dt.date(2015, 9, 1),
        )
    before = history_rows()
    real = services.member_change_group
    calls = []

    def failing_third(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("simulated failure")
        return real(**kwargs)

    monkeypatch.setattr(imports.services, "member_change_group", failing_third)
    rows = [row(f"00119000000{i}", f"Người Số {i}", group="Tổ 2", **{"Điện thoại": "0987654321"}) for i in range(1, 5)]
    plan = preview(district_staff, xlsx(*rows, row("001092000009", "Lê Thị Mai")))
    assert plan.counts == {"created": 1, "updated": 4, "unchanged": 0, "rejected": 0}
    with pytest.raises(RuntimeError):
        apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    assert len(calls) == 3
    assert not Member.objects.filter(national_id="001092000009").exists()
    assert not Member.objects.filter(phone="0987654321").exists()
    assert not Member.objects.filter(group__isnull=False).exists()
    assert history_rows() == before


def test_updates_write_one_labelled_history_row_each(district_staff, union_a1):
    hoa = factories.MemberFactory(
        union=union_a1, national_id="001190000001", full_name="Nguyễn Thị Hoa", joined_union_on=dt.date(2015, 9, 1)
    )
    before = hoa.history.count()
    plan = preview(district_staff, xlsx(row("001190000001", "Nguyễn Thị  Hòa", **{"Điện thoại": "0987654321"})))
    apply_member_import(plan, user=district_staff, file_label="sua.xlsx")
    hoa.refresh_from_db()
    assert (hoa.full_name, hoa.phone, hoa.given_name) == ("Nguyễn Thị Hòa", "0987654321", "Hòa")
    assert hoa.history.count() == before + 1
    record = hoa.history.latest()
    assert (record.history_type, record.history_user, record.phone) == ("~", district_staff, "0987654321")
    assert "sua.xlsx" in record.history_change_reason


def test_a_clash_found_while_writing_is_a_problem_on_its_row(district_staff, union_a1, union_b1):
    plan = preview(district_staff, xlsx(row("001190000001"), row("001092000003", "Lê Thị Mai")))
    factories.MemberFactory(union=union_b1, national_id="001092000003")  # enrolled elsewhere meanwhile
    with pytest.raises(ImportFailed) as failure:
        apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    assert [(p.row, p.column) for p in failure.value.problems] == [(4, "Số CCCD")]
    assert union_b1.name not in failure.value.problems[0].message
    assert not Member.objects.filter(union=union_a1).exists()


def test_new_members_get_a_card_a_period_and_one_labelled_history_row(district_staff, union_a1):
    plan = preview(
        district_staff, xlsx(row("001190000001"), row("001092000003", "Lê Thị Mai", **{"Số thẻ đoàn viên": "T-1"}))
    )
    apply_member_import(plan, user=district_staff, file_label="thang-12.xlsx")
    hoa, mai = Member.objects.get(national_id="001190000001"), Member.objects.get(national_id="001092000003")
    assert hoa.card_number == services.card_number_for(hoa) and mai.card_number == "T-1"
    assert (hoa.given_name, hoa.search_name) == ("Hoa", "nguyen thi hoa")
    assert hoa.federation_id == union_a1.federation_id
    assert [(p.union, p.started_on) for p in hoa.periods.all()] == [(union_a1, dt.date(2015, 9, 1))]
    (record,) = hoa.history.all()
    assert (record.history_type, record.history_user, record.card_number) == ("+", district_staff, hoa.card_number)
    assert "thang-12.xlsx" in record.history_change_reason


def test_a_change_since_the_preview_abandons_the_import(district_staff, union_a1):
    member = factories.MemberFactory(union=union_a1, national_id="001190000001", joined_union_on=dt.date(2015, 9, 1))
    plan = preview(district_staff, xlsx(row("001190000001"), row("001092000003", "Lê Thị Mai")))
    services.member_update(member=member, phone="0900000000")
    with pytest.raises(ImportFailed):
        apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    assert not Member.objects.filter(national_id="001092000003").exists()


def test_leader_cannot_import(leader, union_a1):
    with pytest.raises(PermissionDenied):
        preview(leader, xlsx(row("001190000001")))


def test_zip_bomb_is_refused_as_a_sheet_error(district_staff, union_a1, monkeypatch):
    monkeypatch.setattr("apps.core.spreadsheets.MAX_XLSX_UNPACKED_BYTES", 100)
    with pytest.raises(SheetError):
        preview(district_staff, xlsx(row("001190000001")))


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_portals_own_export_imports_back_unchanged(district_staff, union_a1, file_format, vi):
    from apps.members.imports import export_members

    group = factories.UnionGroupFactory(union=union_a1, name="Tổ Văn phòng")
    factories.MemberFactory(union=union_a1, group=group, national_id="001190000001", gender="female", email="")
    factories.MemberFactory(union=union_a1, national_id="001085000002", phone="0912 345 678", date_of_birth=None)
    factories.MemberFactory(union=union_a1, national_id=None, card_number="KR-1", nationality="KR", contract_months=24)
    data = export_members(district_staff, file_format).getvalue()
    assert "Hàn Quốc".encode() in data or file_format == "xlsx"
    plan = preview(district_staff, data, filename=f"xuat.{file_format}")
    assert plan.problems == []
    assert plan.counts == {"created": 0, "updated": 0, "unchanged": 3, "rejected": 0}


FOREIGN_HEADERS = [*HEADERS, "Quốc tịch", "Thời hạn hợp đồng (tháng)"]


def foreign_row(cccd, name, nationality, months):
    # A foreign worker has no CCCD: they are matched on their card number.
    card = "" if cccd else f"NN-{fold(name)}"
    return [*row(cccd, name, **{"Số thẻ đoàn viên": card}), nationality, months]


def test_nationality_is_read_by_name_or_code_and_blank_is_viet_nam(district_staff, union_a1):
    sheet = xlsx(
        foreign_row("", "Kim Min Jun", "Hàn Quốc", 24),
        foreign_row("", "Tanaka Hiroshi", "jp", "36"),
        foreign_row("001190000003", "Lê Thị Mai", "", ""),
        foreign_row("001190000004", "Trần Văn Nam", "viet nam", ""),
        headers=FOREIGN_HEADERS,
    )
    plan = preview(district_staff, sheet)
    assert plan.problems == [] and plan.counts["created"] == 4
    apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    found = set(Member.objects.values_list("full_name", "nationality", "contract_months"))
    assert found == {
        ("Kim Min Jun", "KR", 24),
        ("Tanaka Hiroshi", "JP", 36),
        ("Lê Thị Mai", "VN", None),
        ("Trần Văn Nam", "VN", None),
    }


def test_a_foreign_row_below_twelve_months_is_refused_on_its_row_and_column(district_staff, union_a1, vi):
    sheet = xlsx(
        foreign_row("", "Kim Min Jun", "Hàn Quốc", 6),
        foreign_row("", "Park Ji Hoon", "KR", ""),
        foreign_row("", "Nobody", "Xứ Sở Thần Tiên", 24),
        foreign_row("", "Tanaka Hiroshi", "Nhật Bản", 12),
        headers=FOREIGN_HEADERS,
    )
    plan = preview(district_staff, sheet)
    assert plan.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 3}
    found = problems(plan)
    assert [(number, column) for number, column, _message in found] == [
        (3, "Thời hạn hợp đồng (tháng)"),
        (4, "Thời hạn hợp đồng (tháng)"),
        (5, "Quốc tịch"),
    ]
    assert "từ 12 tháng trở lên" in found[0][2] and "Xứ Sở Thần Tiên" in found[2][2]


def test_an_import_cannot_shorten_a_foreign_members_contract(district_staff, union_a1, vi):
    factories.MemberFactory(
        union=union_a1,
        national_id="001190000009",
        full_name="Lee Seo Yeon",
        nationality="KR",
        contract_months=24,
        joined_union_on=dt.date(2015, 9, 1),
    )
    plan = preview(district_staff, xlsx(foreign_row("001190000009", "Lee Seo Yeon", "KR", 6), headers=FOREIGN_HEADERS))
    assert [(number, column) for number, column, _message in problems(plan)] == [(3, "Thời hạn hợp đồng (tháng)")]


def test_member_without_cccd_is_matched_on_the_card_number(district_staff, union_a1):
    factories.MemberFactory(
        union=union_a1,
        national_id=None,
        card_number="T-9",
        full_name="Nguyễn Thị Hoa",
        gender="female",
        joined_union_on=dt.date(2015, 9, 1),
        phone="0912345678",
        email="hoa@example.vn",
        ethnicity="Kinh",
        job_title="Giáo viên",
    )
    plan = preview(district_staff, xlsx(row("", **{"Số thẻ đoàn viên": "T-9"})))
    assert plan.counts == {"created": 0, "updated": 0, "unchanged": 1, "rejected": 0}
    plan = preview(district_staff, xlsx(row("001190000001", **{"Số thẻ đoàn viên": "T-9"})))
    assert plan.counts == {"created": 0, "updated": 1, "unchanged": 0, "rejected": 0}
    apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    assert Member.objects.get().national_id == "001190000001"


def test_a_row_without_cccd_or_card_is_a_problem(district_staff, union_a1):
    plan = preview(district_staff, xlsx(row("")))
    assert [(r, c) for r, c, _m in problems(plan)] == [(3, "Số CCCD")]


def test_someone_who_left_and_comes_back_in_a_sheet_is_enrolled_again(district_staff, union_a1):
    old = factories.MemberFactory(union=union_a1, national_id="001190000001", joined_union_on=dt.date(2010, 1, 1))
    services.member_leave(member=old, on=dt.date(2012, 1, 1), reason="Nghỉ việc")
    plan = preview(district_staff, xlsx(row("001190000001")))
    assert plan.counts["created"] == 1
    apply_member_import(plan, user=district_staff, file_label="f.xlsx")
    assert Member.objects.active().get().national_id == "001190000001"


def test_preview_reads_the_database_a_few_times_whatever_the_number_of_rows(
    district_staff, union_a1, django_assert_max_num_queries
):
    group = factories.UnionGroupFactory(union=union_a1, name="Tổ 1")
    for i in range(10):
        factories.MemberFactory(
            union=union_a1, group=group, national_id=f"0011900000{i:02d}", joined_union_on=dt.date(2015, 9, 1)
        )

    def sheet(count):
        return xlsx(*(row(f"0011900000{i:02d}", f"Người Số {i}", group="Tổ 1") for i in range(count)))

    small, large = sheet(2), sheet(40)
    with django_assert_max_num_queries(12) as small_queries:
        preview(district_staff, small)
    with django_assert_max_num_queries(12) as large_queries:
        plan = preview(district_staff, large)
    assert plan.counts["updated"] == 10 and plan.counts["created"] == 30
    assert len(large_queries) == len(small_queries)


def _official_matching_row(union):
    """The chair of ``union``, recorded as the row ``row("001190000009", "Lê Thị Hoa")`` describes her."""
    chair = factories.MemberFactory(
        union=union,
        national_id="001190000009",
        full_name="Lê Thị Hoa",
        gender="female",
        date_of_birth=dt.date(1990, 6, 5),
        phone="0912345678",
        email="hoa@example.vn",
        ethnicity="Kinh",
        job_title="Giáo viên",
        joined_union_on=dt.date(2015, 9, 1),
    )
    factories.UnionOfficialFactory(member=chair, union=union, role="chair")
    return chair


def test_an_import_cannot_make_an_office_holder_foreign(district_staff, union_a1, vi):
    chair = _official_matching_row(union_a1)
    sheet = xlsx(
        [*row("001190000009", "Lê Thị Hoa"), "Hàn Quốc", 24],
        [*row("001190000001", "Nguyễn Thị Lan"), "Hàn Quốc", 24],
        headers=FOREIGN_HEADERS,
    )
    plan = preview(district_staff, sheet)

    assert problems(plan) == [
        (3, "Quốc tịch", "Người lao động nước ngoài được là đoàn viên nhưng không được giữ chức vụ công đoàn.")
    ]
    assert plan.counts == {"created": 1, "updated": 0, "unchanged": 0, "rejected": 1}
    chair.refresh_from_db()
    assert chair.nationality == "VN"


def test_the_bulk_update_refuses_making_an_office_holder_foreign_and_writes_nothing(union_a1, vi):
    from django.core.exceptions import ValidationError

    others = [factories.MemberFactory(union=union_a1) for _ in range(2)]
    chair = _official_matching_row(union_a1)
    changes = [(others[0], {"job_title": "Kỹ sư"}), (chair, {"nationality": "KR", "contract_months": 24})]

    with pytest.raises(ValidationError) as error:
        services.member_update_many(changes)

    assert error.value.index == 1
    assert error.value.message_dict == {
        "nationality": ["Người lao động nước ngoài được là đoàn viên nhưng không được giữ chức vụ công đoàn."]
    }
    assert Member.objects.filter(job_title="Kỹ sư").count() == 0
    assert Member.objects.get(pk=chair.pk).nationality == "VN"
