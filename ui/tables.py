"""Tables on a page: sortable, numbers formatted in the page's language, with CSV and Excel downloads.

CSV is UTF-8 with BOM (Excel reads Cyrillic right), ``,`` or ``;`` separated; XLSX is one styled sheet.
In both, no cell can start a formula, numbers stay numbers and personal-data columns are left out
(see grantstats.export).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from grantstats import formatting as fmt
from ui.labels import T, formatters, lang


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
        download_buttons(export, file_stem or key, key, df["report_id"] if "report_id" in df.columns else None)
    return shown


def download_buttons(df: pd.DataFrame, file_stem: str, key: str, report_ids=None) -> None:
    """CSV, CSV with «;» and XLSX of the table; each download is recorded in the audit log (ui.audited)."""
    from ui.audited import download

    row = st.container(horizontal=True, gap="small")
    row.download_button(f"{T('download_csv')}", data=download(lambda: table_csv_bytes(df), f"{file_stem}.csv", report_ids),
                         file_name=f"{file_stem}.csv", mime="text/csv", key=f"csv_{key}", on_click="ignore",
                         icon=":material/download:", type="tertiary")
    row.download_button(f"{T('download_csv_semicolon')}",
                        data=download(lambda: table_csv_bytes(df, sep=";"), f"{file_stem}.csv", report_ids),
                        file_name=f"{file_stem}.csv", mime="text/csv", key=f"csvsc_{key}", on_click="ignore",
                        icon=":material/download:", type="tertiary")
    row.download_button(f"{T('download_xlsx')}", data=download(lambda: table_xlsx_bytes(df), f"{file_stem}.xlsx", report_ids),
                          file_name=f"{file_stem}.xlsx", key=f"xlsx_{key}", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          icon=":material/download:", type="tertiary")


def table_csv_bytes(df: pd.DataFrame, sep: str = ",") -> bytes:
    """The table as CSV bytes: UTF-8 with BOM, no index; with ``sep=';'`` decimal commas (Russian Excel)."""
    from grantstats import export  # imported on the first download: it brings openpyxl (~0.1 s at app start)

    return export.table_csv_bytes(df, sep=sep)


def table_xlsx_bytes(df: pd.DataFrame, sheet: str = "data", kinds: dict[str, str] | None = None,
                     title: str | None = None) -> bytes:
    """The table as an XLSX workbook: one sheet, styled frozen header, auto-filter, number formats.

    ``kinds``: column -> count/number/money/share/year/text (show_table's kinds); columns not named are told
    by their header.
    """
    from grantstats import export  # imported on the first download (see table_csv_bytes)

    return export.table_xlsx_bytes(df, title=title, sheet=sheet, kinds=kinds)
