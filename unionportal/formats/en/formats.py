# English interface, Vietnamese conventions: the portal serves people in Vietnam, whose
# sheets and habits write 05/06/1990 for 5 June. Django's "en" formats read it as 6 May,
# so an English-language user would silently store the wrong date.
from unionportal.formats.vi.formats import (  # noqa: F401
    DATE_FORMAT,
    DATE_INPUT_FORMATS,
    DATETIME_FORMAT,
    DATETIME_INPUT_FORMATS,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
    YEAR_MONTH_FORMAT,
)

# Numbers stay English (13,734 and 95.9) so the English interface reads naturally.
