"""The DuckDB store: schema, transactions and the write lock, one transaction per batch of files, replacement
of reports (kept in report_history), lookups. No other module begins, commits or rolls back a transaction:
they ask ``with store.transaction(con):``."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from grantstats.rows import (  # noqa: F401 - re-exported: the store's row model
    FILE_COLUMNS, ORG_FORM_WORDS, ROW_COLUMNS, FileRows, ParsedFile, file_rows, file_sha256, ngo_key,
    planned_report_ids, report_id_for, report_identity,
)

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "grants.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    sha256 VARCHAR PRIMARY KEY,
    name VARCHAR, path VARCHAR, size BIGINT, layout VARCHAR,
    loaded_at TIMESTAMP, reports INTEGER
);
CREATE TABLE IF NOT EXISTS reports (
    report_id VARCHAR PRIMARY KEY,
    identity VARCHAR NOT NULL,
    grantee VARCHAR, ngo_key VARCHAR, title VARCHAR,
    contract_no VARCHAR, contract_date DATE, period_start DATE, period_end DATE,
    year INTEGER, direction VARCHAR, direction_text VARCHAR, region_text VARCHAR,
    grant_amount DOUBLE, grant_amount_qualifier VARCHAR, grant_amount_text VARCHAR,
    report_date DATE,
    participants_total DOUBLE, participants_total_text VARCHAR,
    file_sha256 VARCHAR, file_name VARCHAR, source_path VARCHAR,
    sheet VARCHAR, cell VARCHAR, layout VARCHAR, loaded_at TIMESTAMP,
    field_cells VARCHAR, bin VARCHAR, field_texts VARCHAR
);
CREATE TABLE IF NOT EXISTS report_regions (report_id VARCHAR, region VARCHAR, share DOUBLE);
CREATE TABLE IF NOT EXISTS report_amounts (report_id VARCHAR, year INTEGER, amount DOUBLE);
CREATE TABLE IF NOT EXISTS indicators (
    report_id VARCHAR, indicator VARCHAR, unit VARCHAR, label VARCHAR,
    plan DOUBLE, plan_qualifier VARCHAR, plan_text VARCHAR,
    fact DOUBLE, fact_qualifier VARCHAR, fact_text VARCHAR,
    sheet VARCHAR, plan_cell VARCHAR, fact_cell VARCHAR
);
CREATE TABLE IF NOT EXISTS participants (
    report_id VARCHAR, dimension VARCHAR, bucket VARCHAR,
    people DOUBLE, percent DOUBLE, derived BOOLEAN, raw_text VARCHAR,
    sheet VARCHAR, cell VARCHAR
);
CREATE TABLE IF NOT EXISTS activities (
    report_id VARCHAR, seq INTEGER, task VARCHAR, activity VARCHAR, date_text VARCHAR,
    place VARCHAR, participants_text VARCHAR, plan_text VARCHAR, fact_text VARCHAR
);
CREATE TABLE IF NOT EXISTS findings (
    report_id VARCHAR, rule VARCHAR, severity VARCHAR, message_ru VARCHAR, message_en VARCHAR,
    file_name VARCHAR, sheet VARCHAR, cell VARCHAR, params VARCHAR
);
CREATE TABLE IF NOT EXISTS quality_report_sources (
    report_id VARCHAR, file_sha256 VARCHAR, file_name VARCHAR, sheet VARCHAR, cell VARCHAR
);
CREATE SEQUENCE IF NOT EXISTS report_history_seq START 1;
CREATE TABLE IF NOT EXISTS report_history (
    version_id BIGINT PRIMARY KEY, report_id VARCHAR NOT NULL,
    grantee VARCHAR, title VARCHAR, contract_no VARCHAR, year INTEGER,
    file_name VARCHAR, file_sha256 VARCHAR, loaded_at TIMESTAMP,
    replaced_at TIMESTAMP, replaced_by_file VARCHAR,
    payload VARCHAR, table_rows VARCHAR
);
CREATE TABLE IF NOT EXISTS contract_files (
    sha256 VARCHAR PRIMARY KEY, name VARCHAR, path VARCHAR, size BIGINT, loaded_at TIMESTAMP, contracts INTEGER
);
CREATE TABLE IF NOT EXISTS contracts (
    contract_key VARCHAR PRIMARY KEY,
    contract_no VARCHAR, contract_no_key VARCHAR, contract_date DATE, grantee VARCHAR, ngo_key VARCHAR,
    title VARCHAR, year INTEGER, direction VARCHAR, direction_text VARCHAR, region_text VARCHAR,
    grant_amount DOUBLE, grant_amount_text VARCHAR, period_start DATE, period_end DATE,
    due_date DATE, due_date_text VARCHAR,
    file_sha256 VARCHAR, file_name VARCHAR, sheet VARCHAR, cell VARCHAR, loaded_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS contract_regions (contract_key VARCHAR, region VARCHAR, share DOUBLE);
CREATE TABLE IF NOT EXISTS finding_reviews (
    finding_key VARCHAR PRIMARY KEY, report_id VARCHAR, rule VARCHAR, sheet VARCHAR, cell VARCHAR,
    status VARCHAR NOT NULL, comment VARCHAR, reviewer VARCHAR, reviewed_at TIMESTAMP
);
CREATE TABLE IF NOT EXISTS stale_findings (rule VARCHAR PRIMARY KEY);
"""
# Columns added since a table was first made (table, column, type): a database written by an earlier version
# gets them when it is opened (see connect). A published snapshot is never changed: readers of one made before
# (SELECT * and .get in report_details) do without them.
ADDED_COLUMNS = (
    ("reports", "bin", "VARCHAR"),  # the organisation's BIN
    ("reports", "field_texts", "VARCHAR"),  # dates and year as typed (JSON)
    ("findings", "params", "VARCHAR"),  # the message's parameters (JSON, grantstats.findings.messages)
)
MIGRATIONS = tuple(f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {column} {kind}"
                   for table, column, kind in ADDED_COLUMNS)
# report_history: a report as it was before a later load (or a restore) replaced it. `payload` is the
# report as report_details gives it (JSON); `table_rows` its rows in every report table (JSON), so that
# grantstats.history.restore can put it back exactly.
# contracts: the grantor's list of awarded grants (grantstats.contracts loads it, grantstats.completeness matches
# it to the reports); contract_key is the key a report of the contract has as its identity (rows.report_identity).
# quality_report_sources: every (report, file) ever stored while that file is loaded, so the duplicate check
# (grantstats.findings.duplicates) sees one contract loaded from two files across loads.
# finding_reviews: staff's verdict on a finding (grantstats.review), keyed by review.FINDING_KEY_SQL so that
# it outlives a reload of the same report.

FINDING_KEY_SQL = ("md5(concat_ws('|', {f}.report_id, {f}.rule, coalesce({f}.sheet, ''), coalesce({f}.cell, ''),"
                   " regexp_replace(coalesce({f}.message_ru, ''), '[0-9[:space:].,]+', ' ', 'g')))")
"""A finding's key (``.format(f=alias)``): its report (whose id is its identity's hash, so a reload keeps it), rule,
cell, and its message without figures: two findings of one rule can share a cell (a missing region and a missing
year), while a figure that moves (a peer median, a corrected sum still off) keeps the review."""

ACCEPTED_FINDING_SQL = ("EXISTS (SELECT 1 FROM finding_reviews v WHERE v.status = 'accepted'"
                        " AND v.finding_key = " + FINDING_KEY_SQL + ")")
"""The finding ``{f}`` is accepted as right (``.format(f=alias)``): it leaves the error and warning counts."""

def finding_params_sql(con: duckdb.DuckDBPyConnection, alias: str = "f") -> str:
    """``{alias}.params`` — or NULL in a database (a published snapshot) made before findings kept their
    parameters: those findings show their stored text."""
    found = con.execute("SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database()"
                        " AND table_name = 'findings' AND column_name = 'params'").fetchall()[0][0]  # (all: see fetch_arrow)
    return f"{alias}.params" if found else "NULL::VARCHAR"


CHILD_TABLES = ("report_regions", "report_amounts", "indicators", "participants", "activities", "findings")
REPORT_TABLES = ("reports",) + CHILD_TABLES
"""The tables that hold a report: one row in reports, any number in each child table."""

WRITE_LOCK = threading.RLock()
"""Held by every write from the dashboard process (upload, restore): DuckDB lets one transaction at a time
change the same rows, so writers in one process queue here instead of failing on a conflict."""


class TransactionOpen(RuntimeError):
    """A transaction was asked for on a connection that has one open already: DuckDB does not nest them."""


_IN_TRANSACTION: set[int] = set()
"""id() of the connections (or cursors) inside transaction() now."""
_NESTED = ("a transaction is already open on this connection (DuckDB does not nest them): do this inside that "
           "transaction, or after it ends")


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with transaction(con):`` — BEGIN; COMMIT when the block ends, ROLLBACK (the error passed on) when it
    raises, so its writes are wholly in or wholly out.

    Nested use is refused with TransactionOpen before anything is sent to DuckDB, and the outer transaction
    goes on unharmed (a second BEGIN would abort it): a step that may run inside another's transaction takes
    that one instead of opening its own. A transaction begun by hand elsewhere is refused the same way, but
    DuckDB has then aborted it already."""
    if id(con) in _IN_TRANSACTION:
        raise TransactionOpen(_NESTED)
    try:
        con.execute("BEGIN TRANSACTION")
    except duckdb.TransactionException:
        raise TransactionOpen(_NESTED) from None
    _IN_TRANSACTION.add(id(con))
    try:
        yield con
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        _IN_TRANSACTION.discard(id(con))


def resolve_db_path(db: str | os.PathLike | None = None) -> Path:
    """The database file: the given path, else GRANTSTATS_DB, else data/grants.duckdb."""
    if db:
        return Path(db)
    env = os.environ.get("GRANTSTATS_DB")
    return Path(env) if env else DEFAULT_DB


def connect(db: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (and, read-write, create) the database with the schema in place."""
    path = resolve_db_path(db)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no database at {path}: load reports first (python -m grantstats ingest)")
        con = duckdb.connect(str(path), read_only=True)
        if _schema_behind(con):  # made by an earlier version: add the new (empty) tables and columns, then read
            con.close()
            try:
                _upgrade(duckdb.connect(str(path))).close()
            except duckdb.IOException:
                pass  # another program holds it: read what is there
            con = duckdb.connect(str(path), read_only=True)
        return con
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path))
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise  # not held by another program: damaged or unreadable (grantstats.snapshots says so)
        holder = str(exc).split("(PID", 1)[-1].split(")", 1)[0].strip() if "(PID" in str(exc) else ""
        raise RuntimeError(
            f"the database {path} is open in another program{f' (process {holder})' if holder else ''}: "
            "loads go through one writer at a time; run this again when that program has ended") from None
    return _upgrade(con)


def _upgrade(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """The schema made whole on a read-write connection: every table, and the columns added since."""
    con.execute(SCHEMA)
    for statement in MIGRATIONS:
        con.execute(statement)
    return con


SCHEMA_TABLES = tuple(line.split()[5] for line in SCHEMA.splitlines() if line.startswith("CREATE TABLE IF NOT EXISTS"))


def _schema_behind(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a table of SCHEMA or a column of ADDED_COLUMNS is missing (a file written by an earlier version)."""
    found = con.execute("SELECT count(DISTINCT table_name) FROM duckdb_tables() WHERE database_name = current_database()"
                        " AND list_contains(?::VARCHAR[], table_name)", [list(SCHEMA_TABLES)]).fetchone()[0]
    if found < len(SCHEMA_TABLES):
        return True
    added = con.execute("SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database()"
                        " AND list_contains(?::VARCHAR[], table_name || '.' || column_name)",
                        [[f"{t}.{c}" for t, c, _ in ADDED_COLUMNS]]).fetchone()[0]
    return added < len(ADDED_COLUMNS)


@dataclass
class SaveOutcome:
    """What saving one file did: its reports loaded, the reports it replaced, or that nothing changed."""

    name: str
    status: str  # loaded | unchanged
    report_ids: list[str] = field(default_factory=list)
    replaced: list[tuple[str, str]] = field(default_factory=list)  # (report_id, previous file name)


TABLE_COLUMNS: dict[str, list[tuple[str, str]]] = {}


def column_types(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    """A table's columns in order with their DuckDB types, read from the schema once per process."""
    if table not in TABLE_COLUMNS:
        TABLE_COLUMNS[table] = con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ?"
            " AND table_catalog = current_database() AND table_schema = current_schema()"
            " ORDER BY ordinal_position", [table]).fetchall()
    return TABLE_COLUMNS[table]


def _bulk_insert(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert many rows at once, column by column in the table's order."""
    if not rows:
        return
    _insert_columns(con, table, {name: [r.get(name) for r in rows] for name, _ in column_types(con, table)},
                    len(rows))


def column_array(values: list | None, kind: str, count: int) -> np.ndarray:
    """One column as DuckDB scans it: DOUBLE as floats with None masked (read as NULL); any other type as
    Python objects, which DuckDB reads by their type and the INSERT casts to the column's; no values: NULLs."""
    if values is None:
        return np.full(count, None, dtype=object)
    if kind == "DOUBLE":
        floats = np.array(values, dtype=np.float64)  # None becomes NaN, which no parsed figure is
        return np.ma.masked_array(floats, mask=np.isnan(floats))
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _insert_columns(con: duckdb.DuckDBPyConnection, table: str, columns: dict[str, list], count: int) -> None:
    """Insert `count` rows given column by column, in one statement; a table column not given is NULL.
    (NumPy arrays rather than Arrow: building Arrow arrays from Python lists costs more, and its first use
    imports pandas, half a second of an ingest run.)"""
    if not count:
        return
    batch = {name: column_array(columns.get(name), kind, count)  # noqa: F841 - DuckDB scans it by its name
             for name, kind in column_types(con, table)}
    con.execute(f"INSERT INTO {table} SELECT * FROM batch")


def delete_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Remove reports with their rows in every child table (inside the caller's transaction)."""
    if not report_ids:
        return
    for table in REPORT_TABLES:
        con.execute(f"DELETE FROM {table} WHERE report_id IN (SELECT unnest(?::VARCHAR[]))", [report_ids])


def insert_rows_from_text(con: duckdb.DuckDBPyConnection, table: str, rows: list[dict]) -> None:
    """Insert rows of a report table read back from JSON (report_history.table_rows): each value passed as
    text and cast by DuckDB to the column's type, so a restored row equals the one archived."""
    if table not in REPORT_TABLES:
        raise ValueError(f"{table!r} is not a report table")
    if not rows:
        return
    types = dict(column_types(con, table))
    columns = list(types)
    batch = {c: column_array([_as_text(r.get(c)) for r in rows], "VARCHAR", len(rows))  # noqa: F841
             for c in columns}
    select = ", ".join(f'CAST("{c}" AS {types[c]})' for c in columns)
    con.execute(f"INSERT INTO {table} SELECT {select} FROM batch")


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _insert_blocks(con: duckdb.DuckDBPyConnection, table: str, blocks: list[tuple[ParsedFile, FileRows]],
                   loaded_at: datetime) -> None:
    """Insert one table's rows of every loading file at once, with each file's shared columns filled in."""
    rows: list[tuple] = []
    shared_columns = FILE_COLUMNS.get(table, ())
    shared: dict[str, list] = {name: [] for name in shared_columns}
    for parsed, of_file in blocks:
        own = of_file.tables[table]
        rows.extend(own)
        if shared_columns:
            values = {"file_sha256": parsed.sha256, "file_name": parsed.name, "source_path": parsed.path,
                      "layout": parsed.layout, "loaded_at": loaded_at}
            for name in shared_columns:
                shared[name].extend([values[name]] * len(own))
    if not rows:
        return
    columns = dict(zip(ROW_COLUMNS[table], map(list, zip(*rows))))
    columns.update(shared)
    _insert_columns(con, table, columns, len(rows))


def _segments(parsed_files: list[ParsedFile]) -> list[list[ParsedFile]]:
    """The batch cut where a file holds a report an earlier file of the batch also holds (the same contract
    in two files): each segment is saved in turn, so the later file replaces a stored report, which is then
    kept in report_history and seen by the duplicate check like any other replacement."""
    segments: list[list[ParsedFile]] = [[]]
    ids: set[str] = set()
    for parsed in parsed_files:
        own = {rid for _, rid in parsed.table_rows().ids}
        if own & ids:
            segments.append([])
            ids = set()
        segments[-1].append(parsed)
        ids |= own
    return segments


def save_files(con: duckdb.DuckDBPyConnection, parsed_files: list[ParsedFile],
               before_commit: Callable[[duckdb.DuckDBPyConnection], None] | None = None) -> list[SaveOutcome]:
    """Write fully-read files in one transaction: every file's reports wholly in, or (on error) none at all.

    A file already loaded with the same content changes nothing; a changed file (same path) replaces the
    reports it held; a report with the identity of one already loaded (same contract), or of one in an
    earlier file of the batch, replaces it. `before_commit` runs inside the transaction (findings that
    compare reports; also after each segment of the batch), so readers never see the new reports without them.
    """
    outcomes: list[SaveOutcome] = []
    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    with transaction(con):
        for segment in _segments(parsed_files):
            outcomes.extend(_save_segment(con, segment, loaded_at))
            if before_commit is not None:
                before_commit(con)
    return outcomes


def _save_segment(con: duckdb.DuckDBPyConnection, parsed_files: list[ParsedFile],
                  loaded_at: datetime) -> list[SaveOutcome]:
    """Save files none of which holds a report another one holds (inside save_files' transaction)."""
    outcomes: list[SaveOutcome] = []
    blocks: list[tuple[ParsedFile, FileRows]] = []  # the files that load, with their rows
    files_rows: list[dict] = []
    to_delete: list[str] = []
    replaced_by: dict[str, str] = {}  # report id -> name of the file whose load replaces it
    known = {r[0] for r in con.execute(
        "SELECT sha256 FROM files WHERE sha256 IN (SELECT unnest(?::VARCHAR[]))",
        [[p.sha256 for p in parsed_files]]).fetchall()}
    # Which files load, and their report ids; then what the database holds for them, in two queries for
    # the whole segment (nothing is written before the inserts below, so every file sees the same state).
    to_load: dict[int, FileRows] = {}
    seen_sha = set(known)
    for i, parsed in enumerate(parsed_files):
        if parsed.sha256 not in seen_sha:
            seen_sha.add(parsed.sha256)
            to_load[i] = parsed.table_rows()
    load_paths = [parsed_files[i].path for i in to_load]
    of_path: dict[str, list[str]] = {}
    for path, rid in con.execute("SELECT source_path, report_id FROM reports"
                                 " WHERE source_path IN (SELECT unnest(?::VARCHAR[]))", [load_paths]).fetchall():
        of_path.setdefault(path, []).append(rid)
    stored = {rid: (fname, spath) for rid, fname, spath in con.execute(
        "SELECT report_id, file_name, source_path FROM reports WHERE report_id IN (SELECT unnest(?::VARCHAR[]))",
        [[rid for rows in to_load.values() for _, rid in rows.ids]]).fetchall()}
    if load_paths:
        con.execute("DELETE FROM files WHERE path IN (SELECT unnest(?::VARCHAR[]))", [load_paths])
    for i, parsed in enumerate(parsed_files):
        if i not in to_load:
            outcomes.append(SaveOutcome(parsed.name, "unchanged"))
            continue
        rows = to_load[i]
        previous_of_path = of_path.get(parsed.path, [])
        to_delete.extend(previous_of_path)
        replaced_by.update((rid, parsed.name) for rid in previous_of_path)
        outcome = SaveOutcome(parsed.name, "loaded", [rid for _, rid in rows.ids])
        replaced_by.update((rid, parsed.name) for rid in outcome.report_ids)
        blocks.append((parsed, rows))
        existing = [(rid, stored[rid][0]) for rid in dict.fromkeys(outcome.report_ids)
                    if rid in stored and stored[rid][1] != parsed.path]
        outcome.replaced.extend(existing)
        to_delete.extend(rid for rid, _ in existing)  # (a stored id of the same path is in previous_of_path)
        files_rows.append({"sha256": parsed.sha256, "name": parsed.name, "path": parsed.path,
                           "size": parsed.size, "layout": parsed.layout, "loaded_at": loaded_at,
                           "reports": len(rows.ids)})
        outcomes.append(outcome)
    archive_reports(con, sorted(set(to_delete)), replaced_by, loaded_at)
    delete_reports(con, sorted(set(to_delete)))
    for table in ROW_COLUMNS:
        _insert_blocks(con, table, blocks, loaded_at)
    _bulk_insert(con, "files", files_rows)
    return outcomes


def report_table_rows(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict[str, dict[str, list[dict]]]:
    """report id -> {table: rows as dicts} for the reports table and every child table."""
    out: dict[str, dict[str, list[dict]]] = {rid: {t: [] for t in REPORT_TABLES} for rid in report_ids}
    for table in REPORT_TABLES:
        order = " ORDER BY rowid" if table != "reports" else ""
        for row in _dicts(con.execute(
                f"SELECT * FROM {table} WHERE report_id IN (SELECT unnest(?::VARCHAR[])){order}", [report_ids])):
            out[row["report_id"]][table].append(row)
    return out


def archive_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str], replaced_by: dict[str, str] | str,
                    replaced_at: datetime) -> list[int]:
    """Copy the stored ones of `report_ids` into report_history (call inside the transaction that replaces them).

    `replaced_by` names the file (or action) that replaces each report. Returns the new version ids.
    """
    if not report_ids:
        return []
    existing = [r[0] for r in con.execute(
        "SELECT report_id FROM reports WHERE report_id IN (SELECT unnest(?::VARCHAR[])) ORDER BY report_id",
        [report_ids]).fetchall()]
    if not existing:
        return []
    details = {d["report_id"]: d for d in report_details(con, existing)}
    rows = report_table_rows(con, existing)
    versions = [r[0] for r in con.execute(
        "SELECT nextval('report_history_seq') FROM range(?)", [len(existing)]).fetchall()]
    history_rows = []
    for version, rid in zip(versions, existing):
        base = rows[rid]["reports"][0]
        history_rows.append({
            "version_id": version, "report_id": rid, "grantee": base["grantee"], "title": base["title"],
            "contract_no": base["contract_no"], "year": base["year"], "file_name": base["file_name"],
            "file_sha256": base["file_sha256"], "loaded_at": base["loaded_at"], "replaced_at": replaced_at,
            "replaced_by_file": replaced_by if isinstance(replaced_by, str) else replaced_by.get(rid),
            "payload": json.dumps(details[rid], ensure_ascii=False, default=str),
            "table_rows": json.dumps(rows[rid], ensure_ascii=False, default=str),
        })
    _bulk_insert(con, "report_history", history_rows)
    return versions


def loaded_files(con: duckdb.DuckDBPyConnection, sha256s: list[str]) -> dict[str, tuple[str, datetime]]:
    """The files of `sha256s` that are loaded: content hash -> (name, when it was loaded)."""
    return {sha: (name, loaded_at) for sha, name, loaded_at in con.execute(
        "SELECT sha256, name, loaded_at FROM files WHERE sha256 IN (SELECT unnest(?::VARCHAR[]))",
        [list(sha256s)]).fetchall()}


def report_summaries(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The stored ones of `report_ids`: report id -> report_id, grantee, title, file_name, loaded_at (what a
    notice that a load would replace the report names)."""
    return {rid: {"report_id": rid, "grantee": grantee, "title": title, "file_name": file_name,
                  "loaded_at": loaded_at}
            for rid, grantee, title, file_name, loaded_at in con.execute(
                "SELECT report_id, grantee, title, file_name, loaded_at FROM reports"
                " WHERE report_id IN (SELECT unnest(?::VARCHAR[]))", [list(report_ids)]).fetchall()}


def current_version(con: duckdb.DuckDBPyConnection, report_id: str):
    """The report as it is now, as a one-row DataFrame in report_history's columns (version_id, replaced_at and
    replaced_by_file NULL) and ``current`` true: the first row of grantstats.history.versions (none when the
    report is not stored)."""
    return con.execute(
        "SELECT NULL::BIGINT AS version_id, report_id, grantee, title, contract_no, year, file_name, loaded_at,"
        " NULL::TIMESTAMP AS replaced_at, NULL::VARCHAR AS replaced_by_file, true AS current"
        " FROM reports WHERE report_id = ?", [report_id]).df()


def source_files(con: duckdb.DuckDBPyConnection, report_ids: list[str]):
    """The files the reports `report_ids` were loaded from, newest first, as a DataFrame: sha256, name, path,
    size, layout, loaded_at, reports (how many of those reports each holds)."""
    return con.execute(
        "SELECT f.sha256, f.name, f.path, f.size, f.layout, f.loaded_at, count(*) AS reports"
        " FROM reports r JOIN files f ON f.sha256 = r.file_sha256"
        " WHERE r.report_id IN (SELECT unnest(?::VARCHAR[]))"
        " GROUP BY f.sha256, f.name, f.path, f.size, f.layout, f.loaded_at ORDER BY f.loaded_at DESC, f.name",
        [list(report_ids)]).df()


def find_reports(con: duckdb.DuckDBPyConnection, query: str | None = None) -> list[str]:
    """Ids of reports whose grantee, title, contract number or id contain the query (all without one)."""
    if not query:
        return [r[0] for r in con.execute("SELECT report_id FROM reports ORDER BY year NULLS LAST, grantee, report_id").fetchall()]
    like = f"%{query.lower()}%"
    return [r[0] for r in con.execute(
        "SELECT report_id FROM reports WHERE lower(coalesce(grantee,'')) LIKE ? OR lower(coalesce(title,'')) LIKE ?"
        " OR lower(coalesce(contract_no,'')) LIKE ? OR lower(report_id) LIKE ?"
        " ORDER BY year NULLS LAST, grantee, report_id", [like, like, like, like]).fetchall()]


def _dicts(cursor: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def report_details(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> list[dict[str, Any]]:
    """Reports as plain dicts in the `show --json` shape (codes, ISO dates, null for empty)."""
    if not report_ids:
        return []
    ids = [report_ids]
    where = "WHERE report_id IN (SELECT unnest(?::VARCHAR[]))"
    base = {r["report_id"]: r for r in _dicts(con.execute(f"SELECT * FROM reports {where}", ids))}
    per: dict[str, dict[str, Any]] = {rid: {"regions": [], "shares": {}, "amount_by_year": {}, "indicators": {},
                                             "gender": {}, "age": {}, "categories": {}, "derived": {},
                                             "findings": [], "activities": []} for rid in base}
    for r in _dicts(con.execute(f"SELECT * FROM report_regions {where} ORDER BY report_id, share DESC, rowid", ids)):
        if r["region"] is not None:
            per[r["report_id"]]["regions"].append(r["region"])
            per[r["report_id"]]["shares"][r["region"]] = r["share"]
    for r in _dicts(con.execute(f"SELECT * FROM report_amounts {where} ORDER BY year", ids)):
        per[r["report_id"]]["amount_by_year"][str(r["year"])] = r["amount"]
    for r in _dicts(con.execute(f"SELECT * FROM indicators {where}", ids)):
        per[r["report_id"]]["indicators"][r["indicator"]] = {
            "plan": r["plan"], "fact": r["fact"], "plan_qualifier": r["plan_qualifier"],
            "fact_qualifier": r["fact_qualifier"], "plan_text": r["plan_text"], "fact_text": r["fact_text"],
            "unit": r["unit"], "label": r["label"], "sheet": r["sheet"], "plan_cell": r["plan_cell"],
            "fact_cell": r["fact_cell"]}
    dims = {"gender": "gender", "age": "age", "category": "categories"}
    for r in _dicts(con.execute(f"SELECT * FROM participants {where}", ids)):
        key = dims.get(r["dimension"])
        if key:
            per[r["report_id"]][key][r["bucket"]] = r["people"]
            if r["derived"]:
                per[r["report_id"]]["derived"].setdefault(key, []).append(r["bucket"])
    for r in _dicts(con.execute(f"SELECT * FROM findings {where} ORDER BY severity, rule", ids)):
        where_text = ", ".join(x for x in (r["file_name"], r["sheet"], r["cell"]) if x)
        per[r["report_id"]]["findings"].append({
            "rule": r["rule"], "severity": r["severity"], "message": r["message_ru"],
            "message_en": r["message_en"], "params": r.get("params"), "where": where_text, "file": r["file_name"], "sheet": r["sheet"],
            "cell": r["cell"]})
    for r in _dicts(con.execute(f"SELECT * FROM activities {where} ORDER BY seq", ids)):
        per[r["report_id"]]["activities"].append({k: r[k] for k in (
            "task", "activity", "date_text", "place", "participants_text", "plan_text", "fact_text")})
    out = []
    for rid in report_ids:
        if rid not in base:
            continue
        b, p = base[rid], per[rid]
        out.append({
            "report_id": rid, "grantee": b["grantee"], "title": b["title"], "contract_no": b["contract_no"],
            "contract_date": _iso(b["contract_date"]), "period_start": _iso(b["period_start"]),
            "period_end": _iso(b["period_end"]), "year": b["year"], "direction": b["direction"],
            "direction_text": b["direction_text"], "regions": p["regions"], "region_shares": p["shares"],
            "region_text": b["region_text"], "grant_amount": b["grant_amount"],
            "grant_amount_qualifier": b["grant_amount_qualifier"], "grant_amount_text": b["grant_amount_text"],
            "amount_by_year": p["amount_by_year"], "report_date": _iso(b["report_date"]),
            "participants_total": b["participants_total"], "indicators": p["indicators"],
            "gender": p["gender"], "age": p["age"], "categories": p["categories"],
            "derived_from_percent": p["derived"], "activities": p["activities"], "findings": p["findings"],
            "bin": b.get("bin"),
            "field_texts": json.loads(b["field_texts"]) if b.get("field_texts") else {},
            "source": {"file": b["file_name"], "sheet": b["sheet"], "cell": b["cell"], "layout": b["layout"],
                       "sha256": b["file_sha256"], "loaded_at": _iso(b["loaded_at"]),
                       "field_cells": json.loads(b["field_cells"]) if b["field_cells"] else {}},
        })
    return out


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row counts of every table, for the CLI and the empty-database check."""
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("files",) + REPORT_TABLES}


def data_source(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """Where the figures come from, for an export's cover: files loaded, reports, and the last load time."""
    files, last = con.execute("SELECT count(*), max(loaded_at) FROM files").fetchone()
    reports = con.execute("SELECT count(*) FROM reports").fetchone()[0]
    return {"files": files, "reports": reports, "last_loaded_at": last}
