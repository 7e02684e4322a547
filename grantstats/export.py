"""Tables as files people take away: CSV for any table, XLSX for any table, and the summary workbook.

Safe by construction, in every export:

* no cell starts a formula: text beginning with ``=``, ``+``, ``-``, ``@``, a tab, CR or LF is escaped with a
  leading apostrophe in CSV (:func:`safe_text`), and written as a string cell (``data_type 's'``, never
  ``'f'``) in XLSX;
* numbers stay numbers (numeric cells with a number format; in CSV plain digits with ``.``, or ``,`` when
  the separator is ``;`` as Russian-locale Excel expects);
* personal data never leaves: columns that could hold people's names, phones, addresses or contacts are
  dropped (:data:`PERSONAL_COLUMN`) — and the store holds none of them in the first place;
* characters a workbook cannot hold (control characters) are removed.

The summary workbook is built only from ``grantstats.metrics`` functions (every figure computed in DuckDB);
the totals rows are the metrics' own national totals (``metrics.headline``), written as values.
"""

from __future__ import annotations

import io
import math
import os
import re
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import IO, Any, Callable, Iterable

import numpy as np
import pandas as pd

from grantstats import catalog, formatting, i18n, metrics, scope as scopes
from grantstats.findings import messages as finding_messages, queries as findings_queries
from grantstats.findings.rules import rule_titles
from grantstats.workbook import KINDS, STYLE_IDS, XlsxBook, cell_xml, clean_text, text_xml

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A text cell starting with one of these would be run as a formula (or DDE) by a spreadsheet."""

PERSONAL_COLUMN = re.compile(
    r"phone|телефон|e-?mail|почт|address|адрес|contact|контакт|head_name|^head$|руководител|\bfio\b|фио|"
    r"full_name|person|passport_no|iin|иин", re.IGNORECASE)
"""Column names that may hold personal data (people's names, phones, addresses of partners and heads):
such columns are never exported."""

EXCEL_MAX_TEXT = 32767

# Number formats. Russian Excel shows the "," group separator as a space.
FORMATS = {
    "count": "#,##0",
    "number": "#,##0.##",
    "decimal": "#,##0.00",
    "money": '#,##0 "₸"',
    "percent": "0.0%",
    "year": "0",
    "date": "yyyy-mm-dd",
    "datetime": "yyyy-mm-dd hh:mm",
}
KIND_ALIASES = {"share": "percent", "money_short": "money", "integer": "count"}
"""Kinds the dashboard's show_table uses, mapped to the ones here."""

_MONEY = {"grant_amount", "amount", "pay_amount", "cost_per_beneficiary", "cost_median", "cost_q1", "cost_q3",
          "cost_min", "cost_max", "payroll", "taxes", "economy_contribution"}
_PERCENT_SUFFIXES = ("share", "achievement", "_change")
_COUNT_NAMES = {"reports", "ngos", "reports_with_amount", "direct_beneficiaries", "indirect_beneficiaries",
                "total_reach", "participants", "male", "female", "direct_plan", "direct_fact", "indirect_fact",
                "direct_fact_with_plan", "direct_plan_reports", "direct_gap", "cost_reports", "reports_with_errors",
                "reports_with_warnings", "reports_with_plan", "reports_with_fact", "missing_plan", "met_reports",
                "people", "derived_people", "derived_reports", "findings", "errors", "warnings", "infos",
                "participants_total", "plan", "fact", "gap", "shortfall", "ngos_in_region", "rank", "files"}
_YEAR_NAMES = {"year", "year_from", "year_to", "pay_year"}


# ------------------------------------------------------------------------------------------- cell safety

def safe_text(value: Any) -> Any:
    """Text a spreadsheet would take for a formula, made inert with a leading apostrophe; anything else as is.

    ``safe_text("=1+1") == "'=1+1"``; ``safe_text(-5) == -5`` (a number is a number, not text).
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _clean_text(text: str) -> str:
    return clean_text(text)


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def exportable(df: pd.DataFrame) -> pd.DataFrame:
    """The table without personal-data columns (see :data:`PERSONAL_COLUMN`), index dropped."""
    keep = [c for c in df.columns if not PERSONAL_COLUMN.search(str(c))]
    return df.loc[:, keep].reset_index(drop=True)


def _is_text_column(series: pd.Series) -> bool:
    return series.dtype == object or pd.api.types.is_string_dtype(series.dtype)


# ---------------------------------------------------------------------------------------------------- CSV

CSV_DECIMALS = {"count": 0, "money": 0, "integer": 0, "year": 0, "share": 4, "percent": 4, "number": 2,
                "decimal": 2}
"""How many decimals a CSV keeps per column kind: people and tenge whole (a region's share of a report makes
fractional people), ratios to a hundredth of a percent."""


def rounded_for_export(df: pd.DataFrame, kinds: dict[str, str] | None) -> pd.DataFrame:
    """The table with each numeric column of a known kind rounded as :data:`CSV_DECIMALS` says, halves away
    from zero (12,5 people -> 13, as a person is counted); whole numbers become integers."""
    if not kinds:
        return df
    out = df.copy()
    for column, kind in kinds.items():
        decimals = CSV_DECIMALS.get(kind)
        if decimals is None or column not in out.columns or not pd.api.types.is_numeric_dtype(out[column].dtype) \
                or pd.api.types.is_bool_dtype(out[column].dtype):
            continue
        values = out[column].to_numpy(dtype="float64", na_value=np.nan)
        scale = 10.0 ** decimals
        signed = np.sign(values) * np.floor(np.abs(values) * scale + 0.5) / scale
        series = pd.Series(signed, index=out.index)
        out[column] = series.astype("Int64") if decimals == 0 else series
    return out


def filter_stem(flt) -> str:
    """The filter as a part of a file name: ``KZ-47-2022``, ``KZ-75+KZ-79-dir4-2019-2021``, ``no-errors``;
    empty for no filter. Only letters, digits, ``+``, ``-`` and ``_`` (safe in every file system)."""
    parts: list[str] = []
    if flt is None:
        return ""
    if flt.regions:
        parts.append("+".join("none" if r == metrics.NOT_STATED else r for r in flt.regions))
    if flt.directions:
        parts.append("+".join("dir" + ("none" if d == metrics.NOT_STATED else d) for d in flt.directions))
    if flt.year_from is not None and flt.year_from == flt.year_to:
        parts.append(str(flt.year_from))
    elif flt.year_from is not None or flt.year_to is not None:
        parts.append(f"{flt.year_from or ''}-{flt.year_to or ''}".strip("-") if flt.year_from and flt.year_to
                     else (f"from{flt.year_from}" if flt.year_from else f"to{flt.year_to}"))
    if flt.ngos:
        parts.append("ngo" if len(flt.ngos) > 1 else "ngo-" + _slug(flt.ngos[0]))
    if flt.text:
        parts.append("search-" + _slug(flt.text))
    if flt.exclude_errors:
        parts.append("no-errors")
    if flt.report_ids:
        parts.append("reports")
    return "-".join(p for p in parts if p)


def _slug(text: str, limit: int = 24) -> str:
    """Letters and digits of any script, other runs as one `_` (a file name part)."""
    slug = re.sub(r"[^\w]+", "_", str(text), flags=re.UNICODE).strip("_")
    return slug[:limit].rstrip("_") or "x"


def file_name(stem: str, flt=None, suffix: str = "xlsx") -> str:
    """``grantstats-regions-KZ-47-2022.csv``: the table's stem, the filter, the suffix."""
    name = "-".join(part for part in (stem, filter_stem(flt)) if part)
    return f"{name}.{suffix}"


def summary_file_name(flt=None) -> str:
    """The summary workbook's file name: ``grantstats-KZ-47-2022.xlsx``, ``grantstats-all.xlsx`` unfiltered."""
    return f"grantstats-{filter_stem(flt) or 'all'}.xlsx"


def table_csv_bytes(df: pd.DataFrame, sep: str = ",", decimal: str | None = None,
                    kinds: dict[str, str] | None = None) -> bytes:
    """The table as CSV: UTF-8 with BOM (Excel reads Cyrillic right), no index, CRLF lines.

    `sep` is ``,`` or ``;``; the decimal mark is ``.``, or ``,`` with ``;`` (what Excel expects in a
    Russian locale) unless `decimal` says otherwise. Formula-looking text (and headers) get a leading
    apostrophe; numbers are written as plain numbers, rounded by their kind (`kinds`: column -> count, money,
    share…, see :func:`rounded_for_export`); personal-data columns are left out.
    """
    if sep not in (",", ";", "\t"):
        raise ValueError("sep must be ',', ';' or a tab")
    decimal = decimal or ("," if sep == ";" else ".")
    out = rounded_for_export(exportable(df), kinds)
    for column in out.columns:
        if _is_text_column(out[column]):
            out[column] = out[column].map(lambda v: safe_text(v) if isinstance(v, str) else v).astype(object)
    out.columns = [safe_text(str(c)) for c in out.columns]
    text = out.to_csv(index=False, sep=sep, decimal=decimal, float_format="%.15g", lineterminator="\r\n")
    return text.encode("utf-8-sig")


# --------------------------------------------------------------------------------------------------- XLSX

@dataclass
class Column:
    """One column of an exported sheet: where its values come from, its header and its kind of number."""

    key: str
    header: str
    kind: str = "text"  # text | count | number | decimal | money | percent | year | date | datetime
    width: float | None = None


def column_kind(name: str, series: pd.Series | None = None) -> str:
    """The kind of a column from its code name (``grant_amount`` → money, ``*_share`` → percent, ``year``…),
    or, for a translated header, from the dashboard's labels; else from its values."""
    code = str(name)
    label_kind = _label_kinds().get(code.strip().lower())
    if label_kind:
        return label_kind
    if series is not None:
        if pd.api.types.is_datetime64_any_dtype(series.dtype):
            return "datetime"
        if pd.api.types.is_bool_dtype(series.dtype) or not pd.api.types.is_numeric_dtype(series.dtype):
            return "text"
    if code in _YEAR_NAMES:
        return "year"
    if code in _MONEY or code.startswith("cost_") or code.endswith("_amount"):
        return "money"
    if code.endswith(_PERCENT_SUFFIXES):
        return "percent"
    if code == "report_weight" or code == "weight":
        return "decimal"
    if code in _COUNT_NAMES or code.endswith(("_reports", "_plan", "_fact", "_people")):
        return "count"
    if series is None:
        return "text"
    if pd.api.types.is_integer_dtype(series.dtype):
        return "count"
    return "number"


_LABEL_KINDS: dict[str, str] | None = None
_LABEL_KEYS = {
    "money": ("grant_amount", "cost_per_beneficiary", "field_amount"),
    "percent": ("achievement", "direct_achievement", "met_all_plans", "col_share", "col_derived_share"),
    "year": ("col_year", "field_year"),
    "count": ("reports", "ngos", "direct", "direct_plan", "direct_fact", "indirect", "participants_total",
              "errors", "warnings", "col_reports", "col_plan", "col_fact", "col_sum_plan", "col_sum_fact", "col_gap",
              "col_reports_both", "col_people", "col_derived", "col_findings", "reports_with_errors"),
}


def _label_kinds() -> dict[str, str]:
    """Dashboard header text (every language) -> kind, so a table with translated headers keeps its formats."""
    global _LABEL_KINDS
    if _LABEL_KINDS is None:
        found: dict[str, str] = {}
        for kind, keys in _LABEL_KEYS.items():
            for key in keys:
                for text in i18n.TEXTS.get(key, {}).values():
                    found.setdefault(text.strip().lower(), kind)
        _LABEL_KINDS = found
    return _LABEL_KINDS


def _cell_value(value: Any) -> Any:
    """A Python value a workbook can hold: None for missing, plain int/float/date, cleaned text."""
    if _missing(value):
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, (bool, int, float, date, datetime)):
        return value
    return _clean_text(str(value))


def _width(header: str, values: list[Any], kind: str) -> float:
    longest = max((len(w) for w in str(header).split()), default=4)
    for v in values[:300]:
        if _missing(v):
            continue
        if isinstance(v, str):
            n = max((len(line) for line in v.splitlines()), default=0)
        elif kind in ("count", "money", "number", "decimal") and isinstance(v, (int, float)):
            n = len(f"{abs(v):,.0f}") + (2 if kind == "money" else 0) + (3 if kind in ("number", "decimal") else 0)
        elif kind == "percent":
            n = 7
        elif kind in ("date", "datetime"):
            n = 16
        else:
            n = len(str(v))
        longest = max(longest, n)
    return float(min(60, max(8, longest + 2)))


def _header_height(columns: list[Column], widths: list[float]) -> float:
    lines = max((math.ceil(len(c.header) / max(w - 1, 1)) for c, w in zip(columns, widths)), default=1)
    return 15.0 * max(1, min(lines, 5)) + 3


def write_table_sheet(book, name: str, df: pd.DataFrame, columns: list[Column], *, title: str | None = None,
                      notes: Iterable[str] = (), totals: dict[str, Any] | None = None, totals_label: str = "Итого",
                      freeze_cols: int = 0, cell_kind: Callable[[dict[str, Any], Column], str | None] | None = None):
    """Write one table as a sheet of `book` (a workbook.XlsxBook).

    Title and notes on top, a styled header row (frozen, repeated when printed, with an auto-filter over the
    data), numbers numeric with a format per column kind (``cell_kind(row, column)`` may choose per cell),
    widths from the contents, and an optional totals row of values (never formulas) under the filtered range.
    Text is always a string cell. Returns the sheet.
    """
    data = {c.key: (df[c.key].tolist() if c.key in df.columns else [None] * len(df)) for c in columns}
    widths = [c.width or _width(c.header, data[c.key], c.kind) for c in columns]
    notes = [n for n in notes if n]
    header_row = (1 if title else 0) + len(notes) + (1 if title or notes else 0) + 1
    size = (header_row + len(df) + (1 if totals is not None else 0), len(columns))
    sheet = book.sheet(name, widths=widths, freeze=(header_row, freeze_cols), print_title_row=header_row, size=size)
    if title:
        sheet.row([(title, "title")], height=21)
    for note in notes:
        sheet.row([(note, "note")])
    if title or notes:
        sheet.row([])
    sheet.row([(c.header, "header") for c in columns], height=_header_height(columns, widths))
    _append_rows(sheet, columns, data, len(df), cell_kind)
    if columns:
        sheet.autofilter(header_row, 1, header_row + max(len(df), 1), len(columns))
    if totals is not None:
        row = []
        for i, c in enumerate(columns):
            value = _cell_value(totals.get(c.key))
            if i == 0 and value is None:
                value = totals_label
            kind = c.kind if c.kind in KINDS else "general"
            row.append((value, f"total:{'text' if isinstance(value, str) else kind}"))
        sheet.row(row)
    return sheet


def _append_rows(sheet, columns: list[Column], data: dict[str, list], n: int,
                 cell_kind: Callable[[dict[str, Any], Column], str | None] | None) -> None:
    """The data rows: text always an inline string cell, numbers numeric with the column's (or the cell's)
    format. The common types are written inline here: this loop is most of an export's time."""
    lists = [data[c.key] for c in columns]
    kinds = [c.kind if c.kind in KINDS else "general" for c in columns]
    attrs = [f' s="{STYLE_IDS[k]}"' if STYLE_IDS.get(k) else "" for k in kinds]
    letters = [sheet._letter(i) for i in range(len(columns))]
    inf = float("inf")
    for r in range(n):
        rn = str(sheet.rows_written + 1)
        record = None
        parts = []
        for i, values in enumerate(lists):
            v = values[r]
            if v is None:
                continue
            t = type(v)
            if cell_kind is None:
                if t is float:
                    if v != v or v == inf or v == -inf:
                        continue
                    text = str(int(v)) if v.is_integer() and -1e15 < v < 1e15 else repr(v)
                    parts.append(f'<c r="{letters[i]}{rn}"{attrs[i]}><v>{text}</v></c>')
                    continue
                if t is int:
                    parts.append(f'<c r="{letters[i]}{rn}"{attrs[i]}><v>{v}</v></c>')
                    continue
                if t is str:
                    parts.append(f'<c r="{letters[i]}{rn}"{attrs[i]} t="inlineStr">{text_xml(v)}</c>')
                    continue
            if v is pd.NA or v is pd.NaT or (isinstance(v, float) and v != v):
                continue
            kind = kinds[i]
            if cell_kind is not None and not isinstance(v, str):
                if record is None:
                    record = {c.key: vals[r] for c, vals in zip(columns, lists)}
                kind = cell_kind(record, columns[i]) or kind
            if not isinstance(v, (str, int, float, date)):
                v = _cell_value(v)
            parts.append(cell_xml(f"{letters[i]}{rn}", v, kind))
        sheet.raw_row("".join(parts))


def table_xlsx_bytes(df: pd.DataFrame, title: str | None = None, sheet: str = "data",
                     kinds: dict[str, str] | None = None) -> bytes:
    """The table as a one-sheet XLSX: styled frozen header, auto-filter, number formats, fitted widths.

    `kinds` maps a column to its kind (count, money, percent/share, year, number, text…); others are told
    by name or by the dashboard label they carry. Personal-data columns are left out.
    """
    out = exportable(df)
    kinds = {k: KIND_ALIASES.get(v, v) for k, v in (kinds or {}).items()}
    columns = []
    for key in out.columns:
        kind = kinds.get(key) or column_kind(str(key), out[key])
        if kind not in ("text", "date", "datetime") and not pd.api.types.is_numeric_dtype(out[key].dtype):
            numeric = out[key].map(lambda v: _missing(v) or (isinstance(v, (int, float)) and not isinstance(v, bool)))
            kind = kind if numeric.all() else "text"
        columns.append(Column(key, str(key), kind))
    buffer = io.BytesIO()
    with XlsxBook(buffer) as book:
        write_table_sheet(book, sheet, out, columns, title=title)
    return buffer.getvalue()


# -------------------------------------------------------------------------------------- summary workbook

COLUMN_LABELS = {
    "region": "col_region_code", "region_name": "col_region", "direction": "col_direction_code",
    "direction_name": "col_direction", "year": "col_year", "ngo_name": "col_ngo", "reports": "reports_count_axis",
    "report_weight": "col_reports_weighted", "ngos": "ngos", "grant_amount": "grant_amount",
    "direct_beneficiaries": "direct_fact", "indirect_beneficiaries": "col_indirect_fact",
    "total_reach": "col_total_reach", "participants": "participants", "male": "col_male", "female": "col_female",
    "direct_plan": "col_direct_plan_with_fact", "direct_fact_with_plan": "col_direct_fact_with_plan",
    "direct_achievement": "direct_achievement", "cost_per_beneficiary": "cost_per_beneficiary",
    "cost_median": "col_cost_median", "plans_met_share": "col_plans_met_share",
    "reports_with_errors": "reports_with_errors", "reports_with_warnings": "reports_with_warnings",
    "indicator": "col_indicator_code", "indicator_name": "col_indicator", "unit": "col_unit_of_measure",
    "reports_with_plan": "col_reports_with_plan", "reports_with_fact": "col_reports_with_fact",
    "reports_both": "col_reports_both", "missing_plan": "col_fact_without_plan", "plan": "col_sum_plan",
    "fact": "col_sum_fact", "achievement": "col_achievement", "gap": "col_gap_fact_plan",
    "met_share": "col_met_plan_share", "approx_share": "col_approx_share", "dimension": "table",
    "bucket": "col_group_code", "bucket_name": "col_group", "people": "col_people", "share": "col_share",
    "derived_people": "col_derived_people", "derived_reports": "col_reports_with_percent", "rule": "col_rule",
    "severity": "col_severity", "findings": "col_findings_count", "message": "col_message",
    "report_id": "col_report", "grantee": "col_grantee", "file_name": "col_file", "sheet": "col_sheet",
    "cell": "col_cell",
}
"""A summary-workbook column -> the key of its header in ``i18n.TEXTS``."""

DIMENSION_LABELS = {"gender": "dimension_gender", "age": "dimension_age", "category": "wb_dimension_categories"}

SHEETS = (("by_region", "wb_figures_by_region"), ("by_direction", "wb_figures_by_direction"),
          ("wb_by_year", "wb_figures_by_year"), ("ngos", "wb_figures_by_ngo"),
          ("page_plan_fact", "wb_plan_fact_by_indicator"), ("participants", "wb_participants_breakdown"),
          ("page_quality", "wb_findings_per_rule"), ("findings", "wb_findings_per_report"))
"""The workbook's sheets after the cover, in order: (i18n key of the sheet name, i18n key of its title)."""
(BY_REGION, BY_DIRECTION, BY_YEAR, BY_NGO, PLAN_FACT, PARTICIPANTS, QUALITY, FINDINGS) = SHEETS

GROUP_COLUMNS = ["reports", "report_weight", "ngos", "grant_amount", "direct_beneficiaries", "indirect_beneficiaries",
                 "total_reach", "participants", "male", "female", "direct_plan", "direct_fact_with_plan",
                 "direct_achievement", "cost_per_beneficiary", "cost_median", "plans_met_share",
                 "reports_with_errors", "reports_with_warnings"]
NGO_COLUMNS = ["reports", "grant_amount", "direct_beneficiaries", "indirect_beneficiaries", "total_reach",
               "participants", "direct_plan", "direct_fact_with_plan", "direct_achievement", "cost_per_beneficiary",
               "reports_with_errors"]


def _header(column: str, lang: str) -> str:
    """A workbook column's header in `lang`; a column without a label keeps its code name."""
    return i18n.t(COLUMN_LABELS[column], lang) if column in COLUMN_LABELS else column


def _columns(keys: list[str], lang: str, kinds: dict[str, str] | None = None) -> list[Column]:
    kinds = kinds or {}
    return [Column(k, _header(k, lang), kinds.get(k) or column_kind(k)) for k in keys]


def _name_column(df: pd.DataFrame, code_col: str, kind: str, lang: str, name_col: str) -> pd.DataFrame:
    df = df.copy()
    df[name_col] = [catalog.name(kind, None if _missing(c) else str(c), lang) for c in df[code_col]]
    return df


def _first_row(df: pd.DataFrame) -> dict[str, Any]:
    return {k: _cell_value(v) for k, v in df.iloc[0].to_dict().items()} if not df.empty else {}


def filter_lines(flt, lang: str = "ru") -> list[tuple[str, str]]:
    """The filter as (label, value) lines for a cover sheet, names instead of codes."""
    def names(kind: str, codes: tuple[str, ...]) -> str:
        return ", ".join(catalog.name(kind, None if c == metrics.NOT_STATED else c, lang) for c in codes)

    lines = []
    if flt.regions:
        lines.append((i18n.t("regions", lang), names("region", flt.regions)))
    if flt.directions:
        lines.append((i18n.t("directions", lang), names("direction", flt.directions)))
    if flt.year_from is not None or flt.year_to is not None:
        lines.append((i18n.t("years", lang), f"{flt.year_from or '…'} – {flt.year_to or '…'}"))
    if flt.ngos:
        lines.append((i18n.t("ngos", lang), ", ".join(flt.ngos)))
    if flt.text:
        lines.append((i18n.t("wb_filter_text", lang), flt.text))
    if flt.exclude_errors:
        lines.append((i18n.t("wb_filter_errors", lang), i18n.t("wb_filter_errors_value", lang)))
    if flt.report_ids:
        lines.append((i18n.t("wb_filter_reports", lang),
                      ", ".join(flt.report_ids[:20]) + (" …" if len(flt.report_ids) > 20 else "")))
    return lines


def summary_workbook(con, flt=None, out: str | os.PathLike | IO[bytes] | None = None, lang: str = "ru",
                     db_label: str | None = None, findings_limit: int | None = None) -> bytes | None:
    """The summary workbook for the reports `flt` selects: a cover (filters, date, data source, how many
    reports and how many with errors, key figures), then sheets by region, by direction, by year, NGOs,
    plan versus fact per indicator, participants, data-quality rules and every finding.

    Every figure comes from ``grantstats.metrics``; totals rows are ``metrics.headline`` values. Texts and
    names are in `lang` (ru, kk or en, from ``grantstats.i18n`` and the catalog). Written to `out` (a path,
    written whole or not at all, or a binary file); without `out`, the bytes are returned.
    """
    if lang not in i18n.LANGS:
        raise ValueError(f"unknown language {lang!r}: use {', '.join(i18n.LANGS)}")
    if out is None:
        buffer = io.BytesIO()
        summary_workbook(con, flt, buffer, lang, db_label, findings_limit)
        return buffer.getvalue()
    if isinstance(out, (str, os.PathLike)):
        target = Path(out)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.part")
        try:
            with open(tmp, "wb") as fh:
                summary_workbook(con, flt, fh, lang, db_label, findings_limit)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        return None

    flt = flt or metrics.Filter()
    with XlsxBook(out) as book:
        total = _first_row(metrics.headline(con, flt))
        _cover_sheet(book, con, flt, total, lang, db_label)
        _group_sheet(book, con, flt, total, lang, "region", BY_REGION, "region", ["region", "region_name"], 2,
                     GROUP_COLUMNS)
        _group_sheet(book, con, flt, total, lang, "direction", BY_DIRECTION, "direction",
                     ["direction", "direction_name"], 2, [c for c in GROUP_COLUMNS if c != "report_weight"])
        _group_sheet(book, con, flt, total, lang, "year", BY_YEAR, None, ["year"], 1,
                     [c for c in GROUP_COLUMNS if c != "report_weight"])
        _group_sheet(book, con, flt, total, lang, "ngo", BY_NGO, None, ["ngo_name"], 1, NGO_COLUMNS)
        _plan_fact_sheet(book, con, flt, lang)
        _participants_sheet(book, con, flt, lang)
        _quality_sheets(book, con, flt, total, lang, findings_limit)
    return None


COVER_FIGURES = (("wb_reports_selected", "reports"), ("wb_of_them_with_errors", "reports_with_errors"),
                 ("wb_of_them_with_warnings", "reports_with_warnings"), ("ngos", "ngos"),
                 ("grant_amount", "grant_amount"), ("direct_fact", "direct_beneficiaries"),
                 ("col_indirect_fact", "indirect_beneficiaries"), ("col_total_reach", "total_reach"),
                 ("participants", "participants"), ("direct_achievement", "direct_achievement"),
                 ("cost_per_beneficiary", "cost_per_beneficiary"))
"""The cover's key figures: (i18n key of the label, column of ``metrics.headline``)."""


def _cover_sheet(book, con, flt, total: dict[str, Any], lang: str, db_label: str | None) -> None:
    def t(key: str, **values: Any) -> str:
        return i18n.t(key, lang, **values)

    source = scopes.data_source(con, getattr(flt, "scope", None))
    rows: list[tuple[list, float | None]] = []

    class _Rows:  # collects the cover's rows so the sheet can state its size up front
        def row(self, cells, height=None):
            rows.append((cells, height))

    sheet = _Rows()
    sheet.row([(t("wb_title"), "title")], height=21)
    sheet.row([])
    made = datetime.now(timezone.utc).astimezone().replace(microsecond=0, tzinfo=None)
    last = source["last_loaded_at"]
    sheet.row([(t("wb_made"), "label"), (made, "datetime")])
    source_text = t("wb_source_value", db=db_label or "grantstats", files=source["files"], reports=source["reports"],
                    last=last.strftime("%Y-%m-%d %H:%M") if last else "—")
    sheet.row([(t("wb_source"), "label"), (source_text, "wrap")])
    sheet.row([])
    sheet.row([(t("filters"), "header")])
    for label, value in filter_lines(flt, lang) or [("", t("wb_no_filters"))]:
        sheet.row([(label, "label"), (value, "wrap")])
    sheet.row([])
    sheet.row([(t("wb_key_figures"), "header")])
    for label, key in COVER_FIGURES:
        sheet.row([(t(label), "label"), (total.get(key), column_kind(key))])
    sheet.row([])
    sheet.row([(t("wb_sheets"), "header")])
    for name, title in SHEETS:
        sheet.row([(t(name), "label"), (t(title), "wrap")])
    sheet.row([])
    sheet.row([(t("wb_notes"), "header")])
    for key in ("wb_note_regions", "wb_note_plan", "wb_note_approx", "wb_note_personal"):
        sheet.row([None, (t(key), "wrap")], height=32)
    out = book.sheet(t("wb_cover"), widths=[42, 90], size=(len(rows), 2))
    for cells, height in rows:
        out.row(cells, height=height)


def _group_sheet(book, con, flt, total: dict[str, Any], lang: str, by: str, sheet: tuple[str, str],
                 name_kind: str | None, front: list[str], freeze: int, keys: list[str]) -> None:
    df = metrics.totals(con, flt, by=by)
    if name_kind:
        df = _name_column(df, by, name_kind, lang, f"{by}_name")
    notes = [i18n.t("wb_note_regions", lang)] if by == "region" else []
    notes.append(i18n.t("wb_note_total_reports", lang) + " * " + i18n.t("wb_note_plan", lang))
    kinds = {"year": "year", "ngo_name": "text", "region": "text", "direction": "text"}
    name, title = sheet
    write_table_sheet(book, i18n.t(name, lang), df, _columns(front + keys, lang, kinds),
                      title=i18n.t(title, lang), notes=notes, totals={k: total.get(k) for k in keys},
                      totals_label=i18n.t("wb_total", lang), freeze_cols=freeze)


def _plan_fact_sheet(book, con, flt, lang: str) -> None:
    """Plan versus fact per indicator; money indicators (payroll, taxes, economy) in tenge, the rest in people
    or organisations."""
    pf = metrics.plan_vs_fact(con, flt)
    pf = _name_column(pf, "indicator", "indicator", lang, "indicator_name")
    known = set(catalog.codes("indicator"))
    units = {c: catalog.indicator_unit(c) if c in known else None for c in pf["indicator"]}
    pf["unit"] = [catalog.name("unit_counted", units[c], lang) if units[c] else units[c] for c in pf["indicator"]]
    columns = _columns(["indicator", "indicator_name", "unit", "reports_with_plan", "reports_with_fact", "reports",
                        "missing_plan", "plan", "fact", "achievement", "gap", "met_share", "approx_share"], lang,
                       {"indicator": "text", "unit": "text"})
    for c in columns:
        if c.key == "reports":
            c.header = _header("reports_both", lang)

    def money_rows(record: dict[str, Any], column: Column) -> str | None:
        if column.key in ("plan", "fact", "gap") and units.get(record.get("indicator")) == "tenge":
            return "money"
        return None

    name, title = PLAN_FACT
    write_table_sheet(book, i18n.t(name, lang), pf, columns, title=i18n.t(title, lang),
                      notes=[i18n.t("wb_note_plan", lang), i18n.t("wb_note_approx", lang)], freeze_cols=2,
                      cell_kind=money_rows)


def _participants_sheet(book, con, flt, lang: str) -> None:
    """The gender, age and category tables one under the other, told apart by the first column."""
    parts = []
    for dimension in metrics.DIMENSIONS:
        b = metrics.breakdown(con, flt, dimension)
        b = _name_column(b, "bucket", dimension, lang, "bucket_name")
        b.insert(0, "dimension", i18n.t(DIMENSION_LABELS[dimension], lang))
        if not b.empty:
            parts.append(b)
    df = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["dimension", "bucket_name"] + metrics.BREAKDOWN_COLUMNS)
    name, title = PARTICIPANTS
    write_table_sheet(book, i18n.t(name, lang), df,
                      _columns(["dimension", "bucket", "bucket_name", "people", "share", "derived_people",
                                "reports", "derived_reports"], lang, {"dimension": "text", "bucket": "text"}),
                      title=i18n.t(title, lang), notes=[i18n.t("categories_note", lang)], freeze_cols=3)


def _quality_sheets(book, con, flt, total: dict[str, Any], lang: str, findings_limit: int | None) -> None:
    """Findings counted per rule, then every finding with the file, sheet and cell it points at."""
    def t(key: str) -> str:
        return i18n.t(key, lang)

    rules = findings_queries.findings_by_rule(con, flt)
    rules = rules.assign(severity=catalog.names("severity", rules["severity"], lang), message=finding_messages.messages(rules, lang),
                         rule=rules[f"title_{lang}"])
    text = {"rule": "text", "severity": "text", "message": "text", "report_id": "text", "grantee": "text",
            "file_name": "text", "sheet": "text", "cell": "text", "year": "year"}
    name, title = QUALITY
    write_table_sheet(book, t(name), rules, _columns(["rule", "severity", "findings", "reports", "message"], lang, text),
                      title=t(title),
                      notes=[f"{t('wb_reports_selected')}: {formatting.count(total.get('reports') or 0)}; "
                             f"{t('wb_of_them_with_errors')}: {formatting.count(total.get('reports_with_errors') or 0)}; "
                             f"{t('wb_of_them_with_warnings')}: "
                             f"{formatting.count(total.get('reports_with_warnings') or 0)}"],
                      freeze_cols=1)
    found = findings_queries.findings_table(con, flt, limit=findings_limit)
    found = found.assign(severity=catalog.names("severity", found["severity"], lang), message=finding_messages.messages(found, lang),
                         rule=rule_titles(found["rule"], lang))
    name, title = FINDINGS
    write_table_sheet(book, t(name), found,
                      _columns(["report_id", "grantee", "year", "severity", "rule", "message", "file_name", "sheet",
                                "cell"], lang, text),
                      title=t(title), freeze_cols=2)


__all__ = ["safe_text", "table_csv_bytes", "table_xlsx_bytes", "summary_workbook", "exportable", "column_kind",
           "filter_stem", "file_name", "summary_file_name", "rounded_for_export", "CSV_DECIMALS",
           "write_table_sheet", "Column", "FORMULA_START", "PERSONAL_COLUMN", "FORMATS", "filter_lines"]
