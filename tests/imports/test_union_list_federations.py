"""The CĐCS list names each CĐCS's federation: one that has ended takes no new CĐCS (issue 16, part 1)."""

from __future__ import annotations

import datetime as dt

from apps.core.import_kinds import import_kind
from apps.unions.models import GrassrootsUnion
from tests import factories
from tests.core.sheetfiles import xlsx

HEADERS = ["Mã CĐCS", "Tên CĐCS", "Đơn vị", "Khối", "Mã liên đoàn", "Điện thoại", "Ngày thành lập", "Ngày giải thể"]
SECTOR = "Doanh nghiệp ngoài nhà nước"


def test_a_row_naming_a_federation_that_has_ended_is_refused(district_staff, federation_a, vi):
    # A federation under A (so in the importer's scope) whose last day was 30/06/2025.
    ended = factories.FederationFactory(
        code="LB", name="LĐLĐ quận Long Biên", parent=federation_a, ended_on=dt.date(2025, 7, 1)
    )
    kept = factories.GrassrootsUnionFactory(
        federation=ended, code="LB-1", name="Công đoàn Công ty Cũ", employer_name="Cũ"
    )
    rows = [
        HEADERS,
        ["LB-2", "Công đoàn Công ty Mới", "Công ty Mới", SECTOR, "LB", "", "01/09/2025", ""],
        # A CĐCS already there is corrected in place, as the export gives it back.
        [kept.code, kept.name, kept.employer_name, kept.sector.name, "LB", "0243825123", "01/01/2015", ""],
        ["A9", "Công đoàn Công ty Khác", "Công ty Khác", SECTOR, "HBT", "", "01/09/2025", ""],
    ]
    plan = import_kind("unions").preview(xlsx({"CĐCS": rows}), filename="cdcs.xlsx", user=district_staff, union=None)
    assert plan.counts == {"created": 1, "updated": 1, "unchanged": 0, "rejected": 1}, plan.problems
    (problem,) = plan.problems
    assert (problem.row, problem.column) == (2, "Mã liên đoàn")
    assert "đã chấm dứt hoạt động từ ngày 01/07/2025" in problem.message
    import_kind("unions").apply(plan, user=district_staff, file_label="cdcs.xlsx")
    assert not GrassrootsUnion.objects.filter(code="LB-2").exists()
    kept.refresh_from_db()
    assert kept.phone == "0243825123"
