"""Members (đoàn viên), their membership periods and union offices."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from apps.core.countries import VIETNAM, country_choices
from apps.core.models import TimeStampedModel
from apps.core.text import fold, given_name, normalize_name
from apps.members.querysets import (
    MemberQuerySet,
    MembershipPeriodQuerySet,
    TransferRequestQuerySet,
    UnionOfficialQuerySet,
)

national_id_validator = RegexValidator(
    r"^\d{12}$", _("A national ID number (CCCD) has exactly 12 digits, leading zeros included.")
)
phone_validator = RegexValidator(r"^\+?[0-9 .-]{8,15}$", _("Enter a phone number of 8 to 15 digits."))


def mask_national_id(national_id: str | None) -> str:
    """An ID number with all but the last four digits hidden, as leaders see it."""
    if not national_id:
        return ""
    return "•" * 8 + national_id[-4:]


# Trade Union Law 2024 (in force 1/7/2025): a foreign worker may join a CĐCS with a labour
# contract of at least this many months, and may hold no office in it.
FOREIGN_WORKER_MIN_CONTRACT_MONTHS = 12


def foreign_worker_refusal(nationality: str, contract_months: int | None) -> str | None:
    """Why a person of ``nationality`` with a contract of ``contract_months`` may not be a member (None: they may)."""
    if nationality == VIETNAM:
        return None
    rule = {"months": FOREIGN_WORKER_MIN_CONTRACT_MONTHS}
    if contract_months is None:
        return (
            _(
                "Enter the labour contract term: a foreign worker may join the union only with a labour "
                "contract of %(months)s months or more."
            )
            % rule
        )
    if contract_months < FOREIGN_WORKER_MIN_CONTRACT_MONTHS:
        return _("A foreign worker may join the union only with a labour contract of %(months)s months or more.") % rule
    return None


# The same law: a foreign member may not found a union nor hold office in one.
FOREIGN_WORKER_NO_OFFICE = _("A foreign worker may be a member but may not hold a union office.")


class Gender(models.TextChoices):
    MALE = "male", _("male")
    FEMALE = "female", _("female")


class Member(TimeStampedModel):
    """A union member (đoàn viên) of one CĐCS and at most one of its groups."""

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("member status", "active")
        LEFT = "left", _("left")
        TRANSFERRED = "transferred", _("transferred out")

    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="members",
        # The index member_union_status (union, status) serves every lookup by union.
        db_index=False,
    )
    group = models.ForeignKey(
        "union_groups.UnionGroup",
        verbose_name=_("union group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    # A copy of union.federation, kept by database triggers (migration 0005) whoever
    # writes the row: district staff's scope is then read from the member row itself,
    # and their lists walk one index (federation, Vietnamese order) instead of joining
    # a million rows to their unions. Never set it by hand.
    federation = models.ForeignKey(
        "unions.Federation",
        verbose_name=_("federation"),
        null=True,
        blank=True,
        editable=False,
        db_index=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    full_name = models.CharField(_("full name"), max_length=120)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    # Text, not a number: leading zeros are part of the number.
    national_id = models.CharField(
        _("national ID number (CCCD)"), max_length=12, null=True, blank=True, validators=[national_id_validator]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    email = models.EmailField(_("email"), blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=40, blank=True, default="Kinh")
    job_title = models.CharField(_("job title"), max_length=120, blank=True)
    nationality = models.CharField(_("nationality"), max_length=2, choices=country_choices, default=VIETNAM)
    # Only a foreign worker's is asked for (the law's 12-month rule); Vietnamese members may leave it empty.
    contract_months = models.PositiveSmallIntegerField(
        _("labour contract term (months)"),
        null=True,
        blank=True,
        help_text=_("For foreign workers: at least 12 months."),
    )
    joined_union_on = models.DateField(_("joined the union on"))
    card_number = models.CharField(_("member card number"), max_length=20, null=True, blank=True, unique=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)

    # Derived from full_name on save: Vietnamese lists sort on the given name (with its
    # accents, collated the Vietnamese way on PostgreSQL), then the whole name; search
    # ignores accents on every database.
    given_name = models.CharField(max_length=40, editable=False, default="")
    # Searched by words anywhere in the name (LIKE '%word%'): the trigram index of migration 0006
    # serves that, and a b-tree cannot, so the column has none (two fewer indexes on every write).
    search_name = models.CharField(max_length=120, editable=False, default="")

    objects = MemberQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["federation", "given_name", "search_name", "updated_at"])

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["given_name", "full_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"],
                condition=models.Q(status="active"),
                name="member_one_active_membership_per_person",
                violation_error_message=_("This national ID number already belongs to an active member."),
            ),
            models.CheckConstraint(
                condition=models.Q(national_id__isnull=True) | models.Q(national_id__regex=r"^[0-9]{12}$"),
                name="member_national_id_12_digits",
                violation_error_message=_("A national ID number (CCCD) has exactly 12 digits, leading zeros included."),
            ),
            models.CheckConstraint(
                condition=models.Q(date_of_birth__isnull=True)
                | models.Q(date_of_birth__lt=models.F("joined_union_on")),
                name="member_born_before_joining",
                violation_error_message=_("The date of birth must be before the date of joining the union."),
            ),
            # On PostgreSQL only (members/0011): SQLite adds a check by rebuilding the table.
            models.CheckConstraint(
                condition=models.Q(nationality=VIETNAM)
                | models.Q(contract_months__isnull=False, contract_months__gte=FOREIGN_WORKER_MIN_CONTRACT_MONTHS),
                name="member_foreign_worker_contract",
                violation_error_message=_(
                    "A foreign worker may join the union only with a labour contract of 12 months or more."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["union", "status"], name="member_union_status"),
            models.Index(fields=["given_name", "full_name", "id"], name="member_sort"),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs) -> None:
        self.full_name = normalize_name(self.full_name)
        self.national_id = (self.national_id or "").strip() or None
        self.card_number = (self.card_number or "").strip() or None
        for name, value in self.derived_name_fields(self.full_name).items():
            setattr(self, name, value)
        super().save(*args, **kwargs)

    @staticmethod
    def derived_name_fields(full_name: str) -> dict[str, str]:
        """The sort and search columns for ``full_name``; bulk writes that skip save() must set them too."""
        return {"given_name": given_name(full_name)[:40], "search_name": fold(full_name)[:120]}

    def clean(self) -> None:
        errors = {}
        if self.group_id and self.union_id and self.group.union_id != self.union_id:
            errors["group"] = _("The union group must belong to the member's grassroots union.")
        refusal = foreign_worker_refusal(self.nationality, self.contract_months)
        if refusal:
            errors["contract_months"] = refusal
        if errors:
            raise ValidationError(errors)

    @property
    def is_foreign(self) -> bool:
        """A foreign worker (not of Vietnamese nationality): may join, may not hold office."""
        return self.nationality != VIETNAM

    @property
    def masked_national_id(self) -> str:
        """The ID number with all but the last four digits hidden."""
        return mask_national_id(self.national_id)


class MembershipPeriod(models.Model):
    """A stretch of time [started_on, ended_on) during which a member belonged to a union (and group)."""

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="periods")
    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        on_delete=models.PROTECT,
        related_name="membership_periods",
        # The index period_union_dates (union, started_on, ended_on) serves every lookup by union.
        db_index=False,
    )
    group = models.ForeignKey(
        "union_groups.UnionGroup",
        verbose_name=_("union group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="membership_periods",
    )
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until (not included)"), null=True, blank=True)
    # Only for a period that ends because the member left; transfers and group moves
    # are read from the periods that follow.
    end_reason = models.CharField(_("reason for leaving"), max_length=255, blank=True)

    objects = MembershipPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership period")
        verbose_name_plural = _("membership periods")
        ordering = ["member", "started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("started_on")),
                name="period_ends_after_start",
                violation_error_message=_("A membership period must end after it starts."),
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(ended_on__isnull=True),
                name="period_one_open_per_member",
                violation_error_message=_("A member can have only one open membership period."),
            ),
        ]
        indexes = [
            models.Index(fields=["union", "started_on", "ended_on"], name="period_union_dates"),
        ]

    def __str__(self) -> str:
        end = f"{self.ended_on:%d/%m/%Y}" if self.ended_on else "…"
        return f"{self.member} – {self.union} ({self.started_on:%d/%m/%Y} – {end})"


class UnionOfficial(models.Model):
    """An office (chủ tịch, tổ trưởng …) held by a member for a term [started_on, ended_on)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        VICE_CHAIR = "vice_chair", _("vice chair")
        EXECUTIVE_MEMBER = "executive", _("executive committee member")
        INSPECTION = "inspection", _("inspection committee member")
        GROUP_LEADER = "group_leader", _("group leader")
        GROUP_DEPUTY = "group_deputy", _("deputy group leader")

    GROUP_ROLES = (Role.GROUP_LEADER, Role.GROUP_DEPUTY)

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="offices")
    union = models.ForeignKey(
        "unions.GrassrootsUnion", verbose_name=_("grassroots union"), on_delete=models.CASCADE, related_name="officials"
    )
    group = models.ForeignKey(
        "union_groups.UnionGroup",
        verbose_name=_("union group"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="officials",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until (not included)"), null=True, blank=True)

    objects = UnionOfficialQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("union official")
        verbose_name_plural = _("union officials")
        ordering = ["union", "role", "-started_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_on__isnull=True) | models.Q(ended_on__gt=models.F("started_on")),
                name="official_term_ends_after_start",
                violation_error_message=_("A term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(role__in=["group_leader", "group_deputy"], group__isnull=False)
                | (~models.Q(role__in=["group_leader", "group_deputy"]) & models.Q(group__isnull=True)),
                name="official_group_role_has_group",
                violation_error_message=_("Group leaders and deputies need a group; other roles have none."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.get_role_display()}"

    def clean(self) -> None:
        errors = {}
        if self.member_id and self.union_id and self.member.union_id != self.union_id:
            errors["member"] = _("The official must be a member of this grassroots union.")
        elif self.member_id and self.member.is_foreign:
            errors["member"] = FOREIGN_WORKER_NO_OFFICE
        if self.group_id and self.union_id and self.group.union_id != self.union_id:
            errors["group"] = _("The union group must belong to this grassroots union.")
        if errors:
            raise ValidationError(errors)


class TransferRequest(models.Model):
    """A transfer (chuyển sinh hoạt) proposed by the sending side, accepted or refused by the receiving one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for the receiving union")
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        CANCELLED = "cancelled", _("cancelled")

    member = models.ForeignKey(Member, verbose_name=_("member"), on_delete=models.CASCADE, related_name="transfers")
    from_union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("from grassroots union"),
        on_delete=models.PROTECT,
        related_name="transfers_out",
    )
    to_union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("to grassroots union"),
        on_delete=models.PROTECT,
        related_name="transfers_in",
    )
    effective_on = models.DateField(_("effective from"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    note = models.CharField(_("note"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        "accounts.User", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        "accounts.User", verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    refusal_reason = models.CharField(_("reason for refusal"), max_length=255, blank=True)

    objects = TransferRequestQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_union=models.F("to_union")),
                name="transfer_between_two_unions",
                violation_error_message=_("A transfer goes to another grassroots union."),
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(status="pending"),
                name="transfer_one_pending_per_member",
                violation_error_message=_("This member already has a transfer waiting for an answer."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.to_union}"
