"""A table as a downloadable file: CSV (UTF-8 with BOM, so Excel reads Cyrillic) and XLSX.

Stop-gap until the export issue: cells that a spreadsheet would run as a formula (starting with
= + - @, a tab or a carriage return) are written as text with a leading apostrophe.
"""

from __future__ import annotations

import io

import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value.replace(" ", "").replace(",", "."))
            return value  # a signed number written as text is not a formula
        except ValueError:
            return "'" + value
    return value


def _safe(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(_safe_cell)
    out.columns = [str(_safe_cell(str(c))) for c in out.columns]
    return out


def table_csv_bytes(df: pd.DataFrame) -> bytes:
    """The table as CSV bytes: UTF-8 with BOM, comma-separated, no index."""
    return _safe(df).to_csv(index=False).encode("utf-8-sig")


def table_xlsx_bytes(df: pd.DataFrame, sheet: str = "data") -> bytes:
    """The table as an XLSX workbook: one sheet, bold header, columns sized to their contents."""
    buffer = io.BytesIO()
    safe = _safe(df)
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, index=False, sheet_name=sheet[:31] or "data")
        ws = writer.sheets[sheet[:31] or "data"]
        ws.freeze_panes = "A2"
        for i, column in enumerate(safe.columns, start=1):
            values = [str(column)] + [str(v) for v in safe[column].head(200).tolist()]
            width = min(60, max(8, max(len(v) for v in values) + 2))
            ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    return buffer.getvalue()
