"""manage.py restore_archive FILE --into NAME: a backup_archive (pg_dump) file into a NEW database on the same server.

The live database is never overwritten: restore into a new name, check it, then point the site at it
(EMBEDDED_PG_DATABASE=NAME, or DATABASE_URL) and restart. See docs/deploy.md.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from .backup_archive import connection_args, pg_tool


class Command(BaseCommand):
    help = "استرجاع نسخة احتياطية (backup_archive) في قاعدة بيانات جديدة على الخادم نفسه."

    def add_arguments(self, parser):
        parser.add_argument("file", help="ملف النسخة")
        parser.add_argument("--into", required=True, help="اسم قاعدة البيانات الجديدة (يجب ألا تكون موجودة)")

    def handle(self, *args, file, into, verbosity, **options):
        source = Path(file)
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        if into == connection.settings_dict["NAME"]:
            raise CommandError("refusing to restore over the database in use: choose a new name")
        args, env = connection_args()
        listing = subprocess.run([pg_tool("pg_restore"), "--list", str(source)], capture_output=True, text=True)
        if listing.returncode:
            raise CommandError(f"not a pg_dump archive: {listing.stderr.strip()}")
        created = subprocess.run([pg_tool("createdb"), *args, into], env=env, capture_output=True, text=True)
        if created.returncode:
            raise CommandError(f"cannot create the database {into!r}: {created.stderr.strip()}")
        result = subprocess.run(
            [pg_tool("pg_restore"), *args, "--no-owner", "--no-privileges", "--exit-on-error", "-d", into, str(source)],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise CommandError(
                f"pg_restore failed (the database {into!r} is incomplete: drop it): {result.stderr.strip()}"
            )
        if verbosity:
            self.stdout.write(f"{source} → {into}")
