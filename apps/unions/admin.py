"""Admin for federations and their decisions, sectors, grassroots unions and their workforce declarations."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from apps.accounts.scoping import federation_subtree_q
from apps.core.admin import ReadOnlyAdminMixin, ScopedHistoryAdmin, ScopedModelAdmin, ScopedTabularInline
from apps.core.formatting import format_number
from apps.core.sheets import SheetError
from apps.core.spreadsheets import export_filename, xlsx_response
from apps.handover import package as handover
from apps.imports.admin_links import SheetLinksMixin
from apps.members import rosters
from apps.members.forms import add_service_error
from apps.members.services import dissolution_counts, unions_dissolve
from apps.union_groups.models import UnionGroup
from apps.unions.forms import DissolveForm, ReorganiseForm
from apps.unions.models import (
    Decision,
    DepartmentUnion,
    Federation,
    GrassrootsUnion,
    Sector,
    UnionAffiliation,
    WorkforceDeclaration,
)
from apps.unions.reorganisation import (
    mapping_read,
    mapping_template,
    reorganisation_preview,
    reorganisation_successors,
)
from apps.unions.services import federation_reorganise

# The relations that place something in a federation from now on: only a federation that has
# not ended is offered for them. Every other list (filters, history) shows ended ones too.
PLACED_IN_FEDERATION = {
    ("unions.grassrootsunion", "federation"),
    ("accounts.user", "federation"),
}


def placement_choices(field, *, keeping: int | None) -> None:
    """Narrow a form's federation ``field`` to the federations not ended today, and ``keeping``.

    ``keeping`` is the federation of the record being edited (None when adding): it stays a
    choice even if it has ended, so the record can still be corrected without being moved.
    """
    field.queryset = field.queryset.open_for_placement(on=timezone.localdate(), keeping=keeping)


class FederationExistenceFilter(admin.SimpleListFilter):
    """Still existing today, or ended: ended federations stay listed, for their history."""

    title = pgettext_lazy("federation filter", "existence")
    parameter_name = "ended"

    def lookups(self, request, model_admin):
        return [("no", _("still exists")), ("yes", _("no longer exists"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "no":
            return queryset.not_ended(on=today)
        if self.value() == "yes":
            return queryset.ended(on=today)
        return queryset


@admin.register(Federation)
class FederationAdmin(ScopedHistoryAdmin):
    list_display = [
        "code",
        "name_in_tree",
        "kind",
        "parent",
        "founded_on",
        "ended_on",
        "founding_decision",
        "ending_decision",
    ]
    list_display_links = ["code", "name_in_tree"]
    # Tree order: each federation followed by those it holds, their names indented by depth.
    ordering = ["tree_path"]
    list_select_related = ["parent", "founding_decision", "ending_decision"]
    list_filter = ["kind", FederationExistenceFilter]
    search_fields = ["code", "name"]
    # The parent is a plain list, not an autocomplete: it must leave out the federation being
    # edited and its whole subtree, which the autocomplete view (told no object) cannot know.
    autocomplete_fields = ["founding_decision", "ending_decision"]
    fieldsets = [
        (_("General information"), {"fields": ["code", "name", "kind", "parent", "address"]}),
        (_("Founding"), {"fields": ["founded_on", "founding_decision"]}),
        (_("Ending"), {"fields": ["ended_on", "ending_decision"]}),
    ]

    @admin.display(description=_("name"), ordering="tree_path")
    def name_in_tree(self, federation: Federation) -> str:
        return _indented_name(federation)

    def get_urls(self):
        return [
            self.object_page_url("handover.xlsx", self.handover_xlsx_view, "handover_xlsx"),
            self.object_page_url("handover/print/", self.handover_print_view, "handover_print"),
            self.object_page_url("reorganise/", self.reorganise_view, "reorganise"),
            self.object_page_url("reorganise/mapping.xlsx", self.reorganise_mapping_view, "reorganise_mapping"),
            *super().get_urls(),
        ]

    def handover_xlsx_view(self, request, object_id):
        """An ended federation's handover package as a workbook; not ended, a chair, or out of scope is 404."""
        federation = self.viewable_object_or_404(request, object_id)
        return handover.handover_download(request, handover.federation_handover(request.user, federation))

    def handover_print_view(self, request, object_id):
        """An ended federation's handover record (biên bản bàn giao) to print on A4."""
        federation = self.viewable_object_or_404(request, object_id)
        return handover.handover_page(
            request,
            handover.federation_handover(request.user, federation),
            back_url=reverse("admin:unions_federation_change", args=[federation.pk]),
            download_url=reverse("admin:unions_federation_handover_xlsx", args=[federation.pk]),
        )

    def _reorganised_or_404(self, request, object_id) -> tuple[Federation, list[GrassrootsUnion], models.QuerySet]:
        """The federation to end (changeable, not ended), its active CĐCS, and the successors the user may pick."""
        federation = self.viewable_object_or_404(request, object_id)
        if not self.has_change_permission(request, federation) or not request.user.has_perm(
            "unions.change_grassrootsunion"
        ):
            raise PermissionDenied
        if federation.ended_on is not None:
            raise Http404(gettext_now("Not found"))
        unions = list(
            GrassrootsUnion.objects.visible_to(request.user)
            .filter(federation=federation, status=GrassrootsUnion.Status.ACTIVE)
            .order_by("code")
        )
        return federation, unions, reorganisation_successors(request.user, federation)

    def reorganise_mapping_view(self, request, object_id):
        """The mapping sheet to fill in: the federation's CĐCS, a drop-down of the successors."""
        federation, unions, successors = self._reorganised_or_404(request, object_id)
        filename = export_filename("Chuyen CDCS", code=federation.code, on=timezone.localdate())
        return xlsx_response(mapping_template(unions, successors), filename=filename)

    def reorganise_view(self, request, object_id):
        """End a superior union and send its CĐCS to their successors: choose, check, then do it all or nothing."""
        federation, unions, successors = self._reorganised_or_404(request, object_id)
        posted = request.method == "POST"
        form = ReorganiseForm(
            request.POST if posted else None,
            request.FILES if posted else None,
            user=request.user,
            unions=unions,
            successors=successors,
        )
        problems, preview = [], None
        if posted and form.is_valid():
            if form.cleaned_data["mapping"] is not None:
                form, problems = self._with_mapping(request, form, unions, successors)
            chosen = form.successors_chosen() if form.is_valid() else {}
            if not problems and form.is_valid():
                unmapped = [union for union in unions if union not in chosen]
                for union in unmapped:
                    form.add_error(form.union_field(union), gettext_now("Choose where this CĐCS goes."))
                if not unmapped:
                    confirmed = "confirm" in request.POST
                    try:
                        # "Check" runs the whole operation and undoes it: what it would refuse, it says now.
                        with transaction.atomic():
                            counts = federation_reorganise(
                                federation=federation,
                                on=form.cleaned_data["on"],
                                decision=form.cleaned_data["decision"],
                                successors=chosen,
                                accounts_to=form.cleaned_data["accounts_to"],
                                by=request.user,
                            )
                            if not confirmed:
                                transaction.set_rollback(True)
                    except ValidationError as error:
                        add_service_error(form, error)
                    else:
                        if confirmed:
                            self.message_user(request, self._reorganised_message(federation, counts), messages.SUCCESS)
                            return HttpResponseRedirect(reverse("admin:unions_federation_change", args=[federation.pk]))
                        preview = reorganisation_preview(chosen)
        context = {
            **self.admin_site.each_context(request),
            "title": gettext_now("Reorganise: end “%(name)s” and move its CĐCS") % {"name": federation.name},
            "opts": self.opts,
            "federation": federation,
            "form": form,
            "problems": problems,
            "preview": preview,
            "successors_exist": successors.exists(),
        }
        return TemplateResponse(request, "admin/unions/federation/reorganise.html", context)

    @staticmethod
    def _with_mapping(request, form, unions, successors):
        """The form again with each CĐCS's choice read from the uploaded sheet, and the sheet's problems."""
        upload = form.cleaned_data["mapping"]
        try:
            mapping = mapping_read(upload, filename=upload.name, unions=unions, successors=successors)
        except SheetError as refusal:
            form.add_error("mapping", refusal.message)
            return form, []
        if mapping.problems:
            return form, mapping.problems
        data = request.POST.copy()
        for union in unions:
            if union.pk in mapping.successors:
                data[form.union_field(union)] = str(mapping.successors[union.pk].pk)
        refilled = ReorganiseForm(data, user=request.user, unions=unions, successors=successors)
        refilled.is_valid()
        return refilled, []

    @staticmethod
    def _reorganised_message(federation, counts) -> str:
        return ngettext(
            "“%(name)s” ends on %(date)s: %(unions)s CĐCS moved to %(successors)s superior union.",
            "“%(name)s” ends on %(date)s: %(unions)s CĐCS moved to %(successors)s superior unions.",
            counts.successors,
        ) % {
            "name": federation.name,
            "date": f"{counts.on:%d/%m/%Y}",
            "unions": format_number(counts.unions),
            "successors": format_number(counts.successors),
        }

    def autocomplete_choices(self, request, queryset, source_field):
        """A federation to place something in from now on is one that has not ended (PLACED_IN_FEDERATION)."""
        if (source_field.model._meta.label_lower, source_field.name) in PLACED_IN_FEDERATION:
            return queryset.not_ended(on=timezone.localdate())
        return queryset

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "parent" in form.base_fields:
            field = form.base_fields["parent"]
            placement_choices(field, keeping=obj.parent_id if obj is not None else None)
            if obj is not None:
                # Under itself or under one it holds would close a loop (Federation.clean says so too).
                field.queryset = field.queryset.exclude(federation_subtree_q(obj, ""))
            # In tree order, each name indented by its depth: the list reads as the hierarchy.
            field.queryset = field.queryset.order_by("tree_path")
            field.label_from_instance = _indented_name
        return form


def _indented_name(federation: Federation) -> str:
    """The name after a "└" indented by depth, with no-break spaces: a narrow column wraps the name, not them."""
    if federation.depth <= 1:
        return federation.name
    return "\u00a0" * 4 * (federation.depth - 2) + "└\u00a0" + federation.name


@admin.register(Decision)
class DecisionAdmin(ScopedModelAdmin):
    """The decisions that found and end federations; district staff record them."""

    list_display = ["number", "signed_on", "issuer"]
    list_display_links = ["number"]
    search_fields = ["number", "issuer"]
    date_hierarchy = "signed_on"


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_enterprise", "sort_order"]
    search_fields = ["name", "code"]


class UnionAffiliationInline(ReadOnlyAdminMixin, ScopedTabularInline):
    """The superiors the CĐCS has had, from when until when and by which decision (written by unions_move)."""

    model = UnionAffiliation
    fields = readonly_fields = ["started_on", "ended_on", "federation", "decision"]
    ordering = ["started_on"]
    show_change_link = False


class WorkforceDeclarationInline(ScopedTabularInline):
    model = WorkforceDeclaration
    fields = ["as_of", "total_workers", "female_workers", "note"]
    show_change_link = False


class DepartmentUnionInline(ScopedTabularInline):
    model = DepartmentUnion
    fields = ["name", "established_on", "dissolved_on"]


class UnionGroupInline(ReadOnlyAdminMixin, ScopedTabularInline):
    """The union's groups listed with a link to each; a group is added and edited on its own page.

    Editable here, a CĐCS with 48 groups rendered 48 rows of form widgets: 280 ms a page
    at city scale, for a list people mostly read (docs/PERFORMANCE.md).
    """

    model = UnionGroup
    fields = readonly_fields = ["name", "department_union", "established_on", "dissolved_on"]
    show_change_link = True
    template = "admin/unions/grassrootsunion/groups_inline.html"


@admin.register(GrassrootsUnion)
class GrassrootsUnionAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "unions"
    """The CĐCS admin, without figures: apps.dashboard.admin adds them (unions never import the dashboard)."""

    list_display = ["code", "name", "sector", "status"]
    list_display_links = ["code", "name"]
    list_filter = ["sector", "kind", "status", "federation"]
    list_select_related = ["sector"]
    search_fields = ["search_text"]
    folded_search_fields = ("search_text",)
    search_help_text = _("Search by code, name or employer; accents are optional.")
    autocomplete_fields = ["federation", "dissolution_decision"]
    inlines = [UnionAffiliationInline, WorkforceDeclarationInline, DepartmentUnionInline, UnionGroupInline]
    actions = ["dissolve_selected"]
    fieldsets = [
        (None, {"fields": ["federation", "sector", "kind", "code", "name", "employer_name"]}),
        (_("Contact"), {"fields": ["address", "phone"]}),
        (_("Status"), {"fields": ["status", "established_on", "dissolved_on", "dissolution_decision"]}),
    ]

    def get_urls(self):
        # Here, on the base, so the registered extension (apps.dashboard.admin) has it too.
        return [
            self.object_page_url("members.xlsx", self.members_xlsx_view, "members_xlsx"),
            self.object_page_url("members/print/", self.members_print_view, "members_print"),
            self.object_page_url("cards/print/", self.cards_print_view, "cards_print"),
            self.object_page_url("handover.xlsx", self.handover_xlsx_view, "handover_xlsx"),
            self.object_page_url("handover/print/", self.handover_print_view, "handover_print"),
            *super().get_urls(),
        ]

    def members_xlsx_view(self, request, object_id):
        """The union's members active today as a sheet ("Xuất danh sách đoàn viên"); out of scope is 404."""
        union = self.viewable_object_or_404(request, object_id)
        return rosters.roster_download(request, union=union)

    def members_print_view(self, request, object_id):
        """The union's members active today as an A4 page to print and sign ("In danh sách"); out of scope is 404."""
        union = self.viewable_object_or_404(request, object_id)
        return rosters.roster_page(request, union=union, back_url=self._change_page(union))

    def cards_print_view(self, request, object_id):
        """The union's member cards as A4 sheets to print ("In thẻ đoàn viên"); out of scope is 404."""
        union = self.viewable_object_or_404(request, object_id)
        return rosters.cards_page(request, union=union, back_url=self._change_page(union))

    def handover_xlsx_view(self, request, object_id):
        """A dissolved union's handover package as a workbook; not dissolved, a chair, or out of scope is 404."""
        union = self.viewable_object_or_404(request, object_id)
        return handover.handover_download(request, handover.union_handover(request.user, union))

    def handover_print_view(self, request, object_id):
        """A dissolved union's handover record (biên bản bàn giao) to print on A4."""
        union = self.viewable_object_or_404(request, object_id)
        return handover.handover_page(
            request,
            handover.union_handover(request.user, union),
            back_url=self._change_page(union),
            download_url=reverse("admin:unions_grassrootsunion_handover_xlsx", args=[union.pk]),
        )

    @staticmethod
    def _change_page(union) -> str:
        return reverse("admin:unions_grassrootsunion_change", args=[union.pk])

    def has_dissolve_permission(self, request) -> bool:
        # Dissolving ends every membership of the union: as weighty as deleting it, so only those
        # who may delete CĐCS (district staff, administrators) may; a chair, who may change their
        # own union's profile, may not.
        return request.user.has_perm("unions.delete_grassrootsunion")

    @admin.action(description=_("Dissolve the selected grassroots unions"), permissions=["dissolve"])
    def dissolve_selected(self, request, queryset):
        """Ask for the date and decision, show what each CĐCS will close, then dissolve them all or none."""
        # ``queryset`` is the user's list (scoped, filtered) narrowed to the posted ids: an id outside
        # it is ignored, as by every action, and the confirmation posts back only those it showed.
        unions = list(GrassrootsUnion.objects.filter(pk__in=queryset.values("pk")).order_by("code"))
        form = DissolveForm(request.POST if "confirm" in request.POST else None, user=request.user)
        if form.is_valid():
            try:
                counts = unions_dissolve(
                    unions, on=form.cleaned_data["on"], decision=form.cleaned_data["decision"], actor=request.user
                )
            except ValidationError as error:
                add_service_error(form, error)
            else:
                self.message_user(request, self._dissolved_message(counts), messages.SUCCESS)
                return None
        counts = dissolution_counts([union.pk for union in unions])
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext_now("Dissolve grassroots unions"),
            "form": form,
            "rows": [(union, counts[union.pk]) for union in unions],
            "already_dissolved": [union for union in unions if union.status == GrassrootsUnion.Status.DISSOLVED],
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/unions/grassrootsunion/dissolve_confirmation.html", context)

    @staticmethod
    def _dissolved_message(counts) -> str:
        closed = list(counts.values())
        numbers = {
            "unions": format_number(len(closed)),
            "members": format_number(sum(c.members for c in closed)),
            "groups": format_number(sum(c.groups for c in closed)),
            "officials": format_number(sum(c.officials for c in closed)),
        }
        return (
            ngettext(
                "Dissolved %(unions)s grassroots union: %(members)s members left, %(groups)s union groups closed, "
                "%(officials)s officials' terms ended.",
                "Dissolved %(unions)s grassroots unions: %(members)s members left, %(groups)s union groups closed, "
                "%(officials)s officials' terms ended.",
                len(closed),
            )
            % numbers
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "federation" in form.base_fields:  # not asked of a chair (read-only for them)
            placement_choices(form.base_fields["federation"], keeping=obj.federation_id if obj is not None else None)
        return form

    def get_readonly_fields(self, request, obj=None):
        # A chair keeps the profile current; where the union sits is the federation's call.
        if getattr(request.user, "is_union_chair", False):
            return [
                "federation",
                "sector",
                "kind",
                "code",
                "status",
                "established_on",
                "dissolved_on",
                "dissolution_decision",
            ]
        # A CĐCS changes superior on a date, by a decision (apps.unions.services.unions_move): an edit
        # here would move its whole past with it.
        return ["federation"] if obj is not None else []


@admin.register(DepartmentUnion)
class DepartmentUnionAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "department-unions"
    list_display = ["name", "union", "established_on", "dissolved_on"]
    list_select_related = ["union"]
    search_fields = ["search_name", "union__search_text"]
    folded_search_fields = ("search_name", "union__search_text")
    autocomplete_fields = ["union"]


@admin.register(WorkforceDeclaration)
class WorkforceDeclarationAdmin(SheetLinksMixin, ScopedHistoryAdmin):
    sheet_kind = "workforce"
    list_display = ["union", "as_of", "total_workers", "female_workers"]
    list_select_related = ["union"]
    list_filter = ["union__sector"]
    date_hierarchy = "as_of"
    search_fields = ["union__search_text"]
    folded_search_fields = ("union__search_text",)
    autocomplete_fields = ["union"]
