"""The editors: the «محررون» group (what editors may do, in one place) and how an editor account is made.

Migration 0005 creates the group with a frozen copy of GRANTS; `ensure_editors_group()` re-creates it where it is
missing (a flushed test database) and tests/editors/test_editors.py checks that both agree.
"""

from __future__ import annotations

from django.db import transaction

from .groups import ensure_group, join_group

EDITORS_GROUP = "محررون"
# (model, actions). No delete anywhere and nothing from auth: deleting and user management stay with superusers.
GRANTS = {
    "article": ["view", "change"],
    "tag": ["view", "add", "change"],
    "source": ["view", "add", "change"],
    "importbatch": ["view"],
    "tagalias": ["view"],
    "sourcealias": ["view"],
}


def ensure_editors_group():
    """The editors group, created if missing, with exactly the GRANTS permissions."""
    return ensure_group(EDITORS_GROUP, GRANTS)


def make_editor(username: str, *, email: str = "", password: str | None = None):
    """Create (or update) a staff user in the editors group; returns (user, created).

    An existing user keeps their password unless one is given, and is never made or unmade superuser.
    """
    with transaction.atomic():
        return join_group(ensure_editors_group(), username, email=email, password=password, staff=True)
