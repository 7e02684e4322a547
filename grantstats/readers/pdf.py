"""A PDF exported from Word as one grid (see document.py): its text layer read with PDFium, tables found by their
borders, then the same form reader as for a workbook.

Why PDFium (pypdfium2, which pdfplumber itself installs) and not pdfplumber's own extraction: pdfplumber's
pdfminer interprets every page in Python, 0.6–0.9 s for the 18 pages of the example report; PDFium reads the
same characters with their boxes in about a tenth of that. The table finding is done here, on the page's
border lines, in the way pdfplumber's «lines» strategy does it.

How a page is read:
- characters with their boxes become lines and words (a gap of a fifth of a line's height splits words);
- thin paths are border lines; lines that touch form a table; its columns and rows are where the borders
  run, and two neighbouring grid cells with no border between them are one merged cell;
- in a cell (and in the text between tables) lines are joined back into what was typed: a line that is full
  (the next word would not have fitted on it) was wrapped, so it joins the next with a space; a word longer
  than the column was broken by the layout («Количес|тво»): when the line ends right at the column's edge,
  the word could not fit on any line, and the two pieces are not both words of the catalog, the pieces join
  without a space; a line that is not full ended a paragraph; a taller gap is an empty paragraph;
- a line repeated at the same height on several pages (a running header or footer) and a page number alone
  near the page's top or bottom are left out.

Across pages: a table that ends a page and a table of the same width that starts the next are one table; its
header rows repeated on the new page are dropped; a row broken by the page («Разрешить перенос строк») is
joined back: when the new page's first row holds text only in the columns whose text ran to the bottom of the
previous page, it is the rest of that row.

A PDF with no text layer at all (a scan, images of pages) is refused: its figures cannot be read without
guessing. Rotated text is not read.
"""

from __future__ import annotations

import bisect
import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from grantstats.model import ReadError
from grantstats.readers.document import DocumentGrid, GridBuilder, Place
from grantstats.safety import Limits, open_pdf

THIN = 2.0  # a path at most this thick one way is a border line
SNAP = 3.0  # borders closer than this are one (double lines, rounding)
WORD_GAP = 0.12  # of the line height: a wider gap between characters separates words (a PDF without spaces)
WIDE_WORD_GAP = 0.3  # the same where the text layer holds the spaces (a gap is then kerning, or a tab)
CELL_GAP = 1.6  # of the line height: a wider gap in a line of text outside tables separates cells (tabs)
SPACE = 0.22  # of the line pitch: the width of a space
REGULAR_ROWS = 3  # rows before a page break that show which columns every row of the table fills
BOUNDARY_ODDS = 2.0  # a word boundary needs letters this much likelier at words' ends and starts than inside
KNOWN_ODDS = 4.0  # a piece that is a whole word elsewhere in the document makes a word boundary this much likelier
BREAKS = "-/\u2010\u2011"  # a line may wrap right after these, with no space
RUNNING_BAND = 0.1  # of the page height: where headers and footers stand
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"(?:стр\.?|страница|бет|page)?\s*[-–]?\s*\d{1,4}\s*[-–]?\s*(?:из\s*\d{1,4})?",
                          re.IGNORECASE)


# ------------------------------------------------------------------------------------------ text


Glyph = tuple  # (character, x0, x1, top, bottom, space before it, space after it), top-down coordinates


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    first_width: float  # of its first character


@dataclass
class Line:
    """One line of text: its words left to right and its box (top-down coordinates)."""

    words: list[Word]
    x0: float
    x1: float
    top: float
    bottom: float
    base: float  # the line's foot: where most of its characters end (its descenders aside)
    page: int = 0
    trailing_space: bool | None = None  # a space written after its last character (None: the PDF has no spaces)
    after_break: bool = False  # the first line of a cell's or paragraph's part on a new page
    number: int = 0  # of the line among the page's lines outside tables

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _lines_of(glyphs: list[Glyph], page: int, spaced: bool) -> list[Line]:
    """Glyphs grouped into lines (by their middle height) and words (at the spaces the text layer holds, or,
    when it holds none, at gaps)."""
    lines: list[Line] = []
    current: list[Glyph] = []
    middle = height = 0.0
    for glyph in sorted(glyphs, key=lambda g: (g[3] + g[4]) / 2):
        mid = (glyph[3] + glyph[4]) / 2
        if current and abs(mid - middle) > 0.45 * height:
            lines.append(_line(current, page, spaced))
            current = []
        if not current:
            middle, height = mid, max(glyph[4] - glyph[3], 1.0)
        current.append(glyph)
    if current:
        lines.append(_line(current, page, spaced))
    return lines


def _line(glyphs: list[Glyph], page: int, spaced: bool) -> Line:
    glyphs.sort(key=lambda g: g[1])
    height = max(g[4] - g[3] for g in glyphs)
    gap = (WIDE_WORD_GAP if spaced else WORD_GAP) * height
    words: list[Word] = []
    chars: list[str] = []
    start = glyphs[0]
    last_x1 = start[2]
    for g in glyphs:
        if chars and (g[5] or g[1] - last_x1 > gap):
            words.append(Word("".join(chars), start[1], last_x1, start[2] - start[1]))
            chars, start = [], g
        chars.append(g[0])
        last_x1 = g[2] if len(chars) == 1 else max(last_x1, g[2])
    words.append(Word("".join(chars), start[1], last_x1, start[2] - start[1]))
    bottoms = sorted(g[4] for g in glyphs)
    return Line(words, glyphs[0][1], max(g[2] for g in glyphs), min(g[3] for g in glyphs), bottoms[-1],
                bottoms[len(bottoms) // 2], page, glyphs[-1][6] if spaced else None)


_PUNCTUATION = "«»\"'()[]{}.,;:!?…–—"


def word_key(text: str) -> str:
    """A word as compared with the known words: lower case, ё as е, no punctuation around it."""
    return text.strip(_PUNCTUATION).lower().replace("ё", "е")


class Joiner:
    """Joins a column's lines back into the text typed (see the module's docstring).

    Where the page alone cannot tell a word broken by the layout from two words (a full line, flush with the
    column, with no space written after it), the document's own whole words decide: the words standing
    between two spaces somewhere in it and the catalog's are `known`; failing those, how often a word of the
    document ends with the head's last two letters and starts with the tail's first two, against how often
    those letters stand inside a word."""

    def __init__(self, known: frozenset[str], pitch: float = 12.0) -> None:
        self.known = known
        self.pitch = pitch
        self.ends: Counter = Counter()
        self.starts: Counter = Counter()
        self.inside: Counter = Counter()
        for word in known:
            if len(word) >= 3 and word.isalpha():
                self.ends[word[-2:]] += 1
                self.starts[word[:2]] += 1
                for k in range(1, len(word) - 2):
                    self.inside[word[k:k + 2]] += 1

    @classmethod
    def for_pages(cls, pages: list[Page]) -> Joiner:
        from grantstats import catalog

        known = set(catalog.vocabulary())
        steps: list[float] = []
        for page in pages:
            for line in _all_lines(page):
                whole = line.words[1:] if line.trailing_space else line.words[1:-1]
                known.update(word_key(w.text) for w in whole)
            for lines in _columns(page):
                steps += [b.base - a.base for a, b in zip(lines, lines[1:]) if b.base - a.base > 1]
        steps.sort()
        return cls(frozenset(known), steps[len(steps) // 5] if steps else 12.0)

    def boundary_odds(self, head: str, tail: str) -> float:
        """How much likelier a word boundary is than the inside of a word between `head` and `tail`."""
        end, start = head[-2:], tail[:2]
        return ((self.ends[end] + 1) / (self.inside[end] + 1)) * ((self.starts[start] + 1) / (self.inside[start] + 1))

    def join(self, lines: list[Line], left: float, right: float) -> str:
        """The text of a column from `left` to `right` (a cell's inside, the page's text column)."""
        if not lines:
            return ""
        out = [lines[0].text]
        for a, b in zip(lines, lines[1:]):
            out.append(self.separator(a, b, left, right))
            out.append(b.text)
        return "".join(out)

    def separator(self, a: Line, b: Line, left: float, right: float) -> str:
        """What stood between two lines as typed: a space, nothing (a broken word), a new line, empty lines."""
        h = self.pitch
        if not b.after_break:
            blanks = round((b.base - a.base) / h) - 1  # paragraph spacing is under half a line
            if blanks > 0:
                return "\n" * (blanks + 1)
        last, first = a.words[-1], b.words[0]
        if a.x1 + SPACE * h + (first.x1 - first.x0) <= right + 0.5:
            return "\n"  # the next word would have fitted: the line ended a paragraph
        if a.trailing_space:
            return " "  # wrapped at a space
        tight = right - a.x1 < first.first_width + 0.5  # not even the next character would have fitted
        end, start = last.text[-1:], first.text[:1]
        if end in BREAKS and len(last.text) > 1 and a.x1 + (first.x1 - first.x0) > right + 0.5:
            return ""  # «сентябрь-|октябрь», «Корган-|М»»: the rest did not fit even with no space before it
        if tight and end.isalnum() and start in ",.;:!?)»%":
            return ""  # «Онлайн|, платформа»: a word with its punctuation too wide for the column
        if end.isdigit() and start.isdigit():  # «850101|300123»: a long number broken, or «701 234|56 78»
            return "" if a.trailing_space is False and right - a.x1 > SPACE * h + 0.3 else " "
        if not (tight and end.isalpha() and start.isalpha() and (start.islower() or end.isupper())):
            return " "
        head, tail = word_key(last.text), word_key(first.text)
        if head + tail in self.known:
            return ""
        if a.trailing_space is False and right - a.x1 > SPACE * h + 0.3:
            return ""  # a space would have fitted, and the text layer writes it when it does: a broken word
        if head in self.known and (tail in self.known or len(head) <= 3):
            return " "  # two whole words («участие|в», «Количество|участников»), a little word («для|»)
        odds = self.boundary_odds(head, tail) * (KNOWN_ODDS if head in self.known else 1.0) * (
            KNOWN_ODDS if tail in self.known else 1.0)
        return " " if odds > BOUNDARY_ODDS else ""


def _columns(page: Page):
    """The page's text outside tables and each table cell's, as lists of lines top to bottom."""
    yield page.lines
    for fragment in page.fragments:
        for cell in fragment.cells:
            yield cell.lines


def _all_lines(page: Page):
    yield from page.lines
    for fragment in page.fragments:
        for cell in fragment.cells:
            yield from cell.lines


# ------------------------------------------------------------------------------------------ tables


@dataclass
class Cell:
    """A table cell on one page: the grid rows and columns it spans (inclusive) and the lines in it."""

    r0: int
    r1: int
    c0: int
    c1: int
    x0: float
    x1: float
    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)


@dataclass
class Fragment:
    """The part of a table on one page."""

    page: int
    xs: list[float]
    ys: list[float]
    cells: list[Cell]
    lookup: dict[tuple[int, int], Cell]

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def cell_at(self, x: float, y: float) -> Cell | None:
        i = bisect.bisect_right(self.ys, y) - 1
        j = bisect.bisect_right(self.xs, x) - 1
        return self.lookup.get((i, j))

    def contains(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.ys[0] <= y <= self.ys[-1]

    def row(self, r: int) -> list[Cell]:
        return [c for c in self.cells if c.r0 <= r <= c.r1]


def _snap(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


def _merge(segments: list[tuple[float, float, float]]) -> dict[float, list[tuple[float, float]]]:
    """Collinear segments (position, from, to) joined where they touch: position -> spans."""
    by_pos: dict[float, list[tuple[float, float]]] = {}
    for pos in _snap([s[0] for s in segments]):
        by_pos[pos] = []
    keys = sorted(by_pos)
    for pos, lo, hi in segments:
        key = keys[min(range(len(keys)), key=lambda k: abs(keys[k] - pos))]
        by_pos[key].append((lo, hi))
    for key, spans in by_pos.items():
        spans.sort()
        joined = [spans[0]]
        for lo, hi in spans[1:]:
            if lo <= joined[-1][1] + SNAP:
                joined[-1] = (joined[-1][0], max(joined[-1][1], hi))
            else:
                joined.append((lo, hi))
        by_pos[key] = joined
    return by_pos


def _covered(spans: dict[float, list[tuple[float, float]]], pos: float, lo: float, hi: float) -> bool:
    """Whether a border runs at `pos` all the way from `lo` to `hi`."""
    for key, runs in spans.items():
        if abs(key - pos) <= SNAP:
            return any(a <= lo + SNAP and b >= hi - SNAP for a, b in runs)
    return False


def _fragments(horizontal: list[tuple[float, float, float]], vertical: list[tuple[float, float, float]],
               page: int) -> list[Fragment]:
    """Tables drawn on a page: border lines that touch, their grid, and the merged cells in it."""
    n = len(horizontal)
    parent = list(range(n + len(vertical)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, (y, x0, x1) in enumerate(horizontal):
        for k, (x, y0, y1) in enumerate(vertical):
            if x0 - SNAP <= x <= x1 + SNAP and y0 - SNAP <= y <= y1 + SNAP:
                parent[find(i)] = find(n + k)
    groups: dict[int, tuple[list, list]] = {}
    for i, segment in enumerate(horizontal):
        groups.setdefault(find(i), ([], []))[0].append(segment)
    for k, segment in enumerate(vertical):
        groups.setdefault(find(n + k), ([], []))[1].append(segment)
    fragments = []
    for hs, vs in groups.values():
        fragment = _fragment(hs, vs, page) if len(hs) >= 2 and len(vs) >= 2 else None
        if fragment is not None:
            fragments.append(fragment)
    return sorted(fragments, key=lambda f: f.top)


def _fragment(hs: list, vs: list, page: int) -> Fragment | None:
    xs, ys = _snap([v[0] for v in vs]), _snap([h[0] for h in hs])
    if len(xs) < 2 or len(ys) < 2:
        return None
    h_spans, v_spans = _merge(hs), _merge(vs)
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(rows):
        for j in range(cols):
            if j + 1 < cols and not _covered(v_spans, xs[j + 1], ys[i], ys[i + 1]):
                parent[find(i * cols + j)] = find(i * cols + j + 1)
            if i + 1 < rows and not _covered(h_spans, ys[i + 1], xs[j], xs[j + 1]):
                parent[find(i * cols + j)] = find((i + 1) * cols + j)
    members: dict[int, list[tuple[int, int]]] = {}
    for i in range(rows):
        for j in range(cols):
            members.setdefault(find(i * cols + j), []).append((i, j))
    if len(members) < 2:
        return None  # one box around everything: a frame, not a table
    cells, lookup = [], {}
    for spots in members.values():
        r0, r1 = min(i for i, _ in spots), max(i for i, _ in spots)
        c0, c1 = min(j for _, j in spots), max(j for _, j in spots)
        cell = Cell(r0, r1, c0, c1, xs[c0], xs[c1 + 1], ys[r0], ys[r1 + 1])
        cells.append(cell)
        for spot in spots:
            lookup[spot] = cell
    cells.sort(key=lambda c: (c.r0, c.c0))
    return Fragment(page, xs, ys, cells, lookup)


# ------------------------------------------------------------------------------------------ pages


@dataclass
class Page:
    number: int
    height: float
    lines: list[Line]  # outside tables, top to bottom
    fragments: list[Fragment]
    glyphs: int
    unreadable: int  # characters with no Unicode meaning (a font without a character map)


def _read_page(document, index: int) -> Page:
    import pypdfium2.raw as raw

    page = document[index]
    try:
        height = page.get_height()
        horizontal, vertical, clipped = _borders(page, height, raw)
        fragments = _fragments(horizontal, vertical, index + 1)
        glyphs, unreadable = _glyphs(page, height, raw, clipped)
    finally:
        page.close()
    loose: list[Glyph] = []
    for glyph in glyphs:
        cx, cy = (glyph[1] + glyph[2]) / 2, (glyph[3] + glyph[4]) / 2
        for fragment in fragments:
            if fragment.contains(cx, cy):
                cell = fragment.cell_at(cx, cy)
                if cell is not None:
                    cell.lines.append(glyph)  # grouped into lines below
                break
        else:
            loose.append(glyph)
    spaced = sum(1 for g in glyphs if g[5] or g[6]) * 30 > len(glyphs)  # the text layer holds the spaces
    for fragment in fragments:
        for cell in fragment.cells:
            cell.lines = _lines_of(cell.lines, index + 1, spaced)  # type: ignore[arg-type]
    return Page(index + 1, height, _lines_of(loose, index + 1, spaced), fragments, len(glyphs), unreadable)


def _glyphs(page, height: float, raw, clipped: bool) -> tuple[list[Glyph], int]:
    """Every visible character with its box (top-down) and whether a space stands before and after it in the
    text layer; and how many characters have no Unicode meaning. With `clipped` (some text on the page has a
    clip path), characters outside their clip are left out."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:  # characters outside the BMP: read them one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD) for i in range(count))
        rect = raw.FS_RECTF()
        out: list[Glyph] = []
        unreadable = 0
        handle = textpage.raw
        space_before = False
        clips: dict[int | None, tuple[float, float, float, float] | None] = {}
        for i, ch in enumerate(text):
            if ch == " " or ch == "\u00a0" or ch == "\t":
                space_before = True
                if out and not out[-1][6]:
                    out[-1] = out[-1][:6] + (True,)
                continue
            if ch in "\r\n" or ch.isspace() or ch in "\x00\ufeff\u200b":
                space_before = False
                continue
            if ch == "\ufffe":  # PDFium's mark for a hyphen that ends a line
                ch = "-"
            elif ch == "\ufffd" or "\ue000" <= ch <= "\uf8ff" or ord(ch) < 32:
                unreadable += 1
            if not raw.FPDFText_GetLooseCharBox(handle, i, ctypes.byref(rect)):
                continue
            if rect.right - rect.left <= 0 or rect.top - rect.bottom <= 0:
                continue
            clip = None
            if clipped:
                obj = raw.FPDFText_GetTextObject(handle, i)
                key = ctypes.cast(obj, ctypes.c_void_p).value
                if key not in clips:
                    clips[key] = _clip_box(obj, raw)
                clip = clips[key]
            if clip is not None and not (clip[0] - 1 <= (rect.left + rect.right) / 2 <= clip[2] + 1
                                         and clip[1] - 1 <= (rect.bottom + rect.top) / 2 <= clip[3] + 1):
                continue  # outside its clip path: not shown (a repeated header's text cut off by its row)
            out.append((ch, rect.left, rect.right, height - rect.top, height - rect.bottom, space_before, False))
            space_before = False
        return out, unreadable
    finally:
        textpage.close()


def _clip_box(obj, raw) -> tuple[float, float, float, float] | None:
    """The bounding box (PDF coordinates: left, bottom, right, top) of a page object's clip path, if any."""
    if not obj:
        return None
    clip = raw.FPDFPageObj_GetClipPath(obj)
    if not clip:
        return None
    x, y = ctypes.c_float(), ctypes.c_float()
    xs: list[float] = []
    ys: list[float] = []
    for path in range(raw.FPDFClipPath_CountPaths(clip)):
        for k in range(raw.FPDFClipPath_CountPathSegments(clip, path)):
            segment = raw.FPDFClipPath_GetPathSegment(clip, path, k)
            if segment and raw.FPDFPathSegment_GetPoint(segment, x, y):
                xs.append(x.value)
                ys.append(y.value)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def _borders(page, height: float, raw) -> tuple[list, list, bool]:
    """Thin paths as horizontal (y, x0, x1) and vertical (x, top, bottom) border lines, a rectangle's outline as
    its four sides; and whether any text object on the page has a clip path."""
    horizontal, vertical = [], []
    clipped = False
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_TEXT], max_depth=2):
        if obj.type == raw.FPDF_PAGEOBJ_TEXT:
            if not clipped:
                clip = raw.FPDFPageObj_GetClipPath(obj.raw)
                clipped = bool(clip) and raw.FPDFClipPath_CountPaths(clip) > 0
            continue
        left, bottom, right, top = obj.get_bounds()
        top, bottom = height - top, height - bottom
        width, tall = right - left, bottom - top
        if tall <= THIN and width > THIN:
            horizontal.append(((top + bottom) / 2, left, right))
        elif width <= THIN and tall > THIN:
            vertical.append(((left + right) / 2, top, bottom))
        elif width > THIN and tall > THIN and raw.FPDFPath_CountSegments(obj.raw) <= 5:
            horizontal += [(top, left, right), (bottom, left, right)]
            vertical += [(left, top, bottom), (right, top, bottom)]
    return horizontal, vertical, clipped


def _drop_running_lines(pages: list[Page]) -> None:
    """Leave out running headers and footers: a line near the page's top or bottom that is a page number, or
    whose text (digits aside) stands at the same height on several pages."""
    seen: Counter = Counter()
    for page in pages:
        for line in page.lines:
            if _in_band(line, page):
                seen[(_DIGITS.sub("#", line.text), round(line.top / 3))] += 1
    for page in pages:
        page.lines = [line for line in page.lines if not (_in_band(line, page) and (
            _PAGE_NUMBER.fullmatch(line.text.strip())
            or seen[(_DIGITS.sub("#", line.text), round(line.top / 3))] >= 2))]


def _in_band(line: Line, page: Page) -> bool:
    return line.bottom < page.height * RUNNING_BAND or line.top > page.height * (1 - RUNNING_BAND)


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
        pages = [_read_page(document, i) for i in range(len(document))]
    finally:
        document.close()
    glyphs = sum(p.glyphs for p in pages)
    if glyphs == 0:
        raise ReadError(f"{path.name}: the PDF has no text layer (a scan or images of pages), so its figures "
                        f"cannot be read; load the Word file, or a PDF saved from Word (File → Save as PDF)")
    if sum(p.unreadable for p in pages) > glyphs / 2:
        raise ReadError(f"{path.name}: the PDF's text layer cannot be read (its fonts carry no character map); "
                        f"load the Word file, or a PDF saved from Word (File → Save as PDF)")
    _drop_running_lines(pages)
    left, right = _text_column(pages)
    joiner = Joiner.for_pages(pages)
    builder = GridBuilder(path.name, limits.max_sheet_cells)
    tables = 0
    for block in _blocks(pages, joiner, left, right):
        if isinstance(block, Paragraph):
            _add_paragraph(builder, block, joiner, left, right)
        else:
            tables += 1
            _add_table(builder, block, joiner, tables)
    return builder.grid()


def _text_column(pages: list[Page]) -> tuple[float, float]:
    """The left and right edges of the text outside tables (the page's text column)."""
    lines = [line for page in pages for line in page.lines]
    if not lines:
        return 0.0, 1e9
    return min(line.x0 for line in lines), max(line.x1 for line in lines)


def _blocks(pages: list[Page], joiner: Joiner, left: float, right: float) -> list[Paragraph | Table]:
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
                    previous.fragments.append(item)
                else:
                    blocks.append(Table([item]))
                continue
            if isinstance(previous, Paragraph) and (carried or previous.lines[-1].page == item.page):
                item.after_break = carried
                if joiner.separator(previous.lines[-1], item, left, right) in (" ", ""):
                    previous.lines.append(item)
                    continue
                item.after_break = False
            blocks.append(Paragraph([item]))
    return blocks


def _continues(before: Fragment, after: Fragment) -> bool:
    """Whether a table at the top of a page goes on with the table that ended the previous page."""
    return (after.page == before.page + 1 and abs(before.xs[0] - after.xs[0]) <= SNAP
            and abs(before.xs[-1] - after.xs[-1]) <= SNAP)


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
    xs = _snap([x for f in table.fragments for x in f.xs])
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
