"""manage.py send_alerts: mail every saved search's alert that is due (run it every few minutes: docs/deploy.md)."""

from django.core.management.base import BaseCommand

from articles.arabic_numbers import ALERT, counted
from articles.journalists.alerts import send_due_alerts


class Command(BaseCommand):
    help = (
        "أرسل تنبيهات البحوث المحفوظة المستحقة (الفورية في كل تشغيل، واليومية والأسبوعية مرة في مدتها). "
        "شغّله كل بضع دقائق من cron أو مؤقت systemd."
    )

    def handle(self, *args, **options):
        run = send_due_alerts()
        if run.busy:
            self.stdout.write("تشغيل آخر لـ send_alerts جارٍ الآن: لم يُرسل هذا شيئا.")
            return
        self.stdout.write(
            f"فُحص {counted(run.checked, ALERT)}: أُرسل {run.sent}، ولا جديد في {run.empty}، وتعذر إرسال {len(run.failed)}."
        )
        for failure in run.failed:
            self.stderr.write(f"لم يُرسل: {failure} (سيعاد في التشغيل التالي)")
