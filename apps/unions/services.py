"""Writes to the organisation's records that pages other than the admin make."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.scoping import federation_subtree_q
from apps.core.history import bulk_update_recorded, recorded_as
from apps.unions.models import Decision, Federation, GrassrootsUnion, UnionAffiliation, WorkforceDeclaration


@transaction.atomic
def workforce_declare(
    *, union: GrassrootsUnion, as_of: date, total_workers: int, female_workers: int, note: str = ""
) -> WorkforceDeclaration:
    """Record the workforce ``union`` declares as of ``as_of`` (total and female workers)."""
    declaration = WorkforceDeclaration(
        union=union, as_of=as_of, total_workers=total_workers, female_workers=female_workers, note=note
    )
    declaration.full_clean()
    declaration.save()
    return declaration


def _move_label(to: Federation, decision: Decision | None) -> str:
    # Stored in the CĐCS's history, so written in the language of the records.
    with translation.override(settings.LANGUAGE_CODE):
        if decision is None:
            return _("Moved to %(federation)s") % {"federation": to.name}
        return _("Moved to %(federation)s by decision %(number)s of %(day)s") % {
            "federation": to.name,
            "number": decision.number,
            "day": f"{decision.signed_on:%d/%m/%Y}",
        }


def _check_target(to: Federation, on: date) -> None:
    if to.founded_on is not None and on < to.founded_on:
        raise ValidationError(
            {
                "to": _("“%(federation)s” is founded only on %(day)s: nothing can be moved into it before.")
                % {"federation": to.name, "day": f"{to.founded_on:%d/%m/%Y}"}
            }
        )
    if to.has_ended(on=on):
        raise ValidationError({"to": to.ended_message})


def _check_movable(
    union: GrassrootsUnion, period: UnionAffiliation | None, to: Federation, on: date, *, codes_taken: set[str]
) -> None:
    names = {"code": union.code, "federation": to.name}
    if union.status == GrassrootsUnion.Status.DISSOLVED:
        raise ValidationError(
            _("The grassroots union %(code)s is dissolved (from %(day)s): it cannot be moved.")
            % {**names, "day": f"{union.dissolved_on:%d/%m/%Y}"}
        )
    if union.federation_id == to.pk:
        raise ValidationError(_("The grassroots union %(code)s is already under %(federation)s.") % names)
    if period is None or on <= period.started_on:
        since = period.started_on if period is not None else union.established_on
        raise ValidationError(
            {
                "on": _("The grassroots union %(code)s has been where it is since %(day)s: move it after that day.")
                % {**names, "day": f"{since:%d/%m/%Y}"}
            }
        )
    if union.code in codes_taken:
        raise ValidationError(
            _("%(federation)s already has a grassroots union with the code %(code)s: change one of the codes first.")
            % names
        )


@transaction.atomic
def unions_move(
    *, unions: Iterable[GrassrootsUnion], to: Federation, on: date, decision: Decision | None, by: User | None
) -> list[UnionAffiliation]:
    """Move the CĐCS ``unions`` under ``to`` from ``on``, all or none; returns their new periods.

    Each CĐCS's open period ends on ``on`` (the first day it is no longer in it) and one under
    ``to`` opens that day, with ``decision``; ``GrassrootsUnion.federation`` follows. Figures of
    days before ``on`` keep counting it under its former superior (the triggers on the periods
    note the change from ``on``). A refusal names the CĐCS and writes nothing.

    Written in bulk (a fixed number of statements whatever the number of CĐCS): a district
    of a thousand CĐCS moves in one request. The checks ``full_clean`` would make one CĐCS at
    a time are made here for all of them at once; the database's constraints stand behind them.
    """
    if on > timezone.localdate():
        # GrassrootsUnion.federation is the superior today: a move is recorded once it takes effect.
        raise ValidationError({"on": _("The date of the move cannot be after today: record it once it takes effect.")})
    _check_target(to, on)
    locked = list(
        GrassrootsUnion.objects.select_for_update().filter(pk__in=[union.pk for union in unions]).order_by("code")
    )
    if not locked:
        raise ValidationError(_("Choose at least one grassroots union to move."))
    open_periods = {
        period.union_id: period
        for period in UnionAffiliation.objects.select_for_update().filter(union__in=locked).open()
    }
    # Codes stay stable through a move: unique within the top federation of the CĐCS's new tree.
    codes_taken = set(
        GrassrootsUnion._base_manager.filter(
            federation_subtree_q(to.top(), "federation"), code__in=[union.code for union in locked]
        )
        .exclude(pk__in=[union.pk for union in locked])
        .values_list("code", flat=True)
    )
    for union in locked:
        _check_movable(union, open_periods.get(union.pk), to, on, codes_taken=codes_taken)
    now = timezone.now()
    UnionAffiliation.objects.filter(pk__in=[open_periods[union.pk].pk for union in locked]).update(
        ended_on=on, updated_at=now
    )
    opened = UnionAffiliation.objects.bulk_create(
        [UnionAffiliation(union=union, federation=to, started_on=on, decision=decision) for union in locked]
    )
    for union in locked:
        union.federation, union.updated_at = to, now
    with recorded_as(_move_label(to, decision), user=by):
        bulk_update_recorded(GrassrootsUnion, locked, ["federation", "updated_at"])
    return opened


@dataclass(frozen=True)
class Reorganised:
    """What a reorganisation did: the day, the CĐCS moved, the successors that took them, the accounts touched."""

    on: date
    unions: int
    successors: int
    accounts: int


@transaction.atomic
def federation_reorganise(
    *,
    federation: Federation,
    on: date,
    decision: Decision,
    successors: Mapping[GrassrootsUnion, Federation],
    accounts_to: Federation | None,
    by: User | None,
) -> Reorganised:
    """End ``federation`` on ``on`` and move each of its active CĐCS to its successor, all or nothing.

    A merger (every CĐCS to one union) and a split (to several) are the same call. The ended
    body's staff and leader accounts move to ``accounts_to``, or are deactivated without one:
    nobody signs in to a body that no longer exists. Its CĐCS keep their codes and history;
    figures of the days before ``on`` keep counting them under ``federation``.
    """
    locked = Federation.objects.select_for_update().get(pk=federation.pk)
    if locked.ended_on is not None:
        raise ValidationError(locked.ended_message)
    holds = list(locked.children.not_ended(on=on).values_list("name", flat=True))
    if holds:
        raise ValidationError(
            _("“%(federation)s” still holds %(names)s: move or end them first.")
            % {"federation": locked.name, "names": ", ".join(f"“{name}”" for name in holds)}
        )
    active = GrassrootsUnion.objects.filter(federation=locked, status=GrassrootsUnion.Status.ACTIVE).order_by("code")
    by_id = {union.pk: successor for union, successor in successors.items()}
    unplaced = [union.code for union in active if union.pk not in by_id]
    if unplaced:
        raise ValidationError(_("Choose where these CĐCS go: %(codes)s.") % {"codes": ", ".join(unplaced)})
    strangers = set(by_id) - set(active.values_list("pk", flat=True))
    if strangers:
        raise ValidationError(
            _("Only the active CĐCS of “%(federation)s” can be moved with it.") % {"federation": locked.name}
        )
    groups: dict[Federation, list[GrassrootsUnion]] = {}
    for union, successor in successors.items():
        if successor.pk == locked.pk:
            raise ValidationError(_("A CĐCS cannot be sent to the union that ends."))
        groups.setdefault(successor, []).append(union)
    for successor, moved in sorted(groups.items(), key=lambda item: item[0].code):
        unions_move(unions=moved, to=successor, on=on, decision=decision, by=by)
    locked.ended_on, locked.ending_decision = on, decision
    locked.full_clean()
    with recorded_as(_ending_label(decision), user=by):
        locked.save(update_fields=["ended_on", "ending_decision", "updated_at"])
    accounts = _hand_over_accounts(locked, accounts_to)
    return Reorganised(on=on, unions=len(by_id), successors=len(groups), accounts=accounts)


def _ending_label(decision: Decision) -> str:
    # Stored in the federation's history, so written in the language of the records.
    with translation.override(settings.LANGUAGE_CODE):
        return _("Ended and its CĐCS moved by decision %(number)s of %(day)s") % {
            "number": decision.number,
            "day": f"{decision.signed_on:%d/%m/%Y}",
        }


def _hand_over_accounts(federation: Federation, accounts_to: Federation | None) -> int:
    """Move the ended body's staff and leader accounts to ``accounts_to``, or deactivate them; how many."""
    accounts = User.objects.filter(federation=federation)
    if accounts_to is None:
        return accounts.update(is_active=False)
    return accounts.update(federation=accounts_to)
