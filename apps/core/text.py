"""Vietnamese text helpers shared by search, sorting and imports."""

from __future__ import annotations

import unicodedata

# "đ" is a letter of its own, not "d" with a combining mark, so NFD leaves it alone.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d"})


def fold(text: str | None) -> str:
    """Lower-case ``text`` and strip Vietnamese diacritics: "Nguyễn Văn Đạt" -> "nguyen van dat"."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def normalize_name(text: str | None) -> str:
    """Tidy a person's or unit's name as typed: composed Unicode, single spaces."""
    if not text:
        return ""
    return " ".join(unicodedata.normalize("NFC", text).split())


def given_name(full_name: str) -> str:
    """The given name (tên) is the last word; Vietnamese lists sort on it first."""
    parts = full_name.split()
    return parts[-1] if parts else ""
