"""Участники: gender, age brackets and categories — people and shares, and how much was derived from percent."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import formatting as fmt
from grantstats.metrics import breakdown
from ui import charts, frame, labels, tables
from ui.data import cached
from ui.labels import T

flt, head = frame.page_start("page_participants")
lang = labels.lang()


def bars(dimension: str, key: str, title: str) -> None:
    df = cached(breakdown, flt, dimension=dimension)
    if df.empty:
        st.caption(fmt.DASH)
        return
    rows = charts.records(df)
    names = [labels.bucket_name(dimension, r["bucket"]) for r in rows]
    fig = go.Figure()
    fig.add_trace(go.Bar(y=names, x=[r["people"] for r in rows], orientation="h", name=T("col_people"),
                         marker_color=charts.PRIMARY, text=[f"{fmt.count(r['people'])} · {fmt.share(r['share'])}" for r in rows],
                         textposition="auto", cliponaxis=False,
                         hovertemplate="%{y}: %{text}<extra></extra>"))
    if any(r["derived_people"] for r in rows):
        fig.add_trace(go.Bar(y=names, x=[r["derived_people"] for r in rows], orientation="h", name=T("col_derived"),
                             marker_color=charts.PLAN, width=0.3, opacity=0.9,
                             hovertemplate="%{y}: %{x:,.0f} " + T("col_derived").lower() + "<extra></extra>"))
    fig.update_layout(barmode="overlay")
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(title=T("people_axis"), tickformat=",.0f")
    charts.chart(charts.style(fig, title=title, height=max(200, 36 * len(rows) + 90), legend=True), f"participants_{key}")
    df = df.assign(name=names)
    tables.show_table(df, {"name": (f"dimension_{dimension}", "text"), "people": ("col_people", "count"),
                           "share": ("col_share", "share"), "derived_people": ("col_derived", "count"),
                           "derived_share": ("col_derived_share", "share"), "reports": ("reports", "count")},
                      key=f"breakdown_{key}", file_stem=f"grantstats-participants-{dimension}")


st.metric(T("participants_total"), fmt.count(head["participants"]), border=False)
left, right = st.columns(2)
with left:
    bars("gender", "gender", T("gender"))
with right:
    bars("age", "age", T("age"))
bars("category", "category", T("categories"))
st.caption(T("categories_note"))
