"""The hidden rows and columns of an OpenDocument spreadsheet (.ods), by sheet: python-calamine reads their cells
like any others, and a person filling in the form never saw them (an old row, a helper column).

content.xml says it with table:visibility="collapse" (hidden) or "filter" (left out by a filter) on a
<table:table-row> or <table:table-column>, each standing for number-rows-repeated / number-columns-repeated of
them. The file has passed the safety gate: no DTD, within the size limits; the parser refuses a DTD all the same.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from grantstats.model import ReadError
from grantstats.readers.grid import read_once_per_file
from grantstats.safety import _TABLE_NS, _safe_expat

HIDDEN = {"collapse", "filter"}
MAX_INDEX = 1_048_576  # a sheet's last row: repeats past it (LibreOffice pads every sheet to the end) are not rows
_T = _TABLE_NS + " "


class _Hidden:
    """Counts a sheet's rows and columns in document order (header rows and groups included) and keeps the hidden
    ones; tables nested in a cell are not sheets and are skipped."""

    def __init__(self) -> None:
        self.sheets: dict[str, tuple[set[int], set[int]]] = {}
        self.tables = 0  # open table elements: 1 inside a sheet, more inside a table in a cell
        self.name = ""
        self.row = self.col = 0

    def start(self, tag: str, attrs: dict) -> None:
        if tag == _T + "table":
            self.tables += 1
            if self.tables == 1:
                self.name, self.row, self.col = attrs.get(_T + "name", ""), 0, 0
            return
        if self.tables != 1:
            return
        if tag == _T + "table-row":
            self.row = self._take(attrs, "number-rows-repeated", self.row, 0)
        elif tag == _T + "table-column":
            self.col = self._take(attrs, "number-columns-repeated", self.col, 1)

    def _take(self, attrs: dict, repeated: str, at: int, which: int) -> int:
        try:
            count = max(1, int(attrs.get(_T + repeated, "1")))
        except ValueError:
            count = 1
        if attrs.get(_T + "visibility") in HIDDEN and at < MAX_INDEX:
            hidden = self.sheets.setdefault(self.name, (set(), set()))[which]
            hidden.update(range(at, min(at + count, MAX_INDEX)))
        return at + count

    def end(self, tag: str) -> None:
        if tag == _T + "table":
            self.tables -= 1


def _hidden_of(path: str) -> dict[str, tuple[frozenset[int], frozenset[int]]]:
    """(hidden rows, hidden columns), 0-based, of each sheet of an .ods that hides any, by sheet name; {} when
    none or the file cannot be read again."""
    found = _Hidden()
    parser = _safe_expat(Path(path).name, "content.xml")
    parser.StartElementHandler, parser.EndElementHandler = found.start, found.end
    try:
        with zipfile.ZipFile(path) as z, z.open("content.xml") as part:
            while chunk := part.read(256 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError, ReadError):
        return {}
    except Exception:  # expat.ExpatError and whatever a broken stream raises: nothing known to be hidden
        return {}
    return {name: (frozenset(rows), frozenset(cols)) for name, (rows, cols) in found.sheets.items() if rows or cols}


ods_hidden = read_once_per_file(_hidden_of)
