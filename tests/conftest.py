"""Fixtures shared by the test modules."""

import datetime as dt
import email
import email.policy
import json
import os
import shutil
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Production settings keep static files in whitenoise's manifest storage, which refuses `{% static %}` for any
    # file missing from a manifest that only `collectstatic` writes: tests render pages without running it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def _memory_or_tmp(tmp_path_factory, prefix: str) -> Path:
    shm = Path("/dev/shm")
    if shm.is_dir() and os.access(shm, os.W_OK):
        return Path(tempfile.mkdtemp(prefix=prefix, dir=shm))
    return tmp_path_factory.mktemp(prefix)


@pytest.fixture(scope="session", autouse=True)
def _session_search_index(tmp_path_factory):
    # The settings' default is the developer's own index (.data/index/<database>). A module- or session-scoped
    # fixture runs before any test's own folder is set, and one that imports articles used to replace the
    # developer's index with its few hundred test articles. Until a test sets its own, everything writes here.
    from django.conf import settings

    folder = _memory_or_tmp(tmp_path_factory, "newsarchive-session-index-")
    developers, settings.SEARCH_INDEX_DIR = settings.SEARCH_INDEX_DIR, folder
    yield Path(developers)
    settings.SEARCH_INDEX_DIR = developers
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _own_search_index(settings, tmp_path_factory):
    # Each test's database is rolled back at its end, so each has an index of its own: built from the database
    # on first use, then kept in step by draining the outbox before each search (SEARCH_INDEX_SYNC, pytest.ini).
    # Not under tmp_path: tests import whole folders from there. In memory where the machine has it: a commit's
    # fsync cost 40 ms on disk, and a test's index is thrown away with it.
    folder = _memory_or_tmp(tmp_path_factory, "newsarchive-index-")
    settings.SEARCH_INDEX_DIR = folder
    yield
    shutil.rmtree(folder, ignore_errors=True)


# One Playwright for the whole run: its sync API keeps an event loop in this thread, so a second instance (say, one
# per test folder) cannot start while the first is alive. Tests under tests/browser and tests/hardening share it.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests (.ci/run installs Chromium)", pytrace=False)
    pytest.skip(f"{reason}: install it (apt-get install chromium) to run the browser tests")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _unavailable(f"Chromium not found at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("The playwright package is not installed")
    # Playwright's sync API runs an event loop in this thread; Django refuses database calls from a thread
    # with a running loop unless told that this synchronous use is deliberate.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def story(tmp_path):
    """A real story run by three papers over two days, and another story (SaudiNewsNet articles): the three
    copies earliest first, and the other."""
    from articles.importing.pipeline import import_paths
    from articles.models import Article
    from bench import stories_testset

    articles = [
        a for a in stories_testset.load_articles(days=1) if a.source_key == "alriyadh" and len(a.body.split()) >= 150
    ][:2]
    first, other = articles
    records = [
        {
            "title": first.title,
            "body": first.body,
            "published_at": first.published_at.isoformat(),
            "source": "alriyadh",
        },
        {
            "title": "نسخة عكاظ",
            "body": "جدة - واس: " + first.body.replace("أ", "ا"),
            "source": "okaz",
            "published_at": (first.published_at + dt.timedelta(hours=3)).isoformat(),
        },
        {
            "title": "نسخة سبق",
            "body": " ".join(first.body.split()[: len(first.body.split()) // 2]),
            "source": "sabq",
            "published_at": (first.published_at + dt.timedelta(days=1)).isoformat(),
        },
        {
            "title": other.title,
            "body": other.body,
            "published_at": other.published_at.isoformat(),
            "source": "alriyadh",
        },
    ]
    path = tmp_path / "story.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    import_paths([path])
    by_title = {a.title: a for a in Article.objects.all()}
    return [by_title[first.title], by_title["نسخة عكاظ"], by_title["نسخة سبق"]], by_title[other.title]


# --- a real SMTP server (aiosmtpd), for alerts and password resets ----------------------------------------


@dataclass
class Mailbox:
    """What the SMTP server received; `refuse` holds addresses it answers with 550, as a bouncing mailbox does."""

    messages: list = field(default_factory=list)
    refuse: set = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        return [m for m in self.messages if address in m["To"]]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server the app sends through (Django's SMTP backend, as in production)."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


def closed_port() -> int:
    """A loopback port nothing listens on: a mail server that is down."""
    return _free_port()
