"""Pages: every dashboard page run under AppTest against the bench database, in a child process of its own so
that its first load and its peak memory are the dashboard process's own.

The child (`python -m bench.pages <db> <runs> <spawn time>`) loads the app (first load: from the process start
to the first page drawn), then per page: the first visit and `runs` reruns (none with runs 0); it prints one
JSON line. It runs twice: without the metrics cache file (built on the way), then with it (a restart). The parent
takes the child's peak RSS from the child itself (VmHWM of its own address space, read as it ends): wait4's
figure would include the parent's memory, which the child's address space held until exec."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

if __name__ == "__main__":
    _SPAWNED = float(sys.argv[3])

from bench.common import ROOT, Figure, fig, median, p95, python, run_measured, skipped

TARGET_RERUN_MS = 150
TARGET_FIRST_VISIT_MS = 400
TARGET_FIRST_LOAD_S = 4
TARGET_MEMORY_MB = 500


def _child(db: str, runs: int) -> dict[str, Any]:
    os.environ["GRANTSTATS_DB"] = db
    os.chdir(ROOT)
    from streamlit.testing.v1 import AppTest

    from ui import data, state

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    first_load = time.time() - _SPAWNED
    out_load_hwm = _rss_now_mb("VmHWM:")
    out: dict[str, Any] = {"first_load_s": first_load, "peak_rss_mb_after_load": out_load_hwm, "pages": {}, "errors": {}}
    for page in state.PAGES if runs else ():
        if not (ROOT / page.path).exists():
            continue
        at.switch_page(page.path)
        t0 = time.perf_counter()
        at.run()
        first = (time.perf_counter() - t0) * 1000
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
        errors = [str(e.message)[:300] for e in at.exception]
        if errors:
            out["errors"][page.url_path] = errors
        out["pages"][page.url_path] = {"first_ms": round(first, 1), "median_ms": round(median(times), 1),
                                       "p95_ms": round(p95(times), 1), "peak_rss_mb_after": _rss_now_mb("VmHWM:")}
    try:  # where the memory is: DuckDB's own buffers versus everything else (Python, pandas, Arrow)
        con = data.snapshot_connection(data.snapshot_path())
        out["duckdb_memory_mb"] = round(con.execute(
            "SELECT sum(memory_usage_bytes) / 1048576 FROM duckdb_memory()").fetchone()[0] or 0, 1)
    except Exception as exc:  # noqa: BLE001 - informative only
        out["duckdb_memory_mb"] = f"unknown ({type(exc).__name__})"
    out["rss_now_mb"] = _rss_now_mb()
    out["peak_rss_mb"] = _rss_now_mb("VmHWM:")
    return out


def _rss_now_mb(field: str = "VmRSS:") -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field):
                return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def _run_child(db: Path, runs: int) -> tuple[float, float, dict[str, Any]]:
    env = dict(os.environ, GRANTSTATS_DB=str(db), PYTHONPATH=str(ROOT))
    wall, tree_mb, _, done = run_measured([python(), "-m", "bench.pages", str(db), str(runs), repr(time.time())],
                                          env=env)
    if done.returncode != 0:
        raise RuntimeError(f"the AppTest child failed (rc {done.returncode}): {done.stderr[-3000:]}")
    return wall, tree_mb, json.loads(done.stdout.strip().splitlines()[-1])


def run(db: Path, runs: int, log=print) -> tuple[list[Figure], dict[str, Any]]:
    import shutil

    from grantstats import snapshots
    from grantstats.metrics import cache

    cache.discard_cache_file(db)
    # a fresh snapshot, as a load publishes it (its time is the publish part's figure): the first child is the
    # first dashboard process on it, the second a restart
    shutil.rmtree(snapshots.snapshot_dir(snapshots.primary_path(db)), ignore_errors=True)
    snapshots.publish(db)
    wall, tree_mb, res = _run_child(db, runs)  # every page, from a start that builds the cache
    _, _, restarted = _run_child(db, 0)  # the app's first page only, the cache found built
    hwm_mb = res["peak_rss_mb"]
    figures = [fig("pages: first load of the app process", restarted["first_load_s"], "s", f"<= {TARGET_FIRST_LOAD_S}",
                   note="process start to the first page drawn (AppTest), the data unchanged since the dashboard "
                        "last ran: the published snapshot and its metrics cache are found"),
               fig("pages: first load after the data changed", res["first_load_s"], "s", f"<= {TARGET_FIRST_LOAD_S}",
                   note="the same, on a snapshot just published by a load (its metrics cache built by the loader; "
                        "the publishing itself is the publish part's figure)")]
    for name, r in res["pages"].items():
        log(f"  {name:<14} first {r['first_ms']:8.1f} ms, rerun median {r['median_ms']:7.1f} ms, p95 {r['p95_ms']:7.1f}")
        figures.append(fig(f"page: {name} rerun (median)", r["median_ms"], "ms", f"<= {TARGET_RERUN_MS}",
                           note=f"first visit {r['first_ms']:.0f} ms; p95 {r['p95_ms']:.0f} ms"
                           + ("; ERRORS: " + " | ".join(res["errors"][name]) if name in res["errors"] else "")))
    if res["pages"]:
        slowest = max(res["pages"], key=lambda name: res["pages"][name]["first_ms"])
        figures.append(fig("pages: slowest first visit (cold caches)", res["pages"][slowest]["first_ms"], "ms",
                           f"<= {TARGET_FIRST_VISIT_MS}", note=f"{slowest}; every page's first visit in a process "
                                                              "whose metric results are not yet cached"))
    else:
        figures.append(skipped("pages", "ms", f"<= {TARGET_RERUN_MS}", "no page scripts"))
    figures.append(fig("memory: dashboard process peak (every page, AppTest)", hwm_mb, "MB", f"< {TARGET_MEMORY_MB}",
                       note=f"VmHWM of the process; DuckDB buffers at the end {res.get('duckdb_memory_mb')} MB,"
                            f" RSS at the end {res.get('rss_now_mb')} MB"))
    return figures, {**res, "tree_rss_mb_sampled": tree_mb, "wall_s": wall}


if __name__ == "__main__":
    result = _child(sys.argv[1], int(sys.argv[2]))
    sys.stdout.write("\n" + json.dumps(result) + "\n")
