"""A download made when clicked reads the snapshot the page read through its path, never through a handle kept in
the button's closure: Streamlit keeps the closure as long as the session, and a handle kept there held a replaced
snapshot's DuckDB instance (100-200 MB at 100 000 reports) open for good."""

from __future__ import annotations

import duckdb

from grantstats import snapshots
from grantstats.metrics import Filter


class Buttons:
    """Stands in for st (or a column): keeps what download_button was given."""

    def __init__(self):
        self.data = []

    def download_button(self, *args, **kwargs):
        self.data.append(kwargs["data"])


def held_objects(fn, seen=None):
    """Everything a function's closure holds, through nested closures."""
    seen = set() if seen is None else seen
    found = []
    for cell in fn.__closure__ or ():
        value = cell.cell_contents
        if id(value) in seen:
            continue
        seen.add(id(value))
        found.append(value)
        if callable(value) and getattr(value, "__closure__", None):
            found += held_objects(value, seen)
    return found


def test_the_summary_download_holds_the_snapshot_path_not_its_handle(sample_db, monkeypatch, tmp_path):
    import shutil

    db = tmp_path / "grants.duckdb"
    shutil.copyfile(sample_db, db)
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    from ui import data, downloads

    path = str(snapshots.snapshot_for_reading(db, create=True))
    monkeypatch.setattr(data, "snapshot_path", lambda: path)
    monkeypatch.setattr(downloads, "snapshot_path", lambda: path)
    buttons = Buttons()
    downloads.summary_download(Filter(), key="t", where=buttons)
    (make,) = buttons.data
    held = held_objects(make)
    assert path in held
    assert not [h for h in held if isinstance(h, duckdb.DuckDBPyConnection)]


def test_a_download_of_a_pruned_snapshot_reads_the_newest(sample_db, tmp_path, monkeypatch):
    import shutil

    db = tmp_path / "grants.duckdb"
    shutil.copyfile(sample_db, db)
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    from ui import data

    first = str(snapshots.snapshot_for_reading(db, create=True))
    at, version, cursor = data.cursor_apart(first)
    try:
        assert at == first and version[-1] == "grants-1.duckdb"
        assert cursor.execute("SELECT count(*) FROM reports").fetchall() == [(120,)]
    finally:
        cursor.close()
    gone = first.replace("grants-1", "grants-0")  # a snapshot pruned since the page was drawn
    at, version, cursor = data.cursor_apart(gone)
    cursor.close()
    assert at == first and version[-1] == "grants-1.duckdb"


def test_moving_to_a_newer_snapshot_lets_the_older_snapshots_instance_go(sample_db, tmp_path, monkeypatch):
    import gc
    import os
    import shutil

    db = tmp_path / "grants.duckdb"
    shutil.copyfile(sample_db, db)
    monkeypatch.setenv("GRANTSTATS_DB", str(db))
    from ui import data

    def open_snapshots() -> list[str]:
        gc.collect()
        names = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                names.append(os.readlink(f"/proc/self/fd/{fd}"))
            except FileNotFoundError:  # (the listing's own descriptor, closed since)
                pass
        return sorted(os.path.basename(n) for n in names if "/snapshots/" in n and n.endswith(".duckdb"))

    data.snapshot_connection.clear()
    first = data.refresh_snapshot()
    assert data.cursor().execute("SELECT count(*) FROM reports").fetchall() == [(120,)]
    assert open_snapshots() == ["grants-1.cache.duckdb", "grants-1.duckdb"]
    snapshots.publish(db)  # (a load's snapshot)
    second = data.refresh_snapshot()
    assert second != first and second.endswith("grants-2.duckdb")
    assert data.cursor().execute("SELECT count(*) FROM reports").fetchall() == [(120,)]
    # before, the handle of grants-1 stayed in the process until the next load pushed it out
    assert open_snapshots() == ["grants-2.cache.duckdb", "grants-2.duckdb"]
