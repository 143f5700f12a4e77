"""Shared pieces of Excel/CSV import and export (django-import-export), scoped to the user.

Every resource is built with the requesting ``user``; lookups of existing rows and of
related objects go through ``visible_to(user)``, so a row naming another union's
object is an error on that row, never a silent overwrite.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import gettext as _
from import_export import resources, widgets

from apps.core.admin import scoped
from apps.core.history import recorded_as


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
