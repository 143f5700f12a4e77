"""Writes about accounts and the personal-data access log."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from apps.accounts.models import PersonalDataAccess, User

logger = logging.getLogger("unionportal.personal_data")


def personal_data_access_record(
    *, user: User, action: str, model: str, record_ids: Iterable[int], path: str = ""
) -> PersonalDataAccess:
    """Record that ``user`` saw or exported full ID numbers of these records."""
    ids = sorted(set(record_ids))
    federation_id = user.federation_id or (user.union.federation_id if user.union_id else None)
    access = PersonalDataAccess.objects.create(
        user=user,
        federation_id=federation_id,
        action=action,
        model=model,
        record_ids=ids,
        record_count=len(ids),
        path=path[:255],
    )
    # Also in the log, with the client address, for whoever watches it outside the portal; the
    # records are named by the access log's row, where their ids are kept.
    logger.info(
        "whole ID numbers %s: %s %s record(s)",
        action,
        model,
        len(ids),
        extra={
            "event": f"id_numbers_{action}",
            "user_id": user.pk,
            "model": model,
            "records": len(ids),
            "access_id": access.pk,
            "path": path[:255],
        },
    )
    return access
