"""The journalists: the «صحفيون» group (what journalists may do, in one place) and how a journalist account is made.

Migration 0018 creates the group with a frozen copy of GRANTS; `ensure_journalists_group()` re-creates it where it
is missing (a flushed test database) and tests/journalists/test_accounts.py checks that both agree. Editors and
journalists are separate roles: a journalist is not staff, and one user may hold both groups.
"""

from __future__ import annotations

from django.db import transaction

from ..groups import ensure_group, join_group

JOURNALISTS_GROUP = "صحفيون"
# (model, actions). Only the journalists' own tables: the views keep each journalist to their own rows; these
# permissions say who has the role at all. Nothing on articles, tags or users.
GRANTS = {
    "savedsearch": ["view", "add", "change", "delete"],
    "collection": ["view", "add", "change", "delete"],
    "collectionitem": ["view", "add", "change", "delete"],
    "feedtoken": ["view", "change"],
}


def ensure_journalists_group():
    """The journalists group, created if missing, with exactly the GRANTS permissions."""
    return ensure_group(JOURNALISTS_GROUP, GRANTS)


def make_journalist(username: str, *, email: str = "", password: str | None = None):
    """Create (or update) a user in the journalists group; returns (user, created).

    Never touches is_staff or is_superuser: an editor made a journalist stays an editor, and a new journalist has
    no admin access. An existing user keeps their password unless one is given, and their other groups.
    """
    username = (username or "").strip()
    if not username:
        raise ValueError("اكتب اسم مستخدم للصحفي.")
    with transaction.atomic():
        return join_group(ensure_journalists_group(), username, email=email, password=password)
