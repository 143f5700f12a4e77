"""Dates are dd/mm/yyyy and numbers 13.734 / 95,9 % in Vietnamese; English stays English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from apps.core.formatting import format_number, format_percent, format_ratio, ratio_percent

JUNE_5 = dt.date(1990, 6, 5)


@pytest.fixture
def en():
    with translation.override("en"):
        yield


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


class TestVietnameseDates:
    def test_short_date_is_day_first_with_slashes(self, vi):
        assert formats.date_format(JUNE_5, "SHORT_DATE_FORMAT") == "05/06/1990"

    def test_date_format_is_day_first_with_slashes(self, vi):
        assert formats.date_format(JUNE_5) == "05/06/1990"

    def test_date_field_reads_day_first(self, vi):
        assert forms.DateField().clean("05/06/1990") == JUNE_5

    @pytest.mark.parametrize("typed", ["5/6/1990", "1990-06-05"])
    def test_date_field_accepts_unpadded_and_iso_spellings(self, vi, typed):
        assert forms.DateField().clean(typed) == JUNE_5

    @pytest.mark.parametrize("typed", ["05/06/65", "05/06/90"])
    def test_date_field_refuses_two_digit_years(self, vi, typed):
        # Python's %y would read "65" as 2065: a member born in 1965 would be born in the future.
        with pytest.raises(forms.ValidationError):
            forms.DateField().clean(typed)

    @pytest.mark.parametrize("typed", ["13/13/1990", "31/06/1990", "06/05/1990x", "1990/06/05"])
    def test_date_field_rejects_impossible_dates(self, vi, typed):
        with pytest.raises(forms.ValidationError) as excinfo:
            forms.DateField().clean(typed)
        assert excinfo.value.messages == ["Nhập một ngày hợp lệ."]

    def test_month_first_date_is_not_read_as_day_first(self, vi):
        # 13 cannot be a month, so 06/13/1990 (an American 13 June) must be refused, not guessed.
        with pytest.raises(forms.ValidationError):
            forms.DateField().clean("06/13/1990")

    def test_date_input_shows_the_value_as_it_is_typed(self, vi):
        class BirthForm(forms.Form):
            born_on = forms.DateField()

        html = str(BirthForm(initial={"born_on": JUNE_5})["born_on"])
        assert 'value="05/06/1990"' in html

    def test_english_interface_reads_dates_day_first_too(self):
        from django import forms
        from django.utils import translation

        with translation.override("en"):
            assert forms.DateField().clean("05/06/1990") == JUNE_5

    def test_template_renders_a_date_with_date_format(self, vi):
        assert render("{{ d }}", d=JUNE_5) == "05/06/1990"

    def test_template_renders_a_datetime_in_hanoi_time(self, vi):
        # 01:30 UTC is 08:30 in Hà Nội (UTC+7).
        moment = dt.datetime(2021, 7, 9, 1, 30, tzinfo=dt.UTC)
        assert render("{{ t }}", t=moment) == "08:30 09/07/2021"


class TestVietnameseNumbers:
    def test_format_number_groups_thousands_with_dots(self, vi):
        assert format_number(13734) == "13.734"

    def test_format_number_large_and_decimal(self, vi):
        assert format_number(1_234_567) == "1.234.567"
        assert format_number(Decimal("95.9"), decimal_pos=1) == "95,9"

    def test_format_number_of_nothing_is_a_dash(self, vi):
        assert format_number(None) == "–"

    @pytest.mark.parametrize(
        ("numerator", "denominator", "expected"),
        [
            (13734, 14327, "95,9 %"),  # members / workers, July 2021 report
            (8072, 8538, "94,5 %"),  # female members / female workers
            (14327, 14327, "100,0 %"),
            (0, 14327, "0,0 %"),
        ],
    )
    def test_format_ratio(self, vi, numerator, denominator, expected):
        assert format_ratio(numerator, denominator) == expected

    def test_ratio_without_workers_is_a_dash(self, vi):
        assert format_ratio(1, 0) == "–"
        assert format_percent(None) == "–"

    def test_template_renders_an_int_with_thousand_separator(self, vi):
        assert render("{{ value }}", value=13734) == "13.734"


class TestRatioPercent:
    @pytest.mark.parametrize(
        ("numerator", "denominator", "expected"),
        [
            (1, 8, Decimal("12.5")),
            (1, 3, Decimal("33.3")),
            (2, 3, Decimal("66.7")),
            # Exactly half-way at the second decimal: half-up, not banker's rounding.
            (1, 16, Decimal("6.3")),  # 6.25
            (5, 16, Decimal("31.3")),  # 31.25
            (1, 40, Decimal("2.5")),
            (13734, 14327, Decimal("95.9")),
            (8072, 8538, Decimal("94.5")),
        ],
    )
    def test_rounds_half_up_to_one_decimal(self, numerator, denominator, expected):
        result = ratio_percent(numerator, denominator)
        assert result == expected
        assert result.as_tuple().exponent == -1

    def test_no_denominator_is_none(self):
        assert ratio_percent(1, 0) is None
        assert ratio_percent(0, 0) is None


class TestEnglish:
    def test_format_number(self, en):
        assert format_number(13734) == "13,734"

    def test_format_ratio(self, en):
        assert format_ratio(13734, 14327) == "95.9%"
        assert format_ratio(8072, 8538) == "94.5%"

    def test_template_renders_an_int_with_comma(self, en):
        assert render("{{ value }}", value=13734) == "13,734"
