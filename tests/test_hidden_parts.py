"""What a workbook hides is not read: hidden sheets, and the hidden rows and columns of a form sheet.

The person who filled the form in never saw them (an old draft, an old row, a helper column); each one that held
figures beside labels the catalog knows is named by an `unread_part` finding.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from grantstats.cli import main
from tests.test_form_reader import (
    INDICATOR_HEADER, INDICATOR_ROWS, PASSPORT_CURRENT, check_official_report, ingest_and_show, official_sheet,
    stacked,
)


def hiding_book(path: Path, sheets: dict[str, list[list]], states: dict[str, str] | None = None,
                hidden_rows: dict[str, list[int]] | None = None,
                hidden_cols: dict[str, list[str]] | None = None) -> Path:
    """A workbook with these sheets (rows from A1); sheet states («hidden», «veryHidden»), 1-based rows and
    column letters hidden as Excel hides them."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        ws.sheet_state = (states or {}).get(name, "visible")
        for r in (hidden_rows or {}).get(name, []):
            ws.row_dimensions[r].hidden = True
        for letter in (hidden_cols or {}).get(name, []):
            ws.column_dimensions[letter].hidden = True
    wb.save(path)
    return path


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
