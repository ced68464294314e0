"""bench/baseline, the plain-Django search the load benchmark compares ours with (bench/search_load.py).

The baseline app lives only in bench.settings, never in the app's settings: here it is installed for one test at a
time and its table created inside the test's transaction, so the test database and registry are left as found.
"""

import datetime as dt
import importlib
import json

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, SourceFactory, TagFactory


def test_bench_settings_add_the_baseline_only_there():
    bench = importlib.import_module("bench.settings")
    assert bench.INSTALLED_APPS[-1] == "bench.baseline" and bench.ROOT_URLCONF == "bench.urls"
    assert set(settings.INSTALLED_APPS) < set(bench.INSTALLED_APPS)
    assert "bench.baseline" not in settings.INSTALLED_APPS and not apps.is_installed("bench.baseline")


@pytest.fixture
def baseline(db):
    """The baseline app installed, its URLs served, its table created (rolled back with the test)."""
    with override_settings(INSTALLED_APPS=[*settings.INSTALLED_APPS, "bench.baseline"], ROOT_URLCONF="bench.urls"):
        from bench.baseline.models import BaselineDocument

        # Swapping INSTALLED_APPS leaves each model's cached relations as they were (the registry only expires
        # them when a model class is first defined), so Article learns of `baseline` here and forgets it after.
        apps.clear_cache()
        with connection.schema_editor() as editor:
            editor.create_model(BaselineDocument)
        yield BaselineDocument
    apps.clear_cache()


def article(title, body, days_ago, **kw):
    return ArticleFactory(title=title, body=body, published_at=timezone.now() - dt.timedelta(days=days_ago), **kw)


@pytest.fixture
def archive(baseline):
    from bench.baseline.management.commands.baseline_index import fill_range

    sport = TagFactory(name="رياضة", slug="sport")
    radio = SourceFactory(key="jawharafm", slug="jawharafm", name="جوهرة أف أم")
    docs = {
        "title": article("وزير الدفاع يزور الجنوب", "زار الوزير ولاية تطاوين وتفقد الوحدات العسكرية.", 400),
        "body": article(
            "زيارة ميدانية إلى الحدود", "أدى وزير الدفاع زيارة إلى الحدود رفقة قيادات الجيش.", 1, source=radio
        ),
        "other": article("مباراة الترجي والنجم الساحلي", "فاز الترجي في مباراة كرة القدم أمس.", 2, source=radio),
    }
    docs["other"].tags.add(sport)
    ids = Article.objects.values_list("pk", flat=True)
    assert fill_range(min(ids), max(ids)) == 3
    assert fill_range(min(ids), max(ids)) == 0  # only articles without a document
    return docs


def test_index_statement_is_djangos_weighted_search_vector(baseline):
    from bench.baseline.management.commands.baseline_index import fill_sql

    sql, params = fill_sql(1, 10)
    assert sql.startswith("INSERT INTO baseline_baselinedocument (article_id, vector) SELECT")
    assert sql.count("setweight(to_tsvector(") == 3 and "LEFT OUTER JOIN" in sql
    assert params[:9] == ["arabic", "", "A", "arabic", "", "B", "arabic", "", "C"]


def test_search_ranks_with_searchrank_and_filters_with_the_orm(archive):
    from bench.baseline.views import baseline_search, facets

    ordered, matches, _ = baseline_search(Article.objects.all(), {"q": "وزير الدفاع"})
    assert [a.pk for a in ordered] == [archive["title"].pk, archive["body"].pk]  # title (A) above body (C)
    ordered, _, _ = baseline_search(Article.objects.all(), {"q": "وزير الدفاع", "sort": "newest"})
    assert [a.pk for a in ordered] == [archive["body"].pk, archive["title"].pk]
    ordered, _, _ = baseline_search(Article.objects.all(), {"q": "وزير الدفاع", "source": "jawharafm"})
    assert [a.pk for a in ordered] == [archive["body"].pk]
    ordered, _, _ = baseline_search(Article.objects.all(), {"q": "مباراة", "tag": "sport", "date_from": "bad"})
    assert [a.pk for a in ordered] == [archive["other"].pk]
    year = str(archive["title"].published_at.year)
    found = facets(matches)
    assert {f["value"]: f["count"] for f in found["sources"]}["jawharafm"] == 1
    assert sum(f["count"] for f in found["sources"]) == 2
    assert sum(f["count"] for f in found["years"]) == 2 and year in {f["value"] for f in found["years"]}


def test_api_and_page_answer_like_ours(archive, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = client.get("/baseline/api/search", {"q": "وزير الدفاع", "page_size": 1})
    data = json.loads(response.content)
    assert response.status_code == 200 and data["count"] == 2 and "page=2" in data["next"]
    assert set(data["results"][0]) >= {"id", "title", "url", "source", "published_at", "tags", "snippet"}
    assert set(data["facets"]) == {"sources", "years"}
    second = json.loads(client.get(data["next"]).content)
    assert second["results"][0]["id"] == archive["body"].pk and second["next"] is None
    assert "<b>وزير</b> <b>الدفاع</b>" in second["results"][0]["snippet"]  # SearchHeadline
    page = client.get("/baseline/search/", {"q": "وزير الدفاع"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "وزير الدفاع يزور الجنوب" in html and "<b>" not in html.split("<main", 1)[1]
