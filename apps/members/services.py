"""Writes that change membership. Admin, imports and views all call these."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from apps.members.models import Member, MembershipPeriod
from apps.union_groups.models import UnionGroup
from apps.unions.models import GrassrootsUnion

# A person's own details; union, group and status change only through the lifecycle services.
PERSONAL_FIELDS = (
    "full_name",
    "gender",
    "date_of_birth",
    "national_id",
    "phone",
    "email",
    "ethnicity",
    "job_title",
    "card_number",
)


def _check_group(union: GrassrootsUnion, group: UnionGroup | None) -> None:
    if group is not None and group.union_id != union.pk:
        raise ValidationError({"group": _("The union group must belong to the member's grassroots union.")})


def _check_personal_fields(fields: dict) -> None:
    unknown = fields.keys() - set(PERSONAL_FIELDS)
    if unknown:
        raise TypeError(f"Not personal details: {sorted(unknown)}; use the lifecycle services for these.")


def check_not_active_elsewhere(national_id: str | None, *, exclude_pk: int | None = None) -> None:
    """Refuse a CCCD number that already belongs to an active member, naming that member's union."""
    if not national_id:
        return
    clash = (
        Member.objects.active()
        .filter(national_id=national_id)
        .exclude(pk=exclude_pk)
        .select_related("union")
        .only("union__name")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "national_id": _(
                    "This national ID number already belongs to an active member of “%(union)s”. "
                    "Transfer that member instead of enrolling them again."
                )
                % {"union": clash.union.name}
            }
        )


@transaction.atomic
def member_enrol(
    *,
    union: GrassrootsUnion,
    joined_on: date,
    group: UnionGroup | None = None,
    **personal,
) -> Member:
    """Enrol (kết nạp) a person into ``union`` from ``joined_on``, opening their membership period."""
    _check_personal_fields(personal)
    _check_group(union, group)
    member = Member(union=union, group=group, joined_union_on=joined_on, **personal)
    check_not_active_elsewhere(member.national_id)
    member.full_clean()
    member.save()
    MembershipPeriod.objects.create(member=member, union=union, group=group, started_on=joined_on)
    return member


@transaction.atomic
def member_update(*, member: Member, **personal) -> Member:
    """Change a member's personal details (not their union or group: those have their own services)."""
    _check_personal_fields(personal)
    for name, value in personal.items():
        setattr(member, name, value)
    check_not_active_elsewhere(member.national_id, exclude_pk=member.pk)
    member.full_clean()
    member.save()
    return member


@transaction.atomic
def member_change_group(*, member: Member, group: UnionGroup | None, on: date) -> Member:
    """Move a member to another group of the same union from ``on``, keeping the old period as history."""
    _check_group(member.union, group)
    if member.group_id == (group.pk if group else None):
        return member
    current = MembershipPeriod.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    if current is None:
        raise ValidationError(_("Only an active member can be moved between groups."))
    if on < current.started_on:
        raise ValidationError(
            {
                "group": _("The move cannot be dated before the current membership period starts (%(day)s).")
                % {"day": current.started_on.strftime("%d/%m/%Y")}
            }
        )
    if on == current.started_on:
        current.group = group
        current.save(update_fields=["group"])
    else:
        current.ended_on = on
        current.save(update_fields=["ended_on"])
        MembershipPeriod.objects.create(member=member, union=member.union, group=group, started_on=on)
    member.group = group
    member.save(update_fields=["group", "updated_at"])
    return member
