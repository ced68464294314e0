"""Grouping articles into stories: the write path. `fingerprint` decides what a copy is; this module finds the
candidates in PostgreSQL and stores the outcome.

    group_articles(printed)      # after an import batch, in its transaction: each new article joins a story
    regroup_all(progress)        # `manage.py regroup_articles`: every group again, editors' choices kept
    split_articles(ids)          # the admin: these articles are another story than the rest of theirs
    join_articles(ids)           # the admin: these articles are one story

An article joins the story of the first copy found among the articles published within STORY_WINDOW_DAYS of
it, earlier or later, those sharing the most LSH bands checked first; it never merges two stories (precision first: a wrong merge hides a story). Undated
articles are fingerprinted but never grouped: no window can be drawn around them.
"""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from ..models import Article, ArticleStory, Story, StorySplit
from . import fingerprint as fp

REGROUP_CHUNK = 2000


@dataclasses.dataclass(frozen=True, eq=False)
class Printed:
    """An article ready to group: its id, its date and its fingerprint with the LSH band keys."""

    id: int
    published_at: dt.datetime | None
    print: fp.Fingerprint
    bands: list[int]


def window() -> dt.timedelta:
    return dt.timedelta(days=settings.STORY_WINDOW_DAYS)


def printed_from_text(pk: int, published_at, lead: str, body: str) -> Printed:
    found = fp.fingerprint(fp.story_stems(lead, body))
    return Printed(pk, published_at, found, fp.band_keys(found.marks))


class _Groups:
    """The stories of the articles in play (the new ones and their candidates), and the editors' splits.

    A story begun in this batch has a provisional negative number until `create_stories` makes the rows, all in
    one INSERT."""

    def __init__(self, stories: dict[int, int | None], dates: dict[int, dt.datetime | None]):
        self.story = dict(stories)  # article id → story id, of the stored candidates
        self.dates = dict(dates)  # article id → date, of the candidates and the new articles
        self.limit = window()
        known = {s for s in self.story.values() if s is not None}
        self.members: dict[int, set[int]] = {}
        rows = ArticleStory.objects.filter(story__in=known).values_list("article_id", "story_id", "published_at")
        for pk, story, when in rows:
            self.members.setdefault(story, set()).add(pk)
            self.dates[pk] = when
        self.splits: set[tuple[int, int]] = set()
        if StorySplit.objects.exists():  # editors split seldom: most batches skip this query
            everyone = set(self.dates) | {pk for m in self.members.values() for pk in m}
            self.splits = set(
                StorySplit.objects.filter(first__in=everyone, second__in=everyone).values_list("first", "second")
            )
        self.changed: dict[int, int] = {}  # article id → its new story, for rows already stored
        self.begun = 0

    def members_of(self, pk: int) -> set[int]:
        story = self.story.get(pk)
        return self.members.get(story, set()) if story is not None else {pk}

    def allowed(self, pk: int, when: dt.datetime, candidate: int) -> bool:
        """Whether article `pk`, published `when`, may join the candidate's story: no editor split them, and
        every copy in it ran within the window of `when` (a chain of copies a few days apart never spans more)."""
        for member in self.members_of(candidate):
            if self.splits and (min(pk, member), max(pk, member)) in self.splits:
                return False
            date = self.dates.get(member)
            if date is not None and abs(date - when) > self.limit:
                return False
        return True

    def join(self, pk: int, candidate: int) -> None:
        story = self.story.get(candidate)
        if story is None:
            self.begun += 1
            story = -self.begun
            self.story[candidate] = story
            self.changed[candidate] = story
            self.members[story] = {candidate}
        self.story[pk] = story
        self.members[story].add(pk)

    def create_stories(self) -> None:
        if not self.begun:
            return
        made = [s.pk for s in Story.objects.bulk_create([Story() for _ in range(self.begun)])]
        real = {-(n + 1): pk for n, pk in enumerate(made)}
        self.story = {a: real.get(s, s) if s is not None else None for a, s in self.story.items()}
        self.changed = {a: real[s] if s < 0 else s for a, s in self.changed.items()}
        self.begun = 0


def group_articles(printed: Iterable[Printed], known: PrintCache | None = None, *, inserted: bool = False) -> int:
    """Link each article not yet linked to the story of its closest copy (or to none yet); returns how many
    joined a story. Safe to re-run: an article already linked is left where it is. `known`: the fingerprints
    met so far in this run (an import's earlier batches hold most of its new articles' candidates).
    `inserted`: the caller has just inserted every one of these articles (or unlinked it), so none is linked."""
    printed = list(printed)
    linked = (
        set()
        if inserted
        else set(
            ArticleStory.objects.filter(article_id__in=[p.id for p in printed]).values_list("article_id", flat=True)
        )
    )
    new = sorted(
        (p for p in printed if p.id not in linked), key=lambda p: (p.published_at is None, p.published_at or 0, p.id)
    )
    if not new:
        return 0
    by_band: dict[int, list[int]] = {}
    dates: dict[int, dt.datetime] = {}
    stories: dict[int, int | None] = {}
    for key, pk, when, story in _stored_candidates(new):
        by_band.setdefault(key, []).append(pk)
        dates[pk], stories[pk] = when, story
    groups = _Groups(stories, {**dates, **{p.id: p.published_at for p in new}})
    prints = known if known is not None else PrintCache()
    # The stored candidates any article will compare itself with, not met yet in this run, in one query (a query
    # per article cost more than the rest of grouping together). Copies in this batch can only push a stored
    # candidate down an article's list; one pushed up (another refused) is fetched in the loop.
    prints.fetch(
        {
            pk
            for p in new
            if p.published_at is not None
            for pk in fp.ranked_candidates(p.bands, by_band, lambda pk, p=p: groups.allowed(p.id, p.published_at, pk))
        }
    )
    joined = 0
    for p in new:
        if p.published_at is not None:
            near = fp.ranked_candidates(p.bands, by_band, lambda pk, p=p: groups.allowed(p.id, p.published_at, pk))
            prints.fetch(near)
            match = fp.first_copy(p.print, [(pk, prints[pk]) for pk in near if pk in prints])
            if match is not None:
                groups.join(p.id, match)
                joined += 1
        prints[p.id] = p.print
        for key in p.bands:
            by_band.setdefault(key, []).append(p.id)
    _store(new, groups)
    return joined


def _store(new: list[Printed], groups: _Groups) -> None:
    """The new links in one COPY (Django's bulk_create spent longer preparing 31 integers a row than PostgreSQL
    took to store them), then the stories of stored articles that just gained a copy."""
    groups.create_stories()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS story_stage ON COMMIT DELETE ROWS AS "
            "SELECT article_id, story_id, published_at, bands FROM articles_articlestory WITH NO DATA"
        )
        with cursor.cursor.copy("COPY story_stage FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", "int8", "timestamptz", "int4[]"])
            for p in new:
                copy.write_row((p.id, groups.story.get(p.id), p.published_at, p.bands))
        # ON CONFLICT: another import running beside this one linked the article first; its link stands.
        cursor.execute(
            "INSERT INTO articles_articlestory (article_id, story_id, published_at, bands, by_editor) "
            "SELECT article_id, story_id, published_at, bands, false FROM story_stage "
            "ON CONFLICT DO NOTHING"
        )
        cursor.execute("TRUNCATE story_stage")
        if groups.changed:
            cursor.execute(
                "UPDATE articles_articlestory s SET story_id = c.story FROM unnest(%s::bigint[], "
                "%s::bigint[]) AS c(article, story) WHERE s.article_id = c.article AND s.story_id IS NULL",
                [list(groups.changed), list(groups.changed.values())],
            )


def _stored_candidates(new: list[Printed]) -> list[tuple[int, int, dt.datetime, int | None]]:
    """(band key, article id, date, story) of stored articles sharing a band with one of `new` and dated within
    that article's window: one query (one GIN probe per key and article; a single `bands && keys` over thousands
    of keys made PostgreSQL scan the table). Each article's own window, not the batch's span: a batch of an
    archive's back issues spans years, and its span's candidates were most of the archive's copies."""
    dated = [p for p in new if p.published_at and len(p.bands) == fp.BANDS]
    if not dated:
        return []
    span = int(window().total_seconds())
    # Arrays as text literals: psycopg adapting 60,000 datetimes one by one took longer than the query. Each
    # article's band keys come in one run of BANDS (band_keys gives all of them or none), so its window is
    # given once and found by the key's position.
    keys = _array_literal(key for p in dated for key in p.bands)
    seconds = [int(p.published_at.timestamp()) for p in dated]
    lows, highs = _array_literal(t - span for t in seconds), _array_literal(t + span for t in seconds)
    with connection.cursor() as cursor:
        # Containment cannot be hash-joined, so where the planner guesses a table small (a young archive,
        # statistics not yet gathered) it reads every row once, by a scan or by walking a btree index whole, and
        # tests it against every key: 44 s for 2,000 articles against 6,000. One GIN probe per key is never
        # slower here, so plain scans of either kind are ruled out, for this query only, leaving the probes (SET
        # LOCAL would last to the end of the caller's transaction: the import batch's).
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        try:
            # The date as seconds: a candidate shares many keys, and one datetime per article is made here.
            cursor.execute(
                """
                SELECT DISTINCT k.key, s.article_id, extract(epoch FROM s.published_at)::bigint, s.story_id
                FROM unnest(%s::int[]) WITH ORDINALITY AS k(key, n)
                JOIN LATERAL (SELECT (%s::bigint[])[(k.n - 1) / %s + 1] AS low,
                                     (%s::bigint[])[(k.n - 1) / %s + 1] AS high) w ON true
                JOIN articles_articlestory s ON s.bands @> ARRAY[k.key]
                WHERE s.published_at BETWEEN to_timestamp(w.low) AND to_timestamp(w.high)
            """,
                [keys, lows, fp.BANDS, highs, fp.BANDS],
            )
            rows = cursor.fetchall()
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    dates: dict[int, dt.datetime] = {}
    for _, _, when, _ in rows:
        if when not in dates:
            dates[when] = dt.datetime.fromtimestamp(when, dt.UTC)
    return [(key, pk, dates[when], story) for key, pk, when, story in rows]


def _array_literal(values) -> str:
    return "{" + ",".join(map(str, values)) + "}"


class PrintCache(collections.OrderedDict):
    """Fingerprints by article id, for one run: of the new articles as the workers made them, of stored candidates
    made again from their text when first needed (storing every article's shingles would cost more than its
    text). Bounded: past MAX_PRINTS the oldest met go first. Imports and regroups run roughly in date order, so
    the ones kept are those a new article's window reaches (emptying it whole made each batch after that
    fingerprint its candidates again, from their text, in the import's busiest process)."""

    MAX_PRINTS = 20_000  # about 5 KB each (packed marks, a set of facts): 100 MB; a month of SaudiNewsNet

    def fetch(self, ids) -> None:
        """Make sure the fingerprints of these articles are here (an article deleted meanwhile stays absent)."""
        ids = [pk for pk in ids if pk not in self]
        if ids:
            rows = Article.objects.filter(id__in=ids).values_list("id", "lead", "body")
            for pk, lead, body in rows:
                super().__setitem__(pk, fp.fingerprint(fp.story_stems(lead, body)))
            self._shrink(spare=len(ids))  # never what was just asked for: the caller reads it next

    def __setitem__(self, pk: int, found: fp.Fingerprint) -> None:
        super().__setitem__(pk, found)
        self._shrink(spare=1)

    def _shrink(self, spare: int) -> None:
        while len(self) > max(self.MAX_PRINTS, spare):
            self.popitem(last=False)


def unlink(ids: Iterable[int]) -> None:
    """Forget how these articles were grouped (their text changed), unless an editor placed them."""
    # A story this leaves with one article lets it stand alone (a trigger: migration 0016).
    ArticleStory.objects.filter(article_id__in=list(ids), by_editor=False).delete()


def regroup_all(progress: Callable[[int, int], None] | None = None) -> dict:
    """Group every article again from its text, oldest first, as imports do; editors' splits and joins stay."""
    total = Article.objects.count()
    with transaction.atomic():
        ArticleStory.objects.filter(by_editor=False).delete()  # stories left with one editor's article end
    done = 0
    known = PrintCache()  # each chunk's articles are the next chunk's candidates
    last = (dt.datetime.min.replace(tzinfo=dt.UTC), 0)
    dated = Article.objects.exclude(published_at=None).order_by("published_at", "id")
    while True:
        chunk = list(dated.filter(_after(last)).values_list("id", "published_at", "lead", "body")[:REGROUP_CHUNK])
        if not chunk:
            break
        with transaction.atomic():
            group_articles((printed_from_text(*row) for row in chunk), known)
        last = (chunk[-1][1], chunk[-1][0])
        done += len(chunk)
        if progress:
            progress(done, total)
    undated = Article.objects.filter(published_at=None).values_list("id", "published_at", "lead", "body")
    group_articles(printed_from_text(*row) for row in undated.iterator())
    if progress:
        progress(total, total)
    return summary()


def _after(last: tuple[dt.datetime, int]) -> Q:
    when, pk = last
    return Q(published_at__gt=when) | Q(published_at=when, id__gt=pk)


def summary() -> dict:
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT count(*), coalesce(sum(n), 0), coalesce(max(n), 0) FROM (
                SELECT count(*) AS n FROM articles_articlestory WHERE story_id IS NOT NULL GROUP BY story_id) s
        """)
        stories, grouped, largest = cursor.fetchone()
    return {"stories": stories, "grouped_articles": grouped, "largest": largest}


@transaction.atomic
def split_articles(ids: Iterable[int]) -> int:
    """These articles are another story than the rest of the story they were in: they become one story of their
    own (or stand alone, if one), and grouping never joins them to the others again. Returns how many moved."""
    ids = sorted(set(ids))
    links = {link.article_id: link for link in ArticleStory.objects.select_for_update().filter(article_id__in=ids)}
    stories = {link.story_id for link in links.values() if link.story_id}
    others = set(
        ArticleStory.objects.filter(story__in=stories).exclude(article_id__in=ids).values_list("article_id", flat=True)
    )
    StorySplit.objects.bulk_create(
        [StorySplit(first_id=min(a, b), second_id=max(a, b)) for a in ids for b in others], ignore_conflicts=True
    )
    story = Story.objects.create() if len(ids) > 1 else None
    _place(ids, story)
    return len(ids)


@transaction.atomic
def join_articles(ids: Iterable[int]) -> int:
    """These articles are one story (with the rest of the stories they were in): the editor's word, kept by regroup."""
    ids = sorted(set(ids))
    if len(ids) < 2:
        return 0
    stories = set(
        ArticleStory.objects.filter(article_id__in=ids).exclude(story=None).values_list("story_id", flat=True)
    )
    story = Story.objects.create()
    members = set(ids) | set(ArticleStory.objects.filter(story__in=stories).values_list("article_id", flat=True))
    StorySplit.objects.filter(first__in=members, second__in=members).delete()
    ArticleStory.objects.filter(story__in=stories).update(story=story)
    _place(ids, story)
    return len(ids)


def _place(ids: list[int], story: Story | None) -> None:
    """Put these articles in `story` as the editor's choice, fingerprinting any that has no link yet."""
    have = set(ArticleStory.objects.filter(article_id__in=ids).values_list("article_id", flat=True))
    missing = Article.objects.filter(id__in=set(ids) - have).values_list("id", "published_at", "lead", "body")
    ArticleStory.objects.bulk_create(
        [
            ArticleStory(article_id=p.id, published_at=p.published_at, bands=p.bands)
            for p in (printed_from_text(*row) for row in missing)
        ],
        ignore_conflicts=True,
    )
    ArticleStory.objects.filter(article_id__in=ids).update(story=story, by_editor=True)
