"""The CSV export's dates: in the archive's time zone with their offset, and the day alone in a column of its own,
the day the pages show (in UTC, an article of 13 December after midnight in Tunis read as the 12th)."""

import csv
import datetime as dt
import io
import zoneinfo

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, ant_in

pytestmark = pytest.mark.django_db


def rows(response) -> list[dict]:
    assert response.streaming  # streamed a chunk at a time, never built whole in memory
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


@pytest.fixture
def minister(settings):
    assert settings.TIME_ZONE == "Africa/Tunis"
    tunis = zoneinfo.ZoneInfo("Africa/Tunis")
    doc = ant_in("politic")[0]
    night = ArticleFactory(
        title="=وزير الدفاع يزور الجنوب",
        body=doc["body"] + "\nوزير الدفاع",
        published_at=dt.datetime(2016, 12, 13, 0, 30, tzinfo=tunis),
    )
    noon = ArticleFactory(
        title="وزير الدفاع في البرلمان",
        body="تحدث وزير الدفاع أمام النواب.",
        published_at=dt.datetime(2016, 12, 14, 12, 0, tzinfo=tunis),
    )
    undated = ArticleFactory(title="وزير الدفاع بلا تاريخ", body="خبر عن وزير الدفاع.", published_at=None)
    return night, noon, undated


def test_dates_are_local_with_their_offset_and_the_day_alone(client, minister):
    night, noon, undated = minister
    by_id = {int(r["id"]): r for r in rows(client.get("/search.csv", {"q": "وزير الدفاع", "sort": "newest"}))}
    assert night.published_at.astimezone(dt.UTC).date() == dt.date(2016, 12, 12)  # the UTC day differs
    assert by_id[night.pk]["published_at"] == "2016-12-13T00:30:00+01:00"
    assert by_id[night.pk]["date"] == "2016-12-13"
    assert by_id[noon.pk]["published_at"] == "2016-12-14T12:00:00+01:00" and by_id[noon.pk]["date"] == "2016-12-14"
    assert by_id[undated.pk]["published_at"] == "" and by_id[undated.pk]["date"] == ""
    assert dt.datetime.fromisoformat(by_id[night.pk]["published_at"]) == night.published_at  # the same instant


def test_the_day_is_the_one_the_results_page_shows(client, minister):
    night = minister[0]
    page = client.get("/search/", {"q": "وزير الدفاع"}).content.decode()
    assert "13 ديسمبر 2016" in page and "12 ديسمبر 2016" not in page
    row = next(r for r in rows(client.get("/search.csv", {"q": "وزير الدفاع"})) if int(r["id"]) == night.pk)
    assert row["date"] == timezone.localtime(night.published_at).date().isoformat() == "2016-12-13"


def test_the_formula_guard_still_holds(client, minister):
    row = next(r for r in rows(client.get("/search.csv", {"q": "وزير الدفاع"})) if int(r["id"]) == minister[0].pk)
    assert row["title"] == "'=وزير الدفاع يزور الجنوب"
