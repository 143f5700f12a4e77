"""The form behind dissolving CĐCS in bulk; it hands its data to apps.members.services.unions_dissolve."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.unions.models import Decision


class DecisionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Decision) -> str:
        return _("%(number)s of %(day)s, %(issuer)s") % {
            "number": obj.number,
            "day": obj.signed_on.strftime("%d/%m/%Y"),
            "issuer": obj.issuer,
        }


class DissolveForm(forms.Form):
    """The date the CĐCS no longer exist from, and the decision behind it if it is recorded."""

    on = forms.DateField(
        label=_("dissolved on"),
        initial=timezone.localdate,
        help_text=_("The first day without the union: its members stop being members on this day."),
    )
    decision = DecisionChoiceField(
        label=_("decision"),
        queryset=Decision.objects.none(),
        required=False,
        help_text=_("Optional. A decision not in the list is added under Decisions first."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = Decision.objects.visible_to(user).order_by("-signed_on", "number")
