"""Shared helpers of the hardening tests: real Arabic articles to mix with bad input, and `manage.py` in a
subprocess against pytest-django's test database (imports that get killed, run concurrently, or are measured)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ANT_FIXTURES = ROOT / "fixtures" / "ant"
PYTHON = sys.executable


def ant_files(limit: int | None = None) -> list[Path]:
    """Real ANT articles (plain text, one per file), in a stable order, across every category."""
    files = sorted(p for p in ANT_FIXTURES.glob("*/*.txt"))
    assert files, f"no fixture articles under {ANT_FIXTURES}"
    if limit is None:
        return files
    # Round-robin over the categories, so a small sample still has several topics.
    by_category: dict[str, list[Path]] = {}
    for p in files:
        by_category.setdefault(p.parent.name, []).append(p)
    out: list[Path] = []
    while len(out) < limit and any(by_category.values()):
        for items in by_category.values():
            if items and len(out) < limit:
                out.append(items.pop(0))
    return out


def subprocess_env(**extra: str) -> dict[str, str]:
    """Environment for a `manage.py` subprocess that uses the database the current test uses (the test database
    created by pytest-django on the embedded server, or the one DATABASE_URL names)."""
    from django.db import connection

    settings_dict = connection.settings_dict
    env = dict(os.environ)
    env.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-production-use-0123456789")
    env["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    env.pop("DJANGO_DEBUG", None)
    from django.conf import settings

    env["SEARCH_INDEX_DIR"] = str(settings.SEARCH_INDEX_DIR)  # the test's own index, never the dev one
    if settings_dict["ENGINE"] == "newsarchive.embedded_pg":
        env.pop("DATABASE_URL", None)
        env["EMBEDDED_PG_DATABASE"] = settings_dict["NAME"]
        env["EMBEDDED_PG_DATA"] = str(settings_dict["EMBEDDED_DATA_DIR"])
    else:
        from urllib.parse import quote

        user = quote(settings_dict.get("USER") or "")
        password = quote(settings_dict.get("PASSWORD") or "")
        auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        host = settings_dict.get("HOST") or "localhost"
        if host.startswith("/"):
            env["DATABASE_URL"] = f"postgres://{auth}/{settings_dict['NAME']}?host={quote(host)}"
        else:
            env["DATABASE_URL"] = f"postgres://{auth}{host}:{settings_dict.get('PORT') or 5432}/{settings_dict['NAME']}"
    env.update(extra)
    return env


def manage(*args: str, env: dict[str, str], timeout: float = 600, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        **kwargs,
    )


@pytest.fixture
def db_env(transactional_db):
    """Environment for subprocesses writing to the test database (tables are emptied after the test)."""
    return subprocess_env()
