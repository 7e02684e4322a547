"""The form reader through the real CLI: workbooks laid out like the final-report form, built with openpyxl."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from grantstats.cli import main
from grantstats.readers.form import read_form, read_forms
from grantstats.readers.grid import Grid, load_grids
from tests.sheet_files import write_xlsx

TITLE = "Заключительный отчет по итогам реализации социального проекта и (или) социальной программы"
PASSPORT_CURRENT = [
    ["1. Полное наименование неправительственной организации:", "ОО «Жастар Альянсы»"],
    ["2. Фамилия, имя, отчество (при наличии) руководителя неправительственной организации:", "Иванова А.Б."],
    ["3. Юридический адрес, контактный телефон:", "г. Актобе, ул. Абая 1, +7 701 000 00 00"],
    ["4. Наименование социального проекта, социальной программы в рамках реализации гранта (направление):",
     "Школа волонтеров «Умит»"],
    ["Направление гранта:", "развитие и поддержка волонтерских инициатив"],
    ["Номер и дата договора:", "№ 72 от 21 апреля 2022 года"],
    ["Регион реализации:", "Актюбинская область"],
    ["5. Дата начала и окончания периода реализации социального проекта и/или социальной программы:",
     "25 мая 2022 года – 30 ноября 2022 года"],
    ["6. Общая сумма средств, выделенная на реализацию гранта:", "4 000 000 (Четыре миллиона) тенге"],
]
INDICATOR_HEADER = ["№", "Индикатор", "Единица измерения", "Планируемый уровень", "Фактический уровень"]
INDICATOR_ROWS = [
    ["1.", "Количество прямых бенефициаров", "человек", 100, 120],
    ["2.", "Количество косвенных бенефициаров (за счет освещения в СМИ)", "человек", "140 тыс.", "около 1 млн"],
    ["3.", "Количество штатных работников", "человек", 3, 3],
    ["4.", "Количество привлеченных специалистов", "человек", 9, "-"],
    ["5.", "Количество охваченных НПО", "организация", 5, 6],
    ["6.", "Фонд оплаты труда от общей суммы гранта", "тенге", "1 200 000", "1 200 000"],
    ["7.", "Налоги (СН, СО, ОСМС только штатных сотрудников)", "тенге", 132000, 132000],
    ["8.", "Вклад в экономику (покупка товаров и услуг)", "тенге", "2 000 000", "1 950 000"],
    ["9.", "Количество партнеров социального проекта (юридические и/или физические лица)", "организация/человек", 4, 5],
]
GENDER = [["Количество участников проекта всего", "Мужчин", "Женщин"], [120, 50, 70]]
CATEGORIES = [
    ["Количество участников проекта всего", "Дети (в том числе дети с инвалидностью)", "Молодежь",
     "Государственные служащие", "Работники бюджетных организаций", "Лица с инвалидностью",
     "Люди старшего возраста (от 50 лет и старше)", "Безработные", "Представители общественных организаций",
     "Представители бизнес-сектора", "Другие категории"],
    [120, 10, 80, "-", 5, 4, 12, 30, "", "—", 2],
]
AGES = [["Количество участников проекта всего", "от 13-16 лет", "17-22 года", "23-27 лет", "28-32 года", "33-45 лет",
         "46-58 лет", "59 лет и выше"],
        [120, 10, 40, 30, 20, 10, 6, 4]]


# ----------------------------------------------------------------------------------------------- helpers


def write_book(path: Path, sheets: dict[str, list[list]], merges: dict[str, list[str]] | None = None) -> Path:
    """A workbook with these sheets (rows from A1), merging the given ranges."""
    return write_xlsx(path, sheets, merges=merges)


def ingest_and_show(tmp_path: Path, capsys, *files: Path) -> list[dict]:
    """Run `ingest` then `show --json` through the CLI; the reports as shown."""
    db = tmp_path / "grants.duckdb"
    code = main(["ingest", *map(str, files), "--db", str(db), "--workers", "0"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert main(["show", "--json", "--db", str(db)]) == 0
    return json.loads(capsys.readouterr().out)


def stacked(*parts: list[list], gap: int = 1) -> list[list]:
    rows: list[list] = []
    for part in parts:
        rows.extend(part)
        rows.extend([[]] * gap)
    return rows


def official_sheet() -> list[list]:
    return stacked([[TITLE]], PASSPORT_CURRENT, [INDICATOR_HEADER] + INDICATOR_ROWS,
                   [["Гендерный показатель:"]] + GENDER, [["Социальный статус по категориям:"]] + CATEGORIES,
                   [["Возрастной показатель:"]] + AGES)


def check_official_report(d: dict, sheet: str) -> None:
    """Every field of the official-sheet report, worked out by hand from the rows above."""
    assert d["grantee"] == "ОО «Жастар Альянсы»"
    assert d["title"] == "Школа волонтеров «Умит»"
    assert d["contract_no"] == "72" and d["contract_date"] == "2022-04-21"
    assert (d["period_start"], d["period_end"]) == ("2022-05-25", "2022-11-30")
    assert d["year"] == 2022
    assert d["direction"] == "16" and d["direction_text"] == "развитие и поддержка волонтерских инициатив"
    assert d["regions"] == ["KZ-15"] and d["region_shares"] == {"KZ-15": 1.0}
    assert d["region_text"] == "Актюбинская область"
    assert d["grant_amount"] == 4_000_000 and d["amount_by_year"] == {}
    assert d["grant_amount_text"] == "4 000 000 (Четыре миллиона) тенге"
    ind = d["indicators"]
    assert {k: (v["plan"], v["fact"]) for k, v in ind.items()} == {
        "direct_beneficiaries": (100, 120), "indirect_beneficiaries": (140_000, 1_000_000), "staff": (3, 3),
        "specialists": (9, None), "ngos_covered": (5, 6), "payroll": (1_200_000, 1_200_000),
        "taxes": (132_000, 132_000), "economy_contribution": (2_000_000, 1_950_000), "partners": (4, 5)}
    assert ind["indirect_beneficiaries"]["fact_qualifier"] == "approx"
    assert ind["indirect_beneficiaries"]["plan_text"] == "140 тыс." and ind["specialists"]["fact_text"] == "-"
    assert ind["ngos_covered"]["unit"] == "организация" and ind["payroll"]["unit"] == "тенге"
    assert ind["partners"]["label"] == INDICATOR_ROWS[8][1]
    assert d["participants_total"] == 120
    assert d["gender"] == {"male": 50, "female": 70}
    assert d["categories"] == {"children": 10, "youth": 80, "public_sector": 5, "disabled": 4, "elderly": 12,
                               "unemployed": 30, "other": 2}
    assert d["age"] == {"13-16": 10, "17-22": 40, "23-27": 30, "28-32": 20, "33-45": 10, "46-58": 6, "59+": 4}
    assert d["derived_from_percent"] == {}
    assert d["source"]["layout"] == "form" and d["source"]["sheet"] == sheet


# ----------------------------------------------------------------------------------------------- layouts


def test_one_sheet_stacked_official_form_every_field(tmp_path, capsys):
    book = write_book(tmp_path / "report.xlsx", {"Отчет": official_sheet()})
    [d] = ingest_and_show(tmp_path, capsys, book)
    check_official_report(d, "Отчет")
    # rows: 1 title, 2 blank, 3-11 passport (values in B), 12 blank, 13 indicator header, 14-22 indicators
    assert d["source"]["cell"] == "A3"
    assert d["source"]["field_cells"]["grantee"] == "B3"
    assert d["source"]["field_cells"]["grant_amount"] == "B11"
    assert d["indicators"]["direct_beneficiaries"]["plan_cell"] == "D14"
    assert d["indicators"]["direct_beneficiaries"]["fact_cell"] == "E14"
    assert d["indicators"]["partners"]["fact_cell"] == "E22"
    assert d["activities"] == []


def test_three_sheets_in_another_order_with_odd_names(tmp_path, capsys):
    participants = stacked([["Гендерный показатель"]] + GENDER, CATEGORIES, AGES)
    book = write_book(tmp_path / "r.xlsx", {
        "Лист3": participants,
        " эффект (2)": [["Заполните таблицу"], INDICATOR_HEADER] + INDICATOR_ROWS,
        "Sheet1": [[TITLE], []] + PASSPORT_CURRENT,
    })
    [d] = ingest_and_show(tmp_path, capsys, book)
    check_official_report(d, "Лист3")
    assert d["source"]["cell"] == "A2"  # the first part in workbook order: the gender table's header
    assert d["source"]["field_cells"]["grantee"] == "B3"
    assert d["indicators"]["staff"]["sheet"] == " эффект (2)"
    assert d["indicators"]["staff"]["plan_cell"] == "D5"


def test_older_and_own_label_wordings(tmp_path, capsys):
    passport = [
        ["Грантополучатель", "ОФ «Болашак»"],
        ["Тема гранта", "Медиашкола «Сана»"],
        ["Номер договора", "15-ГГ"],
        ["Дата договора", datetime(2019, 3, 4)],
        ["Дата начала", "11.03.2019"],
        ["Дата окончания", "30.11.2019"],
        ["Размер гранта, тенге", 2_500_000],
        ["Регион", "ВКО"],
        ["Приоритетное направление", "2. охрана здоровья граждан, пропаганда здорового образа жизни"],
        ["Год реализации", "2019 год"],
    ]
    indicators = [
        ["Показатель", "Ед. изм.", "план", "факт"],
        ["Прямые бенефициары", "человек", 40, 45],
        ["в том числе из социально уязвимых категорий населения", "человек", 10, 12],
        ["Охват в СМИ (косвенные бенефициары)", "человек", 5000, 7000],
        ["Привлеченные специалисты", "человек", 4, 4],
        ["из них из социально уязвимых категорий населения", "человек", 1, 2],
        ["ФОТ", "тенге", 600_000, 600_000],
    ]
    gender = [["Всего участников", "Мужчины", "Женщины"], [45, 20, 25]]
    categories = [["Всего участников", "дети-инвалиды", "Инвалиды", "Молодёжь", "пенсионеры", "безработные "],
                  [45, 3, 5, 30, 2, 1]]
    ages = [["Всего участников", "13-16", "17-22", "23-27", "59+"], [45, 5, 20, 18, 2]]
    book = write_book(tmp_path / "older.xlsx", {"Form": stacked(passport, indicators, gender, categories, ages)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert (d["grantee"], d["title"], d["contract_no"], d["contract_date"]) == (
        "ОФ «Болашак»", "Медиашкола «Сана»", "15-ГГ", "2019-03-04")
    assert (d["period_start"], d["period_end"], d["year"]) == ("2019-03-11", "2019-11-30", 2019)
    assert d["grant_amount"] == 2_500_000 and d["regions"] == ["KZ-63"] and d["direction"] == "2"
    assert {k: (v["plan"], v["fact"]) for k, v in d["indicators"].items()} == {
        "direct_beneficiaries": (40, 45), "direct_beneficiaries_vulnerable": (10, 12),
        "indirect_beneficiaries": (5000, 7000), "specialists": (4, 4), "specialists_vulnerable": (1, 2),
        "payroll": (600_000, 600_000)}
    assert d["indicators"]["specialists_vulnerable"]["label"] == "из них из социально уязвимых категорий населения"
    assert d["gender"] == {"male": 20, "female": 25}
    assert d["categories"] == {"children": 3, "disabled": 5, "youth": 30, "elderly": 2, "unemployed": 1}
    assert d["age"] == {"13-16": 5, "17-22": 20, "23-27": 18, "59+": 2}


def test_percent_tables_become_people_rounding_half_up_and_marked_derived(tmp_path, capsys):
    gender = [["Количество участников проекта всего", "Мужчин", "Женщин"], [70, "30%", "70%"]]
    ages = [AGES[0], [70, "-", "25%", "30%", "30%", "10%", "5%", "-"]]
    categories = [CATEGORIES[0], [70, "-", "95%", "10%", "3%", "-", "", "", "", "", ""]]
    book = write_book(tmp_path / "pct.xlsx", {"Отчет": stacked(PASSPORT_CURRENT, gender, categories, ages)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    # 30% of 70 = 21, 70% = 49; 25% = 17.5 -> 18; 10% = 7; 5% = 3.5 -> 4; 95% = 66.5 -> 67; 3% = 2.1 -> 2
    assert d["gender"] == {"male": 21, "female": 49}
    assert d["age"] == {"17-22": 18, "23-27": 21, "28-32": 21, "33-45": 7, "46-58": 4}
    assert d["categories"] == {"youth": 67, "civil_servants": 7, "public_sector": 2}
    assert sorted(d["derived_from_percent"]["gender"]) == ["female", "male"]
    assert len(d["derived_from_percent"]["age"]) == 5 and len(d["derived_from_percent"]["categories"]) == 3
    assert d["participants_total"] == 70


@pytest.mark.parametrize("total_label", ["Всего", "Итого, чел.", "Барлығы"])
def test_a_participant_table_headed_by_a_bare_total_word_is_read(tmp_path, capsys, total_label):
    """«Всего» | «Мужчин» | «Женщин» (no «участников» in the first header) was a table lost without a word."""
    gender = [[total_label, "Мужчин", "Женщин"], [120, 50, 70]]
    ages = [[total_label] + AGES[0][1:], AGES[1]]
    book = write_book(tmp_path / "bare.xlsx", {"Отчет": stacked(PASSPORT_CURRENT, gender, CATEGORIES, ages)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["gender"] == {"male": 50, "female": 70} and d["participants_total"] == 120
    assert d["age"] == {"13-16": 10, "17-22": 40, "23-27": 30, "28-32": 20, "33-45": 10, "46-58": 6, "59+": 4}


def test_an_indicator_table_split_in_two_with_its_header_repeated_is_one_table():
    """A page break in the indicator table, the header repeated over rows 6-9 (as Word repeats it): the four
    indicators of the second half were lost without a word; a second table naming the same indicators again is
    not joined but named (unread_part)."""
    split = stacked(PASSPORT_CURRENT, [INDICATOR_HEADER] + INDICATOR_ROWS[:5], [INDICATOR_HEADER] + INDICATOR_ROWS[5:],
                    GENDER)
    reading = read_forms([grid("Отчет", split)])
    [report] = reading.reports
    assert len(report.indicators) == 9 and not reading.unread
    assert (report.indicators["payroll"].fact.value, report.indicators["partners"].fact.value) == (1_200_000, 5)
    twice = stacked(PASSPORT_CURRENT, [INDICATOR_HEADER] + INDICATOR_ROWS, [INDICATOR_HEADER] + INDICATOR_ROWS[:2])
    reading = read_forms([grid("Отчет", twice)])
    [report] = reading.reports
    assert report.indicators["direct_beneficiaries"].fact.value == 120
    assert [u.cell for u in reading.unread] == ["A22"]  # passport 1-9, table 11-20, the second header in row 22


def test_figures_under_a_label_or_unit_in_thousands_of_tenge_are_read_in_tenge():
    """«Сумма гранта (тыс. тенге)» 4 000 and a unit cell «тыс. тенге» were stored as 4 000 ₸, 2 160 ₸ with no
    finding; a figure with its own multiplier («1,2 млн») and counts of people are left as they are."""
    passport = [row if "Общая сумма" not in row[0] else ["Сумма гранта (тыс. тенге):", "4 000"]
                for row in PASSPORT_CURRENT]
    rows = [r if r[2] != "тенге" else [r[0], r[1], "тыс. тенге", *r[3:]] for r in INDICATOR_ROWS]
    rows[5] = ["6.", "Фонд оплаты труда от общей суммы гранта", "тыс. тенге", "2 160", "1,2 млн"]
    [report] = read_forms([grid("Отчет", stacked(passport, [INDICATOR_HEADER] + rows))]).reports
    assert report.grant_amount.value == 4_000_000 and report.grant_amount.raw == "4 000"
    payroll = report.indicators["payroll"]
    assert (payroll.plan.value, payroll.fact.value) == (2_160_000, 1_200_000)
    assert report.indicators["taxes"].plan.value == 132_000_000  # 132000 thousand: too_large says so
    assert report.indicators["direct_beneficiaries"].fact.value == 120


def test_participant_tables_typed_as_excel_percents_are_percents(tmp_path, capsys):
    """0,3 and 0,7 in cells formatted «0%» (shown 30 % and 70 %; the format is not read) were stored as 0,3 and
    0,7 people: gender and age parts that are fractions adding up to 1 are percents, and the category table beside
    them too."""
    gender = [GENDER[0], [120, 0.3, 0.7]]
    ages = [AGES[0], [120, "", 0.25, 0.3, 0.3, 0.1, 0.05, ""]]
    categories = [CATEGORIES[0], [120, "", 0.95, 0.1, "", "", "", "", "", "", ""]]
    book = write_book(tmp_path / "xlpct.xlsx", {"Отчет": stacked(PASSPORT_CURRENT, gender, categories, ages)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["gender"] == {"male": 36, "female": 84}  # 30 % and 70 % of 120
    assert d["age"] == {"17-22": 30, "23-27": 36, "28-32": 36, "33-45": 12, "46-58": 6}
    assert d["categories"] == {"youth": 114, "civil_servants": 12}
    few = [GENDER[0], [3, 1, 2]]  # whole people: as typed
    book = write_book(tmp_path / "few.xlsx", {"Отчет": stacked(PASSPORT_CURRENT, few)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["gender"] == {"male": 1, "female": 2}


def test_an_indicator_row_with_figures_and_an_unknown_label_is_named_not_dropped():
    """A row inside the indicator table whose label names no indicator («Волонтеры», 12/15) was dropped without a
    word: an unread_part names it; a row under the table's last is not its row; «Штатные сотрудники» and the
    Kazakh «Ер адамдар / Әйел адамдар» are known wordings."""
    rows = list(INDICATOR_ROWS)
    rows[2] = ["3.", "Штатные сотрудники", "человек", 3, 3]
    rows.insert(4, ["4а.", "Волонтеры", "человек", 12, 15])
    below = [["", "Подпись руководителя", "", 1, 2]]
    gender = [["Количество участников проекта всего", "Ер адамдар", "Әйел адамдар"], [120, 50, 70]]
    reading = read_forms([grid("Отчет", stacked(PASSPORT_CURRENT, [INDICATOR_HEADER] + rows, below, gender))])
    [report] = reading.reports
    assert len(report.indicators) == 9 and report.indicators["staff"].fact.value == 3
    assert {p.bucket: p.people for p in report.participants} == {"male": 50, "female": 70}
    [unread] = reading.unread
    assert unread.cell == "B16" and unread.text_en == (
        "the indicator row «Волонтеры» (B16) is not read: no such indicator in the catalog")


def test_a_row_numbering_the_columns_under_a_participant_header_is_not_its_figures():
    """«1 2 3» under «Всего участников | Мужчин | Женщин» was read as total 1, male 2, female 3."""
    gender = [GENDER[0], [1, 2, 3], GENDER[1]]
    [report] = read_forms([grid("Отчет", stacked(PASSPORT_CURRENT, gender))]).reports
    assert {p.bucket: p.people for p in report.participants} == {"male": 50, "female": 70}
    assert report.participants_total.value == 120


def test_columns_a_table_already_has_are_named_not_added_to_it():
    """A second plan/fact pair (another year's) and a gender table with «Мужчин | Женщин» twice (a second form
    beside the first) were read silently: the extra pair dropped, the second men and women added to the first
    report's. The first of each is read; the others are named by an unread_part finding."""
    header = INDICATOR_HEADER + ["План 2024", "Факт 2024"]
    rows = [r + [r[3], r[4]] for r in INDICATOR_ROWS]
    gender = [GENDER[0] + ["Мужчин", "Женщин"], GENDER[1] + [100, 110]]
    reading = read_forms([grid("Отчет", stacked(PASSPORT_CURRENT, [header] + rows, gender))])
    [report] = reading.reports
    assert report.indicators["direct_beneficiaries"].fact.value == 120
    assert {p.bucket: p.people for p in report.participants} == {"male": 50, "female": 70}
    assert [u.text_en for u in reading.unread] == [
        "the indicator table: columns F11 «План 2024», G11 «Факт 2024» are not read — it already has such columns "
        "(another year, or another report beside it?)",
        "the participant table by gender: columns D22 «Мужчин», E22 «Женщин» are not read — it already has such "
        "columns (another year, or another report beside it?)"]


def test_blank_total_is_taken_from_the_other_tables_when_they_agree(tmp_path, capsys):
    gender = [GENDER[0], ["", "40%", "60%"]]
    ages = [AGES[0], [50, 5, 20, 15, 10, "", "", ""]]
    categories = [CATEGORIES[0], [50, "", "50%", "", "", "", "", "", "", "", ""]]
    book = write_book(tmp_path / "blank.xlsx", {"Отчет": stacked(PASSPORT_CURRENT, gender, categories, ages)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["participants_total"] == 50
    assert d["gender"] == {"male": 20, "female": 30}
    assert d["categories"] == {"youth": 25}


def test_blank_total_stays_unknown_when_the_other_tables_disagree():
    rows = stacked(PASSPORT_CURRENT, [GENDER[0], ["", "40%", "60%"]], [AGES[0], [50, 50, "", "", "", "", "", ""]],
                   [CATEGORIES[0], [60, "", 60, "", "", "", "", "", "", "", ""]])
    [report], _ = read_form([grid("Отчет", rows)], "x.xlsx")
    male = next(p for p in report.participants if p.bucket == "male")
    assert male.people is None and male.percent == 40 and male.derived


def test_amount_per_year_in_one_cell_gives_years_and_total(tmp_path, capsys):
    passport = PASSPORT_CURRENT[:-1] + [[
        "6. Общая сумма средств, выделенная на реализацию гранта:",
        "- на 2023 год - 34 495 376 (тридцать четыре миллиона четыреста девяносто пять тысяч триста семьдесят "
        "шесть) тенге\n- на 2024 год - 36 045 560 (тридцать шесть миллионов сорок пять тысяч пятьсот шестьдесят) тенге"]]
    book = write_book(tmp_path / "years.xlsx", {"Отчет": stacked(passport, [INDICATOR_HEADER] + INDICATOR_ROWS)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["amount_by_year"] == {"2023": 34_495_376, "2024": 36_045_560}
    assert d["grant_amount"] == 34_495_376 + 36_045_560


def test_amount_per_year_one_line_a_row_under_the_label(tmp_path, capsys):
    passport = PASSPORT_CURRENT[:-1] + [
        ["6. Общая сумма средств, выделенная на реализацию гранта:"],
        ["- на 2023 год - 10 000 000 тенге"],
        ["- на 2024 год - 12 500 000 тенге"],
        ["Дата отчета:", "15.12.2024"],
    ]
    book = write_book(tmp_path / "rows.xlsx", {"Отчет": stacked(passport, [INDICATOR_HEADER] + INDICATOR_ROWS)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["amount_by_year"] == {"2023": 10_000_000, "2024": 12_500_000}
    assert d["grant_amount"] == 22_500_000
    assert d["report_date"] == "2024-12-15"


def test_extra_title_and_blank_rows_and_label_value_in_one_cell(tmp_path, capsys):
    passport = [
        ["Грантополучатель: ОО «Жастар Альянсы»"],
        ["Тема гранта: Школа волонтеров «Умит»"],
        ["Договор: № 72 от 21 апреля 2022 года"],
        ["Срок реализации: 25 мая 2022 года – 30 ноября 2022 года"],
        ["Сумма гранта: 4 000 000 (Четыре миллиона) тенге"],
        ["Регион: Актюбинская область"],
        ["Направление: развитие и поддержка волонтерских инициатив"],
    ]
    rows = stacked([[TITLE], ["СИНТЕТИЧЕСКИЕ ДАННЫЕ"], ["Отчет за 2022 год"]], passport,
                   [["Социальный и экономический эффект"], INDICATOR_HEADER] + INDICATOR_ROWS,
                   [["Гендерный показатель:"]] + GENDER, [["Социальный статус по категориям:"]] + CATEGORIES,
                   [["Возрастной показатель:"]] + AGES, gap=3)
    book = write_book(tmp_path / "inline.xlsx", {"Отчет": rows})
    [d] = ingest_and_show(tmp_path, capsys, book)
    d["grant_amount_text"] = "4 000 000 (Четыре миллиона) тенге"
    check_official_report(d, "Отчет")
    assert d["source"]["field_cells"]["grantee"] == "A7"  # the cell holding «label: value»


def test_merged_cells_tall_labels_and_two_row_headers(tmp_path, capsys):
    rows: list[list] = [[TITLE], []]
    merges = ["A1:F1"]
    for label, value in PASSPORT_CURRENT:  # every label and value in a cell two rows tall
        r = len(rows) + 1
        rows += [[label, value], []]
        merges += [f"A{r}:A{r + 1}", f"B{r}:B{r + 1}"]
    rows.append([])
    h = len(rows) + 1
    rows += [["№", "Индикатор", "Единица измерения", "Значение", None], [None, None, None, "план", "факт"]]
    merges += [f"D{h}:E{h}", f"A{h}:A{h + 1}", f"B{h}:B{h + 1}", f"C{h}:C{h + 1}"]
    rows += INDICATOR_ROWS + [[]]
    for table in (GENDER, CATEGORIES, AGES):  # header cells two rows tall, values under them
        h = len(rows) + 1
        rows += [table[0], [], table[1], []]
        merges += [f"{col}{h}:{col}{h + 1}" for col in "ABCDEFGHIJK"[:len(table[0])]]
    book = write_book(tmp_path / "merged.xlsx", {"Отчет": rows}, {"Отчет": merges})
    [d] = ingest_and_show(tmp_path, capsys, book)
    check_official_report(d, "Отчет")
    assert d["source"]["field_cells"]["title"] == "B9"
    assert d["indicators"]["direct_beneficiaries"]["plan_cell"] == "D24"


def test_activities_are_kept_with_several_values_a_cell(tmp_path, capsys):
    activities = [
        ["Задача", "Мероприятия в рамках задачи", "Дата проведения", "Место проведения", "Кол-во участников",
         "Краткосрочные достигнутые результаты", "Количественные и качественные индикаторы", "Индикаторы", None,
         "Эффект"],
        [None, None, None, None, None, None, None, "план", "факт", None],
        ["Задача 1. Организация офиса", "Мероприятие 1.1 Концепция", "сентябрь 2023", "г. Шымкент",
         "8 человек", "концепция", "- концепция;", 1, 1, "подготовлен материал"],
        [None, "Мероприятие 1.2 Колл-центр", "октябрь 2023", "г. Шымкент", "8 человек", "бот", "- бот;\n- чат",
         "1\n\n20", "1\n\n20", "рассылка"],
        ["Задача 2. Обучение", "Мероприятие 2.1 Обучение", "октябрь 2023", "онлайн", "2 человека", "обучение",
         "- не менее 50", 73, 73, None],
    ]
    book = write_book(tmp_path / "act.xlsx", {"Отчет": stacked(PASSPORT_CURRENT, activities,
                                                                [INDICATOR_HEADER] + INDICATOR_ROWS)},
                      {"Отчет": ["H11:I11", "A11:A12", "B11:B12"]})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert [a["activity"] for a in d["activities"]] == [
        "Мероприятие 1.1 Концепция", "Мероприятие 1.2 Колл-центр", "Мероприятие 2.1 Обучение"]
    assert [a["task"] for a in d["activities"]] == [
        "Задача 1. Организация офиса", "Задача 1. Организация офиса", "Задача 2. Обучение"]
    second = d["activities"][1]
    assert (second["date_text"], second["place"], second["participants_text"]) == (
        "октябрь 2023", "г. Шымкент", "8 человек")
    assert (second["plan_text"], second["fact_text"]) == ("1\n\n20", "1\n\n20")
    assert d["activities"][2]["plan_text"] == "73"
    assert len(d["indicators"]) == 9  # the activities' план/факт header is not the indicator table


def test_report_missing_some_parts_loads_with_what_it_has(tmp_path, capsys):
    book = write_book(tmp_path / "part.xlsx", {"Отчет": stacked(PASSPORT_CURRENT, [["Гендерный показатель:"]] + GENDER)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["grantee"] == "ОО «Жастар Альянсы»" and d["indicators"] == {}
    assert d["gender"] == {"male": 50, "female": 70} and d["age"] == {} and d["participants_total"] == 120


def test_workbook_without_a_report_is_refused_naming_the_missing_parts(tmp_path, capsys):
    book = write_book(tmp_path / "notes.xlsx", {"Лист1": [["Список дел"], ["купить бумагу", 3], ["позвонить", "завтра"]]})
    code = main(["ingest", str(book), "--db", str(tmp_path / "g.duckdb"), "--workers", "0"])
    out = capsys.readouterr().out
    assert code == 1
    assert "refused   notes.xlsx" in out
    for part in ("passport labels", "indicator table", "participant tables"):
        assert part in out


def test_passport_labels_in_a_header_row_take_the_values_below():
    rows = [["Грантополучатель", "Тема гранта", "Договор", "Сумма гранта", "Регион"],
            ["ОО «Нур»", "Клуб «Арман»", "№ 5 от 1 марта 2021 года", 1_500_000, "г. Астана"],
            [], [INDICATOR_HEADER[1], "Единица измерения", "план", "факт"],
            ["Количество прямых бенефициаров", "человек", 10, 12]]
    [report], missing = read_form([grid("Паспорт", rows)], "x.xlsx")
    assert (report.grantee, report.title, report.contract_no) == ("ОО «Нур»", "Клуб «Арман»", "5")
    assert report.grant_amount.value == 1_500_000 and report.regions == [("KZ-71", 1.0)]
    assert report.field_at["title"].cell == "B2"
    assert report.indicators["direct_beneficiaries"].fact.value == 12
    assert "participant tables" in missing


def test_region_from_the_project_title_when_no_region_field(tmp_path, capsys):
    passport = [PASSPORT_CURRENT[0], ["Тема гранта", "Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО"],
                PASSPORT_CURRENT[8]]
    book = write_book(tmp_path / "title.xlsx", {"Отчет": stacked(passport, [INDICATOR_HEADER] + INDICATOR_ROWS)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["regions"] == ["KZ-79", "KZ-27"] and d["region_shares"] == {"KZ-79": 0.5, "KZ-27": 0.5}


def test_shifted_table_keeps_units_and_labels_and_is_realigned_by_units():
    """A label two rows tall, values typed row after row: every value below it sits one row up."""
    rows = [INDICATOR_HEADER,
            ["1.", "Количество прямых бенефициаров", "человек", 100, 120],
            ["2.", "Количество охваченных НПО", "организация", 5, 6],
            ["3.", "Фонд оплаты труда от общей суммы гранта", "тенге", 1_200_000, 1_200_000],
            [None, None, "тенге", 132_000, 132_000],
            ["4.", "Налоги (СН, СО, ОСМС только штатных сотрудников)", "организация/человек", 4, 5],
            ["5.", "Количество партнеров социального проекта (юридические и/или физические лица)"]]
    g = grid("Отчет", stacked(PASSPORT_CURRENT, rows))
    g.merged = [((13, 1), (14, 1))]  # B14:B15, the payroll label (passport 1-9, blank, header 11, rows 12-17)
    [report], _ = read_form([g], "x.xlsx")
    ind = report.indicators
    assert (ind["payroll"].plan.value, ind["taxes"].plan.value) == (1_200_000, 132_000)
    assert (ind["partners"].plan.value, ind["partners"].fact.value) == (4, 5)
    assert ind["partners"].unit == "организация/человек" and ind["partners"].label == rows[6][1]
    assert ind["taxes"].unit == "тенге" and ind["taxes"].plan_at.cell == "D15"
    assert [f.rule for f in report.findings] == ["unit_mismatch"]


def test_synthetic_layouts_round_trip_through_ingest(tmp_path, capsys):
    from grantstats.numbers import percent_to_people, round_half_up
    from grantstats.sample import make_reports
    from grantstats.template import ARRANGEMENTS, write_form_report

    reports = make_reports(40, seed=5)
    files = [write_form_report(tmp_path / f"r{i}.xlsx", r, arrangement=i) for i, r in enumerate(reports)]
    shown = {d["contract_no"]: d for d in ingest_and_show(tmp_path, capsys, *files)}
    assert len(shown) == len(reports) and len(ARRANGEMENTS) >= 5
    for r in reports:
        d = shown[r["contract_no"]]
        for key in ("grantee", "title", "contract_date", "period_start", "period_end", "year", "direction",
                    "grant_amount", "amount_by_year", "participants_total"):
            assert d[key] == r[key], (key, r["contract_no"])
        if r["region_text"]:
            assert d["regions"] == r["regions"]
        assert {k: (v["plan"], v["fact"]) for k, v in d["indicators"].items()} == {
            k: (v["plan"], v["fact"]) for k, v in r["indicators"].items()}
        total = r["participants_total"]
        for key in ("gender", "age", "categories"):
            expected = r[key]
            if r["percent_tables"]:
                expected = {b: percent_to_people(round_half_up(100 * v / total), total) for b, v in expected.items()}
            assert d[key] == expected, (key, r["contract_no"])


def grid(name: str, rows: list[list]) -> Grid:
    width = max((len(r) for r in rows), default=0)
    return Grid(name, [[("" if v is None else v) for v in r] + [""] * (width - len(r)) for r in rows])


@pytest.mark.parametrize("arrangement", range(5))
def test_every_layout_reads_the_same_report(tmp_path, arrangement):
    from grantstats.sample import make_reports
    from grantstats.template import write_form_report

    r = make_reports(3, seed=9)[0]
    path = write_form_report(tmp_path / "x.xlsx", r, arrangement=arrangement)
    [report], _ = read_form(load_grids(path), "x.xlsx")
    assert (report.grantee, report.title, report.contract_no) == (r["grantee"], r["title"], r["contract_no"])
    assert report.grant_amount.value == r["grant_amount"]


def test_a_value_that_reads_like_a_label_is_still_the_value(tmp_path, capsys):
    """«Область | область Улытау» and «Регион | республиканский проект»: the right cell is the value."""
    for region_label, region_value, expected in (("Область", "область Улытау", ["KZ-62"]),
                                                 ("Регион", "республиканский проект", ["KZ"])):
        folder = tmp_path / expected[0]
        folder.mkdir()
        path = write_book(folder / "r.xlsx", {"Отчет": [
            ["Грантополучатель", "ОО «Орнек KZ»"],
            ["Тема гранта", "Театральная студия"],
            [region_label, region_value],
            ["Направление", "развитие культуры и искусства"],
            [],
            ["Индикатор", "Единица измерения", "Планируемый уровень", "Фактический уровень"],
            ["Количество прямых бенефициаров", "человек", 50, 70],
        ]})
        [report] = ingest_and_show(folder, capsys, path)
        assert report["regions"] == expected and report["region_text"] == region_value
        assert report["direction"] == "11" and report["grantee"] == "ОО «Орнек KZ»"


def test_participant_tables_with_different_totals_are_each_checked_against_their_own(tmp_path, capsys):
    """The category table says 118 where the gender and age tables say 120: one finding lists the three totals
    (at the category total, A15); the age parts (10+40+30+20+10+6+4 = 120) agree with their own table."""
    import duckdb

    categories = [CATEGORIES[0], [118] + CATEGORIES[1][1:]]
    book = write_book(tmp_path / "totals.xlsx", {"Отчет": stacked(PASSPORT_CURRENT, GENDER, categories, AGES)})
    [d] = ingest_and_show(tmp_path, capsys, book)
    assert d["participants_total"] == 120  # the first table's total stands for the report
    with duckdb.connect(str(tmp_path / "grants.duckdb"), read_only=True) as con:
        found = con.execute("SELECT rule, severity, cell, message_ru, message_en FROM findings"
                            " WHERE rule = 'sum_mismatch'").fetchall()
    assert found == [("sum_mismatch", "warning", "A15",
                      "Итоги таблиц участников расходятся: по полу — 120 (A12); по категориям — 118 (A15); "
                      "по возрасту — 120 (A18)",
                      "The participant tables' totals disagree: Gender — 120 (A12); Category — 118 (A15); "
                      "Age — 120 (A18)")]


# ----------------------------------------------------------------------------------------------- instructions


def test_an_instruction_sheet_before_the_report_makes_no_report_and_changes_no_field(tmp_path, capsys):
    """The form's instructions beside its labels («Регион: область или город республиканского значения») are
    no values: no second report, and the report's own fields stand."""
    instructions = [["Инструкция по заполнению формы"],
                    ["Грантополучатель: полное наименование НПО согласно справке о регистрации"],
                    ["Сумма гранта: указывается в тенге, цифрами"],
                    ["Регион: область или город республиканского значения"]]
    book = write_book(tmp_path / "instructions.xlsx", {"Инструкция": instructions, "Отчет": official_sheet()})
    [d] = ingest_and_show(tmp_path, capsys, book)
    check_official_report(d, "Отчет")
    assert d["source"]["sheet"] == "Отчет"
    assert [f for f in d["findings"] if f["sheet"] == "Инструкция"] == []


def test_an_instruction_in_the_first_label_does_not_become_the_grantee(tmp_path, capsys):
    instructions = [["Инструкция по заполнению формы"],
                    ["1. Полное наименование неправительственной организации: указать полностью"],
                    ["Номер и дата договора", "указывается номер и дата договора"]]
    book = write_book(tmp_path / "one_label.xlsx", {"Инструкция": instructions, "Отчет": official_sheet()})
    [d] = ingest_and_show(tmp_path, capsys, book)
    check_official_report(d, "Отчет")
    assert d["field_texts"]["contract"] == "№ 72 от 21 апреля 2022 года"


def test_a_workbook_of_instructions_only_is_refused(tmp_path, capsys):
    instructions = [["Грантополучатель:", "указать полностью"], ["Тема гранта:", "заполнить"],
                    ["Регион:", "область или город республиканского значения"]]
    book = write_book(tmp_path / "only_instructions.xlsx", {"Инструкция": instructions})
    code = main(["ingest", str(book), "--db", str(tmp_path / "g.duckdb"), "--workers", "0"])
    out = capsys.readouterr().out
    assert code == 1 and "refused   only_instructions.xlsx" in out, out


def test_a_table_header_read_as_grantee_and_title_labels_makes_no_second_report():
    """After the form's tables, a partners table's header reads as passport labels («Наименование организации»:
    grantee, «Роль в проекте»: title) with values below it, and a text line naming the project comes first
    (the pieces of an indicator table a PDF lost): a grantee and title with no period, amount or region beside
    them are no report of their own; the participant table goes to the one report the file holds."""
    rows = [["Грантополучатель:", "ОФ «АСЕР»"], ["Наименование проекта:", "Экологический патруль"],
            ["Сумма гранта:", "6 000 000"], ["Период реализации:", "1 апреля 2022 года – 30 ноября 2022 года"], [],
            ["Задача", "Мероприятия в рамках задачи", "Дата проведения"], ["Задача 1", "Семинар", "май 2022"], [],
            ["проекта"], ["Количество участников проекта всего", "Мужчин", "Женщин"], [210, 100, 110], [],
            ["Наименование организации", "Роль в проекте"], ["ТОО «Партнер»", "Содействие в вовлечении молодежи"]]
    reports, _ = read_form([Grid("Отчет", rows)], "book.xlsx")
    [report] = reports
    assert (report.grantee, report.title) == ("ОФ «АСЕР»", "Экологический патруль")
    assert {p.bucket: p.people for p in report.participants if p.dimension == "gender"} == {"male": 100, "female": 110}
