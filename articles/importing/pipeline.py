"""Importing article files into the archive: the write path behind `manage.py import_articles`.

Records stream from `reader.iter_records`, are grouped into batches, and each batch is written in one
transaction together with its ImportBatch counters: a crash or Ctrl-C loses at most the batch in flight, never
half an article, and everything committed before stays. Identity is the content hash (the same headline and text
are one article, from whatever file), then the original URL (the same URL with new text is an update).
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import errno
import getpass
import logging
import os
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import psutil
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from .. import tagging
from ..arabic_numbers import ARTICLE, counted
from ..forking import fork_pool
from ..models import (
    Article,
    ArticleStory,
    ImportBatch,
    Source,
    Tag,
    TagAlias,
    content_hash,
    unicode_slug,
)
from ..search import index as search_index
from ..search.analysis import lexicon
from ..search.document import analyzed_texts
from ..stories import fingerprint, grouping
from . import reasons, textutil
from . import sources as known_sources
from .reader import iter_records
from .records import FileProblem, ParsedArticle

log = logging.getLogger(__name__)

# How often an import commits the search index: each commit costs a segment to merge and a wait for the indexing
# threads, and an editor's change made meanwhile waits at most this long (plus a batch) to be searchable.
INDEX_COMMIT_SECONDS = 1.0
# Fields an import may change on an existing article; editors' tags are only ever added to, never removed.
UPDATABLE = (
    "title",
    "lead",
    "body",
    "credit",
    "author",
    "url",
    "doc_id",
    "published_at",
    "source_id",
)
NOTES_KEPT = 10_000  # on the batch; the report counts them all


@dataclass
class ImportReport:
    batch_id: int | None = None
    files: int = 0
    records: int = 0
    created: int = 0
    updated: int = 0
    duplicates: int = 0
    failed: int = 0
    skipped: int = 0  # files that are not articles (README, LICENSE, manifests): neither imported nor failed
    errors: list[dict] = field(default_factory=list)
    notes: list[dict] = field(default_factory=list)  # the first NOTES_KEPT of {path, note}
    notes_total: int = 0
    dates_dropped: int = 0
    elapsed: float = 0.0
    dry_run: bool = False

    @property
    def nothing_new(self) -> bool:
        """Nothing created, changed or failed: a re-run over files already imported."""
        return not (self.created or self.updated or self.failed)

    def counters(self) -> tuple[int, int, int]:
        return self.created, self.updated, self.duplicates

    def restore_counters(self, counted: tuple[int, int, int]) -> None:
        self.created, self.updated, self.duplicates = counted

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.duplicates

    @property
    def rate(self) -> float:
        return self.records / self.elapsed if self.elapsed else 0.0


class _Resolver:
    """Sources and tags by key, created on first sight and cached for the run; and the story fingerprints met so
    far, which the next batches' copies are checked against."""

    def __init__(self, dry_run: bool):
        self.dry_run = dry_run
        self.sources: dict[str, Source | None] = {}
        self.tags: dict[tuple[str, str], Tag] = {}
        self.prints = grouping.PrintCache()
        self.forced_source: Source | None = None  # --source
        self.extra_tags: list[Tag] = []  # --tag

    def follow_merges(self) -> None:
        """An editor merged a tag or source away during the run: forget every cached row (they are looked up
        again, through the merge's aliases), and the --source and --tag rows become what they were merged into."""
        self.sources.clear()
        self.tags.clear()
        self.prints = grouping.PrintCache()  # it may hold articles of the batch that was rolled back
        if self.forced_source is not None:
            self.forced_source = (
                Source.objects.filter(pk=self.forced_source.pk).first()
                or tagging.resolve_source_alias(self.forced_source.slug)
                or self.forced_source
            )
        self.extra_tags = [
            Tag.objects.filter(pk=t.pk).first() or tagging.resolve_tag_alias(t.slug) or t for t in self.extra_tags
        ]

    def source(self, key: str) -> Source | None:
        if not key:
            return None
        if key not in self.sources:
            # A merged source's old key still finds the source it was merged into (SourceAlias).
            found = (
                Source.objects.filter(key=key).first()
                or Source.objects.filter(slug=key).first()
                or tagging.source_for_import_key(key)
            )
            if found is None and not self.dry_run:
                name = known_sources.display_name(key)
                domain = known_sources.KNOWN_SOURCES.get(key, (None, ""))[1]
                found, _ = Source.objects.get_or_create(
                    key=key,
                    defaults={
                        "name": name,
                        "slug": tagging.free_slug(Source, unicode_slug(key, "source")),
                        "url": f"https://{domain}/" if domain else "",
                    },
                )
            self.sources[key] = found
        return self.sources[key]

    def category(self, category: str) -> Tag | None:
        """A record's own category or keyword. Only the archive's known sections (known_sources.CATEGORY_NAMES)
        become topics; any other is a plain keyword tag, which an editor may promote: a scraper's 20,000 keywords
        would otherwise all be public topics, listed on the home page."""
        category = category.strip()
        if not category:
            return None
        known = known_sources.CATEGORY_NAMES.get(category)
        return self._tag(category, known or category, Tag.Kind.TOPIC if known else Tag.Kind.KEYWORD)

    def tag(self, name: str) -> Tag | None:
        name = name.strip()
        return self._tag("", name, Tag.Kind.TOPIC) if name else None

    def _tag(self, key: str, name: str, kind: str) -> Tag | None:
        cache_key = (key, name)
        if cache_key not in self.tags:
            found = (
                (tagging.tag_for_import_key(key) if key else None)
                or Tag.objects.filter(name=name).first()
                or _merged_into(name)
            )
            if found is None:
                if self.dry_run:
                    return None
                found, _ = Tag.objects.get_or_create(
                    name=name,
                    defaults={
                        "key": key,
                        "kind": kind,
                        "slug": tagging.free_slug(Tag, unicode_slug(key or name, "tag")),
                    },
                )
            self.tags[cache_key] = found
        return self.tags[cache_key]


def _merged_into(name: str) -> Tag | None:
    """The tag that a tag of this name was merged into: an import must not bring a merged tag back."""
    alias = TagAlias.objects.select_related("tag").filter(name=name).first()
    return alias.tag if alias else None


def _check_tag_names(names: list[str]) -> None:
    limit = Tag._meta.get_field("name").max_length
    for name in (n.strip() for n in names):
        if len(name) > limit:
            raise ValueError(f"الوسم أطول من {limit} حرف ({len(name)}): «{name[:40]}…»")


@dataclass
class _ImportRun:
    """What every batch of one import needs: its ImportBatch row, the report it counts into, the sources and tags
    resolved so far (with --source and --tag), the date for undated records, and the progress callback."""

    batch: ImportBatch
    report: ImportReport
    resolver: _Resolver
    default_dt: dt.datetime | None
    progress: Callable[[ImportReport, str], None] | None


@dataclass
class _Analyzing:
    """One batch on its way: its records and their content hashes, the analysis of the new ones (in a worker,
    or done), and where the batch ended (for the progress line)."""

    records: list[ParsedArticle]
    hashes: list[str]
    job: object  # an AsyncResult, or _Ready
    last_origin: str


def import_paths(
    paths: Iterable[str | Path],
    *,
    source: str | None = None,
    tags: Iterable[str] = (),
    default_date: dt.date | dt.datetime | None = None,
    fmt: str = "auto",
    dry_run: bool = False,
    batch_size: int = 500,
    workers: int | None = None,
    arguments: dict | None = None,
    progress: Callable[[ImportReport, str], None] | None = None,
    follow_links: bool = False,
) -> ImportReport:
    """Import every article in `paths` (files, folders, .zip/.tar.gz archives); never stops at a bad file."""
    paths, tags = [str(p) for p in paths], list(tags)
    started = time.monotonic()
    arguments = arguments or {
        "paths": paths,
        "source": source,
        "tags": tags,
        "format": fmt,
    }
    run = _start_run(source, tags, default_date, dry_run, arguments, progress)
    pool = _analysis_pool(workers)  # forked before the index writer starts its threads
    search_writing = contextlib.ExitStack()
    indexing = None
    try:
        if not dry_run:
            indexing = search_writing.enter_context(search_index.writing(wait=False, commit_every=INDEX_COMMIT_SECONDS))
        records = iter_records(paths, fmt=fmt, pool=pool, follow_links=follow_links)
        _import_batches(run, _chunks(records, batch_size), pool, indexing)
        run.report.batch_id = _fold_empty_run(run.batch, run.report).pk
    except BaseException as exc:
        run.report.elapsed = time.monotonic() - started
        full = _record_failure(exc, run)
        if full is not None:
            raise full from exc
        raise
    finally:
        if pool:
            pool.terminate()
        search_writing.close()
    if indexing is None and not dry_run:
        search_index.drain_when_free()  # after the writer context: it holds this process's lock while open
    run.report.elapsed = time.monotonic() - started
    if progress:
        progress(run.report, "")
    return run.report


def _start_run(source, tags: list[str], default_date, dry_run: bool, arguments: dict, progress) -> _ImportRun:
    """Check and resolve the arguments, then open the batch: a bad argument leaves no batch «running»."""
    report = ImportReport(dry_run=dry_run)
    resolver = _Resolver(dry_run)
    _check_tag_names(tags)
    forced_source = resolver.source(known_sources.source_key_for(source)) if source else None
    if source and forced_source is None and not dry_run:
        raise ValueError(f"مصدر غير معروف «{source}»")
    resolver.forced_source = forced_source
    resolver.extra_tags = [t for t in (resolver.tag(name) for name in tags) if t is not None]
    mark_interrupted_batches()
    batch = ImportBatch.objects.create(
        arguments=arguments,
        user=_user(),
        host=socket.gethostname(),
        pid=os.getpid(),
        dry_run=dry_run,
    )
    report.batch_id = batch.pk
    return _ImportRun(
        batch,
        report,
        resolver,
        _aware(default_date) if default_date else None,
        progress,
    )


def _import_batches(run: _ImportRun, chunks, pool, indexing) -> None:
    """Write every batch, then mark the import finished.

    A pipeline two batches deep: while workers analyze batch n, this process parses batch n+1 and writes batch
    n-1. Articles already stored (same content hash) are never analyzed, so re-running an import, or resuming
    one after a crash, costs a parse and a lookup per article."""
    bounds = import_date_bounds()
    seen_files: set[str] = set()
    statistics = _Statistics(enabled=not run.report.dry_run)
    pending: collections.deque[_Analyzing] = collections.deque()
    for chunk in chunks:
        records = _accepted(chunk, run.report, seen_files, bounds)
        hashes = [r.identity or content_hash(r.title, r.body) for r in records]
        todo = _not_stored(records, hashes)
        job = pool.apply_async(_analyze, (todo,)) if pool and todo else _Ready(_analyze(todo))
        pending.append(_Analyzing(records, hashes, job, chunk[-1].origin if chunk else ""))
        while len(pending) > (1 if pool else 0):
            _flush(pending.popleft(), run, statistics, indexing)
    while pending:
        _flush(pending.popleft(), run, statistics, indexing)
    _save_batch(run.batch, run.report, ImportBatch.Status.FINISHED)
    statistics.keep_up(run.report, final=True)


def _accepted(chunk: list, report: ImportReport, seen_files: set[str], bounds) -> list[ParsedArticle]:
    """The chunk's articles, counted, with their dates checked; its problems recorded."""
    records = []
    for item in chunk:
        file_key = item.origin.split("#", 1)[0]
        if file_key not in seen_files:
            seen_files.add(file_key)
            report.files += 1
        if isinstance(item, FileProblem):
            _problem(report, item)
        else:
            report.records += 1
            _bound_date(item, bounds)
            _keep_notes(report, item)
            records.append(item)
    return records


class _Texts(NamedTuple):
    """What analysis reads of a record: sent to a worker without the record's raw text, which it never reads."""

    title: str
    lead: str
    body: str


def _not_stored(records: list[ParsedArticle], hashes: list[str]) -> list[tuple[str, _Texts]]:
    """(hash, texts) of the records whose content is not in the archive yet: the ones worth analyzing."""
    if not records:
        return []
    known = set(Article.objects.filter(content_hash__in=hashes).values_list("content_hash", flat=True))
    return [(h, _Texts(r.title, r.lead, r.body)) for h, r in zip(hashes, records) if h not in known]


def _record_failure(exc: BaseException, run: _ImportRun) -> DiskFull | None:
    """Record on the batch how the import stopped; the DiskFull to raise instead of `exc`, if a disk is full."""
    report, batch = run.report, run.batch
    full = disk_full(exc)
    if full:
        report.errors.append({"path": "", "reason": f"{NO_SPACE}: توقف الاستيراد ({exc})"[:500]})
    try:
        _save_batch_after(exc, batch, report)
    except Exception:  # noqa: BLE001 - a full disk may refuse even this; the batch then shows as running,
        if not full:  # and the next import marks it interrupted (its process is gone)
            raise
    if not full:
        return None
    return DiskFull(
        f"{NO_SPACE}. توقف الاستيراد، وما حُفظ قبله باقٍ: {counted(report.created, ARTICLE)} في "
        f"الدفعة {batch.pk}. أفرغ مساحة ثم أعد الأمر نفسه ليكمل من حيث توقف."
    )


NO_SPACE = "لا مساحة على القرص"


class DiskFull(Exception):
    """The import stopped because a disk (the database's, the index's, a temporary one) is full; what was
    committed before stays. The message is for the person running the import, in Arabic."""


def disk_full(exc: BaseException) -> bool:
    """Whether `exc`, or what caused it, is a full disk: ENOSPC from the OS (or tantivy, as «os error 28»), or
    PostgreSQL's disk_full (SQLSTATE 53100)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            return True
        if getattr(exc, "sqlstate", None) == "53100" or "No space left on device" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


ANALYZE_AFTER_ROWS = 1_000
ANALYZE_GROWTH = 0.5  # of the rows the planner was last told of


class _Statistics:
    """Keeps the planner's statistics up with an import, by PostgreSQL's advice after a bulk load: ANALYZE. An
    import grows the tables faster than autovacuum notices (inside a caller's transaction autovacuum cannot see it
    at all), and a planner still believing them empty joins them by reading every row once per row: seconds a
    batch for the search outbox's rows, 20 s a topic for counts that take milliseconds. Analyzed each time the
    tables have grown by half what they held when last analyzed (18 times from empty to a million articles, about
    a second each), and once at the end."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.rows = _estimated_articles() if enabled else 0
        self.told = 0  # the import's rows the planner has been told of

    def keep_up(self, report: ImportReport, *, final: bool = False) -> None:
        new = report.created + report.updated - self.told
        if not self.enabled or new < ANALYZE_AFTER_ROWS:
            return
        if final or new >= ANALYZE_GROWTH * self.rows:
            tables = [
                Article._meta.db_table,
                Article.tags.through._meta.db_table,
                ArticleStory._meta.db_table,
            ]
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE " + ", ".join(tables))
            self.rows, self.told = self.rows + new, self.told + new


def _estimated_articles() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [Article._meta.db_table],
        )
        return max(int(cursor.fetchone()[0]), 0)  # -1: never analyzed


def _index_written(session, analyzed: dict) -> None:
    """Make the batch just committed searchable: drain the search index's outbox (editors' changes included),
    unless another process (a running `run_indexer`) was writing when the import started: that process does it.
    The batch's new articles were analyzed for the index by the workers already (`analyzed`, by content hash)."""
    if session is not None:
        session.drain(analyzed=analyzed)


def _chunks(items, size: int):
    """Lists of up to `size` articles (with the problems met between them), for one transaction each."""
    chunk, articles = [], 0
    for item in items:
        chunk.append(item)
        if not isinstance(item, FileProblem):
            articles += 1
            if articles >= size:
                yield chunk
                chunk, articles = [], 0
    if chunk:
        yield chunk


def _analyze(todo: list[tuple[str, _Texts]]) -> dict:
    """By content hash: the search index's analyzed fields, with the lead they were made from (the index checks
    it against the stored row), and the story fingerprint made from the same stems. The CPU-heavy part, run in
    worker processes."""
    out = {}
    for h, r in todo:
        texts = analyzed_texts(r)
        printed = fingerprint.fingerprint(fingerprint.index_stems(texts[1][0], texts[2][0]))
        out[h] = (r.lead, texts, (printed, fingerprint.band_keys(printed.marks)))
    return out


class _Ready:
    """The result of analysis done in this process, with the AsyncResult interface."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


def _flush(item: _Analyzing, run: _ImportRun, statistics: _Statistics, indexing) -> None:
    """Write one analyzed batch, then make it searchable."""
    analyzed = item.job.get()
    if item.records:
        _write_following_merges(list(zip(item.records, item.hashes)), run, analyzed)
    if run.progress:
        run.progress(run.report, item.last_origin)
    statistics.keep_up(run.report)
    _index_written(indexing, analyzed)


def _analysis_pool(workers: int | None):
    # Parsing and database writes stay in this process; analysis runs in forked workers, so the three overlap.
    # The workers never touch the database (the inherited connection is left alone), which keeps a caller's
    # open transaction, such as a test's, intact.
    workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    if workers <= 1:
        return None
    lexicon()  # loaded once, before forking: the workers share it
    fingerprint.prepare()  # and datasketch, which each worker imported on its first article
    return fork_pool(workers)


def articles_by_url(urls):
    # exclude(url=""): the URL index is partial (non-empty URLs), and PostgreSQL only sees that a long IN list
    # implies it when told; without it, every batch read the whole table (seconds per batch at 300k articles).
    # order_by(): a lookup by identity needs no order, and the default newest-first one could steer the planner to
    # walking the date index instead.
    return Article.objects.filter(url__in=urls).exclude(url="").order_by()


def _write_following_merges(records, run: _ImportRun, analyzed: dict) -> None:
    """Write one batch; if an editor merged a tag or source this run had resolved (its row is gone: the batch's
    links or rows fail their foreign keys at commit), follow the merge and write the batch again. The report's
    counters count only what was committed."""
    report = run.report
    for attempt in (1, 2):
        counted_before = report.counters()
        try:
            return _write(records, run, analyzed)
        except IntegrityError:
            report.restore_counters(counted_before)
            if attempt == 2 or report.dry_run:
                raise
            run.resolver.follow_merges()
        except BaseException:  # Ctrl-C, SIGTERM: the batch was rolled back, and the interrupted batch says so
            report.restore_counters(counted_before)
            raise


@dataclass
class _Plan:
    """What one batch does: new articles (with their tags), stored ones it changes, tag links to add, and the
    articles it holds that are stored already (content hash → id)."""

    existing: dict[str, int]
    create: list[tuple[Article, set[int]]] = field(default_factory=list)
    update: list[Article] = field(default_factory=list)
    links: list[tuple[int, int]] = field(default_factory=list)


def _write(records, run: _ImportRun, analyzed: dict) -> None:
    by_hash = _merged_by_hash(records, run)
    plan = _plan(by_hash, run)
    report = run.report
    if report.dry_run:
        report.created += len(plan.create)
        report.updated += len(plan.update)
        report.duplicates += len(plan.existing)
        return
    with transaction.atomic():
        inserted = _insert_new(plan, report)
        if plan.update:
            Article.objects.bulk_update(
                plan.update,
                [
                    *UPDATABLE,
                    "raw_text",
                    "origin_path",
                    "origin_format",
                    "content_hash",
                ],
            )
            report.updated += len(plan.update)
            grouping.unlink(a.pk for a in plan.update)  # new text: grouped again below, as a new article is
        created = [(a, inserted.get(a.content_hash)) for a, _ in plan.create]
        _group(analyzed, created, plan.update, run.resolver.prints)
        # An existing article counts as updated only when this run really changes it (a tag it lacked).
        changed = _articles_gaining_tags(plan.existing, by_hash)
        if plan.links:
            Through = Article.tags.through
            Through.objects.bulk_create(
                [Through(article_id=a, tag_id=t) for a, t in set(plan.links)],
                ignore_conflicts=True,
            )
        report.updated += changed
        report.duplicates += len(plan.existing) - changed
        _save_batch(run.batch, report)


def _merged_by_hash(records, run: _ImportRun) -> dict[str, tuple[ParsedArticle, set[int]]]:
    """The batch's records by content hash, with the ids of their tags: the same story filed twice (under two
    topics) is one article with both tags."""
    by_hash: dict[str, tuple[ParsedArticle, set[int]]] = {}
    resolver = run.resolver
    for rec, h in records:
        tag_ids = {t.pk for t in resolver.extra_tags}
        for cat in rec.categories:
            tag = resolver.category(cat)
            if tag is not None:
                tag_ids.add(tag.pk)
        if h in by_hash:
            by_hash[h][1].update(tag_ids)
            run.report.duplicates += 1
        else:
            by_hash[h] = (rec, tag_ids)
    return by_hash


def _plan(by_hash: dict[str, tuple[ParsedArticle, set[int]]], run: _ImportRun) -> _Plan:
    """Decide, for each record, whether it is stored already, a new version of a stored URL, or new."""
    plan = _Plan(dict(Article.objects.filter(content_hash__in=by_hash).values_list("content_hash", "id")))
    urls = {rec.url: h for h, (rec, _) in by_hash.items() if rec.url and h not in plan.existing}
    by_url = {a.url: a for a in articles_by_url(urls)} if urls else {}
    for h, (rec, tag_ids) in by_hash.items():
        if h in plan.existing:
            plan.links.extend((plan.existing[h], t) for t in tag_ids)
            continue
        fields = _fields(rec, run.resolver, run.default_dt)
        current = by_url.get(rec.url) if rec.url else None
        if current is not None and _older(fields, rec, current):
            # The same URL in two records with different text: the later version wins, so a re-run of the same
            # files changes nothing instead of flipping the article back and forth.
            run.report.duplicates += 1
            plan.links.extend((current.pk, t) for t in tag_ids)
        elif current is not None:
            for name, value in fields.items():
                setattr(current, name, value)
            current.raw_text, current.origin_path, current.origin_format = (
                rec.raw,
                rec.origin,
                rec.format,
            )
            current.content_hash = h
            plan.update.append(current)
            plan.links.extend((current.pk, t) for t in tag_ids)
        else:
            article = Article(
                **fields,
                raw_text=rec.raw,
                origin_path=rec.origin[:1000],
                origin_format=rec.format,
                content_hash=h,
                import_batch=run.batch,
            )
            plan.create.append((article, tag_ids))
    return plan


def _insert_new(plan: _Plan, report: ImportReport) -> dict[str, int]:
    """Insert the plan's new articles and queue their tag links: {content hash: new id}."""
    if not plan.create:
        return {}
    inserted = _copy_insert([a for a, _ in plan.create])
    lost = [a.content_hash for a, _ in plan.create if a.content_hash not in inserted]
    # Another import running at the same time may have stored the same story first: link its row.
    others = dict(Article.objects.filter(content_hash__in=lost).values_list("content_hash", "id")) if lost else {}
    for article, tag_ids in plan.create:
        pk = inserted.get(article.content_hash)
        if pk is not None:
            report.created += 1
        else:
            report.duplicates += 1  # the other writer's version stands (same text, or same URL)
            pk = others.get(article.content_hash)
            if pk is None:
                continue
        plan.links.extend((pk, t) for t in tag_ids)
    return inserted


def _articles_gaining_tags(existing: dict[str, int], by_hash) -> int:
    """How many of the stored articles met again get a tag they lacked (they count as updated)."""
    wanted = {(pk, t) for h, pk in existing.items() for t in by_hash[h][1]}
    if not wanted:
        return 0
    have = set(
        Article.tags.through.objects.filter(
            article_id__in={a for a, _ in wanted}, tag_id__in={t for _, t in wanted}
        ).values_list("article_id", "tag_id")
    )
    return len({a for a, _ in wanted - have})


def _group(
    analyzed: dict,
    created: list[tuple[Article, int | None]],
    updated: list[Article],
    known,
) -> None:
    """Link the batch's new and changed articles to their stories (articles.stories), from the workers' prints."""
    printed = []
    for article, pk in [*created, *((a, a.pk) for a in updated)]:
        if pk is None or article.content_hash not in analyzed:
            continue
        found, bands = analyzed[article.content_hash][2]
        printed.append(grouping.Printed(pk, article.published_at, found, bands))
    for article in updated:
        known.pop(article.pk, None)  # its text changed
    # Updated articles an editor placed keep their link (unlink spares them): checked, not assumed.
    grouping.group_articles(printed, known, inserted=not updated)


# The staging table's columns and their types, for a binary COPY (no text parsing on the server).
_COPY_COLUMNS = (
    ("title", "text"),
    ("lead", "text"),
    ("body", "text"),
    ("credit", "varchar"),
    ("author", "varchar"),
    ("url", "varchar"),
    ("doc_id", "varchar"),
    ("published_at", "timestamptz"),
    ("source_id", "int8"),
    ("raw_text", "text"),
    ("origin_path", "varchar"),
    ("origin_format", "varchar"),
    ("import_batch_id", "int8"),
    ("content_hash", "varchar"),
    ("created_at", "timestamptz"),
    ("updated_at", "timestamptz"),
)


def _copy_insert(articles: list[Article]) -> dict[str, int]:
    """Insert through COPY into a staging table, then INSERT … ON CONFLICT DO NOTHING: {content_hash: new id}.

    COPY skips building and parsing one huge INSERT statement per batch (the import's largest cost after the
    analyzer), and RETURNING names the rows this run created, so no second lookup is needed.
    """
    cols = ", ".join(name for name, _ in _COPY_COLUMNS)
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS import_stage ON COMMIT DELETE ROWS AS "
            f"SELECT {cols} FROM articles_article WITH NO DATA"
        )
        with cursor.cursor.copy(f"COPY import_stage ({cols}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types([kind for _, kind in _COPY_COLUMNS])
            for a in articles:
                copy.write_row(
                    (
                        a.title,
                        a.lead,
                        a.body,
                        a.credit,
                        a.author,
                        a.url,
                        a.doc_id,
                        a.published_at,
                        a.source_id,
                        a.raw_text,
                        a.origin_path,
                        a.origin_format,
                        a.import_batch_id,
                        a.content_hash,
                        now,
                        now,
                    )
                )
        cursor.execute(
            f"INSERT INTO articles_article ({cols}) SELECT {cols} FROM import_stage "
            "ON CONFLICT DO NOTHING RETURNING content_hash, id"
        )
        rows = cursor.fetchall()
        cursor.execute("TRUNCATE import_stage")  # the next batch may be in the same transaction (tests)
    return dict(rows)


def _older(fields: dict, rec: ParsedArticle, current: Article) -> bool:
    floor = dt.datetime.min.replace(tzinfo=dt.UTC)
    return (fields["published_at"] or floor, rec.origin) < (
        current.published_at or floor,
        current.origin_path,
    )


def _fields(rec: ParsedArticle, resolver: _Resolver, default_dt) -> dict:
    src = resolver.forced_source or resolver.source(rec.source_key)
    published = _aware(rec.published_at) if rec.published_at else default_dt
    return {
        "title": rec.title,
        "lead": rec.lead,
        "body": rec.body,
        "credit": rec.credit[:200],
        "author": rec.author[:300],
        "url": rec.url[:2000],
        "doc_id": rec.doc_id[:200],
        "published_at": published,
        "source_id": src.pk if src else None,
    }


def import_date_bounds() -> tuple[dt.date, dt.date]:
    """The dates an import keeps (settings IMPORT_EARLIEST_DATE, IMPORT_DAYS_AHEAD): plausible for news, an
    embargo of up to IMPORT_DAYS_AHEAD days included."""
    return settings.IMPORT_EARLIEST_DATE, timezone.localdate() + dt.timedelta(days=settings.IMPORT_DAYS_AHEAD)


def _bound_date(rec: ParsedArticle, bounds: tuple[dt.date, dt.date]) -> None:
    if rec.published_at is None:
        return
    day = _aware(rec.published_at).astimezone(timezone.get_default_timezone()).date()
    if not bounds[0] <= day <= bounds[1]:
        rec.notes.append(textutil.date_out_of_bounds_note(rec.published_at, *bounds))
        rec.published_at = None


def _problem(report: ImportReport, problem: FileProblem) -> None:
    """A file not imported: named on the batch with the Arabic reason, its English detail kept for the log. Files
    that are not articles (README, notes.md…) are listed as skipped, not counted as failures."""
    log.info("not imported: %s: %s", problem.origin, problem.reason)
    if problem.reason.startswith("skipped"):
        report.skipped += 1
        report.errors.append({**reasons.error(problem.origin, problem.reason), "skipped": True})
    else:
        report.failed += 1
        report.errors.append(reasons.error(problem.origin, problem.reason))


def _keep_notes(report: ImportReport, rec: ParsedArticle) -> None:
    for note in rec.notes:
        report.notes_total += 1
        report.dates_dropped += note.startswith(textutil.DATE_NOTE)
        if len(report.notes) < NOTES_KEPT:
            report.notes.append({"path": rec.origin, "note": note})


def _aware(value: dt.date | dt.datetime) -> dt.datetime:
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if timezone.is_naive(value):
        # The archive's zone, as make_aware() would take it in a command, without looking up the active zone
        # for each of an import's records.
        value = timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return ""


def _save_batch(batch: ImportBatch, report: ImportReport, status: str | None = None) -> None:
    batch.files_read, batch.records_read = report.files, report.records
    batch.created, batch.updated, batch.duplicates, batch.failed = (
        report.created,
        report.updated,
        report.duplicates,
        report.failed,
    )
    batch.errors, batch.notes, batch.notes_total = (
        report.errors,
        report.notes,
        report.notes_total,
    )
    fields = [
        "files_read",
        "records_read",
        "created",
        "updated",
        "duplicates",
        "failed",
        "errors",
        "notes",
        "notes_total",
    ]
    if status:
        batch.status, batch.finished_at = status, timezone.now()
        fields += ["status", "finished_at"]
    batch.save(update_fields=fields)


def _fold_empty_run(batch: ImportBatch, report: ImportReport) -> ImportBatch:
    """A run that brought nothing new, after a run of the same command that brought nothing new either, is recorded
    on that batch (its times, user and counts become this run's) instead of adding a row each time: the history
    keeps one «لا جديد» row per command repeated, and the admin filters such rows out."""
    if report.dry_run or not report.nothing_new:
        return batch
    previous = (
        ImportBatch.objects.filter(arguments=batch.arguments, dry_run=False)
        .exclude(pk=batch.pk)
        .order_by("-pk")
        .first()
    )
    if (
        previous is None
        or previous.status != ImportBatch.Status.FINISHED
        or previous.created
        or previous.updated
        or previous.failed
    ):
        return batch
    with transaction.atomic():
        for name in ("started_at", "user", "host", "pid"):
            setattr(previous, name, getattr(batch, name))
        previous.save(update_fields=["started_at", "user", "host", "pid"])
        _save_batch(previous, report, ImportBatch.Status.FINISHED)
        batch.delete()
    return previous


def _save_batch_after(exc: BaseException, batch: ImportBatch, report: ImportReport) -> None:
    """Mark the batch interrupted. A Ctrl-C or SIGTERM may land inside the database driver and leave the connection
    closed: then once more on a new connection (outside a caller's transaction, which a new one would leave).
    The signal may also land after a batch committed and before its counters were added: the articles created
    are then counted from what the database holds, which is what the batch must say."""
    try:
        _count_created(batch, report)
        _save_batch(batch, report, ImportBatch.Status.INTERRUPTED)
    except Exception:
        if connection.in_atomic_block or disk_full(exc):
            raise
        connection.close()
        _count_created(batch, report)
        _save_batch(batch, report, ImportBatch.Status.INTERRUPTED)


def _count_created(batch: ImportBatch, report: ImportReport) -> None:
    if batch.pk is not None and not report.dry_run and not connection.in_atomic_block:
        report.created = Article.objects.filter(import_batch=batch).count()


def mark_interrupted_batches() -> int:
    """Batches left 'running' by a process that no longer exists (killed, crashed) become 'interrupted'."""
    host = socket.gethostname()
    stale = [
        b.pk
        for b in ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING, host=host).only("pk", "pid")
        if not b.pid or not psutil.pid_exists(b.pid) or b.pid == os.getpid()
    ]
    return ImportBatch.objects.filter(pk__in=stale).update(
        status=ImportBatch.Status.INTERRUPTED, finished_at=timezone.now()
    )
