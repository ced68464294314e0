"""The staff's commands count in Arabic (issue 16): «فُهرس مقال واحد», «مقالان», «3 مقالات», «11 مقالا», «100 مقال»,
never a fixed noun. Real articles in the database, the commands as `manage.py` runs them."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from articles.models import Article, content_hash
from tests.factories import SourceFactory, ant_documents

pytestmark = pytest.mark.django_db

COUNTS = [
    (0, "0 مقال"),
    (1, "مقال واحد"),
    (2, "مقالان"),
    (3, "3 مقالات"),
    (11, "11 مقالا"),
    (100, "100 مقال"),
]


def stored_articles(n: int) -> list[Article]:
    """`n` distinct articles from the ANT fixtures in one INSERT (the fixtures repeat with a numbered title)."""
    docs = ant_documents()
    source = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    rows = []
    for i in range(n):
        doc = docs[i % len(docs)]
        title = doc["title"] if i < len(docs) else f"{doc['title']} ({i // len(docs)})"
        rows.append(
            Article(
                title=title,
                body=doc["body"],
                published_at=doc["published_at"],
                source=source,
                content_hash=content_hash(title, doc["body"]),
            )
        )
    return Article.objects.bulk_create(rows)


def output_of(*command, **options) -> str:
    out = io.StringIO()
    call_command(*command, stdout=out, **options)
    return out.getvalue()


@pytest.mark.parametrize("n, articles", COUNTS)
def test_rebuild_index_counts_the_articles_it_indexed(n, articles):
    stored_articles(n)
    line = output_of("rebuild_index").strip().splitlines()[-1]
    assert line.startswith(f"فُهرس {articles} في "), line
    assert line.endswith(" مقال/ث)")
