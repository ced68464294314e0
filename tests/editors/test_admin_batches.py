"""articles/admin.py, import batches: read-only, with their arguments, errors and articles."""

from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import ImportBatch
from tests.factories import ArticleFactory

from .conftest import CHANGELIST, result_titles

pytestmark = pytest.mark.django_db


def test_import_batches_are_read_only_with_arguments_errors_and_articles(client, editor):
    started = timezone.now() - timezone.timedelta(minutes=2, seconds=5)
    batch = ImportBatch.objects.create(
        arguments={"paths": ["fixtures/ant"], "source": None, "tags": ["أرشيف"]},
        user="nadia",
        host="srv",
        status=ImportBatch.Status.FINISHED,
        files_read=3,
        records_read=2,
        created=2,
        failed=1,
        errors=[{"path": "ant/bad.txt", "reason": "ترميز غير معروف"}],
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        started_at=started, finished_at=started + timezone.timedelta(minutes=2, seconds=5)
    )
    created = [ArticleFactory(import_batch=batch) for _ in range(2)]
    other = ArticleFactory()

    listing = client.get(reverse("admin:articles_importbatch_changelist"))
    assert listing.status_code == 200
    assertContains(listing, "0:02:05")
    assertNotContains(listing, reverse("admin:articles_importbatch_add"))

    detail = client.get(reverse("admin:articles_importbatch_change", args=[batch.pk]))
    assert detail.status_code == 200
    html = unescape(detail.content.decode())
    assert '"tags": [\n    "أرشيف"\n  ]' in html
    assert "ant/bad.txt" in html and "ترميز غير معروف" in html
    assert f"{CHANGELIST}?batch={batch.pk}" in html
    for article in created:
        assert reverse("admin:articles_article_change", args=[article.pk]) in html
    assert reverse("admin:articles_article_change", args=[other.pk]) not in html
    assert 'name="_save"' not in html  # no save button: view only

    assert (
        client.post(reverse("admin:articles_importbatch_change", args=[batch.pk]), {"status": "failed"}).status_code
        == 403
    )
    assert client.get(reverse("admin:articles_importbatch_add")).status_code == 403
    assert client.get(reverse("admin:articles_importbatch_delete", args=[batch.pk])).status_code == 403
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FINISHED

    articles = client.get(CHANGELIST, {"batch": batch.pk})
    assert set(result_titles(articles)) == {a.title for a in created}


def test_batches_with_nothing_new_are_marked_and_can_be_filtered_out(client, editor):
    busy = ImportBatch.objects.create(status=ImportBatch.Status.FINISHED, files_read=3, created=3)
    idle = ImportBatch.objects.create(status=ImportBatch.Status.FINISHED, files_read=3, duplicates=3)
    changelist = reverse("admin:articles_importbatch_changelist")
    html = client.get(changelist).content.decode()
    assert html.count("لا جديد</td>") == 1
    shown = client.get(changelist, {"news": "yes"}).context["cl"].result_list
    assert [b.pk for b in shown] == [busy.pk]
    assert [b.pk for b in client.get(changelist, {"news": "no"}).context["cl"].result_list] == [idle.pk]
