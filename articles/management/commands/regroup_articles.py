"""manage.py regroup_articles: group every article into stories again (articles.stories), editors' choices kept."""

import time

from django.core.management.base import BaseCommand

from articles.management.progress import progress_bar
from articles.stories import grouping


class Command(BaseCommand):
    help = "يعيد تجميع نسخ الخبر الواحد في قصص لكل المقالات، مع إبقاء ما فصله المحررون أو جمعوه."

    def handle(self, *args, verbosity, **options):
        started = time.monotonic()
        with progress_bar(verbosity) as progress:
            outcome = grouping.regroup_all(progress=progress)
        if verbosity > 0:
            self.stdout.write(
                f"{outcome['grouped_articles']} مقال في {outcome['stories']} قصة لها أكثر من نسخة "
                f"(أكبرها {outcome['largest']} نسخة) — {time.monotonic() - started:.1f} ث"
            )
