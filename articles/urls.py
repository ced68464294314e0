from django.urls import include, path
from django.views.decorators.http import require_safe

from . import api, feeds, views

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("search/help/", views.search_help, name="search_help"),
    path("search/feed/", require_safe(feeds.SearchFeed()), name="search_feed"),
    path("search.csv", api.search_csv, name="search_csv"),
    path("api/search", api.api_search, name="api_search"),
    path("api/articles/<int:pk>", api.api_article, name="api_article"),
    path("articles/<int:pk>/", views.article_detail, name="detail"),
    path("topics/", views.topics, name="topics"),
    path("topics/<str:slug>/", views.topic, name="topic"),
    path("topics/<str:slug>/feed/", require_safe(feeds.TopicFeed()), name="topic_feed"),
    path("sources/<str:slug>/", views.source, name="source"),
    path("", include("articles.journalists.urls")),
]
