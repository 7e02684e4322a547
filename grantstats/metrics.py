"""Every figure the pages and exports show: DuckDB SQL with bound parameters, one Filter, DataFrames out.

Conventions shared by every function here
-----------------------------------------
* Every metric takes ``(con, flt)``: ``con`` is a DuckDB connection or cursor, ``flt`` a :class:`Filter`.
  Results are pandas DataFrames whose columns are listed in each docstring and never renamed silently.
* Grouping functions take ``by``: one of ``'region'``, ``'direction'``, ``'year'``, ``'ngo'``, a tuple of
  them (``('region', 'year')`` for a heat map, ``('direction', 'year')``) or ``None`` (one total row).
  The group code sits in a column named like the grouping (``region``, ``direction``, ``year``,
  ``ngo``). NULL (``None``/NaN) in it means *not stated* («не указан»): such reports are never dropped.
  Labels are the caller's job (``catalog.name``); ``by='ngo'`` also returns ``ngo_name``, the grantee
  text most often used for that NGO.
* **Regions.** A report with several regions is split across them by its stated shares (normalised to
  sum to 1; equal shares when none are stated). In a by-region grouping every money or people figure is
  multiplied by the region's share, so the regions always add up to the national total. ``reports`` is
  then the number of distinct reports touching the group (an integer: a two-region report is counted
  under both regions) and ``report_weight`` the sum of shares (fractional; sums to the national report
  count).
* **Region filter.** A report is selected when any of its regions is among ``Filter.regions``; its figures
  are weighted by the sum of its shares in the chosen regions. So the total for a region filter equals
  the sum of those regions' bars in a by-region chart. ``NOT_STATED`` (``'-'``) in ``regions``,
  ``directions`` or ``ngos`` selects the reports where that field is not stated.
* **Year.** A report belongs to ``reports.year`` (the year its project started). A year filter leaves out
  reports of unknown year. By-year money puts a whole grant in its start year; :func:`amount_by_year`
  spreads a multi-year grant over the years the report gives amounts for.
* **Missing values.** A sum is over the reports that give the figure; it is NULL when none in the group
  does (so 0 means "reported as zero"). Weighted people may be fractional; round when displaying.
* **Plan versus fact.** Σplan and Σfact are taken over the reports that give both for the indicator;
  achievement = Σfact / Σplan, gap = Σfact − Σplan. A value with a qualifier (approx/at_least/at_most)
  counts at its number and is counted in ``approx_share``.
* **Cost per beneficiary** = Σgrant amount / Σdirect beneficiaries (fact), over the reports giving both
  (with fact > 0); ``cost_median``, ``cost_q1``, ``cost_q3`` are the quartiles of the per-report cost.
* No row is scanned in Python: all arithmetic is in DuckDB.
"""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from grantstats.store import ACCEPTED_FINDING_SQL

NOT_STATED = "-"
"""The filter value that selects reports where the region / direction / NGO is not stated."""

GROUPS: dict[str, str] = {"region": "b.region", "direction": "b.direction", "year": "b.year", "ngo": "b.ngo_key"}
"""The groupings a metric accepts and the column of the ``base`` rows each one reads (identifier whitelist)."""

DIMENSIONS = ("gender", "age", "category")

TOTALS_COLUMNS = [
    "reports", "report_weight", "ngos", "grant_amount", "reports_with_amount",
    "direct_beneficiaries", "indirect_beneficiaries", "total_reach", "participants", "male", "female",
    "direct_plan", "direct_fact_with_plan", "direct_plan_reports", "direct_achievement", "direct_gap",
    "cost_per_beneficiary", "cost_median", "cost_q1", "cost_q3", "cost_reports",
    "plans_met_share", "reports_with_errors", "reports_with_warnings",
]
"""Columns of :func:`totals` (after the group columns; ``ngo_name`` follows ``ngo`` for by='ngo')."""

SUMMARY_COLUMNS = [
    "reports", "ngos", "grant_amount", "direct_beneficiaries", "indirect_beneficiaries", "total_reach",
    "participants", "male", "female", "direct_plan", "direct_achievement", "cost_per_beneficiary",
    "cost_median",
]
"""Columns of :func:`summary` (the CLI table), after the group column."""

RANKABLE = ("direct_beneficiaries", "grant_amount", "indirect_beneficiaries", "total_reach", "participants",
            "direct_achievement", "reports")


# --------------------------------------------------------------------------------------------- the filter

@dataclass(frozen=True)
class Filter:
    """Which reports a metric covers. Hashable (tuples only), so pages can cache results by it.

    regions     region codes (``KZ-75``…); ``NOT_STATED`` for reports without a region. A report is
                selected when any of its regions is chosen; its figures are weighted by its share there.
    directions  direction codes (``'1'``, ``'13-1'``…); ``NOT_STATED`` for none.
    year_from, year_to  inclusive bounds on ``reports.year``; reports of unknown year are then left out.
    ngos        ``reports.ngo_key`` values; ``NOT_STATED`` for reports without a grantee.
    text        case-insensitive substring of grantee, project title or contract number.
    exclude_errors  leave out reports that have a finding of severity ``error``.
    report_ids  only these reports (empty = no restriction).
    """

    regions: tuple[str, ...] = ()
    directions: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    ngos: tuple[str, ...] = ()
    text: str | None = None
    exclude_errors: bool = False
    report_ids: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name in ("regions", "directions", "ngos", "report_ids"):
            value = getattr(self, name)
            if isinstance(value, str):
                value = (value,)
            object.__setattr__(self, name, tuple(str(v) for v in (value or ())))
        for name in ("year_from", "year_to"):
            value = getattr(self, name)
            object.__setattr__(self, name, int(value) if value not in (None, "") else None)
        object.__setattr__(self, "text", (self.text or "").strip() or None)
        object.__setattr__(self, "exclude_errors", bool(self.exclude_errors))

    def with_(self, **changes: Any) -> "Filter":
        """A copy with some fields changed (``flt.with_(regions=('KZ-75',))``)."""
        return replace(self, **changes)

    def is_empty(self) -> bool:
        return self == Filter()

    def to_query_params(self) -> dict[str, str]:
        """The filter as URL query parameters: lists comma-joined, defaults left out.

        ``{'region': 'KZ-75,KZ-79', 'year_from': '2022', 'text': 'жастар', 'errors': 'exclude'}``
        """
        out: dict[str, str] = {}
        for key, name in _PARAM_LISTS:
            values = getattr(self, name)
            if values:
                out[key] = ",".join(values)
        if self.year_from is not None:
            out["year_from"] = str(self.year_from)
        if self.year_to is not None:
            out["year_to"] = str(self.year_to)
        if self.text:
            out["text"] = self.text
        if self.exclude_errors:
            out["errors"] = "exclude"
        return out

    @classmethod
    def from_query_params(cls, params: Mapping[str, Any]) -> "Filter":
        """The filter a URL describes (inverse of :meth:`to_query_params`); unknown keys and bad years ignored.

        A value may be a string (comma-separated for lists) or a list of strings.
        """
        kwargs: dict[str, Any] = {}
        for key, name in _PARAM_LISTS:
            raw = params.get(key)
            if raw is None:
                continue
            items = [raw] if isinstance(raw, str) else list(raw)
            kwargs[name] = tuple(v.strip() for item in items for v in str(item).split(",") if v.strip())
        for key in ("year_from", "year_to"):
            raw = params.get(key)
            if isinstance(raw, (list, tuple)):
                raw = raw[-1] if raw else None
            try:
                kwargs[key] = int(str(raw).strip()) if raw not in (None, "") else None
            except ValueError:
                pass
        text = params.get("text")
        if isinstance(text, (list, tuple)):
            text = text[-1] if text else None
        kwargs["text"] = text
        errors = params.get("errors")
        if isinstance(errors, (list, tuple)):
            errors = errors[-1] if errors else None
        kwargs["exclude_errors"] = errors == "exclude"
        return cls(**kwargs)


_PARAM_LISTS = (("region", "regions"), ("direction", "directions"), ("ngo", "ngos"), ("report", "report_ids"))


# ------------------------------------------------------------------------------------------ SQL building

def _by_tuple(by: str | Sequence[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    keys = (by,) if isinstance(by, str) else tuple(by)
    for key in keys:
        if key not in GROUPS:
            raise ValueError(f"unknown grouping {key!r}: use one of {', '.join(GROUPS)}")
    if len(set(keys)) != len(keys):
        raise ValueError(f"grouping {keys!r} repeats a column")
    return keys


def _member(column: str, values: tuple[str, ...], params: list) -> str:
    """`column` is one of `values` (NOT_STATED matching NULL), with the list bound as a parameter."""
    codes = [v for v in values if v != NOT_STATED]
    parts = []
    if codes:
        parts.append(f"list_contains(?::VARCHAR[], {column})")
        params.append(codes)
    if NOT_STATED in values:
        parts.append(f"{column} IS NULL")
    return "(" + " OR ".join(parts) + ")"


SEARCH_SEPARATOR = "\x1f"
"""Joins the lowered grantee, title and contract number in ``gs_cache.facts.search_text``."""


def _text_condition(text: str) -> tuple[str, list]:
    """Grantee, title or contract number contains ``text`` (lowered): the report is in the text's match table
    (searching 100 000 texts costs more than the rest of most queries; every metric of a page reads the same
    text filter, so its matches are kept with the cache)."""
    return f"r.rk IN (SELECT rk FROM gs_cache.{_text_match_table(text)})", []


TEXT_MATCH_TABLES = 32
"""How many texts' match tables are kept (the oldest is dropped at the next build)."""


def _text_match_table(text: str) -> str:
    """The name of the cache table of the reports matching ``text`` (registered on first use): one scan of
    ``search_text`` (a match cannot span the separator unless the text holds it; then the three fields are
    searched one by one)."""
    name = "match_" + hashlib.sha1(text.encode()).hexdigest()[:16]
    if name not in CACHE_TABLES:
        if SEARCH_SEPARATOR not in text:
            table = CacheTable("SELECT rk FROM gs_cache.facts WHERE contains(search_text, ?)", ("facts",), (text,))
        else:
            fields = ("grantee", "title", "contract_no")
            table = CacheTable("SELECT rk FROM gs_cache.facts WHERE "
                               + " OR ".join(f"contains(lower(coalesce({f}, '')), ?)" for f in fields),
                               ("facts",), (text,) * 3)
        with _BUILD_LOCK:
            CACHE_TABLES[name] = table
            older = [n for n in CACHE_TABLES if n.startswith("match_")][:-TEXT_MATCH_TABLES]
            for old in older:
                del CACHE_TABLES[old]
                _FORGOTTEN.add(old)
    return name


def _base_ctes(flt: Filter, split_regions: bool) -> tuple[list[str], list]:
    """CTEs ``sel`` (the filtered reports) and ``base`` (sel with ``region`` and ``weight``).

    ``base`` holds one row per report, or per (report, region) when ``split_regions``; ``weight`` is the
    report's share in that region (split), the sum of its shares in the chosen regions (region filter),
    or 1.
    """
    conds = _conditions(flt)
    where = [c for c, _, _ in conds]
    params: list = [p for _, ps, _ in conds for p in ps]
    ctes = ["sel AS (SELECT r.* FROM gs_cache.facts r" + (" WHERE " + " AND ".join(where) if where else "") + ")"]
    if not split_regions and not flt.regions:
        ctes.append("base AS (SELECT s.*, NULL::VARCHAR AS region, 1.0::DOUBLE AS weight FROM sel s)")
        return ctes, params
    if split_regions:
        # gs_cache.split: gs_cache.facts (without text) already joined to the region shares (region, weight),
        # filtered the same way: on its own columns, or by the selected reports' row keys (text, report ids)
        split_where = [c for c, _, on_split in conds if on_split]
        params.extend(p for _, ps, on_split in conds if on_split for p in ps)
        if any(not on_split for _, _, on_split in conds):
            split_where.append("r.rk IN (SELECT rk FROM sel)")
        if flt.regions:
            split_where.append(_member("r.region", flt.regions, params))
        ctes.append("base AS (SELECT r.* FROM gs_cache.split r" + (" WHERE " + " AND ".join(split_where) if split_where else "") + ")")
        return ctes, params
    # the reports' shares in the chosen regions (not joined to sel: a CTE read twice is materialized whole)
    ctes.append("wt AS (SELECT rk, NULL::VARCHAR AS region, sum(share) AS weight FROM gs_cache.regions rr"
                f" WHERE {_member('rr.region', flt.regions, params)} GROUP BY rk)")
    ctes.append("base AS (SELECT s.*, wt.region, wt.weight FROM sel s JOIN wt ON wt.rk = s.rk)")
    return ctes, params


def _conditions(flt: Filter) -> list[tuple[str, list, bool]]:
    """The filter (all but regions) as conditions on a report row ``r`` of gs_cache.facts (or of a table
    carrying its columns): (condition, its parameters, whether gs_cache.split rows carry its columns)."""
    conds: list[tuple[str, list, bool]] = []
    if flt.year_from is not None:
        conds.append(("r.year >= ?", [flt.year_from], True))
    if flt.year_to is not None:
        conds.append(("r.year <= ?", [flt.year_to], True))
    if flt.directions:
        member: list = []
        conds.append((_member("r.direction", flt.directions, member), member, True))
    if flt.ngos:
        member = []
        conds.append((_member("r.ngo_key", flt.ngos, member), member, True))
    if flt.text:
        conds.append(_text_condition(flt.text.lower()) + (True,))
    if flt.exclude_errors:
        conds.append(("NOT r.has_error", [], True))
    if flt.report_ids:
        conds.append(("list_contains(?::VARCHAR[], r.report_id)", [list(flt.report_ids)], False))
    return conds


def _group_select(keys: tuple[str, ...]) -> tuple[str, str, str]:
    """(select list, GROUP BY clause, ORDER BY clause) for the grouping keys."""
    if not keys:
        return "", "", ""
    select = ", ".join(f"{GROUPS[k]} AS {k}" for k in keys) + ", "
    group = " GROUP BY " + ", ".join(GROUPS[k] for k in keys)
    order = " ORDER BY " + ", ".join(f"{k} NULLS LAST" for k in keys)
    return select, group, order


_NGO_NAMES = "names AS (SELECT ngo_key, ngo_name FROM gs_cache.ngo_names)"  # a name per NGO, whatever the filter


def _with_ngo_name(keys: tuple[str, ...], ctes: list[str], inner: str, order: str) -> str:
    """Wrap a grouped query so by-ngo results carry ``ngo_name`` right after ``ngo``."""
    if "ngo" not in keys:
        return "WITH " + ", ".join(ctes) + " " + inner + order
    ctes = ctes + [_NGO_NAMES, f"agg AS ({inner})"]
    return ("WITH " + ", ".join(ctes) + " SELECT agg.* EXCLUDE (ngo), agg.ngo, names.ngo_name"
            " FROM agg LEFT JOIN names ON names.ngo_key = agg.ngo" + order)


def _reorder(df: pd.DataFrame, keys: tuple[str, ...], columns: list[str]) -> pd.DataFrame:
    front = list(keys) + (["ngo_name"] if "ngo" in keys else [])
    return df[front + [c for c in columns if c not in front]]


def _df(con, sql: str, params: list, via_arrow: bool = False) -> pd.DataFrame:
    """Run a metric query over the ``gs_cache`` tables (brought up to date first, see refresh_cache).

    ``via_arrow`` fetches through Arrow (much faster for 100,000 rows of text) and gives the DataFrame
    DuckDB's ``.df()`` would: for queries whose columns are text, integers, booleans and doubles only.
    """
    if via_arrow:
        return _arrow_to_df(_query_arrow(con, sql, params))
    refresh_cache(con, set(_CACHE_NAME.findall(sql)))
    return con.execute(sql, params).df()


def _query_arrow(con, sql: str, params: list):
    """Run a metric query over the ``gs_cache`` tables (brought up to date first); the result as an Arrow table."""
    refresh_cache(con, set(_CACHE_NAME.findall(sql)))
    return con.sql(sql, params=params).to_arrow_table()


_NULLABLE = {pa.int8(): pd.Int8Dtype(), pa.int16(): pd.Int16Dtype(), pa.int32(): pd.Int32Dtype(),
             pa.int64(): pd.Int64Dtype(), pa.bool_(): pd.BooleanDtype()}


def _arrow_to_df(table) -> pd.DataFrame:
    """The DataFrame DuckDB's ``.df()`` gives for these columns: text as pandas strings (object of None when
    the column is all NULL), integers and booleans with NULLs as pandas' nullable types, doubles as float64."""
    out = {}
    for name, col in zip(table.column_names, table.columns):
        t = col.type
        if pa.types.is_string(t) or pa.types.is_large_string(t):
            out[name] = pd.Series([None] * len(col), dtype=object) if col.null_count == len(col) else col.to_pandas()
        elif t in _NULLABLE:
            out[name] = (pa.table({"c": col}).to_pandas(types_mapper=_NULLABLE.get)["c"] if col.null_count
                         else col.to_pandas())
        elif pa.types.is_floating(t):
            out[name] = col.to_pandas()
        else:
            raise TypeError(f"_arrow_to_df: no .df() equivalent for {name} of type {t}")
    return pd.DataFrame(out)


# ------------------------------------------------------------------------------ per-report facts cache
#
# Every total starts from the same per-report figures (direct/indirect beneficiaries, gender sums, whether
# every plan was met, findings). Working them out scans the indicator and participant tables (millions of
# rows at archive size), so they are computed once per state of the database, in DuckDB, into the tables of
# a database attached as ``gs_cache`` (compressed at checkpoint, so it holds far less than the same
# rows as Arrow or pandas, and is scanned natively). Rows are joined on an integer row key ``rk`` (numbered
# in report_id order, so ``ORDER BY rk`` is ``ORDER BY report_id``):
#   gs_cache.facts    one row per report: rk, report_id, ngo_key, year, direction, grant_amount,
#               participants_total, direct_fact, direct_plan, indirect_fact, all_met, male, female, people,
#               has_error, has_warning, cost, grantee, title, contract_no, file_name, regions (codes
#               comma-joined), errors, warnings (finding counts), list_order (report_list's order),
#               search_text (grantee, title and contract number lowered, joined by SEARCH_SEPARATOR),
#               has_category (gives a category row with people), ngo_no (an integer per ngo_key; NULL for NULL)
#   gs_cache.regions  one row per (report, region): shares normalised to sum to 1 per report (equal shares
#               when none are stated); a report without rows gets (NULL, 1).
#   gs_cache.split    facts (without display text) joined to regions (columns region, weight): the rows of a
#               by-region grouping
#   gs_cache.ind      the indicator rows giving plan or fact (rk, indicator_no, plan, fact, qualifiers, *_b)
#   gs_cache.indicators  indicator_no -> indicator
#   gs_cache.part_<dimension>  per (rk, bucket_no) over participant rows giving people: people,
#               derived_people (of them, derived from percent), derived (any row derived); gs_cache.buckets
#               names bucket_no
#   gs_cache.ngo_names  per ngo_key the grantee text most often used for it (by='ngo' results' ngo_name)
#   gs_cache.achievement_<hash>  one indicator's per-report rows in report_achievement's order (see below)
#   gs_cache.match_<hash>  the reports a text filter matches (the latest TEXT_MATCH_TABLES texts)
#   gs_cache.state      per table, the fingerprint of the database state it was built from
# Each table is built when a query first reads it (a page needs only some). The fingerprint (this module's code,
# file, row counts, the sum of the reports' load times (a restored or reloaded report changes it), a hash of
# the findings) is read on every call; anything that loads, replaces, restores or re-checks reports changes it, and the next query
# rebuilds the tables it reads in one transaction (readers keep seeing the previous tables until it commits).
# Code that edits child tables in place must call clear_cache(). The cache belongs to the DuckDB instance:
# every cursor of the dashboard's connection shares it; another database file has its own. It is kept in a
# file beside the database (cache_path), so a restarted dashboard does not build it again.

CACHE_DB = "gs_cache"

_FACTS_SQL = """
WITH ind AS (
    SELECT report_id,
        max(fact) FILTER (WHERE indicator = 'direct_beneficiaries') AS direct_fact,
        max(plan) FILTER (WHERE indicator = 'direct_beneficiaries') AS direct_plan,
        max(fact) FILTER (WHERE indicator = 'indirect_beneficiaries') AS indirect_fact,
        bool_and(fact >= plan) FILTER (WHERE plan IS NOT NULL AND fact IS NOT NULL) AS all_met
    FROM indicators
    WHERE indicator IN ('direct_beneficiaries', 'indirect_beneficiaries') OR (plan IS NOT NULL AND fact IS NOT NULL)
    GROUP BY report_id),
gen AS (
    SELECT report_id, sum(people) FILTER (WHERE bucket = 'male') AS male,
        sum(people) FILTER (WHERE bucket = 'female') AS female, sum(people) AS gender_total
    FROM participants WHERE dimension = 'gender' GROUP BY report_id),
fnd AS (  -- findings staff accepted as right (grantstats.review) leave the counts
    SELECT report_id, bool_or(severity = 'error') AS has_error, bool_or(severity = 'warning') AS has_warning,
        count(*) FILTER (WHERE severity = 'error') AS errors, count(*) FILTER (WHERE severity = 'warning') AS warnings
    FROM findings f WHERE NOT """ + ACCEPTED_FINDING_SQL.format(f="f") + """ GROUP BY report_id),
ord AS (  -- the orderings on narrow rows (a window over the wide rows costs far more)
    SELECT report_id, (row_number() OVER (ORDER BY report_id))::INTEGER AS rk,
        (row_number() OVER (ORDER BY year DESC NULLS LAST, grantee, report_id))::INTEGER AS list_order,
        CASE WHEN ngo_key IS NOT NULL THEN (dense_rank() OVER (ORDER BY ngo_key))::INTEGER END AS ngo_no
    FROM reports),
cat AS (
    SELECT DISTINCT report_id FROM participants WHERE dimension = 'category' AND people IS NOT NULL),
reg_count AS (
    SELECT report_id, count(*) AS n, min(region) AS only_region
    FROM report_regions WHERE region IS NOT NULL GROUP BY report_id),
reg_list AS (  -- an ordered aggregate is slow: only for the few reports with several regions
    SELECT report_id, string_agg(region, ',' ORDER BY share DESC NULLS LAST, region) AS regions
    FROM report_regions WHERE region IS NOT NULL AND report_id IN (SELECT report_id FROM reg_count WHERE n > 1)
    GROUP BY report_id),
reg AS (
    SELECT c.report_id, CASE WHEN c.n = 1 THEN c.only_region ELSE l.regions END AS regions
    FROM reg_count c LEFT JOIN reg_list l ON l.report_id = c.report_id)
SELECT o.rk, r.report_id, r.ngo_key, r.year, r.direction, r.grant_amount, r.participants_total,
    ind.direct_fact, ind.direct_plan, ind.indirect_fact, ind.all_met, gen.male, gen.female,
    coalesce(r.participants_total, gen.gender_total) AS people,
    coalesce(fnd.has_error, false) AS has_error, coalesce(fnd.has_warning, false) AS has_warning,
    CASE WHEN r.grant_amount IS NOT NULL AND ind.direct_fact > 0 THEN r.grant_amount / ind.direct_fact END AS cost,
    r.grantee, r.title, r.contract_no, r.file_name, reg.regions,
    coalesce(fnd.errors, 0) AS errors, coalesce(fnd.warnings, 0) AS warnings,
    o.list_order,
    lower(coalesce(r.grantee, '')) || chr(31) || lower(coalesce(r.title, '')) || chr(31)
        || lower(coalesce(r.contract_no, '')) AS search_text,
    cat.report_id IS NOT NULL AS has_category,
    o.ngo_no
FROM reports r
JOIN ord o ON o.report_id = r.report_id
LEFT JOIN ind ON ind.report_id = r.report_id
LEFT JOIN gen ON gen.report_id = r.report_id
LEFT JOIN fnd ON fnd.report_id = r.report_id
LEFT JOIN reg ON reg.report_id = r.report_id
LEFT JOIN cat ON cat.report_id = r.report_id
"""

_REGIONS_SQL = """
WITH merged AS (
    SELECT report_id, region, sum(coalesce(share, 0)) AS share FROM report_regions GROUP BY report_id, region),
norm AS (
    SELECT report_id, region,
        CASE WHEN sum(share) OVER (PARTITION BY report_id) > 0 THEN share / sum(share) OVER (PARTITION BY report_id)
             ELSE 1.0 / count(*) OVER (PARTITION BY report_id) END AS share
    FROM merged)
SELECT f.rk, n.region, coalesce(n.share, 1.0) AS share
FROM gs_cache.facts f LEFT JOIN norm n ON n.report_id = f.report_id
"""

# indicator rows of the cached reports, keyed by the integer row key (one row per stored row)
# (rows giving neither plan nor fact are left out: no metric reads them); the *_b columns are NULL unless the
# row gives both plan and fact, so plan_vs_fact sums and counts them without FILTER clauses
# indicator_no numbers every indicator code of the indicator table (gs_cache.indicators names them)
_INDICATORS_SQL = """
SELECT indicator, (row_number() OVER (ORDER BY indicator))::INTEGER AS indicator_no
FROM (SELECT DISTINCT indicator FROM indicators)
"""
_IND_SQL = f"""
SELECT f.rk, k.indicator_no,
    i.plan, i.fact, i.plan_qualifier, i.fact_qualifier,
    CASE WHEN both_ THEN i.plan END AS plan_b, CASE WHEN both_ THEN i.fact END AS fact_b,
    CASE WHEN both_ THEN i.fact - i.plan END AS gap_b,
    CASE WHEN both_ AND i.fact >= i.plan THEN true END AS met_b,
    CASE WHEN both_ AND i.plan_qualifier IS NOT NULL THEN true END AS plan_q_b,
    CASE WHEN both_ AND i.fact_qualifier IS NOT NULL THEN true END AS fact_q_b,
    CASE WHEN i.fact IS NOT NULL AND i.plan IS NULL THEN true END AS fact_only
FROM (SELECT *, plan IS NOT NULL AND fact IS NOT NULL AS both_ FROM indicators
      WHERE plan IS NOT NULL OR fact IS NOT NULL) i
JOIN gs_cache.facts f ON f.report_id = i.report_id
JOIN ({_INDICATORS_SQL}) k ON k.indicator IS NOT DISTINCT FROM i.indicator
"""

# participant figures per (report, bucket) of one dimension (the parameter) over the rows giving people;
# bucket_no numbers every bucket of the participant table (gs_cache.buckets names them)
_BUCKETS_SQL = """
SELECT bucket, (row_number() OVER (ORDER BY bucket))::INTEGER AS bucket_no FROM (SELECT DISTINCT bucket FROM participants)
"""
_PART_SQL = f"""
SELECT f.rk, k.bucket_no, sum(p.people) AS people,
    sum(p.people) FILTER (WHERE coalesce(p.derived, false)) AS derived_people,
    bool_or(coalesce(p.derived, false)) AS derived
FROM participants p JOIN gs_cache.facts f ON f.report_id = p.report_id
JOIN ({_BUCKETS_SQL}) k ON k.bucket IS NOT DISTINCT FROM p.bucket
WHERE p.dimension = ? AND p.people IS NOT NULL
GROUP BY f.rk, k.bucket_no
"""


@dataclass(frozen=True)
class CacheTable:
    """One table of gs_cache: the query building it (with its parameters) and the cache tables it reads."""

    sql: str
    needs: tuple[str, ...] = ()
    params: tuple = ()


CACHE_TABLES: dict[str, CacheTable] = {
    "facts": CacheTable(_FACTS_SQL),
    "regions": CacheTable(_REGIONS_SQL, ("facts",)),
    "ind": CacheTable(_IND_SQL, ("facts",)),
    "indicators": CacheTable(_INDICATORS_SQL),
    # (without the display-only text: by-region queries aggregate and filter, they list no report)
    "split": CacheTable("SELECT f.* EXCLUDE (grantee, title, contract_no, file_name, regions, list_order, search_text),"
                        " g.region, g.share AS weight FROM gs_cache.facts f JOIN gs_cache.regions g ON g.rk = f.rk",
                        ("facts", "regions")),
    "buckets": CacheTable(_BUCKETS_SQL),
    # one table per dimension, buckets as integer codes: a breakdown scans, joins and groups only its own rows
    **{f"part_{dim}": CacheTable(_PART_SQL, ("facts",), (dim,)) for dim in DIMENSIONS},
    "ngo_names": CacheTable("SELECT ngo_key, first(grantee ORDER BY n DESC, grantee) AS ngo_name FROM ("
                            " SELECT ngo_key, grantee, count(*) AS n FROM gs_cache.facts"
                            " WHERE ngo_key IS NOT NULL AND grantee IS NOT NULL GROUP BY ngo_key, grantee)"
                            " GROUP BY ngo_key", ("facts",)),
}
"""The cache tables, each built when a query first reads it after the database changed (a page needs only some)."""

# one indicator's rows giving plan or fact (the indicator code is the parameter), with the report columns the
# filter and the per-report lists read, numbered (pos) in report_achievement's order: those lists then read
# one table, with no join and no sort of wide rows
_ACHIEVEMENT_SQL = """
SELECT (row_number() OVER (ORDER BY i.fact / nullif(i.plan, 0) NULLS LAST, f.rk))::INTEGER AS pos,
    f.rk, f.report_id, f.grantee, f.ngo_key, f.year, f.direction, f.grant_amount, f.has_error,
    i.plan, i.fact, i.fact / nullif(i.plan, 0) AS achievement, i.fact - i.plan AS gap,
    CASE WHEN i.plan IS NOT NULL AND i.fact IS NOT NULL THEN i.fact >= i.plan END AS met,
    (i.plan_qualifier IS NOT NULL OR i.fact_qualifier IS NOT NULL) AS approx, i.plan_qualifier, i.fact_qualifier
FROM gs_cache.ind i JOIN gs_cache.facts f ON f.rk = i.rk
WHERE i.indicator_no = (SELECT indicator_no FROM gs_cache.indicators WHERE indicator = ?)
ORDER BY pos
"""


def _achievement_table(indicator: str) -> str:
    """The name of the cache table of ``indicator``'s per-report rows (registered on first use)."""
    name = "achievement_" + hashlib.sha1(indicator.encode()).hexdigest()[:16]
    CACHE_TABLES.setdefault(name, CacheTable(_ACHIEVEMENT_SQL, ("facts", "ind", "indicators"), (indicator,)))
    return name

_FINGERPRINT_PARTS = [
    "SELECT list(path ORDER BY path)::VARCHAR FROM duckdb_databases() WHERE database_name = current_database()",
    "SELECT count(*)::VARCHAR FROM reports", "SELECT sum(epoch_us(loaded_at))::VARCHAR FROM reports",
    "SELECT count(*)::VARCHAR FROM findings", "SELECT sum(hash(report_id, severity, rule))::VARCHAR FROM findings",
    "SELECT count(*)::VARCHAR FROM indicators", "SELECT count(*)::VARCHAR FROM participants",
    "SELECT count(*)::VARCHAR FROM report_regions",
    "SELECT count(*)::VARCHAR || '/' || coalesce(sum(hash(finding_key, status, comment, reviewer, reviewed_at)), 0)::VARCHAR"
    " FROM finding_reviews",
    "SELECT count(*)::VARCHAR || '/' || coalesce(sum(epoch_us(loaded_at)), 0)::VARCHAR FROM contracts",
]
# one row per part (a UNION is planned far better than a row of scalar subqueries), then the state of every
# cache table ('name=fingerprint;…'; a catalog error when gs_cache is not attached yet)
_FINGERPRINT_SQL = (" UNION ALL ".join(f"SELECT {i} AS k, ({q}) AS v" for i, q in enumerate(_FINGERPRINT_PARTS))
                    + f" UNION ALL SELECT {len(_FINGERPRINT_PARTS)} AS k,"
                    f" (SELECT string_agg(name || '=' || fingerprint, ';') FROM {CACHE_DB}.state) AS v ORDER BY k")

_BUILD_LOCK = threading.Lock()
_FORGOTTEN: set[str] = set()  # cache tables no longer registered: dropped at the next build
_GENERATION = [0]  # raised by clear_cache(): part of the fingerprint, so every cache table is rebuilt
TABLES_BUILT = [0]  # cache tables this process has built (how often the cache was not current)
# this module's code in the fingerprint: tables kept on disk by an earlier version are built again
_CODE_STAMP = hashlib.sha1(Path(__file__).read_bytes()).hexdigest()[:12]
_CACHE_NAME = re.compile(rf"\b{CACHE_DB}\.(\w+)")


def refresh_cache(con, names: Iterable[str] = tuple(CACHE_TABLES)) -> None:
    """Make the ``gs_cache`` tables ``names`` of ``con``'s database instance match the database's current
    state: any built from an earlier state is rebuilt (with the tables it reads) in one transaction."""
    try:
        rows = con.execute(_FINGERPRINT_SQL).fetchall()
    except duckdb.CatalogException:
        _attach_cache(con)
        rows = con.execute(_FINGERPRINT_SQL).fetchall()
    fingerprint = "|".join([_CODE_STAMP, str(_GENERATION[0])] + [str(v) for _, v in rows[:-1]])
    if not _stale(names, _built(rows[-1][1]), fingerprint):
        return
    with _BUILD_LOCK:
        built = _built(con.execute(_FINGERPRINT_SQL).fetchall()[-1][1])  # another session may have built them
        order = _stale(names, built, fingerprint)
        if not order:
            return
        try:
            con.execute("BEGIN TRANSACTION")
        except duckdb.TransactionException:
            raise RuntimeError("metrics: the report tables changed inside an open transaction; "
                               "compute figures after it commits") from None
        try:
            for name in sorted(_FORGOTTEN):
                con.execute(f"DROP TABLE IF EXISTS {CACHE_DB}.{name}")
                con.execute(f"DELETE FROM {CACHE_DB}.state WHERE name = ?", [name])
            for name in order:
                table = CACHE_TABLES[name]
                con.execute(f"CREATE OR REPLACE TABLE {CACHE_DB}.{name} AS {table.sql}", list(table.params))
                TABLES_BUILT[0] += 1
                con.execute(f"DELETE FROM {CACHE_DB}.state WHERE name = ?", [name])
                con.execute(f"INSERT INTO {CACHE_DB}.state VALUES (?, ?)", [name, fingerprint])
            con.execute("COMMIT")
            _FORGOTTEN.clear()
        except BaseException:
            con.execute("ROLLBACK")
            raise
        try:  # compress (and, on disk, write) the new tables now: until a checkpoint they are held uncompressed
            con.execute(f"CHECKPOINT {CACHE_DB}")
        except duckdb.Error:  # another transaction is writing: they are compressed at a later checkpoint
            pass


def _built(state: str | None) -> dict[str, str]:
    """The state column of the fingerprint query as {table: fingerprint it was built from}."""
    return dict(item.split("=", 1) for item in state.split(";")) if state else {}


def _stale(names: Iterable[str], built: dict[str, str], fingerprint: str) -> list[str]:
    """The tables to rebuild so that ``names`` are current, in build order (what a table reads comes first)."""
    order: list[str] = []

    def visit(name: str, needed: bool) -> None:
        if name in order:
            return
        stale = built.get(name) != fingerprint
        for dep in CACHE_TABLES[name].needs:
            visit(dep, stale and needed)  # a dependency matters only when this table is rebuilt
        if stale and needed:
            order.append(name)

    for name in names:
        visit(name, True)
    return order


def cache_file(db: str | Path) -> Path:
    """The file beside a database that keeps its cache (grants.duckdb -> grants.cache.duckdb)."""
    return Path(db).with_suffix(".cache.duckdb")


def discard_cache_file(db: str | Path) -> None:
    """Delete a database's cache file (and its WAL): for whoever replaces the database wholesale."""
    cache = cache_file(db)
    for path in (cache, Path(f"{cache}.wal")):
        path.unlink(missing_ok=True)


def cache_path(con) -> Path | None:
    """Where the cache of ``con``'s database is kept (``cache_file``); None for an in-memory database."""
    path = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()[0]
    if not path or path == ":memory:":
        return None
    return cache_file(path)


def _attach_cache(con) -> None:
    """Attach the cache database to ``con``'s instance, read-write even when the reports database is open
    read-only: the file beside the database, so that a restarted dashboard finds the tables of an unchanged
    database built (their fingerprints say so); in memory (COMPRESS: tables compressed as they are committed)
    when that file cannot be used (another dashboard holds it, a read-only folder, another DuckDB version)."""
    with _BUILD_LOCK:
        path = cache_path(con)
        if path is not None:
            quoted = str(path).replace("'", "''")
            try:
                con.execute(f"ATTACH IF NOT EXISTS '{quoted}' AS {CACHE_DB} (READ_WRITE)")
            except duckdb.Error:
                path = None
        if path is None:
            con.execute(f"ATTACH IF NOT EXISTS ':memory:' AS {CACHE_DB} (READ_WRITE, COMPRESS)")
        con.execute(f"CREATE TABLE IF NOT EXISTS {CACHE_DB}.state (name VARCHAR, fingerprint VARCHAR)")


def clear_cache() -> None:
    """Rebuild the cached per-report tables on the next call (after editing report tables other than through
    store.save_files)."""
    with _BUILD_LOCK:
        _GENERATION[0] += 1


_PER_REPORT = ["rep AS (SELECT * FROM base)"]  # the per-report figures come with gs_cache.facts

def _totals_select(grouped: str) -> str:
    """A grouped SELECT over _TOTALS_AGG with its quartile list (one sort per group instead of three) as the
    cost_median, cost_q1 and cost_q3 columns."""
    return ("SELECT * EXCLUDE (cost_quartiles), cost_quartiles[1] AS cost_median, cost_quartiles[2] AS cost_q1,"
            f" cost_quartiles[3] AS cost_q3 FROM ({grouped})")


_NGOS_AGG = "count(DISTINCT b.ngo_no) AS ngos"
_ONE_NGO_AGG = "(count(b.ngo_no) > 0)::BIGINT AS ngos"  # grouped by NGO: 1, or 0 for the reports without one
_TOTALS_AGG = f"""
    count(*) AS reports,
    sum(b.weight) AS report_weight,
    {_NGOS_AGG},
    sum(b.grant_amount * b.weight) AS grant_amount,
    count(b.grant_amount) AS reports_with_amount,
    sum(b.direct_fact * b.weight) AS direct_beneficiaries,
    sum(b.indirect_fact * b.weight) AS indirect_beneficiaries,
    CASE WHEN count(b.direct_fact) + count(b.indirect_fact) > 0
         THEN coalesce(sum(b.direct_fact * b.weight), 0) + coalesce(sum(b.indirect_fact * b.weight), 0) END AS total_reach,
    sum(b.people * b.weight) AS participants,
    sum(b.male * b.weight) AS male,
    sum(b.female * b.weight) AS female,
    sum(b.direct_plan * b.weight) FILTER (WHERE b.direct_fact IS NOT NULL) AS direct_plan,
    sum(b.direct_fact * b.weight) FILTER (WHERE b.direct_plan IS NOT NULL) AS direct_fact_with_plan,
    count(*) FILTER (WHERE b.direct_plan IS NOT NULL AND b.direct_fact IS NOT NULL) AS direct_plan_reports,
    sum(b.direct_fact * b.weight) FILTER (WHERE b.direct_plan IS NOT NULL)
      / nullif(sum(b.direct_plan * b.weight) FILTER (WHERE b.direct_fact IS NOT NULL), 0) AS direct_achievement,
    sum((b.direct_fact - b.direct_plan) * b.weight) AS direct_gap,
    sum(b.grant_amount * b.weight) FILTER (WHERE b.cost IS NOT NULL)
      / nullif(sum(b.direct_fact * b.weight) FILTER (WHERE b.cost IS NOT NULL), 0) AS cost_per_beneficiary,
    quantile_cont(b.cost, [0.5, 0.25, 0.75]) AS cost_quartiles,
    count(b.cost) AS cost_reports,
    avg(CASE WHEN b.all_met THEN 1.0 ELSE 0.0 END) FILTER (WHERE b.all_met IS NOT NULL) AS plans_met_share,
    count(*) FILTER (WHERE b.has_error) AS reports_with_errors,
    count(*) FILTER (WHERE b.has_warning) AS reports_with_warnings
"""


# ---------------------------------------------------------------------------------------------- totals

def totals(con, flt: Filter = Filter(), by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """The main figures, one row per group (one row in all without ``by``).

    Columns: the group columns (see module doc), then
    reports               distinct reports in the group (integer)
    report_weight         Σ region weights (= reports unless split by region or region-filtered)
    ngos                  distinct NGOs (ngo_key; reports without a grantee not counted)
    grant_amount          Σ grant amount (whole grant in its start year), weighted
    reports_with_amount   reports that state an amount
    direct_beneficiaries  Σ direct beneficiaries, fact
    indirect_beneficiaries Σ indirect beneficiaries, fact
    total_reach           direct + indirect
    participants          Σ participants (the report's stated total, else the sum of its gender table)
    male, female          Σ the gender table
    direct_plan           Σ direct beneficiaries plan, over reports giving plan and fact
    direct_fact_with_plan Σ direct beneficiaries fact, over the same reports
    direct_plan_reports   how many such reports
    direct_achievement    direct_fact_with_plan / direct_plan
    direct_gap            direct_fact_with_plan − direct_plan
    cost_per_beneficiary  Σ amount / Σ direct fact over reports giving both (fact > 0)
    cost_median, cost_q1, cost_q3  quartiles of the per-report cost (each report once per group)
    cost_reports          reports in the cost figures
    plans_met_share       share of reports (with ≥1 indicator giving plan and fact) whose every fact ≥ plan
    reports_with_errors, reports_with_warnings  reports with a finding of that severity
    Money and people are multiplied by the region weight (see module doc).
    """
    keys = _by_tuple(by)
    sql, params = _totals_sql(flt, keys)
    return _reorder(_df(con, sql, params), keys, TOTALS_COLUMNS)


def _totals_sql(flt: Filter, keys: tuple[str, ...], ordered: bool = True) -> tuple[str, list]:
    ctes, params = _base_ctes(flt, "region" in keys)
    ctes = ctes + _PER_REPORT
    select, group, order = _group_select(keys)
    aggregates = _TOTALS_AGG.replace(_NGOS_AGG, _ONE_NGO_AGG) if "ngo" in keys else _TOTALS_AGG  # no distinct pass
    inner = _totals_select(f"SELECT {select}{aggregates} FROM rep b{group}")
    return _with_ngo_name(keys, ctes, inner, order if ordered else ""), params


def headline(con, flt: Filter = Filter()) -> pd.DataFrame:
    """One row: the :func:`totals` columns for the whole selection (reports, ngos, grant_amount,
    direct_beneficiaries, indirect_beneficiaries, total_reach, participants, direct_plan,
    direct_achievement, cost_per_beneficiary, reports_with_errors, reports_with_warnings, …)."""
    return totals(con, flt, None)


def summary(con, flt: Filter = Filter(), by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """The CLI summary table: the group column(s) (and ``ngo_name``), then :data:`SUMMARY_COLUMNS`."""
    df = totals(con, flt, by)
    keys = _by_tuple(by)
    front = list(keys) + (["ngo_name"] if "ngo" in keys else [])
    return df[front + SUMMARY_COLUMNS]


YOY_COLUMNS = ("reports", "grant_amount", "direct_beneficiaries", "indirect_beneficiaries", "total_reach",
               "participants", "cost_per_beneficiary", "direct_achievement")


def year_over_year(con, flt: Filter = Filter()) -> pd.DataFrame:
    """:func:`totals` by year (known years only, ascending) with, for each column ``c`` in
    :data:`YOY_COLUMNS`, ``c_prev`` (the value of the year before, NULL when that year has no reports)
    and ``c_change`` (relative change, c / c_prev − 1; NULL when c_prev is NULL or 0)."""
    keys = ("year",)
    ctes, params = _base_ctes(flt, False)
    ctes = ctes + _PER_REPORT
    inner = _totals_select(f"SELECT b.year AS year, {_TOTALS_AGG} FROM rep b WHERE b.year IS NOT NULL GROUP BY b.year")
    extra = ", ".join(f"p.{c} AS {c}_prev, t.{c} / nullif(p.{c}, 0) - 1 AS {c}_change" for c in YOY_COLUMNS)
    sql = ("WITH " + ", ".join(ctes + [f"t AS ({inner})"]) +
           f" SELECT t.*, {extra} FROM t LEFT JOIN t p ON p.year = t.year - 1 ORDER BY t.year")
    df = _df(con, sql, params)
    cols = TOTALS_COLUMNS + [f"{c}_{s}" for c in YOY_COLUMNS for s in ("prev", "change")]
    return _reorder(df, keys, cols)


def amount_by_year(con, flt: Filter = Filter(), by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Grant money per calendar year: a multi-year grant's per-year amounts where the report gives them
    (``report_amounts``), else its whole amount in its start year.

    Reports are selected by the Filter as everywhere (a year filter looks at the start year), so the
    rows may include later years of selected grants; Σamount equals ``totals().grant_amount`` when every
    multi-year report's per-year amounts add up to its grant amount.
    Columns: ``year``, the other group columns of ``by`` (``'year'`` is implied), ``amount`` (weighted),
    ``reports`` (distinct reports paying in that year).
    """
    keys = tuple(k for k in _by_tuple(by) if k != "year")
    ctes, params = _base_ctes(flt, "region" in keys)
    ctes = ctes + [
        "amt AS (SELECT report_id, year, amount FROM report_amounts"
        " WHERE report_id IN (SELECT report_id FROM sel) AND amount IS NOT NULL)",
        "spread AS (SELECT b.*, amt.year AS pay_year, amt.amount AS pay_amount FROM base b JOIN amt ON amt.report_id = b.report_id"
        " UNION ALL BY NAME SELECT b.*, b.year AS pay_year, b.grant_amount AS pay_amount FROM base b"
        " WHERE b.grant_amount IS NOT NULL AND b.report_id NOT IN (SELECT report_id FROM amt))",
    ]
    select = "".join(f"{GROUPS[k]} AS {k}, " for k in keys)
    group = "".join(f", {GROUPS[k]}" for k in keys)
    inner = (f"SELECT b.pay_year AS year, {select}sum(b.pay_amount * b.weight) AS amount,"
             f" count(DISTINCT b.report_id) AS reports FROM spread b GROUP BY b.pay_year{group}")
    order = " ORDER BY " + ", ".join(f"{k} NULLS LAST" for k in ("year",) + keys)
    df = _df(con, _with_ngo_name(keys, ctes, inner, order), params)
    return _reorder(df, ("year",) + keys, ["amount", "reports"])


# ------------------------------------------------------------------------------------- plan versus fact

PLAN_FACT_COLUMNS = ["indicator", "reports_with_plan", "reports_with_fact", "reports", "missing_plan", "plan",
                     "fact", "achievement", "gap", "met_reports", "met_share", "approx_share"]


def plan_vs_fact(con, flt: Filter = Filter(), by: str | Sequence[str] | None = None,
                 indicators: Iterable[str] | None = None) -> pd.DataFrame:
    """Plan versus fact for every indicator (one row per indicator, per group with ``by``).

    Columns: group columns, then
    indicator          indicator code
    reports_with_plan  reports giving a plan; reports_with_fact: giving a fact
    reports            reports giving both (the counted ones)
    missing_plan       reports giving a fact but no plan
    plan, fact         Σplan, Σfact over the counted reports (weighted)
    achievement        fact / plan (NULL when plan is 0)
    gap                fact − plan
    met_reports        counted reports with fact ≥ plan; met_share = met_reports / reports
    approx_share       share of the counted values (plan and fact, 2 per report) that carry a qualifier
    """
    keys = _by_tuple(by)
    ctes, params = _base_ctes(flt, "region" in keys)
    ind_where = ""
    if indicators is not None:
        ind_where = " WHERE i.indicator_no IN (SELECT indicator_no FROM gs_cache.indicators WHERE list_contains(?::VARCHAR[], indicator))"
        params.append(list(indicators))
    select, group, order = _group_select(keys)
    group_cols = "".join(f", {GROUPS[k]}" for k in keys)
    # gs_cache.ind holds only rows giving plan or fact; *_b columns are NULL unless the row gives both
    agg = (
        f"SELECT {select}i.indicator_no,"
        " count(i.plan) AS reports_with_plan, count(i.fact) AS reports_with_fact,"
        " count(i.plan_b) AS reports, count(i.fact_only) AS missing_plan,"
        " sum(i.plan_b * b.weight) AS plan, sum(i.fact_b * b.weight) AS fact,"
        " sum(i.gap_b * b.weight) AS gap, count(i.met_b) AS met_reports, count(i.plan_q_b) AS plan_q, count(i.fact_q_b) AS fact_q"
        f" FROM base b JOIN gs_cache.ind i ON i.rk = b.rk{ind_where}"
        f" GROUP BY i.indicator_no{group_cols}"
    )
    inner = (
        f"SELECT {''.join(f'a.{k}, ' for k in keys)}n.indicator AS indicator,"
        " a.reports_with_plan, a.reports_with_fact, a.reports, a.missing_plan, a.plan, a.fact,"
        " a.fact / nullif(a.plan, 0) AS achievement, a.gap, a.met_reports,"
        " a.met_reports::DOUBLE / nullif(a.reports, 0) AS met_share,"
        " (a.plan_q + a.fact_q)::DOUBLE / nullif(2 * a.reports, 0) AS approx_share"
        f" FROM ({agg}) a JOIN gs_cache.indicators n ON n.indicator_no = a.indicator_no"
    )
    order = " ORDER BY " + ", ".join([f"{k} NULLS LAST" for k in keys] + ["indicator"])
    df = _df(con, _with_ngo_name(keys, ctes, inner, order), params)
    df = _reorder(df, keys, PLAN_FACT_COLUMNS)
    return _catalog_order(df, "indicator", "indicator", list(keys))


REPORT_ACHIEVEMENT_COLUMNS = ["report_id", "grantee", "ngo_key", "year", "direction", "grant_amount", "weight",
                              "plan", "fact", "achievement", "gap", "met", "approx", "plan_qualifier",
                              "fact_qualifier"]


def report_achievement(con, flt: Filter = Filter(), indicator: str = "direct_beneficiaries") -> pd.DataFrame:
    """Per report fact / plan of one indicator, for selected reports giving a plan or a fact for it.

    Columns: report_id, grantee, ngo_key, year, direction, grant_amount, weight (region weight under a
    region filter, else 1; the figures themselves are the report's own, unweighted), plan, fact,
    achievement (fact / plan; NULL unless both and plan > 0), gap (fact − plan), met (fact ≥ plan; NULL
    unless both), approx (plan or fact has a qualifier), plan_qualifier, fact_qualifier.
    Ordered by achievement (lowest first, missing last), then report_id.
    """
    table, where, params, weight = _achievement_rows(flt, indicator)
    sql = (f"SELECT r.pos, r.report_id, r.grantee, r.ngo_key, r.year, r.direction, r.grant_amount, {weight} AS weight,"
           " r.plan, r.fact, r.achievement, r.gap, r.met, r.approx, r.plan_qualifier, r.fact_qualifier"
           f" FROM {table}{where}")
    # the rows come in pos order from the scan; sorted here only when they do not (a cheap check)
    table = _query_arrow(con, sql, params)
    pos = table["pos"].to_numpy()
    if len(pos) > 1 and not (pos[1:] > pos[:-1]).all():
        table = table.take(pc.sort_indices(table["pos"]))
    return _arrow_to_df(table.drop_columns(["pos"]))[REPORT_ACHIEVEMENT_COLUMNS]


def achievement_values(con, flt: Filter = Filter(), indicator: str = "direct_beneficiaries") -> pd.DataFrame:
    """One column, ``achievement`` (fact / plan of one indicator), for each selected report giving both (plan
    not 0), in report_achievement's order: what a distribution chart needs, without 100 000 rows of text."""
    table, where, params, _ = _achievement_rows(flt, indicator)
    sql = (f"SELECT r.achievement FROM {table}{where + ' AND ' if where else ' WHERE '}r.achievement IS NOT NULL"
           " ORDER BY r.pos")
    return _df(con, sql, params)


def _achievement_rows(flt: Filter, indicator: str) -> tuple[str, str, list, str]:
    """(FROM clause, WHERE clause, parameters, weight expression) for ``indicator``'s per-report rows ``r`` of
    the selected reports: under a region filter, those with a region among the chosen, weighted by the sum of
    their shares there (as in _base_ctes); else weight 1."""
    table = f"gs_cache.{_achievement_table(indicator)} r"
    params: list = []
    weight = "1.0::DOUBLE"
    if flt.regions:
        table += (" JOIN (SELECT rk, sum(share) AS weight FROM gs_cache.regions rr"
                  f" WHERE {_member('rr.region', flt.regions, params)} GROUP BY rk) wt ON wt.rk = r.rk")
        weight = "wt.weight"
    conds = _conditions(flt)
    params.extend(p for _, ps, _ in conds for p in ps)
    where = " AND ".join(c for c, _, _ in conds)
    return table, (" WHERE " + where if where else ""), params, weight


def largest_shortfalls(con, flt: Filter = Filter(), indicator: str = "direct_beneficiaries", limit: int = 10,
                       by: str = "report", order: str = "shortfall") -> pd.DataFrame:
    """The reports (``by='report'``) or NGOs (``by='ngo'``) furthest below plan for one indicator.

    Only reports giving plan and fact with fact < plan count. ``order='shortfall'`` ranks by the
    absolute shortfall (plan − fact, largest first); ``order='achievement'`` by fact / plan (lowest
    first). Figures are the reports' own (not region-weighted).
    Columns, by='report': report_id, grantee, ngo_key, year, direction, plan, fact, shortfall,
    achievement, approx.  by='ngo': ngo, ngo_name, reports (reports below plan), plan, fact,
    shortfall, achievement (Σfact / Σplan over those reports).
    """
    if by not in ("report", "ngo"):
        raise ValueError("by must be 'report' or 'ngo'")
    if order not in ("shortfall", "achievement"):
        raise ValueError("order must be 'shortfall' or 'achievement'")
    table, where, params, _ = _achievement_rows(flt, indicator)  # (weight unused: figures are the reports' own)
    below_plan = "r.plan IS NOT NULL AND r.fact IS NOT NULL AND r.fact < r.plan"
    ctes = [f"short AS (SELECT r.rk, r.report_id, r.grantee, r.ngo_key, r.year, r.direction, r.plan, r.fact, r.approx"
            f" FROM {table}{where + ' AND ' if where else ' WHERE '}{below_plan})"]
    order_sql = "shortfall DESC" if order == "shortfall" else "achievement ASC NULLS LAST"
    params.append(int(limit))
    if by == "report":
        sql = ("WITH " + ", ".join(ctes) +
               " SELECT s.report_id, s.grantee, s.ngo_key, s.year, s.direction, s.plan, s.fact,"
               " s.plan - s.fact AS shortfall, s.fact / nullif(s.plan, 0) AS achievement, s.approx"
               f" FROM short s ORDER BY {order_sql}, s.rk LIMIT ?")
        return _df(con, sql, params)
    sql = ("WITH " + ", ".join(ctes + [_NGO_NAMES]) +
           " SELECT s.ngo_key AS ngo, names.ngo_name, count(*) AS reports, sum(s.plan) AS plan, sum(s.fact) AS fact,"
           " sum(s.plan) - sum(s.fact) AS shortfall, sum(s.fact) / nullif(sum(s.plan), 0) AS achievement"
           " FROM short s LEFT JOIN names ON names.ngo_key = s.ngo_key GROUP BY s.ngo_key, names.ngo_name"
           f" ORDER BY {order_sql}, ngo NULLS LAST LIMIT ?")
    return _df(con, sql, params)


# -------------------------------------------------------------------------------------------- breakdowns

BREAKDOWN_COLUMNS = ["bucket", "people", "share", "derived_people", "derived_share", "reports", "derived_reports"]


def breakdown(con, flt: Filter = Filter(), dimension: str = "gender",
              by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """People per bucket of a participant table (``dimension`` gender, age or category), summed over reports.

    Columns: group columns, then
    bucket          bucket code (male/female; 13-16…59+; children, youth…)
    people          Σ people (weighted); percent tables are already turned into people by the reader
    share           gender and age: people / Σ people of all buckets in the group (sums to 1);
                    category (categories overlap): people / Σ participants of the reports giving a
                    category table (participants = stated total, else the gender-table sum)
    derived_people  the part of ``people`` derived from percent; derived_share = derived_people / people
    reports         reports giving the bucket; derived_reports: of them, given in percent
    """
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension must be one of {', '.join(DIMENSIONS)}")
    keys = _by_tuple(by)
    ctes, params = _base_ctes(flt, "region" in keys)
    group_cols = "".join(f", {GROUPS[k]}" for k in keys)
    select = "".join(f"{GROUPS[k]} AS {k}, " for k in keys)
    part = [k for k in keys]
    ctes = ctes + [
        # gs_cache.part_<dimension> holds one row per (report, bucket), and base at most one per (report, group):
        # counting rows counts distinct reports
        # (the table name comes from the DIMENSIONS whitelist checked above)
        f"p AS (SELECT rk, bucket_no, people, derived_people, derived FROM gs_cache.part_{dimension})",
        f"agg1 AS (SELECT {select}p.bucket_no AS bucket_no, sum(p.people * b.weight) AS people,"
        " sum(p.derived_people * b.weight) AS derived_people,"
        " count(*) AS reports, count(*) FILTER (WHERE p.derived) AS derived_reports"
        f" FROM base b JOIN p ON p.rk = b.rk GROUP BY p.bucket_no{group_cols})",
        f"agg0 AS (SELECT {''.join(f'a.{k}, ' for k in keys)}n.bucket, a.people, a.derived_people, a.reports,"
        " a.derived_reports FROM agg1 a JOIN gs_cache.buckets n ON n.bucket_no = a.bucket_no)",
    ]
    on = " AND ".join(f"d.{k} IS NOT DISTINCT FROM a.{k}" for k in part) or "true"
    if dimension == "category":
        # b.people is the stated total, else the gender-table sum
        ctes += [
            f"den AS (SELECT {select}sum(b.people * b.weight) AS denom"
            " FROM base b WHERE b.has_category" + (f" GROUP BY {group_cols[2:]}" if keys else "") + ")",
        ]
    else:
        ctes.append(f"den AS (SELECT {''.join(f'{k}, ' for k in part)}sum(people) AS denom FROM agg0"
                    + (f" GROUP BY {', '.join(part)}" if part else "") + ")")
    inner = (f"SELECT a.*, a.people / nullif(d.denom, 0) AS share, a.derived_people / nullif(a.people, 0) AS derived_share"
             f" FROM agg0 a LEFT JOIN den d ON {on}")
    if "ngo" in keys:
        ctes = ctes + [_NGO_NAMES]
        sql = ("WITH " + ", ".join(ctes) + f", agg AS ({inner}) SELECT agg.*, names.ngo_name FROM agg"
               " LEFT JOIN names ON names.ngo_key = agg.ngo")
    else:
        sql = "WITH " + ", ".join(ctes) + " " + inner
    sql += " ORDER BY " + ", ".join([f"{k} NULLS LAST" for k in keys] + ["bucket"])
    df = _df(con, sql, params)
    df = _reorder(df, keys, BREAKDOWN_COLUMNS)
    return _catalog_order(df, "bucket", dimension, list(keys))


def _catalog_order(df: pd.DataFrame, column: str, kind: str, keys: list[str]) -> pd.DataFrame:
    """Rows in the catalog's order of codes (unknown codes after, alphabetically), keeping group order."""
    try:
        from grantstats import catalog
        order = {code: i for i, code in enumerate(catalog.codes(kind))}
    except Exception:  # the catalog is optional here: fall back to the SQL order
        return df.reset_index(drop=True)
    if df.empty or not order:
        return df.reset_index(drop=True)
    rank = df[column].map(lambda c: order.get(c, len(order)))
    tmp = df.assign(_rank=rank.to_numpy(), _pos=range(len(df)))
    sort = [*keys, "_rank", column] if keys else ["_rank", column]
    tmp = tmp.sort_values(sort, kind="stable", na_position="last")
    return tmp.drop(columns=["_rank", "_pos"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- cost

COST_COLUMNS = ["reports", "grant_amount", "direct_beneficiaries", "cost_per_beneficiary", "cost_median",
                "cost_q1", "cost_q3", "cost_min", "cost_max"]


def cost_per_beneficiary(con, flt: Filter = Filter(), by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Grant amount per direct beneficiary, over the reports giving both (direct fact > 0).

    Columns: group columns, then reports (reports counted), grant_amount and direct_beneficiaries (their
    weighted sums over those reports), cost_per_beneficiary (= grant_amount / direct_beneficiaries),
    cost_median, cost_q1, cost_q3, cost_min, cost_max (of the per-report cost, each report once per
    group, unweighted: one outlier does not move the median).
    """
    keys = _by_tuple(by)
    ctes, params = _base_ctes(flt, "region" in keys)
    ctes = ctes + [
        "c AS (SELECT rk, fact FROM gs_cache.ind WHERE indicator_no = (SELECT indicator_no FROM gs_cache.indicators WHERE indicator = 'direct_beneficiaries') AND fact > 0)"]
    select, group, order = _group_select(keys)
    inner = (f"SELECT {select}count(*) AS reports, sum(b.grant_amount * b.weight) AS grant_amount,"
             " sum(c.fact * b.weight) AS direct_beneficiaries,"
             " sum(b.grant_amount * b.weight) / nullif(sum(c.fact * b.weight), 0) AS cost_per_beneficiary,"
             " quantile_cont(b.grant_amount / c.fact, 0.5) AS cost_median,"
             " quantile_cont(b.grant_amount / c.fact, 0.25) AS cost_q1,"
             " quantile_cont(b.grant_amount / c.fact, 0.75) AS cost_q3,"
             " min(b.grant_amount / c.fact) AS cost_min, max(b.grant_amount / c.fact) AS cost_max"
             f" FROM base b JOIN c ON c.rk = b.rk WHERE b.grant_amount IS NOT NULL{group}")
    df = _df(con, _with_ngo_name(keys, ctes, inner, order), params)
    return _reorder(df, keys, COST_COLUMNS)


# -------------------------------------------------------------------------------------- NGO comparison

NGO_COMPARISON_COLUMNS = ["ngo", "ngo_name", "reports", "grant_amount", "direct_beneficiaries",
                          "indirect_beneficiaries", "total_reach", "participants", "direct_plan",
                          "direct_achievement", "cost_per_beneficiary", "cost_median", "rank", "ngos_in_region"]


def ngo_comparison(con, flt: Filter = Filter(), region: str | None = None,
                   rank_by: str = "direct_beneficiaries") -> pd.DataFrame:
    """Each NGO working in a region, side by side, with its rank among the region's NGOs.

    ``region`` is a region code, ``NOT_STATED``/None for reports without a region; it replaces
    ``flt.regions``. Figures are weighted by the reports' shares in the region (as in a by-region
    chart). Columns: :data:`NGO_COMPARISON_COLUMNS` — ``rank`` is 1 for the largest ``rank_by`` value
    (one of :data:`RANKABLE`; ties share a rank, NULLs last), ``ngos_in_region`` the number of NGOs
    compared. Ordered by rank.
    """
    if rank_by not in RANKABLE:
        raise ValueError(f"rank_by must be one of {', '.join(RANKABLE)}")
    flt = flt.with_(regions=(region or NOT_STATED,))
    sql, params = _totals_sql(flt, ("ngo",), ordered=False)
    cols = ", ".join(c for c in NGO_COMPARISON_COLUMNS if c not in ("rank", "ngos_in_region"))
    sql = (f"WITH t AS ({sql}) SELECT {cols}, rank() OVER (ORDER BY {rank_by} DESC NULLS LAST) AS rank,"
           " count(*) OVER () AS ngos_in_region FROM t ORDER BY rank, ngo NULLS LAST")
    return _df(con, sql, params)[NGO_COMPARISON_COLUMNS]


# --------------------------------------------------------------------------- reports and findings (dashboard)

REPORT_LIST_COLUMNS = ["report_id", "grantee", "ngo_key", "title", "contract_no", "year", "direction", "regions",
                       "grant_amount", "direct_plan", "direct_fact", "errors", "warnings", "file_name"]


def report_list(con, flt: Filter = Filter(), limit: int | None = None) -> pd.DataFrame:
    """The selected reports, one row each, newest year first: :data:`REPORT_LIST_COLUMNS`.

    ``regions`` is the report's region codes comma-joined (largest share first; NULL when none stated);
    figures are the report's own (not region-weighted); errors / warnings count its findings.
    """
    ctes, params = _base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT r.report_id, r.grantee, r.ngo_key, r.title, r.contract_no, r.year, r.direction, r.regions,"
           " r.grant_amount, r.direct_plan, r.direct_fact, r.errors, r.warnings, r.file_name"
           " FROM base r"  # base: one row per selected report here (no region split)
           " ORDER BY r.list_order" + (" LIMIT ?" if limit else ""))  # year DESC NULLS LAST, grantee, report_id
    if limit:
        params.append(int(limit))
    return _df(con, sql, params, via_arrow=True)[REPORT_LIST_COLUMNS]


FINDINGS_COLUMNS = ["report_id", "grantee", "year", "rule", "severity", "message_ru", "message_en", "file_name",
                    "sheet", "cell"]


def findings_table(con, flt: Filter = Filter(), limit: int | None = None) -> pd.DataFrame:
    """Every finding of the selected reports with where it points (file, sheet, cell): :data:`FINDINGS_COLUMNS`.
    Errors first, then warnings, then other severities; then by report and rule."""
    ctes, params = _base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT f.report_id, r.grantee, r.year, f.rule, f.severity, f.message_ru, f.message_en, f.file_name,"
           " f.sheet, f.cell FROM findings f JOIN base r ON r.report_id = f.report_id"  # base: one row per report here
           " ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.report_id, f.rule, f.cell"
           + (" LIMIT ?" if limit else ""))
    if limit:
        params.append(int(limit))
    return _df(con, sql, params, via_arrow=True)[FINDINGS_COLUMNS]


def findings_by_rule(con, flt: Filter = Filter()) -> pd.DataFrame:
    """Findings of the selected reports counted per rule and severity.

    Columns: rule, severity, findings (how many), reports (distinct reports), message_ru, message_en (the
    most frequent message of the rule), title_ru, title_en, title_kk (the rule's name, quality.RULES). Ordered errors
    first, then by findings, largest first.
    """
    from grantstats.quality import rule_titles

    ctes, params = _base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT f.rule, f.severity, count(*) AS findings, count(DISTINCT f.report_id) AS reports,"
           " mode(f.message_ru) AS message_ru, mode(f.message_en) AS message_en"
           " FROM findings f WHERE f.report_id IN (SELECT report_id FROM base) GROUP BY f.rule, f.severity"
           " ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, findings DESC, f.rule")
    df = _df(con, sql, params)
    for lang in ("ru", "en", "kk"):
        df[f"title_{lang}"] = rule_titles(df["rule"], lang)
    return df


def reports_by_findings(con, flt: Filter = Filter(), limit: int = 20) -> pd.DataFrame:
    """The selected reports with the most errors (then warnings), only those with a finding.

    Columns: report_id, grantee, year, errors, warnings, findings (all severities), file_name.
    """
    ctes, params = _base_ctes(flt, False)
    params.append(int(limit))
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT f.report_id, r.grantee, r.year, count(*) FILTER (WHERE f.severity = 'error') AS errors,"
           " count(*) FILTER (WHERE f.severity = 'warning') AS warnings, count(*) AS findings, r.file_name"
           " FROM findings f JOIN base r ON r.report_id = f.report_id"  # base: one row per report here
           " GROUP BY f.report_id, r.grantee, r.year, r.file_name"
           " ORDER BY errors DESC, warnings DESC, findings DESC, f.report_id LIMIT ?")
    return _df(con, sql, params)


__all__ = [
    "report_list", "findings_table", "findings_by_rule", "reports_by_findings",
    "Filter", "NOT_STATED", "GROUPS", "DIMENSIONS", "totals", "headline", "summary", "year_over_year",
    "amount_by_year", "plan_vs_fact", "report_achievement", "achievement_values", "largest_shortfalls", "breakdown",
    "cost_per_beneficiary", "ngo_comparison", "TOTALS_COLUMNS", "SUMMARY_COLUMNS",
]
