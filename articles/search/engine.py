"""Parsed queries compiled to the index's queries; counting, ranking, ordering, facets and timeline buckets.

Everything here is exact: counts and facets cover every match, relevance ranks every match (BM25, with our own
signals on top), and date order reads the date fast fields over every match.

Relevance is a sum:
- BM25 per field, title above lead above body;
- query words side by side in the headline, in any order: the BM25 of each neighbouring pair, weighted as the
  title (a rare pair names one story, as a phrase would);
- a constant bonus for a headline holding every query word (the article a journalist half-remembers);
- the spelling as typed above other inflections (the surface-form fields).
Ties go to the newer article.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import cached_property

import tantivy
from tantivy import Occur, Query

from . import analysis
from .document import EXACT_SUFFIX, NEAR_FIELD, TEXT_FIELDS, near_pair
from .highlight import NOTHING, Marks, Nearby, Sequence
from .query import Clause, Group, Near, ParsedQuery, Term, clause_text, parse, prefix_lexeme

FIELD_BOOSTS = {"title": 3.0, "lead": 1.5, "body": 0.3}
EXACT_BOOST = 1.0  # the typed spelling, above other inflections of the same words
HEADLINE_BONUS = 8.0
NEAR_BOOST = FIELD_BOOSTS["title"]
MAX_NEAR_WORDS = 8  # pairs grow with the square of the words; a pasted paragraph needs no proximity signal
# A word* stands for at most this many indexed words per field, its commonest: «ا*» begins a third of the
# vocabulary, and reading every one of their lists of articles took seconds a request.
MAX_EXPANSIONS = 64


def _fields_query(schema, make, *, exact: bool, fields: tuple[str, ...] = TEXT_FIELDS) -> Query:
    """`make(field_name)` over the text fields (all three, or the one a field: asked for), each boosted: a match
    in any of them."""
    parts = []
    for name in fields:
        q = make(schema, name + EXACT_SUFFIX if exact else name)
        parts.append((Occur.Should, Query.boost_query(q, FIELD_BOOSTS[name])))
    return Query.boolean_query(parts)


def words_query(
    schema,
    words: list[tuple[int, str]],
    *,
    exact: bool,
    prefix: bool = False,
    loose: bool = False,
    fields: tuple[str, ...] = TEXT_FIELDS,
    slop: int = 0,
):
    """Words at their positions (a phrase when more than one, with `slop` other words allowed among them), in
    any of `fields`."""
    if len(words) == 1 and not prefix:
        return _fields_query(schema, lambda s, f: Query.term_query(s, f, words[0][1]), exact=exact, fields=fields)
    if len(words) == 1:
        pattern = re.escape(words[0][1]) + ".*"
        return _fields_query(schema, lambda s, f: Query.regex_query(s, f, pattern), exact=exact, fields=fields)
    if loose:
        return Query.boolean_query([(Occur.Must, words_query(schema, [w], exact=exact, fields=fields)) for w in words])
    base = words[0][0]
    offsets = [(pos - base, text) for pos, text in words]
    if prefix:
        return _fields_query(schema, lambda s, f: Query.phrase_prefix_query(s, f, offsets), exact=exact, fields=fields)
    return _fields_query(schema, lambda s, f: Query.phrase_query(s, f, offsets, slop), exact=exact, fields=fields)


def near_query(schema, a: str, b: str, distance: int, *, ordered: bool, exact: bool, fields: tuple[str, ...]):
    """`a` and `b` with at most `distance` words between them, in one field: `b` 1 to distance+1 positions after
    `a` (`ordered`), or before or after it.

    A tantivy phrase with offsets (0, a), (k, b) and slop s matches wherever b stands k-s to k+s positions after
    a (before it, for a negative figure; tests/search/test_engine_near.py pins this). Two different stems never
    share a position, so one phrase covers either order (k = 0) or one order (k - s = 0 or 1), whatever the distance,
    where one exact phrase per gap cost a pass over both words' positions each. A word near itself must not
    count its own position: windows from 1, the last position on its own where one window cannot end there."""
    reach = distance + 1
    if a == b:
        half = (reach - 1) // 2
        windows = [(half + 1, half)] + ([(reach, 0)] if reach % 2 == 0 else [])
    elif ordered:
        windows = [((reach + 1) // 2, reach // 2)]
    else:
        windows = [(0, reach)]

    def make(s, f):
        phrases = [Query.phrase_query(s, f, [(0, a), (k, b)], slop) for k, slop in windows]
        return phrases[0] if len(phrases) == 1 else Query.boolean_query([(Occur.Should, q) for q in phrases])

    return _fields_query(schema, make, exact=exact, fields=fields)


@dataclass
class CompiledTerm:
    query: Query | None
    stems: set[str]
    headline: list[str]  # stems a headline must hold for this term to count as «in the headline»
    forms: list[str]  # surface forms, for the exact-spelling boost
    marks: Marks = NOTHING  # what highlighting marks: what this term matched


def _fields(field_name: str | None) -> tuple[str, ...]:
    return (field_name,) if field_name else TEXT_FIELDS


def compile_term(schema, term: Term, *, loose: bool = False) -> CompiledTerm:
    tokens = analysis.tokenize(term.text)
    words: list[tuple[int, str]] = []
    stems: set[str] = set()
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        if term.prefix and i == last:
            lexeme = prefix_lexeme(token)
            if lexeme:
                words.append((i, lexeme))
            continue
        s = analysis.term(token)
        if s is None:
            continue  # a stop word: it still counts as a position inside a phrase
        stems.add(s)
        words.append((i, token if term.exact else s))
    if not words:
        return CompiledTerm(None, stems, [], [])
    if term.expansions is not None:
        query = _expanded_query(schema, term)
    else:
        query = words_query(
            schema, words, exact=term.exact, prefix=term.prefix, loose=loose, fields=_fields(term.field), slop=term.slop
        )
    single = len(words) == 1 and not term.prefix and not term.exact and term.field in (None, "title")
    forms = [t for t in tokens if not term.prefix and analysis.stem(t)]
    marks = (
        expanded_marks(term, term.expansions)
        if term.expansions is not None
        else _term_marks(term, words, len(tokens), loose=loose)
    )
    return CompiledTerm(query, stems, [words[0][1]] if single else [], forms, marks)


def _expanded_query(schema, term: Term) -> Query:
    """A word* as the words expand_prefixes read for it, in each of its fields (none: nothing matches there)."""
    found = dict(term.expansions)
    return _fields_query(
        schema,
        lambda s, f: Query.term_set_query(s, f, list(found[f])) if found[f] else Query.empty_query(),
        exact=term.exact,
        fields=_fields(term.field),
    )


def _term_marks(term: Term, words: list[tuple[int, str]], length: int, *, loose: bool) -> Marks:
    """What a term highlights, as the index matched it: stems, or written forms for =exact; the stems (forms)
    a prefix begins; a phrase's words only side by side (with slack, two words only near each other)."""
    last = words[-1][1] if term.prefix else None
    whole = {text for _, text in (words[:-1] if term.prefix else words)}
    begins = frozenset({last}) if last else frozenset()
    if term.phrase and len(words) > 1 and not loose and not term.prefix:
        if not term.slop:
            at = dict(words)
            return Marks(sequences=frozenset({Sequence(tuple(at.get(i) for i in range(length)), term.exact)}))
        if len(words) == 2:
            (i, a), (j, b) = words
            return Marks(nearby=frozenset({Nearby(a, b, term.slop + j - i - 1, False, term.exact)}))
    if term.exact:
        return Marks(forms=frozenset(whole), form_prefixes=begins)
    return Marks(stems=frozenset(whole), prefixes=begins)


def expanded_marks(term: Term, expansions) -> Marks:
    """A prefix expanded to the index's words ((field, words) pairs): it marks those words, exactly."""
    words = frozenset(w for _, found in expansions for w in found)
    return Marks(forms=words) if term.exact else Marks(stems=words)


def compile_near(schema, near: Near) -> CompiledTerm:
    """Two words near each other; a stop word (no stem to place) makes it the two words anywhere."""
    exact = near.left.exact and near.right.exact
    a, b = (analysis.tokenize(t.text)[0] for t in (near.left, near.right))
    sa, sb = analysis.term(a), analysis.term(b)
    if sa is None or sb is None:
        return compile_group(schema, Group([Clause([near.left]), Clause([near.right])]))
    stems = {sa, sb}
    left, right = (a, b) if exact else (sa, sb)
    query = near_query(
        schema, left, right, near.distance, ordered=near.ordered, exact=exact, fields=_fields(near.field)
    )
    pair = Nearby(left, right, near.distance, near.ordered, exact)
    return CompiledTerm(query, stems, [], [], Marks(nearby=frozenset({pair})))


def compile_clause(schema, clause: Clause, *, loose: bool = False) -> tuple[Query | None, list[CompiledTerm]]:
    """Any of the clause's alternatives: (the query, or None when none searches anything; each compiled)."""
    compiled = [compile_node(schema, node, loose=loose) for node in clause.alternatives]
    queries = [c.query for c in compiled if c.query is not None]
    if not queries:
        return None, compiled
    return (queries[0] if len(queries) == 1 else Query.boolean_query([(Occur.Should, q) for q in queries])), compiled


def compile_group(schema, group: Group) -> CompiledTerm:
    """A bracketed group: every positive clause, none of the negated ones; only negations search nothing."""
    parts, stems, forms, marks = [], set(), [], NOTHING
    for clause in group.clauses:
        query, compiled = compile_clause(schema, clause)
        if query is None:
            continue
        parts.append((Occur.MustNot if clause.negated else Occur.Must, query))
        if not clause.negated:
            for c in compiled:
                stems |= c.stems
                forms += c.forms
                marks |= c.marks
    if not any(occur == Occur.Must for occur, _ in parts):
        return CompiledTerm(None, stems, [], [])
    return CompiledTerm(Query.boolean_query(parts), stems, [], forms, marks)


def compile_node(schema, node, *, loose: bool = False) -> CompiledTerm:
    if isinstance(node, Group):
        return compile_group(schema, node)
    if isinstance(node, Near):
        return compile_near(schema, node)
    return compile_term(schema, node, loose=loose)


@dataclass
class CompiledQuery:
    clauses: list[Query]  # one per positive clause, in order
    clause_texts: list[str]
    phrase_clauses: list[bool]
    negatives: list[Query]
    stems: Marks  # what highlighting marks (the name kept from when it was a set of stems)
    headline: list[str]
    forms: list[str]


def compile_query(schema, parsed: ParsedQuery, *, loosen: bool = False) -> CompiledQuery:
    out = CompiledQuery([], [], [], [], NOTHING, [], [])
    marks = NOTHING
    for clause in parsed.clauses:
        query, compiled = compile_clause(schema, clause, loose=loosen and not clause.negated)
        if query is None:
            continue
        if clause.negated:
            out.negatives.append(query)
            continue
        out.clauses.append(query)
        out.clause_texts.append(clause_text(clause))
        out.phrase_clauses.append(any(isinstance(t, Term) and t.phrase for t in clause.alternatives))
        for c in compiled:
            marks |= c.marks
            out.forms += c.forms
        if len(compiled) == 1:
            out.headline += compiled[0].headline
    out.stems = marks
    return out


# --- filters -------------------------------------------------------------------------------------------------


@dataclass
class Filters:
    """The non-query filters, resolved to the index's values (ids, seconds since 1970)."""

    source_id: int | None = None
    tag_id: int | None = None
    year: int | None = None  # 0: undated only
    since: int | None = None  # inclusive
    until: int | None = None  # exclusive
    published_before: int | None = None  # embargo: nothing dated after this
    after_id: int | None = None  # only articles with a larger id: added to the archive later (exclusive)
    through_id: int | None = None  # ... and up to this id (inclusive)
    impossible: bool = False  # a source or topic that does not exist: nothing matches
    # From the query (source: topic: …): any of these sources, each set a topic (any of its ids), none of these.
    source_ids: list[int] | None = None
    topic_sets: list[list[int]] = field(default_factory=list)
    not_source_ids: list[int] = field(default_factory=list)
    not_topic_ids: list[int] = field(default_factory=list)

    def queries(self, schema) -> list[tuple[Occur, Query]]:
        parts: list[tuple[Occur, Query]] = []

        def must(q):
            parts.append((Occur.Must, Query.const_score_query(q, 0.0)))

        if self.impossible:
            must(Query.empty_query())
        if self.source_id is not None:
            must(Query.term_query(schema, "source", self.source_id))
        if self.tag_id is not None:
            must(Query.term_query(schema, "topics", self.tag_id))
        if self.source_ids is not None:
            must(Query.term_set_query(schema, "source", self.source_ids))
        for ids in self.topic_sets:
            must(Query.term_set_query(schema, "topics", ids))
        for name, ids in (("source", self.not_source_ids), ("topics", self.not_topic_ids)):
            if ids:
                parts.append((Occur.MustNot, Query.term_set_query(schema, name, ids)))
        if self.year is not None:
            must(Query.term_query(schema, "year", self.year))
        if self.since is not None or self.until is not None:
            must(
                Query.range_query(
                    schema, "ts", tantivy.FieldType.Integer, self.since, None if self.until is None else self.until - 1
                )
            )
        if self.after_id is not None or self.through_id is not None:
            must(
                Query.range_query(
                    schema,
                    "id",
                    tantivy.FieldType.Unsigned,
                    None if self.after_id is None else self.after_id + 1,
                    self.through_id,
                )
            )
        if self.published_before is not None:
            parts.append(
                (
                    Occur.MustNot,
                    Query.range_query(schema, "ts", tantivy.FieldType.Integer, self.published_before + 1, None),
                )
            )
        return parts


# --- planning --------------------------------------------------------------------------------------------------


@dataclass
class Plan:
    """What a query turned into, for the page to explain itself."""

    query: str
    match: Query | None = None  # every result satisfies it (filters apart)
    ranking: list[tuple[Occur, Query]] = field(default_factory=list)  # optional clauses that only add score
    stems: Marks = NOTHING  # what highlighting marks
    dropped: list[str] = field(default_factory=list)  # words no article contains, left out of the AND
    partial: bool = False  # no article has every word: showing those with some, best first
    truncated: bool = False
    unchecked: bool = False  # planned hopeful: every word taken as found; plan again if nothing matches

    @property
    def searchable(self) -> bool:
        return self.match is not None


def now_seconds() -> int:
    return int(time.time())


def _count(searcher: tantivy.Searcher, query: Query) -> int:
    return searcher.search(query, 1, count=True).count


def all_of(queries: list[Query], negatives: list[Query]) -> Query:
    """Every one of `queries` and none of `negatives`: how a search matches first."""
    return Query.boolean_query([(Occur.Must, q) for q in queries] + [(Occur.MustNot, q) for q in negatives])


def _any_of(queries: list[Query], negatives: list[Query]) -> Query:
    return Query.boolean_query([(Occur.Should, q) for q in queries] + [(Occur.MustNot, q) for q in negatives])


def expand_prefixes(searcher: tantivy.Searcher, parsed: ParsedQuery) -> None:
    """Each one-word word* of `parsed` given the commonest MAX_EXPANSIONS indexed words it begins, in each field
    it searches; where it begins more, the query is `truncated` and a note says so."""
    cut: list[str] = []
    parsed.clauses = [_expanded_clause(searcher, c, cut) for c in parsed.clauses]
    if cut:
        parsed.truncated = True
        parsed.notes.extend(
            f"«{text}*» تبدأ بها كلمات كثيرة: بحثنا عن أشيع {MAX_EXPANSIONS} منها." for text in dict.fromkeys(cut)
        )


def _expanded_clause(searcher, clause: Clause, cut: list[str]) -> Clause:
    return Clause([_expanded(searcher, node, cut) for node in clause.alternatives], clause.negated)


def _expanded(searcher, node, cut: list[str]):
    if isinstance(node, Group):
        return Group([_expanded_clause(searcher, c, cut) for c in node.clauses])
    if not isinstance(node, Term) or not node.prefix or node.expansions is not None:
        return node
    tokens = analysis.tokenize(node.text)
    lexeme = prefix_lexeme(tokens[0]) if len(tokens) == 1 else None
    if not lexeme:
        return node  # a phrase ending in a prefix: tantivy's phrase-prefix query caps its own expansions
    per_field = []
    for name in _fields(node.field):
        name = name + EXACT_SUFFIX if node.exact else name
        found = searcher.terms_with_prefix(name, lexeme, limit=MAX_EXPANSIONS + 1)
        if len(found) > MAX_EXPANSIONS:
            cut.append(node.text)
        per_field.append((name, tuple(t for t, _ in found[:MAX_EXPANSIONS])))
    return replace(node, expansions=tuple(per_field))


def plan(
    searcher: tantivy.Searcher, schema, q: str, parsed: ParsedQuery | None = None, *, hopeful: bool = False
) -> Plan:
    """Compile `q` (`parsed`: the caller's parse of it); when no article has every word, drop the words none has,
    loosen phrases none has, and as a last resort show articles with some of the words (probes over the whole
    archive: exact counts, cheap here).

    `hopeful`: take every word as found, unchecked (`Plan.unchecked`), for a caller that counts the matches
    anyway and plans again, checking, when it finds none: most queries find something, and the check is a pass
    over the matches (over two words' positions, for a phrase)."""
    parsed = parsed if parsed is not None else parse(q)
    expand_prefixes(searcher, parsed)
    compiled = compile_query(schema, parsed)
    result = Plan(q, stems=compiled.stems, truncated=parsed.truncated)
    if not compiled.clauses:
        return result
    result.ranking = _ranking(schema, compiled)
    match = all_of(compiled.clauses, compiled.negatives)
    single = len(compiled.clauses) < 2 and not any(compiled.phrase_clauses)
    if single or hopeful or _count(searcher, match):
        result.match, result.unchecked = match, not single and hopeful
        return result
    found = [_count(searcher, c) > 0 for c in compiled.clauses]
    if any(p and not ok for p, ok in zip(compiled.phrase_clauses, found)):
        # A phrase no article has (words half-remembered in another order): its words, in any order.
        loose = compile_query(schema, parsed, loosen=True)
        loose_match = all_of(loose.clauses, loose.negatives)
        if _count(searcher, loose_match):
            result.match = loose_match
            return result
        compiled = loose
        found = [_count(searcher, c) > 0 for c in compiled.clauses]
    kept = [c for c, ok in zip(compiled.clauses, found) if ok]
    result.dropped = [t for t, ok in zip(compiled.clause_texts, found) if not ok]
    if not kept:
        return result
    result.match = all_of(kept, compiled.negatives)
    if len(kept) > 1 and not _count(searcher, result.match):
        result.match, result.partial = _any_of(kept, compiled.negatives), True
    return result


def _ranking(schema, compiled: CompiledQuery) -> list[tuple[Occur, Query]]:
    parts: list[tuple[Occur, Query]] = []
    if compiled.headline:
        headline = Query.boolean_query([(Occur.Must, Query.term_query(schema, "title", s)) for s in compiled.headline])
        parts.append((Occur.Should, Query.const_score_query(headline, HEADLINE_BONUS)))
    words = list(dict.fromkeys(compiled.headline))[:MAX_NEAR_WORDS]
    for i, a in enumerate(words):
        for b in words[i + 1 :]:
            near = Query.term_query(schema, NEAR_FIELD, near_pair(a, b))
            parts.append((Occur.Should, Query.boost_query(near, NEAR_BOOST)))
    for form in dict.fromkeys(compiled.forms):
        exact = _fields_query(schema, lambda s, f, form=form: Query.term_query(s, f, form), exact=True)
        parts.append((Occur.Should, Query.boost_query(exact, EXACT_BOOST)))
    return parts


# --- executing -------------------------------------------------------------------------------------------------


def filtered(schema, match: Query | None, filters: Filters) -> Query:
    """`match` (or every article, when browsing) within the filters."""
    parts = filters.queries(schema)
    if match is None:
        parts.insert(0, (Occur.Must, Query.all_query()))
    else:
        parts.insert(0, (Occur.Must, match))
    return Query.boolean_query(parts)


def ranked(query: Query, ranking: list[tuple[Occur, Query]]) -> Query:
    return Query.boolean_query([(Occur.Must, query), *ranking]) if ranking else query


def page_ids(searcher: tantivy.Searcher, query: Query, sort: str, offset: int, limit: int) -> list[int]:
    """Ids of the results offset..offset+limit-1, in order."""
    addresses = _page(searcher, query, sort, offset, limit)
    return searcher.fast_field_values("id", addresses) if addresses else []


def _page(searcher: tantivy.Searcher, query: Query, sort: str, offset: int, limit: int) -> list:
    """The addresses of the results offset..offset+limit-1, in order."""
    if limit <= 0:
        return []
    if sort in ("newest", "oldest"):
        hits = searcher.search(
            query, limit, count=False, order_by_field=sort, offset=offset, order=tantivy.Order.Desc
        ).hits
        return [a for _, a in hits]
    hits = searcher.search(query, limit, count=False, offset=offset).hits
    if not hits:
        return []
    addresses = [a for _, a in hits]
    newest = searcher.fast_field_values("newest", addresses)
    order = sorted(range(len(hits)), key=lambda i: (-hits[i][0], -newest[i]))  # equal scores: newer first
    return [addresses[i] for i in order]


# --- stories ---------------------------------------------------------------------------------------------------

FIRST_READ = 50  # results read at first when collapsing copies: a page of 20 stories, and its copies


def collapsed(searcher: tantivy.Searcher, query: Query, sort: str, wanted: int) -> Iterator[tuple[int, int | None]]:
    """(id, story or None) of each result in order, a story standing once, where its best-placed match stands.
    Reads the results in growing chunks, the first sized for `wanted` stories (a page's end) and their copies."""
    seen: set[int] = set()
    offset, chunk = 0, max(FIRST_READ, wanted * 3 // 2)
    while True:
        addresses = _page(searcher, query, sort, offset, chunk)
        if not addresses:
            return
        ids = searcher.fast_field_values("id", addresses)
        for pk, story in zip(ids, searcher.fast_field_values("story", addresses)):
            if story is None:
                yield pk, None
            elif story not in seen:
                seen.add(story)
                yield pk, story
        if len(addresses) < chunk:
            return
        offset, chunk = offset + chunk, chunk * 2


def earliest_matches(searcher: tantivy.Searcher, schema, query: Query, stories: list[int]) -> dict[int, int]:
    """{story: id of its earliest copy among the matches} for these stories (undated copies last)."""
    only = Query.boolean_query([(Occur.Must, query), (Occur.Must, Query.term_set_query(schema, "story", stories))])
    limit = FIRST_READ * 4
    while True:
        result = searcher.search(only, limit, count=True, order_by_field="oldest", order=tantivy.Order.Desc)
        if result.count <= limit:
            break
        limit = result.count
    addresses = [a for _, a in result.hits]
    out: dict[int, int] = {}
    for pk, story in zip(searcher.fast_field_values("id", addresses), searcher.fast_field_values("story", addresses)):
        out.setdefault(story, pk)
    return out


def count(searcher: tantivy.Searcher, query: Query) -> int:
    return _count(searcher, query)


_BUCKETS = 1_000_000  # every bucket, so every count is exact
_TERMS = {"sources": "source", "topics": "topics", "months": "month"}


@dataclass(frozen=True)
class Summary:
    """Every number a results page shows besides its rows, over every match, read in one pass over the matches
    (a proximity query costs a pass over two words' positions; the page used to pay it once per number)."""

    count: int
    grouped: int  # matches that have copies: only grouped articles carry a story
    stories: int  # the stories those belong to; the stories among all matches are count - grouped + stories
    sources: dict[int, int]
    topics: dict[int, int]
    months: dict[int, int]  # yyyymm: dated matches

    @cached_property
    def years(self) -> dict[int, int]:
        """Matches per year, 0 for the undated: summed from the months, which saves a pass over the matches."""
        out: dict[int, int] = {}
        for key, n in self.months.items():
            out[key // 100] = out.get(key // 100, 0) + n
        if undated := self.count - sum(out.values()):
            out[0] = undated
        return out


def summary(searcher: tantivy.Searcher, query: Query) -> Summary:
    spec = {name: _terms(f) for name, f in (*_TERMS.items(), ("stories", "story"))}
    spec["count"] = {"value_count": {"field": "id"}}  # every article has an id
    spec["grouped"] = {"value_count": {"field": "story"}}  # only grouped articles have a story
    result = searcher.aggregate(query, spec)
    buckets = {name: {int(b["key"]): b["doc_count"] for b in result[name]["buckets"]} for name in _TERMS}
    # A story's bucket is only counted: at 1M a common word's matches hold tens of thousands of stories.
    stories = len(result["stories"]["buckets"])
    return Summary(int(result["count"]["value"]), int(result["grouped"]["value"]), stories, **buckets)


def _terms(field_name: str) -> dict:
    return {"terms": {"field": field_name, "size": _BUCKETS, "segment_size": _BUCKETS}}


def month_starts(months: dict[int, int]) -> dict[dt.date, int]:
    """{yyyymm: count} as {first day of the month: count}, for the timeline."""
    return {dt.date(key // 100, key % 100, 1): n for key, n in months.items()}


def day_buckets(searcher: tantivy.Searcher, query: Query) -> dict[dt.date, int]:
    """Dated matches per day (the archive's time zone), as {day: count}: the timeline of a short period."""
    spec = {"b": _terms("day")}
    out = {}
    for bucket in searcher.aggregate(query, spec)["b"]["buckets"]:
        key = int(bucket["key"])
        out[dt.date(key // 10_000, key // 100 % 100, key % 100)] = bucket["doc_count"]
    return out
