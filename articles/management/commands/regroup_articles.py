"""manage.py regroup_articles: group every article into stories again (articles.stories), editors' choices kept."""

import time

from django.core.management.base import BaseCommand

from articles.arabic_numbers import ARTICLE, COPY, STORY, counted
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
                f"{counted(outcome['grouped_articles'], ARTICLE)} في {counted(outcome['stories'], STORY, oblique=True)}"
                f" لها أكثر من نسخة (أكبرها {counted(outcome['largest'], COPY)}) — {time.monotonic() - started:.1f} ث"
            )
