"""Story grouping quality (issue 13): pairwise precision and recall of «same story» on a labelled test set.

    .venv/bin/python bench/stories_bench.py                  # the set of bench/stories_testset.py, seed 13
    .venv/bin/python bench/stories_bench.py --sweep          # and the curve over the two thresholds

The set is made of real SaudiNewsNet articles (reprints with realistic edits, and look-alike different stories);
grouping runs as at import: articles in publication order, candidates from shared LSH bands within the window,
each joining the group of the candidate most like it. Precision: of the pairs put in one group, the share that are
one story. Recall: of the pairs that are one story, the share put in one group. Needs ../shared (not Django).
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import itertools
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from articles.stories import fingerprint as fp  # noqa: E402
from bench import stories_testset  # noqa: E402

WINDOW = dt.timedelta(days=7)


def group_items(items, prints) -> dict[str, int]:
    """item key → group number, grouping as the importer does (articles.stories.grouping)."""
    groups: dict[str, int] = {}
    by_band: dict[int, list] = collections.defaultdict(list)
    for item in sorted(items, key=lambda i: i.published_at):
        p = prints[item.key]
        keys = fp.band_keys(p.marks)
        near = fp.ranked_candidates(
            keys, by_band, lambda o, item=item: abs(o.published_at - item.published_at) <= WINDOW
        )
        match = fp.first_copy(p, [(groups[o.key], prints[o.key]) for o in near])
        groups[item.key] = match if match is not None else len(groups)
        for key in keys:
            by_band[key].append(item)
    return groups


def pairwise(items, groups) -> dict:
    truth = {i.key: i.story for i in items}
    tp = fp_ = fn = 0
    for a, b in itertools.combinations(items, 2):
        same = truth[a.key] == truth[b.key]
        grouped = groups[a.key] == groups[b.key]
        tp += same and grouped
        fp_ += grouped and not same
        fn += same and not grouped
    return {
        "precision": tp / (tp + fp_) if tp + fp_ else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "true_pairs": tp + fn,
        "grouped_pairs": tp + fp_,
        "wrong_pairs": fp_,
    }


def recall_by_edit(items, groups) -> dict[str, float]:
    originals = {i.key: i for i in items if not i.edits}
    found, total = collections.Counter(), collections.Counter()
    for item in items:
        if item.edits and item.story in originals:
            for edit in item.edits:
                total[edit] += 1
                found[edit] += groups[item.key] == groups[item.story]
    return {e: found[e] / total[e] for e in sorted(total)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--originals", type=int, default=300)
    ap.add_argument("--lookalikes", type=int, default=300)
    ap.add_argument("--sweep", action="store_true")
    ap.add_argument("--show-wrong", type=int, default=0, help="print this many wrongly grouped pairs")
    args = ap.parse_args()
    started = time.monotonic()
    items = stories_testset.build(args.originals, args.lookalikes, seed=args.seed)
    built = time.monotonic() - started
    prints = {i.key: fp.fingerprint(fp.story_stems(i.lead, i.body)) for i in items}
    started = time.monotonic()
    groups = group_items(items, prints)
    took = time.monotonic() - started
    copies = sum(1 for i in items if i.edits)
    print(
        f"{len(items)} items: {args.originals} originals with {copies} copies, {args.lookalikes} look-alikes "
        f"(built in {built:.1f} s; grouped in {took:.2f} s)"
    )
    print(pairwise(items, groups))
    print("recall of each edit (copy grouped with its original):", recall_by_edit(items, groups))
    if args.show_wrong:
        wrong = [
            (a, b) for a, b in itertools.combinations(items, 2) if groups[a.key] == groups[b.key] and a.story != b.story
        ]
        for a, b in wrong[: args.show_wrong]:
            print(f"  WRONG {fp.similarity(prints[a.key], prints[b.key]):.2f} | {a.title[:70]} || {b.title[:70]}")
    if args.sweep:
        saved = fp.MIN_CONTAINMENT, fp.MAX_MISSING_FACTS
        for c in (0.5, 0.6, 0.7, 0.8):
            for m in (0.05, 0.1, 0.2, 1.0):
                fp.MIN_CONTAINMENT, fp.MAX_MISSING_FACTS = c, m
                r = pairwise(items, group_items(items, prints))
                print(
                    f"  containment ≥ {c:.1f}, missing facts ≤ {m:.2f}: precision {r['precision']:.3f}, "
                    f"recall {r['recall']:.3f}"
                )
        fp.MIN_CONTAINMENT, fp.MAX_MISSING_FACTS = saved


if __name__ == "__main__":
    main()
