"""The admin's own chrome (templates/admin/): the change list's «N results» agrees with its number, and every admin
page links the public site's favicon, so no browser asks for a /favicon.ico that is not there."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.factories import ArticleFactory, SourceFactory, ant_documents

from .conftest import bulk_articles

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:articles_article_changelist")
ICON_LINK = re.compile(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"')

MATCHED = [
    (1, "نتيجة واحدة", "مقالان"),
    (2, "نتيجتان", "3 مقالات"),
    (3, "3 نتائج", "4 مقالات"),
    (11, "11 نتيجة", "12 مقالا"),
    (100, "100 نتيجة", "101 مقال"),
]


@pytest.mark.parametrize("n, results, total", MATCHED)
def test_the_filtered_change_list_counts_its_results_and_the_total_in_arabic(admin_client, n, results, total):
    jawhara = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    bulk_articles(ant_documents()[:n], source=jawhara)  # and one from another paper, filtered out
    ArticleFactory(title="خبر من مصدر آخر", body="نص خبر من مصدر آخر.", source=SourceFactory(key="other", slug="other"))
    html = admin_client.get(f"{CHANGELIST}?source__id__exact={jawhara.pk}").content.decode()
    counts = re.search(r'<span class="small quiet">(.*?) \(<a href="\?">(.*?)</a>\)</span>', html)
    assert counts is not None, html
    assert counts.groups() == (results, f"المجموع {total}")


def test_admin_pages_link_the_public_sites_icons(admin_client, client):
    public = ICON_LINK.findall(client.get(reverse("articles:home")).content.decode())
    assert len(public) == 3
    for href in public:
        assert finders.find(href.removeprefix("/static/")), href  # a file of static/img, not a 404
    article = ArticleFactory()
    pages = [
        reverse("admin:index"),
        CHANGELIST,
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:articles_tag_changelist"),
    ]
    for url in pages:
        html = admin_client.get(url).content.decode()
        assert ICON_LINK.findall(html) == public, url
        assert "favicon.ico" not in html
    login = client.get(reverse("admin:login")).content.decode()
    assert ICON_LINK.findall(login) == public
