"""Findings of the selected reports: every finding with where it points, counts per rule, the reports with
the most errors. The rules themselves live in grantstats.findings.rules."""

from __future__ import annotations

import pandas as pd

from grantstats.metrics.filters import Filter
from grantstats.metrics.query import base_ctes, fetch_df
from grantstats.findings.rules import rule_titles
from grantstats.store import finding_params_sql


FINDINGS_COLUMNS = ["report_id", "grantee", "year", "rule", "severity", "message_ru", "message_en", "file_name",
                    "sheet", "cell", "params"]


def findings_table(con, flt: Filter = Filter(), limit: int | None = None) -> pd.DataFrame:
    """Every finding of the selected reports with where it points (file, sheet, cell): :data:`FINDINGS_COLUMNS`.
    Errors first, then warnings, then other severities; then by report and rule; ``params``: the message's
    parameters (finding_messages.messages gives the text in any language)."""
    ctes, params = base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT f.report_id, r.grantee, r.year, f.rule, f.severity, f.message_ru, f.message_en, f.file_name,"
           f" f.sheet, f.cell, {finding_params_sql(con)} AS params FROM findings f JOIN base r ON r.report_id = f.report_id"  # base: one row per report here
           " ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, f.report_id, f.rule, f.cell"
           + (" LIMIT ?" if limit else ""))
    if limit:
        params.append(int(limit))
    return fetch_df(con, sql, params, via_arrow=True)[FINDINGS_COLUMNS]


def findings_by_rule(con, flt: Filter = Filter()) -> pd.DataFrame:
    """Findings of the selected reports counted per rule and severity.

    Columns: rule, severity, findings (how many), reports (distinct reports), message_ru, message_en (the
    most frequent message of the rule), params (those of a finding with that Russian message), title_ru, title_en, title_kk (the rule's name, findings.rules.RULES). Ordered errors
    first, then by findings, largest first.
    """
    ctes, params = base_ctes(flt, False)
    sql = ("WITH " + ", ".join(ctes) + ", g AS ("
           " SELECT f.rule, f.severity, count(*) AS findings, count(DISTINCT f.report_id) AS reports,"
           " mode(f.message_ru) AS message_ru, mode(f.message_en) AS message_en"
           " FROM findings f WHERE f.report_id IN (SELECT report_id FROM base) GROUP BY f.rule, f.severity)"
           f" SELECT g.*, (SELECT min({finding_params_sql(con, 'p')}) FROM findings p WHERE p.rule = g.rule"
           "  AND p.severity = g.severity AND p.message_ru = g.message_ru"
           "  AND p.report_id IN (SELECT report_id FROM base)) AS params FROM g"
           " ORDER BY CASE g.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, g.findings DESC, g.rule")
    df = fetch_df(con, sql, params)
    for lang in ("ru", "en", "kk"):
        df[f"title_{lang}"] = rule_titles(df["rule"], lang)
    return df


def reports_by_findings(con, flt: Filter = Filter(), limit: int = 20) -> pd.DataFrame:
    """The selected reports with the most errors (then warnings), only those with a finding.

    Columns: report_id, grantee, year, errors, warnings, findings (all severities), file_name.
    """
    ctes, params = base_ctes(flt, False)
    params.append(int(limit))
    sql = ("WITH " + ", ".join(ctes) +
           " SELECT f.report_id, r.grantee, r.year, count(*) FILTER (WHERE f.severity = 'error') AS errors,"
           " count(*) FILTER (WHERE f.severity = 'warning') AS warnings, count(*) AS findings, r.file_name"
           " FROM findings f JOIN base r ON r.report_id = f.report_id"  # base: one row per report here
           " GROUP BY f.report_id, r.grantee, r.year, r.file_name"
           " ORDER BY errors DESC, warnings DESC, findings DESC, f.report_id LIMIT ?")
    return fetch_df(con, sql, params)
