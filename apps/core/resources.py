"""Shared pieces of Excel/CSV import and export (django-import-export), scoped to the user.

Every resource is built with the requesting ``user``; lookups of existing rows and of
related objects go through ``visible_to(user)``, so a row naming another union's
object is an error on that row, never a silent overwrite.

Every exported text goes through ``apps.core.spreadsheets.neutralise`` (no formula reaches a
spreadsheet), every uploaded .xlsx is checked by ``check_xlsx_archive`` before it is stored
or parsed, and an error the import did not foresee is shown as a plain Vietnamese sentence
while its traceback and the database's wording go to the "unionportal.imports" log.
"""

from __future__ import annotations

import logging
from datetime import date, datetime

from defusedxml import DefusedXmlException
from django.utils.translation import gettext as _
from import_export import resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from import_export.results import Error

from apps.core import spreadsheets
from apps.core.admin import scoped
from apps.core.history import recorded_as

logger = logging.getLogger("unionportal.imports")

# Widgets that render a value the portal computed (a number, a date), never text someone typed.
TYPED_WIDGETS = (
    widgets.NumberWidget,
    widgets.BooleanWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.DurationWidget,
)


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Looks the related object up among those the importing user may see."""

    def __init__(self, model, field: str, *, label: str, **kwargs):
        super().__init__(model, field=field, **kwargs)
        self.label = label

    def get_queryset(self, value, row, *args, **kwargs):
        return scoped(self.model._default_manager.all(), kwargs.get("user"))

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            # "Not found" and "not yours" read the same, as everywhere else.
            raise ValueError(
                _("%(label)s “%(value)s” does not exist or is outside your scope.")
                % {"label": self.label, "value": value}
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                _("%(label)s “%(value)s” matches several records; ask district staff.")
                % {"label": self.label, "value": value}
            ) from None


class DayFirstDateWidget(widgets.DateWidget):
    """Dates as Vietnamese sheets write them (dd/mm/yyyy), also accepting real Excel dates."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if value in (None, ""):
            return None
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                return datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        raise ValueError(_("“%(value)s” is not a date in the form dd/mm/yyyy.") % {"value": value})


class ChoiceLabelWidget(widgets.Widget):
    """Reads a choice by its code or by its label in Vietnamese or English ("Nữ", "female")."""

    def __init__(self, choices, *, label: str, aliases: dict[str, str] | None = None):
        super().__init__()
        self.choices = choices
        self.label = label
        self.aliases = {key.lower(): code for key, code in (aliases or {}).items()}

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip()
        if not text:
            return ""
        lowered = text.lower()
        for code, name in self.choices.choices:
            if lowered in {str(code).lower(), str(name).lower()}:
                return code
        if lowered in self.aliases:
            return self.aliases[lowered]
        allowed = ", ".join(str(name) for _code, name in self.choices.choices)
        raise ValueError(
            _("%(label)s “%(value)s” is not one of: %(allowed)s.")
            % {"label": self.label, "value": text, "allowed": allowed}
        )

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


class ScopedModelResource(resources.ModelResource):
    """A resource that knows who imports or exports and keeps every lookup in their scope."""

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_queryset(self):
        return scoped(super().get_queryset(), self.user)

    def import_data(self, dataset, **kwargs):
        # One bad row stops the whole sheet: nothing is half-imported.
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        source = kwargs.get("file_name") or _("a sheet")
        with recorded_as(_("Imported from %(source)s") % {"source": source}, user=self.user):
            return super().import_data(dataset, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # Widgets look related objects up in the importing user's scope.
        kwargs["user"] = self.user
        return super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def before_import(self, dataset, **kwargs):
        # Said in Vietnamese here; the library's own check says it in English, after this one.
        missing = [
            self.fields[name].column_name
            for name in self.get_import_id_fields()
            if self.fields[name].column_name not in (dataset.headers or [])
        ]
        if missing:
            raise ImportRefused(
                _("The sheet has no column “%(columns)s”; use the column names of the template.")
                % {"columns": "”, “".join(missing)}
            )
        super().before_import(dataset, **kwargs)

    def get_error_result_class(self):
        return ImportProblem

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, TYPED_WIDGETS) and not self._has_dehydrate_method(field):
            # A number rendered for CSV ("-5") is still a number, not text that could hold a formula.
            return value
        return spreadsheets.neutralise(value)

    def _has_dehydrate_method(self, field) -> bool:
        method = field.get_dehydrate_method(self.get_field_name(field))
        return callable(method) or hasattr(self, method)


class ImportRefused(ValueError):
    """A problem with the whole sheet whose message is written for the person importing it."""


class RowNotSaved(Exception):
    """What the import page says instead of an unforeseen error (a database refusal, a bug)."""


class ImportProblem(Error):
    """An import error as the page shows it: a Vietnamese sentence, no traceback, no database text."""

    # The library's template prints this under every sheet-level error; the log keeps the real one.
    traceback = ""

    def __init__(self, error, row=None, number=None):
        if isinstance(error, ImportRefused):
            logger.warning("Import refused: %s", error)
            shown = error
        else:
            where = f"row {number}" if number is not None else "the sheet"
            # Row values stay out of the log: they hold personal data.
            logger.error("Import failed at %s: %s: %s", where, type(error).__name__, error, exc_info=error)
            if number is not None:
                shown = RowNotSaved(
                    _(
                        "This row could not be saved because its data is not valid (a required cell may be "
                        "empty, or it clashes with data already in the portal). Check the row and try again."
                    )
                )
            else:
                shown = RowNotSaved(
                    _(
                        "The sheet could not be imported; nothing was saved. Check the file; if the problem "
                        "persists, tell the portal's administrator."
                    )
                )
            shown.__cause__ = error
        super().__init__(shown, row=row, number=number)


class CheckedXLSX(base_formats.XLSX):
    """Excel import that checks the archive before openpyxl unpacks anything."""

    def create_dataset(self, in_stream):
        spreadsheets.check_xlsx_archive(in_stream)
        try:
            return super().create_dataset(in_stream)
        except ValueError as error:
            # openpyxl wraps what defusedxml refuses (an entity bomb, an external entity) in a ValueError.
            if not any(isinstance(cause, DefusedXmlException) for cause in _causes(error)):
                raise
            logger.warning("Excel import refused by defusedxml: %r", error.__cause__)
            raise spreadsheets.SpreadsheetRefused(
                _("This Excel file contains XML constructs that are not allowed; it was not opened.")
            ) from error


def _causes(error: BaseException | None):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__


# Imports read what units send in: Excel sheets, or CSV. Every format that is a zip archive
# must be checked like CheckedXLSX, so the list is written out rather than taken from the library.
IMPORT_FORMATS = [base_formats.CSV, CheckedXLSX]


class CheckedImportForm(ImportForm):
    """The import form; an .xlsx is checked as an archive before it is stored or parsed."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.format_classes = formats

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        chosen = cleaned.get("format")
        if upload is None or chosen in (None, ""):
            return cleaned
        format_class = self.format_classes[int(chosen)]
        if issubclass(format_class, base_formats.XLSX) or upload.name.lower().endswith((".xlsx", ".xlsm")):
            try:
                spreadsheets.check_xlsx_archive(upload)
            except spreadsheets.SpreadsheetRefused as refusal:
                logger.warning("Excel upload %r refused: %s", upload.name, refusal.message)
                self.add_error("import_file", refusal.message)
        return cleaned


class ScopedImportExportMixin(ImportExportMixin):
    """django-import-export in the admin with the portal's guards on what is read and what is shown."""

    import_formats = IMPORT_FORMATS
    import_form_class = CheckedImportForm
    # Each row error shows its message only (ImportProblem keeps that free of database text);
    # "row" would repeat the row's values, "traceback" would show server paths.
    import_error_display = ("message",)

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, spreadsheets.SpreadsheetRefused):
            form.add_error("import_file", e.message)
            return
        # The library would name the exception's class; the person importing needs what to do.
        logger.warning("Import file could not be read: %s: %s", type(e).__name__, e, exc_info=e)
        form.add_error(
            "import_file",
            _(
                "This file could not be read. Check that the format chosen matches the file (Excel .xlsx, "
                "or CSV saved as UTF-8) and that the file opens in Excel."
            ),
        )
