"""НПО: one region's NGOs side by side (sortable table, cost per beneficiary against plan achievement)."""

import numpy as np
import plotly.graph_objects as go
import streamlit as st

from grantstats import formatting as fmt
from grantstats.metrics import NOT_STATED, headline, ngo_comparison, totals
from ui import charts, frame, labels, state, tables
from ui.data import cached
from ui.labels import T

flt, head = frame.page_start("page_ngos")
lang = labels.lang()
LABELLED = 8  # the NGOs with the largest grants are named on the scatter

by_region = cached(totals, flt, by="region").sort_values("reports", ascending=False, kind="stable")
options = [NOT_STATED if r is None else r for r in charts.records(by_region) for r in [r["region"]]]
state.url_param("in", "ngo_region", options)
default = flt.regions[0] if len(flt.regions) == 1 and flt.regions[0] in options else options[0]
region = st.selectbox(T("choose_region"), options, **state.choice("ngo_region", options, default),
                      format_func=lambda c: labels.region_name(None if c == NOT_STATED else c, lang))
state.set_url_param("in", region)

ngos = cached(ngo_comparison, flt, region=region)
st.subheader(f"{T('ngos_side_by_side')}: {labels.region_name(None if region == NOT_STATED else region)}")
region_head = cached(headline, flt.with_(regions=(region,))).iloc[0]
st.caption(T("basis", reports=fmt.count(region_head["reports"], lang=lang), ngos=fmt.count(region_head["ngos"], lang=lang))
           + " · " + T("region_split_note"))

plotted = ngos.dropna(subset=["cost_per_beneficiary", "direct_achievement"])
if not plotted.empty:
    # column arrays, not a dict per NGO: a region can have thousands of NGOs, and plotly checks lists item by item
    cost = plotted["cost_per_beneficiary"].to_numpy(dtype=float)
    achievement = plotted["direct_achievement"].to_numpy(dtype=float)
    amount = plotted["grant_amount"].to_numpy(dtype=float, na_value=np.nan)
    names = [n if isinstance(n, str) and n else (k if isinstance(k, str) else None)
             for n, k in zip(plotted["ngo_name"].tolist(), plotted["ngo"].tolist())]
    top = float(np.nan_to_num(amount).max()) or 1
    biggest = set(np.argsort(-np.nan_to_num(amount), kind="stable")[:LABELLED].tolist())  # the largest grants are named
    # numbers stay numbers (plotly writes them with the language's separators set by charts.style) and texts are a
    # string array: thousands of formatted strings in an object array cost the page a tenth of a second each rerun
    fig = go.Figure(go.Scatter(
        x=cost, y=achievement, mode="markers+text", textposition="top center", textfont={"size": 10, "color": "#374151"},
        text=np.array([labels.wrapped(n or "", 22, 1) if i in biggest else "" for i, n in enumerate(names)], dtype=str),
        hovertext=np.array([n or "" for n in names], dtype=str),
        marker={"size": 12 + 30 * (np.nan_to_num(amount) / top) ** 0.5, "color": charts.PRIMARY,
                "opacity": 0.7, "line": {"width": 1, "color": "white"}},
        customdata=amount,
        hovertemplate="<b>%{hovertext}</b><br>" + T("cost_per_beneficiary") + ": %{x:,.0f} ₸<br>"
                      + T("achievement") + ": %{y:.1%}<br>" + T("grant_amount") + ": %{customdata:,.0f} ₸<extra></extra>"))
    fig.add_hline(y=1.0, line_dash="dash", line_color=charts.PLAN)
    fig.update_xaxes(title=T("cost_per_beneficiary") + ", ₸", tickformat=",.0f")
    fig.update_yaxes(title=T("achievement"), tickformat=".0%")
    charts.chart(charts.style(fig, title=T("scatter_cost_achievement"), height=420), "ngo_scatter")
    st.caption(T("scatter_hint", labelled=min(LABELLED, len(names))))

ngos = ngos.assign(profile=state.page_urls("ngo", "ngo", ngos["ngo"],
                                           names=ngos["ngo_name"].where(ngos["ngo_name"].notna(), T("not_stated"))))
tables.show_table(ngos, {"direct_beneficiaries": ("direct_fact", "count"), "rank": ("col_rank", "count"),
                         "reports": ("reports", "count"), "grant_amount": ("grant_amount", "money"),
                         "direct_plan": ("direct_plan", "count"), "direct_achievement": ("direct_achievement", "share"),
                         "indirect_beneficiaries": ("indirect", "count"), "participants": ("participants_total", "count"),
                         "cost_per_beneficiary": ("cost_per_beneficiary", "money")},
                  key="ngos", file_stem=f"grantstats-ngos-{region}", title=T("ngos_side_by_side"),
                  links={"profile": ("col_ngo", tables.NAME_IN_URL)})
st.caption(T("ngo_link_hint"))

from ui.insight import ngo_peers_section  # noqa: E402 - issue #17: each NGO beside its peers

ngo_peers_section(flt.with_(regions=(region,)))
