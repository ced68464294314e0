"""Fixtures for the journalists' tests: accounts with the role, and a real SMTP server (aiosmtpd) on loopback."""
from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Permission


JOURNALIST_CODENAMES = [f"{action}_{model}" for model in ("savedsearch", "collection", "collectionitem")
                        for action in ("add", "change", "delete", "view")]


@pytest.fixture
def make_journalist(db, django_user_model):
    def make(username: str, email_address: str = ""):
        user = django_user_model.objects.create_user(username, email=email_address or f"{username}@example.org",
                                                     password="كلمة-سر-طويلة-2026")
        user.user_permissions.add(*Permission.objects.filter(
            content_type__app_label="articles", codename__in=JOURNALIST_CODENAMES))
        return django_user_model.objects.get(pk=user.pk)  # a fresh object: permissions are cached per instance

    return make


@pytest.fixture
def journalist(make_journalist):
    return make_journalist("salma", "salma@example.org")


@dataclass
class Mailbox:
    """What the SMTP server received; `refuse` holds addresses it answers with 550, as a bouncing mailbox does."""

    messages: list = field(default_factory=list)
    refuse: set = field(default_factory=set)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 <%s>: Recipient address rejected: User unknown" % address
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
    return _free_port()
