"""Оценка отчетов: every report's health score (0–100) by report, NGO and region; a click shows what took points off."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import formatting as fmt, health, i18n
from ui import charts, frame, insight, labels, state, tables
from ui.labels import T

flt, head = frame.page_start("page_health")
lang = labels.lang()
st.caption(T("health_intro"))

summary = insight.cached(health.health_summary, flt).iloc[0]
cards = [("health_median", fmt.number(summary["score_median"], 0, lang=lang)), ("health_healthy", fmt.share(summary["healthy_share"], lang=lang)),
         ("health_below_50", fmt.count(summary["reports_below_50"], lang=lang))]
for column, (key, value) in zip(st.columns(len(cards)), cards):
    column.metric(T(key), value, border=True)

left, right = st.columns([3, 2])
with left:
    values = insight.cached(health.score_values, flt)
    fig = go.Figure(go.Histogram(x=values["score"], xbins={"start": 0, "end": 100.1, "size": 5},
                                 marker={"color": charts.PRIMARY, "line": {"color": "white", "width": 1}},
                                 hovertemplate="%{x}: %{y}<extra></extra>"))
    fig.update_xaxes(title=T("col_score"), range=[0, 101])
    fig.update_yaxes(title=T("reports_count_axis"))
    charts.chart(charts.style(fig, height=300, title=T("health_distribution")), "health_histogram")
with right:
    checks = [(c, int(summary[c.code])) for c in health.CHECKS]
    fig = charts.hbar([getattr(c, f"title_{lang}") for c, _ in checks], [n for _, n in checks], [fmt.count(n, lang=lang) for _, n in checks],
                  colors=charts.PLAN, title=T("health_checks"), height=300)
    charts.chart(fig, "health_checks")

language = lang
level = st.segmented_control(T("health_level"), ["report", "ngo", "region"], key="health_level", default="report",
                             required=True, format_func=lambda k: i18n.t(f"level_{k}", language))
if level == "report":
    table = insight.cached(health.health_scores, flt, by="report", limit=1000)
    table = table.assign(check_names=labels.each(table["checks"], lambda c: ", ".join(health.check_titles(c.split(","), lang))
                                                 if isinstance(c, str) else ""),
                         direction_name=labels.each(table["direction"], labels.direction_short))
    st.caption(T("health_pick"))
    picked = insight.selectable_table(table, {"score": ("col_score", "count"), "grantee": ("col_grantee", "text"),
                                         "year": ("col_year", "year"), "direction_name": ("col_direction", "text"),
                                         "finding_points": ("col_finding_points", "count"),
                                         "check_points": ("col_check_points", "count"),
                                         "errors": ("errors", "count"), "warnings": ("warnings", "count"),
                                         "check_names": ("col_checks", "text")},
                                 key="health_reports", file_stem="grantstats-health-reports", id_column="report_id")
    options = table["report_id"].tolist()
    if picked is not None:
        st.session_state["health_explain"] = picked
    if st.session_state.get("health_explain") not in options:
        st.session_state["health_explain"] = options[0] if options else None
    labels = {r: f"{int(s)} · {g or fmt.DASH} · {int(y) if y == y and y is not None else fmt.DASH} · {r}"
              for r, s, g, y in zip(table["report_id"], table["score"], table["grantee"], table["year"])}
    chosen = st.selectbox(T("choose_report"), options, key="health_explain", format_func=lambda r: labels.get(r, r))
    if chosen:
        insight.health_explanation(chosen, labels.get(chosen, chosen))
elif level == "ngo":
    table = insight.cached(health.health_scores, flt, by="ngo")
    table = table.assign(name=table["ngo_name"].where(table["ngo_name"].notna(), T("not_stated")),
                         link=state.page_urls("report", "ngo", table["ngo"]))
    tables.show_table(table, {"name": ("col_ngo", "text"), "reports": ("reports", "count"), "score": ("col_score", "number"),
                          "min_score": ("col_min_score", "count"), "reports_below_50": ("health_below_50", "count")},
                  key="health_ngos", file_stem="grantstats-health-ngos", links={"link": ("col_open", ":material/description:")})
else:
    table = insight.cached(health.health_scores, flt, by="region")
    table = table.assign(name=[labels.region_name(r) for r in table["region"]])
    fig = charts.hbar(table["name"].tolist(), table["score"].tolist(), [fmt.number(v, 1, lang=lang) for v in table["score"]],
                  colors=[charts.GOOD if v >= 80 else charts.PLAN if v >= 60 else charts.BAD for v in table["score"]])
    charts.chart(fig, "health_regions")
    tables.show_table(table, {"name": ("col_region", "text"), "reports": ("reports", "count"), "score": ("col_score", "number"),
                          "min_score": ("col_min_score", "count"), "reports_below_50": ("health_below_50", "count")},
                  key="health_regions", file_stem="grantstats-health-regions")
