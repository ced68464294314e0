"""The collections' pages («ملفاتي»), in the `articles` namespace."""

from django.urls import path

from . import collection_views as views

urlpatterns = [
    path("collections/", views.collection_list, name="collections"),
    path("collections/add/", views.collection_add, name="collection_add"),
    path("collections/<int:pk>/", views.collection_detail, name="collection"),
    path("collections/<int:pk>/edit/", views.collection_edit, name="collection_edit"),
    path("collections/<int:pk>/delete/", views.collection_delete, name="collection_delete"),
    path("collections/<int:pk>/share/", views.collection_share, name="collection_share"),
    path("collections/<int:pk>/unshare/", views.collection_unshare, name="collection_unshare"),
    path("collections/<int:pk>/export.csv", views.collection_csv, name="collection_csv"),
    path("collections/<int:pk>/print/", views.collection_print, name="collection_print"),
    path("collections/items/<int:pk>/note/", views.item_note, name="collection_item_note"),
    path("collections/items/<int:pk>/move/", views.item_move, name="collection_item_move"),
    path("collections/items/<int:pk>/remove/", views.item_remove, name="collection_item_remove"),
]
