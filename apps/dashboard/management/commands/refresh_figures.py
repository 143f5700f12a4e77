"""Bring the dashboard's summary up to date ahead of the leaders (run it nightly, and after a deploy).

Today and the cut-offs the dashboard shows, then, within a few seconds a night, the older
reporting cut-offs not kept yet, so that any date's comparison and trend are kept.

Dashboards make their figures exact on every read anyway; what this saves is the few
seconds a city-sized day costs the first person who asks for it.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Min
from django.utils import timezone

from apps.dashboard import figures
from apps.dashboard.management.commands.district_report import parse_as_of
from apps.dashboard.models import FiguresDay
from apps.dashboard.overview import TREND_CUT_OFFS
from apps.dashboard.selectors import CUT_OFFS, cut_offs_before, cut_offs_of_year
from apps.dashboard.views import EARLIEST_AS_OF
from apps.members.models import MembershipPeriod


def is_cut_off(day: date) -> bool:
    return (day.month, day.day) in CUT_OFFS


def all_cut_offs(first: date, last: date) -> list[date]:
    """The reporting cut-offs from ``first`` to ``last``, oldest first."""
    days = (day for year in range(first.year, last.year + 1) for day in cut_offs_of_year(year))
    return [day for day in days if first <= day <= last]


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
        parser.add_argument(
            "--cut-offs-seconds",
            type=float,
            default=40,
            help=(
                "Sau đó, tính dần các mốc báo cáo cũ còn thiếu (mới trước) trong tối đa chừng này giây "
                "(mặc định 40; 0: không tính)."
            ),
        )

    def handle(self, *args, days: list[str], keep_days: int, rebuild: bool, cut_offs_seconds: float, **options) -> None:
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
        self._keep_older_cut_offs(today, cut_offs_seconds)

    def _keep_older_cut_offs(self, today: date, seconds: float) -> None:
        """Keep every reporting cut-off since the first membership, newest first, a few each night.

        A date asked for is read live within a second (figures.read_live) when its trend's
        cut-offs are kept; one whose cut-offs are not kept either reads each of them live too.
        A city's cut-off costs a few seconds to keep: the first nights catch up on the past
        within ``seconds`` each, later nights find nothing left to do.
        """
        first = MembershipPeriod.objects.aggregate(first=Min("started_on"))["first"]
        if first is None or seconds <= 0:
            return
        first = max(first, EARLIEST_AS_OF)
        kept = set(FiguresDay.objects.values_list("day", flat=True))
        missing = [day for day in all_cut_offs(first, today) if day not in kept]
        started, done = time.monotonic(), 0
        for day in reversed(missing):
            if time.monotonic() - started >= seconds:
                break
            figures.ensure_figures([day])
            done += 1
        if done or missing:
            self.stdout.write(
                f"Đã tính thêm {done} mốc báo cáo cũ trong {time.monotonic() - started:.1f} giây "
                f"(còn {len(missing) - done} mốc chưa tính)."
            )
