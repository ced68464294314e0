from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [TrigramExtension()]
