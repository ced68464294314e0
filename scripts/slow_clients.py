#!/usr/bin/env python
"""Slow clients: connections that send their request headers a byte at a time, and how long a normal request
waits meanwhile (issue 18, item 8; docs/deploy.md gives the figures).

    .venv/bin/python scripts/slow_clients.py --serve --worker-class sync      # gunicorn's default: blocked
    .venv/bin/python scripts/slow_clients.py --serve --worker-class gthread   # the documented deployment

* --serve starts gunicorn on 127.0.0.1 (--workers, --worker-class, --threads, the database the environment
  selects) and stops it at the end; without it, --url names a server already running. Loopback only.
* --slow N connections (default 6) each send one header byte every --interval seconds (default 1), for
  --duration seconds (default 20), and are opened again when the server closes them.
* Meanwhile a normal client asks for --path (default /) every second, with a --timeout (default 30 s).

Prints each normal request's latency and their p50/max. Exit status 1 when a normal request took more than
--budget seconds (default 2) or failed. Standard library only.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUEST = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: slow-client\r\nAccept: */*\r\n"


def gunicorn_command(port: int, workers: int, worker_class: str, threads: int) -> list[str]:
    gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
    command = [
        str(gunicorn) if gunicorn.exists() else "gunicorn",
        "newsarchive.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        worker_class,
        "--timeout",
        "30",
    ]
    return command + (["--threads", str(threads)] if worker_class == "gthread" else [])


def trickle(host: str, port: int, interval: float, deadline: float) -> None:
    """One slow client: a byte of headers per `interval`, never the blank line that ends them."""
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), timeout=5) as conn:
                for byte in REQUEST * 100:
                    if time.monotonic() >= deadline:
                        return
                    conn.sendall(bytes([byte]))
                    time.sleep(interval)
        except OSError:
            time.sleep(interval)  # closed by the server: come back, as an attacker would


def wait_for(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


def measure(url: str, duration: float, timeout: float) -> list[float | None]:
    """A normal request a second for `duration` seconds: each latency, None for a failure."""
    out: list[float | None] = []
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response:
                response.read()
            out.append(time.perf_counter() - started)
        except OSError:
            out.append(None)
        time.sleep(max(0.0, 1 - (time.perf_counter() - started)))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=None)
    parser.add_argument("--serve", action="store_true")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--slow", type=int, default=6)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--budget", type=float, default=2.0)
    parser.add_argument("--path", default="/")
    args = parser.parse_args(argv)
    if args.slow > 64 or args.duration > 300:
        raise SystemExit("bounded on purpose: at most 64 slow clients and 300 s")
    server = None
    if args.serve:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        env = dict(os.environ)
        env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
        env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
        server = subprocess.Popen(
            gunicorn_command(port, args.workers, args.worker_class, args.threads),
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
    else:
        base = (args.url or "http://127.0.0.1:8000").rstrip("/")
    parts = urllib.parse.urlsplit(base)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit("loopback only")
    try:
        wait_for(base + args.path)
        deadline = time.monotonic() + args.duration + 2
        for _ in range(args.slow):
            threading.Thread(
                target=trickle, args=(parts.hostname, parts.port or 80, args.interval, deadline), daemon=True
            ).start()
        time.sleep(2)  # the slow clients are connected and trickling
        latencies = measure(base + args.path, args.duration, args.timeout)
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
    served = [x for x in latencies if x is not None]
    label = (
        f"gunicorn --workers {args.workers} --worker-class {args.worker_class}"
        + (f" --threads {args.threads}" if args.worker_class == "gthread" else "")
        if args.serve
        else base
    )
    print(
        f"{label}, {args.slow} slow clients (a header byte every {args.interval:g} s), {len(latencies)} normal "
        f"requests of {args.path}"
    )
    print("latencies (s):", " ".join("failed" if x is None else f"{x:.2f}" for x in latencies))
    if served:
        print(f"p50 {statistics.median(served):.2f} s, max {max(served):.2f} s, failed {len(latencies) - len(served)}")
    bad = len(served) < len(latencies) or not served or max(served) > args.budget
    print("FAILED" if bad else "OK")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
