"""План и факт: every indicator's Σplan, Σfact, achievement and gap; per-report achievement; the largest shortfalls."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import catalog, formatting as fmt
from grantstats.metrics import achievement_values, largest_shortfalls, plan_vs_fact
from ui import charts, frame, labels, state, tables
from ui.data import cached
from ui.labels import T

flt, head = frame.page_start("page_plan_fact")
lang = labels.lang()

pf = cached(plan_vs_fact, flt)
st.subheader(T("indicators_table"))
if pf.empty:
    st.caption(fmt.DASH)
else:
    rows = charts.records(pf.dropna(subset=["achievement"]))
    colors = [charts.GOOD if r["achievement"] >= 1 else charts.NEAR if r["achievement"] >= 0.9 else charts.BAD for r in rows]
    fig = charts.hbar([labels.wrapped(labels.indicator_name(r["indicator"]), 46, 2) for r in rows],
                      [r["achievement"] for r in rows],
                      [fmt.share(r["achievement"], approximate=(r["approx_share"] or 0) > 0, lang=lang) for r in rows],
                      colors=colors, title=T("achievement"),
                      hover=[f"{labels.indicator_name(r['indicator'])}: {fmt.share(r['achievement'], lang=lang)}" for r in rows])
    fig.add_vline(x=1.0, line_dash="dash", line_color=charts.MUTED)
    charts.chart(fig, "pf_achievement")
    st.caption(T("achievement_colours"))
    pf = pf.assign(name=[labels.indicator_name(c) for c in pf["indicator"]],
                   unit=[labels.unit_label(catalog.indicator_unit(c)) if c in catalog.codes("indicator") else ""
                         for c in pf["indicator"]])
    tables.show_table(pf, {"name": ("col_indicator", "text"), "achievement": ("achievement", "share"),
                           "plan": ("col_sum_plan", "number"), "fact": ("col_sum_fact", "number"),
                           "gap": ("col_gap", "number"), "unit": ("col_unit", "text"),
                           "reports": ("col_reports_both", "count"), "met_share": ("met_all_plans", "share")},
                      key="plan_fact", file_stem="grantstats-plan-fact", title=T("indicators_table"))
    if (pf["approx_share"].fillna(0) > 0).any():
        st.caption(T("approx_note"))

indicators = [c for c in catalog.codes("indicator") if c in set(pf["indicator"])] or ["direct_beneficiaries"]
state.url_param("indicator", "pf_indicator", indicators)
default = "direct_beneficiaries" if "direct_beneficiaries" in indicators else indicators[0]
indicator = st.selectbox(T("indicator"), indicators, **state.choice("pf_indicator", indicators, default),
                         format_func=lambda c: catalog.name("indicator", c, lang))
state.set_url_param("indicator", indicator if indicator != "direct_beneficiaries" else None)

per_report = cached(achievement_values, flt, indicator=indicator)  # reports giving plan (not 0) and fact
left, right = st.columns([2, 3])
with left:
    st.subheader(T("achievement_per_report"))
    if per_report.empty:
        st.caption(fmt.DASH)
    else:
        fig = go.Figure(go.Histogram(x=per_report["achievement"].clip(upper=2.0), xbins={"start": 0, "end": 2.05, "size": 0.1},
                                     marker={"color": charts.PRIMARY, "line": {"color": "white", "width": 1}},
                                     hovertemplate="%{x}: %{y}<extra></extra>"))
        fig.add_vline(x=1.0, line_dash="dash", line_color=charts.PLAN)
        fig.update_xaxes(title=T("achievement_axis") + " (≥ 200 % → 200 %)", tickformat=".0%")
        fig.update_yaxes(title=T("reports_count_axis"))
        charts.chart(charts.style(fig, height=340), "pf_histogram")
with right:
    st.subheader(T("shortfalls"))
    short = cached(largest_shortfalls, flt, indicator=indicator, limit=15)
    if short.empty:
        st.caption(fmt.DASH)
    else:
        short = short.assign(link=state.report_urls(short["report_id"], short["grantee"]))
        tables.show_table(short, {"shortfall": ("col_shortfall", "number"), "year": ("col_year", "year"),
                                  "plan": ("col_plan", "number"), "fact": ("col_fact", "number"),
                                  "achievement": ("achievement", "share")},
                          key="shortfalls", file_stem=f"grantstats-shortfalls-{indicator}", title=T("shortfalls"),
                          links={"link": ("col_grantee", tables.NAME_IN_URL)})
