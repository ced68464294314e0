"""The search box's query language, parsed and compiled to a PostgreSQL tsquery literal.

Google-style syntax journalists already know:
    words            all must match (ranked)
    "exact phrase"   adjacent words, in order
    a OR b           either (also «أو» between quoted phrases is just a word, so only OR / | are operators)
    -word, -"a b"    exclude
    word*            prefix
    =word            this spelling only (no stemming)

Any string whatsoever parses: unbalanced quotes close at the end, stray operators are ignored, and the output
only ever contains quoted lexemes, so PostgreSQL never sees a syntax error. No Django imports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import arabic

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 32
# Words searched in all, however grouped: each OR alternative and each word of a phrase counts. 500 characters can
# hold 250 one-letter words OR'ed in one clause, or one 250-word phrase; past this the rest is cut (`truncated`).
MAX_TERMS = 32

_LEXER = re.compile(
    r"""
    (?P<neg>[-\u2212])?(?P<eq>=)?"(?P<phrase>[^"]*)"?   # "phrase" (unclosed runs to the end)
    | (?P<or>\bOR\b|\|)
    | (?P<word>[^\s"|]+)
    """,
    re.X,
)
# Typographic double quotes open phrases too; Arabic guillemets « » do not: headlines use them for names and
# quotations, and a pasted headline must not turn into a phrase search.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "″": '"'})


@dataclass(frozen=True)
class Term:
    text: str  # as typed (for messages)
    phrase: bool = False
    prefix: bool = False
    exact: bool = False


@dataclass
class Clause:
    alternatives: list[Term]
    negated: bool = False


@dataclass
class ParsedQuery:
    clauses: list[Clause] = field(default_factory=list)
    truncated: bool = False  # the query was longer than we search, and was cut

    @property
    def positive(self) -> list[Clause]:
        return [c for c in self.clauses if not c.negated]


def parse(q: str) -> ParsedQuery:
    q = (q or "").translate(_QUOTES)
    truncated = len(q) > MAX_QUERY_CHARS
    q = q[:MAX_QUERY_CHARS]
    clauses: list[Clause] = []
    pending_or = False
    for m in _LEXER.finditer(q):
        if m.group("or"):
            pending_or = bool(clauses) and not clauses[-1].negated
            continue
        negated = False
        if m.group("phrase") is not None:
            text = m.group("phrase").strip()
            negated = bool(m.group("neg"))
            term = Term(text, phrase=True, exact=bool(m.group("eq")))
            if not text:
                pending_or = False
                continue
        else:
            word = m.group("word")
            if word[0] in "-\u2212" and len(word) > 1:
                negated, word = True, word[1:]
            exact = word.startswith("=") and len(word) > 1
            word = word.lstrip("=")
            prefix = word.endswith("*")
            word = word.rstrip("*")
            if not arabic.tokenize(word):
                pending_or = False
                continue
            term = Term(word, prefix=prefix, exact=exact)
        if pending_or and not negated:
            clauses[-1].alternatives.append(term)
        else:
            clauses.append(Clause([term], negated=negated))
        pending_or = False
    if len(clauses) > MAX_CLAUSES:
        clauses, truncated = clauses[:MAX_CLAUSES], True
    clauses, cut = _cap_terms(clauses)
    return ParsedQuery(clauses, truncated or cut)


def _cap_terms(clauses: list[Clause]) -> tuple[list[Clause], bool]:
    """At most MAX_TERMS words in all the clauses (a phrase is cut to the words that fit)."""
    budget, kept = MAX_TERMS, []
    for clause in clauses:
        alternatives = []
        for term in clause.alternatives:
            if budget <= 0:
                break
            if term.phrase:
                words = term.text.split()
                if len(words) > budget:
                    term = Term(" ".join(words[:budget]), phrase=True, exact=term.exact)
                budget -= min(len(words), budget)
            else:
                budget -= 1
            alternatives.append(term)
        if alternatives:
            kept.append(Clause(alternatives, negated=clause.negated))
        if len(alternatives) < len(clause.alternatives) or budget <= 0 and clause is not clauses[-1]:
            return kept, True
    return kept, False


# --- compiling -------------------------------------------------------------------------------------------------


def _lex(lexeme: str, prefix: bool = False) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")


def prefix_lexeme(token: str) -> str | None:
    """The stem-space prefix for `token*`: clitics come off (التكنولوج* finds تكنولوجيا), nothing else."""
    for chain in ("وال", "بال", "فال", "كال", "لل", "ال"):
        if token.startswith(chain) and len(token) - len(chain) >= 2:
            return token[len(chain):]
    return token or None


def term_query(term: Term, loose: bool = False) -> tuple[str | None, set[str]]:
    """(tsquery fragment or None when nothing in the term is searchable, stems to highlight).

    `loose` turns a phrase into its words, all required in any order: the fallback for a phrase no article has.
    """
    tokens = arabic.tokenize(term.text)
    parts: list[tuple[int, str]] = []  # (position, fragment)
    stems: set[str] = set()
    last = len(tokens) - 1
    for i, token in enumerate(tokens):
        if term.prefix and i == last:
            lexeme = prefix_lexeme(token)
            if lexeme:
                parts.append((i, _lex(lexeme, prefix=True)))
            continue
        s, exact = arabic.terms(token)
        if s is None:
            continue  # a stop word: it still counts as a position inside a phrase
        stems.add(s)
        parts.append((i, _lex(exact or s) if term.exact else _lex(s)))
    if not parts:
        return None, stems
    if len(parts) == 1:
        return parts[0][1], stems
    if loose:
        return "(" + " & ".join(frag for _, frag in parts) + ")", stems
    out = parts[0][1]
    for (prev, _), (pos, frag) in zip(parts, parts[1:]):
        gap = pos - prev
        out += f" <{gap}> " + frag if gap > 1 else " <-> " + frag
    return "(" + out + ")", stems


@dataclass
class Compiled:
    match: str  # tsquery literal every result must satisfy ("" = nothing searchable)
    any_match: str  # the positive clauses OR'ed: the fallback when no article has them all
    clauses: list[str]  # one fragment per positive clause, in order (for dropping unknown words)
    clause_texts: list[str]
    negative: list[str]
    stems: frozenset[str]
    exact_forms: str  # the query's words as typed (normalized), OR'ed: ranks exact spellings above other forms


def compile_query(parsed: ParsedQuery, drop: set[int] = frozenset(), loosen: bool = False) -> Compiled:
    """`drop`: indexes of positive clauses to leave out; `loosen`: phrases become their words in any order."""
    positives, texts, negatives, stems = [], [], [], set()
    for clause in parsed.clauses:
        frags = []
        for term in clause.alternatives:
            frag, term_stems = term_query(term, loose=loosen and not clause.negated)
            if frag:
                frags.append(frag)
                if not clause.negated:
                    stems |= term_stems
        if not frags:
            continue
        frag = frags[0] if len(frags) == 1 else "(" + " | ".join(frags) + ")"
        if clause.negated:
            negatives.append(frag)
        else:
            positives.append(frag)
            texts.append(" ".join(t.text for t in clause.alternatives))
    kept = [f for i, f in enumerate(positives) if i not in drop]
    neg = "".join(f" & !{f}" for f in negatives)
    match = " & ".join(kept) + neg if kept else ""
    any_match = "(" + " | ".join(kept) + ")" + neg if kept else ""
    forms = sorted({
        arabic.EXACT_PREFIX + token
        for clause in parsed.positive for term in clause.alternatives if not term.prefix
        for token in arabic.tokenize(term.text) if arabic.stem(token)
    })
    exact_forms = " | ".join(_lex(f) for f in forms)
    return Compiled(match, any_match, positives, texts, negatives, frozenset(stems), exact_forms)
