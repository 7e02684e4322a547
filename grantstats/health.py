"""A health score for every report, 0–100: how far its figures can be trusted, and what took points off.

score = max(0, 100 − points), the points being, as data (``FINDING_POINTS``, ``CHECKS``):
  each open finding          error 15, warning 5, info 1 (a finding staff accepted as right costs nothing)
  copied_plan          10    every fact equals its plan, over at least 3 indicators giving both
  round_figures         5    every counted figure of 100 or more is a multiple of 100, over at least 4 of them
                             (indicator facts other than money; participants typed in people, not from percent)
  yoy_jump             10    the NGO's direct beneficiaries (Σ fact of its reports in the year) are more than 5×
                             the year before's (each of its reports of that year)
  gender_age_disagree   5    the gender table's people and the age table's people differ by more than 2 % (and
                             more than one person)
The findings check each table against its own anchor (a total, a plan, a ceiling); these compare tables and
years with one another, which no single anchor does.

By NGO the score is the mean of its reports'; by region the mean weighted by each report's share there.
Everything is computed in DuckDB over the metrics cache (a table rebuilt when the reports, findings or reviews
change).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from grantstats.findings import messages as finding_messages
from grantstats.metrics import Filter
from grantstats.metrics.cache import CACHE_TABLES, CacheTable
from grantstats.metrics.query import NGO_NAMES, at_places, base_ctes, fetch_df, named_ngos
from grantstats.store import ACCEPTED_FINDING_SQL

if TYPE_CHECKING:  # (pandas loads where a figure is read: a load builds the cache tables without it)
    import pandas as pd

FINDING_POINTS = {"error": 15, "warning": 5, "info": 1}
COPIED_MIN_PAIRS = 3
ROUND_MIN_FIGURES = 4
ROUND_UNIT = 100
JUMP_FACTOR = 5
DISAGREE_SHARE = 0.02
MONEY_INDICATORS = ("payroll", "taxes", "economy_contribution")


@dataclass(frozen=True)
class HealthCheck:
    """A cross-table check: its code, the points it takes off, its names (ru, kk, en)."""

    code: str
    points: int
    title_ru: str
    title_kk: str
    title_en: str


CHECKS: tuple[HealthCheck, ...] = (
    HealthCheck("copied_plan", 10, "Все факты равны плану", "Барлық факт жоспарға тең", "Every fact equals its plan"),
    HealthCheck("round_figures", 5, "Подозрительно круглые числа", "Күдікті дөңгелек сандар",
                "Suspiciously round figures"),
    HealthCheck("yoy_jump", 10, "Скачок к прошлому году больше чем в 5 раз", "Өткен жылмен салыстырғанда 5 еседен артық секіріс",
                "A jump of more than 5× on the year before"),
    HealthCheck("gender_age_disagree", 5, "Итоги по полу и возрасту расходятся", "Жыныс пен жас бойынша жиындар сәйкес емес",
                "Gender and age totals disagree"),
)
CHECKS_BY_CODE = {c.code: c for c in CHECKS}

_HEALTH_SQL = f"""
WITH
fnd AS (
    SELECT f.report_id, count(*) FILTER (WHERE f.severity = 'error') AS errors,
        count(*) FILTER (WHERE f.severity = 'warning') AS warnings, count(*) FILTER (WHERE f.severity = 'info') AS infos
    FROM findings f WHERE NOT {ACCEPTED_FINDING_SQL.format(f="f")} GROUP BY f.report_id),
pairs AS (
    SELECT rk, count(*) AS n_pairs, count(*) FILTER (WHERE plan_b = fact_b) AS n_equal
    FROM gs_cache.ind WHERE plan_b IS NOT NULL GROUP BY rk),
counted AS (
    SELECT rk, fact AS v FROM gs_cache.ind
    WHERE fact >= {ROUND_UNIT} AND indicator_no NOT IN
        (SELECT indicator_no FROM gs_cache.indicators WHERE indicator IN {MONEY_INDICATORS})
    UNION ALL SELECT rk, people FROM gs_cache.part_gender WHERE NOT derived AND people >= {ROUND_UNIT}
    UNION ALL SELECT rk, people FROM gs_cache.part_age WHERE NOT derived AND people >= {ROUND_UNIT}),
rnd AS (
    SELECT rk, count(*) AS n_big, count(*) FILTER (WHERE v % {ROUND_UNIT} = 0) AS n_round FROM counted GROUP BY rk),
ga AS (
    SELECT g.rk, g.people AS gender_people, a.people AS age_people
    FROM (SELECT rk, sum(people) AS people FROM gs_cache.part_gender GROUP BY rk) g
    JOIN (SELECT rk, sum(people) AS people FROM gs_cache.part_age GROUP BY rk) a ON a.rk = g.rk),
ny AS (
    SELECT ngo_no, year, sum(direct_fact) AS direct FROM gs_cache.facts
    WHERE ngo_no IS NOT NULL AND year IS NOT NULL AND direct_fact IS NOT NULL GROUP BY ngo_no, year),
jump AS (
    SELECT cur.ngo_no, cur.year, cur.direct, prev.direct AS prev_direct FROM ny cur
    JOIN ny prev ON prev.ngo_no = cur.ngo_no AND prev.year = cur.year - 1
    WHERE prev.direct > 0 AND cur.direct > {JUMP_FACTOR} * prev.direct),
flags AS (
    SELECT f.rk, f.list_order, f.report_id, f.grantee, f.ngo_key, f.year, f.direction, f.regions, f.file_name,
        coalesce(fnd.errors, 0) AS errors, coalesce(fnd.warnings, 0) AS warnings,
        coalesce(fnd.infos, 0) AS infos,
        coalesce(pairs.n_pairs >= {COPIED_MIN_PAIRS} AND pairs.n_equal = pairs.n_pairs, false) AS copied_plan,
        pairs.n_pairs,
        coalesce(rnd.n_big >= {ROUND_MIN_FIGURES} AND rnd.n_round = rnd.n_big, false) AS round_figures, rnd.n_big,
        jr.rk_jump IS NOT NULL AS yoy_jump, jr.direct AS ngo_direct, jr.prev_direct AS ngo_prev_direct,
        coalesce(abs(ga.gender_people - ga.age_people) > greatest(1, {DISAGREE_SHARE} * greatest(ga.gender_people, ga.age_people)), false)
            AS gender_age_disagree, ga.gender_people, ga.age_people
    FROM gs_cache.facts f
    LEFT JOIN fnd ON fnd.report_id = f.report_id
    LEFT JOIN pairs ON pairs.rk = f.rk
    LEFT JOIN rnd ON rnd.rk = f.rk
    LEFT JOIN ga ON ga.rk = f.rk
    LEFT JOIN (SELECT f2.rk AS rk_jump, j.direct, j.prev_direct FROM gs_cache.facts f2
               JOIN jump j ON j.ngo_no = f2.ngo_no AND j.year = f2.year WHERE f2.direct_fact IS NOT NULL) jr
        ON jr.rk_jump = f.rk)
SELECT *, (row_number() OVER (ORDER BY score, list_order))::INTEGER AS pos FROM (SELECT *,
    {FINDING_POINTS['error']} * errors + {FINDING_POINTS['warning']} * warnings + {FINDING_POINTS['info']} * infos
        AS finding_points,
    {' + '.join(f"CASE WHEN {c.code} THEN {c.points} ELSE 0 END" for c in CHECKS)} AS check_points,
    greatest(0, 100 - ({FINDING_POINTS['error']} * errors + {FINDING_POINTS['warning']} * warnings
        + {FINDING_POINTS['info']} * infos + {' + '.join(f"CASE WHEN {c.code} THEN {c.points} ELSE 0 END" for c in CHECKS)}))
        AS score
FROM flags)
ORDER BY pos
"""
HEALTH_TABLE = "health_" + hashlib.sha1(_HEALTH_SQL.encode()).hexdigest()[:10]
"""gs_cache table: one row per report (rk): the report's columns a list shows, finding counts, each check's flag and
details, points and score; stored in the order of the lowest scores first (``pos``), so that the rows of a list's
first places are read from the few row groups holding them."""
CACHE_TABLES.setdefault(HEALTH_TABLE, CacheTable(_HEALTH_SQL, ("facts", "ind", "indicators", "part_gender", "part_age")))

REPORT_COLUMNS = ["report_id", "grantee", "ngo_key", "year", "direction", "regions", "score", "finding_points",
                  "check_points", "errors", "warnings", "infos", "checks", "file_name"]
NGO_COLUMNS = ["ngo", "ngo_name", "reports", "score", "min_score", "reports_below_50"]
REGION_COLUMNS = ["region", "reports", "report_weight", "score", "min_score", "reports_below_50"]


def health_scores(con, flt: Filter = Filter(), by: str = "report", limit: int | None = None) -> pd.DataFrame:
    """Health scores of the selected reports, lowest first.

    by='report': :data:`REPORT_COLUMNS` — ``checks`` the codes of the cross-table checks it fails, comma-joined
    (NULL when none); ``finding_points`` and ``check_points`` what each part took off.
    by='ngo': :data:`NGO_COLUMNS` — ``score`` the mean of its reports', ``min_score`` the lowest.
    by='region': :data:`REGION_COLUMNS` — ``score`` the mean weighted by the reports' shares in the region,
    ``reports`` the reports touching it, ``report_weight`` their shares' sum; NULL region = not stated.
    """
    if by not in ("report", "ngo", "region"):
        raise ValueError("by must be 'report', 'ngo' or 'region'")
    ctes, params = base_ctes(flt, by == "region")
    join = f" JOIN gs_cache.{HEALTH_TABLE} h ON h.rk = b.rk"
    if by == "report":  # the places (and the limit) on narrow rows first, then their wide rows
        checks = "concat_ws(',', " + ", ".join(f"CASE WHEN h.{c.code} THEN '{c.code}' END" for c in CHECKS) + ")"
        sql = ("WITH " + ", ".join(ctes) +
               f", top AS (SELECT h.pos FROM base b{join} ORDER BY h.pos" + (" LIMIT ?" if limit else "") + ")"
               " SELECT h.report_id, h.grantee, h.ngo_key, h.year, h.direction, h.regions, h.score, h.finding_points,"
               f" h.check_points, h.errors, h.warnings, h.infos, nullif({checks}, '') AS checks, h.file_name"
               f" FROM gs_cache.{HEALTH_TABLE} h WHERE {at_places('h.pos', 'top')} ORDER BY h.pos")
        columns = REPORT_COLUMNS
    elif by == "ngo":
        sql = ("WITH " + ", ".join(ctes + [NGO_NAMES]) +  # grouped by the NGO's integer number, named after
               ", per AS (SELECT b.ngo_no AS ngo, count(*) AS reports, avg(h.score) AS score,"
               " min(h.score) AS min_score, count(*) FILTER (WHERE h.score < 50) AS reports_below_50"
               f" FROM base b{join} GROUP BY b.ngo_no)"
               f" SELECT * FROM ({named_ngos('per')}) ORDER BY score, ngo NULLS LAST" + (" LIMIT ?" if limit else ""))
        columns = NGO_COLUMNS
    else:
        sql = ("WITH " + ", ".join(ctes) +
               " SELECT b.region, count(*) AS reports, sum(b.weight) AS report_weight,"
               " sum(h.score * b.weight) / sum(b.weight) AS score, min(h.score) AS min_score,"
               " count(*) FILTER (WHERE h.score < 50) AS reports_below_50"
               f" FROM base b{join} GROUP BY b.region ORDER BY score, region NULLS LAST" + (" LIMIT ?" if limit else ""))
        columns = REGION_COLUMNS
    if limit:
        params.append(int(limit))
    df = fetch_df(con, sql, params, via_arrow=True)
    if "year" in df:
        df["year"] = df["year"].astype("Int64")
    return df[columns]


def health_summary(con, flt: Filter = Filter()) -> pd.DataFrame:
    """One row: reports, score_median, score_mean, healthy_share (score ≥ 80), reports_below_50, and how many
    reports fail each check (one column per check code)."""
    ctes, params = base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT count(*) AS reports, quantile_cont(h.score, 0.5) AS score_median, avg(h.score) AS score_mean,"
           " avg(CASE WHEN h.score >= 80 THEN 1.0 ELSE 0.0 END) AS healthy_share,"
           " count(*) FILTER (WHERE h.score < 50) AS reports_below_50, "
           + ", ".join(f"count(*) FILTER (WHERE h.{c.code}) AS {c.code}" for c in CHECKS) +
           f" FROM base b JOIN gs_cache.{HEALTH_TABLE} h ON h.rk = b.rk")
    return fetch_df(con, sql, params)


def score_values(con, flt: Filter = Filter()) -> pd.DataFrame:
    """One column, ``score``, for each selected report: what a distribution chart needs."""
    ctes, params = base_ctes(flt, False)
    return fetch_df(con, "WITH " + ", ".join(ctes) + f" SELECT h.score FROM base b JOIN gs_cache.{HEALTH_TABLE} h"
               " ON h.rk = b.rk", params)


EXPLAIN_COLUMNS = ["kind", "code", "severity", "points", "message_ru", "message_en", "sheet", "cell", "review_status",
                   "params"]


def health_explain(con, report_id: str) -> pd.DataFrame:
    """What took points off one report, largest first: :data:`EXPLAIN_COLUMNS`, one row per finding
    (``kind`` 'finding', ``code`` its rule; an accepted one with 0 points and ``review_status`` 'accepted') and per
    failed check (``kind`` 'check', its details in the message)."""
    import pandas as pd

    points = "CASE f.severity " + " ".join(f"WHEN '{s}' THEN {p}" for s, p in FINDING_POINTS.items()) + " ELSE 0 END"
    from grantstats.store import FINDING_KEY_SQL, finding_params_sql

    findings = con.execute(
        "SELECT 'finding' AS kind, f.rule AS code, f.severity, CASE WHEN v.status = 'accepted' THEN 0 ELSE "
        f"{points} END AS points, f.message_ru, f.message_en, f.sheet, f.cell, v.status AS review_status,"
        f" {finding_params_sql(con)} AS params"
        f" FROM findings f LEFT JOIN finding_reviews v ON v.finding_key = {FINDING_KEY_SQL.format(f='f')}"
        " WHERE f.report_id = ?", [report_id]).df()
    row = fetch_df(con, f"SELECT h.* FROM gs_cache.{HEALTH_TABLE} h"
                   " WHERE h.rk = (SELECT rk FROM gs_cache.facts WHERE report_id = ?)", [report_id])
    checks = []
    if not row.empty:
        r = row.iloc[0]
        for check in CHECKS:
            if bool(r[check.code]):
                why = _check_explanation(check.code, r)
                checks.append({"kind": "check", "code": check.code, "severity": None, "points": check.points,
                               "message_ru": finding_messages.render(why, "ru"),
                               "message_en": finding_messages.render(why, "en"), "sheet": None, "cell": None,
                               "review_status": None, "params": json.dumps(why, ensure_ascii=False)})
    out = pd.concat([findings, pd.DataFrame(checks, columns=EXPLAIN_COLUMNS)], ignore_index=True) if checks else findings
    out["points"] = out["points"].astype("int64")
    return out.sort_values(["points", "kind", "code"], ascending=[False, True, True], kind="stable").reset_index(
        drop=True)[EXPLAIN_COLUMNS]


def _check_explanation(code: str, r) -> dict:
    """A failed check's explanation as a message term (findings.messages words it in each language), from the
    report's row of the health table."""
    if code == "copied_plan":
        return {"phrase": "health_copied_plan", "n": int(r["n_pairs"])}
    if code == "round_figures":
        return {"phrase": "health_round_figures", "n": int(r["n_big"])}
    if code == "yoy_jump":
        now, before = float(r["ngo_direct"]), float(r["ngo_prev_direct"])
        return {"phrase": "health_yoy_jump", "now": now, "before": before, "times": {"fixed": now / before}}
    return {"phrase": "health_gender_age_disagree", "gender": float(r["gender_people"]), "age": float(r["age_people"])}


def check_titles(codes, lang: str) -> list[str]:
    """The name of each health check (or finding rule) code in ``lang``."""
    from grantstats.findings.rules import rule_titles

    return [getattr(CHECKS_BY_CODE[c], f"title_{lang}") if c in CHECKS_BY_CODE else rule_titles([c], lang)[0]
            for c in codes]
