"""Every live example of the search help (the links of the rendered help page, so a new example is covered
without touching this file) finds articles on a small real archive: the ANT fixtures and the seed article,
imported as `make run` imports them. «Finds» means with the whole query, not a fallback that dropped words or
matched only some."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from articles.importing.pipeline import import_paths

pytestmark = pytest.mark.django_db


def examples(client, url: str) -> list[str]:
    page = client.get(url)
    assert page.status_code == 200
    links = [unescape(h) for h in re.findall(r'<a\b[^>]*href="([^"]*)"', page.content.decode())]
    return [
        parse_qs(urlsplit(h).query)["q"][0]
        for h in links
        if urlsplit(h).path == "/search/" and "q" in parse_qs(urlsplit(h).query)
    ]


def test_every_live_example_of_the_help_finds_articles_on_the_sample_archive(client):
    import_paths(["fixtures"])
    queries = examples(client, "/search/help/")
    assert len(queries) >= 10 and "وزير قرب/5 الدفاع" in queries  # the page was read, its examples found
    empty = []
    for q in queries:
        data = client.get("/api/search", {"q": q, "copies": "all"}).json()
        if not data["count"] or data["partial"] or data["dropped"]:
            empty.append((q, data["count"], data["partial"], data["dropped"]))
    assert not empty, empty


def test_highlighting_on_the_sample_archive_marks_what_matched(client):
    """The issue's figures: a prefix marked nothing (0 of 50 snippets), and =الوزراء marked وزير 26 times."""
    import_paths(["fixtures"])
    prefix = client.get("/api/search", {"q": "وزار*", "page_size": 50}).json()["results"]
    assert prefix and all("<mark>" in r["snippet"] for r in prefix)
    marked = {m for r in prefix for m in re.findall(r"<mark>(.*?)</mark>", r["snippet"])}
    assert all("وزار" in m for m in marked) and {"وزارة", "الوزارة", "للوزارة"} <= marked  # with clitics
    exact = client.get("/api/search", {"q": "=الوزراء", "page_size": 50}).json()["results"]
    marked = {m for r in exact for m in re.findall(r"<mark>(.*?)</mark>", r["snippet"])}
    assert exact and marked == {"الوزراء"}
