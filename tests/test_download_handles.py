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
