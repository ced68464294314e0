"""The editors' admin pages pass both checkers (tests/browser/a11y.py): axe-core in Chromium, the site's CSP in
force, at 1366 px and 375 px; and the Nu HTML validator over the same pages as served. The article list, an
article's form, the tag list and an import batch, on the ANT fixtures."""

import re

import pytest
from django.urls import reverse

from articles.editors import make_editor
from tests.browser.a11y import axe_violations, describe_violations, nu_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Tahrir-2026-kalima-sirr"
WIDTHS = (1366, 375)


@pytest.fixture
def editor(settings):
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    settings.CSRF_COOKIE_SECURE = False
    user, _ = make_editor("mohrer", password=PASSWORD)
    return user


def admin_pages() -> dict[str, str]:
    from articles.models import Article, ImportBatch

    article = Article.objects.filter(tags__isnull=False).order_by("pk").first()
    batch = ImportBatch.objects.order_by("pk").first()
    return {
        "article list": reverse("admin:articles_article_changelist"),
        "article form": reverse("admin:articles_article_change", args=[article.pk]),
        "tag list": reverse("admin:articles_tag_changelist"),
        "import batch list": reverse("admin:articles_importbatch_changelist"),
        "import batch": reverse("admin:articles_importbatch_change", args=[batch.pk]),
    }


def log_in(page, next_url: str):
    page.goto(f"/admin/login/?next={next_url}")
    page.locator("#id_username").fill("mohrer")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def test_admin_pages_have_no_axe_violations(page, editor):
    pages = admin_pages()
    log_in(page, pages["article list"])
    found = {}
    for name, path in pages.items():
        response = page.goto(path)
        assert response.status == 200, (name, path)
        page.wait_for_load_state("networkidle")  # select2 builds its widgets after load
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            if violations := axe_violations(page):
                found[f"{name} at {width} px"] = describe_violations(violations)
        if name == "article form":  # the select2 search box exists only while its dropdown is open
            page.locator(".field-tags .select2-selection").first.click()
            page.locator(".select2-search__field").first.wait_for()
            if violations := axe_violations(page):
                found["article form, tag search open"] = describe_violations(violations)
            page.keyboard.press("Escape")
    assert not found, "\n\n".join(f"{where}:\n{lines}" for where, lines in found.items())


def test_admin_pages_are_valid_html(client, ant_archive):
    user, _ = make_editor("mohrer-nu", password=PASSWORD)
    client.force_login(user)
    pages = {}
    for name, path in admin_pages().items():
        response = client.get(path)
        assert response.status_code == 200, (name, path)
        pages[name.replace(" ", "-")] = response.content.decode()
    errors = nu_errors(pages)
    assert errors == [], "\n".join(errors)
