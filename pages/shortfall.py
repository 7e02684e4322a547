"""Откуда недобор: an indicator's shortfall broken down region → direction → NGO → report, as a Pareto chart and a
table; the sum of shortfalls beside the net, and how few reports make 80 % of it."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import catalog, formatting as fmt, shortfall
from ui import charts, frame, insight, labels, state, tables
from ui.labels import T
from grantstats.metrics import NOT_STATED

flt, head = frame.page_start("page_shortfall")
lang = labels.lang()
st.caption(T("sf_intro"))

indicators = catalog.codes("indicator")
state.url_param("indicator", "sf_indicator", indicators)
if st.session_state.get("sf_indicator") not in indicators:
    st.session_state["sf_indicator"] = "direct_beneficiaries"
indicator = st.selectbox(T("indicator"), indicators, key="sf_indicator",
                         format_func=lambda c: catalog.name("indicator", c, lang))
state.set_url_param("indicator", indicator if indicator != "direct_beneficiaries" else None)


def figure(value) -> str:
    return fmt.money(value, lang) if catalog.indicator_unit(indicator) == "tenge" else fmt.count(value, lang=lang)


# The drill path: each choice narrows the filter; the breakdown is by the level after the deepest choice.
st.markdown(f"**{T('sf_drill')}**")
every = T("all")
path = st.columns(3)
scope = flt
level = "region"
chosen_region = chosen_direction = None
regions = insight.cached(shortfall.shortfall_breakdown, scope, indicator=indicator, by="region")
region_options = [None] + [NOT_STATED if r is None else r for r in regions.loc[regions["shortfall"] > 0, "region"]]
chosen_region = path[0].selectbox(T("col_region"), region_options, key="sf_region",
                                  format_func=lambda c: every if c is None else labels.region_name(None if c == NOT_STATED else c, lang))
if chosen_region is not None:
    scope, level = scope.with_(regions=(chosen_region,)), "direction"
    directions = insight.cached(shortfall.shortfall_breakdown, scope, indicator=indicator, by="direction")
    options = [None] + [NOT_STATED if d is None else d for d in directions.loc[directions["shortfall"] > 0, "direction"]]
    chosen_direction = path[1].selectbox(T("col_direction"), options, key="sf_direction",
                                         format_func=lambda c: every if c is None else labels.direction_name(None if c == NOT_STATED else c, lang))
    if chosen_direction is not None:
        scope, level = scope.with_(directions=(chosen_direction,)), "ngo"
        ngos = insight.cached(shortfall.shortfall_breakdown, scope, indicator=indicator, by="ngo")
        ngos = ngos[ngos["shortfall"] > 0]
        names = dict(zip(ngos["ngo"], ngos["ngo_name"]))
        options = [None] + [NOT_STATED if n is None else n for n in ngos["ngo"]]
        chosen_ngo = path[2].selectbox(T("col_ngo"), options, key="sf_ngo",
                                       format_func=lambda c: every if c is None else (names.get(c) or c))
        if chosen_ngo is not None:
            scope, level = scope.with_(ngos=(chosen_ngo,)), "report"

summary = insight.cached(shortfall.shortfall_summary, scope, indicator=indicator).iloc[0]
cards = [("sf_shortfall", figure(summary["shortfall"])), ("sf_surplus", figure(summary["surplus"])),
         ("sf_net", figure(summary["net"])), ("col_reports_short", fmt.count(summary["reports_short"], lang=lang))]
for column, (key, value) in zip(st.columns(len(cards)), cards):
    column.metric(T(key), value, border=True)
if not summary["shortfall"]:
    st.success(T("sf_none"), icon=":material/check_circle:")
    st.stop()
st.info(T("sf_pareto", n=fmt.count(summary["reports_for_share"], lang=lang), short=fmt.count(summary["reports_short"], lang=lang),
             share=fmt.share(0.8, 0, lang=lang), value=figure(summary["shortfall"] * summary["share_reached"]),
             total=figure(summary["shortfall"])), icon=":material/insights:")

table = insight.cached(shortfall.shortfall_breakdown, scope, indicator=indicator, by=level)
if level == "region":
    table = table.assign(name=[labels.region_name(r) for r in table["region"]])
elif level == "direction":
    table = table.assign(name=[labels.direction_short(d) for d in table["direction"]])
elif level == "ngo":
    table = table.assign(name=table["ngo_name"].where(table["ngo_name"].notna(), T("not_stated")))
else:
    table = table.assign(name=[f"{g or fmt.DASH} · {int(y) if y == y and y is not None else fmt.DASH}"
                               for g, y in zip(table["grantee"], table["year"])], link=state.report_urls(table["report_id"]))
short = table[table["shortfall"] > 0].head(30)
fig = go.Figure()
fig.add_trace(go.Bar(x=short["name"], y=short["shortfall"], name=T("sf_shortfall"),
                     marker_color=[charts.BAD if inside else charts.MUTED for inside in short["in_share"]],
                     hovertemplate="%{x}: %{y:,.0f}<extra></extra>"))
fig.add_trace(go.Scatter(x=short["name"], y=short["cum_share"], name=T("sf_cumulative"), yaxis="y2",
                         mode="lines+markers", line={"color": charts.PRIMARY}, hovertemplate="%{y:.0%}<extra></extra>"))
fig.add_hline(y=0.8, line_dash="dash", line_color=charts.PLAN, yref="y2")
fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "range": [0, 1.05], "tickformat": ".0%", "showgrid": False})
fig.update_xaxes(tickangle=-30, automargin=True)
charts.chart(charts.style(fig, height=420, title=T(f"sf_level_{level}"), legend=True), "sf_pareto")

columns = {"name": ({"region": "col_region", "direction": "col_direction", "ngo": "col_ngo", "report": "col_report"}[level], "text"),
           "shortfall": ("sf_shortfall", "number"), "share": ("col_share", "share"), "cum_share": ("col_cum_share", "share"),
           "surplus": ("sf_surplus", "number"), "net": ("sf_net", "number"), "plan": ("col_plan", "number"),
           "fact": ("col_fact", "number"), "reports": ("reports", "count"), "reports_short": ("col_reports_short", "count")}
if level == "report":
    columns["name"] = ("col_grantee", "text")
tables.show_table(table, columns, key="sf_table", file_stem=f"grantstats-shortfall-{indicator}-{level}",
              links={"link": ("col_report", r"report=(R\w+)")} if level == "report" else None)
