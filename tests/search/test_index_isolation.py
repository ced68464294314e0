"""Tests never write the developer's own index: a fixture that spans a module or the session imports articles
before any test has set a folder of its own, and its index must land in a throwaway folder too."""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

from articles.importing.pipeline import import_paths
from articles.search import index

ANT_CULTURE = Path(__file__).resolve().parents[2] / "fixtures" / "ant" / "culture"


def _state(folder: Path) -> tuple:
    current = folder / "CURRENT"
    generations = sorted(p.name for p in folder.glob("g-*"))
    return folder.exists(), current.read_text() if current.exists() else None, generations


@pytest.fixture(scope="module")
def imported_for_the_module(django_db_setup, django_db_blocker, tmp_path_factory, _session_search_index):
    developers = _session_search_index
    before = _state(developers)
    folder = tmp_path_factory.mktemp("three")
    for path in sorted(ANT_CULTURE.iterdir())[:3]:
        shutil.copy(path, folder / path.name)
    with django_db_blocker.unblock():
        import_paths([folder], workers=1)
        index.drain()
        used = Path(settings.SEARCH_INDEX_DIR)
        hits = index.searcher().num_docs
    yield developers, before, used, hits
    with django_db_blocker.unblock():
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE articles_article, articles_importbatch, articles_tag, articles_source CASCADE")


@pytest.mark.django_db  # without a test that asks for it, pytest-django creates no test database at all
def test_an_import_in_a_module_fixture_indexes_into_a_throwaway_folder(imported_for_the_module):
    developers, before, used, documents = imported_for_the_module
    assert documents == 3  # the import was indexed…
    assert used != developers and not used.is_relative_to(Path(settings.BASE_DIR) / ".data")  # …elsewhere
    assert _state(developers) == before  # the developer's index is as it was, or still absent
