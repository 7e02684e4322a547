"""A workbook or CSV as plain grids of cell values, with A1 names for every cell."""

from __future__ import annotations

import csv
import html
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime
from pathlib import Path
from typing import Any

import python_calamine

from grantstats.refusals import refusal

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
DOCUMENT_SUFFIXES = {".docx", ".pdf"}  # read by readers.word and readers.pdf into one grid each
SUPPORTED_SUFFIXES = SPREADSHEET_SUFFIXES | CSV_SUFFIXES | DOCUMENT_SUFFIXES


@dataclass
class Grid:
    """One sheet: rows of values anchored at A1 ('' for an empty cell), and its merged ranges."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)
    error: str | None = None  # the sheet could not be read (the reader's error), so it holds no rows here
    hidden: bool = False  # the workbook hides the sheet (hidden or very hidden): no one filling it in sees it

    @property
    def height(self) -> int:
        return len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def text(self, row: int, col: int) -> str:
        return cell_text(self.value(row, col))

    def merged_value(self, row: int, col: int) -> Any:
        """The value shown in a cell, following a merge back to its top-left cell."""
        for (r0, c0), (r1, c1) in self.merged:
            if r0 <= row <= r1 and c0 <= col <= c1:
                return self.value(r0, c0)
        return self.value(row, col)


def column_letters(col: int) -> str:
    """0 -> 'A', 25 -> 'Z', 26 -> 'AA'."""
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@lru_cache(maxsize=65536)
def cell_name(row: int, col: int) -> str:
    """Zero-based row and column as an A1 reference (remembered: every read names thousands of cells)."""
    return f"{column_letters(col)}{row + 1}"


def cell_text(value: Any) -> str:
    """A cell's value as the text a person sees; whole floats without '.0'."""
    if value.__class__ is str:  # most cells: no conversion to make
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def is_blank(value: Any) -> bool:
    return cell_text(value) == ""


def decode_csv_bytes(data: bytes, file_label: str) -> str:
    """CSV bytes as text: UTF-8 (BOM or not), UTF-16 (Excel's "Unicode text"), cp1251/KZ-1048; nonsense is refused."""
    from grantstats.safety import decode_text

    return decode_text(data, file_label)


def parse_csv_text(text: str) -> list[list[str]]:
    """Rows of a CSV text, with ';', ',' or tab as the separator, whichever the header uses."""
    sample = text[:20000]
    first_line = sample.splitlines()[0] if sample else ""
    delimiter = max([";", ",", "\t"], key=first_line.count)
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def expected_suffixes() -> str:
    """The suffixes read, for messages: «.csv, .ods, .txt, .xls, .xlsb, .xlsm or .xlsx»."""
    names = sorted(SUPPORTED_SUFFIXES)
    return ", ".join(names[:-1]) + " or " + names[-1]


_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)/?>")
_ATTR = re.compile(rb"([\w:]+)\s*=\s*[\"']([^\"']*)[\"']")
COLS_PEEK_BYTES = 256 * 1024  # <cols> comes before <sheetData>, in the first kilobytes of a sheet
COLS_CHUNK_BYTES = 8 * 1024


def _attrs(raw: bytes) -> dict[str, str]:
    return {k.decode("ascii", "replace").split(":")[-1]: html.unescape(v.decode("utf-8", "replace"))
            for k, v in _ATTR.findall(raw)}


def xlsx_hidden_columns(path: str | Path) -> dict[str, frozenset[int]]:
    """Hidden columns (0-based) of each sheet of an .xlsx/.xlsm, by sheet name; {} when none or unreadable.

    python-calamine does not say which columns are hidden; the sheet's XML does (<col hidden="1">). Only the
    workbook's sheet list, its relationships and the head of each sheet are read (the file has been checked
    by the safety gate before: no DTD, sizes within the limits)."""
    out: dict[str, frozenset[int]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names:
                return {}
            targets = {}
            if "xl/_rels/workbook.xml.rels" in names:
                for raw in _REL_TAG.findall(z.read("xl/_rels/workbook.xml.rels")):
                    attrs = _attrs(raw)
                    target = attrs.get("Target", "")
                    target = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
                    targets[attrs.get("Id")] = target
            for raw in _SHEET_TAG.findall(z.read("xl/workbook.xml")):
                attrs = _attrs(raw)
                part = targets.get(attrs.get("id"))
                if not part or part not in names:
                    continue
                head = b""
                with z.open(part) as sheet:
                    while len(head) < COLS_PEEK_BYTES and b"<sheetData" not in head:
                        chunk = sheet.read(COLS_CHUNK_BYTES)
                        if not chunk:
                            break
                        head += chunk
                head = head.split(b"<sheetData", 1)[0]
                hidden: set[int] = set()
                for col in _COL_TAG.findall(head):
                    col_attrs = _attrs(col)
                    if col_attrs.get("hidden") in ("1", "true"):
                        first, last = int(col_attrs.get("min", "0")), int(col_attrs.get("max", "0"))
                        if 1 <= first <= last <= 16384:
                            hidden.update(range(first - 1, min(last, first + 1000)))
                if hidden:
                    out[attrs.get("name", "")] = frozenset(hidden)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return {}
    return out


def _is_hidden(meta) -> bool:
    return meta.visible != python_calamine.SheetVisibleEnum.Visible


def load_grids(path: str | Path) -> list[Grid]:
    """Every sheet of a spreadsheet, or the one grid of a CSV file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        rows = parse_csv_text(decode_csv_bytes(path.read_bytes(), path.name))
        return [Grid(name=path.stem, rows=[list(r) for r in rows])]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise refusal("not_spreadsheet", path.name)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise refusal("workbook_password", path.name) from None
    except Exception as exc:  # calamine's own errors for corrupt files vary by format
        raise refusal("not_readable_spreadsheet", path.name, error=type(exc).__name__) from None
    grids = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # a chart or dialog sheet holds no cells
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
                rows = sheet.to_python(skip_empty_area=False)
            except Exception as exc:  # calamine's errors for a damaged sheet vary by format
                grids.append(Grid(name=meta.name, rows=[], error=type(exc).__name__, hidden=_is_hidden(meta)))
                continue
            try:
                merged = list(sheet.merged_cell_ranges or [])
            except Exception:
                merged = []
            grids.append(Grid(name=meta.name, rows=rows, merged=merged, hidden=_is_hidden(meta)))
    except Exception as exc:
        raise refusal("sheet_unreadable", path.name, error=type(exc).__name__) from None
    finally:
        workbook.close()
    if grids and all(g.error for g in grids):
        raise refusal("sheet_unreadable", path.name, error=grids[0].error, sheet=grids[0].name)
    return grids
