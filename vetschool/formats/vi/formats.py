"""Vietnamese display formats as the college writes them: dd/mm/yyyy, decimal comma.

Django's own Vietnamese formats spell dates out ("Ngày 07 tháng 12 năm 2026") and use
dashes for short dates; official records and forms use 07/12/2026. Input formats are left
to Django's defaults so ISO dates (HTML date inputs, the API) keep working.
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = "m/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
