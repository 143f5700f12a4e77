"""Optimistic locking for admin change forms: the second of two simultaneous edits is refused.

Why: Django's admin saves whatever the form posts, so of two people editing one record
at once the later save silently overwrites the earlier. The form carries the record's
``updated_at`` as loaded and compares it, under a row lock, on save. Checked against
Django 5.2 (``ModelAdmin.get_form``/``get_fieldsets``; the admin saves inside a transaction).
"""

from __future__ import annotations

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext as _

VERSION_FIELD = "loaded_version"


def _version_token(value) -> str:
    return value.isoformat() if value else ""


def _versioned_form(base: type[forms.ModelForm]) -> type[forms.ModelForm]:
    """``base`` with a hidden copy of the record's ``updated_at`` that must still match on save."""

    class VersionedForm(base):
        loaded_version = forms.CharField(widget=forms.HiddenInput, required=False)

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields[VERSION_FIELD].initial = _version_token(self.instance.updated_at)

        def clean(self):
            cleaned = super().clean()
            current = (
                type(self.instance)
                ._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("updated_at", flat=True)
                .first()
            )
            if _version_token(current) != (self.data.get(self.add_prefix(VERSION_FIELD)) or ""):
                raise forms.ValidationError(
                    _(
                        "Someone else changed this record at %(time)s, after you opened it. "
                        "Your changes were not saved: open the record again and re-enter them."
                    )
                    % {"time": formats.date_format(timezone.localtime(current), "SHORT_DATETIME_FORMAT")},
                    code="stale",
                )
            return cleaned

    return VersionedForm


class NoLostUpdateMixin:
    """Refuses to save a record someone else changed since the form was opened.

    The form carries the record's ``updated_at`` as it was loaded; on save the row is
    locked (the admin saves inside a transaction) and compared, so the second of two
    people editing at once is told instead of silently overwriting the first.
    """

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and hasattr(obj, "updated_at") and "form" not in kwargs:
            kwargs["form"] = _versioned_form(self.form)
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not hasattr(obj, "updated_at"):
            return fieldsets
        if any(VERSION_FIELD in options.get("fields", ()) for _title, options in fieldsets):
            return fieldsets
        (title, options), *rest = fieldsets
        return [(title, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]
