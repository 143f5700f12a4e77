"""Bring the dashboard's summary up to date ahead of the leaders (run it nightly, and after a deploy).

Dashboards make their figures exact on every read anyway; what this saves is the few
seconds a city-sized day costs the first person who asks for it.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from apps.dashboard import figures
from apps.dashboard.management.commands.district_report import parse_as_of
from apps.dashboard.models import FiguresDay
from apps.dashboard.overview import TREND_CUT_OFFS
from apps.dashboard.selectors import CUT_OFFS, cut_offs_before


def is_cut_off(day: date) -> bool:
    return (day.month, day.day) in CUT_OFFS


class Command(BaseCommand):
    help = (
        "Tính trước số liệu của bảng điều khiển: hôm nay và các mốc báo cáo mà bảng điều khiển hiển thị, "
        "áp dụng các thay đổi đang chờ, và bỏ các ngày cũ không phải mốc báo cáo. Nên chạy hằng đêm."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--day",
            dest="days",
            action="append",
            default=[],
            help="Thêm một ngày cần tính, YYYY-MM-DD (có thể lặp lại).",
        )
        parser.add_argument(
            "--keep-days",
            type=int,
            default=31,
            help="Giữ số liệu của các ngày không phải mốc báo cáo trong chừng này ngày gần nhất (mặc định 31).",
        )
        parser.add_argument("--rebuild", action="store_true", help="Bỏ toàn bộ số liệu đã tính rồi tính lại.")

    def handle(self, *args, days: list[str], keep_days: int, rebuild: bool, **options) -> None:
        today = timezone.localdate()
        wanted = {today, *cut_offs_before(today, TREND_CUT_OFFS), *(parse_as_of(day) for day in days)}
        if rebuild:
            figures.forget_all()
            self.stdout.write("Đã bỏ toàn bộ số liệu đã tính.")
        oldest_kept = today - timedelta(days=keep_days)
        stale = [
            day
            for day in FiguresDay.objects.values_list("day", flat=True)
            if day < oldest_kept and not is_cut_off(day) and day not in wanted
        ]
        if stale:
            figures.forget_days(stale)
            self.stdout.write(f"Đã bỏ {len(stale)} ngày cũ không phải mốc báo cáo.")
        started = time.monotonic()
        figures.ensure_figures(sorted(wanted))
        self.stdout.write(
            self.style.SUCCESS(
                f"Số liệu của {len(wanted)} ngày đã cập nhật trong {time.monotonic() - started:.1f} giây "
                f"({FiguresDay.objects.count()} ngày đang được lưu)."
            )
        )
