"""Portal accounts and their roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.scoping import AccountQuerySet, ScopedQuerySet


class UserQuerySet(AccountQuerySet):
    """Portal accounts; who sees which is AccountQuerySet's rule (apps.accounts.scoping)."""


class PortalUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: district staff, a CĐCS chair or a leader."""

    class Role(models.TextChoices):
        # Staff of any upper-level union (city, district, ward …): the role's name says no level.
        DISTRICT_STAFF = "staff", _("upper-level union staff")
        UNION_CHAIR = "chair", _("grassroots union chair")
        LEADER = "leader", _("leader")

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    federation = models.ForeignKey(
        "unions.Federation",
        verbose_name=_("federation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For district staff and leaders."),
    )
    union = models.ForeignKey(
        "unions.GrassrootsUnion",
        verbose_name=_("grassroots union"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="chair_accounts",
        help_text=_("For a grassroots union chair."),
    )

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role="")
                | models.Q(role="chair", union__isnull=False, federation__isnull=True)
                | models.Q(role__in=["staff", "leader"], federation__isnull=False, union__isnull=True),
                name="user_role_has_its_scope",
                violation_error_message=_(
                    "A chair needs a grassroots union (and no federation); "
                    "district staff and leaders need a federation (and no union)."
                ),
            ),
        ]

    def clean(self) -> None:
        super().clean()
        if self.role == self.Role.UNION_CHAIR and not self.union_id:
            raise ValidationError({"union": _("A grassroots union chair needs their grassroots union.")})
        if self.role in (self.Role.DISTRICT_STAFF, self.Role.LEADER) and not self.federation_id:
            raise ValidationError({"federation": _("District staff and leaders need their federation.")})
        if self.federation_id and self.federation.has_ended(on=timezone.localdate()):
            # Only attaching is refused: an account already there can still be corrected or deactivated.
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("federation_id", flat=True).first()
            if self._state.adding or stored != self.federation_id:
                raise ValidationError({"federation": self.federation.ended_message})

    def get_full_name(self) -> str:
        # Vietnamese order: family and middle names (last_name), then the given name (first_name).
        return " ".join(f"{self.last_name} {self.first_name}".split())

    @property
    def is_district_staff(self) -> bool:
        return self.role == self.Role.DISTRICT_STAFF

    @property
    def is_union_chair(self) -> bool:
        return self.role == self.Role.UNION_CHAIR

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER


class PersonalDataAccessQuerySet(ScopedQuerySet):
    # District staff review who saw full ID numbers in their federation; chairs see none.
    union_path = None
    federation_path = "federation"


class PersonalDataAccess(models.Model):
    """Someone saw or exported full national ID numbers: who, when, which records."""

    class Action(models.TextChoices):
        VIEW = "view", _("viewed")
        EXPORT = "export", _("exported")

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.PROTECT, related_name="data_accesses")
    federation = models.ForeignKey(
        "unions.Federation", verbose_name=_("federation"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=64)
    record_ids = models.JSONField(_("record IDs"), default=list)
    record_count = models.PositiveIntegerField(_("number of records"))
    path = models.CharField(_("page address"), max_length=255, blank=True)

    objects = PersonalDataAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("access to ID numbers")
        verbose_name_plural = _("accesses to ID numbers")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_action_display()} – {self.record_count}"
