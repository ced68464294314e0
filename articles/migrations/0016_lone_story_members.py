"""A story of one article is no story: when a copy leaves a story (deleted, regrouped, split off by an editor), a
story left with one article lets it stand alone, and a story left with none is deleted. In the database, so it
holds for every way a link goes (the admin's deletes, raw SQL, imports, regrouping), where grouping.py used to
do it after each of its own writes only: deleting an article left its last copy «grouped» alone.

Statement triggers with transition tables, as the search outbox's (0011): a regroup's delete of every link is one
UPDATE and one DELETE here. The UPDATE below fires the update trigger again: pg_trigger_depth stops that inner
run at once (the outer run deletes the stories it empties)."""

from django.db import migrations

FUNCTIONS = r"""
CREATE OR REPLACE FUNCTION articles_story_lone_members() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    left_stories bigint[];
BEGIN
    IF pg_trigger_depth() > 1 THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        SELECT array_agg(DISTINCT story_id) INTO left_stories FROM old_rows WHERE story_id IS NOT NULL;
    ELSE
        SELECT array_agg(DISTINCT o.story_id) INTO left_stories
        FROM old_rows o JOIN new_rows n USING (article_id)
        WHERE o.story_id IS NOT NULL AND o.story_id IS DISTINCT FROM n.story_id;
    END IF;
    IF left_stories IS NULL THEN
        RETURN NULL;
    END IF;
    UPDATE articles_articlestory s SET story_id = NULL
    WHERE s.story_id = ANY(left_stories)
      AND NOT EXISTS (SELECT 1 FROM articles_articlestory o
                      WHERE o.story_id = s.story_id AND o.article_id <> s.article_id);
    DELETE FROM articles_story st
    WHERE st.id = ANY(left_stories) AND NOT EXISTS (SELECT 1 FROM articles_articlestory o WHERE o.story_id = st.id);
    RETURN NULL;
END
$$;

CREATE TRIGGER articlestory_lone_after_delete AFTER DELETE ON articles_articlestory
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION articles_story_lone_members();
CREATE TRIGGER articlestory_lone_after_update AFTER UPDATE ON articles_articlestory
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT
    EXECUTE FUNCTION articles_story_lone_members();
"""

DROP = """
DROP TRIGGER IF EXISTS articlestory_lone_after_update ON articles_articlestory;
DROP TRIGGER IF EXISTS articlestory_lone_after_delete ON articles_articlestory;
DROP FUNCTION IF EXISTS articles_story_lone_members();
"""


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_story_outbox")]

    operations = [migrations.RunSQL(FUNCTIONS, DROP)]
