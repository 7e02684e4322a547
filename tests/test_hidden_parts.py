"""What a workbook hides is not read: hidden sheets, and the hidden rows and columns of a form sheet.

The person who filled the form in never saw them (an old draft, an old row, a helper column); each one that held
figures beside labels the catalog knows is named by an `unread_part` finding.
"""

from __future__ import annotations

from pathlib import Path

from grantstats.cli import main
import pytest

from tests.sheet_files import write_ods, write_xls, write_xlsx
from tests.test_form_reader import (
    GENDER, INDICATOR_HEADER, INDICATOR_ROWS, PASSPORT_CURRENT, check_official_report, ingest_and_show, official_sheet,
    stacked,
)


def hiding_book(path: Path, sheets: dict[str, list[list]], states: dict[str, str] | None = None,
                hidden_rows: dict[str, list[int]] | None = None,
                hidden_cols: dict[str, list[str]] | None = None) -> Path:
    """A workbook with these sheets (rows from A1); sheet states («hidden», «veryHidden»), 1-based rows and
    column letters hidden as Excel hides them (in an .ods or .xls by that path's suffix: no sheet states)."""
    if path.suffix in (".ods", ".xls"):
        assert not states
        write = write_ods if path.suffix == ".ods" else write_xls
        return write(path, sheets, hidden_rows=hidden_rows, hidden_columns=hidden_cols)
    return write_xlsx(path, sheets, hidden_columns=hidden_cols, hidden_rows=hidden_rows, states=states)


def unread_messages(d: dict) -> list[str]:
    return [f["message_en"] for f in d["findings"] if f["rule"] == "unread_part"]


def draft_sheet() -> list[list]:
    """An old draft of another report: its own grantee, 999 direct beneficiaries planned and reached."""
    passport = [list(row) for row in PASSPORT_CURRENT]
    passport[0][1] = "ОО «Черновик»"
    rows = [list(row) for row in INDICATOR_ROWS]
    rows[0][3:5] = [999, 999]
    return stacked(passport, [INDICATOR_HEADER] + rows)


# ----------------------------------------------------------------------------------------------- sheets


def test_a_hidden_and_a_very_hidden_sheet_are_not_read_and_the_draft_is_named(tmp_path, capsys):
    book = hiding_book(tmp_path / "hidden_sheets.xlsx",
                       {"Отчет": official_sheet(), "Черновик": draft_sheet(), "Списки": [["Регионы"], ["ЗКО"]]},
                       states={"Черновик": "hidden", "Списки": "veryHidden"})
    [d] = ingest_and_show(tmp_path, capsys, book)
    check_official_report(d, "Отчет")
    assert d["indicators"]["direct_beneficiaries"]["plan"] == 100
    # the first three labels in a row with a figure, 40 characters each (the amount «4 000 000 (Четыре
    # миллиона) тенге» is no bare figure); «Списки» holds no figure beside a known label, so it is no finding
    assert unread_messages(d) == [
        "Part of the file was not read — sheet «Черновик»: a hidden sheet is not read, though it holds figures "
        "beside known labels («Количество прямых бенефициаров», «Количество косвенных бенефициаров (за сч», "
        "«Количество штатных работников»)"]


def test_a_workbook_whose_only_report_is_on_a_hidden_sheet_is_refused_saying_so(tmp_path, capsys):
    book = hiding_book(tmp_path / "only_hidden.xlsx", {"Лист1": [["Примечание"]], "Отчет": official_sheet()},
                       states={"Отчет": "hidden"})
    code = main(["ingest", str(book), "--db", str(tmp_path / "g.duckdb"), "--workers", "0"])
    out = capsys.readouterr().out
    assert code == 1
    assert "refused   only_hidden.xlsx" in out and "sheet «Отчет»: a hidden sheet is not read" in out, out


# ----------------------------------------------------------------------------------------------- rows and columns


OLD_DIRECT_ROW = ["1.", "Количество прямых бенефициаров", "человек", 50, 55]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods", ".xls"])
def test_a_hidden_old_row_above_the_visible_one_is_not_read_and_is_named(tmp_path, capsys, suffix):
    """Title (row 1), passport (3-11), the indicator header (13), the hidden old row 14 (50 / 55), then the
    form's rows from 15: the visible 100 / 120 is read, in the cells the file names."""
    sheet = stacked([["Заключительный отчет"]], PASSPORT_CURRENT,
                    [INDICATOR_HEADER, OLD_DIRECT_ROW] + INDICATOR_ROWS, GENDER)
    book = hiding_book(tmp_path / f"hidden_row{suffix}", {"Отчет": sheet}, hidden_rows={"Отчет": [14]})
    [d] = ingest_and_show(tmp_path, capsys, book)
    direct = d["indicators"]["direct_beneficiaries"]
    assert (direct["plan"], direct["fact"], direct["plan_cell"], direct["fact_cell"]) == (100, 120, "D15", "E15")
    assert d["indicators"]["partners"]["fact_cell"] == "E23" and len(d["indicators"]) == 9
    assert d["gender"] == {"male": 50, "female": 70} and d["participants_total"] == 120
    assert unread_messages(d) == ["Part of the file was not read — sheet «Отчет»: hidden rows not read: "
                                  "14 «Количество прямых бенефициаров»"]


@pytest.mark.parametrize("suffix", [".xlsx", ".ods", ".xls"])
def test_a_hidden_column_of_old_facts_is_not_read_and_the_visible_facts_are(tmp_path, capsys, suffix):
    """Columns A-F: plan in D, the hidden old facts in E (plan + 1), the facts in F."""
    header = INDICATOR_HEADER[:4] + ["Фактический уровень (старый)", "Фактический уровень"]
    rows = [row[:4] + [(row[3] + 1) if isinstance(row[3], int) else "", row[4]] for row in INDICATOR_ROWS]
    book = hiding_book(tmp_path / f"hidden_col{suffix}", {"Отчет": stacked(PASSPORT_CURRENT, [header] + rows, GENDER)},
                       hidden_cols={"Отчет": ["E"]})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert {k: (v["plan"], v["fact"]) for k, v in d["indicators"].items()} == {
        "direct_beneficiaries": (100, 120), "indirect_beneficiaries": (140_000, 1_000_000), "staff": (3, 3),
        "specialists": (9, None), "ngos_covered": (5, 6), "payroll": (1_200_000, 1_200_000),
        "taxes": (132_000, 132_000), "economy_contribution": (2_000_000, 1_950_000), "partners": (4, 5)}
    assert d["indicators"]["direct_beneficiaries"]["fact_cell"] == "F12"  # passport 1-9, header 11
    assert d["gender"] == {"male": 50, "female": 70}
    assert unread_messages(d) == ["Part of the file was not read — sheet «Отчет»: hidden columns not read: "
                                  "E «Фактический уровень (старый)»"]


def test_hidden_empty_rows_and_columns_change_nothing_but_are_counted_in_cell_names(tmp_path, capsys):
    """The official sheet with its blank row 2 and an empty column L hidden: the same report, no finding, and
    every cell named as in the file."""
    book = hiding_book(tmp_path / "hidden_empty.xlsx", {"Отчет": official_sheet()}, hidden_rows={"Отчет": [2]},
                       hidden_cols={"Отчет": ["L"]})
    [d] = ingest_and_show(tmp_path, capsys, book)
    check_official_report(d, "Отчет")
    assert unread_messages(d) == []
    direct = d["indicators"]["direct_beneficiaries"]
    assert (direct["plan_cell"], direct["fact_cell"]) == ("D14", "E14")  # title 1, passport 3-11, header 13


def test_a_merge_over_a_hidden_row_keeps_its_value_in_the_first_shown_cell():
    from grantstats.readers.grid import Grid, without_hidden

    grid = Grid("Отчет", [["Тема гранта", "x"], ["", "y"], ["", "z"]], merged=[((0, 0), (2, 0))])
    shown = without_hidden(grid, frozenset({0}), frozenset())
    assert shown.rows == [["Тема гранта", "y"], ["", "z"]] and shown.merged == [((0, 0), (1, 0))]
    assert (shown.cell(0, 1), shown.cell(1, 0), shown.position(2, 1)) == ("B2", "A3", (1, 1))
