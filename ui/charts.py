"""Charts on a page: the palette, the metric a page colours and ranks by, the common plotly look, bars and
heat maps, and the reshaping of a figure table into chart inputs (no arithmetic)."""

from __future__ import annotations

from typing import Any, Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from grantstats import formatting as fmt, i18n
from ui.labels import FORMATTERS, T, lang, missing_code

PRIMARY = "#1F5F8B"     # facts, direct beneficiaries, the main series
PLAN = "#E8A33D"        # plans
SECONDARY = "#6FB1C8"   # indirect beneficiaries, second series
GOOD = "#2E8B57"
BAD = "#C0392B"
MUTED = "#9CA3AF"
SEQUENTIAL = [[0.0, "#EEF4FA"], [0.5, "#7FADD1"], [1.0, "#123E5E"]]
DIVERGING = [[0.0, BAD], [0.5, "#F7F7F2"], [1.0, GOOD]]  # achievement: centred on 100 %
SERIES = [PRIMARY, PLAN, SECONDARY, "#8E6BB0", GOOD, "#D4716B", "#5C6B7A", "#B8A03A", "#4FA3A5", "#A65E8C"]

METRIC_CHOICES = ("direct_beneficiaries", "indirect_beneficiaries", "grant_amount", "direct_achievement",
                  "cost_per_beneficiary", "reports")
METRIC_LABEL = {"direct_beneficiaries": "direct", "indirect_beneficiaries": "indirect", "grant_amount": "grant_amount",
                "direct_achievement": "achievement", "cost_per_beneficiary": "cost_per_beneficiary",
                "reports": "reports", "participants": "participants_total"}
METRIC_KIND = {"direct_beneficiaries": "count", "indirect_beneficiaries": "count", "grant_amount": "money_short",
               "direct_achievement": "share", "cost_per_beneficiary": "money_short", "reports": "count",
               "participants": "count"}


def metric_text(metric: str, value: Any) -> str:
    return FORMATTERS[METRIC_KIND.get(metric, "number")](value)


def metric_picker(key: str, default: str = "direct_beneficiaries") -> str:
    """A choice of the metric to colour and rank by (kept in the session)."""
    if st.session_state.get(key) not in METRIC_CHOICES:
        st.session_state[key] = default
    language = lang()
    return st.segmented_control(T("rank_by"), list(METRIC_CHOICES), key=key, required=True,
                                format_func=lambda m: i18n.t(METRIC_LABEL[m], language), persist_state="session")


def style(fig: go.Figure, *, height: int = 360, title: str | None = None, legend: bool = False) -> go.Figure:
    fig.update_layout(
        height=height, margin={"l": 8, "r": 8, "t": 40 if title else 10, "b": 8},
        title={"text": title, "font": {"size": 15}} if title else None,
        font={"size": 12}, showlegend=legend, plot_bgcolor="rgba(0,0,0,0)",
        legend={"orientation": "h", "yanchor": "top", "y": -0.14, "x": 0},
        separators=", ", hoverlabel={"font_size": 12},
    )
    fig.update_xaxes(gridcolor="#E5E7EB", zerolinecolor="#D1D5DB")
    fig.update_yaxes(gridcolor="#E5E7EB", zerolinecolor="#D1D5DB")
    return fig


def hbar(labels: list[str], values: list[Any], texts: list[str], *, colors: Any = PRIMARY, title: str | None = None,
         height: int | None = None, hover: list[str] | None = None) -> go.Figure:
    """Horizontal bars, first item on top."""
    fig = go.Figure(go.Bar(
        y=labels, x=[None if fmt.is_missing(v) else v for v in values], orientation="h", marker_color=colors,
        text=texts, textposition="auto", cliponaxis=False, customdata=hover or texts,
        hovertemplate="%{y}: %{customdata}<extra></extra>"))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(showticklabels=False)
    return style(fig, height=height or max(160, 28 * len(labels) + 50), title=title)


def heatmap(z: list[list[Any]], x: list[Any], y: list[str], texts: list[list[str]], *, title: str | None = None,
            diverging: bool = False, height: int | None = None) -> go.Figure:
    fig = go.Figure(go.Heatmap(
        z=z, x=[str(v) for v in x], y=y, text=texts, texttemplate="%{text}", hovertemplate="%{y} · %{x}: %{text}<extra></extra>",
        colorscale=DIVERGING if diverging else SEQUENTIAL, zmid=1.0 if diverging else None, xgap=2, ygap=2,
        colorbar={"thickness": 10}, hoverongaps=False, textfont={"size": 10}))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(type="category", side="top")
    return style(fig, height=height or max(220, 26 * len(y) + 80), title=title)


def chart(fig: go.Figure, key: str) -> None:
    st.plotly_chart(fig, key=key, config={"displayModeBar": False})


def records(df: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as dicts with NaN as None (for building chart inputs)."""
    return [{k: (None if fmt.is_missing(v) and not isinstance(v, str) else v) for k, v in row.items()}
            for row in df.to_dict("records")]


def grid(df: pd.DataFrame, row: str, metric: str, row_name: Callable[[Any], str],
         row_order: list[Any] | None = None) -> tuple[list[list[Any]], list[int], list[str], list[list[str]]]:
    """Reshape a (row, year) table into heat-map inputs: z, years, row labels, cell texts (no arithmetic)."""
    df = df.dropna(subset=["year"])
    years = sorted(int(y) for y in df["year"].unique())
    keys = list(dict.fromkeys(row_order if row_order is not None else df[row].tolist()))
    keys = [k for k in keys if (df[row].isna().any() if missing_code(k) else (df[row] == k).any())]
    cells = {(None if missing_code(r[row]) else r[row], int(r["year"])): r[metric] for r in records(df)}
    z = [[cells.get((None if missing_code(k) else k, y)) for y in years] for k in keys]
    texts = [[metric_text(metric, v) if v is not None else "" for v in line] for line in z]
    return z, years, [row_name(k) for k in keys], texts
