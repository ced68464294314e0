"""The search index on disk: opening it for searches, keeping it in step with PostgreSQL, rebuilding it.

PostgreSQL is the system of record. The index is derived from it and can always be rebuilt:
- every write that changes what a search shows leaves the article's id in `articles_searchoutbox` (triggers,
  migration 0011), in the writer's own transaction;
- `drain()` indexes those articles afresh and deletes their outbox rows, after the index commit: a crash between
  the two replays them, and indexing an article twice leaves one document;
- one writer at a time, across processes: a PostgreSQL advisory lock, then tantivy's own lock file.

On disk, `SEARCH_INDEX_DIR` holds generations (`g-…` folders, each a whole tantivy index) and `CURRENT`, the
name of the live one. A rebuild fills a new generation beside the live one and swaps `CURRENT` with one rename,
so searches never see a half-built index; each process notices the swap on its next search.
"""

from __future__ import annotations

import collections
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import tantivy
from django.conf import settings
from django.db import connection, transaction

from ..forking import fork_pool
from . import analysis
from .document import SCHEMA_VERSION, ArticleRow, analyzed_texts, build_document, build_schema

log = logging.getLogger("articles.search")

WRITER_LOCK = "articles.search.writer"
BATCH = 2000
MAX_UNCOMMITTED = 20_000  # outbox rows a session holds before it commits anyway (each later read skips them)
REBUILD_WORKERS = max(os.cpu_count() or 1, 1)
_CURRENT = "CURRENT"
_ARCHIVE = "ARCHIVE"  # in each generation: which archive (database) and schema it was built from


class IndexUnavailable(Exception):
    """The index is missing, broken or being built: searches say so instead of failing."""


@dataclass
class _Open:
    generation: str
    index: tantivy.Index


_open: dict[str, _Open] = {}  # by index folder: this process's reader of its live generation
_schema: tantivy.Schema | None = None
_local = threading.Lock()


def schema() -> tantivy.Schema:
    global _schema
    if _schema is None:
        _schema = build_schema()
    return _schema


def index_dir() -> Path:
    return Path(settings.SEARCH_INDEX_DIR)


def _live_generation(folder: Path) -> str | None:
    try:
        return (folder / _CURRENT).read_text().strip() or None
    except FileNotFoundError:
        return None


def _stamp(archive: str) -> str:
    # The analyzer's version too: documents hold its stems, so an analyzer change means a rebuild.
    return f"{archive} {SCHEMA_VERSION}.{analysis.ANALYZER_VERSION}"


def live_index() -> tantivy.Index:
    """The live generation, opened once per process and reopened when a rebuild swaps it."""
    folder = index_dir()
    generation = _live_generation(folder)
    if generation is None:
        raise IndexUnavailable("no index yet")
    current = _open.get(str(folder))
    if current is None or current.generation != generation:
        try:
            index = tantivy.Index.open(str(folder / generation))
        except (OSError, ValueError) as exc:
            raise IndexUnavailable(f"cannot open {folder / generation}: {exc}") from exc
        current = _open[str(folder)] = _Open(generation, index)
    return current.index


def searcher() -> tantivy.Searcher:
    """A searcher on the newest commit. With SEARCH_INDEX_SYNC (tests, one-process setups) the outbox is drained
    first, so what this process just wrote is searchable at once."""
    if settings.SEARCH_INDEX_SYNC:
        drain()
    return live_index().searcher()


def visible_through(floor: int = 0) -> int:
    """The highest article id below which every committed article is searchable now (for «new since article N»
    and alerts, which must never skip one): the largest id, or just under the smallest id above `floor` still
    waiting in the outbox. The searchers this process opens next see at least that far."""
    if settings.SEARCH_INDEX_SYNC:
        drain()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT LEAST((SELECT COALESCE(MAX(id), 0) FROM articles_article),"
            " (SELECT MIN(article_id) - 1 FROM articles_searchoutbox WHERE article_id > %s))",
            [floor],
        )
        through = cursor.fetchone()[0]
    try:
        live_index().reload()  # another process's commits (run_indexer's), not at the reader's next poll
    except IndexUnavailable:
        pass
    return through


# --- the archive's identity ----------------------------------------------------------------------------------


def archive_id() -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO articles_searchindexstate (key, value) VALUES ('archive', %s) ON CONFLICT DO NOTHING",
            [uuid.uuid4().hex],
        )
        cursor.execute("SELECT value FROM articles_searchindexstate WHERE key = 'archive'")
        return cursor.fetchone()[0]


def _problem(folder: Path, archive: str) -> str | None:
    """Why the live generation cannot serve this archive, or None."""
    generation = _live_generation(folder)
    if generation is None:
        return "no index"
    try:
        stamp = (folder / generation / _ARCHIVE).read_text().strip()
    except OSError:
        return f"generation {generation} is missing or incomplete"
    if stamp != _stamp(archive):
        return f"generation {generation} was built from another archive, schema or analyzer ({stamp})"
    try:
        tantivy.Index.open(str(folder / generation)).searcher()
    except (OSError, ValueError) as exc:
        return f"generation {generation} does not open: {exc}"
    return None


# --- writing ---------------------------------------------------------------------------------------------------


@contextmanager
def writer_lock(*, wait: bool = True):
    """The one-writer lock, across processes (a PostgreSQL advisory lock held by this connection's session).
    Yields whether it was taken: without `wait`, False when another process is writing."""
    with _local, connection.cursor() as cursor:
        fn = "pg_advisory_lock" if wait else "pg_try_advisory_lock"
        cursor.execute(f"SELECT {fn}(hashtext(%s))", [WRITER_LOCK])
        got = wait or cursor.fetchone()[0]
        try:
            yield bool(got)
        finally:
            if got:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [WRITER_LOCK])


_ROWS_SQL = """
SELECT a.id, a.title, a.lead, a.body, a.source_id, a.published_at,
       ARRAY(SELECT l.tag_id FROM articles_article_tags l WHERE l.article_id = a.id ORDER BY l.tag_id),
       a.content_hash, s.story_id
FROM articles_article a LEFT JOIN articles_articlestory s ON s.article_id = a.id
"""


def article_rows(where: str, params: list) -> list[ArticleRow]:
    with connection.cursor() as cursor:
        cursor.execute(_ROWS_SQL + where, params)
        return [
            ArticleRow(pk, t or "", lead or "", b or "", s, p, tuple(tags), h, story)
            for pk, t, lead, b, s, p, tags, h, story in cursor
        ]


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _writer(index: tantivy.Index, heap: int = 64_000_000) -> tantivy.IndexWriter:
    try:
        return index.writer(heap, 1)
    except ValueError as exc:  # tantivy's lock file: a writer outside our advisory lock (another database?)
        raise IndexUnavailable(f"the index is locked by another writer: {exc}") from exc


_validated: set[tuple[str, str]] = set()  # (index folder, generation) this process found fit for its archive


def revalidate() -> None:
    """Check the live index against disk and the archive again at the next drain (run_indexer does this now and
    then, so an index broken on disk while nothing is written is still rebuilt)."""
    _validated.clear()


def drain(*, wait: bool = True, limit: int | None = None, analyzed: dict | None = None) -> int:
    """Index every article waiting in the outbox (at most `limit`); returns how many articles were (re)indexed.
    Builds the whole index first when there is none (or it cannot serve this archive).

    `analyzed`: {content hash: (lead, analyzed_texts, …)} an import already computed; used for a row only when its
    hash and lead say it is that text."""
    folder = index_dir()
    if (str(folder), _live_generation(folder)) in _validated and _outbox_empty():
        return 0  # the common case, one cheap query: nothing to do
    with writing(wait=wait) as session:
        return session.drain(limit, analyzed) if session is not None else 0


def drain_when_free(poll: float = 0.5) -> int:
    """Drain the outbox as soon as no other process is writing, or return once that process has drained it.

    For a writer that found the lock taken (an import beside another import or `run_indexer`): the holder drains
    after each of its own commits, but it may finish just before this process's last batch commits."""
    while True:
        with writing(wait=False) as session:
            if session is not None:
                return session.drain()
        if _outbox_empty():
            return 0
        time.sleep(poll)


def _outbox_empty() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT NOT EXISTS (SELECT 1 FROM articles_searchoutbox)")
        return cursor.fetchone()[0]


@contextmanager
def writing(*, wait: bool = True, commit_every: float = 0.0):
    """The writer lock and one tantivy writer, held for several drains (an import's batches: its merges then run
    in the background instead of being waited for after each batch). Yields None when, without `wait`, another
    process is writing.

    `commit_every`: seconds between index commits. 0 commits after every outbox batch (an editor's change is
    searchable at once); an import commits every second or so instead, and once more when the session ends,
    because each commit flushes a segment that has to be merged later, and waits for the indexing threads."""
    with writer_lock(wait=wait) as got:
        if not got:
            yield None
            return
        ensure_index()
        session = _Session(tantivy.Index.open(str(index_dir() / _live_generation(index_dir()))), commit_every)
        try:
            yield session
        finally:
            session.close()


class _Session:
    def __init__(self, index: tantivy.Index, commit_every: float = 0.0):
        self.index = index
        self.writer: tantivy.IndexWriter | None = None
        self.tz = _tz()
        self.commit_every = commit_every
        self.committed_at = time.monotonic()
        self.uncommitted: list[int] = []  # outbox ids indexed but not committed yet: deleted after the commit
        self.read_up_to = 0  # the highest outbox id read since the last commit

    def _queued(self, swept: bool) -> list[tuple[int, int]]:
        """The next outbox rows this session has not read. Reading on from the highest id read keeps each query
        short however many rows wait for a commit; a row that committed late with a lower id (ids are taken
        before commit) is picked up by one sweep below that id, when nothing newer is left."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, article_id FROM articles_searchoutbox WHERE id > %s ORDER BY id LIMIT %s",
                [self.read_up_to, BATCH],
            )
            queued = cursor.fetchall()
            if not queued and not swept and self.uncommitted:
                cursor.execute(
                    "SELECT id, article_id FROM articles_searchoutbox WHERE id <= %s "
                    "AND NOT (id = ANY(%s)) ORDER BY id LIMIT %s",
                    [self.read_up_to, self.uncommitted, BATCH],
                )
                queued = cursor.fetchall()
        return queued

    def drain(self, limit: int | None = None, analyzed: dict | None = None) -> int:
        done, analyzed, swept = 0, analyzed or {}, False
        while limit is None or done < limit:
            queued = self._queued(swept)
            if not queued:
                break
            if queued[0][0] <= self.read_up_to:
                swept = True
            self.read_up_to = max(self.read_up_to, queued[-1][0])
            ids = sorted({a for _, a in queued})
            rows = article_rows("WHERE a.id = ANY(%s)", [ids])
            self.writer = self.writer or _writer(self.index)
            # One delete for the batch (tantivy-py's delete by term does not match unsigned fields). Deletes apply
            # to every document added before them, committed or not, and never to those added after.
            self.writer.delete_documents_by_query(tantivy.Query.term_set_query(schema(), "id", ids))
            for row in rows:
                known = analyzed.get(row.content_hash)
                texts = known[1] if known and known[0] == row.lead else None
                self.writer.add_document(build_document(row, self.tz, texts))
            self.uncommitted.extend(q for q, _ in queued)
            done += len(ids)
            # Each batch when committing at every drain: a long outbox is indexed (and survives a crash) in steps.
            if time.monotonic() - self.committed_at >= self.commit_every or len(self.uncommitted) >= MAX_UNCOMMITTED:
                self.commit()
        return done

    def commit(self) -> None:
        """Commit the index, then delete the outbox rows it now holds (exactly those read: a row committed
        meanwhile with a lower id, ids being taken before commit, stays). A crash in between replays them."""
        if not self.uncommitted:
            return
        self.writer.commit()
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM articles_searchoutbox WHERE id = ANY(%s)", [self.uncommitted])
        self.uncommitted = []
        self.read_up_to = 0  # what remains in the outbox is all unread now
        self.committed_at = time.monotonic()
        reader = _open.get(str(index_dir()))
        if reader is not None:
            reader.index.reload()  # this process sees its own commit now, not at the reader's next poll

    def close(self) -> None:
        if self.writer is not None:
            self.commit()
            self.writer.wait_merging_threads()
            self.writer = None


def ensure_index() -> bool:
    """Rebuild from PostgreSQL when the live index is missing, broken or another archive's; True if it did.
    Call with the writer lock held."""
    folder = index_dir()
    problem = _problem(folder, archive_id())
    if problem is None:
        _validated.add((str(folder), _live_generation(folder)))
        return False
    log.warning("search index: %s; rebuilding it from PostgreSQL", problem)
    _rebuild_locked(None)
    return True


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Build a fresh index from PostgreSQL beside the live one and swap it in; returns the articles indexed."""
    with writer_lock():
        return _rebuild_locked(progress)


def _rebuild_locked(progress: Callable[[int, int], None] | None) -> int:
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    generation = f"g-{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
    path = folder / generation
    path.mkdir()
    archive = archive_id()
    tz = _tz()
    # The analysis is Python, the indexing Rust threads: worker processes analyze while this one feeds tantivy.
    # Forked before the writer starts its threads. Not inside a transaction (a test's): tiny archives there.
    analysis.lexicon()  # loaded once, before forking: the workers share it
    pool = None if connection.in_atomic_block else fork_pool(REBUILD_WORKERS)
    index = tantivy.Index(schema(), str(path))
    writer = _writer(index, heap=256_000_000)
    try:
        with _snapshot():
            seen, total = _outbox_and_size()
            done = _fill(writer, tz, progress, pool, total)
            writer.commit()
            writer.wait_merging_threads()
            (path / _ARCHIVE).write_text(_stamp(archive) + "\n")
            _swap(folder, generation)
            _validated.add((str(folder), generation))
            with connection.cursor() as cursor:
                # Inside the snapshot, so only rows it saw are deleted: a write that took its outbox id before the
                # snapshot but committed after it keeps its row, and drain() indexes it. A crash before this
                # commits only replays rows, which is harmless.
                cursor.execute("DELETE FROM articles_searchoutbox WHERE id <= %s", [seen])
    finally:
        if pool is not None:
            pool.terminate()
    return done


def _outbox_and_size() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM articles_searchoutbox")
        seen = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM articles_article")
        return seen, cursor.fetchone()[0]


def _batches():
    last = 0
    while rows := article_rows("WHERE a.id > %s ORDER BY a.id LIMIT %s", [last, BATCH]):
        yield rows
        last = rows[-1].id


def _analyze_batch(rows: list[ArticleRow]) -> list[list[tuple[str, str]]]:
    return [analyzed_texts(row) for row in rows]


def _fill(writer, tz, progress, pool, total: int) -> int:
    """Every article of the snapshot into `writer`; returns how many."""
    done = 0
    batches = _batches()
    if pool is None:
        analyzed = ((rows, _analyze_batch(rows)) for rows in batches)
    else:
        analyzed = _pipelined(batches, pool)
    for rows, texts in analyzed:
        for row, row_texts in zip(rows, texts):
            writer.add_document(build_document(row, tz, row_texts))
        done += len(rows)
        if progress:
            progress(done, total)
    return done


def _pipelined(batches, pool):
    """(rows, analysis) in order, with up to two batches per worker being analyzed ahead."""
    pending = collections.deque()
    for rows in batches:
        pending.append((rows, pool.apply_async(_analyze_batch, (rows,))))
        while len(pending) > 2 * REBUILD_WORKERS:
            rows_done, job = pending.popleft()
            yield rows_done, job.get()
    while pending:
        rows_done, job = pending.popleft()
        yield rows_done, job.get()


@contextmanager
def _snapshot():
    """One consistent view of the archive for a rebuild (REPEATABLE READ), or the caller's open transaction."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _swap(folder: Path, generation: str) -> None:
    tmp = folder / f"{_CURRENT}.{os.getpid()}.tmp"
    tmp.write_text(generation + "\n")
    os.replace(tmp, folder / _CURRENT)  # atomic: a reader sees the old name or the new one
    for old in folder.glob("g-*"):
        if old.name != generation:
            shutil.rmtree(old, ignore_errors=True)  # open readers keep their files until they reopen


def pending() -> int:
    """Articles waiting in the outbox."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT article_id) FROM articles_searchoutbox")
        return cursor.fetchone()[0]
