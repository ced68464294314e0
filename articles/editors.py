"""The editors: the «محررون» group (what editors may do, in one place) and how an editor account is made.

Migration 0005 creates the group with a frozen copy of GRANTS; `ensure_editors_group()` re-creates it where it is
missing (a flushed test database) and tests/test_admin.py checks that both agree.
"""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

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


def ensure_editors_group() -> Group:
    """The editors group, created if missing, with exactly the GRANTS permissions."""
    codenames = [f"{action}_{model}" for model, actions in GRANTS.items() for action in actions]
    perms = list(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
    if missing := set(codenames) - {p.codename for p in perms}:
        raise RuntimeError(f"missing permissions (run migrate): {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=EDITORS_GROUP)
    group.permissions.set(perms)
    return group


def make_editor(username: str, *, email: str = "", password: str | None = None):
    """Create (or update) a staff user in the editors group; returns (user, created).

    An existing user keeps their password unless one is given, and is never made or unmade superuser.
    """
    User = get_user_model()
    with transaction.atomic():
        group = ensure_editors_group()
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        user.is_staff = True
        user.is_active = True
        if email:
            user.email = email
        if password is not None:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        user.groups.add(group)
    return user, created
