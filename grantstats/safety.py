"""Checks a file before any parser sees it: its real type, its size, its zip and sheet sizes, its XML, its text.

`check_file(path)` looks at the bytes, never the name: xlsx/xlsm, xlsb, docx and ods are zip archives (only the
central directory is read, plus the first few kilobytes of each XML part), xls is an OLE2 compound file (its
directory is read to tell a workbook from an encrypted file or an old Word file), a PDF is opened to count its
pages (and refused when it is encrypted), anything else must be text in a known encoding (CSV). A file that
fails is refused with one `ReadError` line naming it; the limits are in `Limits`.
"""

from __future__ import annotations

import codecs
import importlib.util
import io
import os
import re
import stat
import struct
import sys
import zipfile
from array import array
from dataclasses import dataclass, fields, replace
from pathlib import Path
from xml.parsers import expat

from grantstats.model import ReadError
from grantstats.refusals import refusal

KINDS = ("xlsx", "xlsb", "xls", "ods", "csv", "docx", "pdf")
MB = 1 << 20
ZIP_IN_MEMORY_BYTES = 4 * MB  # a zip this small is checked from a copy in memory (one read of the file)
PEEK_BYTES = 4096  # of each XML part: the prologue (where a DTD would be) and a sheet's <dimension>
CSV_SNIFF_BYTES = 64 * 1024
RATIO_CHECKED_FROM = 1 * MB  # smaller zip entries may compress well without harm


@dataclass(frozen=True)
class Limits:
    """Bounds a real report never reaches; each can be set by the environment, e.g. GRANTSTATS_MAX_FILE_MB=80."""

    max_file_mb: float = 50.0  # one file, as uploaded or named on the command line
    max_zip_entries: int = 4000  # parts in one xlsx/ods archive
    max_unzipped_mb: float = 300.0  # all parts together, as declared by the zip directory
    max_compression_ratio: float = 200.0  # one part over 1 MB (deflate tops out near 1000:1; real XML ~5-50:1)
    max_sheet_cells: int = 5_000_000  # declared extent of one sheet, counted from A1
    worker_memory_mb: int = 1536  # address space of one parsing worker (RLIMIT_AS)
    parse_timeout_s: float = 30.0  # one file in a worker
    max_pdf_pages: int = 300  # a final report runs to tens of pages
    max_pdf_mb: float = 40.0  # one PDF (photos make a report's PDF large; its text is small)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Limits:
        """The defaults, then GRANTSTATS_<FIELD> variables (GRANTSTATS_MAX_FILE_MB, ...), then `overrides`."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(f"GRANTSTATS_{f.name.upper()}")
            if raw is None or not raw.strip():
                continue
            kind = int if f.type in ("int", int) else float
            try:
                value = kind(raw.strip())
            except ValueError:
                raise ValueError(f"GRANTSTATS_{f.name.upper()} must be a number, not {raw!r}") from None
            if value <= 0:
                raise ValueError(f"GRANTSTATS_{f.name.upper()} must be above zero, not {raw!r}")
            values[f.name] = value
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)


_defused_checked = False


def ensure_defused_xml() -> None:
    """Stop unless openpyxl parses XML through defusedxml (no entity expansion, no external entities).

    The flag is openpyxl.xml.DEFUSEDXML. When openpyxl is not imported yet, its small `openpyxl/xml/__init__.py`
    (which sets the flag from `import defusedxml` and OPENPYXL_DEFUSEDXML) is run on its own, to spare the
    0.3 s import of all of openpyxl in processes that never use it.
    """
    global _defused_checked
    if _defused_checked:
        return
    module = sys.modules.get("openpyxl.xml")
    if module is None:
        package = importlib.util.find_spec("openpyxl")
        if package is None or not package.submodule_search_locations:
            raise RuntimeError("openpyxl is not installed (see requirements.txt)")
        location = Path(list(package.submodule_search_locations)[0]) / "xml" / "__init__.py"
        spec = importlib.util.spec_from_file_location("_grantstats_openpyxl_xml_probe", location)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    if getattr(module, "DEFUSEDXML", None) is not True:
        raise RuntimeError("openpyxl is not using defusedxml: install defusedxml (see requirements.txt) "
                           "and do not set OPENPYXL_DEFUSEDXML=False")
    _defused_checked = True


# ----------------------------------------------------------------------------------------------------------
# The entry point


def check_file(path: str | os.PathLike, limits: Limits | None = None) -> str:
    """The file's real kind ('xlsx', 'xlsb', 'xls', 'ods', 'csv', 'docx' or 'pdf'), or ReadError naming the file
    and what was expected."""
    limits = limits or Limits.from_env()
    path = Path(path)
    name = path.name
    try:
        info = os.stat(path)
    except OSError as exc:
        raise refusal("cannot_open", name, detail=exc.strerror or type(exc).__name__) from None
    if not stat.S_ISREG(info.st_mode):
        raise refusal("not_regular", name)
    size = info.st_size
    if size == 0:
        raise refusal("empty", name)
    if size > limits.max_file_mb * MB:
        raise refusal("too_large", name, size_mb=size / MB, limit_mb=limits.max_file_mb)
    try:
        with open(path, "rb") as f:
            head = f.read(8)
            if head.startswith(b"PK\x03\x04"):
                if size <= ZIP_IN_MEMORY_BYTES:  # the zip reader's many small seeks and reads cost less in memory
                    f.seek(0)
                    f = io.BytesIO(f.read())
                kind, hides = _check_zip(f, size, name, limits)
                _remember_hidden(info, hides)
                return kind
            if head.startswith(OLE_MAGIC):
                f.seek(0)
                return _check_ole(f.read(), name)
            head += f.read(CSV_SNIFF_BYTES - len(head))
            if b"%PDF-" in head[:1024]:  # the header may follow some junk (the PDF standard allows 1 KB)
                return _check_pdf(path, size, name, limits)
            _refuse_known_binary(head, name)
            return _check_text(f, head, size, name, limits)
    except OSError as exc:
        raise refusal("cannot_read", name, detail=exc.strerror or type(exc).__name__) from None


# ----------------------------------------------------------------------------------------------------------
# Things that are not spreadsheets, by magic bytes

_OTHER_MAGIC = [
    (b"\x89PNG", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF8", "gif"),
    (b"Rar!\x1a\x07", "rar"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"),
    (b"\x7fELF", "program"),
    (b"PK\x05\x06", "empty_zip"),
    (b"PK\x07\x08", "split_zip"),
    (b"{\\rtf", "rtf"),
]


def _refuse_known_binary(head: bytes, name: str) -> None:
    for magic, what in _OTHER_MAGIC:
        if head.startswith(magic):
            raise refusal("not_report", name, what=what)


# ----------------------------------------------------------------------------------------------------------
# Zip: xlsx/xlsm and ods

_ODS_MIMETYPES = {b"application/vnd.oasis.opendocument.spreadsheet",
                  b"application/vnd.oasis.opendocument.spreadsheet-template"}
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref\s*=\s*[\"']\$?([A-Za-z]{1,3})?\$?(\d{1,7})?"
                        rb"(?::\$?([A-Za-z]{1,3})?\$?(\d{1,7})?)?[\"']")
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")


def _damaged(name: str, detail: str) -> ReadError:
    return refusal("damaged", name, detail=detail)


def _password(name: str) -> ReadError:
    return refusal("password", name)


def _zip_directory_size(f, size: int, name: str) -> tuple[int, int]:
    """Entry count and central-directory size from the end record, read before zipfile parses anything."""
    f.seek(max(0, size - 22))
    tail = f.read(22)
    if not tail.startswith(b"PK\x05\x06"):  # the record is followed by a comment: look further back
        tail_len = min(size, 22 + 0xFFFF)
        f.seek(size - tail_len)
        tail = f.read(tail_len)
    pos = tail.rfind(b"PK\x05\x06")
    if pos < 0 or len(tail) - pos < 22:
        raise _damaged(name, "the zip directory at the end of the file is missing: a truncated copy?")
    _, _, _, _, count, cd_size, cd_offset, _ = struct.unpack_from("<4s4H2LH", tail, pos)
    if count == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:  # zip64
        loc = pos - 20
        if loc < 0 or tail[loc:loc + 4] != b"PK\x06\x07":
            raise _damaged(name, "a broken zip64 directory")
        (record_at,) = struct.unpack_from("<Q", tail, loc + 8)
        if record_at + 56 > size:
            raise _damaged(name, "a broken zip64 directory")
        f.seek(record_at)
        record = f.read(56)
        if record[:4] != b"PK\x06\x06":
            raise _damaged(name, "a broken zip64 directory")
        count, cd_size = struct.unpack_from("<QQ", record, 32)
    return count, cd_size


def _check_zip(f, size: int, name: str, limits: Limits) -> tuple[str, bool | tuple[bool, bool]]:
    count, cd_size = _zip_directory_size(f, size, name)
    if count > limits.max_zip_entries or cd_size > limits.max_zip_entries * 1024:
        raise refusal("zip_parts", name, count=count, limit=limits.max_zip_entries)
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as z:
            return _check_zip_entries(z, name, limits)
    except ReadError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, struct.error,
            UnicodeDecodeError, NotImplementedError, RuntimeError, OverflowError, KeyError, IndexError) as exc:
        detail = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        raise _damaged(name, f"zip: {detail}") from None
    except Exception as exc:  # zlib.error and whatever else a broken stream raises
        raise _damaged(name, f"zip: {type(exc).__name__}") from None


def _check_zip_entries(z: zipfile.ZipFile, name: str, limits: Limits) -> tuple[str, bool | tuple[bool, bool]]:
    infos = z.infolist()
    if len(infos) > limits.max_zip_entries:
        raise refusal("zip_parts", name, count=len(infos), limit=limits.max_zip_entries)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise _password(name)
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _damaged(name, f"part {info.filename!r} uses an unsupported compression method")
        total += info.file_size
        if info.file_size >= RATIO_CHECKED_FROM:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > limits.max_compression_ratio:
                raise refusal("zip_ratio", name, part=info.filename, ratio=ratio, unpacked_mb=info.file_size / MB,
                              limit=limits.max_compression_ratio)
    if total > limits.max_unzipped_mb * MB:
        raise refusal("zip_size", name, size_mb=total / MB, limit_mb=limits.max_unzipped_mb)

    names = {info.filename for info in infos}
    if "mimetype" in names:
        with z.open("mimetype") as part:
            mimetype = part.read(200).strip()
        if mimetype in _ODS_MIMETYPES:
            _check_ods(z, infos, name, limits)
            return "ods", True
        kind = mimetype.decode("ascii", "replace").rsplit(".", 1)[-1]
        raise refusal("opendocument", name, kind=kind)
    if "xl/workbook.xml" in names or any(n.endswith("workbook.xml") for n in names):
        return "xlsx", _check_ooxml(z, infos, name, limits)
    if "xl/workbook.bin" in names:  # Excel's binary workbook: its parts are records, not XML
        _check_xlsb(z, infos, name, limits)
        return "xlsb", True
    if "word/document.xml" in names:
        _check_docx(z, infos, name)
        return "docx", False
    if "ppt/presentation.xml" in names:
        raise refusal("not_report", name, what="powerpoint")
    raise refusal("not_report", name, what="zip_other")


def _peek(z: zipfile.ZipFile, info: zipfile.ZipInfo, n: int = PEEK_BYTES) -> bytes:
    with z.open(info) as part:
        data = part.read(n)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # an XML part in UTF-16: look at it as UTF-8
        data = data[: len(data) // 2 * 2].decode("utf-16", "replace").encode("utf-8")
    return data


def _refuse_dtd(peek: bytes, info: zipfile.ZipInfo, name: str) -> None:
    """No spreadsheet part carries a DTD; one that does is an entity bomb or an external-entity probe."""
    lowered = peek.lower()
    if b"<!doctype" in lowered or b"<!entity" in lowered:
        raise refusal("xml_dtd_office", name, part=info.filename)
    if info.file_size > len(peek) and not _ELEMENT_START.search(peek):
        raise refusal("xml_no_element", name, part=info.filename, size=len(peek))


def _is_xml_part(filename: str) -> bool:
    return filename.endswith((".xml", ".rels", ".vml")) and not filename.endswith("/")


# Parts a reader parses besides the sheets; each is peeked for a DTD (calamine refuses entities itself and
# openpyxl goes through defusedxml: this is a cheap first line, not the only one).
_OOXML_PARTS = ("xl/workbook.xml", "xl/sharedStrings.xml")


def _check_ooxml(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> tuple[bool, bool]:
    """Check the parts a reader parses; whether a sheet may hide a column (its head) or a row (its cells): see
    columns_may_be_hidden and rows_may_be_hidden."""
    hides_columns = hides_rows = False
    for info in infos:
        is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
        if not is_sheet and info.filename not in _OOXML_PARTS:
            continue
        peek = _peek(z, info)
        _refuse_dtd(peek, info, name)
        if is_sheet:
            match = _DIMENSION.search(peek)
            if match:
                _check_dimension(match, info.filename, name, limits)
            head = peek.split(b"<sheetData", 1)
            hides_columns = hides_columns or len(head) == 1 or _HIDDEN_COLUMN.search(head[0]) is not None
            hides_rows = hides_rows or _may_hide_rows(z, info, peek)
    return hides_columns, hides_rows


_HIDDEN_ROW_MARK = re.compile(rb"hidden\s*=\s*[\"'](?:1|true)[\"']")
_ROW_SCAN_CHUNK = 1 << 20


def _may_hide_rows(z: zipfile.ZipFile, info: zipfile.ZipInfo, peek: bytes) -> bool:
    """Whether a sheet's cells may hold a hidden row (a «hidden» mark after <sheetData): its XML read through
    once, in chunks, here where the file is open anyway, so that a reader looks into the file again only then."""
    if info.file_size <= len(peek):
        cells = peek.split(b"<sheetData", 1)
        return len(cells) == 2 and _HIDDEN_ROW_MARK.search(cells[1]) is not None
    tail = b""
    with z.open(info) as part:
        while chunk := part.read(_ROW_SCAN_CHUNK):
            if _HIDDEN_ROW_MARK.search(tail + chunk):
                return True
            tail = chunk[-32:]
    return False


# What the gate saw that spares the reader a second look into the file: whether any sheet's head (the part
# before its cells, where <cols> stands) may hide a column. Keyed by the file's device and inode, so an alias
# of the file (worker._readable_path) finds it; only the last few files checked are kept.
_HIDDEN_COLUMN = re.compile(rb"<(?:\w+:)?col\b[^>]*\bhidden\s*=\s*[\"'](?:1|true)[\"']")
_COLUMNS_SEEN: dict[tuple[int, int], tuple[bool, bool]] = {}  # (columns, rows) may be hidden
_SEEN_KEPT = 64


def _remember_hidden(info: os.stat_result, hides: bool | tuple[bool, bool]) -> None:
    if len(_COLUMNS_SEEN) >= _SEEN_KEPT:
        _COLUMNS_SEEN.clear()
    _COLUMNS_SEEN[(info.st_dev, info.st_ino)] = hides if isinstance(hides, tuple) else (hides, hides)


def columns_may_be_hidden(path: str | os.PathLike) -> bool:
    """False when the safety check of this very file saw every sheet's head and no hidden column in it; True
    when it saw one, or did not check this file (the reader then looks for itself)."""
    try:
        info = os.stat(path)
    except OSError:
        return True
    return _COLUMNS_SEEN.get((info.st_dev, info.st_ino), (True, True))[0]


def rows_may_be_hidden(path: str | os.PathLike) -> bool:
    """False when the safety check of this very file read every sheet's cells and saw no hidden row; True when
    it saw one, or did not check this file (the reader then looks for itself)."""
    try:
        info = os.stat(path)
    except OSError:
        return True
    return _COLUMNS_SEEN.get((info.st_dev, info.st_ino), (True, True))[1]


_BRT_WS_DIM = 0x0094  # BrtWsDim: a binary sheet's used range (MS-XLSB 2.4.847), among its first records


def _xlsb_records(data: bytes):
    """(type, payload) of the records at the start of a binary part: 7-bit varint type (1–2 bytes) and size
    (1–4 bytes), then the payload; stops at a record cut off by the end of `data`."""
    pos, end = 0, len(data)
    while pos < end:
        kind = data[pos] & 0x7F
        if data[pos] & 0x80:
            if pos + 1 >= end:
                return
            kind |= (data[pos + 1] & 0x7F) << 7
            pos += 1
        pos += 1
        size, shift = 0, 0
        for _ in range(4):
            if pos >= end:
                return
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if pos + size > end:
            return
        yield kind, data[pos:pos + size]
        pos += size


def _check_xlsb(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    """An .xlsb: its XML parts (content types, relationships) as for .xlsx; each sheet's declared extent."""
    for info in infos:
        if _is_xml_part(info.filename):
            _refuse_dtd(_peek(z, info), info, name)
        elif info.filename.startswith("xl/worksheets/") and info.filename.endswith(".bin"):
            with z.open(info) as part:
                head = part.read(PEEK_BYTES)
            for kind, payload in _xlsb_records(head):
                if kind == _BRT_WS_DIM and len(payload) >= 16:
                    _, last_row, _, last_col = struct.unpack_from("<4I", payload)
                    cells = (last_row + 1) * (last_col + 1)
                    if cells > limits.max_sheet_cells:
                        raise refusal("sheet_cells", name, sheet=info.filename.rsplit('/', 1)[-1], cells=cells,
                                      ref=f"{last_row + 1:,} × {last_col + 1:,}", limit=limits.max_sheet_cells)
                    break


# The parts of a Word document the reader parses (through defusedxml, which refuses a DTD too).
_DOCX_PARTS = ("word/document.xml", "_rels/.rels", "[Content_Types].xml")


def _check_docx(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str) -> None:
    for info in infos:
        if info.filename in _DOCX_PARTS:
            _refuse_dtd(_peek(z, info), info, name)


def column_number(letters: bytes) -> int:
    """b'A' -> 1, b'XFD' -> 16384."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _check_dimension(match: re.Match, part: str, name: str, limits: Limits) -> None:
    c1, r1, c2, r2 = match.groups()
    last_col = column_number(c2 or c1 or b"A")
    last_row = int(r2 or r1 or 1)
    if not c1 and not c2:  # a whole-row reference "1:1048576"
        last_col = 16384
    if not (r1 or r2):  # a whole-column reference "A:XFD"
        last_row = 1048576
    cells = last_col * last_row
    if cells > limits.max_sheet_cells:
        ref = match.group(0).split(b"=", 1)[1].strip(b"\"' ").decode("ascii", "replace")
        sheet = part.rsplit("/", 1)[-1]
        raise refusal("sheet_cells", name, sheet=sheet, cells=cells, ref=ref, limit=limits.max_sheet_cells)


_TABLE_NS = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE_NS = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


class _OdsExtent:
    """Streams content.xml and adds up each table's extent (to its last non-empty cell), repeats included."""

    T = _TABLE_NS + " "

    def __init__(self, name: str, limits: Limits):
        self.name, self.limits = name, limits
        self.tables: list[dict] = []  # a stack: tables may nest inside cells
        self.depth = 0
        self.cell_depth = None  # element depth of the open cell, if any

    def start(self, tag: str, attrs: dict) -> None:
        self.depth += 1
        t = self.T
        if tag == t + "table":
            self.tables.append({"name": attrs.get(t + "name", "?"), "row": 0, "rows": 0, "cols": 0})
        elif not self.tables:
            return
        elif tag == t + "table-row":
            table = self.tables[-1]
            table["repeat"] = _count(attrs.get(t + "number-rows-repeated"), self.name)
            table["col"], table["row_cols"] = 0, 0
        elif tag in (t + "table-cell", t + "covered-table-cell"):
            table = self.tables[-1]
            table["cell_repeat"] = _count(attrs.get(t + "number-columns-repeated"), self.name)
            table["cell_full"] = (_OFFICE_NS + " value-type") in attrs
            self.cell_depth = self.depth
        elif self.cell_depth is not None and self.depth == self.cell_depth + 1:
            self.tables[-1]["cell_full"] = True  # text, a frame, a note: something is in the cell

    def end(self, tag: str) -> None:
        self.depth -= 1
        if not self.tables:
            return
        t = self.T
        table = self.tables[-1]
        if tag in (t + "table-cell", t + "covered-table-cell"):
            table["col"] += table["cell_repeat"]
            if table["cell_full"]:
                table["row_cols"] = table["col"]
            self.cell_depth = None
        elif tag == t + "table-row":
            table["row"] += table["repeat"]
            if table["row_cols"]:
                table["rows"] = table["row"]
                table["cols"] = max(table["cols"], table["row_cols"])
                cells = table["rows"] * table["cols"]
                if cells > self.limits.max_sheet_cells:
                    raise refusal("ods_sheet_cells", self.name, sheet=table["name"], cells=cells,
                                  limit=self.limits.max_sheet_cells)
        elif tag == t + "table":
            self.tables.pop()


def _count(raw: str | None, name: str) -> int:
    if raw is None:
        return 1
    try:
        value = int(raw)
    except ValueError:
        raise _damaged(name, f"a repeat count {raw[:20]!r} is not a number") from None
    return max(value, 1)


def _safe_expat(name: str, part: str) -> expat.XMLParserType:
    """An expat parser that refuses any DTD, so no entity is ever declared, expanded or fetched."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(*_args):
        raise refusal("xml_dtd_sheet", name, part=part)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    return parser


def _check_ods(z: zipfile.ZipFile, infos: list[zipfile.ZipInfo], name: str, limits: Limits) -> None:
    by_name = {info.filename: info for info in infos}
    manifest = by_name.get("META-INF/manifest.xml")
    if manifest is not None:
        with z.open(manifest) as part:
            text = part.read(min(manifest.file_size, 1 * MB) + 1)
        if b"encryption-data" in text:
            raise _password(name)
    for info in infos:
        if _is_xml_part(info.filename) and info.filename != "content.xml":
            _refuse_dtd(_peek(z, info), info, name)
    content = by_name.get("content.xml")
    if content is None:
        raise _damaged(name, "content.xml is missing")
    extent = _OdsExtent(name, limits)
    parser = _safe_expat(name, "content.xml")
    parser.StartElementHandler = extent.start
    parser.EndElementHandler = extent.end
    budget = limits.max_unzipped_mb * MB
    read = 0
    try:
        with z.open(content) as part:
            while chunk := part.read(256 * 1024):
                read += len(chunk)
                if read > budget:
                    raise refusal("ods_unpacks", name, limit_mb=limits.max_unzipped_mb)
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise _damaged(name, f"content.xml: {expat.errors.messages.get(exc.code, 'bad XML')}") from None


# ----------------------------------------------------------------------------------------------------------
# OLE2 compound files: xls, or an encrypted xlsx, or something else

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NOSECT = 0xFFFFFFFA  # sector numbers at or above this are markers (free, end of chain, FAT, DIFAT)


def _ole_fat(data: bytes):
    """(sector size, a function giving sector n's bytes, the FAT) of an OLE2 (CFB) file, the FAT found through
    the header's and the DIFAT's sector lists; ValueError if it is broken."""
    if len(data) < 512 or not data.startswith(OLE_MAGIC):
        raise ValueError("too short for a compound file")
    shift = struct.unpack_from("<H", data, 0x1E)[0]
    if shift not in (9, 12):
        raise ValueError("bad sector size")
    ssize = 1 << shift
    n_fat = struct.unpack_from("<I", data, 0x2C)[0]
    difat_start, n_difat = struct.unpack_from("<II", data, 0x44)
    n_sectors = (len(data) + ssize - 1) // ssize
    if n_fat > n_sectors:
        raise ValueError("bad FAT size")

    def sector(n: int) -> bytes:
        start = (n + 1) * ssize
        if n >= _NOSECT or start >= len(data):
            raise ValueError("a sector past the end of the file")
        return data[start:start + ssize].ljust(ssize, b"\0")

    fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _NOSECT]
    seen = set()
    s = difat_start
    while len(fat_sectors) < n_fat and s < _NOSECT and n_difat:
        if s in seen:
            raise ValueError("a loop in the DIFAT")
        seen.add(s)
        entries = struct.unpack(f"<{ssize // 4}I", sector(s))
        fat_sectors.extend(e for e in entries[:-1] if e < _NOSECT)
        s = entries[-1]
    fat = array("I")
    for s in fat_sectors[:n_fat]:
        fat.frombytes(sector(s))
    if fat.itemsize != 4:
        raise ValueError("unsupported platform")
    return ssize, sector, fat


def _ole_chain(sector, fat, start: int, limit: int):
    """The sectors of a chain from `start`, in order; ValueError on a loop or past `limit` sectors."""
    seen = set()
    s = start
    while s < _NOSECT:
        if s in seen or len(seen) > limit:
            raise ValueError("a loop in a sector chain")
        seen.add(s)
        yield sector(s)
        s = fat[s] if s < len(fat) else _NOSECT


def _ole_entries(data: bytes):
    """(name, kind, first sector, size) of each entry of an OLE2 file's directory, and the sector reader and FAT."""
    ssize, sector, fat = _ole_fat(data)
    dir_start = struct.unpack_from("<I", data, 0x30)[0]
    entries = []
    for block in _ole_chain(sector, fat, dir_start, (len(data) + ssize - 1) // ssize):
        for off in range(0, ssize, 128):
            name_len, kind = struct.unpack_from("<HB", block, off + 0x40)
            if kind in (1, 2, 5) and 2 <= name_len <= 64:
                start, size = struct.unpack_from("<IQ", block, off + 0x74)
                entries.append((block[off:off + name_len - 2].decode("utf-16-le", "replace"), kind, start, size))
    return entries, ssize, sector, fat


def ole_stream_names(data: bytes) -> set[str]:
    """Names in an OLE2 (CFB) file's directory, read by following the FAT; ValueError if it is broken."""
    return {name for name, _, _, _ in _ole_entries(data)[0]}


def ole_stream(data: bytes, names: tuple[str, ...]) -> bytes | None:
    """The bytes of the first stream of an OLE2 file named one of `names`; None when there is none or it lies in
    the mini stream (under 4 096 bytes: no Excel workbook is that small); ValueError if the file is broken."""
    entries, ssize, sector, fat = _ole_entries(data)
    cutoff = struct.unpack_from("<I", data, 0x38)[0]
    for name, kind, start, size in entries:
        if kind == 2 and name in names:
            if size < cutoff or size > len(data):
                return None
            out = b"".join(_ole_chain(sector, fat, start, size // ssize + 1))
            if len(out) < size:
                raise ValueError("a stream shorter than its size")
            return out[:size]
    return None


def _check_ole(data: bytes, name: str) -> str:
    try:
        names = ole_stream_names(data)
    except (ValueError, struct.error) as exc:
        raise refusal("damaged", name, detail=f"compound file: {exc}") from None
    if "EncryptionInfo" in names or "EncryptedPackage" in names:
        raise _password(name)
    if "Workbook" in names or "Book" in names:
        return "xls"
    if "WordDocument" in names:
        raise refusal("doc97", name)
    elif "PowerPoint Document" in names:
        what = "powerpoint"
    else:
        what = "ole2_other"
    raise refusal("not_report", name, what=what)


# ----------------------------------------------------------------------------------------------------------
# Text: CSV in UTF-8 (BOM or not), UTF-16 (Excel's "Unicode text"), cp1251 or KZ-1048

# Letters of cp1251's upper half that Russian text never uses; they fill text read in the wrong code page
# (cp866 or UTF-8 bytes seen as cp1251). Kazakh letters are not among them.
_RARE = set("ЂЃѓЉЊЌЋЏђљњќћџЎўЈҐґЅѕЇїЄєµ¶¤¦¬‚„†‡‰‹›")
_RARE_RE = re.compile("[" + re.escape("".join(sorted(_RARE))) + "]")
# UTF-8 read as cp1251 (РЎСѓРјРјР°) or as Latin-1 (Ð¡ÑƒÐ¼Ð¼Ð°) and saved again.
_MOJIBAKE_RE = re.compile("[РСТУ][" + re.escape("".join(sorted(_RARE))) + "]|[ÐÑÒÓ][\u00a0-\u00bf\u0152\u0153\u0160"
                          "\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026"
                          "\u2030\u2039\u203a\u20ac\u2122]")
# KOI8-R read as cp1251 swaps the case of most letters: "зТБОФ" for "Грант".
_SWAPPED_CASE_RE = re.compile("[а-яё][А-ЯЁ]")
_CYR_WORD_RE = re.compile("[А-Яа-яЁё]{4,}")
_CONTROL_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SUSPECT_RE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9fÐÑÒÓ" + re.escape("".join(sorted(_RARE))) + "]")


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when the NULs fall where UTF-16 puts them, else None (binary)."""
    sample = data[:CSV_SNIFF_BYTES]
    if len(sample) < 16:  # too little to tell
        return None
    half = len(sample) // 2
    even, odd = sample[0::2].count(0) / half, sample[1::2].count(0) / half
    if odd >= 0.1 and even < 0.01:
        return "utf-16-le"
    if even >= 0.1 and odd < 0.01:
        return "utf-16-be"
    return None


def _decode(data: bytes, encoding: str, final: bool) -> str:
    if final:
        return data.decode(encoding)
    return codecs.getincrementaldecoder(encoding)().decode(data, final=False)


def decode_text(data: bytes, file_label: str, *, partial: bool = False) -> str:
    """Text of a CSV file: UTF-8 (BOM or not), UTF-16 (BOM, or Excel's without), else cp1251 or KZ-1048.

    Refuses (ReadError) text that holds replacement characters or control codes, or that reads as nonsense
    (another code page, UTF-8 garbled by a wrong conversion). `partial`: `data` is the start of a longer
    file, so a character cut at the end is not an error.
    """
    single_byte = False
    if data.startswith(codecs.BOM_UTF8):
        encoding, body, sure = "utf-8", data[3:], True
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        body, sure = data[2:], True
    elif b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise refusal("not_report", file_label, what="binary")
        body, sure = data, True
    else:
        encoding, body, sure = "utf-8", data, False
    if encoding.startswith("utf-16") and not partial and len(body) % 2:
        raise refusal("utf16_cut", file_label)
    try:
        text = _decode(body, encoding, final=not partial)
    except UnicodeDecodeError:
        if sure:
            raise refusal("bad_encoding", file_label, encoding=encoding.upper()) from None
        text = _single_byte(body, file_label)
        single_byte = True
    text = text.rstrip("\x1a")  # DOS end-of-file mark
    problem = text_problem(text, single_byte)
    if problem:
        reason, params = problem
        raise refusal(reason, file_label, **params)
    return text


def _single_byte(data: bytes, file_label: str) -> str:
    """cp1251, or KZ-1048 when that reads with fewer out-of-place letters (Kazakh text)."""
    try:
        text = data.decode("cp1251")
        if not _RARE_RE.search(text):
            return text
    except UnicodeDecodeError:
        pass
    best = None
    for encoding in ("cp1251", "kz1048"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        rare = len(_RARE_RE.findall(text))
        if best is None or rare < best[0]:
            best = (rare, text)
    if best is None:
        raise refusal("unreadable_text", file_label)
    return best[1]


def text_problem(text: str, single_byte: bool = False) -> tuple[str, dict] | None:
    """Why this decoded text is not to be stored (a reason of grantstats.refusals and its parameters), or None when
    it reads as text."""
    if "\ufffd" in text:
        return "replacement_chars", {}
    if "\x00" in text:
        return "not_report", {"what": "binary"}
    if text.isascii() and not _CONTROL_RE.search(text):
        return None
    if _SUSPECT_RE.search(text):  # one pass to see if there is anything to count (counting is slower)
        problem = _suspect_characters(text)
        if problem:
            return problem
    if single_byte and _SWAPPED_CASE_RE.search(text):
        words = _CYR_WORD_RE.findall(text)
        swapped = sum(1 for w in words if _SWAPPED_CASE_RE.search(w))
        if swapped >= 3 and swapped * 5 >= len(words):
            return "koi8", {}
    return None


def _suspect_characters(text: str) -> tuple[str, dict] | None:
    controls = len(_CONTROL_RE.findall(text))
    if controls > 2 + len(text) // 1000:
        return "not_report", {"what": "binary_controls"}
    others = len(text) - len(text.encode("ascii", "ignore"))  # non-ASCII characters
    if _MOJIBAKE_RE.search(text):
        mojibake = len(_MOJIBAKE_RE.findall(text))
        if mojibake >= 3 and mojibake * 50 >= others:
            return "garbled", {}
    if _RARE_RE.search(text):
        rare = len(_RARE_RE.findall(text))
        if rare >= 3 and rare * 50 >= others:
            return "other_codepage", {}
    return None


_NOT_CSV = [
    (("<!doctype html", "<html", "<table", "<meta", "<head"), "html"),
    (("<?xml",), "xml_file"),
]
"""Text that is no CSV, by how it begins: (beginnings, the reason of grantstats.refusals)."""


def _check_text(f, head: bytes, size: int, name: str, limits: Limits) -> str:
    partial = size > len(head)
    text = decode_text(head, name, partial=partial)
    start = text.lstrip("\ufeff \t\r\n")[:100].lower()
    for prefixes, reason in _NOT_CSV:
        if start.startswith(prefixes):
            if "urn:schemas-microsoft-com:office:spreadsheet" in text[:4000]:
                reason = "excel2003_xml"
            raise refusal(reason, name)
    if partial and size > limits.max_sheet_cells:
        # every cell needs a separator or a line end: count them without decoding the rest
        f.seek(0)
        data = f.read()
        cells = sum(data.count(sep) for sep in (b";", b",", b"\t", b"\n"))
        if cells > limits.max_sheet_cells:
            raise refusal("csv_cells", name, cells=cells, limit=limits.max_sheet_cells)
    return "csv"


# ----------------------------------------------------------------------------------------------------------
# PDF


def _check_pdf(path: Path, size: int, name: str, limits: Limits) -> str:
    """A PDF within the size and page limits that opens without a password (PDFium reads only its structure
    here; the pages are read by the PDF reader, in the same worker)."""
    if size > limits.max_pdf_mb * MB:
        raise refusal("pdf_too_large", name, size_mb=size / MB, limit_mb=limits.max_pdf_mb)
    pages = pdf_page_count(path, name)
    if pages > limits.max_pdf_pages:
        raise refusal("pdf_pages", name, pages=pages, limit=limits.max_pdf_pages)
    if pages == 0:
        raise refusal("pdf_no_pages", name)
    return "pdf"


def open_pdf(path: Path, name: str):
    """The PDF opened with PDFium; ReadError when it is encrypted or damaged."""
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise _password(name) from None
        raise refusal("pdf_damaged", name) from None


def pdf_page_count(path: Path, name: str) -> int:
    document = open_pdf(path, name)
    try:
        return len(document)
    finally:
        document.close()
