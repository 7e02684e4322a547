"""Where the shortfall came from: an indicator's plan gap broken down region → direction → NGO → report.

Over the reports giving both plan and fact for the indicator (as ``metrics.plan_vs_fact``):
  shortfall  Σ max(plan − fact, 0)   what the reports below plan fell short by
  surplus    Σ max(fact − plan, 0)   what the reports above plan exceeded it by
  net        Σ (fact − plan) = surplus − shortfall
Over-achievers do not hide shortfalls: a region whose net is positive may still hold large shortfalls, so the
shortfall is the sum of the shortfalls alone, and the net is shown beside it.

Pareto: groups ranked by shortfall, largest first; ``cum_share`` the running share of the selection's whole
shortfall; ``in_share`` marks the groups it takes to reach a share (80 %) — the first ones, up to and including
the one that crosses it. Region figures are the reports' figures × their shares in the region (metrics' rule);
under a region filter every figure is weighted by the report's shares in the chosen regions. The filter's scope
(the person's regions) counts like a region filter: only the in-scope share of a report is there.
"""

from __future__ import annotations

import pandas as pd

from grantstats.metrics import Filter
from grantstats.metrics.plan_fact import _achievement_rows
from grantstats.metrics.query import NGO_NAMES, fetch_df, member, scoped_regions

LEVELS = ("region", "direction", "ngo", "report")
BREAKDOWN_COLUMNS = ["shortfall", "surplus", "net", "plan", "fact", "reports", "reports_short", "share", "cum_share",
                     "in_share"]
REPORT_KEYS = ["report_id", "grantee", "ngo_key", "year", "direction"]
SUMMARY_COLUMNS = ["shortfall", "surplus", "net", "plan", "fact", "reports", "reports_short", "reports_for_share",
                   "share_reached"]


def _rows(flt: Filter, indicator: str, by_region: bool) -> tuple[str, list]:
    """A CTE ``g``: one row per selected report giving plan and fact (per report and region with ``by_region``),
    with ``w`` its weight, ``short`` and ``over`` its weighted shortfall and surplus."""
    both = "r.plan IS NOT NULL AND r.fact IS NOT NULL"
    if by_region:  # one row per (report, region): the region filter keeps the chosen regions' rows
        regions = scoped_regions(flt)  # the chosen regions within the person's scope: the rows kept
        table, where, where_params, _ = _achievement_rows(flt.with_(regions=(), scope=None), indicator)
        params: list = []
        region_where = " AND " + member("g.region", regions, params) if regions else ""
        if regions == ():
            region_where = " AND false"
        params.extend(where_params)
        where = (where + " AND " if where else " WHERE ") + both
        source = (f"SELECT r.*, g.region, g.share AS w FROM {table} JOIN gs_cache.regions g ON g.rk = r.rk{region_where}"
                  f"{where}")
    else:
        table, where, params, weight = _achievement_rows(flt, indicator)
        where = (where + " AND " if where else " WHERE ") + both
        source = f"SELECT r.*, NULL::VARCHAR AS region, {weight} AS w FROM {table}{where}"
    return (f"g AS (SELECT *, greatest(plan - fact, 0) * w AS short, greatest(fact - plan, 0) * w AS over"
            f" FROM ({source}))"), params


def shortfall_breakdown(con, flt: Filter = Filter(), indicator: str = "direct_beneficiaries", by: str = "region",
                        share: float = 0.8, limit: int | None = None) -> pd.DataFrame:
    """The shortfall of ``indicator`` by ``by`` (one of :data:`LEVELS`), largest first.

    Columns: the group (``region`` / ``direction`` / ``ngo`` and ``ngo_name`` / :data:`REPORT_KEYS`), then
    :data:`BREAKDOWN_COLUMNS`: shortfall, surplus, net (weighted, see the module doc), plan and fact (Σ, weighted),
    reports (giving plan and fact), reports_short (below plan), share (of the selection's shortfall), cum_share,
    in_share (among the first groups making ``share`` of it). Groups without a shortfall come last (share 0).
    """
    if by not in LEVELS:
        raise ValueError(f"by must be one of {', '.join(LEVELS)}")
    cte, params = _rows(flt, indicator, by == "region")
    keys = {"region": ["g.region"], "direction": ["g.direction"], "ngo": ["g.ngo_key"],
            "report": [f"g.{k}" for k in REPORT_KEYS]}[by]
    names = {"region": ["region"], "direction": ["direction"], "ngo": ["ngo"], "report": REPORT_KEYS}[by]
    select = ", ".join(f"{k} AS {n}" for k, n in zip(keys, names))
    order_key = ", ".join(f"{n} NULLS LAST" for n in names)
    params.append(float(share))
    sql = ("WITH " + cte + ", " + NGO_NAMES +
           f", agg AS (SELECT {select}, sum(g.short) AS shortfall, sum(g.over) AS surplus,"
           " sum((g.fact - g.plan) * g.w) AS net, sum(g.plan * g.w) AS plan, sum(g.fact * g.w) AS fact,"
           " count(*) AS reports, count(*) FILTER (WHERE g.fact < g.plan) AS reports_short"  # a report once a group
           f" FROM g GROUP BY {', '.join(keys)}),"
           f" ranked AS (SELECT *, sum(shortfall) OVER (ORDER BY shortfall DESC, {order_key}"
           " ROWS UNBOUNDED PRECEDING) AS cum, sum(shortfall) OVER () AS total FROM agg)"
           " SELECT ranked.* EXCLUDE (cum, total), shortfall / nullif(total, 0) AS share, cum / nullif(total, 0) AS cum_share,"
           " shortfall > 0 AND cum - shortfall < ? * total AS in_share"
           + (", names.ngo_name" if by == "ngo" else "") +
           " FROM ranked" + (" LEFT JOIN names ON names.ngo_key = ranked.ngo" if by == "ngo" else "") +
           f" ORDER BY shortfall DESC, {order_key}" + (" LIMIT ?" if limit else ""))
    if limit:
        params.append(int(limit))
    df = fetch_df(con, sql, params)
    front = names[:1] + (["ngo_name"] if by == "ngo" else []) + names[1:]
    if by == "report":
        df["year"] = df["year"].astype("Int64")
    return df[front + BREAKDOWN_COLUMNS]


def shortfall_summary(con, flt: Filter = Filter(), indicator: str = "direct_beneficiaries",
                      share: float = 0.8) -> pd.DataFrame:
    """One row: :data:`SUMMARY_COLUMNS` — the selection's shortfall, surplus, net, plan, fact, reports (giving
    both), reports_short, and ``reports_for_share``: how few reports make ``share`` of the shortfall (largest
    first), whose shortfall is ``share_reached`` of it."""
    cte, params = _rows(flt, indicator, False)
    params.append(float(share))
    sql = ("WITH " + cte + ", ranked AS (SELECT short, sum(short) OVER (ORDER BY short DESC, rk ROWS UNBOUNDED PRECEDING)"
           " AS cum, sum(short) OVER () AS total FROM g WHERE short > 0),"
           " need AS (SELECT count(*) AS n, max(cum) AS reached FROM ranked, (SELECT ? AS s) x"
           " WHERE cum - short < x.s * total)"
           " SELECT sum(g.short) AS shortfall, sum(g.over) AS surplus, sum((g.fact - g.plan) * g.w) AS net,"
           " sum(g.plan * g.w) AS plan, sum(g.fact * g.w) AS fact, count(*) AS reports,"
           " count(*) FILTER (WHERE g.fact < g.plan) AS reports_short,"
           " (SELECT n FROM need) AS reports_for_share,"
           " (SELECT reached FROM need) / nullif(sum(g.short), 0) AS share_reached FROM g")
    return fetch_df(con, sql, params)[SUMMARY_COLUMNS]
