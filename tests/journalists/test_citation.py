"""«انسخ الاستشهاد»: the citation text, from the pure function alone (no database, no Django request)."""

import datetime as dt
from zoneinfo import ZoneInfo

from articles.journalists.citation import citation, date_phrase, gregorian_date, hijri_date

TUNIS = ZoneInfo("Africa/Tunis")
TITLE = "وزير المالية يعرض مشروع قانون المالية لسنة 2017 على البرلمان"
PERMALINK = "https://archive.example.org/articles/42/"
URL = "https://www.jawharafm.net/ar/article/42"


def test_a_dated_article_is_cited_with_source_both_dates_title_and_both_addresses():
    text = citation(TITLE, "جوهرة أف أم", dt.datetime(2017, 3, 5, 10, 0, tzinfo=TUNIS), URL, PERMALINK, TUNIS)
    assert text.split("\n") == [
        f"جوهرة أف أم. «{TITLE}». نُشر في 5 مارس 2017 (الموافق 6 جمادى الآخرة 1438 هـ).",
        "الرابط الأصلي:",
        URL,
        "في أرشيف الأخبار العربية:",
        PERMALINK,
    ]


def test_the_day_is_the_one_in_the_archive_time_zone():
    # 23:30 UTC on 5 March is already 6 March in Tunis (UTC+1): the day the paper's readers saw it.
    late = dt.datetime(2017, 3, 5, 23, 30, tzinfo=dt.UTC)
    assert "6 مارس 2017" in citation(TITLE, "جوهرة أف أم", late, URL, PERMALINK, TUNIS)
    assert "5 مارس 2017" in citation(TITLE, "جوهرة أف أم", late, URL, PERMALINK, dt.UTC)


def test_gregorian_months_are_the_sites_own_names():
    assert [gregorian_date(dt.date(2016, m, 1)).split()[1] for m in (1, 4, 8, 12)] == [
        "يناير",
        "إبريل",
        "أغسطس",
        "ديسمبر",
    ]


def test_hijri_date_is_umm_al_qura_and_omitted_outside_its_tables():
    assert hijri_date(dt.date(2017, 4, 17)) == "20 رجب 1438 هـ"
    assert hijri_date(dt.date(1900, 1, 1)) == ""
    old = citation("خبر قديم", "الأهرام", dt.date(1900, 1, 1), "", PERMALINK)
    assert "نُشر في 1 يناير 1900." in old and "الموافق" not in old and "هـ" not in old


def test_an_undated_article_says_so_instead_of_a_date():
    text = citation(TITLE, "جوهرة أف أم", None, URL, PERMALINK, TUNIS)
    assert text.split("\n")[0] == f"جوهرة أف أم. «{TITLE}». دون تاريخ نشر."
    assert date_phrase(None) == "دون تاريخ نشر"


def test_missing_source_and_original_url_are_left_out_not_written_empty():
    text = citation(TITLE, None, dt.date(2017, 3, 5), "", PERMALINK)
    assert text.startswith(f"«{TITLE}». نُشر في 5 مارس 2017")
    assert "الرابط الأصلي" not in text and text.endswith(PERMALINK)
    assert citation("", "", None, "", "").startswith("«بلا عنوان»")


def test_bidi_controls_and_spacing_of_the_fields_never_reach_the_citation():
    rlo, pdf = "\u202e", "\u202c"
    text = citation(f"وزير {rlo}الدفاع{pdf}\n  يزور   الجنوب", f"{rlo}مصدر", None, URL + rlo, PERMALINK)
    assert rlo not in text and pdf not in text
    assert "«وزير الدفاع يزور الجنوب»" in text and text.startswith("مصدر.")
