"""Meetings, seminars and group meetings, with who attended and what was decided."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from apps.core.models import TimeStampedModel
from apps.meetings.querysets import AttendanceQuerySet, MeetingDocumentQuerySet, MeetingQuerySet


class Meeting(TimeStampedModel):
    """A conference, seminar, group meeting or training held by the federation or a CĐCS."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("conference")
        SEMINAR = "seminar", _("seminar")
        GROUP_MEETING = "group_meeting", _("union group meeting")
        WORKERS_CONFERENCE = "workers_conference", _("workers' conference")
        TRAINING = "training", _("training")

    federation = models.ForeignKey(
        "unions.Federation", verbose_name=_("federation"), on_delete=models.PROTECT, related_name="meetings"
    )
    organiser_union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("organised by grassroots union"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="organised_meetings",
        help_text=_("Leave empty for a meeting held by the federation itself."),
    )
    group = models.ForeignKey(
        "union_groups.UnionGroup",
        verbose_name=_("union group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    sequence_number = models.PositiveSmallIntegerField(
        _("number"), null=True, blank=True, help_text=_("For example 3 for the third seminar of a sector.")
    )
    title = models.CharField(_("title"), max_length=255)
    held_on = models.DateField(_("held on"))
    location = models.CharField(_("location"), max_length=255, blank=True)
    sector = models.ForeignKey(
        "unions.Sector",
        verbose_name=_("sector"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("The sector the meeting is for, if any."),
    )
    participating_unions = models.ManyToManyField(
        "unions.GrassrootsUnion", verbose_name=_("participating unions"), blank=True, related_name="meetings"
    )
    presided_by = models.CharField(_("presided by"), max_length=255, blank=True)
    topics = models.TextField(_("topics discussed"), blank=True)
    conclusions = models.TextField(_("conclusions"), blank=True)

    objects = MeetingQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["updated_at"], m2m_fields=[participating_unions])

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "title"]
        indexes = [models.Index(fields=["federation", "held_on", "kind"], name="meeting_fed_day_kind")]

    def __str__(self) -> str:
        return f"{self.title} ({self.held_on:%d/%m/%Y})"

    def clean(self) -> None:
        errors = {}
        if self.organiser_union_id and self.federation_id and self.organiser_union.federation_id != self.federation_id:
            errors["organiser_union"] = _("The organising union must belong to the meeting's federation.")
        if self.group_id and self.group.union_id != self.organiser_union_id:
            errors["group"] = _("The union group must belong to the organising grassroots union.")
        if self.kind == self.Kind.GROUP_MEETING and not self.group_id:
            errors["group"] = _("A union group meeting needs its union group.")
        if errors:
            raise ValidationError(errors)


class Attendance(models.Model):
    """One person at a meeting, with the capacity they attended in."""

    class Role(models.TextChoices):
        PRESIDING = "presiding", _("presiding")
        GUEST = "guest", _("guest")
        PARTICIPANT = "participant", _("participant")
        SECRETARY = "secretary", _("secretary")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attendances",
    )
    name = models.CharField(_("name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    role = models.CharField(_("role at the meeting"), max_length=16, choices=Role.choices, default=Role.PARTICIPANT)
    headcount = models.PositiveIntegerField(
        _("number of people"),
        default=1,
        help_text=_("More than 1 for a delegation, e.g. 'leaders of the union groups'."),
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "role", "name"]

    def __str__(self) -> str:
        return self.name


class MeetingDocument(models.Model):
    """A photo, minutes or other file attached to a meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=255)
    file = models.FileField(_("file"), upload_to="meetings/%Y/%m/")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = MeetingDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting document")
        verbose_name_plural = _("meeting documents")
        ordering = ["meeting", "uploaded_at"]

    def __str__(self) -> str:
        return self.title
