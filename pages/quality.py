"""Качество данных: findings by rule and severity, the reports with the most errors, every finding with its cell."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import dashboard as ui, formatting as fmt

flt, head = ui.page_start("page_quality")
lang = ui.lang()
message = ui.message_column()

c1, c2, c3 = st.columns(3)
c1.metric(ui.T("reports"), fmt.count(head["reports"]), border=True)
c2.metric(ui.T("reports_with_errors"), fmt.count(head["reports_with_errors"]), border=True)
c3.metric(ui.T("reports_with_warnings"), fmt.count(head["reports_with_warnings"]), border=True)

by_rule = ui.call("findings_by_rule", flt)
st.subheader(ui.T("findings_by_rule"))
if by_rule.empty:
    st.success(ui.T("no_findings"), icon=":material/check_circle:")
    st.stop()

by_rule = by_rule.assign(rule_name=by_rule[f"title_{lang}"])
rules = list(dict.fromkeys(by_rule["rule_name"]))
fig = go.Figure()
for severity, color in (("error", ui.BAD), ("warning", ui.PLAN), ("info", ui.MUTED)):
    part = by_rule[by_rule["severity"] == severity]
    if part.empty:
        continue
    counts = dict(zip(part["rule_name"], part["findings"]))
    fig.add_trace(go.Bar(y=rules, x=[counts.get(r) for r in rules], orientation="h", name=ui.severity_name(severity),
                         marker_color=color, hovertemplate="%{y}: %{x}<extra>" + ui.severity_name(severity) + "</extra>"))
fig.update_layout(barmode="stack")
fig.update_yaxes(autorange="reversed", automargin=True)
ui.chart(ui.style(fig, height=max(200, 30 * len(rules) + 90), legend=True), "quality_rules")
by_rule = by_rule.assign(severity_name=ui.severity_names(by_rule["severity"]))
ui.show_table(by_rule, {"rule_name": ("col_rule", "text"), "severity_name": ("col_severity", "text"),
                        "findings": ("col_findings", "count"), "reports": ("reports", "count"),
                        message: ("col_message", "text")}, key="rules", file_stem="grantstats-findings-by-rule")

st.subheader(ui.T("worst_reports"))
worst = ui.call("reports_by_findings", flt, limit=20)
worst = worst.assign(link=ui.report_urls(worst["report_id"]))
ui.show_table(worst, {"grantee": ("col_grantee", "text"), "year": ("col_year", "year"), "errors": ("errors", "count"),
                      "warnings": ("warnings", "count"), "file_name": ("col_file", "text")},
              key="worst", file_stem="grantstats-reports-with-errors", links={"link": ("col_report", r"report=(R\w+)")})

st.subheader(ui.T("all_findings"))
findings = ui.call("findings_table", flt)
findings = ui.with_finding_names(findings).assign(link=ui.report_urls(findings["report_id"]))
ui.show_table(findings, {"severity_name": ("col_severity", "text"), "rule_name": ("col_rule", "text"),
                         message: ("col_message", "text"), "grantee": ("col_grantee", "text"),
                         "file_name": ("col_file", "text"), "sheet": ("col_sheet", "text"), "cell": ("col_cell", "text")},
              key="findings", file_stem="grantstats-findings", links={"link": ("col_report", r"report=(R\w+)")}, height=420)
