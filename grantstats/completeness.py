"""Reporting completeness: every awarded contract beside its final report — received, overdue or not yet due.

Matching (in DuckDB, each contract to at most one report and each report to at most one contract), best first:

1. ``contract``  the same contract: the report's identity is the contract's key (contract number and year,
   or grantee, title and year), or the two give the same contract number (normalised) and the same year
   (the project's year, or the contract date's year);
2. ``grantee_title``  the same NGO (``ngo_key``), the same project title (letters and digits, lowered) and year.

A contract's due date is the list's own, else the end of its period plus ``due_days`` (default 30, see
``contracts.due_days``); without either its status is ``no_due_date``. On ``as_of`` a contract is
``received`` when its report is loaded, ``overdue`` when its due date has passed (``days_overdue`` = as_of −
due date), else ``not_due``.

Filters (``metrics.Filter``) select contracts by their own fields: year, direction, NGO, the text of grantee,
title or contract number, regions (a contract of several regions is selected when any is chosen); the
error filter and report ids do not apply to contracts. The filter's ``scope`` (the regions the person may see)
keeps to the contracts of those regions as it keeps figures to their reports (``query.scoped_regions``): a
contract of another region, or of no stated region, is not listed, counted or summed. By region, a contract of several regions is counted
under each (as metrics counts ``reports``), so the regions' counts can add up to more than the total.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import TYPE_CHECKING

from grantstats.contracts import as_of_date, due_days as default_due_days
from grantstats.metrics import Filter
from grantstats.metrics.cache import CACHE_TABLES, CacheTable
from grantstats.metrics.query import base_ctes, fetch_df, member, order_by, scoped_regions

if TYPE_CHECKING:  # (pandas loads where a figure is read: a load builds the cache tables without it)
    import pandas as pd

STATUSES = ("received", "overdue", "not_due", "no_due_date")
MATCH_KINDS = ("contract", "grantee_title")

TITLE_KEY = "trim(regexp_replace(lower(coalesce({t}.title, '')), '[^\\p{{L}}\\p{{N}}]+', ' ', 'g'))"

# every contract with the report it is matched to (report_id NULL when none) and how (1 contract, 2 grantee_title)
_MATCH_CTES = [
    "mc AS (SELECT contract_key, contract_no_key, year, year(contract_date) AS cyear, ngo_key, title FROM contracts)",
    "mr AS (SELECT report_id, split_part(identity, '#', 1) AS ident,"
    " CASE WHEN identity LIKE 'contract:%' THEN split_part(substr(split_part(identity, '#', 1), 10), '|', 1) END AS no_key,"
    " year, year(contract_date) AS cyear, ngo_key, title FROM reports)",
    "by_no AS ("
    " SELECT mc.contract_key, mr.report_id, 1 AS how FROM mc JOIN mr ON mr.ident = mc.contract_key"
    " UNION ALL SELECT mc.contract_key, mr.report_id, 1 FROM mc JOIN mr ON mr.no_key = mc.contract_no_key"
    "  AND (mr.year = mc.year OR mr.cyear = mc.cyear))",
    # a contract with a report by number never takes one by grantee and title (how 1 comes first in best), so
    # only the others have their titles normalised, and only the reports of their NGO and year are compared
    "by_title AS MATERIALIZED (SELECT contract_key, ngo_key, year, " + TITLE_KEY.format(t="mc") + " AS title_key"
    " FROM mc WHERE NOT EXISTS (SELECT 1 FROM by_no WHERE by_no.contract_key = mc.contract_key))",
    "their_reports AS MATERIALIZED (SELECT report_id, ngo_key, year, " + TITLE_KEY.format(t="mr") + " AS title_key"
    " FROM mr WHERE EXISTS (SELECT 1 FROM by_title t WHERE t.ngo_key = mr.ngo_key AND t.year = mr.year))",
    "cand AS (SELECT * FROM by_no"
    " UNION ALL SELECT t.contract_key, r.report_id, 2 FROM by_title t JOIN their_reports r ON r.ngo_key = t.ngo_key"
    "  AND r.title_key = t.title_key AND r.year = t.year WHERE t.title_key <> '')",
    "best AS (SELECT contract_key, report_id, how FROM cand"
    " QUALIFY row_number() OVER (PARTITION BY contract_key ORDER BY how, report_id) = 1)",
    "matched AS (SELECT contract_key, report_id, how FROM best"
    " QUALIFY row_number() OVER (PARTITION BY report_id ORDER BY how, contract_key) = 1)",
]

# gs_cache tables (built when first read after the reports or the contracts changed, like metrics' own):
#   contract_facts  one row per contract: ck (row key), its fields, search_text (grantee, title and number lowered),
#                   regions (codes comma-joined, largest share first), report_id and how it was matched
#   contract_split  one row per (contract, region): ck, region (NULL: not stated), share (normalised to sum to 1)
_CONTRACT_FACTS_SQL = (
    "WITH " + ", ".join(_MATCH_CTES) + ","
    # the regions comma-joined; an ordered aggregate is slow, so only for the few contracts with several
    " reg_count AS (SELECT contract_key, count(*) AS n, min(region) AS only_region FROM contract_regions"
    "  WHERE region IS NOT NULL GROUP BY contract_key),"
    " reg_list AS (SELECT contract_key, string_agg(region, ',' ORDER BY share DESC, region) AS regions"
    "  FROM contract_regions WHERE region IS NOT NULL"
    "  AND contract_key IN (SELECT contract_key FROM reg_count WHERE n > 1) GROUP BY contract_key),"
    " regs AS (SELECT g.contract_key, CASE WHEN g.n = 1 THEN g.only_region ELSE l.regions END AS regions"
    "  FROM reg_count g LEFT JOIN reg_list l ON l.contract_key = g.contract_key)"
    " SELECT (row_number() OVER (ORDER BY c.contract_key))::INTEGER AS ck, c.contract_key, c.contract_no,"
    " c.contract_date, c.grantee, c.ngo_key, c.title, c.year, c.direction, c.grant_amount, c.period_end, c.due_date,"
    " lower(coalesce(c.grantee, '') || chr(31) || coalesce(c.title, '') || chr(31) || coalesce(c.contract_no, ''))"
    "  AS search_text, regs.regions, m.report_id, m.how"
    " FROM contracts c LEFT JOIN matched m ON m.contract_key = c.contract_key"
    " LEFT JOIN regs ON regs.contract_key = c.contract_key")
_CONTRACT_SPLIT_SQL = (
    "WITH merged AS (SELECT contract_key, region, sum(coalesce(share, 0)) AS share FROM contract_regions"
    "  GROUP BY contract_key, region)"
    " SELECT f.ck, m.region, CASE WHEN sum(m.share) OVER (PARTITION BY f.ck) > 0"
    "  THEN m.share / sum(m.share) OVER (PARTITION BY f.ck) ELSE 1.0 / count(*) OVER (PARTITION BY f.ck) END AS share"
    " FROM gs_cache.{facts} f JOIN merged m ON m.contract_key = f.contract_key")


def _register() -> tuple[str, str]:
    """Register the two cache tables (named by a hash of their SQL, so a changed definition is built anew)."""
    facts = "contract_facts_" + hashlib.sha1(_CONTRACT_FACTS_SQL.encode()).hexdigest()[:10]
    split_sql = _CONTRACT_SPLIT_SQL.format(facts=facts)
    split = "contract_split_" + hashlib.sha1(split_sql.encode()).hexdigest()[:10]
    CACHE_TABLES.setdefault(facts, CacheTable(_CONTRACT_FACTS_SQL))
    CACHE_TABLES.setdefault(split, CacheTable(split_sql, (facts,)))
    return facts, split


FACTS, SPLIT = _register()

STATUS_COLUMNS = ["contract_no", "contract_date", "grantee", "ngo_key", "title", "regions", "year", "direction",
                  "grant_amount", "period_end", "due_date", "due_date_stated", "status", "days_overdue", "report_id",
                  "matched_by", "contract_key"]


def _contract_where(flt: Filter, params: list, alias: str = "c") -> str:
    """The filter as conditions on a contract_facts row ``alias`` (see the module doc)."""
    conds = []
    if flt.year_from is not None:
        conds.append(f"{alias}.year >= ?")
        params.append(flt.year_from)
    if flt.year_to is not None:
        conds.append(f"{alias}.year <= ?")
        params.append(flt.year_to)
    if flt.directions:
        conds.append(member(f"{alias}.direction", flt.directions, params))
    if flt.ngos:
        conds.append(member(f"{alias}.ngo_key", flt.ngos, params))
    if flt.text:
        conds.append(f"contains({alias}.search_text, ?)")
        params.append(flt.text.lower())
    regions = scoped_regions(flt)
    if regions == ():
        conds.append("false")  # every chosen region lies outside the scope
    elif regions:
        where = member("cr.region", regions, params)
        conds.append(f"{alias}.ck IN (SELECT cr.ck FROM gs_cache.{SPLIT} cr WHERE {where})")
    return " AND ".join(conds) or "true"


def _status_ctes(flt: Filter, as_of: date | str | None, due_days: int | None) -> tuple[list[str], list]:
    """CTEs ending in ``st``: the selected contracts, one row each, with due date (``due``) and status."""
    params: list = [default_due_days(due_days), as_of_date(as_of)]
    ctes = ["arg AS (SELECT ?::INTEGER AS due_days, ?::DATE AS as_of)"]
    where = _contract_where(flt, params)
    ctes.append(
        "dd AS (SELECT c.*, coalesce(c.due_date, c.period_end + arg.due_days) AS due, arg.as_of"
        f" FROM gs_cache.{FACTS} c CROSS JOIN arg WHERE {where})")
    ctes.append(
        "st AS (SELECT dd.*, CASE WHEN dd.report_id IS NOT NULL THEN 'received' WHEN dd.due IS NULL THEN 'no_due_date'"
        " WHEN dd.as_of > dd.due THEN 'overdue' ELSE 'not_due' END AS status FROM dd)")
    return ctes, params


def contract_status(con, flt: Filter = Filter(), as_of: date | str | None = None, due_days: int | None = None,
                    status: str | None = None) -> pd.DataFrame:
    """One row per selected contract: :data:`STATUS_COLUMNS`.

    ``regions`` the contract's region codes comma-joined (largest share first; NULL when none is stated);
    ``due_date`` the list's own, else the period's end + ``due_days``; ``due_date_stated`` whether the list gave
    it; ``status`` one of :data:`STATUSES` on ``as_of`` (default today); ``days_overdue`` as_of − due date for
    overdue contracts; ``report_id`` and ``matched_by`` (:data:`MATCH_KINDS`) for received ones. ``status``
    keeps only that status. Ordered overdue first (longest overdue first), then not due (soonest first), then
    without a due date, then received; then by contract number.
    """
    ctes, params = _status_ctes(flt, as_of, due_days)
    where = ""
    if status is not None:
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        where = " WHERE st.status = ?"
        params.append(status)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT st.contract_no, st.contract_date, st.grantee, st.ngo_key, st.title, st.regions, st.year, st.direction,"
           " st.grant_amount, st.period_end, st.due AS due_date, st.due_date IS NOT NULL AS due_date_stated, st.status,"
           " CASE WHEN st.status = 'overdue' THEN st.as_of - st.due END AS days_overdue, st.report_id,"
           " CASE st.how WHEN 1 THEN 'contract' WHEN 2 THEN 'grantee_title' END AS matched_by,"
           f" st.contract_key FROM st{where}"
           " ORDER BY CASE st.status WHEN 'overdue' THEN 0 WHEN 'not_due' THEN 1 WHEN 'no_due_date' THEN 2 ELSE 3 END,"
           " CASE WHEN st.status = 'overdue' THEN st.due END, st.due, st.contract_no, st.contract_key")
    df = fetch_df(con, sql, params)
    for column in ("days_overdue", "year"):
        df[column] = df[column].astype("Int64")
    return df[STATUS_COLUMNS]


COMPLETENESS_COLUMNS = ["contracts", "received", "overdue", "not_due", "no_due_date", "received_share",
                        "overdue_amount", "days_overdue_max"]
_GROUPS = {"region": "g.region", "direction": "g.direction", "year": "g.year"}


def completeness_by(con, flt: Filter = Filter(), by: str | tuple[str, ...] | None = None,
                    as_of: date | str | None = None, due_days: int | None = None) -> pd.DataFrame:
    """Contracts counted by status, one row per group (``by``: 'region', 'direction', 'year', a tuple of them,
    or None for one total row): the group columns (NULL = not stated), then :data:`COMPLETENESS_COLUMNS`.

    contracts, received, overdue, not_due, no_due_date  contracts in the group, and of them in each status
    received_share   received / (received + overdue): of the reports already due, the share that came in
    overdue_amount   Σ grant amount of the overdue contracts (a contract of several regions: its share there); 0
                     when none is overdue
    days_overdue_max the longest overdue
    """
    import pandas as pd

    keys = (by,) if isinstance(by, str) else tuple(by or ())
    for key in keys:
        if key not in _GROUPS:
            raise ValueError(f"unknown grouping {key!r}: use one of {', '.join(_GROUPS)}")
    ctes, params = _status_ctes(flt, as_of, due_days)
    if "region" in keys:
        region_where = ""
        if scoped_regions(flt):
            region_where = " WHERE " + member("cr.region", scoped_regions(flt), params)
        ctes.append(f"g AS (SELECT st.*, cr.region, cr.share FROM st JOIN gs_cache.{SPLIT} cr ON cr.ck = st.ck{region_where})")
    else:
        ctes.append("g AS (SELECT st.*, 1.0 AS share FROM st)")
    select = "".join(f"{_GROUPS[k]} AS {k}, " for k in keys)
    group = (" GROUP BY " + ", ".join(_GROUPS[k] for k in keys)) if keys else ""
    order = (" ORDER BY " + ", ".join(order_by(k) for k in keys)) if keys else ""  # (directions as the law numbers them)
    sql = ("WITH " + ", ".join(ctes) +
           f" SELECT {select}count(*) AS contracts, count(*) FILTER (WHERE g.status = 'received') AS received,"
           " count(*) FILTER (WHERE g.status = 'overdue') AS overdue, count(*) FILTER (WHERE g.status = 'not_due') AS not_due,"
           " count(*) FILTER (WHERE g.status = 'no_due_date') AS no_due_date,"
           " (count(*) FILTER (WHERE g.status = 'received'))::DOUBLE"
           "  / nullif(count(*) FILTER (WHERE g.status IN ('received', 'overdue')), 0) AS received_share,"
           " coalesce(sum(g.grant_amount * g.share) FILTER (WHERE g.status = 'overdue'), 0) AS overdue_amount,"
           " max(g.as_of - g.due) FILTER (WHERE g.status = 'overdue') AS days_overdue_max"
           f" FROM g{group}{order}")
    df = fetch_df(con, sql, params)
    if not keys and df.empty:
        df = pd.DataFrame([{c: 0 for c in COMPLETENESS_COLUMNS}])
    return df[list(keys) + COMPLETENESS_COLUMNS]


UNMATCHED_COLUMNS = ["report_id", "grantee", "title", "contract_no", "year", "direction", "regions", "file_name"]


def reports_without_contract(con, flt: Filter = Filter()) -> pd.DataFrame:
    """The selected reports no contract of the list is matched to, in the years the list covers (a report of a
    year the list leaves out is not missing from it): :data:`UNMATCHED_COLUMNS`, newest year first."""
    ctes, params = base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT r.report_id, r.grantee, r.title, r.contract_no, r.year, r.direction, r.regions, r.file_name"
           f" FROM base r WHERE r.report_id NOT IN (SELECT report_id FROM gs_cache.{FACTS} WHERE report_id IS NOT NULL)"
           f" AND r.year IN (SELECT DISTINCT year FROM gs_cache.{FACTS} WHERE year IS NOT NULL)"
           " ORDER BY r.list_order")
    df = fetch_df(con, sql, params)
    df["year"] = df["year"].astype("Int64")
    return df[UNMATCHED_COLUMNS]


def contracts_loaded(con, scope: tuple[str, ...] | None = None) -> dict[str, object]:
    """What contracts lists are loaded: files, contracts, the last load time and the years they cover; with a
    ``scope``, only the contracts of those regions (and the files they came from)."""
    if scope is None:
        files, last = con.execute("SELECT count(*), max(loaded_at) FROM contract_files").fetchone()
        contracts, first_year, last_year = con.execute("SELECT count(*), min(year), max(year) FROM contracts").fetchone()
    else:
        files, last, contracts, first_year, last_year = con.execute(
            "SELECT count(DISTINCT file_sha256), max(loaded_at), count(*), min(year), max(year) FROM contracts"
            " WHERE contract_key IN (SELECT contract_key FROM contract_regions WHERE list_contains(?::VARCHAR[], region))",
            [list(scope)]).fetchone()
    return {"files": files, "contracts": contracts, "last_loaded_at": last, "year_from": first_year, "year_to": last_year}
