"""The indicator table laid on its side — the indicators across a header row, a unit row, a «План» row and a
«Факт» row under it — is read like the form's, each figure from its cell. Before, all its indicators were lost and
the report said only that the direct beneficiaries' fact was not given.
By hand: direct beneficiaries 100 / 120 (B9, B10), indirect 1 000 / 2 000, payroll 1 200 000 / 1 210 000 tenge.
"""

from __future__ import annotations

from tests.test_plan_fact_columns import PASSPORT, load, write_book

TABLE = [["Индикатор", "Количество прямых бенефициаров", "Количество косвенных бенефициаров",
          "Фонд оплаты труда от общей суммы гранта"],
         ["Единица измерения", "человек", "человек", "тенге"],
         ["План", 100, 1000, 1_200_000],
         ["Факт", 120, 2000, 1_210_000]]


def test_an_indicator_table_on_its_side(tmp_path, capsys):
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", PASSPORT + [[], *TABLE]))
    figures = {code: (v["plan"], v["fact"]) for code, v in report["indicators"].items()}
    assert figures == {"direct_beneficiaries": (100, 120), "indirect_beneficiaries": (1000, 2000),
                       "payroll": (1_200_000, 1_210_000)}
    direct = report["indicators"]["direct_beneficiaries"]
    assert (direct["plan_cell"], direct["fact_cell"], direct["unit"]) == ("B9", "B10", "человек")
    assert [f["message_en"] for f in report["findings"] if f["rule"] in ("missing_field", "unread_part")] == [
        "Missing field: direction — not given"]  # (the passport gives none; the indicators are all there)


def test_plan_rows_without_indicator_labels_above_are_no_table(tmp_path, capsys):
    rows = PASSPORT + [[], ["Мероприятие", "Срок", "Место"], ["План", "май", "г. Шымкент"], ["Факт", "июнь", "г. Шымкент"]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert report["indicators"] == {}
