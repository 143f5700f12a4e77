"""Generate a synthetic city (federations, unions, groups, members with histories) to measure the portal at scale."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone, translation

from apps.core.formatting import format_number
from apps.demo.district import DISTRICT_ENDED_ON
from apps.demo.synthetic import (
    CITY_CODE,
    SYNTHETIC_PREFIX,
    Scale,
    foreign_federations,
    generate,
    synthetic_federations,
)
from apps.demo.synthetic_reorganisation import Played, districts_to_reorganise, play
from apps.unions.models import Federation


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu tổng hợp quy mô thành phố (mã liên đoàn bắt đầu bằng “SYN-”) để đo hiệu năng: "
        "liên đoàn quận/huyện, CĐCS, tổ công đoàn, đoàn viên với lịch sử kết nạp, chuyển sinh hoạt và thôi sinh hoạt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--federations", type=int, default=30, help="số liên đoàn quận/huyện (mặc định 30)")
        parser.add_argument("--unions", type=int, default=20_000, help="số CĐCS (mặc định 20.000)")
        parser.add_argument("--members", type=int, default=1_000_000, help="số đoàn viên (mặc định 1.000.000)")
        parser.add_argument("--groups", type=int, default=None, help="số tổ công đoàn (mặc định 2,5 tổ mỗi CĐCS)")
        parser.add_argument("--seed", type=int, default=20210709, help="hạt giống ngẫu nhiên: cùng hạt, cùng dữ liệu")
        parser.add_argument("--batch-size", type=int, default=50_000, help="số dòng mỗi lần ghi")
        parser.add_argument(
            "--reorganise",
            action="store_true",
            help="sau khi tạo, diễn lại cuộc sắp xếp năm 2025: giải thể CĐCS khu vực hành chính sự nghiệp ngày "
            "15/06/2025, kết thúc các liên đoàn quận/huyện và chuyển CĐCS về công đoàn phường, xã ngày 01/07/2025",
        )
        parser.add_argument(
            "--allow-mixed",
            action="store_true",
            help="cho phép ghi vào cơ sở dữ liệu đã có dữ liệu không phải tổng hợp",
        )

    def handle(self, *args, **options) -> None:
        # Everything this command says is Vietnamese, numbers included (1.000.000).
        with translation.override("vi"):
            self._generate(options)

    def _generate(self, options: dict) -> None:
        scale = Scale(
            federations=options["federations"],
            unions=options["unions"],
            members=options["members"],
            groups=options["groups"],
            seed=options["seed"],
            batch_size=options["batch_size"],
        )
        if scale.federations < 1 or scale.unions < scale.federations or scale.members < 0:
            raise CommandError("Cần ít nhất 1 liên đoàn quận/huyện và mỗi liên đoàn ít nhất 1 CĐCS.")
        if scale.groups is not None and scale.groups < 0:
            raise CommandError("Số tổ công đoàn không thể âm.")
        foreign = list(foreign_federations().order_by("code").values_list("code", flat=True)[:5])
        if foreign and not options["allow_mixed"]:
            raise CommandError(
                "Cơ sở dữ liệu này đã có dữ liệu không phải tổng hợp (liên đoàn "
                + ", ".join(foreign)
                + f" …: mã không bắt đầu bằng “{SYNTHETIC_PREFIX}”). Dữ liệu tổng hợp chỉ được tạo trong "
                "một cơ sở dữ liệu riêng; nếu thật sự muốn trộn, thêm --allow-mixed."
            )
        if options["reorganise"] and timezone.localdate() < DISTRICT_ENDED_ON:
            raise CommandError("Cuộc sắp xếp diễn ra ngày 01/07/2025: chỉ diễn lại được từ ngày đó.")
        if synthetic_federations().exists():
            raise CommandError(
                f"Cơ sở dữ liệu này đã có dữ liệu tổng hợp (mã “{SYNTHETIC_PREFIX}…”). "
                "Hãy tạo lại trong một cơ sở dữ liệu trống."
            )

        n = format_number
        self.stdout.write(
            f"Tạo dữ liệu tổng hợp trên {connection.vendor}: {n(scale.federations)} liên đoàn quận/huyện, "
            f"{n(scale.unions)} CĐCS, {n(scale.group_count)} tổ, {n(scale.members)} đoàn viên "
            f"(hạt giống {scale.seed})."
        )
        started = time.monotonic()
        summary = generate(scale, progress=self.stdout.write)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Xong trong {elapsed:.1f} giây."))
        for label, count in summary.rows.items():
            self.stdout.write(f"  {label}: {format_number(count)} dòng")
        self.stdout.write(f"  đoàn viên đang sinh hoạt: {format_number(summary.active_members)}")
        self.stdout.write(
            "  thời gian: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in summary.timings.items())
        )
        if options["reorganise"]:
            self._reorganise()

    def _reorganise(self) -> None:
        n = format_number
        districts = list(districts_to_reorganise(Federation.objects.get(code=CITY_CODE)).order_by("code"))
        self.stdout.write(f"Sắp xếp lại {n(len(districts))} liên đoàn quận/huyện (01/07/2025) …")
        started = time.monotonic()

        def say(played: Played) -> None:
            self.stdout.write(
                f"  {played.district}: giải thể {n(played.dissolved)} CĐCS ({played.dissolve_seconds:.1f} s), "
                f"chuyển {n(played.moved)} CĐCS về {played.wards} công đoàn phường, xã "
                f"({played.reorganise_seconds:.1f} s), {n(played.founded_in_wards)} CĐCS thành lập sau đó"
            )

        played = play(districts, progress=say)
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sắp xếp xong trong {time.monotonic() - started:.1f} giây: "
                f"giải thể {n(sum(p.dissolved for p in played))} CĐCS, "
                f"chuyển {n(sum(p.moved for p in played))} CĐCS "
                f"về {n(sum(p.wards for p in played))} công đoàn phường, xã."
            )
        )
