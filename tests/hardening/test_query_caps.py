"""Issue 18, item 7: whatever a query says, its cost is bounded: at most MAX_PREFIXES words*, each of at least
MIN_PREFIX_LETTERS letters and standing for its MAX_EXPANSIONS commonest words, and MAX_OR_BRANCHES alternatives.
A query cut for it says so, on the page and in the API (no timings here: the load test measures those)."""

import pytest

from articles.search import engine
from articles.search.query import MAX_OR_BRANCHES, MAX_PREFIXES, parse
from tests.factories import ArticleFactory

LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def test_one_letter_prefixes_are_words_and_the_prefixes_past_the_cap_are_dropped():
    parsed = parse(" OR ".join(c + "*" for c in LETTERS))  # the dearest request measured: 3.2 s
    assert parsed.truncated
    assert "«ا*»: نحتاج حرفين على الأقل قبل النجمة، فبحثنا عن «ا» كلمة كاملة." in parsed.notes
    assert not any(t.prefix for t in parsed.terms())
    parsed = parse("تكنو* اقتص* سياس* رياض* ثقاف*")
    assert [t.text for t in parsed.terms() if t.prefix] == ["تكنو", "اقتص", "سياس"][:MAX_PREFIXES]
    assert (
        parsed.truncated
        and "نبحث عن 3 كلمات بالنجمة (*) على الأكثر في البحث الواحد، فتجاهلنا ما زاد عليها." in parsed.notes
    )


def test_or_alternatives_past_the_cap_are_dropped_with_a_note():
    words = [
        "تونس",
        "الجزائر",
        "المغرب",
        "ليبيا",
        "مصر",
        "السودان",
        "الأردن",
        "لبنان",
        "سوريا",
        "العراق",
        "اليمن",
        "عمان",
        "قطر",
        "البحرين",
        "الكويت",
    ]
    parsed = parse(" OR ".join(words))
    [clause] = parsed.clauses
    assert [t.text for t in clause.alternatives] == words[: MAX_OR_BRANCHES + 1]
    assert parsed.truncated and "أقصى ما نبحث عنه 12 بديلا بـ«أو»: تجاهلنا ما بعدها، فضيّق بحثك." in parsed.notes
    assert not parse(" OR ".join(words[: MAX_OR_BRANCHES + 1])).truncated


@pytest.mark.django_db
def test_a_prefix_of_many_words_searches_its_commonest_and_the_page_and_api_say_so(client, monkeypatch):
    monkeypatch.setattr(engine, "MAX_EXPANSIONS", 3)
    names = ["مستشفى", "مستقبل", "مستوى", "مستثمر", "مستهلك"]
    for i, name in enumerate(names):
        ArticleFactory(title=f"خبر عن {name}", body=" ".join([name] * (len(names) - i)) + " في العاصمة اليوم.")
    note = "«مست*» تبدأ بها كلمات كثيرة: بحثنا عن أشيع 3 منها."
    page = client.get("/search/", {"q": "مست*"}).content.decode()
    assert note in page and "الاستعلام طويل جدا" in page
    data = client.get("/api/search", {"q": "مست*"}).json()
    assert data["truncated"] and note in data["notes"] and data["count"] == 3  # 3 of the 5 words, 1 article each
    assert not client.get("/api/search", {"q": "مستشف*"}).json()["truncated"]
