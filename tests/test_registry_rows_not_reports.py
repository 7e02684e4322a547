"""Rows of a consolidated sheet that are no reports — totals, region subtotals, a repeated header, notes, group
rows, another table's header — never become reports nor reach a total, and each is named by its row in an
unread_part finding; a real report row with some empty figures still loads.

Every file below holds two reports worked out by hand: ОО «Альфа» (5 000 000 ₸, direct beneficiaries 100 planned,
120 reached; 50 men, 70 women) and ОФ «Бета» (3 000 000 ₸, 200 / 180; 80 men, 100 women): 8 000 000 ₸, 300
reached, 130 men and 170 women in all. A totals row that were read would double each of them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grantstats.cli import main
from tests.sheet_files import write_ods, write_xls, write_xlsx

HEADER = ["№", "Грантополучатель", "Наименование проекта", "Номер договора", "Дата договора", "Регион",
          "Сумма гранта, тенге", "Прямые бенефициары план", "Прямые бенефициары факт", "Мужчин", "Женщин"]
ALFA = [1, "ОО «Альфа»", "Проект А", "12", "01.03.2023", "г. Астана", 5_000_000, 100, 120, 50, 70]
BETA = [2, "ОФ «Бета»", "Проект Б", "13", "02.03.2023", "Карагандинская область", 3_000_000, 200, 180, 80, 100]
SUMS = [8_000_000, 300, 300, 130, 170]
BLANK = [""] * len(HEADER)


def total_row(*label: object) -> list:
    """A totals row: its label cells (№, grantee…) padded to the figures, then the summed figures."""
    return [*label, *[""] * (6 - len(label)), *SUMS]


def load(tmp_path: Path, capsys, book: Path) -> tuple[str, list[dict], dict]:
    """Ingest one file; its ingest line, its reports as `show --json` gives them, and the `summary` totals."""
    db = tmp_path / "g.duckdb"
    assert main(["ingest", str(book), "--db", str(db), "--workers", "0"]) == 0
    out = capsys.readouterr().out
    assert main(["show", "--json", "--db", str(db)]) == 0
    reports = json.loads(capsys.readouterr().out)
    assert main(["summary", "--format", "json", "--db", str(db)]) == 0
    [summary] = json.loads(capsys.readouterr().out)
    return out, reports, summary


def assert_two_reports(out: str, reports: list[dict], summary: dict) -> None:
    assert sorted(r["grantee"] for r in reports) == ["ОО «Альфа»", "ОФ «Бета»"], out
    assert (summary["reports"], summary["grant_amount"], summary["direct_beneficiaries"], summary["direct_plan"],
            summary["male"], summary["female"]) == (2, 8_000_000, 300, 300, 130, 170)


def unread(reports: list[dict]) -> list[tuple[str, str | None, str]]:
    """The unread_part findings of the file (every report of it carries the same ones): severity, cell, text."""
    found = {(f["severity"], f["cell"], f["message_en"]) for r in reports for f in r["findings"]
             if f["rule"] == "unread_part"}
    return sorted(found, key=lambda f: f[1] or "")


TOTAL_LABELS = {
    "pivot_table": ("", "Общий итог"),
    "itog": ("", "Итог"),
    "itog_colon_first_cell": ("Итог:",),
    "grand_total": ("", "Grand Total"),
    "summa": ("", "Сумма"),
    "letter_spaced": ("", "И т о г о"),
    "numbered": (3, "Итого"),
    "upper_case_colon": ("", "ИТОГО:"),
    "vsego_po": ("", "Всего по области:"),
    "numbered_vsego_po": (3, "Всего по области"),
    "kazakh": ("", "Барлығы"),
    "in_title_column": ("", "", "Итого"),
}


@pytest.mark.parametrize("label", TOTAL_LABELS.values(), ids=TOTAL_LABELS.keys())
def test_totals_row_with_any_totals_label_is_no_report_and_is_named(tmp_path, capsys, label):
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, ALFA, BETA, total_row(*label)]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert_two_reports(out, reports, summary)
    assert unread(reports) == [("info", "A4", "Part of the file was not read — sheet «Свод»: rows not read as "
                                              "reports — totals rows 4")]
    assert "not read" not in out  # every report of the sheet is whole: the ingest line does not say otherwise


@pytest.mark.parametrize("suffix, write", [(".ods", write_ods), (".xls", write_xls)])
def test_pivot_totals_row_in_ods_and_legacy_xls_is_no_report(tmp_path, capsys, suffix, write):
    book = write(tmp_path / f"svod{suffix}", {"Свод": [HEADER, ALFA, BETA, total_row("", "Общий итог")]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert_two_reports(out, reports, summary)
    assert [cell for _, cell, _ in unread(reports)] == ["A4"]


def test_csv_totals_row_and_signature_under_the_table_are_no_reports(tmp_path, capsys):
    src = tmp_path / "svod.csv"
    src.write_text(";".join(HEADER) + "\n"
                   + "\n".join(";".join(str(v) for v in row) for row in (ALFA, BETA)) + "\n"
                   + ";;;;;;;;;;\n"
                   + "Итого;;;;;;8 000 000;300;300;130;170\n"
                   + ";Подготовил: специалист отдела;;;;;;;;;\n", encoding="utf-8")
    out, reports, summary = load(tmp_path, capsys, src)
    assert_two_reports(out, reports, summary)
    assert unread(reports) == [("info", "A5", "Part of the file was not read — sheet «svod»: rows not read as reports"
                                              " — totals rows 5; rows with no figure, contract or year (notes, "
                                              "signatures, groups) 6")]


def test_region_subtotal_rows_are_no_reports(tmp_path, capsys):
    astana = ["", "г. Астана", "", "", "", "", 5_000_000, 100, 120, 50, 70]
    karaganda = ["", "Карагандинская область", "", "", "", "", 3_000_000, 200, 180, 80, 100]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, ALFA, astana, BETA, karaganda]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert_two_reports(out, reports, summary)
    assert unread(reports) == [("info", "A3", "Part of the file was not read — sheet «Свод»: rows not read as "
                                              "reports — region subtotals 3, 5")]


def test_an_ngo_named_after_its_region_or_with_summa_in_its_name_is_a_report(tmp_path, capsys):
    youth = [3, "ОО «Карагандинская область молодежи»", "", "", "", "", 1_000_000, 10, 12, 5, 7]
    summa = [4, "ОФ «Сумма добра»", "Проект Г", "", "", "", 2_000_000, 20, 25, 10, 15]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, ALFA, BETA, youth, summa]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert len(reports) == 4 and "4 reports" in out, out
    assert (summary["grant_amount"], summary["direct_beneficiaries"]) == (11_000_000, 337)
    assert unread(reports) == []


def test_repeated_header_row_is_no_report(tmp_path, capsys):
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, ALFA, HEADER, BETA]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert_two_reports(out, reports, summary)
    assert unread(reports) == [("info", "A3", "Part of the file was not read — sheet «Свод»: rows not read as "
                                              "reports — repeated header 3")]


def test_notes_and_signature_under_the_table_are_no_reports_and_not_quoted(tmp_path, capsys):
    note = ["", "Примечание: данные по отчету №13 уточняются", *[""] * 9]
    signature = ["", "Исполнитель: Иванова А.А., тел. 8 701 123 45 67", *[""] * 9]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, ALFA, BETA, BLANK, note, signature]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert_two_reports(out, reports, summary)
    assert unread(reports) == [("info", "A5", "Part of the file was not read — sheet «Свод»: rows not read as "
                                              "reports — rows with no figure, contract or year (notes, signatures, "
                                              "groups) 5, 6")]
    assert "Иванова" not in json.dumps(reports, ensure_ascii=False)  # named by row, never quoted


def test_region_group_rows_without_figures_are_no_reports(tmp_path, capsys):
    group = ["", "Акмолинская область", *[""] * 9]
    karaganda = ["", "Карагандинская область", *[""] * 9]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, group, ALFA, karaganda, BETA]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert_two_reports(out, reports, summary)
    assert [(severity, cell) for severity, cell, _ in unread(reports)] == [("info", "A2")]
    assert unread(reports)[0][2].endswith("(notes, signatures, groups) 2, 4")


def test_a_second_table_with_another_header_is_not_read_under_the_first(tmp_path, capsys):
    second = ["№", "Грантополучатель", "Наименование проекта", "Номер договора", "Год", "Регион", "Сумма гранта",
              "Мужчин", "Женщин", "Молодежь", "Дети"]
    again = [1, "ОО «Альфа»", "Проект А", "12", 2023, "г. Астана", 5_000_000, 40, 60, 30, 10]
    caption = ["", "Таблица 2. Участники", *[""] * 9]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, ALFA, BETA, BLANK, caption, second, again]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert_two_reports(out, reports, summary)
    assert unread(reports) == [
        ("info", "A5", "Part of the file was not read — sheet «Свод»: rows not read as reports — rows with no "
                       "figure, contract or year (notes, signatures, groups) 5"),
        ("warning", "A6", "Part of the file was not read — sheet «Свод»: a table with another header from row 6 is "
                          "not read")]
    assert "not read: sheet «Свод»" in out, out


def test_real_report_rows_with_some_empty_figures_still_load(tmp_path, capsys):
    gamma = [3, "ОО «Гамма»", "Проект В", "14", "", "г. Шымкент", 2_000_000, None, 50, None, None]
    delta = [4, "ОО «Дельта»", "Проект Г", "", "03.04.2023", "", None, None, None, None, None]  # a year only
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [HEADER, ALFA, BETA, gamma, delta]})
    out, reports, summary = load(tmp_path, capsys, book)
    assert len(reports) == 4 and "4 reports" in out, out
    by_grantee = {r["grantee"]: r for r in reports}
    assert by_grantee["ОО «Гамма»"]["grant_amount"] == 2_000_000
    assert by_grantee["ОО «Гамма»"]["indicators"]["direct_beneficiaries"]["fact"] == 50
    assert by_grantee["ОО «Дельта»"]["year"] == 2023 and by_grantee["ОО «Дельта»"]["grant_amount"] is None
    assert (summary["reports"], summary["grant_amount"], summary["direct_beneficiaries"]) == (4, 10_000_000, 350)
    assert unread(reports) == []


def test_a_passport_in_one_header_row_with_its_tables_on_another_sheet_stays_one_form_report(tmp_path, capsys):
    # its values row holds no figure, contract or year: no registry report, so the form reader reads the sheet
    passport = [["Грантополучатель", "Наименование проекта", "Регион", "Направление"],
                ["ОО «Жастар»", "Школа волонтеров", "Актюбинская область",
                 "развитие и поддержка волонтерских инициатив"]]
    tables = [["№", "Индикатор", "Единица измерения", "Планируемый уровень", "Фактический уровень"],
              ["1.", "Количество прямых бенефициаров", "человек", 100, 120], [],
              ["Количество участников проекта всего", "Мужчин", "Женщин"], [120, 50, 70]]
    book = write_xlsx(tmp_path / "report.xlsx", {"Паспорт": passport, "Таблицы": tables})
    out, reports, summary = load(tmp_path, capsys, book)
    [report] = reports
    assert (report["grantee"], report["title"], report["regions"]) == ("ОО «Жастар»", "Школа волонтеров", ["KZ-15"])
    assert report["indicators"]["direct_beneficiaries"]["fact"] == 120 and report["gender"] == {"male": 50, "female": 70}
    assert unread(reports) == []
