"""Drop the PostgreSQL full-text machinery: search, «did you mean» and related articles run on the tantivy index
(articles/search/), so nothing reads the tsvector columns, their GIN index, the topic lexemes or IndexedWord.

Every import and every edit stops paying for them (the analysis for the vectors was two thirds of an import's
CPU). Reversible: going back re-creates the columns (empty), the index, the vocabulary table and the triggers of
0010; the code of that time then fills the vectors with `manage.py reindex_articles`.
"""

import importlib

from django.db import migrations

topics_migration = importlib.import_module("articles.migrations.0010_topics_in_search_vector")

DROP_TOPIC_TRIGGERS = """
DROP TRIGGER IF EXISTS article_links_updated ON articles_article_tags;
DROP TRIGGER IF EXISTS article_links_deleted ON articles_article_tags;
DROP TRIGGER IF EXISTS article_links_inserted ON articles_article_tags;
DROP TRIGGER IF EXISTS article_vector_topics ON articles_article;
DROP FUNCTION IF EXISTS articles_links_changed();
DROP FUNCTION IF EXISTS articles_vector_topics();
DROP FUNCTION IF EXISTS articles_without_topics(tsvector);
DROP FUNCTION IF EXISTS articles_topic_lexemes(bigint);
"""


def _set_match_cost(schema_editor, cost: int) -> None:
    # 0008 raised the planner's cost of `tsvector @@ tsquery` for the stored vectors; with them gone, the built-in
    # goes back to its default. Only a superuser may change it (0008 skipped it otherwise).
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute(f"ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST {int(cost)}")


def reset_match_cost(apps, schema_editor):
    _set_match_cost(schema_editor, 1)


def raise_match_cost(apps, schema_editor):
    _set_match_cost(schema_editor, 100)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_search_outbox"),
    ]

    operations = [
        migrations.RunSQL(DROP_TOPIC_TRIGGERS, topics_migration.FUNCTIONS),
        migrations.RunPython(reset_match_cost, raise_match_cost),
        migrations.DeleteModel(name="IndexedWord"),
        migrations.RemoveIndex(model_name="article", name="article_search_gin"),
        migrations.RemoveField(model_name="article", name="analyzer_version"),
        migrations.RemoveField(model_name="article", name="rank_vector"),
        migrations.RemoveField(model_name="article", name="search_vector"),
    ]
