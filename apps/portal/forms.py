"""Forms of a CĐCS's own pages; each hands its data to a service (apps.members.services, apps.unions.services)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.core.search import folded_search
from apps.members import forms as lifecycle
from apps.members import services
from apps.members.models import Member
from apps.union_groups.models import UnionGroup
from apps.unions import services as union_services
from apps.unions.models import GrassrootsUnion, WorkforceDeclaration

# How many unions the transfer lookup proposes, and names in a "several match" message.
DESTINATION_CHOICES = 10


class DayInput(forms.DateInput):
    """A date typed day first, as everywhere in the portal.

    Not the browser's date picker: it shows the date in the order of the browser's own
    language, so an English-language phone would show 12 April as 04/12 beside pages that
    write 12/04.
    """

    def __init__(self, attrs=None):
        super().__init__({"placeholder": "dd/mm/yyyy", "autocomplete": "off", **(attrs or {})}, format="%d/%m/%Y")


def use_phone_widgets(form: forms.BaseForm) -> None:
    """Day-first dates and a numeric keypad for numbers, on the forms these pages share with the admin."""
    for field in form.fields.values():
        if isinstance(field, forms.DateField):
            field.widget = DayInput(attrs=field.widget.attrs)
        if isinstance(field, forms.IntegerField):
            field.widget.attrs.setdefault("inputmode", "numeric")


def current_groups(user, union: GrassrootsUnion):
    """The groups a member of ``union`` may be put in: its own groups that are not dissolved."""
    return UnionGroup.objects.visible_to(user).filter(union=union, dissolved_on__isnull=True).order_by("name")


class GroupChoiceField(forms.ModelChoiceField):
    """A group picker that offers only one union's groups, so the name alone says which."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", UnionGroup.objects.none())
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", gettext_lazy("(no group)"))
        super().__init__(**kwargs)


class MemberForm(forms.ModelForm):
    """A member's personal details; on the add form also their group and the day they joined."""

    class Meta:
        model = Member
        fields = services.PERSONAL_FIELDS
        widgets = {"gender": forms.RadioSelect, "date_of_birth": DayInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["gender"].choices = [choice for choice in self.fields["gender"].choices if choice[0]]
        self.fields["phone"].widget.attrs.update(inputmode="tel", autocomplete="off")
        self.fields["national_id"].widget.attrs.update(inputmode="numeric", autocomplete="off")
        self.fields["contract_months"].widget.attrs.update(inputmode="numeric")
        # Numbered on enrolment (the federation's code and the member's id) when left empty.
        self.fields["card_number"].help_text = _("Leave empty to number the card automatically.")

    def clean_national_id(self):
        # Here, on the field, with the message the service would give (which names the other
        # union only to those who may see it), rather than above the form after saving.
        number = self.cleaned_data.get("national_id")
        clash = services.active_member_with_national_id(number, exclude_pk=self.instance.pk)
        if clash is not None:
            raise forms.ValidationError(
                services.active_elsewhere_message(clash, actor=self.user, union=self.instance.union)
            )
        return number

    def personal_details(self) -> dict:
        return {name: self.cleaned_data[name] for name in services.PERSONAL_FIELDS if name in self.cleaned_data}

    def perform(self) -> Member:
        return services.member_update(member=self.instance, actor=self.user, **self.personal_details())


class EnrolForm(MemberForm):
    """Enrol (kết nạp) a person into the page's CĐCS: the union comes from the address, never from a field."""

    group = GroupChoiceField(label=gettext_lazy("union group"))

    class Meta(MemberForm.Meta):
        fields = ["full_name", "gender", "date_of_birth", "group", "joined_union_on", *services.PERSONAL_FIELDS[3:]]
        widgets = {**MemberForm.Meta.widgets, "joined_union_on": DayInput}

    def __init__(self, *args, union: GrassrootsUnion, user, **kwargs):
        super().__init__(*args, user=user, instance=Member(union=union), **kwargs)
        self.fields["group"].queryset = current_groups(user, union)
        # The new instance's empty date would win over a field's initial value.
        self.initial["joined_union_on"] = timezone.localdate()

    def clean(self):
        data = super().clean()
        born, joined = data.get("date_of_birth"), data.get("joined_union_on")
        if born and joined and born >= joined:
            # The model's own check, said next to the date that is wrong rather than above the form.
            self.add_error("date_of_birth", _("The date of birth must be before the date of joining the union."))
        return data

    def perform(self) -> Member:
        data = self.cleaned_data
        return services.member_enrol(
            union=self.instance.union,
            joined_on=data["joined_union_on"],
            group=data["group"],
            actor=self.user,
            **self.personal_details(),
        )


class MoveGroupForm(lifecycle.MoveGroupForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].empty_label = _("(no group)")
        use_phone_widgets(self)


class LeaveForm(lifecycle.LeaveForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_phone_widgets(self)


def destination_matches(user, term: str, *, exclude: GrassrootsUnion):
    """The unions ``user`` may send a member to whose code is ``term``, or else whose code or name contains it."""
    destinations = services.transfer_destinations(user).exclude(pk=exclude.pk).order_by("name", "code")
    exact = destinations.filter(code__iexact=term.strip())
    if exact.exists():
        return exact
    return folded_search(destinations, term, ["search_text"])


class TransferForm(lifecycle.TransferForm):
    """Start a transfer; the receiving CĐCS is looked up by its name or code (static/js/union_lookup.js)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["to_union"]
        field.label = _("receiving grassroots union")
        field.max_length = 200
        field.help_text = _("Type part of its name or its code and pick it from the list.")
        field.widget.attrs.update(autocomplete="off", list="union-choices")
        use_phone_widgets(self)

    def clean_to_union(self):
        term = self.cleaned_data["to_union"].strip()
        matches = list(destination_matches(self.user, term, exclude=self.member.union)[: DESTINATION_CHOICES + 1])
        if not matches:
            raise forms.ValidationError(
                _("No grassroots union that can receive this transfer matches “%(term)s”.") % {"term": term}
            )
        if len(matches) > 1:
            names = ", ".join(f"{union.code} ({union.name})" for union in matches[:DESTINATION_CHOICES])
            raise forms.ValidationError(
                _("Several grassroots unions match “%(term)s”: %(names)s. Pick one from the list or type its code.")
                % {"term": term, "names": names}
            )
        return matches[0]


class TransferDecisionForm(lifecycle.TransferDecisionForm):
    """Accept (into one of the receiving union's groups) or refuse (with a reason) one transfer."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix=f"t{kwargs['transfer'].pk}", **kwargs)
        self.fields["group"].empty_label = _("(no group)")
        self.fields["refusal_reason"].widget.attrs["placeholder"] = _("Only when refusing")


class WorkforceForm(forms.ModelForm):
    """A new workforce declaration of the page's CĐCS: as of a day (today unless said), all workers and women."""

    class Meta:
        model = WorkforceDeclaration
        fields = ["as_of", "total_workers", "female_workers", "note"]
        widgets = {"as_of": DayInput}

    def __init__(self, *args, union: GrassrootsUnion, user, **kwargs):
        super().__init__(*args, instance=WorkforceDeclaration(union=union), **kwargs)
        self.user = user
        self.initial["as_of"] = timezone.localdate()
        use_phone_widgets(self)

    def clean_as_of(self):
        day = self.cleaned_data["as_of"]
        declared = WorkforceDeclaration.objects.visible_to(self.user).filter(union=self.instance.union, as_of=day)
        if declared.exists():
            raise forms.ValidationError(_("This union already declared its workforce on this date."))
        return day

    def perform(self) -> WorkforceDeclaration:
        data = self.cleaned_data
        return union_services.workforce_declare(
            union=self.instance.union,
            as_of=data["as_of"],
            total_workers=data["total_workers"],
            female_workers=data["female_workers"],
            note=data["note"],
        )
