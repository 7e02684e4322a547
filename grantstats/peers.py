"""Peers for the pages: each report and NGO beside the median of the reports like it (see grantstats.outliers for
the figures, the peer groups and the outlier rule), read from a table of the metrics cache.

A person limited to some regions (``Filter.scope``) sees only their reports and NGOs listed, each beside the
medians of its peers over the whole archive: a report's yardstick is the same for every viewer (the stored
outlier findings rest on it), and a region alone rarely holds MIN_PEERS reports of one direction in one band.
A median of at least MIN_PEERS reports pins down no other report's figure; a smaller group's median (with its
ratio, deviation and rank) and the median of a region outside the scope are not shown to such a person."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from grantstats.metrics import Filter
from grantstats.metrics.cache import CACHE_TABLES, CacheTable
from grantstats.metrics.query import NGO_NAMES, base_ctes, fetch_df, named_ngos
from grantstats.outliers import METRICS, MIN_PEERS, _scored_ctes, _values_sql

if TYPE_CHECKING:  # (pandas loads where a figure is read: a load builds the cache tables without it)
    import pandas as pd

# ------------------------------------------------------------------------------------------- for the pages

_FACTS_PER_REPORT = ("(SELECT rk, direction, year, split_part(regions, ',', 1) AS region, grant_amount, direct_fact,"
                     " direct_plan, people FROM gs_cache.facts)")
_PEERS_SQL = ("WITH " + ", ".join(_scored_ctes(_values_sql(_FACTS_PER_REPORT, "rk"), "rk", with_region=True))
              + " SELECT *, CASE WHEN direction IS NOT NULL AND band IS NOT NULL THEN (rank() OVER"
              " (PARTITION BY metric, direction, band ORDER BY value))::INTEGER END AS rank FROM scored")
PEERS_TABLE = "peers_" + hashlib.sha1(_PEERS_SQL.encode()).hexdigest()[:10]
"""gs_cache table: one row per (report, figure) with its peers, median, z, flag and its region's median."""
CACHE_TABLES.setdefault(PEERS_TABLE, CacheTable(_PEERS_SQL, ("facts",)))
FLAGGED_TABLE = PEERS_TABLE.replace("peers_", "peer_outliers_")
"""gs_cache table: the rows of PEERS_TABLE flagged as outliers (a few hundred of 300 000)."""
CACHE_TABLES.setdefault(FLAGGED_TABLE, CacheTable(f"SELECT * FROM gs_cache.{PEERS_TABLE} WHERE flag IN ('info', 'warning')",
                                                  (PEERS_TABLE,)))

def _shown(scope: tuple[str, ...] | None, params: list, p: str = "p") -> dict[str, str]:
    """The select expressions of the peer figures a person of ``scope`` may see (see the module doc); the regions
    are bound (region_peers, then region_median) in that order of use."""
    names = ("median", "ratio", "z", "rank", "region_peers", "region_median")
    if scope is None:
        return {c: f"{p}.{c}" for c in names}
    shown = {c: f"CASE WHEN {p}.peers >= {MIN_PEERS} THEN {p}.{c} END" for c in names[:4]}
    for c in names[4:]:
        shown[c] = f"CASE WHEN list_contains(?::VARCHAR[], {p}.region) THEN {p}.{c} END"
        params.append(list(scope))
    return shown


REPORT_PEERS_COLUMNS = ["report_id", "grantee", "ngo_key", "year", "direction", "region", "metric", "value", "peers",
                        "median", "ratio", "z", "flag", "band", "region_peers", "region_median"]


def report_peers(con, flt: Filter = Filter(), metric: str | None = None, flagged_only: bool = False,
                 limit: int | None = None) -> pd.DataFrame:
    """The selected reports' figures beside their peers: :data:`REPORT_PEERS_COLUMNS`, one row per (report,
    figure), the farthest from its peers first.

    ``value`` the report's figure; ``peers``, ``median`` its direction-and-band group (the report included);
    ``ratio`` value / median; ``z`` (log10 value − log10 median) / deviation; ``flag`` 'warning', 'info',
    'few_peers' (fewer than MIN_PEERS) or NULL; ``band`` the band's first year; ``region`` the report's region
    (largest share) and ``region_peers``, ``region_median`` those of its region in the band, all directions.
    ``metric`` keeps one figure; ``flagged_only`` only the outliers.
    """
    if metric is not None and metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}")
    ctes, params = base_ctes(flt, False)
    shown = _shown(flt.scope, params)
    where = []
    if metric is not None:
        where.append("p.metric = ?")
        params.append(metric)
    table = FLAGGED_TABLE if flagged_only else PEERS_TABLE
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT b.report_id, b.grantee, b.ngo_key, b.year, b.direction, p.region, p.metric, p.value, p.peers,"
           f" {shown['median']} AS median, {shown['ratio']} AS ratio, {shown['z']} AS z, p.flag, p.band,"
           f" {shown['region_peers']} AS region_peers, {shown['region_median']} AS region_median"
           f" FROM base b JOIN gs_cache.{table} p ON p.rk = b.rk"
           + (" WHERE " + " AND ".join(where) if where else "") +
           " ORDER BY abs(p.z) DESC NULLS LAST, b.report_id, p.metric" + (" LIMIT ?" if limit else ""))
    if limit:
        params.append(int(limit))
    df = fetch_df(con, sql, params, via_arrow=True)
    for column in ("year", "band", "peers", "region_peers"):
        df[column] = df[column].astype("Int64")
    return df[REPORT_PEERS_COLUMNS]


POSITION_COLUMNS = ["metric", "value", "peers", "median", "ratio", "z", "flag", "direction", "band", "rank",
                    "region", "region_peers", "region_median"]


def report_position(con, report_id: str, scope: tuple[str, ...] | None = None) -> pd.DataFrame:
    """One report among its peers, one row per figure it gives (in METRICS order): :data:`POSITION_COLUMNS`;
    ``rank`` is its place in its peer group from the lowest value (1 = lowest; equal values share a place).
    ``scope``: the viewer's regions (what a scoped person is not shown: see the module doc; the caller has
    checked that the report itself is visible to them)."""
    params: list = [report_id]
    shown = _shown(scope, params, "me")
    sql = (f"WITH me AS (SELECT p.* FROM gs_cache.{PEERS_TABLE} p"
           " WHERE p.rk = (SELECT rk FROM gs_cache.facts WHERE report_id = ?))"
           f" SELECT me.metric, me.value, me.peers, {shown['median']} AS median, {shown['ratio']} AS ratio,"
           f" {shown['z']} AS z, me.flag, me.direction, me.band, {shown['rank']} AS rank, me.region,"
           f" {shown['region_peers']} AS region_peers, {shown['region_median']} AS region_median FROM me"
           " ORDER BY list_position(?::VARCHAR[], me.metric)")
    df = fetch_df(con, sql, params + [list(METRICS)])
    for column in ("band", "peers", "rank", "region_peers"):
        df[column] = df[column].astype("Int64")
    return df[POSITION_COLUMNS]


NGO_PEERS_COLUMNS = ["ngo", "ngo_name", "reports", "metric", "value", "peer_median", "ratio", "outliers"]


def ngo_peers(con, flt: Filter = Filter(), metric: str = "cost_per_beneficiary") -> pd.DataFrame:
    """Each selected NGO beside its peers on one figure: :data:`NGO_PEERS_COLUMNS`, one row per NGO giving it.

    ``value`` the median of the NGO's reports' values; ``peer_median`` the median of those reports' peer-group
    medians (each report against its own direction and band; for a scoped viewer, groups of MIN_PEERS or more);
    ``ratio`` value / peer_median; ``reports`` its selected reports giving the figure; ``outliers`` of them
    flagged. Ordered by how far the ratio is from 1.
    """
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}")
    ctes, params = base_ctes(flt, False)
    peer_median = _shown(flt.scope, [])["median"]  # (binds nothing)
    params.append(metric)
    sql = ("WITH " + ", ".join(ctes + [NGO_NAMES]) +  # grouped by the NGO's integer number, named after
           ", per AS (SELECT b.ngo_no AS ngo, count(*) AS reports, quantile_cont(p.value, 0.5) AS value,"
           f" quantile_cont({peer_median}, 0.5) AS peer_median,"
           " count(*) FILTER (WHERE p.flag IN ('info', 'warning')) AS outliers"
           f" FROM base b JOIN gs_cache.{PEERS_TABLE} p ON p.rk = b.rk WHERE p.metric = ? AND b.ngo_no IS NOT NULL"
           " GROUP BY b.ngo_no)"
           f" SELECT n.*, ? AS metric, n.value / nullif(n.peer_median, 0) AS ratio FROM ({named_ngos('per')}) n"
           " ORDER BY abs(ln(n.value / nullif(n.peer_median, 0))) DESC NULLS LAST, n.ngo")
    params.append(metric)
    return fetch_df(con, sql, params, via_arrow=True)[NGO_PEERS_COLUMNS]
