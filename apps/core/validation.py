"""Model validation of many rows at once (an import's preview), each distinct value of a field checked once."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

# Distinct values remembered per field. Columns that repeat (gender, ethnicity, dates, group)
# fit; columns unique per person (CCCD, phone) fill it and are then checked value by value,
# so the memory held stays bounded however long the sheet.
REMEMBERED_PER_FIELD = 4096


class RowValidator:
    """``instance.full_clean(exclude=…, validate_unique=False, validate_constraints=False)`` for many instances
    of one model, with each field's check of a value done once and remembered.

    A field's own check (``Field.clean``: conversion, choices, blank, max length, validators) depends
    on the value alone, so its outcome for a value already seen is reused. Relations are
    excluded by the caller, which checks them in bulk (their check is a query each). The
    model's ``clean()`` still runs for every instance, as ``full_clean`` would: the rules
    between fields stay in the model, in one place.
    """

    def __init__(self, model: type[models.Model], *, exclude: tuple[str, ...] = ()) -> None:
        self.fields = [field for field in model._meta.fields if field.name not in exclude and not field.generated]
        unchecked = [field.name for field in self.fields if field.is_relation]
        if unchecked:
            raise ValueError(f"Relations are checked by the caller; exclude {', '.join(unchecked)}.")
        self.outcomes: dict[str, dict[tuple[type, Any], tuple[Any, list[ValidationError] | None]]] = {
            field.attname: {} for field in self.fields
        }

    def full_clean(self, instance: models.Model) -> None:
        """Raise ValidationError as ``full_clean`` would: the fields' errors and the model's ``clean()``'s together."""
        errors: dict[str, list[ValidationError]] = {}
        for field in self.fields:
            raw = getattr(instance, field.attname)
            if field.blank and raw in field.empty_values:
                continue
            cleaned, error = self.check(field, raw)
            if error:
                errors[field.name] = error
            else:
                setattr(instance, field.attname, cleaned)
        # As full_clean: the model's rules run even when a field failed, so every problem shows at once.
        try:
            instance.clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def check(self, field: models.Field, raw: Any) -> tuple[Any, list[ValidationError] | None]:
        outcomes = self.outcomes[field.attname]
        try:
            key = (raw.__class__, raw)
            return outcomes[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value: checked, not remembered
            return self._outcome(field, raw)
        outcome = self._outcome(field, raw)
        if len(outcomes) < REMEMBERED_PER_FIELD:
            outcomes[key] = outcome
        return outcome

    @staticmethod
    def _outcome(field: models.Field, raw: Any) -> tuple[Any, list[ValidationError] | None]:
        try:
            return field.clean(raw, None), None
        except ValidationError as error:
            return raw, error.error_list
