"""A Word or PDF report as one grid the form reader reads, and each figure's place named as a person finds it.

The document's paragraphs and tables become the rows of one grid in document order: a paragraph is a row with
its text in column A (split into cells at tabs: «Грантополучатель<tab>ОО «Нур»»), a table's rows are grid
rows with its merged cells as merged ranges. Then the same form reader as for a workbook reads it
(`grantstats.readers.form`), so one reader serves every layout.

Places. While reading, a figure's place is an A1 cell of the grid; a person needs the document's own: every
`Where` of the report is then named after the document (`Place`):

- a Word table's cell: sheet «T3», cell «D12» — table 3 of the document, row 12, column D (Word's own way of
  naming a table cell in formulas: columns by letter, rows by number, a merged cell by its first);
- a Word paragraph: sheet «¶», cell «14» — the 14th paragraph of the body (empty ones counted);
- a PDF table's cell: sheet «T3 p5», cell «D12» — the same cell of the same table, on page 5;
- a PDF text line: sheet «p5», cell «L7» — page 5, the 7th line of text outside tables.

Personal data. What is passed to the form reader is already without it: a table column whose header names
contacts, phones, addresses or people (the partners' «Контакты», «ФИО партнера») is emptied, a row or a
«label: value» paragraph whose label is the head's name or the address and phone keeps only its label, and
phone numbers, e-mails and IINs are removed from every text (`grantstats.privacy`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from grantstats import catalog
from grantstats.model import Report, Where
from grantstats.refusals import refusal
from grantstats.privacy import scrub
from grantstats.readers.grid import Grid, column_letters
from grantstats.text import normalize

GRID_NAME = "document"
PERSONAL_FIELDS = {"head", "address_phone"}
# Words of a column's header that say it holds people's names or contacts (normalised text; a «*» ends a stem).
PERSONAL_HEADER_WORDS = ("контакт*", "телефон*", "тел", "e mail", "email", "почт*", "фио", "ф и о", "иин", "адрес*",
                         "байланыс*", "мекенжай*", "руководител*", "басшы*")
_PERSONAL_HEADER = re.compile(r"(?:^| )(?:" + "|".join(
    re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in PERSONAL_HEADER_WORDS) + ")(?= |$)")
LABEL_MAX_CHARS = 160


@dataclass(frozen=True)
class Place:
    """Where one grid row stands in the document: a table's row (`in_table`), else a paragraph or text line."""

    sheet: str  # «T3», «T3 p5», «¶», «p5»
    number: int  # the row of the table, the paragraph's number, the line's number on its page
    in_table: bool
    prefix: str = ""  # before a paragraph's number («L» for a PDF's text line)

    def where(self, col: int) -> Where:
        if self.in_table:
            return Where(self.sheet, f"{column_letters(col)}{self.number}")
        return Where(self.sheet, f"{self.prefix}{self.number}")


@dataclass
class DocumentGrid(Grid):
    """A grid with the place in the document of each of its rows."""

    places: list[Place] = field(default_factory=list)

    def where(self, cell: str | None) -> Where | None:
        """The document's place for an A1 cell of this grid (None when the cell is not one of its own)."""
        row, col = _cell_key(cell)
        if row is None or not 0 <= row < len(self.places):
            return None
        return self.places[row].where(col)


class GridBuilder:
    """Rows added in document order: paragraphs, blank lines, tables (with merges), each with its place."""

    def __init__(self, file_label: str, max_cells: int) -> None:
        self.file_label = file_label
        self.max_cells = max_cells
        self.rows: list[list[Any]] = []
        self.places: list[Place] = []
        self.merged: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.cells = 0

    def paragraph(self, text: str, place: Place) -> None:
        """A paragraph's text as a row, split into cells at tabs; an empty one as a blank row (once in a row)."""
        cells = [piece.strip() for piece in text.split("\t") if piece.strip()]
        if not cells:
            self.blank(place)
            return
        self._add([_personal_pair(cells[0])] if len(cells) == 1 else _personal_row(cells), place)

    def blank(self, place: Place) -> None:
        if self.rows and self.rows[-1]:
            self._add([], place)

    def table(self, rows: list[list[str]], merges: list[tuple[tuple[int, int], tuple[int, int]]],
              places: list[Place]) -> None:
        """A table's rows (merged cells: the value in the top-left cell, '' in the others), merges relative to
        its first row; then a blank row, as a table stands apart from what follows."""
        rows = _without_personal_columns(rows)
        top = len(self.rows)
        for row, place in zip(rows, places):
            self._add(_personal_row(row), place)
        for (r0, c0), (r1, c1) in merges:
            if (r0, c0) != (r1, c1):
                self.merged.append(((top + r0, c0), (top + r1, c1)))
        self.blank(Place("", 0, False))

    def _add(self, cells: list[str], place: Place) -> None:
        self.cells += max(len(cells), 1)
        if self.cells > self.max_cells:
            raise refusal("document_cells", self.file_label, limit=self.max_cells)
        self.rows.append([scrub(c) if c else c for c in cells])
        self.places.append(place)

    def grid(self) -> DocumentGrid:
        while self.rows and not self.rows[-1]:
            self.rows.pop()
            self.places.pop()
        return DocumentGrid(GRID_NAME, self.rows, self.merged, places=self.places)


# ------------------------------------------------------------------------------------------ personal data


def _is_personal_label(text: str) -> bool:
    return len(text) <= LABEL_MAX_CHARS and catalog.match_field(text) in PERSONAL_FIELDS


def _personal_pair(text: str) -> str:
    """A «label: value» paragraph whose label is the head's name or the address and phone: the label only."""
    head, sep, tail = text.partition(":")
    if sep and tail.strip() and _is_personal_label(head):
        return head + sep
    return text


def _personal_row(cells: list[str]) -> list[str]:
    """A row whose first text is a personal-data label (the head, the address and phone): the label only."""
    for i, cell in enumerate(cells):
        if cell and any(ch.isalpha() for ch in cell):
            if _is_personal_label(cell):
                return cells[:i + 1] + [""] * (len(cells) - i - 1)
            if ":" in cell:
                cells = cells[:i] + [_personal_pair(cell)] + cells[i + 1:]
            return cells
    return cells


def _without_personal_columns(rows: list[list[str]]) -> list[list[str]]:
    """The table with every column whose header (first row) names people or contacts emptied below it."""
    if len(rows) < 2:
        return rows
    personal = {c for c, text in enumerate(rows[0]) if text and len(text) <= LABEL_MAX_CHARS
                and _PERSONAL_HEADER.search(normalize(text))}
    if not personal:
        return rows
    return [rows[0]] + [[("" if c in personal else v) for c, v in enumerate(row)] for row in rows[1:]]


# ------------------------------------------------------------------------------------------ reading


def read_document(grid: DocumentGrid, file_label: str, layout: str, what: str) -> tuple[str, list[Report]]:
    """The report a document's grid holds, its places named after the document; ReadError when it holds no
    report form (`what` names the kind of document in that message)."""
    import grantstats.readers.form as form

    if not any(grid.rows):
        raise refusal("document_no_text", file_label, document=what)
    reports, missing = form.read_form([grid], file_label)
    if not reports:
        raise refusal("document_no_form", file_label, document=what, missing=missing)
    for report in reports:
        relocate(report, grid)
    return layout, reports


def relocate(report: Report, grid: DocumentGrid) -> None:
    """Name every place of the report (fields, indicators, participants, findings) after the document."""
    for where in _wheres(report):
        if where.sheet == grid.name:
            place = grid.where(where.cell)
            if place is not None:
                where.sheet, where.cell = place.sheet, place.cell
    for finding in report.findings:
        if finding.sheet == grid.name:
            place = grid.where(finding.cell)
            if place is not None:
                finding.sheet, finding.cell = place.sheet, place.cell


def _wheres(report: Report):
    yield report.source
    yield from report.field_at.values()
    for indicator in report.indicators.values():
        yield indicator.plan_at
        yield indicator.fact_at
    for participant in report.participants:
        yield participant.at
    for _, at in report.table_totals.values():
        yield at


_CELL = re.compile(r"([A-Z]{1,3})(\d{1,7})")


def _cell_key(cell: str | None) -> tuple[int | None, int]:
    match = _CELL.fullmatch(cell or "")
    if not match:
        return None, 0
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    return int(match.group(2)) - 1, col - 1


__all__ = ["DocumentGrid", "GridBuilder", "Place", "read_document", "relocate"]
