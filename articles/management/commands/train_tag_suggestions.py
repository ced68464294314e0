"""manage.py train_tag_suggestions: rebuild the tag-suggestion model from the articles editors have tagged."""

from django.core.management.base import BaseCommand

from articles import suggest
from articles.arabic_numbers import ARTICLE, TAG, WEIGHT, WORD, counted


class Command(BaseCommand):
    help = "إعادة تدريب نموذج اقتراح الوسوم من المقالات الموسومة (بعد الاستيراد أو يوم من الوسم)."

    def add_arguments(self, parser):
        parser.add_argument("--alpha", type=float, default=suggest.ALPHA, help="التنعيم (افتراضيا %(default)s)")
        parser.add_argument(
            "--min-tag-articles",
            type=int,
            default=suggest.MIN_TAG_ARTICLES,
            help="أقل عدد مقالات ليُتعلَّم الوسم (افتراضيا %(default)s)",
        )

    def handle(self, *args, alpha, min_tag_articles, **options):
        report = suggest.train(alpha=alpha, min_tag_articles=min_tag_articles)
        self.stdout.write(
            self.style.SUCCESS(
                f"دُرّب النموذج: {counted(report.tags, TAG)} من {counted(report.articles, ARTICLE, oblique=True)}، "
                f"{counted(report.terms, WORD)}، {counted(report.weights, WEIGHT)}، في {report.seconds:.1f} ث."
            )
        )
