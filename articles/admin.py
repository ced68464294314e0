from django.contrib import admin
from django.db.models import Count

from .models import Article, ImportBatch, Source, Tag


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "url", "article_count"]
    search_fields = ["name", "key"]
    prepopulated_fields = {"slug": ["key"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="عدد المقالات", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "key", "article_count"]
    list_filter = ["kind"]
    search_fields = ["name", "key"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles"))

    @admin.display(description="عدد المقالات", ordering="article_count")
    def article_count(self, obj):
        return obj.article_count


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["display_title", "source", "published_at"]
    list_filter = ["source", "tags", ("published_at", admin.DateFieldListFilter)]
    list_select_related = ["source"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags", "source"]
    search_fields = ["title"]
    readonly_fields = ["raw_text", "origin_path", "origin_format", "import_batch", "content_hash", "created_at",
                       "updated_at"]
    fieldsets = [
        (None, {"fields": ["title", "lead", "body", "source", "credit", "author", "published_at", "url", "tags"]}),
        ("مصدر الاستيراد", {"classes": ["collapse"], "fields": readonly_fields}),
    ]

    def get_search_results(self, request, queryset, search_term):
        # The same Arabic search as the public site (spelling-insensitive, ranked), not icontains.
        if not search_term.strip():
            return queryset, False
        return queryset.search(search_term), False


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ["pk", "started_at", "status", "user", "files_read", "created", "updated", "duplicates", "failed"]
    list_filter = ["status"]
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
