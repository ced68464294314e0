"""Which texts are copies of one story: the pure fingerprint, on real SaudiNewsNet articles, without a database."""

from __future__ import annotations

import random

import pytest

from articles.stories import fingerprint as fp
from bench import stories_bench, stories_testset

pytestmark = pytest.mark.skipif(not stories_testset.SAUDI.exists(), reason="../shared corpus not available")


@pytest.fixture(scope="module")
def articles():
    return [a for a in stories_testset.load_articles(days=2) if len(a.body.split()) >= 120]


def _print(text: str) -> fp.Fingerprint:
    return fp.fingerprint(fp.story_stems("", text))


@pytest.mark.parametrize("edit", sorted(stories_testset.EDITS))
def test_each_reprint_edit_keeps_the_copy_in_the_story(articles, edit):
    rng = random.Random(edit)
    kept = 0
    for article in articles[:40]:
        copy = stories_testset.EDITS[edit](article.body, rng)
        kept += fp.same_story(_print(article.body), _print(copy))
    assert kept >= 38  # of 40; which ones slip depends on where a random edit falls


def test_a_wire_cut_to_a_third_shares_a_band_with_the_original(articles):
    shared = 0
    for article in articles[:50]:
        words = article.body.split()
        short = " ".join(words[: len(words) // 3])
        shared += bool(set(fp.band_keys(_print(article.body).marks)) & set(fp.band_keys(_print(short).marks)))
    assert shared >= 47


def test_different_articles_of_one_day_are_not_copies(articles):
    prints = [_print(a.body) for a in articles[:150]]
    alike = [
        (i, j)
        for i in range(len(prints))
        for j in range(i + 1, len(prints))
        if fp.same_story(prints[i], prints[j]) and articles[i].source_key == articles[j].source_key
    ]
    assert alike == []  # one paper does not run one story twice on a day


def test_a_cable_to_another_head_of_state_is_another_story():
    # Two real congratulation cables of one day (SaudiNewsNet, 2015-07-21): the same wording, other names.
    tunisia = (
        "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة لفخامة الرئيس الباجي قائد "
        "السبسي رئيس الجمهورية التونسية بمناسبة ذكرى إعلان الجمهورية لبلاده. وعبر الملك المفدى باسمه واسم "
        "شعب وحكومة المملكة العربية السعودية عن أصدق التهاني وأطيب التمنيات بالصحة والسعادة لفخامته "
        "ولحكومة وشعب الجمهورية التونسية الشقيق المزيد من التقدم والازدهار."
    )
    egypt = (
        "بعث خادم الحرمين الشريفين الملك سلمان بن عبدالعزيز آل سعود برقية تهنئة لفخامة الرئيس عبدالفتاح "
        "السيسي رئيس جمهورية مصر العربية بمناسبة ذكرى اليوم الوطني لبلاده. وعبر الملك المفدى باسمه واسم "
        "شعب وحكومة المملكة العربية السعودية عن أصدق التهاني وأطيب التمنيات بالصحة والسعادة لفخامته "
        "ولحكومة وشعب جمهورية مصر العربية الشقيق المزيد من التقدم والازدهار."
    )
    assert fp.containment(_print(tunisia).marks, _print(egypt).marks) > 0.6  # they do look alike
    assert not fp.same_story(_print(tunisia), _print(egypt))
    assert fp.same_story(_print(tunisia), _print("الرياض - واس: " + tunisia.replace("أ", "ا")))


def test_too_little_text_is_never_a_copy():
    brief = _print("وصل الرئيس إلى الرياض اليوم")
    assert fp.band_keys(brief.marks) == []
    assert not fp.same_story(brief, brief)


def test_the_labelled_set_meets_the_issue_targets():
    items = stories_testset.build(originals=60, lookalikes=60, seed=5, days=4)
    prints = {i.key: fp.fingerprint(fp.story_stems(i.lead, i.body)) for i in items}
    scores = stories_bench.pairwise(items, stories_bench.group_items(items, prints))
    assert scores["true_pairs"] > 100 and scores["grouped_pairs"] > 100
    assert scores["precision"] >= 0.97
    assert scores["recall"] >= 0.90


def test_a_fingerprint_survives_the_trip_from_a_worker_unchanged(articles):
    """Import workers pickle each new article's print for the main process, packed: the same marks and facts
    arrive, including for a text too short to have any."""
    import pickle

    article = articles[0]
    for found in (_print(article.body), _print("خبر قصير")):
        back = pickle.loads(pickle.dumps(found))
        assert back == found and back.marks.tolist() == found.marks.tolist() and back.facts == found.facts
        assert fp.band_keys(back.marks) == fp.band_keys(found.marks)


def _datasketch_print(stems: list[str]) -> tuple[list[int], frozenset[str], list[int]]:
    """The fingerprint as it was made before the import's hashing was batched: datasketch's sha1_hash32 per
    shingle, the facts stem by stem, a datasketch MinHash for the bands. Stored band keys depend on it."""
    import hashlib

    import numpy as np
    from datasketch import MinHash
    from datasketch.hashfunc import sha1_hash32

    from articles.search import analysis

    runs = zip(*(stems[i : fp.MAX_SHINGLES + i] for i in range(fp.SHINGLE_WORDS)))
    marks = np.unique(np.fromiter((sha1_hash32(" ".join(run).encode()) for run in runs), dtype=np.uint32))
    evidence = analysis.lexicon().evidence
    facts = frozenset(s for s in set(stems) if evidence.get(s, 0) < fp.RARE_EVIDENCE or s.isdigit())
    if len(marks) < fp.MIN_SHINGLES:
        return marks.tolist(), facts, []
    drawn = MinHash(num_perm=fp.NUM_PERM, seed=1, scheme=fp.SCHEME)
    signature = MinHash(num_perm=fp.NUM_PERM, permutations=drawn.permutations, scheme=fp.SCHEME, hashfunc=int)
    signature.update_batch(marks.tolist())
    keys = []
    for band, start in enumerate(range(0, fp.BANDS * fp.BAND_ROWS, fp.BAND_ROWS)):
        chunk = signature.hashvalues[start : start + fp.BAND_ROWS].tobytes()
        digest = hashlib.blake2b(chunk, digest_size=4, salt=bytes([band])).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return marks.tolist(), facts, keys


def test_marks_facts_and_band_keys_are_those_datasketch_made(articles):
    """The batched hashing (digests read from one buffer, the signature in numpy) gives exactly the marks and
    band keys of datasketch's sha1_hash32 and MinHash: band keys stored by earlier imports must still meet."""
    texts = [(a.lead, a.body) for a in articles[:300]]
    texts += [("", "خبر قصير"), ("", ""), ("", "واحد اثنان"), ("", "٢٠١٥ 2015 الرياض جدة")]
    for lead, body in texts:
        stems = fp.story_stems(lead, body)
        found = fp.fingerprint(stems)
        marks, facts, keys = _datasketch_print(stems)
        assert found.marks.tolist() == marks
        assert found.facts == facts
        assert fp.band_keys(found.marks) == keys
