"""Earlier versions of reports: list them, show one, make one current again.

A load that replaces a report (same contract from another file, or a changed file at the same path) first
copies it into ``report_history`` in the same transaction (``store.archive_reports``). ``restore`` puts a
version back: the report now current goes to the history and the chosen version becomes current, in one
transaction, so a reader sees either the one or the other.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from grantstats import store

HISTORY_COLUMNS = ["version_id", "report_id", "grantee", "title", "contract_no", "year", "file_name", "loaded_at",
                   "replaced_at", "replaced_by_file"]
"""Columns of :func:`history` and :func:`versions` (``versions`` adds ``current``, True for the report in use)."""

WRITE_LOCK = threading.RLock()
"""Held by every write from the dashboard process (upload, restore): DuckDB lets one transaction at a time
change the same rows, so writers in one process queue here instead of failing on a conflict."""


class HistoryError(Exception):
    """A version that does not exist or cannot be restored; the message is one plain line."""


def _has_history(con) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'report_history'").fetchone()[0])


def history(con, query: str | None = None) -> pd.DataFrame:
    """Earlier versions whose grantee, title, contract number or report id contain `query` (all without one),
    newest replacement first: :data:`HISTORY_COLUMNS`."""
    if not _has_history(con):
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    sql = f"SELECT {', '.join(HISTORY_COLUMNS)} FROM report_history"
    params: list[Any] = []
    if query:
        like = f"%{query.lower()}%"
        sql += (" WHERE lower(coalesce(grantee, '')) LIKE ? OR lower(coalesce(title, '')) LIKE ?"
                " OR lower(coalesce(contract_no, '')) LIKE ? OR lower(report_id) LIKE ?")
        params = [like] * 4
    sql += " ORDER BY replaced_at DESC, version_id DESC"
    return con.execute(sql, params).df()


def versions(con, report_id: str) -> pd.DataFrame:
    """Every version of one report: the current one first (``version_id`` NULL, ``current`` True), then the
    earlier ones, newest first. Columns: :data:`HISTORY_COLUMNS` and ``current``. For the report page."""
    current = con.execute(
        "SELECT NULL::BIGINT AS version_id, report_id, grantee, title, contract_no, year, file_name, loaded_at,"
        " NULL::TIMESTAMP AS replaced_at, NULL::VARCHAR AS replaced_by_file, true AS current"
        " FROM reports WHERE report_id = ?", [report_id]).df()
    if not _has_history(con):
        return current
    earlier = con.execute(
        f"SELECT {', '.join(HISTORY_COLUMNS)}, false AS current FROM report_history WHERE report_id = ?"
        " ORDER BY replaced_at DESC, version_id DESC", [report_id]).df()
    if current.empty:
        return earlier.reset_index(drop=True)
    if earlier.empty:
        return current
    return pd.concat([current, earlier], ignore_index=True)


def version_details(con, version_id: int) -> dict[str, Any]:
    """One earlier version as ``store.report_details`` gives a report (``show --json`` shape)."""
    row = _version_row(con, version_id)
    return json.loads(row[1])


def _version_number(version_id: Any) -> int:
    try:
        return int(str(version_id).strip().lstrip("Vv"))
    except (TypeError, ValueError):
        raise HistoryError(f"{version_id!r} is not a version number (see: python -m grantstats history QUERY)") from None


def _version_row(con, version_id: int) -> tuple[str, str, str]:
    version_id = _version_number(version_id)
    row = con.execute("SELECT report_id, payload, table_rows FROM report_history WHERE version_id = ?",
                      [version_id]).fetchone() if _has_history(con) else None
    if row is None:
        raise HistoryError(f"no version {version_id} in the history (see: python -m grantstats history QUERY)")
    return row


def restore(con, version_id: int) -> dict[str, Any]:
    """Make an earlier version current again; the version now current goes to the history. One transaction.

    Returns ``{"report_id", "restored_version", "archived_version"}`` (archived_version None when the report
    was not in the database any more).
    """
    version_id = _version_number(version_id)
    with WRITE_LOCK:
        con.execute("BEGIN TRANSACTION")
        try:
            report_id, _, rows_json = _version_row(con, version_id)
            now = datetime.now(timezone.utc).replace(tzinfo=None)
            archived = store.archive_reports(con, [report_id], f"restore of version {version_id}", now)
            store._delete_reports(con, [report_id])
            for table, rows in json.loads(rows_json).items():
                _insert_json_rows(con, table, rows)
            con.execute("DELETE FROM report_history WHERE version_id = ?", [version_id])
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        from grantstats import metrics, outliers, quality

        quality.refresh_cross_report_findings(con)
        outliers.refresh_outlier_findings(con, own_transaction=True)  # a restored report moves its peers' medians
        metrics.clear_cache()
    return {"report_id": report_id, "restored_version": version_id, "archived_version": archived[0] if archived else None}


def _insert_json_rows(con, table: str, rows: list[dict]) -> None:
    """Insert rows read back from JSON: each value passed as text and cast by DuckDB to the column's type."""
    if table not in ("reports",) + store.CHILD_TABLES:
        raise HistoryError(f"unexpected table {table!r} in a stored version")
    if not rows:
        return
    types = dict(store.column_types(con, table))
    columns = list(types)
    batch = {c: store.column_array([_as_text(r.get(c)) for r in rows], "VARCHAR", len(rows))  # noqa: F841
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


def history_line(row: dict[str, Any]) -> str:
    """One version as a line for the CLI."""
    def when(value) -> str:
        return value.strftime("%Y-%m-%d %H:%M") if hasattr(value, "strftime") and not pd.isna(value) else "—"

    def text(value) -> str:
        return "—" if value is None or (not isinstance(value, str) and pd.isna(value)) or value == "" else str(value)

    year = row["year"]
    year = "—" if year is None or pd.isna(year) else int(year)
    return (f"{row['version_id']:>6}  {row['report_id']}  {text(row['grantee'])} | {text(row['title'])}"
            f" | № {text(row['contract_no'])}, {year}\n"
            f"        from {text(row['file_name'])} (loaded {when(row['loaded_at'])}),"
            f" replaced {when(row['replaced_at'])} by {text(row['replaced_by_file'])}")


__all__ = ["history", "versions", "version_details", "restore", "HistoryError", "HISTORY_COLUMNS", "WRITE_LOCK"]
