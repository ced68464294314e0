"""Issue 18, item 14: dates are never lost in silence. Implausible ones (year 1, 9999, 1899, 30 February, huge
epochs) are dropped and reported by file, on the batch and in the command's summary; Hijri dates and
Arabic-Indic digits are read."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.importing.pipeline import import_paths
from articles.importing.textutil import parse_date_line, parse_date_value
from articles.models import Article, ImportBatch

BODY = "أعلنت وزارة الصحة عن تجهيز مستشفى قابس الجامعي بمعدات حديثة لقسم الطوارئ. رقم {}"
REFUSED = [
    "0001-01-01",
    "9999-12-31",
    "1899-05-01",
    "2016-02-30",
    "30/02/2016",
    99999999999999,
    "غدا صباحا",
    "1201-01-01T00:00:00",
]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("15 رمضان 1438", dt.date(2017, 6, 10)),
        ("١٥ رمضان ١٤٣٨ هـ", dt.date(2017, 6, 10)),
        ("1438/09/15 هـ", dt.date(2017, 6, 10)),
        ("15/09/1438", dt.date(2017, 6, 10)),
        ("1438-09-15", dt.date(2017, 6, 10)),
        ("الأحد 1 محرم 1440هـ", dt.date(2018, 9, 11)),
        ("1 جمادى الآخرة 1438", dt.date(2017, 2, 28)),
        ("٢٠١٦-٠٥-٠١", dt.date(2016, 5, 1)),
        ("۱۵/۰۵/۲۰۱۶", dt.date(2016, 5, 15)),
    ],
)
def test_hijri_dates_and_arabic_indic_digits_are_read(text, day):
    assert parse_date_value(text).date() == day


def test_a_hijri_date_line_is_read_and_a_sentence_is_not():
    assert parse_date_line("السبت 15 رمضان 1438 هـ").date() == dt.date(2017, 6, 10)
    assert parse_date_line("قال الوزير إن 15 رمضان 1438 هـ موعد الافتتاح") is None


@pytest.mark.parametrize("value", REFUSED)
def test_implausible_dates_are_refused(value):
    assert parse_date_value(value) is None


@pytest.mark.django_db
def test_every_dropped_date_is_reported_by_file(tmp_path, capsys, settings):
    settings.IMPORT_DAYS_AHEAD = 30
    far = (timezone.localdate() + dt.timedelta(days=400)).isoformat()
    records = [
        {"title": f"خبر {i}", "text": BODY.format(i), "date": value}
        for i, value in enumerate([*REFUSED, far, "15 رمضان 1438", "2016-05-01"])
    ]
    (tmp_path / "dates.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    call_command("import_articles", str(tmp_path))
    err = capsys.readouterr().err
    assert f"تواريخ أُسقطت: {len(REFUSED) + 1} مقالا" in err
    assert "dates.json#1" in err and "9999-12-31" in err and "خارج الحدود المقبولة" in err
    batch = ImportBatch.objects.get()
    assert batch.notes_total == len(REFUSED) + 1
    assert {n["path"] for n in batch.notes} == {f"dates.json#{i}" for i in range(len(REFUSED) + 1)}
    dated = dict(Article.objects.values_list("title", "published_at"))
    assert sum(v is None for v in dated.values()) == len(REFUSED) + 1
    assert timezone.localtime(dated[f"خبر {len(REFUSED) + 1}"]).date() == dt.date(2017, 6, 10)


@pytest.mark.django_db
def test_the_batch_page_shows_the_notes(tmp_path, client):
    from articles.editors import make_editor

    (tmp_path / "d.json").write_text(
        json.dumps([{"title": "خبر", "text": BODY.format(1), "date": "2016-02-30"}], ensure_ascii=False),
        encoding="utf-8",
    )
    report = import_paths([tmp_path])
    user, _ = make_editor("editor-dates", password="كلمة-سر-طويلة-2026")
    client.force_login(user)
    from django.urls import reverse

    html = client.get(reverse("admin:articles_importbatch_change", args=[report.batch_id])).content.decode()
    assert "ملاحظة واحدة" in html and "d.json#0" in html and "2016-02-30" in html
