"""ArticleStory.story had two indexes: the foreign key's own, over every article, and articlestory_story_idx over
grouped articles only. The partial one serves every lookup by story (a story_id = x implies it is not null), so an
import writes one index less per article.

Only the index is dropped: Django's own AlterField would also drop and re-add the foreign key, which validates every
row (a table scan at archive size) for a constraint that does not change."""

import django.db.models.deletion
from django.db import migrations, models

INDEX = "articles_articlestory_story_id_758c9369"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0020_identity_hash"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{INDEX}"',
                    f'CREATE INDEX IF NOT EXISTS "{INDEX}" ON "articles_articlestory" ("story_id")',
                ),
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="articlestory",
                    name="story",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="links",
                        to="articles.story",
                        verbose_name="القصة",
                    ),
                ),
            ],
        ),
    ]
