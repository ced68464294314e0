"""An editor's day in a real browser (Chromium through Playwright, against the live server): log in, filter the
untagged articles, tag them all in one action with the tag autocomplete, see them on the public topic page; and
accept a suggested topic with one click on the article form.

Fixtures (browser, page with the 300 ANT articles imported, screenshot) come from tests/browser/conftest.py.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles import suggest
from articles.arabic_numbers import ARTICLE, counted
from articles.editors import make_editor
from articles.models import Article, Tag
from tests.factories import ArticleFactory, ant_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tahrir-2026-kalima-sirr"


@pytest.fixture
def editor(settings):
    # Production settings mark cookies Secure; the live server speaks plain HTTP.
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    user, _ = make_editor("mohrer", password=PASSWORD)
    return user


def log_in(page, next_url: str):
    page.goto(f"/admin/login/?next={next_url}")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    page.locator("#id_username").fill("mohrer")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_editor_filters_untagged_bulk_tags_and_sees_the_topic_page(page, editor, screenshot):
    economy = Tag.objects.get(key="economy")
    recently = timezone.now() - timedelta(hours=1)  # newest in the archive: first on the topic page
    untagged = [
        ArticleFactory(title=f"مقال دون وسم {i}: {doc['title']}", body=doc["body"], published_at=recently)
        for i, doc in enumerate(ant_in("economy")[-4:], 1)
    ]
    # The imported fixtures have untagged articles of their own (one ANT file lacks its <CAT> header).
    untagged_before = Article.objects.filter(tags__isnull=True).count()
    assert untagged_before >= len(untagged)

    log_in(page, "/admin/articles/article/")
    page.locator("#changelist-filter a", has_text="بلا وسوم").click()
    page.wait_for_url(re.compile(r"tagged=no"))
    assert page.locator("#result_list tbody tr").count() == untagged_before
    assert page.locator("#result_list .untagged").count() == untagged_before

    page.locator("#action-toggle").check()
    page.locator("select[name=action]").select_option("add_tags_action")
    page.locator("button[name=index]").click()
    assert page.locator("#bulk-count strong").inner_text() == counted(untagged_before, ARTICLE, oblique=True)

    # The tag field is Django's autocomplete (select2): type part of the name, pick the match.
    page.locator("#bulk-tags-form .select2-selection").click()
    page.locator(".select2-search__field").fill("اقتص")
    page.locator(".select2-results__option", has_text="اقتصاد").click()
    screenshot(page, "admin-bulk-tags")
    page.locator("#bulk-tags-form [type=submit]").click()

    page.wait_for_url(re.compile(r"tagged=no"))
    assert (
        page.locator(".messagelist .success").inner_text()
        == f"أضيف «اقتصاد» إلى {counted(untagged_before, ARTICLE, oblique=True)}."
    )
    assert page.locator("#result_list").count() == 0  # nothing left untagged
    screenshot(page, "admin-after-bulk-tags")
    assert set(economy.articles.filter(pk__in=[a.pk for a in untagged])) == set(untagged)

    page.goto(f"/topics/{economy.slug}/")
    titles = page.locator(".results .result-title").all_inner_texts()
    for article in untagged:
        assert article.title in titles
    screenshot(page, "topic-after-bulk-tags")


def test_editor_accepts_a_suggested_topic_with_one_click(page, editor, screenshot):
    suggest.train()
    sport = Tag.objects.get(key="sport")
    doc = ant_in("sport")[0]
    article = ArticleFactory(title=f"مقال جديد: {doc['title']}", body=doc["body"])

    log_in(page, f"/admin/articles/article/{article.pk}/change/")
    first = page.locator(".tag-suggestions .suggest-tag").first
    assert first.inner_text() == "+ رياضة"
    first.click()
    assert page.locator(".field-tags .select2-selection__choice", has_text="رياضة").count() == 1
    screenshot(page, "admin-accept-suggestion")
    page.locator("input[name=_continue]").click()
    page.wait_for_selector(".messagelist .success")
    assert list(Article.objects.get(pk=article.pk).tags.all()) == [sport]
    # Once accepted, the topic is no longer offered.
    assert "+ رياضة" not in page.locator(".tag-suggestions").inner_text()
