"""The archive's Arabic date formats, everywhere Django formats a date without being told how (the admin's lists
and forms, `|date` without an argument): «13 ديسمبر 2016» and «13 ديسمبر 2016، 14:05», as the public pages write
them, instead of Django's fallback «ديسمبر 13, 2016, منتصف الليل» (its Arabic locale has no DATETIME_FORMAT).

Unset names fall back to Django's own Arabic formats. Input formats put ISO first: a date input's value, and the
admin's calendar, use the first one.
"""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2016-12-13
    "%d/%m/%Y",  # 13/12/2016, as an Arabic reader writes a date by hand
    "%Y/%m/%d",  # 2016/12/13
    "%d-%m-%Y",  # 13-12-2016
]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
]
