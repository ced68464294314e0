"""A PostgreSQL backend that starts the embedded server on first connection.

Settings stay free of side effects: nothing starts until Django actually needs a connection, and
`DATABASES["default"]["OPTIONS"]` never has to know the socket folder in advance.
"""
from django.db.backends.postgresql import base

from .server import ensure_server


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        data_dir = self.settings_dict["EMBEDDED_DATA_DIR"]
        server = ensure_server(str(data_dir), self.settings_dict["NAME"])
        self.settings_dict.update(HOST=server["host"], PORT=str(server["port"]), USER=server["user"])
        return super().get_connection_params()
