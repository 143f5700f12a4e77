"""Audit history (django-simple-history): who changed what, when, and through which path.

Every save of a tracked model writes a historical row. Requests set the user through
simple-history's middleware; imports and management commands wrap their work in
``recorded_as(...)`` so their rows say which import or command made them; bulk
writes go through ``bulk_create_recorded`` so they cannot skip history.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, models
from django.dispatch import receiver
from django.utils import timezone
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from apps.core.db import copy_rows, insert_objects

_context = threading.local()


@contextmanager
def recorded_as(reason: str, *, user=None) -> Iterator[None]:
    """Label every history row written inside the block with ``reason`` (and ``user`` when given)."""
    previous = getattr(_context, "value", None)
    _context.value = (reason, user)
    try:
        yield
    finally:
        _context.value = previous


def current_reason() -> tuple[str, object] | None:
    """The (reason, user) set by the innermost ``recorded_as`` block, if any."""
    return getattr(_context, "value", None)


@receiver(pre_create_historical_record)
def _label_history_row(sender, instance, history_instance, **kwargs) -> None:
    context = current_reason()
    if context is None:
        return
    reason, user = context
    if not history_instance.history_change_reason:
        history_instance.history_change_reason = reason[:100]
    if user is not None and history_instance.history_user_id is None:
        history_instance.history_user = user


# The columns simple-history adds to a tracked model's own; a history model with others is written the slow way.
_HISTORY_COLUMNS = {"history_id", "history_date", "history_change_reason", "history_type", "history_user_id"}


def bulk_create_recorded(model: type[models.Model], objects: Sequence[models.Model], *, batch_size: int = 2000):
    """``bulk_create`` that also writes one history row per object ("+", created), labelled like ``recorded_as``.

    On PostgreSQL both go by COPY (``apps.core.db.insert_objects``), the history rows straight
    from the objects' values without a historical model instance each.
    """
    context = current_reason()
    reason, user = context if context else ("", None)
    history_model = model.history.model
    tracked = [field.attname for field in history_model.tracked_fields]
    added = {field.attname for field in history_model._meta.concrete_fields} - set(tracked)
    if connection.vendor != "postgresql" or added != _HISTORY_COLUMNS:
        return bulk_create_with_history(
            objects, model, batch_size=batch_size, default_user=user, default_change_reason=reason[:100] or None
        )
    insert_objects(model, objects)
    now, change_reason, user_id = timezone.now(), reason[:100] or None, getattr(user, "pk", None)
    copy_rows(
        history_model._meta.db_table,
        [*(history_model._meta.get_field(name).column for name in tracked), *sorted(_HISTORY_COLUMNS - {"history_id"})],
        # In sorted order: history_change_reason, history_date, history_type, history_user_id.
        ([*(getattr(obj, name) for name in tracked), change_reason, now, "+", user_id] for obj in objects),
    )
    return list(objects)


def bulk_update_recorded(model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str]) -> int:
    """``bulk_update`` of ``fields`` that also writes one history row per object ("~", changed), labelled like
    ``recorded_as``: a change to a thousand rows is a few statements, not a thousand saves."""
    context = current_reason()
    reason, user = context if context else ("", None)
    return bulk_update_with_history(
        objects, model, list(fields), batch_size=2000, default_user=user, default_change_reason=reason[:100] or None
    )
