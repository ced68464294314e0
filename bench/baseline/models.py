"""The plain Django way to search, as the Django docs' full-text search page teaches it: a stored SearchVector
(PostgreSQL's built-in `arabic` config, title A / lead B / body C) with a GIN index, queried with SearchQuery
and ordered by SearchRank over every match. Benchmark only (bench.settings), never in the app's database."""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models


class BaselineDocument(models.Model):
    article = models.OneToOneField(
        "articles.Article", primary_key=True, on_delete=models.CASCADE, related_name="baseline"
    )
    vector = SearchVectorField()

    class Meta:
        indexes = [GinIndex(fields=["vector"], name="baseline_vector_gin")]
