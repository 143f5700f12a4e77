"""Messages of third-party apps that ship no Vietnamese translation, kept in our own catalogue.

django-import-export (4.4) has no ``vi`` catalogue, so its admin pages (the "Import" and
"Export" buttons, "File to import", "Confirm import", the preview and the error lists) would
show in English on our Vietnamese admin. Django merges the catalogue in ``LOCALE_PATHS``
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
    gettext_noop("Import"),
    gettext_noop("Export"),
    gettext_noop("Export selected %(verbose_name_plural)s"),
    gettext_noop("Import finished: {} new, {} updated, {} deleted and {} skipped {}."),
    gettext_noop(
        "%(exc_name)s encountered while trying to read file. Ensure you have chosen the correct format for the file."
    ),
    gettext_noop("No valid data to import. Ensure your file has the correct headers or data for import."),
    # The library formats this one before looking it up, so it is only here to match its catalogue.
    gettext_noop("%s through import_export"),
    # forms.py
    gettext_noop("Resource"),
    gettext_noop("Format"),
    gettext_noop("File to import"),
    gettext_noop('Select at least 1 field for "%(resource_name)s" to export'),
    # formats/base_formats.py
    gettext_noop("export failed due to IllegalCharacterError"),
    # widgets.py
    gettext_noop("Value could not be parsed."),
    # templates/admin/import_export/*.html
    gettext_noop("Home"),
    gettext_noop("Submit"),
    gettext_noop("This exporter will export the following fields: "),
    gettext_noop("This importer will import the following fields: "),
    gettext_noop("Select all"),
    gettext_noop(
        "Below is a preview of data to be imported. If you are satisfied with the results, click 'Confirm import'"
    ),
    gettext_noop("Confirm import"),
    gettext_noop("Errors"),
    gettext_noop("Line number"),
    gettext_noop("Some rows failed to validate"),
    gettext_noop("Please correct these errors in your data where possible, then reupload it using the form above."),
    gettext_noop("Row"),
    gettext_noop("Non field specific"),
    gettext_noop("Preview"),
    gettext_noop("New"),
    gettext_noop("Skipped"),
    gettext_noop("Delete"),
    gettext_noop("Update"),
    # Errors meant for developers (misconfiguration); translated too, so the catalogue stays complete.
    gettext_noop("Form is not validated, call `is_valid` first"),
    gettext_noop(
        "The following fields are declared in 'import_id_fields' but are not present in the resource fields: %s"
    ),
    gettext_noop("The following fields are declared in 'import_id_fields' but are not present in the file headers: %s"),
    gettext_noop("call to force_str() on instance failed: %s"),
    gettext_noop("use_natural_foreign_keys and key_is_id cannot both be True"),
]


def _plurals(count: int) -> None:  # pragma: no cover - never called; makemessages reads the calls below
    # templates/admin/import_export/export.html ({% blocktranslate count len=... %})
    ngettext("Export %(len)s selected item.", "Export %(len)s selected items.", count)
