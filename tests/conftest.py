"""Fixtures shared by the test modules."""
import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production settings keep static files in whitenoise's manifest storage, which refuses `{% static %}` for any
    # file missing from a manifest that only `collectstatic` writes: tests render pages without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
