from django.urls import path

from . import views

app_name = "baseline"
urlpatterns = [
    path("api/search", views.api_search, name="api_search"),
    path("search/", views.search, name="search"),
]
