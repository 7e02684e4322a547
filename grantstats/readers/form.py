"""Workbooks laid out like the final-report form: passport pairs, indicator table, participant tables, activities.

A form's parts may be stacked on one sheet or spread over several sheets in any order; a workbook may also
hold several forms (see `group_parts` for how the parts are told apart). Each grid is scanned once: a cheap first pass finds the table headers (by keyword roles and, for the
participant tables, the catalog's «Количество участников проекта всего»), each table is read up to the
next header, and the rows left over are read as the passport's label/value pairs.

Matching by meaning (catalog calls) is costly on text never seen before, so only label-like cells are
matched: the first text cell of a row, header cells, table row labels. A value cell is never matched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from grantstats import catalog
from grantstats.findings import messages as finding_messages
from grantstats.model import EMPTY, Activity, IndicatorValue, Number, ParticipantValue, Report, Where
from grantstats.numbers import (
    is_instruction, is_placeholder, parse_amount_by_year, parse_cell_number, parse_number, parse_period,
    percent_to_people,
)
from grantstats.readers.fields import (
    apply_field, equal_shares, excel_percent_dimensions, finish_fields, is_shell, regions_in,
)
from grantstats.readers.fields import parse_contract as remembered_contract
from grantstats.readers.grid import Grid, cell_text
from grantstats.readers.registry import is_numbering_row
from grantstats.readers.scale import scale_of, scaled
from grantstats.realign import IndicatorRow, realign_indicator_rows
from grantstats.text import normalize

LABEL_MAX_CHARS = 160  # a passport label is shorter than this; longer text is narrative or a value
ROLE_MAX_CHARS = 80  # a table header cell is shorter than this
VALUE_ROWS_BELOW = 3  # how far below a header (or a lone label) its values may be
INDICATOR_MISSES = 4  # rows without an indicator that end the indicator table
IDENTIFYING_FIELDS = {"grantee", "title", "contract", "contract_no"}
IGNORED_FIELDS = catalog.PERSONAL_FIELDS | {"report_id"}
YEAR_IN_LABEL = re.compile(r"(?<!\d)(19[9]\d|20\d\d)(?!\d)")
HAS_LETTER = re.compile(r"[^\W\d_]")
DIMENSIONS = (("gender", catalog.match_gender), ("age", catalog.match_age), ("category", catalog.match_category))

# Table header roles by the stems of the words in a header cell (normalised text). A cell naming results or
# an effect is that («Краткосрочные достигнутые результаты»); otherwise its first word with a stem decides
# («Мероприятия в рамках задачи» is the activity column, not the task column). A cell comparing plan and fact
# («Отклонение (факт-план)», «% выполнения») plays no role in the indicator table, nor one naming both
# («План/факт») the plan's or the fact's (catalog.plan_or_fact).
# Kazakh stems are written folded as normalize() leaves them (қ->к, ө->о, і->и, ә->а…).
OVERRIDING_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (("results", ("результат", "натиже")),
                                                               ("effect", ("эффект", "асер")))
ROLE_STEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("task", ("задач", "миндет")),
    ("activity", ("мероприят", "ис шара")),
    ("plan", catalog.plan_fact_stems()["plan"]),  # «Планируемый уровень», «Запланировано», «по договору»…
    ("fact", catalog.plan_fact_stems()["fact"]),  # «Фактический уровень», «Достигнуто», «нақты»…
    ("unit", ("единиц", "ед", "изм", "олшем")),
    ("label", ("индикатор", "показател", "корсеткиш")),
    ("date", ("дата", "срок", "период", "мерзим", "куни", "кезен")),
    ("place", ("место", "орны", "орын")),
    ("participants", ("участник", "кол", "количество", "катысуш")),
)
PARTICIPANT_WORDS = ("участник", "катысуш")  # a participant-table header has one of these word stems
PERCENT_WORDS = ("процент", "доля", "пайыз")

PART_DESCRIPTIONS = {
    "passport": "passport labels (such as «Грантополучатель», «Тема гранта», «Договор», «Сумма гранта») with values",
    "indicators": "indicator table (a header row with «Индикатор», «Планируемый уровень», «Фактический уровень»)",
    "participants": "participant tables (a header row starting «Количество участников проекта всего»)",
}


# --------------------------------------------------------------------------------------------- cells


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, str) and not value.strip())


def _one_date(value: Any) -> bool:
    """A cell holding one date (a date cell, or a text that is a date and no period)."""
    if isinstance(value, (date, datetime)):
        return True
    if not isinstance(value, str):
        return False
    start, end = parse_period(value)
    return start is not None and end in (None, start)


def _looks_like_text(value: Any) -> bool:
    return isinstance(value, str) and HAS_LETTER.search(value) is not None


def _stems_pattern(roles: tuple[tuple[str, tuple[str, ...]], ...]) -> re.Pattern:
    """One regex over normalised text whose match starts at the first word beginning with a role's stem
    (a stem of three letters or fewer must be the whole word); the matching group names the role, and at
    one word the roles are tried in their order."""
    groups = []
    for role, stems in roles:
        alternatives = [f"{re.escape(s)}(?= |$)" if len(s) <= 3 else re.escape(s) for s in stems]
        groups.append(f"(?P<{role}>{'|'.join(alternatives)})")
    return re.compile(r"(?:^| )(?:" + "|".join(groups) + ")")


_OVERRIDING_PATTERNS = tuple((role, _stems_pattern(((role, stems),))) for role, stems in OVERRIDING_ROLES)
_ROLES_PATTERN = _stems_pattern(ROLE_STEMS)


@lru_cache(maxsize=16384)
def header_role(text: str) -> str | None:
    """The role a short table header cell plays (plan, fact, unit, task…), by its word stems; None if none."""
    if len(text) > ROLE_MAX_CHARS:
        return None
    norm = normalize(text)
    if not norm:
        return None
    for role, pattern in _OVERRIDING_PATTERNS:
        if pattern.search(norm):
            return role
    hit = _ROLES_PATTERN.search(norm)
    if hit is None or hit.lastgroup not in ("plan", "fact"):
        return None if hit is None else hit.lastgroup
    part, _ = catalog.plan_or_fact(norm)
    return None if part in ("comparison", "both") else hit.lastgroup


_FIELD_CACHE: dict[str, tuple[str | None, str | None]] = {}


def field_of_label(text: str) -> tuple[str | None, str | None]:
    """(field code, value written after a colon in the same cell) for a label-like text; (None, None) if no field."""
    answer = _FIELD_CACHE.get(text)
    if answer is None:
        answer = _match_field_label(text.strip())
        if len(_FIELD_CACHE) > 100_000:
            _FIELD_CACHE.clear()
        _FIELD_CACHE[text] = answer
    return answer


def _match_field_label(text: str) -> tuple[str | None, str | None]:
    if normalize(text)[:1].isdigit():
        return None, None  # «60 участников», «2 человека – координатор»: a value; no field's name starts so
    head, sep, tail = text.partition(":")
    if sep and tail.strip() and len(head) <= LABEL_MAX_CHARS and HAS_LETTER.search(head):
        code = catalog.match_field(head)  # «Грантополучатель: ОО «Нур»» pasted from the report's text
        if code:
            return code, tail.strip()
    if len(text) <= LABEL_MAX_CHARS:
        code = catalog.match_field(text)
        if code:
            return code, None
    return None, None


def _is_bare_label(value: Any, other_than: str | None, exactly: bool) -> bool:
    """Whether a cell is a passport label with no value of its own, naming a field other than `other_than`.

    Right of a label, a value may read like a label («Регион | республиканский проект» looks like «Проект»),
    so with `exactly` only a label written word for word as the catalog has it counts.
    """
    if not _looks_like_text(value):
        return False
    exact = catalog.match_field_exactly(value) if exactly else None
    if exactly and exact is None:
        return False  # a plain value (a name, a title): no fuzzy matching needed to say so
    code, inline = field_of_label(value)
    if code is None or inline is not None or code == other_than:
        return False
    return not exactly or exact == code


@lru_cache(maxsize=16384)
def is_participants_header(text: str) -> bool:
    """Whether a cell reads «Количество участников проекта всего» (cheap word check before the catalog)."""
    norm = normalize(text)
    if not any(s in norm for s in PARTICIPANT_WORDS) or len(text) > LABEL_MAX_CHARS or norm[:1].isdigit():
        return False
    return catalog.is_participants_total(text)


# a participant table's first header as a bare total word («Всего», «Итого, чел.», «Барлығы»; normalised:
# Kazakh letters as Russian ones)
BARE_TOTAL_WORDS = frozenset({"всего", "итого", "барлыгы", "жиыны", "total"})
BARE_TOTAL_TAIL = frozenset({"чел", "человек", "адам", "people", "участников", "%"})
_BARE_TOTAL_STARTS = ("всего", "итого", "барлы", "жиыны", "total")


def _bare_total_over_buckets(sheet: "_Sheet", row: int, first: tuple[int, str]) -> bool:
    """«Всего» | «Мужчин» | «Женщин»: a participant table whose first header is a bare total word (or two, in two
    languages: «Барлығы / Всего»), told by two or more cells to its right naming buckets of a participant table."""
    text = first[1]
    if len(text) > 40 or not text.lstrip().lower().startswith(_BARE_TOTAL_STARTS):  # (every row asks: cheap first)
        return False
    words = normalize(text).split()
    if not words or words[0] not in BARE_TOTAL_WORDS or not set(words[1:]) <= BARE_TOTAL_TAIL | BARE_TOTAL_WORDS:
        return False
    buckets = [c for c, v in sheet.filled[row] if c > first[0] and isinstance(v, str) and bucket_of_label(v.strip())]
    return len(buckets) >= 2


@lru_cache(maxsize=16384)
def bucket_of_label(text: str) -> tuple[tuple[str, str], ...]:
    """Every (dimension, bucket) a participant-table header cell can name."""
    if len(text) > LABEL_MAX_CHARS:
        return ()
    if not HAS_LETTER.search(text):  # «13-16»: only an age bracket can be written without letters
        code = catalog.match_age(text)
        return (("age", code),) if code else ()
    return tuple((dim, code) for dim, matcher in DIMENSIONS if (code := matcher(text)))


@lru_cache(maxsize=16384)
def indicator_of_label(text: str) -> tuple[str | None, bool]:
    """(indicator code, is the bare «в том числе из социально уязвимых категорий» sub-row)."""
    if catalog.is_vulnerable_subrow(text):
        return None, True
    return catalog.match_indicator(text), False


@lru_cache(maxsize=16384)
def _says_percent(text: str) -> bool:
    return "%" in text or any(w in normalize(text) for w in PERCENT_WORDS)


def _raw(value: Any) -> Any:
    """A cell value for the number parsers: None for a blank cell."""
    return None if _is_blank(value) else value


_number = parse_cell_number


# --------------------------------------------------------------------------------------------- sheets


class _Sheet:
    """One grid with its filled cells per row, computed once."""

    def __init__(self, grid: Grid, index: int) -> None:
        self.grid = grid
        self.index = index
        self.name = grid.name
        self.filled: list[list[tuple[int, Any]]] = [  # (a text of spaces only is no value either)
            [(c, v) for c, v in enumerate(row)
             if ((v and not v.isspace()) if v.__class__ is str else (v != "" and v is not None))]
            for row in grid.rows]
        self.merged_into: dict[tuple[int, int], tuple[int, int]] = {}
        for (r0, c0), (r1, c1) in grid.merged:
            if (r1 - r0 + 1) * (c1 - c0 + 1) > 400:
                continue
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        self.merged_into[(r, c)] = (r0, c0)

    @property
    def height(self) -> int:
        return len(self.filled)

    def value(self, row: int, col: int) -> Any:
        return self.grid.value(row, col)

    def where(self, row: int, col: int) -> Where:
        return Where(self.name, self.grid.cell(row, col))  # (a cell's name in the file, hidden rows counted)

    def text(self, row: int, col: int) -> str:
        return cell_text(self.grid.value(row, col))

    def roles(self, row: int) -> dict[str, int]:
        """Header roles of a row's short text cells: role -> first column (a header row holds no numbers)."""
        out: dict[str, int] = {}
        for c, v in self.filled[row]:
            if not isinstance(v, str):
                return {}
            role = header_role(v)
            if role and role not in out:
                out[role] = c
        return out

    def merged_over(self, row: int, first: int, second: int) -> str | None:
        """The range («D18:E18») of a merged cell that starts at this row's leftmost of two columns and covers the
        other, its value standing for both; None when they are not one cell."""
        left, right = min(first, second), max(first, second)
        if self.merged_into.get((row, right)) != (row, left):
            return None
        for (r0, c0), (r1, c1) in self.grid.merged:
            if (r0, c0) == (row, left):
                return f"{self.grid.cell(r0, c0)}:{self.grid.cell(r1, c1)}"
        return None

    def first_text(self, row: int) -> tuple[int, str] | None:
        search = HAS_LETTER.search
        for c, v in self.filled[row]:
            if isinstance(v, str) and search(v) is not None:  # (_looks_like_text, inline: every row asks)
                return c, v
        return None


@dataclass
class Anchor:
    """Where a table's header starts: kind (indicators/participants/activities), row and first column."""

    kind: str
    row: int
    col: int
    roles: dict[str, int] = field(default_factory=dict)


def find_anchors(sheet: _Sheet) -> list[Anchor]:
    """Table headers of a sheet in row order (cheap keyword roles; the catalog only for participant headers)."""
    anchors: list[Anchor] = []
    activity_rows: set[int] = set()
    for r in range(sheet.height):
        cells = sheet.filled[r]
        if not cells:
            continue
        first = sheet.first_text(r)
        if first and first[0] == cells[0][0] and (is_participants_header(first[1])
                                                  or _bare_total_over_buckets(sheet, r, first)):
            anchors.append(Anchor("participants", r, first[0]))
            continue
        if len(cells) < 2:
            continue
        roles = sheet.roles(r)
        if "task" in roles and "activity" in roles:
            if anchors and anchors[-1].kind == "activities":
                continue  # «Задача 2…» | «Мероприятие 2.1…»: a row of the activities table already open
            anchors.append(Anchor("activities", r, cells[0][0], roles))
            activity_rows.update((r, r + 1, r + 2))
            continue
        if r in activity_rows:
            continue
        if "plan" in roles and "fact" in roles:
            merged = dict(roles)
            if r > 0 and not (anchors and anchors[-1].row == r - 1):
                for role, c in sheet.roles(r - 1).items():
                    if role in ("label", "unit"):
                        merged.setdefault(role, c)
            anchors.append(Anchor("indicators", r, cells[0][0], merged))
    return anchors


# --------------------------------------------------------------------------------------------- indicators


def read_indicator_rows(sheet: _Sheet, anchor: Anchor, stop: int,
                        unknown: list[tuple[int, str, Where]] | None = None) -> tuple[list[IndicatorRow], int]:
    """The indicator table's rows under its header, up to `stop`, as they stand; and the row after the last.

    Kept: rows whose label names an indicator (a «в том числе из социально уязвимых» sub-row is named
    after the indicator row above it) and rows with values but no label of their own (the lower half of a
    merged label), so that `realign_indicator_rows` can pair shifted labels and values by their units.
    """
    roles = anchor.roles
    plan_col, fact_col = roles["plan"], roles["fact"]
    unit_col = roles.get("unit")
    label_col = roles.get("label")
    rows: list[IndicatorRow] = []
    end = anchor.row + 1
    misses = 0
    previous: str | None = None
    for r in range(anchor.row + 1, stop):
        if misses >= INDICATOR_MISSES:
            break
        if not sheet.filled[r]:
            misses += 1
            continue
        label, label_c = _row_label(sheet, r, label_col, min(plan_col, fact_col), unit_col)
        plan_raw, fact_raw = _raw(sheet.value(r, plan_col)), _raw(sheet.value(r, fact_col))
        one_cell = sheet.merged_over(r, plan_col, fact_col) if sheet.merged_into else None
        value_col = fact_col
        if one_cell:  # one value over both columns, as a person reads the sheet: the plan and the fact alike
            value_col = min(plan_col, fact_col)
            plan_raw = fact_raw = _raw(sheet.value(r, value_col))
        unit = sheet.text(r, unit_col) if unit_col is not None else ""
        code, subrow = indicator_of_label(label) if label else (None, False)
        if subrow:
            code = catalog.VULNERABLE_SUBROW_OF.get(previous or "")
        if label and code is None and not subrow:
            misses += 1
            previous = None
            if unknown is not None and (_number(plan_raw).value is not None or _number(fact_raw).value is not None):
                unknown.append((r, label, sheet.where(r, label_c)))
            continue
        if label is None and plan_raw is None and fact_raw is None and not unit:
            misses += 1
            continue
        misses = 0
        end = r + 1
        rows.append(IndicatorRow(
            label, unit or None, _number(plan_raw), _number(fact_raw), code,
            label_at=sheet.where(r, label_c) if label_c is not None else Where(sheet.name),
            unit_at=sheet.where(r, unit_col) if unit_col is not None else Where(sheet.name),
            plan_at=sheet.where(r, value_col if one_cell else plan_col), fact_at=sheet.where(r, value_col),
            one_cell=one_cell))
        if code and not subrow:
            previous = code
    if unknown is not None:
        unknown[:] = [u for u in unknown if u[0] < end]  # (rows under the table's last are not its rows)
    return rows, end


def _row_label(sheet: _Sheet, row: int, label_col: int | None, value_col: int,
               unit_col: int | None) -> tuple[str | None, int | None]:
    """The label of an indicator row and its column: the label column's text, else the first text left of the values."""
    if label_col is not None:
        text = sheet.text(row, label_col)
        return (text, label_col) if HAS_LETTER.search(text) else (None, None)
    for c, v in sheet.filled[row]:
        if c >= value_col:
            break
        if c != unit_col and _looks_like_text(v):
            return cell_text(v), c
    return None, None


SIDEWAYS_INDICATORS = 2  # indicator labels a header row must name for a table laid on its side


def read_sideways_indicators(sheet: _Sheet, covered: set[int]) -> tuple[list[IndicatorRow], int, int, int] | None:
    """The indicator table laid on its side — the indicators across a header row, a «План» row and a «Факт» row
    under it — as its rows, with the header's row and first column and the row after the table; None if none.
    Looked for only on a sheet with no indicator table: a row opening with the word plan or fact is asked first."""
    for r in range(sheet.height):
        if r in covered:
            continue
        first = sheet.first_text(r)
        if first is None or catalog.plan_or_fact(first[1]) not in (("plan", ""), ("fact", "")):
            continue
        for header in range(r - 1, max(-1, r - 1 - VALUE_ROWS_BELOW), -1):
            labels = {c: indicator_of_label(cell_text(v))[0] for c, v in sheet.filled[header]
                      if _looks_like_text(v)}
            labels = {c: code for c, code in labels.items() if code}
            if len(set(labels.values())) >= SIDEWAYS_INDICATORS and not _names_a_report(sheet, header):
                found = _sideways_rows(sheet, header, labels)
                if found is not None:
                    return found
    return None


def _names_a_report(sheet: _Sheet, row: int) -> bool:
    """A header row naming a report's grantee, title or contract: a consolidated sheet's, not an indicator table's."""
    return any(field_of_label(v)[0] in ("grantee", "title", "contract", "contract_no")
               for _, v in sheet.filled[row] if _looks_like_text(v))


def _sideways_rows(sheet: _Sheet, header: int, labels: dict[int, str]
                   ) -> tuple[list[IndicatorRow], int, int, int] | None:
    """The rows of a sideways indicator table: each labelled column's plan and fact from the rows right below the
    header that open with «План» or «Факт» (the first of each), its unit from a row opening «Единица измерения»;
    None when no such row follows the header."""
    part_rows: dict[str, int] = {}
    end = header + 1
    for r in range(header + 1, min(sheet.height, header + 1 + 2 * VALUE_ROWS_BELOW)):
        first = sheet.first_text(r)
        if first is None:
            if sheet.filled[r]:
                break
            continue
        part, rest = catalog.plan_or_fact(first[1])
        if part in ("plan", "fact") and not rest:
            part_rows.setdefault(part, r)
        elif header_role(first[1]) == "unit" and not part_rows:
            part_rows.setdefault("unit", r)
        else:
            break
        end = r + 1
    if "plan" not in part_rows and "fact" not in part_rows:
        return None
    rows = []
    plan_r, fact_r, unit_r = part_rows.get("plan"), part_rows.get("fact"), part_rows.get("unit")
    for c, code in sorted(labels.items()):
        plan = _number(_raw(sheet.value(plan_r, c))) if plan_r is not None else EMPTY
        fact = _number(_raw(sheet.value(fact_r, c))) if fact_r is not None else EMPTY
        unit = sheet.text(unit_r, c) if unit_r is not None else ""
        rows.append(IndicatorRow(cell_text(sheet.value(header, c)), unit or None, plan, fact, code,
                                 label_at=sheet.where(header, c),
                                 unit_at=sheet.where(unit_r, c) if unit_r is not None else Where(sheet.name),
                                 plan_at=sheet.where(plan_r, c) if plan_r is not None else Where(sheet.name),
                                 fact_at=sheet.where(fact_r, c) if fact_r is not None else Where(sheet.name)))
    return rows, header, min(labels), end


def indicators_from_rows(rows: list[IndicatorRow], repeated: list[Unread] | None = None
                         ) -> dict[str, IndicatorValue]:
    """Indicator values from the table's rows: the first row of each indicator; rows with nothing typed dropped.
    A later row with figures naming an indicator a row above gave (another year's, an old row left above the new
    one) goes into `repeated`, named: which one is right, or whether they add up, is for a person to say."""
    out: dict[str, IndicatorValue] = {}
    first: dict[str, IndicatorRow] = {}
    for row in rows:
        if row.code is None or (row.plan.raw is None and row.fact.raw is None):
            continue
        if row.code in out:
            if repeated is not None:
                repeated.append(_indicator_twice(row, first[row.code]))
            continue
        first[row.code] = row
        plan, fact = row.plan, row.fact
        if _in_tenge(row.code) and (scale := scale_of(row.unit) if row.unit else scale_of(row.label)) != 1.0:
            plan, fact = scaled(plan, scale), scaled(fact, scale)  # a unit «тыс. тенге»: the figures in tenge
        out[row.code] = IndicatorValue(row.code, plan, fact, row.unit, row.label, row.plan_at, row.fact_at,
                                       row.one_cell)
    return out


def _indicator_twice(row: IndicatorRow, kept: IndicatorRow) -> Unread:
    at = row.label_at if row.label_at.cell else row.plan_at
    return _phrase_unread(at, {"phrase": "indicator_twice", "label": " ".join((row.label or "").split())[:80],
                               "cell": f"{at.cell}",
                               "first": f"{(kept.label_at if kept.label_at.cell else kept.plan_at).cell}"})


@lru_cache(maxsize=64)
def _in_tenge(code: str) -> bool:
    try:
        return catalog.indicator_unit(code) == "tenge"
    except KeyError:
        return False


# --------------------------------------------------------------------------------------------- participants


@dataclass
class ParticipantTable:
    """One participant table: its dimension, total (as typed) and bucket values as typed."""

    dimension: str
    total: Number
    total_at: Where
    values: list[tuple[str, Number, Where, bool]]  # bucket, number, cell, column says percent
    anchor: Where
    read_nothing: bool = False  # cells stand under the header, but not one of them is a figure (unread_part)

    @property
    def usable_total(self) -> float | None:
        return None if self.total.value is None or self.total.percent else self.total.value


def read_participant_table(sheet: _Sheet, anchor: Anchor, stop: int, twice: list[int] | None = None,
                           strange: list[int] | None = None) -> tuple[ParticipantTable | None, int]:
    """A participant table under its header row (or, when the buckets are listed down a column, beside them).
    `twice` gets the columns naming a bucket again, `strange` those naming none the catalog knows (other age
    brackets: «до 18 лет», «18-29 лет»), each with a figure under it."""
    r, c0 = anchor.row, anchor.col
    header: dict[int, tuple[tuple[str, str], ...]] = {}
    for c, v in sheet.filled[r]:
        if c > c0 and isinstance(v, str):
            header[c] = bucket_of_label(v.strip())
    dimension = _dominant_dimension(header.values())
    if dimension is None:
        table, end = _read_vertical_table(sheet, anchor, stop)
        if table is None and strange is not None:
            strange.extend(_columns_with_figures(sheet, r, list(header), stop))
        return table, end
    columns: dict[int, tuple[str, bool]] = {}
    for c, options in header.items():
        if dimension in dict(options):
            bucket = dict(options)[dimension]
            if any(b == bucket for b, _ in columns.values()):  # the bucket again: another year, or a form beside it
                if twice is not None:
                    twice.append(c)
                continue
            columns[c] = (bucket, _says_percent(cell_text(sheet.value(r, c))))
    total_percent = _says_percent(cell_text(sheet.value(r, c0)))
    wanted = {c0, *columns}
    value_row = words_row = None
    for rr in range(r + 1, min(stop, r + 1 + VALUE_ROWS_BELOW)):
        under = [v for c, v in sheet.filled[rr] if c in wanted]
        if not under or is_numbering_row([sheet.value(rr, c) for c in sorted(wanted)]):
            continue  # (1, 2, 3 … numbering the columns: never its figures)
        if _header_goes_on(under):  # a header's wrapped line («проекта всего»), or words in place of figures
            words_row = rr if words_row is None else words_row
            continue
        value_row = rr
        break
    if value_row is None:
        below = r + 1 if words_row is None else words_row
        return (ParticipantTable(dimension, EMPTY, sheet.where(below, c0), [], sheet.where(r, c0), words_row is not None),
                below + 1)
    total = _number(_raw(sheet.value(value_row, c0)))
    if total_percent and total.value is not None:
        total = Number(total.value, total.qualifier, total.raw, percent=True)
    in_percent = total.percent and total.value == 100  # a total of «100%»: every part is a share of the whole
    values = []
    for c, (bucket, pct) in columns.items():
        at_c = c if sheet.value(value_row, c) not in ("", None) else _stray_value_column(sheet, value_row, c, wanted)
        number = _number(_raw(sheet.value(value_row, at_c)))
        if number.raw is not None:
            values.append((bucket, number, sheet.where(value_row, at_c), pct or in_percent))
    if strange is not None:
        strange.extend(c for c, options in header.items() if not options and c not in columns
                       and not _is_bare_total_label(cell_text(sheet.value(r, c)))
                       and _number(_raw(sheet.value(value_row, c))).value is not None)
    nothing = total.value is None and not any(n.value is not None for _, n, _, _ in values)
    return (ParticipantTable(dimension, total, sheet.where(value_row, c0), values, sheet.where(r, c0), nothing),
            value_row + 1)


def _columns_with_figures(sheet: _Sheet, row: int, columns: list[int], stop: int) -> list[int]:
    """The columns among these with a figure in the first row below `row` holding figures in two of them."""
    for rr in range(row + 1, min(stop, row + 1 + VALUE_ROWS_BELOW)):
        with_figures = [c for c in columns if _number(_raw(sheet.value(rr, c))).value is not None]
        if len(with_figures) >= 2:
            return with_figures
    return []


def _is_bare_total_label(text: str) -> bool:
    """A total's header («Всего», «Количество участников проекта всего»: a second table's, beside the first)."""
    words = normalize(text).split()
    return bool(words) and (words[0] in BARE_TOTAL_WORDS or is_participants_header(text))


def _header_goes_on(cells: list[Any]) -> bool:
    """Cells under a header that may be its wrapped line (words, no digit, no placeholder such as «нет»), as a PDF's
    narrow column breaks «Количество участников проекта всего» over two lines; the figures are looked for below."""
    return all(isinstance(v, str) and HAS_LETTER.search(v) and not any(ch.isdigit() for ch in v)
               and not is_placeholder(v) for v in cells)


def _stray_value_column(sheet: _Sheet, row: int, col: int, wanted: set[int]) -> int:
    """The column of a bucket's value that stands right of its header, in a column no header names, before the
    next header's column (a PDF's text placed a little off its column, a value typed beside a merged header);
    `col` itself when there is no such one value."""
    next_wanted = min((c for c in wanted if c > col), default=None)
    beside = [c for c, _ in sheet.filled[row] if c > col and (next_wanted is None or c < next_wanted)
              and c not in wanted]
    return beside[0] if len(beside) == 1 else col


def _dominant_dimension(options: Any) -> str | None:
    counts: dict[str, int] = {}
    for opts in options:
        for dim, _ in opts:
            counts[dim] = counts.get(dim, 0) + 1
    if not counts:
        return None
    order = [d for d, _ in DIMENSIONS]
    return max(counts, key=lambda d: (counts[d], -order.index(d)))


def _next_value_right(sheet: _Sheet, row: int, col: int) -> tuple[int, Any] | None:
    for c, v in sheet.filled[row]:
        if c > col:
            return c, v
    return None


def _read_vertical_table(sheet: _Sheet, anchor: Anchor, stop: int) -> tuple[ParticipantTable | None, int]:
    """Total label with its value to the right, the bucket labels below it in the same column."""
    r, c0 = anchor.row, anchor.col
    right = _next_value_right(sheet, r, c0)
    total = _number(_raw(right[1])) if right else EMPTY
    total_at = sheet.where(r, right[0]) if right else sheet.where(r, c0 + 1)
    values: list[tuple[str, Number, Where, bool]] = []
    dimension = None
    end = r + 1
    for rr in range(r + 1, stop):
        label = sheet.text(rr, c0)
        if not label:
            if sheet.filled[rr]:
                break
            continue
        options = dict(bucket_of_label(label))
        if dimension is None and options:
            dimension = _dominant_dimension([tuple(options.items())])
        if dimension not in options:
            break
        cell = _next_value_right(sheet, rr, c0)
        number = _number(_raw(cell[1])) if cell else EMPTY
        at = sheet.where(rr, cell[0]) if cell else sheet.where(rr, c0 + 1)
        values.append((options[dimension], number, at, _says_percent(label)))
        end = rr + 1
    if dimension is None:
        return None, r + 1
    return ParticipantTable(dimension, total, total_at, values, sheet.where(r, c0)), end


def participants_from_tables(tables: dict[str, ParticipantTable], fallback: Number | None = None,
                             ) -> tuple[list[ParticipantValue], dict[str, Number], dict[str, Where]]:
    """People per bucket; percent turned into people against the table's total (halves up), marked derived.

    A table whose total is blank takes the total of the other tables when they agree (else `fallback`, the
    passport's total, if any). Returns the values, the total each table was read against, and its cell.
    """
    stated = {dim: t.usable_total for dim, t in tables.items() if t.usable_total is not None}
    totals: dict[str, Number] = {}
    total_at: dict[str, Where] = {}
    for dim, table in tables.items():
        if table.usable_total is not None:
            totals[dim], total_at[dim] = table.total, table.total_at
            continue
        others = {v for d, v in stated.items() if d != dim}
        if len(others) == 1:
            donor = next(d for d in stated if d != dim)
            totals[dim], total_at[dim] = tables[donor].total, tables[donor].total_at
        elif not others and fallback is not None:
            totals[dim] = fallback
    values: list[ParticipantValue] = []
    excel_percents = excel_percent_dimensions(
        {dim: [n for _, n, _, _ in table.values if n.value is not None] for dim, table in tables.items()})
    for dim, table in tables.items():
        total = totals[dim].value if dim in totals else None
        fractions = dim in excel_percents
        for bucket, number, at, column_percent in table.values:
            if number.value is None:
                continue
            if number.percent or column_percent or fractions:
                percent = number.value * 100 if fractions else number.value
                people = percent_to_people(percent, total) if total is not None else None
                values.append(ParticipantValue(dim, bucket, people, percent=percent, derived=True,
                                               raw=number.raw, at=at))
            else:
                values.append(ParticipantValue(dim, bucket, number.value, raw=number.raw, at=at))
    return values, totals, total_at


# --------------------------------------------------------------------------------------------- activities

ACTIVITY_ROLES = ("task", "activity", "date", "place", "participants", "plan", "fact")


def read_activities(sheet: _Sheet, anchor: Anchor, stop: int) -> tuple[list[Activity], int]:
    """Activity rows under the activities header (task carried down; a cell's lines kept as typed)."""
    roles = {k: v for k, v in anchor.roles.items() if k in ACTIVITY_ROLES}
    start = anchor.row + 1
    for rr in (anchor.row + 1, anchor.row + 2):
        if rr >= stop:
            break
        sub = sheet.roles(rr)
        if "plan" in sub or "fact" in sub:
            roles.update({k: sub[k] for k in ("plan", "fact") if k in sub})
            start = rr + 1
            break
        if sheet.filled[rr]:
            break
    task_col, activity_col = roles["task"], roles["activity"]
    role_cols = set(roles.values())
    activities: list[Activity] = []
    task: str | None = None
    end = start
    for r in range(start, stop):
        cells = [(c, v) for c, v in sheet.filled[r] if c in role_cols]
        if not sheet.filled[r]:
            continue
        if not cells:
            break
        texts = {role: sheet.text(r, c) for role, c in roles.items()}
        if texts["task"]:
            task = texts["task"]
        if texts["activity"]:
            activities.append(Activity(
                task=task, activity=texts["activity"], date_text=texts.get("date") or None,
                place=texts.get("place") or None, participants_text=texts.get("participants") or None,
                plan_text=texts.get("plan") or None, fact_text=texts.get("fact") or None))
        elif not texts["task"] or len(cells) > 1:
            if len(cells) == 1 and cells[0][0] not in (task_col, activity_col):
                break
        elif not normalize(texts["task"]).startswith("задач"):
            task = None
            break
        end = r + 1
    return activities, end


# --------------------------------------------------------------------------------------------- passport


@dataclass
class FieldValue:
    """A passport field found: its value as typed, the cell of the value, the label text and its cell."""

    code: str
    raw: Any
    at: Where
    label: str
    label_at: tuple[int, int]


class _Passport:
    """Passport fields found so far over the workbook's sheets (the first value of each field wins)."""

    def __init__(self) -> None:
        self.found: dict[str, FieldValue] = {}
        self.amounts: dict[int, FieldValue] = {}  # «Сумма гранта на 2023 год»-style labels

    def read(self, sheet: _Sheet, rows: list[int]) -> tuple[int, int] | None:
        """Read the label/value pairs of these rows; the cell of the first label recorded, if any."""
        self.sheet, self.rows, self.consumed = sheet, set(rows), set()
        self.first: tuple[int, int] | None = None
        for r in rows:
            self._read_row(r)
        return self.first

    def _read_row(self, r: int) -> None:
        sheet = self.sheet
        consumed = self.consumed
        cells = [(c, v) for c, v in sheet.filled[r] if (r, c) not in consumed] if consumed else sheet.filled[r]
        i0 = next((i for i, (_, v) in enumerate(cells) if _looks_like_text(v)), None)
        if i0 is None:
            return
        code, inline = field_of_label(cells[i0][1])
        if code is None:
            return  # the row's first text is not a label: a title, a note or narrative
        if i0 + 1 < len(cells):
            texts = [(c, v) for c, v in cells if _looks_like_text(v)]
            if _is_bare_label(cells[i0 + 1][1], other_than=code, exactly=len(texts) < 3):
                for c, v in texts:  # labels form a header row: each value is below its label
                    code, inline = field_of_label(v)
                    if code is None:
                        continue
                    below = self._below(r, c, code, same_column=True)
                    if below:
                        self._record(code, below[0], below[1], v, (r, c))
                return
        j = i0
        while j < len(cells):
            c, v = cells[j]
            code, inline = field_of_label(v) if _looks_like_text(v) else (None, None)
            if code is None:
                return
            if j + 1 < len(cells):
                vc, value = cells[j + 1]
                if code == "period" and j + 2 < len(cells) and _one_date(value) and _one_date(cells[j + 2][1]):
                    ec, end = cells[j + 2]  # the period as two cells, its start and its end
                    self.consumed.update({(r, vc), (r, ec)})
                    self._record("period_start", value, sheet.where(r, vc), v, (r, c))
                    self._record("period_end", end, sheet.where(r, ec), v, (r, c))
                    j += 3
                    continue
                self.consumed.add((r, vc))
                self._record(code, value, sheet.where(r, vc), v, (r, c))
                j += 2
                continue
            if inline is not None:
                self._record(code, inline, sheet.where(r, c), v, (r, c))
            elif len(cells) == 1 and code == "grant_amount":
                below = self._below(r, c, code, same_column=False)  # «- на 2023 год - …» on the rows below
                if below:
                    self._record(code, below[0], below[1], v, (r, c))
            return

    def _below(self, r: int, c: int, code: str, same_column: bool) -> tuple[Any, Where] | None:
        """The value under a label: the first filled cell at or right of its column in the next rows."""
        sheet = self.sheet
        for rr in range(r + 1, min(sheet.height, r + 1 + VALUE_ROWS_BELOW)):
            if rr not in self.rows:
                return None
            below = [(cc, v) for cc, v in sheet.filled[rr] if cc >= c and (rr, cc) not in self.consumed]
            if not below:
                if sheet.filled[rr]:
                    return None
                continue
            cc, v = below[0]
            if same_column and cc != c:
                return None
            if not same_column and not (isinstance(v, str) and parse_amount_by_year(v)):
                return None  # under a lone label only per-year amount lines are its value
            self.consumed.add((rr, cc))
            return v, sheet.where(rr, cc)
        return None

    def _record(self, code: str, raw: Any, at: Where, label: str, label_at: tuple[int, int]) -> None:
        if code in IGNORED_FIELDS or _is_blank(raw) or is_instruction(raw):
            return  # (an instruction beside a label, «указать полностью», is no value: it must not win as the first)
        if code == "grant_amount":
            per_year = isinstance(raw, str) and bool(parse_amount_by_year(raw))
            year = YEAR_IN_LABEL.search(label)
            if year and not per_year:
                self.amounts.setdefault(int(year.group(1)), FieldValue(code, raw, at, label, label_at))
                self._first(label_at)
                return
            if per_year and code not in self.found:
                raw = self._year_lines(raw, at)
        if code not in self.found:
            self.found[code] = FieldValue(code, raw, at, label, label_at)
            self._first(label_at)

    def _first(self, label_at: tuple[int, int]) -> None:
        if self.first is None or label_at < self.first:
            self.first = label_at

    def _year_lines(self, raw: str, at: Where) -> str:
        """A per-year amount continued on the rows below it (one year a row, same column): joined by lines."""
        sheet = self.sheet
        r, c = sheet.grid.position(*_cell_key(at.cell))
        lines = [raw]
        for rr in range(r + 1, sheet.height):
            cells = [(cc, v) for cc, v in sheet.filled[rr] if (rr, cc) not in self.consumed]
            if rr not in self.rows or not cells or cells[0][0] != c:
                break
            value = cells[0][1]
            if not (isinstance(value, str) and parse_amount_by_year(value)):
                break
            self.consumed.add((rr, c))
            lines.append(value)
        return "\n".join(lines)


def apply_fields(report: Report, found: dict[str, FieldValue], amounts: dict[int, FieldValue]) -> None:
    """Set the report's passport fields from the values found, parsing each as its field needs."""
    for code, fv in found.items():
        apply_field(report, code, fv.raw, fv.at)
    if "grant_amount" in found and (scale := scale_of(found["grant_amount"].label)) != 1.0:
        report.grant_amount = scaled(report.grant_amount, scale)  # «Сумма гранта (тыс. тенге)»: 4 000 is 4 000 000
        report.amount_by_year = {year: v * scale for year, v in report.amount_by_year.items()}
    if amounts and not report.amount_by_year:
        for year, fv in sorted(amounts.items()):
            number = parse_number(fv.raw)
            if number.value is not None:
                report.amount_by_year[year] = number.value
                report.field_at.setdefault(f"grant_amount_{year}", fv.at)
        if report.amount_by_year and report.grant_amount.empty:
            report.grant_amount = Number(sum(report.amount_by_year.values()))
    if not report.regions:
        for code in ("title", "grantee"):
            text = found[code].raw if code in found else None
            codes = regions_in(text) if isinstance(text, str) else ()
            if codes:
                report.regions = equal_shares(codes)
                report.field_at.setdefault("region", found[code].at)
                break


# --------------------------------------------------------------------------------------------- parts
#
# A workbook may hold one form over several sheets (passport on one, tables on others: the sample generator
# writes such), one form per sheet (sheets «АСЕР» and «Корган-М»), or forms one under another on one sheet.
# Each sheet is read into parts, a part being a sheet or the block of a sheet that one form takes; then the
# parts are put together into reports by their content:
#
# * a part with its own identifying passport (grantee, title or contract, beside another field or a table)
#   is a form of its own: an anchor. Identifying fields are what tells two reports apart, so a second
#   grantee or title after a table, on the same sheet, starts another block; and two anchors that agree on
#   their grantee, title or contract and differ on none (a title page, a passport repeated beside the
#   tables) are one report;
# * with one anchor or none, every part belongs to the one report (the passport on one sheet, its tables on
#   others, in any order: what one form spread over a workbook looks like);
# * with several anchors, a part without a passport joins the nearest anchor before it (else after it) that
#   lacks every table the part holds: a form's parts follow its passport, and a report never holds two
#   tables of one kind. A part that fits no anchor is not guessed at: it is left unread and said so.
#
# A table found where its report already has one of that kind is left unread and said so too.

GROUPS_OF_IDENTITY = {"grantee": "grantee", "title": "title", "contract": "contract", "contract_no": "contract"}
PART_NAMES = {"indicators": ("таблица индикаторов", "the indicator table"),
              "activities": ("таблица мероприятий", "the activities table"),
              "participants:gender": ("таблица участников по полу", "the participant table by gender"),
              "participants:age": ("таблица участников по возрасту", "the participant table by age"),
              "participants:category": ("таблица участников по категориям", "the participant table by category"),
              "passport": ("паспорт", "the passport")}


@dataclass
class Unread:
    """A part of a workbook that holds figures beside labels the catalog knows but yields no report."""

    sheet: str
    cell: str | None
    text_ru: str
    text_en: str
    why: dict | None = None  # the same as a finding_messages term


@dataclass
class Part:
    """What one sheet, or one block of a sheet, holds of a form."""

    sheet_index: int
    sheet: str
    row: int
    found: dict[str, FieldValue] = field(default_factory=dict)
    amounts: dict[int, FieldValue] = field(default_factory=dict)
    tables: dict[str, tuple[Any, Where]] = field(default_factory=dict)  # kind -> (table, its first cell)
    starts: list[tuple[int, int, int, Where]] = field(default_factory=list)
    spare: list[Unread] = field(default_factory=list)  # a second table of a kind within this part

    @property
    def order(self) -> tuple[int, int]:
        return self.sheet_index, self.row

    @property
    def anchor(self) -> bool:
        """Whether this part is a form of its own: an identifying field beside a field only a passport gives (its
        period, amount, region…). A grantee or title with nothing else is no report of its own: a table's header
        read as labels gives such (a partners table's «Наименование организации», «Роль в проекте»; the pieces of
        a table a PDF lost the columns of)."""
        return bool(IDENTIFYING_FIELDS & self.found.keys()) and bool(
            self.found.keys() - IDENTIFYING_FIELDS or self.amounts)

    @property
    def has_passport(self) -> bool:
        return bool(IDENTIFYING_FIELDS & self.found.keys()) and len(self.found) + len(self.amounts) >= 2

    def add_table(self, kind: str, table: Any, at: Where) -> None:
        unread = _add_table(self.tables, kind, table, at)
        if unread is not None:
            self.spare.append(unread)

    def describe(self) -> tuple[str, str]:
        kinds = self.kinds()
        return (", ".join(PART_NAMES[k][0] for k in kinds), ", ".join(PART_NAMES[k][1] for k in kinds))

    def kinds(self) -> list[str]:
        return list(self.tables) + (["passport"] if self.found or self.amounts else [])


def _add_table(tables: dict[str, tuple[Any, Where]], kind: str, table: Any, at: Where) -> Unread | None:
    """Take a table into `tables` (kind -> table and its cell): the first of its kind, or the rest of that one
    (_continued) joined to it; a second table of a kind is not taken, and the note naming it is returned."""
    if kind not in tables:
        tables[kind] = (table, at)
        return None
    first, first_at = tables[kind]
    joined = _continued(kind, first, table)
    if joined is None:
        return _second_table(kind, at, first_at)
    tables[kind] = (joined, first_at)
    return None


def _continued(kind: str, first: Any, second: Any) -> Any | None:
    """An indicator table split in two (a page break, the header repeated over the rest): the second names only
    indicators the first does not, so it is the first's continuation; its rows joined after the first's. None:
    not a continuation (a second table of a kind is not guessed at)."""
    if kind != "indicators":
        return None
    codes = {row.code for row in first if row.code}
    more = {row.code for row in second if row.code}
    return first + second if more and not codes & more else None


def _extra_figure_columns(sheet: _Sheet, anchor: Anchor, end: int) -> list[int]:
    """Plan or fact columns of an indicator table's header past the pair it is read by (another year's, or a form
    standing beside this one) that hold figures in its rows: named, not dropped without a word."""
    chosen = {anchor.roles.get("plan"), anchor.roles.get("fact")}
    extra = [c for c, v in sheet.filled[anchor.row]
             if c not in chosen and isinstance(v, str) and header_role(v) in ("plan", "fact")]
    return [c for c in extra if any(_number(_raw(sheet.value(r, c))).value is not None
                                    for r in range(anchor.row + 1, end))]


def _columns_twice(kind: str, sheet: _Sheet, header_row: int, columns: list[int]) -> Unread:
    """Columns of a table the reader already has (a plan/fact pair, a bucket) left unread, named by letter."""
    return _phrase_unread(sheet.where(header_row, columns[0]), {
        "phrase": "columns_twice", "part": {"phrase": f"part_{kind}"}, "columns": _column_names(sheet, header_row,
                                                                                              columns[:6])})


def _column_names(sheet: _Sheet, header_row: int, columns: list[int]) -> str:
    """Columns named for a finding by their header cell and its text: «D8 «Фактический уровень (старый)»»."""
    return ", ".join(f"{sheet.where(header_row, c).cell} «{sheet.text(header_row, c)[:30]}»" for c in columns)


def _unknown_indicator(label: str, at: Where) -> Unread:
    """A row of the indicator table with figures whose label names no indicator the catalog knows."""
    return _phrase_unread(at, {"phrase": "indicator_unknown", "label": " ".join(label.split())[:80],
                               "cell": f"{at.cell}"})


def _second_table(kind: str, at: Where, first: Where) -> Unread:
    where = f"{first.sheet}, {first.cell}" if first.cell else f"{first.sheet}"
    return _phrase_unread(at, {"phrase": "part_twice", "part": {"phrase": f"part_{kind}"}, "cell": f"{at.cell}",
                               "where": where})


def _phrase_unread(at: Where, why: dict) -> Unread:
    """An unread part whose reason is a phrase of findings.messages: its wording kept there once, in every
    language."""
    return Unread(at.sheet or "", at.cell, finding_messages.term_text(why, "ru"), finding_messages.term_text(why, "en"),
                  why)


def _label_code(sheet: _Sheet, r: int) -> str | None:
    first = sheet.first_text(r)
    return field_of_label(first[1])[0] if first else None


def _block_starts(sheet: _Sheet, passport_rows: list[int], table_rows: list[int]) -> list[int]:
    """Rows where a form starts on a sheet holding several one under another: where an identifying field
    (grantee, title, contract) comes again after a table, the new form taking the labels from the first one
    after that table."""
    if not table_rows:
        return [0]
    first_table = min(table_rows)
    later = [(r, code) for r in passport_rows if r > first_table
             and (code := _label_code(sheet, r)) is not None]
    if not any(code in GROUPS_OF_IDENTITY for _, code in later):
        return [0]  # no grantee, title or contract after a table: one form (the usual sheet)
    starts = [0]
    seen = {GROUPS_OF_IDENTITY.get(code, code) for r in passport_rows if r < first_table
            and (code := _label_code(sheet, r)) is not None}
    events = sorted([(r, "table", None) for r in table_rows] + [(r, "label", code) for r, code in later])
    had_table = False
    labels_since_table: list[tuple[int, str]] = []
    for r, kind, code in events:
        if kind == "table":
            had_table = r >= first_table
            labels_since_table = []
            continue
        labels_since_table.append((r, code))
        group = GROUPS_OF_IDENTITY.get(code)
        if had_table and group is not None and group in seen:
            starts.append(labels_since_table[0][0])
            seen = {GROUPS_OF_IDENTITY.get(c, c) for _, c in labels_since_table}
            had_table = False
            continue
        seen.add(group or code)
    return starts


def sheet_parts(grid: Grid, index: int) -> list[Part]:
    """The parts of a form one sheet holds (one a block), in row order; [] when it holds none."""
    sheet = _Sheet(grid, index)
    anchors = find_anchors(sheet)
    tables: list[tuple[int, str, Any, Where, tuple[int, int, int, Where] | None]] = []
    unknown_rows: list[tuple[int, Unread]] = []
    covered: set[int] = set()
    for k, anchor in enumerate(anchors):
        stop = anchors[k + 1].row if k + 1 < len(anchors) else sheet.height
        end = anchor.row + 1
        if anchor.kind == "indicators":
            unknown: list[tuple[int, str, Where]] = []
            rows, end = read_indicator_rows(sheet, anchor, stop, unknown)
            if any(row.code for row in rows):
                at = sheet.where(anchor.row, anchor.col)
                tables.append((anchor.row, "indicators", rows, at, (index, anchor.row, anchor.col, at)))
                unknown_rows.extend((r, _unknown_indicator(label, where)) for r, label, where in unknown)
                extra = _extra_figure_columns(sheet, anchor, end)
                if extra:
                    unknown_rows.append((anchor.row, _columns_twice("indicators", sheet, anchor.row, extra)))
        elif anchor.kind == "participants":
            twice: list[int] = []
            strange: list[int] = []
            table, end = read_participant_table(sheet, anchor, stop, twice, strange)
            if strange:
                unknown_rows.append((anchor.row, _phrase_unread(sheet.where(anchor.row, strange[0]), {
                    "phrase": "participant_columns_unknown", "cell": f"{sheet.where(anchor.row, anchor.col).cell}",
                    "columns": _column_names(sheet, anchor.row, strange[:8])})))
            if table is not None and twice:
                unknown_rows.append((anchor.row, _columns_twice(f"participants:{table.dimension}", sheet, anchor.row,
                                                                twice)))
            if table is not None and table.read_nothing:
                unknown_rows.append((anchor.row, _phrase_unread(table.total_at, {
                    "phrase": "participants_unread", "part": {"phrase": f"part_participants:{table.dimension}"},
                    "cell": f"{table.anchor.cell}"})))
            if table is not None:
                tables.append((anchor.row, f"participants:{table.dimension}", table, table.anchor,
                               (index, anchor.row, anchor.col, table.anchor)))
        elif anchor.kind == "activities":
            acts, end = read_activities(sheet, anchor, stop)
            if acts:
                tables.append((anchor.row, "activities", acts, sheet.where(anchor.row, anchor.col), None))
        covered.update(range(anchor.row, end))
    if not any(kind == "indicators" for _, kind, _, _, _ in tables):
        sideways = read_sideways_indicators(sheet, covered)
        if sideways is not None:
            rows, header_row, col, end = sideways
            at = sheet.where(header_row, col)
            tables.append((header_row, "indicators", rows, at, (index, header_row, col, at)))
            covered.update(range(header_row, end))
    passport_rows = [r for r in range(sheet.height) if r not in covered and sheet.filled[r]]
    starts = _block_starts(sheet, passport_rows, [t[0] for t in tables])
    bounds = list(zip(starts, starts[1:] + [sheet.height]))
    parts = []
    for b0, b1 in bounds:
        part = Part(index, grid.name, b0)
        for row, kind, table, at, start in tables:
            if b0 <= row < b1:
                if kind not in part.tables and start is not None:
                    part.starts.append(start)
                part.add_table(kind, table, at)
        part.spare.extend(unread for row, unread in unknown_rows if b0 <= row < b1)
        passport = _Passport()
        rows = passport_rows if len(bounds) == 1 else [r for r in passport_rows if b0 <= r < b1]
        first_label = passport.read(sheet, rows)
        part.found, part.amounts = passport.found, passport.amounts
        if first_label is not None:
            part.starts.append((index, *first_label, sheet.where(*first_label)))
        if part.found or part.amounts or part.tables:
            parts.append(part)
    return parts


def _identity(part: Part) -> dict[str, str]:
    """What tells a part's report from another: its grantee, title and contract number, normalised."""
    out = {}
    for code, fv in part.found.items():
        group = GROUPS_OF_IDENTITY.get(code)
        if group is None or fv.raw is None:
            continue
        value = remembered_contract(fv.raw)[0] if group == "contract" else fv.raw
        if value:
            out.setdefault(group, normalize(value))
    return out


def _same_report(first: dict[str, str], second: dict[str, str]) -> bool:
    """Two passports of one report: they agree on a grantee, title or contract and differ on none (a title
    page repeating the form's grantee and title is no second report)."""
    shared = first.keys() & second.keys()
    return bool(shared) and all(first[k] == second[k] for k in shared)


def group_parts(parts: list[Part]) -> tuple[list[list[Part]], list[Part]]:
    """The parts of each report (see the comment above), and the parts that fit none."""
    anchors: list[Part] = []
    groups: dict[int, list[Part]] = {}
    kinds: dict[int, set[str]] = {}
    identities: dict[int, dict[str, str]] = {}
    for part in parts:
        if not part.anchor:
            continue
        identity = _identity(part) if anchors else {}  # (the first anchor's is asked for only by a second)
        if anchors and not identities[id(anchors[0])]:
            identities[id(anchors[0])] = _identity(anchors[0])
        home = next((a for a in anchors if _same_report(identities[id(a)], identity)
                     and not kinds[id(a)] & set(part.tables)), None)
        if home is None:
            anchors.append(part)
            groups[id(part)], kinds[id(part)], identities[id(part)] = [part], set(part.tables), identity
        else:
            groups[id(home)].append(part)
            kinds[id(home)] |= set(part.tables)
            identities[id(home)] = {**identity, **identities[id(home)]}
    if len(anchors) <= 1:
        return ([parts] if parts else []), []
    unjoined: list[Part] = []
    grouped = {id(p) for members in groups.values() for p in members}
    for part in parts:
        if id(part) in grouped:
            continue
        wanted = set(part.tables) or {"passport"}
        before = [a for a in anchors if a.order < part.order]
        after = [a for a in anchors if a.order > part.order]
        fits = [a for a in list(reversed(before)) + after if not (kinds[id(a)] & wanted)]
        if not fits:
            unjoined.append(part)
            continue
        home = fits[0]
        groups[id(home)].append(part)
        kinds[id(home)] |= wanted
    return [sorted(groups[id(a)], key=lambda p: p.order) for a in anchors], unjoined


def report_of(parts: list[Part]) -> tuple[Report, list[Unread]]:
    """One report from its parts (the first of each passport field and of each table, in sheet order), and
    the tables it could not take (a second one of a kind)."""
    found: dict[str, FieldValue] = {}
    amounts: dict[int, FieldValue] = {}
    tables: dict[str, tuple[Any, Where]] = {}
    spare: list[Unread] = []
    starts: list[tuple[int, int, int, Where]] = []
    for part in parts:
        for code, value in part.found.items():
            found.setdefault(code, value)
        for year, value in part.amounts.items():
            amounts.setdefault(year, value)
        for kind, (table, at) in part.tables.items():
            unread = _add_table(tables, kind, table, at)
            if unread is not None:
                spare.append(unread)
        spare.extend(part.spare)
        starts.extend(part.starts)
    report = Report()
    apply_fields(report, found, amounts)
    indicator_rows = tables["indicators"][0] if "indicators" in tables else None
    if indicator_rows:
        indicator_rows, realigned = realign_indicator_rows(indicator_rows)
        if realigned is not None:
            report.findings.append(realigned)
        report.indicators = indicators_from_rows(indicator_rows, spare)
    participant_tables = {kind.split(":", 1)[1]: table for kind, (table, _) in tables.items()
                          if kind.startswith("participants:")}
    if participant_tables:
        fallback = report.participants_total if report.participants_total.value is not None else None
        report.participants, totals, total_at = participants_from_tables(participant_tables, fallback)
        report.table_totals = {dim: (t.total, t.total_at) for dim, t in participant_tables.items()
                               if t.usable_total is not None}
        if "participants_total" not in found:
            for dim in ("gender", "category", "age"):
                if dim in totals:
                    report.participants_total = totals[dim]
                    report.field_at["participants_total"] = total_at[dim]
                    break
    report.activities = tables["activities"][0] if "activities" in tables else []
    finish_fields(report)
    if starts:
        report.source = min(starts, key=lambda s: s[:3])[3]
    return report, spare


def _missing(parts: list[Part]) -> str:
    have = {"passport": any(p.has_passport for p in parts),
            "indicators": any("indicators" in p.tables for p in parts),
            "participants": any(k.startswith("participants:") for p in parts for k in p.tables)}
    return "; ".join(f"no {PART_DESCRIPTIONS[k]}" for k, ok in have.items() if not ok)


@dataclass
class FormReading:
    """A workbook read as forms: the reports, the sheets each drew on, what was left unread, what is missing."""

    reports: list[Report]
    report_sheets: list[list[str]]
    unread: list[Unread]
    shells: list[Part]  # blocks that name no organisation and hold no figure: not reports
    missing: str
    parts: list[Part]


def read_forms(grids: list[Grid]) -> FormReading:
    """Every report the workbook holds as forms."""
    parts: list[Part] = []
    for index, grid in enumerate(grids):
        if grid.rows:
            parts.extend(sheet_parts(grid, index))
    return forms_from_parts(parts)


def forms_from_parts(parts: list[Part]) -> FormReading:
    """The reports these parts make (see the comment above `GROUPS_OF_IDENTITY`)."""
    groups, unjoined = group_parts(parts)
    reports, sheets, unread, shells = [], [], [], []
    for group in groups:
        report, spare = report_of(group)
        if is_shell(report) or not (any(p.has_passport for p in group) or report.indicators or report.participants):
            shells.extend(group)  # no organisation and no figure, or one stray label: not a form
            continue
        reports.append(report)
        sheets.append(list(dict.fromkeys(p.sheet for p in group)))
        unread.extend(spare)
    for part in unjoined:
        what_ru, what_en = part.describe()
        cell = part.starts[0][3].cell if part.starts else None
        unread.append(Unread(part.sheet, cell, f"не прочитано ({what_ru}): не ясно, к какому отчёту книги это относится",
                             f"not read ({what_en}): it cannot be told which report of the workbook it belongs to",
                             {"phrase": "part_of_no_report",
                              "part": {"join": [{"phrase": f"part_{k}"} for k in part.kinds()], "sep": ", "}}))
    return FormReading(reports, sheets, unread, shells, _missing(parts), parts)


def read_form(grids: list[Grid], file_label: str) -> tuple[list[Report], str]:
    """The reports a form-shaped workbook holds, and the parts not found anywhere ('' when all were).

    ([], text naming the missing parts) when the workbook holds no recognisable report.
    """
    reading = read_forms(grids)
    return reading.reports, reading.missing


_CELL = re.compile(r"([A-Z]+)(\d+)")


def _cell_key(cell: str | None) -> tuple[int, int]:
    m = _CELL.fullmatch(cell or "")
    if not m:
        return (0, 0)
    col = 0
    for ch in m.group(1):
        col = col * 26 + ord(ch) - 64
    return int(m.group(2)) - 1, col - 1


__all__ = ["read_form", "read_forms", "forms_from_parts", "FormReading", "Unread", "Part", "sheet_parts", "group_parts", "find_anchors", "read_indicator_rows", "indicators_from_rows", "participants_from_tables",
           "IndicatorRow", "ParticipantTable"]
