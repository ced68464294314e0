"""«Did you mean …» from the index's own terms (articles/search/suggest.py), on real PostgreSQL with real Arabic
articles: the ANT fixtures (Jawhara FM, Tunisia) and a few written here. What is checked is what a journalist
sees: a suggestion only for words the archive does not know, always a word its articles hold, spelled as they
spell it (ة, ئ), and only when it finds more than the query as typed."""

import datetime as dt
import random
import re

import pytest
from django.db.models import Q
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Article
from articles.search import analysis, index, run_search, suggest
from articles.search.service import _speller
from tests.factories import ArticleFactory, ant_documents


def ant_with(word: str, count: int) -> list[dict]:
    """The first `count` ANT fixtures whose headline or body holds `word` as a whole word, in a stable order."""
    docs = [d for d in ant_documents() if word in re.findall(r"\w+", d["title"] + " " + d["body"])][:count]
    assert len(docs) == count, f"the fixtures have fewer than {count} articles with {word}"
    return docs


def add(docs: list[dict]) -> list[Article]:
    return [ArticleFactory(title=d["title"], body=d["body"], published_at=d["published_at"]) for d in docs]


def write(title: str, body: str, days_ago: int = 1, **kw) -> Article:
    return ArticleFactory(title=title, body=body, published_at=timezone.now() - dt.timedelta(days=days_ago), **kw)


def suggestion(q: str, **filters) -> str | None:
    """What the results page offers, through run_search like the page and the API."""
    outcome = run_search({"q": q, **filters})
    assert not outcome.unavailable
    return outcome.suggestion


def raw_suggestion(q: str) -> str | None:
    """suggest() alone, without the page's rule that the respelling must find more articles."""
    searcher = index.searcher()
    schema = index.schema()
    return suggest.suggest(searcher, schema, q, spell=_speller(searcher, schema, int(timezone.now().timestamp())))


@pytest.fixture
def tunisia():
    """ANT articles that name تونس, three of them also writing بتونس (in Tunisia): a common word of the archive
    too, and the one trigram similarity offered for تونسس."""
    docs = ant_with("تونس", 10)
    docs += [d for d in ant_with("بتونس", 3) if d not in docs]
    return add(docs)


@pytest.fixture
def government():
    """Six ANT articles that write الحكومة, and one that writes it carelessly with ه."""
    articles = add(ant_with("الحكومة", 6))
    articles.append(write("اجتماع وزاري", "قررت الحكومه تأجيل النظر في مشروع القانون إلى الأسبوع القادم."))
    return articles


@pytest.fixture
def interest():
    return [
        write(
            "البنك المركزي يرفع نسبة الفائدة المديرية",
            "قرر مجلس إدارة البنك المركزي التونسي الترفيع في نسبة الفائدة المديرية بخمسين نقطة أساسية.",
        ),
        write("ارتفاع كلفة القروض", "تنعكس الزيادة في نسبة الفائدة على كلفة القروض الاستهلاكية للأسر.", days_ago=2),
        write("تراجع الاستثمار", "يرى خبراء أن ارتفاع الفائدة يحد من الاستثمار الخاص.", days_ago=3),
    ]


# --- through the results page and run_search -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_misspelled_country_gets_its_common_spelling_not_a_longer_word(tunisia):
    assert suggestion("تونسس") == "تونس"  # one letter too many: تونس, in most articles, not بتونس


@pytest.mark.django_db
def test_the_suggestion_is_spelled_as_the_articles_spell_it(government, interest):
    assert suggestion("الحكومت") == "الحكومة"  # ة, as six articles of seven write it; never the index's الحكومه
    assert suggestion("نسبة الفاىدة") == "نسبة الفائدة"  # ئ and ة, where the index holds الفاءده


@pytest.mark.django_db
def test_the_results_page_offers_the_suggestion_as_a_link(client, government):
    response = client.get("/search/", {"q": "الحكومت"})
    assert response.context["page"].paginator.count == 0
    assert response.context["suggestion"] == "الحكومة"
    assertContains(
        response,
        '<p class="did-you-mean">هل تقصد: <a href="?q=%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9" '
        'dir="auto">الحكومة</a>؟</p>',
        html=True,
    )
    followed = client.get("/search/", {"q": "الحكومة"})
    assert followed.context["page"].paginator.count == len(government)
    assert followed.context["suggestion"] is None


@pytest.mark.django_db
def test_no_suggestion_when_every_word_is_known(tunisia, government):
    for q in ("تونس", "الحكومة", "تونس الحكومة", "الحكومه", "بتونس", "حكومة تونس"):
        assert suggestion(q) is None, q


@pytest.mark.django_db
def test_a_word_of_a_single_article_is_as_likely_a_typo(tunisia):
    write("خبر", "زار الوفد تونسس في الأسبوع الماضي.")  # a typo in one article does not make it a word
    assert suggestion("تونسس") == "تونس"
    write("خبر آخر", "عاد الوفد من تونسس أمس.")  # in two articles, it is the archive's word: left as typed
    assert suggestion("تونسس") is None


@pytest.mark.django_db
def test_only_the_unknown_word_of_a_query_is_respelled(tunisia, government):
    assert suggestion("الحكومت تونس") == "الحكومة تونس"
    assert suggestion("تونسس   الحكومة") == "تونس   الحكومة"  # the query as typed, but for that word


@pytest.mark.django_db
def test_the_other_words_of_the_query_choose_between_close_words():
    for i, text in enumerate(
        (
            "أعلنت الوزارة يوم الأحد عن نتائج المناظرة الوطنية.",
            "تنطلق الحملة الانتخابية يوم الأحد القادم في كامل الولايات.",
            "شهدت العاصمة يوم الأحد أمطارا غزيرة.",
        )
    ):
        write("أخبار", text, days_ago=i + 1)
    write("زيارة رسمية", "استقبل ولي العهد السعودي وفدا رسميا.", days_ago=5)
    write("لقاء", "التقى ولي العهد وزير الخارجية.", days_ago=6)
    assert suggestion("العحد") == "الأحد"  # alone: the word in most articles (three against two)
    assert suggestion("ولي العحد") == "ولي العهد"  # beside ولي: the word found with it


@pytest.mark.django_db
def test_phrases_prefixes_exact_words_alternatives_and_exclusions_stay_as_typed(tunisia, government):
    q = 'تونسس "تونسس الحكومة" تونسس* =تونسس -تونسس'
    assert raw_suggestion(q) == 'تونس "تونسس الحكومة" تونسس* =تونسس -تونسس'
    assert suggestion("تونسس -الحكومه") == "تونس -الحكومه"
    for q in ('"تونسس"', "تونسس*", "=تونسس", "-تونسس الحكومة", "تونسس OR الحكومه", "الحكومه | تونسس"):
        assert raw_suggestion(q) is None, q


@pytest.mark.django_db
def test_no_suggestion_that_finds_nothing_within_the_filters(tunisia, government):
    elsewhere = write("خبر رياضي", "فاز الفريق في المباراة.", source__key="mosaique", source__slug="mosaique")
    assert suggestion("تونسس") == "تونس"
    assert suggestion("تونسس", source="mosaique") is None  # تونس is in none of that source's articles
    assert elsewhere.source.slug == "mosaique"


@pytest.mark.django_db
def test_a_word_only_in_replaced_versions_of_articles_is_not_offered(interest):
    assert suggestion("الفاىدة") == "الفائدة"
    for article in interest:  # editors rewrite the three articles: the index deletes their old documents
        article.body = article.body.replace("الفائدة", "القروض")
        article.title = article.title.replace("الفائدة", "القروض")
        article.save()
    assert not Article.objects.filter(Q(title__contains="الفائدة") | Q(body__contains="الفائدة")).exists()
    assert suggestion("الفاىدة") is None
    assert raw_suggestion("الفاىدة") is None


@pytest.mark.django_db
def test_embargoed_articles_lend_no_spelling(interest):
    for article in interest:
        Article.objects.filter(pk=article.pk).update(published_at=timezone.now() + dt.timedelta(days=2))
        article.refresh_from_db()
        article.save()  # reindexed with its new date
    assert raw_suggestion("الفاىدة") is None
    assert suggestion("الفاىدة") is None


@pytest.mark.django_db
def test_suggestions_are_always_words_of_the_index_as_articles_spell_them(tunisia, government, interest):
    """Typos made at random (a letter dropped, doubled, changed, two swapped) of the archive's own words: whatever
    is suggested is in at least two live articles of the index and written that way in an article's text."""
    searcher, schema = index.searcher(), index.schema()
    words = sorted({w for a in Article.objects.all() for w in re.findall(r"[\u0621-\u064a]+", a.title) if len(w) >= 5})
    rng = random.Random(12)
    offered = 0
    for word in rng.sample(words, min(40, len(words))):
        i = rng.randrange(len(word))
        typo = rng.choice(
            [
                word[:i] + word[i + 1 :],
                word[:i] + word[i] + word[i:],
                word[:i] + "ز" + word[i + 1 :],
                word[:i] + word[i + 1 : i + 2] + word[i : i + 1] + word[i + 2 :],
            ]
        )
        got = raw_suggestion(typo)
        if got is None:
            continue
        offered += 1
        [form] = analysis.tokenize(got)
        assert suggest.form_docs(searcher, schema, form) >= suggest.MIN_DOCS, (typo, got)
        assert suggest.known(searcher, schema, analysis.stem(form)), (typo, got)
        assert Article.objects.filter(Q(title__contains=got) | Q(body__contains=got)).exists(), (typo, got)
    assert offered >= 10  # most typos of common words get a suggestion


@pytest.mark.django_db
def test_two_letters_missing_is_still_found():
    for i, place in enumerate(("صفاقس", "سوسة", "بنزرت")):
        write(
            f"الاستعداد لإجراء الانتخابات البلدية في {place}",
            f"أعلنت الهيئة العليا المستقلة للانتخابات عن موعد الانتخابات البلدية في ولاية {place}.",
            days_ago=i + 1,
        )
    assert suggestion("الانتخبت") == "الانتخابات"  # no index term is one edit away: two, sharing its first half


@pytest.mark.django_db
def test_an_unknown_word_far_from_every_word_gets_none(tunisia):
    assert suggestion("زخرفلاتيس") is None
    assert suggestion("تونس زخرفلاتيس") is None


# --- the pure parts --------------------------------------------------------------------------------------------


def test_one_edit_covers_drops_insertions_changes_and_swaps():
    edits = suggest.edits1("تونسس")
    assert {"تونس", "تنوسس", "تونسسي", "تونسي"} <= edits
    assert "تونسس" not in edits and "بتونس" not in edits  # two edits away
    assert all(len(e) in (4, 5, 6) for e in edits)


def test_distance_counts_edits_up_to_the_limit():
    assert suggest.distance("الانتخبت", "الانتخابات") == 2
    assert suggest.distance("تونسس", "تونس") == 1
    assert suggest.distance("تنوس", "تونس") == 1  # a swap is one edit
    assert suggest.distance("تونسس", "بتونس") == 2
    assert suggest.distance("الحكومه", "الرياضه") == 3  # past the limit: limit + 1


def test_respelling_keeps_the_rest_of_the_query_as_typed():
    respell = suggest.respell
    assert respell("تونسس  وزير", {"تونسس": "تونس"}) == "تونس  وزير"
    assert respell("“تونسس الحكومة” تونسس", {"تونسس": "تونس"}) == "“تونسس الحكومة” تونس"
    assert respell("تونسس OR وزير", {"تونسس": "تونس"}) == "تونسس OR وزير"
    assert respell("-تونسس تونسس*", {"تونسس": "تونس"}) == "-تونسس تونسس*"


def test_the_spelling_is_the_commonest_raw_form_without_marks():
    texts = ["قالت الحُكومـة إن …", "أعلنت الحكومة", "الحكومه قررت", "بالحكومة", "الحكومات"]
    assert suggest.spelling("الحكومه", texts) == "الحكومة"  # 2 of 3, harakat and tatweel dropped
    assert suggest.spelling("الحكومه", ["الحكومه", "الحكومة"]) == "الحكومة"  # a tie: the letter the index folded
    assert suggest.spelling("الي", ["ذهب إلى تونس"]) == "إلى"
    assert suggest.spelling("الفاءده", ["نسبة الفائدة"]) == "الفائدة"
    assert suggest.spelling("الحكومه", ["بالحكومة والحكومات"]) is None  # only inside longer words
