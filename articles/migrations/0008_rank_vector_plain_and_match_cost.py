from django.db import migrations


def raise_match_cost(apps, schema_editor):
    """Tell the planner what `tsvector @@ tsquery` really costs on a stored vector: a detoast of the whole vector.

    With the default cost of 1 it prefers a sequential scan as soon as a word is in half the archive, reading every
    article's full vector (41k articles, «اليوم»: 445 ms); costed honestly it takes the GIN bitmap path (50 ms).
    Changing a built-in function needs a superuser: the embedded server has one; on a managed server without it the
    step is skipped (run it once as an administrator, see docs/scaling.md).
    """
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 100")


def reset_match_cost(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
        if row and row[0]:
            cursor.execute("ALTER FUNCTION ts_match_vq(tsvector, tsquery) COST 1")


class Migration(migrations.Migration):
    """Store the rank vector uncompressed in the row: ranking reads it for every match, and decompressing it
    per ts_rank call cost more than the ranking itself (21k matches: 228 ms -> 50 ms with the cost change)."""

    dependencies = [("articles", "0007_narrow_article_rows")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE articles_article ALTER COLUMN rank_vector SET STORAGE PLAIN;",
            "ALTER TABLE articles_article ALTER COLUMN rank_vector SET STORAGE MAIN;",
        ),
        migrations.RunPython(raise_match_cost, reset_match_cost),
    ]
