"""Consolidated sheets with one row per report: find the header, map columns by meaning, read rows."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from grantstats import catalog
from grantstats.model import EMPTY, IndicatorValue, Number, ParticipantValue, Report, Where
from grantstats.numbers import YEAR_MAX, YEAR_MIN, parse_cell_number, percent_to_people
from grantstats.readers.fields import apply_field, excel_percent_dimensions, finish_fields, holds_figure, is_shell
from grantstats.readers.grid import Grid, cell_text, column_letters, on_its_side
from grantstats.readers.scale import scale_of, scaled
from grantstats.text import normalize

HEADER_SCAN_ROWS = 40
MERGED_MAP_CELLS = 100_000  # merged cells in the scanned rows mapped at once; past that, looked up cell by cell
TOTAL_ROW_WORDS = ("итого", "всего", "барлыгы", "total", "жиыны")
# A cell that is wholly one of these is a totals label, wherever in the row's names it stands; normalised and
# with its spaces taken out, so «ИТОГО:», «И т о г о», «Общий итог» (Excel's pivot tables) and «Grand Total» read
# alike. Matched as the whole cell only: «Сумма» is a totals row's label, «ОО «Сумма добра»» a grantee.
TOTAL_LABELS = frozenset({"итого", "итог", "всего", "общийитог", "общиеитоги", "всегоитого", "итоговсего",
                          "промежуточныйитог", "сумма", "суммаитого", "барлыгы", "жиыны", "жалпы", "total",
                          "grandtotal", "subtotal", "sum"})
IDENTIFYING_FIELDS = {"grantee", "title", "contract", "contract_no"}
YEAR_IN_LABEL = re.compile(r"\b(19[9]\d|20\d\d)\b")
_YEAR_ONLY = re.compile(r"(?:на )?(?:19[9]\d|20\d\d)(?: (?:г|гг|год|году|жыл|жылы|year))?")  # (normalised text)
_LETTER = re.compile(r"[^\W\d_]")
# Why a row under a registry header is no report (RegistrySheet.skipped; each kind a findings.messages phrase)
ROW_TOTAL, ROW_SUBTOTAL, ROW_HEADER, ROW_LABEL_ONLY = "rows_totals", "rows_subtotals", "rows_headers", "rows_label_only"
ROW_KINDS = (ROW_TOTAL, ROW_SUBTOTAL, ROW_HEADER, ROW_LABEL_ONLY)
ROWS_NAMED = 10  # rows of a kind a finding names by number; past that, «…»
NUMBERING_ROWS = 3  # a row numbering the columns stands right under the header (after a blank row at most)
_SMALL_INT = re.compile(r"\s*\(?(\d{1,3})[.)]?\s*")


@dataclass(frozen=True)
class Column:
    """What a registry column holds: a report field, an indicator's plan or fact, or a participant bucket."""

    kind: str  # field | indicator | participants | amount_year | unclear (an indicator's plan and fact alike: not read)
    code: str
    part: str | None = None  # plan/fact for indicators; the dimension for participants
    percent: bool = False
    scale: float = 1.0  # the header says the figures are in thousands (1000) or millions


_CLASSIFIED: dict[str, Column | None] = {}
_CLASSIFIED_MAX = 50_000


def classify_label(label: str) -> Column | None:
    """Map a header text to the column it names, by meaning; None when it names nothing we know."""
    if type(label) is not str:
        return _classify(label)
    try:
        return _CLASSIFIED[label]
    except KeyError:
        pass
    column = _classify(label)
    if len(_CLASSIFIED) >= _CLASSIFIED_MAX:
        _CLASSIFIED.clear()
    _CLASSIFIED[label] = column  # the catalog does not change while running: a label always maps alike
    return column


def _classify(label: str) -> Column | None:
    column = _classify_meaning(label)
    if column is None or column.kind == "field" and column.code not in ("grant_amount", "participants_total"):
        return column
    if column.percent:
        return column
    scale = scale_of(label)  # a header saying «тыс.» or «млн» («Сумма гранта, тыс. тенге»)
    return Column(column.kind, column.code, column.part, column.percent, scale) if scale != 1.0 else column


def _classify_meaning(label: str) -> Column | None:
    norm = normalize(label)
    if not norm:
        return None
    percent = "%" in str(label) or "процент" in norm
    if not _LETTER.search(norm):  # a number or a date: no phrase is letterless, so only an age bracket can fit
        bucket = catalog.match_age(norm)
        return Column("participants", bucket, "age", percent) if bucket else None
    if catalog.is_personal_label(label):  # «Телефон», «Партнеры (контакты)», «ИИН руководителя»: never read
        return Column("field", "bin") if catalog.match_field(norm) == "bin" else None
    part, rest = catalog.plan_or_fact(norm)
    if part is not None:
        indicator = catalog.match_indicator(rest) if rest else None
        if indicator and part in ("plan", "fact"):
            return Column("indicator", indicator, part)
        if indicator and part == "both":  # «Прямые бенефициары (план/факт)»: not guessed, said (unclear_note)
            return Column("unclear", indicator, part)
        if indicator:
            return None  # a deviation or a percent of completion: derived, neither the plan nor the fact
    field = catalog.match_field(norm)
    if field == "grant_amount":
        year = YEAR_IN_LABEL.search(norm)
        if year:
            return Column("amount_year", year.group(1))
    if field in catalog.PERSONAL_FIELDS:
        return None
    if field == "contract_date" and "№" in str(label):
        field = "contract"  # «№, дата договора»: number and date in one cell
    if field:
        return Column("field", field)
    indicator = catalog.match_indicator(norm) if part is None else None
    if indicator:
        return Column("indicator", indicator, "fact")  # an indicator's one column, no plan beside it: its fact
    for dimension, matcher in (("gender", catalog.match_gender), ("age", catalog.match_age),
                               ("category", catalog.match_category)):
        bucket = matcher(norm)
        if bucket:
            return Column("participants", bucket, dimension, percent)
    return None


class _HeaderScan:
    """The top rows of a grid as the texts find_header looks at, each cell turned to text once."""

    def __init__(self, grid: Grid, rows: int, width: int):
        self.grid = grid
        self.width = width
        self.values = [list(r) + [""] * (width - len(r)) if len(r) < width else r for r in grid.rows[:rows]]
        self.texts = [[v.strip() if v.__class__ is str else cell_text(v) for v in r] for r in self.values]
        self.merged_from: dict[tuple[int, int], tuple[int, int]] | None = {}
        area = 0
        for (r0, c0), (r1, c1) in grid.merged:  # the first range holding a cell wins, as in Grid.merged_value
            area += max(0, min(r1, rows - 1) - max(r0, 0) + 1) * max(0, min(c1, width - 1) - max(c0, 0) + 1)
        if area > MERGED_MAP_CELLS:
            self.merged_from = None  # many or huge ranges: look each empty cell up when it is asked for
            return
        for (r0, c0), (r1, c1) in grid.merged:
            for r in range(max(r0, 0), min(r1, rows - 1) + 1):
                for c in range(max(c0, 0), min(c1, width - 1) + 1):
                    self.merged_from.setdefault((r, c), (r0, c0))

    def top(self, row: int, col: int) -> str:
        """A header cell's own text, or the text of the merged range it lies in."""
        text = self.texts[row][col]
        if text:
            return text
        if self.merged_from is None:
            return str(self.grid.merged_value(row, col) or "").strip()
        origin = self.merged_from.get((row, col))
        if origin is None:
            return ""
        return str(self.grid.value(*origin) or "").strip()


def _header_labels(grid: Grid, row: int, two_rows: bool, width: int | None = None,
                   scan: _HeaderScan | None = None) -> list[str]:
    """Header texts of a row; with two_rows, the group cell above (merged or left-filled) joined to each."""
    if scan is not None and not two_rows and not scan.merged_from:
        return scan.texts[row] if scan.merged_from is not None else [scan.top(row, c) for c in range(scan.width)]
    labels = []
    group = ""
    for col in range(grid.width if width is None else width):
        if scan is not None:
            top = scan.top(row, col)
        else:
            top = grid.text(row, col) or str(grid.merged_value(row, col) or "").strip()
        if not two_rows:
            labels.append(top)
            continue
        sub = scan.texts[row + 1][col] if scan is not None else grid.text(row + 1, col)
        if top:
            group = top
        elif not sub:
            group = ""
        labels.append(f"{group} {sub}".strip() if sub else top)
    return labels


def _looks_like_sub_header(grid: Grid, row: int, width: int | None = None, scan: _HeaderScan | None = None) -> bool:
    """A row under a header is a second header row when it says план/факт and holds no numbers but years (2023 |
    2024 under a merged «Сумма гранта», typed as numbers)."""
    if row >= grid.height:
        return False
    if scan is not None:
        values = scan.values[row]
    else:
        values = [grid.value(row, c) for c in range(grid.width if width is None else width)]
    texts, years = [], 0
    for v in values:
        if isinstance(v, str):
            if v and not v.isspace():
                texts.append(v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool):
            if not (float(v).is_integer() and YEAR_MIN <= v <= YEAR_MAX):
                return False
            years += 1
    if any(_says_plan_or_fact(t) for t in texts):
        return True
    year_texts = sum(1 for t in texts if _YEAR_ONLY.fullmatch(normalize(t)))
    return years + year_texts >= 2 and year_texts == len(texts)  # years only: «2023 г.» | «2024 г.»


def _says_plan_or_fact(text: str) -> bool:
    """A second header row's cell: plan, fact or their comparison, in a word or two beside it («запланировано»,
    «факт, чел.», «отклонение»)."""
    part, rest = catalog.plan_or_fact(text)
    return part is not None and len(rest.split()) <= 2


def _holds_figures(values: list) -> bool:
    """A row holding a number other than a year is data, not a header (a header names years at most): an
    activity row of a form that mentions a field's and two categories' words is not taken for one."""
    return any(v.__class__ in (int, float) and not (float(v).is_integer() and YEAR_MIN <= v <= YEAR_MAX)
               for v in values)


def _row_columns(labels: list[str], need: int) -> dict[int, Column] | None:
    """The columns a row's labels name, or None when they cannot name `need` different ones. Labels met before
    and letterless ones are classified first; the rest only if they could still make up the number, so a row
    of one new text among figures (a form's activity row) is ruled out without matching that text."""
    columns: dict[int, Column] = {}
    new: dict[str, list[int]] = {}
    for c, label in enumerate(labels):
        if not label:
            continue
        if label in _CLASSIFIED or not _LETTER.search(label):
            column = classify_label(label)
            if column is not None:
                columns[c] = column
        else:
            new.setdefault(label, []).append(c)
    if len(set(columns.values())) + len(new) < need:
        return None
    for label, cols in new.items():
        column = classify_label(label)
        if column is not None:
            columns.update(dict.fromkeys(cols, column))
    return dict(sorted(columns.items()))


def find_header(grid: Grid) -> tuple[int, int, dict[int, Column]] | None:
    """The header's first row, its height (1 or 2) and the mapped columns, each meaning once (the first column
    naming it); None when the sheet has none."""
    header = _find_header_all(grid)
    if header is None:
        return None
    row, height, columns = header
    return row, height, _first_of_each(columns)


def _first_of_each(columns: dict[int, Column]) -> dict[int, Column]:
    seen: set[Column] = set()
    unique = {}
    for c, col in sorted(columns.items()):
        if col not in seen:
            seen.add(col)
            unique[c] = col
    return unique


def _find_header_all(grid: Grid) -> tuple[int, int, dict[int, Column]] | None:
    """find_header's header with every column it maps, a meaning named by two columns included."""
    best = None
    width = grid.width
    rows = min(grid.height, HEADER_SCAN_ROWS)
    scan = _HeaderScan(grid, rows + 1, width)  # a two-row header's second row may be the one past the scan
    for row in range(rows):
        if width - scan.texts[row].count("") < 2 or _holds_figures(scan.values[row]):
            continue
        for height in (1, 2):
            if height == 2 and not _looks_like_sub_header(grid, row + 1, width, scan):
                continue
            labels = _header_labels(grid, row, height == 2, width, scan)
            # Equal labels map alike, so a row can name no more columns than it has different labels: fewer
            # than 3, or no more than the best header so far, and it cannot be taken (skip the matching).
            different = len(set(labels) - {""})
            if different < 3 or (best is not None and different <= best[0]):
                continue
            columns = _row_columns(labels, 3 if best is None else best[0] + 1)
            if columns is None:
                continue
            fields = {col.code for col in columns.values() if col.kind == "field"}
            distinct = len(set(columns.values()))  # a label merged over several columns counts once
            if distinct < 3 or not (fields & IDENTIFYING_FIELDS):
                continue
            if best is None or distinct > best[0]:  # a second header row must add columns to be taken
                best = (distinct, row, height, columns)
    if best is None:
        return None
    _, row, height, columns = best
    return row, height, columns


def _squeezed(text: str) -> str:
    """A cell's text normalised with its spaces taken out: «И т о г о», «ИТОГО:» and «Итого» read alike."""
    return normalize(text).replace(" ", "")


def _first_label(values: list) -> str:
    """A row's first text with a letter in it: its label, past a № cell («3 | Итого»)."""
    return next((v.strip() for v in values if v.__class__ is str and _LETTER.search(v)), "")


def _names_contract(grid: Grid, row: int, columns: dict[int, Column]) -> bool:
    return any(grid.text(row, c) for c, col in columns.items()
               if col.kind == "field" and col.code in ("contract", "contract_no"))


def _is_total_row(grid: Grid, row: int, columns: dict[int, Column]) -> bool:
    """A totals row, never a report: its first text starts with a totals word («Итого», «Всего по области:»);
    or its label (the first text with letters, past a № cell), grantee or title is wholly a totals label
    («Общий итог», «Сумма», «И т о г о»); or it names neither grantee, title nor contract."""
    identifying = [c for c, col in columns.items() if col.kind == "field" and col.code in ("grantee", "title")]
    first_text = next((grid.text(row, c) for c in range(grid.width) if grid.text(row, c)), "")
    words = normalize(first_text).split()
    if words and words[0] in TOTAL_ROW_WORDS:
        return True
    label = _first_label(grid.rows[row])
    if label and label != first_text:
        words = normalize(label).split()
        if words and words[0] in TOTAL_ROW_WORDS and not _names_contract(grid, row, columns):
            return True  # «3 | Всего по области»: a № before the label (an NGO «Total …» with a contract stays)
    if any(_squeezed(text) in TOTAL_LABELS for text in {label, *(grid.text(row, c) for c in identifying)} if text):
        return True
    return bool(identifying) and all(not grid.text(row, c) for c in identifying) and not _names_contract(
        grid, row, columns)


def _read_row(grid: Grid, row: int, columns: dict[int, Column]) -> Report:
    sheet = grid.name
    report = Report(source=Where(sheet, grid.cell(row, 0)))
    indicators: dict[str, IndicatorValue] = {}
    buckets: list[tuple[Column, Number, Where]] = []
    values = grid.rows[row]
    width = len(values)
    for col, target in columns.items():
        raw = values[col] if col < width else ""
        where = Where(sheet, grid.cell(row, col))
        kind = target.kind
        if kind == "unclear":
            continue
        if kind == "field":
            apply_field(report, target.code, raw, where)
            if target.scale != 1.0:
                if target.code == "grant_amount" and not report.amount_by_year:
                    report.grant_amount = scaled(report.grant_amount, target.scale)
                elif target.code == "participants_total":
                    report.participants_total = scaled(report.participants_total, target.scale)
            continue
        value = parse_cell_number(raw)
        if target.scale != 1.0:
            value = scaled(value, target.scale)
        if kind == "indicator":
            ind = indicators.get(target.code)
            if ind is None:
                ind = indicators[target.code] = IndicatorValue(target.code, unit=catalog.indicator_unit(target.code))
            if target.part == "plan":
                ind.plan, ind.plan_at = value, where
            else:
                ind.fact, ind.fact_at = value, where
        elif kind == "participants":
            buckets.append((target, value, where))
        elif value.value is not None:  # amount_year
            report.amount_by_year[int(target.code)] = value.value
    report.indicators = {k: v for k, v in indicators.items() if not (v.plan.empty and v.fact.empty and v.plan.raw in (None, "") and v.fact.raw in (None, ""))}
    _apply_participants(report, buckets)
    if report.amount_by_year and report.grant_amount.empty:
        report.grant_amount = Number(sum(report.amount_by_year.values()), raw=None)
    finish_fields(report)
    return report


def _apply_participants(report: Report, buckets: list[tuple[Column, Number, Where]]) -> None:
    total = report.participants_total.value
    parts: dict[str, list[Number]] = {}
    for target, number, _ in buckets:
        if number.value is not None:
            parts.setdefault(target.part, []).append(number)
    excel_percents = excel_percent_dimensions(parts)  # «Мужчины, %» holding 0,3 (shown 30 %) was 0,3 %
    for target, number, where in buckets:
        if number.value is None:
            continue
        if number.percent or target.percent or target.part in excel_percents:
            percent = number.value * 100 if target.part in excel_percents else number.value
            people = percent_to_people(percent, total) if total is not None else None
            report.participants.append(ParticipantValue(
                target.part, target.code, people, percent=percent, derived=True, raw=number.raw, at=where))
        else:
            report.participants.append(ParticipantValue(
                target.part, target.code, number.value, raw=number.raw, at=where))


def _small_int(value) -> int | None:
    """A column number as a numbering row writes it: 1, 2.0, «3», «4.», «(5)»; None for anything else."""
    if value.__class__ in (int, float):
        return int(value) if float(value).is_integer() and 0 <= value <= 999 else None
    if isinstance(value, str):
        m = _SMALL_INT.fullmatch(value)
        return int(m.group(1)) if m else None
    return None


def is_numbering_row(values: list) -> bool:
    """A row that numbers the columns under a header (1, 2, 3 …): at least three filled cells, each a small
    whole number, counting up by one from cell to cell or from column to column (a hidden or merged column
    may leave a gap)."""
    numbers: list[tuple[int, int]] = []
    for c, v in enumerate(values):
        if v is None or v == "" or (v.__class__ is str and not v.strip()):
            continue
        n = _small_int(v)
        if n is None:
            return False
        numbers.append((c, n))
    if len(numbers) < 3:
        return False
    (c0, n0) = numbers[0]
    steps = [b - a for (_, a), (_, b) in zip(numbers, numbers[1:])]
    return all(step == 1 for step in steps) or all(n - n0 == c - c0 for c, n in numbers)


@dataclass
class RegistrySheet:
    """What one sheet holds as a registry: its header and columns, the report rows, and what was left out."""

    grid: Grid
    header_row: int
    header_height: int
    columns: dict[int, Column]
    reports: list[Report]
    hidden_unread: list[tuple[int, str]]  # hidden columns naming something no visible column gives: (col, label)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # rows that are no reports: (row, ROW_* kind)
    twice: list[tuple[int, int]] = field(default_factory=list)  # (col, the earlier col naming the same) with figures
    unknown: list[int] = field(default_factory=list)  # columns of figures whose header names nothing the catalog knows
    second_table: int | None = None  # the row where another table's header starts: it and the rows below unread


def _header_texts(grid: Grid, row: int, height: int) -> list[list[str]]:
    """The header rows' cells as normalised text, to know the header when a row repeats it."""
    return [[normalize(grid.text(r, c)) for c in range(grid.width)] for r in range(row, row + height)]


def _repeats_header(values: list, header: list[list[str]]) -> bool:
    """A row that repeats a header row word for word (a header printed again on each page, or pasted between
    blocks): two filled cells or more, each saying what that header row says there. A header worded otherwise is
    told by the columns it names (read_sheet)."""
    label = normalize(_first_label(values))
    if not label or not any(label in texts for texts in header):
        return False
    filled = [(c, normalize(cell_text(v))) for c, v in enumerate(values) if cell_text(v)]
    return len(filled) >= 2 and any(all(c < len(texts) and text == texts[c] for c, text in filled)
                                    for texts in header)


def _header_of(grid: Grid, row: int) -> dict[int, Column] | None:
    """The columns a row names when it is a registry header (three columns or more, one naming the grantee, the
    title or the contract); None when it is not one."""
    columns = _row_columns([grid.text(row, c) for c in range(grid.width)], 3)
    if columns is None or len(set(columns.values())) < 3:
        return None
    fields = {col.code for col in columns.values() if col.kind == "field"}
    return columns if fields & IDENTIFYING_FIELDS else None


def _is_region_subtotal(report: Report) -> bool:
    """A region's subtotal row: figures under a grantee that is wholly a region's name («г. Астана»,
    «Карагандинская область») with no contract and no title. An NGO named after its region is a report."""
    return (holds_figure(report) and report.grantee is not None and not report.contract_no and not report.title
            and catalog.is_region_name(report.grantee))


def _is_label_only(report: Report) -> bool:
    """A row with text but no figure, no contract number, no year and no amount (a note, a signature, a region's
    group row, a table's caption): nothing in it can be counted, so it is no report."""
    return not holds_figure(report) and not report.contract_no and report.effective_year() is None


def read_sheet(grid: Grid, hidden: frozenset[int] | Callable[[], frozenset[int]] = frozenset()
               ) -> RegistrySheet | None:
    """The report rows of a sheet with a registry header; None when it has no such header.

    Rows that are no reports are skipped. Silently: empty rows, a row numbering the columns, and rows that name
    no organisation and hold no figure (placeholders only: «-», «нет», «б/н»). Listed in `skipped`, for a
    finding: totals rows, region subtotals, a repeated header, and rows of text with no figure, contract or year
    (notes, signatures, group rows). Another table's header (columns other than this one's) ends the table
    (`second_table`): its rows are not read under a header that is not theirs. A hidden column (`hidden`,
    0-based, or a function giving them) is not read: what a grantor hides is an old or helper column, never the
    figure it reports; one that names something no visible column gives is listed in `hidden_unread`. A report
    may stand on two rows, a column no header names saying «план» on one and «факт» on the other: the second row
    (no text of its own) gives the other half of the first's indicators.
    """
    header = _find_header_all(grid)
    if header is None:
        return None
    row, height, named = header
    unread: list[tuple[int, str]] = []
    if callable(hidden):
        hidden = hidden()  # asked only of a sheet with a header: finding hidden columns costs a look into the file
    # each meaning from its first visible column (a hidden old column never stands in for the visible one)
    columns = _first_of_each({c: col for c, col in named.items() if c not in hidden} if hidden else named)
    if hidden:
        visible = set(columns.values())
        for c in sorted(set(named) & hidden):
            if named[c] not in visible and named[c] not in {named[u] for u, _ in unread}:
                unread.append((c, grid.text(row, c) or grid.text(row + height - 1, c)))
    sheet = RegistrySheet(grid, row, height, columns, [], unread)
    report_rows: list[int] = []
    header_texts = _header_texts(grid, row, height)
    first = row + height
    marker = _plan_fact_marker(grid, first, columns)
    if marker is not None:  # indicator columns whose header says neither plan nor fact take the row's word
        labels = _header_labels(grid, row, height == 2)
        as_plan, as_fact = (_indicators_as(columns, labels, part) for part in ("plan", "fact"))
    joinable = False  # the last row with anything in it gave a report (a plan/fact row may join it)
    for r in range(first, grid.height):
        values = grid.rows[r]
        if all(not grid.text(r, c) for c in columns):
            continue
        part = _marker_part(grid, r, marker) if marker is not None else None
        if part is not None:
            columns_here = as_plan if part == "plan" else as_fact
            if joinable and _continues(grid, r, marker):
                _add_part(sheet.reports[-1], _read_row(grid, r, columns_here), part)
                continue
        else:
            columns_here = columns
        joinable = False
        if r < first + NUMBERING_ROWS and is_numbering_row(values):
            continue
        if _repeats_header(values, header_texts):
            sheet.skipped.append((r, ROW_HEADER))
            continue
        if _is_total_row(grid, r, columns):
            sheet.skipped.append((r, ROW_TOTAL))
            continue
        report = _read_row(grid, r, columns_here)
        if is_shell(report):
            continue
        if _is_region_subtotal(report):
            sheet.skipped.append((r, ROW_SUBTOTAL))
        elif _is_label_only(report):
            other = _header_of(grid, r)
            if other is not None and any(columns.get(c, col) != col for c, col in other.items()):
                sheet.second_table = r
                break
            sheet.skipped.append((r, ROW_HEADER if other is not None else ROW_LABEL_ONLY))
        else:
            sheet.reports.append(report)
            report_rows.append(r)
            joinable = marker is not None
    _name_unread_columns(sheet, named, hidden, report_rows)
    return sheet


MARKER_SCAN_ROWS = 40  # data rows looked at for a column saying «план» / «факт» on each row


def _plan_fact_marker(grid: Grid, first: int, columns: dict[int, Column]) -> int | None:
    """A column no header names whose cells say only «план» or «факт» (two rows or more): each report then
    stands on two rows, its plan on one and its fact on the next (or the other way round)."""
    said: dict[int, int] = {}
    other: set[int] = set()
    for r in range(first, min(grid.height, first + MARKER_SCAN_ROWS)):
        for c, value in enumerate(grid.rows[r]):
            if c in columns or c in other or value.__class__ is not str or not value.strip():
                continue
            if catalog.plan_or_fact(value) in (("plan", ""), ("fact", "")):
                said[c] = said.get(c, 0) + 1
            else:
                other.add(c)
    return next((c for c, n in sorted(said.items()) if n >= 2 and c not in other), None)


def _marker_part(grid: Grid, row: int, marker: int) -> str | None:
    text = grid.text(row, marker)
    part, rest = catalog.plan_or_fact(text) if text else (None, "")
    return part if part in ("plan", "fact") and not rest else None


def _continues(grid: Grid, row: int, marker: int) -> bool:
    """A row of the report above: it names no organisation, title or contract of its own and holds no text but
    its «план»/«факт» (a grantee merged down over both rows leaves this one's cell empty)."""
    return not any(_LETTER.search(grid.text(row, c)) for c in range(grid.width) if c != marker)


def _indicators_as(columns: dict[int, Column], labels: list[str], part: str) -> dict[int, Column]:
    """The columns, each indicator whose header says neither plan nor fact read as `part` (its row says it)."""
    def says_neither(c: int) -> bool:
        return catalog.plan_or_fact(labels[c] if c < len(labels) else "")[0] is None

    return {c: Column(col.kind, col.code, part, col.percent, col.scale)
            if col.kind == "indicator" and says_neither(c) else col for c, col in columns.items()}


def _add_part(report: Report, row: Report, part: str) -> None:
    """The plan (or fact) figures of a report's second row added to it, each beside the other half."""
    for code, ind in row.indicators.items():
        value, at = (ind.plan, ind.plan_at) if part == "plan" else (ind.fact, ind.fact_at)
        target = report.indicators.get(code)
        if target is None:
            report.indicators[code] = ind
        elif part == "plan":
            target.plan, target.plan_at = value, at
        else:
            target.fact, target.fact_at = value, at


_NUMBERING_LABELS = frozenset({"п п", "пп", "no", "n", "nr", "номер", "номер п п", "р с", "рс", "реттік нөмірі",
                               "порядковый номер"})


def _name_unread_columns(sheet: RegistrySheet, named: dict[int, Column], hidden: frozenset[int],
                         report_rows: list[int]) -> None:
    """The visible columns holding a figure in a report row that were not read: one naming what an earlier column
    gives (`twice`), and one whose header names nothing the catalog knows (`unknown`); a numbering column, a
    personal one («Телефон») and columns of text or dates are not figures to name."""
    grid = sheet.grid
    first_for: dict[Column, int] = {col: c for c, col in sorted(named.items(), reverse=True)}
    labels = None
    for c in range(grid.width):
        if c in sheet.columns or c in hidden or not any(_is_figure(grid.value(r, c)) for r in report_rows):
            continue
        if c in named:
            sheet.twice.append((c, first_for[named[c]]))
            continue
        if labels is None:
            labels = _header_labels(grid, sheet.header_row, sheet.header_height == 2)
        label = labels[c] if c < len(labels) else ""
        norm = normalize(label)
        if _LETTER.search(norm) and norm not in _NUMBERING_LABELS and not catalog.is_personal_label(label):
            sheet.unknown.append(c)


def _is_figure(value) -> bool:
    if value.__class__ in (int, float):
        return True
    return value.__class__ is str and parse_cell_number(value).value is not None


SIDEWAYS_LABELS = 3  # rows naming a registry column, each with values in two columns or more, to look sideways


def read_sideways(grid: Grid) -> RegistrySheet | None:
    """A registry laid on its side, read as one: fields down its first column, a report a column («Показатель |
    ОО «А» | ОО «Б»»); None unless that gives two reports or more (a form's passport, label and value, gives one)."""
    if grid.width < 3 or not _looks_sideways(grid):
        return None
    turned = on_its_side(grid)
    first = turned.rows[0] if turned.rows else []
    if first and classify_label(cell_text(first[0])) is None:
        # the reports' own heads (the organisations) stand in the first row, under «Показатель» or nothing
        turned.rows[0] = [GRANTEE_HEAD, *first[1:]]
    sheet = read_sheet(turned)
    return sheet if sheet is not None and len(sheet.reports) >= 2 else None


GRANTEE_HEAD = "Грантополучатель"


def _looks_sideways(grid: Grid) -> bool:
    """Whether SIDEWAYS_LABELS rows open with a label naming a registry column and go on with two values or more
    (a form's passport has one value a label): asked of every sheet without a registry header, so cheap first."""
    named = 0
    for row in grid.rows:
        filled = [v for v in row if v != "" and v is not None]
        if len(filled) < 3 or filled[0].__class__ is not str or not _LETTER.search(filled[0]):
            continue
        if classify_label(filled[0].strip()) is not None:
            named += 1
            if named >= SIDEWAYS_LABELS:
                return True
    return False


def is_contracts_list(sheet: RegistrySheet) -> bool:
    """A sheet of awarded grants rather than of reports: a report due-date column and no column of figures
    (indicators, participants): its rows are contracts awaiting their reports (grantstats.contracts reads them)."""
    kinds = {(col.kind, col.code) for col in sheet.columns.values()}
    due = ("field", "due_date") in kinds
    figures = any(kind in ("indicator", "participants", "unclear") or code == "participants_total" for kind, code in kinds)
    return due and not figures


def read_registry(grids: list[Grid], file_label: str) -> list[Report]:
    """Every report row of every sheet that has a registry header; [] when no sheet has one."""
    reports: list[Report] = []
    for grid in grids:
        sheet = read_sheet(grid)
        if sheet is not None:
            reports.extend(sheet.reports)
    return reports


def hidden_column_note(sheet: RegistrySheet) -> tuple[str, str, dict] | None:
    """(ru, en, finding_messages term) of the hidden columns a sheet left unread, for an unread_part finding;
    None when none."""
    if not sheet.hidden_unread:
        return None
    cols = ", ".join(f"{column_letters(c)} «{label}»" for c, label in sheet.hidden_unread)
    return (f"скрытые столбцы не прочитаны: {cols}", f"hidden columns not read: {cols}",
            {"phrase": "hidden_columns", "columns": cols})


def unclear_column_note(sheet: RegistrySheet) -> dict | None:
    """The finding_messages term of the columns a sheet left unread because their header names an indicator's
    plan and fact alike («Прямые бенефициары (план/факт)»), for an unread_part finding; None when none."""
    unclear = [c for c, col in sheet.columns.items() if col.kind == "unclear"]
    if not unclear:
        return None
    labels = _header_labels(sheet.grid, sheet.header_row, sheet.header_height == 2)
    cols = ", ".join(f"{column_letters(c)} «{labels[c] if c < len(labels) else ''}»" for c in unclear)
    return {"phrase": "plan_or_fact_unclear", "columns": cols}


def twice_columns_term(sheet: RegistrySheet) -> dict | None:
    """The columns of figures left unread because an earlier column names the same, as a finding_messages term
    (the figures read are the earlier column's: which of the two is right is for a person to say); None if none."""
    if not sheet.twice:
        return None
    labels = _header_labels(sheet.grid, sheet.header_row, sheet.header_height == 2)
    cols = ", ".join(f"{column_letters(c)} «{_label(labels, c)}» ({column_letters(first)})" for c, first in sheet.twice)
    return {"phrase": "registry_columns_twice", "columns": cols}


def unknown_columns_term(sheet: RegistrySheet) -> dict | None:
    """The columns of figures whose header names nothing the catalog knows, as a finding_messages term (read by
    no report: named so that nothing is dropped without a word); None if none."""
    if not sheet.unknown:
        return None
    labels = _header_labels(sheet.grid, sheet.header_row, sheet.header_height == 2)
    shown = sheet.unknown[:ROWS_NAMED]
    cols = ", ".join(f"{column_letters(c)} «{_label(labels, c)}»" for c in shown)
    return {"phrase": "registry_columns_unknown", "columns": cols + (", …" if len(sheet.unknown) > ROWS_NAMED else "")}


def _label(labels: list[str], c: int, chars: int = 60) -> str:
    text = " ".join((labels[c] if c < len(labels) else "").split())
    return text if len(text) <= chars else text[:chars - 1] + "…"


def skipped_rows_term(sheet: RegistrySheet) -> dict | None:
    """The rows of a sheet that are no reports, by kind with their row numbers, as a finding_messages term for
    an unread_part finding: a totals row left out is named, never dropped silently. None when there are none."""
    if not sheet.skipped:
        return None
    parts = []
    for kind in ROW_KINDS:
        rows = [str(r + 1) for r, k in sheet.skipped if k == kind]
        if rows:
            shown = ", ".join(rows[:ROWS_NAMED]) + (", …" if len(rows) > ROWS_NAMED else "")
            parts.append({"phrase": kind, "rows": shown})
    return {"phrase": "rows_not_reports", "rows": {"join": parts, "sep": "; "}}


def second_table_term(sheet: RegistrySheet) -> dict | None:
    """Another table's header under this one, as a finding_messages term (its rows are not read); None if none."""
    if sheet.second_table is None:
        return None
    return {"phrase": "second_table", "row": str(sheet.second_table + 1)}


__all__ = ["read_registry", "read_sheet", "is_contracts_list", "unclear_column_note", "classify_label", "find_header", "is_numbering_row", "RegistrySheet",
           "EMPTY"]
