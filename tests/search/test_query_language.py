"""The query language of issue 15 as a table: each query, on a small archive of real Arabic news text, with the
articles it must find and those it must not (every other article of the archive). Arabic and Latin spellings of
each operator give the same results. Through run_search, as the page, the API, the CSV and the feeds search."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from articles.models import SourceAlias, TagAlias
from tests.factories import ArticleFactory, SourceFactory, TagFactory

from .conftest import found

pytestmark = pytest.mark.django_db

DOCS = {
    # key: (title, lead, body, source, tags, published: a date, or days ago)
    "defence": (
        "وزير الدفاع يزور الجنوب",
        "",
        "زار وزير الدفاع اليوم ولايات الجنوب والتقى القيادات العسكرية",
        "riyadh",
        ["politics"],
        dt.date(2016, 3, 10),
    ),
    "civil": (
        "الدفاع المدني ينقذ عائلة",
        "",
        "تدخل الدفاع المدني لإنقاذ عائلة وحضر وزير الداخلية إلى المكان",
        "okaz",
        [],
        dt.date(2017, 5, 2),
    ),
    "crisis": (
        "أزمة الاقتصاد تتعمق",
        "تراجع النمو وارتفاع الأسعار",
        "قال خبراء إن البلاد تمر بأزمة حادة بسبب تراجع الاستثمار",
        "riyadh",
        ["economy"],
        dt.date(2016, 7, 1),
    ),
    "budget": (
        "وزارة المالية تعلن الميزانية",
        "",
        "أعلنت وزارة المالية عن ميزانية العام المقبل وسط توقعات بعجز كبير",
        "okaz",
        ["economy"],
        dt.date(2017, 1, 15),
    ),
    "football": (
        "منتخب كرة القدم يفوز",
        "",
        "فاز المنتخب الوطني في مباراة صعبة وأشاد المدرب بالاقتصاد في الجهد",
        "riyadh",
        ["sport"],
        dt.date(2016, 11, 20),
    ),
    "festival": (
        "مهرجان قرطاج يفتتح دورته",
        "",
        "افتتح مهرجان قرطاج الدولي دورته الجديدة بحضور وزير الثقافة",
        "okaz",
        ["culture"],
        dt.date(2015, 7, 10),
    ),
    "law": (
        "البرلمان يناقش قانون المالية",
        "جلسة برلمانية مطولة",
        "ناقش البرلمان مشروع قانون المالية في جلسة مطولة حول الاقتصاد",
        "riyadh",
        ["economy"],
        2,
    ),
    "critic": (
        "وزير سابق ينتقد الحكومة",
        "",
        "انتقد وزير سابق في حوار صحفي طويل ومفصل ومثير للجدل ما وصفه بضعف سياسة الدفاع",
        "okaz",
        ["politics"],
        20,
    ),
}

# (query, must find). Every other article of DOCS must not be found.
TABLE = [
    # the existing syntax, unchanged
    ("وزير الدفاع", {"defence", "civil", "critic"}),
    ('"وزير الدفاع"', {"defence"}),
    ("الاقتصاد OR المالية", {"crisis", "budget", "football", "law"}),
    ("مهرجان -وزير", set()),
    ("المالية -البرلمان", {"budget"}),
    ("تكنولوج* قرطاج", {"festival"}),
    # grouping and boolean operators
    ("(اقتصاد أو مالية) -كرة", {"crisis", "budget", "law"}),
    ("(اقتصاد OR مالية) -كرة", {"crisis", "budget", "law"}),
    ("(اقتصاد | مالية) NOT كرة", {"crisis", "budget", "law"}),
    ("(اقتصاد أو مالية) ليس كرة", {"crisis", "budget", "law"}),
    ("المالية AND البرلمان", {"law"}),
    ("المالية و البرلمان", {"law"}),
    ("وزير AND (الثقافة OR الداخلية)", {"civil", "festival"}),
    ("وزير و (الثقافة أو الداخلية)", {"civil", "festival"}),
    ("-(كرة OR مهرجان) الاقتصاد", {"crisis", "law"}),
    ("((اقتصاد أو مالية) -(كرة أو البرلمان))", {"crisis", "budget"}),
    ("(وزير الدفاع) أو مهرجان", {"defence", "civil", "critic", "festival"}),
    ("(اقتصاد أو مالية", {"crisis", "budget", "football", "law"}),  # the bracket closes itself
    ("اقتصاد) كرة", {"football"}),  # a stray closing bracket is ignored
    # «ليس» in a pasted sentence is a word (a stop word): the sentence's article is still found
    ("الدفاع المدني ليس ينقذ", {"civil"}),
    # fields
    ("عنوان:وزير", {"defence", "critic"}),
    ("title:وزير", {"defence", "critic"}),
    ("نص:الاقتصاد", {"football", "law"}),
    ("body:الاقتصاد", {"football", "law"}),
    ("مقدمة:تراجع", {"crisis"}),
    ("lead:تراجع", {"crisis"}),
    ('عنوان:"وزير الدفاع"', {"defence"}),
    ('title:"وزير الدفاع"', {"defence"}),
    ("عنوان:(اقتصاد أو مالية)", {"crisis", "budget", "law"}),
    ("title:(اقتصاد OR مالية)", {"crisis", "budget", "law"}),
    ("عنوان:وزير -عنوان:سابق", {"defence"}),
    ("مصدر:الرياض الاقتصاد", {"crisis", "football", "law"}),
    ("source:riyadh الاقتصاد", {"crisis", "football", "law"}),
    ('مصدر:"جريدة الرياض" الاقتصاد', {"crisis", "football", "law"}),  # an old alias
    ("مصدر:okaz", {"civil", "budget", "festival", "critic"}),  # a filter alone: browsing
    ("مصدر:الرياض مصدر:عكاظ مهرجان", {"festival"}),  # two sources: either
    ("-مصدر:الرياض وزير", {"civil", "festival", "critic"}),
    ("موضوع:اقتصاد", {"crisis", "budget", "law"}),
    ("topic:economy", {"crisis", "budget", "law"}),
    ("موضوع:eco المالية", {"budget", "law"}),  # an old alias's slug
    ("موضوع:اقتصاد -موضوع:سياسة وزير", set()),
    ("مصدر:لاوجود_له وزير", set()),  # an unknown source: nothing, and said
    ("لاحقل:وزير", set()),  # an unknown field is a word: «لاحقل وزير» as written, which no article has
    # proximity
    ("وزير NEAR/5 الدفاع", {"defence", "civil"}),
    ("وزير قرب/5 الدفاع", {"defence", "civil"}),
    ("وزير NEAR/3 الدفاع", {"defence"}),
    ("وزير قرب/3 الدفاع", {"defence"}),
    ("وزير NEAR/20 الدفاع", {"defence", "civil", "critic"}),
    ("وزير PRE/5 الدفاع", {"defence"}),
    ("وزير قبل/5 الدفاع", {"defence"}),
    ("الدفاع PRE/5 وزير", {"civil"}),
    ("الدفاع قبل/5 وزير", {"civil"}),
    ("وزير PRE/20 الدفاع", {"defence", "critic"}),
    ("وزير NEAR/abc الدفاع", {"defence", "civil"}),  # NEAR/5
    ("وزير NEAR الدفاع", {"defence", "civil"}),
    ('"وزير الدفاع"~3', {"defence"}),
    ('"وزير الدفاع"~15', {"defence", "civil", "critic"}),
    ("عنوان:(وزير NEAR/5 الدفاع)", {"defence"}),
    ("title:(وزير NEAR/5 الدفاع)", {"defence"}),
    ("(وزير NEAR/5 الدفاع) -الجنوب", {"civil"}),
    ("(وزير NEAR/5 الدفاع) OR مهرجان", {"defence", "civil", "festival"}),
    # dates
    ("after:2017-01-01 المالية", {"budget", "law"}),
    ("بعد:2017-01-01 المالية", {"budget", "law"}),
    ("before:2017 وزير", {"defence", "festival"}),
    ("قبل:2017 وزير", {"defence", "festival"}),
    ("year:2016 الاقتصاد", {"crisis", "football"}),
    ("سنة:2016 الاقتصاد", {"crisis", "football"}),
    ("after:2016-03 before:2016-08 الجنوب OR تراجع", {"defence", "crisis"}),
    ("بعد:٢٠١٦-٠٣ قبل:٢٠١٦-٠٨ الجنوب أو تراجع", {"defence", "crisis"}),
    ("آخر أسبوع المالية", {"law"}),
    ("آخر شهر وزير", {"critic"}),
    ("آخر سنة", {"law", "critic"}),
    ("قبل:2017 وزير قبل/5 الدفاع", {"defence"}),  # a date and proximity, side by side
    # everything at once
    ("مصدر:الرياض عنوان:(اقتصاد أو مالية) -كرة بعد:2016", {"crisis", "law"}),
    ("source:riyadh title:(اقتصاد OR مالية) NOT كرة after:2016", {"crisis", "law"}),
]

# Arabic and Latin spellings of one query: the same articles.
SAME = [
    ("(اقتصاد أو مالية) ليس كرة", "(اقتصاد OR مالية) NOT كرة"),
    ("وزير و الدفاع", "وزير AND الدفاع"),
    ("عنوان:وزير", "title:وزير"),
    ("مقدمة:تراجع", "lead:تراجع"),
    ("نص:الدفاع", "body:الدفاع"),
    ("مصدر:الرياض وزير", "source:riyadh وزير"),
    ("موضوع:اقتصاد", "topic:economy"),
    ("وزير قرب/5 الدفاع", "وزير NEAR/5 الدفاع"),
    ("الدفاع قبل/5 وزير", "الدفاع PRE/5 وزير"),
    ("بعد:2016 قبل:2017 وزير", "after:2016 before:2017 وزير"),
    ("سنة:2017 المالية", "year:2017 المالية"),
]


@pytest.fixture
def archive():
    riyadh = SourceFactory(key="riyadh", name="الرياض", slug="riyadh")
    okaz = SourceFactory(key="okaz", name="عكاظ", slug="okaz")
    SourceAlias.objects.create(source=riyadh, name="جريدة الرياض", slug="al-riyadh")
    tags = {
        slug: TagFactory(name=name, slug=slug)
        for slug, name in (("economy", "اقتصاد"), ("sport", "رياضة"), ("culture", "ثقافة"), ("politics", "سياسة"))
    }
    TagAlias.objects.create(tag=tags["economy"], name="الاقتصاد الوطني", slug="eco")
    sources = {"riyadh": riyadh, "okaz": okaz}
    ids = {}
    for key, (title, lead, body, source, tag_slugs, when) in DOCS.items():
        published = (
            timezone.now() - dt.timedelta(days=when)
            if isinstance(when, int)
            else timezone.make_aware(dt.datetime.combine(when, dt.time(12)))
        )
        article = ArticleFactory(
            title=title,
            lead=lead,
            body=body,
            source=sources[source],
            published_at=published,
            tags=[tags[s] for s in tag_slugs],
        )
        ids[article.pk] = key
    return ids


def keys(archive, q: str) -> set[str]:
    return {archive[pk] for pk in found(q)}


def test_every_query_of_the_table_finds_its_articles_and_no_other(archive):
    wrong = []
    for q, expected in TABLE:
        got = keys(archive, q)
        if got != expected:
            wrong.append(f"{q!r}: found {sorted(got)}, expected {sorted(expected)}")
    assert not wrong, "\n".join(wrong)
    assert len(TABLE) >= 60


@pytest.mark.parametrize("arabic, latin", SAME)
def test_arabic_and_latin_spellings_find_the_same_articles(archive, arabic, latin):
    assert found(arabic) and sorted(found(arabic)) == sorted(found(latin))


def test_how_the_query_was_understood_is_said(client, archive):
    page = client.get("/search/", {"q": "(اقتصاد أو مالية NEAR/abc كرة"}).content.decode()
    said = 'فُهم بحثك هكذا: «<bdi dir="rtl">'
    assert said in page and "أغلقنا قوسا" in page and "NEAR/5" in page
    page = client.get("/search/", {"q": "مصدر:لاوجود_له وزير"}).content.decode()
    assert "لا نعرف مصدرا" in page
    assert said not in client.get("/search/", {"q": "(اقتصاد أو مالية) -كرة"}).content.decode()
