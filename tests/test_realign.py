"""Realigning an indicator table whose labels sit one row apart from their unit, plan and fact."""

from __future__ import annotations

import json

import openpyxl
import pytest

from grantstats import catalog
from grantstats.cli import main
from grantstats.model import EMPTY, Where
from grantstats.numbers import parse_number
from grantstats.realign import IndicatorRow, realign_indicator_rows, unit_of_text, units_agree

SHEET = "Лист1"
# the nine standard rows as the form has them: code, unit, plan, fact
TABLE = [
    ("direct_beneficiaries", "человек", "50", "70"),
    ("indirect_beneficiaries", "человек", "140 тыс.", "около 1 млн"),
    ("staff", "человек", "3", "3"),
    ("specialists", "человек", "9", "9"),
    ("ngos_covered", "организация", "5", "5"),
    ("payroll", "тенге", "2 160 000", "2 160 000"),
    ("taxes", "тенге", "245 376", "245 376"),
    ("economy_contribution", "тенге", "4 090 000", "4 090 000"),
    ("partners", "организация/человек", "6", "6"),
]
FIRST_ROW = 5  # sheet row of the first table row


def physical_rows(label_rows: list[str | None], value_rows: list[tuple | None]) -> list[IndicatorRow]:
    """Rows as a reader sees them: the label in B, unit in C, plan in D, fact in E, one sheet row each."""
    out = []
    for i in range(max(len(label_rows), len(value_rows))):
        r = FIRST_ROW + i
        code = label_rows[i] if i < len(label_rows) else None
        values = value_rows[i] if i < len(value_rows) else None
        unit, plan, fact = values if values else (None, None, None)
        out.append(IndicatorRow(catalog.name("indicator", code) if code else None, unit,
                                parse_number(plan) if plan else EMPTY, parse_number(fact) if fact else EMPTY, code,
                                label_at=Where(SHEET, f"B{r}"), unit_at=Where(SHEET, f"C{r}"),
                                plan_at=Where(SHEET, f"D{r}"), fact_at=Where(SHEET, f"E{r}")))
    return out


def by_code(rows: list[IndicatorRow]) -> dict[str, tuple]:
    return {r.code: (r.unit, r.plan.value, r.fact.value, r.fact_at.cell) for r in rows if r.code}


VALUES = [(unit, plan, fact) for _, unit, plan, fact in TABLE]
CODES = [code for code, *_ in TABLE]


def test_aligned_table_comes_back_unchanged_without_a_finding():
    rows = physical_rows(CODES, VALUES)
    out, finding = realign_indicator_rows(rows)
    assert finding is None and out == rows


def test_label_merged_with_the_next_row_is_realigned_by_the_unit_column():
    # «Количество прямых бенефициаров» is merged over rows 5–6, so every later label sits one row below its
    # values: row 7 reads «косвенные» beside the staff values, …, row 9 «специалисты» beside «организация».
    labels = [CODES[0], None] + CODES[1:]
    rows = physical_rows(labels, VALUES)
    assert rows[4].code == "specialists" and rows[4].unit == "организация"  # the disagreement that shows it
    out, finding = realign_indicator_rows(rows)
    assert by_code(out) == {
        "direct_beneficiaries": ("человек", 50, 70, "E5"),
        "indirect_beneficiaries": ("человек", 140_000, 1_000_000, "E6"),
        "staff": ("человек", 3, 3, "E7"),
        "specialists": ("человек", 9, 9, "E8"),
        "ngos_covered": ("организация", 5, 5, "E9"),
        "payroll": ("тенге", 2_160_000, 2_160_000, "E10"),
        "taxes": ("тенге", 245_376, 245_376, "E11"),
        "economy_contribution": ("тенге", 4_090_000, 4_090_000, "E12"),
        "partners": ("организация/человек", 6, 6, "E13"),
    }
    assert out[1].label_at.cell == "B7"  # the label keeps its own cell
    assert finding.rule == "unit_mismatch" and finding.severity == "warning"
    assert (finding.sheet, finding.cell) == (SHEET, "B9")  # «специалисты» beside «организация»
    assert "«Количество привлеченных специалистов» единица измерения «организация»" in finding.message_ru
    assert "загружены исправленными" in finding.message_ru
    assert "«Количество штатных работников»: plan 3, fact 3 (row 7, not 9 / 9 from row 8)" in finding.message_en


def test_values_one_row_below_their_labels_are_realigned():
    rows = physical_rows(CODES + [None], [None] + VALUES)
    out, finding = realign_indicator_rows(rows)
    assert by_code(out)["ngos_covered"] == ("организация", 5, 5, "E10")
    assert by_code(out)["payroll"] == ("тенге", 2_160_000, 2_160_000, "E11")
    assert finding is not None and finding.severity == "warning"


def test_a_single_wrong_unit_that_no_shift_explains_is_left_for_the_quality_rule():
    values = list(VALUES)
    values[4] = ("тенге", "5", "5")  # only the NGO row's unit is wrong
    rows = physical_rows(CODES, values)
    out, finding = realign_indicator_rows(rows)
    assert finding is None and out == rows


def test_table_without_a_unit_column_is_left_alone():
    rows = physical_rows([CODES[0], None] + CODES[1:], [(None, p, f) for _, p, f in VALUES])
    out, finding = realign_indicator_rows(rows)
    assert finding is None and out == rows


@pytest.mark.parametrize("text, unit", [
    ("человек", "people"), ("чел.", "people"), ("адам", "people"), ("организация", "organizations"),
    ("ед.", "organizations"), ("НПО", "organizations"), ("тенге", "tenge"), ("тг", "tenge"), ("₸", "tenge"),
    ("организация/человек", "org_or_people"), ("юридические и/или физические лица", "org_or_people"), ("%", "percent"),
    ("people", "people"), ("tenge", "tenge"), ("", None), (None, None), ("шт", None),
])
def test_unit_of_text(text, unit):
    assert unit_of_text(text) == unit


def test_units_agree():
    assert units_agree("org_or_people", "people") is True
    assert units_agree("people", "org_or_people") is False
    assert units_agree("tenge", "organizations") is False
    assert units_agree("people", None) is None


# ------------------------------------------------------------------ end to end through the form reader

FORM_LABELS = [
    "Количество прямых бенефициаров",
    "Количество косвенных бенефициаров (за счет освещения в СМИ)",
    "Количество штатных работников",
    "Количество привлеченных специалистов",
    "Количество охваченных НПО",
    "Фонд оплаты труда от общей суммы гранта",
    "Налоги (СН, СО, ОСМС только штатных сотрудников)",
    "Вклад в экономику (покупка товаров и услуг)",
    "Количество партнеров социального проекта (юридические и/или физические лица)",
]
FORM_VALUES = [  # unit, plan, fact — in the order of the labels
    ("человек", 50, 70), ("человек", "140 тыс.", "150 тыс."), ("человек", 3, 3), ("человек", 9, 9),
    ("организация", 5, 5), ("тенге", "2 160 000", "2 160 000"), ("тенге", "245 376", "245 376"),
    ("тенге", "1 000 000", "1 000 000"), ("организация/человек", 5, 5),
]


def write_form(path, merged_label: bool, values=None) -> str:
    """The passport, the indicator table (header in row 9, values from row 10) and two participant tables.

    With merged_label, «Количество прямых бенефициаров» is merged over rows 10–11, so every later label
    sits one row below its unit, plan and fact.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Отчет"
    ws["A1"] = "Заключительный отчет по итогам реализации социального проекта"
    for r, (label, value) in enumerate([
        ("Грантополучатель", "Общественное объединение «Корган-М»"),
        ("Тема гранта", "Молодежный корпус «ZHAS PROJECT»"),
        ("Договор", "№ 72 от 21 апреля 2023 года"),
        ("Направление", "поддержка молодежной политики и детских инициатив"),
        ("Сумма гранта", "4 000 000 (Четыре миллиона) тенге"),
        ("Регион", "г. Шымкент"),
    ], start=2):
        ws.cell(r, 1, label)
        ws.cell(r, 2, value)
    for c, text in enumerate(["№", "Индикатор", "Единица измерения", "Планируемый уровень", "Фактический уровень"], 1):
        ws.cell(9, c, text)
    label_rows = [10] + list(range(12, 20)) if merged_label else list(range(10, 19))
    for i, (label, r) in enumerate(zip(FORM_LABELS, label_rows)):
        ws.cell(r, 1, f"{i + 1}.")
        ws.cell(r, 2, label)
    if merged_label:
        ws.merge_cells("B10:B11")
    for r, (unit, plan, fact) in enumerate(values or FORM_VALUES, start=10):
        ws.cell(r, 3, unit)
        ws.cell(r, 4, plan)
        ws.cell(r, 5, fact)
    ws["A22"], ws["B22"], ws["C22"] = "Количество участников проекта всего", "Мужчин", "Женщин"
    ws["A23"], ws["B23"], ws["C23"] = 70, 30, 40
    wb.save(path)
    return str(path)


def load(tmp_path, capsys, merged_label: bool, values=None) -> dict:
    db = str(tmp_path / "g.duckdb")
    path = write_form(tmp_path / "report.xlsx", merged_label, values)
    assert main(["ingest", path, "--db", db, "--workers", "0"]) == 0
    capsys.readouterr()
    assert main(["show", "--json", "--db", db]) == 0
    [report] = json.loads(capsys.readouterr().out)
    return report


def test_labels_one_row_below_their_values_load_realigned_with_a_warning(tmp_path, capsys):
    report = load(tmp_path, capsys, merged_label=True)
    ind = report["indicators"]
    assert {code: (v["plan"], v["fact"]) for code, v in ind.items()} == {
        "direct_beneficiaries": (50, 70), "indirect_beneficiaries": (140_000, 150_000), "staff": (3, 3),
        "specialists": (9, 9), "ngos_covered": (5, 5), "payroll": (2_160_000, 2_160_000),
        "taxes": (245_376, 245_376), "economy_contribution": (1_000_000, 1_000_000), "partners": (5, 5),
    }
    assert ind["staff"]["fact_cell"] == "E12"  # staff's values are in row 12, its label in row 13; «специалисты» (row 14) stands beside «организация»
    [finding] = report["findings"]
    assert (finding["rule"], finding["severity"], finding["cell"]) == ("unit_mismatch", "warning", "B14")
    assert "загружены исправленными" in finding["message"]
    assert finding["file"] == "report.xlsx"


def test_the_same_form_aligned_has_no_finding(tmp_path, capsys):
    report = load(tmp_path, capsys, merged_label=False)
    assert report["findings"] == []
    assert report["indicators"]["staff"]["fact"] == 3


def test_a_wrong_unit_no_shift_explains_loads_as_read_with_an_error(tmp_path, capsys):
    values = list(FORM_VALUES)
    values[4] = ("тенге", 5, 5)  # «Количество охваченных НПО» in tenge, the rest in place
    report = load(tmp_path, capsys, merged_label=False, values=values)
    assert report["indicators"]["ngos_covered"]["fact"] == 5
    [finding] = report["findings"]
    assert (finding["rule"], finding["severity"], finding["cell"]) == ("unit_mismatch", "error", "E14")
    assert "«тенге»" in finding["message"] and "«организация»" in finding["message"]
