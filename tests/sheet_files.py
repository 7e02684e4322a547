"""Spreadsheet files the tests write themselves, in the formats staff send: .xlsx (openpyxl), and .ods, legacy
.xls (BIFF8 in an OLE2 compound file) and .xlsb (Excel's binary workbook) written byte by byte from their
specifications, so no writer library beyond openpyxl is needed. Cells are str, int/float or None."""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

Sheets = dict[str, list[list]]


def write_xlsx(path: Path, sheets: Sheets, hidden_columns: dict[str, list[str]] | None = None,
               hidden_rows: dict[str, list[int]] | None = None, states: dict[str, str] | None = None,
               merges: dict[str, list[str]] | None = None) -> Path:
    """An .xlsx with these sheets (rows from A1); by sheet: column letters and 1-based rows hidden as Excel hides
    them, the sheet's state («hidden», «veryHidden»), ranges merged."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for letter in (hidden_columns or {}).get(name, []):
            ws.column_dimensions[letter].hidden = True
        for r in (hidden_rows or {}).get(name, []):
            ws.row_dimensions[r].hidden = True
        ws.sheet_state = (states or {}).get(name, "visible")
        for ref in (merges or {}).get(name, []):
            ws.merge_cells(ref)
    wb.save(path)
    return path


# ---------------------------------------------------------------------------------------------------------- ods

_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _ods_cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return (f'<table:table-cell office:value-type="float" office:value="{value!r}">'
                f"<text:p>{value}</text:p></table:table-cell>")
    return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'


def write_ods(path: Path, sheets: Sheets, hidden_rows: dict[str, list[int]] | None = None,
              hidden_columns: dict[str, list[str]] | None = None) -> Path:
    """An OpenDocument spreadsheet as LibreOffice stores one: mimetype first and stored, then content.xml; by
    sheet, 1-based rows and column letters hidden as LibreOffice hides them (table:visibility="collapse"), the
    columns declared as LibreOffice does, runs of alike ones as one element repeated."""
    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + _ods_columns(rows, (hidden_columns or {}).get(name, []))
        + "".join(("<table:table-row table:visibility=\"collapse\">" if r + 1 in (hidden_rows or {}).get(name, [])
                   else "<table:table-row>") + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
                  for r, row in enumerate(rows))
        + "</table:table>" for name, rows in sheets.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.2">'
               f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
               "</office:document-content>")
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
                '<manifest:file-entry manifest:full-path="/" '
                'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
                "</manifest:manifest>")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet",
                   compress_type=zipfile.ZIP_STORED)
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return path


def _ods_columns(rows: list[list], hidden: list[str]) -> str:
    from openpyxl.utils import column_index_from_string

    hidden_at = {column_index_from_string(letters) - 1 for letters in hidden}
    width = max([len(row) for row in rows] + [c + 1 for c in hidden_at])
    runs: list[tuple[bool, int]] = []
    for c in range(width):
        if runs and runs[-1][0] == (c in hidden_at):
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((c in hidden_at, 1))
    return "".join("<table:table-column" + (' table:visibility="collapse"' if is_hidden else "")
                   + (f' table:number-columns-repeated="{count}"' if count > 1 else "") + "/>"
                   for is_hidden, count in runs)


# ---------------------------------------------------------------------------------------------------------- xls


def _record(kind: int, payload: bytes) -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def _bof(kind: int) -> bytes:
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0006))


def _sheet_stream(rows: list[list], hidden_rows: list[int] = (), hidden_columns: list[str] = ()) -> bytes:
    from openpyxl.utils import column_index_from_string

    cells = []
    for letters in hidden_columns:  # COLINFO: the range's first and last column, width, format, flags (fHidden)
        c = column_index_from_string(letters) - 1
        cells.append(_record(0x007D, struct.pack("<HHHHHH", c, c, 2560, 15, 0x0001, 0)))
    for row in hidden_rows:  # ROW (1-based here): number, its columns, height, 2 reserved, flags (fDyZero), format
        cells.append(_record(0x0208, struct.pack("<HHHHHHHH", row - 1, 0, 16, 255, 0, 0, 0x0120, 15)))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cells.append(_record(0x0203, struct.pack("<HHHd", r, c, 0, float(value))))  # NUMBER
            else:
                text = str(value)
                cells.append(_record(0x0204, struct.pack("<HHHHB", r, c, 0, len(text), 1)  # LABEL, UTF-16
                                     + text.encode("utf-16-le")))
    width = max((len(row) for row in rows), default=0)
    dimensions = _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    return _bof(0x0010) + dimensions + b"".join(cells) + _record(0x000A, b"")


def workbook_stream(sheets: Sheets, hidden_rows: dict[str, list[int]] | None = None,
                    hidden_columns: dict[str, list[str]] | None = None) -> bytes:
    """A BIFF8 Workbook stream: globals (BOF, CODEPAGE 1200, a BOUNDSHEET a sheet, EOF), then each sheet (with
    the ROW and COLINFO records of its hidden rows and columns, by sheet: 1-based rows, column letters)."""
    names = list(sheets)

    def boundsheet(name: str, offset: int) -> bytes:
        return _record(0x0085, struct.pack("<IBBBB", offset, 0, 0, len(name), 1) + name.encode("utf-16-le"))

    head_len = len(_bof(0x0005)) + len(_record(0x0042, b"\xb0\x04")) + sum(
        len(boundsheet(n, 0)) for n in names) + len(_record(0x000A, b""))
    bodies = [_sheet_stream(sheets[n], (hidden_rows or {}).get(n, []), (hidden_columns or {}).get(n, []))
              for n in names]
    offsets, at = [], head_len
    for body in bodies:
        offsets.append(at)
        at += len(body)
    globals_ = (_bof(0x0005) + _record(0x0042, struct.pack("<H", 1200))
                + b"".join(boundsheet(n, o) for n, o in zip(names, offsets)) + _record(0x000A, b""))
    return globals_ + b"".join(bodies)


def compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (512-byte sectors) holding `streams`, each padded to 4096 bytes or more so that
    none belongs in the mini stream: header, FAT sectors, one directory sector, the streams' sectors."""
    ssize = 512
    blobs = {name: data.ljust(max(4096, -(-len(data) // ssize) * ssize), b"\0") for name, data in streams.items()}
    data_sectors = sum(len(b) // ssize for b in blobs.values())
    fat_sectors = 1
    while fat_sectors * (ssize // 4) < fat_sectors + 1 + data_sectors:
        fat_sectors += 1
    fat = [0xFFFFFFFD] * fat_sectors + [0xFFFFFFFE]  # the FAT's own sectors, then the directory's one
    starts, sector = [], fat_sectors + 1
    for blob in blobs.values():
        count = len(blob) // ssize
        starts.append(sector)
        fat += [sector + i + 1 for i in range(count - 1)] + [0xFFFFFFFE]
        sector += count
    fat += [0xFFFFFFFF] * (fat_sectors * (ssize // 4) - len(fat))

    def entry(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0"
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, 0xFFFFFFFF, right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))

    names = list(blobs)
    directory = entry("Root Entry", 5, 1, 0xFFFFFFFF, 0xFFFFFFFE, 0)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else 0xFFFFFFFF
        directory += entry(name, 2, 0xFFFFFFFF, right, starts[i], len(blobs[name]))
    directory = directory.ljust(ssize, b"\0")
    difat = list(range(fat_sectors)) + [0xFFFFFFFF] * (109 - fat_sectors)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + bytes(6)
              + struct.pack("<IIIIIIIII", 0, fat_sectors, fat_sectors, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == 512
    return header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(blobs.values())


def write_xls(path: Path, sheets: Sheets, hidden_rows: dict[str, list[int]] | None = None,
              hidden_columns: dict[str, list[str]] | None = None) -> Path:
    """A legacy Excel 97–2003 workbook (BIFF8): text cells as LABEL records, numbers as NUMBER records; by sheet,
    1-based rows and column letters hidden as Excel hides them."""
    path.write_bytes(compound_file({"Workbook": workbook_stream(sheets, hidden_rows, hidden_columns)}))
    return path


# ---------------------------------------------------------------------------------------------------------- xlsb


def _brt(kind: int, payload: bytes = b"") -> bytes:
    """An XLSB record: type and size as 7-bit varints, then the payload."""
    head = bytes([kind & 0x7F | 0x80, kind >> 7]) if kind > 0x7F else bytes([kind])
    size, out = len(payload), bytearray()
    while True:
        byte = size & 0x7F
        size >>= 7
        out.append(byte | (0x80 if size else 0))
        if not size:
            break
    return head + bytes(out) + payload


def _wide(text: str) -> bytes:
    return struct.pack("<I", len(text)) + text.encode("utf-16-le")


def _xlsb_sheet(rows: list[list]) -> bytes:
    width = max((len(row) for row in rows), default=1)
    parts = [_brt(0x0081), _brt(0x0094, struct.pack("<IIII", 0, max(len(rows) - 1, 0), 0, max(width - 1, 0))),
             _brt(0x0091)]
    for r, row in enumerate(rows):
        parts.append(_brt(0x0000, struct.pack("<IIHBBI", r, 0, 0x0120, 0, 0, 0)))  # BrtRowHdr
        for c, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                parts.append(_brt(0x0005, struct.pack("<IId", c, 0, float(value))))  # BrtCellReal
            else:
                parts.append(_brt(0x0006, struct.pack("<II", c, 0) + _wide(str(value))))  # BrtCellSt
    parts += [_brt(0x0092), _brt(0x0082)]
    return b"".join(parts)


def write_xlsb(path: Path, sheets: Sheets) -> Path:
    """Excel's binary workbook (MS-XLSB) with inline-string and number cells."""
    names = list(sheets)
    book = _brt(0x0083) + _brt(0x008F) + b"".join(
        _brt(0x009C, struct.pack("<II", 0, i + 1) + _wide(f"rId{i + 1}") + _wide(name)) for i, name in enumerate(names)
    ) + _brt(0x0090) + _brt(0x0084)
    rels = "".join(f'<Relationship Id="rId{i + 1}" Target="worksheets/sheet{i + 1}.bin" Type="http://schemas.'
                   f'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>' for i in range(len(names)))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                   '2006/content-types"><Default Extension="bin" ContentType="application/vnd.ms-excel.sheet.binary.'
                   'macroEnabled.main"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Target="xl/workbook.bin" Type="http://schemas.'
                   'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/></Relationships>')
        z.writestr("xl/workbook.bin", book)
        z.writestr("xl/_rels/workbook.bin.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   f'package/2006/relationships">{rels}</Relationships>')
        for i, name in enumerate(names):
            z.writestr(f"xl/worksheets/sheet{i + 1}.bin", _xlsb_sheet(sheets[name]))
    return path
