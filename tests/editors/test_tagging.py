"""articles/tagging.py on the real database: bulk tagging in a bounded number of queries, merges and aliases."""

import pytest

from articles import tagging
from articles.models import Article, Tag, TagAlias
from tests.factories import ArticleFactory, TagFactory, ant_documents

from .conftest import Link, bulk_articles

pytestmark = pytest.mark.django_db


def test_add_tags_writes_links_in_a_bounded_number_of_queries(topics, django_assert_max_num_queries):
    articles = bulk_articles(ant_documents()[:300])
    tagging.add_tags(articles[:50], [topics.sport])  # some already have one of the tags
    with django_assert_max_num_queries(5):
        changed = tagging.add_tags(Article.objects.all(), [topics.sport, topics.economy])
    assert changed == 300
    assert Link.objects.filter(tag=topics.sport).count() == 300
    assert Link.objects.filter(tag=topics.economy).count() == 300
    with django_assert_max_num_queries(5):
        assert tagging.add_tags(Article.objects.all(), [topics.sport]) == 0  # nothing new, nothing counted


def test_remove_tags_in_a_bounded_number_of_queries(topics, django_assert_max_num_queries):
    articles = bulk_articles(ant_documents()[:300])
    tagging.add_tags(articles, [topics.sport, topics.economy])
    tagging.add_tags(articles[:10], [topics.politic])
    with django_assert_max_num_queries(4):
        changed = tagging.remove_tags(Article.objects.filter(pk__in=[a.pk for a in articles[:200]]), [topics.sport])
    assert changed == 200
    assert Link.objects.filter(tag=topics.sport).count() == 100
    assert Link.objects.filter(tag=topics.economy).count() == 300  # other tags untouched
    assert Link.objects.filter(tag=topics.politic).count() == 10


def test_merge_chain_keeps_older_aliases_and_import_key(topics):
    a = TagFactory(name="الكرة", slug="ball", kind=Tag.Kind.KEYWORD)
    b = TagFactory(name="كرة القدم", slug="football", kind=Tag.Kind.KEYWORD, key="football")
    tagging.merge_tags(b, [a])
    article = ArticleFactory(tags=[b])
    result = tagging.merge_tags(topics.economy, [b])  # economy keeps its own key
    assert result.merged == 1 and result.articles == 1
    assert {x.slug: x.tag for x in TagAlias.objects.all()} == {"ball": topics.economy, "football": topics.economy}
    assert tagging.tag_for_import_key("football") == topics.economy
    assert list(article.tags.all()) == [topics.economy]
    # Merging into a tag without a key hands it the merged tag's key: imports keep landing on it.
    c = TagFactory(name="ألعاب", slug="games", key="games")
    keyless = TagFactory(name="ألعاب فيديو", slug="video-games")
    tagging.merge_tags(keyless, [c])
    keyless.refresh_from_db()
    assert keyless.key == "games"
