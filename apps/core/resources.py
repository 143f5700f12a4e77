"""Shared pieces of the admin's Excel/CSV exports (django-import-export), scoped to the user.

Every resource is built with the requesting ``user`` and exports only what that user may
see; every exported text goes through ``apps.core.spreadsheets.neutralise``, so no formula
reaches a spreadsheet. Imports do not come this way: they go through the import pages
(``apps.imports``) and the lists' own import services, reading files with ``apps.core.sheets``.
"""

from __future__ import annotations

import io

import tablib
from django.core.exceptions import PermissionDenied
from import_export import resources, widgets
from import_export.admin import ExportMixin
from import_export.formats import base_formats
from import_export.forms import SelectableFieldsExportForm
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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
        self.labels = dict(choices.choices)  # once, not once a row

    def render(self, value, obj=None, **kwargs):
        return str(self.labels.get(value, value or ""))


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


class StreamedXLSX(base_formats.XLSX):
    """The admin's Excel export written row by row (openpyxl's write-only mode).

    tablib builds a sheet of cell objects before saving: 100,000 members took 24 s and 500 MB
    more. The file is the same: the header in bold and kept in view, columns as wide as their
    text, values as the resource gave them (text already neutralised by the resource).
    """

    def export_data(self, dataset: tablib.Dataset, **kwargs) -> bytes:
        book = Workbook(write_only=True)
        sheet = book.create_sheet(title=(dataset.title or "Sheet1")[:31])
        headers = [str(header) for header in dataset.headers or []]
        widths = [len(header) for header in headers]
        for row in dataset:
            for index, value in enumerate(row[: len(widths)]):
                if value is not None and len(text := str(value)) > widths[index]:
                    widths[index] = len(text)
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, spreadsheets.MAX_COLUMN_WIDTH)
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header_cells = []
        for header in headers:
            cell = WriteOnlyCell(sheet, value=header)
            cell.font = bold
            header_cells.append(cell)
        sheet.append(header_cells)
        for row in dataset:
            sheet.append(row)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


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

    def get_export_formats(self):
        # The same formats offered, Excel written row by row.
        return [StreamedXLSX if fmt is base_formats.XLSX else fmt for fmt in super().get_export_formats()]

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # As ExportMixin's, which keeps dates and numbers native only for its own binary
        # format classes (compared by exact type): StreamedXLSX gets real dates too.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        spreadsheets.log_export(
            user=request.user,
            what=self.model._meta.label_lower,
            file_format=file_format.get_extension(),
            rows=len(data),
        )
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    export_form_class = ColumnNamesExportForm
