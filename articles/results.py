"""A search's result set for the page and the API: ordered articles, facets and the count, exact or estimated.

The matching articles' ids are found once (for a phrase, that is where each candidate's full vector is read and
checked); the facets and the ranked page then work on those ids alone.

Up to LARGE_RESULT matches (PostgreSQL's estimate), everything is exact: every match is counted, faceted and
ranked. Beyond it (a common word in a million articles matches hundreds of thousands), that would cost seconds, so:
- the count is the estimate, shown as «about»;
- relevance ranks the newest ~RANKED matches (a date bound the indexes answer), and the facets count those;
- newest/oldest order stays exact: it walks the date index and stops after one page.
The CSV export and the feeds do not come through here: they read whole, exactly ordered result sets.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet

from .facets import facet_counts
from .querysets import SearchPlan
from .tagging import ArticleLink

NEWEST = (F("published_at").desc(nulls_last=True), "-id")
OLDEST = (F("published_at").asc(nulls_last=True), "id")
TEXT_CAP = 10_000  # text matches read at most, before the topic filter narrows them
MIN_SHARE = 0.2  # a narrow topic widens the date slice at most 5 times
TOPIC_FIRST = 20_000  # a topic this small is intersected from its own side (its ids), whatever the words
_LEXEME = re.compile(r"'(?:[^']|'')+'(?::\*)?")


@dataclass
class ResultSet:
    ordered: QuerySet  # what the list shows, in order
    facets: dict | None
    count: int  # every match; an estimate when not exact
    exact: bool
    listed: int  # how many of them can be paged through: the ranked ones when not exact
    at_least: bool = False  # the count is a lower bound: the estimate was too low to trust
    matches: QuerySet | None = None  # the listed articles, unordered: every match when exact (the timeline's)

    @property
    def sample(self) -> int:
        """How many matches the facets (and the relevance order) cover when the count is an estimate."""
        return self.facets["total"] if self.facets else 0


def collect(base: QuerySet, plan: SearchPlan | None, *, q: str = "", sort: str = "relevance",
            text_base: QuerySet | None = None, topic: str | None = None) -> ResultSet:
    """`base` filtered to the search `plan` (or, with no plan, `base` itself: browsing a topic or a period).

    `text_base` is `base` without its filter to the `topic` (a tag's slug). Left to itself, the planner sometimes
    walks every article of a topic and reads each one's full vector, so the two are intersected here, from
    whichever side is smaller: the words matched first through the full-text index and then narrowed to the
    topic, or, for a small topic, the topic's ids checked against the full-text index.
    """
    large, ranked = settings.SEARCH_LARGE_RESULT, settings.SEARCH_RANKED_RESULTS
    if plan is None:
        count, work = base.estimated_count() if large else (0, 0)
        return _browse(base, sort, count if work > large else None)
    text_base = base if text_base is None else text_base
    text = text_base.matching(plan)
    count, work = base.matching(plan).estimated_count() if large else (0, 0)
    share = 1.0  # of the word matches that pass the topic filter
    if large:
        text_count, text_work = (count, work) if text_base is base else text_base.matching(plan).estimated_count()
        share = min(1.0, max(count / max(text_count, 1), MIN_SHARE))
        work = max(work, _work(text_base, plan, text_work))
    keep = ranked * 3 // 2
    order = OLDEST if sort == "oldest" else NEWEST
    topic_ids = _topic_ids(topic) if large and topic and work > large and text_base is not base else None
    if topic_ids is not None and (len(topic_ids) <= TOPIC_FIRST or len(topic_ids) < work):
        return _topic_first(base, text_base, topic_ids, plan, q, sort, order, count)
    if work <= large or not large:
        text_ids = list(text.values_list("pk", flat=True)[: large * 4 + 1 if large else None])
        if not large or len(text_ids) <= large * 4:
            ids = _narrow(base, text_ids, order) if text_base is not base or len(text_ids) > large else text_ids
            if not large or len(ids) <= large:
                return _finish(base, q, ids, plan, sort, exact=True, count=len(ids))
            return _finish(base, q, ids[:keep], plan, sort, exact=False, count=max(count, len(ids)), at_least=True)
    # Large: the newest (or, sorted oldest first, the oldest) slice of the archive that should hold about `keep`
    # of the filtered matches, through the indexes; its text matches, then the filters.
    # Sized by the articles to read (for a phrase, those with its rarest word), so the work stays bounded.
    # Unfiltered, the first large + 1 matches settle both the list and whether the count is exact.
    cap = TEXT_CAP if text_base is not base else max(large + 1, keep)

    def newest_in(part):
        text_ids = list(part.matching(plan).order_by(*order).values_list("pk", flat=True)[:cap])
        return text_ids, (_narrow(base, text_ids, order) if text_base is not base else text_ids)

    of = max(int(work * share), 1)
    part = text_base.date_part(ranked, of, oldest=sort == "oldest")
    text_ids, ids = newest_in(part)
    if len(text_ids) < ranked // 4 and part is not text_base:
        # The slice held far fewer word matches than the estimate promised (it should have held ranked / share):
        # a phrase's words are rarer together than its rarest word alone, or the coverage bunches in time. A
        # slice sized by what this one held (at most 32 times as wide), before the newest of all, which walks
        # the whole date index. A narrow topic alone does not widen it: MIN_SHARE already did.
        held = max(len(text_ids) * share / ranked, 1 / 32)
        part = text_base.date_part(ranked, max(int(of * held), 1), oldest=sort == "oldest")
        text_ids, ids = newest_in(part)
    if part is text_base and len(text_ids) < cap and len(ids) <= large:
        # The slice was the whole archive and every text match was read: this is every match after all.
        return _finish(base, q, ids, plan, sort, exact=True, count=len(ids))
    ids = ids[:keep]
    if len(text_ids) < ranked // 4:
        # Dates far from even (a burst of coverage in one month) left the slice nearly empty: the newest of all.
        text_ids, ids = newest_in(text_base)
        ids = ids[:keep]
    if len(ids) < ranked // 4 and topic_ids is not None:
        # The topic's matches are not among the word matches read (the words are common, but rare in this
        # topic, or its coverage ended years ago): from the topic's side, then. A page must list what it counts.
        return _topic_first(base, text_base, topic_ids, plan, q, sort, order, count)
    return _finish(base, q, ids, plan, sort, exact=False, count=max(count, len(ids)))


def _work(text_base: QuerySet, plan: SearchPlan, known: int) -> int:
    """How many articles the words' index scan returns: for a phrase, every article with its rarest word.

    The planner takes words to be independent, and the words of a phrase are anything but (خادم، الحرمين،
    الشريفين): their product underestimates the articles to check, the rarest word's count does not."""
    work = known
    if "<" in plan.tsquery:
        words = set(_LEXEME.findall(plan.tsquery))
        work = max(work, min(text_base.matching(SearchPlan(plan.query, w)).estimated_count()[1] for w in words))
    return work


def _topic_ids(slug: str) -> list[int]:
    return list(ArticleLink.objects.filter(tag__slug=slug).values_list("article_id", flat=True))


def _topic_first(base, text_base, topic_ids, plan, q, sort, order, count) -> ResultSet:
    """The topic's articles that match, found by intersecting the id list with the full-text index (bitmaps, so
    that only matches are read): the work grows with the topic, not with the words' matches."""
    large, keep = settings.SEARCH_LARGE_RESULT, settings.SEARCH_RANKED_RESULTS * 3 // 2
    matches = (text_base.filter(pk__any=topic_ids).matching(plan).order_by(*order)
               .values_list("pk", flat=True)[: large + 1])
    with transaction.atomic(), connection.cursor() as cursor:
        # Left to choose, the planner walks the id list through the primary key and reads every article's full
        # vector (250 ms for 36,000 ids at a million articles); the bitmaps take a third of that.
        cursor.execute("SELECT current_setting('enable_indexscan'), set_config('enable_indexscan', 'off', true)")
        before = cursor.fetchone()[0]
        try:
            ids = list(matches)
        finally:
            cursor.execute("SELECT set_config('enable_indexscan', %s, true)", [before])
    if len(ids) <= large:
        return _finish(base, q, ids, plan, sort, exact=True, count=len(ids))
    return _finish(base, q, ids[:keep], plan, sort, exact=False, count=max(count, len(ids)))


def _narrow(base: QuerySet, text_ids: list[int], order) -> list[int]:
    return list(base.filter(pk__any=text_ids).order_by(*order).values_list("pk", flat=True)) if text_ids else []


def _finish(base, q, ids, plan, sort, *, exact: bool, count: int, at_least: bool = False) -> ResultSet:
    # The ids are the newest (oldest) matches, so date order over them is exact as far as they go.
    chosen = base.model.objects.filter(pk__any=ids)
    return ResultSet(chosen.ranked(plan, sort), facet_counts(chosen), count, exact, len(ids), at_least, chosen)


def _browse(base: QuerySet, sort: str, estimate: int | None) -> ResultSet:
    """A topic, source or period without words: newest first; facets over the newest part when it is large."""
    if estimate is not None:
        part = base.date_part(settings.SEARCH_RANKED_RESULTS, estimate)
        facets = facet_counts(part)
        if facets["total"] >= settings.SEARCH_RANKED_RESULTS // 4:
            count = max(estimate, facets["total"])
            return ResultSet(base.ordered(sort), facets, count, False, count, matches=base)
    facets = facet_counts(base)
    return ResultSet(base.ordered(sort), facets, facets["total"], True, facets["total"], matches=base)
