"""Archive: the ingest part's report files loaded into a copy of the query database (100 000 reports by
default), as a year's reports join a national archive: `python -m grantstats ingest` from a cold process,
seconds end to end. The cross-report checks then compare the new reports with the whole archive."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import duckdb

from bench.common import Figure, fig, python, run_measured
from bench.ingest import TARGET_FILES_PER_S, ensure_files
from grantstats import store


def _report_count(db: Path) -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return store.table_counts(con)["reports"]


def run(archive_db: Path, n_files: int, workdir: Path, log=print) -> tuple[list[Figure], dict[str, Any]]:
    from grantstats.metrics.cache import cache_file

    files, mix = ensure_files(n_files, workdir, log=log)
    from grantstats import audit, snapshots

    db = workdir / "archive.duckdb"
    folder = snapshots.snapshot_dir(db)
    log_file = audit.audit_path(db)

    def leftovers() -> list[Path]:
        """The copy and what a load leaves beside it: cache, lock, audit log, its snapshots and pointer."""
        return [db, Path(f"{db}.wal"), cache_file(db), Path(f"{cache_file(db)}.wal"), snapshots.lock_path(db),
                log_file, Path(f"{log_file}-wal"), Path(f"{log_file}-shm"), *folder.glob(f"{db.stem}-*"),
                snapshots.pointer_path(db)]

    for p in leftovers():
        p.unlink(missing_ok=True)
    shutil.copyfile(archive_db, db)
    try:
        before = _report_count(db)
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
        wall, tree_mb, _, done = run_measured([python(), "-m", "grantstats", "ingest", str(files), "--db", str(db)],
                                              env=env)
        summary = (done.stdout.strip().splitlines() or [""])[-1]
        log(f"  into an archive of {before} reports: {wall:.2f} s, rc={done.returncode}: {summary}")
        if done.returncode not in (0, 1):
            raise RuntimeError(f"ingest failed (rc {done.returncode}): {done.stderr[-2000:]}")
        after = _report_count(db)
        published = snapshots.current(db)
    finally:
        for p in leftovers():
            p.unlink(missing_ok=True)
    n = mix["files"]
    figures = [
        fig(f"archive: {n} files loaded into {before:,} reports".replace(",", " "), wall, "s",
            note=f"{mix['reports']} reports in {n} files; the archive holds {after} reports after; of the time, "
                 f"publishing the snapshot readers see {published.publish_s if published else 0:.2f} s"),
        fig("archive: files per second into that archive", n / wall, "files/s", f">= {TARGET_FILES_PER_S}",
            note="the ingest target, held against a full archive rather than an empty database"),
        fig("archive: peak memory (process tree)", tree_mb, "MB"),
    ]
    return figures, {"reports_before": before, "reports_after": after, "seconds": wall}
