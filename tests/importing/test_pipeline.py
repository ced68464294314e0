"""import_paths and the import_articles command, on real PostgreSQL with real Arabic files."""

import csv
import io
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.identity import identity_text
from articles.importing.pipeline import import_paths
from articles.models import Article, ImportBatch, Source, Tag
from articles.search import run_search

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))

SEED = ROOT / "fixtures" / "seeds" / "000_10bca5d35ef868a9.txt"
ANT_FIXTURES = ROOT / "fixtures" / "ant"
ANT = SHARED / "corpus" / "ant_corpus_v1.1"
SNN = SHARED / "corpus" / "saudinewsnet"
needs_shared = pytest.mark.skipif(not ANT.exists(), reason=f"shared corpus not found at {SHARED}")

pytestmark = pytest.mark.django_db


def test_seed_article_is_cleaned_and_kept_verbatim():
    report = import_paths([SEED])
    assert (report.created, report.failed) == (1, 0)
    a = Article.objects.get()
    assert a.title == "الولايات المتحدة واليابان تبحثان تعزيز التعاون الأمني وسط التوترات الإقليمية"
    assert a.credit == "أ ش أ"
    assert a.source.name == "اليوم السابع"
    assert a.body.startswith("بحث وزير الدفاع الياباني")
    assert a.body.endswith("في حالات الطوارئ.")
    for boilerplate in ("Trending", "الأكثر قراءة", "لا يفوتك", "Google News", "اجتماع مرتقب بين وكيل محمد صلاح"):
        assert boilerplate not in a.body
    assert a.raw_text == SEED.read_text(encoding="utf-8")
    assert a.origin_path == SEED.name
    assert run_search({"q": "اليابان"}).ids(0, 10) == [a.pk]  # searchable as soon as the import returns


def test_rerun_only_skips():
    first = import_paths([ANT_FIXTURES])
    assert (first.created, first.failed, first.skipped) == (300, 0, 1)  # LICENSE is not an article
    again = import_paths([ANT_FIXTURES])
    assert (again.created, again.updated, again.duplicates) == (0, 0, 300)
    assert Article.objects.count() == 300
    assert ImportBatch.objects.filter(status=ImportBatch.Status.FINISHED).count() == 2


def test_fixture_topics_are_tags_with_counts():
    import_paths([ANT_FIXTURES])
    topics = dict(Tag.objects.filter(kind=Tag.Kind.TOPIC).values_list("key", "name"))
    assert len(topics) == 9
    assert topics["sport"] == "رياضة"
    assert Tag.objects.get(key="sport").articles.count() == 40
    assert Tag.objects.get(key="technology").articles.count() == 20


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return path


def test_same_url_with_new_text_is_an_update_and_unchanged_is_not(tmp_path):
    rec = {
        "title": "وزير الدفاع يزور تونس",
        "content": "زار وزير الدفاع العاصمة.",
        "url": "https://example.org/a",
        "source": "alriyadh",
        "date_extracted": "2015-08-01 10:00:00",
    }
    import_paths([_jsonl(tmp_path / "a.jsonl", [rec])])
    rec2 = {**rec, "content": "زار وزير الدفاع العاصمة أمس والتقى رئيس الحكومة."}
    report = import_paths([_jsonl(tmp_path / "b.jsonl", [rec2])])
    assert (report.created, report.updated) == (0, 1)
    a = Article.objects.get()
    assert "رئيس الحكومة" in a.body and a.raw_text == json.dumps(rec2, ensure_ascii=False)
    assert Article.objects.search("الحكومه").get() == a  # the index followed the update
    report = import_paths([_jsonl(tmp_path / "c.jsonl", [rec2])])
    assert (report.created, report.updated, report.duplicates) == (0, 0, 1)


def test_identical_story_from_two_files_is_stored_once_with_both_topics(tmp_path):
    doc = "<DOC>\n<DOCNO>{n}</DOCNO>\n<CAT>{cat}</CAT>\n<TITLE>افتتاح مهرجان قرطاج</TITLE>\n<TIME>01/07/2016</TIME>\n<TEXT>\nافتتح مساء أمس مهرجان قرطاج الدولي.\n</TEXT>\n</DOC>\n"
    (tmp_path / "a.txt").write_text(doc.format(n=1, cat="culture"), encoding="utf-8")
    (tmp_path / "b.txt").write_text(doc.format(n=2, cat="technology"), encoding="utf-8")
    report = import_paths([tmp_path])
    assert (report.created, report.duplicates) == (1, 1)
    assert set(Article.objects.get().tags.values_list("key", flat=True)) == {"culture", "technology"}


def test_mixed_folder_imports_good_files_and_names_bad_ones(tmp_path):
    arabic = "وزارة الصحة تعلن عن حملة تلقيح\n\nأعلنت وزارة الصحة اليوم عن انطلاق حملة وطنية للتلقيح."
    (tmp_path / "utf8.txt").write_text(arabic, encoding="utf-8")
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + arabic.replace("حملة", "حملة ثانية").encode("utf-8"))
    (tmp_path / "cp1256.txt").write_bytes(arabic.replace("تلقيح", "تطعيم").encode("cp1256"))
    (tmp_path / "utf16.txt").write_bytes(arabic.replace("اليوم", "أمس").encode("utf-16"))
    (tmp_path / "crlf.txt").write_bytes(arabic.replace("وطنية", "كبرى").replace("\n", "\r\n").encode("utf-8"))
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    (tmp_path / "broken.json").write_text('[{"title": "خبر", "content": "نص', encoding="utf-8")
    report = import_paths([tmp_path])
    assert report.created == 5
    failed = {e["path"] for e in report.errors}
    assert {"empty.txt", "binary.txt", "image.png", "broken.json"} <= {p.split("#")[0] for p in failed}
    assert all(e["reason"] for e in report.errors)
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.failed == report.failed and batch.errors == report.errors
    cp = Article.objects.get(origin_path="cp1256.txt")
    assert "تطعيم" in cp.body and cp.raw_text == arabic.replace("تطعيم", "تطعيم").replace("تلقيح", "تطعيم")


def test_command_reports_and_rejects_bad_arguments(tmp_path):
    out = io.StringIO()
    call_command("import_articles", str(SEED), stdout=out, stderr=io.StringIO())
    assert "أُنشئ 1" in out.getvalue()
    with pytest.raises(CommandError, match="غير موجود"):
        call_command("import_articles", str(tmp_path / "nope"))
    with pytest.raises(CommandError, match="تاريخ غير صالح"):
        call_command("import_articles", str(SEED), "--date", "31/02/2020")
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError, match="لم يُستورد"):
        call_command("import_articles", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())


def test_dry_run_writes_no_article():
    report = import_paths([ANT_FIXTURES], dry_run=True)
    assert report.created == 300 and Article.objects.count() == 0


def test_date_option_dates_undated_files():
    call_command("import_articles", str(SEED), "--date", "2024-12-14", stdout=io.StringIO())
    published = timezone.localtime(Article.objects.get().published_at)
    assert (published.date().isoformat(), published.hour) == ("2024-12-14", 0)


@pytest.mark.slow
@needs_shared
def test_whole_ant_corpus():
    rows = list(csv.reader(open(ANT / "manifest.tsv", encoding="utf-8"), delimiter="\t"))[1:]
    report = import_paths([ANT])
    assert report.failed == 0 and report.records == 10161
    assert Article.objects.count() == report.created
    # One article per distinct document: identical title and text in several files is stored once, and so is
    # one URL filed twice with edited text (the later text updates the article). Count those groups.
    parent = {}

    def find(x):
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    # Headlines as identity reads them: «إرهابية» and «ارهابية» over one text are one article (issue 18, item 12).
    for r in rows:
        parent[find(("content", identity_text(r[6]), r[9]))] = find(("url", r[7].strip()))
    assert report.created == len({find(("content", identity_text(r[6]), r[9])) for r in rows})
    per_topic = defaultdict(set)
    for r in rows:
        if r[2]:
            per_topic[r[2]].add((identity_text(r[6]), r[9]))
    counts = {t.key: t.articles.count() for t in Tag.objects.filter(kind=Tag.Kind.TOPIC)}
    assert counts == {cat: len(docs) for cat, docs in per_topic.items()}
    assert not Article.objects.filter(published_at__isnull=True).exists()
    again = import_paths([ANT])
    assert (again.created, again.updated) == (0, 0)


@pytest.mark.slow
@needs_shared
def test_whole_saudinewsnet():
    report = import_paths([SNN / "dataset"])
    assert report.created > 29_000
    assert Source.objects.count() == 14
    assert Source.objects.get(key="alriyadh").name == "الرياض"
    assert Source.objects.get(key="aawsat").name == "الشرق الأوسط"
    assert not Article.objects.filter(published_at__isnull=True).exists()
    assert import_paths([SNN / "dataset"]).created == 0


@pytest.mark.django_db
def test_url_identity_lookup_can_use_the_url_index():
    """A batch's URL lookup must be answerable from the partial unique index, never only by reading the table."""
    from django.db import connection

    from articles.importing.pipeline import articles_by_url

    with connection.cursor() as cursor:
        # Leave only bitmap scans, which need an index condition: the plan then shows whether the URL index can
        # serve the lookup, whatever a near-empty test table's statistics make cheapest.
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
    plan = articles_by_url([f"https://example.org/{i}" for i in range(500)]).explain()
    assert "Bitmap Index Scan on article_unique_url" in plan and "Seq Scan" not in plan


@needs_shared
def test_a_large_import_leaves_the_planner_true_statistics(monkeypatch):
    """After a bulk load the planner must know the tables' size: believing them empty, it once counted a topic's
    articles by reading every article once per tag link (20 s a topic on the ANT corpus)."""
    from django.db import connection

    from articles.importing import pipeline

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article, articles_article_tags")  # the empty tables' statistics
    monkeypatch.setattr(pipeline, "ANALYZE_AFTER_ROWS", 100)
    analyzed = []

    def count_analyze(execute, sql, params, many, context):
        if sql.startswith("ANALYZE"):
            analyzed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_analyze):
        report = import_paths([ANT / "sport"], batch_size=100)
    assert report.created >= 100
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname IN ('articles_article', "
            "'articles_article_tags', 'articles_articlestory')"
        )
        estimated = dict(cursor.fetchall())
    # Told during the import and at its end (a table this small is sampled whole: the estimates are counts).
    assert estimated["articles_article"] == Article.objects.count()
    assert estimated["articles_article_tags"] == Article.tags.through.objects.count() > 0
    assert estimated["articles_articlestory"] == Article.objects.count()
    assert len(analyzed) >= 3, analyzed  # from empty: at 100, then each time half again, and at the end
