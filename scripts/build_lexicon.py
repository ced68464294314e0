"""Build articles/search/data/lexicon.tsv: normalized word -> count, from the ANT corpus (Apache-2.0).

The stemmer uses these counts as evidence for segmenting a token (see articles/search/analysis.py). Only ANT is used, so
the committed table derives from openly licensed text; counts below 3 are dropped as noise.

    python scripts/build_lexicon.py ../shared/corpus/ant_corpus_v1.1
"""

import collections
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.search.analysis import DATA_DIR, tokenize  # noqa: E402

FIELDS = re.compile(r"<(TITLE|ABSTRACT|TEXT)>(.*?)</\1>", re.S)
MIN_COUNT = 3


def main(root: str) -> None:
    counts: collections.Counter[str] = collections.Counter()
    files = sorted(Path(root).rglob("*.txt"))
    for path in files:
        raw = path.read_text(encoding="utf-8")
        # ABSTRACT mostly repeats TEXT's first paragraph: count it once by skipping it when TEXT is present.
        fields = dict((m.group(1), m.group(2)) for m in FIELDS.finditer(raw))
        text = fields.get("TITLE", "") + "\n" + (fields.get("TEXT") or fields.get("ABSTRACT", ""))
        counts.update(t for t in tokenize(text) if not t.isdigit())
    out = DATA_DIR / "lexicon.tsv"
    with out.open("w", encoding="utf-8") as f:
        f.write(
            f"# normalized word<TAB>count, from {len(files)} ANT corpus v1.1 files (Apache-2.0); "
            f"built by scripts/build_lexicon.py, counts >= {MIN_COUNT}\n"
        )
        for word, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if n >= MIN_COUNT:
                f.write(f"{word}\t{n}\n")
    print(f"{out}: {sum(1 for n in counts.values() if n >= MIN_COUNT)} words from {len(files)} files")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/corpus/ant_corpus_v1.1")
