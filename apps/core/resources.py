"""Shared pieces of the admin's Excel/CSV exports (django-import-export), scoped to the user.

Every resource is built with the requesting ``user`` and exports only what that user may
see; every exported text goes through ``apps.core.spreadsheets.neutralise``, so no formula
reaches a spreadsheet. Imports do not come this way: they go through the import pages
(``apps.imports``) and the lists' own import services, reading files with ``apps.core.sheets``.
"""

from __future__ import annotations

from import_export import resources, widgets
from import_export.admin import ExportMixin
from import_export.forms import SelectableFieldsExportForm

from apps.core import spreadsheets
from apps.core.admin import scoped

# Widgets that render a value the portal computed (a number, a date), never text someone typed.
TYPED_WIDGETS = (
    widgets.NumberWidget,
    widgets.BooleanWidget,
    widgets.DateWidget,
    widgets.DateTimeWidget,
    widgets.TimeWidget,
    widgets.DurationWidget,
)


class DayFirstDateWidget(widgets.DateWidget):
    """Dates as Vietnamese sheets write them: dd/mm/yyyy."""

    def __init__(self):
        super().__init__(format="%d/%m/%Y")


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its label ("Nữ"), not its code."""

    def __init__(self, choices):
        super().__init__()
        self.choices = choices

    def render(self, value, obj=None, **kwargs):
        return str(dict(self.choices.choices).get(value, value or ""))


class ScopedModelResource(resources.ModelResource):
    """A resource that knows who exports and holds only what they may see."""

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_queryset(self):
        return scoped(super().get_queryset(), self.user)

    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        if isinstance(field.widget, TYPED_WIDGETS) and not self._has_dehydrate_method(field):
            # A number rendered for CSV ("-5") is still a number, not text that could hold a formula.
            return value
        return spreadsheets.neutralise(value)

    def _has_dehydrate_method(self, field) -> bool:
        method = field.get_dehydrate_method(self.get_field_name(field))
        return callable(method) or hasattr(self, method)


class ColumnNamesExportForm(SelectableFieldsExportForm):
    """The export page's column choices named as the file names them ("Họ và tên").

    django-import-export labels each "Full Name (Họ và tên)": the attribute's English
    name before the column's. Checked against django-import-export 4.4 (``_get_field_label``).
    """

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return field.column_name if field is not None and field.column_name else field_name


class ScopedExportMixin(ExportMixin):
    """django-import-export's export in the admin, with scoped resources; no import view.

    Lists are imported through the import pages (upload, preview of every row, confirm),
    never through the admin.
    """

    export_form_class = ColumnNamesExportForm
