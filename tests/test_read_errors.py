"""A refusal is said in fields (file, sheet, cell, reason and its particulars), never a sentence to be sliced: it
crosses from a parsing worker whole, is renamed for the file as the user named it, and a file the store will not
take is refused by a reason too, with nothing of it left behind."""

from __future__ import annotations

import pickle

from openpyxl import Workbook

from grantstats import store
from grantstats.ingest import prepare_parsed, save_parsed
from grantstats.model import ReadError, Report
from grantstats.readers import read_reports
from grantstats.refusals import refusal, refusal_text


def test_a_refusal_names_file_sheet_and_cell_as_fields_beside_its_line():
    error = refusal("ods_sheet_cells", "svod.ods", sheet="Лист1", cells=2_000_000, limit=1_000_000)
    assert (error.file, error.sheet, error.cell, error.reason) == ("svod.ods", "Лист1", None, "ods_sheet_cells")
    assert error.line == ("sheet 'Лист1' spans 2,000,000 cells, over the 1,000,000 limit; delete the repeated rows "
                          "and columns after the data and save again")
    assert str(error) == "svod.ods: " + error.line


def test_a_refusal_crosses_a_process_boundary_with_every_field():
    error = refusal("tidy_no_id", "tidy.xlsx", row=3, sheet="reports", cell="A3")
    again = pickle.loads(pickle.dumps(error))
    assert (again.file, again.sheet, again.cell, again.reason, again.params, again.line, str(again)) == (
        "tidy.xlsx", "reports", "A3", "tidy_no_id", {"row": 3, "sheet": "reports", "cell": "A3"},
        "sheet reports, row 3: report_id is empty", "tidy.xlsx: sheet reports, row 3: report_id is empty")


def test_a_refusal_renamed_for_the_users_file_replaces_the_alias_in_its_line_too():
    error = refusal("reader_failed", "0a1b.xlsx", error="KeyError", detail="no such part in 0a1b.xlsx")
    shown = error.named("Свод.xlsx", "0a1b.xlsx")
    assert str(shown) == "Свод.xlsx: the reader failed on this file (KeyError: no such part in Свод.xlsx)"
    assert (shown.file, shown.reason, shown.params) == ("Свод.xlsx", "reader_failed", error.params)


def test_a_tidy_export_row_without_an_id_is_refused_naming_its_sheet_and_cell(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "reports"
    sheet.append(["grantee", "report_id", "year"])
    sheet.append(["ОФ «Алау»", "r-1", 2023])
    sheet.append(["ОФ «Жол»", None, 2023])
    path = tmp_path / "tidy.xlsx"
    workbook.save(path)
    try:
        read_reports(path)
    except ReadError as error:
        assert (error.file, error.sheet, error.cell, error.reason) == ("tidy.xlsx", "reports", "B3", "tidy_no_id")
        assert str(error) == "tidy.xlsx: sheet reports, row 3: report_id is empty"
    else:
        raise AssertionError("a tidy row without report_id was read")


def test_a_file_the_store_cannot_take_is_refused_by_reason_and_the_others_load(tmp_path):
    con = store.connect(tmp_path / "g.duckdb")
    parsed = []
    for name, year in (("good.csv", 2023), ("bad.csv", 10**20)):  # a year past DuckDB's INTEGER
        path = tmp_path / name
        path.write_text(name)
        parsed.append(prepare_parsed(path, "registry", [Report(grantee=f"ОФ {name}", contract_no=name, year=year)]))
    good, bad = save_parsed(con, parsed)
    assert (good.status, good.reports, good.reason) == ("loaded", 1, None)
    assert (bad.status, bad.reason, bad.params) == ("refused", "not_stored", {"error": "ConversionException"})
    assert bad.line() == ("refused   bad.csv: the data could not be stored (ConversionException: a value is out of "
                          "range or of the wrong type)")
    assert refusal_text(bad.reason, bad.params, "kk").startswith("деректерді сақтау мүмкін болмады")
    assert con.execute("SELECT contract_no FROM reports").fetchall() == [("good.csv",)]
    con.close()
