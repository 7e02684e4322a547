"""Review of findings: staff mark a finding «accepted» (the data is right as typed) or «returned to the NGO», with
a comment; who and when are kept. An accepted finding leaves the error and warning counts (metrics' per-report
counts, the error filter, the health score); a returned one stays open and goes into the NGO's letter.

A review is kept under the finding's key (``store.FINDING_KEY_SQL``: the report's id — the hash of its identity,
its contract — the rule, the cell and the message without its figures), not under a row number: reloading the
same report keeps the review of every finding that is still there. ``who`` is whoever the caller names: the
dashboard names the signed-in person, the command line the operating-system user (the default). With a ``scope``
(the regions a person may see), a finding of a report outside them cannot be marked.

Marking writes the database: callers do it inside ``snapshots.write_session`` (the one writer), which then
publishes a snapshot so every reader sees the review.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from grantstats.findings import messages as finding_messages
from grantstats.metrics import Filter
from grantstats.metrics.cache import CACHE_TABLES, CacheTable
from grantstats.metrics.query import at_places, base_ctes, fetch_df
from grantstats.store import FINDING_KEY_SQL, _insert_columns, finding_params_sql, transaction

if TYPE_CHECKING:  # (pandas loads where a figure is read: a load builds the cache tables without it)
    import pandas as pd

# gs_cache table (rebuilt when the findings or the reviews change): every finding with its report's row key and
# the report's columns a list shows, its key and its review, so that a page lists and counts them without working
# out 100 000 findings' keys, or reading the reports' texts, each time
_REVIEWED_SQL = (f"SELECT f.rk, f.grantee, f.ngo_key, f.contract_no, f.title, f.year, k.*, v.status, v.comment, v.reviewer, v.reviewed_at,"
                 " (row_number() OVER (ORDER BY CASE k.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END,"
                 "  f.grantee, k.report_id, k.rule, k.cell, k.finding_key))::INTEGER AS list_order FROM"
                 f" (SELECT fi.*, {FINDING_KEY_SQL.format(f='fi')} AS finding_key FROM findings fi) k"
                 " JOIN gs_cache.facts f ON f.report_id = k.report_id"
                 " LEFT JOIN finding_reviews v ON v.finding_key = k.finding_key"
                 " ORDER BY list_order /* k.* holds findings.params where the database has them */")
REVIEWED_TABLE = "reviewed_" + hashlib.sha1(_REVIEWED_SQL.encode()).hexdigest()[:10]
CACHE_TABLES.setdefault(REVIEWED_TABLE, CacheTable(_REVIEWED_SQL, ("facts",)))

STATUSES = ("accepted", "returned")
LISTS = ("open", "accepted", "returned", "all")


class ReviewError(Exception):
    """A review that cannot be stored (an unknown finding, status); the message is one line."""


def current_user(signed_in: str | None = None) -> str:
    """Who reviews: the signed-in person when there is one (the dashboard passes it), else the operating-system
    user (the command line)."""
    from grantstats.access import os_user

    return (signed_in or "").strip() or os_user()


def finding_reports(con, finding_keys: list[str]) -> dict[str, str]:
    """finding key -> its report's id, for the keys that name a stored finding."""
    keys = list(dict.fromkeys(finding_keys))
    if not keys:
        return {}
    return dict(con.execute(
        f"SELECT DISTINCT {FINDING_KEY_SQL.format(f='f')} AS k, f.report_id FROM findings f"
        f" WHERE {FINDING_KEY_SQL.format(f='f')} IN (SELECT unnest(?::VARCHAR[]))", [keys]).fetchall())


def _check_scope(con, keys: list[str], scope: tuple[str, ...] | None) -> None:
    """ReviewError when a finding belongs to a report outside ``scope`` (None: every region)."""
    if scope is None:
        return
    from grantstats.scope import visible_reports

    owners = finding_reports(con, keys)
    visible = set(visible_reports(con, set(owners.values()), scope))
    outside = sorted(k for k, report_id in owners.items() if report_id not in visible)
    if outside:
        raise ReviewError(f"the finding {outside[0]} is of a report outside your regions ({', '.join(scope)})")


REVIEW_COLUMNS = ["finding_key", "report_id", "grantee", "ngo_key", "contract_no", "title", "year", "rule", "severity",
                  "message_ru", "message_en", "file_name", "sheet", "cell", "status", "comment", "reviewer",
                  "reviewed_at", "params"]


def findings_for_review(con, flt: Filter = Filter(), status: str = "open", limit: int | None = None) -> pd.DataFrame:
    """The selected reports' findings with their review: :data:`REVIEW_COLUMNS` (``status`` NULL: not reviewed).

    ``status`` 'open' (not accepted: never reviewed, or returned), 'accepted', 'returned' or 'all'. Errors first,
    then warnings, then info; then by grantee, report, rule and cell.
    """
    if status not in LISTS:
        raise ValueError(f"status must be one of {', '.join(LISTS)}")
    ctes, params = base_ctes(flt, False)
    where = {"open": " AND f.status IS DISTINCT FROM 'accepted'", "accepted": " AND f.status = 'accepted'",
             "returned": " AND f.status = 'returned'", "all": ""}[status]
    sql = ("WITH " + ", ".join(ctes) +
           # the list's places first (narrow rows, the limit applied), then their wide rows (the table is stored in
           # list order)
           f", chosen AS (SELECT f.list_order FROM gs_cache.{REVIEWED_TABLE} f"
           f" WHERE f.rk IN (SELECT rk FROM base){where} ORDER BY f.list_order" + (" LIMIT ?" if limit else "") + ")"
           " SELECT f.finding_key, f.report_id, f.grantee, f.ngo_key, f.contract_no, f.title, f.year, f.rule, f.severity,"
           " f.message_ru, f.message_en, f.file_name, f.sheet, f.cell, f.status, f.comment, f.reviewer, f.reviewed_at,"
           f" {_params_of_reviewed(con)} AS params FROM gs_cache.{REVIEWED_TABLE} f"
           f" WHERE {at_places('f.list_order', 'chosen')} ORDER BY f.list_order")  # (errors first, then by grantee…)
    if limit:
        params.append(int(limit))
    df = fetch_df(con, sql, params)
    df["year"] = df["year"].astype("Int64")
    return df[REVIEW_COLUMNS]


def _params_of_reviewed(con) -> str:
    """The reviewed findings' message parameters (the table takes every column of findings) — NULL when the
    findings (an older database's) have none."""
    return finding_params_sql(con, "f")


def review_counts(con, flt: Filter = Filter()) -> pd.DataFrame:
    """Findings of the selected reports counted per rule and review: rule, open, accepted, returned (returned ones
    are open too, counted apart), ordered by open findings, most first."""
    ctes, params = base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT f.rule, count(*) FILTER (WHERE f.status IS NULL) AS open,"
           " count(*) FILTER (WHERE f.status = 'accepted') AS accepted,"
           " count(*) FILTER (WHERE f.status = 'returned') AS returned"
           f" FROM gs_cache.{REVIEWED_TABLE} f JOIN base b ON b.rk = f.rk"
           " GROUP BY f.rule ORDER BY open + returned DESC, f.rule")
    return fetch_df(con, sql, params)


def mark(con, finding_keys: list[str], status: str, comment: str | None = None, who: str | None = None,
         when: datetime | None = None, scope: tuple[str, ...] | None = None) -> int:
    """Store a review of each finding (replacing an earlier one) in one transaction; the number stored.
    ``status`` 'accepted' or 'returned'; ``who`` the reviewer (default: the operating-system user); ``scope`` the
    reviewer's regions (a finding of another region's report: ReviewError, nothing stored)."""
    if status not in STATUSES:
        raise ReviewError(f"a finding is reviewed as {' or '.join(STATUSES)}, not {status!r}")
    keys = list(dict.fromkeys(finding_keys))
    if not keys:
        return 0
    when = when or datetime.now(timezone.utc).replace(tzinfo=None)
    who = (who or current_user()).strip() or current_user()
    comment = (comment or "").strip() or None
    with transaction(con):
        found = con.execute(
            f"SELECT DISTINCT {FINDING_KEY_SQL.format(f='f')} AS k, f.report_id, f.rule, f.sheet, f.cell FROM findings f"
            f" WHERE {FINDING_KEY_SQL.format(f='f')} IN (SELECT unnest(?::VARCHAR[]))", [keys]).fetchall()
        missing = sorted(set(keys) - {row[0] for row in found})
        if missing:
            raise ReviewError(f"no finding has the key {missing[0]} (the report may have been reloaded without it)")
        _check_scope(con, keys, scope)
        con.execute("DELETE FROM finding_reviews WHERE finding_key IN (SELECT unnest(?::VARCHAR[]))", [keys])
        columns = dict(zip(("finding_key", "report_id", "rule", "sheet", "cell"), map(list, zip(*found))))
        columns.update(status=[status] * len(found), comment=[comment] * len(found), reviewer=[who] * len(found),
                       reviewed_at=[when] * len(found))
        _insert_columns(con, "finding_reviews", columns, len(found))
    return len(found)


def reopen(con, finding_keys: list[str], scope: tuple[str, ...] | None = None) -> int:
    """Drop the reviews of these findings (they are open again); the number dropped. ``scope`` as for mark."""
    keys = list(dict.fromkeys(finding_keys))
    if not keys:
        return 0
    _check_scope(con, keys, scope)
    count = con.execute("SELECT count(*) FROM finding_reviews WHERE finding_key IN (SELECT unnest(?::VARCHAR[]))",
                        [keys]).fetchone()[0]
    con.execute("DELETE FROM finding_reviews WHERE finding_key IN (SELECT unnest(?::VARCHAR[]))", [keys])
    return count


LETTER_COLUMNS = ["contract_no", "title", "year", "file_name", "sheet", "cell", "severity", "message", "status",
                  "comment"]


def letter_rows(con, flt: Filter = Filter(), lang: str = "ru") -> pd.DataFrame:
    """The findings an NGO is to answer for (of the reports ``flt`` selects, usually one NGO's): every open error
    and warning, and every finding returned to it; :data:`LETTER_COLUMNS` with ``message`` in ``lang`` and ``severity``/``status`` as codes."""
    df = findings_for_review(con, flt, status="open")
    df = df[df["severity"].isin(["error", "warning"]) | (df["status"] == "returned")]
    return df.assign(message=finding_messages.messages(df, lang))[LETTER_COLUMNS].reset_index(drop=True)


def letter_xlsx(con, flt: Filter, lang: str = "ru", ngo_name: str | None = None) -> bytes:
    """The NGO's open findings as a letter-ready workbook: a title naming the NGO and the date, one row a finding
    (contract, project, year, file, sheet, cell, severity, what is wrong, status, comment), headers in ``lang``."""
    import pandas as pd

    from grantstats import catalog, i18n
    from grantstats.export import table_xlsx_bytes

    rows = letter_rows(con, flt, lang)
    t = lambda key, **kw: i18n.t(key, lang, **kw)  # noqa: E731
    table = pd.DataFrame({
        t("col_contract_no"): rows["contract_no"], t("col_title"): rows["title"], t("col_year"): rows["year"],
        t("col_file"): rows["file_name"], t("col_sheet"): rows["sheet"], t("col_cell"): rows["cell"],
        t("col_severity"): catalog.names("severity", rows["severity"], lang),
        t("col_message"): rows["message"],
        t("col_review"): [t(f"review_{s}") if isinstance(s, str) else t("review_status_open") for s in rows["status"]],
        t("col_comment"): rows["comment"]})
    title = t("letter_title", ngo=ngo_name or "", date=datetime.now().strftime("%d.%m.%Y"))
    return table_xlsx_bytes(table, title=title, sheet=t("letter_sheet"), kinds={t("col_year"): "year"})
