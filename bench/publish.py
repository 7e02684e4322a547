"""Publish: how long after a load commits readers can see it, at archive size. A load's writer publishes a
snapshot (copy of the database, its metrics cache built, the pointer replaced); dashboards and CLI reads move to
it on their next run. Measured on a copy of the bench database: the first publish of a database that has none,
then a real `python -m grantstats ingest` of one file, whose pointer records the time from its commit to the
snapshot being ready (publish_s, with the copy and the cache build apart)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from bench.common import ROOT, Figure, fig, python

TARGET_PUBLISH_S = 2.0
ONE_FILE = ("Грантополучатель;Договор;Регион;Год;Сумма гранта;Прямые бенефициары (план);Прямые бенефициары (факт)\n"
            "ОО «Бенч»;№ 1 от 01.02.2025;Мангистауская область;2025;3 000 000;40;44\n")


def run(db: Path, workdir: Path, log=print) -> tuple[list[Figure], dict[str, Any]]:
    import time

    from grantstats import snapshots

    folder = workdir / "publish"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    copy = folder / "grants.duckdb"
    shutil.copyfile(db, copy)
    started = time.perf_counter()
    first = snapshots.publish(copy)
    first_s = time.perf_counter() - started
    log(f"  first publish: {first_s:.2f} s (copy {first.copy_s:.2f} s, metrics cache {first.cache_s:.2f} s)")
    csv = folder / "one.csv"
    csv.write_text(ONE_FILE, encoding="utf-8")
    done = subprocess.run([python(), "-m", "grantstats", "ingest", str(csv), "--db", str(copy), "--workers", "0"],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(f"ingest failed: {done.stdout[-1000:]} {done.stderr[-1000:]}")
    after = snapshots.current(copy)
    log(f"  after a load: snapshot {after.generation} ready {after.publish_s:.2f} s after the commit "
        f"(copy {after.copy_s:.2f} s, metrics cache {after.cache_s:.2f} s), {after.reports} reports")
    figures = [
        fig("publish: a load visible to readers (commit → snapshot ready)", after.publish_s, "s",
            f"<= {TARGET_PUBLISH_S}", note=f"{after.reports} reports; copy {after.copy_s:.2f} s + metrics cache "
            f"{after.cache_s:.2f} s + pointer; readers move to it on their next rerun, its cache warm"),
        fig("publish: first snapshot of a database that has none", first_s, "s",
            note=f"copy {first.copy_s:.2f} s, metrics cache {first.cache_s:.2f} s"),
    ]
    details = {"first": first.__dict__, "after_load": after.__dict__}
    shutil.rmtree(folder, ignore_errors=True)
    return figures, details
