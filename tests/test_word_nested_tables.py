"""A Word report whose form tables stand inside a layout table's cell is read as if they stood in the body: each
nested table is a table of its own. Before, the indicator table was only lines of text in a cell, so all nine
indicators were lost and the report said only that the direct beneficiaries' fact was not given.
By hand: direct beneficiaries 100 planned, 120 reached; indirect 1 000 / 2 000; 120 participants, 50 men, 70 women.
"""

from __future__ import annotations

from tests.test_plan_fact_columns import PASSPORT, load


def test_tables_nested_in_a_layout_table_are_read(tmp_path, capsys):
    import docx

    document = docx.Document()
    for label, value in PASSPORT:
        document.add_paragraph(f"{label} {value}")
    layout = document.add_table(rows=2, cols=2)
    layout.cell(0, 0).text = "Социальный и экономический эффект"
    layout.cell(1, 0).text = "Статистическая информация"
    for cell, rows in ((layout.cell(0, 1), [["№", "Индикатор", "Единица измерения", "План", "Факт"],
                                            ["1.", "Количество прямых бенефициаров", "человек", "100", "120"],
                                            ["2.", "Количество косвенных бенефициаров", "человек", "1000", "2000"]]),
                       (layout.cell(1, 1), [["Количество участников проекта всего", "Мужчин", "Женщин"],
                                            ["120", "50", "70"]])):
        table = cell.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                table.cell(r, c).text = text
    path = tmp_path / "report.docx"
    document.save(path)
    _, (report,) = load(tmp_path, capsys, path)
    indicators = {code: (v["plan"], v["fact"]) for code, v in report["indicators"].items()}
    assert indicators == {"direct_beneficiaries": (100, 120), "indirect_beneficiaries": (1000, 2000)}
    assert report["gender"] == {"male": 50, "female": 70} and report["participants_total"] == 120
