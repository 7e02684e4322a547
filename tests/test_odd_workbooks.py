"""Odd and broken workbooks, one small file for each kind of failure the reader libraries' own test files
(calamine, xlrd, python-calamine: fuzzer-made and damaged) showed: each loads or is refused in one line,
with no traceback and no report that names no organisation and holds no figure."""

from __future__ import annotations

import json
import struct
import zipfile
from pathlib import Path

from grantstats.cli import main
from grantstats.readers import read_reports
from grantstats.model import ReadError
from grantstats.safety import Limits, check_file
from tests.sheet_files import write_xls, write_xlsb, write_xlsx


def ingest(tmp_path: Path, capsys, *paths: Path) -> tuple[int, str, Path]:
    db = tmp_path / "g.duckdb"
    code = main(["ingest", *map(str, paths), "--db", str(db), "--workers", "0"])
    return code, capsys.readouterr().out, db


def refusal(path: Path) -> str:
    try:
        read_reports(path)
    except ReadError as exc:
        return str(exc)
    raise AssertionError(f"{path.name} was not refused")


def test_a_registry_whose_rows_name_no_organisation_and_hold_no_figure_gives_no_shells(tmp_path, capsys):
    # what a fuzzer-made .xls held: a header naming a contract and a period, and 191 rows of just those
    rows = [["Contract No", "Period", "Period start", "Comment"]]
    rows += [[f"9603186{i}", "2000", "01.01.2000", "x"] for i in range(6)]
    book = write_xls(tmp_path / "fuzzed.xls", {"Colsale": rows})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 1
    [line] = [x for x in out.splitlines() if "fuzzed.xls" in x]
    assert line.startswith("refused   fuzzed.xls: no report found — sheet «Colsale»: a registry header, but no row "
                           "names an organisation or holds a figure; expected a registry header row")


def test_a_lone_label_that_looks_like_a_passport_line_is_no_report(tmp_path):
    rows = [["BKG_NUM", "ARR_LOC", "NAME"], ["4894831", "WOODLEY AV", "CAMPOS"],
            ["GRANDEE                 AV", "103RD                   ST"]]
    book = write_xlsx(tmp_path / "bookings.xlsx", {"Sheet1": rows})
    message = refusal(book)
    assert message.startswith("bookings.xlsx: no report found — sheet «Sheet1»: passport labels («GRANDEE")
    assert "too few to be a form" in message


def test_figures_beside_known_labels_with_nothing_to_tie_them_to_are_named_in_the_refusal(tmp_path):
    rows = [["Показатель", "Значение"], ["Количество прямых бенефициаров", 120], ["Мужчин", 50], ["Женщин", 70]]
    message = refusal(write_xlsx(tmp_path / "figures.xlsx", {"Итоги": rows, "Пусто": [], "Ещё": []}))
    assert message == (
        "figures.xlsx: no report found — sheet «Итоги»: figures beside known labels («Количество прямых "
        "бенефициаров», «Мужчин», «Женщин»), but no registry header naming an organisation or a title and no form "
        "passport to tie them to a report; 2 empty sheets; expected a registry header row naming report fields "
        "(grantee, region, grant amount, beneficiaries…) or a final-report form (passport labels, an indicator "
        "table, participant tables)")


def test_a_workbook_with_no_filled_cell_names_its_sheets(tmp_path):
    book = write_xlsx(tmp_path / "blank.xlsx", {"Лист1": [], "Лист2": []})
    assert refusal(book) == "blank.xlsx: the file is empty (no filled cell in sheet «Лист1», «Лист2»)"


def test_a_sheet_that_cannot_be_read_leaves_the_others_and_is_said_to_be_unread(tmp_path, capsys):
    good = write_xlsx(tmp_path / "good.xlsx", {"Реестр": [["Грантополучатель", "Регион", "Сумма гранта"],
                                                          ["ОО «Алға»", "Атырау", 1_000_000]],
                                               "Лист2": [["x"]]})
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            out.writestr(item, b"<worksheet><sheetData><row><c r=" if item.filename.endswith("sheet2.xml") else data)
    code, out, db = ingest(tmp_path, capsys, broken)
    assert code == 0 and "loaded    broken.xlsx: 1 report; not read: sheet «Лист2» (see check)" in out, out
    assert main(["show", "--json", "--db", str(db)]) == 0
    [d] = json.loads(capsys.readouterr().out)
    [unread] = [f for f in d["findings"] if f["rule"] == "unread_part"]
    assert unread["message_en"].startswith("Part of the file was not read — sheet «Лист2»: the sheet cannot be read")


def test_every_file_of_a_folder_gets_its_line(tmp_path, capsys):
    folder = tmp_path / "inbox"
    folder.mkdir()
    write_xlsx(folder / "svod.xlsx", {"Реестр": [["Грантополучатель", "Регион", "Сумма гранта"],
                                                 ["ОО «Алға»", "Атырау", 1_000_000]]})
    (folder / "scan.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    (folder / "~$svod.xlsx").write_bytes(b"lock")
    (folder / ".DS_Store").write_bytes(b"\0\0\0\1Bud1")
    (folder / "README").write_text("notes")
    code, out, _ = ingest(tmp_path, capsys, folder)
    assert code == 0, out
    lines = out.splitlines()
    assert "skipped   .DS_Store: a hidden file, not a report file" in lines
    assert "skipped   README: not a report file (no suffix); expected .csv, .docx, .ods, .pdf, .txt, .xls, .xlsb, .xlsm or .xlsx" \
        in lines
    assert "skipped   scan.png: not a report file (.png); expected .csv, .docx, .ods, .pdf, .txt, .xls, .xlsb, .xlsm or .xlsx" \
        in lines
    assert "skipped   ~$svod.xlsx: an Office lock file (the workbook is open in Excel), not a report file" in lines
    assert "loaded    svod.xlsx: 1 report" in lines
    assert lines[-1].startswith("5 files: 1 loaded (1 report), 0 unchanged, 0 refused, 4 skipped; database ")


def test_an_xlsb_is_checked_by_its_bytes_and_its_declared_extent(tmp_path):
    book = write_xlsb(tmp_path / "book.bin.xlsx", {"Лист1": [["a", 1]]})  # a binary workbook under another name
    assert check_file(book) == "xlsb"
    huge = tmp_path / "huge.xlsb"
    with zipfile.ZipFile(book) as src, zipfile.ZipFile(huge, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.bin":  # BrtWsDim: rows 0..1048575, columns 0..16383
                at = data.index(b"\x94\x01\x10") + 3
                data = data[:at] + struct.pack("<IIII", 0, 1_048_575, 0, 16_383) + data[at + 16:]
            out.writestr(item, data)
    message = ""
    try:
        check_file(huge, Limits())
    except ReadError as exc:
        message = str(exc)
    assert message.startswith("huge.xlsb: sheet sheet1.bin declares 17,179,869,184 cells (1,048,576 × 16,384), over the "
                              "5,000,000 limit")


def test_a_file_with_no_report_is_refused_with_each_sheet_s_reason_in_the_page_s_language(tmp_path):
    import pytest

    from grantstats.refusals import refusal_text

    path = tmp_path / "notes.csv"
    path.write_text("Погода;Настроение\nсолнечно;хорошее\n", encoding="utf-8")
    with pytest.raises(ReadError) as caught:
        read_reports(path)
    texts = {lang: refusal_text(caught.value, lang=lang) for lang in ("ru", "kk", "en")}
    assert "лист «notes»: ничего знакомого каталогу" in texts["ru"]
    assert "парақ «notes»: каталогқа таныс ештеңе жоқ" in texts["kk"] and texts["kk"].startswith("есеп табылмады")
    assert "sheet «notes»: nothing the catalog knows" in texts["en"]
