"""`python -m bench [part ...]`: run the benchmark parts (ingest, queries, pages, export, archive, documents, publish; all
by default), print every figure beside its target and write bench/results.json.

Sizes: BENCH_REPORTS files for ingest (default 2000), BENCH_DB_REPORTS reports in the query database
(default 100000), BENCH_RUNS timed runs per query (default 20), BENCH_PAGE_RUNS reruns per page (default 20).
BENCH_WORKDIR keeps the generated files and databases (default: build/bench).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from bench.common import RESULTS, ROOT, Figure, machine

PARTS = ("ingest", "queries", "pages", "export", "archive", "documents", "publish")
AVAILABLE = PARTS


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


def format_table(figures: list[Figure]) -> str:
    rows = [("figure", "value", "unit", "target", "met")]
    for f in figures:
        value = "—" if f.value is None else (f"{f.value:,.1f}" if abs(f.value) >= 10 else f"{f.value:,.3g}")
        met = "—" if f.met is None else ("yes" if f.met else "NO")
        rows.append((f.name, value, f.unit, f.target or "(info)", met))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for n, r in enumerate(rows):
        lines.append(f"{r[0]:<{widths[0]}}  {r[1]:>{widths[1]}}  {r[2]:<{widths[2]}}  {r[3]:<{widths[3]}}  {r[4]}")
        if n == 0:
            lines.append("-" * len(lines[0]))
    return "\n".join(lines)


def run(parts: tuple[str, ...] = AVAILABLE, *, files: int | None = None, db_reports: int | None = None,
        runs: int | None = None, page_runs: int | None = None, workdir: Path | None = None,
        results: Path | None = RESULTS, log=print) -> dict:
    files = files or _int_env("BENCH_REPORTS", 2000)
    db_reports = db_reports or _int_env("BENCH_DB_REPORTS", 100_000)
    runs = runs or _int_env("BENCH_RUNS", 20)
    page_runs = page_runs or _int_env("BENCH_PAGE_RUNS", 20)
    workdir = Path(workdir or os.environ.get("BENCH_WORKDIR") or ROOT / "build" / "bench")
    workdir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    out = {"started_at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "machine": machine(),
           "sizes": {"ingest_files": files, "db_reports": db_reports, "query_runs": runs, "page_runs": page_runs},
           "figures": [], "details": {}, "errors": {}}
    figures: list[Figure] = []
    db = workdir / f"bench-{db_reports}.duckdb"
    for part in parts:
        t0 = time.perf_counter()
        log(f"[{part}]")
        try:
            if part == "ingest":
                from bench import ingest
                got, details = ingest.run(files, workdir, log=log)
            elif part == "queries":
                from bench import dbgen, queries
                dbgen.ensure(db, db_reports, log=log)
                got, details = queries.run(db, runs, log=log)
            elif part == "pages":
                from bench import dbgen, pages
                dbgen.ensure(db, db_reports, log=log)
                got, details = pages.run(db, page_runs, log=log)
            elif part == "export":
                from bench import dbgen, export
                dbgen.ensure(db, db_reports, log=log)
                got, details = export.run(db, log=log)
            elif part == "archive":
                from bench import archive, dbgen
                dbgen.ensure(db, db_reports, log=log)
                got, details = archive.run(db, files, workdir, log=log)
            elif part == "publish":
                from bench import dbgen, publish
                dbgen.ensure(db, db_reports, log=log)
                got, details = publish.run(db, workdir, log=log)
            elif part == "documents":
                from bench import documents
                got, details = documents.run(workdir, runs, log=log)
            else:
                raise ValueError(f"unknown part {part!r}: use {', '.join(PARTS)}")
        except Exception as exc:  # one broken part must not hide the others' figures
            log(traceback.format_exc())
            out["errors"][part] = f"{type(exc).__name__}: {exc}"
            got, details = [], {}
        figures.extend(got)
        out["details"][part] = details
        log(f"  ({part} took {time.perf_counter() - t0:.1f} s)")
    out["figures"] = [f.as_dict() for f in figures]
    out["total_seconds"] = round(time.perf_counter() - started, 1)
    if results is not None:
        results.write_text(json.dumps(out, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    log("")
    log(format_table(figures))
    m = out["machine"]
    log(f"\n{m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM; total {out['total_seconds']} s"
        + (f"; results in {results.relative_to(ROOT) if results.is_relative_to(ROOT) else results}" if results else ""))
    if out["errors"]:
        log("errors: " + "; ".join(f"{k}: {v}" for k, v in out["errors"].items()))
    return out


def main(argv: list[str]) -> int:
    parts = tuple(argv) or AVAILABLE
    out = run(parts)
    return 1 if out["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
