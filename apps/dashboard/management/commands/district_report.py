"""Print the organisation and membership paragraph of the periodic report as of a date."""

from __future__ import annotations

from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from apps.accounts.scoping import SYSTEM
from apps.dashboard.report import district_report_text
from apps.dashboard.selectors import Organised, district_summary
from apps.unions.models import Federation


def parse_as_of(value: str | date | None) -> date:
    """The --as-of option as a date; today in the portal's time zone when not given."""
    if value is None:
        return timezone.localdate()
    if isinstance(value, date):
        return value
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(f"--as-of: '{value}' không phải là ngày hợp lệ (định dạng YYYY-MM-DD).") from None


def find_federation(code: str | None) -> Federation:
    """The federation named by --federation, or the only one that holds unions directly."""
    if code is not None:
        try:
            return Federation.objects.get(code=code)
        except Federation.DoesNotExist:
            raise CommandError(f"--federation: không có LĐLĐ nào có mã '{code}'.") from None
    candidates = list(Federation.objects.filter(unions__isnull=False).distinct().order_by("code"))
    if len(candidates) == 1:
        return candidates[0]
    if not candidates:
        raise CommandError("--federation: chưa có LĐLĐ nào có CĐCS.")
    codes = ", ".join(federation.code for federation in candidates)
    raise CommandError(f"--federation: có nhiều LĐLĐ ({codes}), hãy chọn một mã.")


class Command(BaseCommand):
    help = "In đoạn báo cáo tình hình tổ chức công đoàn và đoàn viên của một LĐLĐ tính đến một ngày."

    def add_arguments(self, parser: CommandParser) -> None:
        # Parsed in handle(), not by argparse: call_command() passes keyword options unparsed.
        parser.add_argument("--as-of", dest="as_of", help="Ngày tính số liệu, YYYY-MM-DD (mặc định: hôm nay).")
        parser.add_argument("--federation", dest="federation", help="Mã LĐLĐ (mặc định: LĐLĐ duy nhất có CĐCS).")
        parser.add_argument(
            "--organised",
            dest="organised",
            default=Organised.THEN.value,
            help="then: mỗi CĐCS tính vào công đoàn cấp trên của nó vào ngày đó (mặc định); "
            "today: theo cơ cấu tổ chức hiện nay, kể cả những ngày trước khi CĐCS chuyển về.",
        )

    def handle(
        self,
        *args,
        as_of: str | date | None = None,
        federation: str | None = None,
        organised: str = Organised.THEN.value,
        **options,
    ) -> None:
        day = parse_as_of(as_of)
        try:
            structure = Organised(organised)
        except ValueError:
            raise CommandError(f"--organised: '{organised}' không hợp lệ; chọn then hoặc today.") from None
        # A command serves no person: the whole federation, through the explicit unscoped reader.
        summary = district_summary(as_of=day, user=SYSTEM, federation=find_federation(federation), organised=structure)
        self.stdout.write(district_report_text(summary), ending="")
