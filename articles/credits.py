"""«المصادر والتراخيص»: what the archive holds, by corpus and source, with each corpus's licence.

Which corpus an article came from is read from its source: each corpus is a known set of publications (the
import's source keys, articles/importing/sources.py), ANT being Jawhara FM and SaudiNewsNet fourteen Saudi papers.
A source in no corpus (an archive's own imports) is listed on its own: its texts belong to their publisher. A
corpus is named only when the archive holds articles of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Max, Min, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from .importing.sources import ANT_SOURCES, SAUDINEWSNET_SOURCES
from .models import Article, Source


@dataclass(frozen=True)
class Corpus:
    name: str
    licence: str
    licence_url: str
    url: str
    sources: frozenset[str]  # the import's source keys of its publications
    note: str = ""


CORPORA = (
    Corpus(
        "ANT Corpus v1.1",
        "Apache-2.0",
        "https://www.apache.org/licenses/LICENSE-2.0",
        "https://github.com/antcorpus/antcorpus.data",
        ANT_SOURCES,
        "Chouigui, Ben Khiroun & Elayeb, «ANT Corpus: An Arabic News Text Collection for Textual "
        "Classification», AICCSA 2017. حقوق النصوص لناشرها.",
    ),
    Corpus(
        "SaudiNewsNet",
        "CC BY-NC-SA 4.0",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
        "https://github.com/parallelfold/SaudiNewsNet",
        SAUDINEWSNET_SOURCES,
        "Mazen Abdulaziz Alhagri, 2015: للبحث العلمي غير التجاري وحده، وملكية كل مقال لصحيفته.",
    ),
)


@dataclass
class Holding:
    """A corpus (or None: sources of no corpus) and what the archive holds of it."""

    corpus: Corpus | None
    sources: list = field(default_factory=list)  # Source rows, each with n, first, last

    @property
    def articles(self) -> int:
        return sum(s.n for s in self.sources)


def holdings() -> list[Holding]:
    """The corpora the archive holds articles of, in CORPORA's order, then the sources of none; one query."""
    visible = Q(articles__published_at__isnull=True) | Q(articles__published_at__lte=timezone.now())
    rows = (
        Source.objects.annotate(
            n=Count("articles", filter=visible), first=Min("articles__published_at"), last=Max("articles__published_at")
        )
        .filter(n__gt=0)
        .order_by("-n", "name")
    )
    by_corpus: dict[Corpus | None, Holding] = {}
    for source in rows:
        corpus = next((c for c in CORPORA if source.key in c.sources), None)
        by_corpus.setdefault(corpus, Holding(corpus)).sources.append(source)
    order = [*CORPORA, None]
    return sorted(by_corpus.values(), key=lambda h: order.index(h.corpus))


@require_safe
def credits(request):
    without_source = Article.objects.published().filter(source__isnull=True).count()
    return render(request, "articles/credits.html", {"holdings": holdings(), "without_source": without_source})
