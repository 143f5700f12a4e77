"""Import a sheet from the command line, for a named user and within their scope, as the import page does."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.core.formatting import format_number
from apps.core.import_kinds import import_kind, import_kinds
from apps.core.sheet_lists import ImportFailed
from apps.core.sheets import Problem, SheetError

# Exit statuses scripts can rely on.
ROWS_REJECTED = 1
FILE_REFUSED = 2


class Command(BaseCommand):
    help = "Import a sheet of one list (.xlsx, .xls, .ods or CSV) as USERNAME, through that user's scope."

    def add_arguments(self, parser):
        parser.add_argument("file", help="the sheet to import")
        kinds = ", ".join(kind.name for kind in import_kinds())
        parser.add_argument("--kind", required=True, help=f"what the sheet lists: {kinds}")
        parser.add_argument("--as", dest="username", required=True, help="the user whose scope and name are used")
        parser.add_argument("--union", help="the code of the CĐCS every row goes to")
        parser.add_argument("--sheet", help="the sheet to read when the workbook has several")
        parser.add_argument("--dry-run", action="store_true", help="check every row and write nothing")
        parser.add_argument(
            "--skip-rejected", action="store_true", help="write the accepted rows even when some are rejected"
        )
        parser.add_argument("--json", action="store_true", help="print the counts and problems as JSON")

    def handle(self, *args, **options):
        with translation.override("vi"):
            return self.run(options)

    def run(self, options) -> None:
        kind = import_kind(options["kind"])
        if kind is None:
            raise CommandError(
                _("Unknown kind “%(kind)s”; supported: %(kinds)s.")
                % {"kind": options["kind"], "kinds": ", ".join(kind.name for kind in import_kinds())},
                returncode=FILE_REFUSED,
            )
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(
                _("No active user named “%(name)s”.") % {"name": options["username"]}, returncode=FILE_REFUSED
            )
        path = Path(options["file"])
        try:
            plan = kind.preview(path, filename=path.name, user=user, union=options["union"], sheet=options["sheet"])
        except FileNotFoundError:
            raise CommandError(_("No file “%(name)s”.") % {"name": path}, returncode=FILE_REFUSED) from None
        except (SheetError, PermissionDenied) as error:
            message = getattr(error, "message", None) or str(error)
            if options["json"]:
                zero = dict.fromkeys(("created", "updated", "unchanged", "rejected"), 0)
                self.report(zero, [Problem(None, "", message)], options)
            raise CommandError(message, returncode=FILE_REFUSED) from None
        counts, problems = dict(plan.counts), list(plan.problems)
        rejected = counts["rejected"] > 0
        write = not options["dry_run"] and (not rejected or options["skip_rejected"])
        if write and any(counts[name] for name in ("created", "updated")):
            try:
                kind.apply(plan, user=user, file_label=path.name)
            except ImportFailed as failure:
                self.report(counts, [*problems, *failure.problems], options)
                raise CommandError(_("Nothing was imported."), returncode=ROWS_REJECTED) from None
        self.report(counts, problems, options)
        if not options["json"]:
            self.stdout.write(
                _("Imported.") if write else _("Nothing was written.")  # the counts above say what would be
            )
        if rejected:
            raise CommandError(
                _("%(count)s rows rejected.") % {"count": format_number(counts["rejected"])}, returncode=ROWS_REJECTED
            )

    def report(self, counts: dict[str, int], problems, options) -> None:
        if options["json"]:
            payload = {
                "counts": {name: counts[name] for name in ("created", "updated", "unchanged", "rejected")},
                "problems": [
                    {"row": problem.row, "column": problem.column, "message": problem.message} for problem in problems
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write(
            _("Created: %(created)s, updated: %(updated)s, unchanged: %(unchanged)s, rejected: %(rejected)s.")
            % {name: format_number(value) for name, value in counts.items()}
        )
        for problem in problems:
            self.stdout.write(str(problem))
