"""Write one backup set (database dump, uploaded files, manifest) and keep the newest N."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from apps.core.backups import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu PostgreSQL (pg_dump -Fc) cùng các tệp tải lên vào một bộ có thời điểm, "
        "giữ N bộ mới nhất (docs/BACKUPS.md). Back up the database and the uploaded files; keep the newest N."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--backup-dir",
            type=Path,
            default=None,
            help="thư mục chứa các bộ sao lưu (mặc định: BACKUP_DIR, var/backups)",
        )
        parser.add_argument(
            "--keep", type=int, default=None, help="số bộ mới nhất được giữ (mặc định: BACKUP_KEEP, 14)"
        )

    def handle(self, *args, backup_dir: Path | None = None, keep: int | None = None, **options) -> None:
        backup_dir = Path(backup_dir or settings.BACKUP_DIR)
        try:
            backup = create_backup(
                database=settings.DATABASES[DEFAULT_DB_ALIAS],
                media_root=Path(settings.MEDIA_ROOT),
                backup_dir=backup_dir,
                keep=settings.BACKUP_KEEP if keep is None else keep,
                say=self.stdout.write,
            )
        except BackupError as exc:
            raise CommandError(f"Sao lưu KHÔNG thành công (backup failed): {exc}") from None
        manifest = backup.manifest
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã sao lưu (backup written): {backup.path}\n"
                f"  cơ sở dữ liệu {manifest['database']}: {len(manifest['tables'])} bảng, {rows} dòng, "
                f"{manifest['database_dump']['size']} byte (pg_restore --list: OK)\n"
                f"  tệp tải lên: {len(manifest['files'])} tệp"
            )
        )
        for name in manifest["missing_files"]:
            self.stderr.write(f"  Cảnh báo (warning): tệp {name} có trong dữ liệu nhưng đã bị xoá khi lưu tệp.")
