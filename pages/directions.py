"""Направления: the same as Регионы by grant direction, with direction × year."""

import streamlit as st

from grantstats import dashboard as ui

flt, head = ui.page_start("page_directions")
metric = ui.metric_picker("directions_metric")
label = ui.T(ui.METRIC_LABEL[metric])

by_direction = ui.call("totals", flt, by="direction")
ranked = by_direction.sort_values(metric, ascending=False, na_position="last", kind="stable")
rows = ui.records(ranked)
ui.chart(ui.hbar([ui.direction_short(r["direction"], 60) for r in rows], [r[metric] for r in rows],
                 [ui.metric_text(metric, r[metric]) for r in rows], title=ui.T("ranked", metric=label),
                 hover=[f"{ui.direction_name(r['direction'])}: {ui.metric_text(metric, r[metric])}" for r in rows]),
         "direction_bars")

direction_year = ui.call("totals", flt, by=("direction", "year"))
z, years, names, texts = ui.grid(direction_year, "direction", metric, lambda c: ui.direction_short(c, 44),
                                 row_order=ranked["direction"].tolist())
if years:
    ui.chart(ui.heatmap(z, years, names, texts, title=ui.T("heatmap_direction_year", metric=label),
                        diverging=metric == "direct_achievement"), "direction_year")

st.subheader(ui.T("table"))
ranked = ranked.assign(direction_name=[ui.direction_name(d) for d in ranked["direction"]])
ui.show_table(ranked, {"direction_name": ("col_direction", "text"), "reports": ("reports", "count"),
                       "ngos": ("ngos", "count"), "grant_amount": ("grant_amount", "money"),
                       "direct_beneficiaries": ("direct", "count"), "indirect_beneficiaries": ("indirect", "count"),
                       "direct_achievement": ("direct_achievement", "share"),
                       "cost_per_beneficiary": ("cost_per_beneficiary", "money"),
                       "reports_with_errors": ("reports_with_errors", "count")},
              key="directions", file_stem="grantstats-directions")
