"""Writes to the organisation's records that pages other than the admin make."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from apps.unions.models import GrassrootsUnion, WorkforceDeclaration


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
