"""Create a federation's staff account from the command line: the first account of a new server.

On an empty database there is no federation to attach an account to, and the admin's account
pages need a federation first; a superuser could make both by hand, but the portal keeps
superusers few. This does both steps in one transaction, with the same checks as the admin
(the password validators, the role's constraints), and never prints the password.
"""

from __future__ import annotations

import sys
from getpass import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone, translation

from apps.accounts.models import User
from apps.unions.models import Federation

# The kind of a federation made without saying one: the model's default (a district federation).
DEFAULT_KIND = Federation._meta.get_field("kind").default


def _kind_list() -> str:
    """The kinds as the option takes them, each with its Vietnamese name: "province (LĐLĐ tỉnh …), …"."""
    with translation.override("vi"):
        return ", ".join(f"{value} ({label})" for value, label in Federation.Kind.choices)


class Command(BaseCommand):
    help = (
        "Tạo tài khoản cán bộ LĐLĐ (district staff) của một liên đoàn; tạo liên đoàn nếu chưa có "
        "(cần --federation-name; loại và liên đoàn cấp trên tùy chọn). Mật khẩu được hỏi hai lần, "
        "hoặc đọc một dòng từ đầu vào với --password-stdin."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--federation", required=True, help="mã liên đoàn, ví dụ TH")
        parser.add_argument("--federation-name", default="", help="tên liên đoàn, khi cần tạo mới")
        parser.add_argument(
            "--federation-kind",
            default=None,
            metavar="LOẠI",
            # Checked in _create, not by argparse's choices, so that a wrong one is refused in Vietnamese.
            help=f"loại liên đoàn khi tạo mới, mặc định {DEFAULT_KIND}: {_kind_list()}",
        )
        parser.add_argument(
            "--parent",
            default="",
            metavar="MÃ",
            help="mã liên đoàn cấp trên (đang hoạt động) khi tạo mới, ví dụ HN; bỏ trống nếu không có",
        )
        parser.add_argument("--username", required=True, help="tên đăng nhập của tài khoản mới")
        parser.add_argument("--last-name", default="", help="họ và tên đệm")
        parser.add_argument("--first-name", default="", help="tên")
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-stdin",
            action="store_true",
            help="đọc mật khẩu từ dòng đầu tiên của đầu vào chuẩn (cho script), thay vì hỏi",
        )

    def handle(self, *args, **options) -> None:
        # The model's and the validators' messages in Vietnamese, as the rest of the command.
        with translation.override("vi"):
            self._create(options)

    def _create(self, options: dict) -> None:
        code, name = options["federation"].strip(), options["federation_name"].strip()
        username = options["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"Tên đăng nhập «{username}» đã có: không thay đổi gì.")
        federation = Federation.objects.filter(code=code).first()
        if federation is None and not name:
            raise CommandError(f"Chưa có liên đoàn mã «{code}»: cho biết tên để tạo, --federation-name.")
        if federation is not None and name and name != federation.name:
            raise CommandError(f"Liên đoàn mã «{code}» đã có, tên là «{federation.name}», không phải «{name}».")
        kind, parent_code = self._kind(options["federation_kind"]), options["parent"].strip()
        if federation is not None:
            self._check_matches(federation, kind=kind, parent_code=parent_code)
        else:
            parent = self._parent(parent_code)
            federation = Federation(code=code, name=name, kind=kind or DEFAULT_KIND, parent=parent)
            self._validate(federation)

        user = User(
            username=username,
            last_name=options["last_name"],
            first_name=options["first_name"],
            email=options["email"],
            role=User.Role.DISTRICT_STAFF,
            # Every portal account works in the admin (as accounts.admin.UserAdmin sets it).
            is_staff=True,
        )
        password = self._read_password(options["password_stdin"])
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise CommandError("Mật khẩu chưa đạt: " + " ".join(exc.messages)) from exc
        user.set_password(password)

        with transaction.atomic():
            created_federation = federation.pk is None
            if created_federation:
                federation.save()
            user.federation = federation
            self._validate(user, exclude=["password"])
            user.save()
        if created_federation:
            self.stdout.write(f"Đã tạo liên đoàn «{federation.name}» (mã {federation.code}).")
        self.stdout.write(
            self.style.SUCCESS(f"Đã tạo tài khoản cán bộ LĐLĐ «{user.username}» của «{federation.name}».")
        )

    @staticmethod
    def _kind(value: str | None) -> str | None:
        """The federation kind asked for (None if not given); an unknown one is refused, naming the known ones."""
        if value is None:
            return None
        kind = value.strip()
        if kind not in Federation.Kind.values:
            raise CommandError(f"Không có loại liên đoàn «{kind}». Chọn một trong: {_kind_list()}.")
        return kind

    @staticmethod
    def _parent(code: str) -> Federation | None:
        """The parent federation by its code; unknown, or no longer existing today, is refused."""
        if not code:
            return None
        parent = Federation.objects.filter(code=code).first()
        if parent is None:
            raise CommandError(f"Không có liên đoàn cấp trên mã «{code}» (--parent): tạo liên đoàn đó trước.")
        if parent.has_ended(on=timezone.localdate()):
            raise CommandError(str(parent.ended_message))
        return parent

    @staticmethod
    def _check_matches(federation: Federation, *, kind: str | None, parent_code: str) -> None:
        """An existing federation is used as it is: a kind or parent that says otherwise is a mistake."""
        if kind is not None and kind != federation.kind:
            raise CommandError(
                f"Liên đoàn mã «{federation.code}» đã có, loại là {federation.kind} "
                f"({federation.get_kind_display()}), không phải {kind}."
            )
        current = federation.parent.code if federation.parent_id else ""
        if parent_code and parent_code != current:
            raise CommandError(
                f"Liên đoàn mã «{federation.code}» đã có, cấp trên là «{current or 'không có'}», "
                f"không phải «{parent_code}»."
            )

    def _read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("Không đọc được mật khẩu từ đầu vào chuẩn.")
            return password
        if not sys.stdin.isatty():
            raise CommandError("Không có bàn phím để hỏi mật khẩu: dùng --password-stdin.")
        password = getpass("Mật khẩu: ")
        if password != getpass("Nhập lại mật khẩu: "):
            raise CommandError("Hai lần nhập mật khẩu không giống nhau: không thay đổi gì.")
        return password

    @staticmethod
    def _validate(instance, exclude: list[str] | None = None) -> None:
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
