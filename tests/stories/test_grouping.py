"""Grouping at import, regrouping and editors' splits and joins, on real PostgreSQL with real SaudiNewsNet text."""

from __future__ import annotations

import datetime as dt
import json
import random

import pytest
from django.core.management import call_command

from articles.importing.pipeline import import_paths
from articles.models import Article, ArticleStory, Story, StorySplit
from articles.stories import grouping
from bench import stories_testset

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not stories_testset.SAUDI.exists(), reason="../shared corpus not available"),
]


@pytest.fixture(scope="module")
def originals():
    articles = [
        a for a in stories_testset.load_articles(days=1) if a.source_key == "alriyadh" and len(a.body.split()) >= 150
    ]  # one paper: no two are copies
    return random.Random(3).sample(articles, 6)


def _record(title, body, when, source, **extra):
    return {"title": title, "body": body, "published_at": when.isoformat(), "source": source, **extra}


def _write(path, records):
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return path


def _reprint(article, rng, edits):
    body = article.body
    for name in edits:
        body = stories_testset.EDITS[name](body, rng)
    return body


def _story_of(title):
    return ArticleStory.objects.get(article__title=title).story_id


def test_copies_in_other_papers_join_the_story_and_other_stories_stay_apart(tmp_path, originals):
    rng = random.Random(1)
    records = []
    for n, a in enumerate(originals):
        records.append(_record(a.title, a.body, a.published_at, "alriyadh"))
        for k, edits in enumerate(
            [("add_dateline", "respell"), ("shorten_wire",), ("cut_first_sentence", "change_words")]
        ):
            records.append(
                _record(
                    f"نسخة {k} من الخبر {n}",
                    _reprint(a, rng, edits),
                    a.published_at + dt.timedelta(hours=5 * k + 1),
                    ["okaz", "sabq", "aawsat"][k],
                )
            )
    # One batch per few records: copies meet their originals both inside a batch and across batches.
    report = import_paths([_write(tmp_path / "day.jsonl", records)], batch_size=5)
    assert report.created == 24
    stories = {}
    for n, a in enumerate(originals):
        members = {_story_of(a.title)} | {_story_of(f"نسخة {k} من الخبر {n}") for k in range(3)}
        assert len(members) == 1 and None not in members, a.title
        stories[n] = members.pop()
    assert len(set(stories.values())) == len(originals)  # six stories, never merged
    assert Story.objects.count() == 6


def test_a_copy_published_beyond_the_window_is_another_story(tmp_path, originals, settings):
    a = originals[0]
    late = a.published_at + dt.timedelta(days=settings.STORY_WINDOW_DAYS + 1)
    import_paths(
        [
            _write(
                tmp_path / "a.jsonl",
                [
                    _record(a.title, a.body, a.published_at, "alriyadh"),
                    _record("نسخة متأخرة", a.body + " تحديث", late, "okaz"),
                    _record("نسخة في الأسبوع", "متابعات: " + a.body, a.published_at + dt.timedelta(days=2), "sabq"),
                ],
            )
        ]
    )
    assert _story_of(a.title) == _story_of("نسخة في الأسبوع") is not None
    assert _story_of("نسخة متأخرة") is None


def test_rerunning_an_import_and_regrouping_keep_the_groups(tmp_path, originals):
    a, b = originals[:2]
    path = _write(
        tmp_path / "two.jsonl",
        [
            _record(a.title, a.body, a.published_at, "alriyadh"),
            _record("نسخة أ", "الرياض - واس: " + a.body, a.published_at, "okaz"),
            _record(b.title, b.body, b.published_at, "alriyadh"),
        ],
    )
    import_paths([path])
    before = dict(ArticleStory.objects.values_list("article_id", "story_id"))
    import_paths([path])
    assert dict(ArticleStory.objects.values_list("article_id", "story_id")) == before
    call_command("regroup_articles", verbosity=0)
    after = dict(ArticleStory.objects.values_list("article_id", "story_id"))
    assert after.keys() == before.keys()
    assert after[Article.objects.get(title=a.title).pk] == after[Article.objects.get(title="نسخة أ").pk] is not None
    assert after[Article.objects.get(title=b.title).pk] is None


def test_an_editors_split_and_join_survive_a_regroup(tmp_path, originals):
    a, b = originals[:2]
    import_paths(
        [
            _write(
                tmp_path / "e.jsonl",
                [
                    _record(a.title, a.body, a.published_at, "alriyadh"),
                    _record("نسخة 1", "(واس) " + a.body, a.published_at, "okaz"),
                    _record("نسخة 2", "متابعات: " + a.body, a.published_at, "sabq"),
                    _record(b.title, b.body, b.published_at, "alriyadh"),
                ],
            )
        ]
    )
    ids = {t: pk for pk, t in Article.objects.values_list("id", "title")}
    assert len({_story_of(a.title), _story_of("نسخة 1"), _story_of("نسخة 2")}) == 1

    grouping.split_articles([ids["نسخة 2"]])  # the editor: not the same story
    assert _story_of("نسخة 2") is None
    assert StorySplit.objects.count() == 2
    grouping.join_articles([ids["نسخة 2"], ids[b.title]])  # the editor: these two are one story
    call_command("regroup_articles", verbosity=0)

    assert _story_of(a.title) == _story_of("نسخة 1") is not None
    assert _story_of("نسخة 2") == _story_of(b.title) is not None
    assert _story_of("نسخة 2") != _story_of(a.title)
    assert set(ArticleStory.objects.filter(by_editor=True).values_list("article_id", flat=True)) == {
        ids["نسخة 2"],
        ids[b.title],
    }


def test_an_article_whose_text_changes_is_grouped_again(tmp_path, originals):
    a, b = originals[:2]
    url = "https://example.org/news/1"
    import_paths(
        [
            _write(
                tmp_path / "v1.jsonl",
                [
                    _record(a.title, a.body, a.published_at, "alriyadh"),
                    _record("خبر", "متابعات: " + a.body, a.published_at, "okaz", url=url),
                    _record(b.title, b.body, b.published_at, "alriyadh"),
                ],
            )
        ]
    )
    assert _story_of("خبر") == _story_of(a.title) is not None
    # The same URL, now with the other story's text: it leaves the first story and joins the second.
    import_paths(
        [
            _write(
                tmp_path / "v2.jsonl",
                [_record("خبر", "متابعات: " + b.body, a.published_at + dt.timedelta(hours=1), "okaz", url=url)],
            )
        ]
    )
    assert _story_of("خبر") == _story_of(b.title) is not None
    assert _story_of(a.title) is None  # a story of one is no story


def test_the_fingerprint_cache_keeps_what_was_just_fetched_when_it_starts_afresh(tmp_path, originals, monkeypatch):
    a = originals[0]
    import_paths(
        [
            _write(
                tmp_path / "c.jsonl",
                [
                    _record(a.title, a.body, a.published_at, "alriyadh"),
                    _record("نسخة", "(واس) " + a.body, a.published_at, "okaz"),
                ],
            )
        ]
    )
    ids = list(Article.objects.values_list("id", flat=True))
    monkeypatch.setattr(grouping.PrintCache, "MAX_PRINTS", 1)
    cache = grouping.PrintCache()
    cache[10**9] = None  # full already
    cache.fetch(ids)
    assert set(ids) <= set(cache)


def test_candidates_are_found_by_band_probes_even_on_a_young_table(tmp_path, originals):
    """On a table whose statistics say it is empty, the planner once walked a btree index whole and tested every
    stored row against every key of the batch (an hour of CI for one corpus import): the plan must probe the
    band index, once per key, and read nothing else of the table."""
    from django.db import connection

    import_paths(
        [_write(tmp_path / "day.jsonl", [_record(a.title, a.body, a.published_at, "alriyadh") for a in originals[:3]])]
    )
    with connection.cursor() as cursor:
        # The statistics autovacuum leaves after an earlier test's rows were rolled back: pages, but no rows.
        cursor.execute(
            "CREATE TEMP TABLE kept AS SELECT * FROM articles_articlestory; "
            "DELETE FROM articles_articlestory; ANALYZE articles_articlestory; "
            "INSERT INTO articles_articlestory SELECT * FROM kept"
        )
    plans = []

    def explain_candidates(execute, sql, params, many, context):
        if "JOIN articles_articlestory s ON s.bands" in sql and not sql.startswith("EXPLAIN"):
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN " + sql, params)
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(explain_candidates):
        import_paths(
            [
                _write(
                    tmp_path / "copies.jsonl",
                    [_record(f"نسخة {n}", a.body, a.published_at, "okaz") for n, a in enumerate(originals[:3])],
                )
            ]
        )
    assert plans, "the candidates query did not run"
    for plan in plans:
        assert "Bitmap Index Scan on articlestory_bands_gin" in plan, plan
        assert (
            "Seq Scan on articles_articlestory" not in plan and "Index Scan using articles_articlestory" not in plan
        ), plan
    assert len({_story_of(a.title) for a in originals[:3]} - {None}) == 3  # each original found its copy
