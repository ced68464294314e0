from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "أرشيف الأخبار العربية"
admin.site.site_title = "إدارة الأرشيف"
admin.site.index_title = "التحرير"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("articles.urls")),
]

handler500 = "newsarchive.errors.server_error"
