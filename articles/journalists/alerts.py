"""Email alerts of saved searches. `send_due_alerts()` is what `manage.py send_alerts` runs, every few minutes
from cron or a systemd timer (docs/deploy.md).

An alert lists only what the index holds beyond the search's watermark (`alerted_through`, an article id), up to
where every committed article is searchable (`index.visible_through`). It is never sent empty, and the watermark
moves only after the mail server has taken the message: a failed send is tried again on the next run, and no
article is ever in two alerts of one search.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from ..arabic_numbers import RESULT, counted
from ..search import Hits, index, run_search
from .models import SavedSearch

log = logging.getLogger(__name__)

ALERT_ITEMS = 20  # articles listed in one email; the rest are one link away
# A timer every few minutes does not fire on the minute: a daily alert is due a little before its day is up.
SLACK = dt.timedelta(minutes=10)
PERIODS = {SavedSearch.Frequency.DAILY: dt.timedelta(days=1), SavedSearch.Frequency.WEEKLY: dt.timedelta(days=7)}
UNSUBSCRIBE_SALT = "articles.journalists.alerts.unsubscribe"
ALERTS_LOCK = 0x616C657274  # the advisory lock's key: any constant no other code of the archive takes


@dataclass
class AlertRun:
    """What one run did, for the command's report."""

    checked: int = 0
    sent: int = 0
    empty: int = 0
    failed: list[str] = field(default_factory=list)  # «name (user): reason», for the operator
    busy: bool = False  # another run was sending: this one did nothing


def due_searches(now: dt.datetime):
    """Saved searches whose alert is due: immediate ones at every run, daily and weekly ones once a period."""
    due = Q(frequency=SavedSearch.Frequency.IMMEDIATE) | Q(checked_at__isnull=True, frequency__in=list(PERIODS))
    for frequency, period in PERIODS.items():
        due |= Q(frequency=frequency, checked_at__lte=now - period + SLACK)
    return (
        SavedSearch.objects.filter(due, user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("pk")
    )


def send_due_alerts(now: dt.datetime | None = None) -> AlertRun:
    """Check every due alert once, and mail those with something new, over one SMTP connection."""
    now = now or timezone.now()
    run = AlertRun()
    with _only_run() as alone:
        if not alone:
            run.busy = True
            return run
        due = list(due_searches(now))
        if not due:
            return run
        through = index.visible_through(min(s.alerted_through for s in due))
        connection = _opened(get_connection())
        try:
            for saved in due:
                run.checked += 1
                _alert(saved, through, now, connection, run)
        finally:
            connection.close()
    return run


@contextmanager
def _only_run():
    """A PostgreSQL advisory lock for the run: two runs started together (a timer and a hand) would both read the
    same watermarks and mail the same articles twice; the second one stops instead."""
    with db_connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [ALERTS_LOCK])
        alone = cursor.fetchone()[0]
    try:
        yield alone
    finally:
        if alone:
            with db_connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [ALERTS_LOCK])


def _opened(connection):
    """The connection, opened for the run's messages if the server answers (if not, each send tries again and
    records why it failed)."""
    try:
        connection.open()
    except (smtplib.SMTPException, OSError):
        connection.close()
    return connection


def _alert(saved: SavedSearch, through: int, now: dt.datetime, connection, run: AlertRun) -> None:
    outcome = run_search({**saved.params, "after": saved.alerted_through, "through": through})
    if outcome.unavailable:
        return  # the index is being built: this alert stays due, as it was
    total = outcome.result_count if outcome.active else 0
    if total == 0:
        run.empty += 1
        SavedSearch.objects.filter(pk=saved.pk).update(
            checked_at=now, alerted_through=max(saved.alerted_through, through)
        )
        return
    message = alert_message(saved, Hits(outcome)[0:ALERT_ITEMS], total, through, connection)
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        reason = _reason(exc)
        log.warning("alert %s for %s not sent: %s", saved.pk, saved.user.email, reason)
        run.failed.append(f"{saved.name} ({saved.user.get_username()}): {reason}")
        _opened(connection)  # a session the error broke is opened again for the next message
        SavedSearch.objects.filter(pk=saved.pk).update(
            alert_failures=F("alert_failures") + 1, last_error=f"تعذر الإرسال: {reason}"[:500]
        )
        return
    run.sent += 1
    SavedSearch.objects.filter(pk=saved.pk).update(
        alerted_through=through, checked_at=now, last_alert_at=now, alert_failures=0, last_error=""
    )


def _reason(exc: Exception) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [
            f"{code} {msg.decode(errors='replace') if isinstance(msg, bytes) else msg}"
            for code, msg in exc.recipients.values()
        ]
        return "رفض خادم البريد العنوان: " + "؛ ".join(codes)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else exc.smtp_error
        return f"خادم البريد أجاب {exc.smtp_code} {text}"
    return f"تعذر الاتصال بخادم البريد ({exc.__class__.__name__}: {exc})"


def alert_message(saved: SavedSearch, articles: list, total: int, through: int, connection=None):
    """The email: a plain-text part and an RTL HTML part, with a signed one-click unsubscribe (RFC 8058)."""
    base = settings.ARCHIVE_BASE_URL
    unsubscribe = base + reverse("articles:unsubscribe", kwargs={"token": unsubscribe_token(saved)})
    context = {
        "saved": saved,
        "articles": articles,
        "total": total,
        "shown": len(articles),
        "base": base,
        "all_new_url": base + saved.search_url(after=saved.alerted_through, through=through),
        "manage_url": base + reverse("articles:saved_searches"),
        "unsubscribe_url": unsubscribe,
    }
    for article in articles:
        article.snippet_text = html.unescape(strip_tags(article.snippet_html))
    subject = f"جديد «{saved.name}»: {counted(total, RESULT)}"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("journalists/alerts/alert.txt", context),
        to=[saved.user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(render_to_string("journalists/alerts/alert.html", context), "text/html")
    return message


def unsubscribe_token(saved: SavedSearch) -> str:
    return signing.dumps([saved.pk, saved.user_id], salt=UNSUBSCRIBE_SALT, compress=True)


def saved_search_for_token(token: str) -> SavedSearch | None:
    """The saved search an unsubscribe link names, or None for a forged, altered or stale link."""
    try:
        pk, user_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return SavedSearch.objects.filter(pk=pk, user_id=user_id).select_related("user").first()


def unsubscribe(saved: SavedSearch) -> None:
    SavedSearch.objects.filter(pk=saved.pk).update(frequency=SavedSearch.Frequency.NEVER)
    saved.frequency = SavedSearch.Frequency.NEVER
