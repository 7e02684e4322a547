"""The main figures per group: reports, money, beneficiaries, participants, plan achievement, cost per
beneficiary, findings; the year-over-year change, money per calendar year, and NGOs side by side."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from grantstats.metrics.filters import NOT_STATED, Filter
from grantstats.metrics.query import (
    GROUPS, base_ctes, fetch_df, group_keys, group_select, order_by, reorder, with_ngo_name,
)

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
"""The columns :func:`ngo_comparison` may rank by."""

_PER_REPORT = ["rep AS (SELECT * FROM base)"]  # the per-report figures come with gs_cache.facts


def _totals_select(grouped: str) -> str:
    """A grouped SELECT over _TOTALS_AGG with its quartile list (one sort per group instead of three) as the
    cost_median, cost_q1 and cost_q3 columns."""
    return ("SELECT * EXCLUDE (cost_quartiles), cost_quartiles[1] AS cost_median, cost_quartiles[2] AS cost_q1,"
            f" cost_quartiles[3] AS cost_q3 FROM ({grouped})")


# distinct NGOs as the set bits of a bitmap over their integer numbers (its range from the column's statistics):
# count(DISTINCT) would make DuckDB scan the selected rows a second time, apart from every other aggregate
_NGOS_AGG = "coalesce(bit_count(bitstring_agg(b.ngo_no)), 0) AS ngos"
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
    keys = group_keys(by)
    sql, params = _totals_sql(flt, keys)
    return reorder(fetch_df(con, sql, params), keys, TOTALS_COLUMNS)


def _totals_sql(flt: Filter, keys: tuple[str, ...], ordered: bool = True) -> tuple[str, list]:
    ctes, params = base_ctes(flt, "region" in keys)
    ctes = ctes + _PER_REPORT
    select, group, order = group_select(keys)
    aggregates = _TOTALS_AGG.replace(_NGOS_AGG, _ONE_NGO_AGG) if "ngo" in keys else _TOTALS_AGG  # no distinct pass
    inner = _totals_select(f"SELECT {select}{aggregates} FROM rep b{group}")
    return with_ngo_name(keys, ctes, inner, order if ordered else ""), params


def headline(con, flt: Filter = Filter()) -> pd.DataFrame:
    """One row: the :func:`totals` columns for the whole selection (reports, ngos, grant_amount,
    direct_beneficiaries, indirect_beneficiaries, total_reach, participants, direct_plan,
    direct_achievement, cost_per_beneficiary, reports_with_errors, reports_with_warnings, …)."""
    return totals(con, flt, None)


def summary(con, flt: Filter = Filter(), by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """The CLI summary table: the group column(s) (and ``ngo_name``), then :data:`SUMMARY_COLUMNS`."""
    df = totals(con, flt, by)
    keys = group_keys(by)
    front = list(keys) + (["ngo_name"] if "ngo" in keys else [])
    return df[front + SUMMARY_COLUMNS]


YOY_COLUMNS = ("reports", "grant_amount", "direct_beneficiaries", "indirect_beneficiaries", "total_reach",
               "participants", "cost_per_beneficiary", "direct_achievement")


def year_over_year(con, flt: Filter = Filter()) -> pd.DataFrame:
    """:func:`totals` by year (known years only, ascending) with, for each column ``c`` in
    :data:`YOY_COLUMNS`, ``c_prev`` (the value of the year before, NULL when that year has no reports)
    and ``c_change`` (relative change, c / c_prev − 1; NULL when c_prev is NULL or 0)."""
    keys = ("year",)
    ctes, params = base_ctes(flt, False)
    ctes = ctes + _PER_REPORT
    inner = _totals_select(f"SELECT b.year AS year, {_TOTALS_AGG} FROM rep b WHERE b.year IS NOT NULL GROUP BY b.year")
    extra = ", ".join(f"p.{c} AS {c}_prev, t.{c} / nullif(p.{c}, 0) - 1 AS {c}_change" for c in YOY_COLUMNS)
    sql = ("WITH " + ", ".join(ctes + [f"t AS ({inner})"]) +
           f" SELECT t.*, {extra} FROM t LEFT JOIN t p ON p.year = t.year - 1 ORDER BY t.year")
    df = fetch_df(con, sql, params)
    cols = TOTALS_COLUMNS + [f"{c}_{s}" for c in YOY_COLUMNS for s in ("prev", "change")]
    return reorder(df, keys, cols)


def amount_by_year(con, flt: Filter = Filter(), by: str | Sequence[str] | None = None) -> pd.DataFrame:
    """Grant money per calendar year: a multi-year grant's per-year amounts where the report gives them
    (``report_amounts``), else its whole amount in its start year.

    Reports are selected by the Filter as everywhere (a year filter looks at the start year), so the
    rows may include later years of selected grants; Σamount equals ``totals().grant_amount`` when every
    multi-year report's per-year amounts add up to its grant amount.
    Columns: ``year``, the other group columns of ``by`` (``'year'`` is implied), ``amount`` (weighted),
    ``reports`` (distinct reports paying in that year).
    """
    keys = tuple(k for k in group_keys(by) if k != "year")
    ctes, params = base_ctes(flt, "region" in keys)
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
    order = " ORDER BY " + ", ".join(order_by(k) for k in ("year",) + keys)
    df = fetch_df(con, with_ngo_name(keys, ctes, inner, order), params)
    return reorder(df, ("year",) + keys, ["amount", "reports"])


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
    keys = group_keys(by)
    ctes, params = base_ctes(flt, "region" in keys)
    ctes = ctes + [
        "c AS (SELECT rk, fact FROM gs_cache.ind WHERE indicator_no = (SELECT indicator_no FROM gs_cache.indicators WHERE indicator = 'direct_beneficiaries') AND fact > 0)"]
    select, group, order = group_select(keys)
    inner = (f"SELECT {select}count(*) AS reports, sum(b.grant_amount * b.weight) AS grant_amount,"
             " sum(c.fact * b.weight) AS direct_beneficiaries,"
             " sum(b.grant_amount * b.weight) / nullif(sum(c.fact * b.weight), 0) AS cost_per_beneficiary,"
             " quantile_cont(b.grant_amount / c.fact, 0.5) AS cost_median,"
             " quantile_cont(b.grant_amount / c.fact, 0.25) AS cost_q1,"
             " quantile_cont(b.grant_amount / c.fact, 0.75) AS cost_q3,"
             " min(b.grant_amount / c.fact) AS cost_min, max(b.grant_amount / c.fact) AS cost_max"
             f" FROM base b JOIN c ON c.rk = b.rk WHERE b.grant_amount IS NOT NULL{group}")
    df = fetch_df(con, with_ngo_name(keys, ctes, inner, order), params)
    return reorder(df, keys, COST_COLUMNS)


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
    return fetch_df(con, sql, params)[NGO_COMPARISON_COLUMNS]
