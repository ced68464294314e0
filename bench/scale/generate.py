"""Benchmark archives of any size (100k, 300k, 1M articles) recombined from the real shared corpus.

    .venv/bin/python bench/scale/generate.py --count 100000                  # articles 0 .. 99,999
    .venv/bin/python bench/scale/generate.py --start 100000 --count 200000   # grow to 300k: only the delta
    .venv/bin/python bench/scale/generate.py --out DIR --seed 6 --chunk-size 10000 [--force]

The real corpus (ANT: JawharaFM, 9 topics; SaudiNewsNet: 14 newspapers) is read once through the importer's own
parsers (`articles.importing.reader.iter_records`, so titles and paragraphs are exactly what an import stores), and
grouped by ANT topic or by SaudiNewsNet newspaper. Generated article number `i`:

- picks a real article as its template (uniformly, so the ANT/SNN, topic and newspaper mix is the corpus's own),
  and keeps its source key, its ANT topic, its author and its number of paragraphs;
- takes a real headline of the same group, in 30 % of cases spliced with the tail of a second one from that group;
- fills each paragraph with a real paragraph of the same group whose length is close to the template's paragraph
  (a window of neighbours in the group's paragraphs sorted by length), so paragraph-count and length distributions
  stay those of the real corpus and so do word statistics (same topic / same newspaper vocabulary);
- ANT templates that carry an abstract get one too (the first paragraph, as ANT's abstracts mostly are);
- is dated uniformly at random between 2006-01-01 and 2025-12-31 (+01:00, minute resolution);
- gets the id `scale-<i:08d>` and the URL `https://scale.example/<i:08d>`, which identify it for good.

About one article in seven (`REPRINTS`, of SaudiNewsNet originals only) is instead another paper's copy of an
earlier generated article, as wire copy is reprinted: its original is drawn from the `REPRINT_REACH` articles
before it, it runs up to two days later under another newspaper, with a new headline and one to three of the
edits of `bench/stories_testset.py` (dateline, cuts, a shortened wire, changed words, respellings). Which articles
are reprints, and of what, depends on the seed and the index alone, so slices stay independent.

Every article draws from its own `random.Random(seed * 1_000_003 + i)`, so an article depends on the seed, its index
and the corpus only: regenerating gives byte-identical files, and `--start/--count` can build any slice. Files hold
`--chunk-size` records each: `scale-000001.jsonl` holds articles 0 .. chunk-1, and so on; `--start` and `--count`
must be multiples of the chunk size. A file is written to a temporary name and renamed, so an existing file is
always complete and is skipped (unless `--force`). `manifest.json` in the folder records the seed, chunk size,
generator version and a fingerprint of the corpus as parsed; files made with other settings are never mixed in.

JSON keys are the importer's (articles/importing/jsonfmt.py): `id` → doc_id, `url`, `source` (the corpus's source
key: jawharafm, alriyadh, ...), `published_at`, `title`, `description` → lead, `author`, `content` (paragraphs one
per line) and, for ANT-derived articles, `category` with the ANT topic key (sport, localNews, ...). The importer
resolves a JSON category exactly as a TREC <CAT> (`_Resolver.topic`: the Tag whose key is the category), so the
generated articles land on the same topic Tag rows as the real ANT import.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
ANT_DIR = SHARED / "corpus" / "ant_corpus_v1.1"
SNN_DIR = SHARED / "corpus" / "saudinewsnet" / "dataset"
DEFAULT_OUT = Path(os.environ.get("SCALE_DATA_DIR", "/work/scale-data"))
DEFAULT_SEED = 6
DEFAULT_CHUNK = 10_000

GENERATOR_VERSION = 2
URL_PREFIX = "https://scale.example/"
ID_PREFIX = "scale-"
TZ = dt.timezone(dt.timedelta(hours=1))
DATE_FROM = dt.datetime(2006, 1, 1, tzinfo=TZ)
DATE_TO = dt.datetime(2026, 1, 1, tzinfo=TZ)  # exclusive: the last possible date is 2025-12-31 23:59
_SPAN_MINUTES = int((DATE_TO - DATE_FROM).total_seconds() // 60)
SPLICE_HEADLINE = 0.3
_SEED_STRIDE = 1_000_003
REPRINTS = 0.15
REPRINT_REACH = 2_000
_REPRINT_SALT = 0x5EED_C0DE


@dataclass
class Group:
    """The real articles of one ANT topic or one SaudiNewsNet newspaper."""

    source: str
    topic: str  # ANT topic key ("sport"), "" for SaudiNewsNet
    headlines: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)  # sorted by (length, text)
    lengths: list[int] = field(default_factory=list)
    window: int = 0


@dataclass(frozen=True)
class Template:
    group: int
    paragraph_lengths: tuple[int, ...]
    lead: int  # 0: no lead; -1: the whole first paragraph; n > 0: the first paragraph cut to about n characters
    author: str


@dataclass
class Corpus:
    groups: list[Group]
    templates: list[Template]
    fingerprint: str
    articles: int  # real articles read (templates are those with both a title and a body)


def load_corpus(ant: Path | None = ANT_DIR, snn: list[Path] | Path | None = SNN_DIR) -> Corpus:
    """Read the real corpus through the importer's parsers and group it by ANT topic / SaudiNewsNet newspaper."""
    from articles.importing.reader import iter_records
    from articles.importing.records import ParsedArticle

    paths: list[Path] = []
    if ant is not None:
        paths.append(Path(ant))
    if snn is not None:
        paths.extend([Path(snn)] if isinstance(snn, (str, Path)) else [Path(p) for p in snn])
    if not paths or not all(p.exists() for p in paths):
        missing = ", ".join(str(p) for p in paths if not p.exists())
        raise SystemExit(f"corpus not found: {missing or 'no paths given'} (set SHARED_DIR)")

    index: dict[tuple[str, str], int] = {}
    groups: list[Group] = []
    pools: list[dict[str, None]] = []  # paragraphs per group, deduplicated, in corpus order
    templates: list[Template] = []
    articles = 0
    for record in iter_records(paths):
        if not isinstance(record, ParsedArticle):
            continue
        articles += 1
        topic = ""
        if record.format == "trec":
            # One ANT file has no <CAT>: its folder is the label.
            topic = record.categories[0] if record.categories else record.origin.split("/", 1)[0]
        key = (record.source_key, topic)
        if key not in index:
            index[key] = len(groups)
            groups.append(Group(source=record.source_key, topic=topic))
            pools.append({})
        g = index[key]
        paras = [p for p in record.body.split("\n\n") if p.strip()]
        if not record.title.strip() or not paras:
            continue  # title-only or body-only articles would make too many identical generated ones
        groups[g].headlines.append(record.title)
        pools[g].update(dict.fromkeys(paras))
        lead = 0
        if record.lead:
            lead = -1 if record.lead == paras[0] else len(record.lead)
        templates.append(Template(g, tuple(len(p) for p in paras), lead, record.author))

    digest = hashlib.sha256(f"v{GENERATOR_VERSION}".encode())
    for group, pool in zip(groups, pools):
        group.paragraphs = sorted(pool, key=lambda p: (len(p), p))
        group.lengths = [len(p) for p in group.paragraphs]
        group.window = max(12, len(group.paragraphs) // 64)
        digest.update(f"\0{group.source}\0{group.topic}\0".encode())
        digest.update("\n".join(group.headlines).encode())
        digest.update("\n".join(group.paragraphs).encode())
    for t in templates:
        digest.update(f"{t.group},{t.paragraph_lengths},{t.lead},{t.author}\n".encode())
    if not templates:
        raise SystemExit("the corpus has no article with both a title and a body")
    return Corpus(groups, templates, digest.hexdigest()[:16], articles)


def _headline(rng: random.Random, group: Group) -> str:
    title = group.headlines[rng.randrange(len(group.headlines))]
    if rng.random() < SPLICE_HEADLINE and len(group.headlines) > 1:
        words = title.split()
        other = group.headlines[rng.randrange(len(group.headlines))].split()
        if len(words) >= 4 and len(other) >= 4:
            cut = rng.randint(len(words) // 2, len(words) - 1)
            start = max(1, len(other) - (len(words) - cut))
            title = " ".join(words[:cut] + other[start:])
    return title


def _paragraph(rng: random.Random, group: Group, length: int) -> str:
    pos = bisect.bisect_left(group.lengths, length)
    lo, hi = max(0, pos - group.window), min(len(group.paragraphs), pos + group.window + 1)
    return group.paragraphs[rng.randrange(lo, hi)]


def _cut(text: str, length: int) -> str:
    if len(text) <= length:
        return text
    space = text.rfind(" ", 0, length)
    return text[: space if space > 0 else length]


def make_record(corpus: Corpus, seed: int, index: int) -> dict:
    """Article number `index` (0-based) of the archive generated with `seed`: a JSON-ready dict."""
    original = _original_of(seed, index)
    if original == index:
        return _original_record(corpus, seed, index)
    record = _original_record(corpus, seed, original)
    if record["source"] == "jawharafm":  # one Tunisian radio: no other paper to reprint it
        return _original_record(corpus, seed, index)
    return _reprinted(corpus, record, random.Random((seed * _SEED_STRIDE + index) ^ _REPRINT_SALT), index)


def _original_of(seed: int, index: int) -> int:
    """The article `index` copies (following a copy of a copy to its original), or `index` itself."""
    while index:
        rng = random.Random((seed * _SEED_STRIDE + index) ^ _REPRINT_SALT)
        if rng.random() >= REPRINTS:
            break
        index = rng.randrange(max(0, index - REPRINT_REACH), index)
    return index


def _reprinted(corpus: Corpus, original: dict, rng: random.Random, index: int) -> dict:
    from bench.stories_testset import EDITS

    text = original["content"].replace("\n", " ")
    for name in rng.sample(sorted(EDITS), rng.randint(1, 3)):
        text = EDITS[name](text, rng)
    papers = sorted({g.source for g in corpus.groups if g.source not in ("jawharafm", original["source"])})
    source = rng.choice(papers)
    title_words = original["title"].split()
    rng.shuffle(title_words)
    group = next(g for g in corpus.groups if g.source == source)
    title = " ".join(title_words[: max(2, len(title_words) - 2)]) if rng.random() < 0.5 else rng.choice(group.headlines)
    published = dt.datetime.fromisoformat(original["published_at"]) + dt.timedelta(minutes=rng.randrange(48 * 60))
    published = min(published, DATE_TO - dt.timedelta(minutes=1))
    return {
        "id": f"{ID_PREFIX}{index:08d}",
        "url": f"{URL_PREFIX}{index:08d}",
        "source": source,
        "published_at": published.isoformat(),
        "title": title,
        "content": text,
    }


def _original_record(corpus: Corpus, seed: int, index: int) -> dict:
    rng = random.Random(seed * _SEED_STRIDE + index)
    template = corpus.templates[rng.randrange(len(corpus.templates))]
    group = corpus.groups[template.group]
    title = _headline(rng, group)
    paras = [_paragraph(rng, group, n) for n in template.paragraph_lengths]
    published = DATE_FROM + dt.timedelta(minutes=rng.randrange(_SPAN_MINUTES))
    record = {
        "id": f"{ID_PREFIX}{index:08d}",
        "url": f"{URL_PREFIX}{index:08d}",
        "source": group.source,
        "published_at": published.isoformat(),
        "title": title,
    }
    if template.lead:
        record["description"] = paras[0] if template.lead < 0 else _cut(paras[0], template.lead)
    if template.author:
        record["author"] = template.author
    record["content"] = "\n".join(paras)
    if group.topic:
        record["category"] = group.topic
    return record


def record_line(corpus: Corpus, seed: int, index: int) -> str:
    return json.dumps(make_record(corpus, seed, index), ensure_ascii=False) + "\n"


def chunk_name(number: int) -> str:
    """File of chunk `number` (1-based): scale-000001.jsonl."""
    return f"scale-{number:06d}.jsonl"


def chunk_numbers(start: int, count: int, chunk_size: int) -> range:
    if chunk_size < 1 or start < 0 or count < 0 or start % chunk_size or count % chunk_size:
        raise ValueError(f"--start ({start}) and --count ({count}) must be multiples of --chunk-size ({chunk_size})")
    return range(start // chunk_size + 1, (start + count) // chunk_size + 1)


def chunk_paths(out: Path, start: int, count: int, chunk_size: int) -> list[Path]:
    return [Path(out) / chunk_name(n) for n in chunk_numbers(start, count, chunk_size)]


def _check_manifest(out: Path, wanted: dict, force: bool) -> None:
    path = out / "manifest.json"
    if path.exists():
        have = json.loads(path.read_text())
        if have != wanted:
            if not force:
                raise SystemExit(
                    f"{out} holds files generated with {have}, not {wanted}: choose another --out "
                    "or pass --force to regenerate every file"
                )
            for old in out.glob("scale-*.jsonl"):
                old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(wanted, indent=1) + "\n")


def generate(
    corpus: Corpus,
    out: Path,
    *,
    seed: int = DEFAULT_SEED,
    start: int = 0,
    count: int = DEFAULT_CHUNK,
    chunk_size: int = DEFAULT_CHUNK,
    force: bool = False,
    log=print,
) -> dict:
    """Write the chunk files for articles start .. start+count-1 (skipping complete ones); returns statistics."""
    out = Path(out)
    numbers = chunk_numbers(start, count, chunk_size)
    _check_manifest(
        out,
        {"generator": GENERATOR_VERSION, "seed": seed, "chunk_size": chunk_size, "corpus": corpus.fingerprint},
        force,
    )
    written = skipped = records = size = 0
    started = time.perf_counter()
    for number in numbers:
        path = out / chunk_name(number)
        if path.exists() and not force:
            skipped += 1
            continue
        tmp = path.with_name(path.name + f".tmp{os.getpid()}")
        first = (number - 1) * chunk_size
        with open(tmp, "w", encoding="utf-8", newline="\n") as f:
            f.writelines(record_line(corpus, seed, i) for i in range(first, first + chunk_size))
        os.replace(tmp, path)
        written += 1
        records += chunk_size
        size += path.stat().st_size
        elapsed = time.perf_counter() - started
        log(
            f"  {path.name}: articles {first:,}-{first + chunk_size - 1:,} ({records / elapsed:,.0f} articles/s so far)"
        )
    elapsed = time.perf_counter() - started
    stats = {
        "files_written": written,
        "files_skipped": skipped,
        "articles": records,
        "bytes": size,
        "seconds": round(elapsed, 2),
        "rate": round(records / elapsed) if records and elapsed else 0,
        "paths": [str(out / chunk_name(n)) for n in numbers],
    }
    if records:
        log(
            f"generated {records:,} articles in {written} files, {size / 1e6:,.0f} MB, in {elapsed:.1f} s "
            f"= {stats['rate']:,} articles/s ({size / max(elapsed, 1e-9) / 1e6:.0f} MB/s)"
        )
    if skipped:
        log(f"{skipped} files already there, kept")
    return stats


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default {DEFAULT_OUT})")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--start", type=int, default=0, help="first article index (multiple of --chunk-size)")
    ap.add_argument("--count", type=int, default=DEFAULT_CHUNK, help="articles to generate (multiple of --chunk-size)")
    ap.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK, help="records per file")
    ap.add_argument("--force", action="store_true", help="rewrite existing files")
    ap.add_argument("--ant", type=Path, default=ANT_DIR, help="ANT corpus folder")
    ap.add_argument("--snn", type=Path, nargs="+", default=[SNN_DIR], help="SaudiNewsNet dataset folder or files")
    args = ap.parse_args(argv)
    try:
        chunk_numbers(args.start, args.count, args.chunk_size)
    except ValueError as exc:
        ap.error(str(exc))
    t = time.perf_counter()
    corpus = load_corpus(args.ant, args.snn)
    print(
        f"corpus: {corpus.articles:,} real articles, {len(corpus.templates):,} templates, {len(corpus.groups)} groups, "
        f"{sum(len(g.paragraphs) for g in corpus.groups):,} paragraphs, fingerprint {corpus.fingerprint}, "
        f"read in {time.perf_counter() - t:.1f} s",
        flush=True,
    )
    generate(
        corpus,
        args.out,
        seed=args.seed,
        start=args.start,
        count=args.count,
        chunk_size=args.chunk_size,
        force=args.force,
        log=lambda m: print(m, flush=True),
    )


if __name__ == "__main__":
    main()
