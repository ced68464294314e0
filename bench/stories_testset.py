"""A labelled test set for story grouping, made from real corpus articles (issue 13).

- Copies: real SaudiNewsNet articles, each reprinted two or three times with the edits papers make: a rewritten
  headline, a dateline or credit added or dropped («الرياض - واس»), the first sentence or the last paragraphs
  cut, a wire shortened to half its text or less, a few words changed, and spelling and diacritic differences.
  Each copy runs up to two days after the original, under another source.
- Look-alikes, different stories that must stay apart: articles of one paper from the same week whose headlines
  open with the same word and whose texts share much of their wording (congratulation cables to different
  heads of state, weather bulletins of different days, match reports, market reports, follow-ups on one event),
  but that are not near-identical. A paper does not print one story twice in a week, so each is its own story.

Deterministic for a seed. Used by tests/stories/ and by bench/stories_bench.py; nothing of the corpus is written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import os
import random
import re
from pathlib import Path

from articles.importing.reader import iter_records
from articles.importing.records import ParsedArticle
from articles.stories import fingerprint as fp

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHARED_DIR", ROOT.parent / "shared"))
SAUDI = SHARED / "corpus" / "saudinewsnet" / "dataset"

DATELINES = ("الرياض - واس", "جدة - واس", "القاهرة - أ ش أ", "الكويت - كونا", "لندن - رويترز", "(واس)", "متابعات")
DIACRITICS = "\u064e\u064f\u0650\u0651\u0652\u064b"


@dataclasses.dataclass(frozen=True)
class Item:
    key: str  # unique in the set
    story: str  # the truth: items with the same story are copies of one another
    title: str
    lead: str
    body: str
    source: str
    published_at: dt.datetime
    edits: tuple[str, ...] = ()


def load_articles(days: int = 10, start: int = 0) -> list[ParsedArticle]:
    files = sorted(SAUDI.glob("*.json"))[start : start + days]
    return [r for r in iter_records(files) if isinstance(r, ParsedArticle) and r.published_at]


# --- reprint edits -------------------------------------------------------------------------------------------------


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!؟?])\s+", text) if s.strip()]


def add_dateline(text: str, rng: random.Random) -> str:
    return f"{rng.choice(DATELINES)}: {text}"


def drop_dateline(text: str, rng: random.Random) -> str:
    head, sep, rest = text.partition(" - ")
    return rest if sep and len(head) < 40 else " ".join(text.split()[3:])


def cut_first_sentence(text: str, rng: random.Random) -> str:
    parts = _sentences(text)
    return " ".join(parts[1:]) if len(parts) > 2 else text


def cut_last_paragraphs(text: str, rng: random.Random) -> str:
    parts = _sentences(text)
    keep = max(2, int(len(parts) * rng.uniform(0.6, 0.8)))
    return " ".join(parts[:keep])


def shorten_wire(text: str, rng: random.Random) -> str:
    words = text.split()
    return " ".join(words[: max(20, int(len(words) * rng.uniform(0.35, 0.5)))])


def change_words(text: str, rng: random.Random) -> str:
    words = text.split()
    for _ in range(max(2, len(words) // 40)):  # a word in forty replaced, dropped or doubled
        i = rng.randrange(len(words))
        action = rng.random()
        if action < 0.4:
            words[i] = rng.choice(words)
        elif action < 0.7 and len(words) > 10:
            del words[i]
        else:
            words.insert(i, rng.choice(("وقد", "كما", "أيضا", "حيث", "وذلك")))
    return " ".join(words)


def respell(text: str, rng: random.Random) -> str:
    swaps = {"أ": "ا", "إ": "ا", "ة": "ه", "ى": "ي", "ؤ": "ئ"}
    out = []
    for ch in text:
        if ch in swaps and rng.random() < 0.5:
            ch = swaps[ch]
        out.append(ch)
        if "\u0621" <= ch <= "\u064a" and rng.random() < 0.08:
            out.append(rng.choice(DIACRITICS))
    return "".join(out)


EDITS = {
    "add_dateline": add_dateline,
    "drop_dateline": drop_dateline,
    "cut_first_sentence": cut_first_sentence,
    "cut_last_paragraphs": cut_last_paragraphs,
    "shorten_wire": shorten_wire,
    "change_words": change_words,
    "respell": respell,
}


def reprint(article: ParsedArticle, n: int, rng: random.Random, titles: list[str], sources: list[str]) -> list[Item]:
    text = f"{article.lead}\n{article.body}".strip()
    copies = []
    for k in range(n):
        names = rng.sample(sorted(EDITS), rng.randint(1, 3))
        edited = text
        for name in names:
            edited = EDITS[name](edited, rng)
        # A new headline: the words of another story's, or the original's shuffled with a few of them dropped.
        title_words = article.title.split()
        rng.shuffle(title_words)
        title = " ".join(title_words[: max(2, len(title_words) - 2)]) if rng.random() < 0.5 else rng.choice(titles)
        copies.append(
            Item(
                key=f"{_key(article)}~{k}",
                story=_key(article),
                title=title,
                lead="",
                body=edited,
                source=rng.choice([s for s in sources if s != article.source_key]),
                published_at=article.published_at + dt.timedelta(hours=rng.uniform(0, 48)),
                edits=("new_headline", *names),
            )
        )
    return copies


# --- the set ------------------------------------------------------------------------------------------------------


def _key(a: ParsedArticle) -> str:
    return a.origin


def _item(a: ParsedArticle) -> Item:
    return Item(
        key=_key(a),
        story=_key(a),
        title=a.title,
        lead=a.lead,
        body=a.body,
        source=a.source_key,
        published_at=a.published_at,
    )


class _Marks(dict):
    """Shingles of each article, worked out once."""

    def __getitem__(self, a: ParsedArticle) -> frozenset[int]:
        key = _key(a)
        if key not in self:
            self[key] = fp.fingerprint(fp.story_stems(a.lead, a.body)).marks
        return super().__getitem__(key)


def look_alikes(articles: list[ParsedArticle], limit: int, rng: random.Random, marks: _Marks) -> list[ParsedArticle]:
    """Pairs of one paper's articles, a week apart at most, headlines opening alike, texts similar in part.

    Near-identical ones are left out (a paper that did run a story twice), and so is anything resembling an item
    of another paper already chosen (the corpus holds real reprints across papers)."""
    by_opening: dict[tuple[str, str], list[ParsedArticle]] = {}
    for a in articles:
        words = a.title.split()
        if words:
            by_opening.setdefault((a.source_key, words[0]), []).append(a)
    chosen: list[ParsedArticle] = []
    families = list(by_opening.values())
    rng.shuffle(families)
    for family in families:
        for a, b in itertools.combinations(family, 2):
            if abs(a.published_at - b.published_at) > dt.timedelta(days=7):
                continue
            if 0.3 <= fp.containment(marks[a], marks[b]) < 0.9:
                for new in (a, b):
                    if all(new is not old for old in chosen) and _apart(new, chosen, marks):
                        chosen.append(new)
        if len(chosen) >= limit:
            break
    return chosen[:limit]


def _apart(new: ParsedArticle, chosen: list[ParsedArticle], marks: _Marks) -> bool:
    for old in chosen:
        limit = 0.9 if old.source_key == new.source_key else 0.3
        if fp.containment(marks[old], marks[new]) >= limit or old.title == new.title:
            return False
    return True


def build(originals: int = 300, lookalikes: int = 300, seed: int = 13, days: int = 10) -> list[Item]:
    rng = random.Random(seed)
    articles = load_articles(days)
    sources = sorted({a.source_key for a in articles})
    titles = [a.title for a in articles]
    marks = _Marks()
    similar = look_alikes(articles, lookalikes, rng, marks)
    taken = {_key(a) for a in similar}
    # Originals from one paper only: it never ran one story twice, so no two originals are copies of each other.
    paper = "alriyadh"
    pool = [a for a in articles if a.source_key == paper and _key(a) not in taken and len(a.body.split()) >= 80]
    # Nor is any a copy of a look-alike another paper ran (the corpus holds real reprints).
    pool = [a for a in pool if _apart(a, similar, marks)]
    picked = rng.sample(pool, min(originals, len(pool)))
    items = [_item(a) for a in similar] + [_item(a) for a in picked]
    for a in picked:
        items.extend(reprint(a, rng.randint(2, 3), rng, titles, sources))
    return items
