"""Layouts staff really send, each built here and loaded through the real CLI, every field checked by hand:
a registry with Kazakh headers, cp1251 CSV, .ods, legacy .xls and .xlsb, two forms in one workbook, numbers
typed with units, personal-data columns, a numbering row and a hidden column, abbreviations and year ranges;
a whole form's sheet is not searched for a registry header, and a registry sheet beside it is read as one."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from grantstats.cli import main
from grantstats.readers import registry
from tests.sheet_files import write_ods, write_xls, write_xlsb, write_xlsx


def ingest(tmp_path: Path, capsys, *files: Path, workers: str = "0") -> tuple[int, str, Path]:
    db = tmp_path / "g.duckdb"
    code = main(["ingest", *map(str, files), "--db", str(db), "--workers", workers])
    return code, capsys.readouterr().out, db


def shown(capsys, db: Path) -> list[dict]:
    assert main(["show", "--json", "--db", str(db)]) == 0
    return json.loads(capsys.readouterr().out)


def by_grantee(reports: list[dict]) -> dict[str, dict]:
    return {r["grantee"]: r for r in reports}


def figures(d: dict) -> dict[str, tuple]:
    return {k: (v["plan"], v["fact"]) for k, v in d["indicators"].items()}


def rules(d: dict) -> list[tuple[str, str, str | None]]:
    return sorted((f["rule"], f["severity"], f["cell"]) for f in d["findings"])


# ----------------------------------------------------------------------------------------- Kazakh registry

KAZAKH_HEADER = ["Р/с №", "Үкіметтік емес ұйымның атауы", "БСН", "Жобаның атауы", "Өңір", "Грант бағыты",
                 "Шарттың нөмірі мен күні", "Грант сомасы, теңге", "Іске асыру кезеңі",
                 "Тікелей бенефициарлар саны (жоспар)", "Тікелей бенефициарлар саны (нақты)",
                 "Жанама бенефициарлар саны (нақты)", "Жобаға қатысушылар саны, барлығы", "Ерлер", "Әйелдер"]
KAZAKH_ROWS = [
    [1, "«Қорған-М» қоғамдық бірлестігі", "210440012345", "«Жастар үйі» жобасы", "Шымкент қаласы",
     "4) жастар саясатын және балалар бастамаларын қолдау", "2023 жылғы 1 наурыздағы № 12", "34 495 376",
     "2023 жылғы 1 наурыз – 2023 жылғы 30 қараша", 500, 520, "140 мың", 520, 200, 320],
    [2, "«Ақ жол» қоғамдық қоры", None, "Экологиялық мектеп", "Батыс Қазақстан облысы", "3. Қоршаған ортаны қорғау",
     "№ 7-ГГ от 15.02.2023", 4000000, "15.02.2023 - 15.12.2023", 100, 90, 1000, 90, 40, 50],
]


def test_registry_with_kazakh_headers_loads_every_field(tmp_path, capsys):
    book = write_xlsx(tmp_path / "тізілім.xlsx", {"Тізілім": [
        ["2023 жылғы мемлекеттік гранттар бойынша қорытынды есептер тізілімі"], [], KAZAKH_HEADER, *KAZAKH_ROWS]})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0 and "loaded    тізілім.xlsx: 2 reports" in out, out
    reports = by_grantee(shown(capsys, db))
    assert len(reports) == 2
    korgan = reports["«Қорған-М» қоғамдық бірлестігі"]
    assert korgan["bin"] == "210440012345" and korgan["title"] == "«Жастар үйі» жобасы"
    assert korgan["regions"] == ["KZ-79"] and korgan["direction"] == "4"
    assert (korgan["contract_no"], korgan["contract_date"]) == ("12", "2023-03-01")
    assert korgan["grant_amount"] == 34_495_376 and korgan["year"] == 2023
    assert (korgan["period_start"], korgan["period_end"]) == ("2023-03-01", "2023-11-30")
    assert figures(korgan) == {"direct_beneficiaries": (500, 520), "indirect_beneficiaries": (None, 140_000)}
    assert korgan["participants_total"] == 520 and korgan["gender"] == {"male": 200, "female": 320}
    akzhol = reports["«Ақ жол» қоғамдық қоры"]
    assert akzhol["bin"] is None and akzhol["regions"] == ["KZ-27"] and akzhol["direction"] == "3"
    assert (akzhol["contract_no"], akzhol["contract_date"]) == ("7-ГГ", "2023-02-15")
    assert akzhol["grant_amount"] == 4_000_000 and akzhol["year"] == 2023
    assert (akzhol["period_start"], akzhol["period_end"]) == ("2023-02-15", "2023-12-15")
    assert figures(akzhol) == {"direct_beneficiaries": (100, 90), "indirect_beneficiaries": (None, 1000)}
    assert akzhol["participants_total"] == 90 and akzhol["gender"] == {"male": 40, "female": 50}


# ----------------------------------------------------------------------------------------- the same registry in .ods, .xls, .xlsb

RU_HEADER = ["№ п/п", "Наименование организации", "Тема проекта", "Регион", "Направление", "Номер договора",
             "Дата договора", "Сумма гранта", "Прямые бенефициары (план)", "Прямые бенефициары (факт)",
             "Количество участников", "Мужчин", "Женщин"]
RU_ROWS = [[1, "ОО «Нур»", "Клуб «Арман»", "г. Астана", "Направление 11", "15-ГГ", "01.03.2021", 1500000, 40, 45, 45,
            20, 25],
           [2, "ОФ «Самал»", "Школа волонтеров", "Мангистауская область", "16", "16-ГГ", "02.03.2021", 2500000, 60,
            61, 61, 30, 31]]


def check_ru_registry(reports: dict[str, dict]) -> None:
    nur, samal = reports["ОО «Нур»"], reports["ОФ «Самал»"]
    assert (nur["title"], nur["regions"], nur["direction"]) == ("Клуб «Арман»", ["KZ-71"], "11")
    assert (nur["contract_no"], nur["contract_date"], nur["year"]) == ("15-ГГ", "2021-03-01", 2021)
    assert nur["grant_amount"] == 1_500_000 and figures(nur) == {"direct_beneficiaries": (40, 45)}
    assert nur["participants_total"] == 45 and nur["gender"] == {"male": 20, "female": 25}
    assert (samal["title"], samal["regions"], samal["direction"]) == ("Школа волонтеров", ["KZ-47"], "16")
    assert (samal["contract_no"], samal["contract_date"], samal["year"]) == ("16-ГГ", "2021-03-02", 2021)
    assert samal["grant_amount"] == 2_500_000 and figures(samal) == {"direct_beneficiaries": (60, 61)}
    assert samal["participants_total"] == 61 and samal["gender"] == {"male": 30, "female": 31}


@pytest.mark.parametrize("suffix, write", [(".ods", write_ods), (".xls", write_xls), (".xlsb", write_xlsb)])
def test_registry_in_ods_legacy_xls_and_xlsb_loads_every_field(tmp_path, capsys, suffix, write):
    book = write(tmp_path / f"реестр{suffix}", {"Реестр": [["Реестр отчетов за 2021 год"], RU_HEADER, *RU_ROWS],
                                                "Примечания": [["Данные сверены с договорами"]]})
    code, out, db = ingest(tmp_path, capsys, book, workers="1")  # through the guarded worker, like every load
    assert code == 0 and f"loaded    реестр{suffix}: 2 reports" in out, out
    reports = by_grantee(shown(capsys, db))
    assert len(reports) == 2
    check_ru_registry(reports)
    assert all(r["source"]["layout"] == "registry" and r["source"]["sheet"] == "Реестр" for r in reports.values())


# ----------------------------------------------------------------------------------------- cp1251 CSV

def test_cp1251_csv_with_a_number_and_date_column_and_year_ranges(tmp_path, capsys):
    text = ("Грантополучатель;Тема гранта;№, дата договора;Годы реализации;Регион;Сумма гранта;"
            "Прямые бенефициары (факт)\r\n"
            "ОО «Шанырак»;Семейный центр;№72 от 21.04.2022г.;2022-2023;Павлодарская обл.;1,5E+06;4E+02\r\n"
            "ОФ «Береке»;Кружок;б/н от 01.03.2023;2023–2024 гг.;СКО;\"2 500 000,00\";1.2e3\r\n"
            "ЧУ «Ырыс»;Лагерь;б/н;2022 г.;ВКО;900 000;60\r\n")
    src = tmp_path / "свод.csv"
    src.write_bytes(text.encode("cp1251"))
    code, out, db = ingest(tmp_path, capsys, src)
    assert code == 0 and "loaded    свод.csv: 3 reports" in out, out
    reports = by_grantee(shown(capsys, db))
    shanyrak, bereke, yrys = reports["ОО «Шанырак»"], reports["ОФ «Береке»"], reports["ЧУ «Ырыс»"]
    assert (shanyrak["contract_no"], shanyrak["contract_date"]) == ("72", "2022-04-21")
    assert shanyrak["year"] == 2022 and shanyrak["regions"] == ["KZ-55"]
    assert (shanyrak["period_start"], shanyrak["period_end"]) == ("2022-01-01", "2023-12-31")  # from the years
    assert shanyrak["grant_amount"] == 1_500_000 and shanyrak["grant_amount_text"] == "1,5E+06"
    assert shanyrak["indicators"]["direct_beneficiaries"]["fact"] == 400
    assert (bereke["contract_no"], bereke["contract_date"], bereke["year"]) == (None, "2023-03-01", 2023)
    assert (bereke["period_start"], bereke["period_end"]) == ("2023-01-01", "2024-12-31")
    assert bereke["grant_amount"] == 2_500_000 and bereke["regions"] == ["KZ-59"]
    assert bereke["indicators"]["direct_beneficiaries"]["fact"] == 1200
    assert (yrys["contract_no"], yrys["contract_date"], yrys["year"]) == (None, None, 2022)
    assert (yrys["period_start"], yrys["period_end"]) == (None, None)  # one year: no period is made up
    assert yrys["grant_amount"] == 900_000 and yrys["regions"] == ["KZ-63"]
    assert yrys["field_texts"] == {"contract": "б/н", "year": "2022 г."}


# ----------------------------------------------------------------------------------------- numbers with units

def test_numbers_typed_with_units_and_words(tmp_path, capsys):
    header = ["Грантополучатель", "Тема гранта", "Год", "Сумма гранта", "Прямые бенефициары (план)",
              "Прямые бенефициары (факт)", "Косвенные бенефициары (факт)", "ФОТ (факт)",
              "Количество участников проекта всего", "Молодежь"]
    rows = [["ОО «Алау»", "Медиашкола", 2024, "4 000 000 тг", "не менее 50 человек", "70 чел.", "около 1,2 млн",
             "1 200 000,00 тенге", "70 человек", "30%"],
            ["ОФ «Кемел»", "Спорт для всех", 2024, "2,5 млн. тенге", "100", "более 100", "140 тыс. чел.",
             "₸ 900 000", "120", "60 чел."]]
    book = write_xlsx(tmp_path / "units.xlsx", {"Свод": [header, *rows]})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0, out
    reports = by_grantee(shown(capsys, db))
    alau, kemel = reports["ОО «Алау»"], reports["ОФ «Кемел»"]
    assert alau["grant_amount"] == 4_000_000 and alau["grant_amount_text"] == "4 000 000 тг"
    direct = alau["indicators"]["direct_beneficiaries"]
    assert (direct["plan"], direct["plan_qualifier"], direct["fact"]) == (50, "at_least", 70)
    indirect = alau["indicators"]["indirect_beneficiaries"]
    assert (indirect["fact"], indirect["fact_qualifier"]) == (1_200_000, "approx")
    assert alau["indicators"]["payroll"]["fact"] == 1_200_000 and alau["participants_total"] == 70
    assert alau["categories"] == {"youth": 21} and alau["derived_from_percent"] == {"categories": ["youth"]}
    assert kemel["grant_amount"] == 2_500_000
    direct = kemel["indicators"]["direct_beneficiaries"]
    assert (direct["plan"], direct["fact"], direct["fact_qualifier"]) == (100, 100, "at_least")
    assert kemel["indicators"]["indirect_beneficiaries"]["fact"] == 140_000
    assert kemel["indicators"]["payroll"]["fact"] == 900_000
    assert kemel["participants_total"] == 120 and kemel["categories"] == {"youth": 60}


# ----------------------------------------------------------------------------------------- personal data

PERSONAL = ["Иванова Айгуль Серикбаевна", "Петров П.П.", "87011234567", "+7 (702) 765-43-21", "nur@mail.kz",
            "aigul.i@gmail.com", "850415300123", "901231400777", "8 701 111 22 33", "Сейткали Б.М."]


def test_registry_with_personal_data_columns_stores_none_of_it(tmp_path, capsys):
    header = ["Наименование НПО", "БИН", "ФИО руководителя", "Телефон", "E-mail", "ИИН", "Тема проекта", "Регион",
              "Сумма гранта", "Количество партнеров", "Контакты партнеров", "Год"]
    rows = [["ОО «Нур»", "200340012345", "Иванова Айгуль Серикбаевна", "87011234567", "nur@mail.kz", "850415300123",
             "Клуб «Арман»", "г. Астана", 1_500_000, "3 (ТОО «Альфа», тел. 8 701 111 22 33)",
             "ТОО «Альфа»: Сейткали Б.М., +7 (702) 765-43-21", 2023],
            ["ОФ «Самал»", "850415300123", "Петров П.П.", "+7 (702) 765-43-21", "aigul.i@gmail.com",
             "901231400777", "Школа волонтеров, рук. Петров П.П.", "Актау", 2_000_000, 2, "-", 2023]]
    book = write_xlsx(tmp_path / "contacts.xlsx", {"Реестр": [header, *rows]})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0, out
    reports = by_grantee(shown(capsys, db))
    nur, samal = reports["ОО «Нур»"], reports["ОФ «Самал»"]
    assert nur["bin"] == "200340012345"  # an organisation's BIN is kept: NGOs are joined by it
    assert samal["bin"] is None  # an IIN typed in the BIN column is not: personal data
    assert [f["rule"] for f in samal["findings"] if f["rule"] == "personal_data"] == ["personal_data"]
    assert nur["indicators"]["partners"]["fact"] == 3  # the count stays; the phone typed beside it does not
    assert nur["indicators"]["partners"]["fact_text"] == "3 (ТОО «Альфа», ***)"
    assert samal["title"] == "Школа волонтеров, рук. ***"
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [t for (t,) in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        dump = json.dumps([con.execute(f"SELECT * FROM {t}").fetchall() for t in tables], default=str,
                          ensure_ascii=False)
    for value in PERSONAL:
        assert value not in dump, value
    assert "87011234567" not in dump and "Айгуль" not in dump


# ----------------------------------------------------------------------------------------- numbering row, hidden column

def test_numbering_row_placeholder_rows_and_hidden_columns_are_not_read(tmp_path, capsys):
    header = ["№", "Грантополучатель", "Тема гранта", "Сумма гранта (до корректировки)", "Сумма гранта", "Регион",
              "Год", "ключ", "Прямые бенефициары (факт)"]
    rows = [[1, 2, 3, 4, 5, 6, 7, 8, 9],
            [1, "ОО «Алға»", "Курсы", 900_000, 1_000_000, "Атырау", 2024, "ОО «Алға»|2024", 30],
            [2, "-", "—", None, "нет", "-", None, "-", "-"],
            [3, "ОФ «Талап»", "Лагерь", 2_500_000, 2_000_000, "Костанай", 2024, "ОФ «Талап»|2024", 55],
            ["Итого", None, None, 3_400_000, 3_000_000, None, None, None, 85]]
    book = write_xlsx(tmp_path / "svod.xlsx", {"Свод": [header, *rows]}, hidden_columns={"Свод": ["D", "H"]})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0 and "loaded    svod.xlsx: 2 reports" in out, out  # not the numbering row, not the dashes
    reports = by_grantee(shown(capsys, db))
    assert set(reports) == {"ОО «Алға»", "ОФ «Талап»"}
    alga, talap = reports["ОО «Алға»"], reports["ОФ «Талап»"]
    assert (alga["grant_amount"], alga["regions"], alga["year"]) == (1_000_000, ["KZ-23"], 2024)
    assert (talap["grant_amount"], talap["regions"], talap["year"]) == (2_000_000, ["KZ-39"], 2024)
    assert alga["source"]["field_cells"]["grant_amount"] == "E3"  # the visible column, not the hidden D
    assert alga["indicators"]["direct_beneficiaries"]["fact"] == 30
    assert talap["indicators"]["direct_beneficiaries"]["fact"] == 55
    # hidden D has a visible twin, H names nothing: the one unread_part is the totals row, named
    [unread] = [f for f in alga["findings"] if f["rule"] == "unread_part"]
    assert (unread["severity"], unread["cell"]) == ("info", "A6")
    assert unread["message_en"].endswith("rows not read as reports — totals rows 6")


def test_a_hidden_column_that_alone_names_a_field_is_said_to_be_unread(tmp_path, capsys):
    header = ["Грантополучатель", "Тема гранта", "Регион", "Сумма гранта"]
    book = write_xlsx(tmp_path / "hidden.xlsx", {"Свод": [header, ["ОО «Алға»", "Курсы", "Атырау", 1_000_000],
                                                           ["ОФ «Талап»", "Лагерь", "Костанай", 2_000_000]]},
                      hidden_columns={"Свод": ["C"]})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0 and "not read: sheet «Свод»" in out, out
    for d in shown(capsys, db):
        assert d["regions"] == [] and d["region_text"] is None
        [unread] = [f for f in d["findings"] if f["rule"] == "unread_part"]
        assert unread["severity"] == "warning" and "C «Регион»" in unread["message_en"]


# ----------------------------------------------------------------------------------------- abbreviations, year ranges

def test_abbreviated_headers_thousands_and_year_ranges(tmp_path, capsys):
    header = ["Наим. НПО", "Наим. проекта", "Рег.", "Напр.", "№ дог.", "Годы", "Сумма, тыс. тг",
              "Кол-во прям. бенеф. (план)", "Кол-во прям. бенеф. (факт)", "Кол-во охв. НПО"]
    rows = [["ОО «Болашак»", "IT-школа", "ЗКО", "Напр. 1", "№ 5-ГГ от 10.02.2023", "2023-2024", "4 000", 100, 110, 6],
            ["РОО «Мейирим»", "Помощь семьям", "г. Нур-Султан", "8", "6-ГГ", "2023–2024 гг.", "12 500,5", 50, 50, 2],
            ["ЧУ «Сана»", "Экокружок", "Жетысуская обл.", "3", "7-ГГ", "2022 г.", "900 тыс.", 20, 18, 1]]
    book = write_xlsx(tmp_path / "abbr.xlsx", {"Лист1": [header, *rows]})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0 and "3 reports" in out, out
    reports = by_grantee(shown(capsys, db))
    bolashak, meyirim, sana = reports["ОО «Болашак»"], reports["РОО «Мейирим»"], reports["ЧУ «Сана»"]
    assert (bolashak["title"], bolashak["regions"], bolashak["direction"]) == ("IT-школа", ["KZ-27"], "1")
    assert (bolashak["contract_no"], bolashak["contract_date"], bolashak["year"]) == ("5-ГГ", "2023-02-10", 2023)
    assert (bolashak["period_start"], bolashak["period_end"]) == ("2023-01-01", "2024-12-31")
    assert bolashak["grant_amount"] == 4_000_000 and bolashak["grant_amount_text"] == "4 000"
    assert figures(bolashak) == {"direct_beneficiaries": (100, 110), "ngos_covered": (None, 6)}
    assert (meyirim["regions"], meyirim["direction"], meyirim["year"]) == (["KZ-71"], "8", 2023)
    assert (meyirim["period_start"], meyirim["period_end"]) == ("2023-01-01", "2024-12-31")
    assert meyirim["grant_amount"] == 12_500_500
    assert (sana["regions"], sana["direction"], sana["year"]) == (["KZ-33"], "3", 2022)
    assert sana["grant_amount"] == 900_000  # «900 тыс.» already says thousands: not multiplied again
    assert (sana["period_start"], sana["period_end"]) == (None, None)


# ----------------------------------------------------------------------------------------- two forms in one workbook

PASSPORT_ACER = [["1. Полное наименование неправительственной организации:", "ОФ «АСЕР»"],
                 ["2. Фамилия, имя, отчество (при наличии) руководителя неправительственной организации:",
                  "Сейткали Берик Маратович"],
                 ["4. Наименование социального проекта, социальной программы в рамках реализации гранта:",
                  "Экологический патруль"],
                 ["Направление:", "охрана окружающей среды"],
                 ["Номер и дата договора:", "№ 31 от 15 марта 2022 года"],
                 ["Регион реализации:", "Карагандинская область"],
                 ["5. Дата начала и окончания периода реализации:", "1 апреля 2022 года – 30 ноября 2022 года"],
                 ["6. Общая сумма средств, выделенная на реализацию гранта:", "6 000 000 тенге"]]
PASSPORT_KORGAN = [["1. Полное наименование неправительственной организации:", "Общественное Объединение «Корган-М»"],
                   ["2. Фамилия, имя, отчество (при наличии) руководителя неправительственной организации:",
                    "Киргизбаева Диана Уткирбековна"],
                   ["3. Юридический адрес, контактный телефон:", "Казахстан, город Шымкент, улица Багысбаева дом 9"],
                   ["4. Наименование социального проекта, социальной программы в рамках реализации гранта "
                    "(направление):", "Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО"],
                   ["Номер и дата договора:", "№ 72 от 21 апреля 2023 года"],
                   ["5. Дата начала и окончания периода реализации социального проекта и/или социальной программы:",
                    "25 сентября 2023 года – 31 октября 2024 года"],
                   ["6. Общая сумма средств, выделенная на реализацию гранта:",
                    "- на 2023 год - 34 495 376 (тридцать четыре миллиона) тенге\n- на 2024 год - 36 045 560 тенге"]]
INDICATORS_HEAD = ["Индикатор", "Единица измерения", "План", "Факт"]


def form_sheet(passport: list[list], direct: tuple, indirect: tuple, gender: tuple) -> list[list]:
    return [["Заключительный отчет по итогам реализации социального проекта"], *passport, [],
            INDICATORS_HEAD, ["Количество прямых бенефициаров", "человек", *direct],
            ["Количество косвенных бенефициаров (за счет освещения в СМИ)", "человек", *indirect], [],
            ["Количество участников проекта всего", "Мужчин", "Женщин"], list(gender)]


def check_two_forms(reports: dict[str, dict]) -> None:
    acer, korgan = reports["ОФ «АСЕР»"], reports["Общественное Объединение «Корган-М»"]
    assert (acer["title"], acer["direction"], acer["regions"]) == ("Экологический патруль", "3", ["KZ-35"])
    assert (acer["contract_no"], acer["contract_date"], acer["year"]) == ("31", "2022-03-15", 2022)
    assert (acer["period_start"], acer["period_end"]) == ("2022-04-01", "2022-11-30")
    assert acer["grant_amount"] == 6_000_000 and acer["amount_by_year"] == {}
    assert figures(acer) == {"direct_beneficiaries": (200, 210), "indirect_beneficiaries": (5000, 7000)}
    assert acer["participants_total"] == 210 and acer["gender"] == {"male": 100, "female": 110}
    assert acer["source"]["sheet"] == "АСЕР"
    assert korgan["title"] == "Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО"
    assert korgan["regions"] == ["KZ-79", "KZ-27"] and korgan["direction"] is None
    assert (korgan["contract_no"], korgan["contract_date"], korgan["year"]) == ("72", "2023-04-21", 2023)
    assert (korgan["period_start"], korgan["period_end"]) == ("2023-09-25", "2024-10-31")
    assert korgan["grant_amount"] == 34_495_376 + 36_045_560
    assert korgan["amount_by_year"] == {"2023": 34_495_376, "2024": 36_045_560}
    assert figures(korgan) == {"direct_beneficiaries": (300, 320), "indirect_beneficiaries": (10000, 12000)}
    assert korgan["participants_total"] == 320 and korgan["gender"] == {"male": 120, "female": 200}
    assert korgan["source"]["sheet"] == "Корган-М"


@pytest.mark.parametrize("order", [("АСЕР", "Корган-М"), ("Корган-М", "АСЕР")])
def test_two_forms_one_per_sheet_are_two_reports_each_from_its_own_sheet(tmp_path, capsys, order):
    sheets = {"АСЕР": form_sheet(PASSPORT_ACER, (200, 210), (5000, 7000), (210, 100, 110)),
              "Корган-М": form_sheet(PASSPORT_KORGAN, (300, 320), (10000, 12000), (320, 120, 200))}
    book = write_xlsx(tmp_path / "book.xlsx", {**{name: sheets[name] for name in order},
                                               "Примечания": [["Отчеты приняты без замечаний"]]})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0, out
    assert f"loaded    book.xlsx: 2 reports ({order[0]} 1, {order[1]} 1)" in out
    reports = by_grantee(shown(capsys, db))
    assert len(reports) == 2
    check_two_forms(reports)
    for d in reports.values():  # the notes sheet holds no figure: nothing to say about it
        assert not [f for f in d["findings"] if f["rule"] == "unread_part"]
        assert d["source"]["layout"] == "form"
    dump = json.dumps(list(reports.values()), ensure_ascii=False)
    assert "Киргизбаева" not in dump and "Сейткали" not in dump and "Багысбаева" not in dump


def test_two_forms_one_under_another_on_one_sheet_are_two_reports(tmp_path, capsys):
    rows = (form_sheet(PASSPORT_ACER, (200, 210), (5000, 7000), (210, 100, 110)) + [[], []]
            + form_sheet(PASSPORT_KORGAN, (300, 320), (10000, 12000), (320, 120, 200)))
    book = write_xlsx(tmp_path / "stacked.xlsx", {"Отчеты": rows})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0 and "loaded    stacked.xlsx: 2 reports" in out, out
    reports = by_grantee(shown(capsys, db))
    assert {d["source"]["sheet"] for d in reports.values()} == {"Отчеты"}
    for d in reports.values():
        d["source"]["sheet"] = "АСЕР" if d["grantee"] == "ОФ «АСЕР»" else "Корган-М"
    check_two_forms(reports)


def test_a_form_spread_over_sheets_stays_one_report(tmp_path, capsys):
    full = form_sheet(PASSPORT_ACER, (200, 210), (5000, 7000), (210, 100, 110))
    book = write_xlsx(tmp_path / "spread.xlsx", {"Участники": full[-2:], "Паспорт": full[:len(PASSPORT_ACER) + 1],
                                                 "Эффект": full[len(PASSPORT_ACER) + 2:-3]})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0 and "loaded    spread.xlsx: 1 report" in out, out
    [d] = shown(capsys, db)
    assert d["grantee"] == "ОФ «АСЕР»" and d["grant_amount"] == 6_000_000 and d["year"] == 2022
    assert figures(d) == {"direct_beneficiaries": (200, 210), "indirect_beneficiaries": (5000, 7000)}
    assert d["gender"] == {"male": 100, "female": 110}


def test_a_table_no_report_can_take_is_an_unread_part_shown_before_loading(tmp_path, capsys):
    from grantstats import store, upload

    sheets = {"АСЕР": form_sheet(PASSPORT_ACER, (200, 210), (5000, 7000), (210, 100, 110)),
              "Корган-М": form_sheet(PASSPORT_KORGAN, (300, 320), (10000, 12000), (320, 120, 200)),
              "Доп. таблица": [INDICATORS_HEAD, ["Количество прямых бенефициаров", "человек", 1, 2]]}
    book = write_xlsx(tmp_path / "extra.xlsx", sheets)
    with store.connect(tmp_path / "dry.duckdb") as con:
        planned = upload.dry_run(con, [("extra.xlsx", book.read_bytes())], tmp_path / "archive", workers=0)
        found = upload.findings_table(planned)
    unread = found[found["rule"] == "unread_part"]
    assert len(unread) == 2 and set(unread["sheet"]) == {"Доп. таблица"}  # one on each report of the file
    assert unread.iloc[0]["message_en"].startswith("Part of the file was not read — sheet «Доп. таблица»")
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0 and "2 reports (АСЕР 1, Корган-М 1); not read: sheet «Доп. таблица» (see check)" in out, out


# ----------------------------------------------------------------------------------------- scientific notation, magnitudes, dates

MAGNITUDE_HEADER = ["Грантополучатель", "Тема гранта", "Дата договора", "Год", "Сумма гранта",
                    "Прямые бенефициары (факт)", "Косвенные бенефициары (факт)"]
MAGNITUDE_ROWS = [["ОО «Нур»", "Клуб", "21.04.2022", "2022", "1,5E+06", "4E+02", "1.2e3"],
                  ["ОФ «Ложь»", "Мираж", "31.02.2023", "2023", "3 000 000", "1e300", "12345678901234567890123456"],
                  ["-", "—", "нет", "-", "-", "-", "нет"],
                  ["ЧУ «Тарих»", "Архив", "01.02.1999", "1999", "2 000 000", "50", "2 000 000"]]


def _magnitude_file(tmp_path: Path, kind: str) -> Path:
    if kind == "xlsx":
        return write_xlsx(tmp_path / "magnitudes.xlsx", {"Свод": [MAGNITUDE_HEADER, *MAGNITUDE_ROWS]})
    path = tmp_path / "magnitudes.csv"
    path.write_text("\n".join(";".join(row) for row in [MAGNITUDE_HEADER, *MAGNITUDE_ROWS]), encoding="utf-8-sig")
    return path


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_scientific_notation_magnitudes_placeholders_and_impossible_dates(tmp_path, capsys, kind):
    from grantstats import metrics

    code, out, db = ingest(tmp_path, capsys, _magnitude_file(tmp_path, kind))
    assert code == 0 and "3 reports" in out, out  # the row of dashes is no report
    reports = by_grantee(shown(capsys, db))
    nur, fake, old = reports["ОО «Нур»"], reports["ОФ «Ложь»"], reports["ЧУ «Тарих»"]
    assert nur["grant_amount"] == 1_500_000 and figures(nur) == {
        "direct_beneficiaries": (None, 400), "indirect_beneficiaries": (None, 1200)}
    assert not [f for f in nur["findings"] if f["severity"] == "error"]
    assert fake["indicators"]["direct_beneficiaries"]["fact"] == 1e300
    assert fake["indicators"]["indirect_beneficiaries"]["fact"] == pytest.approx(1.2345678901234568e25)
    assert [(r, s, c) for r, s, c in rules(fake) if s == "error"] == [
        ("implausible_value", "error", "F3"), ("implausible_value", "error", "G3")]
    assert fake["contract_date"] is None and fake["field_texts"]["contract_date"] == "31.02.2023"  # kept as typed
    [bad_date] = [f for f in fake["findings"] if f["rule"] == "impossible_date"]
    assert bad_date["cell"] == "C3" and "31.02.2023" in bad_date["message_en"]
    assert ("implausible_value", "error", "D5") in rules(old)  # 1999: before the grant programme (2005)
    with duckdb.connect(str(db), read_only=True) as con:
        every = metrics.totals(con, metrics.Filter()).iloc[0]
        kept = metrics.totals(con, metrics.Filter(exclude_errors=True)).iloc[0]
    assert float(every["direct_beneficiaries"]) == pytest.approx(1e300)  # stored and summed, no overflow
    assert int(kept["reports"]) == 1 and float(kept["direct_beneficiaries"]) == 400  # «leave out errors»


def test_a_title_page_repeating_the_grantee_and_title_is_no_second_report(tmp_path, capsys):
    cover = [["Заключительный отчет"], ["Грантополучатель:", "ОФ «АСЕР»"], ["Тема гранта:", "Экологический патруль"],
             ["Регион:", "Карагандинская область"]]
    book = write_xlsx(tmp_path / "cover.xlsx", {
        "Титул": cover, "Отчет": form_sheet(PASSPORT_ACER, (200, 210), (5000, 7000), (210, 100, 110))})
    code, out, db = ingest(tmp_path, capsys, book)
    assert code == 0 and "loaded    cover.xlsx: 1 report" in out, out
    [d] = shown(capsys, db)
    assert (d["grantee"], d["title"], d["regions"], d["year"]) == ("ОФ «АСЕР»", "Экологический патруль", ["KZ-35"], 2022)
    assert figures(d) == {"direct_beneficiaries": (200, 210), "indirect_beneficiaries": (5000, 7000)}


def _whole_form(tmp_path, name="form.xlsx"):
    from grantstats.sample import make_reports
    from grantstats.template import write_form_report

    report = make_reports(1, 11)[0]
    return write_form_report(tmp_path / name, report, arrangement=0), report


def test_the_sheet_of_a_whole_form_is_not_searched_for_a_registry_header(tmp_path, monkeypatch):
    from grantstats.readers import read_reports

    path, report = _whole_form(tmp_path)
    searched = []
    real = registry.find_header
    monkeypatch.setattr(registry, "find_header", lambda grid: searched.append(grid.name) or real(grid))
    layout, [read] = read_reports(path)
    assert layout == "form" and read.grantee == report["grantee"]
    assert read.indicators and read.participants  # a whole form: passport, indicators, participants
    assert searched == []


def test_a_registry_sheet_beside_a_whole_form_is_read_as_a_registry_and_the_form_as_a_form(tmp_path):
    from openpyxl import load_workbook

    from grantstats.readers import read_reports

    path, report = _whole_form(tmp_path)
    wb = load_workbook(path)
    ws = wb.create_sheet("Реестр")
    ws.append(["Грантополучатель", "Наименование проекта", "Регион", "Сумма гранта", "Год"])
    ws.append(["ОО «Жастар»", "Школа волонтеров", "Шымкент", 4000000, 2023])
    ws.append(["ОФ «Болашак»", "Семейный центр", "Алматы", 7500000, 2023])
    wb.save(path)
    layout, reports = read_reports(path)
    assert layout == "form+registry"
    assert [(r.grantee, r.source.sheet) for r in reports] == [
        (report["grantee"], "Отчет"), ("ОО «Жастар»", "Реестр"), ("ОФ «Болашак»", "Реестр")]
    assert [r.grant_amount.value for r in reports[1:]] == [4000000, 7500000]
    assert reports[0].indicators and reports[0].participants
