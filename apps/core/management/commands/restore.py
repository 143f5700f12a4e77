"""Restore a backup set into an empty database and an empty media directory, and prove it complete."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from apps.core.backups import (
    BackupError,
    find_set,
    libpq_params_from_settings,
    libpq_params_from_url,
    migrations_unknown_here,
    restore_backup,
)


class Command(BaseCommand):
    help = (
        "Khôi phục một bộ sao lưu vào một cơ sở dữ liệu TRỐNG và một thư mục tệp trống, rồi đối chiếu "
        "số dòng và SHA-256 với manifest (docs/BACKUPS.md). Restore a set into an empty database and check it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("set", help="tên bộ (unionportal-YYYYMMDDTHHMMSSZ), đường dẫn tới nó, hoặc latest")
        parser.add_argument("--backup-dir", type=Path, default=None, help="thư mục chứa các bộ (mặc định: BACKUP_DIR)")
        parser.add_argument(
            "--database-url",
            default=None,
            help="cơ sở dữ liệu đích, postgres://user[:password]@host:port/name (mặc định: DATABASE_URL); "
            "đặt mật khẩu trong PGPASSWORD hoặc ~/.pgpass thay vì trên dòng lệnh",
        )
        parser.add_argument(
            "--media-dir", type=Path, default=None, help="thư mục tệp đích (mặc định: MEDIA_ROOT, var/media)"
        )

    def handle(self, *args, **options) -> None:
        backup_dir = Path(options["backup_dir"] or settings.BACKUP_DIR)
        media_root = Path(options["media_dir"] or settings.MEDIA_ROOT)
        try:
            portal = libpq_params_from_settings(settings.DATABASES[DEFAULT_DB_ALIAS])
            params = portal
            if options["database_url"]:
                params = libpq_params_from_url(options["database_url"])
                # A scratch database of the portal's own role (the drill) needs no password typed in.
                if "password" not in params and params.get("user") == portal.get("user") and "password" in portal:
                    params["password"] = portal["password"]
            backup = find_set(backup_dir, options["set"])
            for migration in migrations_unknown_here(backup.manifest):
                self.stderr.write(
                    f"Cảnh báo (warning): bộ này được tạo bởi phiên bản mới hơn (made by a newer version): "
                    f"migration {migration} không có trong mã nguồn này. Khôi phục bằng đúng phiên bản đó."
                )
            restore_backup(backup, params=params, media_root=media_root, say=self.stdout.write)
        except BackupError as exc:
            raise CommandError(f"Khôi phục KHÔNG thành công (restore failed): {exc}") from None
        manifest = backup.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã khôi phục (restored) {backup.name} vào {params['dbname']} và {media_root}: "
                f"{len(manifest['tables'])} bảng, {sum(manifest['tables'].values())} dòng, "
                f"{len(manifest['files'])} tệp — khớp manifest (all match)."
            )
        )
        if media_root != Path(settings.MEDIA_ROOT):
            self.stdout.write(f"Các tệp nằm ở {media_root}; cổng đọc tệp ở MEDIA_ROOT = {settings.MEDIA_ROOT}.")
