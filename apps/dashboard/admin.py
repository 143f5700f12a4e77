"""The CĐCS admin with each union's figures and charter checks, which are the dashboard's.

The unions app owns the CĐCS admin (apps.unions.admin.GrassrootsUnionAdmin) but must not
import the dashboard: the dashboard depends on unions, never the other way round
(import-linter contracts in pyproject.toml). So the dashboard, whose figures these are,
extends that admin here and registers the extension in its place. ``autodiscover``
imports app admin modules in INSTALLED_APPS order (unions before dashboard), and the
import below makes the order explicit. The list's columns, its "needs attention" filter,
the change page's charter warnings and their query counts are those the CĐCS admin
always had.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from apps.core.formatting import format_number, format_ratio
from apps.dashboard.checks import ATTENTION_CHECKS, attention_label
from apps.dashboard.selectors import union_warnings, unions_needing_attention
from apps.dashboard.union_figures import with_figures
from apps.unions.admin import GrassrootsUnionAdmin
from apps.unions.models import GrassrootsUnion


class NeedsAttentionFilter(admin.SimpleListFilter):
    """Unions failing one of the charter checks (apps.dashboard.checks.ATTENTION_CHECKS)."""

    title = _("needs attention")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [(code, attention_label(code)) for code in ATTENTION_CHECKS]

    def queryset(self, request, queryset):
        if self.value() in ATTENTION_CHECKS:
            return unions_needing_attention(queryset, self.value(), timezone.localdate())
        return queryset


class GrassrootsUnionWithFiguresAdmin(GrassrootsUnionAdmin):
    """The CĐCS admin with today's members, workers, ratio and groups of each union, and its charter checks."""

    list_display = [
        "code",
        "name",
        "sector",
        "members_column",
        "workers_column",
        "ratio_column",
        "groups_column",
        "status",
    ]
    list_filter = [NeedsAttentionFilter, *GrassrootsUnionAdmin.list_filter]

    def get_queryset(self, request):
        return with_figures(super().get_queryset(request), timezone.localdate())

    def change_view(self, request, object_id, form_url="", extra_context=None):
        union = self.get_object(request, unquote(object_id))
        if request.method == "GET" and union is not None:
            for warning in union_warnings(union, timezone.localdate(), user=request.user):
                self.message_user(request, _("Charter check: %(problem)s.") % {"problem": warning}, messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("members"), ordering="member_count")
    def members_column(self, obj):
        url = reverse("admin:members_member_changelist") + f"?union__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, format_number(obj.member_count))

    @admin.display(description=_("workers"), ordering="workers")
    def workers_column(self, obj):
        return format_number(obj.workers)

    @admin.display(description=_("members / workers"))
    def ratio_column(self, obj):
        return format_ratio(obj.member_count, obj.workers)

    @admin.display(description=_("groups"), ordering="group_count")
    def groups_column(self, obj):
        return format_number(obj.group_count)


admin.site.unregister(GrassrootsUnion)
admin.site.register(GrassrootsUnion, GrassrootsUnionWithFiguresAdmin)
