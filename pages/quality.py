"""Качество данных: findings by rule and severity, the reports with the most errors, every finding with its cell."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import formatting as fmt
from grantstats.findings.queries import findings_by_rule, findings_table, reports_by_findings
from ui import charts, frame, labels, state, tables
from ui.data import cached
from ui.labels import T

flt, head = frame.page_start("page_quality")
lang = labels.lang()

c1, c2, c3 = st.columns(3)
c1.metric(T("reports"), fmt.count(head["reports"], lang=lang), border=True)
c2.metric(T("reports_with_errors"), fmt.count(head["reports_with_errors"], lang=lang), border=True)
c3.metric(T("reports_with_warnings"), fmt.count(head["reports_with_warnings"], lang=lang), border=True)

by_rule = cached(findings_by_rule, flt)
st.subheader(T("findings_by_rule"))
if by_rule.empty:
    st.success(T("no_findings"), icon=":material/check_circle:")
    st.stop()

by_rule = by_rule.assign(rule_name=by_rule[f"title_{lang}"])
rules = list(dict.fromkeys(by_rule["rule_name"]))
fig = go.Figure()
for severity, color in (("error", charts.ERROR), ("warning", charts.WARNING), ("info", charts.MUTED)):
    part = by_rule[by_rule["severity"] == severity]
    if part.empty:
        continue
    counts = dict(zip(part["rule_name"], part["findings"]))
    fig.add_trace(go.Bar(y=rules, x=[counts.get(r) for r in rules], orientation="h", name=labels.severity_name(severity),
                         marker_color=color, hovertemplate="%{y}: %{x}<extra>" + labels.severity_name(severity) + "</extra>"))
fig.update_layout(barmode="stack")
fig.update_yaxes(autorange="reversed", automargin=True)
charts.chart(charts.style(fig, height=max(200, 30 * len(rules) + 110), legend=True), "quality_rules")
by_rule = by_rule.assign(severity_name=labels.severity_names(by_rule["severity"]), text=labels.finding_texts(by_rule))
tables.show_table(by_rule, {"rule_name": ("col_rule", "text"), "findings": ("col_findings_count", "count"),
                            "severity_name": ("col_severity", "text"), "reports": ("reports", "count"),
                            "text": ("col_message", "text")}, key="rules", file_stem="grantstats-findings-by-rule",
                  title=T("findings_by_rule"))

st.subheader(T("worst_reports"))
worst = cached(reports_by_findings, flt, limit=20)
worst = worst.assign(link=state.report_urls(worst["report_id"], worst["grantee"]))
tables.show_table(worst, {"errors": ("errors", "count"), "warnings": ("warnings", "count"), "year": ("col_year", "year"),
                          "file_name": ("col_file", "text")},
                  key="worst", file_stem="grantstats-reports-with-errors", title=T("worst_reports"),
                  links={"link": ("col_grantee", tables.NAME_IN_URL)})

st.subheader(T("all_findings"))
findings = cached(findings_table, flt)
findings = labels.with_finding_names(findings).assign(link=state.report_urls(findings["report_id"], findings["grantee"]),
                                                      text=labels.finding_texts(findings))
tables.show_table(findings, {"severity_name": ("col_severity", "text"), "rule_name": ("col_rule", "text"),
                             "text": ("col_message", "text"), "year": ("col_year", "year"),
                             "file_name": ("col_file", "text"), "sheet": ("col_sheet", "text"), "cell": ("col_cell", "text")},
                  key="findings", file_stem="grantstats-findings", title=T("all_findings"),
                  links={"link": ("col_grantee", tables.NAME_IN_URL)}, height=420)
