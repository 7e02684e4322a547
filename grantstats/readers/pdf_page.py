"""One page of a PDF as PDFium reads it: its characters grouped into lines and words, and its tables found
by their border lines (see readers/pdf.py for the whole document).

- the text comes in pieces with their boxes: the runs between the text layer's spaces and line ends, each
  measured by its first and last characters (or single characters, where the text layer has no spaces or a
  run does not sit on one line), with whether a space stands before and after it; a piece outside its text
  object's clip path is not shown and is left out (a repeated table header drawn lower than the first one
  still holds its whole text, cut off by the clip);
- lines: pieces at one height; words: pieces between spaces (or, where the text layer has none, split at gaps);
- thin paths are border lines (a rectangle's outline gives its four sides); lines that touch form a table;
  its columns and rows are where its borders run, and two neighbouring grid cells with no border between
  them are one merged cell; a box with no inner borders is a frame, not a table;
- a table drawn without borders, or with horizontal rules only (`add_borderless_tables`): Word keeps each
  cell's text in its column, so lines outside drawn tables whose words leave the same gaps empty on every
  line (at least two columns) are a table; its rows are the bands between its rules, or, without rules, start
  at each line with text in a column empty so far in the row or whose text ended higher up (a cell's text
  starts at its row's top and runs on line after line); at least two rows, else its lines stay text;
- a line repeated at the same height on several pages (a running header or footer) and a page number alone
  near the page's top or bottom are left out (`drop_running_lines`).
"""

from __future__ import annotations

import bisect
import ctypes
import re
from collections import Counter
from dataclasses import dataclass, field

THIN = 2.0  # a path at most this thick one way is a border line
SNAP = 3.0  # borders closer than this are one (double lines, rounding)
WORD_GAP = 0.12  # of the line height: a wider gap between characters separates words (a PDF without spaces)
WIDE_WORD_GAP = 0.3  # the same where the text layer holds the spaces (a gap is then kerning, or a tab)
RUNNING_BAND = 0.1  # of the page height: where headers and footers stand
COLUMN_GAP = 0.8  # of the line height: a gap between words at least this wide, empty on every line, parts columns
ROW_STEP = 2.0  # of the line height: a wrapped cell's next line stands at most this far below (no empty line)
TABLE_STEP = 4.0  # of the line height: a wider step between lines ends a table drawn without borders
TEXT_PAD = 1.0  # a borderless cell's edges stand this far from its column's text
_SPACES = frozenset(" \u00a0\t")
_NOT_TEXT = frozenset("\r\n\x00\ufeff\u200b")
# Pieces of a page's text: runs of characters up to a space, a line end or PDFium's line-end hyphen (U+FFFE,
# kept with the run before it), each space or line end on its own; or, for a text layer without spaces, each
# character on its own.
_RUN = re.compile(r"[^\s\x00\ufeff\u200b\ufffe]+\ufffe?|\ufffe|[\s\x00\ufeff\u200b]")
_CHAR = re.compile(r".", re.DOTALL)
_UNREADABLE = re.compile("[\ufffd\ue000-\uf8ff\x01-\x08\x0b\x0c\x0e-\x1f]")
_DIGITS = re.compile(r"\d+")
_PAGE_NUMBER = re.compile(r"(?:стр\.?|страница|бет|page)?\s*[-–]?\s*\d{1,4}\s*[-–]?\s*(?:из\s*\d{1,4})?",
                          re.IGNORECASE)


# ------------------------------------------------------------------------------------------ text


Glyph = tuple  # (text, x0, x1, top, bottom, space before, space after, first character's width), top-down


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    first_width: float  # of its first character
    space_after: bool | None = None  # a space written after it (None: the PDF has no spaces)


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
    middle = reach = 0.0
    for mid, glyph in sorted(((g[3] + g[4]) / 2, g) for g in glyphs):
        if current and abs(mid - middle) > reach:
            lines.append(_line(current, page, spaced))
            current = []
        if not current:
            middle, reach = mid, 0.45 * max(glyph[4] - glyph[3], 1.0)
        current.append(glyph)
    if current:
        lines.append(_line(current, page, spaced))
    return lines


def _line(glyphs: list[Glyph], page: int, spaced: bool) -> Line:
    glyphs.sort(key=_x0)
    top = min(g[3] for g in glyphs)
    bottoms = sorted(g[4] for g in glyphs)
    gap = (WIDE_WORD_GAP if spaced else WORD_GAP) * (max(g[4] - g[3] for g in glyphs))
    words: list[Word] = []
    chars: list[str] = []
    start = before = glyphs[0]
    right = start[2]
    for g in glyphs:
        if chars and (g[5] or g[1] - right > gap):
            words.append(Word("".join(chars), start[1], right, start[7], before[6] if spaced else None))
            chars, start, right = [], g, g[2]
        chars.append(g[0])
        before = g
        if g[2] > right:
            right = g[2]
    words.append(Word("".join(chars), start[1], right, start[7], glyphs[-1][6] if spaced else None))
    return Line(words, glyphs[0][1], max(w.x1 for w in words), top, bottoms[-1], bottoms[len(bottoms) // 2],
                page, glyphs[-1][6] if spaced else None)


def _x0(glyph: Glyph) -> float:
    return glyph[1]


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
    columns: list[tuple[float, float]] = field(default_factory=list)  # drawn without borders: its columns' text

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


def snap(values: list[float]) -> list[float]:
    """Positions sorted, those within SNAP of the one kept before them dropped."""
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= SNAP:
            continue
        out.append(v)
    return out


def _merge(segments: list[tuple[float, float, float]]) -> dict[float, list[tuple[float, float]]]:
    """Collinear segments (position, from, to) joined where they touch: position -> spans."""
    by_pos: dict[float, list[tuple[float, float]]] = {}
    for pos in snap([s[0] for s in segments]):
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

    by_x = sorted(range(len(vertical)), key=lambda k: vertical[k][0])
    xs = [vertical[k][0] for k in by_x]
    for i, (y, x0, x1) in enumerate(horizontal):  # only the vertical lines within its reach (a chart has many)
        for k in by_x[bisect.bisect_left(xs, x0 - SNAP):bisect.bisect_right(xs, x1 + SNAP)]:
            _, y0, y1 = vertical[k]
            if y0 - SNAP <= y <= y1 + SNAP:
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
    xs, ys = snap([v[0] for v in vs]), snap([h[0] for h in hs])
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
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # horizontal lines (y, x0, x1)
    width: float = 0.0


def read_page(document, index: int) -> Page:
    import pypdfium2.raw as raw

    page = document[index]
    try:
        height, width = page.get_height(), page.get_width()
        horizontal, vertical, clipped = _borders(page, height, raw)
        fragments = _fragments(horizontal, vertical, index + 1)
        glyphs, unreadable = _glyphs(page, height, raw, clipped)
    finally:
        page.close()
    loose: list[Glyph] = []
    boxes = [(f.xs[0], f.xs[-1], f.ys[0], f.ys[-1], f) for f in fragments]
    for glyph in glyphs:
        cx, cy = (glyph[1] + glyph[2]) / 2, (glyph[3] + glyph[4]) / 2
        for x0, x1, y0, y1, fragment in boxes:
            if x0 <= cx <= x1 and y0 <= cy <= y1:
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
    return Page(index + 1, height, _lines_of(loose, index + 1, spaced), fragments, len(glyphs), unreadable,
                horizontal, width)


def _glyphs(page, height: float, raw, clipped: bool) -> tuple[list[Glyph], int]:
    """The page's visible text as pieces with their boxes (top-down): a piece is a run of characters between
    spaces and line ends (only its first and last characters are measured: one call to PDFium each), or one
    character where the text layer has no spaces or a run does not sit on one line. With each piece, whether a
    space stands before and after it in the text layer, and its first character's width; and how many
    characters have no Unicode meaning. With `clipped` (some text on the page has a clip path), pieces outside
    their clip are left out."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        text = textpage.get_text_range(0, count) if count else ""
        if len(text) != count:  # characters outside the BMP: read them one by one
            text = "".join(chr(raw.FPDFText_GetUnicode(textpage.raw, i) or 0xFFFD) for i in range(count))
        unreadable = len(_UNREADABLE.findall(text))
        reader = _PieceReader(textpage.raw, height, raw, clipped)
        spaced = text.count(" ") * 30 > len(text)
        out: list[Glyph] = []
        space_before = False
        for match in (_RUN if spaced else _CHAR).finditer(text):
            piece = match.group()
            if piece[0] in _SPACES:
                space_before = True
                if out and not out[-1][6]:
                    out[-1] = out[-1][:6] + (True, out[-1][7])
                continue
            if piece[0] in _NOT_TEXT or piece.isspace():
                space_before = False
                continue
            start = match.start()
            measured = reader.piece(piece, start, start + len(piece) - 1)
            if measured is None:  # not on one line, or not where its length says: character by character
                measured = [glyph for k, ch in enumerate(piece)
                            if (glyph := reader.piece(ch, start + k, start + k)) is not None]
            else:
                measured = [measured]
            for glyph in measured:
                out.append(glyph[:5] + (space_before, False, glyph[7]))
                space_before = False
        return out, unreadable
    finally:
        textpage.close()


class _PieceReader:
    """Measures pieces of a page's text with PDFium (their first and last characters' loose boxes)."""

    def __init__(self, handle, height: float, raw, clipped: bool) -> None:
        self.handle, self.height, self.raw, self.clipped = handle, height, raw, clipped
        self.rect = raw.FS_RECTF()
        self.box = ctypes.byref(self.rect)
        self.clips: dict[int | None, tuple[float, float, float, float] | None] = {}

    def _box(self, index: int) -> tuple[float, float, float, float] | None:
        if not self.raw.FPDFText_GetLooseCharBox(self.handle, index, self.box):
            return None
        r = self.rect
        return (r.left, r.right, r.bottom, r.top) if r.right > r.left and r.top > r.bottom else None

    def piece(self, text: str, first: int, last: int) -> Glyph | None:
        start = self._box(first)
        if start is None:
            return None
        left, right, bottom, top = start
        if last != first:
            end = self._box(last)
            if end is None or abs((end[2] + end[3]) - (bottom + top)) > (top - bottom) or not (
                    left < end[1] <= left + len(text) * (top - bottom) * 1.5):
                return None
            right, bottom, top = end[1], min(bottom, end[2]), max(top, end[3])
        if self.clipped and not self._visible(first, (left + right) / 2, (bottom + top) / 2):
            return None
        return (text.replace("\ufffe", "-"), left, right, self.height - top, self.height - bottom, False, False,
                start[1] - start[0])

    def _visible(self, index: int, x: float, y: float) -> bool:
        """Whether a point of the character's text object lies inside its clip path (a repeated table header's
        text cut off by its row is not shown)."""
        raw = self.raw
        obj = raw.FPDFText_GetTextObject(self.handle, index)
        key = ctypes.cast(obj, ctypes.c_void_p).value
        if key not in self.clips:
            self.clips[key] = _clip_box(obj, raw)
        clip = self.clips[key]
        return clip is None or (clip[0] - 1 <= x <= clip[2] + 1 and clip[1] - 1 <= y <= clip[3] + 1)


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
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = [ctypes.byref(v) for v in (left, bottom, right, top)]
    for obj, kind in _page_objects(page.raw, raw):
        if kind == raw.FPDF_PAGEOBJ_TEXT:
            if not clipped:
                clip = raw.FPDFPageObj_GetClipPath(obj)
                clipped = bool(clip) and raw.FPDFClipPath_CountPaths(clip) > 0
            continue
        if kind != raw.FPDF_PAGEOBJ_PATH or not raw.FPDFPageObj_GetBounds(obj, *bounds):
            continue
        x0, x1, y0, y1 = left.value, right.value, height - top.value, height - bottom.value
        width, tall = x1 - x0, y1 - y0
        if tall <= THIN and width > THIN:
            horizontal.append(((y0 + y1) / 2, x0, x1))
        elif width <= THIN and tall > THIN:
            vertical.append(((x0 + x1) / 2, y0, y1))
        elif width > THIN and tall > THIN and raw.FPDFPath_CountSegments(obj) <= 5:
            horizontal += [(y0, x0, x1), (y1, x0, x1)]
            vertical += [(x0, y0, y1), (x1, y0, y1)]
    return horizontal, vertical, clipped


def _page_objects(page, raw, depth: int = 2):
    """(object, type) of every object on the page, and inside form objects down to `depth` levels."""
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        kind = raw.FPDFPageObj_GetType(obj)
        yield obj, kind
        if kind == raw.FPDF_PAGEOBJ_FORM and depth:
            yield from _form_objects(obj, raw, depth - 1)


def _form_objects(form, raw, depth: int):
    for i in range(raw.FPDFFormObj_CountObjects(form)):
        obj = raw.FPDFFormObj_GetObject(form, i)
        kind = raw.FPDFPageObj_GetType(obj)
        yield obj, kind
        if kind == raw.FPDF_PAGEOBJ_FORM and depth:
            yield from _form_objects(obj, raw, depth - 1)


# ------------------------------------------------------------------------------------------ tables without borders


def add_borderless_tables(page: Page) -> None:
    """Tables drawn without borders (or with horizontal rules only) among the page's lines outside drawn tables:
    their lines become cells of fragments (see the module's docstring). What does not read as a table, in at
    least two columns and two rows, stays lines of text."""
    if len(page.lines) < 2:
        return
    heights = sorted(line.height for line in page.lines)
    gap = COLUMN_GAP * heights[len(heights) // 2]
    kept: list[Line] = []
    found: list[Fragment] = []
    above = min((f.top for f in page.fragments), default=page.height)
    i = 0
    while i < len(page.lines):
        # a page's first lines that are the rest of a row broken by the page, above the first row that shows
        # the columns, are the table's; and only those (the page's first text, no drawn table above it)
        lead = _lead(page.lines, gap) if i == 0 and page.lines[0].top < above else 0
        fragment, end = _borderless_table(page, i, i + lead, gap)
        if fragment is None and lead:
            fragment, end = _borderless_table(page, i, i, gap)
        if fragment is None:
            kept.append(page.lines[i])
            i += 1
            continue
        found.append(fragment)
        i = end
    if found:
        page.lines = kept
        page.fragments = sorted([*page.fragments, *found], key=lambda f: f.top)


def _spans(line: Line, gap: float) -> list[list[Word]]:
    """A line's words in runs parted by gaps wider than `gap` (a column's text in a table without borders)."""
    runs = [[line.words[0]]]
    for a, b in zip(line.words, line.words[1:]):
        if b.x0 - a.x1 > gap:
            runs.append([])
        runs[-1].append(b)
    return runs


def _with_line(columns: list[tuple[float, float]], runs: list[list[Word]], gap: float,
               ) -> list[tuple[float, float]] | None:
    """The columns widened (or one added) by a line's runs; None when a run crosses the gap between two columns."""
    out = list(columns)
    for run in runs:
        x0, x1 = run[0].x0, max(w.x1 for w in run)
        hit = [k for k, (a, b) in enumerate(out) if x0 < b + gap and x1 > a - gap]
        if len(hit) > 1:
            return None
        if hit:
            a, b = out[hit[0]]
            out[hit[0]] = (min(a, x0), max(b, x1))
        else:
            out = sorted([*out, (x0, x1)])
    if any(b[0] - a[1] <= gap for a, b in zip(out, out[1:])):
        return None
    return out


def _lead(lines: list[Line], gap: float) -> int:
    """How many lines of one run each stand at the top, each close under the one above."""
    lead = 0
    while (lead + 1 < len(lines) and len(_spans(lines[lead], gap)) == 1 and (
            lead == 0 or _close(lines[lead - 1], lines[lead]))):
        lead += 1
    return lead


def _close(above: Line, line: Line) -> bool:
    """Whether a line stands right under the one above: the next line of the same text, no empty line between."""
    return line.base - above.base <= ROW_STEP * max(above.height, line.height)


def _borderless_table(page: Page, start: int, head: int, gap: float) -> tuple[Fragment | None, int]:
    """The table drawn without borders whose first row with text in two columns starts at line `head`, from
    line `start` on (lines above `head`: the rest of a row the page broke), and the line after it."""
    lines = page.lines
    runs = _spans(lines[head], gap)
    if len(runs) < 2:
        return None, start
    columns: list[tuple[float, float]] | None = [(r[0].x0, max(w.x1 for w in r)) for r in runs]
    for line in lines[start:head]:
        columns = _with_line(columns, _spans(line, gap), gap)
        if columns is None:
            return None, start
    if head > start and lines[head].base - lines[head - 1].base > TABLE_STEP * lines[head].height:
        return None, start
    end = head + 1
    while end < len(lines):
        above, line = lines[end - 1], lines[end]
        if line.base - above.base > TABLE_STEP * max(above.height, line.height):
            break
        grown = _with_line(columns, _spans(line, gap), gap)
        if grown is None:
            break
        columns, end = grown, end + 1
    rows = _rows(lines[start:end], columns, gap, page.rules)
    if len(rows) < 2:
        return None, start
    return _fragment_of_rows(rows, columns, gap, page.number), end


def _column_runs(line: Line, columns: list[tuple[float, float]], gap: float) -> dict[int, list[Word]]:
    """A line's words by the column they stand in."""
    out: dict[int, list[Word]] = {}
    for run in _spans(line, gap):
        k = next(k for k, (a, b) in enumerate(columns) if run[0].x0 >= a - 0.5 and run[0].x0 <= b + 0.5)
        out.setdefault(k, []).extend(run)
    return out


def _rows(lines: list[Line], columns: list[tuple[float, float]], gap: float,
          rules: list[tuple[float, float, float]]) -> list[list[Line]]:
    """A borderless table's lines by row: between its horizontal rules where it has any; else a row starts at
    a line with text in a column whose text in the row so far ended higher up (an empty line between), or that
    was empty in the row (a cell's text starts at its row's top)."""
    left, right = columns[0][0], columns[-1][1]
    top, bottom = lines[0].top, lines[-1].bottom
    inner = sorted(y for y, x0, x1 in rules if top < y < bottom
                   and min(x1, right) - max(x0, left) >= (right - left) / 2)
    if inner:
        bands: dict[int, list[Line]] = {}
        for line in lines:
            bands.setdefault(bisect.bisect_left(inner, (line.top + line.bottom) / 2), []).append(line)
        return [bands[k] for k in sorted(bands)]
    rows: list[list[Line]] = [[lines[0]]]
    last = {k: lines[0] for k in _column_runs(lines[0], columns, gap)}  # each column's last line in the row
    for line in lines[1:]:
        here = _column_runs(line, columns, gap)
        if all(_close(last[k], line) if k in last else _level(rows[-1][0], line) for k in here):
            rows[-1].append(line)
        else:
            rows.append([line])
            last = {}
        last.update((k, line) for k in here)
    return rows


def _level(first: Line, line: Line) -> bool:
    """Whether a line stands level with a row's first line (a cell's first line a little lower or higher)."""
    return line.base - first.base <= 0.5 * max(first.height, line.height)


def _fragment_of_rows(rows: list[list[Line]], columns: list[tuple[float, float]], gap: float,
                      page: int) -> Fragment:
    """A table drawn without borders as a fragment: a cell for each row and column, holding the parts of its
    lines that stand in that column; column borders halfway between the columns' text."""
    xs = [columns[0][0] - TEXT_PAD, *[(a[1] + b[0]) / 2 for a, b in zip(columns, columns[1:])],
          columns[-1][1] + TEXT_PAD]
    ys = [rows[0][0].top, *[max(line.bottom for line in row) for row in rows]]
    cells = []
    for r, row in enumerate(rows):
        parts: dict[int, list[Line]] = {}
        for line in row:
            for k, words in _column_runs(line, columns, gap).items():
                parts.setdefault(k, []).append(Line(
                    words, words[0].x0, max(w.x1 for w in words), line.top, line.bottom, line.base, line.page,
                    words[-1].space_after if line.trailing_space is not None else None))
        for k, (a, b) in enumerate(columns):
            cells.append(Cell(r, r, k, k, a - TEXT_PAD, b + TEXT_PAD, ys[r], ys[r + 1], parts.get(k, [])))
    return Fragment(page, xs, ys, cells, {}, list(columns))


def drop_running_lines(pages: list[Page]) -> None:
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


def line_columns(page: Page):
    """The page's text outside tables and each table cell's, as lists of lines top to bottom."""
    yield page.lines
    for fragment in page.fragments:
        for cell in fragment.cells:
            yield cell.lines


def all_lines(page: Page):
    yield from page.lines
    for fragment in page.fragments:
        for cell in fragment.cells:
            yield from cell.lines
