"""Forms for the membership lifecycle; each hands its data to a service in apps.members.services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.members import services
from apps.union_groups.models import UnionGroup


def add_service_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's refusal on the form: on the field it names if the form has it, above the form if not."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


class LifecycleForm(forms.Form):
    """Base: knows the member and the user, offers only groups of the right union."""

    def __init__(self, *args, member, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.user = user
        if "group" in self.fields:
            self.fields["group"].queryset = self.group_choices()

    def group_choices(self):
        return UnionGroup.objects.visible_to(self.user).filter(union=self.member.union, dissolved_on__isnull=True)


class LeaveForm(LifecycleForm):
    on = forms.DateField(label=_("left on"), initial=timezone.localdate)
    reason = forms.CharField(label=_("reason for leaving"), max_length=255)

    def perform(self):
        return services.member_leave(member=self.member, on=self.cleaned_data["on"], reason=self.cleaned_data["reason"])


class RejoinForm(LifecycleForm):
    on = forms.DateField(label=_("rejoined on"), initial=timezone.localdate)
    group = forms.ModelChoiceField(label=_("union group"), queryset=UnionGroup.objects.none(), required=False)

    def perform(self):
        data = self.cleaned_data
        return services.member_rejoin(member=self.member, on=data["on"], group=data["group"], actor=self.user)


class MoveGroupForm(LifecycleForm):
    group = forms.ModelChoiceField(label=_("new union group"), queryset=UnionGroup.objects.none(), required=False)
    on = forms.DateField(label=_("from"), initial=timezone.localdate)

    def perform(self):
        data = self.cleaned_data
        return services.member_change_group(member=self.member, group=data["group"], on=data["on"])


class TransferForm(LifecycleForm):
    # A code, not a list: a chair may send a member to any union of the federation
    # without being shown the others' names.
    to_union = forms.CharField(
        label=_("code of the receiving grassroots union"),
        max_length=32,
        help_text=_("As written on the transfer letter, e.g. TH-DN-015."),
    )
    effective_on = forms.DateField(label=_("effective from"), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), max_length=255, required=False)

    def clean_to_union(self):
        code = self.cleaned_data["to_union"].strip()
        matches = list(services.transfer_destinations(self.user).filter(code__iexact=code)[:2])
        if not matches:
            raise forms.ValidationError(
                _("No grassroots union with code “%(code)s” can receive this transfer.") % {"code": code}
            )
        if len(matches) > 1:
            raise forms.ValidationError(
                _("Code “%(code)s” exists in several federations; ask district staff.") % {"code": code}
            )
        return matches[0]

    def perform(self):
        data = self.cleaned_data
        return services.transfer_request(
            member=self.member, to_union=data["to_union"], on=data["effective_on"], actor=self.user, note=data["note"]
        )


class TransferDecisionForm(forms.Form):
    """Accept (with the group to join) or refuse (with a reason) a transfer into one's union."""

    group = forms.ModelChoiceField(label=_("union group to join"), queryset=UnionGroup.objects.none(), required=False)
    refusal_reason = forms.CharField(label=_("reason for refusal"), max_length=255, required=False)

    def __init__(self, *args, transfer, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.transfer = transfer
        self.user = user
        self.fields["group"].queryset = UnionGroup.objects.visible_to(user).filter(
            union=transfer.to_union, dissolved_on__isnull=True
        )
