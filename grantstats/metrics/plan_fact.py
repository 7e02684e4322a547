"""Plan versus fact: every indicator's Σplan, Σfact, achievement and gap; one indicator's per-report
achievement, and the reports or NGOs furthest below plan."""

from __future__ import annotations

from typing import Iterable, Sequence

import pandas as pd
import pyarrow.compute as pc

import grantstats.metrics.cache as cache
from grantstats.metrics.filters import Filter
from grantstats.metrics.query import (
    GROUPS, NGO_NAMES, arrow_to_df, base_ctes, catalog_order, conditions, fetch_arrow, fetch_df, group_keys,
    group_select, member, order_by, region_conditions, reorder, with_ngo_name,
)


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
    keys = group_keys(by)
    ctes, params = base_ctes(flt, "region" in keys)
    ind_where = ""
    if indicators is not None:
        ind_where = " WHERE i.indicator_no IN (SELECT indicator_no FROM gs_cache.indicators WHERE list_contains(?::VARCHAR[], indicator))"
        params.append(list(indicators))
    select, group, order = group_select(keys)
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
    order = " ORDER BY " + ", ".join([order_by(k) for k in keys] + ["indicator"])
    df = fetch_df(con, with_ngo_name(keys, ctes, inner, order), params)
    df = reorder(df, keys, PLAN_FACT_COLUMNS)
    return catalog_order(df, "indicator", "indicator", list(keys))


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
    table = fetch_arrow(con, sql, params)
    pos = table["pos"].to_numpy()
    if len(pos) > 1 and not (pos[1:] > pos[:-1]).all():
        table = table.take(pc.sort_indices(table["pos"]))
    return arrow_to_df(table.drop_columns(["pos"]))[REPORT_ACHIEVEMENT_COLUMNS]


def achievement_values(con, flt: Filter = Filter(), indicator: str = "direct_beneficiaries") -> pd.DataFrame:
    """One column, ``achievement`` (fact / plan of one indicator), for each selected report giving both (plan
    not 0), in report_achievement's order: what a distribution chart needs, without 100 000 rows of text."""
    table, where, params, _ = _achievement_rows(flt, indicator)
    sql = (f"SELECT r.achievement FROM {table}{where + ' AND ' if where else ' WHERE '}r.achievement IS NOT NULL"
           " ORDER BY r.pos")
    return fetch_df(con, sql, params)


def _achievement_rows(flt: Filter, indicator: str) -> tuple[str, str, list, str]:
    """(FROM clause, WHERE clause, parameters, weight expression) for ``indicator``'s per-report rows ``r`` of
    the selected reports: under a region filter, those with a region among the chosen, weighted by the sum of
    their shares there (as in base_ctes); else weight 1."""
    table = f"gs_cache.{cache.achievement_table(indicator)} r"
    params: list = []
    weight = "1.0::DOUBLE"
    regions, conds = region_conditions(flt)
    if regions:
        table += (" JOIN (SELECT rk, sum(share) AS weight FROM gs_cache.regions rr"
                  f" WHERE {member('rr.region', regions, params)} GROUP BY rk) wt ON wt.rk = r.rk")
        weight = "wt.weight"
    conds = conds + conditions(flt)
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
        return fetch_df(con, sql, params)
    sql = ("WITH " + ", ".join(ctes + [NGO_NAMES]) +
           " SELECT s.ngo_key AS ngo, names.ngo_name, count(*) AS reports, sum(s.plan) AS plan, sum(s.fact) AS fact,"
           " sum(s.plan) - sum(s.fact) AS shortfall, sum(s.fact) / nullif(sum(s.plan), 0) AS achievement"
           " FROM short s LEFT JOIN names ON names.ngo_key = s.ngo_key GROUP BY s.ngo_key, names.ngo_name"
           f" ORDER BY {order_sql}, ngo NULLS LAST LIMIT ?")
    return fetch_df(con, sql, params)
