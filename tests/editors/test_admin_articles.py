"""articles/admin.py, the articles: their list (filters, the Arabic search, its ranking), the article form
(suggested topics, provenance) and bulk tagging, on the real PostgreSQL database, with what each page costs."""

import re
from html import unescape
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles import suggest, tagging
from articles.arabic_numbers import ARTICLE, counted
from articles.models import Article, ImportBatch, Tag
from tests.factories import ArticleFactory, SourceFactory, ant_documents, ant_in

from .conftest import CHANGELIST, Link, action_post, bulk_articles, messages_of, result_titles

pytestmark = pytest.mark.django_db


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
