"""The story an article belongs to is in the search index (results show each story once), so a change of it
leaves the article's id in the search outbox, as changes of its text and tags do (0011).

Only the story matters to the index: grouping rewrites band keys and dates in this table without waking the
indexer. An article joining a story that had one member moves that member from no story to the new one, so both
are queued, by the rows that changed."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION articles_outbox_stories() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO articles_searchoutbox (article_id, created_at)
        SELECT article_id, now() FROM new_rows WHERE story_id IS NOT NULL;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO articles_searchoutbox (article_id, created_at)
        SELECT article_id, now() FROM old_rows WHERE story_id IS NOT NULL;
    ELSE
        INSERT INTO articles_searchoutbox (article_id, created_at)
        SELECT n.article_id, now() FROM new_rows n JOIN old_rows o ON o.article_id = n.article_id
        WHERE n.story_id IS DISTINCT FROM o.story_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER articlestory_outbox_inserted AFTER INSERT ON articles_articlestory
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION articles_outbox_stories();
CREATE TRIGGER articlestory_outbox_updated AFTER UPDATE ON articles_articlestory
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_outbox_stories();
CREATE TRIGGER articlestory_outbox_deleted AFTER DELETE ON articles_articlestory
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION articles_outbox_stories();
"""

DROP = """
DROP TRIGGER IF EXISTS articlestory_outbox_deleted ON articles_articlestory;
DROP TRIGGER IF EXISTS articlestory_outbox_updated ON articles_articlestory;
DROP TRIGGER IF EXISTS articlestory_outbox_inserted ON articles_articlestory;
DROP FUNCTION IF EXISTS articles_outbox_stories();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0014_stories")]

    operations = [migrations.RunSQL(FUNCTIONS, DROP)]
