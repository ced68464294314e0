"""A search's result set for the page and the API: ordered articles, facets and the count, exact or estimated.

Up to LARGE_RESULT matches, everything is exact: the facets and the count come from one query over every match,
and relevance ranks them all. Beyond it (a common word in a million articles matches hundreds of thousands),
counting and ranking them all would cost seconds, so:
- the count is PostgreSQL's estimate, shown as «about»;
- relevance ranks the newest ~RANKED matches (a date bound the indexes answer), and the facets count those;
- newest/oldest order stays exact: it walks the date index and stops after one page.
The CSV export and the feeds do not come through here: they read whole, exactly ordered result sets.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from .facets import facet_counts
from .querysets import SearchPlan


@dataclass
class ResultSet:
    ordered: QuerySet  # what the list shows, in order
    facets: dict | None
    count: int  # every match, estimated when not exact
    exact: bool
    listed: int  # how many of them can be paged through: the ranked ones when not exact

    @property
    def sample(self) -> int:
        """How many matches the facets (and the relevance order) cover when the count is an estimate."""
        return self.facets["total"] if self.facets else 0


def collect(base: QuerySet, plan: SearchPlan | None, *, q: str = "", sort: str = "relevance") -> ResultSet:
    """`base` filtered to the search `plan` (or, with no plan, `base` itself: browsing a topic or a period)."""
    matches = base.matching(plan) if plan is not None else base
    large = settings.SEARCH_LARGE_RESULT
    estimate = matches.estimated_count() if large else 0
    if estimate > large:
        part = base.newest_part(settings.SEARCH_RANKED_RESULTS, estimate)
        part_matches = part.matching(plan) if plan is not None else part
        facets = facet_counts(part_matches)
        # Dates far from even (a burst of coverage in one month) can leave the slice nearly empty: then count
        # and rank everything after all.
        if facets["total"] >= settings.SEARCH_RANKED_RESULTS // 4:
            by_relevance = plan is not None and sort == "relevance"
            ordered = _order(part if by_relevance else base, plan, q, sort)
            return ResultSet(ordered, facets, max(estimate, facets["total"]), False,
                             facets["total"] if by_relevance else max(estimate, facets["total"]))
    facets = facet_counts(matches)
    return ResultSet(_order(base, plan, q, sort), facets, facets["total"], True, facets["total"])


def _order(qs: QuerySet, plan: SearchPlan | None, q: str, sort: str) -> QuerySet:
    return qs.search(q, sort=sort, plan=plan) if plan is not None else qs.ordered(sort)
