"""Saved searches from the journalist's side: saving from a results page, «بحوثي» with what is new, editing,
privacy between journalists, and bad input that loses nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from articles.journalists import searches
from articles.journalists.models import SavedSearch
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

BODY = "أعلنت وزارة الصحة عن تجهيز مستشفى قابس الجامعي بمعدات حديثة لقسم الطوارئ."


def _article(title: str, **kwargs):
    return ArticleFactory(
        title=title, body=title + ". " + BODY, published_at=timezone.now() - dt.timedelta(days=1), **kwargs
    )


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def logged_in(client, journalist):
    client.force_login(journalist)
    return client


def test_a_search_is_saved_from_its_results_page_with_its_filters(logged_in, journalist):
    SourceFactory(key="mosaique", name="موزاييك أف أم", slug="mosaique")
    _article("مستشفى قابس يستقبل أول مرضاه")
    page = logged_in.get(reverse("articles:search"), {"q": "مستشفى", "source": "mosaique", "sort": "newest"})
    html = page.content.decode()
    assert "احفظ هذا البحث" in html and 'name="source" value="mosaique"' in html
    response = logged_in.post(
        reverse("articles:save_search"),
        {
            "q": "مستشفى",
            "source": "mosaique",
            "sort": "newest",
            "page": "3",
            "name": "  مستشفيات   الجنوب ",
            "frequency": "daily",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("articles:saved_searches")
    saved = SavedSearch.objects.get(user=journalist)
    assert (saved.name, saved.frequency) == ("مستشفيات الجنوب", "daily")
    assert saved.params == {"q": "مستشفى", "source": "mosaique", "sort": "newest"}  # no page, no defaults
    assert saved.search_url() == "/search/?q=%D9%85%D8%B3%D8%AA%D8%B4%D9%81%D9%89&source=mosaique&sort=newest"


def test_my_searches_count_what_is_new_and_show_only_that(logged_in, journalist):
    _article("مستشفى صفاقس يدشن قسما جديدا")
    saved = searches.save_search(journalist, {"q": "مستشفى"}, name="مستشفيات")
    listing = logged_in.get(reverse("articles:saved_searches")).content.decode()
    assert "مستشفيات" in listing and "لا جديد منذ آخر زيارة" in listing
    new = _article("مستشفى قابس يستقبل أول مرضاه")
    _article("مستشفى المنستير يفتح قسما للحروق")
    listing = logged_in.get(reverse("articles:saved_searches")).content.decode()
    assert "اعرض الجديد: نتيجتان" in listing
    response = logged_in.post(reverse("articles:saved_search_new", args=[saved.pk]))
    assert response.status_code == 302 and "after=" in response["Location"]
    results = logged_in.get(response["Location"]).content.decode()
    assert "أول مرضاه" in results and "للحروق" in results and "صفاقس" not in results
    assert "منذ آخر زيارة لبحثك فقط" in results
    assert new.pk <= SavedSearch.objects.get(pk=saved.pk).seen_through
    assert "لا جديد منذ آخر زيارة" in logged_in.get(reverse("articles:saved_searches")).content.decode()


def test_rename_change_alert_and_delete(logged_in, journalist):
    saved = searches.save_search(journalist, {"q": "مستشفى"}, name="مستشفيات")
    searches.save_search(journalist, {"q": "وزير"}, name="وزراء")
    url = reverse("articles:saved_search", args=[saved.pk])
    assert 'value="مستشفيات"' in logged_in.get(url).content.decode()
    taken = logged_in.post(url, {"name": "وزراء", "frequency": "weekly"})
    assert taken.status_code == 200 and "لديك بحث محفوظ باسم «وزراء»" in taken.content.decode()
    assert SavedSearch.objects.get(pk=saved.pk).name == "مستشفيات"  # nothing changed
    assert logged_in.post(url, {"name": "الصحة", "frequency": "weekly"}).status_code == 302
    saved.refresh_from_db()
    assert (saved.name, saved.frequency) == ("الصحة", "weekly")
    article = _article("مستشفى قابس يستقبل أول مرضاه")
    logged_in.post(reverse("articles:delete_saved_search", args=[saved.pk]))
    assert not SavedSearch.objects.filter(pk=saved.pk).exists()
    assert SavedSearch.objects.filter(user=journalist).count() == 1
    assert type(article).objects.filter(pk=article.pk).exists()


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({"q": "", "name": "لا شيء"}, "لا شيء لحفظه"),
        ({"q": "وزير " * 2500, "name": "طويل"}, "الاستعلام أطول من 500 حرف"),
        ({"q": "وزير", "name": "اسم" * 100}, "الاسم أطول من 200 حرف"),
        ({"q": "وزير", "name": "وزراء", "frequency": "hourly"}, "تواتر تنبيه غير معروف"),
    ],
)
def test_bad_input_is_refused_in_arabic_and_loses_nothing(logged_in, journalist, post, message):
    searches.save_search(journalist, {"q": "مستشفى"}, name="مستشفيات")
    response = logged_in.post(reverse("articles:save_search"), {"frequency": "never", **post})
    assert response.status_code == 302 and response["Location"].startswith(reverse("articles:search"))
    assert any(message in m for m in _messages(response))
    assert list(SavedSearch.objects.filter(user=journalist).values_list("name", flat=True)) == ["مستشفيات"]


def test_an_empty_name_takes_the_query(logged_in, journalist):
    logged_in.post(reverse("articles:save_search"), {"q": "وزير الدفاع", "name": "   ", "frequency": "never"})
    assert SavedSearch.objects.get(user=journalist).name == "وزير الدفاع"


def test_one_journalist_never_sees_anothers_searches(client, journalist, make_journalist):
    mine = searches.save_search(journalist, {"q": "مستشفى"}, name="مستشفيات سلمى")
    other = make_journalist("karim")
    client.force_login(other)
    assert "مستشفيات سلمى" not in client.get(reverse("articles:saved_searches")).content.decode()
    for name in ("saved_search", "delete_saved_search", "saved_search_new"):
        url = reverse(f"articles:{name}", args=[mine.pk])
        assert client.post(url, {"name": "مسروق", "frequency": "never"}).status_code == 404
    assert client.get(reverse("articles:saved_search", args=[mine.pk])).status_code == 404
    assert SavedSearch.objects.get(pk=mine.pk).name == "مستشفيات سلمى"


def test_visitors_log_in_and_other_roles_are_refused(client, django_user_model):
    url = reverse("articles:saved_searches")
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("articles:login"))
    assert "ادخل لتحفظ هذا البحث" in client.get(reverse("articles:search"), {"q": "وزير"}).content.decode()
    editor = django_user_model.objects.create_user("editor", password="x")
    client.force_login(editor)
    assert client.get(url).status_code == 403
    assert client.post(reverse("articles:save_search"), {"q": "وزير"}).status_code == 403
    assert "احفظ هذا البحث" not in client.get(reverse("articles:search"), {"q": "وزير"}).content.decode()


def test_saved_search_pages_never_change_on_get(logged_in, journalist):
    saved = searches.save_search(journalist, {"q": "مستشفى"}, name="مستشفيات")
    _article("مستشفى قابس يستقبل أول مرضاه")
    for name in ("delete_saved_search", "saved_search_new"):
        assert logged_in.get(reverse(f"articles:{name}", args=[saved.pk])).status_code == 405
    assert SavedSearch.objects.get(pk=saved.pk).seen_through == saved.seen_through
