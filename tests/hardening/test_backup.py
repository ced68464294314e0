"""Backups: the archive dumped with pg_dump (manage.py backup_archive), restored with pg_restore into a fresh
database (manage.py restore_archive), has every article, tag, link and source, and its search index, rebuilt from
it, agrees with it."""

from __future__ import annotations

import os

import psycopg
import pytest
from psycopg import sql

from .conftest import ANT_FIXTURES, manage

pytestmark = pytest.mark.django_db(transaction=True)


def _contents(conn) -> dict:
    def rows(query):
        return sorted(conn.execute(query).fetchall())

    return {
        "articles": rows(
            "SELECT id, content_hash, title, lead, body, url, published_at, source_id, raw_text FROM articles_article"
        ),
        "tags": rows("SELECT id, name, slug, kind, key FROM articles_tag"),
        "links": rows("SELECT article_id, tag_id FROM articles_article_tags"),
        "sources": rows("SELECT id, key, name, slug FROM articles_source"),
        "batches": rows("SELECT id, status, created FROM articles_importbatch"),
        "users": rows("SELECT username, password FROM auth_user"),
    }


def test_dump_and_restore_into_a_fresh_database_keeps_every_article_and_tag(tmp_path, db_env, django_user_model):
    from django.db import connection

    from articles.models import Article, Tag

    imported = manage("import_articles", str(ANT_FIXTURES), "-v", "0", env=db_env)
    assert imported.returncode == 0, imported.stderr
    # Editors' work lives only in the database: a tag added by hand, an edited title, an account.
    extra = Tag.objects.create(name="وسم من المحرر «خاص»", slug="editor-tag", kind=Tag.Kind.KEYWORD)
    first = Article.objects.order_by("id").first()
    first.title += " (عدّله محرر)"
    first.save()
    first.tags.add(extra)
    django_user_model.objects.create_user("editor", password="a-long-editor-password-3k9")
    assert Article.objects.count() == 300 and Tag.objects.count() >= 10

    dump = tmp_path / "archive.dump"
    backup = manage("backup_archive", str(dump), env=db_env)
    assert backup.returncode == 0, backup.stderr
    assert dump.stat().st_size > 100_000
    assert "300" in backup.stdout

    restored = f"{connection.settings_dict['NAME']}_restored_{os.getpid()}"
    params = {
        "host": connection.settings_dict["HOST"],
        "port": connection.settings_dict["PORT"],
        "user": connection.settings_dict["USER"],
        "password": connection.settings_dict.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(restored)))
    try:
        restore = manage("restore_archive", str(dump), "--into", restored, env=db_env)
        assert restore.returncode == 0, restore.stderr
        with (
            psycopg.connect(dbname=connection.settings_dict["NAME"], **params) as here,
            psycopg.connect(dbname=restored, **params) as there,
        ):
            original, copy = _contents(here), _contents(there)
        assert len(copy["articles"]) == 300 and copy["tags"] and copy["links"]
        for part in original:
            assert copy[part] == original[part], part
        # The restored database works for the site itself (migrations recorded, extensions present), and its
        # search index (derived, never in the dump) is built from it and agrees with it.
        there = {**db_env, "EMBEDDED_PG_DATABASE": restored, "SEARCH_INDEX_DIR": str(tmp_path / "restored-index")}
        for command in (("migrate", "--check"), ("rebuild_index",), ("check_index",)):
            run = manage(*command, env=there)
            assert run.returncode == 0, (command, run.stdout + run.stderr)
        # Never over the live database, never over an existing one.
        assert (
            manage("restore_archive", str(dump), "--into", connection.settings_dict["NAME"], env=db_env).returncode != 0
        )
        assert manage("restore_archive", str(dump), "--into", restored, env=db_env).returncode != 0
        assert manage("backup_archive", str(dump), env=db_env).returncode != 0  # no overwriting a backup
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(restored)))
