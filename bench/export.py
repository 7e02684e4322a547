"""Export: the summary workbook (grantstats.export.summary_workbook) for every report in the bench database, read
as `python -m grantstats export` and the dashboard read it: from the published snapshot, its metrics cache
prebuilt (publishing one first, untimed, when the database has none)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bench.common import Figure, fig, skipped

TARGET_S = 2


def run(db: Path, log=print) -> tuple[list[Figure], dict[str, Any]]:
    try:
        from grantstats.export import summary_workbook
    except ImportError:
        return [skipped("export: summary workbook, all reports", "s", f"<= {TARGET_S}", "no summary_workbook yet")], {}
    from grantstats import snapshots

    con = snapshots.open_snapshot(snapshots.snapshot_for_reading(db))
    try:
        t0 = time.perf_counter()
        data = summary_workbook(con)
        seconds = time.perf_counter() - t0
    finally:
        con.close()
    size_mb = len(data or b"") / 1024 / 1024
    log(f"  summary workbook: {seconds:.2f} s, {size_mb:.1f} MB")
    return [fig("export: summary workbook, all reports", seconds, "s", f"<= {TARGET_S}", note=f"{size_mb:.1f} MB")], \
        {"seconds": seconds, "megabytes": size_mb}
