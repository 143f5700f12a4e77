"""Forms of the meetings pages: the filters of the list and calendar, the meeting itself and its follow-up tasks.

Every choice comes from ``visible_to(user)``; a chair is never asked for their union or federation.
"""

from __future__ import annotations

import re

from django import forms
from django.db.models import Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from apps.accounts.models import User
from apps.core.search import folded_search
from apps.meetings import selectors
from apps.meetings.models import FollowUpTask, Meeting
from apps.portal.forms import DayInput
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion, Sector

# How many unions a lookup proposes, and names in a "several match" message.
UNION_CHOICES = 10


def unions_matching(user, term: str):
    """The CĐCS ``user`` sees whose code is ``term``, or else whose name or employer contains it."""
    unions = GrassrootsUnion.objects.visible_to(user).order_by("name", "code")
    exact = unions.filter(code__iexact=term.strip())
    if exact.exists():
        return exact
    return folded_search(unions, term, ["search_text"])


def union_from_term(user, term: str) -> GrassrootsUnion:
    """The one CĐCS ``term`` names for ``user``; a Vietnamese ``ValidationError`` when none or several do."""
    term = term.strip()
    matches = list(unions_matching(user, term)[: UNION_CHOICES + 1])
    if not matches:
        raise forms.ValidationError(_("No grassroots union you can see matches “%(term)s”.") % {"term": term})
    if len(matches) > 1:
        names = ", ".join(f"{union.code} ({union.name})" for union in matches[:UNION_CHOICES])
        raise forms.ValidationError(
            _("Several grassroots unions match “%(term)s”: %(names)s. Pick one from the list or type its code.")
            % {"term": term, "names": names}
        )
    return matches[0]


def staff_like(user) -> bool:
    """District staff, leaders and superusers look across the federation; a chair looks at their own CĐCS."""
    return not (user.is_union_chair and user.union_id)


class MeetingFilterForm(forms.Form):
    """The list's and the calendar's filters; a value that cannot be used says why, next to its field."""

    ORGANISER_ALL, ORGANISER_FEDERATION, ORGANISER_UNIONS, ORGANISER_OWN = "", "federation", "unions", "own"

    q = forms.CharField(label=pgettext_lazy("meeting filter", "Title contains"), required=False, max_length=200)
    kind = forms.ChoiceField(label=pgettext_lazy("meeting filter", "Kind"), required=False)
    status = forms.ChoiceField(label=pgettext_lazy("meeting filter", "Status"), required=False)
    sector = forms.ModelChoiceField(
        label=pgettext_lazy("meeting filter", "Sector"),
        queryset=Sector.objects.none(),
        required=False,
        empty_label=pgettext_lazy("meeting filter", "All sectors"),
    )
    organiser = forms.ChoiceField(label=pgettext_lazy("meeting filter", "Organised by"), required=False)
    union = forms.CharField(
        label=pgettext_lazy("meeting filter", "Grassroots union (name or code)"), required=False, max_length=200
    )
    group = forms.ModelChoiceField(
        label=pgettext_lazy("meeting filter", "Union group"),
        queryset=UnionGroup.objects.none(),
        required=False,
        empty_label=pgettext_lazy("meeting filter", "All groups"),
    )
    date_from = forms.DateField(label=pgettext_lazy("meeting filter", "From"), required=False, widget=DayInput)
    date_to = forms.DateField(label=pgettext_lazy("meeting filter", "To"), required=False, widget=DayInput)

    def __init__(self, data, *, user, with_period: bool = True):
        super().__init__(data)
        self.user = user
        self.fields["kind"].choices = [
            ("", pgettext_lazy("meeting filter", "All kinds")),
            *selectors.KIND_LABELS.items(),
        ]
        self.fields["status"].choices = [
            ("", pgettext_lazy("meeting filter", "All statuses")),
            *selectors.STATUS_LABELS.items(),
        ]
        self.fields["sector"].queryset = Sector.objects.visible_to(user).order_by("sort_order", "name")
        self.show_union = staff_like(user)
        if self.show_union:
            self.fields["organiser"].choices = [
                (self.ORGANISER_ALL, pgettext_lazy("meeting filter", "Anyone")),
                (self.ORGANISER_FEDERATION, pgettext_lazy("meeting filter", "The federation")),
                (self.ORGANISER_UNIONS, pgettext_lazy("meeting filter", "Grassroots unions and groups")),
            ]
            self.fields["union"].widget.attrs.update(autocomplete="off", list="union-choices")
            self.fields["union"].help_text = _("Type part of its name or its code and pick it from the list.")
            # The groups of the union asked for, once it is known: a district has hundreds.
            term = (self.data.get("union") or "").strip()
            matches = list(unions_matching(user, term)[:2]) if term else []
            union = matches[0] if len(matches) == 1 else None
            groups = UnionGroup.objects.filter(union=union) if union else UnionGroup.objects.none()
        else:
            del self.fields["union"]
            self.fields["organiser"].choices = [
                (self.ORGANISER_ALL, pgettext_lazy("meeting filter", "Anyone")),
                (self.ORGANISER_OWN, user.union.name),
                (self.ORGANISER_FEDERATION, pgettext_lazy("meeting filter", "The federation (invited)")),
            ]
            groups = UnionGroup.objects.filter(union_id=user.union_id)
        self.fields["group"].queryset = UnionGroup.objects.visible_to(user).filter(pk__in=groups.values("pk"))
        self.show_group = self.fields["group"].queryset.exists()
        if not with_period:
            del self.fields["date_from"], self.fields["date_to"]

    def clean_union(self):
        term = self.cleaned_data.get("union", "").strip()
        return union_from_term(self.user, term) if term else None

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end of the period must not be before its start."))
            data.pop("date_to", None)
        return data

    def apply(self, meetings):
        """``meetings`` narrowed by every filter that was given and is valid (a wrong one is left out)."""
        self.is_valid()
        data = self.cleaned_data
        if data.get("q"):
            meetings = meetings.filter(title__icontains=data["q"].strip())
        if data.get("kind"):
            meetings = meetings.filter(kind=data["kind"])
        if data.get("status"):
            meetings = meetings.filter(status=data["status"])
        if data.get("sector"):
            meetings = meetings.filter(sector=data["sector"])
        organiser = data.get("organiser")
        if organiser == self.ORGANISER_FEDERATION:
            meetings = meetings.filter(organiser_union__isnull=True)
        elif organiser == self.ORGANISER_UNIONS:
            meetings = meetings.filter(organiser_union__isnull=False)
        elif organiser == self.ORGANISER_OWN:
            meetings = meetings.filter(organiser_union_id=self.user.union_id)
        if data.get("union"):
            meetings = meetings.filter(organiser_union=data["union"])
        if data.get("group"):
            meetings = meetings.filter(group=data["group"])
        if data.get("date_from"):
            meetings = meetings.filter(held_on__gte=data["date_from"])
        if data.get("date_to"):
            meetings = meetings.filter(held_on__lte=data["date_to"])
        return meetings

    @property
    def active(self) -> bool:
        """Whether any filter narrows the list (the empty state then says to loosen them)."""
        return any(self.data.get(name) for name in self.fields)


class TimeInput(forms.TimeInput):
    """A time typed as 14:30, with the numeric keypad on a phone."""

    def __init__(self, attrs=None):
        super().__init__(
            {"placeholder": "14:30", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}, format="%H:%M"
        )


class GroupChoiceField(forms.ModelChoiceField):
    def __init__(self, *, with_union: bool, **kwargs):
        self.with_union = with_union
        super().__init__(**kwargs)

    def label_from_instance(self, obj):
        return f"{obj.union.code} · {obj.name}" if self.with_union else obj.name


def _split_terms(text: str) -> list[str]:
    return [term.strip() for term in re.split(r"[\n;,]+", text or "") if term.strip()]


class MeetingForm(forms.ModelForm):
    """A meeting as its organiser records it. A chair's meetings are their own CĐCS's: not asked."""

    organiser = forms.CharField(
        label=pgettext_lazy("meeting form", "organised by grassroots union"),
        required=False,
        max_length=200,
        help_text=gettext_lazy(
            "Leave empty for a meeting of the federation; otherwise type part of the CĐCS's name or its code."
        ),
    )
    invited = forms.CharField(
        label=pgettext_lazy("meeting form", "invited grassroots unions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "off"}),
        help_text=gettext_lazy("One CĐCS per line, by its code or its name; their chairs will see the meeting."),
    )

    class Meta:
        model = Meeting
        fields = [
            "kind",
            "title",
            "status",
            "held_on",
            "starts_at",
            "ends_at",
            "location",
            "sector",
            "group",
            "topics",
            "discussion",
            "conclusions",
        ]
        widgets = {
            "held_on": DayInput,
            "starts_at": TimeInput,
            "ends_at": TimeInput,
            "topics": forms.Textarea(attrs={"rows": 5}),
            "discussion": forms.Textarea(attrs={"rows": 5}),
            "conclusions": forms.Textarea(attrs={"rows": 5}),
        }
        labels = {
            "kind": pgettext_lazy("meeting form", "kind"),
            "title": pgettext_lazy("meeting form", "title"),
            "status": pgettext_lazy("meeting form", "status"),
            "held_on": pgettext_lazy("meeting form", "date"),
            "starts_at": pgettext_lazy("meeting form", "starts at"),
            "ends_at": pgettext_lazy("meeting form", "ends at"),
            "location": pgettext_lazy("meeting form", "place"),
            "sector": pgettext_lazy("meeting form", "for the sector"),
            "group": pgettext_lazy("meeting form", "union group"),
            "topics": pgettext_lazy("meeting form", "agenda"),
            "discussion": pgettext_lazy("meeting form", "discussion"),
            "conclusions": pgettext_lazy("meeting form", "conclusions"),
        }
        help_texts = {
            "topics": pgettext_lazy("meeting form", "One item per line."),
            "sector": pgettext_lazy("meeting form", "The sector the meeting is for, if any."),
            "group": pgettext_lazy("meeting form", "For a union group's own meeting."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        meeting = self.instance
        self.fields["kind"].choices = [(key, capfirst(label)) for key, label in selectors.KIND_LABELS.items()]
        self.fields["status"].choices = [(key, capfirst(label)) for key, label in selectors.STATUS_LABELS.items()]
        groups = UnionGroup.objects.visible_to(user).select_related("union")
        current = groups.filter(dissolved_on__isnull=True)
        if meeting.group_id:
            current = current | groups.filter(pk=meeting.group_id)
        self.is_chair = not staff_like(user)
        if self.is_chair:
            union = user.union
            meeting.organiser_union = union
            meeting.federation_id = union.federation_id
            for name in ("organiser", "invited", "sector"):
                del self.fields[name]
            self.fields["group"] = GroupChoiceField(
                with_union=False,
                queryset=current.filter(union=union).order_by("name"),
                required=False,
                label=self.fields["group"].label,
                help_text=self.fields["group"].help_text,
                empty_label=pgettext_lazy("meeting form", "(the whole CĐCS)"),
            )
        else:
            if not meeting.federation_id and user.federation_id:
                meeting.federation_id = user.federation_id
            self.fields["organiser"].widget.attrs.update(autocomplete="off", list="union-choices")
            self.fields["sector"].queryset = Sector.objects.visible_to(user).order_by("sort_order", "name")
            self.fields["sector"].empty_label = pgettext_lazy("meeting form", "(no particular sector)")
            self.fields["group"] = GroupChoiceField(
                with_union=True,
                queryset=current.order_by("union__code", "name"),
                required=False,
                label=self.fields["group"].label,
                help_text=pgettext_lazy(
                    "meeting form", "For a union group's own meeting; its CĐCS is then the organiser."
                ),
                empty_label=pgettext_lazy("meeting form", "(no group)"),
            )
            if meeting.pk:
                if meeting.organiser_union_id:
                    self.initial.setdefault("organiser", meeting.organiser_union.code)
                codes = meeting.participating_unions.visible_to(user).order_by("code").values_list("code", flat=True)
                self.initial.setdefault("invited", "\n".join(codes))
        self.invited_unions = None

    def clean_organiser(self):
        term = self.cleaned_data.get("organiser", "").strip()
        return union_from_term(self.user, term) if term else None

    def clean_invited(self):
        unions, problems = [], []
        for term in _split_terms(self.cleaned_data.get("invited", "")):
            try:
                union = union_from_term(self.user, term)
            except forms.ValidationError as error:
                problems.extend(error.messages)
            else:
                if union not in unions:
                    unions.append(union)
        if problems:
            raise forms.ValidationError(problems)
        return unions

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The meeting cannot end before it starts."))
        meeting = self.instance
        if not self.is_chair:
            organiser = data.get("organiser")
            group = data.get("group")
            if organiser is None and group is not None and "organiser" not in self.errors:
                organiser = group.union  # a group's meeting is held by its own CĐCS
            meeting.organiser_union = organiser
            if organiser is not None:
                meeting.federation_id = organiser.federation_id
            elif not meeting.federation_id:
                self.add_error(None, _("Your account belongs to no federation: a meeting cannot be recorded."))
            if "invited" in data:
                self.invited_unions = data["invited"]
        return data

    def _post_clean(self):
        super()._post_clean()
        # The model's checks name fields the chair's form does not have: say them on the group.
        for name in ("organiser_union", "federation"):
            if name in self.errors and name not in self.fields:
                target = "organiser" if "organiser" in self.fields else None
                for error in self.errors.pop(name):
                    self.add_error(target, error)


class TaskForm(forms.ModelForm):
    class Meta:
        model = FollowUpTask
        fields = ["description", "owner", "due_on", "done_on"]
        widgets = {"due_on": DayInput, "done_on": DayInput}
        labels = {
            "description": pgettext_lazy("follow-up task", "task"),
            "owner": pgettext_lazy("follow-up task", "who does it"),
            "due_on": pgettext_lazy("follow-up task", "due on"),
            "done_on": pgettext_lazy("follow-up task", "done on"),
        }

    def __init__(self, *args, owners=None, owner_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["description"].widget = forms.TextInput()
        self.fields["owner"].help_text = ""
        self.fields["owner"].empty_label = pgettext_lazy("follow-up task", "(pick an account)")
        if owners is not None:
            self.fields["owner"].queryset = owners
        names = owner_names or {}
        self.fields["owner"].label_from_instance = lambda account: names.get(account.pk, account.username)


class BaseTaskFormSet(forms.BaseInlineFormSet):
    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        if not hasattr(self, "_owner_names"):
            # Named as the user may know them: an account out of their sight by its role only.
            self._owner_names = selectors.account_names(self.user, self.owners())
        return {**super().get_form_kwargs(index), "owners": self.owners(), "owner_names": self._owner_names}

    def owners(self):
        """Accounts a task may be given to: those the user sees, the user, and whoever already has one here."""
        if not hasattr(self, "_owners"):
            seen = User.objects.visible_to(self.user).filter(is_active=True).values("pk")
            allowed = Q(pk__in=seen) | Q(pk=self.user.pk)
            if self.instance.pk:
                allowed |= Q(pk__in=FollowUpTask.objects.filter(meeting=self.instance).values("owner_id"))
            self._owners = User.objects.filter(allowed).order_by("last_name", "first_name", "username")
        return self._owners


TaskFormSet = forms.inlineformset_factory(
    Meeting, FollowUpTask, form=TaskForm, formset=BaseTaskFormSet, extra=2, can_delete=True
)
