"""A Word report (.docx) as one grid: its body's paragraphs and tables in document order (see document.py).

The main part (word/document.xml) is parsed through defusedxml with any DTD refused, so no entity is declared,
expanded or fetched, and read within the unpacked-size limit. What is read:

- paragraphs, with tracked insertions and content controls; deleted text, hidden text (Word shows and prints
  none of it), field codes and the fallback copies of drawings are left out; a tab splits a paragraph into
  cells («Грантополучатель<tab>ОО «Нур»»); superscript digits stay superscript («2 160 000¹»);
- tables, a cell's paragraphs joined by line breaks; merged cells (gridSpan across, vMerge down) become
  merged ranges with the text in the first cell;
- a table of one cell is a frame (people lay a whole form out in one): its content is read as the body's;
- a table inside a cell: its rows become lines of that cell's text, the cells of a row joined by « | »;
- text boxes: their paragraphs are read as paragraphs right after the paragraph holding them.

Headers, footers, footnotes and comments are not read: they hold page numbers, stamps and contacts, never the
report's figures.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from grantstats.refusals import refusal
from grantstats.readers.document import DocumentGrid, GridBuilder, Place
from grantstats.safety import MB, Limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
OFFICE_DOCUMENT = "/officeDocument"
MAX_SPAN = 64  # Word's tables have at most 63 columns
NESTED_CELL_SEPARATOR = " | "

P, TBL, TR, TC, SDT, SDT_CONTENT = W + "p", W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent"
T, TAB, BR, CR, NO_BREAK_HYPHEN = W + "t", W + "tab", W + "br", W + "cr", W + "noBreakHyphen"
RUN, RUN_PR, VANISH = W + "r", W + "rPr", W + "vanish"
OFF = {"0", "false", "off"}
# a superscript run's digits as superscript characters: a footnote mark after a figure («2 160 000¹») stays in
# its text without becoming one of its digits, and «м2» set as a superscript reads «м²»
SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
TXBX_CONTENT = W + "txbxContent"
# Never holding text that is read: properties, deleted or moved-away text, field codes, drawings' fallbacks.
SKIPPED = {W + "pPr", W + "rPr", W + "tblPr", W + "tblGrid", W + "trPr", W + "tcPr", W + "sectPr", W + "del",
           W + "moveFrom", W + "instrText", W + "delText", W + "delInstrText", MC + "Fallback",
           W + "footnoteReference", W + "endnoteReference", W + "commentReference", W + "annotationRef"}
# Wrappers whose children are read as if they stood in their place.
WRAPPERS = {SDT_CONTENT, W + "customXml", W + "ins", W + "moveTo", W + "smartTag", MC + "AlternateContent",
            MC + "Choice"}


def load_word_grid(path: str | Path, limits: Limits | None = None) -> DocumentGrid:
    """The document's body as one grid; ReadError (one line, file named) when it cannot be read."""
    limits = limits or Limits.from_env()
    path = Path(path)
    root = _parse(_main_part(path, limits), path.name, "word/document.xml")
    body = root.find(W + "body")
    if body is None:
        raise refusal("word_no_body", path.name)
    walker = _Walker(GridBuilder(path.name, limits.max_sheet_cells))
    walker.blocks(body)
    return walker.builder.grid()


def _main_part(path: Path, limits: Limits) -> bytes:
    """The bytes of the main document part, read no further than the unpacked-size limit."""
    budget = int(limits.max_unzipped_mb * MB)
    try:
        with zipfile.ZipFile(path) as archive:
            name = _main_part_name(archive, path.name)
            with archive.open(name) as part:
                data = part.read(budget + 1)
    except KeyError:
        raise refusal("word_no_main", path.name) from None
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise refusal("word_damaged", path.name, detail=type(exc).__name__) from None
    if len(data) > budget:
        raise refusal("word_unpacks", path.name, limit_mb=limits.max_unzipped_mb)
    return data


def _main_part_name(archive: zipfile.ZipFile, name: str) -> str:
    """The main part named by the package's relationships (word/document.xml in every Word file seen)."""
    try:
        info = archive.getinfo("_rels/.rels")
    except KeyError:
        return "word/document.xml"
    if info.file_size > MB:
        return "word/document.xml"
    rels = _parse(archive.read(info), name, "_rels/.rels")
    for rel in rels.iter(REL + "Relationship"):
        if rel.get("Type", "").endswith(OFFICE_DOCUMENT):
            target = rel.get("Target", "").lstrip("/")
            if target in archive.namelist():
                return target
    return "word/document.xml"


def _parse(data: bytes, name: str, part: str) -> Element:
    """An XML part parsed with any DTD refused (so no entity is declared, expanded or fetched)."""
    try:
        return fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        raise refusal("word_dtd", name, part=part) from None
    except ParseError as exc:
        raise refusal("word_damaged", name, detail=f"{part}: {exc}") from None


class _Walker:
    """Walks the body in document order, feeding paragraphs and tables to a GridBuilder."""

    def __init__(self, builder: GridBuilder) -> None:
        self.builder = builder
        self.paragraphs = 0
        self.tables = 0

    def blocks(self, parent: Element) -> None:
        for child in parent:
            tag = child.tag
            if tag == P:
                self.paragraph(child)
            elif tag == TBL:
                self.table(child)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.blocks(content)
            elif tag in WRAPPERS:
                self.blocks(child)

    def paragraph(self, p: Element) -> None:
        self.paragraphs += 1
        boxes: list[Element] = []
        text = paragraph_text(p, boxes)
        self.builder.paragraph(text, Place("¶", self.paragraphs, False))
        for box in boxes:
            self.blocks(box)

    def table(self, tbl: Element) -> None:
        rows = [_row_cells(tr) for tr in _children(tbl, TR)]
        rows = [row for row in rows if row is not None]
        cells = [tc for _, tcs in rows for tc in tcs]
        if len(cells) == 1:  # a frame around content: read what it holds as the body
            self.blocks(cells[0])
            return
        if not cells:
            return
        self.tables += 1
        grid_rows, merges = _table_grid(rows)
        places = [Place(f"T{self.tables}", r + 1, True) for r in range(len(grid_rows))]
        self.builder.table(grid_rows, merges, places)
        # a table inside a cell (a layout table holding the form's tables) is a table of its own too; the cell's
        # text keeps it as lines as well (cell_text), for a passport value set out as a small table
        for tc in cells:
            for nested in _children(tc, TBL):
                self.table(nested)


def paragraph_text(p: Element, boxes: list[Element] | None = None) -> str:
    """A paragraph's text: tabs as tabs, line breaks as new lines; text boxes collected into `boxes`."""
    out: list[str] = []
    _collect(p, out, boxes if boxes is not None else [])
    return "".join(out)


def _collect(element: Element, out: list[str], boxes: list[Element]) -> None:
    for child in element:
        tag = child.tag
        if tag == RUN and (props := child.find(RUN_PR)) is not None:
            if _on(props.find(VANISH)):
                continue
            if _val(props, "vertAlign") == "superscript":
                run: list[str] = []
                _collect(child, run, boxes)
                out.append("".join(run).translate(SUPERSCRIPT_DIGITS))
                continue
            _collect(child, out, boxes)
        elif tag == T:
            out.append(child.text or "")
        elif tag == TAB:
            out.append("\t")
        elif tag == BR or tag == CR:
            out.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            out.append("-")
        elif tag == TXBX_CONTENT:
            boxes.append(child)
        elif tag not in SKIPPED:
            _collect(child, out, boxes)


def _children(parent: Element, tag: str):
    """Children with this tag, looking through content controls and custom XML wrapped around them."""
    for child in parent:
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag in WRAPPERS:
            yield from _children(child, tag)


def _on(toggle: Element | None) -> bool:
    """A run property toggle (<w:vanish/>, <w:vanish w:val="false"/>) that is present and on."""
    return toggle is not None and toggle.get(W + "val", "true").lower() not in OFF


def _val(parent: Element | None, tag: str) -> str | None:
    if parent is None:
        return None
    child = parent.find(W + tag)
    if child is None:
        return None
    return child.get(W + "val", "")


def _count(raw: str | None, default: int = 1) -> int:
    try:
        return max(0, min(int(raw), MAX_SPAN)) if raw not in (None, "") else default
    except ValueError:
        return default


def _row_cells(tr: Element) -> tuple[int, list[Element]] | None:
    """(grid columns skipped before the first cell, the row's cells)."""
    return _count(_val(tr.find(W + "trPr"), "gridBefore"), 0), list(_children(tr, TC))


def _table_grid(rows: list[tuple[int, list[Element]]]) -> tuple[list[list[str]], list]:
    """A table's rows as texts by grid column, and its merged ranges (row, column: relative to the table)."""
    grid: list[list[str]] = []
    merges: list[tuple[tuple[int, int], tuple[int, int]]] = []
    open_down: dict[int, list] = {}  # grid column -> [top row, column, span, last row] of a vMerge being built
    for r, (before, cells) in enumerate(rows):
        row: list[str] = [""] * before
        col = before
        seen_cols: set[int] = set()
        for tc in cells:
            props = tc.find(W + "tcPr")
            span = max(1, _count(_val(props, "gridSpan")))
            vmerge = _val(props, "vMerge")
            text = cell_text(tc)
            if _val(props, "hMerge") is not None and _val(props, "hMerge") != "restart" and row:
                if text:  # a legacy horizontal merge: the cell joins the one on its left
                    row[-1] = (row[-1] + "\n" + text).strip("\n")
                row.append("")
                col += 1
                continue
            if vmerge is not None and vmerge != "restart" and col in open_down:
                block = open_down[col]
                block[3] = r
                if text:
                    grid[block[0]][col] = (grid[block[0]][col] + "\n" + text).strip("\n")
                text = ""
            elif vmerge == "restart":
                _close(open_down, col, merges)
                open_down[col] = [r, col, span, r]
            else:
                _close(open_down, col, merges)
            seen_cols.add(col)
            row.extend([text] + [""] * (span - 1))
            if span > 1 and vmerge is None:
                merges.append(((r, col), (r, col + span - 1)))
            col += span
        for c in [c for c in open_down if c not in seen_cols or open_down[c][3] != r]:
            _close(open_down, c, merges)
        grid.append(row)
    for c in list(open_down):
        _close(open_down, c, merges)
    return grid, merges


def _close(open_down: dict[int, list], col: int, merges: list) -> None:
    block = open_down.pop(col, None)
    if block is not None:
        top, c, span, last = block
        if last > top or span > 1:
            merges.append(((top, c), (last, c + span - 1)))


def cell_text(tc: Element) -> str:
    """A cell's paragraphs joined by line breaks; a table inside it as lines, its cells joined by « | »."""
    lines: list[str] = []
    _cell_lines(tc, lines)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines).strip()


def _cell_lines(parent: Element, lines: list[str]) -> None:
    for child in parent:
        tag = child.tag
        if tag == P:
            boxes: list[Element] = []
            lines.append(paragraph_text(child, boxes).replace("\t", " "))
            for box in boxes:
                _cell_lines(box, lines)
        elif tag == TBL:
            for tr in _children(child, TR):
                texts = [cell_text(tc).replace("\n", " ") for tc in _children(tr, TC)]
                line = NESTED_CELL_SEPARATOR.join(t for t in texts if t)
                if line:
                    lines.append(line)
        elif tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                _cell_lines(content, lines)
        elif tag in WRAPPERS:
            _cell_lines(child, lines)
