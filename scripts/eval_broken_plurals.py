"""How well the analyzer conflates broken plurals: coverage on dictionary pairs found in the corpus, and precision
and recall on our labelled pairs.

    pip install --target /tmp/arramooz arramooz-pysqlite   # GPL data: read here, never copied into the repo
    .venv/bin/python scripts/eval_broken_plurals.py --arramooz /tmp/arramooz/arramooz/data/arabicdictionary.sqlite

Coverage pairs: every singular/broken-plural pair of arramooz's noun dictionary (an independent lexicon, not ours)
where both forms occur in at least 20 articles of the shared corpus (ANT v1.1 + SaudiNewsNet), the plural is not a
stop word, not a verb in arramooz, and not itself a singular noun there. A pair is covered when both forms get the
same index term; weighted coverage weighs each pair by the plural's documents.

Labelled pairs (tests/search/data/broken_plurals_labelled.tsv): sampled from what scripts/build_broken_plurals.py
accepted and rejected, each judged right or wrong by reading the words. Precision is the share of conflated pairs
that are right; recall the share of right pairs that are conflated. Both are given for the analyzer and for the
generated list alone (no hand list): the hand list corrects mistakes found while labelling, so only the second is
an independent figure.
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


def dictionary_pairs(path: str) -> set[tuple[str, str]]:
    db = sqlite3.connect(path)
    verbs = {analysis.normalize(v) for (v,) in db.execute("SELECT unvocalized FROM verbs")}
    singulars = {analysis.normalize(w) for (w,) in db.execute("SELECT unvocalized FROM nouns WHERE number='مفرد'")}
    pairs = set()
    for singular, plurals in db.execute("SELECT unvocalized, broken_plural FROM nouns WHERE broken_plural != ''"):
        for plural in plurals.split(";"):
            p, s = analysis.normalize(plural.strip()), analysis.normalize(singular)
            if p and p != s and p not in verbs and p not in singulars and not analysis.is_stop_word(p):
                pairs.add((s, p))
    return pairs


def coverage(pairs: set[tuple[str, str]], corpus: Path) -> None:
    docs: collections.Counter[str] = collections.Counter()
    for text in corpus_texts(corpus):
        docs.update(set(analysis.tokenize(text)))
    kept = [(s, p) for s, p in pairs if docs[s] >= MIN_DOCS and docs[p] >= MIN_DOCS]
    hits = [(s, p) for s, p in kept if conflated(p, s)]
    weighted = sum(docs[p] for _, p in hits) / sum(docs[p] for _, p in kept)
    print(
        f"coverage on {len(kept)} arramooz pairs attested in >= {MIN_DOCS} corpus articles: "
        f"{len(hits) / len(kept):.3f}, weighted by the plural's articles {weighted:.3f}"
    )
    misses = sorted((p for s, p in kept if (s, p) not in set(hits)), key=lambda p: -docs[p])
    print("frequent misses:", " ".join(misses[:30]))


def labelled() -> None:
    rows = [
        line.rstrip("\n").split("\t")
        for line in LABELLED.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    judged = [(p, s, label == "right") for p, s, label, *_ in rows]
    right = [(p, s) for p, s, ok in judged if ok]
    for name, words in (("analyzer", None), ("mechanism alone (no hand list)", generated_only())):
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
        coverage(dictionary_pairs(args.arramooz), Path(args.corpus))


if __name__ == "__main__":
    main()
