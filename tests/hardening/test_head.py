"""Uptime monitors and link checkers ask with HEAD: every public page answers it as GET does, without a body,
and a write method still gets 405."""

import pytest
from django.utils import timezone

from articles.models import Article, Source, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    source = Source.objects.create(key="okaz", name="عكاظ", slug="okaz")
    topic = Tag.objects.create(name="اقتصاد", slug="economy", kind=Tag.Kind.TOPIC)
    article = Article(
        title="وزير المالية يعلن الميزانية",
        body="أعلن وزير المالية اليوم ميزانية العام المقبل",
        source=source,
        published_at=timezone.now() - timezone.timedelta(days=1),
    )
    article.save()
    article.tags.add(topic)
    return article


def _pages(article):
    return [
        "/",
        "/search/?q=وزير",
        "/search/help/",
        "/search/feed/?q=وزير",
        "/search.csv?q=وزير",
        "/api/search?q=وزير",
        f"/api/articles/{article.pk}",
        article.get_absolute_url(),
        "/topics/",
        "/topics/economy/",
        "/topics/economy/feed/",
        "/sources/okaz/",
    ]


def test_every_public_page_answers_head_as_get_without_a_body(client, article):
    for url in _pages(article):
        got, head = client.get(url), client.head(url)
        assert got.status_code == 200, url
        assert head.status_code == 200, url
        assert head["Content-Type"] == got["Content-Type"], url
        assert not b"".join(head.streaming_content if head.streaming else [head.content]), url


def test_writes_to_public_pages_are_still_refused(client, article):
    for url in _pages(article):
        assert client.post(url).status_code == 405, url
