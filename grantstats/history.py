"""Earlier versions of reports: list them, show one, make one current again.

A load that replaces a report (same contract from another file, or a changed file at the same path) first
copies it into ``report_history`` in the same transaction (``store.archive_reports``). ``restore`` puts a
version back: the report now current goes to the history and the chosen version becomes current, in one
transaction, so a reader sees either the one or the other.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from grantstats import outliers, scope as scopes, store
from grantstats.findings import duplicates
from grantstats.metrics import cache

HISTORY_COLUMNS = ["version_id", "report_id", "grantee", "title", "contract_no", "year", "file_name", "loaded_at",
                   "replaced_at", "replaced_by_file"]
"""Columns of :func:`history` and :func:`versions` (``versions`` adds ``current``, True for the report in use)."""

class HistoryError(Exception):
    """A version that does not exist or cannot be restored; the message is one plain line."""


def _has_history(con) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'report_history'").fetchone()[0])


def history(con, query: str | None = None, scope: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Earlier versions whose grantee, title, contract number or report id contain `query` (all without one),
    newest replacement first: :data:`HISTORY_COLUMNS`. With ``scope`` (region codes), only versions of
    reports in those regions (grantstats.scope)."""
    if not _has_history(con):
        return pd.DataFrame(columns=HISTORY_COLUMNS)
    in_scope, params = scopes.history_condition(scope)
    sql = f"SELECT {', '.join(HISTORY_COLUMNS)} FROM report_history WHERE {in_scope}"
    if query:
        like = f"%{query.lower()}%"
        sql += (" AND (lower(coalesce(grantee, '')) LIKE ? OR lower(coalesce(title, '')) LIKE ?"
                " OR lower(coalesce(contract_no, '')) LIKE ? OR lower(report_id) LIKE ?)")
        params += [like] * 4
    sql += " ORDER BY replaced_at DESC, version_id DESC"
    return con.execute(sql, params).df()


def versions(con, report_id: str, scope: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Every version of one report: the current one first (``version_id`` NULL, ``current`` True), then the
    earlier ones, newest first. Columns: :data:`HISTORY_COLUMNS` and ``current``. For the report page.
    With ``scope``, only versions in those regions."""
    current = store.current_version(con, report_id)
    if scope is not None and not scopes.is_visible(con, report_id, scope):
        current = current.iloc[0:0]
    if not _has_history(con):
        return current
    in_scope, params = scopes.history_condition(scope)
    earlier = con.execute(
        f"SELECT {', '.join(HISTORY_COLUMNS)}, false AS current FROM report_history WHERE report_id = ?"
        f" AND {in_scope} ORDER BY replaced_at DESC, version_id DESC", [report_id, *params]).df()
    if current.empty:
        return earlier.reset_index(drop=True)
    if earlier.empty:
        return current
    return pd.concat([current, earlier], ignore_index=True)


def whereabouts(con, report_id: str) -> dict[str, Any]:
    """What became of a report id: ``{"status": "current"}`` when it is stored; ``"replaced"`` when only the
    history knows it, with ``replaced_at``, ``replaced_by_file`` and ``current_id`` (the report of that file
    that took its place: same contract and year, else same grantee and title, else the file's only report;
    None when none can be told); ``"unknown"`` when no load ever held it."""
    if con.execute("SELECT count(*) FROM reports WHERE report_id = ?", [report_id]).fetchone()[0]:
        return {"status": "current", "current_id": report_id}
    if not _has_history(con):
        return {"status": "unknown", "current_id": None}
    last = con.execute(
        "SELECT replaced_at, replaced_by_file FROM report_history WHERE report_id = ?"
        " ORDER BY replaced_at DESC, version_id DESC LIMIT 1", [report_id]).fetchone()
    if last is None:
        return {"status": "unknown", "current_id": None}
    successor = con.execute(
        "WITH h AS (SELECT * FROM report_history WHERE report_id = ? ORDER BY replaced_at DESC, version_id DESC LIMIT 1),"
        " c AS (SELECT r.report_id,"
        "   (r.contract_no IS NOT NULL AND r.contract_no = h.contract_no AND r.year IS NOT DISTINCT FROM h.year) AS same_contract,"
        "   (r.grantee = h.grantee AND r.title IS NOT DISTINCT FROM h.title) AS same_report, count(*) OVER () AS in_file"
        "   FROM reports r, h WHERE r.file_name = h.replaced_by_file)"
        " SELECT report_id FROM c WHERE same_contract OR same_report OR in_file = 1"
        " ORDER BY same_contract DESC, same_report DESC, report_id LIMIT 1", [report_id]).fetchone()
    return {"status": "replaced", "replaced_at": last[0], "replaced_by_file": last[1],
            "current_id": successor[0] if successor else None}


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


def restore(con, version_id: int, scope: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Make an earlier version current again; the version now current goes to the history. One transaction.

    Returns ``{"report_id", "restored_version", "archived_version"}`` (archived_version None when the report
    was not in the database any more). With ``scope``, a version of a report outside those regions (or
    replacing one outside them) is refused with HistoryError.
    """
    version_id = _version_number(version_id)
    with store.WRITE_LOCK:
        with store.transaction(con):
            report_id, _, rows_json = _version_row(con, version_id)
            if not scopes.may_restore(con, version_id, scope):
                raise HistoryError(f"version {version_id} is of a report outside your regions: it cannot be "
                                   "restored from this account")
            now = datetime.now(timezone.utc).replace(tzinfo=None)
            archived = store.archive_reports(con, [report_id], f"restore of version {version_id}", now)
            store.delete_reports(con, [report_id])
            for table, rows in json.loads(rows_json).items():
                if table not in store.REPORT_TABLES:
                    raise HistoryError(f"unexpected table {table!r} in a stored version")
                store.insert_rows_from_text(con, table, rows)
            con.execute("DELETE FROM report_history WHERE version_id = ?", [version_id])
        with store.transaction(con):
            duplicates.refresh_cross_report_findings(con)
            outliers.refresh_outlier_findings(con)  # a restored report moves its peers' medians (issue #17)
        cache.clear_cache()
    return {"report_id": report_id, "restored_version": version_id, "archived_version": archived[0] if archived else None}


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


__all__ = ["history", "versions", "whereabouts", "version_details", "restore", "HistoryError", "HISTORY_COLUMNS"]
