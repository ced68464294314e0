"""Model factories with real Arabic news text: the ANT fixtures' headlines and bodies (fixtures/ant/*/*.txt).

Real text matters: stemming, highlighting and snippets behave differently on lorem ipsum.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import factory
from django.utils import timezone

from articles.models import Article, Source, Tag, content_hash, unicode_slug

ANT_DIR = Path(__file__).resolve().parent.parent / "fixtures" / "ant"
_FIELD = re.compile(r"<(TITLE|TEXT|TIME|CAT|URL)>(.*?)</\1>", re.DOTALL)


@lru_cache(maxsize=1)
def ant_documents() -> list[dict]:
    """Every ANT fixture as {title, body, category, url, published_at}, in a stable order."""
    docs = []
    for path in sorted(ANT_DIR.glob("*/*.txt")):
        fields = {k: v.strip() for k, v in _FIELD.findall(path.read_text(encoding="utf-8"))}
        if not fields.get("TITLE") or not fields.get("TEXT"):
            continue
        docs.append(
            {
                "title": fields["TITLE"],
                "body": fields["TEXT"],
                "category": fields.get("CAT", ""),
                "url": fields.get("URL", ""),
                "published_at": _parse_time(fields.get("TIME", "")),
            }
        )
    return docs


def _parse_time(value: str) -> dt.datetime | None:
    for fmt in ("%Y-%m-%dT%H:%M:%S%z", "%d/%m/%Y"):
        try:
            parsed = dt.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed if parsed.tzinfo else timezone.make_aware(parsed)
    return None


def ant(index: int) -> dict:
    docs = ant_documents()
    return docs[index % len(docs)]


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source
        django_get_or_create = ("key",)

    key = factory.Sequence(lambda n: f"source-{n}")
    name = factory.Sequence(lambda n: f"جوهرة أف أم {n}")
    slug = factory.LazyAttribute(lambda o: unicode_slug(o.key))
    url = "https://www.jawharafm.net/"


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"موضوع {n}")
    slug = factory.LazyAttribute(lambda o: unicode_slug(o.name))
    kind = Tag.Kind.TOPIC


class ArticleFactory(factory.django.DjangoModelFactory):
    """An ANT article (the n-th fixture, cycling); pass title/body/published_at to write your own."""

    class Meta:
        model = Article
        skip_postgeneration_save = True  # tags are M2M rows: the article needs no second save

    title = factory.Sequence(lambda n: ant(n)["title"])
    body = factory.Sequence(lambda n: ant(n)["body"])
    published_at = factory.Sequence(lambda n: ant(n)["published_at"])
    source = factory.SubFactory(SourceFactory, key="jawhara", name="جوهرة أف أم", slug="jawhara")

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.add(*extracted)


def ant_in(category: str) -> list[dict]:
    """The ANT fixtures of one category (sport, politic, economy, culture, …), in a stable order."""
    return [d for d in ant_documents() if d["category"] == category]


def stored_ant_articles(n: int, source: Source) -> list[Article]:
    """`n` distinct articles of `source` from the ANT fixtures, in a few INSERTs with no per-article save (tests
    that need hundreds): past the first round the fixtures repeat with a numbered title."""
    docs = ant_documents()
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
    return Article.objects.bulk_create(rows, batch_size=1000)
