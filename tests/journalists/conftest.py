"""Fixtures for the journalists' tests: accounts with the role, made as `create_journalist` makes them (the real
SMTP server is tests/conftest.py's)."""

from __future__ import annotations

import pytest

from articles.journalists.roles import make_journalist as create_journalist


@pytest.fixture
def make_journalist(db):
    def make(username: str, email_address: str = ""):
        user, _ = create_journalist(
            username, email=email_address or f"{username}@example.org", password="كلمة-سر-طويلة-2026"
        )
        return user

    return make


@pytest.fixture
def journalist(make_journalist):
    return make_journalist("salma", "salma@example.org")
