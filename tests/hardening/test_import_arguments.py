"""A staff member's mistyped argument is refused, in Arabic, before the import starts: no batch is left «running»
by it, and nothing stored changes."""

import json

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, ImportBatch, Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def articles_file(tmp_path):
    path = tmp_path / "day.jsonl"
    path.write_text(
        json.dumps(
            {
                "title": "وزير المالية يعلن الميزانية",
                "body": "أعلن وزير المالية اليوم ميزانية",
                "published_at": "2024-03-01T10:00:00+03:00",
                "source": "okaz",
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "option, value, message",
    [
        ("--tag", "و" * 150, "الوسم أطول من 100 حرف"),
        ("--source", "  ", "مصدر غير معروف"),  # a new paper is created; a blank one is no paper
    ],
)
def test_a_bad_argument_is_refused_before_any_batch_exists(articles_file, option, value, message):
    call_command("import_articles", str(articles_file), verbosity=0)
    batches, tags = ImportBatch.objects.count(), Tag.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_articles", str(articles_file), option, value, verbosity=0)
    assert ImportBatch.objects.count() == batches
    assert not ImportBatch.objects.filter(status=ImportBatch.Status.RUNNING).exists()
    assert Tag.objects.count() == tags and Article.objects.count() == 1
