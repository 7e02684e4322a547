"""What every dashboard page shares: the database handle, the sidebar filters and the URL, cached metric
calls, labels, tables with downloads, and the chart look. Streamlit lives here; SQL does not.

* The database (GRANTSTATS_DB or data/grants.duckdb) is opened read-write once per process
  (``st.cache_resource``; created with an empty schema when missing) and every session takes its own
  cursor from it.
* The sidebar filters live in ``st.session_state`` (so they survive page switches) and are mirrored into
  the URL's query string (so a view can be bookmarked): the keys are ``metrics.Filter.to_query_params``'
  plus ``lang``.
* ``call(name, flt, **kw)`` runs ``metrics.<name>(cursor, flt, **kw)`` through ``st.cache_data``, keyed by
  the function, every Filter field, the arguments and the database's row counts.
"""

from __future__ import annotations

import functools
import math
import runpy
import threading
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from grantstats import catalog, formatting as fmt, i18n, metrics, store, tables
from grantstats.metrics import Filter

# ------------------------------------------------------------------------------------------------ pages


@dataclass(frozen=True)
class PageSpec:
    key: str          # i18n key of the title
    path: str         # script, relative to app.py
    url_path: str     # the page's address
    icon: str
    params: tuple[str, ...] = ()  # the page's own query parameters (others are dropped on arrival)
    section: str = "section_figures"  # i18n key of the navigation section it is listed under


PAGES: tuple[PageSpec, ...] = (
    PageSpec("page_overview", "pages/overview.py", "overview", ":material/dashboard:"),
    PageSpec("page_regions", "pages/regions.py", "regions", ":material/map:"),
    PageSpec("page_directions", "pages/directions.py", "directions", ":material/category:"),
    PageSpec("page_ngos", "pages/ngos.py", "ngos", ":material/groups:", ("in",)),
    PageSpec("page_plan_fact", "pages/plan_fact.py", "plan_fact", ":material/target:", ("indicator",)),
    PageSpec("page_participants", "pages/participants.py", "participants", ":material/diversity_3:"),
    PageSpec("page_quality", "pages/quality.py", "quality", ":material/rule:"),
    PageSpec("page_completeness", "pages/completeness.py", "completeness", ":material/assignment_late:"),
    PageSpec("page_health", "pages/health.py", "health", ":material/health_and_safety:"),
    PageSpec("page_shortfall", "pages/shortfall.py", "shortfall", ":material/trending_down:", ("indicator",)),
    PageSpec("page_report", "pages/report.py", "report", ":material/description:", ("report", "ngo"),
             section="section_details"),
    PageSpec("page_review", "pages/review.py", "review", ":material/fact_check:", section="section_details"),
)
PAGE_BY_URL = {p.url_path: p for p in PAGES}

FILTER_PARAMS = ("region", "direction", "year_from", "year_to", "text", "errors")
"""The query parameters of the sidebar filter (Filter.to_query_params' keys; ngo/report are page links)."""

# ----------------------------------------------------------------------------------------------- colours

PRIMARY = "#1F5F8B"     # facts, direct beneficiaries, the main series
PLAN = "#E8A33D"        # plans
SECONDARY = "#6FB1C8"   # indirect beneficiaries, second series
GOOD = "#2E8B57"
BAD = "#C0392B"
MUTED = "#9CA3AF"
SEQUENTIAL = [[0.0, "#EEF4FA"], [0.5, "#7FADD1"], [1.0, "#123E5E"]]
DIVERGING = [[0.0, BAD], [0.5, "#F7F7F2"], [1.0, GOOD]]  # achievement: centred on 100 %
SERIES = [PRIMARY, PLAN, SECONDARY, "#8E6BB0", GOOD, "#D4716B", "#5C6B7A", "#B8A03A", "#4FA3A5", "#A65E8C"]

# ------------------------------------------------------------------------------------------ language


def lang() -> str:
    value = st.session_state.get("lang")
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def T(key: str, **values: Any) -> str:  # noqa: N802 - short on purpose: used on every label
    return i18n.t(key, lang(), **values)


def unit_label(unit: str | None) -> str:
    """An indicator's unit as shown: a catalog unit code («people») in the page's language, a unit the report
    typed («человек») as typed."""
    if unit and f"unit_{unit}" in i18n.TEXTS:
        return T(f"unit_{unit}")
    return unit or ""


def _missing(code: Any) -> bool:
    return code is None or (isinstance(code, float) and math.isnan(code)) or code is pd.NA


def region_name(code: Any, language: str | None = None) -> str:
    return catalog.name("region", None if _missing(code) else str(code), language or lang())


def direction_name(code: Any, language: str | None = None) -> str:
    if _missing(code):
        return catalog.name("direction", None, language or lang())
    return f"{code}. {catalog.name('direction', str(code), language or lang())}"


def direction_short(code: Any, width: int = 38) -> str:
    text = direction_name(code)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def indicator_name(code: Any) -> str:
    return catalog.name("indicator", None if _missing(code) else str(code), lang())


def bucket_name(dimension: str, code: Any) -> str:
    kind = {"gender": "gender", "age": "age", "category": "category"}[dimension]
    return catalog.name(kind, None if _missing(code) else str(code), lang())


def severity_name(code: Any) -> str:
    return i18n.severity_name(code, lang())


def severity_names(codes: Iterable[Any]) -> list[str]:
    return i18n.severity_names(codes, lang())


def with_finding_names(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings (a DataFrame with `severity` and `rule` codes) with `severity_name` and `rule_name` added, in the
    page's language."""
    from grantstats.quality import rule_titles

    return findings.assign(severity_name=severity_names(findings["severity"]),
                           rule_name=rule_titles(findings["rule"], lang()))


def message_column() -> str:
    """The findings' message column in the page's language."""
    return i18n.message_column(lang())


# ------------------------------------------------------------------------------------------- database


DUCKDB_MEMORY_LIMIT = "256MB"
"""DuckDB's memory for the dashboard process (its default is 80 % of the machine's RAM): the cache tables
(about 40 MB at 100 000 reports) and query working memory; a larger intermediate spills to disk."""


@st.cache_resource(show_spinner=False)
def _connection(path: str):
    """The process's one read-write handle (created with an empty schema when the file is missing)."""
    con = store.connect(path)
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")  # a constant, not a user value
    con.execute("SET allocator_flush_threshold = '32MB'")
    return con


def db_path() -> str:
    return str(store.resolve_db_path())


def cursor():
    """This session's cursor on the shared handle (a new one when the handle was re-created)."""
    con = _connection(db_path())
    held = st.session_state.get("_gs_cursor")
    if held is None or held[0] is not con:
        held = (con, con.cursor())
        st.session_state["_gs_cursor"] = held
    return held[1]


def data_version() -> tuple:
    """Changes whenever rows are added or removed: part of every cache key."""
    return tuple(store.table_counts(cursor()).values())


def clear_caches() -> None:
    """Call after writing to the database (e.g. the upload page) so every figure is recomputed."""
    _cached_call.clear()


@st.cache_data(show_spinner=False, max_entries=512, hash_funcs={Filter: repr})
def _cached_call(name: str, flt: Filter, kwargs: tuple, db: str, version: tuple, _cur) -> pd.DataFrame:
    return getattr(metrics, name)(_cur, flt, **dict(kwargs))


def call(name: str, flt: Filter = Filter(), **kwargs: Any) -> pd.DataFrame:
    """``metrics.<name>(cursor, flt, **kwargs)``, cached by every Filter value and argument (a copy: st.cache_data
    unpickles a new DataFrame on every call, so a page may change it)."""
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()))
    version = st.session_state.get("_gs_version") or data_version()
    return _cached_call(name, flt, frozen, db_path(), version, cursor())


def report_details(report_id: str) -> dict | None:
    found = store.report_details(cursor(), [report_id])
    return found[0] if found else None


# ------------------------------------------------------------------------------------ sidebar and URL


def _years_available() -> list[int]:
    df = call("totals", Filter(), by="year")
    return sorted(int(y) for y in df["year"].dropna().tolist()) if not df.empty else []


def _init_from_url() -> None:
    """On a session's first run: the filter widgets take the URL's values."""
    qp = st.query_params
    params = {k: qp.get_all(k) for k in FILTER_PARAMS if k in qp}
    flt = Filter.from_query_params(params)
    regions = set(catalog.codes("region"))
    directions = set(catalog.codes("direction"))
    st.session_state["f_regions"] = [r for r in flt.regions if r in regions]
    st.session_state["f_directions"] = [d for d in flt.directions if d in directions]
    st.session_state["f_text"] = flt.text or ""
    st.session_state["f_exclude_errors"] = flt.exclude_errors
    st.session_state["_gs_url_years"] = (flt.year_from, flt.year_to)
    language = qp.get("lang")
    st.session_state["lang"] = language if language in i18n.LANGS else i18n.DEFAULT_LANG
    st.session_state["_gs_init"] = True


def _reset_filters() -> None:
    for key in ("f_regions", "f_directions"):
        st.session_state[key] = []
    st.session_state["f_text"] = ""
    st.session_state["f_exclude_errors"] = False
    st.session_state.pop("f_years", None)
    st.session_state["_gs_url_years"] = (None, None)


def sidebar() -> Filter:
    """Draw the shared sidebar (language and filters) and return the Filter; mirror it into the URL."""
    if not st.session_state.get("_gs_init"):
        _init_from_url()
    st.session_state["_gs_version"] = data_version()
    sb = st.sidebar
    sb.segmented_control(i18n.t("language", lang()), list(i18n.LANGS), key="lang", required=True,
                         format_func=lambda c: i18n.LANG_NAMES.get(c, c), width="stretch", persist_state="session")
    sb.subheader(T("filters"))
    years = _years_available()
    year_from = year_to = None
    if len(years) >= 2:
        lo, hi = years[0], years[-1]
        if "f_years" not in st.session_state:
            url_from, url_to = st.session_state.get("_gs_url_years", (None, None))
            start = min(max(url_from if url_from is not None else lo, lo), hi)
            end = max(min(url_to if url_to is not None else hi, hi), start)
            st.session_state["f_years"] = (start, end)
        else:
            a, b = st.session_state["f_years"]
            a, b = min(max(a, lo), hi), max(min(b, hi), lo)
            st.session_state["f_years"] = (min(a, b), max(a, b))
        chosen = sb.slider(T("years"), min_value=lo, max_value=hi, key="f_years", step=1, persist_state="session")
        year_from = chosen[0] if chosen[0] != lo else None
        year_to = chosen[1] if chosen[1] != hi else None
    elif years:
        sb.caption(f"{T('years')}: {years[0]}")
    regions = sb.multiselect(T("regions"), catalog.codes("region"), key="f_regions", format_func=functools.partial(region_name, language=lang()),
                             placeholder=T("all"), persist_state="session")
    directions = sb.multiselect(T("directions"), catalog.codes("direction"), key="f_directions",
                                format_func=functools.partial(direction_name, language=lang()), placeholder=T("all"), persist_state="session")
    text = sb.text_input(T("ngo_search"), key="f_text", help=T("ngo_search_help"), persist_state="session")
    exclude = sb.toggle(T("exclude_errors"), key="f_exclude_errors", help=T("exclude_errors_help"),
                        persist_state="session")
    flt = Filter(regions=tuple(regions), directions=tuple(directions), year_from=year_from, year_to=year_to,
                 text=text, exclude_errors=exclude)
    if not flt.is_empty():
        sb.button(T("reset_filters"), on_click=_reset_filters, icon=":material/filter_alt_off:", type="tertiary")
    sb.caption(T("link_hint"))
    st.session_state["_gs_filter"] = flt
    _write_url(flt)
    return flt


def filter_params(flt: Filter) -> dict[str, str]:
    """The query parameters describing the filter and the language."""
    params = {k: v for k, v in flt.to_query_params().items() if k in FILTER_PARAMS}
    if lang() != i18n.DEFAULT_LANG:
        params["lang"] = lang()
    return params


def _write_url(flt: Filter) -> None:
    qp = st.query_params
    wanted = filter_params(flt)
    for key in FILTER_PARAMS + ("lang",):
        if key in wanted:
            if qp.get(key) != wanted[key] or len(qp.get_all(key)) != 1:
                qp[key] = wanted[key]
        elif key in qp:
            del qp[key]


def drop_foreign_params(current_url_path: str) -> None:
    """Leave in the URL only the filter and the current page's own parameters."""
    spec = PAGE_BY_URL.get(current_url_path)
    own = set(spec.params) if spec else set()
    for key in list(st.query_params.keys()):
        if key not in FILTER_PARAMS and key != "lang" and key not in own:
            del st.query_params[key]


def current_filter() -> Filter:
    return st.session_state.get("_gs_filter") or Filter()


def page_url(url_path: str, **params: Any) -> str:
    """A relative link to a page carrying the current filter, language and the given parameters."""
    query = filter_params(current_filter())
    query.update({k: str(v) for k, v in params.items() if v is not None})
    return f"./{url_path}" + ("?" + urllib.parse.urlencode(query) if query else "")


def report_url(report_id: Any) -> str | None:
    return None if _missing(report_id) else page_url("report", report=report_id)


def page_urls(url_path: str, param: str, values: Iterable[Any]) -> list[str | None]:
    """``page_url(url_path, **{param: v})`` for every value (None for a missing one), for a table's link column:
    the filter's part of the address is built once, not once per row (a row costs a session-state read)."""
    query = filter_params(current_filter())
    query.pop(param, None)
    prefix = f"./{url_path}?" + (urllib.parse.urlencode(query) + "&" if query else "") + urllib.parse.quote_plus(param) + "="
    return [None if _missing(v) else prefix + _quoted(str(v)) for v in values]


@functools.lru_cache(maxsize=65536)
def _quoted(value: str) -> str:
    """A URL parameter value quoted (remembered: the same NGO keys and report ids are linked on every rerun)."""
    return urllib.parse.quote_plus(value)


def report_urls(report_ids: Iterable[Any]) -> list[str | None]:
    """``report_url`` for every report id of a column."""
    return page_urls("report", "report", report_ids)


def url_param(name: str, key: str, valid: list | None = None) -> None:
    """Seed a page widget (session key ``key``) from the URL parameter ``name`` whenever the URL changes it."""
    value = st.query_params.get(name)
    seen_key = f"_gs_seen_{name}"
    if value != st.session_state.get(seen_key):
        st.session_state[seen_key] = value
        if value is not None and (valid is None or value in valid):
            st.session_state[key] = value


def set_url_param(name: str, value: Any) -> None:
    value = None if _missing(value) else str(value)
    st.session_state[f"_gs_seen_{name}"] = value
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value


# ------------------------------------------------------------------------------------------ page frame


_RUN = threading.local()
APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"


def run_page(page) -> None:
    """Run the page that st.navigation chose, marked as run through app.py (see through_app)."""
    st.session_state["_gs_app_ran"] = True
    _RUN.in_app = True
    try:
        page.run()
    finally:
        _RUN.in_app = False


def through_app() -> None:
    """Make sure the page runs inside app.py's navigation and sidebar.

    A bookmarked address (/regions?region=KZ-79) opened in a new session reaches Streamlit's discovery of
    the pages/ folder, which runs the page script alone: no sidebar, no filters. Then app.py is run here
    instead; it builds the navigation, which runs this page again, properly. Once a session has run app.py,
    Streamlit runs it first on every rerun.
    """
    if getattr(_RUN, "in_app", False) or st.session_state.get("_gs_app_ran"):
        return
    runpy.run_path(str(APP_SCRIPT), run_name="__main__")
    st.stop()


def page_start(title_key: str, flt: Filter | None = None) -> tuple[Filter, pd.Series | None]:
    """Title, the empty-database help, the basis line. Returns the filter and the headline row, or
    stops the page (after saying why) when the database is empty or nothing matches."""
    through_app()
    st.title(T(title_key))
    flt = flt if flt is not None else current_filter()
    if not st.session_state.get("_gs_version") or st.session_state["_gs_version"][1] == 0:
        st.info(f"**{T('empty_db_title')}**\n\n" + T("empty_db_body", db=db_path()), icon=":material/upload_file:")
        st.stop()
    head = call("headline", flt)
    row = head.iloc[0] if not head.empty else None
    if row is None or not row["reports"]:
        basis_line(0, 0)
        st.warning(T("nothing_matches"), icon=":material/filter_alt_off:")
        st.stop()
    basis_line(row["reports"], row["ngos"])
    return flt, row


def basis_line(reports: Any, ngos: Any) -> None:
    text = T("basis", reports=fmt.count(reports), ngos=fmt.count(ngos))
    if not current_filter().is_empty():
        text += f" · {T('basis_filtered')}"
    st.caption(text, help=None)


# --------------------------------------------------------------------------------------------- tables

def formatters(language: str) -> dict[str, Callable[[Any], str]]:
    """Cell text per column kind, in ``language`` (bound once: a table formats thousands of cells)."""
    return {
        "count": lambda v: fmt.count(v),
        "number": lambda v: fmt.number(v, 0 if fmt.is_missing(v) or float(v).is_integer() else 1),
        "money": lambda v: fmt.money(v, language, short=False),
        "money_short": lambda v: fmt.money(v, language),
        "share": lambda v: fmt.share(v),
        "year": lambda v: fmt.DASH if fmt.is_missing(v) else str(int(v)),
    }


FORMATTERS: dict[str, Callable[[Any], str]] = {
    kind: (lambda kind: lambda v: formatters(lang())[kind](v))(kind) for kind in formatters("ru")}
"""The same, in the session's language (looked up per call)."""


def show_table(df: pd.DataFrame, columns: dict[str, tuple[str, str]], key: str, *, file_stem: str | None = None,
               links: dict[str, tuple[str, str]] | None = None, height: int | str = "auto",
               download: bool = True, max_rows: int = 1000) -> pd.DataFrame:
    """A sortable table with CSV and Excel downloads.

    ``columns``: source column -> (i18n key of the header, kind: text/count/number/money/share/year).
    ``links``: source column holding a URL -> (i18n key of the header, shown text or a regex).
    Numbers stay numbers (sorting works); they are shown with the project's formatting.
    The page shows the first ``max_rows`` rows (a browser table of tens of thousands of rows is slow and
    unreadable); the downloads always hold every row.
    Returns the table as built (translated headers, raw values, every row).
    """
    links = links or {}
    headers = [T(label) for label, _ in list(links.values()) + list(columns.values())]
    assert len(set(headers)) == len(headers), f"two columns share a header: {headers}"
    shown = pd.DataFrame({T(label): df[col] for col, (label, _) in links.items()}
                         | {T(label): df[col] for col, (label, _) in columns.items()})
    cell_text = formatters(lang())
    formats = {T(label): cell_text[kind] for col, (label, kind) in columns.items() if kind in cell_text}
    config: dict[str, Any] = {}
    for col, (label, text) in links.items():
        config[T(label)] = st.column_config.LinkColumn(T(label), display_text=text, width="small")
    for col, (label, kind) in columns.items():
        if kind in ("count", "number", "money", "share", "year"):
            config.setdefault(T(label), st.column_config.Column(T(label), alignment="right"))
    visible = shown.head(max_rows)
    data: Any = visible
    if formats:
        data = visible.style.format(formats, na_rep=fmt.DASH)
    if height == "auto" and len(visible) <= 25:
        height = 35 * (len(visible) + 1) + 3  # small tables in full, without a scroll bar
    st.dataframe(data, hide_index=True, column_config=config, key=f"table_{key}", height=height)
    if len(shown) > len(visible):
        st.caption(T("table_truncated", shown=fmt.count(len(visible)), total=fmt.count(len(shown))))
    if download:
        export = shown.drop(columns=[T(label) for label, _ in links.values()])
        download_buttons(export, file_stem or key, key)
    return shown


def download_buttons(df: pd.DataFrame, file_stem: str, key: str) -> None:
    row = st.container(horizontal=True, gap="small")
    row.download_button(f"{T('download_csv')}", data=lambda: tables.table_csv_bytes(df),
                         file_name=f"{file_stem}.csv", mime="text/csv", key=f"csv_{key}", on_click="ignore",
                         icon=":material/download:", type="tertiary")
    row.download_button(f"{T('download_csv_semicolon')}", data=lambda: tables.table_csv_bytes(df, sep=";"),
                        file_name=f"{file_stem}.csv", mime="text/csv", key=f"csvsc_{key}", on_click="ignore",
                        icon=":material/download:", type="tertiary")
    row.download_button(f"{T('download_xlsx')}", data=lambda: tables.table_xlsx_bytes(df),
                          file_name=f"{file_stem}.xlsx", key=f"xlsx_{key}", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:", type="tertiary")


# --------------------------------------------------------------------------------------------- charts

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
    keys = [k for k in keys if (df[row].isna().any() if _missing(k) else (df[row] == k).any())]
    cells = {(None if _missing(r[row]) else r[row], int(r["year"])): r[metric] for r in records(df)}
    z = [[cells.get((None if _missing(k) else k, y)) for y in years] for k in keys]
    texts = [[metric_text(metric, v) if v is not None else "" for v in line] for line in z]
    return z, years, [row_name(k) for k in keys], texts
