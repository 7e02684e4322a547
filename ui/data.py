"""The dashboard's data: the newest published snapshot, read-only, one handle per snapshot and process, a cursor
per session, and figures computed by ``grantstats.metrics`` functions, cached and kept to the person's scope.

* The dashboard never opens the database loads write (GRANTSTATS_DB or data/grants.duckdb): it reads the
  snapshot the last load published (grantstats.snapshots), so any number of dashboard processes and CLI
  reads run beside a load. At the start of every rerun (``data_version``, called by the sidebar) it looks
  at the snapshot pointer, one small file read, and moves to a newer snapshot: a new handle
  (``st.cache_resource`` keyed by the snapshot's file), new cache keys.
* ``cached(figure, flt, **kw)`` runs ``figure(cursor, flt, **kw)`` — ``figure`` is the metrics function
  itself, so a renamed figure fails where the page imports it — through ``st.cache_data``, keyed by the
  function, every Filter field (the scope among them: the signed-in person's regions are set on the filter
  here, whatever the page passed), the arguments and the snapshot.
"""

from __future__ import annotations

import threading
import types
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import streamlit as st

from grantstats import scope as scopes, snapshots, store
from grantstats.metrics import Filter
from ui import gate

DUCKDB_MEMORY_LIMIT = "256MB"
"""DuckDB's memory for the dashboard process (its default is 80 % of the machine's RAM): the cache tables
(about 40 MB at 100 000 reports) and query working memory; a larger intermediate spills to disk."""

VERSION_KEY = "_gs_version"
"""Session state: the data version the sidebar read at the top of this run (see data_version)."""

SNAPSHOT_KEY = "_gs_snapshot"
"""Session state: the snapshot file this run reads (chosen once, at the top of the run)."""


@st.cache_resource(show_spinner=False, max_entries=2)
def snapshot_connection(path: str):
    """The process's read-only handle on one snapshot, with its published metrics cache (the older snapshots'
    handles are let go when a run moves to a newer one: refresh_snapshot)."""
    con = snapshots.open_snapshot(path)
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")  # a constant, not a user value
    con.execute("SET allocator_flush_threshold = '32MB'")
    return con


def db_path() -> str:
    """The database loads write (the snapshots are published beside it)."""
    return str(store.resolve_db_path())


def snapshot_path() -> str:
    """The snapshot this run reads: the newest, looked up at the start of the run (data_version)."""
    held = st.session_state.get(SNAPSHOT_KEY)
    if held is None:
        held = refresh_snapshot()
    return held


def _newest(db: str) -> str:
    """The newest snapshot of the database, published first when the primary changed without one: its cache then
    built in a child process, whose memory ends with it (snapshots.build_cache_apart)."""
    return str(snapshots.snapshot_for_reading(db, create=True, build_apart=True))


def write_session(command: str, user: str | None):
    """``with write_session("upload of 3 files", user) as con:`` — the one writer (snapshots.write_session) for the
    dashboard's own writes (uploads, reviews, restores, contracts); the snapshot it publishes has its cache built in
    a child process, so the build's memory is never the dashboard's."""
    return snapshots.write_session(db_path(), command, user=user, build_apart=True)


_NEWEST: dict[str, str] = {}
"""database -> the newest snapshot a run of this process has moved to."""

ON_NEW_SNAPSHOT: list[Callable[[], None]] = []
"""What else forgets its figures when the process moves to a newer snapshot (ui.insight adds its cache)."""


def refresh_snapshot() -> str:
    """Look at the snapshot pointer (the start of every rerun) and read the newest snapshot from now on. The first
    run to meet a newer snapshot empties the figure caches and lets the older snapshots' handles go: every run
    from now on reads the new one; a run still reading an older one keeps its cursor (cursor) until it ends, and
    the older DuckDB instance (its buffers, 100-200 MB at 100 000 reports) is freed then, not at the next load."""
    db = db_path()
    path = _newest(db)
    if _NEWEST.setdefault(db, path) != path:
        _NEWEST[db] = path
        snapshot_connection.clear()
        _cached_figure.clear()
        for forget in ON_NEW_SNAPSHOT:
            forget()
    st.session_state[SNAPSHOT_KEY] = path
    return path


_RUN_CURSORS = threading.local()


def cursor():
    """This run's cursor on the snapshot it reads. Kept by the run's thread, not by the session: a session left
    idle holds no snapshot open, so a replaced snapshot's DuckDB instance is freed once the runs reading it end
    (a run that began on it goes on with its cursor rather than open that snapshot again)."""
    path = snapshot_path()
    held = getattr(_RUN_CURSORS, "held", None)
    if held is None or held[0] != path:
        held = (path, snapshot_connection(path).cursor())
        _RUN_CURSORS.held = held
    return held[1]


def cursor_apart(path: str) -> tuple[str, tuple, Any]:
    """(snapshot, data version, a new cursor) for work done outside the page's run on the snapshot the page read
    (a download made when clicked; the caller closes the cursor): the newest snapshot when that one has been
    pruned since. A closure kept by a download button holds the path, never the handle: Streamlit keeps the
    closure as long as the session, and a handle held there kept a replaced snapshot's DuckDB instance (100-200
    MB) alive for good."""
    if not Path(path).exists():
        path = _newest(db_path())
    return path, _version_of(path), snapshot_connection(path).cursor()


@st.cache_data(show_spinner=False, max_entries=16)
def _table_counts(path: str) -> tuple:
    return tuple(store.table_counts(snapshot_connection(path)).values())


def _version_of(path: str) -> tuple:
    """A snapshot's row counts (files, reports, …) and its file name: part of every cache key."""
    return _table_counts(path) + (Path(path).name,)


def data_version() -> tuple:
    """The newest snapshot's version (_version_of). Looks at the snapshot pointer first, so a run started after a
    load reads the new data."""
    return _version_of(refresh_snapshot())


def clear_caches() -> None:
    """Call after a load or restore: figures are recomputed (also done by the snapshot in every key)."""
    _cached_figure.clear()


def _figure_name(figure: Callable) -> str:
    """A figure function in a cache key: its module and name (two functions of one name stay apart)."""
    return f"{figure.__module__}.{figure.__qualname__}"


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs={Filter: repr, types.FunctionType: _figure_name})
def _cached_figure(figure: Callable[..., pd.DataFrame], flt: Filter, kwargs: tuple, db: str, version: tuple,
                   _cur) -> pd.DataFrame:
    return figure(_cur, flt, **dict(kwargs))


def cached(figure: Callable[..., pd.DataFrame], flt: Filter = Filter(), **kwargs: Any) -> pd.DataFrame:
    """``figure(cursor, flt, **kwargs)`` within the signed-in person's scope, cached by the function, every
    Filter value (the scope too) and argument (a copy: st.cache_data unpickles a new DataFrame on every call,
    so a page may change it)."""
    flt = flt.within(gate.scope())
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    version = st.session_state.get(VERSION_KEY) or data_version()
    return _cached_figure(figure, flt, frozen, snapshot_path(), version, cursor())


def report_whereabouts(report_id: str) -> dict:
    """What became of a report id (grantstats.history.whereabouts): current, replaced (by what) or unknown."""
    from grantstats import history

    return history.whereabouts(cursor(), report_id)


def report_details(report_id: str) -> dict | None:
    """One report as store.report_details gives it, or None when it is not stored or outside the scope."""
    cur = cursor()
    if not scopes.is_visible(cur, report_id, gate.scope()):
        return None
    found = store.report_details(cur, [report_id])
    return found[0] if found else None


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={Filter: repr})
def summary_workbook_made(flt: Filter, lang: str, snapshot: str, version: tuple, _cur) -> bytes:
    """The summary workbook, kept per filter, language and snapshot (the downloads and summary_workbook_bytes)."""
    from grantstats import export  # (openpyxl and the writer: only when a workbook is asked for)

    return export.summary_workbook(_cur, flt, lang=lang, db_label=Path(db_path()).name)


ON_NEW_SNAPSHOT.append(summary_workbook_made.clear)


def summary_workbook_bytes(flt: Filter, lang: str) -> bytes:
    """The summary workbook (grantstats.export) for the filter in the language, built once per filter, language
    and state of the data (in a page's run)."""
    return summary_workbook_made(flt, lang, snapshot_path(), data_version(), cursor())
