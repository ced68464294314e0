"""The API's paging: a page or page size that is not a whole number in range is refused (400, with an Arabic
message, in JSON), never answered with another page; a page past the last is empty, under its own number."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.api import API_MAX_PAGE_SIZE, BAD_PAGE, BAD_PAGE_SIZE
from tests.factories import ArticleFactory, ant_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def five():
    """Five real ANT sport articles, each given the word الفسفاط, one a day apart."""
    docs = ant_in("sport")[:5]
    return [
        ArticleFactory(
            title=d["title"], body=d["body"] + "\nالفسفاط", published_at=timezone.now() - dt.timedelta(days=i + 1)
        )
        for i, d in enumerate(docs)
    ]


def api(client, **params):
    return client.get("/api/search", {"q": "الفسفاط", "sort": "newest", **params})


@pytest.mark.parametrize("page", ["0", "-1", "-5", "1.5", "abc", "٢", "last", "1e3", "9" * 30])
def test_a_page_that_is_not_a_positive_whole_number_is_refused(client, five, page):
    r = api(client, page=page, page_size="2")
    assert r.status_code == 400 and r["Content-Type"].startswith("application/json")
    assert r.json() == {"error": BAD_PAGE}


@pytest.mark.parametrize("size", ["0", "-1", str(API_MAX_PAGE_SIZE + 1), "1000", "abc", "2.0"])
def test_a_page_size_out_of_range_is_refused(client, five, size):
    r = api(client, page_size=size)
    assert r.status_code == 400
    assert r.json() == {"error": BAD_PAGE_SIZE}
    assert "من 1 إلى 100" in r.json()["error"]


def test_pages_are_the_ones_asked_for(client, five):
    newest_first = [a.pk for a in five]
    pages = [api(client, page=str(n), page_size="2").json() for n in (1, 2, 3)]
    assert [[r["id"] for r in p["results"]] for p in pages] == [newest_first[:2], newest_first[2:4], newest_first[4:]]
    assert [p["page"] for p in pages] == [1, 2, 3] and {p["pages"] for p in pages} == {3}
    assert "page=2" in pages[0]["next"] and pages[2]["next"] is None


def test_a_page_past_the_last_is_empty_not_the_last_page(client, five):
    data = api(client, page="4", page_size="2").json()
    assert data["page"] == 4 and data["pages"] == 3
    assert data["results"] == [] and data["next"] is None and data["count"] == 5


def test_absent_or_empty_paging_takes_the_defaults(client, five):
    for params in ({}, {"page": "", "page_size": ""}, {"page": " 1 ", "page_size": str(API_MAX_PAGE_SIZE)}):
        data = api(client, **params).json()
        assert data["page"] == 1 and len(data["results"]) == 5
