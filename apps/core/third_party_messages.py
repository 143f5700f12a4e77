"""Messages of third-party apps that ship no Vietnamese translation, kept in our own catalogue.

django-import-export (4.4) has no ``vi`` catalogue, so its admin export page (the "Export"
button, the format and field choices) would show in English on our Vietnamese admin. The
portal imports through its own pages (apps.imports), so the library's import strings are not
listed. Django merges the catalogue in ``LOCALE_PATHS``
(``locale/vi/LC_MESSAGES/django.po``) with every app's and gives it precedence, so translating
the library's msgids there translates its templates and Python code too.

``makemessages`` only scans our own tree (``.venv`` is ignored), so without this module it would
find no use of these msgids and drop them from the catalogue with ``--no-obsolete``. Listing them
here, marked with ``gettext_noop`` (and ``ngettext`` for plurals, inside a function that is never
called), keeps them in ``django.po``. Nothing imports this module at run time.

The msgids must be spelled exactly as the library spells them, placeholders (``%(count)s``,
``%s``, ``{}``) and trailing spaces included; after upgrading django-import-export compare them
with its ``locale/fr/LC_MESSAGES/django.po`` (and its ``{% translate %}`` / ``_()`` calls), then
refresh and translate the catalogue. The library uses no ``pgettext`` context in 4.4.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext

IMPORT_EXPORT_MESSAGES = [
    # admin.py
    gettext_noop("Export"),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    # forms.py
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    # formats/base_formats.py
    gettext_noop("export failed due to IllegalCharacterError"),
    # templates/admin/import_export/*.html
    gettext_noop("Home"),
    gettext_noop("Submit"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("Select all"),
    # Errors meant for developers (misconfiguration); translated too, so the catalogue stays complete.
    gettext_noop("Form is not validated, call `is_valid` first"),
    gettext_noop("call to force_str() on instance failed: %s"),
    gettext_noop("use_natural_foreign_keys and key_is_id cannot both be True"),
]


def _plurals(count: int) -> None:  # pragma: no cover - never called; makemessages reads the calls below
    # templates/admin/import_export/export.html ({% blocktranslate count len=... %})
    ngettext("Export %(len)s selected item.", "Export %(len)s selected items.", count)
