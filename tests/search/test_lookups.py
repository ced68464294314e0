"""articles/lookups.py: `pk__any`, membership in an id list sent as one array parameter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_any_matches_like_in_with_one_parameter():
    articles = ArticleFactory.create_batch(4)
    wanted = [articles[0].pk, articles[2].pk, 10**12]  # an id that does not exist, beyond int4
    with CaptureQueriesContext(connection) as queries:
        found = set(Article.objects.filter(pk__any=wanted).values_list("pk", flat=True))
    assert found == set(Article.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert found == {articles[0].pk, articles[2].pk}
    assert '"articles_article"."id" = ANY(' in queries[0]["sql"]
    assert not Article.objects.filter(pk__any=[]).exists()
    assert Article.objects.filter(pk__any=(a.pk for a in articles)).count() == 4  # any iterable
