"""The audit log: who did what and when (sign-ins, loads, replacements, restores, contracts lists loaded, findings
reviewed, exports, downloads, refusals), append-only, in its own SQLite file beside the database.

Sign-ins and downloads happen in dashboard processes that only read the published snapshot, and loads in the
one writer: so the log is not in the DuckDB database (a load never rewrites it) but in SQLite in WAL mode,
which many processes append to safely, one INSERT per event. Nothing in the code updates or deletes a row,
and triggers refuse it. CLI actions are recorded under the operating-system user, page actions under the
signed-in e-mail (local mode: the OS user and "(local)"). The store owns the DuckDB database's transactions
(``store.transaction``); this SQLite file's one transaction, several events appended together, is begun and
ended in one place, :func:`_appending`.

    audit.record(db, "export", user, file_name="grantstats.xlsx", sha256=..., filters=flt)
    audit.events(db, since=..., user=...)   # a DataFrame, newest first
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

if TYPE_CHECKING:
    import pandas as pd

from grantstats import store

AUDIT_ENV = "GRANTSTATS_AUDIT"

ACTIONS = ("sign_in", "sign_out", "load", "replace", "restore", "contracts", "review", "export", "download", "denied")

COLUMNS = ["event_id", "at", "user", "via", "action", "file_name", "sha256", "report_ids", "filters", "detail"]

_SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    event_id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    via TEXT NOT NULL,
    action TEXT NOT NULL,
    file_name TEXT,
    sha256 TEXT,
    report_ids TEXT,
    filters TEXT,
    detail TEXT
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def audit_path(db: str | os.PathLike | None = None) -> Path:
    """The log: $GRANTSTATS_AUDIT, else ``<database name>.audit.sqlite`` beside the database."""
    env = os.environ.get(AUDIT_ENV, "").strip()
    if env:
        return Path(env)
    primary = store.resolve_db_path(db)
    return primary.with_name(primary.stem + ".audit.sqlite")


def _connect(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.executescript(_SCHEMA)
    return con


@contextmanager
def _appending(con: sqlite3.Connection) -> Iterator[None]:
    """``with _appending(con):`` the block's events are appended together (the write lock taken at once, so a
    concurrent writer waits rather than failing halfway) or, on an error, none of them."""
    con.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _filters_json(filters: Any) -> str | None:
    if filters is None:
        return None
    if is_dataclass(filters):
        filters = asdict(filters)
    return json.dumps(filters, ensure_ascii=False, sort_keys=True, default=str)


def _row(action: str, user: str, via: str = "web", file_name: str | None = None, sha256: str | None = None,
         report_ids: Iterable[str] | None = None, filters: Any = None, detail: Any = None) -> tuple:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}: one of {', '.join(ACTIONS)}")
    at = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
    ids = json.dumps(list(report_ids), ensure_ascii=False) if report_ids is not None else None
    if detail is not None and not isinstance(detail, str):
        detail = json.dumps(detail, ensure_ascii=False, default=str)
    return (at, user, via, action, file_name, sha256, ids, _filters_json(filters), detail)


_INSERT = ("INSERT INTO events (at, user, via, action, file_name, sha256, report_ids, filters, detail)"
           " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def record(db: str | os.PathLike | None, action: str, user: str, *, via: str = "web", file_name: str | None = None,
           sha256: str | None = None, report_ids: Iterable[str] | None = None, filters: Any = None,
           detail: Any = None) -> int:
    """Append one event; returns its id. ``filters`` is a metrics.Filter or a dict (kept as JSON), ``detail``
    anything JSON can hold (a command line, a reason)."""
    row = _row(action, user, via, file_name, sha256, report_ids, filters, detail)
    con = _connect(audit_path(db))
    try:
        return int(con.execute(_INSERT, row).lastrowid)
    finally:
        con.close()


def record_many(db: str | os.PathLike | None, entries: Iterable[dict]) -> int:
    """Append several events (each a dict of record's arguments) in one transaction; returns how many."""
    rows = [_row(**entry) for entry in entries]
    if not rows:
        return 0
    con = _connect(audit_path(db))
    try:
        with _appending(con):
            con.executemany(_INSERT, rows)
        return len(rows)
    finally:
        con.close()


def load_entries(results, user: str, via: str, command: str | None = None) -> list[dict]:
    """Audit entries for a load's outcomes (ingest.FileResult): a ``load`` per file loaded, a ``replace`` per
    file whose reports replaced stored ones."""
    entries = []
    for r in results:
        if r.status != "loaded":
            continue
        entries.append({"action": "load", "user": user, "via": via, "file_name": r.name,
                        "sha256": getattr(r, "sha256", None) or None, "report_ids": r.report_ids,
                        "detail": {"command": command} if command else None})
        if r.replaced:
            entries.append({"action": "replace", "user": user, "via": via, "file_name": r.name,
                            "sha256": getattr(r, "sha256", None) or None,
                            "report_ids": [rid for rid, _ in r.replaced],
                            "detail": {"replaced_from": [src for _, src in r.replaced]}})
    return entries


def contracts_entries(outcomes, user: str, via: str, command: str | None = None) -> list[dict]:
    """Audit entries for a contracts load's outcomes (contracts.ContractsOutcome): a ``contracts`` event per list
    loaded, with how many contracts it held and replaced."""
    return [{"action": "contracts", "user": user, "via": via, "file_name": o.name, "sha256": o.sha256 or None,
             "detail": {"contracts": o.contracts, "replaced": o.replaced, **({"command": command} if command else {})}}
            for o in outcomes if o.status == "loaded"]


def events(db: str | os.PathLike | None = None, *, since: str | datetime | None = None, user: str | None = None,
           action: str | None = None, limit: int | None = None) -> pd.DataFrame:
    """The events, newest first: :data:`COLUMNS` (``at`` an ISO time in UTC). ``since`` an ISO date or time
    (or datetime), ``user`` a part of the user's name or e-mail (any case), ``action`` one of :data:`ACTIONS`."""
    import pandas as pd  # here, not at the top: a load records its events without paying for pandas

    path = audit_path(db)
    if not path.exists():
        return pd.DataFrame(columns=COLUMNS)
    where, params = [], []
    if since:
        if isinstance(since, datetime):
            since = since.astimezone(timezone.utc).isoformat(timespec="milliseconds")
        where.append("at >= ?")
        params.append(str(since))
    if user:
        where.append("instr(lower(user), lower(?)) > 0")
        params.append(user)
    if action:
        where.append("action = ?")
        params.append(action)
    sql = ("SELECT " + ", ".join(COLUMNS) + " FROM events" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY event_id DESC" + (" LIMIT ?" if limit else ""))
    if limit:
        params.append(int(limit))
    con = _connect(path)
    try:
        return pd.read_sql_query(sql, con, params=params)
    finally:
        con.close()


__all__ = ["record", "record_many", "load_entries", "contracts_entries", "events", "audit_path", "ACTIONS", "COLUMNS"]
