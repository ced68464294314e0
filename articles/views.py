from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from . import arabic
from .facets import facet_counts
from .forms import SearchForm, apply_filters
from .models import Article, Source, Tag
from .querysets import plan_search

PAGE_SIZE = 20


def _run_search(params):
    """Form, filters, plan and the ranked queryset shared by the page, the API and the CSV."""
    form = SearchForm(params)
    filters = form.filters()
    base = apply_filters(Article.objects.published(), filters)
    plan = plan_search(filters["q"])
    results = base.search(filters["q"], sort=filters["sort"], plan=plan)
    return form, filters, base, plan, results


def _page(paginator: Paginator, number):
    try:
        return paginator.page(number)
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        return paginator.page(paginator.num_pages)


def _snippet(article: Article, stems) -> str:
    return arabic.snippet(article.body or article.lead or article.title, stems)


@require_GET
def home(request):
    latest = Article.objects.published().select_related("source").order_by("-published_at", "-id")[:20]
    topics = Tag.objects.filter(kind=Tag.Kind.TOPIC).annotate(n=Count("articles")).order_by("-n")
    sources = Source.objects.annotate(n=Count("articles")).order_by("-n")
    return render(request, "articles/home.html", {"latest": latest, "topics": topics, "sources": sources,
                                                  "form": SearchForm()})


@require_GET
def search(request):
    form, filters, base, plan, results = _run_search(request.GET)
    page = _page(Paginator(results.select_related("source").prefetch_related("tags"), PAGE_SIZE),
                 request.GET.get("page"))
    for article in page.object_list:
        article.snippet_html = _snippet(article, plan.stems)
    facets = facet_counts(base.matching(plan)) if plan.searchable else None
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "articles/search.html", {
        "form": form, "filters": filters, "plan": plan, "page": page, "facets": facets,
        "notes": form.notes, "querystring": params.urlencode(),
    })


@require_GET
def article_detail(request, pk):
    article = get_object_or_404(Article.objects.published().select_related("source").prefetch_related("tags"), pk=pk)
    q = request.GET.get("q", "")[:500]
    stems = plan_search(q).stems if q else frozenset()
    paragraphs = [arabic.highlight(p, stems) for p in article.body.split("\n\n") if p.strip()]
    return render(request, "articles/detail.html", {
        "article": article, "paragraphs": paragraphs, "title_html": arabic.highlight(article.display_title, stems),
        "q": q,
    })


@require_GET
def topics(request):
    tags = Tag.objects.filter(kind=Tag.Kind.TOPIC).annotate(n=Count("articles")).order_by("-n", "name")
    return render(request, "articles/topics.html", {"topics": tags})


@require_GET
def topic(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().for_topic(tag).select_related("source").ordered("newest")
    page = _page(Paginator(articles, PAGE_SIZE), request.GET.get("page"))
    return render(request, "articles/topic.html", {"tag": tag, "page": page})


@require_GET
def source(request, slug):
    src = get_object_or_404(Source, slug=slug)
    articles = Article.objects.published().from_source(src).select_related("source").ordered("newest")
    page = _page(Paginator(articles, PAGE_SIZE), request.GET.get("page"))
    return render(request, "articles/source.html", {"source": src, "page": page})
