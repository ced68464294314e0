#!/usr/bin/env python
"""Load test: concurrent clients on the search page and the JSON API while an import runs.

    .venv/bin/python scripts/load_test.py [--serve] [--duration 60] [--clients 8] [--import PATH ...]

* Loopback only: the target URL must be on 127.0.0.0/8, localhost or [::1]; anything else is refused.
* Bounded: stops after --duration seconds (default 60) or --max-requests requests (default 50,000), whichever
  comes first; every request has a 30 s timeout.
* --serve starts gunicorn itself (`--workers` workers on 127.0.0.1:--port) on the database the environment selects
  (the embedded server's `newsarchive` by default, EMBEDDED_PG_DATABASE or DATABASE_URL otherwise) and stops it at
  the end. Without it, --url names a server already running.
* --import PATH... runs `manage.py import_articles PATH...` on that database during the load (a re-import of a
  corpus already in the archive stores nothing new: the expected counts are then 0 created and an unchanged total).

* --attack PATH runs --attackers more clients (default 8) that repeat that one request (the dearest one can
  find, e.g. "/search.csv?q=..."), as fast as it answers: the figure to read is the other clients' p95 ("search
  page" / "API"), which must stay under 1 s. The attackers' 429s (rate limits) are counted apart, not as errors.

Prints errors, requests/s and p50/p95/p99/max latencies, overall and per endpoint, and the import's counts. Exit
status 1 when a request failed or the import failed. Standard library only (threads + urllib) apart from Django for
reading the import's counts.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Journalists' queries: single words, phrases, OR, exclusions, prefixes, exact spellings, with and without filters.
QUERIES = [
    "وزير الدفاع",
    "الحكومة",
    "تونس",
    "الرياض",
    "اقتصاد OR مالية",
    '"وزير الخارجية"',
    "تونس -كرة",
    "تكنولوج*",
    "=الوزراء",
    "الانتخابات البلدية",
    "النفط",
    "كرة القدم",
    "الصحة",
    "التعليم",
    "المملكة العربية السعودية",
    "الأمن",
    "رئيس الجمهورية",
    "مجلس الشورى",
    "البرلمان",
    "الإرهاب",
    "السياحة",
    "الطقس",
    "أسعار",
    "جامعة",
    "مهرجان قرطاج",
    "وزارة الداخلية",
    "الهلال",
    "النصر",
    "الاستثمار",
    "البطالة",
    "المرأة",
    "حقوق الإنسان",
    "تكنولوجيا المعلومات",
    "الذكاء الاصطناعي",
    "الرئيس الفرنسي",
    "وزير",
    "المغرب الجزائر",
    "فلسطين",
    "سوريا",
]
FILTERS = [
    {},
    {},
    {},
    {"sort": "newest"},
    {"sort": "oldest"},
    {"page": "2"},
    {"year": "2015"},
    {"year": "2016"},
    {"date_from": "2015-01-01", "date_to": "2015-12-31"},
    {"tag": "economy"},
    {"tag": "sport"},
]


def loopback_only(url: str) -> None:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return
    try:
        if ipaddress.ip_address(host).is_loopback:
            return
    except ValueError:
        pass
    raise SystemExit(f"refusing to load {host!r}: only loopback addresses (127.0.0.0/8, localhost, ::1)")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


class Load:
    def __init__(
        self,
        base: str,
        clients: int,
        duration: float,
        max_requests: int,
        seed: int,
        attack: str | None = None,
        attackers: int = 0,
    ):
        self.base = base.rstrip("/")
        self.attack, self.attackers = attack, attackers if attack else 0
        self.refused = 0  # the attackers' 429s
        self.clients, self.duration, self.max_requests = clients, duration, max_requests
        self.rng = random.Random(seed)
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.sent = 0
        self.opener = urllib.request.build_opener(_NoRedirect)

    def next_request(self, rng: random.Random) -> tuple[str, str]:
        q = rng.choice(QUERIES)
        params = {"q": q, **rng.choice(FILTERS)}
        if self.attack or rng.random() < 0.5:  # under attack: people searching, one address apart from the attack's
            return "search page", f"{self.base}/search/?{urllib.parse.urlencode(params)}"
        params["page_size"] = str(rng.choice([10, 20, 50, 100]))
        return "API", f"{self.base}/api/search?{urllib.parse.urlencode(params)}"

    def client(self, index: int, deadline: float) -> None:
        rng = random.Random(self.rng.random() + index)
        attacker = index >= self.clients
        while time.monotonic() < deadline:
            with self.lock:
                if self.sent >= self.max_requests:
                    return
                self.sent += 1
            kind, url = ("attack", self.base + self.attack) if attacker else self.next_request(rng)
            started = time.perf_counter()
            try:
                with self.opener.open(url, timeout=30) as response:
                    body = response.read()
                    status = response.status
                if kind == "API":
                    json.loads(body)
                ok = status == 200
                problem = f"{status} {url}"
            except urllib.error.HTTPError as error:
                ok, problem = attacker and error.code == 429, f"{error.code} {url}"
                if ok:
                    with self.lock:
                        self.refused += 1
            except Exception as error:  # noqa: BLE001 - every failure is counted and reported
                ok, problem = False, f"{type(error).__name__}: {error} {url}"
            elapsed = time.perf_counter() - started
            with self.lock:
                self.latencies[kind].append(elapsed)
                if not ok:
                    self.errors.append(problem)

    def run(self) -> float:
        deadline = time.monotonic() + self.duration
        threads = [
            threading.Thread(target=self.client, args=(i, deadline), daemon=True)
            for i in range(self.clients + self.attackers)
        ]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.duration + 60)
        return time.monotonic() - started


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen | None, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        if server is not None and server.poll() is not None:
            raise SystemExit("gunicorn exited before serving")
        if time.monotonic() > deadline:
            raise SystemExit(f"{url} did not answer within {timeout:.0f} s")
        time.sleep(0.5)


def django_counts() -> tuple[int, dict | None]:
    """(articles, the newest import batch's counters) in the database the environment selects."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsarchive.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from articles.models import Article, ImportBatch

    batch = (
        ImportBatch.objects.order_by("-pk")
        .values("pk", "status", "records_read", "created", "updated", "duplicates", "failed")
        .first()
    )
    return Article.objects.count(), batch


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default=None, help="server to load (default: the one --serve starts)")
    parser.add_argument("--serve", action="store_true", help="start gunicorn on 127.0.0.1 for the test")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--import", dest="import_paths", nargs="*", default=[], help="import these during the load")
    parser.add_argument("--import-timeout", type=float, default=900)
    parser.add_argument("--attack", default=None, help="a path and query string the attackers repeat")
    parser.add_argument("--attackers", type=int, default=8)
    args = parser.parse_args(argv)
    if args.duration > 600 or args.clients > 64:
        raise SystemExit("bounded on purpose: at most 600 s and 64 clients")

    server = None
    port = args.port or free_port()
    url = args.url or f"http://127.0.0.1:{port}"
    loopback_only(url)
    env = dict(os.environ)
    env.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
    # Every client of this test is on the loopback, which the limits exempt by default: here they stand for users.
    env.setdefault("DJANGO_RATELIMIT_EXEMPT_NETWORKS", "")
    if "DJANGO_DEBUG" not in env:
        env.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")  # plain HTTP on the loopback
    server_log = tempfile.TemporaryFile("w+")  # a file, not a pipe: a full pipe would block gunicorn's workers
    if args.serve:
        gunicorn = ROOT / ".venv" / "bin" / "gunicorn"
        server = subprocess.Popen(
            [
                str(gunicorn) if gunicorn.exists() else "gunicorn",
                "newsarchive.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--timeout",
                "60",
                "--worker-class",
                args.worker_class,
                *(["--threads", str(args.threads)] if args.worker_class == "gthread" else []),
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=server_log,
            text=True,
        )
    importer = None
    try:
        wait_for(url + "/", server)
        before, _ = django_counts() if args.import_paths else (None, None)
        if args.import_paths:
            importer = subprocess.Popen(
                [sys.executable, str(ROOT / "manage.py"), "import_articles", *args.import_paths, "-v", "1"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            import_started = time.monotonic()
            import_output: dict = {}

            def wait_import():
                import_output["out"], import_output["err"] = importer.communicate(timeout=args.import_timeout)
                import_output["seconds"] = time.monotonic() - import_started

            waiter = threading.Thread(target=wait_import, daemon=True)
            waiter.start()
        load = Load(url, args.clients, args.duration, args.max_requests, args.seed, args.attack, args.attackers)
        elapsed = load.run()
        import_running_at_end = importer is not None and importer.poll() is None
        import_result = None
        if importer is not None:
            waiter.join(args.import_timeout)
            out, err, import_seconds = import_output["out"], import_output["err"], import_output["seconds"]
            after, batch = django_counts()
            import_result = (
                importer.returncode,
                out.strip().splitlines()[-1:] or [""],
                err,
                before,
                after,
                batch,
                import_seconds,
            )
    finally:
        if importer is not None and importer.poll() is None:
            importer.kill()
        if server is not None:
            server.terminate()
            server.wait(30)

    every = [x for values in load.latencies.values() for x in values]
    print(
        f"target {url}, {args.clients} clients, {elapsed:.1f} s"
        + (f", gunicorn --workers {args.workers} --worker-class {args.worker_class}" if args.serve else "")
    )
    print(f"requests: {len(every)}, errors: {len(load.errors)}, {len(every) / elapsed:.1f} requests/s")
    print(f"{'endpoint':<12} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8} {'mean ms':>8}")
    for kind, values in sorted(load.latencies.items()) + [("all", every)]:
        print(
            f"{kind:<12} {len(values):>6} {percentile(values, 50) * 1000:>8.0f} {percentile(values, 95) * 1000:>8.0f}"
            f" {percentile(values, 99) * 1000:>8.0f} {max(values, default=0) * 1000:>8.0f}"
            f" {statistics.fmean(values) * 1000 if values else 0:>8.0f}"
        )
    if load.attackers:
        print(f"attack: {load.attackers} clients repeating {args.attack}, {load.refused} answered 429")
    for problem in load.errors[:10]:
        print("  error:", problem)
    failed = bool(load.errors)
    if import_result:
        code, last, err, before, after, batch, seconds = import_result
        print(
            f"import: exit {code} in {seconds:.1f} s ({'still running when the load stopped' if import_running_at_end else 'finished during the load'})"
        )
        print(f"  {last[0]}")
        print(f"  batch {batch}")
        print(f"  articles before {before}, after {after}")
        failed |= code != 0 or (batch or {}).get("status") != "finished"
        failed |= after != before + (batch or {}).get("created", 0)
    if server is not None:
        server_log.seek(0)
        log = server_log.read()
        if "Traceback" in log:
            print("gunicorn log has tracebacks:\n" + log[-2000:])
            failed = True
    print("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
