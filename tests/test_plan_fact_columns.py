"""Which column of an indicator is its plan and which its fact, however the header words it, in the form's
indicator table and in a consolidated sheet; and that a column comparing the two (a deviation, a percent of
completion) is never read as either. Every workbook is built here; plan 100 and fact 120 of direct
beneficiaries, the comparison column holding something else (20, or 1.2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from grantstats import catalog
from grantstats.cli import main

PASSPORT = [
    ["Полное наименование неправительственной организации:", "ОО «Жастар»"],
    ["Наименование социального проекта:", "Школа волонтеров"],
    ["Номер и дата договора:", "№ 72 от 21.04.2023"],
    ["Регион реализации:", "г. Шымкент"],
    ["Общая сумма средств, выделенная на реализацию гранта:", "4 000 000"],
]
# (plan header, fact header): the words people use instead of «план» / «факт»
NAMED_OTHERWISE = [
    ("Запланировано", "Достигнуто"),
    ("Планируемый", "Фактический"),
    ("по договору", "по отчёту"),
    ("Target", "Achieved"),
    ("Plan", "Actual"),
    ("Жоспар", "Нақты"),
    ("Жоспарланған деңгей", "Нақты деңгей"),
    ("ПЛАН", "ФАКТ"),
]
# columns that compare plan and fact: their figure is never the plan or the fact
COMPARISONS = [
    ("Отклонение (факт-план)", 20),
    ("% выполнения (факт к плану)", 1.2),
    ("Процент выполнения", 120),
    ("Выполнение, %", 1.2),
    ("Исполнение", 1.2),
    ("Разница", 20),
]


def write_book(path: Path, rows: list[list], merges: tuple[str, ...] = ()) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Отчет"
    for row in rows:
        ws.append(row)
    for ref in merges:
        ws.merge_cells(ref)
    wb.save(path)
    return path


def load(tmp_path: Path, capsys, book: Path) -> tuple[str, list[dict]]:
    db = tmp_path / "g.duckdb"
    assert main(["ingest", str(book), "--db", str(db), "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert main(["show", "--json", "--db", str(db)]) == 0
    return out, json.loads(capsys.readouterr().out)


def direct(report: dict) -> tuple:
    d = report["indicators"]["direct_beneficiaries"]
    return d["plan"], d["fact"]


def unread(report: dict) -> list[str]:
    return [f["message"] for f in report["findings"] if f["rule"] == "unread_part"]


# ------------------------------------------------------------------------------------------------- the catalog


@pytest.mark.parametrize("plan, fact", NAMED_OTHERWISE)
def test_catalog_tells_plan_and_fact_by_their_words(plan, fact):
    assert catalog.plan_or_fact(plan)[0] == "plan"
    assert catalog.plan_or_fact(fact)[0] == "fact"
    assert catalog.plan_or_fact(f"Количество прямых бенефициаров ({plan.lower()})") == (
        "plan", "количество прямых бенефициаров")


@pytest.mark.parametrize("header", [h for h, _ in COMPARISONS] + ["Отклонение", "Разница (план/факт)", "Deviation"])
def test_a_comparison_of_plan_and_fact_is_neither(header):
    assert catalog.plan_or_fact(header)[0] == "comparison"


@pytest.mark.parametrize("header", ["План/факт", "Планируемый / Фактический", "plan / actual"])
def test_a_header_naming_plan_and_fact_together_cannot_be_told(header):
    assert catalog.plan_or_fact(header)[0] == "both"


@pytest.mark.parametrize("header", ["Номер договора", "Дата отчёта", "Мужчины, %", "Количество участников"])
def test_other_headers_say_neither(header):
    assert catalog.plan_or_fact(header)[0] is None


# ---------------------------------------------------------------------------------------------- the form layout


def form_rows(header: list[str], direct_values: list, indirect_values: list) -> list[list]:
    return PASSPORT + [[], ["№", "Индикатор", "Единица измерения", *header],
                       ["1.", "Количество прямых бенефициаров", "человек", *direct_values],
                       ["2.", "Количество косвенных бенефициаров", "человек", *indirect_values]]


@pytest.mark.parametrize("plan, fact", NAMED_OTHERWISE)
def test_form_plan_and_fact_columns_named_otherwise_are_read(tmp_path, capsys, plan, fact):
    book = write_book(tmp_path / "f.xlsx", form_rows([fact, plan], [120, 100], [2000, 1000]))
    _, (report,) = load(tmp_path, capsys, book)
    assert direct(report) == (100, 120)
    assert report["indicators"]["indirect_beneficiaries"]["plan"] == 1000
    assert report["indicators"]["indirect_beneficiaries"]["fact"] == 2000


@pytest.mark.parametrize("comparison, value", COMPARISONS)
@pytest.mark.parametrize("first", [True, False])
def test_form_comparison_column_is_never_the_plan_or_the_fact(tmp_path, capsys, comparison, value, first):
    header = [comparison, "Фактический уровень", "Планируемый уровень"] if first else \
        ["Планируемый уровень", comparison, "Фактический уровень"]
    values = [value, 120, 100] if first else [100, value, 120]
    book = write_book(tmp_path / "f.xlsx", form_rows(header, values, values))
    _, (report,) = load(tmp_path, capsys, book)
    assert direct(report) == (100, 120)


# ------------------------------------------------------------------------------------------- consolidated sheets

REGISTRY_FIELDS = ["Грантополучатель", "Наименование проекта", "Номер договора", "Год"]
REGISTRY_ROW = ["ОО «Альфа»", "Проект А", "12", 2023]


@pytest.mark.parametrize("plan, fact", [
    ("Запланировано прямых бенефициаров", "Достигнуто прямых бенефициаров"),
    ("Прямые бенефициары (планируемый)", "Прямые бенефициары (фактический)"),
    ("Прямые бенефициары (по договору)", "Прямые бенефициары (по отчету)"),
    ("Direct beneficiaries target", "Direct beneficiaries achieved"),
    ("Direct beneficiaries plan", "Direct beneficiaries actual"),
    ("Тікелей бенефициарлар саны (жоспар)", "Тікелей бенефициарлар саны (нақты)"),
])
def test_registry_plan_and_fact_columns_named_otherwise_are_read(tmp_path, capsys, plan, fact):
    rows = [[*REGISTRY_FIELDS, "Прямые бенефициары, отклонение (факт-план)", plan, "% выполнения (факт к плану)",
             fact],
            [*REGISTRY_ROW, 20, 100, 1.2, 120]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "r.xlsx", rows))
    assert direct(report) == (100, 120)


@pytest.mark.parametrize("plan, fact, comparison", [
    ("запланировано", "достигнуто", "% выполнения"),
    ("по договору", "по отчету", "отклонение"),
    ("target", "achieved", "difference"),
    ("жоспар", "нақты", "ауытқу"),
])
def test_registry_second_header_row_under_a_merged_indicator(tmp_path, capsys, plan, fact, comparison):
    rows = [[*REGISTRY_FIELDS, "Количество прямых бенефициаров", None, None],
            [None] * 4 + [comparison, fact, plan],
            [*REGISTRY_ROW, 20, 120, 100]]
    merges = ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:G1")
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "r.xlsx", rows, merges))
    assert direct(report) == (100, 120)


@pytest.mark.parametrize("header, expected", [
    ("Прямые бенефициары", (None, 120)),  # an indicator's one column, no plan word: its fact
    ("Прямые бенефициары (факт)", (None, 120)),
    ("Прямые бенефициары (запланировано)", (120, None)),
    ("Прямые бенефициары (по договору)", (120, None)),
])
def test_registry_one_column_of_an_indicator_is_its_fact_unless_it_says_plan(tmp_path, capsys, header, expected):
    rows = [[*REGISTRY_FIELDS, header], [*REGISTRY_ROW, 120]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "r.xlsx", rows))
    assert direct(report) == expected


@pytest.mark.parametrize("header", ["Прямые бенефициары, % выполнения", "Отклонение по прямым бенефициарам"])
def test_registry_comparison_column_alone_gives_no_figure(tmp_path, capsys, header):
    rows = [[*REGISTRY_FIELDS, header], [*REGISTRY_ROW, 1.2]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "r.xlsx", rows))
    assert "direct_beneficiaries" not in report["indicators"]


def test_registry_column_of_plan_and_fact_together_is_not_guessed_but_said(tmp_path, capsys):
    rows = [[*REGISTRY_FIELDS, "Прямые бенефициары (план/факт)"], [*REGISTRY_ROW, "100/120"],
            ["ОФ «Бета»", "Проект Б", "13", 2023, "200 / 180"]]
    out, reports = load(tmp_path, capsys, write_book(tmp_path / "r.xlsx", rows))
    assert len(reports) == 2
    assert all("direct_beneficiaries" not in r["indicators"] for r in reports)
    assert "not read: sheet «Отчет»" in out
    assert unread(reports[0]) == unread(reports[1]) == ["Часть файла не прочитана — лист «Отчет»: не понять, план или факт, — столбцы не "
                              "прочитаны: E «Прямые бенефициары (план/факт)»"]
