from __future__ import annotations

import datetime
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importing.formats import UNSUPPORTED, parse, sniff
from articles.importing.records import FileProblem, ParsedArticle

UTC1 = datetime.timezone(datetime.timedelta(hours=1))

ANT_DOC = """<DOC>
<DOCNO>JA-sport-100-20170129</DOCNO>
<URL>http://www.jawharafm.net/ar/article/روني-يحصل-على-جائزة/96/76947</URL> 
<SRC>Jawhara FM</SRC>
<CAT>sport</CAT>
<TITLE>روني يحصل على جائزة الهداف التاريخي للمان يونايتد</TITLE>
<TIME>2017-01-29T17:33:00+01:00</TIME>
<AUTHOR></AUTHOR>
<ABSTRACT>
أهدى فريق مانشستير يونايتد لاعبه جائزة الهداف .
</ABSTRACT>
<TEXT>
أهدى فريق مانشستير   يونايتد لاعبه جائزة الهداف .
و قام الأسطورة بوبي شارلتون , 249 هدفا ,  بتسليم الجائزة .
</TEXT>
</DOC>"""


def records(text: str, origin: str = "f", **kwargs) -> list[ParsedArticle | FileProblem]:
    return list(parse(text, origin, **kwargs))


def one(text: str, origin: str = "f", **kwargs) -> ParsedArticle:
    (record,) = records(text, origin, **kwargs)
    assert isinstance(record, ParsedArticle), record
    return record


# --------------------------------------------------------------------------------------------------------- sniff


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  \n<DOC>\n<TITLE>x</TITLE></DOC>", "trec"),
        ("<doc><title>x</title></doc>", "trec"),
        ('<?xml version="1.0"?>\n<DOC><TITLE>x</TITLE></DOC>', "trec"),
        ('[{"title": "x"}]', "json"),
        ('{\n  "title": "x"\n}', "json"),
        ('{"title": "a"}\n{"title": "b"}\n', "jsonl"),
        ('{"title": "a", "body": \n{"title": "b"}\n{"title": "c"}\n', "jsonl"),
        ("<!DOCTYPE html><html><body>x</body></html>", "html"),
        ("<html lang=ar><p>x</p></html>", "html"),
        ('<?xml version="1.0"?><rss><channel/></rss>', "xml"),
        ("{\\rtf1\\ansi hello}", "rtf"),
        ("عنوان\n\nنص", "text"),
        ("<<عنوان>>\nنص", "text"),
    ],
)
def test_sniff(text, expected):
    assert sniff(text) == expected


def test_sniff_uses_the_extension_only_for_single_line_jsonl():
    assert sniff('{"title": "a"}', "x.json") == "json"
    assert sniff('{"title": "a"}', "x.jsonl") == "jsonl"


@pytest.mark.parametrize("kind", sorted(UNSUPPORTED))
def test_unsupported_formats_are_problems_with_reasons(kind):
    text = {"html": "<!DOCTYPE html><html></html>", "xml": "<?xml version='1.0'?><a/>", "rtf": "{\\rtf1 x}"}[kind]
    (problem,) = records(text)
    assert problem == FileProblem("f", UNSUPPORTED[kind])
    assert kind.upper() in problem.reason


def test_html_can_be_forced_as_text():
    article = one("<html>\nعنوان\nنص طويل بما يكفي ليكون فقرة من المقال.\n</html>", fmt="text")
    assert article.title == "<html>"


def test_unknown_format_is_a_programming_error():
    with pytest.raises(ValueError):
        records("x", fmt="xml")


# ---------------------------------------------------------------------------------------------------------- TREC


def test_ant_document():
    article = one(ANT_DOC, "sport/JA-sport-100-20170129.txt")
    assert article.title == "روني يحصل على جائزة الهداف التاريخي للمان يونايتد"
    assert article.body == (
        "أهدى فريق مانشستير يونايتد لاعبه جائزة الهداف .\n\nو قام الأسطورة بوبي شارلتون , 249 هدفا , بتسليم الجائزة ."
    )
    assert article.lead == "أهدى فريق مانشستير يونايتد لاعبه جائزة الهداف ."
    assert article.url == "http://www.jawharafm.net/ar/article/روني-يحصل-على-جائزة/96/76947"
    assert article.doc_id == "JA-sport-100-20170129"
    assert article.published_at == datetime.datetime(2017, 1, 29, 17, 33, tzinfo=UTC1)
    assert article.categories == ["sport"]
    assert article.source_key == "jawharafm"
    assert article.author == ""
    assert article.format == "trec"
    assert article.origin == "sport/JA-sport-100-20170129.txt"
    assert article.raw == ANT_DOC
    assert article.notes == []


def test_single_doc_raw_keeps_surrounding_whitespace():
    text = "\n\n" + ANT_DOC + "\n"
    assert one(text).raw == text


@pytest.mark.parametrize(
    ("time", "expected"),
    [
        ("2017-01-21T13:34:00+01:00", datetime.datetime(2017, 1, 21, 13, 34, tzinfo=UTC1)),
        ("21/01/2017", datetime.datetime(2017, 1, 21)),
        ("2017-06-18T134900", datetime.datetime(2017, 6, 18, 13, 49)),
        ("2017-06-18", datetime.datetime(2017, 6, 18)),
        ("2017-06-18 13:49:00", datetime.datetime(2017, 6, 18, 13, 49)),
        ("2017-06-18T13:49:00Z", datetime.datetime(2017, 6, 18, 13, 49, tzinfo=datetime.UTC)),
    ],
)
def test_trec_time_formats(time, expected):
    article = one(f"<DOC><TITLE>t</TITLE><TIME>{time}</TIME><TEXT>نص</TEXT></DOC>")
    assert article.published_at == expected
    assert (article.published_at.tzinfo is None) == (expected.tzinfo is None)


def test_trec_unknown_time_is_a_note_not_a_failure():
    article = one("<DOC><TITLE>t</TITLE><TIME>قريبا</TIME></DOC>")
    assert article.published_at is None
    assert any("قريبا" in note and "بلا تاريخ" in note for note in article.notes)


def test_multi_doc_file_origins_and_raw_substrings():
    docs = [f"<DOC>\n<DOCNO>d{i}</DOCNO>\n<TITLE>عنوان {i}</TITLE>\n<TEXT>نص {i}</TEXT>\n</DOC>" for i in range(3)]
    text = "\n".join(docs) + "\n"
    result = records(text, "docs.trec")
    assert [r.origin for r in result] == ["docs.trec#0", "docs.trec#1", "docs.trec#2"]
    assert [r.raw for r in result] == docs
    assert [r.doc_id for r in result] == ["d0", "d1", "d2"]


def test_tags_are_case_insensitive_any_order_and_optional():
    article = one("<doc><text>\nفقرة أولى\n\n\nفقرة ثانية\n</text><Title>عنوان</Title><cat>a</cat><CAT>b</CAT></doc>")
    assert article.title == "عنوان"
    assert article.body == "فقرة أولى\n\nفقرة ثانية"
    assert article.categories == ["a", "b"]
    assert article.published_at is None and article.url == "" and article.source_key == ""


def test_raw_ampersands_and_entities():
    article = one("<DOC><TITLE>R&D &amp; AT&T &lt;ok&gt; &quot;x&quot; &#1575;</TITLE><TEXT>a & b</TEXT></DOC>")
    assert article.title == 'R&D & AT&T <ok> "x" ا'
    assert article.body == "a & b"


def test_unclosed_field_tag_is_recovered_with_a_note():
    article = one("<DOC>\n<TITLE>عنوان المقال\n<TEXT>\nنص المقال\n</TEXT>\n</DOC>")
    assert article.title == "عنوان المقال"
    assert article.body == "نص المقال"
    assert article.notes == ["unclosed <TITLE> tag"]


def test_unclosed_doc_and_text_at_end_of_file():
    article = one("<DOC>\n<DOCNO>x</DOCNO>\n<TITLE>عنوان</TITLE>\n<TEXT>\nنص مقطوع")
    assert article.title == "عنوان"
    assert article.body == "نص مقطوع"
    assert set(article.notes) == {"unclosed <DOC> tag", "unclosed <TEXT> tag"}


def test_unclosed_doc_followed_by_another_doc():
    result = records("<DOC><TITLE>a</TITLE>\n<DOC><TITLE>b</TITLE></DOC>", "x")
    assert [r.title for r in result] == ["a", "b"]
    assert [r.origin for r in result] == ["x#0", "x#1"]


def test_doc_without_title_and_text_is_a_problem_and_others_survive():
    result = records("<DOC><DOCNO>1</DOCNO><TITLE> </TITLE><TEXT>\n</TEXT></DOC>\n<DOC><TITLE>b</TITLE></DOC>", "x")
    assert result[0] == FileProblem("x#0", "<DOC> has neither a <TITLE> nor a <TEXT>")
    assert isinstance(result[1], ParsedArticle) and result[1].title == "b"


def test_empty_title_with_body_is_a_record():
    article = one("<DOC><TITLE> </TITLE><TEXT>نص</TEXT></DOC>")
    assert article.title == "" and article.body == "نص"


def test_forced_trec_without_doc():
    assert records("just text", fmt="trec") == [FileProblem("f", "no <DOC> element found")]


def test_trec_source_from_url_when_src_is_missing():
    article = one("<DOC><URL>http://www.jawharafm.net/ar/article/x/92/1</URL><TITLE>t</TITLE></DOC>")
    assert article.source_key == "jawharafm"


def test_trec_presentation_forms_are_folded_in_text_not_raw():
    text = "<DOC><TITLE>\ufefb\ufee3\ufe8e\ufee5</TITLE><TEXT>\ufedf\ufef4\ufeb2</TEXT></DOC>"
    article = one(text)
    assert article.title == "لامان"
    assert article.body == "ليس"
    assert article.raw == text


# ---------------------------------------------------------------------------------------------------------- JSON

SNN_LIKE = """[
    {
        "source": "3alyoum",
        "url": "http://www.3alyoum.com/news/a/x/",
        "date_extracted": "2015-08-06 01:00:00",
        "title": "مزحة مبتعث سعودي",
        "author": "",
        "content": " لجين الأحمدي – عين اليوم\\n تسببت مزحة غريبة.\\n\\n وبحسب صحيفة ديلي نيوز."
    },
    {
        "source": "aawsat",
        "url": "http://aawsat.com/home/article/1",
        "date_extracted": "2015-08-06 02:00:00",
        "title": "عنوان ثان",
        "author": "كاتب",
        "content": "فقرة.\\n\\n ...المزيد"
    }
]"""


def test_json_array_records_and_verbatim_raw():
    result = records(SNN_LIKE, "2015-08-06.json")
    assert [r.origin for r in result] == ["2015-08-06.json#0", "2015-08-06.json#1"]
    first, second = result
    assert first.title == "مزحة مبتعث سعودي"
    assert first.body == "لجين الأحمدي – عين اليوم\n\nتسببت مزحة غريبة.\n\nوبحسب صحيفة ديلي نيوز."
    assert first.published_at == datetime.datetime(2015, 8, 6, 1, 0)
    assert first.source_key == "3alyoum"
    assert first.format == "json"
    assert second.body == "فقرة."  # aawsat "...المزيد" footer dropped
    assert second.author == "كاتب"
    for record in result:
        assert record.raw in SNN_LIKE
        assert json.loads(record.raw)["title"] == record.title
    assert first.raw.startswith('{\n        "source": "3alyoum"') and first.raw.endswith("}")


def test_truncated_json_array_keeps_complete_records():
    text = SNN_LIKE[: SNN_LIKE.index('"title": "عنوان ثان"') + 12]
    result = records(text, "day.json")
    assert isinstance(result[0], ParsedArticle)
    assert isinstance(result[1], FileProblem)
    assert result[1].origin == "day.json#1"
    assert result[1].reason.startswith("JSON: ")
    assert "truncated" in result[1].reason and "skipped" in result[1].reason
    assert len(result) == 2


def test_json_array_not_closed():
    text = '[{"title": "a", "body": "b"}'
    result = records(text, "x.json")
    assert isinstance(result[0], ParsedArticle)
    assert result[1].origin == "x.json" and "not closed" in result[1].reason


def test_json_missing_comma_reports_line_and_column():
    text = '[\n{"title": "a"}\n{"title": "b"}\n]'
    result = records(text, "x.json")
    assert result[0].title == "a"
    assert result[1] == FileProblem(
        "x.json#1", "JSON: Expecting ',' delimiter at line 3 column 1; records from #1 on were skipped"
    )


def test_json_syntax_error_message():
    (problem,) = records('{"title": "a",\n "body": "b"\n "x": 1}', "x.json")
    assert problem == FileProblem("x.json", "JSON: Expecting ',' delimiter at line 3 column 2")


def test_json_wrong_types_are_coerced_or_reported_per_record():
    data = [
        {"title": 2024, "body": ["فقرة 1", "فقرة 2"]},  # number -> str, list of strings -> paragraphs
        {"title": True, "body": "x"},  # boolean title: refused
        {"title": "t", "content": {"html": "<p>x</p>"}},  # object body: refused
        "just a string",
        {"headline": "h", "text": "t", "tags": ["a", 3], "authors": ["A", {"name": "B"}], "published": 1438819200},
        {"id": 5, "foo": "bar"},
        {"title": "", "content": "   "},
    ]
    result = records(json.dumps(data, ensure_ascii=False), "x.json")
    assert isinstance(result[0], ParsedArticle)
    assert result[0].title == "2024" and result[0].body == "فقرة 1\n\nفقرة 2"
    assert result[1] == FileProblem("x.json#1", "JSON record: field 'title' is a boolean, expected text")
    assert result[2] == FileProblem("x.json#2", "JSON record: field 'content' is an object, expected text")
    assert result[3] == FileProblem("x.json#3", "JSON record is a string, not an object")
    fifth = result[4]
    assert isinstance(fifth, ParsedArticle)
    assert fifth.title == "h" and fifth.categories == ["a", "3"] and fifth.author == "A، B"
    assert fifth.published_at == datetime.datetime(2015, 8, 6, tzinfo=datetime.UTC)
    assert result[5] == FileProblem("x.json#5", "JSON record has no title or body field (its keys: foo, id)")
    assert result[6] == FileProblem("x.json#6", "JSON record has an empty title and an empty body")


def test_json_field_aliases_and_priorities():
    obj = {
        "Title": "  عنوان  ",
        "maintext": "نص",
        "description": "ملخص",
        "link": " http://www.alriyadh.com/1 ",
        "date_publish": "2024-12-14T10:00:00+03:00",
        "section": "محليات",
        "docno": "A1",
        "credit": "واس",
    }
    article = one(json.dumps(obj, ensure_ascii=False), "a.json")
    assert article.origin == "a.json"  # a single object: no "#N"
    assert article.title == "عنوان" and article.body == "نص" and article.lead == "ملخص"
    assert article.url == "http://www.alriyadh.com/1"
    assert article.source_key == "alriyadh"  # from the URL: no source field
    assert article.published_at == datetime.datetime(
        2024, 12, 14, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=3))
    )
    assert article.categories == ["محليات"] and article.doc_id == "A1" and article.credit == "واس"


def test_json_html_body_is_stripped():
    article = one(json.dumps({"title": "t", "body": "<p>فقرة &amp; أولى</p><p>فقرة<br>ثانية</p>"}))
    assert article.body == "فقرة & أولى\n\nفقرة\n\nثانية"


def test_json_wrapper_object():
    text = json.dumps(
        {
            "status": "ok",
            "totalResults": 2,
            "articles": [
                {
                    "source": {"id": None, "name": "Youm7"},
                    "title": "a",
                    "content": "x",
                    "publishedAt": "2024-01-01T00:00:00Z",
                },
                {"source": {"name": "Al Masry Al Youm"}, "title": "b", "content": "y"},
            ],
        },
        indent=2,
    )
    result = records(text, "api.json")
    assert [r.origin for r in result] == ["api.json#0", "api.json#1"]
    assert [r.source_key for r in result] == ["youm7", "al-masry-al-youm"]
    assert result[0].published_at == datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    assert json.loads(result[1].raw)["title"] == "b" and result[1].raw in text


def test_concatenated_pretty_printed_objects():
    objs = [json.dumps({"title": f"t{i}", "body": "b"}, indent=2) for i in range(3)]
    text = "\n".join(objs)
    result = records(text, "c.json")
    assert [r.origin for r in result] == ["c.json#0", "c.json#1", "c.json#2"]
    assert [r.raw for r in result] == objs


def test_empty_json_array():
    assert records("[ ]", "e.json") == [FileProblem("e.json", "JSON array is empty")]


def test_trailing_comma_is_tolerated():
    assert [r.title for r in records('[{"title": "a"},]')] == ["a"]


def test_junk_after_array():
    result = records('[{"title": "a"}] trailing', "j.json")
    assert result[0].title == "a" and result[1].origin == "j.json" and "after the array" in result[1].reason


def test_jsonl_with_a_broken_line():
    lines = ['{"title": "a", "body": "x"}', '{"title": "b", "body": ', "", '{"title": "c", "body": "z"}\r']
    result = records("\n".join(lines) + "\n", "d.jsonl")
    assert [type(r).__name__ for r in result] == ["ParsedArticle", "FileProblem", "ParsedArticle"]
    assert result[0].raw == lines[0] and result[0].format == "jsonl"
    assert result[1].origin == "d.jsonl#1" and result[1].reason.startswith("JSON (line 2): ")
    assert result[2].origin == "d.jsonl#2" and result[2].raw == '{"title": "c", "body": "z"}'


def test_jsonl_line_separator_inside_a_string_does_not_split_records():
    text = json.dumps({"title": "a\u2028b", "body": "x"}, ensure_ascii=False) + "\n" + '{"title": "c"}\n'
    assert [r.origin for r in records(text, "u.jsonl")] == ["u.jsonl#0", "u.jsonl#1"]


def test_deeply_nested_json_does_not_crash():
    result = records("[" * 100000, "deep.json")
    assert len(result) == 1 and isinstance(result[0], FileProblem)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.sampled_from(["auto", "text", "trec", "json", "jsonl"]))
def test_parse_never_crashes(text, fmt):
    for record in parse(text, "fuzz", fmt=fmt):
        assert isinstance(record, (ParsedArticle, FileProblem))
        if isinstance(record, FileProblem):
            assert record.reason


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "title": st.text('ابتث جحخ"\\abc', min_size=1, max_size=30).filter(str.strip),
                "content": st.text(max_size=60),
            }
        ),
        min_size=1,
        max_size=5,
    )
)
def test_json_raw_is_the_exact_object_text(objects):
    text = json.dumps(objects, ensure_ascii=False, indent=1)
    result = records(text, "h.json")
    assert len(result) == len(objects)
    for record, obj in zip(result, objects):
        assert isinstance(record, ParsedArticle)
        assert json.loads(record.raw) == obj
