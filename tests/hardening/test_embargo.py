"""An embargoed article (dated in the future: wire copy held until its hour) tells readers nothing before its time:
not its text, and not the names of its topics or its paper in any listing or count."""

import pytest
from django.utils import timezone

from articles.models import Article, Source, Tag

pytestmark = pytest.mark.django_db

SECRET_TOPIC, SECRET_SOURCE = "صفقة الاستحواذ السرية", "وكالة الأنباء المحجوبة"


@pytest.fixture
def archive():
    now = timezone.now()
    paper = Source.objects.create(key="okaz", name="عكاظ", slug="okaz")
    agency = Source.objects.create(key="held-agency", name=SECRET_SOURCE, slug="held-agency")
    economy = Tag.objects.create(name="اقتصاد", slug="economy", kind=Tag.Kind.TOPIC)
    secret = Tag.objects.create(name=SECRET_TOPIC, slug="secret-deal", kind=Tag.Kind.TOPIC)
    seen = Article(
        title="الميزانية العامة للعام المقبل",
        body="أعلن وزير المالية الميزانية العامة",
        source=paper,
        published_at=now - timezone.timedelta(days=1),
    )
    held = Article(
        title="استحواذ على شركة الاتصالات",
        body="تعلن الشركة غدا صفقة الاستحواذ",
        source=paper,
        published_at=now + timezone.timedelta(days=1),
    )
    held_wire = Article(
        title="برقية محجوبة",
        body="نص البرقية المحجوبة حتى موعدها",
        source=agency,
        published_at=now + timezone.timedelta(hours=5),
    )
    for article in (seen, held, held_wire):
        article.save()
    seen.tags.add(economy)
    held.tags.add(economy, secret)
    held_wire.tags.add(secret)
    return {"seen": seen, "held": held}


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_listings_name_no_topic_or_paper_known_only_from_embargoed_articles(client, archive):
    for url in ["/", "/topics/", "/topics/economy/", "/sources/okaz/", "/search/?q=الميزانية"]:
        html = _page(client, url)
        assert SECRET_TOPIC not in html and SECRET_SOURCE not in html, url
    assert "اقتصاد" in _page(client, "/topics/")


def test_counts_beside_topics_and_papers_count_only_what_readers_may_see(client, archive):
    home = client.get("/")
    assert {t.name: t.n for t in home.context["topics"]} == {"اقتصاد": 1}
    assert {s.name: s.n for s in home.context["sources"]} == {"عكاظ": 1}
    assert {t.name: t.n for t in client.get("/topics/").context["page"].object_list} == {"اقتصاد": 1}
    assert [(t.name, t.n) for t in client.get("/sources/okaz/").context["topics"]] == [("اقتصاد", 1)]
    assert not client.get("/topics/economy/").context["related_topics"]  # its only companion is embargoed
