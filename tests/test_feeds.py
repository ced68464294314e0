"""Atom feeds of searches and topics: what a feed reader sees, newest first, escaped, in bounded queries."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from articles.models import TagAlias
from articles.search import index
from tests.factories import ArticleFactory, SourceFactory, TagFactory, ant_in

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def when(y, m, d):
    return timezone.make_aware(dt.datetime(y, m, d, 9))


def atom(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


@pytest.fixture
def articles():
    source = SourceFactory(key="jawhara", name="جوهرة أف أم", slug="jawhara")
    economy = TagFactory(name="اقتصاد", slug="economy")
    sport = TagFactory(name="رياضة", slug="sport")
    docs = ant_in("economy")
    old = ArticleFactory(
        title="صادرات الفسفاط تتراجع",
        body=docs[0]["body"] + "\nالفسفاط",
        published_at=when(2015, 3, 1),
        source=source,
        tags=[economy],
    )
    new = ArticleFactory(
        title=docs[1]["title"],
        body=docs[1]["body"] + "\nوارتفع إنتاج الفسفاط.",
        published_at=when(2017, 5, 2),
        source=source,
        tags=[economy, sport],
    )
    middle = ArticleFactory(
        title=docs[2]["title"],
        body=docs[2]["body"] + "\nالفسفاط",
        published_at=when(2016, 1, 9),
        source=source,
        tags=[sport],
    )
    unrelated = ArticleFactory(
        title=docs[3]["title"], body=docs[3]["body"], published_at=when(2017, 6, 1), source=source, tags=[economy]
    )
    return old, middle, new, unrelated


def test_search_feed_lists_matches_newest_first(client, articles):
    old, middle, new, _ = articles
    feed = atom(client.get("/search/feed/", {"q": "الفسفاط", "sort": "oldest"}))
    assert feed.find(f"{ATOM}title").text == "«الفسفاط» — أرشيف الأخبار"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [new.title, middle.title, old.title]
    first = entries[0]
    assert first.find(f"{ATOM}link").get("href") == f"http://testserver/articles/{new.pk}/"
    assert first.find(f"{ATOM}author/{ATOM}name").text == "جوهرة أف أم"
    assert {c.get("term") for c in first.findall(f"{ATOM}category")} == {"اقتصاد", "رياضة"}
    summary = first.find(f"{ATOM}summary")
    assert summary.get("type") == "html" and "<mark>الفسفاط</mark>" in summary.text
    # The feed's own link goes back to the search page with the same filters.
    alternate = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "alternate")
    assert alternate.get("href") == "http://testserver/search/?q=%D8%A7%D9%84%D9%81%D8%B3%D9%81%D8%A7%D8%B7"


def test_search_feed_applies_filters(client, articles):
    _, middle, new, _ = articles
    feed = atom(client.get("/search/feed/", {"q": "الفسفاط", "tag": "sport", "date_from": "2016-01-01"}))
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == [new.title, middle.title]
    empty = atom(client.get("/search/feed/"))
    assert empty.findall(f"{ATOM}entry") == []


def test_topic_feed(client, articles):
    old, _, new, unrelated = articles
    feed = atom(client.get("/topics/economy/feed/"))
    assert feed.find(f"{ATOM}title").text == "اقتصاد — أرشيف الأخبار"
    assert [e.find(f"{ATOM}title").text for e in feed.findall(f"{ATOM}entry")] == [
        unrelated.title,
        new.title,
        old.title,
    ]
    assert client.get("/topics/nothing/feed/").status_code == 404
    TagAlias.objects.create(tag=new.tags.get(slug="economy"), name="مال", slug="money")
    assert len(atom(client.get("/topics/money/feed/")).findall(f"{ATOM}entry")) == 3


def test_hostile_query_is_escaped_in_the_feed(client, articles):
    feed = atom(client.get("/search/feed/", {"q": '<script>alert(1)</script>]]> الفسفاط & "x"'}))
    assert feed.find(f"{ATOM}title").text == '«<script>alert(1)</script>]]> الفسفاط & "x"» — أرشيف الأخبار'


def test_feed_query_budget(client, articles, django_assert_max_num_queries):
    index.drain()  # what the indexer has done by now: the page's own queries are counted
    with django_assert_max_num_queries(5):
        client.get("/search/feed/", {"q": "الفسفاط"})
    with django_assert_max_num_queries(4):
        client.get("/topics/economy/feed/")


def stamp(entry: ET.Element, name: str) -> dt.datetime:
    return dt.datetime.fromisoformat(entry.find(f"{ATOM}{name}").text)


def _entries(feed) -> dict[str, ET.Element]:
    return {e.find(f"{ATOM}title").text: e for e in feed.findall(f"{ATOM}entry")}


def test_the_search_feeds_self_link_keeps_its_query(client, articles):
    feed = atom(client.get("/search/feed/", {"q": "الفسفاط", "tag": "sport", "page": "2"}))
    self_link = next(link for link in feed.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert self_link.get("href") == (
        "http://testserver/search/feed/?q=%D8%A7%D9%84%D9%81%D8%B3%D9%81%D8%A7%D8%B7&tag=sport"
    )
    topic = atom(client.get("/topics/economy/feed/"))
    assert (
        next(link.get("href") for link in topic.findall(f"{ATOM}link") if link.get("rel") == "self")
        == "http://testserver/topics/economy/feed/"
    )


def test_an_entry_is_updated_when_published_or_when_an_editor_changed_it(client, articles, admin_user):
    from django.contrib.admin.models import CHANGE, LogEntry

    old, middle, new, _ = articles
    # An import long after publication rewrote updated_at: the feed does not read it as a change.
    type(old).objects.filter(pk__in=[old.pk, middle.pk, new.pk]).update(updated_at=timezone.now())
    entries = _entries(atom(client.get("/search/feed/", {"q": "الفسفاط"})))
    assert stamp(entries[old.title], "updated") == when(2015, 3, 1)
    assert stamp(entries[new.title], "updated") == when(2017, 5, 2)
    edited = when(2018, 1, 5)
    LogEntry.objects.log_actions(
        admin_user.pk, [middle], CHANGE, change_message='[{"changed": {"fields": ["body"]}}]', single_object=True
    )
    LogEntry.objects.filter(object_id=str(middle.pk)).update(action_time=edited)
    entries = _entries(atom(client.get("/search/feed/", {"q": "الفسفاط"})))
    assert stamp(entries[middle.title], "updated") == when(2018, 1, 5)
    assert stamp(entries[middle.title], "published") == when(2016, 1, 9)
    assert stamp(entries[old.title], "updated") == when(2015, 3, 1)
    topic = _entries(atom(client.get("/topics/sport/feed/")))
    assert stamp(topic[middle.title], "updated") == when(2018, 1, 5)
