"""A workbook or CSV as plain grids of cell values, with A1 names for every cell."""

from __future__ import annotations

import csv
import html
import io
import posixpath
import re
import zipfile
from bisect import bisect_left
from collections.abc import Callable
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
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
    # A grid with the sheet's hidden rows or columns taken out (`without_hidden`): the sheet's row and column of
    # each of its rows and columns, so that a cell keeps its name in the file. None: as in the sheet.
    rows_at: list[int] | None = None
    cols_at: list[int] | None = None
    transposed: bool = False  # the sheet laid on its side (`on_its_side`): a row here is a column there

    @property
    def height(self) -> int:
        return len(self.rows)

    @cached_property
    def width(self) -> int:
        """The longest row's length, measured once (a scan over every row; a grid's rows are not changed after
        it is made): readers ask it for every row of a sheet."""
        return max((len(r) for r in self.rows), default=0)

    def value(self, row: int, col: int) -> Any:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return ""

    def text(self, row: int, col: int) -> str:
        return cell_text(self.value(row, col))

    def cell(self, row: int, col: int) -> str:
        """The A1 name in the file of a cell of this grid."""
        if self.rows_at is not None:
            row = _in_sheet(self.rows_at, row)
        if self.cols_at is not None:
            col = _in_sheet(self.cols_at, col)
        return cell_name(col, row) if self.transposed else cell_name(row, col)

    def position(self, row: int, col: int) -> tuple[int, int]:
        """The row and column in this grid of the sheet's cell at `row`, `col` (the inverse of `cell`)."""
        if self.rows_at is not None:
            row = bisect_left(self.rows_at, row)
        if self.cols_at is not None:
            col = bisect_left(self.cols_at, col)
        return row, col

    def merged_value(self, row: int, col: int) -> Any:
        """The value shown in a cell, following a merge back to its top-left cell."""
        for (r0, c0), (r1, c1) in self.merged:
            if r0 <= row <= r1 and c0 <= col <= c1:
                return self.value(r0, c0)
        return self.value(row, col)


def _in_sheet(kept: list[int], i: int) -> int:
    """The sheet's index of a grid's row or column `i`, `kept` being the sheet's ones the grid kept (past the
    last one kept, the sheet's that follow it)."""
    if i < len(kept):
        return kept[i]
    return (kept[-1] + 1 if kept else 0) + i - len(kept)


def without_hidden(grid: Grid, rows: frozenset[int], cols: frozenset[int]) -> Grid:
    """The grid as a person sees the sheet: its hidden rows and columns taken out, merged ranges shrunk to what
    shows of them (a merge's value moved to its first shown cell); each cell keeps its name in the file."""
    rows_kept = [r for r in range(grid.height) if r not in rows]
    cols = frozenset(c for c in cols if c < grid.width)
    cols_kept = [c for c in range(grid.width) if c not in cols] if cols else None
    if cols_kept is None:
        new_rows = [grid.rows[r] for r in rows_kept]
    else:
        new_rows = [[row[c] for c in cols_kept if c < len(row)] for row in (grid.rows[r] for r in rows_kept)]
    shown = Grid(grid.name, new_rows, [], grid.error, grid.hidden,
                 rows_at=rows_kept if len(rows_kept) < grid.height else None, cols_at=cols_kept)
    for (r0, c0), (r1, c1) in grid.merged:
        shown_rows = [r for r in range(r0, r1 + 1) if r not in rows]
        shown_cols = [c for c in range(c0, c1 + 1) if c not in cols]
        if not shown_rows or not shown_cols:
            continue
        top, left = shown.position(shown_rows[0], shown_cols[0])
        bottom, right = shown.position(shown_rows[-1], shown_cols[-1])
        value = grid.value(r0, c0)
        if (r0 in rows or c0 in cols) and not is_blank(value) and top < len(new_rows) and left < len(new_rows[top]):
            new_rows[top] = list(new_rows[top])
            new_rows[top][left] = value
        shown.merged.append(((top, left), (bottom, right)))
    return shown


def on_its_side(grid: Grid) -> Grid:
    """The grid with its rows as columns and its columns as rows (a table whose fields run down column A and
    whose reports stand a column each, read as a table of a report a row); each cell keeps its name in the file."""
    width = grid.width
    rows = [[row[c] if c < len(row) else "" for row in grid.rows] for c in range(width)]
    merged = [((c0, r0), (c1, r1)) for (r0, c0), (r1, c1) in grid.merged]
    return Grid(grid.name, rows, merged, grid.error, grid.hidden, transposed=True)


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


CSV_DELIMITERS = (";", "\t", ",")  # in the order a tie is settled: «;» is what Excel writes where «,» is decimal
CSV_SNIFF_LINES = 40


def parse_csv_text(text: str) -> list[list[str]]:
    """Rows of a CSV text, with ';', ',' or tab as the separator: the one that splits most of its first lines
    into the same number (two or more) of fields, so a title line above the header, or a header whose labels
    hold commas («Прямые бенефициары, план, чел.»), does not decide it."""
    return [row for row in csv.reader(io.StringIO(text), delimiter=csv_delimiter(text))]


def csv_delimiter(text: str) -> str:
    lines = [line for line in text[:50000].splitlines() if line.strip()][:CSV_SNIFF_LINES]

    def score(delimiter: str) -> tuple[int, int]:
        counts = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1)
        if not counts:
            return (0, 0)
        width, rows = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
        return (rows, width)

    return max(CSV_DELIMITERS, key=lambda d: (score(d), -CSV_DELIMITERS.index(d)))


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


def _xlsx_sheets(z: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, its part in the archive) of each sheet of an .xlsx/.xlsm, in the workbook's order."""
    names = set(z.namelist())
    if "xl/workbook.xml" not in names:
        return []
    targets = {}
    if "xl/_rels/workbook.xml.rels" in names:
        for raw in _REL_TAG.findall(z.read("xl/_rels/workbook.xml.rels")):
            attrs = _attrs(raw)
            target = attrs.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath("xl/" + target)
            targets[attrs.get("Id")] = target
    out = []
    for raw in _SHEET_TAG.findall(z.read("xl/workbook.xml")):
        attrs = _attrs(raw)
        part = targets.get(attrs.get("id"))
        if part and part in names:
            out.append((attrs.get("name", ""), part))
    return out


def xlsx_hidden_columns(path: str | Path) -> dict[str, frozenset[int]]:
    """Hidden columns (0-based) of each sheet of an .xlsx/.xlsm, by sheet name; {} when none or unreadable.

    python-calamine does not say which columns are hidden; the sheet's XML does (<col hidden="1">). Only the
    workbook's sheet list, its relationships and the head of each sheet are read (the file has been checked
    by the safety gate before: no DTD, sizes within the limits)."""
    out: dict[str, frozenset[int]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name, part in _xlsx_sheets(z):
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
                    out[name] = frozenset(hidden)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return {}
    return out


_HIDDEN_ROW = re.compile(rb"<(?:\w+:)?row\b([^>]*\bhidden\s*=\s*[\"'](?:1|true)[\"'][^>]*)>")
ROWS_CHUNK_BYTES = 256 * 1024


def _hidden_rows_in(xml: bytes) -> list[int]:
    if b"hidden" not in xml:  # (most chunks: one pass at memchr speed)
        return []
    numbers = (_attrs(raw).get("r", "") for raw in _HIDDEN_ROW.findall(xml))
    return [int(n) - 1 for n in numbers if n.isdigit() and 1 <= int(n) <= 1_048_576]


def xlsx_hidden_rows(path: str | Path, sheets: set[str]) -> dict[str, frozenset[int]]:
    """Hidden rows (0-based) of these sheets of an .xlsx/.xlsm, by sheet name; {} when none or unreadable.

    A row's <row hidden="1"> stands among the cells, so each sheet asked about is read through once, as bytes:
    only a chunk that says «hidden» somewhere is searched for row tags. A row without its number (r="…"; Excel
    and LibreOffice always write it) is not told."""
    out: dict[str, frozenset[int]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name, part in _xlsx_sheets(z):
                if name not in sheets:
                    continue
                hidden: set[int] = set()
                carry = b""
                with z.open(part) as sheet:
                    while chunk := sheet.read(ROWS_CHUNK_BYTES):
                        data = carry + chunk
                        cut = data.rfind(b"<")  # a tag cut by the chunk's end is searched with the next chunk
                        carry, data = (data[cut:], data[:cut]) if cut > 0 else (b"", data)
                        hidden.update(_hidden_rows_in(data))
                    hidden.update(_hidden_rows_in(carry))
                if hidden:
                    out[name] = frozenset(hidden)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return {}
    return out


def read_once_per_file(read: Callable[[str], dict]) -> Callable[[str | Path], dict]:
    """`read(path)` remembered for the file's path, size and modification time (the last few files): the readers
    ask for a file's hidden columns and then its hidden rows, and the file is looked into once; {} when the file
    cannot be looked at."""
    remembered = lru_cache(maxsize=4)(lambda path, size, mtime_ns: read(path))

    def by_path(path: str | Path) -> dict:
        try:
            info = Path(path).stat()
        except OSError:
            return {}
        return remembered(str(path), info.st_size, info.st_mtime_ns)

    by_path.__doc__ = read.__doc__
    return by_path


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
