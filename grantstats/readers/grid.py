"""A workbook or CSV as plain grids of cell values, with A1 names for every cell."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime
from pathlib import Path
from typing import Any

import python_calamine

from grantstats.model import ReadError

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
CSV_SUFFIXES = {".csv", ".txt"}
DOCUMENT_SUFFIXES = {".docx", ".pdf"}  # read by readers.word and readers.pdf into one grid each
SUPPORTED_SUFFIXES = SPREADSHEET_SUFFIXES | CSV_SUFFIXES | DOCUMENT_SUFFIXES


@dataclass
class Grid:
    """One sheet: rows of values anchored at A1 ('' for an empty cell), and its merged ranges."""

    name: str
    rows: list[list[Any]]
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)

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


def load_grids(path: str | Path) -> list[Grid]:
    """Every sheet of a spreadsheet, or the one grid of a CSV file."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        rows = parse_csv_text(decode_csv_bytes(path.read_bytes(), path.name))
        return [Grid(name=path.stem, rows=[list(r) for r in rows])]
    if suffix not in SPREADSHEET_SUFFIXES:
        raise ReadError(f"{path.name}: not a spreadsheet (expected .xlsx, .xlsm, .xls, .ods or .csv)")
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise ReadError(f"{path.name}: the workbook is password-protected; save it without a password") from None
    except Exception as exc:  # calamine's own errors for corrupt files vary by format
        raise ReadError(f"{path.name}: not a readable spreadsheet ({type(exc).__name__})") from None
    grids = []
    try:
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            try:
                merged = list(sheet.merged_cell_ranges or [])
            except Exception:
                merged = []
            grids.append(Grid(name=name, rows=sheet.to_python(skip_empty_area=False), merged=merged))
    except Exception as exc:
        raise ReadError(f"{path.name}: a sheet cannot be read ({type(exc).__name__})") from None
    finally:
        workbook.close()
    return grids
