"""An indicator named by two rows of the indicator table (a row for each year, an old row left above the new one)
is read from the first, and the other row is named in an unread_part warning: before, it was dropped without a
word. Figures by hand: the first row 60 planned, 70 reached (2023); the second 40 / 50 (2024)."""

from __future__ import annotations

from tests.test_plan_fact_columns import PASSPORT, load, write_book

HEADER = ["№", "Индикатор", "Единица измерения", "Планируемый уровень", "Фактический уровень"]


def test_a_second_row_of_the_same_indicator_is_named(tmp_path, capsys):
    rows = PASSPORT + [[], HEADER,
                       ["1.", "Количество прямых бенефициаров (2023 год)", "человек", 60, 70],
                       ["1.", "Количество прямых бенефициаров (2024 год)", "человек", 40, 50],
                       ["2.", "Количество косвенных бенефициаров", "человек", 1000, 2000]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    direct = report["indicators"]["direct_beneficiaries"]
    assert (direct["plan"], direct["fact"], direct["plan_cell"]) == (60, 70, "D8")
    assert report["indicators"]["indirect_beneficiaries"]["fact"] == 2000
    assert [(f["severity"], f["cell"], f["message"]) for f in report["findings"] if f["rule"] == "unread_part"] == [
        ("warning", "B9", "Часть файла не прочитана — лист «Отчет»: строка индикаторов «Количество прямых бенефициаров "
                          "(2024 год)» (B9) не прочитана: этот индикатор уже прочитан из строки выше (B8) — другой год "
                          "или старая строка? Проверьте, какая верна")]


def test_an_empty_second_row_says_nothing(tmp_path, capsys):
    rows = PASSPORT + [[], HEADER, ["1.", "Количество прямых бенефициаров", "человек", 60, 70],
                       ["1.", "Количество прямых бенефициаров", "человек", None, None]]
    _, (report,) = load(tmp_path, capsys, write_book(tmp_path / "f.xlsx", rows))
    assert [f for f in report["findings"] if f["rule"] == "unread_part"] == []
