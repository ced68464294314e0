"""The search box's query language, parsed into clauses (articles.search.engine compiles them to index queries).

Google-style syntax journalists already know:
    words            all must match (ranked)
    "exact phrase"   adjacent words, in order
    a OR b           either (also «أو» between quoted phrases is just a word, so only OR / | are operators)
    -word, -"a b"    exclude
    word*            prefix
    =word            this spelling only (no stemming)

Any string whatsoever parses: unbalanced quotes close at the end, stray operators are ignored, and what comes
out is plain words in clauses, never syntax for an engine to choke on. No Django imports.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import analysis

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
TYPOGRAPHIC_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "″": '"'})


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
    q = (q or "").translate(TYPOGRAPHIC_QUOTES)
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
            if not analysis.tokenize(word):
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


# --- prefixes --------------------------------------------------------------------------------------------------


def prefix_lexeme(token: str) -> str | None:
    """The stem-space prefix for `token*`: clitics come off (التكنولوج* finds تكنولوجيا), nothing else."""
    for chain in ("وال", "بال", "فال", "كال", "لل", "ال"):
        if token.startswith(chain) and len(token) - len(chain) >= 2:
            return token[len(chain):]
    return token or None
