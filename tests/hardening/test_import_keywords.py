"""Issue 18, item 16: a scraper's keywords do not flood the public pages. Only the archive's known sections and
the import's own --tag become topics; other imported keywords are plain tags an editor may promote; the home page
lists a bounded number of topics and sources."""

import json

import pytest
from django.urls import reverse

from articles.importing.pipeline import import_paths
from articles.models import Tag
from tests.factories import ArticleFactory, TagFactory

pytestmark = pytest.mark.django_db

BODY = "أعلنت وزارة الصحة عن تجهيز مستشفى قابس الجامعي بمعدات حديثة لقسم الطوارئ في الجنوب التونسي. {}"


def test_imported_keywords_are_plain_tags_and_known_sections_topics(tmp_path):
    records = [
        {
            "title": f"خبر رقم {i} عن الصحة في قابس",
            "text": BODY.format(i),
            "date": "2016-05-01",
            **(
                {"category": ["sport" if i == 0 else f"كلمة مفتاحية {i}"]}
                if i % 2 == 0
                else {"tags": [f"وسم {i}", "قابس"]}
            ),
        }
        for i in range(40)
    ]
    (tmp_path / "scrape.json").write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    import_paths([tmp_path], tags=["أرشيف الصحة"])
    topics = set(Tag.objects.filter(kind=Tag.Kind.TOPIC).values_list("name", flat=True))
    assert topics == {"رياضة", "أرشيف الصحة"}  # the known section, and the import's own --tag
    keywords = Tag.objects.filter(kind=Tag.Kind.KEYWORD)
    assert keywords.filter(name="كلمة مفتاحية 8").exists() and keywords.filter(name="قابس").exists()
    assert keywords.count() == 19 + 20 + 1


def test_an_editors_topic_stays_a_topic_when_an_import_names_it(tmp_path):
    TagFactory(name="قابس", kind=Tag.Kind.TOPIC)
    (tmp_path / "one.json").write_text(
        json.dumps([{"title": "خبر عن قابس", "text": BODY.format(1), "tags": ["قابس"]}], ensure_ascii=False),
        encoding="utf-8",
    )
    import_paths([tmp_path])
    assert Tag.objects.get(name="قابس").kind == Tag.Kind.TOPIC


def test_the_home_page_lists_at_most_thirty_topics_and_links_to_all(client):
    for i in range(45):
        ArticleFactory(tags=[TagFactory(name=f"موضوع رقم {i:02d}", kind=Tag.Kind.TOPIC)])
    html = client.get(reverse("articles:home")).content.decode()
    aside = html[html.index('id="topics-heading"') :]
    aside = aside[: aside.index("</section>")]
    assert aside.count("<li>") == 30 and "كل المواضيع" in aside
    page = client.get(reverse("articles:topics")).content.decode()
    assert "موضوع رقم 44" in page and "موضوع رقم 00" in page


def test_the_topics_page_is_paginated(client):
    for i in range(130):
        TagFactory(name=f"موضوع {i:03d}", kind=Tag.Kind.TOPIC).articles.add(ArticleFactory())
    first = client.get(reverse("articles:topics")).content.decode()
    assert first.count('class="count"') == 120 and 'rel="next"' in first
    second = client.get(reverse("articles:topics"), {"page": 2}).content.decode()
    assert second.count('class="count"') == 10
    assert client.get(reverse("articles:topics"), {"page": "x"}).status_code == 200
