"""The analysis rate: words per second through analysis.analyze() on the shared corpus, no database.

    .venv/bin/python bench/analysis_bench.py [--articles 8000]

Loads the lexicon first (timed apart), then analyzes the first N articles of ANT and SaudiNewsNet twice: the cold
pass stems every new token (what a first import pays), the warm pass reads the term cache (a long import's steady
state). Results go to docs/scaling.md by hand, with the commit they were measured on.
"""

import argparse
import glob
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles.search import analysis  # noqa: E402

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
_TEXT = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.S)


def corpus_texts(limit: int) -> list[str]:
    """Half ANT files, half SaudiNewsNet articles, in file order (the same texts on every run)."""
    ant = []
    for path in sorted(glob.glob(str(CORPUS / "ant_corpus_v1.1" / "*" / "*.txt")))[: limit // 2]:
        ant.append("\n".join(m.group(2) for m in _TEXT.finditer(Path(path).read_text(encoding="utf-8"))))
    snn = []
    for path in sorted(glob.glob(str(CORPUS / "saudinewsnet" / "dataset" / "*.json"))):
        for a in json.loads(Path(path).read_text(encoding="utf-8")):
            snn.append((a["title"] or "") + "\n" + (a["content"] or ""))
            if len(snn) >= limit - len(ant):
                return ant + snn
    return ant + snn


def timed_pass(texts: list[str]) -> tuple[int, float]:
    started = time.perf_counter()
    words = sum(len(analysis.analyze(t)) for t in texts)
    return words, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=8000)
    args = parser.parse_args()
    texts = corpus_texts(args.articles)
    started = time.perf_counter()
    analysis.lexicon()
    print(f"lexicon load: {time.perf_counter() - started:.2f} s")
    for name in ("cold", "warm"):
        words, elapsed = timed_pass(texts)
        print(
            f"{name}: {len(texts)} articles, {words} indexed words in {elapsed:.2f} s = {words / elapsed:,.0f} words/s"
        )


if __name__ == "__main__":
    main()
