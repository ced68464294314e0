"""Search latency benchmark: the JSON API and the HTML results page (each story once, and with every copy),
served by gunicorn, over a fixed query mix.

Needs an archive with the corpus imported (the dev database after `manage.py import_articles
../shared/corpus/ant_corpus_v1.1 ../shared/corpus/saudinewsnet`). Starts gunicorn on 127.0.0.1 itself
(loopback only), warms up, then times every query of the mix sequentially, several rounds, and prints
p50/p95/p99 per endpoint and per query kind. Results also go to bench/results/search.json.

    .venv/bin/python bench/search_bench.py [--rounds 3] [--port 8123] [--workers 2]
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# A realistic mix: what journalists type. Kinds: common single words (thousands of matches), rarer words,
# 3-5 word half-remembered headlines, phrases, OR, exclusion, prefix, and the same with filters and sorts.
QUERIES = [
    ("common", "تونس"),
    ("common", "الحكومة"),
    ("common", "وزير"),
    ("common", "المملكة"),
    ("common", "الرئيس"),
    ("common", "اليوم"),
    ("common", "السعودية"),
    ("common", "الأمن"),
    ("word", "مستشفى"),
    ("word", "السياحة"),
    ("word", "ترامب"),
    ("word", "الإرهاب"),
    ("word", "مهرجان"),
    ("word", "الميزانية"),
    ("word", "تلاميذ"),
    ("word", "مسئول"),
    ("word", "الوزراء"),
    ("word", "قرطاج"),
    ("headline", "وزير الدفاع يزور الجنوب"),
    ("headline", "خادم الحرمين يهنئ رئيس"),
    ("headline", "ارتفاع أسعار النفط في الأسواق"),
    ("headline", "الحكومه تعلن اجراءات جديده للمواطنين"),
    ("headline", "مباراه الترجي والنجم الساحلي"),
    ("headline", "رئيس الجمهورية يلتقي وزير الخارجية"),
    ("headline", "حملة تلقيح ضد الانفلونزا"),
    ("headline", "ايقاف عنصر تكفيري في سيدي بوزيد"),
    ("phrase", '"وزير الدفاع"'),
    ("phrase", '"كرة القدم"'),
    ("phrase", '"خادم الحرمين الشريفين"'),
    ("phrase", '"رئيس الحكومة" تونس'),
    ("or", "اقتصاد OR مالية"),
    ("or", "النفط OR البترول"),
    ("exclude", "تونس -كرة"),
    ("exclude", "وزير -الصحة"),
    ("prefix", "تكنولوج*"),
    ("prefix", "انتخاب*"),
    ("exact", "=الوزراء"),
    # The professional syntax (issue 15): proximity, fields, groups with Arabic operators, dates in the query.
    ("near", "وزير NEAR/5 الدفاع"),
    ("near", "الحرمين قرب/3 خادم"),
    ("near", "رئيس PRE/3 الحكومة"),
    ("near", '"وزير الدفاع"~3'),
    ("field", "عنوان:تونس"),
    ("field", "title:النفط الأسعار"),
    ("field", "نص:مستشفى"),
    ("group", "(اقتصاد أو مالية) -كرة"),
    ("date", "الحكومة after:2016-01-01"),
]
FILTERS = [
    {},
    {"sort": "newest"},
    {"sort": "oldest"},
    {"year": "2016"},
    {"source": "jawharafm"},
    {"tag": "sport"},
    {"date_from": "2015-07-25", "date_to": "2015-08-05"},
]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def fetch(url):
    t = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as r:
        r.read()
        status = r.status
    return (time.perf_counter() - t) * 1000, status


def check_exact(base: str, cases) -> list[str]:
    """Every case's API counts match the rows of its whole ranked CSV (up to the CSV cap): one row per story with
    copies=first, one per article by default; and each facet's counts add up to no more than the article count
    (years exactly to it): the numbers are the whole result set's."""
    import csv
    import io

    def csv_ids(params) -> tuple[int, int, int]:
        with urllib.request.urlopen(f"{base}/search.csv?{urllib.parse.urlencode(params)}", timeout=600) as r:
            cap = int(r.headers.get("X-Result-Cap", "0"))
            rows = list(csv.DictReader(io.StringIO(r.read().decode("utf-8-sig"))))
        return cap, len(rows), len({row["id"] for row in rows})

    problems = []
    for _, params in cases:
        with urllib.request.urlopen(f"{base}/api/search?{urllib.parse.urlencode(params)}", timeout=120) as r:
            data = json.loads(r.read())
        for wanted, extra, name in ((data["stories"], {"copies": "first"}, "stories"), (data["count"], {}, "count")):
            cap, rows, distinct = csv_ids({**params, **extra})
            if distinct != min(wanted, cap) or distinct != rows:
                problems.append(f"{params} {extra}: {name} {wanted}, CSV rows {rows} ({distinct} distinct)")
        years = sum(f["count"] for f in data["facets"].get("years", []))
        if data["count"] and years != data["count"]:
            problems.append(f"{params}: the year facet counts {years} of {data['count']}")
        if "count_exact" in data:
            problems.append(f"{params}: the API still answers count_exact")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--port", type=int, default=8123)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--base", help="an already running server instead of starting gunicorn")
    ap.add_argument("--check-exact", action="store_true", help="also check that every count is the whole result set's")
    args = ap.parse_args()
    base = args.base or f"http://127.0.0.1:{args.port}"
    server = None
    if not args.base:
        env = {**os.environ, "DJANGO_DEBUG": os.environ.get("DJANGO_DEBUG", "1")}
        server = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/gunicorn"),
                "newsarchive.wsgi",
                "-b",
                f"127.0.0.1:{args.port}",
                "-w",
                str(args.workers),
                "--timeout",
                "120",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        for _ in range(100):
            try:
                fetch(base + "/")
                break
            except OSError:
                time.sleep(0.2)
    try:
        rng = random.Random(7)
        cases = []
        for kind, q in QUERIES:
            cases.append((kind, {"q": q}))
            extra = rng.choice(FILTERS[1:])
            cases.append((kind + "+filter", {"q": q, **extra}))
        # "page": each story once (the default); "page-all": the same searches with every copy (?copies=all).
        results = {"api": [], "page": [], "page-all": []}
        by_kind: dict[str, list[float]] = {}
        errors = 0
        for _kind, params in cases[:5]:  # warm-up: caches, connections
            fetch(f"{base}/api/search?" + urllib.parse.urlencode(params))
        for _ in range(args.rounds):
            for kind, params in cases:
                for endpoint, path, extra in (
                    ("api", "/api/search?", {}),
                    ("page", "/search/?", {}),
                    ("page-all", "/search/?", {"copies": "all"}),
                ):
                    ms, status = fetch(base + path + urllib.parse.urlencode({**params, **extra}))
                    errors += status != 200
                    results[endpoint].append(ms)
                    by_kind.setdefault(f"{endpoint} {kind.split('+')[0]}", []).append(ms)
        summary = {}
        for endpoint, values in results.items():
            summary[endpoint] = {p: round(percentile(values, int(p[1:])), 1) for p in ("p50", "p95", "p99")}
            summary[endpoint]["n"] = len(values)
        print(f"{len(cases)} queries x {args.rounds} rounds, errors: {errors}")
        for endpoint, s in summary.items():
            print(
                f"  {endpoint:8} p50 {s['p50']:7.1f} ms   p95 {s['p95']:7.1f} ms   p99 {s['p99']:7.1f} ms   (n={s['n']})"
            )
        for key in sorted(by_kind):
            v = by_kind[key]
            print(f"    {key:18} p50 {statistics.median(v):7.1f}   p95 {percentile(v, 95):7.1f}")
        if args.check_exact:
            problems = check_exact(base, cases)
            print(f"exactness: {len(cases) - len(problems)} of {len(cases)} cases exact")
            for line in problems:
                print("  ✗", line)
        out = ROOT / "bench" / "results"
        out.mkdir(exist_ok=True)
        (out / "search.json").write_text(json.dumps({"summary": summary, "errors": errors}, indent=1))
    finally:
        if server:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
