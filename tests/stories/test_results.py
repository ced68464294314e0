"""Results show stories, not copies: each story once, as its earliest matching copy, its copies one click away;
counts in articles and stories; ?copies=all lists every copy; the index follows the editors' splits."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.urls import reverse

from articles.search import Hits, engine, run_search
from articles.stories.grouping import split_articles
from bench import stories_testset

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not stories_testset.SAUDI.exists(), reason="../shared corpus not available"),
]


def _query(copies, other) -> str:
    """A word of every copy (the longest of the opening, which even the cut copy keeps) or of the other story."""
    return f"{max(copies[0].body.split()[:30], key=len)} OR {max(other.body.split()[:30], key=len)}"


def _result_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<h3 class="result-title"><a href="/articles/(\d+)/', html)]


def test_the_page_shows_a_story_once_as_its_first_copy_with_the_others_one_click_away(client, story):
    copies, other = story
    html = client.get(reverse("articles:search"), {"q": _query(copies, other)}).content.decode()
    assert sorted(_result_ids(html)) == sorted([copies[0].pk, other.pk])
    assert "4 مقالات في قصتين" in html
    summary = re.search(r'<details class="story-copies">\s*<summary>(.*?)</summary>(.*?)</details>', html, re.S)
    assert summary and summary.group(1).startswith("نُشر في 3 مصادر: ")
    names = re.findall(r"<bdi>(.*?)</bdi>", summary.group(1))
    assert names == [c.source.name for c in copies]  # in the order they ran it
    listed = summary.group(2)
    assert [int(pk) for pk in re.findall(r'href="/articles/(\d+)/', listed)] == [c.pk for c in copies]
    assert listed.count("نُشر أولًا") == 1
    assert "الأعداد هنا للمقالات" in html
    assert 'href="/search/?q=' in html and "copies=all" in html


def test_copies_all_lists_every_copy_and_says_how_to_go_back(client, story):
    copies, other = story
    html = client.get(reverse("articles:search"), {"q": _query(copies, other), "copies": "all"}).content.decode()
    assert sorted(_result_ids(html)) == sorted([c.pk for c in copies] + [other.pk])
    assert "4 نتائج" in html and "اعرض كل قصة مرة واحدة" in html
    assert 'name="copies" value="all"' in html  # a new search from this page keeps showing every copy
    assert 'class="story-copies"' not in html


def test_an_unknown_copies_value_falls_back_to_stories_with_a_note(client, story):
    copies, other = story
    html = client.get(reverse("articles:search"), {"q": _query(copies, other), "copies": "كلها"}).content.decode()
    assert "قيمة غير معروفة لـ copies" in html and len(_result_ids(html)) == 2


def test_a_story_stands_as_its_earliest_copy_among_the_matches(client, story):
    copies, other = story
    # The Okaz copy is the earliest one in Okaz: filtered to that paper, it stands for the story.
    outcome = run_search({"q": _query(copies, other), "source": copies[1].source.slug})
    assert [a.pk for a in Hits(outcome)[0:20]] == [copies[1].pk]
    for sort in ("relevance", "newest", "oldest"):
        hits = Hits(run_search({"q": _query(copies, other), "sort": sort}))[0:20]
        assert {a.pk for a in hits} == {copies[0].pk, other.pk}, sort


def test_the_api_counts_articles_and_stories_and_lists_a_storys_copies(client, story):
    copies, other = story
    url = reverse("articles:api_search")
    data = client.get(url, {"q": _query(copies, other)}).json()
    assert (data["count"], data["stories"], data["copies"], data["pages"]) == (4, 2, "first", 1)
    by_id = {r["id"]: r for r in data["results"]}
    assert set(by_id) == {copies[0].pk, other.pk}
    assert [(c["id"], c["first"]) for c in by_id[copies[0].pk]["copies"]] == [
        (copies[0].pk, True),
        (copies[1].pk, False),
        (copies[2].pk, False),
    ]
    assert by_id[other.pk]["copies"] == [] and by_id[other.pk]["group"] is None
    assert sum(f["count"] for f in data["facets"]["sources"]) == 4  # facets count articles

    every = client.get(url, {"q": _query(copies, other), "copies": "all"}).json()
    assert (every["count"], every["stories"], every["copies"]) == (4, 2, "all")
    assert len(every["results"]) == 4 and "copies" not in every["results"][0]


def test_the_csv_lists_every_copy_unless_asked_for_stories(client, story):
    copies, other = story

    def ids(**params):
        body = b"".join(
            client.get(reverse("articles:search_csv"), {"q": _query(copies, other), **params}).streaming_content
        )
        return sorted(int(r["id"]) for r in csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))

    every = sorted([c.pk for c in copies] + [other.pk])
    assert ids() == every  # an export counts coverage: every copy, its group column telling stories apart
    assert ids(copies="all") == every
    assert ids(copies="first") == sorted([copies[0].pk, other.pk])


def test_an_editors_split_reaches_the_index(client, story):
    copies, other = story
    assert run_search({"q": _query(copies, other)}).story_count == 2
    split_articles([copies[2].pk])
    outcome = run_search({"q": _query(copies, other)})
    assert (outcome.count, outcome.story_count) == (4, 3)
    assert sorted(a.pk for a in Hits(outcome)[0:20]) == sorted([copies[0].pk, copies[2].pk, other.pk])
    copies[0].delete()  # the first copy gone, the Okaz one is the story's first
    outcome = run_search({"q": _query(copies, other)})
    assert sorted(a.pk for a in Hits(outcome)[0:20]) == sorted([copies[1].pk, copies[2].pk, other.pk])


def test_pages_of_stories_never_repeat_a_story_however_the_results_are_read(story, monkeypatch):
    copies, other = story
    monkeypatch.setattr(engine, "FIRST_READ", 1)  # one result per read: the chunks' seams are crossed
    outcome = run_search({"q": _query(copies, other), "sort": "newest"})
    hits = Hits(outcome)
    pages = [a.pk for a in hits[0:1]] + [a.pk for a in hits[1:2]]
    assert sorted(pages) == sorted([copies[0].pk, other.pk]) and len(hits) == 2


def test_a_copy_left_alone_by_deletes_stands_alone_everywhere(client, story):
    from articles.models import ArticleStory, Story

    copies, other = story
    group = ArticleStory.objects.get(article=copies[0]).story_id
    copies[1].delete()
    assert ArticleStory.objects.get(article=copies[0]).story_id == group  # two copies left: still a story
    copies[2].delete()
    assert ArticleStory.objects.get(article=copies[0]).story_id is None
    assert not Story.objects.filter(pk=group).exists()
    data = client.get(reverse("articles:api_search"), {"q": _query(copies, other)}).json()
    assert (data["count"], data["stories"]) == (2, 2)
    assert {r["group"] for r in data["results"]} == {None}
