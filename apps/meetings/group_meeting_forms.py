"""The phone form a chair or district staff fills to record a union group's regular meeting (sinh hoạt tổ).

Only what a group meeting has: the day, who of the group's roster that day came, the start
time, the agenda, the notes and one photo. Kind, organiser, federation, status and title
follow from the group (``apps.meetings.services.record_group_meeting``).
"""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.db import vietnamese_order
from apps.meetings.models import Meeting
from apps.members.models import Member, MembershipPeriod
from apps.portal.forms import DayInput
from apps.union_groups.models import UnionGroup


def group_roster_on(user, group: UnionGroup, day: date) -> QuerySet[Member]:
    """The members in ``group`` on ``day`` (by their membership periods) that ``user`` may see, in Vietnamese order."""
    periods = MembershipPeriod.objects.visible_to(user).as_of(day).filter(group=group, union_id=group.union_id)
    return (
        Member.objects.visible_to(user)
        .filter(pk__in=periods.values("member_id"))
        .only("full_name")
        .order_by(*vietnamese_order("given_name", "full_name"), "id")
    )


def same_day_meetings(user, group: UnionGroup, day: date) -> QuerySet[Meeting]:
    """Group meetings of ``group`` already recorded (and not cancelled) on ``day``."""
    return (
        Meeting.objects.visible_to(user)
        .filter(group=group, kind=Meeting.Kind.GROUP_MEETING, held_on=day)
        .exclude(status=Meeting.Status.CANCELLED)
    )


def _member_ids(value: str) -> list[str]:
    return [part for part in value.split(",") if part.isdigit()]


class GroupMeetingForm(forms.Form):
    """A group meeting, held: the roster of the day ticked present, untick the absent."""

    held_on = forms.DateField(label=_("date of the group meeting"), widget=DayInput(attrs={"inputmode": "numeric"}))
    starts_at = forms.TimeField(
        label=_("time the meeting started"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    present = forms.MultipleChoiceField(
        label=_("members present"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Everyone is ticked present; untick those who were absent."),
    )
    topics = forms.CharField(
        label=_("topics of the group meeting"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 3,
                "placeholder": _("One topic per line, e.g.\nThe month's work plan\nVisiting members who are ill"),
            }
        ),
    )
    discussion = forms.CharField(
        label=_("notes of the discussion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(
        label=_("a photo of the meeting"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/*", "capture": "environment"}),
        help_text=_("One photo of the meeting (JPEG or PNG), taken with the phone or chosen from its pictures."),
    )
    # The roster the page showed (member ids): a changed day may bring another roster, shown before saving.
    shown = forms.CharField(required=False, widget=forms.HiddenInput)
    # Asked for only when the group already has a meeting recorded that day.
    confirm_duplicate = forms.BooleanField(label=_("Record another meeting that day anyway"), required=False)

    PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")

    def __init__(self, *args, user, group: UnionGroup, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.group = group
        self.fields["held_on"].initial = timezone.localdate()
        self.roster_day = self._posted_day() or timezone.localdate()
        self.roster = list(group_roster_on(user, group, self.roster_day))
        roster_ids = [str(member.pk) for member in self.roster]
        self.fields["present"].choices = [(str(member.pk), member.full_name) for member in self.roster]
        self.fields["present"].initial = roster_ids
        self.fields["shown"].initial = ",".join(roster_ids)
        self.roster_changed = self.is_bound and set(_member_ids(self.data.get(self.add_prefix("shown"), ""))) != set(
            roster_ids
        )
        if self.roster_changed:
            # Show the day's roster: those who were on the page keep their tick (or its absence),
            # those new to it are ticked present like everyone at first.
            shown = set(_member_ids(self.data.get(self.add_prefix("shown"), "")))
            ticked = set(self.data.getlist(self.add_prefix("present")))
            self.data = self.data.copy()
            self.data.setlist(self.add_prefix("present"), [pk for pk in roster_ids if pk in ticked or pk not in shown])
            self.data[self.add_prefix("shown")] = ",".join(roster_ids)
        self.asks_to_confirm = False

    def _posted_day(self) -> date | None:
        if not self.is_bound:
            return None
        try:
            return self.fields["held_on"].clean(self.data.get(self.add_prefix("held_on")))
        except ValidationError:
            return None

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo and photo.name.rsplit(".", 1)[-1].lower() not in self.PHOTO_EXTENSIONS:
            raise ValidationError(_("Choose a photo: a JPEG or PNG picture."), code="not_a_photo")
        return photo

    def clean(self):
        data = super().clean()
        if self.roster_changed and "held_on" in data:
            raise ValidationError(
                _("The group's roster on %(day)s is shown below; check who was present, then save again.")
                % {"day": data["held_on"].strftime("%d/%m/%Y")},
                code="roster_changed",
            )
        day = data.get("held_on")
        if day and not data.get("confirm_duplicate") and same_day_meetings(self.user, self.group, day).exists():
            self.asks_to_confirm = True
            raise ValidationError(
                _(
                    "A meeting of this group on %(day)s is already recorded. Tick the box below to record "
                    "another one that day, or cancel."
                )
                % {"day": day.strftime("%d/%m/%Y")},
                code="duplicate",
            )
        return data

    def present_members(self) -> list[Member]:
        ticked = set(self.cleaned_data.get("present") or ())
        return [member for member in self.roster if str(member.pk) in ticked]
