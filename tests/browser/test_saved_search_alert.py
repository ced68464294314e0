"""A journalist follows a search in a real browser: logs in, searches, saves the search with an alert; a new
matching article is imported; `send_alerts` mails it through a real SMTP server; the mail's unsubscribe link works."""

import json
import re

import pytest
from django.core.management import call_command

from articles.journalists.models import SavedSearch
from articles.journalists.roles import make_journalist

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Qabes-hospital-2026!"
HEADLINE = "افتتاح قسم جديد للطوارئ في مستشفى قابس الجامعي"
BODY = (
    "افتتح وزير الصحة صباح اليوم قسما جديدا للطوارئ في مستشفى قابس الجامعي، مجهزا بأحدث المعدات، "
    "وقال إن القسم سيخفف الضغط على مستشفيات الجنوب التونسي."
)


def test_save_a_search_and_get_its_alert(page, live_server, smtp_server, settings, tmp_path, screenshot):
    settings.ARCHIVE_BASE_URL = live_server.url
    make_journalist("salma", email="salma@example.org", password=PASSWORD)

    page.goto("/search/?q=مستشفى")
    page.get_by_role("link", name="ادخل لتحفظ هذا البحث").click()
    page.fill("input[name=username]", "salma")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/search/\?q="))

    page.get_by_text("احفظ هذا البحث").click()
    page.fill("#save-name", "مستشفيات الجنوب")
    page.select_option("#save-frequency", "immediate")
    page.locator(".save-search button[type=submit]").click()
    page.wait_for_url(re.compile(r"/me/searches/$"))
    assert page.get_by_role("heading", name="مستشفيات الجنوب").is_visible()
    assert "لا جديد منذ آخر زيارة" in page.locator(".saved-search").inner_text()
    screenshot(page, "saved-searches")

    new = tmp_path / "new.jsonl"
    new.write_text(
        json.dumps(
            {"title": HEADLINE, "text": BODY, "date": "2026-12-02", "url": "https://www.example.tn/qabes-urgences"},
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    call_command("import_articles", str(new), verbosity=0)
    call_command("send_alerts")

    [message] = smtp_server.to("salma@example.org")
    text = message.get_body(("plain",)).get_content()
    assert HEADLINE in text and "مستشفيات الجنوب" in message["Subject"]
    article_link = re.search(re.escape(live_server.url) + r"/articles/\d+/", text).group()
    page.goto(article_link)
    assert page.locator("h1").inner_text().strip() == HEADLINE

    page.reload()
    page.goto("/me/searches/")
    assert "اعرض الجديد: نتيجة واحدة" in page.locator(".saved-search").inner_text()

    unsubscribe = re.search(r'href="([^"]+/alerts/unsubscribe/[^"]+)"', message.get_body(("html",)).get_content())
    page.context.clear_cookies()  # the link needs no login
    page.goto(unsubscribe.group(1).replace("&amp;", "&"))
    page.get_by_role("button", name="ألغِ التنبيه").click()
    assert page.get_by_role("heading", name="أُلغي التنبيه").is_visible()
    assert SavedSearch.objects.get(name="مستشفيات الجنوب").frequency == SavedSearch.Frequency.NEVER
