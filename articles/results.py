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
from django.db.models import F, QuerySet

from .facets import facet_counts
from .querysets import SearchPlan

NEWEST = (F("published_at").desc(nulls_last=True), "-id")
_LEXEME = re.compile(r"'(?:[^']|'')+'(?::\*)?")


@dataclass
class ResultSet:
    ordered: QuerySet  # what the list shows, in order
    facets: dict | None
    count: int  # every match; an estimate when not exact
    exact: bool
    listed: int  # how many of them can be paged through: the ranked ones when not exact
    at_least: bool = False  # the count is a lower bound: the estimate was too low to trust

    @property
    def sample(self) -> int:
        """How many matches the facets (and the relevance order) cover when the count is an estimate."""
        return self.facets["total"] if self.facets else 0


def collect(base: QuerySet, plan: SearchPlan | None, *, q: str = "", sort: str = "relevance") -> ResultSet:
    """`base` filtered to the search `plan` (or, with no plan, `base` itself: browsing a topic or a period)."""
    large, ranked = settings.SEARCH_LARGE_RESULT, settings.SEARCH_RANKED_RESULTS
    matches = base.matching(plan) if plan is not None else base
    count, work = matches.estimated_count() if large else (0, 0)
    if plan is not None and large and "<" in plan.tsquery:
        # A phrase's work is checking every article that has all its words. The planner takes words to be
        # independent, and the words of a phrase are anything but (خادم، الحرمين، الشريفين): the rarest word's
        # count is the honest bound.
        words = set(_LEXEME.findall(plan.tsquery))
        work = max(work, min(base.matching(SearchPlan(plan.query, w)).estimated_count()[1] for w in words))
    if plan is None:
        return _browse(base, sort, count if work > large else None)
    keep = ranked * 3 // 2
    if work <= large or not large:
        # Newest first, so that when there are more than the estimate said, those kept are the newest.
        ids = list(matches.order_by(*NEWEST).values_list("pk", flat=True)[: large + 1 if large else None])
        if not large or len(ids) <= large:
            return _finish(base, q, ids, plan, sort, exact=True, count=len(ids))
        return _finish(base, q, ids[:keep], plan, sort, exact=False, count=max(count, len(ids)), at_least=True)
    # Large: the newest slice of the archive that should hold about `keep` of them, through the indexes.
    ids = list(base.newest_part(ranked, work).matching(plan).order_by(*NEWEST).values_list("pk", flat=True)[:keep])
    if len(ids) < ranked // 4:
        # Dates far from even (a burst of coverage in one month) left the slice nearly empty: the newest of all.
        ids = list(matches.order_by(*NEWEST).values_list("pk", flat=True)[:keep])
    return _finish(base, q, ids, plan, sort, exact=False, count=max(count, len(ids)))


def _finish(base, q, ids, plan, sort, *, exact: bool, count: int, at_least: bool = False) -> ResultSet:
    chosen = base.model.objects.filter(pk__in=ids)
    found = ResultSet(chosen.ranked(plan, sort), facet_counts(chosen), count, exact, len(ids), at_least)
    if not exact and sort != "relevance":
        # Date order walks the whole result set in index order: exact, and every page reachable.
        found.ordered, found.listed = base.search(q, sort=sort, plan=plan), count
    return found


def _browse(base: QuerySet, sort: str, estimate: int | None) -> ResultSet:
    """A topic, source or period without words: newest first; facets over the newest part when it is large."""
    if estimate is not None:
        part = base.newest_part(settings.SEARCH_RANKED_RESULTS, estimate)
        facets = facet_counts(part)
        if facets["total"] >= settings.SEARCH_RANKED_RESULTS // 4:
            count = max(estimate, facets["total"])
            return ResultSet(base.ordered(sort), facets, count, False, count)
    facets = facet_counts(base)
    return ResultSet(base.ordered(sort), facets, facets["total"], True, facets["total"])
