"""Outliers among peers: each report's figures against the median of reports like it; the ``outlier`` findings.

Three figures per report, where it gives what they need:
  cost_per_beneficiary      grant amount / direct beneficiaries (fact)               (amount > 0, fact > 0)
  achievement               direct beneficiaries fact / plan                        (plan > 0, fact > 0)
  participants_per_million  participants / grant amount × 1 000 000 (people per 1 M ₸) (amount > 0, people > 0)

Peers: the reports of the same grant direction in the same band of years (``YEAR_BAND`` = 3 years: 2005–2007, …,
2023–2025), over the whole archive, whatever the page's filter (a report's position does not move when the page
narrows its view). Costs grow with the years and differ by direction far more than by anything else; three
years hold enough peers without mixing prices a decade apart.

Outliers: median ± 3 × MAD on a log scale. The three figures are ratios with long right tails (a cost 10× the
median is as far out as one a tenth of it); on the logarithm those tails are symmetric, and the median and the
median absolute deviation (MAD, × 1.4826 to read as a standard deviation) are not moved by the outliers they are
to find, as a mean and a standard deviation would be. Tukey's fences were the other choice; they work on the
quartiles of the raw values, flagging the long tail's ordinary members on one side and nothing on the other.
A deviation below ``SPREAD_FLOOR`` is raised to it, so that peers who all typed the same figure (every
achievement exactly 100 %) do not make every other figure an outlier: a value then needs to be at least twice or
at most half the median. |z| > 3 is an ``info`` finding, |z| > 5 a ``warning`` (rule ``outlier``). A group of
fewer than ``MIN_PEERS`` reports (the report itself included) flags nothing: the median and MAD of a handful of
values move with any one of them; the position is still shown, marked as resting on few peers.

The outlier findings are stored like any other (``refresh_outlier_findings``, run after each load and restore,
since a new report moves its peers' medians); ``grantstats.peers`` gives the pages the same figures from the
metrics cache. A load of many batches marks them stale in each batch (``mark_stale``) and recomputes them once
at its end (``refresh_if_stale``); a load killed before then leaves the mark, and the next publish recomputes
them, so no snapshot is published with outliers older than its reports. This module imports no pandas: ingest
runs it.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb

from grantstats.findings import messages as finding_messages

METRICS = ("cost_per_beneficiary", "achievement", "participants_per_million")
YEAR_BAND = 3
BAND_START = 2005  # the programme's first year (Law No. 36 of 12.04.2005)
MIN_PEERS = 8
Z_INFO = 3.0
Z_WARNING = 5.0
MAD_SCALE = 1.4826
SPREAD_FLOOR = math.log10(2) / 3  # 3 deviations are at least a factor of 2
RULE = "outlier"

BAND_SQL = f"({BAND_START} + {YEAR_BAND} * floor((year - {BAND_START}) / {YEAR_BAND}))::INTEGER"


def band_label(band: int | None) -> str:
    """'2023–2025' for the band starting in 2023."""
    return "—" if band is None else f"{band}–{band + YEAR_BAND - 1}"


def _values_sql(per_report: str, key: str) -> str:
    """The three figures of every report as rows (key, direction, band, region, metric, value), from a relation
    ``per_report`` with columns key, direction, year, region, grant_amount, direct_fact, direct_plan, people."""
    common = f"SELECT {key}, direction, {BAND_SQL} AS band, region"
    return (f"{common}, 'cost_per_beneficiary' AS metric, grant_amount / direct_fact AS value FROM {per_report}"
            " WHERE grant_amount > 0 AND direct_fact > 0"
            f" UNION ALL {common}, 'achievement', direct_fact / direct_plan FROM {per_report}"
            " WHERE direct_plan > 0 AND direct_fact > 0"
            f" UNION ALL {common}, 'participants_per_million', people / grant_amount * 1e6 FROM {per_report}"
            " WHERE grant_amount > 0 AND people > 0")


def _scored_ctes(values: str, key: str, with_region: bool = False) -> list[str]:
    """CTEs ending in ``scored``: each value with its peer group's size, median, deviation, z and flag; with
    ``with_region``, also the median of the reports of its region in the same band (all directions).

    The median is the median of the log values, turned back (``10^m``): the middle value for an odd number of
    peers, the geometric mean of the middle two for an even number (one sort per group instead of two)."""
    ctes = [
        f"pv AS ({values})",
        "pl AS (SELECT *, log10(value) AS lv FROM pv)",
        "grp AS (SELECT metric, direction, band, count(*) AS peers, quantile_cont(lv, 0.5) AS mlog"
        " FROM pl WHERE direction IS NOT NULL AND band IS NOT NULL GROUP BY metric, direction, band)",
        "dev AS (SELECT pl.metric, pl.direction, pl.band, quantile_cont(abs(pl.lv - g.mlog), 0.5) AS mad"
        " FROM pl JOIN grp g ON g.metric = pl.metric AND g.direction = pl.direction AND g.band = pl.band"
        " GROUP BY pl.metric, pl.direction, pl.band)",
        f"stats AS (SELECT g.*, pow(10, g.mlog) AS median, greatest({MAD_SCALE} * d.mad, {SPREAD_FLOOR!r}) AS spread"
        " FROM grp g JOIN dev d ON d.metric = g.metric AND d.direction = g.direction AND d.band = g.band)",
    ]
    region_cols, region_join = "", ""
    if with_region:
        ctes.append("reg AS (SELECT metric, region, band, count(*) AS region_peers,"
                    " pow(10, quantile_cont(lv, 0.5)) AS region_median"
                    " FROM pl WHERE region IS NOT NULL AND band IS NOT NULL GROUP BY metric, region, band)")
        region_cols = ", r.region_peers, r.region_median"
        region_join = " LEFT JOIN reg r ON r.metric = pl.metric AND r.region = pl.region AND r.band = pl.band"
    ctes.append(
        f"scored AS (SELECT pl.{key}, pl.metric, pl.value, pl.direction, pl.band, pl.region,"
        " coalesce(s.peers, 0) AS peers, s.median, s.spread, (pl.lv - s.mlog) / s.spread AS z,"
        f" CASE WHEN coalesce(s.peers, 0) < {MIN_PEERS} THEN 'few_peers'"
        f"      WHEN abs((pl.lv - s.mlog) / s.spread) > {Z_WARNING} THEN 'warning'"
        f"      WHEN abs((pl.lv - s.mlog) / s.spread) > {Z_INFO} THEN 'info' END AS flag,"
        f" pl.value / nullif(s.median, 0) AS ratio{region_cols}"
        " FROM pl LEFT JOIN stats s ON s.metric = pl.metric AND s.direction = pl.direction AND s.band = pl.band"
        f"{region_join})")
    return ctes


# ------------------------------------------------------------------------------------ the stored findings

_STORE_PER_REPORT = """
    r AS (SELECT r.report_id, r.direction, r.year, r.grant_amount, ind.direct_fact, ind.direct_plan,
                 coalesce(r.participants_total, gen.gender_total) AS people, reg.region
          FROM reports r
          LEFT JOIN (SELECT report_id, max(fact) AS direct_fact, max(plan) AS direct_plan FROM indicators
                     WHERE indicator = 'direct_beneficiaries' GROUP BY report_id) ind ON ind.report_id = r.report_id
          LEFT JOIN (SELECT report_id, sum(people) AS gender_total FROM participants WHERE dimension = 'gender'
                     GROUP BY report_id) gen ON gen.report_id = r.report_id
          LEFT JOIN (SELECT report_id, first(region ORDER BY share DESC NULLS LAST, region) AS region
                     FROM report_regions WHERE region IS NOT NULL GROUP BY report_id) reg ON reg.report_id = r.report_id)
"""

FLAGGED_SQL = ("WITH " + _STORE_PER_REPORT.strip() + ", " + ", ".join(_scored_ctes(_values_sql("r", "report_id"), "report_id")) +
               """
SELECT s.report_id, s.metric, s.value, s.peers, s.median, s.ratio, s.z, s.flag, s.direction, s.band,
       rep.file_name, coalesce(i.sheet, rep.sheet) AS sheet,
       CASE WHEN s.metric = 'participants_per_million'
            THEN coalesce(json_extract_string(rep.field_cells, '$.participants_total'), rep.cell)
            ELSE coalesce(i.fact_cell, rep.cell) END AS cell
FROM scored s JOIN reports rep ON rep.report_id = s.report_id
LEFT JOIN (SELECT report_id, first(sheet) AS sheet, first(fact_cell) AS fact_cell FROM indicators
           WHERE indicator = 'direct_beneficiaries' GROUP BY report_id) i ON i.report_id = s.report_id
WHERE s.flag IN ('info', 'warning')
ORDER BY s.report_id, s.metric
""")

def _figure(metric: str, value: float) -> Any:
    """A figure of a metric as a finding_messages term: «87,5 %», «120 000 ₸», «3,2»."""
    if metric == "achievement":
        return {"phrase": "percent_nbsp", "value": round(value * 100, 1)}
    if metric == "cost_per_beneficiary":
        return {"phrase": "tenge_nbsp", "value": round(value)}
    return round(value, 1)


def _params(row: dict) -> dict[str, Any]:
    """The finding's message parameters: the value, how far from the peer median, the peers."""
    ratio = row["ratio"]
    above = ratio >= 1
    return {"key": "outlier", "metric": {"phrase": row["metric"]}, "value": _figure(row["metric"], row["value"]),
            # one decimal: «в 2,5 раза», and «раза» fits every such number
            "times": {"fixed": ratio if above else 1 / ratio}, "side": {"phrase": "above" if above else "below"},
            "median": _figure(row["metric"], row["median"]), "peers": f"{row['peers']}",
            "direction": f"{row['direction']}", "band": band_label(row["band"]), "deviations": {"fixed": abs(row["z"])}}


def refresh_outlier_findings(con: duckdb.DuckDBPyConnection) -> int:
    """Recompute every ``outlier`` finding from the stored reports, inside the caller's transaction
    (``store.transaction``; a load runs it before its commit); the number of findings."""
    rows = [dict(zip(("report_id", "metric", "value", "peers", "median", "ratio", "z", "flag", "direction", "band",
                      "file_name", "sheet", "cell"), r)) for r in con.execute(FLAGGED_SQL).fetchall()]
    con.execute("DELETE FROM findings WHERE rule = ?", [RULE])
    if rows:
        from grantstats.store import _insert_columns

        messages = [finding_messages.texts(_params(r)) for r in rows]
        _insert_columns(con, "findings", {
            "report_id": [r["report_id"] for r in rows], "rule": [RULE] * len(rows),
            "severity": [r["flag"] for r in rows], "message_ru": [m[0] for m in messages],
            "message_en": [m[1] for m in messages], "file_name": [r["file_name"] for r in rows],
            "sheet": [r["sheet"] for r in rows], "cell": [r["cell"] for r in rows],
            "params": [m[2] for m in messages]}, len(rows))
    return len(rows)


def mark_stale(con: duckdb.DuckDBPyConnection) -> None:
    """Note, inside the caller's transaction, that reports changed since the outlier findings were computed."""
    con.execute("INSERT INTO stale_findings VALUES (?) ON CONFLICT DO NOTHING", [RULE])


def refresh_if_stale(con: duckdb.DuckDBPyConnection) -> bool:
    """Recompute the outlier findings in a transaction of their own when they were marked stale; whether it did."""
    from grantstats.store import transaction

    if not con.execute("SELECT count(*) FROM stale_findings WHERE rule = ?", [RULE]).fetchone()[0]:
        return False
    with transaction(con):
        refresh_outlier_findings(con)
        con.execute("DELETE FROM stale_findings WHERE rule = ?", [RULE])
    return True
