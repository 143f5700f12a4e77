"""Vietnamese names are searched without diacritics and sorted on the given name."""

from __future__ import annotations

import unicodedata

import pytest

from apps.core.text import fold, given_name, normalize_name


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


class TestFold:
    @pytest.mark.parametrize(
        ("name", "folded"),
        [
            ("Nguyễn Văn Đạt", "nguyen van dat"),
            ("ĐỖ THỊ HẰNG", "do thi hang"),
            ("Trương Thị Hương Giang", "truong thi huong giang"),  # ư and ơ carry a horn
            ("Phạm Thị Ngọc Ánh", "pham thi ngoc anh"),
            ("Lê Quý Đôn", "le quy don"),
            ("  Bùi   Minh\tĐức ", "bui minh duc"),
        ],
    )
    def test_strips_diacritics_and_case(self, name, folded):
        assert fold(name) == folded

    @pytest.mark.parametrize("name", ["Nguyễn Văn Đạt", "ĐỖ THỊ HẰNG", "Trương Thị Hương Giang"])
    def test_decomposed_input_folds_like_composed(self, name):
        # Text pasted from some Mac and Windows tools arrives decomposed (NFD).
        assert nfd(name) != name
        assert fold(nfd(name)) == fold(name)

    @pytest.mark.parametrize("empty", [None, "", "   "])
    def test_empty(self, empty):
        assert fold(empty) == ""


class TestNormalizeName:
    def test_collapses_spaces(self):
        assert normalize_name("  Nguyễn   Văn \t An  ") == "Nguyễn Văn An"

    def test_composes_decomposed_text(self):
        assert normalize_name(nfd("Đỗ Thị Hằng")) == "Đỗ Thị Hằng"
        assert unicodedata.is_normalized("NFC", normalize_name(nfd("Đỗ Thị Hằng")))

    def test_keeps_case_and_diacritics(self):
        assert normalize_name("ĐỖ THỊ HẰNG") == "ĐỖ THỊ HẰNG"

    @pytest.mark.parametrize("empty", [None, "", "   "])
    def test_empty(self, empty):
        assert normalize_name(empty) == ""


class TestGivenName:
    @pytest.mark.parametrize(
        ("full_name", "given"),
        [
            ("Nguyễn Văn An", "An"),
            ("Trần Thị Bình", "Bình"),
            ("  Lê   Hoàng  ", "Hoàng"),
            ("Tuấn", "Tuấn"),
            ("", ""),
        ],
    )
    def test_is_the_last_word(self, full_name, given):
        assert given_name(full_name) == given
