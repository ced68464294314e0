"""Speed at scale (issue 6): grow a benchmark archive size by size and measure import, storage and search at each.

    .venv/bin/python bench/scale/run.py                                   # 100k, 300k, 1M: everything but reindex
    .venv/bin/python bench/scale/run.py --sizes 100000 --skip-search      # import and storage only
    .venv/bin/python bench/scale/run.py --sizes 1000000 --reindex         # resume at 1M, then time rebuild_index
    .venv/bin/python bench/scale/run.py --sizes 2000,5000 --skip-search --database newsarchive_scale_try --fresh \
        --drop-after                                                      # a quick try that leaves nothing behind

Database: `newsarchive_scale` on the embedded PostgreSQL server (`--database`, or SCALE_DATABASE), never the dev
archive; every subprocess gets EMBEDDED_PG_DATABASE. BENCH_DATABASE_URL, if set, is used instead (as in
bench/import_bench.py). `--fresh` drops and recreates the database first, `--drop-after` drops it at the end
(both refuse names without "scale" or "bench" in them).

For each size, in increasing order (stages can be skipped; results of skipped stages stay from earlier runs):

a. import (`--skip-import` to skip): bench/scale/generate.py writes the missing chunk files (JSON Lines, seed
   `--seed`, in `--data-dir`/seed<seed>-chunk<chunk>/; the chunk size is the greatest common divisor of the
   sizes and 10,000: keep the same --sizes list, or --chunk-size, between runs on one database), then `manage.py import_articles` imports ONLY the chunks not yet imported, as a subprocess: the
   real command, which keeps the search index in step as it goes. Which chunks are in the database is read from the finished
   ImportBatch rows (their `arguments.paths`), so an interrupted run resumes with the first missing chunk and a
   size already reached is skipped. Measured: wall time and articles/s (and the pipeline's own rate from the
   command's summary), created / updated / duplicates / failed, and peak memory sampled every 0.5 s from /proc:
   the sum of VmRSS (and of PSS, which counts pages shared by the forked analysis workers once) over the command
   and all its descendants; also the PostgreSQL server's, whole server and only the backends of this database
   (RSS counts shared_buffers in every backend, so PSS is the meaningful sum there).
b. storage: VACUUM (ANALYZE) of the article table (timed; what autovacuum would have done), then sizes from the
   catalogue: article heap, its TOAST table, every index of the article and tag-link tables; the search index
   (the files of its live generation under SEARCH_INDEX_DIR), stored text (sum of octet_length of title, lead,
   body and raw_text, and as stored on disk, compressed), bytes per article of each, and the ratios «search
   index / stored text» and «search index / text on disk».
c. search (`--skip-search` to skip): bench/search_load.py against our search (`--target ours`) and the baseline
   (`--target baseline`, after `manage.py baseline_index --settings=bench.settings`, timed, brings the
   baseline's tsvectors up to date), with DJANGO_SETTINGS_MODULE=bench.settings; its --json output is kept in
   the data folder and copied into the results. A missing script or output is reported, not fatal.
d. results: merged into bench/results/scale.json after every stage, keyed by size, with timestamps and the
   machine's load average before and after each stage; bench/scale/report.py then renders
   bench/results/scale.md and scale.png (`--no-report` to skip).

A size is measured (b, c) only when the archive holds exactly that size: once it has grown past it, earlier sizes
are left alone. `--reindex` times `manage.py rebuild_index` (with peak memory) at the largest size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.scale import generate as gen  # noqa: E402 (after the path it needs)

PYTHON = str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv" / "bin" / "python").exists() else sys.executable
RESULTS = ROOT / "bench" / "results" / "scale.json"
DEFAULT_SIZES = (100_000, 300_000, 1_000_000)
DEFAULT_DATABASE = os.environ.get("SCALE_DATABASE", "newsarchive_scale")


def log(message: str) -> None:
    # UTC: django.setup() switches the process to the archive's TIME_ZONE halfway through a run.
    print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}Z] {message}", flush=True)


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# ---------------------------------------------------------------------------------------------------------------
# Memory of a process tree, from /proc


def _proc_table() -> dict[int, list[int]]:
    """Children of every process (by parent pid)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name is in parentheses and may contain anything: fields resume after the last ')'.
        ppid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree(root: int, children: dict[int, list[int]]) -> list[int]:
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _memory_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, Pss) of one process in kB; (0, 0) once it is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                    break
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                    break
    except (OSError, ValueError):
        pass
    return rss, pss


def _cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


class MemorySampler(threading.Thread):
    """Peak summed memory of process trees, sampled every `interval` seconds.

    Trees: "command" (the subprocess and its descendants), "pg_server" (the postmaster and all its processes) and
    "pg_database" (only the backends whose title names this database: `postgres: user DB ...`).
    """

    def __init__(self, command_pid: int, postmaster_pid: int | None, database: str, interval: float = 0.5):
        super().__init__(daemon=True)
        self.command_pid, self.postmaster_pid, self.database = command_pid, postmaster_pid, database
        self.interval = interval
        self.stop_event = threading.Event()
        self.peak: dict[str, dict[str, int]] = {}
        self.samples = 0

    def sample(self) -> None:
        children = _proc_table()
        trees = {"command": _tree(self.command_pid, children)}
        if self.postmaster_pid:
            server = _tree(self.postmaster_pid, children)
            trees["pg_server"] = server
            marker = f" {self.database} "
            trees["pg_database"] = [p for p in server if marker in _cmdline(p)]
        for name, pids in trees.items():
            rss = pss = 0
            for pid in pids:
                r, p = _memory_kb(pid)
                rss, pss = rss + r, pss + p
            peak = self.peak.setdefault(name, {"rss_kb": 0, "pss_kb": 0, "processes": 0})
            peak["rss_kb"] = max(peak["rss_kb"], rss)
            peak["pss_kb"] = max(peak["pss_kb"], pss)
            peak["processes"] = max(peak["processes"], len(pids))
        self.samples += 1

    def run(self) -> None:
        while not self.stop_event.is_set():
            self.sample()
            self.stop_event.wait(self.interval)

    def stop(self) -> dict:
        self.stop_event.set()
        self.join()
        return {
            name: {
                "peak_rss_mb": round(v["rss_kb"] / 1024, 1),
                "peak_pss_mb": round(v["pss_kb"] / 1024, 1),
                "max_processes": v["processes"],
            }
            for name, v in self.peak.items()
        } | {"samples": self.samples}


# ---------------------------------------------------------------------------------------------------------------
# Environment, database


class Bench:
    def __init__(self, args):
        self.args = args
        self.database = args.database
        self.env = dict(os.environ)
        self.env.setdefault("DJANGO_DEBUG", "1")
        self.env.setdefault("DJANGO_SECRET_KEY", "bench-only")
        self.env["EMBEDDED_PG_DATABASE"] = self.database
        self.env["DJANGO_SETTINGS_MODULE"] = "newsarchive.settings"
        self.env["PYTHONUNBUFFERED"] = "1"
        if os.environ.get("BENCH_DATABASE_URL"):
            self.env["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]
        os.environ.update(
            {
                k: self.env[k]
                for k in ("DJANGO_DEBUG", "DJANGO_SECRET_KEY", "EMBEDDED_PG_DATABASE", "DJANGO_SETTINGS_MODULE")
            }
        )
        if "DATABASE_URL" in self.env:
            os.environ["DATABASE_URL"] = self.env["DATABASE_URL"]
        self.django_ready = False

    # -- Django in this process, for catalogue queries -----------------------------------------------------------
    def setup_django(self):
        if not self.django_ready:
            import django

            django.setup()
            self.django_ready = True
        from django.db import connection

        return connection

    def _server_params(self) -> dict:
        """Connection parameters for the server's maintenance database (to drop / create ours)."""
        from django.conf import settings

        self.setup_django()
        db = settings.DATABASES["default"]
        if db.get("EMBEDDED_DATA_DIR"):
            from newsarchive.embedded_pg.server import ensure_server

            params = ensure_server(str(db["EMBEDDED_DATA_DIR"]), "postgres")
            return {"host": params["host"], "port": params["port"], "user": params["user"]}
        self.database = db["NAME"]
        params = {
            "host": db.get("HOST") or None,
            "port": db.get("PORT") or None,
            "user": db.get("USER") or None,
            "password": db.get("PASSWORD") or None,
        }
        return {k: v for k, v in params.items() if v}

    def _check_throwaway(self):
        if not re.search(r"scale|bench", self.database):
            raise SystemExit(f"refusing to drop database {self.database!r}: its name has neither 'scale' nor 'bench'")

    def drop_database(self, recreate: bool):
        import psycopg
        from psycopg import sql

        params = self._server_params()
        self._check_throwaway()
        from django.db import connections

        connections.close_all()
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.database)))
            log(f"dropped database {self.database}")
            if recreate:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.database)))
                log(f"created database {self.database}")

    def postmaster_pid(self) -> int | None:
        from django.conf import settings

        self.setup_django()
        data_dir = settings.DATABASES["default"].get("EMBEDDED_DATA_DIR")
        if not data_dir:
            return None  # an external server: its memory is not ours to read
        try:
            return int((Path(data_dir) / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def manage(self, *argv, settings_module: str | None = None, sample: bool = False) -> dict:
        """Run `manage.py argv` as a subprocess; wall time, output, and peak memory when `sample`."""
        env = dict(self.env)
        if settings_module:
            env["DJANGO_SETTINGS_MODULE"] = settings_module
        return self.command([PYTHON, "manage.py", *argv], env, sample=sample)

    def command(self, cmd: list[str], env: dict, sample: bool = False, echo: bool = True) -> dict:
        postmaster = self.postmaster_pid() if sample else None
        started_at, load_before = now(), loadavg()
        t = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        sampler = None
        if sample:
            sampler = MemorySampler(proc.pid, postmaster, self.database)
            sampler.start()
        lines = []
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line)
            if echo:
                sys.stdout.write("    " + line)
                sys.stdout.flush()
        rc = proc.wait()
        wall = time.perf_counter() - t
        out = {
            "command": " ".join(cmd[1:] if cmd[0] == PYTHON else cmd)[:500],
            "returncode": rc,
            "wall_s": round(wall, 2),
            "started_at": started_at,
            "finished_at": now(),
            "loadavg_before": load_before,
            "loadavg_after": loadavg(),
            "output": "".join(lines),
        }
        if sampler:
            out["memory"] = sampler.stop()
        return out


# ---------------------------------------------------------------------------------------------------------------
# Stages


_SUMMARY = re.compile(
    r"دفعة (\d+): ([^،]+)، (\d+) [^—]+ — أُنشئ (\d+)، حُدّث (\d+)، مكرر (\d+)، فشل (\d+)"
    r".*?([\d.]+) ث \((\d+) مقال/ث\)"
)
_REINDEX = re.compile(r"فُهرس (\d+) \S+ في ([\d.]+) ث \((\d+) مقال/ث\)")  # «3 مقالات», «100 مقال»
_GEN_RATE = re.compile(r"generated ([\d,]+) articles .* = ([\d,]+) articles/s")


def archive_state(bench: Bench) -> dict:
    """Articles in the database and the chunk files that finished importing (from ImportBatch.arguments)."""
    bench.setup_django()
    from articles.models import Article, ImportBatch

    imported: set[str] = set()
    for args in ImportBatch.objects.filter(status=ImportBatch.Status.FINISHED, dry_run=False).values_list(
        "arguments", flat=True
    ):
        for p in (args or {}).get("paths") or ():
            imported.add(str(p))
    return {"articles": Article.objects.count(), "imported": imported}


def migrate(bench: Bench) -> None:
    res = bench.manage("migrate", "--noinput", "-v", "0")
    if res["returncode"]:
        raise SystemExit(f"migrate failed:\n{res['output']}")


def generate_files(bench: Bench, size: int) -> dict:
    a = bench.args
    cmd = [
        PYTHON,
        str(ROOT / "bench" / "scale" / "generate.py"),
        "--out",
        str(a.chunk_dir),
        "--seed",
        str(a.seed),
        "--start",
        "0",
        "--count",
        str(size),
        "--chunk-size",
        str(a.chunk_size),
    ]
    missing = [p for p in gen.chunk_paths(a.chunk_dir, 0, size, a.chunk_size) if not p.exists()]
    if not missing:
        log(f"all {size // a.chunk_size} chunk files for {size:,} articles already generated")
        return {"files_written": 0}
    log(f"generating {len(missing)} chunk files ({len(missing) * a.chunk_size:,} articles) in {a.chunk_dir}")
    res = bench.command(cmd, bench.env)
    if res["returncode"]:
        raise SystemExit(f"generation failed:\n{res['output']}")
    m = _GEN_RATE.search(res["output"])
    return {
        "files_written": len(missing),
        "articles": int(m.group(1).replace(",", "")) if m else None,
        "rate": int(m.group(2).replace(",", "")) if m else None,
        "wall_s": res["wall_s"],
    }


def import_stage(bench: Bench, size: int, state: dict) -> dict | None:
    a = bench.args
    wanted = [str(p) for p in gen.chunk_paths(a.chunk_dir, 0, size, a.chunk_size)]
    todo = [p for p in wanted if p not in state["imported"]]
    if not todo:
        log(f"{size:,}: every chunk already imported ({state['articles']:,} articles in the database), import skipped")
        return None
    generation = generate_files(bench, size)
    before = state["articles"]
    log(f"{size:,}: importing {len(todo)} chunk files ({len(todo) * a.chunk_size:,} articles) into {before:,} articles")
    res = bench.manage("import_articles", *todo, sample=True)
    output = res.pop("output")
    if res["returncode"]:
        log(f"import_articles exited with {res['returncode']}")
    after = archive_state(bench)
    delta = len(todo) * a.chunk_size
    result = {
        **res,
        "files": len(todo),
        "delta_articles": delta,
        "articles_before": before,
        "articles_after": after["articles"],
        "rate_wall": round(delta / res["wall_s"], 1),
        "generation": generation,
        "workers_default": min(2, os.cpu_count() or 1),
        "output_tail": output[-2000:],
    }
    m = _SUMMARY.search(output)
    if m:
        result.update(
            batch_id=int(m.group(1)),
            records=int(m.group(3)),
            created=int(m.group(4)),
            updated=int(m.group(5)),
            duplicates=int(m.group(6)),
            failed=int(m.group(7)),
            pipeline_s=float(m.group(8)),
            rate_pipeline=int(m.group(9)),
        )
    else:
        log("could not read the command's summary line (counts from the database instead)")
        result.update(created=after["articles"] - before)
    mem = result.get("memory", {})
    log(
        f"{size:,}: imported {delta:,} in {res['wall_s']:.1f} s = {result['rate_wall']:.0f} articles/s wall"
        f" (pipeline {result.get('rate_pipeline', '?')}/s), created {result.get('created')}, duplicates "
        f"{result.get('duplicates', '?')}, failed {result.get('failed', '?')}; peak RSS "
        f"{mem.get('command', {}).get('peak_rss_mb')} MB (PSS {mem.get('command', {}).get('peak_pss_mb')} MB), "
        f"PostgreSQL server PSS {mem.get('pg_server', {}).get('peak_pss_mb')} MB"
    )
    state.update(after)
    return result


def storage_stage(bench: Bench) -> dict:
    connection = bench.setup_django()
    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM (ANALYZE) articles_article")
    vacuum_s = time.perf_counter() - t
    tables = ("articles_article", "articles_article_tags")
    with connection.cursor() as c:
        c.execute(
            "SELECT relname, pg_relation_size(oid), "
            "CASE WHEN reltoastrelid = 0 THEN 0 ELSE pg_total_relation_size(reltoastrelid) END, "
            "pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(%s) AND relkind = 'r'",
            [list(tables)],
        )
        rel = {name: {"heap": heap, "toast": toast, "total": total} for name, heap, toast, total in c.fetchall()}
        c.execute(
            "SELECT ic.relname, t.relname, am.amname, pg_relation_size(ic.oid) FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid "
            "JOIN pg_am am ON am.oid = ic.relam WHERE t.relname = ANY(%s) ORDER BY t.relname, ic.relname",
            [list(tables)],
        )
        indexes = [{"name": n, "table": tb, "method": m, "bytes": b} for n, tb, m, b in c.fetchall()]
        t2 = time.perf_counter()
        c.execute(
            "SELECT count(*), coalesce(sum(octet_length(title)), 0), "
            "coalesce(sum(octet_length(lead)), 0), coalesce(sum(octet_length(body)), 0), "
            "coalesce(sum(octet_length(raw_text)), 0), "
            "coalesce(sum(pg_column_size(title) + pg_column_size(lead) + pg_column_size(body) "
            "+ pg_column_size(raw_text)), 0) FROM articles_article"
        )
        n, title, lead, body, raw, text_stored = c.fetchone()
        scan_s = time.perf_counter() - t2
        c.execute("SELECT pg_database_size(current_database())")
        database = c.fetchone()[0]
    n = int(n)
    text = title + lead + body + raw
    art = rel.get("articles_article", {"heap": 0, "toast": 0, "total": 0})
    per = (lambda b: round(b / n, 1)) if n else (lambda b: None)
    search_index, segments = _index_bytes()
    result = {
        "articles": n,
        "index_segments": segments,
        "vacuum_analyze_s": round(vacuum_s, 1),
        "column_scan_s": round(scan_s, 1),
        "measured_at": now(),
        "loadavg": loadavg(),
        "bytes": {
            "database": database,
            "article_heap": art["heap"],
            "article_toast": art["toast"],
            "article_total": art["total"],
            "article_indexes": sum(i["bytes"] for i in indexes if i["table"] == "articles_article"),
            "tag_links_total": rel.get("articles_article_tags", {}).get("total", 0),
            "search_index": search_index,
            "text_title": title,
            "text_lead": lead,
            "text_body": body,
            "text_raw": raw,
            "stored_text": text,
            "stored_text_on_disk": text_stored,
        },
        "indexes": indexes,
        "ratios": {
            "search_index_to_stored_text": round(search_index / text, 3) if text else None,
            "search_index_to_article_text": round(search_index / (title + lead + body), 3) if text else None,
            "search_index_to_text_on_disk": round(search_index / text_stored, 3) if text_stored else None,
        },
    }
    result["bytes_per_article"] = {k: per(v) for k, v in result["bytes"].items()}
    for i in indexes:
        i["bytes_per_article"] = per(i["bytes"])
    b = result["bytes_per_article"]
    log(
        f"storage: {n:,} articles, database {database / 1e6:,.0f} MB; per article: heap {b['article_heap']}, "
        f"TOAST {b['article_toast']}, indexes {b['article_indexes']}, search index {b['search_index']}, "
        f"stored text {b['stored_text']} bytes; search index / stored text "
        f"{result['ratios']['search_index_to_stored_text']}, / text on disk "
        f"{result['ratios']['search_index_to_text_on_disk']}"
    )
    return result


def search_stage(bench: Bench, size: int) -> dict:
    a = bench.args
    script = a.search_script
    if not script.exists():
        log(f"search: {script} not found, search stage skipped")
        return {"skipped": f"{script.name} not found", "measured_at": now()}
    out_dir = a.chunk_dir / "search"
    out_dir.mkdir(parents=True, exist_ok=True)
    env = {**bench.env, "DJANGO_SETTINGS_MODULE": "bench.settings"}
    result: dict = {"measured_at": now()}
    for target in a.targets:
        entry: dict = {}
        if target == "baseline":
            log("search: manage.py baseline_index --settings=bench.settings")
            res = bench.manage(
                "migrate", "--noinput", "-v", "0", "--settings=bench.settings", settings_module="bench.settings"
            )
            if not res["returncode"]:
                res = bench.manage(
                    "baseline_index", "--settings=bench.settings", settings_module="bench.settings", sample=True
                )
            entry["baseline_index"] = {
                **{k: v for k, v in res.items() if k != "output"},
                "output_tail": res["output"][-1000:],
            }
            if res["returncode"]:
                log(f"baseline_index failed (exit {res['returncode']}); baseline search skipped")
                entry["error"] = "baseline_index failed"
                result[target] = entry
                continue
        out = out_dir / f"search-{size}-{target}.json"
        out.unlink(missing_ok=True)
        cmd = [
            PYTHON,
            str(script),
            "--target",
            target,
            "--port",
            str(a.port),
            "--rounds",
            str(a.rounds),
            "--concurrency",
            str(a.concurrency),
            "--duration",
            str(a.duration),
            "--json",
            str(out),
        ]
        log(f"search: {target}")
        res = bench.command(cmd, env)
        entry.update({k: v for k, v in res.items() if k != "output"})
        entry["output_tail"] = res["output"][-1500:]
        if out.exists():
            try:
                entry["results"] = json.loads(out.read_text())
            except json.JSONDecodeError as exc:
                entry["error"] = f"{out} is not JSON: {exc}"
        else:
            entry["error"] = f"search_load.py wrote no {out.name} (exit {res['returncode']})"
        if "error" in entry:
            log(f"search {target}: {entry['error']}")
        else:
            r = entry["results"]
            log(
                f"search {target}: API p95 {r.get('api', {}).get('p95')} ms, page p95 {r.get('page', {}).get('p95')}"
                f" ms, {r.get('throughput', {}).get('requests_per_s')} requests/s"
            )
        result[target] = entry
    return result


def _index_bytes() -> tuple[int, int]:
    """(bytes, segments) of the live search index generation: the files tantivy reads, lock files aside."""
    from articles.search import index

    folder = index.index_dir()
    generation = (folder / "CURRENT").read_text().strip() if (folder / "CURRENT").exists() else ""
    if not generation:
        return 0, 0
    files = [p for p in (folder / generation).iterdir() if p.is_file()]
    return sum(p.stat().st_size for p in files), sum(1 for p in files if p.suffix == ".idx")


def reindex_stage(bench: Bench) -> dict:
    log("reindex: manage.py rebuild_index")
    res = bench.manage("rebuild_index", sample=True)
    output = res.pop("output")
    res["output_tail"] = output[-1000:]
    m = _REINDEX.search(output)
    if m:
        res.update(articles=int(m.group(1)), command_s=float(m.group(2)), rate=int(m.group(3)))
    return res


# ---------------------------------------------------------------------------------------------------------------
# Results


def load_results(path: Path) -> dict:
    if path.exists():
        return json.loads(path.read_text())
    return {"sizes": {}}


def save_results(path: Path, results: dict) -> None:
    results["updated_at"] = now()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


def machine() -> dict:
    info = {"host": os.uname().nodename, "cpus": os.cpu_count(), "python": sys.version.split()[0]}
    try:
        with open("/proc/meminfo") as f:
            info["memory_gb"] = round(int(f.readline().split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        info["commit"] = commit.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")
    except OSError:
        pass
    return info


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--sizes: comma-separated integers expected, got {text!r}") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("--sizes: positive integers expected")
    return sizes


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__
    )
    ap.add_argument(
        "--sizes",
        type=parse_sizes,
        default=list(DEFAULT_SIZES),
        help="archive sizes, comma-separated (default 100000,300000,1000000)",
    )
    ap.add_argument(
        "--database",
        default=DEFAULT_DATABASE,
        help="database on the embedded server "
        "(default newsarchive_scale, or SCALE_DATABASE); BENCH_DATABASE_URL overrides",
    )
    ap.add_argument(
        "--data-dir", type=Path, default=gen.DEFAULT_OUT, help=f"generated files (default {gen.DEFAULT_OUT})"
    )
    ap.add_argument("--seed", type=int, default=gen.DEFAULT_SEED)
    ap.add_argument(
        "--chunk-size", type=int, help="records per file (default: the greatest common divisor of the sizes and 10000)"
    )
    ap.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    ap.add_argument("--drop-after", action="store_true", help="drop the database when done")
    ap.add_argument("--skip-import", action="store_true")
    ap.add_argument("--skip-storage", action="store_true")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--reindex", action="store_true", help="time manage.py rebuild_index at the largest size")
    ap.add_argument("--targets", default="ours,baseline", help="search targets (default ours,baseline)")
    ap.add_argument("--search-script", type=Path, default=ROOT / "bench" / "search_load.py", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=8123)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--duration", type=int, default=30)
    ap.add_argument("--results", type=Path, default=RESULTS, help="results file (default bench/results/scale.json)")
    ap.add_argument("--no-report", action="store_true", help="do not render scale.md / scale.png")
    args = ap.parse_args(argv)
    args.targets = [t for t in args.targets.split(",") if t]
    if args.chunk_size is None:
        args.chunk_size = math.gcd(math.gcd(*args.sizes), gen.DEFAULT_CHUNK)
    if any(s % args.chunk_size for s in args.sizes):
        ap.error(f"every size must be a multiple of --chunk-size {args.chunk_size}")
    args.data_dir = args.data_dir.expanduser().resolve()
    args.chunk_dir = args.data_dir / f"seed{args.seed}-chunk{args.chunk_size}"
    if ROOT in args.chunk_dir.parents:
        ap.error("--data-dir must be outside the repository")

    bench = Bench(args)
    log(
        f"database {os.environ.get('BENCH_DATABASE_URL') or bench.database}, sizes {args.sizes}, "
        f"data {args.chunk_dir}, load {loadavg()}"
    )
    if args.fresh:
        bench.drop_database(recreate=True)
    migrate(bench)
    results = load_results(args.results)
    results["machine"] = machine()
    results.setdefault("sizes", {})
    results["config"] = {
        "seed": args.seed,
        "chunk_size": args.chunk_size,
        "generator": gen.GENERATOR_VERSION,
        "database": "BENCH_DATABASE_URL" if os.environ.get("BENCH_DATABASE_URL") else bench.database,
    }
    state = archive_state(bench)
    largest_done = None
    for size in args.sizes:
        entry = results["sizes"].setdefault(str(size), {})
        wanted = {str(p) for p in gen.chunk_paths(args.chunk_dir, 0, size, args.chunk_size)}
        if not args.skip_import:
            stage = import_stage(bench, size, state)
            if stage is not None:
                entry["import"] = stage
                save_results(args.results, results)
        ours = {p for p in state["imported"] if Path(p).parent == args.chunk_dir}
        if ours != wanted:
            reason = "the archive is larger" if wanted < ours else "the archive does not hold exactly these chunks"
            log(f"{size:,}: not measured ({reason}: {len(ours)} chunks imported, {len(wanted)} wanted)")
            continue
        largest_done = size
        entry["articles_in_database"] = state["articles"]
        entry["measured_at"] = now()
        if not args.skip_storage:
            entry["storage"] = storage_stage(bench)
            save_results(args.results, results)
        if not args.skip_search:
            # Per target: re-measuring one (--targets ours) keeps the other's last figures.
            entry["search"] = {**entry.get("search", {}), **search_stage(bench, size)}
            save_results(args.results, results)
    if args.reindex:
        if largest_done == args.sizes[-1]:
            results["reindex"] = {"size": largest_done, **reindex_stage(bench)}
            log(f"reindex: {results['reindex'].get('rate')} articles/s")
            save_results(args.results, results)
        else:
            log("reindex skipped: the archive is not at the largest size asked for")
    save_results(args.results, results)
    log(f"results: {args.results}")
    if args.drop_after:
        bench.drop_database(recreate=False)
    if not args.no_report:
        from bench.scale import report

        report.render(args.results)


if __name__ == "__main__":
    main()
