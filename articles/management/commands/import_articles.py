"""manage.py import_articles PATH [PATH ...]: a thin shell around articles.importing.import_paths."""

import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles import suggest
from articles.arabic_numbers import ARTICLE, ERROR, FILE, NOTE, counted
from articles.importing.pipeline import DiskFull, import_paths
from articles.importing.reader import count_files
from articles.management.interrupt import requested, stoppable, stopped_by
from articles.management.progress import PROGRESS_FILES, ProgressLines

FORMATS = ["auto", "text", "trec", "json", "jsonl"]
SHOWN_ERRORS = 50
SHOWN_NOTES = 20
# Retrained by the import itself up to this many article-tag links (about a minute); beyond, the import says so.
AUTO_TRAIN_MAX_LINKS = 60_000
STOPPED = "أُوقف الاستيراد؛ حُفظ ما سبق"


class Command(BaseCommand):
    help = "استيراد ملفات المقالات (نص، ‎<DOC>‎، JSON/JSONL، أو أرشيف zip/tar.gz) إلى الأرشيف."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="ملفات أو مجلدات أو أرشيفات")
        parser.add_argument("--source", help="المصدر لكل المقالات (مفتاح أو نطاق)، بدل اكتشافه من الملف")
        parser.add_argument("--tag", action="append", default=[], help="وسم يضاف إلى كل المقالات (يتكرر)")
        parser.add_argument("--date", help="تاريخ النشر للملفات التي لا تاريخ فيها، بصيغة YYYY-MM-DD")
        parser.add_argument("--format", choices=FORMATS, default="auto", help="صيغة الملفات (تُكتشف تلقائيا)")
        parser.add_argument("--dry-run", action="store_true", help="اقرأ وأحص دون حفظ أي شيء")
        parser.add_argument("--batch-size", type=int, default=500, help="عدد المقالات في كل معاملة")
        parser.add_argument(
            "--follow-links",
            action="store_true",
            help="اتبع الروابط الرمزية داخل المجلدات ما دامت تشير إلى داخل المسار المعطى",
        )
        parser.add_argument(
            "--progress-every",
            type=int,
            default=PROGRESS_FILES,
            metavar="N",
            help="حين لا يكون الخرج طرفية: سطر تقدّم كل N ملف (أو كل 30 ث)",
        )
        parser.add_argument(
            "--no-train",
            action="store_false",
            dest="train",
            help="لا تُعِد تدريب نموذج اقتراح المواضيع بعد الاستيراد ولو تقادم",
        )

    def handle(
        self,
        *args,
        paths,
        source,
        tag,
        date,
        format,
        dry_run,
        batch_size,
        follow_links,
        verbosity,
        progress_every,
        train,
        **options,
    ):
        default_date = _checked_arguments(paths, batch_size, date)
        given = {"paths": paths, "source": source, "tags": tag, "date": date, "format": format}
        given |= {"dry_run": dry_run, "batch_size": batch_size, "follow_links": follow_links}  # on the batch
        progress, close = self._progress(verbosity, paths, follow_links, progress_every)
        try:
            with stoppable():
                report = import_paths(
                    paths,
                    source=source,
                    tags=tag,
                    default_date=default_date,
                    fmt=format,
                    dry_run=dry_run,
                    batch_size=batch_size,
                    progress=progress,
                    follow_links=follow_links,
                    arguments=given,
                )
        except (ValueError, DiskFull) as exc:
            raise CommandError(str(exc)) from None
        except BaseException as exc:
            self._exit_if_stopped(exc, progress.last, close)
            raise
        finally:
            close()
        stopped = requested()
        if stopped is not None:  # the signal's exception was lost on the way, the import ran on
            self._stopped(report)
            sys.exit(stopped.status)

        if verbosity > 0:
            self._summary(report, verbosity)
        if report.imported == 0 and report.failed:
            raise CommandError(f"لم يُستورد أي مقال: فشل {counted(report.failed, FILE)} (انظر الأسباب أعلاه)")
        if not dry_run and report.created:
            self._suggestions(train, verbosity)

    def _exit_if_stopped(self, exc: BaseException, report, close) -> None:
        """Ctrl-C or SIGTERM: what was kept, then the shell's exit status for the signal."""
        stopped = stopped_by(exc)
        if stopped is not None:
            close()
            self._stopped(report)
            sys.exit(stopped.status)

    def _progress(self, verbosity, paths, follow_links, every):
        """progress(report, origin) for the import and close(): a bar on a terminal, else a line now and then."""
        bar = lines = None
        if verbosity > 0 and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=count_files(paths, follow_links), unit=" ملف", dynamic_ncols=True, file=sys.stderr)
        elif verbosity > 0:
            lines = ProgressLines(self.stderr, every=every)

        def progress(report, origin):
            progress.last = report
            if bar is not None:
                bar.n = report.files
                rate = report.records / max(bar.format_dict["elapsed"], 1e-9)
                bar.set_postfix_str(f"{counted(report.records, ARTICLE)}، {rate:.0f} مقال/ث", refresh=False)
                bar.refresh()
            elif lines is not None and origin:
                lines.update(
                    report.files,
                    lambda seconds: (
                        f"… {counted(report.files, FILE)}، {counted(report.records, ARTICLE)} — أُنشئ {report.created}، "
                        f"{seconds:.0f} ث ({report.records / max(seconds, 1e-9):.0f} مقال/ث)"
                    ),
                )

        def close():
            nonlocal bar
            if bar is not None:
                bar.close()
                bar = None

        progress.last = None
        return progress, close

    def _stopped(self, report) -> None:
        where = ""
        if report is not None and report.batch_id:
            where = (
                f" (الدفعة {report.batch_id}: أُنشئ {report.created}، حُدّث {report.updated})"
                if not report.dry_run
                else ""
            )
        self.stderr.write(f"{STOPPED}{where}. أعد الأمر نفسه ليكمل من حيث توقف.")

    def _summary(self, report, verbosity) -> None:
        failed = [e for e in report.errors if not e.get("skipped")]
        skipped = [e for e in report.errors if e.get("skipped")]
        everything = verbosity >= 2
        for error in failed if everything else failed[:SHOWN_ERRORS]:
            detail = f" ({error['detail']})" if everything and error.get("detail") else ""
            self.stderr.write(f"  ✗ {error['path']}: {error['reason']}{detail}")
        if len(failed) > SHOWN_ERRORS and not everything:
            self.stderr.write(
                f"  … {counted(len(failed) - SHOWN_ERRORS, ERROR)} غيرها "
                "(-v 2 لعرضها كلها مع تفاصيلها، أو دفعة الاستيراد في الإدارة)"
            )
        if skipped:
            self.stderr.write(f"ما تُخطّي لأنه ليس مقالا ({counted(len(skipped), FILE)}):")
            for entry in skipped if everything else skipped[:SHOWN_ERRORS]:
                self.stderr.write(f"  – {entry['path']}: {entry['reason']}")
            if len(skipped) > SHOWN_ERRORS and not everything:
                self.stderr.write(f"  … {counted(len(skipped) - SHOWN_ERRORS, FILE)} غيرها (-v 2)")
        shown = report.notes if everything else report.notes[:SHOWN_NOTES]
        for note in shown:
            self.stderr.write(f"  ! {note['path']}: {note['note']}")
        if report.notes_total > len(shown):
            self.stderr.write(
                f"  … {counted(report.notes_total - len(shown), NOTE)} غيرها (-v 2، أو دفعة الاستيراد في الإدارة)"
            )
        if report.dates_dropped:
            self.stderr.write(f"تواريخ أُسقطت: {counted(report.dates_dropped, ARTICLE)} خُزّن بلا تاريخ (انظر الملاحظات)")
        prefix = "تجربة دون حفظ: " if report.dry_run else ""
        self.stdout.write(
            f"{prefix}دفعة {report.batch_id}: {counted(report.files, FILE)}، {counted(report.records, ARTICLE)} — "
            f"أُنشئ {report.created}، حُدّث {report.updated}، مكرر {report.duplicates}، فشل {report.failed}، "
            f"تُخطّي {report.skipped} — {report.elapsed:.1f} ث ({report.rate:.0f} مقال/ث)"
        )
        if report.nothing_new and not report.dry_run:
            self.stdout.write(f"لا جديد: كل ما قُرئ في الأرشيف من قبل، وسُجّل ذلك في الدفعة {report.batch_id}.")

    def _suggestions(self, train: bool, verbosity: int) -> None:
        """Topic suggestions learned before this import know nothing of its articles: retrain, or say so."""
        state = suggest.staleness()
        if not state.stale:
            return
        if train and state.links <= AUTO_TRAIN_MAX_LINKS:
            result = suggest.train()
            if verbosity > 0:
                self.stdout.write(
                    f"أُعيد تدريب اقتراح المواضيع، فقد كبر الأرشيف منذ تدريبه: تعلّم من "
                    f"{counted(result.articles, ARTICLE)} ({result.seconds:.1f} ث)."
                )
            return
        why = (
            "لم تُدرَّب بعد"
            if not state.trained_links
            else f"كبر الأرشيف منذ تدريبها (روابط المقالات بالوسوم: {state.trained_links} عند التدريب، "
            f"{state.links} الآن)"
        )
        self.stderr.write(
            self.style.WARNING(f"اقتراحات المواضيع قديمة: {why}. أعد تدريبها: manage.py train_tag_suggestions")
        )


def _checked_arguments(paths: list[str], batch_size: int, date: str | None) -> dt.date | None:
    """Refuse what cannot work before anything is written; the --date, read."""
    missing = [p for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
    if missing:
        raise CommandError(f"المسار غير موجود: {', '.join(missing)}")
    if batch_size < 1 or batch_size > 10_000:
        raise CommandError("--batch-size يجب أن يكون بين 1 و10000")
    if not date:
        return None
    try:
        return dt.date.fromisoformat(date)
    except ValueError:
        raise CommandError(f"تاريخ غير صالح «{date}»: استعمل الصيغة YYYY-MM-DD") from None
