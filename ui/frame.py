"""The frame around every page: the sidebar (language and filters), the page run inside app.py's navigation,
the title, the empty-database help and the line saying how many reports the figures rest on."""

from __future__ import annotations

import functools
import runpy
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from grantstats import catalog, formatting as fmt, i18n, snapshots
from grantstats.metrics import Filter, headline, totals
from ui import gate, state
from ui.data import VERSION_KEY, cached, data_version, db_path
from ui.labels import T, direction_name, lang, region_name

APP_SCRIPT = Path(__file__).resolve().parent.parent / "app.py"
LANGUAGE_LABEL = " · ".join(i18n.t("language", code) for code in i18n.LANGS)  # «Язык · Тіл · Language»
_RUN = threading.local()


# ------------------------------------------------------------------------------------------- sidebar

def _years_available() -> list[int]:
    df = cached(totals, Filter(), by="year")
    return sorted(int(y) for y in df["year"].dropna().tolist()) if not df.empty else []


def sidebar() -> Filter:
    """Draw the shared sidebar (language and filters) and return the Filter; mirror it into the URL."""
    if not state.initialised():
        state.init_from_url()
    try:
        st.session_state[VERSION_KEY] = data_version()
    except snapshots.NoSnapshot as exc:
        st.info(T("no_snapshot", reason=str(exc)), icon=":material/hourglass_empty:")
        st.stop()
    sb = st.sidebar
    gate.account_box()  # who is signed in (and their regions), or local mode, above the filters
    # one label in the three languages: the switch keeps its name (and its value) whatever language is chosen
    sb.segmented_control(LANGUAGE_LABEL, list(i18n.LANGS), **state.kept("lang"), required=True,
                         format_func=lambda c: i18n.LANG_NAMES.get(c, c), width="stretch")
    sb.subheader(T("filters"))
    years = _years_available()
    year_from = year_to = None
    if len(years) >= 2:
        lo, hi = years[0], years[-1]
        widget = state.kept("f_years")
        if "f_years" not in st.session_state:
            url_from, url_to = st.session_state.get("_gs_url_years", (None, None))
            start = min(max(url_from if url_from is not None else lo, lo), hi)
            end = max(min(url_to if url_to is not None else hi, hi), start)
            state.set_kept("f_years", (start, end))
        else:
            a, b = st.session_state["f_years"]
            a, b = min(max(a, lo), hi), max(min(b, hi), lo)
            state.set_kept("f_years", (min(a, b), max(a, b)))
        chosen = sb.slider(T("years"), min_value=lo, max_value=hi, step=1, **widget)
        year_from = chosen[0] if chosen[0] != lo else None
        year_to = chosen[1] if chosen[1] != hi else None
    elif years:
        sb.caption(f"{T('years')}: {years[0]}")
    scope = gate.scope()
    region_options = [c for c in catalog.codes("region") if scope is None or c in scope]
    widget = state.kept("f_regions")
    if any(r not in region_options for r in st.session_state.get("f_regions", [])):  # only the person's regions
        state.set_kept("f_regions", [r for r in st.session_state["f_regions"] if r in region_options])
    regions = sb.multiselect(T("regions"), region_options, **widget,
                             format_func=functools.partial(region_name, language=lang()), placeholder=T("all"))
    directions = sb.multiselect(T("directions"), catalog.codes("direction"), **state.kept("f_directions"),
                                format_func=functools.partial(direction_name, language=lang()), placeholder=T("all"))
    text = sb.text_input(T("ngo_search"), **state.kept("f_text"), help=T("ngo_search_help"))
    exclude = sb.toggle(T("exclude_errors"), **state.kept("f_exclude_errors"), help=T("exclude_errors_help"))
    flt = Filter(regions=tuple(regions), directions=tuple(directions), year_from=year_from, year_to=year_to,
                 text=text, exclude_errors=exclude, scope=scope)
    if not flt.is_empty():
        sb.button(T("reset_filters"), on_click=state.reset_filters, icon=":material/filter_alt_off:", type="tertiary")
    sb.caption(T("link_hint"))
    state.keep_filter(flt)
    return flt


# ---------------------------------------------------------------------------------------- the page run

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


def has_reports() -> bool:
    """Whether the database holds reports; when it does not, say how to load some (and return False)."""
    if not st.session_state.get(VERSION_KEY) or st.session_state[VERSION_KEY][1] == 0:
        st.info(f"**{T('empty_db_title')}**\n\n" + T("empty_db_body", db=db_path()), icon=":material/upload_file:")
        return False
    return True


def unfiltered(flt: Filter) -> Filter:
    """The filter without the sidebar's choices (years, regions, directions, search, errors): what a page about
    one NGO or one report looks at."""
    return flt.with_(regions=(), directions=(), year_from=None, year_to=None, text=None, exclude_errors=False,
                     ngos=(), report_ids=())


def page_start(title_key: str, flt: Filter | None = None,
               require_reports: bool = True) -> tuple[Filter, pd.Series | None]:
    """Title, the empty-database help, the basis line. Returns the filter and the headline row, or
    stops the page (after saying why) when the database is empty or nothing matches. ``require_reports=False``:
    a page about what has not come in yet (completeness) goes on without matching reports (the row is then None)."""
    through_app()
    st.title(T(title_key))
    flt = flt if flt is not None else state.current_filter()
    if not has_reports():
        st.stop()
    head = cached(headline, flt)
    row = head.iloc[0] if not head.empty else None
    if row is None or not row["reports"]:
        basis_line(0, 0)
        if not require_reports:
            return flt, None
        st.warning(T("nothing_matches"), icon=":material/filter_alt_off:")
        st.stop()
    basis_line(row["reports"], row["ngos"])
    return flt, row


def basis_line(reports: Any, ngos: Any) -> None:
    text = T("basis", reports=fmt.count(reports, lang=lang()), ngos=fmt.count(ngos, lang=lang()))
    if not state.current_filter().is_empty():
        text += f" · {T('basis_filtered')}"
    st.caption(text, help=None)


def uploader_in_language() -> None:
    """Put the page's words on st.file_uploader's own: Streamlit writes its button («Upload»), its limits line
    («200MB per file • XLSX…») and each chosen file's size («7.8KB») in English whatever the page's language, and
    has no setting for them. The limits line and the sizes are hidden (the page says the limit in its own
    caption) and the button's text is replaced, by CSS on the uploader's test ids (the names Streamlit's own
    tests use)."""
    browse = T("upload_browse").replace("\\", "").replace('"', "")
    st.html(f"""<style>
    [data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
    [data-testid="stFileUploaderDropzone"] > span > button [data-testid="stMarkdownContainer"] {{ display: none; }}
    [data-testid="stFileUploaderDropzone"] > span > button::after {{
        content: "{browse}"; margin-left: 0.4rem; white-space: nowrap; }}
    [data-testid="stFileChipName"] + * {{ display: none; }}
    </style>""")
