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

by_region = cached(totals, flt, by="region").sort_values("reports", ascending=False, kind="stable")
options = [NOT_STATED if r is None else r for r in charts.records(by_region) for r in [r["region"]]]
state.url_param("in", "ngo_region", options)
if st.session_state.get("ngo_region") not in options:
    st.session_state["ngo_region"] = flt.regions[0] if len(flt.regions) == 1 and flt.regions[0] in options else options[0]
region = st.selectbox(T("choose_region"), options, key="ngo_region",
                      format_func=lambda c: labels.region_name(None if c == NOT_STATED else c, lang))
state.set_url_param("in", region)

ngos = cached(ngo_comparison, flt, region=region)
st.subheader(f"{T('ngos_side_by_side')}: {labels.region_name(None if region == NOT_STATED else region)}")
region_head = cached(headline, flt.with_(regions=(region,))).iloc[0]
st.caption(T("basis", reports=fmt.count(region_head["reports"]), ngos=fmt.count(region_head["ngos"]))
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
    labelled = len(names) <= 15
    hover = np.array([names, [fmt.money(v, lang) for v in cost], [fmt.share(v) for v in achievement],
                      [fmt.money(v, lang) for v in amount]], dtype=object).T
    fig = go.Figure(go.Scatter(
        x=cost, y=achievement,
        mode="markers+text" if labelled else "markers", textposition="top center", textfont={"size": 10},
        text=[(n or "")[:28] for n in names] if labelled else None,
        marker={"size": 12 + 30 * (np.nan_to_num(amount) / top) ** 0.5, "color": charts.PRIMARY,
                "opacity": 0.7, "line": {"width": 1, "color": "white"}},
        customdata=hover,
        hovertemplate="<b>%{customdata[0]}</b><br>" + T("cost_per_beneficiary") + ": %{customdata[1]}<br>"
                      + T("achievement") + ": %{customdata[2]}<br>" + T("grant_amount") + ": %{customdata[3]}<extra></extra>"))
    fig.add_hline(y=1.0, line_dash="dash", line_color=charts.PLAN)
    fig.update_xaxes(title=T("cost_per_beneficiary") + ", ₸", tickformat=",.0f")
    fig.update_yaxes(title=T("achievement"), tickformat=".0%")
    charts.chart(charts.style(fig, title=T("scatter_cost_achievement"), height=380), "ngo_scatter")
    st.caption(T("scatter_hint"))

ngos = ngos.assign(reports_link=state.page_urls("report", "ngo", ngos["ngo"]),
                   name=ngos["ngo_name"].where(ngos["ngo_name"].notna(), T("not_stated")))
tables.show_table(ngos, {"rank": ("col_rank", "count"), "name": ("col_ngo", "text"), "reports": ("reports", "count"),
                         "grant_amount": ("grant_amount", "money"), "direct_plan": ("direct_plan", "count"),
                         "direct_beneficiaries": ("direct_fact", "count"), "direct_achievement": ("direct_achievement", "share"),
                         "indirect_beneficiaries": ("indirect", "count"), "participants": ("participants_total", "count"),
                         "cost_per_beneficiary": ("cost_per_beneficiary", "money")},
                  key="ngos", file_stem=f"grantstats-ngos-{region}", links={"reports_link": ("col_open", ":material/description:")})

from ui.insight import ngo_peers_section  # noqa: E402 - issue #17: each NGO beside its peers

ngo_peers_section(flt.with_(regions=(region,)))
