"""A PostgreSQL backend that starts the embedded server on first connection, and again when it has died.

Settings stay free of side effects: nothing starts until Django actually needs a connection, and
`DATABASES["default"]["OPTIONS"]` never has to know the socket folder in advance.
"""

import time

from django.db.backends.postgresql import base

from .server import ensure_server, forget_server, server_running

RESTART_EVERY = 5.0  # seconds: while a restart fails, each process tries again no more often than this


class DatabaseWrapper(base.DatabaseWrapper):
    _last_restart = 0.0

    def get_connection_params(self):
        data_dir = self.settings_dict["EMBEDDED_DATA_DIR"]
        server = ensure_server(str(data_dir), self.settings_dict["NAME"])
        self.settings_dict.update(HOST=server["host"], PORT=str(server["port"]), USER=server["user"])
        return super().get_connection_params()

    def get_new_connection(self, conn_params):
        try:
            return super().get_new_connection(conn_params)
        except base.Database.OperationalError:
            if not self._restart_dead_server():
                raise
        # The server was dead and is back (crash recovery done): connect to it where it now listens.
        return super().get_new_connection(self.get_connection_params())

    def _restart_dead_server(self) -> bool:
        """Start the server again if it is not running (a killed postmaster, say); False if it is running (the
        failure was something else) or a restart was tried moments ago. Requests meanwhile get the 503 page."""
        data_dir = str(self.settings_dict["EMBEDDED_DATA_DIR"])
        if server_running(data_dir) or time.monotonic() - DatabaseWrapper._last_restart < RESTART_EVERY:
            return False
        DatabaseWrapper._last_restart = time.monotonic()
        forget_server(data_dir)
        try:
            ensure_server(data_dir, self.settings_dict["NAME"])
        except Exception:  # noqa: BLE001 - whatever stopped the start, this request gets the 503 page
            return False
        return True
