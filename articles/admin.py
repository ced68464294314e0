"""The editors' admin: article list with the Arabic search, bulk tagging, tag suggestions, merges, import review.

Writes go through plain functions (articles.tagging, articles.suggest); this module only wires them to pages.
"""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from . import batch_errors, suggest, tagging
from .admin_forms import ArticleAdminForm, BulkTagForm, MergeForm, TagListForm
from .arabic_numbers import ARTICLE, ERROR, NOTE, TAG, counted
from .models import Article, ImportBatch, Source, SourceAlias, Tag, TagAlias
from .stories import grouping
from .stories.copies import copies_of

ArticleLink = Article.tags.through


def _articles_url(**params) -> str:
    return reverse("admin:articles_article_changelist") + "?" + urlencode(params)


# --- what a change list may filter by -------------------------------------------------------------------------


# The lookups Django's field list filters and date hierarchy put in a change-list URL: exact values, null or not,
# date bounds, the hierarchy's year, month and day, and a related row's id.
FILTER_LOOKUPS = frozenset({"exact", "isnull", "gte", "lt", "id__exact", "year", "month", "day"})


class OfferedLookupsOnly:
    r"""A change list filters only by what it offers (its list filters and date hierarchy). Django's default lets
    any lookup on a local field through the URL, so any editor could run `?raw_text__iregex=(\w+) .*\1 .*\1`, a
    regex over every row that takes minutes; any other lookup is a 400 before a query runs."""

    def lookup_allowed(self, lookup, value, request=None):
        return (
            lookup in self.offered_lookups(request)
            or super().lookup_allowed(lookup, value, request)
            and any(lookup == f"{path}__{suffix}" for path in self.offered_fields(request) for suffix in FILTER_LOOKUPS)
        )

    def offered_lookups(self, request) -> set[str]:
        """The query parameters of the change list's own filter classes."""
        return {
            item.parameter_name
            for item in self.get_list_filter(request)
            if isinstance(item, type) and issubclass(item, admin.SimpleListFilter)
        }

    def offered_fields(self, request) -> set[str]:
        fields = {
            item[0] if isinstance(item, (list, tuple)) else item
            for item in self.get_list_filter(request)
            if not (isinstance(item, type) and issubclass(item, admin.SimpleListFilter))
        }
        return fields | ({self.date_hierarchy} if self.date_hierarchy else set())


# --- article list filters ----------------------------------------------------------------------------------------
# Custom filters rather than Django's M2M field filters: those make the change list add DISTINCT, which fights
# with the search's rank ordering. A semi-join (EXISTS / IN) never duplicates a row.


class TaggedFilter(admin.SimpleListFilter):
    title = "حالة الوسوم"
    parameter_name = "tagged"

    def lookups(self, request, model_admin):
        return [("no", "بلا وسوم"), ("yes", "موسوم")]

    def queryset(self, request, queryset):
        links = ArticleLink.objects.filter(article_id=OuterRef("pk"))
        if self.value() == "no":
            return queryset.filter(~Exists(links))
        if self.value() == "yes":
            return queryset.filter(Exists(links))
        return None


class _IdFilter(admin.SimpleListFilter):
    """A filter by a row's id (`?tag=<id>`, `?batch=<id>`): any id filters, even one the side panel does not list;
    anything but digits is a 400."""

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return None
        if not value.isdigit():
            raise IncorrectLookupParameters(f"{self.parameter_name}={value!r}")
        return self.with_id(queryset, int(value))


class TagFilter(_IdFilter):
    title = "الموضوع / الوسم"
    parameter_name = "tag"
    max_choices = 150  # beyond this the side panel is useless; any tag still filters through ?tag=<id>

    def lookups(self, request, model_admin):
        topics_first = Case(When(kind=Tag.Kind.TOPIC, then=Value(0)), default=Value(1), output_field=IntegerField())
        tags = Tag.objects.order_by(topics_first, "name").values_list("pk", "name", "kind")[: self.max_choices]
        return [(str(pk), name if kind == Tag.Kind.TOPIC else f"{name} (كلمة مفتاحية)") for pk, name, kind in tags]

    def with_id(self, queryset, pk: int):
        return queryset.filter(pk__in=ArticleLink.objects.filter(tag_id=pk).values("article_id"))


class ImportBatchFilter(_IdFilter):
    title = "دفعة الاستيراد"
    parameter_name = "batch"
    max_choices = 20

    def lookups(self, request, model_admin):
        batches = ImportBatch.objects.order_by("-started_at").only("pk", "started_at", "status")[: self.max_choices]
        return [(str(b.pk), f"دفعة {b.pk} ({b.started_at:%Y-%m-%d})") for b in batches]

    def with_id(self, queryset, pk: int):
        return queryset.filter(import_batch_id=pk)


# --- articles ----------------------------------------------------------------------------------------------------


class StoryFilter(admin.SimpleListFilter):
    """Copies of one story (`?story=<id>`, the link in the «القصة» column), or articles with or without copies."""

    title = "النسخ"
    parameter_name = "story"

    def lookups(self, request, model_admin):
        return [("copies", "له نسخ في مصادر أخرى"), ("alone", "بلا نسخ")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "copies":
            return queryset.filter(story_link__story__isnull=False)
        if value == "alone":
            return queryset.exclude(story_link__story__isnull=False)
        if value and value.isdigit():
            return queryset.filter(story_link__story=int(value))
        if value:
            raise IncorrectLookupParameters("رقم القصة غير صالح")
        return queryset


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # The list never shows the original file; at 50 rows a page it is most of the bytes. (Only here: the
        # change form saves whole rows.)
        return super().get_queryset(request, exclude_parameters).defer("raw_text")


@admin.register(Article)
class ArticleAdmin(OfferedLookupsOnly, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = ["title_display", "source", "published_at", "tag_list", "story_display"]
    list_display_links = ["title_display"]
    list_filter = [
        TaggedFilter,
        TagFilter,
        "source",
        ("published_at", admin.DateFieldListFilter),
        ImportBatchFilter,
        StoryFilter,
    ]
    list_select_related = ["source"]
    list_per_page = 50
    list_max_show_all = 500
    # Newest first, undated articles last (PostgreSQL puts NULLs first in a plain descending sort).
    ordering = [F("published_at").desc(nulls_last=True), "-id"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["tags", "source"]
    search_fields = ["title"]  # shows the search box; get_search_results replaces the lookup
    search_help_text = (
        "بحث عربي كما في الموقع: لا يفرّق بين أشكال الهمزة والتاء المربوطة والهاء، ويجد الكلمة بسوابقها ولواحقها. "
        "النتائج مرتبة حسب الصلة ما لم تختر ترتيبا بالنقر على عنوان عمود."
    )
    actions = ["add_tags_action", "remove_tags_action", "split_story_action", "join_story_action"]
    provenance = [
        "raw_text",
        "origin_path",
        "origin_format",
        "import_batch",
        "content_hash",
        "created_at",
        "updated_at",
    ]
    readonly_fields = ["suggested_tags", "copies_display", *provenance]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "lead",
                    "body",
                    "source",
                    "credit",
                    "author",
                    "published_at",
                    "url",
                    "tags",
                    "suggested_tags",
                    "copies_display",
                ]
            },
        ),
        ("مصدر الاستيراد", {"classes": ["collapse"], "fields": provenance}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags").annotate(story_group=F("story_link__story"))

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    def get_changeform_initial_data(self, request):
        # ?source=… prefills the add form, and its autocomplete widgets look the value up as ids: junk would be a 500.
        initial = super().get_changeform_initial_data(request)
        for name in self.autocomplete_fields:
            values = initial.get(name)
            if values is not None and not all(
                str(v).isdecimal() for v in (values if isinstance(values, list) else [values])
            ):
                del initial[name]
        return initial

    @admin.display(description="العنوان", ordering="title")
    def title_display(self, obj):
        return obj.display_title

    @admin.display(description="الوسوم")
    def tag_list(self, obj):
        tags = obj.tags.all()  # prefetched: one query for the whole page
        if not tags:
            return mark_safe('<span class="untagged">بلا وسوم</span>')
        return format_html_join("، ", '<a href="?tag={}">{}</a>', ((t.pk, t.name) for t in tags))

    @admin.display(description="القصة")
    def story_display(self, obj):
        if obj.story_group is None:
            return "—"
        return format_html('<a href="?story={}">النسخ</a>', obj.story_group)

    @admin.display(description="نسخ الخبر نفسه")
    def copies_display(self, obj):
        copies = [c for c in copies_of(obj) if c.pk != obj.pk] if obj.pk else []
        if not copies:
            return "لا نسخ له في مصادر أخرى."
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> — {} · {}{}',
            (
                (
                    reverse("admin:articles_article_change", args=[c.pk]),
                    c.display_title,
                    c.source.name if c.source else "بلا مصدر",
                    date_format(timezone.localtime(c.published_at), "j F Y، H:i") if c.published_at else "بلا تاريخ",
                    " (نُشر أولًا)" if c.first else "",
                )
                for c in copies
            ),
        )

    @admin.action(description="فصل المقالات المحددة عن قصتها (ليست الخبر نفسه)", permissions=["change"])
    def split_story_action(self, request, queryset):
        ids = list(queryset.filter(story_link__story__isnull=False).values_list("pk", flat=True))
        if not ids:
            self.message_user(request, "لا شيء يُفصل: المقالات المحددة ليست ضمن قصة لها نسخ.", messages.WARNING)
            return
        grouping.split_articles(ids)
        self.message_user(
            request,
            f"فُصل {counted(len(ids), ARTICLE)} عن {'قصته' if len(ids) == 1 else 'قصصها'}، "
            "ولن يُجمع معها عند إعادة التجميع.",
            messages.SUCCESS,
        )

    @admin.action(description="جمع المقالات المحددة في قصة واحدة (نسخ الخبر نفسه)", permissions=["change"])
    def join_story_action(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        if len(ids) < 2:
            self.message_user(request, "اختر مقالين على الأقل لجمعهما في قصة واحدة.", messages.WARNING)
            return
        grouping.join_articles(ids)
        self.message_user(
            request, f"جُمع {counted(len(ids), ARTICLE)} في قصة واحدة، وتبقى كذلك عند إعادة التجميع.", messages.SUCCESS
        )

    def get_search_results(self, request, queryset, search_term):
        # The same Arabic search as the public site (spelling-insensitive, ranked), not icontains.
        if not search_term.strip():
            return queryset, False
        chosen_order = queryset.query.order_by
        results = queryset.search(search_term)
        request.article_search_plan = results.search_plan
        if ORDER_VAR in request.GET and results.search_plan.searchable:
            # The editor clicked a column header: that order first, relevance between equals.
            chosen = [o for o in chosen_order if o not in ("pk", "-pk")]
            results = results.order_by(*chosen, "-rank", "-pk")
        return results, False

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        plan = getattr(request, "article_search_plan", None)
        if plan is not None and hasattr(response, "context_data"):
            response.context_data["search_plan"] = plan
        return response

    @admin.display(description="وسوم مقترحة")
    def suggested_tags(self, obj):
        if obj is None or obj.pk is None:
            return "تظهر الاقتراحات بعد حفظ المقال."
        suggestions = suggest.suggest_for_article(obj, limit=5)
        if not suggestions:
            return "لا اقتراحات: لم يُدرَّب نموذج الاقتراح بعد (manage.py train_tag_suggestions) أو النص قصير جدا."
        buttons = format_html_join(
            " ",
            '<button type="button" class="button suggest-tag" data-tag-id="{}" data-tag-name="{}">+ {}</button>',
            ((s.tag.pk, s.tag.name, s.tag.name) for s in suggestions),
        )
        return format_html(
            '<div class="tag-suggestions">{}</div><div class="help">{}</div>',
            buttons,
            "الأرجح أولا، مما وسم به المحررون مقالات مشابهة. انقر لإضافة الوسم ثم احفظ.",
        )

    # Bulk tagging: an intermediate page (like Django's delete confirmation) that posts back to the change list
    # with the same filters and selection, so «select all N results» tags the whole result set in one go.

    @admin.action(description="إضافة وسوم إلى المقالات المحددة…", permissions=["change"])
    def add_tags_action(self, request, queryset):
        return self._bulk_tags(request, queryset, adding=True)

    @admin.action(description="إزالة وسوم من المقالات المحددة…", permissions=["change"])
    def remove_tags_action(self, request, queryset):
        return self._bulk_tags(request, queryset, adding=False)

    def _bulk_tags(self, request, queryset, *, adding: bool):
        allow_create = adding and request.user.has_perm("articles.add_tag")
        form = BulkTagForm(
            request.POST if "apply" in request.POST else None, admin_site=self.admin_site, allow_create=allow_create
        )
        if form.is_bound and form.is_valid():
            tags = list(form.cleaned_data["tags"])
            if allow_create and form.cleaned_data["new_tags"]:
                tags += tagging.create_tags(form.cleaned_data["new_tags"], form.cleaned_data["new_kind"])
            names = "، ".join(f"«{t.name}»" for t in tags)
            changed = (tagging.add_tags if adding else tagging.remove_tags)(queryset, tags)
            self.message_user(request, _bulk_tags_message(names, changed, adding=adding), messages.SUCCESS)
            return None  # back to the change list, same filters
        count = queryset.count()
        context = {
            "title": "إضافة وسوم" if adding else "إزالة وسوم",
            "form": form,
            "media": self.media + form.media,
            "adding": adding,
            "count": count,
            "preview": queryset[:10],
        }
        return _action_page(self, request, "admin/articles/article/bulk_tags.html", context)


def _bulk_tags_message(names: str, changed: int, *, adding: bool) -> str:
    if not changed:
        return (
            f"لم يتغير أي مقال: كلها موسومة بـ{names} من قبل."
            if adding
            else f"لم يتغير أي مقال: لا شيء منها موسوم بـ{names}."
        )
    verb, preposition = ("أضيف", "إلى") if adding else ("أزيل", "من")
    return f"{verb} {names} {preposition} {counted(changed, ARTICLE, oblique=True)}."


def _action_page(model_admin, request, template: str, context: dict) -> TemplateResponse:
    """An action's confirmation page (like Django's delete confirmation): it posts back to the change list with
    the same action, selection and «select all» (templates/admin/articles/_action_fields.html)."""
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.model._meta,
            "action": request.POST.get("action", ""),
            "select_across": request.POST.get("select_across", "0"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **context,
        },
    )


# --- tags and sources --------------------------------------------------------------------------------------------


class _MergeMixin:
    """Merging (an action with a confirmation page) and renaming that keeps old links, for tags and sources."""

    merge_function = None  # tagging.merge_tags / tagging.merge_sources

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        old_slug = form.initial.get("slug", "") if change else ""
        tagging.remember_old_slug(obj, form.initial.get("name", obj.name), old_slug)

    def _merge(self, request, queryset):
        form = MergeForm(request.POST if "apply" in request.POST else None, queryset=queryset)
        if form.is_bound and form.is_valid():
            target = form.cleaned_data["target"]
            others = [obj for obj in queryset if obj.pk != target.pk]
            names = "، ".join(f"«{obj}»" for obj in others)
            result = self.merge_function(target, others)
            self.message_user(
                request,
                f"دُمج {names} في «{target}»، "
                + (f"ونُقل إليه {counted(result.articles, ARTICLE)}. " if result.articles else "ولم يُنقل إليه أي مقال. ")
                + "بقيت الأسماء القديمة أسماء بديلة تحوِّل روابطها إليه.",
                messages.SUCCESS,
            )
            return None
        if queryset.count() < 2:
            self.message_user(request, "اختر عنصرين على الأقل للدمج.", messages.WARNING)
            return None
        context = {
            "title": f"دمج {self.model._meta.verbose_name_plural}",
            "kept": f"ال{self.model._meta.verbose_name}",  # «الوسم» / «المصدر»
            "form": form,
            "objects": queryset,
        }
        return _action_page(self, request, "admin/articles/merge.html", context)


class _AliasInline(admin.TabularInline):
    """A tag's or source's former names, read-only: they are written by merges and renames only."""

    fields = readonly_fields = ["name", "slug", "key", "created_at"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TagAliasInline(_AliasInline):
    model = TagAlias
    verbose_name_plural = "الأسماء السابقة (روابطها تحوَّل إلى هذا الوسم)"


class SourceAliasInline(_AliasInline):
    model = SourceAlias
    verbose_name_plural = "الأسماء السابقة (روابطها تحوَّل إلى هذا المصدر)"


@admin.register(Tag)
class TagAdmin(OfferedLookupsOnly, _MergeMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "article_count", "slug", "key"]
    list_editable = ["kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "key", "aliases__name", "aliases__slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TagAliasInline]
    actions = ["merge_action", "make_topic", "make_keyword"]
    merge_function = staticmethod(tagging.merge_tags)

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=TagListForm, **kwargs)

    def get_queryset(self, request):
        # distinct: the alias search joins a second multi-valued relation. A grouped query drops Meta.ordering, so
        # the autocomplete (which pages this queryset as it is) would page in no stable order: order it again.
        return (
            super()
            .get_queryset(request)
            .annotate(article_count=Count("articles", distinct=True))
            .order_by(*Tag._meta.ordering, "pk")
        )

    @admin.display(description="عدد المقالات", ordering="article_count")
    def article_count(self, obj):
        return format_html('<a href="{}">{}</a>', _articles_url(tag=obj.pk), obj.article_count)

    @admin.action(description="دمج الوسوم المحددة في واحد منها…", permissions=["change"])
    def merge_action(self, request, queryset):
        return self._merge(request, queryset)

    @admin.action(description="جعل الوسوم المحددة مواضيع", permissions=["change"])
    def make_topic(self, request, queryset):
        n = queryset.update(kind=Tag.Kind.TOPIC)
        self.message_user(request, f"حُوّل {counted(n, TAG)} إلى {'موضوع' if n == 1 else 'مواضيع'}.", messages.SUCCESS)

    @admin.action(description="جعل الوسوم المحددة كلمات مفتاحية", permissions=["change"])
    def make_keyword(self, request, queryset):
        n = queryset.update(kind=Tag.Kind.KEYWORD)
        self.message_user(
            request, f"حُوّل {counted(n, TAG)} إلى {'كلمة مفتاحية' if n == 1 else 'كلمات مفتاحية'}.", messages.SUCCESS
        )


@admin.register(Source)
class SourceAdmin(OfferedLookupsOnly, _MergeMixin, admin.ModelAdmin):
    list_display = ["name", "key", "article_count", "url"]
    search_fields = ["name", "key", "slug", "aliases__name", "aliases__key"]
    prepopulated_fields = {"slug": ["key"]}
    inlines = [SourceAliasInline]
    actions = ["merge_action"]
    merge_function = staticmethod(tagging.merge_sources)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_count=Count("articles", distinct=True))

    @admin.display(description="عدد المقالات", ordering="article_count")
    def article_count(self, obj):
        return format_html('<a href="{}">{}</a>', _articles_url(source__id__exact=obj.pk), obj.article_count)

    @admin.action(description="دمج المصادر المحددة في واحد منها…", permissions=["change"])
    def merge_action(self, request, queryset):
        return self._merge(request, queryset)


# --- import batches ----------------------------------------------------------------------------------------------


class NewsFilter(admin.SimpleListFilter):
    """Runs that brought nothing (a re-run over files already imported) are «لا جديد»: editors may hide them."""

    title = "ما أتت به"
    parameter_name = "news"
    nothing = Q(status=ImportBatch.Status.FINISHED, created=0, updated=0, failed=0)

    def lookups(self, request, model_admin):
        return [("yes", "فيها جديد أو أخطاء"), ("no", "لا جديد")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(self.nothing)
        if self.value() == "no":
            return queryset.filter(self.nothing)
        return None


@admin.register(ImportBatch)
class ImportBatchAdmin(OfferedLookupsOnly, admin.ModelAdmin):
    """Read-only: what each run of `import_articles` was asked, what it did, and what it could not read."""

    count_fields = ["files_read", "records_read", "created", "updated", "duplicates", "failed"]
    list_display = ["__str__", "started_at", "duration_display", "status", "outcome", "user", "dry_run", *count_fields]
    list_filter = [NewsFilter, "status", "dry_run"]
    date_hierarchy = "started_at"
    fieldsets = [
        (None, {"fields": ["status", "started_at", "finished_at", "duration_display", "dry_run"]}),
        ("المعطيات", {"fields": ["arguments_display", "user", "host", "pid"]}),
        ("الأرقام", {"fields": [*count_fields, "articles_link"]}),
        ("الأخطاء", {"fields": ["errors_display"]}),
        ("الملاحظات", {"fields": ["notes_display"]}),
    ]
    readonly_fields = [name for _, section in fieldsets for name in section["fields"]]  # it is all read-only
    preview_articles = 20
    preview_errors = 50
    summary_reasons = 15
    errors_per_page = 200

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="النتيجة")
    def outcome(self, obj):
        if obj.status == ImportBatch.Status.FINISHED and not (obj.created or obj.updated or obj.failed):
            return "لا جديد"
        return "—"

    @admin.display(description="المدة")
    def duration_display(self, obj):
        if obj.duration is None:
            return "—"
        seconds = int(obj.duration.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"

    @admin.display(description="المعطيات")
    def arguments_display(self, obj):
        return format_html('<pre dir="ltr">{}</pre>', json.dumps(obj.arguments, ensure_ascii=False, indent=2))

    @admin.display(description="المقالات التي أنشأتها")
    def articles_link(self, obj):
        count = obj.articles.count()
        if not count:
            return "لا شيء"
        items = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (reverse("admin:articles_article_change", args=[a.pk]), a.display_title)
                for a in obj.articles.order_by("pk")[: self.preview_articles]
            ),
        )
        return format_html('<a href="{}">كل المقالات ({})</a><ul>{}</ul>', _articles_url(batch=obj.pk), count, items)

    @admin.display(description="الملفات التي لم تُستورد (تعذّرت قراءتها، أو ليست مقالات)")
    def errors_display(self, obj):
        total = batch_errors.count(obj.pk)
        if not total:
            return "لا أخطاء"
        reasons = batch_errors.reasons(obj.pk, self.summary_reasons)
        listed = sum(n for _, n in reasons)
        summary = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>", reasons)
        if listed < total:
            summary += format_html("<tr><td>أسباب أخرى</td><td>{}</td></tr>", total - listed)
        return format_html(
            "<p>{}. أكثر الأسباب:</p><table><thead><tr><th>السبب</th><th>عدد الملفات</th></tr></thead>"
            '<tbody>{}</tbody></table>{}<p><a href="{}">كل الأخطاء، صفحة بعد صفحة</a></p>',
            counted(total, ERROR),
            summary,
            _errors_table(batch_errors.page(obj.pk, 0, self.preview_errors)),
            reverse("admin:articles_importbatch_errors", args=[obj.pk]),
        )

    @admin.display(description="ما استُورد ناقصا (تواريخ أُسقطت، روابط رُفضت…)")
    def notes_display(self, obj):
        if not obj.notes_total:
            return "لا ملاحظات"
        notes = batch_errors.page(obj.pk, 0, self.preview_errors, column="notes")
        rows = format_html_join(
            "", '<tr><td dir="ltr">{}</td><td>{}</td></tr>', ((n.get("path", ""), n.get("note", "")) for n in notes)
        )
        return format_html(
            "<p>{}، أولها:</p><table><thead><tr><th>المقال</th><th>الملاحظة</th></tr></thead><tbody>{}</tbody></table>",
            counted(obj.notes_total, NOTE),
            rows,
        )

    def get_queryset(self, request):
        # A batch's errors can run to 100,000 entries (13.5 MB): pages read the part they show, in SQL.
        return super().get_queryset(request).defer("errors", "notes")

    def get_urls(self):
        errors = path(
            "<int:pk>/errors/", self.admin_site.admin_view(self.errors_view), name="articles_importbatch_errors"
        )
        return [errors, *super().get_urls()]

    def errors_view(self, request, pk):
        batch = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        paginator = Paginator(batch_errors.Errors(pk), self.errors_per_page)
        page = paginator.get_page(request.GET.get("p"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "batch": batch,
            "page": page,
            "title": f"أخطاء {batch}",
            "table": _errors_table(page.object_list),
        }
        return TemplateResponse(request, "admin/articles/importbatch/errors.html", context)


def _errors_table(errors: list[dict]):
    rows = format_html_join(
        "", '<tr><td dir="ltr">{}</td><td>{}</td></tr>', ((e.get("path", ""), e.get("reason", "")) for e in errors)
    )
    return format_html("<table><thead><tr><th>الملف</th><th>السبب</th></tr></thead><tbody>{}</tbody></table>", rows)
