from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from newsarchive.embedded_pg.server import ensure_server, stop_server


class Command(BaseCommand):
    help = "Start, stop or locate the embedded PostgreSQL server (used when DATABASE_URL is unset)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["start", "stop", "status"])

    def handle(self, *args, action, **options):
        db = settings.DATABASES["default"]
        data_dir = db.get("EMBEDDED_DATA_DIR")
        if not data_dir:
            raise CommandError("DATABASE_URL is set: there is no embedded server to manage.")
        if action == "stop":
            self.stdout.write("stopped" if stop_server(str(data_dir)) else "not running")
        else:
            params = ensure_server(str(data_dir), db["NAME"])
            self.stdout.write(f"running: data {data_dir}, socket {params['host']}, port {params['port']}")
