"""Writes about accounts and the personal-data access log."""

from __future__ import annotations

from collections.abc import Iterable

from apps.accounts.models import PersonalDataAccess, User


def personal_data_access_record(
    *, user: User, action: str, model: str, record_ids: Iterable[int], path: str = ""
) -> PersonalDataAccess:
    """Record that ``user`` saw or exported full ID numbers of these records."""
    ids = sorted(set(record_ids))
    federation_id = user.federation_id or (user.union.federation_id if user.union_id else None)
    return PersonalDataAccess.objects.create(
        user=user,
        federation_id=federation_id,
        action=action,
        model=model,
        record_ids=ids,
        record_count=len(ids),
        path=path[:255],
    )
