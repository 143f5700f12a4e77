"""The leaders' dashboard, its JSON twin and its Excel export; every figure is scoped to the user."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import partial, wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from apps.core import spreadsheets
from apps.core.search import capped_search_term, folded_search
from apps.dashboard import selectors
from apps.dashboard.figure_definitions import ANNOTATED, MOVEMENTS, SUMMARY, as_json, cells, columns
from apps.dashboard.home import staff_home
from apps.dashboard.navigation import is_own_union_page
from apps.dashboard.overview import build_overview, federation_of
from apps.dashboard.union_overview import union_overview
from apps.unions.models import GrassrootsUnion, Sector

UNION_SORTS = {
    "code": "code",
    "name": "name",
    "members": "-member_count",
    "workers": "-workers",
    "ratio": "ratio",
}


def _require_dashboard_user(request: HttpRequest) -> None:
    user = request.user
    if not (user.is_superuser or user.is_district_staff or user.is_leader or user.is_union_chair):
        raise PermissionDenied


# The days the dashboard answers for. Before 2000 there is no union data to show, and far
# dates broke the cut-off arithmetic (year 1 has no previous year): a 500 instead of a message.
EARLIEST_AS_OF = date(2000, 1, 1)
YEARS_AHEAD = 5


class InvalidAsOf(ValueError):
    """The ``as_of`` in the query string is not a day the dashboard can show."""


def _organised(request: HttpRequest) -> selectors.Organised:
    """``?organised=today`` restates today's structure back in time; anything else is as organised then."""
    return selectors.Organised.TODAY if request.GET.get("organised") == "today" else selectors.Organised.THEN


def _organised_query(organised: selectors.Organised) -> str:
    # Carried by every link of the page that keeps its date, so the view stays as chosen.
    return "&organised=today" if organised == selectors.Organised.TODAY else ""


def _latest_as_of() -> date:
    return date(timezone.localdate().year + YEARS_AHEAD, 12, 31)


def _as_of(request: HttpRequest) -> date:
    """The ``as_of`` date from the query string (YYYY-MM-DD), or today; a bad value is refused, not guessed."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return timezone.localdate()
    try:
        day = datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        day = None
    if day is None or not EARLIEST_AS_OF <= day <= _latest_as_of():
        raise InvalidAsOf(
            _("“%(value)s” is not a day the dashboard can show: choose a date from %(first)s to %(last)s.")
            % {
                "value": raw[:40],
                "first": EARLIEST_AS_OF.strftime("%d/%m/%Y"),
                "last": _latest_as_of().strftime("%d/%m/%Y"),
            }
        )
    return day


def _refuses_invalid_dates(*, as_json: bool = False):
    """Answers 400 with the reason and a link to today's figures when ``as_of`` is not a valid day."""

    def decorator(view):
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except InvalidAsOf as error:
                # Without as_of the same address answers today's figures.
                today_url = request.path
                if as_json:
                    return JsonResponse({"error": str(error), "today": today_url}, status=400)
                context = {"message": str(error), "today_url": today_url, "today": timezone.localdate()}
                return render(request, "dashboard/invalid_date.html", context, status=400)

        return wrapper

    return decorator


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's start: leaders the dashboard, chairs their CĐCS, district staff what needs doing."""
    user = request.user
    if user.is_leader:
        return redirect("dashboard:index")
    if user.is_union_chair and user.union_id:
        return redirect("dashboard:union", pk=user.union_id)
    if user.is_district_staff or user.is_superuser:
        context = {"home": staff_home(user, timezone.localdate()), "today": timezone.localdate()}
        return render(request, "dashboard/home.html", context)
    # An account without a role sees nothing of the data; the admin says so.
    return redirect("admin:index")


@login_required
def union(request: HttpRequest, pk: int) -> HttpResponse:
    """One CĐCS at a glance (phone first): a chair's own, or any in the scope of staff and leaders; else 404."""
    _require_dashboard_user(request)
    overview = union_overview(pk=pk, user=request.user, as_of=timezone.localdate())
    crumbs = []
    if not is_own_union_page(request.user, "union", {"pk": pk}):
        dashboard_url = reverse("dashboard:index")
        sector = overview.union.sector
        crumbs = [
            (_("Dashboard"), dashboard_url),
            (sector.name, f"{dashboard_url}?sector={sector.pk}#drill"),
            (overview.union.name, ""),
        ]
    return render(request, "dashboard/union.html", {"overview": overview, "crumbs": crumbs})


@login_required
@_refuses_invalid_dates()
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_dashboard_user(request)
    as_of = _as_of(request)
    organised = _organised(request)
    overview = build_overview(request.user, as_of, organised)
    context = {
        "overview": overview,
        "organised": organised.value,
        "organised_query": _organised_query(organised),
        "cut_offs": [
            # By year, not by shifting the date: 29/02/2024 has no day a year before it.
            *selectors.cut_offs_of_year(as_of.year - 1),
            *selectors.cut_offs_of_year(as_of.year),
        ],
        "chart_data": {
            "trend": {
                "labels": [point.day.strftime("%d/%m/%Y") for point in overview.trend],
                "members": [point.members for point in overview.trend],
                "workers": [point.workers for point in overview.trend],
                "ratio": [float(point.membership_ratio or 0) for point in overview.trend],
            },
            "sectors": {
                "labels": [figures.sector.name for figures in overview.summary.unions_by_sector],
                "ratio": [float(figures.membership_ratio or 0) for figures in overview.summary.unions_by_sector],
                "female_ratio": [
                    float(figures.female_membership_ratio or 0) for figures in overview.summary.unions_by_sector
                ],
            },
            "labels": {
                "members": _("members"),
                "workers": _("workers"),
                "ratio": _("members / workers (%)"),
                "female_ratio": _("female members / female workers (%)"),
            },
        },
    }
    context.update(_drill_down(request, as_of, organised))
    return render(request, "dashboard/dashboard.html", context)


def _drill_down(request: HttpRequest, as_of: date, organised: selectors.Organised) -> dict:
    """Sector → its unions (sortable, paged) → one union's groups; out-of-scope ids answer 404.

    ``drill_crumbs`` leads back up: the federation (the whole scope), the sector, the union.
    """
    user = request.user
    day = f"?as_of={as_of:%Y-%m-%d}{_organised_query(organised)}"
    federation = federation_of(user)
    top = (federation.name if federation else _("Dashboard"), f"{request.path}{day}")
    if union_id := request.GET.get("union"):
        union = get_object_or_404(GrassrootsUnion.objects.visible_to(user).select_related("sector"), pk=_int(union_id))
        return {
            "drill_union": union,
            "drill_groups": selectors.group_figures(union=union, as_of=as_of).order_by("name"),
            "drill_crumbs": [
                top,
                (union.sector.name, f"{request.path}{day}&sector={union.sector_id}#drill"),
                (union.name, ""),
            ],
        }
    if sector_id := request.GET.get("sector"):
        sector = get_object_or_404(Sector, pk=_int(sector_id))
        sort = request.GET.get("sort", "name")
        unions = selectors.per_union_figures(
            as_of=as_of, user=user, federation=federation, sector=sector, organised=organised
        )
        unions = unions.annotate(
            ratio=models.ExpressionWrapper(
                models.F("member_count") * 100.0 / models.functions.NullIf(models.F("workers"), 0),
                output_field=models.FloatField(),
            )
        ).order_by(UNION_SORTS.get(sort, "name"), "pk")
        query = capped_search_term(request.GET.get("q", "").strip())
        if query:
            unions = folded_search(unions, query, ["search_text"])
        page = Paginator(unions, 50).get_page(request.GET.get("page"))
        return {
            "sector": sector,
            "unions_page": page,
            "sort": sort if sort in UNION_SORTS else "name",
            "query": query,
            "drill_crumbs": [top, (sector.name, "")],
        }
    return {}


def _int(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise Http404(_("Not found")) from None


@login_required
@_refuses_invalid_dates(as_json=True)
def dashboard_json(request: HttpRequest) -> JsonResponse:
    """The dashboard's figures as JSON for integrations, scoped exactly like the page."""
    _require_dashboard_user(request)
    organised = _organised(request)
    overview = build_overview(request.user, _as_of(request), organised)
    summary = overview.summary
    return JsonResponse(
        {
            "as_of": overview.as_of.isoformat(),
            "organised": organised.value,
            "federation": summary.federation.code if summary.federation else None,
            "totals": as_json(summary, SUMMARY),
            "sectors": [
                {"code": figures.sector.code, "name": figures.sector.name, **as_json(figures, SUMMARY)}
                for figures in summary.unions_by_sector
            ],
            "since_previous_cut_off": {
                "cut_off": overview.previous_cut_off.isoformat(),
                "members": overview.member_change,
                **as_json(overview.movements, MOVEMENTS),
            },
            "trend": [{"as_of": point.day.isoformat(), **as_json(point, SUMMARY)} for point in overview.trend],
            "needs_attention": {item.code: item.count for item in overview.attention},
            "meetings": _meetings_json(overview),
            "report": overview.report,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _meetings_json(overview) -> dict:
    """The period's meetings per kind, attendance per sector and CĐCS, overdue tasks; no invitees: a null rate."""

    def rate(row: selectors.AttendanceRate) -> dict:
        return {
            "name": row.label,
            "meetings": row.meetings,
            "invited": row.invited,
            "attended": row.attended,
            "rate": float(row.rate) if row.rate is not None else None,
        }

    figures = overview.meeting_figures
    return {
        "since": (overview.previous_cut_off + timedelta(days=1)).isoformat(),
        "by_kind": figures.by_kind,
        "attendance_by_sector": [rate(row) for row in figures.by_sector],
        "attendance_by_union": [rate(row) for row in figures.by_union],
        "lowest_attendance_meetings": [
            {"held_on": row.held_on.isoformat(), **rate(row)} for row in figures.lowest_meetings
        ],
        "overdue_tasks": overview.overdue_task_count,
    }


@login_required
@_refuses_invalid_dates()
def dashboard_export(request: HttpRequest) -> HttpResponse:
    """The dashboard's tables as an Excel workbook: real numbers and dates, each table titled with its day."""
    from openpyxl import Workbook

    _require_dashboard_user(request)
    as_of = _as_of(request)
    organised = _organised(request)
    overview = build_overview(request.user, as_of, organised)
    as_of_line = _("Figures as of %(day)s") % {"day": as_of.strftime("%d/%m/%Y")}
    if organised == selectors.Organised.TODAY:
        as_of_line = _("%(line)s, as organised today") % {"line": as_of_line}
    text, count = spreadsheets.TableColumn, partial(spreadsheets.TableColumn, number_format=spreadsheets.COUNT_FORMAT)
    book = Workbook()
    sheet = book.active
    sheet.title = _("By sector")[:31]
    spreadsheets.write_table(
        sheet,
        [text(_("sector")), *columns(SUMMARY)],
        ([figures.sector.name, *cells(figures, SUMMARY)] for figures in overview.summary.unions_by_sector),
        title=[_("Members and workers by sector"), as_of_line],
        footer=[[_("Total"), *cells(overview.summary, SUMMARY)]],
    )

    unions = selectors.per_union_figures(
        as_of=as_of, user=request.user, federation=federation_of(request.user), organised=organised
    )
    unions = unions.select_related("sector").order_by("sector__sort_order", "code")
    spreadsheets.write_table(
        book.create_sheet(_("Grassroots unions")[:31]),
        [text(_("code")), text(_("name")), text(_("sector")), *columns(ANNOTATED)],
        (
            [union.code, union.name, union.sector.name, *cells(union, ANNOTATED, annotated=True)]
            for union in unions.iterator(chunk_size=2000)
        ),
        title=[_("Figures of each grassroots union"), as_of_line],
    )

    spreadsheets.write_table(
        book.create_sheet(_("Needs attention")[:31]),
        [text(_("Needs attention")), count(_("how many"))],
        (
            *([item.label, item.count] for item in overview.attention),
            [pgettext("meeting figures", "Follow-up tasks past due"), overview.overdue_task_count],
        ),
        title=[_("What needs attention"), as_of_line],
    )

    since_line = pgettext("meeting figures", "Meetings held from %(start)s to %(end)s") % {
        "start": (overview.previous_cut_off + timedelta(days=1)).strftime("%d/%m/%Y"),
        "end": as_of.strftime("%d/%m/%Y"),
    }
    percent = partial(spreadsheets.TableColumn, number_format="0.0")
    rate_columns = [
        count(pgettext("meeting figures", "meetings")),
        count(pgettext("meeting figures", "invited")),
        count(pgettext("meeting figures", "attended")),
        percent(pgettext("meeting figures", "attendance rate (%)")),
    ]

    def rate_cells(row: selectors.AttendanceRate) -> list:
        return [row.meetings, row.invited, row.attended, float(row.rate) if row.rate is not None else None]

    figures = overview.meeting_figures
    spreadsheets.write_table(
        book.create_sheet(pgettext("meeting figures", "Meetings")[:31]),
        [text(pgettext("meeting figures", "sector")), *rate_columns],
        ([row.label, *rate_cells(row)] for row in figures.by_sector),
        title=[pgettext("meeting figures", "Meetings and attendance by sector"), since_line],
        footer=[[label, count] for label, count in overview.meetings],
    )
    spreadsheets.write_table(
        book.create_sheet(pgettext("meeting figures", "Attendance by union")[:31]),
        [text(pgettext("meeting figures", "organised by")), *rate_columns],
        ([row.label, *rate_cells(row)] for row in figures.by_union),
        title=[pgettext("meeting figures", "Meetings and attendance by organiser"), since_line],
    )

    # Union names are typed by chairs: the writer keeps them text, never formulas.
    filename = spreadsheets.export_filename("Số liệu công đoàn", code=spreadsheets.scope_code(request.user), on=as_of)
    spreadsheets.log_export(user=request.user, what="dashboard", file_format="xlsx", as_of=as_of.isoformat())
    return spreadsheets.xlsx_response(book, filename=filename)
