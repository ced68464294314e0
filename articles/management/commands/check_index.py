"""manage.py check_index: compare the search index with PostgreSQL; exit non-zero on any difference."""

from django.core.management.base import BaseCommand, CommandError

from articles.search import check


class Command(BaseCommand):
    help = "يقارن فهرس البحث بقاعدة البيانات (المعرّفات والأعداد وعينة من الحقول)."

    def add_arguments(self, parser):
        parser.add_argument("--sample", type=int, default=200, help="عدد المقالات التي تُقارن حقولها")

    def handle(self, *args, sample, **options):
        differences = check.compare(sample=sample)
        for line in differences:
            self.stderr.write(f"  ✗ {line}")
        if differences:
            raise CommandError(f"الفهرس لا يطابق قاعدة البيانات: {len(differences)} اختلاف")
        self.stdout.write("الفهرس يطابق قاعدة البيانات.")
