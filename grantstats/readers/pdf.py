"""A PDF exported from Word as one grid (see document.py): its text layer read with PDFium, then the same form
reader as for a workbook.

Why PDFium (pypdfium2, which pdfplumber itself installs) and not pdfplumber: pdfplumber's pdfminer interprets
every page in Python, 0.6–0.9 s for the 18 pages of the example report, against the 300 ms a report may take;
PDFium reads the same characters with their boxes in about a tenth of that. Tables are found on the page's
border lines as pdfplumber's «lines» strategy finds them (readers/pdf_page.py); lines of text are joined back
into what was typed by readers/pdf_text.py.

Across pages: a table that ends a page and a table of the same width that starts the next are one table; its
header rows repeated on the new page are dropped; a row broken by the page («Разрешить перенос строк по
страницам») is joined back when the new page's first row holds text only in the columns whose text ran to the
bottom of the previous page, or leaves empty a column that each row before it filled (its date, its place).
A paragraph that ends a page full goes on at the top of the next.

A PDF with no text layer at all (a scan, images of pages) is refused: its figures cannot be read without
guessing. Rotated text is not read. A table drawn without borders, or with horizontal rules only, is read as a
table when its words line up in columns (readers/pdf_page.py: `add_borderless_tables`); lines that do not stay
text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from grantstats.refusals import refusal
from grantstats.readers.document import DocumentGrid, GridBuilder, Place
from grantstats.readers.pdf_page import (SNAP, Fragment, Line, Page, add_borderless_tables, drop_running_lines,
                                         read_page, snap)
from grantstats.readers.pdf_text import Joiner
from grantstats.safety import Limits, open_pdf

CELL_GAP = 1.6  # of the line height: a wider gap in a line of text outside tables separates cells (tabs)
REGULAR_ROWS = 3  # rows before a page break that show which columns every row of the table fills


# ------------------------------------------------------------------------------------------ the document


@dataclass
class Paragraph:
    lines: list[Line]


@dataclass
class Table:
    """A table in document order: its fragments, page after page."""

    fragments: list[Fragment]


def load_pdf_grid(path: str | Path, limits: Limits | None = None) -> DocumentGrid:
    """The PDF's text as one grid; ReadError (one line, file named) when it has no readable text layer."""
    limits = limits or Limits.from_env()
    path = Path(path)
    document = open_pdf(path, path.name)
    try:
        pages = [read_page(document, i) for i in range(len(document))]
    finally:
        document.close()
    glyphs = sum(p.glyphs for p in pages)
    if glyphs == 0:
        raise refusal("pdf_no_text", path.name)
    if sum(p.unreadable for p in pages) > glyphs / 2:
        raise refusal("pdf_no_cmap", path.name)
    drop_running_lines(pages)
    for page in pages:
        add_borderless_tables(page)
    columns = _text_columns(pages)
    joiner = Joiner.for_pages(pages)
    builder = GridBuilder(path.name, limits.max_sheet_cells)
    tables = 0
    for block in _blocks(pages, joiner, columns):
        if isinstance(block, Paragraph):
            _add_paragraph(builder, block, joiner, *columns[block.lines[0].page])
        else:
            tables += 1
            _add_table(builder, block, joiner, tables)
    return builder.grid()


def _text_columns(pages: list[Page]) -> dict[int, tuple[float, float]]:
    """The left and right edges of the text outside tables (the text column) of each page, by page number: one
    for all pages of a width, so a landscape page among portrait ones has its own and leaves theirs as it is."""
    by_width: dict[int, list[Page]] = {}
    for page in pages:
        by_width.setdefault(round(page.width), []).append(page)
    out = {}
    for group in by_width.values():
        lines = [line for page in group for line in page.lines]
        edges = (min(line.x0 for line in lines), max(line.x1 for line in lines)) if lines else (0.0, 1e9)
        out.update((page.number, edges) for page in group)
    return out


def _blocks(pages: list[Page], joiner: Joiner, columns: dict[int, tuple[float, float]]) -> list[Paragraph | Table]:
    """Paragraphs and tables of every page in reading order. A table that ends a page and one of the same width
    that starts the next are one table; a paragraph that ends a page full goes on at the next page's top."""
    blocks: list[Paragraph | Table] = []
    for page in pages:
        for number, line in enumerate(page.lines, start=1):
            line.number = number
        items: list[Line | Fragment] = sorted([*page.lines, *page.fragments], key=lambda item: item.top)
        ended_page = blocks[-1] if blocks else None  # the last item of the previous page
        for k, item in enumerate(items):
            previous = blocks[-1] if blocks else None
            carried = k == 0 and previous is ended_page
            if isinstance(item, Fragment):
                if carried and isinstance(previous, Table) and _continues(previous.fragments[-1], item):
                    if item.columns:
                        item.xs = previous.fragments[-1].xs  # the same columns, their borders where the first page has them
                    previous.fragments.append(item)
                else:
                    blocks.append(Table([item]))
                continue
            if isinstance(previous, Paragraph) and (carried or previous.lines[-1].page == item.page):
                item.after_break = carried
                if joiner.separator(previous.lines[-1], item, *columns[item.page]) in (" ", ""):
                    previous.lines.append(item)
                    continue
                item.after_break = False
            blocks.append(Paragraph([item]))
    return blocks


def _continues(before: Fragment, after: Fragment) -> bool:
    """Whether a table at the top of a page goes on with the table that ended the previous page: of the same
    width; drawn without borders, of as many columns with the gaps between them at the same places."""
    if after.page != before.page + 1:
        return False
    if before.columns or after.columns:
        return len(before.columns) == len(after.columns) and all(
            max(a[1], c[1]) < min(b[0], d[0]) for (a, b), (c, d) in zip(
                zip(before.columns, before.columns[1:]), zip(after.columns, after.columns[1:])))
    return abs(before.xs[0] - after.xs[0]) <= SNAP and abs(before.xs[-1] - after.xs[-1]) <= SNAP


def _add_paragraph(builder: GridBuilder, block: Paragraph, joiner: Joiner, left: float, right: float) -> None:
    """A paragraph as a row: its text, split into cells where its first line has a tab-wide gap."""
    first = block.lines[0]
    text = joiner.join(block.lines, left, right)
    cells = _split_at_gaps(first)
    if len(cells) > 1:
        head = " ".join(cells[:-1])
        text = "\t".join(cells[:-1]) + "\t" + text[len(head):].lstrip()
    builder.paragraph(text, Place(f"p{first.page}", first.number, False, "L"))


def _split_at_gaps(line: Line) -> list[str]:
    """A line's words grouped into cells where a gap is wider than a tab's (a «label<tab>value» line)."""
    cells: list[list[str]] = [[line.words[0].text]]
    for a, b in zip(line.words, line.words[1:]):
        if b.x0 - a.x1 > CELL_GAP * line.height:
            cells.append([])
        cells[-1].append(b.text)
    return [" ".join(c) for c in cells]


# ------------------------------------------------------------------------------------------ joined tables


@dataclass
class JoinedCell:
    """A cell of a whole table (its fragments joined): rows and columns of the whole table, its lines."""

    r0: int
    r1: int
    c0: int
    c1: int
    x0: float
    x1: float
    bottom: float  # of its part on the last page it reaches
    lines: list[Line]


def _add_table(builder: GridBuilder, table: Table, joiner: Joiner, number: int) -> None:
    cells, row_pages, pad = _join(table)
    width = 1 + max(c.c1 for c in cells)
    rows = [[""] * width for _ in row_pages]
    merges = []
    for cell in cells:
        rows[cell.r0][cell.c0] = joiner.join(cell.lines, cell.x0 + pad, cell.x1 - pad)
        if cell.r1 > cell.r0 or cell.c1 > cell.c0:
            merges.append(((cell.r0, cell.c0), (cell.r1, cell.c1)))
    places = [Place(f"T{number} p{page}", r + 1, True) for r, page in enumerate(row_pages)]
    builder.table(rows, merges, places)


def _join(table: Table) -> tuple[list[JoinedCell], list[int], float]:
    """The cells of the whole table, the page each of its rows starts on, and the cells' inner padding."""
    xs = snap([x for f in table.fragments for x in f.xs])
    pad = _padding(table.fragments)
    joined: list[JoinedCell] = []
    row_pages: list[int] = []
    first = table.fragments[0]
    for k, fragment in enumerate(table.fragments):
        start = _repeated_header_rows(first, fragment) if k else 0
        last_row = len(row_pages) - 1
        bottom_cells = [c for c in joined if c.r0 <= last_row <= c.r1]
        whole_row = k > 0 and _rest_of_row(joined, last_row, fragment, start, xs, pad)
        offset = len(row_pages) - (1 if whole_row else 0) - start
        for r in range(start, len(fragment.ys) - 1):
            if offset + r >= len(row_pages):
                row_pages.append(fragment.page)
        for cell in fragment.cells:
            if cell.r1 < start:
                continue  # a repeated header's cell
            r0, r1 = max(cell.r0, start) + offset, cell.r1 + offset
            c0, c1 = _column(xs, cell.x0), _column(xs, cell.x1) - 1
            if k and cell.r0 <= start:
                above = _cell_above(bottom_cells, c0)
                if above is not None and (whole_row or (above.r1 > above.r0 and _reaches_bottom(above, pad))):
                    for line in cell.lines[:1]:
                        line.after_break = True
                    above.lines.extend(cell.lines)
                    above.r1, above.bottom = max(above.r1, r1), cell.bottom
                    continue
            joined.append(JoinedCell(r0, r1, c0, max(c0, c1), cell.x0, cell.x1, cell.bottom, list(cell.lines)))
    joined.sort(key=lambda c: (c.r0, c.c0))
    return joined, row_pages, pad


def _column(xs: list[float], x: float) -> int:
    return min(range(len(xs)), key=lambda i: abs(xs[i] - x))


def _padding(fragments: list[Fragment]) -> float:
    """How far text stands from its cell's left border (the same on the right, as Word and LibreOffice set)."""
    gaps = [line.x0 - cell.x0 for f in fragments for cell in f.cells for line in cell.lines]
    return min(max(min(gaps), 0.5), 12.0) if gaps else 5.0


def _row_texts(fragment: Fragment, row: int) -> list[str]:
    """The texts of the cells starting in a row, without spaces (for comparing a repeated header)."""
    return ["".join(line.text for line in cell.lines).replace(" ", "") for cell in fragment.cells if cell.r0 == row]


def _repeats(header: list[str], row: list[str]) -> bool:
    """Whether a row repeats a header row: the same cells, each text the header's or its start (a repeated
    header row drawn lower than the first, its text cut off)."""
    return (len(header) == len(row) and any(row)
            and all(h.startswith(r) and (r or not h) for h, r in zip(header, row)))


def _repeated_header_rows(first: Fragment, fragment: Fragment) -> int:
    """How many rows at the top of this fragment repeat the table's header (Word's «Повторять как заголовок»)."""
    rows = 0
    while (rows < min(3, len(first.ys) - 1, len(fragment.ys) - 2)
           and _repeats(_row_texts(first, rows), _row_texts(fragment, rows))):
        rows += 1
    return rows


def _reaches_bottom(cell: JoinedCell, pad: float) -> bool:
    """Whether the cell's text runs down to its bottom border (so it may go on over the page break)."""
    if not cell.lines:
        return False
    last = cell.lines[-1]
    return cell.bottom - last.bottom <= last.height + 2 * pad


def _rest_of_row(joined: list[JoinedCell], last_row: int, fragment: Fragment, start: int, xs: list[float],
                 pad: float) -> bool:
    """Whether this fragment's first row is the rest of the row that ended the previous page: it has text only
    in the columns whose text ran down to the bottom of the previous page; or, in a longer table, it leaves
    empty a column that each of the rows before it filled (every activity has its date and place)."""
    with_text = [c for c in fragment.cells if c.r0 <= start <= c.r1 and c.lines]
    if not with_text:
        return False
    columns = {id(c): set(range(_column(xs, c.x0), max(_column(xs, c.x0), _column(xs, c.x1) - 1) + 1))
               for c in with_text}
    bottom_cells = [c for c in joined if c.r0 <= last_row <= c.r1]
    running: set[int] = set()
    for cell in bottom_cells:
        if _reaches_bottom(cell, pad):
            running.update(range(cell.c0, cell.c1 + 1))
    if running and all(columns[id(c)] <= running for c in with_text):
        return True
    filled_before = _filled_columns(joined, range(last_row - REGULAR_ROWS, last_row + 1))
    filled_now = set().union(*columns.values())
    return last_row >= REGULAR_ROWS + 1 and bool(filled_before - filled_now)


def _filled_columns(joined: list[JoinedCell], rows: range) -> set[int]:
    """The columns that hold text of their own in each of these rows (a cell merged down from a row above, such
    as a task's over its activities, is not one of them)."""
    filled: set[int] | None = None
    for row in rows:
        here = {col for c in joined if c.r0 == row and c.lines for col in range(c.c0, c.c1 + 1)}
        filled = here if filled is None else filled & here
    return filled or set()


def _cell_above(cells: list[JoinedCell], column: int) -> JoinedCell | None:
    for cell in cells:
        if cell.c0 <= column <= cell.c1:
            return cell
    return None
