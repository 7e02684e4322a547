"""`python -m bench [--quick] [part ...]`: run the benchmark parts (ingest, queries, pages, export, archive,
documents, publish, load; all by default), print every figure beside its target and whether it is met, and
write them to bench/results.json (`figures`: name, value, unit, target, met; `host`; `when`).

Sizes: BENCH_REPORTS files for ingest (default 2000), BENCH_DB_REPORTS reports in the query database
(default 100000), BENCH_RUNS timed runs per query (default 20), BENCH_PAGE_RUNS reruns per page (default 20),
BENCH_LOAD_SECONDS per load row (default 30), BENCH_SATURATION_SECONDS per saturation step (default 12);
the load part's dashboard processes share one database file (BENCH_LOAD_ONE_DB=0: a copy each). `--quick` makes every
part short (fewer runs, 10 s load rows) for a look while working; its figures are noisier. BENCH_WORKDIR keeps
the generated files and databases (default: build/bench).
"""

from __future__ import annotations

import json
import os
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

from bench.common import RESULTS, ROOT, Figure, fig, machine, machine_busy_s

PARTS = ("ingest", "queries", "pages", "export", "archive", "documents", "publish", "load")
AVAILABLE = PARTS
QUICK = {"BENCH_RUNS": "5", "BENCH_PAGE_RUNS": "5", "BENCH_LOAD_SECONDS": "10", "BENCH_SATURATION_SECONDS": "6"}


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
    out = {"when": datetime.now(timezone.utc).isoformat(timespec="seconds"), "host": machine(),
           "sizes": {"ingest_files": files, "db_reports": db_reports, "query_runs": runs, "page_runs": page_runs},
           "figures": [], "details": {}, "errors": {}}
    others: dict[str, float] = {}
    busy_total = 0.0
    figures: list[Figure] = []
    db = workdir / f"bench-{db_reports}.duckdb"
    for part in parts:
        t0 = time.perf_counter()
        busy0, own0 = machine_busy_s(), _own_cpu_s()
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
            elif part == "load":
                from bench import dbgen, load
                dbgen.ensure(db, db_reports, log=log)
                got, details = load.run(db, workdir, log=log)
            else:
                raise ValueError(f"unknown part {part!r}: use {', '.join(PARTS)}")
        except Exception as exc:  # one broken part must not hide the others' figures
            log(traceback.format_exc())
            out["errors"][part] = f"{type(exc).__name__}: {exc}"
            got, details = [], {}
        figures.extend(got)
        out["details"][part] = details
        took = time.perf_counter() - t0
        other = max(0.0, machine_busy_s() - busy0 - (_own_cpu_s() - own0))
        busy_total += other
        others[part] = round(other / took, 2)
        log(f"  ({part} took {took:.1f} s; other programs used {others[part]:.2f} CPUs meanwhile)")
    figures.append(fig("host: other programs' CPU during the bench", busy_total / (time.perf_counter() - started),
                       "CPUs", note="the machine's busy time less the bench's own processes: other work sharing the "
                                    "CPUs; per part: " + ", ".join(f"{k} {v}" for k, v in others.items())))
    out["host"]["other_programs_cpus_by_part"] = others
    out["figures"] = [f.as_dict() for f in figures]
    out["total_seconds"] = round(time.perf_counter() - started, 1)
    if results is not None:
        results.write_text(json.dumps(out, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    log("")
    log(format_table(figures))
    m = out["host"]
    log(f"\n{m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM; total {out['total_seconds']} s"
        + (f"; results in {results.relative_to(ROOT) if results.is_relative_to(ROOT) else results}" if results else ""))
    if out["errors"]:
        log("errors: " + "; ".join(f"{k}: {v}" for k, v in out["errors"].items()))
    return out


def _own_cpu_s() -> float:
    """CPU seconds of this process and of the children it has waited for (servers, ingest, workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def main(argv: list[str]) -> int:
    if {"-h", "--help"} & set(argv):
        print(__doc__)
        return 0
    unknown = [a for a in argv if a != "--quick" and a not in PARTS]
    if unknown:
        print(f"unknown part {unknown[0]!r}: use --quick and any of {', '.join(PARTS)}", file=sys.stderr)
        return 2
    if "--quick" in argv:
        argv = [a for a in argv if a != "--quick"]
        for name, value in QUICK.items():
            os.environ.setdefault(name, value)
    parts = tuple(argv) or AVAILABLE
    out = run(parts)
    return 1 if out["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
