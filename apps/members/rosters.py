"""A CĐCS's member list and a union group's roster as sheets to print and hand round.

Both list the members active today, read through ``visible_to(user)``, in Vietnamese
order (given name first), with ID numbers as the user may see them; a download of whole
ID numbers is written to the personal-data access log like the member export. The sheet
is written by apps.core.spreadsheets (title, frozen header, real dates and counts).
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.accounts.models import PersonalDataAccess
from apps.accounts.permissions import can_see_full_national_id
from apps.accounts.services import personal_data_access_record
from apps.core import spreadsheets
from apps.core.db import vietnamese_order
from apps.core.text import fold
from apps.members.models import Gender, Member
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion


def _columns() -> list[spreadsheets.TableColumn]:
    field = Member._meta.get_field
    text, day = spreadsheets.TableColumn, spreadsheets.DATE_FORMAT
    return [
        text(_("No."), spreadsheets.COUNT_FORMAT, width=6),
        text(field("full_name").verbose_name),
        text(field("gender").verbose_name),
        text(field("date_of_birth").verbose_name, day),
        text(field("national_id").verbose_name),
        text(field("group").verbose_name),
        text(field("job_title").verbose_name),
        text(field("joined_union_on").verbose_name, day),
        text(_("card number")),
    ]


def roster_download(request: HttpRequest, *, union: GrassrootsUnion, group: UnionGroup | None = None) -> HttpResponse:
    """The members of ``union`` (or of its ``group``) active today as an .xlsx download, in ``request.user``'s scope."""
    user = request.user
    today = timezone.localdate()
    members = Member.objects.visible_to(user).active().filter(union=union)
    if group is not None:
        members = members.filter(group=group)
    counts = members.aggregate(total=Count("pk"), female=Count("pk", filter=Q(gender=Gender.FEMALE)))
    rows = list(
        members.select_related("group")
        .order_by(*vietnamese_order("given_name", "full_name"), "id")
        .only(
            "full_name",
            "gender",
            "date_of_birth",
            "national_id",
            "job_title",
            "joined_union_on",
            "card_number",
            "group__name",
        )
    )
    full_ids = can_see_full_national_id(user)

    title = [f"{union.name} ({_('code')} {union.code})", union.federation.name]
    if group is not None:
        title.append(f"{capfirst(UnionGroup._meta.verbose_name)}: {group.name}")
    title.append(_("Member list as of %(day)s") % {"day": today.strftime("%d/%m/%Y")})
    book = Workbook()
    sheet = book.active
    sheet.title = _("Members")[:31]
    spreadsheets.write_table(
        sheet,
        _columns(),
        (
            [
                number,
                member.full_name,
                capfirst(member.get_gender_display()),
                member.date_of_birth,
                (member.national_id or "") if full_ids else member.masked_national_id,
                member.group.name if member.group_id else "",
                member.job_title,
                member.joined_union_on,
                member.card_number or "",
            ]
            for number, member in enumerate(rows, start=1)
        ),
        title=title,
        footer=[[None, _("Total members"), counts["total"]], [None, _("of whom women"), counts["female"]]],
    )
    if full_ids:
        personal_data_access_record(
            user=user,
            action=PersonalDataAccess.Action.EXPORT,
            model="members.member",
            record_ids=[member.pk for member in rows],
            path=request.path,
        )
    if group is None:
        what = "Danh sách đoàn viên"
    else:
        # "danh-sach-to-van-phong", and "danh-sach-to-3" rather than "danh-sach-to-to-3".
        what = f"Danh sách {group.name}" if fold(group.name).startswith("to ") else f"Danh sách tổ {group.name}"
    filename = spreadsheets.export_filename(what, code=union.code, on=today)
    return spreadsheets.xlsx_response(book, filename=filename)
