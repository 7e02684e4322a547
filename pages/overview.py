"""Обзор: headline cards for the latest selected year with its change against the year before (and the total of
the selected years under each), the summary workbook, the trend by year, top and bottom."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import formatting as fmt
from grantstats.metrics import plan_vs_fact, totals, year_over_year
from ui import charts, downloads, frame, labels, tables
from ui.data import cached
from ui.labels import T

flt, head = frame.page_start("overview_title")
lang = labels.lang()
downloads.summary_download(flt, key="overview_summary")

# The latest selected year against the one before (the year before is brought into the selection).
yoy = cached(year_over_year, flt.with_(year_from=flt.year_from - 1) if flt.year_from else flt)
by_year = cached(totals, flt, by="year").dropna(subset=["year"])
years = [int(y) for y in by_year["year"]]
last = yoy[yoy["year"] == (flt.year_to or yoy["year"].max())] if not yoy.empty else yoy
last = last.iloc[-1] if not last.empty else None
year = int(last["year"]) if last is not None else None
span = (f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])) if years else None
indicators = ["direct_beneficiaries", "indirect_beneficiaries"]
approx_all = {r["indicator"]: (r["approx_share"] or 0) > 0
              for r in charts.records(cached(plan_vs_fact, flt, indicators=indicators))}
approx_year = approx_all if year is None else {
    r["indicator"]: (r["approx_share"] or 0) > 0
    for r in charts.records(cached(plan_vs_fact, flt.with_(year_from=year, year_to=year), indicators=indicators))}


def delta(column: str):
    if last is None:
        return None
    if column == "direct_achievement":
        return fmt.points_change(last[column], last[f"{column}_prev"], lang)
    if f"{column}_prev" not in last:
        return None
    return fmt.change(last[column], last[f"{column}_prev"], lang=lang)


def figure(kind: str, value, approximate: bool = False) -> str:
    if kind == "count":
        return fmt.count(value, approximate, lang=lang)
    if kind == "share":
        return fmt.share(value, approximate=approximate, lang=lang)
    return fmt.money(value, lang)


CARDS = (  # (label key, column, kind, indicator whose approximate values it rests on, delta colour); a card's label
    # and its year fit on one line of a quarter of the page
    ("reports", "reports", "count", None, "normal"),
    ("ngos", "ngos", "count", None, "normal"),
    ("grant_amount", "grant_amount", "money", None, "normal"),
    ("direct", "direct_beneficiaries", "count", "direct_beneficiaries", "normal"),
    ("indirect", "indirect_beneficiaries", "count", "indirect_beneficiaries", "normal"),
    ("card_achievement", "direct_achievement", "share", "direct_beneficiaries", "normal"),
    ("card_cost", "cost_per_beneficiary", "money", None, "inverse"),
    ("reports_with_errors", "reports_with_errors", "count", None, "inverse"),
)
compared = (T("vs_prev_year", year=year, prev=year - 1)
            if last is not None and not fmt.is_missing(last.get("reports_prev")) else None)
single_year = last is None or span == str(year)
columns = st.columns(4) + st.columns(4)
for column, (label, key, kind, indicator, color) in zip(columns, CARDS):
    with column.container(border=True):
        if last is None:  # no known year: the selection's totals
            st.metric(T(label), figure(kind, head[key], approx_all.get(indicator, False)))
            continue
        change = delta(key) if compared else None
        st.metric(f"{T(label)}, {year}", figure(kind, last[key], approx_year.get(indicator, False)), delta=change,
                  delta_color=color, delta_description=compared if change else None)
        if not single_year:
            st.caption(T("card_total", years=span, value=figure(kind, head[key], approx_all.get(indicator, False))))
if any(approx_all.values()):
    st.caption(T("approx_note"))

from ui.insight import brief_download  # noqa: E402 - issue #17: the brief for the minister

brief_download(flt)

# Trend by year
st.subheader(T("trend_by_year"))
if by_year.empty:
    st.caption(fmt.DASH)
else:
    labels_x = [str(y) for y in years]
    left, right = st.columns(2)
    people = go.Figure()
    people.add_trace(go.Bar(x=labels_x, y=by_year["direct_beneficiaries"], name=T("direct_fact"), marker_color=charts.PRIMARY,
                            text=[fmt.compact(v, lang) for v in by_year["direct_beneficiaries"]], textposition="inside",
                            insidetextanchor="start", textangle=0, textfont={"color": "white", "size": 11},
                            hovertemplate="%{x}: %{text}<extra></extra>"))
    people.add_trace(go.Scatter(x=labels_x, y=by_year["direct_plan"], name=T("direct_plan"), mode="lines+markers",
                                line={"color": charts.PLAN, "width": 2, "dash": "dot"},
                                customdata=[fmt.compact(v, lang) for v in by_year["direct_plan"]],
                                hovertemplate="%{x}: %{customdata}<extra></extra>"))
    people.update_yaxes(tickformat=",.0f")
    people.update_xaxes(type="category")
    left.plotly_chart(charts.style(people, title=T("direct"), legend=True, height=330), key="trend_people",
                      config={"displayModeBar": False})
    money = go.Figure(go.Bar(x=labels_x, y=by_year["grant_amount"], marker_color=charts.SECONDARY, name=T("grant_amount"),
                             text=[fmt.money(v, lang) for v in by_year["grant_amount"]], textposition="outside",
                             cliponaxis=False, hovertemplate="%{x}: %{text}<extra></extra>"))
    money.update_yaxes(showticklabels=False, range=[0, float(by_year["grant_amount"].max() or 1) * 1.15])
    money.update_xaxes(type="category")
    right.plotly_chart(charts.style(money, title=T("grant_amount"), height=330), key="trend_money",
                       config={"displayModeBar": False})
    tables.show_table(by_year, {"year": ("col_year", "year"), "direct_beneficiaries": ("direct", "count"),
                                "reports": ("reports", "count"), "ngos": ("ngos", "count"),
                                "grant_amount": ("grant_amount", "money"),
                                "indirect_beneficiaries": ("indirect", "count"), "direct_plan": ("direct_plan", "count"),
                                "direct_achievement": ("direct_achievement", "share"),
                                "cost_per_beneficiary": ("cost_per_beneficiary", "money")},
                      key="by_year", file_stem="grantstats-by-year", title=T("trend_by_year"))

# Top and bottom regions and directions
st.subheader(T("top_bottom"))
metric = charts.metric_picker("overview_metric")
left, right = st.columns(2)
for column, by, name, title in ((left, "region", labels.region_name, "by_region"),
                                (right, "direction", labels.direction_label, "by_direction")):
    df = cached(totals, flt, by=by).dropna(subset=[metric]).sort_values(metric, ascending=False, kind="stable")
    if df.empty:
        column.caption(fmt.DASH)
        continue
    n = min(5, len(df))
    top, bottom = df.head(n), df.tail(n) if len(df) > n else df.iloc[0:0]
    rows = charts.records(top) + charts.records(bottom)
    colors = [charts.PRIMARY] * len(top) + [charts.MUTED] * len(bottom)
    fig = charts.hbar([name(r[by]) for r in rows], [r[metric] for r in rows], [charts.metric_text(metric, r[metric]) for r in rows],
                      colors=colors, title=f"{T(title)}: {T('top')} / {T('bottom')}",
                      hover=[f"{labels.direction_name(r[by]) if by == 'direction' else name(r[by])}: "
                             f"{charts.metric_text(metric, r[metric])}" for r in rows])
    column.plotly_chart(fig, key=f"top_{by}", config={"displayModeBar": False})
