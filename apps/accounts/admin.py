"""Admin for portal accounts: district staff create, reset and deactivate chair accounts."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

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
