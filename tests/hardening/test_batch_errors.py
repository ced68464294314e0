"""Issue 18, item 17: a batch with 100,000 errors gives a small admin page: a summary by reason, the first errors,
and the rest a page at a time."""

import pytest
from django.urls import reverse

from articles.editors import make_editor
from articles.models import ImportBatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    user, _ = make_editor("editor-batches", password="كلمة-سر-طويلة-2026")
    client.force_login(user)
    return client


@pytest.fixture
def huge_batch():
    reasons = ["ترميز غير معروف", "ملف فارغ", "لا نص في السجل"]
    errors = [{"path": f"dump/part-{i:06d}.json", "reason": reasons[i % 7 % 3]} for i in range(100_000)]
    return ImportBatch.objects.create(status=ImportBatch.Status.FINISHED, failed=len(errors), errors=errors)


def test_the_batch_page_summarises_its_errors_by_reason(editor_client, huge_batch, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        response = editor_client.get(reverse("admin:articles_importbatch_change", args=[huge_batch.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and len(html) < 200_000  # was 13.5 MB
    assert "100000 خطأ" in html
    first_reason = sum(1 for i in range(100_000) if i % 7 % 3 == 0)
    assert f"<td>ترميز غير معروف</td><td>{first_reason}</td>" in html
    assert "dump/part-000049.json" in html and "dump/part-000050.json" not in html


def test_every_error_is_a_page_away(editor_client, huge_batch):
    url = reverse("admin:articles_importbatch_errors", args=[huge_batch.pk])
    first = editor_client.get(url).content.decode()
    assert "dump/part-000000.json" in first and "dump/part-000199.json" in first
    assert "dump/part-000200.json" not in first and "صفحة 1 من 500" in first
    last = editor_client.get(url, {"p": 500}).content.decode()
    assert "dump/part-099999.json" in last and "dump/part-099799.json" not in last
    assert editor_client.get(url, {"p": "x"}).status_code == 200  # a bad page number is the first page


def test_the_errors_page_needs_the_admin(client, huge_batch):
    response = client.get(reverse("admin:articles_importbatch_errors", args=[huge_batch.pk]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
