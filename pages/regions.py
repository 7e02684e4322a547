"""Регионы: the tile map of Kazakhstan coloured by a chosen metric, ranked bars, region × year."""

import streamlit as st

from grantstats import dashboard as ui, tilemap
from grantstats.metrics import NOT_STATED

flt, head = ui.page_start("page_regions")
lang = ui.lang()
metric = ui.metric_picker("regions_metric")
label = ui.T(ui.METRIC_LABEL[metric])

by_region = ui.call("totals", flt, by="region")
values = {r["region"]: r[metric] for r in ui.records(by_region) if r["region"] is not None}

left, right = st.columns([3, 2])
with left:
    fig = tilemap.tile_figure(values, lang=lang, full_name=ui.region_name,
                              value_text=lambda v: ui.metric_text(metric, v),
                              colorscale=ui.DIVERGING if metric == "direct_achievement" else ui.SEQUENTIAL,
                              title=ui.T("map_title", metric=label), height=420)
    if metric == "direct_achievement":
        fig.update_traces(zmid=1.0, selector={"type": "heatmap", "showscale": True})
    ui.chart(fig, "region_map")
    st.caption(ui.T("region_split_note"))
with right:
    ranked = by_region.sort_values(metric, ascending=False, na_position="last", kind="stable")
    rows = ui.records(ranked)
    ui.chart(ui.hbar([ui.region_name(r["region"]) for r in rows], [r[metric] for r in rows],
                     [ui.metric_text(metric, r[metric]) for r in rows], title=ui.T("ranked", metric=label),
                     height=420 if len(rows) <= 14 else None), "region_bars")

region_year = ui.call("totals", flt, by=("region", "year"))
z, years, names, texts = ui.grid(region_year, "region", metric, ui.region_name,
                                 row_order=ranked["region"].tolist())
if years:
    ui.chart(ui.heatmap(z, years, names, texts, title=ui.T("heatmap_region_year", metric=label),
                        diverging=metric == "direct_achievement"), "region_year")

st.subheader(ui.T("table"))
ranked = ranked.assign(ngo_link=ui.page_urls("ngos", "in", ranked["region"].where(ranked["region"].notna(), NOT_STATED)),
                       region_name=[ui.region_name(r) for r in ranked["region"]])
ui.show_table(ranked, {"region_name": ("col_region", "text"), "reports": ("reports", "count"),
                       "ngos": ("ngos", "count"), "grant_amount": ("grant_amount", "money"),
                       "direct_beneficiaries": ("direct", "count"), "indirect_beneficiaries": ("indirect", "count"),
                       "direct_achievement": ("direct_achievement", "share"),
                       "cost_per_beneficiary": ("cost_per_beneficiary", "money"),
                       "reports_with_errors": ("reports_with_errors", "count")},
              key="regions", file_stem="grantstats-regions", links={"ngo_link": ("drill_region", ":material/groups:")})
