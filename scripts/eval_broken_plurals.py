"""How well the analyzer conflates broken plurals: coverage on dictionary pairs found in the corpus, and precision
and recall on our labelled pairs.

    pip install --target /tmp/arramooz arramooz-pysqlite   # GPL data: read here, never copied into the repo
    .venv/bin/python scripts/eval_broken_plurals.py --arramooz /tmp/arramooz/arramooz/data/arabicdictionary.sqlite

Coverage pairs: every singular/broken-plural pair of arramooz's noun dictionary (an independent lexicon, not ours)
where both forms occur in at least 20 articles of the shared corpus (ANT v1.1 + SaudiNewsNet), the plural is not a
stop word, not a verb in arramooz, and not itself a singular noun there. A pair is covered when both forms get the
same index term; weighted coverage weighs each pair by the plural's documents. That is the first of four figures;
each next one adds one rule to it, general and stated here, so that what changed the number stays visible:
- the plural is not in arramooz's own stop-word list either (stopwords.sqlite, which lists clitic forms: حوالي,
  وحول);
- the plural's spelling has no commoner reading as clitics around another arramooz word (in twice its documents):
  السنه is mostly ال + سنة (not ألسنة), بدور ب + دور, اهله أهل + ه (Dictionary.other_reading);
- per plural: each plural counts once, covered when it shares a term with any of its dictionary singulars (a plural
  has one index term; علماء is listed under عالم, عليم and أعلم, and per pair it could never score more than 1/3).

Labelled pairs (tests/search/data/broken_plurals_labelled.tsv): sampled from what scripts/build_broken_plurals.py
accepted and rejected, each judged right or wrong by reading the words. Precision is the share of conflated pairs
that are right; recall the share of right pairs that are conflated. Both are given for the analyzer and for the
generated list alone (no hand list): the hand list corrects mistakes found while labelling, so only the second is
an independent figure, and within it each batch labelled after the rules it measures (a "# batch: NAME" line in the
file) is reported on its own: the earlier batches' mistakes shaped the rules.
"""

from __future__ import annotations

import argparse
import collections
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from build_broken_plurals import corpus_texts  # noqa: E402

from articles.search import analysis  # noqa: E402

LABELLED = ROOT / "tests" / "search" / "data" / "broken_plurals_labelled.tsv"
MIN_DOCS = 20


def conflated(plural: str, singular: str, words: analysis.Lexicon | None = None) -> bool:
    """Whether both forms get one index term: from the analyzer as it is, or with the lexicon `words`."""
    if words is None:
        p, s = analysis.stem(analysis.normalize(plural)), analysis.stem(analysis.normalize(singular))
    else:
        p, s = (analysis.stem_with(analysis.normalize(w), words) for w in (plural, singular))
    return p is not None and p == s


def generated_only() -> analysis.Lexicon:
    """The analyzer's lexicon without the hand list: the mechanism's own figures (the hand list corrects the
    mistakes found while labelling, so the analyzer's precision on the labelled set is not independent)."""
    words = analysis.Lexicon()
    words.map_broken_plurals(hand_list=False)
    return words


class Dictionary:
    """What the coverage measure reads of arramooz: its broken-plural pairs (normalized, one per singular and
    plural), its verbs and singular nouns, and its stop words with their clitics (stopwords.sqlite: وحول, حوالي)."""

    def __init__(self, path: str) -> None:
        db = sqlite3.connect(path)
        self.verbs = {analysis.normalize(v) for (v,) in db.execute("SELECT unvocalized FROM verbs")}
        self.singulars = {
            analysis.normalize(w) for (w,) in db.execute("SELECT unvocalized FROM nouns WHERE number='مفرد'")
        }
        stop_path = Path(path).with_name("stopwords.sqlite")
        self.stop_words = set()
        if stop_path.exists():
            stops = sqlite3.connect(stop_path)
            self.stop_words = {analysis.normalize(w) for (w,) in stops.execute("SELECT unvocalized FROM stopwords")}
        self.pairs = set()
        ours = analysis.lexicon().stop_words
        for singular, plurals in db.execute("SELECT unvocalized, broken_plural FROM nouns WHERE broken_plural != ''"):
            for plural in plurals.split(";"):
                p, s = analysis.normalize(plural.strip()), analysis.normalize(singular)
                if p and p != s and p not in self.verbs and p not in self.singulars and p not in ours:
                    self.pairs.add((s, p))

    def other_reading(self, plural: str, docs: collections.Counter) -> str:
        """The plural's spelling read as clitics around another word of the dictionary that the corpus has in at
        least twice as many documents ("" if none): السنه is ال + سنة far more often than ألسنة, بدور is ب + دور,
        اهله is أهل + ه. The issue's filter drops a plural that is itself another word's singular; in running text
        these are too, written with a clitic."""
        for clitic in _NOUN_PROCLITICS + _ANY_PROCLITICS:
            rest = plural[len(clitic) :]
            if not plural.startswith(clitic) or len(rest) < 2 or docs[rest] < 2 * docs[plural]:
                continue
            if rest in self.singulars or (clitic in _ANY_PROCLITICS and rest in self.verbs):
                return f"{clitic}+{rest}"
            if len(clitic) == 1 and rest in self.stop_words:
                return f"{clitic}+{rest}"
        for pronoun in ("ه", "ها", "هم"):
            rest = plural[: -len(pronoun)]
            if plural.endswith(pronoun) and len(rest) >= 2 and docs[rest] >= 2 * docs[plural]:
                if rest in self.singulars or rest in self.verbs:
                    return f"{rest}+{pronoun}"
        return ""


_NOUN_PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "ب", "ل", "ك")  # before a noun only
_ANY_PROCLITICS = ("و", "ف")  # before a noun or a verb


def weighted(pairs: list[tuple[str, str]], docs: collections.Counter, per_plural: bool) -> tuple[int, float, float]:
    """(pairs or plurals counted, coverage, coverage weighted by the plural's documents). Per plural, each plural
    counts once and is covered when it shares a term with any of its dictionary singulars: a plural has one index
    term, so a plural listed under two singulars (علماء: عالم, عليم, أعلم) cannot share it with both."""
    if per_plural:
        singulars = collections.defaultdict(list)
        for s, p in pairs:
            singulars[p].append(s)
        hits = [p for p, ss in singulars.items() if any(conflated(p, s) for s in ss)]
        plurals = list(singulars)
    else:
        hits = [p for s, p in pairs if conflated(p, s)]
        plurals = [p for _, p in pairs]
    return len(plurals), len(hits) / len(plurals), sum(docs[p] for p in hits) / sum(docs[p] for p in plurals)


def coverage(words: Dictionary, corpus: Path) -> None:
    docs: collections.Counter[str] = collections.Counter()
    for text in corpus_texts(corpus):
        docs.update(set(analysis.tokenize(text)))
    kept = sorted((s, p) for s, p in words.pairs if docs[s] >= MIN_DOCS and docs[p] >= MIN_DOCS)
    no_stop = [(s, p) for s, p in kept if p not in words.stop_words]
    readings = {p: words.other_reading(p, docs) for _, p in no_stop}
    clean = [(s, p) for s, p in no_stop if not readings[p]]
    print(f"coverage on arramooz pairs attested in >= {MIN_DOCS} corpus articles (n, coverage, weighted):")
    for name, pairs, per_plural in (
        ("the issue's filter, per pair (version 8's measure)", kept, False),
        ("  + not a stop word of arramooz's own list", no_stop, False),
        ("  + no commoner reading as clitic + another word", clean, False),
        ("  the same, per plural", clean, True),
    ):
        n, share, weight = weighted(pairs, docs, per_plural)
        print(f"  {name}: {n}, {share:.3f}, {weight:.3f}")
    print("  dropped as stop words:", " ".join(sorted({p for s, p in kept if p in words.stop_words})))
    print("  dropped for another reading:", " ".join(f"{p}={r}" for p, r in sorted(readings.items()) if r))
    covered = {p for s, p in clean if conflated(p, s)}
    misses = sorted({p for _, p in clean} - covered, key=lambda p: -docs[p])
    print("  frequent misses (last measure):", " ".join(misses[:40]))


def labelled_rows() -> list[tuple[str, str, bool, str]]:
    """(plural, singular, right, batch): a line "# batch: NAME" starts a batch; the lines before the first are
    the batches labelled up to analyzer version 8 ("1-3")."""
    rows, batch = [], "1-3"
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.startswith("# batch:"):
            batch = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#"):
            plural, singular, label, *_ = line.split("\t")
            rows.append((plural, singular, label == "right", batch))
    return rows


def labelled() -> None:
    rows = labelled_rows()
    for name, words in (("analyzer", None), ("mechanism alone (no hand list)", generated_only())):
        report(name, [(p, s, ok) for p, s, ok, _ in rows], words)
        if words is not None:
            # A later batch was labelled blind after the rules it measures were written: its own figure is the
            # out-of-sample one (the earlier batches' mistakes shaped the rules).
            for batch in sorted({b for *_, b in rows} - {"1-3"}):
                report(f"{name}, batch {batch} only", [(p, s, ok) for p, s, ok, b in rows if b == batch], words)


def report(name: str, judged: list[tuple[str, str, bool]], words: analysis.Lexicon | None) -> None:
    right = [(p, s) for p, s, ok in judged if ok]
    merged = [(p, s, ok) for p, s, ok in judged if conflated(p, s, words)]
    precision = sum(ok for *_, ok in merged) / max(1, len(merged))
    recall = sum(conflated(p, s, words) for p, s in right) / max(1, len(right))
    print(
        f"labelled, {name}: {len(judged)} pairs ({len(right)} right): precision {precision:.3f} on "
        f"{len(merged)} conflated, recall {recall:.3f}"
    )
    print("  conflated but wrong:", " ".join(f"{p}>{s}" for p, s, ok in merged if not ok))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arramooz", help="arramooz-pysqlite's data/arabicdictionary.sqlite")
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    args = parser.parse_args()
    if LABELLED.exists():
        labelled()
    if args.arramooz:
        coverage(Dictionary(args.arramooz), Path(args.corpus))


if __name__ == "__main__":
    main()
