"""A CĐCS's own pages, phone-first: its members, their lifecycle, transfers, groups, workforce; the site search.

Every page starts from ``GrassrootsUnion.objects.visible_to(request.user)``: another union's
pages answer 404 whatever the role, then the role decides (403) what may be done there.
Every write goes through a service (apps.members.services, apps.unions.services), and a
refusal is shown on the form, never as a server error.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.accounts.models import PersonalDataAccess
from apps.accounts.permissions import can_query_national_id
from apps.accounts.services import personal_data_access_record
from apps.core.db import vietnamese_order
from apps.core.search import folded_search
from apps.meetings.models import Meeting
from apps.members import services
from apps.members.forms import add_service_error
from apps.members.models import Member, TransferRequest, UnionOfficial
from apps.portal import forms
from apps.portal.search import site_search
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion, WorkforceDeclaration

PAGE_SIZE = 50
# The lists a member list can show: those in the union today, and those who have left it.
STATUS_FILTERS = ("active", "left")


def _union_or_404(request: HttpRequest, union_pk: int, perm: str) -> GrassrootsUnion:
    """The page's CĐCS: 404 out of scope (whatever the role), then 403 without ``perm``."""
    unions = GrassrootsUnion.objects.visible_to(request.user).select_related("federation")
    union = get_object_or_404(unions, pk=union_pk)
    if not request.user.has_perm(perm):
        raise PermissionDenied
    return union


def _member_or_404(request: HttpRequest, union: GrassrootsUnion, member_pk: int, *, active: bool = False) -> Member:
    members = Member.objects.visible_to(request.user).filter(union=union).select_related("union", "group")
    if active:
        members = members.active()
    return get_object_or_404(members, pk=member_pk)


def _context(request: HttpRequest, union: GrassrootsUnion, tab: str, **extra) -> dict:
    user = request.user
    return {
        "union": union,
        "tab": tab,
        "may_change_members": user.has_perm("members.change_member"),
        "may_add_members": user.has_perm("members.add_member"),
        "may_declare_workforce": user.has_perm("unions.add_workforcedeclaration"),
        **extra,
    }


def _back_to_list(request: HttpRequest, union: GrassrootsUnion, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("portal:members", union_pk=union.pk)


@login_required
def member_list(request: HttpRequest, union_pk: int) -> HttpResponse:
    """The union's members, filtered by its groups and by status, searched by name; a page at a time."""
    union = _union_or_404(request, union_pk, "members.view_member")
    user = request.user
    groups = list(
        forms.current_groups(user, union).annotate(
            active_members=Count("members", filter=Q(members__status=Member.Status.ACTIVE))
        )
    )
    status = request.GET.get("status") if request.GET.get("status") in STATUS_FILTERS else "active"
    members = Member.objects.visible_to(user).filter(union=union)
    members = members.active() if status == "active" else members.exclude(status=Member.Status.ACTIVE)

    chosen_group, without_group = None, request.GET.get("group") == "none"
    if without_group:
        members = members.filter(group__isnull=True)
    elif request.GET.get("group", "").isdigit():
        chosen_group = next((group for group in groups if group.pk == int(request.GET["group"])), None)
        if chosen_group is not None:
            members = members.filter(group=chosen_group)

    query = request.GET.get("q", "").strip()
    if query.isdigit() and can_query_national_id(user):
        members = members.filter(national_id__startswith=query)
    elif query:
        members = folded_search(members, query, ["search_name"])
    members = members.select_related("group").order_by(*vietnamese_order("given_name", "full_name"), "id")
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    group_filter = "none" if without_group else chosen_group.pk if chosen_group else ""
    filters = {"q": query, "status": status, "group": group_filter}
    return render(
        request,
        "portal/member_list.html",
        _context(
            request,
            union,
            "members",
            groups=groups,
            chosen_group=chosen_group,
            without_group=without_group,
            status=status,
            query=query,
            page=page,
            filters=filters,
            search_help=_("Search by name (accents optional) or by the start of the national ID number.")
            if can_query_national_id(user)
            else _("Search by name (accents optional)."),
        ),
    )


@login_required
def member_add(request: HttpRequest, union_pk: int) -> HttpResponse:
    """Enrol a person into this union (the union is the page's; the groups offered are its own)."""
    union = _union_or_404(request, union_pk, "members.add_member")
    form = forms.EnrolForm(request.POST or None, union=union, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            member = form.perform()
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back_to_list(request, union, _("%(member)s has been enrolled.") % {"member": member})
    title = _("Add member")
    return render(request, "portal/member_form.html", _context(request, union, "members", form=form, title=title))


@login_required
def member_edit(request: HttpRequest, union_pk: int, member_pk: int) -> HttpResponse:
    """A member's personal details, with the ways on to their group, leaving and transfer."""
    union = _union_or_404(request, union_pk, "members.change_member")
    member = _member_or_404(request, union, member_pk)
    shown_name = member.full_name  # the form changes the instance as it validates
    form = forms.MemberForm(request.POST or None, instance=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.perform()
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back_to_list(request, union, _("The details of %(member)s have been saved.") % {"member": member})
    if request.method == "GET":
        # Whoever may edit a member sees the whole ID number: recorded like the admin's page.
        personal_data_access_record(
            user=request.user,
            action=PersonalDataAccess.Action.VIEW,
            model="members.member",
            record_ids=[member.pk],
            path=request.path,
        )
    pending = TransferRequest.objects.visible_to(request.user).pending().filter(member=member).first()
    return render(
        request,
        "portal/member_edit.html",
        _context(
            request,
            union,
            "members",
            form=form,
            member=member,
            title=shown_name,
            pending_transfer=pending,
            active=member.status == Member.Status.ACTIVE,
        ),
    )


# action -> (form, page title, success message)
LIFECYCLE = {
    "move": (forms.MoveGroupForm, _("Move to another group"), _("%(member)s has been moved to another group.")),
    "leave": (forms.LeaveForm, _("Leave the union"), _("%(member)s has left the union.")),
    "transfer": (
        forms.TransferForm,
        _("Transfer to another grassroots union"),
        _("The transfer of %(member)s is waiting for the receiving union's answer."),
    ),
}


@login_required
def member_lifecycle(request: HttpRequest, union_pk: int, member_pk: int, action: str) -> HttpResponse:
    """Move an active member to another group, record their leaving, or start their transfer."""
    union = _union_or_404(request, union_pk, "members.change_member")
    member = _member_or_404(request, union, member_pk, active=True)
    form_class, title, done = LIFECYCLE[action]
    form = form_class(request.POST or None, member=member, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            form.perform()
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _back_to_list(request, union, str(done) % {"member": member})
    context = _context(request, union, "members", form=form, member=member, title=title, action=action)
    if action == "transfer":
        context["lookup_url"] = reverse("portal:transfer_destinations", args=[union.pk])
    return render(request, "portal/member_action.html", context)


@login_required
def transfer_destinations(request: HttpRequest, union_pk: int) -> JsonResponse:
    """The unions a member of this union may be sent to whose name or code holds ``q``, for the transfer form."""
    union = _union_or_404(request, union_pk, "members.change_member")
    term = request.GET.get("q", "").strip()
    unions = forms.destination_matches(request.user, term, exclude=union) if term else GrassrootsUnion.objects.none()
    rows = unions.values("code", "name")[: forms.DESTINATION_CHOICES]
    return JsonResponse({"results": [{"code": row["code"], "name": row["name"]} for row in rows]})


def _transfers_context(request: HttpRequest, union: GrassrootsUnion, bound: forms.TransferDecisionForm | None = None):
    transfers = (
        TransferRequest.objects.visible_to(request.user)
        .filter(Q(from_union=union) | Q(to_union=union))
        .select_related("member", "from_union", "to_union")
    )
    may_decide = request.user.has_perm("members.change_member")
    incoming, outgoing = [], []
    for transfer in transfers.pending().order_by("effective_on", "pk"):
        if transfer.to_union_id == union.pk:
            if may_decide:
                same = bound is not None and bound.transfer.pk == transfer.pk
                transfer.form = bound if same else forms.TransferDecisionForm(transfer=transfer, user=request.user)
            incoming.append(transfer)
        else:
            outgoing.append(transfer)
    decided = list(transfers.exclude(status=TransferRequest.Status.PENDING).order_by("-decided_at", "-pk")[:20])
    return _context(
        request, union, "transfers", incoming=incoming, outgoing=outgoing, decided=decided, may_decide=may_decide
    )


@login_required
def transfer_list(request: HttpRequest, union_pk: int) -> HttpResponse:
    """Transfers into and out of the union in one place: answer those coming in, withdraw those going out."""
    union = _union_or_404(request, union_pk, "members.view_transferrequest")
    return render(request, "portal/transfers.html", _transfers_context(request, union))


@login_required
@require_POST
def transfer_decide(request: HttpRequest, union_pk: int, transfer_pk: int) -> HttpResponse:
    """Accept or refuse a transfer into this union, or withdraw one out of it."""
    union = _union_or_404(request, union_pk, "members.change_member")
    transfers = TransferRequest.objects.visible_to(request.user).pending().select_related("member", "to_union")
    transfer = get_object_or_404(transfers, Q(from_union=union) | Q(to_union=union), pk=transfer_pk)
    incoming = transfer.to_union_id == union.pk
    action = next((name for name in ("_accept", "_refuse", "_cancel") if name in request.POST), None)
    if action not in ({"_accept", "_refuse"} if incoming else {"_cancel"}):
        # The receiving side answers, the sending side withdraws; a POST that says neither does nothing.
        raise Http404
    form = forms.TransferDecisionForm(request.POST, transfer=transfer, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "_accept":
                services.transfer_accept(transfer=transfer, actor=request.user, group=data["group"])
                done = _("%(member)s has joined the union.")
            elif action == "_refuse":
                services.transfer_refuse(transfer=transfer, actor=request.user, reason=data["refusal_reason"])
                done = _("The transfer of %(member)s has been refused.")
            else:
                services.transfer_cancel(transfer=transfer, actor=request.user)
                done = _("The transfer of %(member)s has been withdrawn.")
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, done % {"member": transfer.member})
            return redirect("portal:transfers", union_pk=union.pk)
    if not incoming:
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("portal:transfers", union_pk=union.pk)
    return render(request, "portal/transfers.html", _transfers_context(request, union, bound=form))


def _group_officials(user, union: GrassrootsUnion, groups) -> dict[int, list[UnionOfficial]]:
    """The leaders and deputies in office today of ``groups``, leaders first."""
    officials = (
        UnionOfficial.objects.visible_to(user)
        .as_of(timezone.localdate())
        .filter(union=union, group__in=groups, role__in=UnionOfficial.GROUP_ROLES)
        .select_related("member")
        .order_by("-role", "member__full_name")  # "group_leader" sorts after "group_deputy": leaders first
    )
    by_group: dict[int, list[UnionOfficial]] = {}
    for official in officials:
        by_group.setdefault(official.group_id, []).append(official)
    return by_group


@login_required
def group_list(request: HttpRequest, union_pk: int) -> HttpResponse:
    """The union's groups: how many members each has, who leads it, when it last met."""
    union = _union_or_404(request, union_pk, "union_groups.view_uniongroup")
    groups = list(
        forms.current_groups(request.user, union).annotate(
            active_members=Count("members", filter=Q(members__status=Member.Status.ACTIVE), distinct=True),
            last_meeting=Max("meetings__held_on"),
        )
    )
    officials = _group_officials(request.user, union, groups)
    for group in groups:
        group.officials_today = officials.get(group.pk, [])
    return render(request, "portal/group_list.html", _context(request, union, "groups", groups=groups))


@login_required
def group_detail(request: HttpRequest, union_pk: int, group_pk: int) -> HttpResponse:
    """One group: its roster today, its leader and deputy, its last meetings, the roster as a sheet."""
    union = _union_or_404(request, union_pk, "union_groups.view_uniongroup")
    group = get_object_or_404(UnionGroup.objects.visible_to(request.user).filter(union=union), pk=group_pk)
    roster = (
        Member.objects.visible_to(request.user)
        .active()
        .filter(union=union, group=group)
        .order_by(*vietnamese_order("given_name", "full_name"), "id")
        .only("full_name", "gender", "date_of_birth", "job_title", "union_id")
    )
    meetings = Meeting.objects.visible_to(request.user).filter(group=group).order_by("-held_on", "-pk")[:5]
    context = _context(
        request,
        union,
        "groups",
        group=group,
        roster=list(roster),
        officials=_group_officials(request.user, union, [group]).get(group.pk, []),
        meetings=list(meetings),
    )
    return render(request, "portal/group_detail.html", context)


@login_required
def workforce_new(request: HttpRequest, union_pk: int) -> HttpResponse:
    """Declare the union's workforce as of a day (today unless said otherwise)."""
    union = _union_or_404(request, union_pk, "unions.add_workforcedeclaration")
    form = forms.WorkforceForm(request.POST or None, union=union, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = form.perform()
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("The workforce as of %(day)s has been declared.") % {"day": declaration.as_of.strftime("%d/%m/%Y")},
            )
            return redirect("portal:members", union_pk=union.pk)
    recent = WorkforceDeclaration.objects.visible_to(request.user).filter(union=union).order_by("-as_of")[:3]
    context = _context(request, union, "workforce", form=form, recent=list(recent), title=_("Declare the workforce"))
    return render(request, "portal/workforce_form.html", context)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Members, CĐCS and groups the user may see whose name (or code, or ID number's start) holds ``q``."""
    results = site_search(request.user, request.GET.get("q", ""))
    may_change = request.user.has_perm("members.change_member")
    for member in results.members:
        if may_change:
            member.url = reverse("portal:member_edit", args=[member.union_id, member.pk])
        else:
            status = "active" if member.status == Member.Status.ACTIVE else "left"
            query = urlencode({"q": member.full_name, "status": status})
            member.url = f"{reverse('portal:members', args=[member.union_id])}?{query}"
    return render(request, "portal/search.html", {"results": results, "query": request.GET.get("q", "").strip()})
