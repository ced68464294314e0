"""What journalists and editors see of stories: the article page, the API, the CSV and the admin actions."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from articles.editors import make_editor
from articles.models import ArticleStory, StorySplit
from bench import stories_testset

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not stories_testset.SAUDI.exists(), reason="../shared corpus not available"),
]


def test_the_article_page_lists_the_other_copies_and_who_ran_it_first(client, story):
    copies, other = story
    html = client.get(copies[2].get_absolute_url()).content.decode()
    assert "نسخ هذا الخبر: 3" in html
    for c in copies[:2]:
        assert f'href="{c.get_absolute_url()}"' in html
    assert html.count("نُشر أولًا") == 1
    assert html.index(copies[0].get_absolute_url()) < html.index("نُشر أولًا") < html.index(copies[1].get_absolute_url())
    assert "نسخ هذا الخبر" not in client.get(other.get_absolute_url()).content.decode()


def test_the_api_and_the_csv_carry_the_group(client, story):
    copies, other = story
    group = ArticleStory.objects.get(article=copies[0]).story_id
    # A word of every copy (the longest of the opening, which even the cut copy keeps) or of the other story.
    word = max(copies[0].body.split()[:30], key=len)
    q = f"{word} OR {max(other.body.split()[:30], key=len)}"
    results = client.get(reverse("articles:api_search"), {"q": q, "page_size": 100, "copies": "all"}).json()["results"]
    groups = {r["id"]: r["group"] for r in results}
    assert {groups[c.pk] for c in copies} == {group}
    assert groups[other.pk] is None
    detail = client.get(reverse("articles:api_article", args=[copies[1].pk])).json()
    assert detail["group"] == group
    assert [(c["id"], c["first"]) for c in detail["copies"]] == [(copies[0].pk, True), (copies[2].pk, False)]
    assert client.get(reverse("articles:api_article", args=[other.pk])).json()["copies"] == []
    missing = client.get(reverse("articles:api_article", args=[10**9]))
    assert missing.status_code == 404 and "لا يوجد" in missing.json()["error"]

    body = b"".join(client.get(reverse("articles:search_csv"), {"q": q, "copies": "all"}).streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    by_id = {int(r["id"]): r["group"] for r in rows}
    assert by_id[copies[0].pk] == str(group) and by_id[other.pk] == ""


def test_an_editor_splits_a_copy_off_and_joins_it_back_in_the_admin(client, story):
    copies, other = story
    user, _ = make_editor("mohrer", email="mohrer@example.org", password="x-secret-123")
    client.force_login(user)
    url = reverse("admin:articles_article_changelist")
    group = ArticleStory.objects.get(article=copies[0]).story_id
    listing = client.get(url, {"story": group}).content.decode()
    assert listing.count('class="field-title_display"') == 3

    response = client.post(url, {"action": "split_story_action", "_selected_action": [copies[2].pk]}, follow=True)
    assert "فُصل مقال واحد" in response.content.decode()
    assert ArticleStory.objects.get(article=copies[2]).story_id is None
    assert StorySplit.objects.count() == 2

    response = client.post(
        url, {"action": "join_story_action", "_selected_action": [copies[2].pk, copies[0].pk]}, follow=True
    )
    assert "جُمع مقالان" in response.content.decode()
    assert {ArticleStory.objects.get(article=c).story_id for c in copies} == {
        ArticleStory.objects.get(article=copies[0]).story_id
    }
    assert StorySplit.objects.count() == 0

    response = client.post(url, {"action": "split_story_action", "_selected_action": [other.pk]}, follow=True)
    assert "لا شيء يُفصل" in response.content.decode()
    assert client.get(url, {"story": "abc"}).status_code in (200, 302)  # a bad story number is no crash
    change = client.get(reverse("admin:articles_article_change", args=[copies[1].pk])).content.decode()
    assert "نُشر أولًا" in change
