"""A CĐCS's member list and a union group's roster, as sheets and as pages to print, and
the CĐCS's member cards to print.

All list the members active today (``roster_members``: the one rule of who is on a
roster), read through ``visible_to(user)``, in Vietnamese order (given name first), with ID
numbers as the user may see them; a sheet or page of whole ID numbers is written to the
personal-data access log like the member export. The sheet is written by
apps.core.spreadsheets (title, frozen header, real dates and counts); the pages are A4
documents (templates/members/print/, static/css/print.css).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.accounts.models import PersonalDataAccess
from apps.accounts.permissions import can_see_full_national_id
from apps.accounts.services import personal_data_access_record
from apps.core import spreadsheets
from apps.core.db import vietnamese_order
from apps.core.qr import qr_svg
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


def roster_members(user, *, union: GrassrootsUnion, group: UnionGroup | None = None) -> QuerySet[Member]:
    """Who is on the roster of ``union`` (or of its ``group``) today, as ``user`` may see them, in Vietnamese order."""
    members = Member.objects.visible_to(user).active().filter(union=union)
    if group is not None:
        members = members.filter(group=group)
    return members.select_related("group").order_by(*vietnamese_order("given_name", "full_name"), "id")


def _counts(members: QuerySet[Member]) -> dict[str, int]:
    return members.order_by().aggregate(total=Count("pk"), female=Count("pk", filter=Q(gender=Gender.FEMALE)))


def _record_whole_ids(request: HttpRequest, members: list[Member]) -> None:
    personal_data_access_record(
        user=request.user,
        action=PersonalDataAccess.Action.EXPORT,
        model="members.member",
        record_ids=[member.pk for member in members],
        path=request.path,
    )


def roster_download(request: HttpRequest, *, union: GrassrootsUnion, group: UnionGroup | None = None) -> HttpResponse:
    """The members of ``union`` (or of its ``group``) active today as an .xlsx download, in ``request.user``'s scope."""
    user = request.user
    today = timezone.localdate()
    members = roster_members(user, union=union, group=group)
    counts = _counts(members)
    rows = list(
        members.only(
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
        _record_whole_ids(request, rows)
    if group is None:
        what = "Danh sách đoàn viên"
    else:
        # "danh-sach-to-van-phong", and "danh-sach-to-3" rather than "danh-sach-to-to-3".
        what = f"Danh sách {group.name}" if fold(group.name).startswith("to ") else f"Danh sách tổ {group.name}"
    filename = spreadsheets.export_filename(what, code=union.code, on=today)
    spreadsheets.log_export(
        user=user,
        what="group_roster" if group is not None else "union_roster",
        file_format="xlsx",
        rows=len(rows),
        union_id=union.pk,
        whole_id_numbers=full_ids,
    )
    return spreadsheets.xlsx_response(book, filename=filename)


def _print_columns(*, group_column: bool) -> list[tuple[str, str]]:
    """The printed list's columns (a key for the stylesheet, the heading): the sheet's, less what no one
    signs for, and a signature column."""
    field = Member._meta.get_field
    columns = [
        ("number", _("No.")),
        ("name", capfirst(field("full_name").verbose_name)),
        ("gender", capfirst(field("gender").verbose_name)),
        ("date", capfirst(field("date_of_birth").verbose_name)),
        ("id", capfirst(field("national_id").verbose_name)),
        ("group", capfirst(field("group").verbose_name)),
        ("job", capfirst(field("job_title").verbose_name)),
        ("signature", _("Signature")),
    ]
    return [column for column in columns if group_column or column[0] != "group"]


def roster_page(
    request: HttpRequest, *, union: GrassrootsUnion, group: UnionGroup | None = None, back_url: str
) -> TemplateResponse:
    """The roster of ``union`` (or of its ``group``) as an A4 page to print and sign, in ``request.user``'s scope."""
    members = roster_members(request.user, union=union, group=group)
    counts = _counts(members)
    rows = list(members.only("full_name", "gender", "date_of_birth", "national_id", "job_title", "group__name"))
    full_ids = can_see_full_national_id(request.user)
    for member in rows:
        member.shown_national_id = (member.national_id or "") if full_ids else member.masked_national_id
    if full_ids:
        _record_whole_ids(request, rows)
    context = {
        "union": union,
        "federation": union.federation,
        "group": group,
        "today": timezone.localdate(),
        "members": rows,
        "counts": counts,
        "back_url": back_url,
        "columns": _print_columns(group_column=group is None),
        # A group's own roster need not repeat its name on every row.
        "group_column": group is None,
    }
    return TemplateResponse(request, "members/print/roster.html", context)


# Ten cards (two across, five down) fill an A4 sheet; a hundred, ten sheets, at a time keeps
# a large CĐCS's page quick to draw (one QR code each) and to send to the printer.
CARDS_PER_SHEET = 10
CARDS_PER_PRINT = 100


def cards_page(request: HttpRequest, *, union: GrassrootsUnion, back_url: str) -> TemplateResponse:
    """The member cards (thẻ đoàn viên) of ``union``'s active members, ten to an A4 sheet, a hundred per page."""
    members = roster_members(request.user, union=union).select_related(None).only("full_name", "card_number")
    batch = Paginator(members, CARDS_PER_PRINT).get_page(request.GET.get("page"))
    cards = [
        {
            "member": member,
            # The member's page in the portal: it opens only for someone who may see the member.
            "qr": qr_svg(request.build_absolute_uri(reverse("admin:members_member_change", args=[member.pk]))),
        }
        for member in batch.object_list
    ]
    context = {
        "union": union,
        "federation": union.federation,
        "today": timezone.localdate(),
        "batch": batch,
        "sheets": [cards[start : start + CARDS_PER_SHEET] for start in range(0, len(cards), CARDS_PER_SHEET)],
        "back_url": back_url,
    }
    return TemplateResponse(request, "members/print/cards.html", context)
