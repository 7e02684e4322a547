"""A table as a downloadable file, for the dashboard's download buttons: thin names over grantstats.export.

CSV is UTF-8 with BOM (Excel reads Cyrillic right), ``,`` or ``;`` separated; XLSX is one styled sheet.
In both, no cell can start a formula, numbers stay numbers and personal-data columns are left out
(see grantstats.export).
"""

from __future__ import annotations

import pandas as pd


def table_csv_bytes(df: pd.DataFrame, sep: str = ",") -> bytes:
    """The table as CSV bytes: UTF-8 with BOM, no index; with ``sep=';'`` decimal commas (Russian Excel)."""
    from grantstats import export  # imported on the first download: it brings openpyxl (~0.1 s at app start)

    return export.table_csv_bytes(df, sep=sep)


def table_xlsx_bytes(df: pd.DataFrame, sheet: str = "data", kinds: dict[str, str] | None = None,
                     title: str | None = None) -> bytes:
    """The table as an XLSX workbook: one sheet, styled frozen header, auto-filter, number formats.

    ``kinds``: column -> count/number/money/share/year/text (the dashboard's show_table kinds); columns not
    named are told by their header.
    """
    from grantstats import export

    return export.table_xlsx_bytes(df, title=title, sheet=sheet, kinds=kinds)
