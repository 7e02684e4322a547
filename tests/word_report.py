"""The real report of ../shared/examples/final-report-2023.txt as a real Word document (python-docx), and PDFs
made from such documents by LibreOffice as Word exports them. A test helper (the bench uses it too).

The text file is the report as plain text: paragraphs are lines, a table cell starts with a tab on its own
line and runs on over the lines that follow it. `example_blocks` reads it back into paragraphs and tables (the
shape of each table is known: `TABLE_SHAPES`); `build_docx` writes them as Word paragraphs and tables, with the
merged cells a clerk's Word file has (the «Индикаторы» header over «план»/«факт», each task's cell merged down
over its activities) and the variants the tests need.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

# The report of ../shared/examples/final-report-2023.txt, kept here so that the tests run in a clean clone; the
# people in it (the head, the partners' contact persons and their phones) are replaced by invented ones.
EXAMPLE = Path(__file__).resolve().parent / "data" / "final-report-2023.txt"
HEAD = "Сейткалиева Динара Ержановна"
PARTNER_PEOPLE = ("Ахметов", "Нурланова")
PARTNER_PHONES = ("+7\u00a0701\u00a0555 12 34", "+7\u00a0705\u00a0555 98 76")

# (name, rows, columns, cells in the first row when fewer than `columns`) of each table, in document order.
TABLE_SHAPES = [("goal", 2, 2, None), ("activities", 12, 10, 9), ("indicators", 10, 5, None), ("gender", 2, 3, None),
                ("categories", 2, 11, None), ("age", 2, 8, None), ("partners", 3, 4, None), ("proposals", 3, 7, None),
                ("recommendations", 1, 3, None)]
_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")

# The participant tables in people instead of percent (for the variant that gives people): 70 participants.
PEOPLE_ROWS = {"gender": ["70", "21", "49"],
               "categories": ["70", "-", "66", "7", "2", "-", "66", "-", "-", "-", ""],
               "age": ["70", "-", "18", "21", "21", "7", "3", "-"]}


@dataclass
class Table:
    name: str
    rows: list[list[str]]
    spans: dict[tuple[int, int], int] = field(default_factory=dict)  # (row, cell index) -> grid columns


def example_blocks() -> list[str | Table]:
    """The example report as paragraphs (str) and tables, in order."""
    lines = [_BOOKMARK.sub("", line).rstrip(" \r") for line in EXAMPLE.read_text(encoding="utf-8").splitlines()]
    blocks: list[str | Table] = []
    shapes = iter(TABLE_SHAPES)
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.startswith("\t"):
            blocks.append(line.strip())
            i += 1
            continue
        name, n_rows, columns, first = next(shapes)
        i, rows = _read_table(lines, i, n_rows, columns, first)
        table = Table(name, rows)
        if first:
            table.spans[(0, 7)] = 2  # «Индикаторы» over «план» and «факт»
        blocks.append(table)
    return blocks


def _read_table(lines: list[str], i: int, n_rows: int, columns: int, first: int | None,
                ) -> tuple[int, list[list[str]]]:
    """The table's cells from line i on: (the line after the table, rows). The last cell ends at a blank line."""
    cells: list[list[str]] = []
    total = (first or columns) + columns * (n_rows - 1)
    while i < len(lines):
        line = lines[i]
        if line.startswith("\t") and len(cells) < total:
            cells.append([line[1:]])
        elif len(cells) == total and (not line or line.startswith("\t")):
            break
        else:
            cells[-1].append(line)
        i += 1
    texts = ["\n".join(c).strip("\n").strip() for c in cells]
    rows = [texts[:first or columns]]
    rows += [texts[k:k + columns] for k in range(first or columns, total, columns)]
    return i, rows


# ----------------------------------------------------------------------------------------------------------
# Word


# Contacts put into the «contacts» variant: in the running header, and in an activity's place (with an IIN, and
# the organisation's BIN, which may stay).
HEADER_LINE = "Общественное Объединение «Корган-М» · тел. +7 (7252) 53-12-34 · korgan-m@mail.kz"
PLACE_WITH_CONTACTS = ("г. Шымкент, улица Диваева 37/6; тел. +7 701 234 56 78, korgan-m@mail.kz; "
                       "ИИН руководителя 850101300123; БИН 120540012345")

# The documents the tests read: name -> build_docx options.
VARIANTS = {
    "example": {},
    "passport_table": {"passport": "table"},
    "people": {"participants": "people"},
    "across_pages": {"tall_indicators": True},
    "header_repeated": {"tall_indicators": True, "repeat_header": True},
    "contacts": {"contacts": True},
    "shifted": {"shifted_indicators": True},
    "indicators_borderless": {"participants": "people", "indicator_borders": "none"},
    "indicators_rules": {"participants": "people", "indicator_borders": "rules"},
}


def build_docx(path: Path, *, passport: str = "paragraphs", participants: str = "percent",
               repeat_header: bool = False, tall_indicators: bool = False, contacts: bool = False,
               shifted_indicators: bool = False, indicator_borders: str = "grid") -> Path:
    """Write the example report as a .docx.

    passport: "paragraphs" («1. Полное наименование …: value», as the form is filled in) or "table" (a
    two-column table of label and value). participants: "percent" (as in the example) or "people"
    (PEOPLE_ROWS). tall_indicators: the indicator table's rows made tall and kept whole, so that the table
    breaks across a page in a PDF; repeat_header: its header row (and the activities table's two header rows)
    repeated on every page, as Word's «Повторять как заголовок» does. contacts: the organisation's phone and
    e-mail in the page header, page numbers in the footer, and contacts, an IIN and a BIN in an activity's place.
    shifted_indicators: the first indicator's label merged over two rows, so that every later label stands one
    row below its unit, plan and fact (what realign.py repairs). indicator_borders: the indicator table drawn
    with every border ("grid"), none ("none": Word's «Без границ»), or horizontal rules only ("rules": above,
    below and between its rows).
    """
    import docx
    from docx.shared import Cm, Pt

    document = docx.Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Liberation Serif", Pt(11)
    blocks = example_blocks()
    if contacts:
        _add_header_and_footer(section)
        activities = next(b for b in blocks if isinstance(b, Table) and b.name == "activities")
        activities.rows[2][3] = PLACE_WITH_CONTACTS
    passport_end = next(i for i, b in enumerate(blocks) if isinstance(b, str) and b.startswith("1. Опишите"))
    if passport == "table":
        _add_passport_table(document, [b for b in blocks[:passport_end] if isinstance(b, str)])
        blocks = blocks[passport_end:]
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
            continue
        if participants == "people" and block.name in PEOPLE_ROWS:
            block = Table(block.name, [block.rows[0], PEOPLE_ROWS[block.name]])
        if shifted_indicators and block.name == "indicators":
            block = _shifted(block)
        _add_table(document, block, repeat_header=repeat_header, tall=tall_indicators and block.name == "indicators",
                   borders=indicator_borders if block.name == "indicators" else "grid")
    document.save(path)
    return path


def _shifted(table: Table) -> Table:
    """The indicator table with its first label merged over two rows: labels (and their numbers) one row below
    the values from the second indicator on."""
    header, body = table.rows[0], table.rows[1:]
    labels = [row[:2] for row in body]
    rows = [header, labels[0] + body[0][2:], ["", ""] + body[1][2:]]
    rows += [labels[i] + (body[i + 1][2:] if i + 1 < len(body) else ["", "", ""]) for i in range(1, len(body))]
    return Table("shifted_indicators", rows)


def _add_header_and_footer(section) -> None:
    """The organisation's contacts on top of every page, «Страница N» (Word's PAGE field) at the bottom."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.header.paragraphs[0].text = HEADER_LINE
    footer = section.footer.paragraphs[0]
    footer.text = "Страница "
    field_ = OxmlElement("w:fldSimple")
    field_.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field_.append(run)
    footer._p.append(field_)


def _add_passport_table(document, lines: list[str]) -> None:
    """Title paragraphs as they are; the numbered «label: value» lines as a two-column table, the per-year
    amount lines under «6. Общая сумма…» in its value cell."""
    pairs: list[list[str]] = []
    for line in lines:
        if re.match(r"\d\. ", line):
            label, _, value = line.partition(":")
            pairs.append([label, value.strip()])
        elif line.startswith("- на ") and pairs:
            pairs[-1][1] = (pairs[-1][1] + "\n" + line).strip()
        elif line:
            document.add_paragraph(line)
    _add_table(document, Table("passport", pairs))
    document.add_paragraph("")


def _add_table(document, table: Table, *, repeat_header: bool = False, tall: bool = False,
               borders: str = "grid") -> None:
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Cm

    columns = max(sum(table.spans.get((r, c), 1) for c in range(len(row))) for r, row in enumerate(table.rows))
    grid = document.add_table(rows=len(table.rows), cols=columns)
    grid.style = "Table Grid" if borders == "grid" else "Normal Table"  # «Normal Table» draws no border
    if borders == "rules":
        rule = 'w:val="single" w:sz="4"'
        grid._tbl.tblPr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}><w:top {rule}/><w:bottom {rule}/>"
                                         f"<w:insideH {rule}/></w:tblBorders>"))
    header_rows = 2 if table.name == "activities" else 1
    for r, row in enumerate(table.rows):
        col = 0
        for c, text in enumerate(row):
            span = table.spans.get((r, c), 1)
            cell = grid.cell(r, col)
            if span > 1:
                cell = cell.merge(grid.cell(r, col + span - 1))
            _fill(cell, text)
            col += span
        tr = grid.rows[r]._tr
        if repeat_header and r < header_rows and table.name in ("activities", "indicators"):
            tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
        if tall and r > 0:
            grid.rows[r].height, grid.rows[r].height_rule = Cm(3.2), WD_ROW_HEIGHT_RULE.AT_LEAST
            tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if table.name == "activities":
        _merge_down_blanks(grid, 0, range(0, 2), [c for c in range(columns) if c not in (7, 8)])
        _merge_down_blanks(grid, 2, range(2, len(table.rows)), [0])
    if table.name == "shifted_indicators":
        _merge_down_blanks(grid, 1, range(1, 3), [0, 1])


def _fill(cell, text: str) -> None:
    """A cell's text, one paragraph a line (as a cell typed in Word holds it)."""
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _merge_down_blanks(grid, _first: int, rows: range, columns: list[int]) -> None:
    """Merge each blank cell of these columns into the filled cell above it (vMerge), as Word merges a task's
    cell over its activities."""
    for c in columns:
        top = None
        for r in rows:
            cell = grid.cell(r, c)
            if cell.text.strip():
                top = r
            elif top is not None:
                merged = grid.cell(top, c).merge(cell)
                # merge() keeps the empty paragraph of the lower cell: drop it so the text stays as typed
                for p in merged.paragraphs[1:]:
                    if not p.text.strip():
                        p._p.getparent().remove(p._p)


# ----------------------------------------------------------------------------------------------------------
# PDF (LibreOffice, as Word's «Save as PDF» lays the document out)


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(docx_files: list[Path], out_dir: Path) -> list[Path]:
    """Convert .docx files to PDF with LibreOffice headless, all in one run (it is slow to start)."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="gs-soffice-") as profile:
        subprocess.run([program, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(out_dir), *map(str, docx_files)],
                       check=True, capture_output=True, timeout=300)
    made = [out_dir / (p.stem + ".pdf") for p in docx_files]
    missing = [p.name for p in made if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice made no PDF of {', '.join(missing)}")
    return made


def scanned_pdf(path: Path, text: str = "Заключительный отчет") -> Path:
    """A PDF holding only an image (a page as a scanner makes it): no text layer."""
    from PIL import Image, ImageDraw

    page = Image.new("L", (827, 1169), 255)  # A4 at 100 dpi
    draw = ImageDraw.Draw(page)
    for k in range(30):
        draw.line([(80, 120 + 30 * k), (740, 120 + 30 * k)], fill=90, width=2)
    draw.text((80, 60), text.encode("ascii", "replace").decode(), fill=0)
    page.save(path, "PDF", resolution=100.0)
    return path
