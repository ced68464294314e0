"""articles/admin.py as a whole: every page opens for an editor, in Arabic from a catalogue that is up to date."""

import pytest
from django.urls import reverse

from articles.models import ImportBatch
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_admin_pages_load_for_an_editor(client, editor, topics):
    article = ArticleFactory(tags=[topics.sport])
    batch = ImportBatch.objects.create()
    for url in [
        reverse("admin:index"),
        reverse("admin:articles_tag_changelist"),
        reverse("admin:articles_tag_change", args=[topics.sport.pk]),
        reverse("admin:articles_tag_add"),
        reverse("admin:articles_source_changelist"),
        reverse("admin:articles_source_change", args=[article.source.pk]),
        reverse("admin:articles_importbatch_changelist"),
        reverse("admin:articles_importbatch_change", args=[batch.pk]),
        reverse("admin:articles_article_change", args=[article.pk]),
        reverse("admin:autocomplete") + "?app_label=articles&model_name=article&field_name=tags&term=ري",
    ]:
        assert client.get(url).status_code == 200, url


def test_the_committed_catalogue_is_the_compiled_po(tmp_path):
    import gettext
    import shutil
    import subprocess
    from pathlib import Path

    if not shutil.which("msgfmt"):
        pytest.skip("msgfmt (gettext) is not installed")
    po = Path(__file__).resolve().parents[2] / "locale/ar/LC_MESSAGES/django.po"
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "fresh.mo"), str(po)], check=True)
    catalogues = []
    for mo in (tmp_path / "fresh.mo", po.with_suffix(".mo")):
        with mo.open("rb") as fp:
            catalogues.append(gettext.GNUTranslations(fp)._catalog)
    assert catalogues[0] == catalogues[1], "locale/ar/LC_MESSAGES/django.mo is stale: run msgfmt (see the .po)"
