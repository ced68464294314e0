"""articles/admin.py, tags and sources: their lists, merging them and renaming them, old slugs kept as aliases."""

import re

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles import tagging
from articles.models import Article, Source, SourceAlias, Tag, TagAlias
from tests.factories import ArticleFactory, SourceFactory, TagFactory

from .conftest import CHANGELIST, Link, messages_of

pytestmark = pytest.mark.django_db


def test_merge_keeps_every_articles_tags(client, editor, topics):
    football = TagFactory(name="كرة القدم", slug="football", kind=Tag.Kind.KEYWORD)
    only_sport = ArticleFactory(tags=[topics.sport])
    only_football = ArticleFactory(tags=[football])
    both = ArticleFactory(tags=[topics.sport, football])
    football_and_politic = ArticleFactory(tags=[football, topics.politic])
    untouched = ArticleFactory(tags=[topics.economy])

    response = client.post(
        reverse("admin:articles_tag_changelist"),
        {
            "action": "merge_action",
            "_selected_action": [topics.sport.pk, football.pk],
            "apply": "1",
            "target": topics.sport.pk,
        },
    )
    assert response.status_code == 302
    assert messages_of(response)[0].startswith("دُمج «كرة القدم» في «رياضة»، ونُقل إليه مقالان.")
    assert not Tag.objects.filter(pk=football.pk).exists()

    def tags_of(article):
        return set(Article.objects.get(pk=article.pk).tags.values_list("name", flat=True))

    assert tags_of(only_sport) == {"رياضة"}
    assert tags_of(only_football) == {"رياضة"}
    assert tags_of(both) == {"رياضة"}
    assert tags_of(football_and_politic) == {"رياضة", "سياسة"}
    assert tags_of(untouched) == {"اقتصاد"}
    assert Link.objects.filter(tag=topics.sport).count() == 4  # one link per article, no duplicates
    alias = TagAlias.objects.get(slug="football")
    assert (alias.tag, alias.name) == (topics.sport, "كرة القدم")
    assert tagging.resolve_tag_alias("football") == topics.sport


def test_merge_intermediate_page_lists_the_candidates(client, editor, topics):
    response = client.post(
        reverse("admin:articles_tag_changelist"),
        {
            "action": "merge_action",
            "_selected_action": [topics.sport.pk, topics.politic.pk],
        },
    )
    assert response.status_code == 200
    assertContains(response, 'id="merge-form"')
    assertContains(response, 'name="target"', count=2)
    assert Tag.objects.count() == 3


def test_renaming_a_tag_keeps_its_old_slug_working(client, editor, topics):
    url = reverse("admin:articles_tag_change", args=[topics.sport.pk])
    response = client.post(
        url,
        {
            "name": "الرياضة",
            "slug": "riyada",
            "kind": Tag.Kind.TOPIC,
            "key": "sport",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert tagging.resolve_tag_alias("sport") == Tag.objects.get(slug="riyada")
    assert TagAlias.objects.get(slug="sport").name == "رياضة"
    public = client.get(reverse("articles:topic", kwargs={"slug": "sport"}))
    assert public.status_code == 301
    assert public["Location"] == reverse("articles:topic", kwargs={"slug": "riyada"})


def test_renaming_a_source_keeps_its_old_slug_and_a_new_tag_takes_over_an_alias(client, editor, topics):
    source = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    response = client.post(
        reverse("admin:articles_source_change", args=[source.pk]),
        {
            "key": "jawhara",
            "name": "جوهرة",
            "slug": "jawhara-fm",
            "url": "https://www.jawharafm.net/",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert tagging.resolve_source_alias("jawhara") == Source.objects.get(slug="jawhara-fm")

    tagging.merge_tags(topics.sport, [TagFactory(name="كرة السلة", slug="basketball")])
    assert tagging.resolve_tag_alias("basketball") == topics.sport
    response = client.post(
        reverse("admin:articles_tag_add"),
        {
            "name": "كرة السلة",
            "slug": "basketball",
            "kind": Tag.Kind.KEYWORD,
            "key": "",
            "aliases-TOTAL_FORMS": "0",
            "aliases-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert tagging.resolve_tag_alias("basketball") is None  # the live tag now answers /topics/basketball/


def test_tag_list_shows_counts_kind_and_finds_old_names(client, editor, topics):
    ArticleFactory(tags=[topics.sport, topics.politic])
    ArticleFactory(tags=[topics.sport])
    tagging.merge_tags(topics.sport, [TagFactory(name="كرة اليد", slug="handball")])
    response = client.get(reverse("admin:articles_tag_changelist"))
    html = response.content.decode()
    assert re.search(rf'href="{CHANGELIST}\?tag={topics.sport.pk}">2</a>', html)
    assert re.search(rf'href="{CHANGELIST}\?tag={topics.politic.pk}">1</a>', html)
    found = client.get(reverse("admin:articles_tag_changelist"), {"q": "كرة اليد"})
    assert [t.pk for t in found.context["cl"].result_list] == [topics.sport.pk]


def test_make_keyword_action(client, editor, topics):
    client.post(
        reverse("admin:articles_tag_changelist"), {"action": "make_keyword", "_selected_action": [topics.politic.pk]}
    )
    assert Tag.objects.get(pk=topics.politic.pk).kind == Tag.Kind.KEYWORD


def test_merge_sources_moves_articles_and_keeps_aliases(client, editor):
    jawhara = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    dup = SourceFactory(key="jawharafm", name="Jawhara FM", slug="jawharafm")
    moved = [ArticleFactory(source=dup) for _ in range(3)]
    stays = ArticleFactory(source=jawhara)
    response = client.post(
        reverse("admin:articles_source_changelist"),
        {
            "action": "merge_action",
            "_selected_action": [jawhara.pk, dup.pk],
            "apply": "1",
            "target": jawhara.pk,
        },
    )
    assert response.status_code == 302
    assert not Source.objects.filter(pk=dup.pk).exists()
    assert set(Article.objects.filter(source=jawhara)) == {*moved, stays}
    alias = SourceAlias.objects.get(slug="jawharafm")
    assert (alias.source, alias.key) == (jawhara, "jawharafm")
    assert tagging.source_for_import_key("jawharafm") == jawhara
    assert tagging.resolve_source_alias("jawharafm") == jawhara


def test_source_list_shows_article_counts(client, editor):
    source = SourceFactory(key="mosaique", name="موزاييك", slug="mosaique")
    for _ in range(3):
        ArticleFactory(source=source)
    html = client.get(reverse("admin:articles_source_changelist")).content.decode()
    assert f'href="{CHANGELIST}?source__id__exact={source.pk}">3</a>' in html


def test_the_tag_list_counts_its_tags_in_arabic(client, editor):
    for i in range(11):
        TagFactory(name=f"وسم {i}", slug=f"tag-{i}")
    html = client.get(reverse("admin:articles_tag_changelist")).content.decode()
    assert "11 وسما" in re.search(r'<p class="paginator">(.*?)</p>', html, re.DOTALL).group(1)
    assert "11 الوسوم" not in html


def test_the_merge_page_names_what_stays_with_its_article(client, editor, topics):
    ArticleFactory(tags=[topics.sport])
    response = client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "merge_action", "_selected_action": [topics.sport.pk, topics.politic.pk]},
    )
    html = response.content.decode()
    assert "اختر الوسم الذي يبقى" in html
    assert "رياضة (مقال واحد)" in html and "سياسة (0 مقال)" in html
