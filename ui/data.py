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


def report_details(report_id: str) -> dict | None:
    found = store.report_details(cursor(), [report_id])
    return found[0] if found else None
