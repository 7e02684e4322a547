"""Регионы: the tile map of Kazakhstan coloured by a chosen metric, ranked bars, region × year."""

import streamlit as st

from grantstats import tilemap
from grantstats.metrics import NOT_STATED, totals
from ui import charts, frame, labels, state, tables
from ui.data import cached
from ui.labels import T

flt, head = frame.page_start("page_regions")
lang = labels.lang()
metric = charts.metric_picker("regions_metric")
label = T(charts.METRIC_LABEL[metric])

by_region = cached(totals, flt, by="region")
values = {r["region"]: r[metric] for r in charts.records(by_region) if r["region"] is not None}

left, right = st.columns([3, 2])
with left:
    fig = tilemap.tile_figure(values, lang=lang, full_name=labels.region_name,
                              value_text=lambda v: charts.metric_text(metric, v),
                              colorscale=charts.DIVERGING if metric == "direct_achievement" else charts.SEQUENTIAL,
                              title=T("map_title", metric=label), height=420)
    if metric == "direct_achievement":
        fig.update_traces(zmid=1.0, selector={"type": "heatmap", "showscale": True})
    charts.chart(fig, "region_map")
    st.caption(T("region_split_note"))
with right:
    ranked = by_region.sort_values(metric, ascending=False, na_position="last", kind="stable")
    rows = charts.records(ranked)
    charts.chart(charts.hbar([labels.region_name(r["region"]) for r in rows], [r[metric] for r in rows],
                             [charts.metric_text(metric, r[metric]) for r in rows], title=T("ranked", metric=label),
                             height=420 if len(rows) <= 14 else None), "region_bars")

region_year = cached(totals, flt, by=("region", "year"))
z, years, names, texts = charts.grid(region_year, "region", metric, labels.region_name,
                                     row_order=ranked["region"].tolist())
if years:
    charts.chart(charts.heatmap(z, years, names, texts, title=T("heatmap_region_year", metric=label),
                                diverging=metric == "direct_achievement"), "region_year")

st.subheader(T("table"))
ranked = ranked.assign(ngo_link=state.page_urls("ngos", "in", ranked["region"].where(ranked["region"].notna(), NOT_STATED)),
                       region_name=[labels.region_name(r) for r in ranked["region"]])
tables.show_table(ranked, {"region_name": ("col_region", "text"), "reports": ("reports", "count"),
                           "ngos": ("ngos", "count"), "grant_amount": ("grant_amount", "money"),
                           "direct_beneficiaries": ("direct", "count"), "indirect_beneficiaries": ("indirect", "count"),
                           "direct_achievement": ("direct_achievement", "share"),
                           "cost_per_beneficiary": ("cost_per_beneficiary", "money"),
                           "reports_with_errors": ("reports_with_errors", "count")},
                  key="regions", file_stem="grantstats-regions", links={"ngo_link": ("drill_region", ":material/groups:")})
