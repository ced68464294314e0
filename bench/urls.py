from django.urls import include, path

from newsarchive.urls import urlpatterns as app_urlpatterns

urlpatterns = [path("baseline/", include("bench.baseline.urls")), *app_urlpatterns]
