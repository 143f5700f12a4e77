"""Writes that change membership. Admin, imports and views all call these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.scoping import transfer_destinations_of
from apps.core.db import copy_or_insert, reserve_ids
from apps.core.history import bulk_create_recorded, bulk_update_recorded, current_reason, recorded_as
from apps.core.text import normalize_name
from apps.members.models import (
    FOREIGN_WORKER_NO_OFFICE,
    Member,
    MembershipPeriod,
    TransferRequest,
    UnionOfficial,
    foreign_worker_refusal,
)
from apps.union_groups.models import UnionGroup
from apps.unions.models import Decision, DepartmentUnion, GrassrootsUnion, UnionAffiliation

# A person's own details; union, group and status change only through the lifecycle services.
PERSONAL_FIELDS = (
    "full_name",
    "gender",
    "date_of_birth",
    "national_id",
    "phone",
    "email",
    "ethnicity",
    "nationality",
    "contract_months",
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


def active_member_with_national_id(national_id: str | None, *, exclude_pk: int | None = None) -> Member | None:
    """The active member who holds ``national_id``, in any union: a person is active in one union at most."""
    if not national_id:
        return None
    return (
        Member.objects.active()
        .filter(national_id=national_id)
        .exclude(pk=exclude_pk)
        .select_related("union")
        .only("union__name", "union__code")
        .first()
    )


def active_out_of_scope_message() -> str:
    """What anyone is told of a person active in a union they may not see: the fact, never where."""
    return _(
        "This person is already an active member of another grassroots union. "
        "Contact the federation's staff to arrange the transfer."
    )


def active_elsewhere_message(clash: Member, *, actor: User | None, union: GrassrootsUnion | None = None) -> str:
    """What ``actor`` is told when the person they enrol is ``clash``, already active.

    The other union is named only to those who may see it (visible_to, not the role): a
    chair, or staff of another district, learns that the person is a member elsewhere
    and whom to ask, never where. ``union`` is the union being enrolled into, if known.
    """
    if actor is None or not GrassrootsUnion.objects.visible_to(actor).filter(pk=clash.union_id).exists():
        return active_out_of_scope_message()
    if union is not None and clash.union_id == union.pk:
        return _("This person is already an active member of this grassroots union.")
    return _(
        "This national ID number already belongs to an active member of “%(union)s” (code %(code)s). "
        "Transfer that member instead of enrolling them again."
    ) % {"union": clash.union.name, "code": clash.union.code}


def check_not_active_elsewhere(
    national_id: str | None,
    *,
    exclude_pk: int | None = None,
    actor: User | None = None,
    union: GrassrootsUnion | None = None,
) -> None:
    """Refuse a CCCD number that already belongs to an active member (see ``active_elsewhere_message``)."""
    clash = active_member_with_national_id(national_id, exclude_pk=exclude_pk)
    if clash is not None:
        raise ValidationError({"national_id": active_elsewhere_message(clash, actor=actor, union=union)})


@transaction.atomic
def member_enrol(
    *,
    union: GrassrootsUnion,
    joined_on: date,
    group: UnionGroup | None = None,
    actor: User | None = None,
    **personal,
) -> Member:
    """Enrol (kết nạp) a person into ``union`` from ``joined_on``, opening their membership period.

    ``actor`` (who enrols) decides how much a refusal may say about another union.
    """
    _check_personal_fields(personal)
    _check_group(union, group)
    member = Member(union=union, group=group, joined_union_on=joined_on, **personal)
    check_not_active_elsewhere(member.national_id, actor=actor, union=union)
    member.full_clean()
    member.save()
    if not member.card_number:
        member.card_number = card_number_for(member)
        member.save(update_fields=["card_number"])
    MembershipPeriod.objects.create(member=member, union=union, group=group, started_on=joined_on)
    return member


def card_number_for(member: Member) -> str:
    """A card number that is unique and never changes: the federation's code and the member's id."""
    return card_number(federation_code=member.union.federation.code, member_id=member.pk)


def card_number(*, federation_code: str, member_id: int) -> str:
    """The card number rule, for writers that know the member's id before the row exists (bulk loads)."""
    return f"{federation_code}-{member_id:07d}"


@transaction.atomic
def member_update(*, member: Member, actor: User | None = None, **personal) -> Member:
    """Change a member's personal details (not their union or group: those have their own services)."""
    _check_personal_fields(personal)
    for name, value in personal.items():
        setattr(member, name, value)
    check_not_active_elsewhere(member.national_id, exclude_pk=member.pk, actor=actor, union=member.union)
    member.full_clean()
    _check_no_foreign_official([member])
    member.save()
    return member


def _check_no_foreign_official(members: list[Member]) -> None:
    """A foreign member may hold no office (Trade Union Law 2024): refuse a change that makes an office holder one.

    Raises ValidationError on ``nationality`` with ``index`` set to the first such member.
    """
    foreign = {member.pk: index for index, member in enumerate(members) if member.pk and member.is_foreign}
    ids = list(foreign)
    holders: set[int] = set()
    for start in range(0, len(ids), 900):
        holders.update(
            UnionOfficial.objects.filter(member_id__in=ids[start : start + 900], ended_on__isnull=True).values_list(
                "member_id", flat=True
            )
        )
    if holders:
        error = ValidationError({"nationality": FOREIGN_WORKER_NO_OFFICE})
        error.index = min(foreign[member_id] for member_id in holders)
        raise error


@transaction.atomic
def member_change_group(*, member: Member, group: UnionGroup | None, on: date) -> Member:
    """Move a member to another group of the same union from ``on``, keeping the old period as history."""
    _check_group(member.union, group)
    current = MembershipPeriod.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    if current is None:
        raise ValidationError(_("Only an active member can be moved between groups."))
    # Compare with the history, not with member.group: an admin form has already set that.
    if current.group_id == (group.pk if group else None):
        return member
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


def _open_period(member: Member) -> MembershipPeriod:
    period = MembershipPeriod.objects.select_for_update().filter(member=member, ended_on__isnull=True).first()
    if period is None or member.status != Member.Status.ACTIVE:
        raise ValidationError(_("%(member)s is not an active member.") % {"member": member})
    return period


def _check_after_start(period: MembershipPeriod, on: date, field: str) -> None:
    if on <= period.started_on:
        raise ValidationError(
            {
                field: _("The date must be after the current membership began (%(day)s).")
                % {"day": period.started_on.strftime("%d/%m/%Y")}
            }
        )


def _end_offices(member: Member, on: date) -> None:
    """Offices end with the membership they hang on (a term that had not begun is dropped)."""
    _end_open_offices(UnionOfficial.objects.filter(member=member, ended_on__isnull=True), on)


def _end_open_offices(offices, on: date) -> int:
    """End the open ``offices`` on ``on``, dropping those whose term had not begun; returns how many.

    One UPDATE for them all, and one history row each, labelled like ``recorded_as``.
    """
    for office in offices.filter(started_on__gte=on):
        office.delete()  # rare (a term starting on or after the end); history through the signal
    ending = list(offices.filter(started_on__lt=on))
    if ending:
        UnionOfficial.objects.filter(pk__in=[office.pk for office in ending]).update(ended_on=on)
        for office in ending:
            office.ended_on = on
        _bulk_history(UnionOfficial, ending)
    return len(ending)


def _bulk_history(model, objects: list) -> None:
    """One "changed" history row per object written by an UPDATE, labelled like ``recorded_as``."""
    reason, user = current_reason() or ("", None)
    model.history.bulk_history_create(
        objects, batch_size=500, update=True, default_user=user, default_change_reason=reason[:100]
    )


@transaction.atomic
def member_leave(*, member: Member, on: date, reason: str) -> Member:
    """Record that a member leaves the union (thôi sinh hoạt) from ``on``; their history stays."""
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for leaving.")})
    period = _open_period(member)
    _check_after_start(period, on, "on")
    period.ended_on = on
    period.end_reason = reason.strip()
    period.save(update_fields=["ended_on", "end_reason"])
    _end_offices(member, on)
    member.status = Member.Status.LEFT
    member.group = None
    member.save(update_fields=["status", "group", "updated_at"])
    return member


@transaction.atomic
def member_rejoin(*, member: Member, on: date, group: UnionGroup | None = None, actor: User | None = None) -> Member:
    """Take a member who left back into their union from ``on`` (kết nạp lại)."""
    if member.status != Member.Status.LEFT:
        raise ValidationError(_("Only a member who has left can rejoin."))
    last = member.periods.order_by("-started_on").first()
    if last is not None and last.ended_on is not None and on < last.ended_on:
        raise ValidationError(
            {
                "on": _("The date cannot be before the member left (%(day)s).")
                % {"day": last.ended_on.strftime("%d/%m/%Y")}
            }
        )
    _check_group(member.union, group)
    check_not_active_elsewhere(member.national_id, exclude_pk=member.pk, actor=actor, union=member.union)
    MembershipPeriod.objects.create(member=member, union=member.union, group=group, started_on=on)
    member.status = Member.Status.ACTIVE
    member.group = group
    member.save(update_fields=["status", "group", "updated_at"])
    return member


def transfer_destinations(actor: User):
    """Unions a transfer may be sent to by ``actor``: active unions of their own federation(s).

    A chair sees no other union's data, but may address one by its code to send a member there.
    """
    return transfer_destinations_of(GrassrootsUnion.objects.active(), actor)


@transaction.atomic
def transfer_request(
    *, member: Member, to_union: GrassrootsUnion, on: date, actor: User, note: str = ""
) -> TransferRequest:
    """The sending side proposes to move ``member`` to ``to_union`` from ``on``; nothing moves until accepted."""
    if not Member.objects.visible_to(actor).filter(pk=member.pk).exists():
        raise ValidationError(_("%(member)s is not a member you manage.") % {"member": member})
    if not transfer_destinations(actor).filter(pk=to_union.pk).exists():
        raise ValidationError(
            {"to_union": _("This grassroots union does not exist or cannot receive transfers from you.")}
        )
    if to_union.pk == member.union_id:
        raise ValidationError({"to_union": _("The member already belongs to this grassroots union.")})
    period = _open_period(member)
    _check_after_start(period, on, "effective_on")
    if TransferRequest.objects.pending().filter(member=member).exists():
        raise ValidationError(_("This member already has a transfer waiting for an answer."))
    transfer = TransferRequest(
        member=member, from_union=member.union, to_union=to_union, effective_on=on, note=note, requested_by=actor
    )
    transfer.full_clean()
    transfer.save()
    return transfer


def _decide(transfer: TransferRequest, actor: User, side: str) -> TransferRequest:
    transfer = TransferRequest.objects.select_for_update().get(pk=transfer.pk)
    if transfer.status != TransferRequest.Status.PENDING:
        raise ValidationError(_("This transfer has already been decided."))
    union = transfer.to_union if side == "to" else transfer.from_union
    if not GrassrootsUnion.objects.visible_to(actor).filter(pk=union.pk).exists():
        if side == "to":
            raise ValidationError(_("Only the receiving union or district staff can answer this transfer."))
        raise ValidationError(_("Only the sending union or district staff can withdraw this transfer."))
    return transfer


@transaction.atomic
def transfer_accept(*, transfer: TransferRequest, actor: User, group: UnionGroup | None = None) -> TransferRequest:
    """The receiving side accepts: the member's period in the old union ends and one in the new begins, same day."""
    transfer = _decide(transfer, actor, "to")
    member = Member.objects.select_for_update().get(pk=transfer.member_id)
    if member.union_id != transfer.from_union_id:
        raise ValidationError(_("The member is no longer in the sending union; the transfer cannot be accepted."))
    _check_group(transfer.to_union, group)
    period = _open_period(member)
    _check_after_start(period, transfer.effective_on, "effective_on")
    period.ended_on = transfer.effective_on
    period.save(update_fields=["ended_on"])
    _end_offices(member, transfer.effective_on)
    MembershipPeriod.objects.create(
        member=member, union=transfer.to_union, group=group, started_on=transfer.effective_on
    )
    member.union = transfer.to_union
    member.group = group
    member.save(update_fields=["union", "group", "updated_at"])
    transfer.status = TransferRequest.Status.ACCEPTED
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    return transfer


@transaction.atomic
def transfer_refuse(*, transfer: TransferRequest, actor: User, reason: str) -> TransferRequest:
    """The receiving side refuses; the member stays where they are."""
    if not reason.strip():
        raise ValidationError({"refusal_reason": _("Give the reason for refusing.")})
    transfer = _decide(transfer, actor, "to")
    transfer.status = TransferRequest.Status.REFUSED
    transfer.refusal_reason = reason.strip()
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    return transfer


@transaction.atomic
def transfer_cancel(*, transfer: TransferRequest, actor: User) -> TransferRequest:
    """The sending side withdraws a transfer that has not been answered."""
    transfer = _decide(transfer, actor, "from")
    transfer.status = TransferRequest.Status.CANCELLED
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    return transfer


@transaction.atomic
def member_enrol_many(enrolments: list[dict], *, fields_checked: bool = False) -> list[Member]:
    """Enrol many people at once, as ``member_enrol`` does one by one, in a few queries (an import's new rows).

    Each enrolment holds ``union``, ``joined_on``, optional ``group`` and personal details. The
    same checks run (the model's validation, the group's union, one active membership per CCCD,
    unique card numbers, born before joining), each member gets one history row labelled like
    ``recorded_as``, and a membership period. A refusal raises ValidationError with ``index``
    set to the enrolment refused; nothing is written then.

    ``fields_checked``: the caller ran the model's field validation on these very values
    (an import's preview, moments before in the same job), so it is not run twice; for a
    sheet of 100,000 rows it was a fifth of the write. Every other check still runs.
    """
    members = []
    for index, enrolment in enumerate(enrolments):
        personal = dict(enrolment)
        union, joined_on, group = personal.pop("union"), personal.pop("joined_on"), personal.pop("group", None)
        _check_personal_fields(personal)
        member = Member(union=union, group=group, joined_union_on=joined_on, **personal)
        try:
            _check_group(union, group)
        except ValidationError as error:
            error.index = index
            raise
        _tidy_and_validate(member, index, fields=not fields_checked)
        members.append(member)
    _check_unique_in_bulk(members)
    # Ids taken beforehand, so that each card number is written with its row: numbering them
    # by UPDATE after the insert took 12 s for a sheet of 100,000 new members.
    for member, member_id in zip(members, reserve_ids(Member, len(members)), strict=True):
        member.pk = member_id
        if not member.card_number:
            member.card_number = card_number_for(member)
    bulk_create_recorded(Member, members)
    # The periods as plain rows: a model instance each cost more than writing it.
    copy_or_insert(
        MembershipPeriod,
        ("member_id", "union_id", "group_id", "started_on"),
        [(member.pk, member.union_id, member.group_id, member.joined_union_on) for member in members],
    )
    return members


def _tidy_and_validate(member: Member, index: int, *, fields: bool = True) -> None:
    """What Member.save() tidies and full_clean checks without a query (``fields``); bulk writes skip save()."""
    member.full_name = normalize_name(member.full_name)
    member.national_id = (member.national_id or "").strip() or None
    member.card_number = (member.card_number or "").strip() or None
    for name, value in Member.derived_name_fields(member.full_name).items():
        setattr(member, name, value)
    try:
        if fields:
            # Union and group are objects already checked; uniqueness and constraints are checked in bulk.
            member.full_clean(
                exclude=["union", "group", "federation"], validate_unique=False, validate_constraints=False
            )
        if member.date_of_birth and member.date_of_birth >= member.joined_union_on:
            raise ValidationError(
                {"date_of_birth": _("The date of birth must be before the date of joining the union.")}
            )
        # Also when the fields were checked: the database holds this rule on PostgreSQL only.
        refusal = foreign_worker_refusal(member.nationality, member.contract_months)
        if refusal:
            raise ValidationError({"contract_months": refusal})
    except ValidationError as error:
        error.index = index
        raise


def _check_unique_in_bulk(members: list[Member]) -> None:
    """One active membership per CCCD and unique card numbers, for a batch, without naming anyone's union."""
    for field, queryset, message in (
        ("national_id", Member.objects.active(), _("This national ID number already belongs to an active member.")),
        ("card_number", Member.objects.all(), _("This member card number belongs to another member.")),
    ):
        positions: dict[str, int] = {}
        for index, member in enumerate(members):
            value = getattr(member, field)
            if value is None:
                continue
            if value in positions:
                error = ValidationError({field: message})
                error.index = index
                raise error
            positions[value] = index
        values = list(positions)
        for start in range(0, len(values), 900):
            taken = queryset.filter(**{f"{field}__in": values[start : start + 900]}).values_list(field, "pk")
            for value, pk in taken:
                if pk != members[positions[value]].pk:  # a member keeps their own number
                    error = ValidationError({field: message})
                    error.index = positions[value]
                    raise error


@transaction.atomic
def member_update_many(changes: list[tuple[Member, dict]]) -> list[Member]:
    """Change many members' personal details, as ``member_update`` does one by one, with far fewer queries.

    The same checks run; each member is written by one UPDATE and gets one history row labelled
    like ``recorded_as``. A refusal raises ValidationError with ``index`` set; nothing is written then.
    """
    members = []
    for index, (member, personal) in enumerate(changes):
        _check_personal_fields(personal)
        for name, value in personal.items():
            setattr(member, name, value)
        _tidy_and_validate(member, index)
        members.append(member)
    _check_unique_in_bulk(members)
    _check_no_foreign_official(members)
    _write_changes(changes)
    reason, user = current_reason() or ("", None)
    Member.history.bulk_history_create(
        members, batch_size=500, update=True, default_user=user, default_change_reason=reason[:100]
    )
    return members


def _write_changes(changes: list[tuple[Member, dict]]) -> None:
    """One UPDATE a member, sent as one executemany per set of changed columns.

    An ORM ``update()`` a row cost about 0.5 ms of Python on top of the database's work, and
    bulk_update's CASE expressions more; the values are prepared by the model's own fields.
    """
    now = timezone.now()
    derived = tuple(Member.derived_name_fields(""))
    by_columns: dict[tuple[str, ...], list[Member]] = {}
    for member, personal in changes:
        member.updated_at = now
        by_columns.setdefault(tuple(sorted({*personal, *derived, "updated_at"})), []).append(member)
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for names, members in by_columns.items():
            fields = [Member._meta.get_field(name) for name in names]
            assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
            sql = f"UPDATE {quote(Member._meta.db_table)} SET {assignments} WHERE {quote('id')} = %s"
            cursor.executemany(
                sql,
                [
                    [field.get_db_prep_save(getattr(member, field.attname), connection) for field in fields]
                    + [member.pk]
                    for member in members
                ],
            )


@dataclass(frozen=True)
class DissolutionCounts:
    """What dissolving a CĐCS closes: its active members, open groups and department unions, officials in office."""

    members: int = 0
    groups: int = 0
    department_unions: int = 0
    officials: int = 0


def dissolution_counts(union_ids: Iterable[int]) -> dict[int, DissolutionCounts]:
    """Per CĐCS, what ``unions_dissolve`` would close today: one grouped query per kind of record."""
    union_ids = list(union_ids)

    def per_union(rows) -> dict[int, int]:
        return dict(rows.filter(union__in=union_ids).values_list("union").annotate(n=Count("pk")).order_by())

    members = per_union(Member.objects.filter(status=Member.Status.ACTIVE))
    groups = per_union(UnionGroup.objects.filter(dissolved_on__isnull=True))
    departments = per_union(DepartmentUnion.objects.filter(dissolved_on__isnull=True))
    officials = per_union(UnionOfficial.objects.filter(ended_on__isnull=True))
    return {
        pk: DissolutionCounts(
            members=members.get(pk, 0),
            groups=groups.get(pk, 0),
            department_unions=departments.get(pk, 0),
            officials=officials.get(pk, 0),
        )
        for pk in union_ids
    }


def dissolution_reason() -> str:
    """The end reason written on each membership period a dissolution closes, in the portal's language.

    It is stored, not shown through gettext on reading, so it is written in the language of the
    records (Vietnamese), whatever the language of the person who dissolves.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return _("Grassroots union dissolved")


def _dissolution_label(decision: Decision | None) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        if decision is None:
            return _("Grassroots union dissolved")
        return _("Dissolved by decision %(number)s of %(day)s") % {
            "number": decision.number,
            "day": decision.signed_on.strftime("%d/%m/%Y"),
        }


def _check_dissolvable(union: GrassrootsUnion, on: date, moved_in: date | None, periods_past: int) -> None:
    if union.status == GrassrootsUnion.Status.DISSOLVED:
        raise ValidationError(
            _("The grassroots union %(code)s is already dissolved (from %(day)s).")
            % {"code": union.code, "day": union.dissolved_on.strftime("%d/%m/%Y")}
        )
    if on < union.established_on:
        raise ValidationError(
            {
                "on": _("The grassroots union %(code)s was established on %(day)s; it cannot be dissolved before.")
                % {"code": union.code, "day": union.established_on.strftime("%d/%m/%Y")}
            }
        )
    # Its last period under a superior (from ``moved_in``) ends on the dissolution date, after it starts.
    if moved_in is not None and on <= moved_in:
        raise ValidationError(
            {
                "on": _(
                    "The grassroots union %(code)s has been under its superior union since %(day)s; dissolve it after."
                )
                % {"code": union.code, "day": moved_in.strftime("%d/%m/%Y")}
            }
        )
    # Nobody is a member of a dissolved CĐCS: a period that begins on or after the date, or runs
    # past it (a leave recorded later than the dissolution), is a mistake to correct first.
    if periods_past:
        raise ValidationError(
            {
                "on": _(
                    "The grassroots union %(code)s has %(count)s membership periods that begin on or after %(day)s "
                    "or end after it; correct their dates or choose a later dissolution date."
                )
                % {"code": union.code, "count": periods_past, "day": on.strftime("%d/%m/%Y")}
            }
        )


@transaction.atomic
def unions_dissolve(
    unions: Iterable[GrassrootsUnion], *, on: date, decision: Decision | None = None, actor: User | None = None
) -> dict[int, DissolutionCounts]:
    """Dissolve the CĐCS ``unions`` from ``on`` (giải thể), all or none; returns what each one closed.

    Each active member leaves on ``on`` (their period ends with the reason "CĐCS giải thể", their
    offices end, they leave their group), the union's groups and department unions are dissolved,
    and the union too, with ``decision`` recorded on it (and named in the history label). Dates
    are exclusive ends, as everywhere, so the figures of the days before ``on`` stay as they were.
    A refusal names the CĐCS and writes nothing.
    """
    today = timezone.localdate()
    if on > today:
        # Members would stop counting from a day still to come while they are members today,
        # and a decision can still be withdrawn: a dissolution is recorded once it has taken effect.
        raise ValidationError({"on": _("The dissolution date cannot be after today: record it once it takes effect.")})
    locked = list(
        GrassrootsUnion.objects.select_for_update().filter(pk__in=[union.pk for union in unions]).order_by("code")
    )
    if not locked:
        raise ValidationError(_("Choose at least one grassroots union to dissolve."))
    moved_in = dict(UnionAffiliation.objects.filter(union__in=locked).open().values_list("union_id", "started_on"))
    periods_past = dict(
        MembershipPeriod.objects.filter(union__in=locked)
        .filter(Q(started_on__gte=on) | Q(ended_on__gt=on))
        .order_by()
        .values_list("union")
        .annotate(n=Count("pk"))
    )
    for union in locked:
        _check_dissolvable(union, on, moved_in.get(union.pk), periods_past.get(union.pk, 0))
    union_ids = [union.pk for union in locked]
    counts = dissolution_counts(union_ids)
    with recorded_as(_dissolution_label(decision), user=actor):
        _close_memberships(union_ids, on)
        _end_open_offices(UnionOfficial.objects.filter(union__in=union_ids, ended_on__isnull=True), on)
        for model in (UnionGroup, DepartmentUnion):
            _dissolve_parts(model.objects.filter(union__in=union_ids), on)
        # Their last periods under a superior end too, so that they keep covering each CĐCS's life.
        now = timezone.now()
        UnionAffiliation.objects.filter(union__in=union_ids).open().update(ended_on=on, updated_at=now)
        for union in locked:
            union.status = GrassrootsUnion.Status.DISSOLVED
            union.dissolved_on = on
            union.dissolution_decision = decision
            union.updated_at = now
        # In bulk, with a history row each: a statement or two whatever the number of CĐCS.
        bulk_update_recorded(GrassrootsUnion, locked, ["status", "dissolved_on", "dissolution_decision", "updated_at"])
    return counts


def _close_memberships(union_ids: list[int], on: date) -> None:
    """End every open period of the unions on ``on``; their members leave, out of any group."""
    MembershipPeriod.objects.filter(union__in=union_ids, ended_on__isnull=True).update(
        ended_on=on, end_reason=dissolution_reason()
    )
    members = list(Member.objects.filter(union__in=union_ids, status=Member.Status.ACTIVE))
    if not members:
        return
    now = timezone.now()
    Member.objects.filter(pk__in=[member.pk for member in members]).update(
        status=Member.Status.LEFT, group=None, updated_at=now
    )
    for member in members:
        member.status, member.group, member.updated_at = Member.Status.LEFT, None, now
    _bulk_history(Member, members)


def _dissolve_parts(parts, on: date) -> None:
    """Dissolve groups or department unions still open on ``on``; one set up after ``on`` ends the day it began."""
    # Not dissolved, or dissolved only after ``on``: an earlier dissolution is kept.
    closing = list(parts.filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=on)))
    for part in closing:
        part.dissolved_on = max(on, part.established_on)
        part.updated_at = timezone.now()
    if closing:
        type(closing[0]).objects.bulk_update(closing, ["dissolved_on", "updated_at"], batch_size=500)
        _bulk_history(type(closing[0]), closing)
