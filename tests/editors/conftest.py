"""What the editors' tests share: an editor logged in (a real member of the «محررون» group that migration 0005
creates; nothing here grants permissions by hand), three topics, articles in bulk, and the admin's messages."""

import re
from html import unescape
from types import SimpleNamespace

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.editors import make_editor
from articles.models import Article, content_hash
from tests.factories import TagFactory

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
