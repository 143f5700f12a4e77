"""Admin for members, their membership history and union offices."""

from __future__ import annotations

from django import forms as django_forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ERROR_FLAG, PAGE_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.accounts.models import PersonalDataAccess
from apps.accounts.permissions import can_query_national_id, can_see_full_national_id
from apps.accounts.services import personal_data_access_record
from apps.core.admin import ReadOnlyAdminMixin, ScopedHistoryAdmin, ScopedModelAdmin, ScopedTabularInline
from apps.core.admin.history import ReadableHistory
from apps.core.countries import VIETNAM
from apps.core.db import vietnamese_order
from apps.core.spreadsheets import CONTENT_TYPES, log_export
from apps.imports.admin_links import SheetLinksMixin
from apps.members import forms, services
from apps.members.imports import export_members
from apps.members.models import Member, MembershipPeriod, TransferRequest, UnionOfficial, mask_national_id

# The admin list's downloads: /admin/members/member/export/?format=csv&<the list's filters>.
EXPORT_FORMAT_VAR = "format"
EXPORT_EXTENSIONS = tuple(CONTENT_TYPES)


class MembershipPeriodInline(ScopedTabularInline):
    """Membership history: read-only here, written by the lifecycle services."""

    model = MembershipPeriod
    fields = ["union", "group", "started_on", "ended_on"]
    readonly_fields = fields
    show_change_link = False
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class UnionOfficialInline(ScopedTabularInline):
    model = UnionOfficial
    fk_name = "member"
    fields = ["union", "role", "group", "started_on", "ended_on"]
    autocomplete_fields = ["union", "group"]
    show_change_link = False


def _active_elsewhere_error(clash: Member, user, union) -> str:
    """The refusal for a CCCD number already active, with a link to act on it for those who may."""
    message = services.active_elsewhere_message(clash, actor=user, union=union)
    if not user.has_perm("members.change_member") or not Member.objects.visible_to(user).filter(pk=clash.pk).exists():
        return message
    if union is not None and clash.union_id == union.pk:
        url, label = reverse("admin:members_member_change", args=[clash.pk]), _("Open their record")
    else:
        url, label = reverse("admin:members_member_transfer", args=[clash.pk]), _("Start the transfer")
    return format_html('{} <a href="{}">{}</a>', message, url, label)


class _MaskedNationalIdHistory(ReadableHistory):
    """A member's history as seen by those who see ID numbers masked: changes to the number, masked too."""

    def prepare_delta_change_value(self, change, value):
        if change.field == "national_id":
            return mask_national_id(value)
        return super().prepare_delta_change_value(change, value)


class NationalityFilter(admin.SimpleListFilter):
    """Vietnamese or foreign members: two choices rather than the 250 countries of the field."""

    title = _("nationality")
    parameter_name = "foreign"

    def lookups(self, request, model_admin):
        return [("0", pgettext_lazy("nationality", "Vietnamese")), ("1", _("foreign workers"))]

    def queryset(self, request, queryset):
        if self.value() == "0":
            return queryset.filter(nationality=VIETNAM)
        if self.value() == "1":
            return queryset.exclude(nationality=VIETNAM)
        return queryset


@admin.register(Member)
class MemberAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "members"
    list_display = ["full_name", "national_id_column", "gender", "date_of_birth", "union", "group", "status"]
    list_select_related = ["union", "group"]
    list_filter = ["status", "gender", NationalityFilter, "union__sector"]
    search_fields = ["search_name", "national_id"]
    search_help_text = _("Search by name (accents optional) or by the start of the national ID number.")
    folded_search_fields = ("search_name",)
    autocomplete_fields = ["union", "group"]
    inlines = [MembershipPeriodInline, UnionOfficialInline]

    class Media:
        js = ["js/contract_months.js"]

    fieldsets = [
        (None, {"fields": ["union", "group", "full_name", "gender", "date_of_birth", "national_id"]}),
        (_("Contact"), {"fields": ["phone", "email"]}),
        (
            _("Union"),
            {
                "fields": [
                    "ethnicity",
                    "nationality",
                    "contract_months",
                    "job_title",
                    "joined_union_on",
                    "card_number",
                    "status",
                ]
            },
        ),
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "national_id" not in form.base_fields:
            return form
        user = request.user

        class MemberForm(form):
            # Checked here, on the field, rather than left to the service on save: the
            # message depends on who asks, and may carry a link to the transfer.
            def clean_national_id(self):
                number = self.cleaned_data.get("national_id")
                union = self.instance.union if self.instance.union_id else self.cleaned_data.get("union")
                clash = services.active_member_with_national_id(number, exclude_pk=self.instance.pk)
                if clash is not None:
                    raise django_forms.ValidationError(_active_elsewhere_error(clash, user, union))
                return number

        return MemberForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if can_see_full_national_id(request.user):
            return fieldsets
        # Roles that do not enter ID numbers see only their last four digits.
        return [
            (title, {**options, "fields": [self._masked(name) for name in options["fields"]]})
            for title, options in fieldsets
        ]

    @staticmethod
    def _masked(field_name: str) -> str:
        return "masked_national_id_field" if field_name == "national_id" else field_name

    @admin.display(description=_("national ID number (CCCD)"))
    def masked_national_id_field(self, obj):
        return obj.masked_national_id

    def _change_view_with_access_log(self, request, object_id, form_url, extra_context):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200 and can_see_full_national_id(request.user):
            personal_data_access_record(
                user=request.user,
                action=PersonalDataAccess.Action.VIEW,
                model="members.member",
                record_ids=[int(object_id)],
                path=request.path,
            )
        return response

    def sheet_download_url(self, request, extension: str) -> str:
        # The downloads hold the list as it is shown: its filters, search and order (not its page).
        query = request.GET.copy()
        query.pop(PAGE_VAR, None)
        query.pop(ERROR_FLAG, None)
        query[EXPORT_FORMAT_VAR] = extension
        return f"{reverse('admin:members_member_export')}?{query.urlencode()}"

    def export_view(self, request):
        """The member list as shown (filters, search, order) as .xlsx or .csv: the one member export."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        # The format is not a filter of the list: the rest of the query string is.
        request.GET = request.GET.copy()
        extension = request.GET.pop(EXPORT_FORMAT_VAR, ["xlsx"])[-1]
        if extension not in EXPORT_EXTENSIONS:
            raise Http404(_("Not found"))
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect(f"{reverse('admin:members_member_changelist')}?{ERROR_FLAG}=1")
        log_export(user=request.user, what="members", file_format=extension)
        return export_members(request.user, extension, members=changelist.get_queryset(request), path=request.path)

    # (url suffix, form, page title, shown when the member is ...)
    LIFECYCLE = {
        "move_group": (forms.MoveGroupForm, _("Move to another group"), Member.Status.ACTIVE),
        "transfer": (forms.TransferForm, _("Transfer to another grassroots union"), Member.Status.ACTIVE),
        "leave": (forms.LeaveForm, _("Leave the union"), Member.Status.ACTIVE),
        "rejoin": (forms.RejoinForm, _("Rejoin the union"), Member.Status.LEFT),
    }

    def get_urls(self):
        lifecycle = [
            path(
                f"<path:object_id>/{action}/",
                self.admin_site.admin_view(self.lifecycle_view),
                {"action": action},
                name=f"members_member_{action}",
            )
            for action in self.LIFECYCLE
        ]
        export = path("export/", self.admin_site.admin_view(self.export_view), name="members_member_export")
        return [export, *lifecycle, *super().get_urls()]

    def lifecycle_view(self, request, object_id, action):
        """One page per lifecycle action: a small form that hands its data to the service."""
        member = self.get_object(request, unquote(object_id))
        if member is None:
            raise Http404(_("Not found"))
        if not self.has_change_permission(request, member):
            raise PermissionDenied
        form_class, title, status = self.LIFECYCLE[action]
        if member.status != status:
            raise Http404(_("Not found"))
        form = form_class(request.POST or None, member=member, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                form.perform()
            except ValidationError as error:
                forms.add_service_error(form, error)
            else:
                self.message_user(request, _("Saved: %(action)s.") % {"action": title}, messages.SUCCESS)
                return redirect(reverse("admin:members_member_change", args=[member.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": member,
            "title": f"{title}: {member}",
            "form": form,
            "buttons": [("_save", _("Save"))],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/members/lifecycle_form.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        member = self.get_object(request, unquote(object_id))
        links = []
        if member is not None and self.has_change_permission(request, member):
            links = [
                (action, title) for action, (_form, title, status) in self.LIFECYCLE.items() if member.status == status
            ]
        extra_context = {**(extra_context or {}), "lifecycle_links": links}
        return self._change_view_with_access_log(request, object_id, form_url, extra_context)

    def get_ordering(self, request):
        return [*vietnamese_order("given_name", "full_name"), "id"]

    def get_readonly_fields(self, request, obj=None):
        # Union and status change only through the lifecycle (join, transfer, leave).
        readonly = ["status", "masked_national_id_field"]
        if obj is not None:
            readonly += ["union", "joined_union_on"]
        return readonly

    def get_unqueryable_fields(self, request):
        # Those who see ID numbers masked cannot search, sort or filter on them, here or
        # through any admin that reaches members (apps.core.unqueryable).
        return () if can_query_national_id(request.user) else ("national_id",)

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        if term.isdigit() and self.may_query(request, "national_id"):
            return queryset.filter(national_id__startswith=term), False
        return super().get_search_results(request, queryset, search_term)

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if not self.may_query(request, "national_id"):
            changelist.search_help_text = _("Search by name (accents optional).")
        return changelist

    def get_historical_record_context_helper(self, request, historical_record):
        if can_see_full_national_id(request.user):
            return super().get_historical_record_context_helper(request, historical_record)
        return _MaskedNationalIdHistory(self.model, historical_record)

    @admin.display(description=_("national ID number (CCCD)"), ordering="national_id")
    def national_id_column(self, obj):
        return obj.masked_national_id

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if not change:
            personal = {name: data[name] for name in services.PERSONAL_FIELDS if name in data}
            created = services.member_enrol(
                union=data.get("union") or form.instance.union,
                group=data.get("group"),
                joined_on=data["joined_union_on"],
                actor=request.user,
                **personal,
            )
            # The admin goes on to save inlines and log the addition against this object.
            obj.pk = created.pk
            return
        personal = {name: data[name] for name in form.changed_data if name in services.PERSONAL_FIELDS}
        if personal:
            services.member_update(member=obj, actor=request.user, **personal)
        if "group" in form.changed_data:
            services.member_change_group(member=obj, group=form.cleaned_data["group"], on=timezone.localdate())


@admin.register(MembershipPeriod)
class MembershipPeriodAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    list_display = ["member", "union", "group", "started_on", "ended_on"]
    list_select_related = ["member", "union", "group"]
    search_fields = ["member__search_name"]
    folded_search_fields = ("member__search_name",)
    autocomplete_fields = ["member", "union", "group"]
    date_hierarchy = "started_on"


@admin.register(UnionOfficial)
class UnionOfficialAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "officials"
    list_display = ["member", "role", "union", "group", "started_on", "ended_on"]
    list_select_related = ["member", "union", "group"]
    list_filter = ["role"]
    search_fields = ["member__search_name"]
    folded_search_fields = ("member__search_name",)
    autocomplete_fields = ["member", "union", "group"]


@admin.register(TransferRequest)
class TransferRequestAdmin(ScopedHistoryAdmin):
    """Transfers between unions: both sides see them; the receiving side answers."""

    list_display = ["member", "from_union", "to_union", "effective_on", "status", "requested_at"]
    list_select_related = ["member", "from_union", "to_union"]
    list_filter = ["status"]
    search_fields = ["member__search_name"]
    folded_search_fields = ("member__search_name",)
    readonly_fields = [
        "member",
        "from_union",
        "to_union",
        "effective_on",
        "status",
        "note",
        "requested_by",
        "requested_at",
        "decided_by",
        "decided_at",
        "refusal_reason",
    ]
    fields = readonly_fields

    def has_add_permission(self, request):
        # Transfers start from the member's page ("Transfer to another grassroots union").
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        decide = path(
            "<path:object_id>/decide/",
            self.admin_site.admin_view(self.decide_view),
            name="members_transferrequest_decide",
        )
        return [decide, *super().get_urls()]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        transfer = self.get_object(request, unquote(object_id))
        decide_url = None
        if transfer is not None and transfer.status == TransferRequest.Status.PENDING:
            decide_url = reverse("admin:members_transferrequest_decide", args=[transfer.pk])
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "decide_url": decide_url})

    def decide_view(self, request, object_id):
        """Accept, refuse (receiving side) or cancel (sending side) a pending transfer."""
        transfer = self.get_object(request, unquote(object_id))
        if transfer is None or transfer.status != TransferRequest.Status.PENDING:
            raise Http404(_("Not found"))
        if not request.user.has_perm("members.change_member"):
            raise PermissionDenied
        form = forms.TransferDecisionForm(request.POST or None, transfer=transfer, user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if "_accept" in request.POST:
                    services.transfer_accept(transfer=transfer, actor=request.user, group=data["group"])
                elif "_refuse" in request.POST:
                    services.transfer_refuse(transfer=transfer, actor=request.user, reason=data["refusal_reason"])
                else:
                    services.transfer_cancel(transfer=transfer, actor=request.user)
            except ValidationError as error:
                forms.add_service_error(form, error)
            else:
                self.message_user(request, _("The transfer has been answered."), messages.SUCCESS)
                return redirect(reverse("admin:members_transferrequest_change", args=[transfer.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": transfer,
            "title": _("Answer the transfer of %(member)s") % {"member": transfer.member},
            "intro": _("From %(from)s to %(to)s, effective %(day)s.")
            % {"from": transfer.from_union, "to": transfer.to_union, "day": transfer.effective_on.strftime("%d/%m/%Y")},
            "form": form,
            "buttons": [("_accept", _("Accept")), ("_refuse", _("Refuse")), ("_cancel", _("Withdraw (sending side)"))],
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/members/lifecycle_form.html", context)
