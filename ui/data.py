"""The dashboard's data: one database handle per process, a cursor per session, and figures computed by
``grantstats.metrics`` functions, cached.

* The database (GRANTSTATS_DB or data/grants.duckdb) is opened read-write once per process
  (``st.cache_resource``; created with an empty schema when missing) and every session takes its own
  cursor from it.
* ``cached(figure, flt, **kw)`` runs ``figure(cursor, flt, **kw)`` — ``figure`` is the metrics function
  itself, so a renamed figure fails where the page imports it — through ``st.cache_data``, keyed by the
  function, every Filter field, the arguments and the database's row counts.
"""

from __future__ import annotations

import types
from pathlib import Path
from typing import Any, Callable

import pandas as pd
import streamlit as st

from grantstats import store
from grantstats.metrics import Filter

DUCKDB_MEMORY_LIMIT = "256MB"
"""DuckDB's memory for the dashboard process (its default is 80 % of the machine's RAM): the cache tables
(about 40 MB at 100 000 reports) and query working memory; a larger intermediate spills to disk."""

VERSION_KEY = "_gs_version"
"""Session state: the data version the sidebar read at the top of this run (see data_version)."""


@st.cache_resource(show_spinner=False)
def shared_connection(path: str):
    """The process's one read-write handle (created with an empty schema when the file is missing)."""
    con = store.connect(path)
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")  # a constant, not a user value
    con.execute("SET allocator_flush_threshold = '32MB'")
    return con


def db_path() -> str:
    return str(store.resolve_db_path())


def cursor():
    """This session's cursor on the shared handle (a new one when the handle was re-created)."""
    con = shared_connection(db_path())
    held = st.session_state.get("_gs_cursor")
    if held is None or held[0] is not con:
        held = (con, con.cursor())
        st.session_state["_gs_cursor"] = held
    return held[1]


def data_version() -> tuple:
    """Changes whenever rows are added or removed: part of every cache key."""
    return tuple(store.table_counts(cursor()).values())


def clear_caches() -> None:
    """Call after writing to the database (e.g. the upload page) so every figure is recomputed."""
    _cached_figure.clear()


def _figure_name(figure: Callable) -> str:
    """A figure function in a cache key: its module and name (two functions of one name stay apart)."""
    return f"{figure.__module__}.{figure.__qualname__}"


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs={Filter: repr, types.FunctionType: _figure_name})
def _cached_figure(figure: Callable[..., pd.DataFrame], flt: Filter, kwargs: tuple, db: str, version: tuple,
                   _cur) -> pd.DataFrame:
    return figure(_cur, flt, **dict(kwargs))


def cached(figure: Callable[..., pd.DataFrame], flt: Filter = Filter(), **kwargs: Any) -> pd.DataFrame:
    """``figure(cursor, flt, **kwargs)``, cached by the function, every Filter value and argument (a copy:
    st.cache_data unpickles a new DataFrame on every call, so a page may change it)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    version = st.session_state.get(VERSION_KEY) or data_version()
    return _cached_figure(figure, flt, frozen, db_path(), version, cursor())


def report_whereabouts(report_id: str) -> dict:
    """What became of a report id (grantstats.history.whereabouts): current, replaced (by what) or unknown."""
    from grantstats import history

    return history.whereabouts(cursor(), report_id)


def report_details(report_id: str) -> dict | None:
    found = store.report_details(cursor(), [report_id])
    return found[0] if found else None


@st.cache_data(show_spinner=False, max_entries=16, hash_funcs={Filter: repr})
def _summary_workbook(flt: Filter, lang: str, db: str, version: tuple, _cur) -> bytes:
    from grantstats import export  # (openpyxl and the writer: only when a workbook is asked for)

    return export.summary_workbook(_cur, flt, lang=lang, db_label=Path(db).name)


def summary_workbook_bytes(flt: Filter, lang: str) -> bytes:
    """The summary workbook (grantstats.export) for the filter in the language, built once per filter, language
    and state of the data."""
    version = st.session_state.get(VERSION_KEY) or data_version()
    return _summary_workbook(flt, lang, db_path(), version, cursor())


def summary_download(flt: Filter, key: str, where=None) -> None:
    """A download button of the summary workbook for the filter and the page's language, named after the filter
    (``grantstats-KZ-47-2022.xlsx``); built when clicked (and kept for the same filter and data)."""
    from grantstats.export import summary_file_name
    from ui.labels import T, lang

    language = lang()
    (where or st).download_button(
        T("summary_workbook"), data=lambda: summary_workbook_bytes(flt, language), file_name=summary_file_name(flt),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", key=key, on_click="ignore",
        icon=":material/table_view:", help=T("summary_workbook_help"))


def source_file_downloads(report_ids: list[str], key: str) -> None:
    """The files these reports were loaded from, one line each (name, layout, when, how many of the reports) with
    a button that downloads the file as it was loaded (read when clicked; from the upload archive, else from
    where it was loaded); a file found nowhere says so."""
    from grantstats import formatting as fmt, upload
    from ui.labels import T, lang, layout_name

    files = store.source_files(cursor(), report_ids)
    if files.empty:
        st.caption(fmt.DASH)
        return
    language = lang()
    archive = upload.archive_dir(db_path())
    for i, f in enumerate(files.to_dict("records")):
        row = st.container(horizontal=True, vertical_alignment="center", gap="small")
        row.markdown(f"**{f['name']}** · {layout_name(f['layout'])} · {T('field_loaded')} "
                     f"{fmt.datetime_text(f['loaded_at'], language)} · {T('reports').lower()}: "
                     f"{fmt.count(f['reports'], lang=language)}")
        found = upload.original_file(f["path"], f["sha256"], f["name"], f["size"], archive)
        if found is None:
            row.caption(T("file_not_kept"))
            continue
        row.download_button(T("download_original"), data=lambda path=found: path.read_bytes(), file_name=f["name"],
                            key=f"{key}_{i}_{f['sha256'][:12]}", on_click="ignore", icon=":material/download:",
                            type="tertiary")
