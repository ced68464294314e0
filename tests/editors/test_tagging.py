"""articles/tagging.py on the real database: bulk tagging in a bounded number of queries, merges and aliases."""

import pytest

from articles import tagging
from articles.models import Article, SourceAlias, Tag, TagAlias
from tests.factories import ArticleFactory, SourceFactory, TagFactory, ant_documents

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


def test_a_free_slug_fits_the_column_with_its_suffix():
    long_slug = "الانتخابات-البلدية-في-تونس-" * 5
    taken = TagFactory(name="الانتخابات البلدية", slug=long_slug[:100])
    slug = tagging.free_slug(Tag, long_slug)
    assert slug == long_slug[:98] + "-2" and slug != taken.slug
    assert len(slug) == Tag._meta.get_field("slug").max_length
    assert tagging.free_slug(Tag, "بلديات") == "بلديات"


def test_merging_sources_moves_their_articles_and_hands_over_their_aliases():
    kept = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    older = SourceFactory(key="jawhara-old", name="جوهرة", slug="jawhara-old")
    merged = SourceFactory(key="jawharafm", name="Jawhara FM", slug="jawharafm")
    tagging.merge_sources(merged, [older])  # «jawhara-old» is now an alias of «jawharafm»
    moved = [ArticleFactory(source=merged) for _ in range(2)]
    result = tagging.merge_sources(kept, [merged, kept])
    assert (result.merged, result.articles) == (1, 2)
    assert set(Article.objects.filter(source=kept)) == set(moved)
    assert {a.slug: a.source for a in SourceAlias.objects.all()} == {"jawhara-old": kept, "jawharafm": kept}
    assert tagging.source_for_import_key("jawhara-old") == kept
