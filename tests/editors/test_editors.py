"""articles/editors.py: what the «محررون» group may do (and may not), and how an editor account is made."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from pytest_django.asserts import assertNotContains

from articles.editors import EDITORS_GROUP, ensure_editors_group
from articles.models import Article, Tag
from tests.factories import ArticleFactory, TagFactory

from .conftest import CHANGELIST, PASSWORD, action_post

pytestmark = pytest.mark.django_db


def test_editors_group_grants_exactly_the_editing_permissions():
    group = Group.objects.get(name=EDITORS_GROUP)
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert {
        ("articles", "view_article"),
        ("articles", "change_article"),
        ("articles", "add_tag"),
        ("articles", "change_tag"),
        ("articles", "add_source"),
        ("articles", "change_source"),
        ("articles", "view_importbatch"),
    } <= granted
    assert not {codename for _, codename in granted if codename.startswith("delete_")}
    assert not {app for app, _ in granted} - {"articles"}  # nothing on users, groups or sessions
    assert ("articles", "change_importbatch") not in granted


def test_migration_and_ensure_editors_group_agree():
    from_migration = set(Group.objects.get(name=EDITORS_GROUP).permissions.values_list("pk", flat=True))
    assert set(ensure_editors_group().permissions.values_list("pk", flat=True)) == from_migration


def test_editor_gets_403_on_delete_users_and_groups(client, editor):
    article = ArticleFactory()
    assert client.get(reverse("admin:articles_article_delete", args=[article.pk])).status_code == 403
    assert client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}).status_code == 403
    tag = TagFactory()
    assert client.get(reverse("admin:articles_tag_delete", args=[tag.pk])).status_code == 403
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:auth_user_change", args=[editor.pk])).status_code == 403
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.get(reverse("admin:articles_article_add")).status_code == 403
    # Bulk delete is not even offered, and posting it anyway deletes nothing.
    assertNotContains(client.get(CHANGELIST), 'value="delete_selected"')
    action_post(client, "delete_selected", [article], post="yes")
    assert Article.objects.filter(pk=article.pk).exists()
    assert Tag.objects.filter(pk=tag.pk).exists()


def test_superuser_may_delete(superuser_client):
    article = ArticleFactory()
    response = superuser_client.post(reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_create_editor_command_makes_a_staff_member_of_the_group(monkeypatch):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    call_command("create_editor", "salma", "--email", "salma@example.org", "--noinput", verbosity=0)
    user = User.objects.get(username="salma")
    assert user.is_staff and not user.is_superuser
    assert user.check_password(PASSWORD)
    assert list(user.groups.values_list("name", flat=True)) == [EDITORS_GROUP]
    assert user.has_perm("articles.change_article") and not user.has_perm("articles.delete_article")
    # Running it again for an existing user keeps them, and their password, as they are.
    monkeypatch.delenv("DJANGO_EDITOR_PASSWORD")
    call_command("create_editor", "salma", "--noinput", verbosity=0)
    assert User.objects.get(username="salma").check_password(PASSWORD)


@pytest.mark.parametrize(
    "args, message",
    [
        (["  "], "اسم المستخدم فارغ: اكتب اسما للمحرر"),
        (["salma", "--email", "not-an-address"], "عنوان البريد «not-an-address» غير صالح"),
    ],
)
def test_create_editor_refuses_an_empty_name_or_a_bad_address_and_creates_nobody(monkeypatch, args, message):
    monkeypatch.setenv("DJANGO_EDITOR_PASSWORD", PASSWORD)
    with pytest.raises(CommandError, match=message):
        call_command("create_editor", *args, "--noinput", verbosity=0)
    assert not User.objects.exists()
