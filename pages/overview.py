"""Обзор: headline cards with the change against the previous year, the trend by year, top and bottom."""

import plotly.graph_objects as go
import streamlit as st

from grantstats import formatting as fmt
from grantstats.metrics import plan_vs_fact, totals, year_over_year
from ui import charts, frame, labels, tables
from ui.data import cached
from ui.labels import T

flt, head = frame.page_start("overview_title")
lang = labels.lang()

# The latest selected year against the one before (the year before is brought into the selection).
yoy = cached(year_over_year, flt.with_(year_from=flt.year_from - 1) if flt.year_from else flt)
last = yoy[yoy["year"] == (flt.year_to or yoy["year"].max())] if not yoy.empty else yoy
last = last.iloc[-1] if not last.empty else None
direct_pf = cached(plan_vs_fact, flt, indicators=["direct_beneficiaries", "indirect_beneficiaries"])
approx = {r["indicator"]: (r["approx_share"] or 0) > 0 for r in charts.records(direct_pf)}


def delta(column: str):
    if last is None:
        return None
    if column == "direct_achievement":
        return fmt.points_change(last[column], last[f"{column}_prev"], lang)
    return fmt.change(last[column], last[f"{column}_prev"])


delta_text = (T("vs_prev_year", year=int(last["year"]), prev=int(last["year"]) - 1)
              if last is not None and not fmt.is_missing(last.get("reports_prev")) else None)
cards = [
    ("reports", fmt.count(head["reports"]), delta("reports"), "normal"),
    ("ngos", fmt.count(head["ngos"]), None, "normal"),
    ("grant_amount", fmt.money(head["grant_amount"], lang), delta("grant_amount"), "normal"),
    ("direct", fmt.count(head["direct_beneficiaries"], approx.get("direct_beneficiaries", False)),
     delta("direct_beneficiaries"), "normal"),
    ("indirect", fmt.count(head["indirect_beneficiaries"], approx.get("indirect_beneficiaries", False)),
     delta("indirect_beneficiaries"), "normal"),
    ("direct_achievement", fmt.share(head["direct_achievement"], approximate=approx.get("direct_beneficiaries", False)),
     delta("direct_achievement"), "normal"),
    ("cost_per_beneficiary", fmt.money(head["cost_per_beneficiary"], lang), delta("cost_per_beneficiary"), "inverse"),
]
columns = st.columns(4) + st.columns(4)
for column, (key, value, change, color) in zip(columns, cards):
    column.metric(T(key), value, delta=change, delta_color=color, border=True,
                  delta_description=delta_text if change else None)
with columns[7]:
    st.metric(T("reports_with_errors"), fmt.count(head["reports_with_errors"]), border=True)
if any(approx.values()):
    st.caption(T("approx_note"))

from ui.insight import brief_download  # noqa: E402 - issue #17: the brief for the minister

brief_download(flt)

# Trend by year
st.subheader(T("trend_by_year"))
by_year = cached(totals, flt, by="year").dropna(subset=["year"])
if by_year.empty:
    st.caption(fmt.DASH)
else:
    years = [str(int(y)) for y in by_year["year"]]
    left, right = st.columns(2)
    people = go.Figure()
    people.add_trace(go.Bar(x=years, y=by_year["direct_beneficiaries"], name=T("direct"), marker_color=charts.PRIMARY,
                            text=[fmt.compact(v, lang) for v in by_year["direct_beneficiaries"]], textposition="outside",
                            cliponaxis=False))
    people.add_trace(go.Scatter(x=years, y=by_year["direct_plan"], name=T("direct_plan"), mode="lines+markers",
                                line={"color": charts.PLAN, "width": 2, "dash": "dot"}))
    people.update_yaxes(tickformat=",.0f")
    people.update_xaxes(type="category")
    left.plotly_chart(charts.style(people, title=T("direct"), legend=True, height=330), key="trend_people",
                      config={"displayModeBar": False})
    money = go.Figure(go.Bar(x=years, y=by_year["grant_amount"], marker_color=charts.SECONDARY, name=T("grant_amount"),
                             text=[fmt.money(v, lang) for v in by_year["grant_amount"]], textposition="outside",
                             cliponaxis=False))
    money.update_yaxes(showticklabels=False)
    money.update_xaxes(type="category")
    right.plotly_chart(charts.style(money, title=T("grant_amount"), height=330), key="trend_money",
                       config={"displayModeBar": False})
    tables.show_table(by_year, {"year": ("col_year", "year"), "reports": ("reports", "count"), "ngos": ("ngos", "count"),
                                "grant_amount": ("grant_amount", "money"), "direct_beneficiaries": ("direct", "count"),
                                "indirect_beneficiaries": ("indirect", "count"), "direct_plan": ("direct_plan", "count"),
                                "direct_achievement": ("direct_achievement", "share"),
                                "cost_per_beneficiary": ("cost_per_beneficiary", "money")},
                      key="by_year", file_stem="grantstats-by-year")

# Top and bottom regions and directions
st.subheader(T("top_bottom"))
metric = charts.metric_picker("overview_metric")
left, right = st.columns(2)
for column, by, name, title in ((left, "region", labels.region_name, "by_region"),
                                (right, "direction", labels.direction_short, "by_direction")):
    df = cached(totals, flt, by=by).dropna(subset=[metric]).sort_values(metric, ascending=False, kind="stable")
    if df.empty:
        column.caption(fmt.DASH)
        continue
    n = min(5, len(df))
    top, bottom = df.head(n), df.tail(n) if len(df) > n else df.iloc[0:0]
    rows = charts.records(top) + charts.records(bottom)
    colors = [charts.PRIMARY] * len(top) + [charts.MUTED] * len(bottom)
    fig = charts.hbar([name(r[by]) for r in rows], [r[metric] for r in rows], [charts.metric_text(metric, r[metric]) for r in rows],
                      colors=colors, title=f"{T(title)}: {T('top')} / {T('bottom')}")
    column.plotly_chart(fig, key=f"top_{by}", config={"displayModeBar": False})
