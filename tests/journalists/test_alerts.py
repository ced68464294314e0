"""Email alerts through a real SMTP server: only what is new, never empty, never twice, retried after a failure,
with a plain-text and an RTL HTML part and a working one-click unsubscribe."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.journalists import alerts, searches
from articles.journalists.models import SavedSearch
from tests.conftest import closed_port
from tests.factories import ArticleFactory, SourceFactory

pytestmark = pytest.mark.django_db

OLD_TITLE = "وزير الصحة يفتتح مستشفى جديدا في صفاقس"
NEW_TITLE = "وزير الصحة يعلن خطة لتطوير مستشفى قابس الجامعي"
NEW_BODY = (
    "أعلن وزير الصحة اليوم عن خطة لتطوير مستشفى قابس الجامعي وتجهيزه بمعدات حديثة لقسم الطوارئ، "
    "وقال إن الأشغال تنطلق في الربيع القادم."
)


SPORT_BODY = "فاز الترجي الرياضي على النجم الساحلي بهدفين دون رد في دربي العاصمة مساء الأحد."


def _article(title: str, body: str = "", **kwargs):
    return ArticleFactory(
        title=title,
        body=body or title + ". " + NEW_BODY,
        published_at=kwargs.pop("published_at", timezone.now() - dt.timedelta(hours=2)),
        **kwargs,
    )


@pytest.fixture
def saved(journalist):
    _article(OLD_TITLE)
    return searches.save_search(
        journalist, {"q": "مستشفى"}, name="المستشفيات", frequency=SavedSearch.Frequency.IMMEDIATE
    )


def test_an_alert_lists_only_what_arrived_since_the_search_was_saved(saved, smtp_server):
    new = _article(NEW_TITLE, source=SourceFactory(key="mosaique", name="موزاييك أف أم", slug="mosaique"))
    _article("الترجي يفوز على النجم في الدربي", SPORT_BODY)  # new, but not a match
    run = alerts.send_due_alerts()
    assert (run.checked, run.sent, run.failed) == (1, 1, [])
    [message] = smtp_server.to("salma@example.org")
    assert "المستشفيات" in message["Subject"] and "نتيجة واحدة" in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert NEW_TITLE in text and "موزاييك أف أم" in text and f"/articles/{new.pk}/" in text
    assert OLD_TITLE not in text and "الترجي" not in text
    assert 'dir="rtl"' in html and NEW_TITLE in html and "<mark>مستشفى</mark>" in html
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://[^>]+/alerts/unsubscribe/[^>]+/>", message["List-Unsubscribe"].strip())
    saved.refresh_from_db()
    assert saved.alerted_through >= new.pk and saved.last_alert_at is not None


def test_an_alert_is_never_sent_twice_nor_empty(saved, smtp_server):
    _article(NEW_TITLE)
    assert alerts.send_due_alerts().sent == 1
    assert alerts.send_due_alerts().sent == 0  # nothing new since
    _article("الترجي يفوز على النجم في الدربي", SPORT_BODY)  # new, not a match: no empty mail
    run = alerts.send_due_alerts()
    assert (run.sent, run.empty) == (0, 1)
    assert len(smtp_server.messages) == 1
    later = _article("مستشفى الحروق البليغة ببن عروس يستقبل مرضاه")
    assert alerts.send_due_alerts().sent == 1
    second = smtp_server.messages[-1].get_body(("plain",)).get_content()
    assert "الحروق" in second and NEW_TITLE not in second
    assert SavedSearch.objects.get(pk=saved.pk).alerted_through >= later.pk


def test_a_bounced_alert_is_not_marked_sent_and_goes_out_on_the_next_run(saved, smtp_server):
    new = _article(NEW_TITLE)
    smtp_server.refuse.add("salma@example.org")
    run = alerts.send_due_alerts()
    assert (run.sent, len(run.failed)) == (0, 1) and "550" in run.failed[0]
    saved.refresh_from_db()
    assert saved.alerted_through < new.pk and saved.last_alert_at is None
    assert saved.alert_failures == 1 and "550" in saved.last_error and "رفض خادم البريد" in saved.last_error
    smtp_server.refuse.clear()
    assert alerts.send_due_alerts().sent == 1
    assert NEW_TITLE in smtp_server.messages[-1].get_body(("plain",)).get_content()
    saved.refresh_from_db()
    assert (saved.alert_failures, saved.last_error) == (0, "")


def test_an_unreachable_mail_server_loses_nothing(saved, smtp_server, settings):
    _article(NEW_TITLE)
    port, settings.EMAIL_PORT = settings.EMAIL_PORT, closed_port()
    assert alerts.send_due_alerts().sent == 0
    assert SavedSearch.objects.get(pk=saved.pk).last_error.startswith("تعذر الإرسال: تعذر الاتصال")
    settings.EMAIL_PORT = port
    assert alerts.send_due_alerts().sent == 1


def test_one_bounce_does_not_stop_the_others(saved, make_journalist, smtp_server):
    other = make_journalist("karim", "karim@example.org")
    searches.save_search(other, {"q": "مستشفى"}, name="صحة", frequency=SavedSearch.Frequency.IMMEDIATE)
    _article(NEW_TITLE)
    smtp_server.refuse.add("salma@example.org")
    run = alerts.send_due_alerts()
    assert (run.sent, len(run.failed)) == (1, 1)
    assert len(smtp_server.to("karim@example.org")) == 1 and not smtp_server.to("salma@example.org")


def test_daily_and_weekly_alerts_wait_their_period(saved, smtp_server):
    SavedSearch.objects.filter(pk=saved.pk).update(frequency=SavedSearch.Frequency.DAILY)
    _article(NEW_TITLE)
    now = timezone.now()
    assert alerts.send_due_alerts(now).sent == 1  # never checked: due at once
    _article("مستشفى الحروق البليغة ببن عروس يستقبل مرضاه")
    assert alerts.send_due_alerts(now + dt.timedelta(hours=5)).checked == 0
    assert alerts.send_due_alerts(now + dt.timedelta(hours=23, minutes=55)).sent == 1
    SavedSearch.objects.filter(pk=saved.pk).update(frequency=SavedSearch.Frequency.WEEKLY)
    _article("مستشفى شارل نيكول يدشن قسما جديدا")
    assert alerts.send_due_alerts(now + dt.timedelta(days=3)).checked == 0
    assert alerts.send_due_alerts(now + dt.timedelta(days=8)).sent == 1
    SavedSearch.objects.filter(pk=saved.pk).update(frequency=SavedSearch.Frequency.NEVER)
    assert alerts.send_due_alerts(now + dt.timedelta(days=30)).checked == 0


def test_an_alert_keeps_the_filters_of_its_search(journalist, smtp_server):
    tunis = SourceFactory(key="mosaique", name="موزاييك أف أم", slug="mosaique")
    searches.save_search(
        journalist, {"q": "مستشفى", "source": "mosaique"}, name="موزاييك", frequency=SavedSearch.Frequency.IMMEDIATE
    )
    _article(NEW_TITLE)  # another source
    _article("مستشفى قابس يستقبل أول مرضاه", source=tunis)
    assert alerts.send_due_alerts().sent == 1
    text = smtp_server.messages[-1].get_body(("plain",)).get_content()
    assert "أول مرضاه" in text and NEW_TITLE not in text


def test_the_unsubscribe_link_works_without_login_and_cannot_be_forged(saved, client, smtp_server):
    _article(NEW_TITLE)
    alerts.send_due_alerts()
    link = smtp_server.messages[-1]["List-Unsubscribe"].strip().strip("<>")
    path = link.split("127.0.0.1:8000", 1)[1]
    page = client.get(path)
    assert page.status_code == 200 and "ألغِ التنبيه" in page.content.decode()
    assert SavedSearch.objects.get(pk=saved.pk).frequency == SavedSearch.Frequency.IMMEDIATE  # GET changes nothing
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookie and no CSRF token.
    response = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "أُلغي التنبيه" in response.content.decode()
    assert SavedSearch.objects.get(pk=saved.pk).frequency == SavedSearch.Frequency.NEVER
    forged = path.replace(path.split("/")[-2], path.split("/")[-2][:-3] + "abc")
    assert client.post(forged).status_code == 400
    assert client.get(reverse("articles:unsubscribe", kwargs={"token": "x"})).status_code == 400


def test_send_alerts_command_reports_in_arabic(saved, smtp_server, capsys):
    _article(NEW_TITLE)
    smtp_server.refuse.add("salma@example.org")
    call_command("send_alerts")
    out, err = capsys.readouterr()
    assert "فُحص تنبيه واحد" in out and "تعذر إرسال 1" in out
    assert "المستشفيات" in err and "سيعاد" in err


def test_a_second_run_started_during_the_first_sends_nothing(saved, smtp_server):
    import psycopg
    from django.db import connection

    _article(NEW_TITLE)
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    # The other run: a second session holding the lock, as a concurrent `send_alerts` would.
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [alerts.ALERTS_LOCK])
        run = alerts.send_due_alerts()
        assert run.busy and run.sent == 0
        other.execute("SELECT pg_advisory_unlock(%s)", [alerts.ALERTS_LOCK])  # the other run ends
    assert alerts.send_due_alerts().sent == 1
    assert len(smtp_server.messages) == 1
