# Vietnamese formats. Django's bundled "vi" locale writes dates as "j \t\h\á\n\g n \n\ă\m Y"
# in some places and uses "," for thousands; Vietnamese documents write 05/06/1990
# (day first, always) and 13.734 / 95,9.
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
FIRST_DAY_OF_WEEK = 1  # Monday

# Day first only: "05/06/1990" must never be read as 6 May. ISO is accepted for pasted values.
# Four-digit years only: Python's %y reads 00-68 as 20xx, so a member born "05/06/65"
# would be stored as born in 2065; better to refuse it and have the year typed in full.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]
TIME_INPUT_FORMATS = ["%H:%M:%S", "%H:%M"]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
