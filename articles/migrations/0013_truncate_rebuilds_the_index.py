"""TRUNCATE fires no row or statement DELETE triggers, so the outbox of 0011 never hears of it: the index would go
on serving every truncated article. A TRUNCATE trigger gives the archive a new identity instead, which no index
generation carries, and queues one placeholder id: the next drain finds the outbox non-empty, sees the live
generation belongs to another archive, and rebuilds from PostgreSQL (with a log line), as for a restored backup.
"""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION articles_archive_truncated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE articles_searchindexstate SET value = md5(random()::text || clock_timestamp()::text)
    WHERE key = 'archive';
    -- 0 is never an article's id: the drain consumes it like any id whose article is gone.
    INSERT INTO articles_searchoutbox (article_id, created_at) VALUES (0, now());
    RETURN NULL;
END
$$;

CREATE TRIGGER article_truncated AFTER TRUNCATE ON articles_article
    FOR EACH STATEMENT EXECUTE FUNCTION articles_archive_truncated();
CREATE TRIGGER article_links_truncated AFTER TRUNCATE ON articles_article_tags
    FOR EACH STATEMENT EXECUTE FUNCTION articles_archive_truncated();
"""

DROP = """
DROP TRIGGER IF EXISTS article_links_truncated ON articles_article_tags;
DROP TRIGGER IF EXISTS article_truncated ON articles_article;
DROP FUNCTION IF EXISTS articles_archive_truncated();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0012_drop_search_vectors")]

    operations = [migrations.RunSQL(FUNCTIONS, DROP)]
