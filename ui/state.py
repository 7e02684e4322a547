"""What a session remembers and the address bar shows: the pages and their own parameters, the sidebar
filter in ``st.session_state`` (so it survives page switches) mirrored into the URL's query string (so a
view can be bookmarked; the keys are ``Filter.to_query_params``' plus ``lang``), and links between pages
that carry the filter along."""

from __future__ import annotations

import functools
import urllib.parse
from dataclasses import dataclass
from typing import Any, Iterable

import streamlit as st

from grantstats import catalog, i18n
from grantstats.metrics import Filter
from ui.labels import lang, missing_code


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
    PageSpec("page_ngo", "pages/ngo.py", "ngo", ":material/badge:", ("ngo",), section="section_details"),
    PageSpec("page_review", "pages/review.py", "review", ":material/fact_check:", section="section_details"),
)
PAGE_BY_URL = {p.url_path: p for p in PAGES}

FILTER_PARAMS = ("region", "direction", "year_from", "year_to", "text", "errors")
"""The query parameters of the sidebar filter (Filter.to_query_params' keys; ngo/report are page links)."""

FILTER_KEY = "_gs_filter"
"""Session state: the Filter the sidebar drew on this run."""

FILTER_WIDGETS = ("f_years", "f_regions", "f_directions", "f_text", "f_exclude_errors")
"""The sidebar's filter widgets (their session keys)."""


# ------------------------------------------------------------------------------------ kept widget values

def _kept_key(key: str) -> str:
    return f"_gs_kept_{key}"  # ("lang" -> labels.KEPT_LANG_KEY)


def kept(key: str) -> dict[str, Any]:
    """Keyword arguments that keep a widget's value whatever happens to the widget itself.

    Streamlit names a widget by its label and options too: a language switch renames it, and a widget not
    drawn on a page is forgotten, so its value would fall back to the default (a regional user would
    silently get national figures). The value is kept under a key of its own, put back into the widget's
    key before it is drawn, and taken from the widget whenever the user changes it (``on_change`` runs
    before the script)."""
    if _kept_key(key) in st.session_state:
        st.session_state[key] = st.session_state[_kept_key(key)]
    return {"key": key, "on_change": remember, "args": (key,)}


def remember(key: str) -> None:
    """Keep the widget's current value (its on_change)."""
    if key in st.session_state:
        st.session_state[_kept_key(key)] = st.session_state[key]


def set_kept(key: str, value: Any) -> None:
    """Set a kept widget's value from code (before the widget is drawn in this run)."""
    st.session_state[_kept_key(key)] = value
    st.session_state[key] = value


def forget(key: str) -> None:
    """Drop a kept widget's value (the widget starts from its default)."""
    st.session_state.pop(_kept_key(key), None)
    st.session_state.pop(key, None)


# ------------------------------------------------------------------------------------------- the filter

def init_from_url() -> None:
    """On a session's first run: the filter widgets take the URL's values."""
    qp = st.query_params
    params = {k: qp.get_all(k) for k in FILTER_PARAMS if k in qp}
    flt = Filter.from_query_params(params)
    regions = set(catalog.codes("region"))
    directions = set(catalog.codes("direction"))
    set_kept("f_regions", [r for r in flt.regions if r in regions])
    set_kept("f_directions", [d for d in flt.directions if d in directions])
    set_kept("f_text", flt.text or "")
    set_kept("f_exclude_errors", flt.exclude_errors)
    st.session_state["_gs_url_years"] = (flt.year_from, flt.year_to)
    language = qp.get("lang")
    set_kept("lang", language if language in i18n.LANGS else i18n.DEFAULT_LANG)
    st.session_state["_gs_init"] = True


def initialised() -> bool:
    """Whether this session has taken its filter from the URL yet."""
    return bool(st.session_state.get("_gs_init"))


def reset_filters() -> None:
    """The reset button's on_click: every filter back to «all»."""
    for key in ("f_regions", "f_directions"):
        set_kept(key, [])
    set_kept("f_text", "")
    set_kept("f_exclude_errors", False)
    forget("f_years")
    st.session_state["_gs_url_years"] = (None, None)


def keep_filter(flt: Filter) -> None:
    """Remember the sidebar's filter for this run's page and mirror it into the URL."""
    st.session_state[FILTER_KEY] = flt
    _write_url(flt)


def current_filter() -> Filter:
    return st.session_state.get(FILTER_KEY) or Filter()


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


# ---------------------------------------------------------------------------------------------- links

def page_url(url_path: str, **params: Any) -> str:
    """A relative link to a page carrying the current filter, language and the given parameters."""
    query = filter_params(current_filter())
    query.update({k: str(v) for k, v in params.items() if v is not None})
    return f"./{url_path}" + ("?" + urllib.parse.urlencode(query) if query else "")


def page_link(url_path: str, label: str, icon: str | None = None, **params: Any) -> None:
    """A link to a page of the app (opened in this tab) carrying the current filter, language and ``params``."""
    query = filter_params(current_filter())
    query.update({k: str(v) for k, v in params.items() if v is not None})
    st.page_link(PAGE_BY_URL[url_path].path, label=label, icon=icon, query_params=query)


def report_url(report_id: Any) -> str | None:
    return None if missing_code(report_id) else page_url("report", report=report_id)


def page_urls(url_path: str, param: str, values: Iterable[Any], names: Iterable[Any] | None = None) -> list[str | None]:
    """``page_url(url_path, **{param: v})`` for every value (None for a missing one), for a table's link column:
    the filter's part of the address is built once, not once per row (a row costs a session-state read).

    ``names`` (one per value) are added as a last ``name=`` parameter, which the page ignores and the table
    shows as the link's text (ui.tables.NAME_IN_URL): a link reads «ОО «Жастар»», not a report id."""
    query = filter_params(current_filter())
    query.pop(param, None)
    prefix = f"./{url_path}?" + (urllib.parse.urlencode(query) + "&" if query else "") + urllib.parse.quote_plus(param) + "="
    if names is None:
        return [None if missing_code(v) else prefix + _quoted(str(v)) for v in values]
    return [None if missing_code(v) else f"{prefix}{_quoted(str(v))}&name={_quoted(_name_text(v, n))}"
            for v, n in zip(values, names)]


def _name_text(value: Any, name: Any) -> str:
    return str(value) if missing_code(name) or not str(name).strip() else str(name).strip()


@functools.lru_cache(maxsize=65536)
def _quoted(value: str) -> str:
    """A URL parameter value quoted (remembered: the same NGO keys and report ids are linked on every rerun)."""
    return urllib.parse.quote_plus(value)


def report_urls(report_ids: Iterable[Any], names: Iterable[Any] | None = None) -> list[str | None]:
    """``report_url`` for every report id of a column (``names``: the link texts, see page_urls)."""
    return page_urls("report", "report", report_ids, names)


# ------------------------------------------------------------------------------ a page's own parameters

def url_param(name: str, key: str, valid: list | None = None) -> None:
    """Seed a page widget (session key ``key``) from the URL parameter ``name`` whenever the URL changes it."""
    value = st.query_params.get(name)
    seen_key = f"_gs_seen_{name}"
    if value != st.session_state.get(seen_key):
        st.session_state[seen_key] = value
        if value is not None and (valid is None or value in valid):
            set_kept(key, value)


def choice(key: str, options: list, default: Any) -> dict[str, Any]:
    """``kept(key)`` for a choice among ``options``: a kept value no longer among them becomes ``default``."""
    if st.session_state.get(_kept_key(key), st.session_state.get(key)) not in options:
        set_kept(key, default)
    return kept(key)


def set_url_param(name: str, value: Any) -> None:
    value = None if missing_code(value) else str(value)
    st.session_state[f"_gs_seen_{name}"] = value
    if value is None:
        if name in st.query_params:
            del st.query_params[name]
    elif st.query_params.get(name) != value:
        st.query_params[name] = value
