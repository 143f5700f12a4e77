"""Number and ratio formatting in the active language (13.734 and 95,9 % in Vietnamese)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation


def ratio_percent(numerator: int, denominator: int) -> Decimal | None:
    """Return numerator/denominator as a percentage rounded half-up to one decimal, or None."""
    if not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def format_number(value: int | Decimal | None, decimal_pos: int | None = None) -> str:
    """Format a number with the active language's separators."""
    if value is None:
        return "–"
    return formats.number_format(value, decimal_pos=decimal_pos, use_l10n=True, force_grouping=True)


def format_percent(value: Decimal | None) -> str:
    """Format a percentage: "95,9 %" in Vietnamese, "95.9%" in English."""
    if value is None:
        return "–"
    number = format_number(value, decimal_pos=1)
    if (translation.get_language() or "vi").startswith("vi"):
        return f"{number} %"
    return f"{number}%"


def format_ratio(numerator: int, denominator: int) -> str:
    """Format numerator/denominator as a percentage, or a dash when there is no denominator."""
    return format_percent(ratio_percent(numerator, denominator))
