from django.urls import path

from . import search_views

urlpatterns = [
    path("me/searches/", search_views.saved_searches, name="saved_searches"),
    path("me/searches/save/", search_views.save_search, name="save_search"),
    path("me/searches/<int:pk>/", search_views.saved_search, name="saved_search"),
    path("me/searches/<int:pk>/delete/", search_views.delete_saved_search, name="delete_saved_search"),
    path("me/searches/<int:pk>/new/", search_views.saved_search_new, name="saved_search_new"),
    path("alerts/unsubscribe/<str:token>/", search_views.unsubscribe, name="unsubscribe"),
]
