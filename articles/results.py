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
from dataclasses import dataclass, replace

from django.conf import settings
from django.db.models import F, QuerySet

from .facets import facet_counts
from .querysets import SearchPlan

NEWEST = (F("published_at").desc(nulls_last=True), "-id")
OLDEST = (F("published_at").asc(nulls_last=True), "id")
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


def collect(base: QuerySet, plan: SearchPlan | None, *, q: str = "", sort: str = "relevance") -> ResultSet:
    """`base` filtered to the search `plan` (or, with no plan, `base` itself: browsing a topic or a period).

    A topic is part of the plan (its lexeme in the tsquery), not a join in `base`: the full-text index then
    intersects it with the words, whatever their sizes."""
    large, ranked = settings.SEARCH_LARGE_RESULT, settings.SEARCH_RANKED_RESULTS
    if plan is None:
        count, work = base.estimated_count() if large else (0, 0)
        return _browse(base, sort, count if work > large else None)
    text = base.matching(plan)
    count, work = text.estimated_count() if large else (0, 0)
    if large:
        work = max(work, _work(base, plan, work))
    keep = ranked * 3 // 2
    order = OLDEST if sort == "oldest" else NEWEST
    if work <= large or not large:
        found = list(text.values_list("pk", flat=True)[: large * 4 + 1 if large else None])
        if not large or len(found) <= large * 4:
            ids = _narrow(base, found, order) if len(found) > large else found
            if not large or len(ids) <= large:
                return _finish(base, q, ids, plan, sort, exact=True, count=len(ids))
            return _finish(base, q, ids[:keep], plan, sort, exact=False, count=max(count, len(ids)), at_least=True)
    # Large: the newest (or, sorted oldest first, the oldest) slice of the archive that should hold about `keep`
    # of the matches, through the indexes; its text matches, in date order.
    # Sized by the articles to read (for a phrase, those with its rarest word), so the work stays bounded.
    # The first large + 1 matches settle both the list and whether the count is exact.
    cap = max(large + 1, keep)

    def newest_in(part):
        return list(part.matching(plan).order_by(*order).values_list("pk", flat=True)[:cap])

    of = max(work, 1)
    part = base.date_part(ranked, of, oldest=sort == "oldest")
    ids = newest_in(part)
    if len(ids) < ranked // 4 and part is not base:
        # The slice held far fewer matches than the estimate promised: a phrase's words are rarer together than
        # its rarest word alone, or the coverage bunches in time. A slice sized by what this one held (at most
        # 32 times as wide), before the newest of all, which walks the whole date index.
        held = max(len(ids) / ranked, 1 / 32)
        part = base.date_part(ranked, max(int(of * held), 1), oldest=sort == "oldest")
        ids = newest_in(part)
    if part is base and len(ids) < cap:
        # The slice was the whole archive and every match was read: this is every match after all.
        return _finish(base, q, ids, plan, sort, exact=True, count=len(ids))
    if len(ids) < ranked // 4:
        # Dates far from even (a burst of coverage in one month) left the slice nearly empty: the newest of all.
        ids = newest_in(base)
    ids = ids[:keep]
    return _finish(base, q, ids, plan, sort, exact=False, count=max(count, len(ids)))


def _work(base: QuerySet, plan: SearchPlan, known: int) -> int:
    """How many articles the words' index scan returns: for a phrase, every article with its rarest word.

    The planner takes words to be independent, and the words of a phrase are anything but (خادم، الحرمين،
    الشريفين): their product underestimates the articles to check, the rarest word's count does not."""
    work = known
    if "<" in plan.tsquery:
        words = set(_LEXEME.findall(plan.tsquery))
        work = max(work, min(base.matching(replace(plan, tsquery=w)).estimated_count()[1] for w in words))
    return work


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
