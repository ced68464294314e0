"""manage.py import_articles PATH [PATH ...]: a thin shell around articles.importing.import_paths."""
import datetime as dt
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.importing.pipeline import DiskFull, import_paths
from articles.importing.reader import count_files

FORMATS = ["auto", "text", "trec", "json", "jsonl"]


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
        parser.add_argument("--follow-links", action="store_true",
                            help="اتبع الروابط الرمزية داخل المجلدات ما دامت تشير إلى داخل المسار المعطى")

    def handle(self, *args, paths, source, tag, date, format, dry_run, batch_size, follow_links, verbosity,
               **options):
        missing = [p for p in paths if not Path(p).exists() and not Path(p).is_symlink()]
        if missing:
            raise CommandError(f"المسار غير موجود: {', '.join(missing)}")
        if batch_size < 1 or batch_size > 10_000:
            raise CommandError("--batch-size يجب أن يكون بين 1 و10000")
        default_date = None
        if date:
            try:
                default_date = dt.date.fromisoformat(date)
            except ValueError:
                raise CommandError(f"تاريخ غير صالح «{date}»: استعمل الصيغة YYYY-MM-DD") from None

        bar = None
        if verbosity > 0 and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=count_files(paths, follow_links), unit=" ملف", dynamic_ncols=True, file=sys.stderr)

        def progress(report, origin):
            if bar is not None:
                bar.n = report.files
                rate = report.records / max(bar.format_dict["elapsed"], 1e-9)
                bar.set_postfix_str(f"{report.records} مقال، {rate:.0f} مقال/ث", refresh=False)
                bar.refresh()

        try:
            report = import_paths(
                paths, source=source, tags=tag, default_date=default_date, fmt=format, dry_run=dry_run,
                batch_size=batch_size, progress=progress, follow_links=follow_links,
                arguments={"paths": paths, "source": source, "tags": tag, "date": date, "format": format,
                           "dry_run": dry_run, "batch_size": batch_size, "follow_links": follow_links},
            )
        except (ValueError, DiskFull) as exc:
            raise CommandError(str(exc)) from None
        finally:
            if bar is not None:
                bar.close()

        if verbosity > 0:
            for error in report.errors[:50] if verbosity < 2 else report.errors:
                self.stderr.write(f"  ✗ {error['path']}: {error['reason']}")
            if len(report.errors) > 50 and verbosity < 2:
                self.stderr.write(f"  … و{len(report.errors) - 50} خطأ آخر (-v 2 لعرضها كلها، أو دفعة الاستيراد في الإدارة)")
            shown = report.notes[:20] if verbosity < 2 else report.notes
            for note in shown:
                self.stderr.write(f"  ! {note['path']}: {note['note']}")
            if report.notes_total > len(shown):
                self.stderr.write(f"  … و{report.notes_total - len(shown)} ملاحظة أخرى "
                                  "(-v 2، أو دفعة الاستيراد في الإدارة)")
            if report.dates_dropped:
                self.stderr.write(f"تواريخ أُسقطت: {report.dates_dropped} مقالا خُزّن بلا تاريخ (انظر الملاحظات)")
            prefix = "تجربة دون حفظ: " if dry_run else ""
            self.stdout.write(
                f"{prefix}دفعة {report.batch_id}: {report.files} ملف، {report.records} مقال مقروء — "
                f"أُنشئ {report.created}، حُدّث {report.updated}، مكرر {report.duplicates}، فشل {report.failed}، تُخطّي {report.skipped} — "
                f"{report.elapsed:.1f} ث ({report.rate:.0f} مقال/ث)"
            )
        if report.imported == 0 and report.failed:
            raise CommandError(f"لم يُستورد أي مقال: فشل {report.failed} ملف (انظر الأسباب أعلاه)")
