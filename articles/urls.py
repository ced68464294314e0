from django.urls import include, path, register_converter
from django.urls.converters import StringConverter
from django.views.decorators.http import require_safe

from . import api, credits, feeds, views


class NameConverter(StringConverter):
    """A slug or name in a path: no control character (PostgreSQL refuses a NUL in text, and no slug holds one),
    so /topics/%00/ is a 404 from the resolver, before any query."""

    regex = "[^/\x00-\x1f\x7f]+"


register_converter(NameConverter, "name")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("search/", views.search, name="search"),
    path("search/help/", views.search_help, name="search_help"),
    path("search/feed/", require_safe(feeds.SearchFeed()), name="search_feed"),
    path("search.csv", api.search_csv, name="search_csv"),
    path("api/search", api.api_search, name="api_search"),
    path("api/articles/<int:pk>", api.api_article, name="api_article"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("topics/", views.topics, name="topics"),
    path("topics/<name:slug>/", views.topic, name="topic"),
    path("topics/<name:slug>/feed/", require_safe(feeds.TopicFeed()), name="topic_feed"),
    path("sources/<name:slug>/", views.source, name="source"),
    path("credits/", credits.credits, name="credits"),
    path("", include("articles.journalists.urls")),
]
