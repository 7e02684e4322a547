"""An indicator whose plan and fact columns are merged into one cell holding one value: read as both, as the sheet
shows it, from that cell, and named in a plan_fact_one_cell warning for a person to confirm. Before, the value was
taken for the plan alone and the fact was left empty without a word.

The form below (worked out by hand): direct beneficiaries 100 planned and 120 reached in their own cells; indirect
beneficiaries 1 000 in a cell merged over both columns (row 9): 1 000 planned, 1 000 reached.
"""

from __future__ import annotations

import pytest

from tests.test_plan_fact_columns import PASSPORT, form_rows, load, write_book

WARNING_RU = ("Количество косвенных бенефициаров (за счет освещения в СМИ): одно значение «1000» в ячейке {range}, объединённой над планом и "
              "фактом, — учтено и как план, и как факт; проверьте")


def one_cell_findings(report: dict) -> list[tuple[str, str, str]]:
    return [(f["severity"], f["cell"], f["message"]) for f in report["findings"] if f["rule"] == "plan_fact_one_cell"]


@pytest.mark.parametrize("header, direct", [(["Планируемый уровень", "Фактический уровень"], [100, 120]),
                                            (["Фактический уровень", "Планируемый уровень"], [120, 100])])
def test_a_value_merged_over_plan_and_fact_is_both(tmp_path, capsys, header, direct):
    book = write_book(tmp_path / "f.xlsx", form_rows(header, direct, [1000, None]), merges=("D9:E9",))
    _, (report,) = load(tmp_path, capsys, book)
    indirect = report["indicators"]["indirect_beneficiaries"]
    assert (indirect["plan"], indirect["fact"]) == (1000, 1000)
    assert (indirect["plan_cell"], indirect["fact_cell"]) == ("D9", "D9")  # the cell it came from
    direct_ = report["indicators"]["direct_beneficiaries"]
    assert (direct_["plan"], direct_["fact"]) == (100, 120)
    assert one_cell_findings(report) == [("warning", "D9", WARNING_RU.format(range="D9:E9"))]


def test_cells_merged_elsewhere_say_nothing(tmp_path, capsys):
    # the unit merged into the plan's column is no plan/fact pair; the plain rows read as before
    rows = form_rows(["Планируемый уровень", "Фактический уровень"], [100, 120], [1000, 2000])
    book = write_book(tmp_path / "f.xlsx", rows, merges=("B8:C8",))
    _, (report,) = load(tmp_path, capsys, book)
    indirect = report["indicators"]["indirect_beneficiaries"]
    assert (indirect["plan"], indirect["fact"]) == (1000, 2000)
    assert one_cell_findings(report) == []


def test_a_word_cell_spanning_plan_and_fact_is_both(tmp_path, capsys):
    import docx

    document = docx.Document()
    for label, value in PASSPORT:
        document.add_paragraph(f"{label} {value}")
    rows = [["№", "Индикатор", "Единица измерения", "План", "Факт"],
            ["1.", "Количество прямых бенефициаров", "человек", "100", "120"],
            ["2.", "Количество косвенных бенефициаров", "человек", "1000", ""]]
    table = document.add_table(rows=len(rows), cols=5)
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(2, 3).merge(table.cell(2, 4))
    path = tmp_path / "report.docx"
    document.save(path)
    _, (report,) = load(tmp_path, capsys, path)
    indirect = report["indicators"]["indirect_beneficiaries"]
    assert (indirect["plan"], indirect["fact"]) == (1000, 1000)
    assert report["indicators"]["direct_beneficiaries"]["fact"] == 120
    [(severity, _, message)] = one_cell_findings(report)
    assert severity == "warning" and message == WARNING_RU.format(range="D8:E8")
