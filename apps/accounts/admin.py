"""Admin for portal accounts: district staff create, reset and deactivate chair accounts."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts import two_factor
from apps.accounts.models import PersonalDataAccess, User
from apps.core.admin import ReadOnlyAdminMixin, ScopedAdminMixin, ScopedModelAdmin


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django's, with the warning under "password-based authentication" translated.

    Django 5.2 appends that warning to the translated help text as English written in the
    code; here it is the same markup around a translated sentence.
    """

    usable_password_help_text = format_lazy(
        '{}<ul id="id_unusable_warning" class="messagelist"><li class="warning">{}</li></ul>',
        SetUnusablePasswordMixin.usable_password_help_text,
        _("If disabled, the current password for this user will be lost."),
    )


@admin.register(User)
class UserAdmin(ScopedAdminMixin, DjangoUserAdmin):
    change_password_form = PasswordChangeForm
    list_display = ["username", "last_name", "first_name", "role", "federation", "union", "is_active", "last_login"]
    list_select_related = ["federation", "union"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    autocomplete_fields = ["federation", "union"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["last_name", "first_name", "email"]}),
        (_("Role"), {"fields": ["role", "federation", "union", "is_active"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["username", "password1", "password2"]}),
        (_("Role"), {"fields": ["role", "federation", "union"]}),
    ]
    readonly_fields = ["last_login", "date_joined"]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset two-step sign-in"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        """A lost phone: the account's authenticator and recovery codes go; it sets them up again at its next page."""
        done, refused = [], []
        # The queryset is the changelist's, scoped (ScopedAdminMixin): no account out of scope is reached.
        for target in queryset:
            if two_factor.may_reset(request.user, target):
                two_factor.reset(target=target, actor=request.user)
                self.log_change(request, target, [{"changed": {"fields": [str(_("Two-step sign-in"))]}}])
                done.append(target.get_username())
            else:
                refused.append(target.get_username())
        if done:
            self.message_user(
                request, _("Two-step sign-in reset for: %(names)s.") % {"names": ", ".join(done)}, messages.SUCCESS
            )
        if refused:
            self.message_user(
                request,
                _("Not reset (only a superuser resets district staff and superusers): %(names)s.")
                % {"names": ", ".join(refused)},
                messages.WARNING,
            )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "federation" in form.base_fields:
            # No account is attached to a federation that has ended; one already there keeps it.
            field = form.base_fields["federation"]
            keeping = obj.federation_id if obj is not None else None
            field.queryset = field.queryset.open_for_placement(on=timezone.localdate(), keeping=keeping)
        return form

    def save_model(self, request, obj, form, change):
        # Every portal account works in the admin; superusers are made on the command line only.
        obj.is_staff = True
        super().save_model(request, obj, form, change)


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(ReadOnlyAdminMixin, ScopedModelAdmin):
    """Read-only log of who saw or exported full ID numbers."""

    list_display = ["at", "user", "action", "model", "record_count", "path"]
    list_select_related = ["user"]
    list_filter = ["action", "model"]
    date_hierarchy = "at"
    search_fields = ["user__username", "user__last_name"]


# Permissions come from the role alone (apps.accounts.backends): a group's permissions
# would grant nothing, so the page to edit them would only mislead.
admin.site.unregister(Group)

# django-otp registers its device models in the admin; here devices are set up by their owner
# (apps/accounts/views.py) and removed by the reset action above, never edited as records, and
# every admin model must be scoped (check core.E001).
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
