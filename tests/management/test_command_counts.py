"""The staff's commands count in Arabic (issue 16): «فُهرس مقال واحد», «مقالان», «3 مقالات», «11 مقالا», «100 مقال»,
never a fixed noun. Real articles in the database, the commands as `manage.py` runs them."""

from __future__ import annotations

import io
import re
import signal

import pytest
from django.core.management import call_command
from django.db import connection

from articles.arabic_numbers import WEIGHT, WORD, counted
from articles.journalists.models import SavedSearch
from articles.journalists.roles import make_journalist
from articles.journalists.searches import save_search
from articles.models import Article, content_hash
from articles.search import index
from tests.factories import SourceFactory, TagFactory, ant_documents, stored_ant_articles

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
    return stored_ant_articles(n, SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara"))


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


@pytest.fixture
def own_signal_handlers():
    """run_indexer sets SIGINT and SIGTERM handlers for its loop: give pytest's back afterwards."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)
    with connection.cursor() as cursor:  # and the indexer's session lock, which a later indexer would wait for
        cursor.execute("SELECT pg_advisory_unlock_all()")


@pytest.mark.parametrize("n, articles", COUNTS[1:])
def test_run_indexer_counts_the_articles_it_drained(n, articles, own_signal_handlers):
    index.drain()  # the empty archive's index: what follows is a drain of the outbox, not a first build
    stored_articles(n)
    assert output_of("run_indexer", "--once").splitlines()[1:] == [f"فُهرس {articles}"]


def test_run_indexer_says_nothing_when_nothing_waited(own_signal_handlers):
    index.drain()
    assert len(output_of("run_indexer", "--once").splitlines()) == 1  # «المفهرس يعمل على …» alone


TAGGED = [
    (0, "0 وسم من 0 مقال، 0 كلمة، 0 وزن، "),
    (1, "وسم واحد من مقال واحد، "),
    (2, "وسمان من مقالين، "),
    (3, "3 وسوم من 3 مقالات، "),
    (11, "11 وسما من 11 مقالا، "),
    (100, "100 وسم من 100 مقال، "),
]


@pytest.mark.parametrize("n, counts", TAGGED)
def test_train_tag_suggestions_counts_tags_articles_words_and_weights(n, counts):
    for article in stored_articles(n):  # each article its own topic: n tags learnt from n articles
        article.tags.add(TagFactory())
    line = output_of("train_tag_suggestions", "--min-tag-articles", "1").strip()
    assert line.startswith(f"دُرّب النموذج: {counts}"), line
    words, weights = re.search(r"، ([^،]+)، ([^،]+)، في [\d.]+ ث\.$", line).groups()
    for text, noun in ((words, WORD), (weights, WEIGHT)):
        number = re.match(r"\d+", text)
        assert number is None or text == counted(int(number[0]), noun), text


BACKED_UP = [
    (0, "0 مقال، 0 وسم"),
    (1, "مقال واحد، وسم واحد"),
    (2, "مقالان، وسمان"),
    (3, "3 مقالات، 3 وسوم"),
    (11, "11 مقالا، 11 وسما"),
    (100, "100 مقال، 100 وسم"),
]


@pytest.mark.parametrize("n, counts", BACKED_UP)
def test_backup_archive_counts_the_articles_and_tags_it_saved(n, counts, tmp_path):
    stored_articles(n)
    for _ in range(n):
        TagFactory()
    line = output_of("backup_archive", str(tmp_path / "archive.dump")).strip()
    assert re.fullmatch(rf".*archive\.dump: [\d.]+ MB, {counts}", line), line


def wire_copies(stories: int, copies: int) -> None:
    """`stories` ANT articles, each printed by `copies` papers word for word (headlines told apart)."""
    docs = ant_documents()
    rows = []
    for s in range(stories):
        doc = docs[s]
        for k in range(copies):
            paper = SourceFactory(key=f"paper-{k}", name=f"صحيفة {k}", slug=f"paper-{k}")
            title = f"{doc['title']} ({k})"
            rows.append(
                Article(
                    title=title,
                    body=doc["body"],
                    published_at=doc["published_at"],
                    source=paper,
                    content_hash=content_hash(title, doc["body"]),
                )
            )
    Article.objects.bulk_create(rows)


GROUPED = [
    (0, 0, "0 مقال في 0 قصة لها أكثر من نسخة (أكبرها 0 نسخة)"),
    (1, 2, "مقالان في قصة واحدة لها أكثر من نسخة (أكبرها نسختان)"),
    (1, 3, "3 مقالات في قصة واحدة لها أكثر من نسخة (أكبرها 3 نسخ)"),
    (2, 2, "4 مقالات في قصتين لها أكثر من نسخة (أكبرها نسختان)"),
    (3, 2, "6 مقالات في 3 قصص لها أكثر من نسخة (أكبرها نسختان)"),
    (1, 11, "11 مقالا في قصة واحدة لها أكثر من نسخة (أكبرها 11 نسخة)"),
    (11, 2, "22 مقالا في 11 قصة لها أكثر من نسخة (أكبرها نسختان)"),
    (50, 2, "100 مقال في 50 قصة لها أكثر من نسخة (أكبرها نسختان)"),
]


@pytest.mark.parametrize("stories, copies, summary", GROUPED)
def test_regroup_articles_counts_articles_stories_and_copies(stories, copies, summary):
    wire_copies(stories, copies)
    line = output_of("regroup_articles").strip().splitlines()[-1]
    assert line.startswith(f"{summary} — "), line


@pytest.mark.parametrize(
    "n, alerts", [(0, "0 تنبيه"), (1, "تنبيه واحد"), (2, "تنبيهان"), (3, "3 تنبيهات"), (11, "11 تنبيها")]
)
def test_send_alerts_counts_the_alerts_it_checked(n, alerts):
    journalist, _ = make_journalist("salma", email="salma@example.org", password="كلمة-سر-طويلة-2026")
    for i in range(n):
        save_search(journalist, {"q": f"مستشفى {i}"}, name=f"بحث {i}", frequency=SavedSearch.Frequency.IMMEDIATE)
    assert output_of("send_alerts").strip() == f"فُحص {alerts}: أُرسل 0، ولا جديد في {n}، وتعذر إرسال 0."
