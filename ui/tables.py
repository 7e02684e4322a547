"""Tables on a page: sortable, numbers formatted in the page's language, with CSV and Excel downloads.

Numbers stay numbers (sorting works) and are formatted by ``st.column_config`` printf formats, with the
language's thousands separator (a pandas Styler over 1 000 rows costs a page ~150 ms; the column formats cost
nothing on the server). Shares are shown as text padded to one width, so they sort as numbers and keep the
language's decimal mark (``87,5 %`` / ``87.5 %``). Missing text is a dash.

CSV is UTF-8 with BOM (Excel reads Cyrillic right), ``,`` or ``;`` separated, money and people rounded to
whole units and ratios to a hundredth of a percent; XLSX is one styled sheet named after the table. File
names carry the filter (``grantstats-regions-KZ-47-2022.csv``). In both, no cell can start a formula,
numbers stay numbers and personal-data columns are left out (see grantstats.export).
"""

from __future__ import annotations

import urllib.parse
from typing import Any, Callable

import numpy as np
import pandas as pd
import streamlit as st

from grantstats import formatting as fmt
from ui import state
from ui.labels import T, lang

NUMERIC_KINDS = ("count", "number", "money", "share", "year")
NAME_IN_URL = r"[?&]name=([^&#]*)"
"""A link column's display text: the name a link carries (``state.page_urls(..., names=...)``)."""
SHARE_WIDTH = 10
"""Shares are padded on the left to this many characters, so that their text sorts as the numbers do."""


def metric_first(columns: dict[str, tuple[str, str]], metric: str) -> dict[str, tuple[str, str]]:
    """``columns`` with the page's chosen metric first (right after the pinned name: never scrolled away)."""
    return ({metric: columns[metric]} | {k: v for k, v in columns.items() if k != metric}) if metric in columns else columns


def names_from_links(links: pd.Series) -> pd.Series:
    """The names that links built with names carry (see NAME_IN_URL), for the downloads."""
    found = links.astype("string").str.extract(NAME_IN_URL, expand=False)
    return found.map(lambda v: None if pd.isna(v) else urllib.parse.unquote_plus(v), na_action="ignore").astype(object)


def number_formats(language: str) -> dict[str, str]:
    """printf formats (st.column_config.NumberColumn) per column kind, with the language's thousands separator:
    a no-break space in Russian and Kazakh (sprintf's ``'<char>`` flag), a comma in English."""
    thousands, _ = fmt.separators(language)
    group = "," if thousands == "," else f"'{thousands},"
    return {"count": f"%{group}.0f", "number": f"%{group}.0f", "money": f"%{group}.0f{fmt.NBSP}₸", "year": "%d"}


def share_texts(values: pd.Series, language: str) -> pd.Series:
    """Shares as right-aligned text that sorts as numbers: ``   87,5 %``; missing: a dash (sorted last)."""
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    texts = [fmt.DASH if v != v else fmt.share(v, lang=language).rjust(SHARE_WIDTH) for v in numbers]
    return pd.Series(texts, index=values.index, dtype=object)


def number_texts(values: pd.Series, kind: str, language: str) -> pd.Series:
    """Counts, numbers or money with gaps as right-aligned text that sorts as numbers (padded to one width); missing:
    a dash (sorted last)."""
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    write = {"money": lambda v: fmt.money(v, language, short=False), "year": lambda v: str(int(v))}.get(
        kind, lambda v: fmt.number(v, 0, lang=language))
    texts = [None if v != v else write(v) for v in numbers]
    width = max((len(t) for t in texts if t is not None), default=0)
    return pd.Series([fmt.DASH if t is None else t.rjust(width) for t in texts], index=values.index, dtype=object)


def column_formats(visible: pd.DataFrame, kinds: dict[str, str], language: str, pin_first: bool) -> dict[str, Any]:
    """The column config formatting ``visible``'s columns (header -> kind) in ``language``; shares become padded
    text and missing text a dash, in ``visible`` itself (the rows shown: a copy)."""
    formats = number_formats(language)
    config: dict[str, Any] = {}
    for i, (header, kind) in enumerate(kinds.items()):
        pinned = pin_first and i == 0
        if kind == "share":
            visible[header] = share_texts(visible[header], language)
            config[header] = st.column_config.TextColumn(header, alignment="right", pinned=pinned)
        elif kind in formats and isinstance(visible[header].dtype, pd.api.extensions.ExtensionDtype) \
                and pd.api.types.is_numeric_dtype(visible[header].dtype) and visible[header].hasnans:
            visible[header] = number_texts(visible[header], kind, language)  # (the grid writes a missing Int64 «None»)
            config[header] = st.column_config.TextColumn(header, alignment="right", pinned=pinned)
        elif kind in formats and pd.api.types.is_numeric_dtype(visible[header].dtype):
            config[header] = st.column_config.NumberColumn(header, format=formats[kind], pinned=pinned)
        else:
            if visible[header].dtype == object or pd.api.types.is_string_dtype(visible[header].dtype):
                visible[header] = visible[header].astype(object).where(visible[header].notna(), fmt.DASH)
            config[header] = st.column_config.Column(header, pinned=pinned,
                                                     alignment="right" if kind in NUMERIC_KINDS else None)
    return config


def show_table(df: pd.DataFrame, columns: dict[str, tuple[str, str]], key: str, *, file_stem: str | None = None,
               links: dict[str, tuple[str, str]] | None = None, height: int | str = "auto",
               download: bool = True, max_rows: int = 1000, title: str | None = None,
               filter_in_name: bool = True, pin_first: bool = True) -> pd.DataFrame:
    """A sortable table with CSV and Excel downloads.

    ``columns``: source column -> (i18n key of the header, kind: text/count/number/money/share/year), in the
    order shown. ``links``: source column holding a URL -> (i18n key of the header, shown text: a
    ``:material/…:`` icon, a fixed text, or :data:`NAME_IN_URL` for the name the link carries); link columns
    come first. The first column is pinned, so a wide table scrolls with its names in view: put the figure a
    page is about right after it.
    The page shows the first ``max_rows`` rows (a browser table of tens of thousands of rows is slow and
    unreadable); the downloads always hold every row. ``title`` names the table (the Excel sheet); the file
    names carry ``file_stem`` and, unless ``filter_in_name`` is false, the sidebar filter.
    Returns the table as built (translated headers, raw values, every row).
    """
    links = links or {}
    language = lang()
    headers = [T(label) for label, _ in list(links.values()) + list(columns.values())]
    assert len(set(headers)) == len(headers), f"two columns share a header: {headers}"
    shown = pd.DataFrame({T(label): df[col] for col, (label, _) in links.items()}
                         | {T(label): df[col] for col, (label, _) in columns.items()})
    visible = shown.head(max_rows).copy()
    config: dict[str, Any] = {}
    for i, (col, (label, text)) in enumerate(links.items()):
        config[T(label)] = st.column_config.LinkColumn(T(label), display_text=text, pinned=pin_first and i == 0)
    config |= column_formats(visible, {T(label): kind for label, kind in columns.values()}, language,
                             pin_first and not links)
    if height == "auto" and len(visible) <= 25:
        height = 35 * (len(visible) + 1) + 3  # small tables in full, without a scroll bar
    st.dataframe(visible, hide_index=True, column_config=config, key=f"table_{key}", height=height)
    if len(shown) > len(visible):
        st.caption(T("table_truncated", shown=fmt.count(len(visible), lang=language),
                     total=fmt.count(len(shown), lang=language)))
    if download:
        named = [T(label) for label, text in links.values() if text == NAME_IN_URL]
        others = [T(label) for label, text in links.values() if text != NAME_IN_URL]

        def export_frame() -> pd.DataFrame:  # links by name export as the names; other links are left out
            out = shown.drop(columns=others)
            for header in named:
                out[header] = names_from_links(out[header])
            return out

        kinds = {T(label): kind for label, kind in columns.values()}
        download_buttons(export_frame, file_stem or key, key, kinds=kinds,
                         sheet=title or T(next(iter(columns.values()))[0]), filtered=filter_in_name,
                         report_ids=df["report_id"] if "report_id" in df.columns else None)
    return shown


def download_buttons(df: pd.DataFrame | Callable[[], pd.DataFrame], file_stem: str, key: str, *,
                     kinds: dict[str, str] | None = None, sheet: str | None = None, filtered: bool = True,
                     report_ids=None) -> None:
    """CSV, CSV for Russian Excel and XLSX of ``df`` (a table, or a function giving it: called when a button is
    clicked), named after ``file_stem`` and the filter; each download is recorded in the audit log (ui.audited)."""
    from grantstats import export
    from ui.audited import download

    flt = state.current_filter() if filtered else None
    frame: Callable[[], pd.DataFrame] = df if callable(df) else (lambda: df)
    names = {"csv": export.file_name(file_stem, flt, "csv"), "csvsc": export.file_name(file_stem + "-excel", flt, "csv"),
             "xlsx": export.file_name(file_stem, flt, "xlsx")}
    row = st.container(horizontal=True, gap="small")
    row.download_button(f"{T('download_csv')}", data=download(lambda: table_csv_bytes(frame(), kinds=kinds),
                                                              names["csv"], report_ids),
                        file_name=names["csv"], mime="text/csv", key=f"csv_{key}",
                        on_click="ignore", icon=":material/download:", type="tertiary")
    row.download_button(f"{T('download_csv_semicolon')}",
                        data=download(lambda: table_csv_bytes(frame(), sep=";", kinds=kinds), names["csvsc"], report_ids),
                        file_name=names["csvsc"], mime="text/csv", key=f"csvsc_{key}", on_click="ignore",
                        icon=":material/download:", type="tertiary")
    row.download_button(f"{T('download_xlsx')}",
                        data=download(lambda: table_xlsx_bytes(frame(), sheet=sheet or "data", kinds=kinds),
                                      names["xlsx"], report_ids),
                        file_name=names["xlsx"], key=f"xlsx_{key}", on_click="ignore",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/download:", type="tertiary")


def table_csv_bytes(df: pd.DataFrame, sep: str = ",", kinds: dict[str, str] | None = None) -> bytes:
    """The table as CSV bytes: UTF-8 with BOM, no index; with ``sep=';'`` decimal commas (Russian Excel);
    numbers rounded by their kind (``kinds``: column -> show_table's kind)."""
    from grantstats import export

    return export.table_csv_bytes(df, sep=sep, kinds=kinds)


def table_xlsx_bytes(df: pd.DataFrame, sheet: str = "data", kinds: dict[str, str] | None = None,
                     title: str | None = None) -> bytes:
    """The table as an XLSX workbook: one sheet, styled frozen header, auto-filter, number formats.

    ``kinds``: column -> count/number/money/share/year/text (show_table's kinds); columns not named are told
    by their header.
    """
    from grantstats import export

    return export.table_xlsx_bytes(df, title=title, sheet=sheet, kinds=kinds)
