"""The forms behind dissolving CĐCS in bulk and reorganising a superior union; services do the writing."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.unions.models import Decision, Federation


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


class SuccessorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.code} – {obj.name}"


class ReorganiseForm(forms.Form):
    """Ending a superior union and sending each of its CĐCS to a successor: by hand, all at once, or by sheet.

    One choice field per CĐCS (``union_<id>``); ``send_rest_to`` fills those left empty, and an
    uploaded mapping sheet fills them from its rows (the page reads it, then shows the choices).
    """

    on = forms.DateField(
        label=_("successors take over on"),
        help_text=_("The first day the CĐCS belong to their new superior union, and the first day without this one."),
    )
    decision = DecisionChoiceField(
        label=_("decision"),
        queryset=Decision.objects.none(),
        help_text=_(
            "The decision that ends this union and moves its CĐCS. "
            "A decision not in the list is added under Decisions first."
        ),
    )
    send_rest_to = SuccessorChoiceField(
        label=_("send every CĐCS not chosen below to"),
        queryset=Federation.objects.none(),
        required=False,
        help_text=_("For a merger: every CĐCS goes to one union. Leave empty to choose each CĐCS's below."),
    )
    mapping = forms.FileField(
        label=_("mapping sheet"),
        required=False,
        help_text=_(
            "Optional: the downloaded sheet with each CĐCS's new superior code filled in (.xlsx, .xls, .ods or .csv)."
        ),
    )
    accounts_to = SuccessorChoiceField(
        label=_("move this union's staff and leader accounts to"),
        queryset=Federation.objects.none(),
        required=False,
        help_text=_("Leave empty to deactivate them on the date: nobody signs in to a union that no longer exists."),
    )

    def __init__(self, *args, user, unions, successors, **kwargs):
        super().__init__(*args, **kwargs)
        self.unions = list(unions)
        self.fields["decision"].queryset = Decision.objects.visible_to(user).order_by("-signed_on", "number")
        for name in ("send_rest_to", "accounts_to"):
            self.fields[name].queryset = successors
        for union in self.unions:
            self.fields[self.union_field(union)] = SuccessorChoiceField(
                label=f"{union.code} – {union.name}", queryset=successors, required=False
            )

    @staticmethod
    def union_field(union) -> str:
        return f"union_{union.pk}"

    def general_fields(self):
        return [self[name] for name in ("on", "decision", "send_rest_to", "mapping", "accounts_to")]

    def union_fields(self):
        return [(union, self[self.union_field(union)]) for union in self.unions]

    def successors_chosen(self) -> dict:
        """Each CĐCS's successor: its own choice, else ``send_rest_to``; a CĐCS with neither is left out."""
        rest = self.cleaned_data.get("send_rest_to")
        chosen = {}
        for union in self.unions:
            successor = self.cleaned_data.get(self.union_field(union)) or rest
            if successor is not None:
                chosen[union] = successor
        return chosen
