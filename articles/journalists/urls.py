"""The journalists' pages, in the `articles` namespace: accounts, saved searches and alerts, collections."""

from django.urls import include, path

urlpatterns = [
    path("", include("articles.journalists.account_urls")),
    path("", include("articles.journalists.search_urls")),
    path("", include("articles.journalists.collection_urls")),
]
