"""Workbooks laid out like the final-report form: the empty template staff copy reports into, and synthetic reports.

Both are built from the same sections (passport, activities, indicator table, participant tables) as plain
rows; `write_template` styles them and marks the input cells, `write_form_report` writes one synthetic
report (a dict in the `show --json` shape, see sample.make_reports) in one of several layouts people use,
its activities on the passport's sheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from grantstats import catalog
from grantstats.numbers import round_half_up
from grantstats.readers.grid import cell_name
from grantstats.workbook import XlsxBook

FORM_TITLE = "Заключительный отчет по итогам реализации социального проекта и (или) социальной программы"
SYNTHETIC_MARK = "СИНТЕТИЧЕСКИЕ ДАННЫЕ / SYNTHETIC DATA"
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]

# Passport labels by edition: the current form (order No. 406 of 2022) with the fields staff add to it, the
# older form (order No. 413 of 2015), and wordings of people's own making.
PASSPORT_LABELS: dict[str, dict[str, str]] = {
    "current": {
        "grantee": "1. Полное наименование неправительственной организации:",
        "head": "2. Фамилия, имя, отчество (при наличии) руководителя неправительственной организации:",
        "address_phone": "3. Юридический адрес, контактный телефон:",
        "title": "4. Наименование социального проекта, социальной программы в рамках реализации гранта (направление):",
        "period": "5. Дата начала и окончания периода реализации социального проекта и/или социальной программы:",
        "grant_amount": "6. Общая сумма средств, выделенная на реализацию гранта:",
        "direction": "Направление гранта:",
        "contract": "Номер и дата договора:",
        "region": "Регион реализации:",
        "report_date": "Дата отчета:",
    },
    "older": {
        "grantee": "Грантополучатель",
        "title": "Тема гранта",
        "contract": "Договор",
        "period": "Срок реализации",
        "grant_amount": "Сумма гранта",
        "region": "Регион",
        "direction": "Направление",
    },
    "own": {
        "grantee": "Наименование НПО",
        "title": "Название проекта",
        "contract_no": "Номер договора",
        "contract_date": "Дата договора",
        "period_start": "Дата начала",
        "period_end": "Дата окончания",
        "grant_amount": "Размер гранта, тенге",
        "region": "Область",
        "direction": "Приоритетное направление",
        "year": "Год реализации",
    },
}
TEMPLATE_PASSPORT = ("grantee", "head", "address_phone", "title", "direction", "contract", "period", "grant_amount",
                     "region", "report_date")

INDICATOR_ORDER = ("direct_beneficiaries", "direct_beneficiaries_vulnerable", "indirect_beneficiaries", "staff",
                   "specialists", "specialists_vulnerable", "ngos_covered", "payroll", "taxes",
                   "economy_contribution", "partners")
SUBROW_LABELS = {"current": "в том числе из социально уязвимых категорий населения",
                 "older": "в том числе из социально уязвимых категорий населения",
                 "own": "из них из социально уязвимых категорий населения"}
INDICATOR_OWN_LABELS = {
    "direct_beneficiaries": "Прямые бенефициары", "indirect_beneficiaries": "Охват в СМИ (косвенные бенефициары)",
    "staff": "Штатные работники", "specialists": "Привлеченные специалисты", "ngos_covered": "Охваченные НПО",
    "payroll": "ФОТ", "taxes": "Налоги", "economy_contribution": "Вклад в экономику", "partners": "Партнеры проекта",
}
INDICATOR_HEADERS = {
    "current": ("Индикатор", "Единица измерения", "Планируемый уровень", "Фактический уровень"),
    "older": ("Индикатор", "Ед. изм.", "план", "факт"),
    "own": ("Показатель", "Единица измерения", "План", "Факт"),
}
TOTAL_LABELS = {"current": "Количество участников проекта всего", "older": "Количество участников проекта всего",
                "own": "Всего участников"}
GENDER_LABELS = {"current": {"male": "Мужчин", "female": "Женщин"},
                 "older": {"male": "Мужчины", "female": "Женщины"},
                 "own": {"male": "муж.", "female": "жен."}}
CATEGORY_LABELS = {
    "current": {"children": "Дети (в том числе дети с инвалидностью)", "youth": "Молодежь",
                "civil_servants": "Государственные служащие", "public_sector": "Работники бюджетных организаций",
                "disabled": "Лица с инвалидностью", "elderly": "Люди старшего возраста (от 50 лет и старше)",
                "unemployed": "Безработные", "ngo_members": "Представители общественных организаций",
                "business": "Представители бизнес-сектора", "other": "Другие категории"},
    "older": {"children": "Дети (в т.ч. дети-инвалиды)", "youth": "Молодежь",
              "civil_servants": "Государственные служащие", "public_sector": "Работники бюджетных организаций",
              "disabled": "Инвалиды", "elderly": "Люди старшего возраста (от 50 лет и старше), в т.ч.",
              "unemployed": "Безработные", "ngo_members": "Представители общественных организаций",
              "business": "Представители бизнес-сектора", "other": "Другие категории"},
    "own": {"children": "дети-инвалиды", "youth": "Молодёжь", "civil_servants": "гос. служащие",
            "public_sector": "работники бюджетной сферы", "disabled": "Инвалиды", "elderly": "пенсионеры",
            "unemployed": "безработные ", "ngo_members": "представители НПО", "business": "предприниматели",
            "other": "прочие"},
}
AGE_LABELS = {
    "current": {"13-16": "от 13-16 лет", "17-22": "17-22 года", "23-27": "23-27 лет", "28-32": "28-32 года",
                "33-45": "33-45 лет", "46-58": "46-58 лет", "59+": "59 лет и выше"},
    "older": {"13-16": "13-16 лет", "17-22": "17-22 лет", "23-27": "23-27 лет", "28-32": "28-32 лет",
              "33-45": "33-45 лет", "46-58": "46-58 лет", "59+": "59 лет и старше"},
    "own": {"13-16": "13-16", "17-22": "17-22", "23-27": "23-27", "28-32": "28-32", "33-45": "33-45",
            "46-58": "46-58", "59+": "59+"},
}
SECTION_TITLES = {"gender": "Гендерный показатель:", "category": "Социальный статус по категориям:",
                  "age": "Возрастной показатель:"}
ACTIVITY_HEADER = ("Задача", "Мероприятия в рамках задачи", "Дата проведения", "Место проведения",
                   "Кол-во участников", "Краткосрочные достигнутые результаты (к мероприятиям)",
                   "Количественные и качественные индикаторы", "Индикаторы", None, "Эффект")
TEMPLATE_ACTIVITY_ROWS = 8
ACTIVITIES_TITLE = "Мероприятия в рамках социального проекта"


# ------------------------------------------------------------------------------------------------ layout


@dataclass
class SheetRows:
    """One sheet as rows of values (0-based), its merged ranges and the cells meant for input (key -> cell)."""

    name: str
    rows: list[list[Any]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    inputs: dict[str, tuple[int, int]] = field(default_factory=dict)
    headers: list[int] = field(default_factory=list)  # rows to show bold

    def add(self, cells: list[Any] | None = None, inputs: dict[int, str] | None = None, header: bool = False) -> int:
        r = len(self.rows)
        self.rows.append(list(cells or []))
        for c, key in (inputs or {}).items():
            self.inputs[key] = (r, c)
        if header:
            self.headers.append(r)
        return r

    def merge(self, r0: int, c0: int, r1: int, c1: int) -> None:
        if (r0, c0) != (r1, c1):
            self.merges.append((r0, c0, r1, c1))

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.add()


@dataclass
class Style:
    """How a layout variant writes things: label wording, merges, where values go, how numbers look."""

    wording: str = "current"
    passport: str = "pairs"  # pairs | numbered | inline | merged
    number_col: bool = True
    merged: bool = False
    two_row_indicator_header: bool = False
    vertical_participants: bool = False
    amount_lines: bool = False  # per-year amounts one row each instead of one cell
    text_numbers: bool = False  # «2 160 000» as text rather than numeric cells
    blank_rows: int = 1
    title_rows: int = 1
    empty_mark: str = "-"


def _spaced(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ") if float(value).is_integer() else f"{value:,.2f}".replace(",", " ")


def _date_words(d: date) -> str:
    return f"{d.day} {MONTHS_RU[d.month - 1]} {d.year} года"


def _figure(value: float | None, style: Style, approx: bool = False) -> Any:
    if value is None:
        return style.empty_mark or None
    if approx:
        return f"около {_spaced(value)}"
    if style.text_numbers and value >= 1000:
        return _spaced(value)
    return int(value) if float(value).is_integer() else value


def _passport_values(report: dict[str, Any], style: Style, arrangement: int) -> dict[str, Any]:
    """The passport's values as typed in this layout, by field code."""
    values: dict[str, Any] = {"grantee": report.get("grantee"), "title": report.get("title")}
    contract_date = date.fromisoformat(report["contract_date"]) if report.get("contract_date") else None
    start = date.fromisoformat(report["period_start"]) if report.get("period_start") else None
    end = date.fromisoformat(report["period_end"]) if report.get("period_end") else None
    if style.wording == "own":
        values["contract_no"] = report.get("contract_no")
        values["contract_date"] = contract_date
        values["period_start"] = start
        values["period_end"] = end
        values["year"] = report.get("year")
    else:
        if report.get("contract_no"):
            values["contract"] = f"№ {report['contract_no']}" + (f" от {_date_words(contract_date)}" if contract_date else "")
        if start and end:
            values["period"] = (f"{_date_words(start)} – {_date_words(end)}" if arrangement % 2 == 0
                                else f"{start:%d.%m.%Y} - {end:%d.%m.%Y}")
    if report.get("direction"):
        name = catalog.name("direction", report["direction"])
        values["direction"] = f"{report['direction']}. {name}" if arrangement % 3 == 1 else name
    if report.get("region_text"):
        values["region"] = report["region_text"]
    if report.get("amount_by_year"):
        values["grant_amount"] = [f"- на {y} год - {_spaced(a)} тенге" for y, a in sorted(report["amount_by_year"].items())]
    elif report.get("grant_amount") is not None:
        amount = report["grant_amount"]
        values["grant_amount"] = f"{_spaced(amount)} тенге" if style.text_numbers else _figure(amount, style)
    return values


def _write_passport(sheet: SheetRows, style: Style, values: dict[str, Any] | None, codes: tuple[str, ...]) -> None:
    labels = PASSPORT_LABELS[style.wording]
    for code in codes:
        if code not in labels:
            continue
        label = labels[code]
        value = values.get(code) if values is not None else None
        if values is not None and value is None:
            continue
        lines = value if isinstance(value, list) else None
        if lines is not None:
            value = lines[0] if style.amount_lines else "\n".join(lines)
        if style.passport == "inline" and value is not None and not isinstance(value, (date, int, float)):
            r = sheet.add([f"{label.rstrip(':')}: {value}"])
            continue
        if style.passport == "numbered":
            r = sheet.add([f"{codes.index(code) + 1}.", label.lstrip("0123456789. "), value], inputs={2: code})
            value_col = 2
        elif style.passport == "merged":
            r = sheet.add([label, value], inputs={1: code})  # tall cells: label and value over two rows
            sheet.add([])
            sheet.merge(r, 0, r + 1, 0)
            sheet.merge(r, 1, r + 1, 1)
            value_col = 1
        else:
            r = sheet.add([label, value], inputs={1: code})
            value_col = 1
        if lines is not None and style.amount_lines:
            for line in lines[1:]:
                sheet.add([None] * value_col + [line])


def _write_activities(sheet: SheetRows, activities: list[dict[str, Any]] | None, merge_tasks: bool = False) -> None:
    """The activities table: its two header rows, then one row per activity (empty input rows when None).

    A task is written on its first activity's row only, as in the form (merged down its rows with `merge_tasks`).
    """
    r = sheet.add(list(ACTIVITY_HEADER), header=True)
    sub = sheet.add([None] * 7 + ["план", "факт"], header=True)
    sheet.merge(r, 7, r, 8)
    for c in (0, 1, 2, 3, 4, 5, 6, 9):
        sheet.merge(r, c, sub, c)
    if activities is None:
        keys = ("task", "activity", "date", "place", "participants", "results", "indicators", "plan", "fact", "effect")
        for i in range(TEMPLATE_ACTIVITY_ROWS):
            sheet.add([None] * 10, inputs={c: f"activity{i + 1}:{k}" for c, k in enumerate(keys)})
        return
    task_row = None
    for k, a in enumerate(activities):
        new_task = k == 0 or a["task"] != activities[k - 1]["task"]
        row = sheet.add([a["task"] if new_task else None, a["activity"], a["date_text"], a["place"],
                         a["participants_text"], a["results"], a["indicator"], a["plan"], a["fact"], a["effect"]])
        if new_task:
            task_row = row
        if merge_tasks and (k + 1 == len(activities) or activities[k + 1]["task"] != a["task"]):
            sheet.merge(task_row, 0, row, 0)


def _indicator_label(code: str, wording: str) -> str:
    if code.endswith("_vulnerable"):
        return SUBROW_LABELS[wording]
    if wording == "own":
        return INDICATOR_OWN_LABELS[code]
    return catalog.name("indicator", code)


def _write_indicators(sheet: SheetRows, style: Style, indicators: dict[str, dict[str, Any]] | None,
                      approx_indirect: bool = False) -> None:
    label_h, unit_h, plan_h, fact_h = INDICATOR_HEADERS[style.wording]
    lead = ["№"] if style.number_col else []
    off = len(lead)
    if style.two_row_indicator_header:
        r = sheet.add(lead + [label_h, unit_h, "Значение", None], header=True)
        sub = sheet.add([None] * off + [None, None, plan_h, fact_h], header=True)
        sheet.merge(r, off + 2, r, off + 3)
        for c in range(off + 2):
            sheet.merge(r, c, sub, c)
    else:
        sheet.add(lead + [label_h, unit_h, plan_h, fact_h], header=True)
    n = 0
    for code in INDICATOR_ORDER:
        vulnerable = code.endswith("_vulnerable")
        if indicators is not None and code not in indicators:
            continue
        if indicators is None and vulnerable and style.wording == "own":
            continue
        values = (indicators or {}).get(code, {})
        if not vulnerable:
            n += 1
        number = ([f"{n}." if not vulnerable else None] if style.number_col else [])
        unit = catalog.entry("indicator", code).unit_ru
        plan = _figure(values.get("plan"), style) if indicators is not None else None
        fact = (_figure(values.get("fact"), style, approx=approx_indirect and code == "indirect_beneficiaries"
                        and values.get("fact") is not None) if indicators is not None else None)
        sheet.add(number + [_indicator_label(code, style.wording), unit, plan, fact],
                  inputs={off + 2: f"{code}:plan", off + 3: f"{code}:fact"})


def _percent(part: float, total: float) -> str:
    return f"{round_half_up(100 * part / total)}%"


def _write_participants(sheet: SheetRows, style: Style, report: dict[str, Any] | None) -> None:
    tables = (("gender", GENDER_LABELS, "gender"), ("category", CATEGORY_LABELS, "categories"),
              ("age", AGE_LABELS, "age"))
    total = report.get("participants_total") if report else None
    percent = bool(report and report.get("percent_tables"))
    for dim, labels_by_wording, key in tables:
        labels = labels_by_wording[style.wording]
        values = (report or {}).get(key) or {}
        cells = {bucket: (_percent(values[bucket], total) if percent and total else values[bucket])
                 if bucket in values else (None if report is None else style.empty_mark or None) for bucket in labels}
        total_cell = (report.get("table_totals") or {}).get(dim, total) if report is not None else None
        sheet.add([SECTION_TITLES[dim]])
        if style.vertical_participants:
            sheet.add([TOTAL_LABELS[style.wording], total_cell], inputs={1: f"{dim}:total"}, header=True)
            for bucket, label in labels.items():
                sheet.add([label, cells[bucket]], inputs={1: f"{dim}:{bucket}"})
        else:
            r = sheet.add([TOTAL_LABELS[style.wording]] + list(labels.values()), header=True)
            if style.merged:
                sheet.add([])
                for c in range(len(labels) + 1):
                    sheet.merge(r, c, r + 1, c)
            sheet.add([total_cell] + [cells[b] for b in labels],
                      inputs={c: f"{dim}:{b}" for c, b in enumerate(["total", *labels], start=0)})
        sheet.blank(style.blank_rows)


# ------------------------------------------------------------------------------------------------ template


def template_sheet() -> SheetRows:
    """The empty template as rows: official labels, units filled in, input cells listed by key."""
    style = Style()
    sheet = SheetRows("Отчет")
    sheet.add([FORM_TITLE], header=True)
    sheet.add(["Заполните ячейки, выделенные жёлтым, по тексту отчета; пустое поле оставьте пустым."])
    sheet.blank()
    _write_passport(sheet, style, None, TEMPLATE_PASSPORT)
    sheet.blank()
    sheet.add([ACTIVITIES_TITLE], header=True)
    _write_activities(sheet, None)
    sheet.blank()
    sheet.add(["Социальный и экономический эффект социального проекта"], header=True)
    _write_indicators(sheet, style, None)
    sheet.blank()
    sheet.add(["Статистическая информация в разрезе участников социального проекта (человек или %)"], header=True)
    _write_participants(sheet, style, None)
    return sheet


def template_cells() -> dict[str, str]:
    """The template's input cells as A1 references, by key («grantee», «direct_beneficiaries:plan», «age:17-22»…)."""
    return {key: cell_name(r, c) for key, (r, c) in template_sheet().inputs.items()}


def write_template(path: str | Path) -> Path:
    """Write the empty template workbook (input cells filled yellow) and return its path."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    sheet = template_sheet()
    wb = Workbook()
    ws = wb.active
    ws.title = sheet.name
    for row in sheet.rows:
        ws.append(row)
    for r0, c0, r1, c1 in sheet.merges:
        ws.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is not None:
                cell.alignment = wrap
    for r in sheet.headers:
        for cell in ws[r + 1]:
            cell.font = Font(bold=True)
    fill = PatternFill("solid", fgColor="FFF2CC")
    thin = Side(style="thin", color="BF9000")
    for r, c in sheet.inputs.values():
        cell = ws.cell(row=r + 1, column=c + 1)
        cell.fill = fill
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for letter, width in zip("ABCDEFGHIJK", (60, 45, 18, 18, 18, 18, 18, 14, 14, 20, 18)):
        ws.column_dimensions[letter].width = width
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(str(path))
    return path


# ------------------------------------------------------------------------------------------------ synthetic reports

# The layouts write_form_report rotates through (arrangement % len(ARRANGEMENTS)).
ARRANGEMENTS: tuple[tuple[str, Style, tuple[str, ...]], ...] = (
    ("one sheet, current form", Style(), ("all",)),
    ("three sheets in another order, older labels",
     Style(wording="older", number_col=False, text_numbers=True, empty_mark=""),
     ("participants:Лист3", "indicators: эффект ", "passport:Паспорт (2)")),
    ("one sheet, own wording, title and blank rows, per-year amount on rows, numbered passport",
     Style(wording="own", passport="numbered", amount_lines=True, blank_rows=3, title_rows=3), ("all",)),
    ("one sheet, merged cells, two-row indicator header",
     Style(passport="merged", merged=True, two_row_indicator_header=True, text_numbers=True), ("all",)),
    ("two sheets, label: value cells, participants listed down a column",
     Style(wording="older", passport="inline", vertical_participants=True, empty_mark="—"),
     ("passport+indicators:Форма", "participants:Участники")),
)


def _sheets_for(report: dict[str, Any], arrangement: int) -> list[SheetRows]:
    name, style, plan = ARRANGEMENTS[arrangement % len(ARRANGEMENTS)]
    values = _passport_values(report, style, arrangement)
    codes = tuple(PASSPORT_LABELS[style.wording])
    sheets = []
    for spec in plan:
        parts, _, sheet_name = spec.partition(":")
        sheet = SheetRows(sheet_name or "Отчет")
        if parts in ("all",) or "passport" in parts:
            for i in range(style.title_rows):
                sheet.add([(FORM_TITLE, SYNTHETIC_MARK, "по договору о предоставлении государственного гранта")[i % 3]])
            if style.merged:
                sheet.merge(0, 0, 0, 7)
            sheet.blank(style.blank_rows - 1)
            _write_passport(sheet, style, values, codes)
            sheet.blank(style.blank_rows)
            if report.get("activities"):
                sheet.add([ACTIVITIES_TITLE])
                _write_activities(sheet, report["activities"], merge_tasks=style.merged)
                sheet.blank(style.blank_rows)
        if parts in ("all",) or "indicators" in parts:
            sheet.add(["Заполните таблицу, указав социальный и экономический эффекты социального проекта"])
            _write_indicators(sheet, style, report.get("indicators") or {}, bool(report.get("approx_indirect")))
            sheet.blank(style.blank_rows)
        if (parts in ("all",) or "participants" in parts) and report.get("participants_total"):
            sheet.add(["Статистическая информация в разрезе участников социального проекта"])
            _write_participants(sheet, style, report)
        if not sheet.rows:
            sheet.add([SYNTHETIC_MARK])
        sheets.append(sheet)
    return sheets


def write_form_report(path: str | Path, report: dict[str, Any], arrangement: int = 0) -> Path:
    """Write one synthetic report as a form-shaped workbook in layout `arrangement % len(ARRANGEMENTS)`.

    Written straight as SpreadsheetML (a few KB of XML in a zip): openpyxl takes ~40 ms a workbook, this
    ~1 ms, which matters for the 2,000-file benchmark sample.
    """
    path = Path(path)
    write_xlsx(path, _sheets_for(report, arrangement))
    return path


# ------------------------------------------------------------------------------------------------ xlsx


def write_xlsx(path: Path, sheets: list[SheetRows]) -> None:
    """A plain .xlsx of these sheets: values (text, numbers, dates), merged ranges, bold header rows."""
    with XlsxBook(str(path)) as book:
        for sheet in sheets:
            out = book.sheet(sheet.name)
            headers = set(sheet.headers)
            for r, row in enumerate(sheet.rows):
                style = "label" if r in headers else "general"
                out.row([None if v is None or v == "" else (v, style) for v in row])
            for r0, c0, r1, c1 in sheet.merges:
                out.merge(r0 + 1, c0 + 1, r1 + 1, c1 + 1)


__all__ = ["write_template", "template_cells", "template_sheet", "write_form_report", "write_xlsx", "ARRANGEMENTS"]
