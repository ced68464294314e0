"""Every file of the two real corpora, checked against the manifests that ship with them. Takes a few seconds."""

from __future__ import annotations

import csv
import json
import time
from collections import Counter

from importer_testdata import ANT, SNN, require

from articles.importing.reader import count_files, iter_records
from articles.importing.records import FileProblem, ParsedArticle
from articles.importing.sources import CATEGORY_NAMES, KNOWN_SOURCES

ANT_FILES = 10_161
SNN_RECORDS = 31_030
MALFORMED_ANT = "politic/JA-politic-92-20170201.txt"  # no <SRC>, no <CAT>, <DOCNO> is just "92"


def read_manifest(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def test_ant_corpus():
    root = require(ANT)
    manifest = {row["path"]: row for row in read_manifest(root / "manifest.tsv")}
    started = time.perf_counter()
    articles: dict[str, ParsedArticle] = {}
    problems: list[FileProblem] = []
    for record in iter_records([root]):
        if isinstance(record, ParsedArticle):
            articles[record.origin] = record
        else:
            problems.append(record)
    elapsed = time.perf_counter() - started
    print(f"\nANT: {len(articles)} articles in {elapsed:.2f}s ({len(articles) / elapsed:.0f}/s)")

    assert len(articles) == ANT_FILES == len(manifest)
    assert set(articles) == set(manifest)
    # the corpus' README, licence and manifest are reported, not imported
    assert sorted(p.origin for p in problems) == ["LICENSE", "README.md", "UPSTREAM_README.md", "manifest.tsv"]

    empty_titles = [o for o, a in articles.items() if not a.title]
    assert sorted(empty_titles) == sorted(o for o in manifest if o.endswith("-00000000.txt"))
    assert len(empty_titles) == 4 and all(articles[o].body for o in empty_titles)
    assert sum(1 for a in articles.values() if not a.body) == 23  # empty <TEXT>, but they have a title

    for origin, row in manifest.items():
        article = articles[origin]
        assert article.published_at is not None, origin
        assert article.published_at.date().isoformat() == row["date"], origin
        assert (article.published_at.tzinfo is not None) == ("+" in row["time_raw"]), origin
        expected_categories = [row["cat_tag"]] if row["cat_tag"] else []
        assert article.categories == expected_categories, origin
        if origin != MALFORMED_ANT:
            assert article.categories == [row["folder_category"]], origin
        assert article.doc_id == row["docno"]
        assert article.url == row["url"].strip()
        assert article.source_key == "jawharafm", origin  # from <SRC>, or from the URL for the malformed file
        assert article.format == "trec"
        assert article.raw == (root / origin).read_text(encoding="utf-8")
        assert not article.notes, (origin, article.notes)
    assert articles[MALFORMED_ANT].categories == []
    assert {c for a in articles.values() for c in a.categories} == set(CATEGORY_NAMES)


def test_snn_corpus():
    root = require(SNN)
    manifest = read_manifest(root / "manifest.tsv")
    assert len(manifest) == SNN_RECORDS
    started = time.perf_counter()
    articles: dict[str, ParsedArticle] = {}
    problems: dict[str, FileProblem] = {}
    for record in iter_records([root / "dataset"]):
        if isinstance(record, ParsedArticle):
            articles[record.origin] = record
        else:
            problems[record.origin] = record
    elapsed = time.perf_counter() - started
    print(f"\nSNN: {len(articles)} articles in {elapsed:.2f}s ({len(articles) / elapsed:.0f}/s)")

    # records whose title and content are both empty or whitespace-only, straight from the JSON
    empty = set()
    for path in sorted((root / "dataset").glob("*.json")):
        for index, obj in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            if not obj["title"].strip() and not obj["content"].strip():
                empty.add(f"{path.name}#{index}")
    sources: Counter[str] = Counter()
    for row in manifest:
        origin = f"{row['file']}#{row['index']}"
        if origin in empty:
            continue
        article = articles[origin]
        sources[row["source"]] += 1
        assert article.source_key == row["source"], origin
        assert article.published_at is not None and article.published_at.tzinfo is None
        assert article.published_at.isoformat(sep=" ") == row["date_extracted"], origin
        assert article.url == row["url"].strip()
        assert article.format == "json"
    assert len(articles) + len(problems) == SNN_RECORDS
    assert set(problems) == empty
    assert all(p.reason == "JSON record has an empty title and an empty body" for p in problems.values())
    assert len(problems) == 57  # both the title and the content are empty or whitespace
    assert set(sources) == {k for k in KNOWN_SOURCES if k not in ("youm7", "jawharafm")}
    assert len(sources) == 14

    # raw is the exact text of the object in the file
    for name in ("2015-07-21.json", "2015-08-06.json"):
        text = (root / "dataset" / name).read_text(encoding="utf-8")
        for index, obj in enumerate(json.loads(text)[:200]):
            origin = f"{name}#{index}"
            if origin in articles:
                raw = articles[origin].raw
                assert json.loads(raw) == obj and raw in text

    bodies = [a.body for a in articles.values()]
    assert not any(b.endswith(("737221 - Zain", "...المزيد")) for b in bodies)
    assert not any("\ufefb" in b or "\ufe8d" in b for b in bodies)  # presentation forms folded


def test_count_files_on_the_corpora():
    require(ANT)
    assert count_files([ANT]) == ANT_FILES + 4
    assert count_files([SNN / "dataset"]) == 18


def test_parse_speed():
    """ANT (10k files) + SaudiNewsNet (31k records) must parse in well under 15 s on a 2-core machine. CPU time is
    asserted (wall time is printed): other processes on a busy test machine must not make this flaky."""
    require(ANT)
    require(SNN)
    wall, cpu = time.perf_counter(), time.process_time()
    count = sum(1 for r in iter_records([ANT, SNN / "dataset"]) if isinstance(r, ParsedArticle))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"\nANT+SNN: {count} articles in {wall:.2f}s wall, {cpu:.2f}s CPU ({count / cpu:.0f} articles/CPU-second)")
    assert count == ANT_FILES + SNN_RECORDS - 57
    assert cpu < 15.0
