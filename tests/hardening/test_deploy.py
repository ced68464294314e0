"""A deployment that is safe by default: `check --deploy` silent with production settings, DEBUG off unless asked,
secrets only from the environment, security headers on every response, the admin login throttled, and the
documented gunicorn command serving the site."""

from __future__ import annotations

import os
import re
import secrets
import socket
import string
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings
from django.utils import timezone

from .conftest import PYTHON, ROOT, subprocess_env

# Variables the test run sets (pytest.ini) or a developer may have: none of them may leak into "production".
_DEV_VARIABLES = (
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_SECURE_HSTS_PRELOAD",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_BEHIND_PROXY",
    "DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)  # set by the browser tests in this same run


def production_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DEV_VARIABLES}
    env.update(extra)
    return env


def random_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(50))


def settings_in(env: dict[str, str], *names: str) -> subprocess.CompletedProcess:
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {list(names)!r}}}, default=str))"
    )
    return subprocess.run(
        [PYTHON, "-c", code],
        env={**env, "DJANGO_SETTINGS_MODULE": "newsarchive.settings"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    env = production_env(DJANGO_SECRET_KEY=random_key(), DJANGO_ALLOWED_HOSTS="x")
    out = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert "System check identified no issues" in out.stdout, out.stdout + out.stderr
    assert "WARNING" not in out.stdout + out.stderr and "ERROR" not in out.stdout + out.stderr


def test_check_deploy_does_complain_about_a_weak_configuration():
    """The check above can fail: a short key, DEBUG and no HSTS are reported."""
    env = production_env(
        DJANGO_SECRET_KEY="short",
        DJANGO_ALLOWED_HOSTS="x",
        DJANGO_SECURE_HSTS_SECONDS="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    out = subprocess.run(
        [PYTHON, "manage.py", "check", "--deploy"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    text = out.stdout + out.stderr
    assert "security.W009" in text and "security.W004" in text and "security.W008" in text, text


def test_debug_is_off_and_the_secret_comes_only_from_the_environment():
    out = settings_in(
        production_env(DJANGO_SECRET_KEY=random_key()),
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_HSTS_SECONDS",
        "ALLOWED_HOSTS",
    )
    assert out.returncode == 0, out.stderr
    assert '"DEBUG": false' in out.stdout and '"SECURE_SSL_REDIRECT": true' in out.stdout
    assert '"SESSION_COOKIE_SECURE": true' in out.stdout and '"CSRF_COOKIE_SECURE": true' in out.stdout
    assert '"SECURE_HSTS_SECONDS": 31536000' in out.stdout
    # No key in the environment and DEBUG off: the settings refuse to load rather than use a built-in key.
    out = settings_in(production_env(), "SECRET_KEY")
    assert out.returncode != 0 and "DJANGO_SECRET_KEY" in out.stderr
    # DEBUG only when asked, and then a development key may be used.
    out = settings_in(production_env(DJANGO_DEBUG="1"), "DEBUG", "SECURE_SSL_REDIRECT")
    assert '"DEBUG": true' in out.stdout and '"SECURE_SSL_REDIRECT": false' in out.stdout
    # HSTS is configurable, and preloading is an explicit opt-in.
    out = settings_in(
        production_env(
            DJANGO_SECRET_KEY=random_key(), DJANGO_SECURE_HSTS_SECONDS="600", DJANGO_SECURE_HSTS_PRELOAD="1"
        ),
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "SILENCED_SYSTEM_CHECKS",
    )
    assert '"SECURE_HSTS_SECONDS": 600' in out.stdout and '"SECURE_HSTS_PRELOAD": true' in out.stdout
    assert '"SILENCED_SYSTEM_CHECKS": []' in out.stdout
    # Only `make run` turns DEBUG on.
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^DEV := DJANGO_DEBUG=1", makefile, re.MULTILINE)
    assert "$(DEV)" not in next(line for line in makefile.splitlines() if line.startswith("\t$(VENV)/bin/pytest"))
    settings_source = (ROOT / "newsarchive" / "settings.py").read_text()
    assert not re.search(r"SECRET_KEY\s*=\s*['\"]", settings_source)
    tracked = subprocess.run(["git", "ls-files", ".env"], cwd=ROOT, capture_output=True, text=True).stdout
    assert tracked.strip() == ""


@pytest.mark.django_db
def test_security_headers_on_every_kind_of_response(client):
    for url, status in (
        ("/", 200),
        ("/search/?q=وزير", 200),
        ("/api/search?q=وزير", 200),
        ("/no-such-page/", 404),
        ("/admin/login/", 200),
        ("/search.csv?q=وزير", 200),
    ):
        response = client.get(url, secure=True)
        assert response.status_code == status, url
        assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains", url
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "same-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", url
        csp = response["Content-Security-Policy"]
        assert csp == (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
        ), url


def test_server_error_page_keeps_its_own_style_and_nothing_else(rf, settings):
    """templates/500.html has an inline <style> on purpose (it must render when static files fail): the policy of a
    500 response allows exactly that block, by hash, and still no inline script."""
    from django.http import HttpResponseServerError
    from django.template.loader import render_to_string

    from newsarchive.middleware import ContentSecurityPolicyMiddleware

    page = render_to_string("500.html")
    middleware = ContentSecurityPolicyMiddleware(lambda request: HttpResponseServerError(page))
    csp = middleware(rf.get("/"))["Content-Security-Policy"]
    assert re.search(r"style-src 'self' 'sha256-[A-Za-z0-9+/]+=*'", csp), csp
    assert "script-src 'self';" in csp and "unsafe" not in csp
    ok = ContentSecurityPolicyMiddleware(lambda request: HttpResponseServerError("x"))
    settings.DEBUG = True  # debug error pages are left without a policy (inline CSS/JS), never in production
    assert "Content-Security-Policy" not in ok(rf.get("/"))


@pytest.mark.django_db
def test_admin_login_is_throttled_per_user_name_and_address(client, django_user_model, settings):
    django_user_model.objects.create_superuser("editor1", "e@example.org", "the-right-password-7Qx")
    django_user_model.objects.create_superuser("editor2", "f@example.org", "another-right-password-8Zy")
    limit = settings.AXES_FAILURE_LIMIT
    assert 3 <= limit <= 10

    def login(username, password, ip="203.0.113.7"):
        return client.post("/admin/login/?next=/admin/", {"username": username, "password": password}, REMOTE_ADDR=ip)

    for _ in range(limit - 1):
        assert login("editor1", "wrong").status_code == 200  # the form again, with an error
    blocked = login("editor1", "wrong")
    assert blocked.status_code == 429
    # Locked out now: even the right password is refused, with a clear answer and how long to wait.
    response = login("editor1", "the-right-password-7Qx")
    assert response.status_code == 429
    assert "محاولات" in response.content.decode() and int(response["Retry-After"]) >= 60
    assert "_auth_user_id" not in client.session
    # Not a denial of service: the same name from another address, and another name from this one, still log in.
    assert login("editor1", "the-right-password-7Qx", ip="198.51.100.9").status_code == 302
    client.logout()
    assert login("editor2", "another-right-password-8Zy").status_code == 302
    client.logout()
    # After the cool-off the name and address may try again.
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username="editor1", ip_address="203.0.113.7").exists()
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert login("editor1", "the-right-password-7Qx").status_code == 302


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is an answer to check, never a request to make (no traffic off this machine)


_OPENER = urllib.request.build_opener(_NoRedirect)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_docs_give_a_gunicorn_command_a_systemd_unit_a_procfile_and_backups():
    text = (ROOT / "docs" / "deploy.md").read_text()
    assert re.search(r"gunicorn newsarchive\.wsgi", text)
    assert "[Service]" in text and "ExecStart=" in text and "[Install]" in text
    assert re.search(r"^web: .*gunicorn newsarchive\.wsgi", text, re.MULTILINE)
    assert "pg_dump" in text and "pg_restore" in text and "check --deploy" in text
    # Every documented way to start gunicorn lets a long Arabic query reach the app (served below with this flag).
    commands = re.findall(r"gunicorn newsarchive\.wsgi[^\n\\]*(?:\\\n.*)?", text + (ROOT / "README.md").read_text())
    assert len(commands) >= 4 and all("--limit-request-line 8190" in c for c in commands), commands


def test_the_documented_gunicorn_command_serves_the_site_behind_a_tls_proxy(transactional_db):
    """collectstatic, then gunicorn as docs/deploy.md says, with production settings behind a TLS proxy: pages,
    static files and the API answer with the security headers; plain HTTP is redirected to HTTPS."""
    key = random_key()
    env = production_env(
        **{k: v for k, v in subprocess_env().items() if k.startswith(("EMBEDDED_PG", "DATABASE", "SEARCH_INDEX"))}
    )
    env.update(DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="archive.example.org", DJANGO_BEHIND_PROXY="1")
    static = subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v", "0"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert static.returncode == 0, static.stderr
    port = _free_port()
    gunicorn = [
        str(ROOT / ".venv" / "bin" / "gunicorn") if (ROOT / ".venv" / "bin" / "gunicorn").exists() else "gunicorn",
        "newsarchive.wsgi",
        "-w",
        "2",
        "-b",
        f"127.0.0.1:{port}",
        "--timeout",
        "60",
        "--limit-request-line",
        "8190",
    ]
    server = subprocess.Popen(gunicorn, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:

        def get(path, proto="https"):
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                headers={"Host": "archive.example.org", "X-Forwarded-Proto": proto, "X-Forwarded-For": "203.0.113.5"},
            )
            try:
                with _OPENER.open(request, timeout=30) as response:
                    return response.status, dict(response.headers), response.read()
            except urllib.error.HTTPError as error:
                return error.code, dict(error.headers), error.read()

        deadline = time.monotonic() + 60
        while True:
            try:
                status, headers, body = get("/")
                break
            except (ConnectionError, urllib.error.URLError):
                assert server.poll() is None and time.monotonic() < deadline, server.stdout.read()
                time.sleep(0.3)
        assert status == 200, body[:500]
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        css = re.search(rb'href="(/static/css/site\.[0-9a-f]+\.css)"', body)
        assert css, "static files are not served from the collected manifest"
        status, headers, _ = get(css.group(1).decode())
        assert status == 200
        # Whitenoise answers before the views' middleware: static files carry the same headers all the same.
        assert headers["Content-Security-Policy"] == settings.CONTENT_SECURITY_POLICY
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert "max-age=31536000" in headers["Strict-Transport-Security"]
        assert get("/api/search?q=%D9%88%D8%B2%D9%8A%D8%B1")[0] == 200
        # 780 Arabic letters (4,680 bytes in the URL): the app answers, cutting the query at 500 with a note.
        status, _, body = get("/search/?q=" + urllib.parse.quote(" ".join(["وزير"] * 156)))
        assert status == 200, body[:300]
        assert "الاستعلام طويل جدا: بحثنا في أوله فقط." in body.decode()
        status, headers, _ = get("/", proto="http")
        assert status == 301 and headers["Location"].startswith("https://archive.example.org/")
        assert get("/", proto="https")[0] == 200
        bad_host = urllib.request.Request(
            f"http://127.0.0.1:{port}/", headers={"Host": "evil.example", "X-Forwarded-Proto": "https"}
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            _OPENER.open(bad_host, timeout=30)
        assert refused.value.code == 400
    finally:
        server.terminate()
        server.wait(30)
