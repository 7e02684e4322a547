"""Ingest: N report files in the real mix, loaded by `python -m grantstats ingest` from a cold process, against
a plain openpyxl loop reading the same files.

The files come from grantstats.sample's own generators (make_reports, the registry writers and, when it exists,
grantstats.template.write_form_report): mostly one-report form workbooks, the rest consolidated registries
(xlsx, and CSV in cp1251 and UTF-8) of a few reports each. Writing them is not timed.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from bench.common import Figure, fig, python, run_measured

FORM_SHARE = 0.8  # of the files: one-report form workbooks (when the form writer exists)
REGISTRY_REPORTS = (2, 12)  # reports per registry file, uniform
TARGET_FILES_PER_S = 500
TARGET_FLOOR_SHARE_PCT = 25  # of the floor's files/s: python-calamine alone on every CPU


def _form_writer():
    try:
        from grantstats.template import write_form_report
    except ImportError:
        return None
    return write_form_report


def plan_files(n_files: int, seed: int = 2024, form_share: float = FORM_SHARE) -> list[tuple[str, str, list[dict]]]:
    """(kind, file name, reports) for each of `n_files` files: kind is form, registry_xlsx or registry_csv."""
    from grantstats.sample import make_reports

    rng = random.Random(seed)
    forms = _form_writer() is not None
    kinds: list[tuple[str, int]] = []
    for i in range(n_files):
        if forms and rng.random() < form_share:
            kinds.append(("form", 1))
        else:
            kinds.append(("registry_csv" if rng.random() < 0.25 else "registry_xlsx", rng.randint(*REGISTRY_REPORTS)))
    reports = make_reports(sum(k for _, k in kinds), seed)
    plan, at = [], 0
    for i, (kind, count) in enumerate(kinds):
        group = reports[at:at + count]
        at += count
        suffix = ".csv" if kind == "registry_csv" else ".xlsx"
        plan.append((kind, f"{kind}_{i:06d}{suffix}", group))
    return plan


def _write_chunk(out: str, items: list[tuple[int, str, str, list[dict]]], seed: int) -> int:
    from grantstats import sample

    write_form_report = _form_writer()
    for i, kind, name, group in items:
        rng = random.Random(seed * 100003 + i)
        path = Path(out) / name
        if kind == "form":
            write_form_report(path, group[0], arrangement=i)
        elif kind == "registry_xlsx":
            sample.write_registry_xlsx(path, group, rng)
        else:
            try:  # cp1251 as Excel writes it, unless a Kazakh letter does not fit (then UTF-8, as people do)
                if i % 2:
                    raise UnicodeEncodeError("cp1251", "", 0, 1, "odd file: UTF-8")
                sample.write_registry_csv(path, group, random.Random(seed * 100003 + i), encoding="cp1251",
                                          delimiter=";")
            except UnicodeEncodeError:
                sample.write_registry_csv(path, group, rng, encoding="utf-8-sig", delimiter=",")
    return len(items)


def write_files(out: Path, n_files: int, seed: int = 2024, workers: int = 2) -> dict[str, Any]:
    """Write the files into `out` (in parallel); a summary of the mix."""
    out.mkdir(parents=True, exist_ok=True)
    plan = plan_files(n_files, seed)
    items = [(i, kind, name, group) for i, (kind, name, group) in enumerate(plan)]
    chunks = [items[i::max(1, workers * 8)] for i in range(max(1, workers * 8))]
    if workers > 1 and n_files > 20:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_write_chunk, [str(out)] * len(chunks), chunks, [seed] * len(chunks)))
    else:
        for chunk in chunks:
            _write_chunk(str(out), chunk, seed)
    mix: dict[str, int] = {}
    for kind, _, _ in plan:
        mix[kind] = mix.get(kind, 0) + 1
    return {"files": len(plan), "reports": sum(len(g) for _, _, g in plan), "mix": mix,
            "bytes": sum(p.stat().st_size for p in out.iterdir())}


def _generator_key(n_files: int, seed: int) -> str:
    """Changes when the size, the seed or any code that writes the files changes (then they are written again)."""
    import hashlib

    digest = hashlib.sha256(f"{n_files}:{seed}:{FORM_SHARE}:{REGISTRY_REPORTS}".encode())
    root = Path(__file__).resolve().parent.parent
    for rel in ("grantstats/sample.py", "grantstats/template.py", "grantstats/catalog.py", "bench/ingest.py"):
        path = root / rel
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def openpyxl_baseline(paths: list[Path]) -> float:
    """Seconds for a plain loop that opens every file and reads every cell's value (openpyxl; csv for CSV)."""
    from openpyxl import load_workbook

    start = time.perf_counter()
    cells = 0
    for path in paths:
        if path.suffix.lower() == ".csv":
            raw = path.read_bytes()
            try:
                text = raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = raw.decode("cp1251")
            for row in csv.reader(text.splitlines(), delimiter=";" if ";" in text.split("\n", 1)[0] else ","):
                cells += len(row)
            continue
        wb = load_workbook(path, read_only=True, data_only=True)
        for ws in wb.worksheets:
            for row in ws.iter_rows(values_only=True):
                cells += len(row)
        wb.close()
    return time.perf_counter() - start


def calamine_floor(paths: list[Path]) -> float:
    """Seconds for python-calamine alone, in one process, to open every file and turn every sheet into Python
    values (CSV read as bytes): the floor under any reader built on it, per CPU."""
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    for path in paths:
        if path.suffix.lower() == ".csv":
            path.read_bytes()
            continue
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            workbook.get_sheet_by_name(name).to_python()
        workbook.close()
    return time.perf_counter() - start


def _warm(_: int) -> int:
    import python_calamine  # noqa: F401 - the worker imports it before the clock starts

    return os.getpid()


def calamine_floor_all_cpus(paths: list[Path], workers: int | None = None) -> float:
    """Seconds for python-calamine alone to read every file on every CPU: one process per CPU, each reading its
    share (every n-th file) as `calamine_floor` does, the processes started before the clock starts."""
    workers = workers or os.cpu_count() or 1
    shares = [paths[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(_warm, range(workers * 4)))
        start = time.perf_counter()
        list(pool.map(calamine_floor, shares))
        return time.perf_counter() - start


def ensure_files(n_files: int, workdir: Path, seed: int = 2024, log=print) -> tuple[Path, dict[str, Any]]:
    """The folder of the benchmark's report files and a summary of their mix, written unless the same ones
    (size, seed, generator code) are there already."""
    files = workdir / "ingest-files"
    stamp = workdir / "ingest-files.json"
    key = _generator_key(n_files, seed)
    if files.is_dir() and stamp.exists() and json.loads(stamp.read_text()).get("key") == key:
        mix = json.loads(stamp.read_text())["mix"]
        log(f"  reusing {mix['files']} files ({mix['reports']} reports, {mix['mix']}) from {files}")
    else:
        stamp.unlink(missing_ok=True)
        shutil.rmtree(files, ignore_errors=True)
        t0 = time.perf_counter()
        mix = write_files(files, n_files, seed)
        stamp.write_text(json.dumps({"key": key, "mix": mix}))
        log(f"  wrote {mix['files']} files ({mix['reports']} reports, {mix['mix']}) in {time.perf_counter() - t0:.1f} s")
    return files, mix


def run(n_files: int, workdir: Path, seed: int = 2024, log=print) -> tuple[list[Figure], dict[str, Any]]:
    files, mix = ensure_files(n_files, workdir, seed, log)
    db = workdir / "ingest.duckdb"
    for p in (db, Path(str(db) + ".wal")):
        p.unlink(missing_ok=True)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    cpu: dict[str, float] = {}
    wall, tree_mb, largest_mb, done = run_measured([python(), "-m", "grantstats", "ingest", str(files), "--db", str(db)],
                                                  env=env, cpu=cpu)
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    log(f"  ingest: {wall:.2f} s, rc={done.returncode}: {summary}")
    if done.returncode not in (0, 1):
        raise RuntimeError(f"ingest failed (rc {done.returncode}): {done.stderr[-2000:]}")
    refused = sum(1 for line in done.stdout.splitlines() if line.startswith("refused"))
    paths = sorted(p for p in files.iterdir() if p.suffix in (".xlsx", ".csv"))
    base = openpyxl_baseline(paths)
    log(f"  openpyxl baseline: {base:.2f} s")
    one_cpu = calamine_floor(paths)
    log(f"  calamine alone, one process: {one_cpu:.2f} s")
    floor = calamine_floor_all_cpus(paths)
    log(f"  calamine alone, {os.cpu_count()} processes (the floor): {floor:.2f} s")
    rate = n_files / wall
    base_rate = n_files / base
    floor_rate = n_files / floor
    figures = [
        fig("ingest: files per second (cold process, end to end)", rate, "files/s", f">= {TARGET_FILES_PER_S}",
            note=f"{n_files} files, {mix['reports']} reports in {wall:.2f} s; {refused} refused"),
        fig(f"ingest: the floor, python-calamine alone on {os.cpu_count()} CPUs", floor_rate, "files/s",
            note=f"one process per CPU, each reading its share of the same files into Python values ({floor:.2f} s); "
                 f"one process alone: {n_files / one_cpu:.0f} files/s"),
        fig("ingest: share of the floor's files/s", 100 * rate / floor_rate, "%", f">= {TARGET_FLOOR_SHARE_PCT}",
            note="the whole ingest (safety check, reading, quality rules, saving) against the floor, same run"),
        fig("host speed index: the plain openpyxl loop over the same files", base, "s",
            note=f"one process reading every cell ({base_rate:.0f} files/s): the slower the host, the longer; "
                 f"ingest is {rate / base_rate:.1f}x it, calamine in one process {base / one_cpu:.0f}x"),
        fig("ingest: peak memory (process tree)", tree_mb, "MB", note=f"largest single process {largest_mb:.0f} MB"),
        fig("ingest: CPU of the parent process (saving)", cpu["command"], "s",
            note="reads the workers' results and writes them to DuckDB"),
        fig("ingest: CPU of the parsing workers", cpu["others"], "s",
            note=f"{cpu['processes']:.0f} processes (fork server and workers): check, read, quality rules, rows; "
                 f"{1000 * cpu['others'] / max(n_files, 1):.2f} ms a file"),
    ]
    return figures, {"ingest_mix": mix, "ingest_seconds": wall, "openpyxl_seconds": base,
                     "calamine_one_process_seconds": one_cpu, "calamine_floor_seconds": floor,
                     "refused": refused, "cpu": cpu}


if __name__ == "__main__":  # python -m bench.ingest [N]
    import sys

    with tempfile.TemporaryDirectory() as tmp:
        for f in run(int(sys.argv[1]) if len(sys.argv) > 1 else 200, Path(tmp))[0]:
            print(f)
