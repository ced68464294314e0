"""Collections («ملفات»): adding with notes, reordering, CSV and print exports, sharing read-only, and privacy
between two journalists, through the real pages on PostgreSQL."""

import csv
import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains

from articles.journalists import collections as col
from articles.journalists.models import Collection, CollectionItem
from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

SITE_CSS = Path(settings.BASE_DIR) / "static" / "css" / "site.css"


@pytest.fixture
def salma(make_journalist):
    return make_journalist("salma")


@pytest.fixture
def karim(make_journalist):
    return make_journalist("karim")


@pytest.fixture
def articles():
    return ArticleFactory.create_batch(4)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def dossier(salma, articles):
    """Salma's collection of the four articles, the first with a note."""
    collection = col.create_collection(salma, "ملف الانتخابات البلدية", "ما نشرته الصحف عن الحملة")
    col.add_article(collection, articles[0], "اقتباس الوزير في الفقرة الثالثة")
    for article in articles[1:]:
        col.add_article(collection, article)
    return collection


def order(collection) -> list[int]:
    return list(collection.items.order_by("position").values_list("article_id", flat=True))


def positions(collection) -> list[int]:
    return list(collection.items.order_by("position").values_list("position", flat=True))


def text_of(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


# --- writes ------------------------------------------------------------------------------------------------------


def test_adding_again_never_duplicates_and_an_empty_note_never_erases_one(dossier, articles):
    item, created = col.add_article(dossier, articles[0])
    assert not created and item.note == "اقتباس الوزير في الفقرة الثالثة"
    item, created = col.add_article(dossier, articles[0], "ملاحظة جديدة")
    assert not created and item.note == "ملاحظة جديدة"
    assert dossier.items.count() == 4 and positions(dossier) == [1, 2, 3, 4]


def test_reordering_keeps_positions_dense_and_unique(dossier, articles):
    a, b, c, d = (x.pk for x in articles)
    item = lambda article: CollectionItem.objects.get(collection=dossier, article=article)  # noqa: E731
    col.move_up(item(c))
    assert order(dossier) == [a, c, b, d]
    col.move_down(item(a))
    assert order(dossier) == [c, a, b, d]
    col.move_item(item(d), 1)
    assert order(dossier) == [d, c, a, b]
    col.move_item(item(d), 99)  # beyond the end is the end
    assert order(dossier) == [c, a, b, d]
    col.move_up(item(c))  # already first: nothing moves
    assert order(dossier) == [c, a, b, d]
    col.remove_item(item(a))
    assert order(dossier) == [c, b, d] and positions(dossier) == [1, 2, 3]
    col.add_article(dossier, articles[0])
    assert order(dossier) == [c, b, d, a] and positions(dossier) == [1, 2, 3, 4]


def test_names_are_checked_with_arabic_messages_and_nothing_is_created(salma, dossier):
    client = client_for(salma)
    for name, message in [
        ("   ", "اكتب اسما للملف."),
        ("ن" * 201, "اسم الملف أطول من 200 حرف"),
        ("ملف الانتخابات البلدية", "لديك ملف باسم «ملف الانتخابات البلدية» من قبل"),
    ]:
        response = client.post(reverse("articles:collections"), {"name": name, "description": "وصف الملف"})
        assert response.status_code == 400, name
        assertContains(response, message, status_code=400)
        assertContains(response, "وصف الملف", status_code=400)  # what was typed is still in the form
    assert Collection.objects.filter(owner=salma).count() == 1
    # Renaming to a taken name is refused too; the stored name stays.
    other = col.create_collection(salma, "ملف الميزانية")
    response = client.post(
        reverse("articles:collection_edit", args=[other.pk]), {"name": "ملف الانتخابات البلدية", "description": ""}
    )
    assertContains(response, "لديك ملف باسم", status_code=400)
    other.refresh_from_db()
    assert other.name == "ملف الميزانية"


def test_creating_renaming_describing_and_deleting_through_the_pages(salma, articles):
    client = client_for(salma)
    response = client.post(
        reverse("articles:collections"), {"name": "  قضية   الفوسفات ", "description": ""}, follow=True
    )
    collection = Collection.objects.get(owner=salma)
    assert collection.name == "قضية الفوسفات"
    assertContains(response, "أُنشئ الملف «قضية الفوسفات».")
    response = client.post(
        reverse("articles:collection_edit", args=[collection.pk]),
        {"name": "قضية الفوسفات في قفصة", "description": "متابعة أسبوعية"},
        follow=True,
    )
    assertContains(response, "حُفظ اسم الملف ووصفه.")
    assertContains(response, "متابعة أسبوعية")
    col.add_article(collection, articles[0])
    response = client.post(reverse("articles:collection_delete", args=[collection.pk]), follow=True)
    assertContains(response, "حُذف الملف «قضية الفوسفات في قفصة»")
    assert not Collection.objects.exists() and not CollectionItem.objects.exists()
    assert Article.objects.filter(pk=articles[0].pk).exists()


# --- the collection's page ----------------------------------------------------------------------------------------


def test_the_owner_sees_ordered_items_with_source_date_note_and_edit_controls(salma, dossier, articles):
    response = client_for(salma).get(reverse("articles:collection", args=[dossier.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    titles = [escape(articles[i].title) for i in range(4)]
    assert [html.index(t) for t in titles] == sorted(html.index(t) for t in titles)
    assertContains(response, "ملف الانتخابات البلدية")
    assertContains(response, "جوهرة أف أم")
    assertContains(response, "اقتباس الوزير في الفقرة الثالثة")
    assertContains(response, "احفظ الملاحظة")
    assertContains(response, "إلى الأعلى")
    assertContains(response, reverse("articles:collection_share", args=[dossier.pk]))
    assertContains(response, 'name="csrfmiddlewaretoken"')


def test_move_buttons_and_note_editing_through_the_pages(salma, dossier, articles):
    client = client_for(salma)
    third = CollectionItem.objects.get(collection=dossier, article=articles[2])
    response = client.post(reverse("articles:collection_item_move", args=[third.pk]), {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{third.pk}")
    assert order(dossier)[1] == articles[2].pk
    client.post(reverse("articles:collection_item_move", args=[third.pk]), {"position": "4"})
    assert order(dossier)[3] == articles[2].pk and positions(dossier) == [1, 2, 3, 4]
    response = client.post(reverse("articles:collection_item_move", args=[third.pk]), {}, follow=True)
    assertContains(response, "اختر اتجاه النقل أو رقم الموضع.")

    response = client.post(
        reverse("articles:collection_item_note", args=[third.pk]), {"note": "  يناقض تصريح الأمس  "}, follow=True
    )
    assertContains(response, "حُفظت الملاحظة.")
    third.refresh_from_db()
    assert third.note == "يناقض تصريح الأمس"


def test_a_100_kb_note_is_refused_with_a_message_and_nothing_stored_is_lost(salma, dossier, articles):
    first = CollectionItem.objects.get(collection=dossier, article=articles[0])
    huge = "ملاحظة طويلة جدا " * 6000  # about 100 kB
    response = client_for(salma).post(reverse("articles:collection_item_note", args=[first.pk]), {"note": huge})
    assertContains(response, "الملاحظة أطول من 10000 حرف", status_code=400)
    assertContains(response, "ملاحظة طويلة جدا ملاحظة طويلة جدا", status_code=400)  # their text is still there
    first.refresh_from_db()
    assert first.note == "اقتباس الوزير في الفقرة الثالثة"
    with pytest.raises(col.CollectionError, match="10000"):
        col.set_note(first, huge)


def test_csv_export_has_a_bom_arabic_text_notes_and_neutralized_formulas(salma, dossier):
    formula = ArticleFactory(title='=HYPERLINK("http://evil.example/","وزير الدفاع")', url="javascript:alert(1)")
    col.add_article(dossier, formula, "+ملاحظة تبدأ بعلامة")
    response = client_for(salma).get(reverse("articles:collection_csv", args=[dossier.pk]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:])))
    assert rows[0] == ["position", "title", "source", "date", "url", "archive_url", "note"]
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4", "5"]
    first = dossier.items.get(position=1).article
    assert rows[1][1] == first.title and rows[1][2] == "جوهرة أف أم"
    assert rows[1][3] == (timezone.localdate(first.published_at).isoformat() if first.published_at else "")
    assert rows[1][5] == settings.ARCHIVE_BASE_URL + first.get_absolute_url()
    assert rows[1][6] == "اقتباس الوزير في الفقرة الثالثة"
    assert rows[5][1] == "'" + formula.title and rows[5][6] == "'+ملاحظة تبدأ بعلامة"
    assert rows[5][4] == ""  # never a javascript: address, even in a spreadsheet


def test_the_printable_page_is_clean_html_with_notes_and_a_print_stylesheet(salma, dossier, articles):
    response = client_for(salma).get(reverse("articles:collection_print", args=[dossier.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "site-header" not in html and "<nav" not in html and "<form" not in html and "<script" not in html
    assertContains(response, "ملف الانتخابات البلدية")
    assertContains(response, escape(articles[0].title))
    assertContains(response, "اقتباس الوزير في الفقرة الثالثة")
    assertContains(response, settings.ARCHIVE_BASE_URL + articles[0].get_absolute_url())
    assertContains(response, 'class="print-page"')
    css = SITE_CSS.read_text(encoding="utf-8")
    assert "@media print" in css and ".print-hint" in css


# --- adding from the article page --------------------------------------------------------------------------------


def test_the_article_page_offers_the_form_and_lists_where_the_article_is_kept(salma, dossier, articles):
    client = client_for(salma)
    response = client.get(articles[0].get_absolute_url())
    assertContains(response, "في ملفاتك")
    assertContains(response, f'href="{dossier.get_absolute_url()}"')
    assertContains(response, "أضف إلى ملف")
    assertContains(response, reverse("articles:collection_add"))
    outside = ArticleFactory()
    response = client.get(outside.get_absolute_url())
    assertContains(response, "ليس في أي من ملفاتك بعد.")
    assertContains(response, f'<option value="{dossier.pk}">ملف الانتخابات البلدية</option>', html=False)


def test_adding_from_the_article_page_to_an_existing_or_a_new_collection(salma, dossier, articles):
    client = client_for(salma)
    outside = ArticleFactory()
    add = reverse("articles:collection_add")
    response = client.post(add, {"article": outside.pk, "collection": dossier.pk, "note": "للمقارنة"}, follow=True)
    assertContains(response, "أضيف المقال إلى الملف «ملف الانتخابات البلدية».")
    assert response.redirect_chain[-1][0] == outside.get_absolute_url()
    assert dossier.items.get(article=outside).note == "للمقارنة" and dossier.items.get(article=outside).position == 5
    response = client.post(add, {"article": outside.pk, "collection": dossier.pk}, follow=True)
    assertContains(response, "من قبل: لم يتكرر")
    assert dossier.items.filter(article=outside).count() == 1
    assert dossier.items.get(article=outside).note == "للمقارنة"
    client.post(add, {"article": outside.pk, "new_name": "ملف جديد للنقابات", "note": ""})
    assert Collection.objects.get(owner=salma, name="ملف جديد للنقابات").items.get().article == outside
    # Typing the name of a collection they already have adds to it.
    client.post(add, {"article": articles[0].pk, "new_name": "ملف جديد للنقابات"})
    assert Collection.objects.filter(owner=salma, name="ملف جديد للنقابات").get().items.count() == 2


@pytest.mark.parametrize(
    "data, message",
    [
        ({"article": "999999999", "new_name": "ملف"}, "لا مقال بهذا الرقم في الأرشيف."),
        ({"article": "abc", "new_name": "ملف"}, "رقم المقال غير صحيح."),
        ({"new_name": "ملف"}, "لم يُحدَّد المقال."),
        ({"article": "ARTICLE"}, "اختر ملفا من ملفاتك أو اكتب اسم ملف جديد."),
        ({"article": "ARTICLE", "new_name": "ن" * 201}, "اسم الملف أطول من 200 حرف"),
        ({"article": "ARTICLE", "new_name": "ملف", "note": "م" * 10_001}, "الملاحظة أطول من 10000 حرف"),
    ],
)
def test_bad_additions_get_a_clear_message_and_change_nothing(salma, articles, data, message):
    data = {k: (str(articles[0].pk) if v == "ARTICLE" else v) for k, v in data.items()}
    response = client_for(salma).post(reverse("articles:collection_add"), data)
    assertContains(response, message, status_code=400)
    assertContains(response, "لم يُضف المقال", status_code=400)
    assert not Collection.objects.exists() and not CollectionItem.objects.exists()


def test_the_page_costs_one_collection_query_for_a_journalist_and_none_for_a_visitor(salma, dossier, articles):
    url = articles[0].get_absolute_url()
    Client().get(url)  # warm the search index
    with CaptureQueriesContext(connection) as anonymous:
        response = Client().get(url)
    assertNotContains(response, "في ملفاتك")
    assertNotContains(response, "أضف إلى ملف")
    client = client_for(salma)
    with CaptureQueriesContext(connection) as journalist:
        client.get(url)
    touching = [q["sql"] for q in journalist.captured_queries if "articles_collection" in q["sql"]]
    assert len(touching) == 1, touching
    assert not [q for q in anonymous.captured_queries if "articles_collection" in q["sql"]]
    # Beyond the visitor's: the session and the account, its two permission lookups, and that one query.
    assert len(journalist.captured_queries) <= len(anonymous.captured_queries) + 5


# --- privacy -------------------------------------------------------------------------------------------------------


def _reading_urls(collection):
    return [
        reverse(name, args=[collection.pk])
        for name in ("articles:collection", "articles:collection_csv", "articles:collection_print")
    ]


def _writes(collection):
    item = collection.items.order_by("position").first()
    return [
        (reverse("articles:collection_edit", args=[collection.pk]), {"name": "مخترق", "description": ""}),
        (reverse("articles:collection_share", args=[collection.pk]), {"usernames": "karim"}),
        (reverse("articles:collection_unshare", args=[collection.pk]), {"username": "karim"}),
        (reverse("articles:collection_item_note", args=[item.pk]), {"note": "كتبها غير المالك"}),
        (reverse("articles:collection_item_move", args=[item.pk]), {"direction": "down"}),
        (reverse("articles:collection_item_remove", args=[item.pk]), {}),
        (reverse("articles:collection_delete", args=[collection.pk]), {}),
    ]


def _snapshot(collection):
    collection.refresh_from_db()
    items = list(collection.items.order_by("position").values_list("article_id", "note", "position"))
    return collection.name, items, sorted(collection.shared_with.values_list("username", flat=True))


def test_another_journalist_never_sees_or_changes_a_collection_not_shared_with_them(dossier, karim, articles):
    client = client_for(karim)
    before = _snapshot(dossier)
    for url in _reading_urls(dossier):
        assert client.get(url).status_code == 404, url
    for url, data in _writes(dossier):
        assert client.post(url, data).status_code == 404, url
    response = client.post(reverse("articles:collection_add"), {"article": articles[0].pk, "collection": dossier.pk})
    assertContains(response, "هذا الملف ليس من ملفاتك.", status_code=400)
    assert _snapshot(dossier) == before
    listing = client.get(reverse("articles:collections"))
    assertNotContains(listing, "ملف الانتخابات البلدية")
    page = client.get(articles[0].get_absolute_url())
    assertContains(page, "في ملفاتك")
    assertNotContains(page, "ملف الانتخابات البلدية")
    assert not [c for c in col.collections_around(karim, articles[0]) if c.holds]
    # The same 404 as for a collection that does not exist: the id reveals nothing.
    assert client.get(reverse("articles:collection", args=[dossier.pk + 1000])).status_code == 404


def test_a_shared_collection_is_read_only_for_the_colleague_until_unshared(salma, dossier, karim, articles):
    owner = client_for(salma)
    response = owner.post(reverse("articles:collection_share", args=[dossier.pk]), {"usernames": "karim"}, follow=True)
    assertContains(response, "صار الملف مشاركا للقراءة مع: karim.")
    client = client_for(karim)
    response = client.get(reverse("articles:collection", args=[dossier.pk]))
    assertContains(response, "مشارك معك للقراءة من")
    assertContains(response, "اقتباس الوزير في الفقرة الثالثة")
    assertNotContains(response, "احفظ الملاحظة")
    assertNotContains(response, "إلى الأعلى")
    assertNotContains(response, reverse("articles:collection_share", args=[dossier.pk]))
    for url in _reading_urls(dossier)[1:]:
        assert client.get(url).status_code == 200, url
    assertContains(client.get(reverse("articles:collections")), "ملف الانتخابات البلدية")
    assertContains(client.get(articles[0].get_absolute_url()), f'href="{dossier.get_absolute_url()}"')
    before = _snapshot(dossier)
    for url, data in _writes(dossier):
        assert client.post(url, data).status_code == 403, url
    assert _snapshot(dossier) == before

    owner.post(reverse("articles:collection_unshare", args=[dossier.pk]), {"username": "karim"})
    for url in _reading_urls(dossier):
        assert client.get(url).status_code == 404, url
    assertNotContains(client.get(reverse("articles:collections")), "ملف الانتخابات البلدية")


def test_sharing_refuses_unknown_names_oneself_and_non_journalists_and_changes_nothing(
    salma, dossier, karim, django_user_model
):
    django_user_model.objects.create_user("editor_only", password="كلمة-سر-طويلة-2026")
    client = client_for(salma)
    url = reverse("articles:collection_share", args=[dossier.pk])
    for names, message in [
        ("karim، نادية, ghost", "لا حساب بهذه الأسماء: نادية، ghost."),
        ("karim salma", "لا حاجة إلى مشاركة الملف مع نفسك"),
        ("editor_only", "هذه الحسابات لا تحمل دور الصحفي: editor_only."),
        ("", "اكتب اسم مستخدم زميل واحد على الأقل."),
    ]:
        response = client.post(url, {"usernames": names})
        assertContains(response, message, status_code=400)
        assert not dossier.shared_with.exists(), names
    assert col.share_collection(dossier, col.parse_usernames("karim")) == [karim]


def test_pages_need_the_role_and_writes_need_post_and_a_csrf_token(salma, dossier, django_user_model):
    url = reverse("articles:collection", args=[dossier.pk])
    response = Client().get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("articles:login") + "?next=")
    assert Client().post(reverse("articles:collection_add"), {"new_name": "ملف"}).status_code == 302
    editor = django_user_model.objects.create_user("editor_only", password="كلمة-سر-طويلة-2026")
    assert client_for(editor).get(reverse("articles:collections")).status_code == 403
    client = client_for(salma)
    before = _snapshot(dossier)
    for write, _ in _writes(dossier):
        assert client.get(write).status_code == 405, write
    assert client.get(reverse("articles:collection_add")).status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(salma)
    assert strict.post(reverse("articles:collections"), {"name": "بلا رمز"}).status_code == 403
    assert strict.post(_writes(dossier)[-1][0]).status_code == 403
    assert _snapshot(dossier) == before and Collection.objects.count() == 1


def test_deleting_an_account_deletes_its_collections_and_nothing_else(salma, karim, dossier, articles):
    theirs = col.create_collection(karim, "ملف كريم")
    col.add_article(theirs, articles[0])
    col.share_collection(theirs, ["salma"])
    salma.delete()
    assert list(Collection.objects.all()) == [theirs]
    assert theirs.items.count() == 1 and Article.objects.count() == 4
    assert not theirs.shared_with.exists()


# --- citation on the article page ---------------------------------------------------------------------------------


def test_every_article_page_carries_the_citation_and_its_copy_script(articles):
    article = articles[0]
    response = Client().get(article.get_absolute_url())
    assertContains(response, "انسخ الاستشهاد")
    html = response.content.decode()
    box = re.search(r'<textarea id="citation-text"[^>]*readonly[^>]*>(.*?)</textarea>', html, re.S)
    assert box, "the citation is in a read-only box, visible without JavaScript"
    text = unescape(box.group(1))
    assert text.startswith(f"جوهرة أف أم. «{article.title}». نُشر في ")
    assert "هـ)" in text  # the Hijri date
    assert f"في أرشيف الأخبار العربية:\n{settings.ARCHIVE_BASE_URL}{article.get_absolute_url()}" in text
    assert re.search(r'<script src="[^"]*/articles/citation\.js" defer></script>', html)
    assert re.search(r'<button type="button"[^>]*data-copy-target="citation-text" hidden>', html)
    js = (Path(settings.BASE_DIR) / "static" / "articles" / "citation.js").read_text(encoding="utf-8")
    assert "navigator.clipboard" in js and ".select()" in js


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_copy_button_copies_the_citation_and_the_page_works_without_javascript(browser, live_server):
    article = ArticleFactory()
    url = live_server.url + article.get_absolute_url()
    context = browser.new_context(locale="ar-TN")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    tab = context.new_page()
    csp = []
    tab.on("console", lambda msg: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
    tab.goto(url)
    button = tab.get_by_role("button", name="انسخ", exact=True)
    assert button.is_visible()
    button.click()
    tab.wait_for_function("() => document.querySelector('.copy-status').textContent !== ''")
    expected = tab.locator("#citation-text").input_value()
    assert expected.startswith("جوهرة أف أم. «")
    status = tab.locator(".copy-status").inner_text()
    if status == "نُسخ الاستشهاد.":
        assert tab.evaluate("() => navigator.clipboard.readText()") == expected
    else:  # no clipboard in this browser: the text is selected for the reader instead
        assert tab.evaluate("() => document.activeElement.id") == "citation-text"
    assert not csp, csp
    context.close()

    plain = browser.new_context(locale="ar-TN", java_script_enabled=False)
    tab = plain.new_page()
    tab.goto(url)
    assert tab.locator("#citation-text").is_visible() and tab.locator("#citation-text").input_value() == expected
    assert not tab.locator("[data-copy-target]").is_visible()  # a button that would do nothing stays hidden
    plain.close()


def test_ids_beyond_any_row_are_plain_404s(salma):
    client = client_for(salma)
    huge = 10**20
    assert client.get(f"/collections/{huge}/").status_code == 404
    assert client.get(f"/collections/{huge}/export.csv").status_code == 404
    assert client.post(f"/collections/items/{huge}/note/", {"note": "ملاحظة"}).status_code == 404


def test_hostile_titles_names_and_notes_stay_text_on_every_collection_page(salma, karim):
    from tests.hardening.test_xss import TITLE, unsafe_markup

    article = Article(title=TITLE, body="قال وزير الدفاع إن الجيش مستعد.", url="javascript:alert(1)")
    article.save()
    collection = col.create_collection(salma, '<img src=x onerror="window.__xss=40">ملف')
    col.add_article(collection, article, "<script>window.__xss=41</script> ملاحظة")
    col.share_collection(collection, ["karim"])
    for user in (salma, karim):
        client = client_for(user)
        for url in [*_reading_urls(collection)[::2], reverse("articles:collections"), article.get_absolute_url()]:
            html = client.get(url).content.decode()
            assert not unsafe_markup(html), (url, unsafe_markup(html))
            assert "<script>window.__xss" not in html and 'onerror="window.__xss' not in html, url
    detail = client_for(salma).get(collection.get_absolute_url()).content.decode()
    assert "&lt;script&gt;window.__xss=41&lt;/script&gt; ملاحظة" in detail
    assert "&lt;img src=x onerror=&quot;window.__xss=40&quot;&gt;ملف" in detail
