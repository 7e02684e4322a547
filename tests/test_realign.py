"""Realigning an indicator table whose labels sit one row apart from their unit, plan and fact."""

from __future__ import annotations

import pytest

from grantstats import catalog
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
