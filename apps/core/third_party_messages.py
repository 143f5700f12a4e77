"""Messages of third-party apps (and of Django) the portal translates in its own catalogue.

Below: django-simple-history's and django-axes's, which ship no Vietnamese, and Django's admin
and auth messages its ``vi`` catalogue lacks or words unnaturally. Django merges the catalogue
in ``LOCALE_PATHS`` (``locale/vi/LC_MESSAGES/django.po``) with every app's and gives it
precedence, so translating a library's msgids there translates its templates and code too.

``makemessages`` only scans our own tree (``.venv`` is ignored), so without this module it would
find no use of these msgids and drop them from the catalogue with ``--no-obsolete``. Listing them
here, marked with ``gettext_noop`` (and ``ngettext`` for plurals, inside a function that is never
called), keeps them in ``django.po``. Nothing imports this module at run time.

The msgids must be spelled exactly as the library spells them, placeholders (``%(count)s``,
``%s``, ``{}``) and trailing spaces included; after upgrading a library, compare them with its
own catalogue (and its ``{% translate %}`` / ``_()`` calls), then refresh and translate ours.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext

DJANGO_MESSAGES = [
    # Django writes this one in English into a translated help text (AdminPasswordChangeForm);
    # apps.accounts.admin puts it back translated.
    gettext_noop("If disabled, the current password for this user will be lost."),
    gettext_noop("Breadcrumbs"),
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Set password"),
    gettext_noop("This action will <strong>enable</strong> password-based authentication for this user."),
    gettext_noop("Disable password-based authentication"),
    gettext_noop("Enable password-based authentication"),
    gettext_noop("Skip to main content"),
    gettext_noop("Hide counts"),
    gettext_noop("Show counts"),
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    gettext_noop("Added:"),
    gettext_noop("Changed:"),
    gettext_noop("Deleted:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Toggle navigation"),
    gettext_noop("Sidebar"),
    gettext_noop("Filter navigation items"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("In case you’ve forgotten, you are:"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("Add"),
    gettext_noop("Add %(name)s"),
    gettext_noop("Change"),
    gettext_noop("Change %s"),
    gettext_noop("Select %s to change"),
    gettext_noop("Select %s to view"),
    gettext_noop("History"),
    gettext_noop("Models in the %(name)s application"),
    gettext_noop("Save and continue editing"),
    gettext_noop("Save and view"),
    gettext_noop("Save as new"),
    gettext_noop("Go"),
    gettext_noop("Action:"),
    gettext_noop("Run the selected action"),
    gettext_noop("Filter"),
    gettext_noop("Clear all filters"),
    gettext_noop("Show all"),
    gettext_noop("Delete?"),
    gettext_noop(" By %(filter_title)s "),
    gettext_noop("Objects"),
    gettext_noop(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the following related items will be deleted:'  # noqa: E501
    ),
    gettext_noop(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following objects and their related items will be deleted:"  # noqa: E501
    ),
    gettext_noop("Yes, I’m sure"),
    gettext_noop("No, take me back"),
    gettext_noop("Delete multiple objects"),
    gettext_noop("Change my password"),
    gettext_noop("Password change"),
    gettext_noop("Your password was changed."),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Currently:"),
    gettext_noop("0 of %(cnt)s selected"),
    gettext_noop("Changed {fields}."),
    gettext_noop("Items must be selected in order to perform actions on them. No items have been changed."),
    gettext_noop("No action selected."),
    gettext_noop("%(name)s with ID “%(key)s” doesn’t exist. Perhaps it was deleted?"),
    gettext_noop("Select all %(total_count)s %(module_name)s"),
    gettext_noop("Click here to select the objects across all pages"),
    gettext_noop("Remove from sorting"),
    gettext_noop("Sorting priority: %(priority_number)s"),
    gettext_noop("Toggle sorting"),
    gettext_noop("Any date"),
    gettext_noop("Past 7 days"),
    gettext_noop("Empty"),
    gettext_noop("Not empty"),
    gettext_noop("Addition"),
    gettext_noop("Deletion"),
    gettext_noop("Recent actions"),
    gettext_noop("My actions"),
    gettext_noop("None available"),
    gettext_noop("Conflicting form data submitted. Please try again."),
    gettext_noop("Password-based authentication was disabled."),
    gettext_noop("Set password: %s"),
    gettext_noop("Reset password"),
    gettext_noop(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate using other backends, such as Single Sign-On or LDAP."  # noqa: E501
    ),
    gettext_noop("Password-based authentication"),
    gettext_noop("Enabled"),
    gettext_noop("Disabled"),
    gettext_noop("Raw passwords are not stored, so there is no way to see the user’s password."),
    gettext_noop("Enable password-based authentication for this user by setting a password."),
    gettext_noop(
        "Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z letters, numbers, and @/./+/-/_ characters."  # noqa: E501
    ),
    gettext_noop("salt"),
    gettext_noop("This field is required."),
]

# django-simple-history (3.13) ships no Vietnamese: its history pages and the type of change.
SIMPLE_HISTORY_MESSAGES = [
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("View history: %s"),
    gettext_noop("Revert %s"),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Deleted %(type_name)s"),
]

# django-axes (login lockouts; its admin is for superusers) ships no Vietnamese.
AXES_MESSAGES = [
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Access Attempt"),
    gettext_noop("Expires At"),
    gettext_noop("The time when access attempt expires and is no longer valid."),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Logout Time"),
    gettext_noop("Session key hash (sha256)"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("Locked Out"),
    gettext_noop("Clean up expired attempts"),
    gettext_noop("Not set"),
    gettext_noop("Attempt Remaining"),
]


def _plurals(count: int) -> None:  # pragma: no cover - never called; makemessages reads the calls below
    # Django's admin and auth (see DJANGO_MESSAGES)
    ngettext("Please correct the error below.", "Please correct the errors below.", count)
    ngettext("entry", "entries", count)
    ngettext("%(total_count)s selected", "All %(total_count)s selected", count)
    ngettext(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        count,
    )
