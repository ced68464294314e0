"""The search box's query language, parsed into clauses (articles.search.engine compiles them to index queries).

Google-style syntax journalists already know, and the operators of professional archives (Factiva, ProQuest):
    words            all must match (ranked); «و» / AND between words changes nothing
    "exact phrase"   adjacent words, in order; "a b"~3 lets up to 3 other words in (as Lucene's slop)
    a OR b           either: OR, | or «أو» between terms
    -word, -"a b"    exclude; also NOT word, and «ليس» word in a query that uses operators (see _OPERATOR_KINDS)
    ( … )            grouping: (اقتصاد أو مالية) -كرة
    word*            prefix
    =word            this spelling only (no stemming)
    a NEAR/5 b       within 5 words (at most 5 words between them), either order; «قرب/5»
    a PRE/5 b        the same, a first; «قبل/5»
    title: lead: body:          a word, a phrase or a group in one field (عنوان: مقدمة: نص:)
    source: topic:              a source or topic by name, slug or old alias (مصدر: موضوع:), resolved by the service
    after: before: year:        dates (بعد: قبل: سنة:), and «آخر أسبوع» / «آخر شهر» / «آخر سنة»

Source, topic and dates restrict the whole search wherever they stand (they are filters, not words): a repeated
source means any of them, a repeated topic every one of them.

Any string whatsoever parses: unbalanced quotes and brackets close at the end, stray operators are ignored, an
unknown field is a word, NEAR/abc is NEAR/5, and what comes out is plain words in clauses, never syntax for an
engine to choke on. Whatever was read otherwise than it is written is said in `notes` (the page shows them with
`describe`, «فُهم بحثك هكذا»). No Django imports.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from ..arabic_numbers import WORD, Noun
from . import analysis

_ALTERNATIVE = Noun("بديل", "بديلان", "بديلين", "بدائل", "بديلا")

MAX_QUERY_CHARS = 500
# Control characters (and the two non-characters) that no query means and XML 1.0 cannot carry: the search form
# blanks them out of a query, and the feeds drop them from text that came from outside (typed, pasted, imported).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
MAX_CLAUSES = 32
# Words searched in all, however grouped: each OR alternative and each word of a phrase counts. 500 characters can
# hold 250 one-letter words OR'ed in one clause, or one 250-word phrase; past this the rest is cut (`truncated`).
MAX_TERMS = 32
MAX_DEPTH = 8  # brackets nested deeper are ignored (no one writes them; a fuzzer does)
# What a query may cost, whatever it says: a word* reads every indexed word it begins (engine.MAX_EXPANSIONS of
# them at most), and each OR alternative is one more list of articles to merge. Past these, the rest is cut
# (`truncated`), and a note says what was left out (docs/architecture.md, "Why the code is this way").
MAX_PREFIXES = 3
MIN_PREFIX_LETTERS = 2  # before the *, clitics apart: a one-letter prefix begins a fifth of the vocabulary
MAX_OR_BRANCHES = 12  # alternatives beyond a clause's first, over the whole query
DEFAULT_DISTANCE = 5
MAX_DISTANCE = 50

_LEXER = re.compile(
    r"""
    (?P<open>[-\u2212]?\()
    | (?P<close>\))
    | (?P<neg>[-\u2212])?(?P<eq>=)?(?:(?P<pfield>[^\s"():|=\-\u2212][^\s"():|]*):)?"(?P<phrase>[^"]*)"?
      (?:~(?P<slop>[^\s"()|]+))?                      # "phrase"~3 (unclosed runs to the end)
    | (?P<or>\bOR\b|\|)
    | (?P<word>[^\s"|()]+)
    """,
    re.X,
)
# Typographic double quotes open phrases too; Arabic guillemets « » do not: headlines use them for names and
# quotations, and a pasted headline must not turn into a phrase search.
TYPOGRAPHIC_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "″": '"'})
_NEAR = re.compile(r"^(NEAR|PRE|near|pre|قرب|قبل)(?:/(.*))?$")
# Field names, as typed or normalized (مقدمة and مقدمه alike).
TEXT_FIELD_NAMES = {"title": "title", "عنوان": "title", "lead": "lead", "مقدمة": "lead", "body": "body", "نص": "body"}
META_FIELD_NAMES = {
    "source": "source",
    "مصدر": "source",
    "topic": "topic",
    "موضوع": "topic",
    "after": "after",
    "بعد": "after",
    "before": "before",
    "قبل": "before",
    "year": "year",
    "سنة": "year",
    "عام": "year",
}
RECENT = {"اسبوع": "week", "شهر": "month", "سنه": "year", "عام": "year"}  # after «آخر», normalized
_DATE = re.compile(r"^(\d{4})(?:[-/](\d{1,2}))?(?:[-/](\d{1,2}))?$")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
# Explicit syntax: a query with any of these (the Arabic «و» «أو» «ليس» apart) is written with operators, and
# «ليس» in it is NOT. A plain run of words is most often a pasted sentence (الاقتصاد ليس بخير), where «ليس» is a
# word: reading it as NOT would exclude the very article the journalist is looking for.
_OPERATOR_KINDS = {"open", "close", "phrase", "or", "and", "not", "near", "field"}


@dataclass(frozen=True)
class Term:
    text: str  # as typed (for messages)
    phrase: bool = False
    prefix: bool = False
    exact: bool = False
    field: str | None = None  # title, lead or body; None: any of them
    slop: int = 0  # a phrase's slack: other words allowed among its words
    # A word*'s indexed words, per index field ((field, words), …), once the engine has looked them up (capped).
    expansions: tuple[tuple[str, tuple[str, ...]], ...] | None = None


@dataclass(frozen=True)
class Near:
    """Two words within `distance` words of each other (at most that many words between them); `ordered`: left
    first."""

    left: Term
    right: Term
    distance: int
    ordered: bool

    @property
    def field(self) -> str | None:
        return self.left.field or self.right.field


@dataclass
class Clause:
    alternatives: list  # of Term, Near or Group: any of them
    negated: bool = False


@dataclass
class Group:
    """A bracketed group: its clauses all must match, as the query's own do."""

    clauses: list[Clause]


@dataclass
class QueryFilters:
    """What the query restricts besides words: names (resolved by the service) and days (in the archive's zone)."""

    sources: list[str] = field(default_factory=list)
    not_sources: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    not_topics: list[str] = field(default_factory=list)
    since: dt.date | None = None  # inclusive
    until: dt.date | None = None  # exclusive
    recent: str | None = None  # week, month or year: the last one, up to now

    def __bool__(self) -> bool:
        return bool(
            self.sources
            or self.not_sources
            or self.topics
            or self.not_topics
            or self.since
            or self.until
            or self.recent
        )


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    truncated: bool = False  # the query was longer than we search, and was cut
    filters: QueryFilters = field(default_factory=QueryFilters)
    notes: list[str] = field(default_factory=list)  # what was read otherwise than written, in Arabic

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]

    def terms(self) -> Iterator[Term]:
        """Every term, however deep."""
        yield from _terms(self.clauses)


def _terms(clauses: list[Clause]) -> Iterator[Term]:
    for clause in clauses:
        for node in clause.alternatives:
            if isinstance(node, Group):
                yield from _terms(node.clauses)
            elif isinstance(node, Near):
                yield from (node.left, node.right)
            else:
                yield node


def normal(word: str) -> str:
    """A word as the analyzer normalizes it (أو → او, مقدمة → مقدمه), to recognize operators however spelled."""
    return " ".join(analysis.tokenize(word))


_TEXT_FIELDS = {normal(k): v for k, v in TEXT_FIELD_NAMES.items()}
_META_FIELDS = {normal(k): v for k, v in META_FIELD_NAMES.items()}
_WORD_OPERATORS = {"AND": "and", "NOT": "not", "و": "and", "او": "or", "ليس": "not"}


# --- tokens ----------------------------------------------------------------------------------------------------


@dataclass
class _Token:
    kind: str  # open, close, phrase, or, and, not, near, field, word
    m: re.Match
    text: str = ""  # a word; a field's value
    name: str = ""  # a field's name, as the index or the filters call it
    negated: bool = False
    distance: int = DEFAULT_DISTANCE
    ordered: bool = False


def _tokens(q: str, notes: list[str]) -> list[_Token]:
    tokens = [_token(m, notes) for m in _LEXER.finditer(q)]
    if not any(t.kind in _OPERATOR_KINDS and not _arabic_operator(t) or t.negated for t in tokens):
        for t in tokens:
            if t.kind == "not" and t.text != "NOT":
                t.kind = "word"  # «ليس» in a plain sentence (see _OPERATOR_KINDS)
    return tokens


def _arabic_operator(t: _Token) -> bool:
    return t.kind in ("and", "or", "not") and not t.text.isascii()


def _token(m: re.Match, notes: list[str]) -> _Token:
    if m.group("open"):
        return _Token("open", m, negated=len(m.group("open")) > 1)
    if m.group("close"):
        return _Token("close", m)
    if m.group("or"):
        return _Token("or", m)
    if m.group("phrase") is not None:
        return _Token(
            "phrase", m, text=m.group("phrase").strip(), negated=bool(m.group("neg")), name=m.group("pfield") or ""
        )
    word = m.group("word")
    if word in _WORD_OPERATORS and word.isascii() or normal(word) in _WORD_OPERATORS and not word.isascii():
        return _Token(_WORD_OPERATORS.get(word) or _WORD_OPERATORS[normal(word)], m, text=word)
    if near := _NEAR.match(word):
        if near.group(2) is not None or near.group(1) in ("NEAR", "PRE"):
            return _near_token(m, near, notes)
    negated = word[0] in "-\u2212" and len(word) > 1
    name, colon, value = word[1 if negated else 0 :].partition(":")
    if colon and (normal(name) in _TEXT_FIELDS or normal(name) in _META_FIELDS):
        return _Token("field", m, text=value, name=name, negated=negated)
    if colon and name.isalpha() and value:
        notes.append(f"لا نعرف الحقل «{name}:»، فبحثنا عنه كلمة.")
    return _Token("word", m, text=word, negated=negated)


def _near_token(m: re.Match, near: re.Match, notes: list[str]) -> _Token:
    ordered = near.group(1).lower() in ("pre", "قبل")
    written = near.group(2)
    distance = DEFAULT_DISTANCE
    if written:
        digits = written.translate(_DIGITS)
        if digits.isdigit() and digits.isascii():
            distance = int(digits)
        else:
            notes.append(f"قرأنا «{m.group()}» على أنها {near.group(1)}/{DEFAULT_DISTANCE}.")
    if distance > MAX_DISTANCE:
        notes.append(f"أقصى مسافة {MAX_DISTANCE} كلمة: قرأنا «{m.group()}» على أنها {near.group(1)}/{MAX_DISTANCE}.")
        distance = MAX_DISTANCE
    return _Token("near", m, text=m.group(), distance=distance, ordered=ordered)


# --- parsing ---------------------------------------------------------------------------------------------------


def parse(q: str) -> ParsedQuery:
    q = (q or "").translate(TYPOGRAPHIC_QUOTES)
    truncated = len(q) > MAX_QUERY_CHARS
    parser = _Parser(q[:MAX_QUERY_CHARS])
    clauses = parser.sequence(0)
    if len(clauses) > MAX_CLAUSES:
        clauses, truncated = clauses[:MAX_CLAUSES], True
    return ParsedQuery(clauses, truncated or parser.truncated, parser.filters, list(dict.fromkeys(parser.notes)))


class _Parser:
    """Recursive descent over the tokens; the state of one parse (position, term budget, notes, filters)."""

    def __init__(self, q: str):
        self.notes: list[str] = []
        self.tokens = _tokens(q, self.notes)
        self.pos = 0
        self.budget = MAX_TERMS
        self.prefixes = 0
        self.or_branches = 0
        self.truncated = False
        self.skipped_opens = 0  # brackets past MAX_DEPTH, ignored with their closing ones
        self.filters = QueryFilters()

    def next(self) -> _Token | None:
        if self.pos >= len(self.tokens):
            return None
        self.pos += 1
        return self.tokens[self.pos - 1]

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def sequence(self, depth: int, fld: str | None = None) -> list[Clause]:
        """Clauses up to the closing bracket of this depth (or the end): AND of ORs, as the top level."""
        clauses: list[Clause] = []
        pending_or = pending_not = False
        near: _Token | None = None
        while (tok := self.next()) is not None:
            if tok.kind == "close":
                if self.skipped_opens:
                    self.skipped_opens -= 1
                    continue
                if depth:
                    return clauses
                self.notes.append("تجاهلنا قوس إغلاق لا يقابله قوس فتح.")
                continue
            if tok.kind in ("or", "and", "not", "near"):
                pending_or = tok.kind == "or" and bool(clauses) and not clauses[-1].negated
                pending_not = pending_not or tok.kind == "not"
                near = tok if tok.kind == "near" and clauses and not clauses[-1].negated else None
                continue
            item = self.item(tok, depth, fld)
            if item is not None:
                node, negated = item
                self.add(clauses, node, negated or pending_not, pending_or, near)
            pending_or = pending_not = False
            near = None
        if depth:
            self.notes.append("أغلقنا قوسا فُتح ولم يُغلق.")
        return clauses

    def add(self, clauses: list[Clause], node, negated: bool, pending_or: bool, near: _Token | None) -> None:
        if near is not None and not negated:
            left = clauses[-1].alternatives[-1]
            left = left.right if isinstance(left, Near) else left
            if _near_operand(left) and _near_operand(node):
                pair = Near(left, node, near.distance, near.ordered)
                if isinstance(clauses[-1].alternatives[-1], Near):
                    # a NEAR b NEAR c: both pairs, b searched twice (and counted so).
                    if self.budget > 0:
                        self.budget -= 1
                        clauses.append(Clause([pair]))
                    else:
                        self.truncated = True
                else:
                    clauses[-1].alternatives[-1] = pair
                return
            self.notes.append(f"«{near.text}» تربط كلمتين مفردتين: بحثنا عن الطرفين معا.")
        if pending_or and not negated:
            if self.or_branches >= MAX_OR_BRANCHES:
                self.cut(
                    f"أقصى ما نبحث عنه {_ALTERNATIVE.counted(MAX_OR_BRANCHES)} بـ«أو»: تجاهلنا ما بعدها، فضيّق بحثك."
                )
                return
            self.or_branches += 1
            clauses[-1].alternatives.append(node)
        else:
            clauses.append(Clause([node], negated=negated))

    def item(self, tok: _Token, depth: int, fld: str | None):
        """(node, negated) for one operand, or None when it searches nothing (a filter, a stop word, …)."""
        if tok.kind == "open":
            return self.group(tok, depth, fld)
        if tok.kind == "field":
            return self.field(tok, depth, fld)
        if tok.kind == "phrase":
            if tok.name and normal(tok.name) in _META_FIELDS:
                return self.meta(_META_FIELDS[normal(tok.name)], tok.text, tok.negated, tok.m.group())
            if tok.name and normal(tok.name) in _TEXT_FIELDS:
                fld = _TEXT_FIELDS[normal(tok.name)]
            elif tok.name:
                self.notes.append(f"لا نعرف الحقل «{tok.name}:»، فبحثنا في كل النص.")
            return self.phrase(tok, fld)
        if (
            tok.kind == "word"
            and normal(tok.text) == "اخر"
            and (nxt := self.peek()) is not None
            and nxt.kind == "word"
            and normal(nxt.text) in RECENT
        ):
            self.pos += 1
            self.filters.recent = RECENT[normal(nxt.text)]
            self.notes.append(f"«{tok.text} {nxt.text}»: المقالات المنشورة خلال الفترة الأخيرة، لا كلمات.")
            return None
        return self.word(tok.text, fld)

    def group(self, tok: _Token, depth: int, fld: str | None):
        if depth >= MAX_DEPTH:
            self.skipped_opens += 1
            return None
        clauses = self.sequence(depth + 1, fld)
        if not clauses:
            return None
        if len(clauses) == 1 and len(clauses[0].alternatives) == 1 and not clauses[0].negated:
            return clauses[0].alternatives[0], tok.negated  # (word): just the word
        return Group(clauses), tok.negated

    def field(self, tok: _Token, depth: int, fld: str | None):
        """`title:word`, `title:"…"`, `title:( … )`, `source:name`; an empty value takes the next operand."""
        key = normal(tok.name)
        if key in _META_FIELDS:
            value, written = tok.text, tok.m.group()
            if not value and (nxt := self.peek()) is not None and nxt.kind in ("word", "phrase"):
                self.pos += 1
                value, written = nxt.text, written + " " + nxt.m.group()
            return self.meta(_META_FIELDS[key], value, tok.negated, written) if value else None
        fld = _TEXT_FIELDS[key]
        if tok.text:
            item = self.word(tok.text, fld)
        elif (nxt := self.peek()) is not None and nxt.kind in ("open", "phrase", "word", "field"):
            self.pos += 1
            item = self.item(nxt, depth, fld)
        else:
            return None
        if item is None:
            return None
        return item[0], item[1] or tok.negated

    def phrase(self, tok: _Token, fld: str | None):
        if not tok.text or not analysis.tokenize(tok.text):
            return None
        slop = 0
        if tok.m.group("slop"):
            digits = tok.m.group("slop").translate(_DIGITS)
            slop = int(digits) if digits.isdigit() and digits.isascii() else DEFAULT_DISTANCE
            if not digits.isdigit():
                self.notes.append(f"قرأنا «~{tok.m.group('slop')}» على أنها ~{DEFAULT_DISTANCE}.")
            slop = min(slop, MAX_DISTANCE)
        words = tok.text.split()
        if self.budget <= 0:
            self.truncated = True
            return None
        if len(words) > self.budget:
            words, self.truncated = words[: self.budget], True
        self.budget -= len(words)
        term = Term(" ".join(words), phrase=True, exact=bool(tok.m.group("eq")), field=fld, slop=slop)
        return term, tok.negated

    def word(self, word: str, fld: str | None):
        negated = False
        if word[0] in "-\u2212" and len(word) > 1:
            negated, word = True, word[1:]
        exact = word.startswith("=") and len(word) > 1
        word = word.lstrip("=")
        prefix = word.endswith("*")
        word = word.rstrip("*")
        if not analysis.tokenize(word):
            return None
        if self.budget <= 0:
            self.truncated = True
            return None
        tokens = analysis.tokenize(word)
        if prefix and len(tokens) == 1 and len(prefix_lexeme(tokens[0]) or "") < MIN_PREFIX_LETTERS:
            self.cut(f"«{word}*»: نحتاج حرفين على الأقل قبل النجمة، فبحثنا عن «{word}» كلمة كاملة.")
            prefix = False
        if prefix and self.prefixes >= MAX_PREFIXES:
            self.cut(
                f"نبحث عن {WORD.counted(MAX_PREFIXES)} بالنجمة (*) على الأكثر في البحث الواحد، فتجاهلنا ما زاد عليها."
            )
            return None
        self.budget -= 1
        self.prefixes += prefix
        return Term(word, prefix=prefix, exact=exact, field=fld), negated

    def cut(self, note: str) -> None:
        """Leave something out because of what it would cost, and say so."""
        self.truncated = True
        self.notes.append(note)

    def meta(self, kind: str, value: str, negated: bool, written: str):
        """A source, a topic or a date: a filter of the whole search. A date it cannot read is searched as words."""
        f = self.filters
        if kind in ("source", "topic"):
            names = {
                ("source", False): f.sources,
                ("source", True): f.not_sources,
                ("topic", False): f.topics,
                ("topic", True): f.not_topics,
            }[kind, negated]
            names.append(value.strip())
            return None
        period = date_period(value)
        if period is None or negated:
            self.notes.append(
                f"لم نفهم التاريخ في «{written}» (الصيغة: 2016 أو 2016-03 أو 2016-03-15)، فبحثنا عنه كلمات."
            )
            return self.word(written.replace('"', " "), None)
        start, end = period
        if kind == "after":
            f.since = max(f.since or start, start)
        elif kind == "before":
            f.until = min(f.until or start, start)
        else:
            f.since, f.until = max(f.since or start, start), min(f.until or end, end)
        return None


def _near_operand(node) -> bool:
    return isinstance(node, Term) and not node.phrase and not node.prefix and len(analysis.tokenize(node.text)) == 1


def date_period(value: str) -> tuple[dt.date, dt.date] | None:
    """(first day, the day after the last) of 2016, 2016-03 or 2016-03-15 (Arabic-Indic digits too)."""
    m = _DATE.match(value.strip().translate(_DIGITS))
    if not m:
        return None
    year, month, day = int(m.group(1)), int(m.group(2) or 0), int(m.group(3) or 0)
    try:
        if day:
            start = dt.date(year, month, day)
            return start, start + dt.timedelta(days=1)
        if month:
            start = dt.date(year, month, 1)
            return start, (dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1))
        return dt.date(year, 1, 1), (dt.date(year + 1, 1, 1) if year < 9999 else dt.date.max)
    except ValueError:
        return None


# --- how a query was understood ----------------------------------------------------------------------------------

_FIELD_LABELS = {"title": "عنوان", "lead": "مقدمة", "body": "نص"}
_RECENT_LABELS = {"week": "آخر أسبوع", "month": "آخر شهر", "year": "آخر سنة"}


def describe(parsed: ParsedQuery) -> str:
    """The query as it was understood, in the language's own syntax (Arabic spellings): «فُهم بحثك هكذا: …»."""
    parts = [_describe_clause(c) for c in parsed.clauses]
    f = parsed.filters
    parts += [f"مصدر:{_quoted(n)}" for n in f.sources] + [f"-مصدر:{_quoted(n)}" for n in f.not_sources]
    parts += [f"موضوع:{_quoted(n)}" for n in f.topics] + [f"-موضوع:{_quoted(n)}" for n in f.not_topics]
    if f.since:
        parts.append(f"بعد:{f.since.isoformat()}")
    if f.until:
        parts.append(f"قبل:{f.until.isoformat()}")
    if f.recent:
        parts.append(_RECENT_LABELS[f.recent])
    return " ".join(parts)


def _quoted(name: str) -> str:
    return f'"{name}"' if " " in name else name


def _describe_clause(clause: Clause) -> str:
    text = " أو ".join(_describe_node(n) for n in clause.alternatives)
    if clause.negated:
        return "-" + (text if len(clause.alternatives) == 1 else f"({text})")
    return text


def _describe_node(node) -> str:
    if isinstance(node, Group):
        return "(" + " ".join(_describe_clause(c) for c in node.clauses) + ")"
    if isinstance(node, Near):
        op = "قبل" if node.ordered else "قرب"
        return f"{_describe_node(node.left)} {op}/{node.distance} {_describe_node(node.right)}"
    text = f'"{node.text}"' if node.phrase else node.text
    text = ("=" if node.exact else "") + text + ("*" if node.prefix else "") + (f"~{node.slop}" if node.slop else "")
    return f"{_FIELD_LABELS[node.field]}:{text}" if node.field else text


def clause_text(clause: Clause) -> str:
    """A clause as the page names it («لم نجد أي مقال فيه: …»)."""
    return _describe_clause(clause)


# --- prefixes --------------------------------------------------------------------------------------------------


def prefix_lexeme(token: str) -> str | None:
    """The stem-space prefix for `token*`: clitics come off (التكنولوج* finds تكنولوجيا), nothing else."""
    for chain in ("وال", "بال", "فال", "كال", "لل", "ال"):
        if token.startswith(chain) and len(token) - len(chain) >= 2:
            return token[len(chain) :]
    return token or None
