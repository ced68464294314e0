"""Render bench/results/scale.json (written by bench/scale/run.py) as scale.md (tables) and scale.png (chart).

    .venv/bin/python bench/scale/report.py [--results bench/results/scale.json] [--out-dir bench/results]

The chart needs matplotlib (bench/requirements.txt, not the app's requirements): p95 latency against archive size,
ours and the baseline, API and page, log-scale x; beside it the import rate. Without matplotlib only the markdown is
written.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "scale.json"


def _sizes(results: dict) -> list[tuple[int, dict]]:
    return sorted(((int(k), v) for k, v in results.get("sizes", {}).items()), key=lambda kv: kv[0])


def _n(value, digits: int = 0, unit: str = "") -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, (int, float)):
        return f"{value:,.{digits}f}{unit}"
    return str(value)


def _size_label(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    if size >= 1000 and size % 1000 == 0:
        return f"{size // 1000}k"
    return f"{size:,}"


def _mb(value) -> str:
    return _n(value / 1e6, 0) if isinstance(value, (int, float)) else "–"


def _search(entry: dict, target: str) -> dict:
    return ((entry.get("search") or {}).get(target) or {}).get("results") or {}


def markdown(results: dict) -> str:
    sizes = _sizes(results)
    m = results.get("machine", {})
    cfg = results.get("config", {})
    out = ["# Speed at scale", ""]
    out.append(
        f"Generated archives (bench/scale/generate.py, seed {cfg.get('seed', '?')}, generator "
        f"v{cfg.get('generator', '?')}), grown size by size and imported through `manage.py import_articles` "
        f"by bench/scale/run.py. Machine: {m.get('cpus', '?')} CPUs, {m.get('memory_gb', '?')} GB, commit "
        f"{m.get('commit', '?')}; updated {results.get('updated_at', '?')}."
    )
    out += [
        "",
        "## Import (only the new articles of each size)",
        "",
        (
            "| size | imported | wall s | articles/s (wall) | articles/s (pipeline) | created | duplicates | failed "
            "| peak RSS, command tree (MB) | peak PSS, command tree (MB) | peak PSS, PostgreSQL (MB) "
            "| load before → after |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for size, e in sizes:
        i = e.get("import")
        if not i:
            continue
        mem = i.get("memory", {})
        load = f"{(i.get('loadavg_before') or ['?'])[0]} → {(i.get('loadavg_after') or ['?'])[0]}"
        out.append(
            f"| {_size_label(size)} | {_n(i.get('delta_articles'))} | {_n(i.get('wall_s'), 1)} "
            f"| {_n(i.get('rate_wall'))} | {_n(i.get('rate_pipeline'))} | {_n(i.get('created'))} "
            f"| {_n(i.get('duplicates'))} | {_n(i.get('failed'))} "
            f"| {_n(mem.get('command', {}).get('peak_rss_mb'))} | {_n(mem.get('command', {}).get('peak_pss_mb'))} "
            f"| {_n(mem.get('pg_server', {}).get('peak_pss_mb'))} | {load} |"
        )
    out += [
        "",
        (
            "RSS sums count pages shared by the forked analysis workers once per process; PSS counts them once. "
            "PostgreSQL: the whole embedded server (shared with other databases)."
        ),
        "",
    ]

    out += [
        "## Storage, bytes per article",
        "",
        (
            "| size | articles | heap | TOAST | article indexes | search index | stored text "
            "| search index / stored text | search index / text on disk | database (MB) |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    index_names: list[str] = []
    for size, e in sizes:
        s = e.get("storage")
        if not s:
            continue
        b, r = s.get("bytes_per_article", {}), s.get("ratios", {})
        out.append(
            f"| {_size_label(size)} | {_n(s.get('articles'))} | {_n(b.get('article_heap'))} "
            f"| {_n(b.get('article_toast'))} | {_n(b.get('article_indexes'))} | {_n(b.get('search_index'))} "
            f"| {_n(b.get('stored_text'))} | {_n(r.get('search_index_to_stored_text'), 2)} "
            f"| {_n(r.get('search_index_to_text_on_disk'), 2)} | {_mb(s.get('bytes', {}).get('database'))} |"
        )
        for i in s.get("indexes", []):
            if i["name"] not in index_names:
                index_names.append(i["name"])
    out += [
        "",
        (
            "Stored text = title + lead + body + raw_text (UTF-8 bytes); text on disk = the same columns as "
            "PostgreSQL stores them (compressed). Search index = the tantivy index's files (before it: the GIN index "
            "and the stored tsvectors, search_vector + rank_vector)."
        ),
        "",
    ]
    measured = [(size, e["storage"]) for size, e in sizes if e.get("storage")]
    if len(measured) > 1:
        # Growth between sizes: free of fixed costs (empty pages an index keeps, such as the GIN pending list's).
        keys = ("article_heap", "article_toast", "article_indexes", "search_index", "stored_text", "database")
        out += [
            "Growth between sizes, bytes per added article:",
            "",
            "| from → to | " + " | ".join(keys) + " |",
            "|---|" + "---:|" * len(keys),
        ]
        for (s0, a), (s1, b) in itertools.pairwise(measured):
            added = (b.get("articles") or 0) - (a.get("articles") or 0)
            if added <= 0:
                continue
            cells = [_n((b["bytes"].get(k, 0) - a["bytes"].get(k, 0)) / added) for k in keys]
            out.append(f"| {_size_label(s0)} → {_size_label(s1)} | " + " | ".join(cells) + " |")
        out.append("")
    if measured:
        out += [
            "Every index, bytes per article:",
            "",
            "| index | " + " | ".join(_size_label(s) for s, _ in measured) + " |",
            "|---|" + "---:|" * len(measured),
        ]
        for name in index_names:
            cells = []
            for _, s in measured:
                found = next((i for i in s.get("indexes", []) if i["name"] == name), None)
                cells.append(_n(found.get("bytes_per_article"), 1) if found else "–")
            out.append(f"| {name} | " + " | ".join(cells) + " |")
        out.append("")

    out += [
        "## Search latency (ms)",
        "",
        (
            "| size | target | API p50 | API p95 | API p99 | page p50 | page p95 | page p99 | requests/s "
            "| concurrency | errors |"
        ),
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    ratios, index_times = [], []
    for size, e in sizes:
        for target in ("ours", "baseline"):
            r = _search(e, target)
            if not r:
                note = ((e.get("search") or {}).get(target) or {}).get("error") or (e.get("search") or {}).get(
                    "skipped"
                )
                if note:
                    out.append(f"| {_size_label(size)} | {target} | {note} |  |  |  |  |  |  |  |  |")
                continue
            api, page, thr = r.get("api", {}), r.get("page", {}), r.get("throughput", {})
            errors = sum(x.get("errors", 0) or 0 for x in (api, page))
            out.append(
                f"| {_size_label(size)} | {target} | {_n(api.get('p50'), 1)} | {_n(api.get('p95'), 1)} "
                f"| {_n(api.get('p99'), 1)} | {_n(page.get('p50'), 1)} | {_n(page.get('p95'), 1)} "
                f"| {_n(page.get('p99'), 1)} | {_n(thr.get('requests_per_s'), 1)} "
                f"| {_n(thr.get('concurrency'))} | {_n(thr.get('errors', errors))} |"
            )
        ours, base = _search(e, "ours"), _search(e, "baseline")
        if ours and base:
            cells = []
            for kind in ("api", "page"):
                o, b = ours.get(kind, {}).get("p95"), base.get(kind, {}).get("p95")
                cells.append(f"{b / o:.1f}×" if o and b else "–")
            ratios.append(f"| {_size_label(size)} | {cells[0]} | {cells[1]} |")
        idx = ((e.get("search") or {}).get("baseline") or {}).get("baseline_index")
        if idx and idx.get("returncode") == 0:
            index_times.append(f"{_size_label(size)}: {_n(idx.get('wall_s'), 1)} s")
    if index_times:
        out += [
            "",
            "`manage.py baseline_index` (the baseline's tsvectors for the new rows) before the baseline run: "
            + "; ".join(index_times)
            + ".",
        ]
    if ratios:
        out += [
            "",
            "Baseline / ours at p95 (higher is better for us):",
            "",
            "| size | API | page |",
            "|---:|---:|---:|",
            *ratios,
        ]
    out.append("")

    rx = results.get("reindex")
    if rx:
        mem = rx.get("memory", {})
        out += [
            "## Reindex",
            "",
            (
                f"`manage.py rebuild_index` at {_size_label(rx.get('size', 0))}: {_n(rx.get('articles'))} articles "
                f"in {_n(rx.get('wall_s'), 1)} s wall = {_n(rx.get('rate'))} articles/s (command's own count), peak "
                f"PSS {_n(mem.get('command', {}).get('peak_pss_mb'))} MB (command tree), "
                f"{_n(mem.get('pg_server', {}).get('peak_pss_mb'))} MB (PostgreSQL)."
            ),
            "",
        ]
    return "\n".join(out)


def chart(results: dict, path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -r bench/requirements.txt): no chart", file=sys.stderr)
        return False
    sizes = _sizes(results)
    fig, (left, right) = plt.subplots(1, 2, figsize=(12, 4.8))
    plotted = False
    for target, color in (("ours", "tab:blue"), ("baseline", "tab:red")):
        for kind, style in (("api", "-o"), ("page", "--s")):
            xs, ys = [], []
            for size, e in sizes:
                p95 = _search(e, target).get(kind, {}).get("p95")
                if p95 is not None:
                    xs.append(size)
                    ys.append(p95)
            if xs:
                left.plot(xs, ys, style, color=color, label=f"{target} {kind}")
                plotted = True
    ticks = [size for size, _ in sizes]
    for ax in (left, right):
        ax.set_xscale("log")
        if ticks:
            ax.set_xticks(ticks, [_size_label(t) for t in ticks])
            ax.minorticks_off()
    left.set_xlabel("articles in the archive")
    left.set_ylabel("p95 latency (ms)")
    left.set_title("Search p95 vs archive size")
    left.grid(True, which="both", alpha=0.3)
    if plotted:
        left.legend()
    else:
        left.text(0.5, 0.5, "no search results yet", ha="center", va="center", transform=left.transAxes)
    xs = [size for size, e in sizes if (e.get("import") or {}).get("rate_wall")]
    if xs:
        right.plot(
            xs,
            [dict(sizes)[x]["import"]["rate_wall"] for x in xs],
            "-o",
            color="tab:green",
            label="import, articles/s (wall)",
        )
        right.legend(loc="upper left")
        right.set_ylabel("articles/s")
        right.set_ylim(bottom=0)
    right.set_xlabel("articles in the archive (import: rate of the delta)")
    right.set_title("Import rate")
    right.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True


def render(results_path: Path = RESULTS, out_dir: Path | None = None) -> None:
    results_path = Path(results_path)
    out_dir = Path(out_dir) if out_dir else results_path.parent
    results = json.loads(results_path.read_text())
    md = out_dir / (results_path.stem + ".md")
    md.write_text(markdown(results))
    print(f"wrote {md}")
    png = out_dir / (results_path.stem + ".png")
    if chart(results, png):
        print(f"wrote {png}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--results", type=Path, default=RESULTS)
    ap.add_argument("--out-dir", type=Path, help="default: the results file's folder")
    args = ap.parse_args(argv)
    render(args.results, args.out_dir)


if __name__ == "__main__":
    main()
