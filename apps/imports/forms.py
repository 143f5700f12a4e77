"""The upload form: a file, and for district staff the CĐCS the sheet is for."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.sheets import MAX_BYTES
from apps.unions.models import GrassrootsUnion


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("File (.xlsx, .xls, .ods or .csv)"),
        error_messages={
            "required": gettext_lazy("Choose the file to import."),
            "empty": gettext_lazy("The file is empty."),
        },
    )
    union = forms.CharField(
        label=gettext_lazy("Grassroots union code"),
        required=False,
        max_length=32,
        help_text=gettext_lazy("Leave empty when the sheet has a grassroots union code column."),
    )

    def __init__(self, *args, user, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.ods,.csv"
        if user.is_union_chair or (kind is not None and not kind.targets_union):
            # A chair imports into their own CĐCS, and only there: nothing to choose. The list
            # of CĐCS itself goes to no one CĐCS.
            del self.fields["union"]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB; split it into smaller files.")
                % {"limit": MAX_BYTES // (1024 * 1024)}
            )
        return file

    def clean_union(self) -> GrassrootsUnion | None:
        code = self.cleaned_data.get("union", "").strip()
        if not code:
            return None
        found = list(GrassrootsUnion.objects.visible_to(self.user).filter(code__iexact=code)[:2])
        if not found:
            raise forms.ValidationError(_("No grassroots union with code “%(code)s” in your scope.") % {"code": code})
        if len(found) > 1:
            raise forms.ValidationError(
                _("Several grassroots unions in your scope have code “%(code)s”.") % {"code": code}
            )
        return found[0]


class SheetForm(forms.Form):
    sheet = forms.ChoiceField(label=gettext_lazy("Sheet"))

    def __init__(self, *args, sheets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheets]
