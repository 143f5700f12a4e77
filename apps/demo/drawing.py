"""Random drawing shared by the demo district and the synthetic city: one rule for each made-up detail.

Both generators draw from a seeded ``random.Random``; each helper takes it as an argument
and draws from it in a fixed order, so the same seed keeps giving the same data.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from itertools import accumulate
from typing import Generic, TypeVar

from apps.demo import names

T = TypeVar("T")


class Picker(Generic[T]):
    """Weighted choice, as ``random.choices`` draws it, with the cumulative weights added up once."""

    def __init__(self, rng: random.Random, choices: Sequence[tuple[T, float]]) -> None:
        self.rng = rng
        self.values = [value for value, _ in choices]
        self.cumulative = list(accumulate(weight for _, weight in choices))
        self.total = self.cumulative[-1] + 0.0

    def __call__(self) -> T:
        return self.values[bisect_right(self.cumulative, self.rng.random() * self.total, 0, len(self.values) - 1)]


def day_between(rng: random.Random, start: date, end: date, skew: float = 1.0) -> date:
    """A day in [start, end]; ``skew`` < 1 leans towards ``end``."""
    if end <= start:
        return start
    return start + timedelta(days=int((end - start).days * rng.random() ** skew))


def years_after(day: date, years: int) -> date:
    """About ``years`` years after ``day``: same month, the day capped at 28 so that it exists every year."""
    return date(day.year + years, day.month, min(day.day, 28))


def landline(rng: random.Random) -> str:
    """A Hà Nội office number."""
    return f"024 3{rng.randint(0, 999):03d} {rng.randint(0, 9999):04d}"


def mobile_phone(rng: random.Random) -> str:
    """A Vietnamese mobile number."""
    return f"{rng.choice(names.PHONE_PREFIXES)}{rng.randint(0, 9_999_999):07d}"


def national_id_prefix(province: str, born: date, *, female: bool) -> str:
    """The first six digits of a CCCD: province (3), century and gender (1), year of birth (2)."""
    century_and_gender = (born.year // 100 - 19) * 2 + (1 if female else 0)
    return f"{province}{century_and_gender}{born.year % 100:02d}"
