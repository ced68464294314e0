"""Facet counts over a result set: sources, topics, years (with «undated» as a value)."""
from django.db.models import Count
from django.db.models.functions import ExtractYear

from .forms import UNDATED
from .models import Article


def facet_counts(matches, *, limit: int = 15) -> dict:
    """Counts over `matches`, an unordered, unannotated article queryset (three grouped queries)."""
    base = matches.order_by()
    ids = base.values("pk")
    sources = list(
        base.filter(source__isnull=False).values("source__slug", "source__name")
        .annotate(n=Count("pk")).order_by("-n", "source__name")[:limit]
    )
    tags = list(
        Article.tags.through.objects.filter(article_id__in=ids).values("tag__slug", "tag__name", "tag__kind")
        .annotate(n=Count("pk")).order_by("-n", "tag__name")[:limit]
    )
    years = list(base.annotate(y=ExtractYear("published_at")).values("y").annotate(n=Count("pk")).order_by("-y"))
    return {
        "sources": [{"value": s["source__slug"], "label": s["source__name"], "count": s["n"]} for s in sources],
        "tags": [{"value": t["tag__slug"], "label": t["tag__name"], "kind": t["tag__kind"], "count": t["n"]}
                 for t in tags],
        "years": [{"value": str(y["y"]) if y["y"] else UNDATED, "label": str(y["y"]) if y["y"] else "بلا تاريخ",
                   "count": y["n"]} for y in years],
    }
