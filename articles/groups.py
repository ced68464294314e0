"""The archive's roles as Django groups: a group holding exactly its grants, and how a user joins one. The editors
(articles.editors) and the journalists (articles.journalists.roles) are two such groups; one user may hold both."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction


def ensure_group(name: str, grants: dict[str, list[str]]) -> Group:
    """The group `name`, created if missing, with exactly the `grants` ({model: [action, …]}) of the articles app."""
    codenames = [f"{action}_{model}" for model, actions in grants.items() for action in actions]
    perms = list(Permission.objects.filter(content_type__app_label="articles", codename__in=codenames))
    if missing := set(codenames) - {p.codename for p in perms}:
        raise RuntimeError(f"missing permissions (run migrate): {sorted(missing)}")
    group, _ = Group.objects.get_or_create(name=name)
    group.permissions.set(perms)
    return group


def join_group(group: Group, username: str, *, email: str = "", password: str | None = None, staff: bool = False):
    """Create (or update) the user `username` in `group`; returns (user, created). `staff` makes them staff (never
    unmakes it, nor touches superuser). An existing user keeps their password unless one is given, and their other
    groups; a new one without a password gets an unusable one."""
    User = get_user_model()
    with transaction.atomic():
        user, created = User.objects.get_or_create(username=username, defaults={"email": email})
        user.is_active = True
        if staff:
            user.is_staff = True
        if email:
            user.email = email
        if password is not None:
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        user.save()
        user.groups.add(group)
    return user, created
