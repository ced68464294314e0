"""Bad files never stop an import: each is imported correctly or reported by name with a clear reason, the run
finishes, every good file of the same run is imported, and memory stays bounded.

The corpus is generated here (tests/hardening/badfiles.py): 50+ kinds of bad input mixed with real ANT articles.
Run with `-s` to print the outcome table.
"""

from __future__ import annotations

import pwd
import re
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pytest

from articles.importing.reader import iter_records
from articles.importing.records import ParsedArticle
from articles.search import check as search_check

from . import badfiles
from .conftest import PYTHON, ROOT


def _outcomes(records, kinds):
    """{kind name: (articles, problems)} from records whose origin is the kind's path (archive members, "#N")."""
    out = {k.name: ([], []) for k in kinds}
    unclaimed = []
    for record in records:
        origin = record.origin
        for kind in kinds:
            paths = [kind.path, *kind.extra_paths]
            if any(origin == p or origin.startswith((p + "#", p + ":")) for p in paths):
                (out[kind.name][0] if isinstance(record, ParsedArticle) else out[kind.name][1]).append(record)
                break
        else:
            unclaimed.append(record)
    return out, unclaimed


def _judge(kind, articles, problems) -> str | None:
    """Why the outcome of one kind is wrong, or None."""
    expected = kind.imported if kind.records is None else kind.records
    if len(articles) != expected:
        return f"expected {expected} articles, got {len(articles)}: {[p.reason for p in problems][:3]}"
    if kind.reported:
        if not problems:
            return f"expected a problem matching {kind.reported!r}, got none"
        bad = [p for p in problems if not re.search(kind.reported, p.reason, re.IGNORECASE)]
        if bad and kind.problems is None:
            return f"reason {bad[0].reason!r} does not match {kind.reported!r}"
        if kind.problems is not None and len(problems) != kind.problems:
            return f"expected {kind.problems} problems, got {[p.reason for p in problems]}"
        for p in problems:
            if len(p.reason) < 10:
                return f"reason too short to be clear: {p.reason!r}"
    elif problems:
        return f"unexpected problems: {[p.reason for p in problems]}"
    if kind.check and articles:
        try:
            kind.check(articles)
        except AssertionError as exc:
            return f"check failed: {exc}"
    return None


def _table(kinds, outcomes) -> str:
    lines = []
    for kind in kinds:
        articles, problems = outcomes[kind.name]
        reason = problems[0].reason if problems else ""
        result = f"{len(articles)} imported" + (f", {len(problems)} reported: {reason}" if problems else "")
        lines.append(f"| {kind.name} | {result[:150]} |")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    root = tmp_path_factory.mktemp("badfiles")
    good, kinds, _ = badfiles.build(root)
    yield root, good, kinds
    shutil.rmtree(root, ignore_errors=True)


def test_corpus_has_at_least_30_kinds(corpus):
    _, _, kinds = corpus
    assert len(kinds) >= 30
    assert len({k.name for k in kinds}) == len(kinds)


def test_reader_imports_or_reports_every_kind_by_name(corpus):
    root, good, kinds = corpus
    records = list(iter_records([root / "good", root / "bad"]))
    outcomes, unclaimed = _outcomes(
        [r for r in records if not r.origin.startswith(tuple(f"{p.parent.name}/{p.name}" for p in good))], kinds
    )
    print("\n" + _table(kinds, outcomes))
    failures = {k.name: why for k in kinds if (why := _judge(k, *outcomes[k.name]))}
    assert not failures, failures
    assert not unclaimed, [(r.origin, getattr(r, "reason", "")) for r in unclaimed]
    imported_good = {r.origin for r in records if isinstance(r, ParsedArticle)}
    assert {f"{p.parent.name}/{p.name}" for p in good} <= imported_good


@pytest.mark.django_db
def test_one_import_run_finishes_stores_every_good_file_and_names_every_bad_one(corpus):
    from articles.importing.pipeline import import_paths
    from articles.models import Article, ImportBatch

    root, good, kinds = corpus
    report = import_paths([root / "good", root / "bad"], batch_size=7, workers=2)
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert batch.status == ImportBatch.Status.FINISHED

    stored = set(Article.objects.values_list("origin_path", flat=True))
    assert {f"{p.parent.name}/{p.name}" for p in good} <= stored

    errors = {e["path"]: e["reason"] for e in batch.errors}
    for kind in kinds:
        paths = [kind.path, *kind.extra_paths]
        if kind.reported and kind.reported != "skipped":
            named = [p for p in errors if any(p == k or p.startswith((k + "#", k + ":")) for k in paths)]
            assert named, f"{kind.name}: not named among the errors"
            assert all(len(errors[p]) >= 10 for p in named)
    # Every reason is Arabic for the person importing, none the catch-all; the English detail stays beside it.
    from articles.importing.reasons import UNKNOWN

    assert all(re.search("[\u0621-\u064a]", e["reason"]) and e["reason"] != UNKNOWN for e in batch.errors), [
        (e["path"], e.get("detail")) for e in batch.errors if e["reason"] == UNKNOWN
    ]
    assert all(e.get("detail") for e in batch.errors if e["path"])
    # Every imported record is in the database exactly once, and nothing is half-written: the search index holds
    # exactly what PostgreSQL holds.
    assert search_check.compare() == []
    origins = list(Article.objects.values_list("origin_path", flat=True))
    wrong = {}
    for kind in kinds:
        paths = [kind.path, *kind.extra_paths]
        n = sum(1 for o in origins if any(o == p or o.startswith((p + "#", p + ":")) for p in paths))
        if n != kind.imported:
            wrong[kind.name] = (n, kind.imported, errors.get(kind.path))
    assert not wrong, wrong
    assert Article.objects.count() == len(good) + sum(k.imported for k in kinds)
    dupes = Article.objects.filter(origin_path__startswith="dupes/")
    assert dupes.count() == 1
    assert not Article.objects.filter(url__iregex=r"^\s*(javascript|data|vbscript):").exists()
    for a in Article.objects.all():
        assert "\x00" not in a.title + a.body


def test_unreadable_files_and_folders_are_reported(tmp_path):
    """Permissions: as root everything is readable, so the reader runs as `nobody` in a subprocess."""
    work = Path(tempfile.mkdtemp(prefix="unreadable-"))
    try:
        work.chmod(0o755)
        articles = badfiles.sample_articles(3)
        (work / "ok.txt").write_text(articles[0].title + "\n\n" + articles[0].body)
        (work / "secret.txt").write_text(articles[1].title + "\n\n" + articles[1].body)
        (work / "secret.txt").chmod(0o000)
        (work / "locked").mkdir()
        (work / "locked" / "inside.txt").write_text(articles[2].title + "\n\n" + articles[2].body)
        (work / "locked").chmod(0o000)
        script = textwrap.dedent(f"""
            import os, sys
            sys.path.insert(0, {str(ROOT)!r})
            from articles.importing.reader import iter_records  # imported first: nobody may not read the venv
            if os.geteuid() == 0:
                os.setgid({_nobody()[1]}); os.setuid({_nobody()[0]})
            for r in iter_records([{str(work)!r}]):
                print(r.origin, "|", getattr(r, "reason", "ARTICLE"))
        """)
        out = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        lines = dict(line.split(" | ", 1) for line in out.stdout.splitlines())
        assert lines["ok.txt"] == "ARTICLE"
        assert "permission denied" in lines["secret.txt"]
        assert "permission denied" in lines["locked"]
    finally:
        for p in (work / "secret.txt", work / "locked"):
            p.chmod(0o700)
        shutil.rmtree(work, ignore_errors=True)


def _nobody() -> tuple[int, int]:
    try:
        entry = pwd.getpwnam("nobody")
        return entry.pw_uid, entry.pw_gid
    except KeyError:
        return 65534, 65534


MAX_RSS_MB = 1024  # measured: 525 MB (the 50 MB file is read and parsed whole, then refused)


@pytest.mark.slow
def test_big_inputs_finish_with_bounded_memory(tmp_path, db_env):
    """The 50 MB file, 100k JSON objects and three compression bombs, with the rest of the bad corpus and the good
    files, in one `manage.py import_articles` run: it finishes, and no process of it grows past MAX_RSS_MB."""
    good, kinds, _ = badfiles.build(tmp_path, big=True)
    probe = textwrap.dedent(f"""
        import resource, subprocess, sys
        run = subprocess.run([{PYTHON!r}, {str(ROOT / "manage.py")!r}, "import_articles", "-v", "2",
                              {str(tmp_path / "good")!r}, {str(tmp_path / "bad")!r}], capture_output=True, text=True)
        sys.stderr.write(run.stderr)
        print(run.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024)
    """)
    out = subprocess.run([PYTHON, "-c", probe], env=db_env, capture_output=True, text=True, timeout=1200)
    code, rss_mb = map(int, out.stdout.split()[-2:])
    print(f"\nimport exit {code}, peak RSS {rss_mb} MB")
    assert code == 0, out.stderr[-3000:]

    from articles.models import Article, ImportBatch

    batch = ImportBatch.objects.get()
    assert batch.status == ImportBatch.Status.FINISHED, batch.status
    stored = Article.objects.count()
    expected = len(good) + sum(k.imported for k in kinds)
    errors = {e["path"]: e["reason"] for e in batch.errors}
    for kind in (k for k in kinds if k.big and k.reported):
        assert any(p == kind.path or p.startswith(kind.path + ":") for p in errors), (kind.name, errors)
    assert Article.objects.filter(origin_path__startswith="many-100k.json#").count() == 100_000
    details = {e["path"]: e.get("detail", "") for e in batch.errors}
    assert "too long for one article" in details["huge-50mb.txt"]
    assert errors["huge-50mb.txt"] == "نص أطول من أن يكون مقالا واحدا: قسّمه ملفا لكل مقال"
    assert stored == expected, (stored, expected)
    assert rss_mb < MAX_RSS_MB, f"peak RSS {rss_mb} MB"


# --- Pipeline bugs the bad-file corpus revealed (articles/importing/pipeline.py and articles/arabic.py are not ours:
# these tests fail until the fixes proposed in their docstrings are applied) ---------------------------------------


@pytest.mark.django_db
def test_tag_names_that_slugify_alike_at_the_column_limit_do_not_stop_the_run(tmp_path):
    """Two category names of 100 characters that differ only by a space vs a hyphen slugify alike; the second tag
    gets `slug + "-2"`, 102 characters for a 100-character column: DataError, and the whole import stops.

    Fix (pipeline._free_slug): cut the base so the suffix fits the column:
        limit = model._meta.get_field("slug").max_length
        candidate, n = slug[:limit], 2
        while model.objects.filter(slug=candidate).exists():
            suffix = f"-{n}"
            candidate, n = slug[: limit - len(suffix)] + suffix, n + 1
    """
    from articles.importing.pipeline import import_paths
    from articles.models import Article, ImportBatch, Tag

    a = badfiles.sample_articles(1)[0]
    (tmp_path / "long-names.json").write_text(badfiles.long_names_json(a), encoding="utf-8")
    (tmp_path / "after.txt").write_text(a.title + " (بعد)\n\n" + a.body, encoding="utf-8")
    report = import_paths([tmp_path], workers=1)
    assert ImportBatch.objects.get(pk=report.batch_id).status == ImportBatch.Status.FINISHED
    assert Article.objects.count() == 3
    assert all(len(t.slug) <= 100 and len(t.name) <= 100 for t in Tag.objects.all())
    assert Tag.objects.count() >= 3


@pytest.mark.django_db
def test_a_word_longer_than_postgres_lexeme_limit_does_not_stop_the_run(tmp_path):
    """A 1 MB run of letters with no space (a pasted base64 blob, a broken export) becomes one lexeme; PostgreSQL
    refused lexemes over 2,046 bytes ("word is too long"), the batch failed and the import stopped. The index
    analysis keeps such a token as a gap (articles.search.analysis.MAX_TOKEN_CHARS), so phrase positions stay right.
    """
    from articles.importing.pipeline import import_paths
    from articles.models import Article, ImportBatch

    a, b = badfiles.sample_articles(2)
    (tmp_path / "one-word.txt").write_text(badfiles.one_word_line(a), encoding="utf-8")
    (tmp_path / "next.txt").write_text(b.title + "\n\n" + b.body, encoding="utf-8")
    report = import_paths([tmp_path], workers=1)
    assert ImportBatch.objects.get(pk=report.batch_id).status == ImportBatch.Status.FINISHED
    assert Article.objects.count() == 2
    assert search_check.compare() == []


@pytest.mark.django_db
def test_analysis_never_runs_far_ahead_of_the_database_writes(tmp_path, monkeypatch):
    """Memory stays bounded only if the reader does not run ahead of the writer. `pool.imap()` consumes its input
    as fast as the workers analyse it, so when writing is slower (a busy database) every article read so far waits
    in memory: measured 435 chunks (217,000 articles, +550 MB) on 300k SaudiNewsNet-sized records.

    Fix (pipeline.import_paths): a bounded window of chunks in flight instead of pool.imap():
        def _bounded_imap(pool, func, chunks, window):
            pending = collections.deque()
            for chunk in chunks:
                pending.append(pool.apply_async(func, (chunk,)))
                if len(pending) >= window:
                    yield pending.popleft().get()
            while pending:
                yield pending.popleft().get()
        ... for chunk in (_bounded_imap(pool, _prepare, chunks, 2 * workers) if pool else map(_prepare, chunks)):
    """
    import json
    import time

    from articles.importing import pipeline

    words = " ".join(x.body for x in badfiles.sample_articles(10)).split()
    for f in range(6):
        (tmp_path / f"day-{f}.json").write_text(
            json.dumps(
                [
                    {"title": f"خبر {f}-{n}", "content": " ".join(words[(n * 7) % len(words) :][:40])}
                    for n in range(500)
                ],
                ensure_ascii=False,
            ),
            encoding="utf-8",
        )
    yielded = [0]
    ahead = [0]
    real_iter, real_write = pipeline.iter_records, pipeline._write

    def counting(*args, **kwargs):
        for item in real_iter(*args, **kwargs):
            yielded[0] += 1
            yield item

    def slow_write(records, run, *args):
        ahead[0] = max(ahead[0], yielded[0] - run.report.records - run.report.failed)
        time.sleep(0.05)  # a busy database
        return real_write(records, run, *args)

    monkeypatch.setattr(pipeline, "iter_records", counting)
    monkeypatch.setattr(pipeline, "_write", slow_write)
    batch_size = 50
    report = pipeline.import_paths([tmp_path], batch_size=batch_size, workers=2)
    assert report.created == 3000
    assert ahead[0] <= 8 * batch_size, f"{ahead[0]} records read ahead of the writer (batch size {batch_size})"
