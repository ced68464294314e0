from __future__ import annotations

import datetime

import pytest

from articles.importing.textutil import (
    clean_line,
    fold_presentation_forms,
    normalize_block,
    parse_date_line,
    parse_date_value,
    unescape_entities,
)

UTC = datetime.UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "2017-01-21T13:34:00+01:00",
            datetime.datetime(2017, 1, 21, 13, 34, tzinfo=datetime.timezone(datetime.timedelta(hours=1))),
        ),
        ("2015-08-06 01:00:00", datetime.datetime(2015, 8, 6, 1)),
        ("2017-06-18T134900", datetime.datetime(2017, 6, 18, 13, 49)),
        ("2017-06-18", datetime.datetime(2017, 6, 18)),
        ("29/09/2016", datetime.datetime(2016, 9, 29)),
        ("09/29/2016", datetime.datetime(2016, 9, 29)),  # second number > 12: month first
        ("03/04/2016", datetime.datetime(2016, 4, 3)),  # ambiguous: day first (Arab convention)
        ("Tue, 10 Jun 2003 04:00:00 GMT", datetime.datetime(2003, 6, 10, 4, tzinfo=UTC)),
        (1438819200, datetime.datetime(2015, 8, 6, tzinfo=UTC)),
        (1438819200000, datetime.datetime(2015, 8, 6, tzinfo=UTC)),
        ("1438819200", datetime.datetime(2015, 8, 6, tzinfo=UTC)),
        ("٢٠٢٤-١٢-١٤", datetime.datetime(2024, 12, 14)),
        ("15 ديسمبر 2024", datetime.datetime(2024, 12, 15)),
        ("2024-12-14 10:00 PM", datetime.datetime(2024, 12, 14)),
        ("31/02/2016", None),
        ("0001-01-01", None),
        ("soon", None),
        ("", None),
        (True, None),
        (None, None),
        ([2024], None),
    ],
)
def test_parse_date_value(value, expected):
    assert parse_date_value(value) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("الأحد، 15 ديسمبر 2024 10:00 م", datetime.datetime(2024, 12, 15, 22)),
        ("السبت 14 ديسمبر 2024 - 09:30 ص", datetime.datetime(2024, 12, 14, 9, 30)),
        ("الخميس 12 ص 12 يناير 2017", None),
        ("نشر في: 3 جانفي 2017", datetime.datetime(2017, 1, 3)),
        ("١٥ كانون الأول ٢٠٢٤", datetime.datetime(2024, 12, 15)),
        ("2024-12-14", datetime.datetime(2024, 12, 14)),
        ("14/12/2024 10:30", datetime.datetime(2024, 12, 14, 10, 30)),
        ("وقع الحادث في 15 ديسمبر 2024 بالقاهرة", None),
        ("أوستن", None),
    ],
)
def test_parse_date_line(line, expected):
    assert parse_date_line(line) == expected


def test_clean_line_and_blocks():
    assert clean_line("\u200f  نص \t مع   مسافات \u200b\ufeff ") == "نص مع مسافات"
    assert normalize_block(" أ \r\n\r\n\r\nب\rج\n") == "أ\n\nب\n\nج"


def test_fold_presentation_forms_only_touches_arabic_presentation_forms():
    assert fold_presentation_forms("\ufefb … ²") == "لا … ²"


def test_unescape_entities_is_restricted():
    assert unescape_entities("&amp; &lt; &gt; &quot; &#1575; &#x627; &copy &not; R&D") == '& < > " ا ا &copy &not; R&D'
