"""The editors' admin on the real PostgreSQL database: what editors see, what they may do, and what it costs.

Editors are real users in the «محررون» group that migration 0005 creates; nothing here grants permissions by hand.
"""

import re
from html import unescape
from types import SimpleNamespace
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import suggest, tagging
from articles.arabic_numbers import ARTICLE, counted
from articles.editors import EDITORS_GROUP, ensure_editors_group, make_editor
from articles.models import Article, ImportBatch, Source, SourceAlias, Tag, TagAlias, content_hash
from tests.factories import ArticleFactory, SourceFactory, TagFactory, ant_documents, ant_in

pytestmark = pytest.mark.django_db

Link = Article.tags.through
CHANGELIST = reverse("admin:articles_article_changelist")
PASSWORD = "Tahrir-2026-kalima-sirr"


def bulk_articles(docs, **fields) -> list[Article]:
    """Articles from ANT fixture documents in one INSERT (no per-article save: hundreds are needed)."""
    articles = [
        Article(
            title=d["title"],
            body=d["body"],
            published_at=d["published_at"],
            content_hash=content_hash(d["title"], d["body"]),
            **fields,
        )
        for d in docs
    ]
    return Article.objects.bulk_create(articles)


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def result_titles(response) -> list[str]:
    return [
        unescape(t)
        for t in re.findall(r'<th class="field-title_display"><a [^>]*>([^<]*)</a>', response.content.decode())
    ]


@pytest.fixture
def editor(client):
    user, _ = make_editor("mohrer", email="mohrer@example.org", password=PASSWORD)
    client.force_login(user)
    return user


@pytest.fixture
def superuser_client(client, django_user_model):
    admin = django_user_model.objects.create_superuser("raees", "raees@example.org", PASSWORD)
    client.force_login(admin)
    return client


@pytest.fixture
def topics():
    return SimpleNamespace(
        sport=TagFactory(name="رياضة", slug="sport", key="sport"),
        politic=TagFactory(name="سياسة", slug="politic", key="politic"),
        economy=TagFactory(name="اقتصاد", slug="economy", key="economy"),
    )


def action_post(client, action: str, articles=(), query: str = "", **data):
    payload = {"action": action, "_selected_action": [a.pk for a in articles], **data}
    return client.post(CHANGELIST + query, payload)


# --- the group and who may do what ------------------------------------------------------------------------------


def test_editors_group_grants_exactly_the_editing_permissions():
    group = Group.objects.get(name=EDITORS_GROUP)
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {
        ("articles", "view_article"),
        ("articles", "change_article"),
        ("articles", "add_tag"),
        ("articles", "change_tag"),
        ("articles", "add_source"),
        ("articles", "change_source"),
        ("articles", "view_importbatch"),
    } <= granted
    assert not {codename for _, codename in granted if codename.startswith("delete_")}
    assert not {app for app, _ in granted} - {"articles"}  # nothing on users, groups or sessions
    assert ("articles", "change_importbatch") not in granted


def test_migration_and_ensure_editors_group_agree():
    from_migration = set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("pk", flat=True))
    assert set(ensure_editors_group().permissions.values_list("pk", flat=True)) == from_migration


def test_editor_gets_403_on_delete_users_and_groups(client, editor):
    article = ArticleFactory()
    assert client.get(reverse("admin:articles_article_delete", args=[article.pk])).status_code == 403
    assert client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}).status_code == 403
    tag = TagFactory()
    assert client.get(reverse("admin:articles_tag_delete", args=[tag.pk])).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_change", args=[editor.pk])).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    # Bulk delete is not even offered, and posting it anyway deletes nothing.
    assertNotContains(client.get(CHANGELIST), 'value="delete_selected"')
    action_post(client, "delete_selected", [article], post="yes")
    assert Article.objects.filter(pk=article.pk).exists()
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_superuser_may_delete(superuser_client):
    article = ArticleFactory()
    response = superuser_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_create_editor_command_makes_a_staff_member_of_the_group(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "salma", "--email", "salma@example.org", "--noinput", verbosity=0)
    user = User.objects.get(username="salma")
    assert user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    assert user.has_perm("articles.change_article") and not user.has_perm("articles.delete_article")
    # Running it again for an existing user keeps them, and their password, as they are.
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD")
    call_command("create_editor", "salma", "--noinput", verbosity=0)
    assert User.objects.get(username="salma").check_password(PASSWORD)


# --- the article list --------------------------------------------------------------------------------------------


def test_article_list_is_arabic_rtl_with_tags_and_untagged_marked(client, editor, topics):
    tagged = ArticleFactory(tags=[topics.sport])
    untagged = ArticleFactory()
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assertContains(response, '<html lang="ar" dir="rtl"')
    assertContains(response, "المقالات")
    html = response.content.decode()
    assert f'<a href="?tag={topics.sport.pk}">رياضة</a>' in html
    assert html.count('class="untagged"') == 1
    assert result_titles(response) == [
        a.title for a in sorted([tagged, untagged], key=lambda a: a.published_at, reverse=True)
    ]


def test_article_list_orders_newest_first_and_undated_last(client, editor):
    old, new = ant_documents()[0], ant_documents()[1]
    undated = ArticleFactory(published_at=None)
    older = ArticleFactory(published_at=timezone.make_aware(timezone.datetime(2014, 1, 1)), title=old["title"])
    newer = ArticleFactory(published_at=timezone.make_aware(timezone.datetime(2017, 1, 1)), title=new["title"])
    assert result_titles(client.get(CHANGELIST)) == [newer.title, older.title, undated.title]


def test_changelist_queries_do_not_grow_with_rows(client, editor, topics):
    source = SourceFactory(key="jawhara")
    batch = ImportBatch.objects.create()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(CHANGELIST).status_code == 200
        return len(ctx.captured_queries)

    few = bulk_articles(ant_documents()[:3], source=source, import_batch=batch)
    tagging.add_tags(few, [topics.sport, topics.politic])
    with_few = queries()
    many = bulk_articles(ant_documents()[3:120], source=source, import_batch=batch)
    tagging.add_tags(many, [topics.sport, topics.economy])
    assert queries() == with_few
    assert with_few <= 15


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?tagged=no", {"untagged"}),
        ("?tagged=yes", {"sport", "politic", "undated"}),
        ("?tag={sport}", {"sport"}),
        ("?published_at__isnull=True", {"undated"}),
        ("?batch={batch}", {"sport", "untagged"}),
        ("?source__id__exact={mosaique}", {"politic"}),
        ("?published_at__year=2016", {"sport", "politic"}),
    ],
)
def test_article_list_filters(client, editor, topics, query, expected):
    batch = ImportBatch.objects.create()
    mosaique = SourceFactory(key="mosaique", name="موزاييك أف أم", slug="mosaique")
    in_2016 = timezone.make_aware(timezone.datetime(2016, 5, 1))
    articles = {
        "sport": ArticleFactory(tags=[topics.sport], import_batch=batch, published_at=in_2016),
        "politic": ArticleFactory(tags=[topics.politic], source=mosaique, published_at=in_2016),
        "untagged": ArticleFactory(import_batch=batch, published_at=timezone.make_aware(timezone.datetime(2017, 2, 1))),
        "undated": ArticleFactory(published_at=None, tags=[topics.economy]),
    }
    response = client.get(CHANGELIST + query.format(sport=topics.sport.pk, batch=batch.pk, mosaique=mosaique.pk))
    assert response.status_code == 200
    assert set(result_titles(response)) == {articles[k].title for k in expected}
    assertContains(response, f"{len(expected)} ")  # the count next to the search box


def test_admin_search_is_the_arabic_search(client, editor):
    # «الحكومه» (with ه) must find «الحكومة» (with ة): icontains would not.
    government = ArticleFactory(
        title="الحكومة تعلن عن إجراءات جديدة لدعم المؤسسات الصغرى", body=ant_in("politic")[0]["body"]
    )
    sport = ArticleFactory(**{k: ant_in("sport")[0][k] for k in ("title", "body")})
    assert "الحكومه" not in government.title
    response = client.get(CHANGELIST, {"q": "الحكومه"})
    titles = result_titles(response)
    assert government.title in titles
    assert sport.title not in titles


def test_admin_search_is_ranked_unless_a_column_is_chosen(client, editor):
    body_only = ArticleFactory(
        title="اجتماع في قصر الحكومة بالقصبة",
        body="انعقد اجتماع موسع حضره ممثلون عن النقابات. " * 3,
        published_at=timezone.make_aware(timezone.datetime(2017, 5, 1)),
    )
    headline = ArticleFactory(
        title="النقابات تطالب بالحوار",
        body="طالبت النقابات بفتح باب الحوار مع الحكومة حول الأجور.",
        published_at=timezone.make_aware(timezone.datetime(2015, 1, 1)),
    )
    ranked = result_titles(client.get(CHANGELIST, {"q": "النقابات"}))
    assert ranked == [headline.title, body_only.title]  # headline match first, although older
    # Clicking the date column (index 3 with the checkbox column counted out: title, source, date) re-sorts.
    by_date = result_titles(client.get(CHANGELIST, {"q": "النقابات", "o": "-3"}))
    assert by_date == [body_only.title, headline.title]


def test_admin_search_combines_with_filters_and_counts(client, editor, topics):
    docs = ant_in("politic")[:6]
    tagged = [ArticleFactory(title=d["title"], body=d["body"], tags=[topics.politic]) for d in docs[:3]]
    [ArticleFactory(title=d["title"], body=d["body"]) for d in docs[3:]]
    word = "تونس"
    expected = set(Article.objects.search(word).filter(tags=topics.politic).values_list("title", flat=True))
    assert expected and expected <= {a.title for a in tagged}
    response = client.get(CHANGELIST, {"q": word, "tag": topics.politic.pk})
    assert set(result_titles(response)) == expected
    assert response.context["cl"].result_count == len(expected)
    assert response.context["cl"].full_result_count == 6


def test_search_without_searchable_words_says_so(client, editor):
    ArticleFactory()
    response = client.get(CHANGELIST, {"q": "في من"})
    assert response.status_code == 200
    assert result_titles(response) == []
    assertContains(response, "لا كلمات صالحة للبحث")


# --- the article form --------------------------------------------------------------------------------------------


def test_change_form_loads_with_autocomplete_provenance_and_view_on_site(client, editor, topics):
    batch = ImportBatch.objects.create(arguments={"paths": ["fixtures/ant"]})
    article = ArticleFactory(
        tags=[topics.sport],
        import_batch=batch,
        raw_text="<DOC>نص الملف الأصلي</DOC>",
        origin_path="sport/JA-sport-1.txt",
    )
    response = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-ajax--url="/admin/autocomplete/"' in html and 'name="tags"' in html
    assert re.search(r'<fieldset class="module aligned collapse"|<details', html)  # provenance collapsed
    assert "نص الملف الأصلي" in unescape(html)
    assert reverse("admin:articles_importbatch_change", args=[batch.pk]) in html
    view_on_site = reverse("admin:view_on_site", args=[ContentType.objects.get_for_model(Article).pk, article.pk])
    assert f'href="{view_on_site}"' in html


def test_editing_the_body_in_the_admin_keeps_the_search_index_in_sync(client, editor, topics):
    article = ArticleFactory(tags=[topics.sport])
    assert not Article.objects.search("الزيتون").filter(pk=article.pk).exists()
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = response_form_data(client.get(url))
    form["body"] = article.body + "\n\nوارتفع إنتاج الزيتون هذا الموسم."
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Article.objects.search("زيتون").filter(pk=article.pk).exists()
    assert list(Article.objects.get(pk=article.pk).tags.all()) == [topics.sport]


def response_form_data(response) -> dict:
    """The change form's current values, as a browser would post them back."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if name == "published_at":
            local = timezone.localtime(value) if value else None
            data["published_at_0"] = local.strftime("%Y-%m-%d") if local else ""
            data["published_at_1"] = local.strftime("%H:%M:%S") if local else ""
        elif isinstance(value, (list, tuple)):
            data[name] = [str(v) for v in value]
        else:
            data[name] = value
    return data


def test_change_form_suggests_topics_from_tagged_articles(client, editor, topics):
    for doc in ant_in("sport")[:12]:
        ArticleFactory(title=doc["title"], body=doc["body"], tags=[topics.sport])
    for doc in ant_in("politic")[:12]:
        ArticleFactory(title=doc["title"], body=doc["body"], tags=[topics.politic])
    suggest.train()
    match = ant_in("sport")[12]
    article = ArticleFactory(title=match["title"], body=match["body"])
    url = reverse("admin:articles_article_change", args=[article.pk])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    html = response.content.decode()
    buttons = re.findall(r'class="button suggest-tag" data-tag-id="(\d+)"', html)
    assert buttons[0] == str(topics.sport.pk)
    assert len(ctx.captured_queries) <= 20
    # An article already tagged is not offered its own tag again.
    article.tags.add(topics.sport)
    html = client.get(url).content.decode()
    assert str(topics.sport.pk) not in re.findall(r'class="button suggest-tag" data-tag-id="(\d+)"', html)


# --- bulk tagging ------------------------------------------------------------------------------------------------


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


def test_bulk_add_action_shows_an_intermediate_page_then_tags(client, editor, topics):
    articles = [ArticleFactory() for _ in range(3)]
    response = action_post(client, "add_tags_action", articles[:2])
    assert response.status_code == 200
    assertContains(response, 'id="bulk-tags-form"')
    assertContains(response, 'data-ajax--url="/admin/autocomplete/"')  # tag autocomplete
    assert response.context["count"] == 2
    assert not Link.objects.exists()

    response = action_post(client, "add_tags_action", articles[:2], apply="1", tags=[topics.sport.pk])
    assert response.status_code == 302
    assert messages_of(response) == ["أضيف «رياضة» إلى مقالين."]
    assert set(Link.objects.values_list("article_id", "tag_id")) == {(a.pk, topics.sport.pk) for a in articles[:2]}


def test_bulk_add_across_a_search_result_set_of_hundreds(client, editor, topics, django_assert_max_num_queries):
    bulk_articles(ant_documents()[:300])
    matching = Article.objects.search("تونس")
    expected = set(matching.values_list("pk", flat=True))
    assert len(expected) > 50
    page_ids = list(matching.values_list("pk", flat=True)[:50])
    with django_assert_max_num_queries(20):
        response = client.post(
            CHANGELIST + "?" + urlencode({"q": "تونس"}),
            {
                "action": "add_tags_action",
                "_selected_action": page_ids,
                "select_across": "1",
                "apply": "1",
                "tags": [topics.economy.pk],
            },
        )
    assert response.status_code == 302
    assert parse_qs(urlsplit(response["Location"]).query) == {"q": ["تونس"]}  # back to the same result list
    assert set(Link.objects.filter(tag=topics.economy).values_list("article_id", flat=True)) == expected
    assert messages_of(response) == [f"أضيف «اقتصاد» إلى {counted(len(expected), ARTICLE)}."]


def test_bulk_add_can_create_a_new_tag(client, editor):
    articles = [ArticleFactory() for _ in range(2)]
    response = action_post(
        client,
        "add_tags_action",
        articles,
        apply="1",
        new_tags="الانتخابات البلدية، كرة القدم",
        new_kind=Tag.Kind.KEYWORD,
    )
    assert response.status_code == 302
    created = Tag.objects.filter(name__in=["الانتخابات البلدية", "كرة القدم"])
    assert {t.kind for t in created} == {Tag.Kind.KEYWORD}
    assert created.count() == 2
    assert Link.objects.count() == 4


def test_bulk_add_without_a_tag_asks_again(client, editor):
    article = ArticleFactory()
    response = action_post(client, "add_tags_action", [article], apply="1")
    assert response.status_code == 200
    assertContains(response, "اختر وسما واحدا على الأقل")
    assert not Link.objects.exists()


def test_bulk_remove_action(client, editor, topics):
    articles = [ArticleFactory(tags=[topics.sport, topics.politic]) for _ in range(3)]
    response = action_post(client, "remove_tags_action", articles[:2], apply="1", tags=[topics.sport.pk])
    assert response.status_code == 302
    assert messages_of(response) == ["أزيل «رياضة» من مقالين."]
    assert [set(a.tags.all()) for a in articles] == [{topics.politic}, {topics.politic}, {topics.sport, topics.politic}]


def test_untagged_filter_then_bulk_tag_empties_the_filter(client, editor, topics):
    untagged = [ArticleFactory() for _ in range(4)]
    ArticleFactory(tags=[topics.sport])
    response = client.post(
        CHANGELIST + "?tagged=no",
        {
            "action": "add_tags_action",
            "_selected_action": [untagged[0].pk],
            "select_across": "1",
            "apply": "1",
            "tags": [topics.economy.pk],
        },
    )
    assert response.status_code == 302
    assert set(topics.economy.articles.all()) == set(untagged)
    assert result_titles(client.get(CHANGELIST + "?tagged=no")) == []


# --- tags and sources: merge, rename ------------------------------------------------------------------------------


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


# --- import batches ----------------------------------------------------------------------------------------------


def test_import_batches_are_read_only_with_arguments_errors_and_articles(client, editor):
    started = timezone.now() - timezone.timedelta(minutes=2, seconds=5)
    batch = ImportBatch.objects.create(
        arguments={"paths": ["fixtures/ant"], "source": None, "tags": ["أرشيف"]},
        user="nadia",
        host="srv",
        status=ImportBatch.Status.FINISHED,
        files_read=3,
        records_read=2,
        created=2,
        failed=1,
        errors=[{"path": "ant/bad.txt", "reason": "ترميز غير معروف"}],
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        started_at=started, finished_at=started + timezone.timedelta(minutes=2, seconds=5)
    )
    created = [ArticleFactory(import_batch=batch) for _ in range(2)]
    other = ArticleFactory()

    listing = client.get(reverse("admin:articles_importbatch_changelist"))
    assert listing.status_code == 200
    assertContains(listing, "0:02:05")
    assertNotContains(listing, reverse("admin:articles_importbatch_add"))

    detail = client.get(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    assert detail.status_code == 200
    html = unescape(detail.content.decode())
    assert '"tags": [\n    "أرشيف"\n  ]' in html
    assert "ant/bad.txt" in html and "ترميز غير معروف" in html
    assert f"{CHANGELIST}?batch={batch.pk}" in html
    for article in created:
        assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert reverse("admin:articles_article_change", args=[other.pk]) not in html
    assert 'name="_save"' not in html  # no save button: view only

    assert (
        client.post(reverse("admin:articles_importbatch_change", args=[batch.pk]), {"status": "failed"}).status_code
        == 403
    )
    assert client.get(reverse("admin:articles_importbatch_add")).status_code == 403
    assert client.get(reverse("admin:articles_importbatch_delete", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED

    articles = client.get(CHANGELIST, {"batch": batch.pk})
    assert set(result_titles(articles)) == {a.title for a in created}


def test_admin_pages_load_for_an_editor(client, editor, topics):
    article = ArticleFactory(tags=[topics.sport])
    batch = ImportBatch.objects.create()
    for url in [
        reverse("admin:index"),
        reverse("admin:articles_tag_changelist"),
        reverse("admin:articles_tag_change", args=[topics.sport.pk]),
        reverse("admin:articles_tag_add"),
        reverse("admin:articles_source_changelist"),
        reverse("admin:articles_source_change", args=[article.source.pk]),
        reverse("admin:articles_importbatch_changelist"),
        reverse("admin:articles_importbatch_change", args=[batch.pk]),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:autocomplete") + "?app_label=articles&model_name=article&field_name=tags&term=ري",
    ]:
        assert client.get(url).status_code == 200, url


# --- Arabic counts and messages (issue 16) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "n, shown, select_all",
    [
        (1, "مقال واحد", None),
        (2, "مقالان", None),
        (7, "7 مقالات", None),
        (11, "11 مقالا", None),
        (105, "105 مقالات", "اختيار الكل (105 مقالات)"),
    ],
)
def test_the_article_list_counts_in_arabic(client, editor, n, shown, select_all):
    bulk_articles(ant_documents()[:n])
    html = client.get(CHANGELIST).content.decode()
    paginator = re.search(r'<p class="paginator">(.*?)</p>', html, re.DOTALL).group(1)
    assert shown in paginator and "المقالات" not in paginator
    if select_all:  # the action bar's «select across pages», shown when the list has more than one page
        assert select_all in html and "جميعها" not in html


def test_the_tag_list_counts_its_tags_in_arabic(client, editor):
    for i in range(11):
        TagFactory(name=f"وسم {i}", slug=f"tag-{i}")
    html = client.get(reverse("admin:articles_tag_changelist")).content.decode()
    assert "11 وسما" in re.search(r'<p class="paginator">(.*?)</p>', html, re.DOTALL).group(1)
    assert "11 الوسوم" not in html


def test_editing_an_article_says_it_was_changed_not_added(client, editor, topics):
    article = ArticleFactory(title="وزير الدفاع يزور تونس", tags=[topics.sport])
    url = reverse("admin:articles_article_change", args=[article.pk])
    form = response_form_data(client.get(url))
    form["title"] = "وزير الدفاع يزور صفاقس"
    response = client.post(url, form)
    assert response.status_code == 302
    [message] = [re.sub(r"<[^>]+>", "", m) for m in messages_of(response)]  # the title is a link to the form
    assert message == "حُفظت تعديلات مقال «وزير الدفاع يزور صفاقس»."
    assert "إضافة" not in message


def test_the_merge_page_names_what_stays_with_its_article(client, editor, topics):
    ArticleFactory(tags=[topics.sport])
    response = client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "merge_action", "_selected_action": [topics.sport.pk, topics.politic.pk]},
    )
    html = response.content.decode()
    assert "اختر الوسم الذي يبقى" in html
    assert "رياضة (مقال واحد)" in html and "سياسة (0 مقال)" in html


def test_the_committed_catalogue_is_the_compiled_po(tmp_path):
    import gettext
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) is not installed")
    po = Path(__file__).resolve().parent.parent / "locale/ar/LC_MESSAGES/django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "fresh.mo"), str(po)], check=True)
    catalogues = []
    for mo in (tmp_path / "fresh.mo", po.with_suffix(".mo")):
        with mo.open("rb") as fp:
            catalogues.append(gettext.GNUTranslations(fp)._catalog)
    assert catalogues[0] == catalogues[1], "locale/ar/LC_MESSAGES/django.mo is stale: run msgfmt (see the .po)"


def test_batches_with_nothing_new_are_marked_and_can_be_filtered_out(client, editor):
    busy = ImportBatch.objects.create(status=ImportBatch.Status.FINISHED, files_read=3, created=3)
    idle = ImportBatch.objects.create(status=ImportBatch.Status.FINISHED, files_read=3, duplicates=3)
    changelist = reverse("admin:articles_importbatch_changelist")
    html = client.get(changelist).content.decode()
    assert html.count("لا جديد</td>") == 1
    shown = client.get(changelist, {"news": "yes"}).context["cl"].result_list
    assert [b.pk for b in shown] == [busy.pk]
    assert [b.pk for b in client.get(changelist, {"news": "no"}).context["cl"].result_list] == [idle.pk]
