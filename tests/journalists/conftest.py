"""Fixtures for the journalists' tests: accounts with the role (the real SMTP server is tests/conftest.py's)."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission


JOURNALIST_CODENAMES = [f"{action}_{model}" for model in ("savedsearch", "collection", "collectionitem")
                        for action in ("add", "change", "delete", "view")]


@pytest.fixture
def make_journalist(db, django_user_model):
    def make(username: str, email_address: str = ""):
        user = django_user_model.objects.create_user(username, email=email_address or f"{username}@example.org",
                                                     password="كلمة-سر-طويلة-2026")
        user.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="articles", codename__in=JOURNALIST_CODENAMES))
        return django_user_model.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance

    return make


@pytest.fixture
def journalist(make_journalist):
    return make_journalist("salma", "salma@example.org")
