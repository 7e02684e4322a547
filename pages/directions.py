"""Направления: the same as Регионы by grant direction, with direction × year."""

import streamlit as st

from grantstats.metrics import totals
from ui import charts, frame, labels, tables
from ui.data import cached
from ui.labels import T

flt, head = frame.page_start("page_directions")
metric = charts.metric_picker("directions_metric")
label = T(charts.METRIC_LABEL[metric])

by_direction = cached(totals, flt, by="direction")
ranked = by_direction.sort_values(metric, ascending=False, na_position="last", kind="stable")
rows = charts.records(ranked)
charts.chart(charts.hbar([labels.direction_short(r["direction"], 60) for r in rows], [r[metric] for r in rows],
                         [charts.metric_text(metric, r[metric]) for r in rows], title=T("ranked", metric=label),
                         hover=[f"{labels.direction_name(r['direction'])}: {charts.metric_text(metric, r[metric])}" for r in rows]),
             "direction_bars")

direction_year = cached(totals, flt, by=("direction", "year"))
z, years, names, texts = charts.grid(direction_year, "direction", metric, lambda c: labels.direction_short(c, 44),
                                     row_order=ranked["direction"].tolist())
if years:
    charts.chart(charts.heatmap(z, years, names, texts, title=T("heatmap_direction_year", metric=label),
                                diverging=metric == "direct_achievement"), "direction_year")

st.subheader(T("table"))
ranked = ranked.assign(direction_name=[labels.direction_name(d) for d in ranked["direction"]])
tables.show_table(ranked, {"direction_name": ("col_direction", "text"), "reports": ("reports", "count"),
                           "ngos": ("ngos", "count"), "grant_amount": ("grant_amount", "money"),
                           "direct_beneficiaries": ("direct", "count"), "indirect_beneficiaries": ("indirect", "count"),
                           "direct_achievement": ("direct_achievement", "share"),
                           "cost_per_beneficiary": ("cost_per_beneficiary", "money"),
                           "reports_with_errors": ("reports_with_errors", "count")},
                  key="directions", file_stem="grantstats-directions")
