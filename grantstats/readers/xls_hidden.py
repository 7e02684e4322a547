"""The hidden rows and columns of a legacy Excel workbook (.xls, BIFF8), by sheet: python-calamine reads their
cells like any others, and a person filling in the form never saw them (an old row, a helper column).

The Workbook stream says it in its records: each sheet's BOUNDSHEET (name, where its records start), a ROW record
whose flags have fDyZero (0x20: the row is hidden), a COLINFO record whose flags have fHidden (0x01) over a range
of columns. The file has passed the safety gate (a compound file that holds a workbook, within the size limits).
"""

from __future__ import annotations

import struct
from pathlib import Path

from grantstats.readers.grid import read_once_per_file
from grantstats.safety import ole_stream

BOF, EOF, BOUNDSHEET, ROW, COLINFO = 0x0809, 0x000A, 0x0085, 0x0208, 0x007D
ROW_HIDDEN, COLUMN_HIDDEN = 0x20, 0x01
MAX_COLUMNS = 256  # BIFF8's last column is IV


def _records(stream: bytes, at: int):
    """(type, body) of the records from offset `at` to the end of the stream."""
    end = len(stream)
    while at + 4 <= end:
        kind, size = struct.unpack_from("<HH", stream, at)
        yield kind, stream[at + 4:at + 4 + size]
        at += 4 + size


def _sheets(stream: bytes) -> list[tuple[str, int]]:
    """(name, offset of its BOF) of each worksheet, from the globals' BOUNDSHEET records."""
    out = []
    for kind, body in _records(stream, 0):
        if kind == EOF:
            break
        if kind == BOUNDSHEET and len(body) >= 8:
            offset, chars, flags = struct.unpack_from("<I", body)[0], body[6], body[7]
            raw = body[8:8 + chars * 2] if flags & 1 else body[8:8 + chars]
            out.append((raw.decode("utf-16-le" if flags & 1 else "latin-1", "replace"), offset))
    return out


def _hidden_in_sheet(stream: bytes, at: int) -> tuple[set[int], set[int]]:
    rows: set[int] = set()
    cols: set[int] = set()
    depth = 0  # a chart inside the sheet has its own BOF … EOF
    for kind, body in _records(stream, at):
        if kind == BOF:
            depth += 1
        elif kind == EOF:
            depth -= 1
            if depth <= 0:
                break
        elif depth == 1 and kind == ROW and len(body) >= 14:
            if struct.unpack_from("<H", body, 12)[0] & ROW_HIDDEN:
                rows.add(struct.unpack_from("<H", body)[0])
        elif depth == 1 and kind == COLINFO and len(body) >= 10:
            first, last = struct.unpack_from("<HH", body)
            if struct.unpack_from("<H", body, 8)[0] & COLUMN_HIDDEN:
                cols.update(range(first, min(last, MAX_COLUMNS - 1) + 1))
    return rows, cols


def _hidden_of(path: str) -> dict[str, tuple[frozenset[int], frozenset[int]]]:
    """(hidden rows, hidden columns), 0-based, of each sheet of an .xls that hides any, by sheet name; {} when
    none or the file cannot be read again."""
    try:
        stream = ole_stream(Path(path).read_bytes(), ("Workbook", "Book"))
        if stream is None:
            return {}
        out = {}
        for name, offset in _sheets(stream):
            if offset < len(stream):
                rows, cols = _hidden_in_sheet(stream, offset)
                if rows or cols:
                    out[name] = (frozenset(rows), frozenset(cols))
        return out
    except (OSError, ValueError, struct.error):
        return {}


xls_hidden = read_once_per_file(_hidden_of)
