"""The search index's outbox: every write that changes what a search shows records the article's id, in the same
transaction, whatever made it (the admin, an import's COPY, bulk tagging, merges, raw SQL).

Statement triggers with transition tables: an import batch of 500 articles adds one INSERT … SELECT, not 500."""

import django.utils.timezone
from django.db import migrations, models

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION articles_outbox_articles() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO articles_searchoutbox (article_id, created_at) SELECT id, now() FROM new_rows;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO articles_searchoutbox (article_id, created_at) SELECT id, now() FROM old_rows;
    ELSE
        -- Only what the index holds: a reindex of the stored vectors, or a counter, changes nothing there.
        INSERT INTO articles_searchoutbox (article_id, created_at)
        SELECT n.id, now() FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (n.title, n.lead, n.body, n.source_id, n.published_at)
              IS DISTINCT FROM (o.title, o.lead, o.body, o.source_id, o.published_at);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION articles_outbox_links() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO articles_searchoutbox (article_id, created_at) SELECT DISTINCT article_id, now() FROM new_links;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        INSERT INTO articles_searchoutbox (article_id, created_at) SELECT DISTINCT article_id, now() FROM old_links;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER article_outbox_inserted AFTER INSERT ON articles_article
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION articles_outbox_articles();
CREATE TRIGGER article_outbox_updated AFTER UPDATE ON articles_article
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_outbox_articles();
CREATE TRIGGER article_outbox_deleted AFTER DELETE ON articles_article
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION articles_outbox_articles();
CREATE TRIGGER article_links_outbox_inserted AFTER INSERT ON articles_article_tags
    REFERENCING NEW TABLE AS new_links FOR EACH STATEMENT EXECUTE FUNCTION articles_outbox_links();
CREATE TRIGGER article_links_outbox_deleted AFTER DELETE ON articles_article_tags
    REFERENCING OLD TABLE AS old_links FOR EACH STATEMENT EXECUTE FUNCTION articles_outbox_links();
CREATE TRIGGER article_links_outbox_updated AFTER UPDATE ON articles_article_tags
    REFERENCING OLD TABLE AS old_links NEW TABLE AS new_links FOR EACH STATEMENT
    EXECUTE FUNCTION articles_outbox_links();
"""

DROP = """
DROP TRIGGER IF EXISTS article_links_outbox_updated ON articles_article_tags;
DROP TRIGGER IF EXISTS article_links_outbox_deleted ON articles_article_tags;
DROP TRIGGER IF EXISTS article_links_outbox_inserted ON articles_article_tags;
DROP TRIGGER IF EXISTS article_outbox_deleted ON articles_article;
DROP TRIGGER IF EXISTS article_outbox_updated ON articles_article;
DROP TRIGGER IF EXISTS article_outbox_inserted ON articles_article;
DROP FUNCTION IF EXISTS articles_outbox_links();
DROP FUNCTION IF EXISTS articles_outbox_articles();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0010_topics_in_search_vector")]

    operations = [
        migrations.CreateModel(
            name="SearchOutbox",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("article_id", models.BigIntegerField()),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
            ],
            options={"verbose_name": "تغيير بانتظار الفهرسة", "verbose_name_plural": "تغييرات بانتظار الفهرسة"},
        ),
        migrations.CreateModel(
            name="SearchIndexState",
            fields=[
                ("key", models.CharField(max_length=40, primary_key=True, serialize=False)),
                ("value", models.CharField(max_length=200)),
            ],
            options={"verbose_name": "حالة الفهرس", "verbose_name_plural": "حالة الفهرس"},
        ),
        migrations.RunSQL(FUNCTIONS, DROP),
    ]
