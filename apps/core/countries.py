"""Countries by their ISO 3166-1 alpha-2 codes, named in Vietnamese (a member's nationality)."""

from __future__ import annotations

from functools import cache

from babel import Locale

from apps.core.text import fold

VIETNAM = "VN"

# CLDR's two-letter territories include groupings and placeholders that are nobody's
# nationality (European Union, Eurozone, United Nations, Outlying Oceania, the pseudo-locales,
# Unknown Region); Kosovo's XK is kept, as passports carry it.
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@cache
def country_choices() -> list[tuple[str, str]]:
    """(code, Vietnamese name) of every country, Việt Nam first, the rest in Vietnamese alphabetical order."""
    names = Locale.parse("vi").territories
    countries = [
        (code, name)
        for code, name in names.items()
        if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES and code != VIETNAM
    ]
    countries.sort(key=lambda choice: (fold(choice[1]), choice[1]))
    return [(VIETNAM, names[VIETNAM]), *countries]


@cache
def _codes_by_text() -> dict[str, str]:
    by_text = {}
    for code, name in country_choices():
        by_text[fold(name)] = code
        by_text[code.lower()] = code
    return by_text


def country_code(text: str | None) -> str | None:
    """The code of the country ``text`` names, by its code ("KR") or Vietnamese name ("Hàn Quốc", accents optional).

    None when it names no country.
    """
    return _codes_by_text().get(fold(text))


def country_name(code: str) -> str:
    """The Vietnamese name of the country ``code``; the code itself if it names none."""
    return dict(country_choices()).get(code, code)
