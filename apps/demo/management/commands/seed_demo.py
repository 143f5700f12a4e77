"""Load the demo district (LĐLĐ quận Tây Hồ, July 2021) into an empty portal."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.formats import date_format

from apps.core.formatting import format_number, format_ratio
from apps.demo.district import (
    DEMO_PASSWORD,
    DISTRICT_ENDED_ON,
    DISTRICT_NAME,
    ENTERPRISES,
    HCSN,
    REFERENCE_DAY,
    SCHOOLS,
    STATE_FUNDED_DISSOLVED_ON,
    WARD_UNIONS,
    DemoAccount,
    seed_demo_district,
)

ALREADY_LOADED = "Dữ liệu mẫu đã có sẵn — không thay đổi gì."
# With debug off this may be a real database: the published demo password must never open it.
REFUSED_WITHOUT_DEBUG = (
    "seed_demo chỉ dùng để chạy thử (DJANGO_DEBUG=1): DJANGO_DEBUG đang tắt, cơ sở dữ liệu này có thể là "
    "dữ liệu thật, nên không nạp gì. Nếu đây đúng là cơ sở dữ liệu để trình diễn, chạy lại với "
    "--allow-production: mỗi tài khoản mẫu khi đó có mật khẩu ngẫu nhiên riêng, chỉ in ra một lần."
)


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: LĐLĐ quận Tây Hồ với 335 CĐCS, 835 tổ công đoàn, 13.734 đoàn viên (tháng 7/2021). "
        "Chỉ dùng khi chạy thử (DJANGO_DEBUG=1); khi DJANGO_DEBUG tắt cần --allow-production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="cho phép nạp khi DJANGO_DEBUG tắt; mật khẩu các tài khoản mẫu khi đó được sinh ngẫu nhiên",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        production = not settings.DEBUG
        if production and not allow_production:
            raise CommandError(REFUSED_WITHOUT_DEBUG)
        started = time.monotonic()
        summary = seed_demo_district(generate_passwords=production)
        if summary is None:
            self.stdout.write(ALREADY_LOADED)
            return
        elapsed = time.monotonic() - started

        with translation.override("vi"):
            n = format_number
            by_sector = summary.unions_by_sector
            lines = [
                f"Đã tạo dữ liệu mẫu {DISTRICT_NAME} trong {n(round(elapsed, 1), decimal_pos=1)} giây:",
                f"  • {n(summary.unions)} CĐCS: {n(by_sector.get(HCSN, 0))} hành chính sự nghiệp, "
                f"{n(by_sector.get(SCHOOLS, 0))} trường học, {n(by_sector.get(ENTERPRISES, 0))} doanh nghiệp "
                "ngoài nhà nước",
                f"  • {n(summary.unions_with_groups)} CĐCS có tổ công đoàn, {n(summary.groups)} tổ; "
                f"{n(summary.unions_with_departments)} CĐCS có công đoàn bộ phận",
                f"  • {n(summary.members)} đoàn viên / {n(summary.workers)} người lao động "
                f"({format_ratio(summary.members, summary.workers)})",
                f"  • {n(summary.female_members)} đoàn viên nữ / {n(summary.female_workers)} lao động nữ "
                f"({format_ratio(summary.female_members, summary.female_workers)})",
                f"  • {n(summary.officials)} cán bộ công đoàn (chủ tịch, phó chủ tịch, tổ trưởng)",
                f"  • Tọa đàm lần thứ 3 khối doanh nghiệp ngày {date_format(REFERENCE_DAY, 'SHORT_DATE_FORMAT')}",
                f"  • Ngày {date_format(STATE_FUNDED_DISSOLVED_ON, 'SHORT_DATE_FORMAT')} giải thể "
                f"{n(summary.dissolved)} CĐCS hành chính sự nghiệp (đơn vị do ngân sách nhà nước bảo đảm toàn bộ "
                "chi thường xuyên)",
                f"  • Từ ngày {date_format(DISTRICT_ENDED_ON, 'SHORT_DATE_FORMAT')} {DISTRICT_NAME} kết thúc "
                f"hoạt động, các CĐCS còn lại chuyển về {n(len(WARD_UNIONS))} công đoàn phường: "
                f"{', '.join(name.removeprefix('Công đoàn phường ') for _, name, _ in WARD_UNIONS)}",
            ]
            if summary.accounts_created and production:
                lines += _password_table(summary.accounts_created)
            elif summary.accounts_created:
                created = ", ".join(account.username for account in summary.accounts_created)
                lines.append(f"Tài khoản mẫu: {created} — mật khẩu chung: {DEMO_PASSWORD}")
            if summary.accounts_kept:
                lines.append(f"Tài khoản đã có từ trước, giữ nguyên: {', '.join(summary.accounts_kept)}")
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)


def _password_table(accounts: list[DemoAccount]) -> list[str]:
    """The generated passwords, shown this once: only their hashes are stored."""
    rows = [("tên đăng nhập", "vai trò", "mật khẩu"), *((a.username, a.role, a.password) for a in accounts)]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    return [
        "Tài khoản mẫu, mỗi tài khoản một mật khẩu ngẫu nhiên. Mật khẩu chỉ in ra lần này và không lưu ở đâu: "
        "hãy ghi lại ngay.",
        *(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {password}" for username, role, password in rows),
    ]
