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

from django.db import models
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record
from simple_history.utils import bulk_create_with_history

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


def bulk_create_recorded(model: type[models.Model], objects: Sequence[models.Model], *, batch_size: int = 2000):
    """``bulk_create`` that also writes one history row per object, labelled like ``recorded_as``."""
    context = current_reason()
    reason, user = context if context else ("", None)
    return bulk_create_with_history(
        objects, model, batch_size=batch_size, default_user=user, default_change_reason=reason[:100] or None
    )
