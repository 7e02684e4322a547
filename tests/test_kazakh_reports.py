"""Reports filled in Kazakh (the state language) through the real CLI: a form workbook and a registry CSV
whose every label is Kazakh. Every figure below is worked out by hand from the rows written."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook

from grantstats import catalog
from grantstats.readers.form import header_role
from grantstats.readers.registry import classify_label
from tests.test_form_reader import ingest_and_show, stacked

TITLE = ("Әлеуметтік жобаны және (немесе) әлеуметтік бағдарламаны іске асыру қорытындылары бойынша "
         "қорытынды есеп")
GRANTEE = "«Жастар Одағы» қоғамдық бірлестігі"
PROJECT = "«Үміт» еріктілер мектебі"
DIRECTION = "Еріктілер бастамаларын дамыту және қолдау"
CONTRACT = "2022 жылғы 21 сәуірдегі № 72"
PERIOD = "2022 жылғы 25 мамыр – 2022 жылғы 30 қараша"
AMOUNT = "4 000 000 (төрт миллион) теңге"

# The form's own wording (the Rules' appendix, Kazakh text), numbered and with colons as in the form.
PASSPORT_OFFICIAL = [
    ["1. Үкіметтік емес ұйымның толық атауы:", GRANTEE],
    ["2. Үкіметтік емес ұйым басшысының тегі, аты, әкесінің аты (бар болса):", "Серікова Айгүл Бахытқызы"],
    ["3. Заңды мекенжайы, байланыс телефоны:", "Ақтөбе қ., Абай даңғылы 1, +7 701 000 00 00"],
    ["4. Грант шеңберінде іске асырылатын әлеуметтік жобаның, әлеуметтік бағдарламаның атауы (бағыты):", PROJECT],
    ["Грант бағыты:", DIRECTION],
    ["Шарттың нөмірі мен күні:", CONTRACT],
    ["Іске асыру өңірі:", "Ақтөбе облысы"],
    ["5. Әлеуметтік жобаны және (немесе) әлеуметтік бағдарламаны іске асыру кезеңінің басталу және аяқталу күні:",
     PERIOD],
    ["6. Грантты іске асыруға бөлінген қаражаттың жалпы сомасы:", AMOUNT],
]
# What people write instead: the short labels.
PASSPORT_SHORT = [
    ["Грант алушы", GRANTEE],
    ["Басшының тегі, аты, әкесінің аты", "Серікова Айгүл Бахытқызы"],
    ["Заңды мекенжайы, байланыс телефоны", "Ақтөбе қ., Абай даңғылы 1, +7 701 000 00 00"],
    ["Әлеуметтік жобаның атауы", PROJECT],
    ["Грант бағыты", DIRECTION],
    ["Шарттың нөмірі мен күні", CONTRACT],
    ["Іске асыру өңірі", "Ақтөбе облысы"],
    ["Іске асыру кезеңі", PERIOD],
    ["Гранттың жалпы сомасы", AMOUNT],
]
INDICATOR_HEADER_OFFICIAL = ["№", "Индикатор", "Өлшем бірлігі", "Жоспарланған деңгей", "Нақты деңгей"]
INDICATOR_HEADER_SHORT = ["№", "Көрсеткіш", "Өлшем бірлігі", "Жоспар", "Факт"]
INDICATOR_ROWS = [
    ["1.", "Тікелей бенефициарлар саны", "адам", 100, 120],
    ["2.", "Жанама бенефициарлар саны (БАҚ-та жариялау есебінен)", "адам", "140 мың", "шамамен 1 млн"],
    ["3.", "Штаттағы қызметкерлер саны", "адам", 3, 3],
    ["4.", "Тартылған мамандар саны", "адам", 9, 8],
    ["", "оның ішінде әлеуметтік осал топтардан", "адам", 2, 3],
    ["5.", "Қамтылған ҮЕҰ саны", "ұйым", 5, 6],
    ["6.", "Гранттың жалпы сомасынан еңбекақы төлеу қоры", "теңге", "1 200 000", "1 200 000"],
    ["7.", "Салықтар (тек штаттағы қызметкерлердің ӘС, ӘА, МӘМС)", "теңге", 132000, 132000],
    ["8.", "Экономикаға салым (тауарлар мен қызметтер сатып алу)", "теңге", "2 000 000", "1 950 000"],
    ["9.", "Әлеуметтік жобаның серіктестері саны (заңды және/немесе жеке тұлғалар)", "ұйым/адам", 4, "кемінде 5"],
]
TOTAL = "Жобаға қатысушылар саны, барлығы"
GENDER = [[TOTAL, "Ерлер", "Әйелдер"], [120, 50, 70]]
CATEGORIES = [
    [TOTAL, "Балалар (оның ішінде мүгедектігі бар балалар)", "Жастар", "Мемлекеттік қызметшілер",
     "Бюджеттік ұйымдардың қызметкерлері", "Мүгедектігі бар адамдар", "Егде жастағы адамдар (50 жас және одан жоғары)",
     "Жұмыссыздар", "Қоғамдық ұйымдардың өкілдері", "Бизнес-сектор өкілдері", "Басқа санаттар"],
    [120, 10, 80, 1, 5, 4, 12, 30, 7, "—", 2],
]
AGES = [[TOTAL, "13-16 жас", "17-22 жас", "23-27 жас", "28-32 жас", "33-45 жас", "46-58 жас",
         "59 жас және одан жоғары"],
        [120, 10, 40, 30, 20, 10, 6, 4]]


def write_book(path: Path, rows: list[list]) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Есеп"
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path




# ------------------------------------------------------------------------------------------------- the form


@pytest.mark.parametrize("passport, indicator_header", [
    (PASSPORT_OFFICIAL, INDICATOR_HEADER_OFFICIAL),
    (PASSPORT_SHORT, INDICATOR_HEADER_SHORT),
], ids=["official-wording", "short-labels"])
def test_form_filled_in_kazakh_reads_every_figure(tmp_path, capsys, passport, indicator_header):
    rows = stacked([[TITLE]], passport,
                   [["Әлеуметтік-экономикалық әсер"], indicator_header] + INDICATOR_ROWS,
                   [["Гендерлік көрсеткіш:"]] + GENDER,
                   [["Санаттар бойынша әлеуметтік мәртебесі:"]] + CATEGORIES,
                   [["Жас көрсеткіші:"]] + AGES)
    book = write_book(tmp_path / "есеп.xlsx", rows)
    [d] = ingest_and_show(tmp_path, capsys, book)

    assert d["grantee"] == GRANTEE
    assert d["title"] == PROJECT
    assert d["direction_text"] == DIRECTION  # directions have no Kazakh names yet (catalog.DIRECTIONS)
    assert d["contract_no"] == "72" and d["contract_date"] == "2022-04-21"
    assert (d["period_start"], d["period_end"]) == ("2022-05-25", "2022-11-30")
    assert d["year"] == 2022  # the contract's year
    assert d["regions"] == ["KZ-15"] and d["region_shares"] == {"KZ-15": 1.0}
    assert d["region_text"] == "Ақтөбе облысы"
    assert d["grant_amount"] == 4_000_000 and d["amount_by_year"] == {}
    assert d["grant_amount_text"] == AMOUNT

    ind = d["indicators"]
    assert {k: (v["plan"], v["fact"]) for k, v in ind.items()} == {
        "direct_beneficiaries": (100, 120),
        "indirect_beneficiaries": (140_000, 1_000_000),  # «140 мың», «шамамен 1 млн»
        "staff": (3, 3),
        "specialists": (9, 8),
        "specialists_vulnerable": (2, 3),  # the bare «оның ішінде…» row under «Тартылған мамандар саны»
        "ngos_covered": (5, 6),
        "payroll": (1_200_000, 1_200_000),
        "taxes": (132_000, 132_000),
        "economy_contribution": (2_000_000, 1_950_000),
        "partners": (4, 5),  # «кемінде 5»
    }
    assert ind["indirect_beneficiaries"]["fact_qualifier"] == "approx"
    assert ind["partners"]["fact_qualifier"] == "at_least"
    assert ind["ngos_covered"]["unit"] == "ұйым" and ind["payroll"]["unit"] == "теңге"
    assert ind["direct_beneficiaries"]["label"] == "Тікелей бенефициарлар саны"

    assert d["participants_total"] == 120
    assert d["gender"] == {"male": 50, "female": 70}
    assert d["categories"] == {"children": 10, "youth": 80, "civil_servants": 1, "public_sector": 5, "disabled": 4,
                               "elderly": 12, "unemployed": 30, "ngo_members": 7, "other": 2}  # business: «—»
    assert d["age"] == {"13-16": 10, "17-22": 40, "23-27": 30, "28-32": 20, "33-45": 10, "46-58": 6, "59+": 4}
    assert d["derived_from_percent"] == {}
    assert d["source"]["layout"] == "form"


def test_kazakh_percent_gender_table_becomes_people(tmp_path, capsys):
    """«Ерлер, %» | «Әйелдер, %» against the table's total of 120: 30% -> 36, 70% -> 84."""
    rows = stacked(PASSPORT_SHORT[:1] + PASSPORT_SHORT[3:4] + PASSPORT_SHORT[5:6],
                   [INDICATOR_HEADER_SHORT] + INDICATOR_ROWS[:1],
                   [[TOTAL, "Ерлер, %", "Әйелдер, %"], [120, 30, 70]])
    [d] = ingest_and_show(tmp_path, capsys, write_book(tmp_path / "пайыз.xlsx", rows))
    assert d["contract_no"] == "72" and d["participants_total"] == 120
    assert d["gender"] == {"male": 36, "female": 84}
    assert set(d["derived_from_percent"]) == {"gender"}


# --------------------------------------------------------------------------------------------- the registry


REGISTRY_HEADER = [
    "№", "Грант алушы", "Әлеуметтік жобаның атауы", "Шарттың нөмірі мен күні", "Іске асыру өңірі", "Грант бағыты",
    "Іске асыру кезеңі", "Грант сомасы, теңге",
    "Тікелей бенефициарлар саны, жоспар", "Тікелей бенефициарлар саны, нақты",
    "Жанама бенефициарлар саны (жоспар)", "Жанама бенефициарлар саны (қол жеткізілген)",
    "Жобаға қатысушылар саны, барлығы", "Ерлер", "Әйелдер", "Жастар", "Мүгедектігі бар адамдар",
    "13-16 жас", "59 жас және одан жоғары",
]
REGISTRY_ROWS = [
    [1, "«Қорған-М» ҚБ", "«ZHAS PROJECT» жастар корпусы", "2022 жылғы 21 сәуірдегі № 72",
     "Шымкент қаласы, Батыс Қазақстан облысы", "16", "2023 жылғы 25 қыркүйек – 2024 жылғы 31 қазан",
     "- 2023 жылға - 34 495 376 теңге\n- 2024 жылға - 36 045 560 теңге",
     50, 70, "140 мың", "шамамен 1 млн", 70, 30, 40, 60, 5, 12, 3],
    [2, "«Самал» қоғамдық қоры", "Еріктілер мектебі", "№ 15/2-ГС, 01.03.2023", "Маңғыстау облысы", "4",
     "01.03.2023 - 30.11.2023", "4 000 000 (төрт миллион)",
     "кемінде 100", "—", "-", 5000, 120, 50, 70, "", "", "", ""],
    ["Барлығы", "", "", "", "", "", "", 74_540_936, 150, 70, "", "", 190, 80, 110, 60, 5, 12, 3],
]


def _csv(rows: list[list]) -> str:
    """A semicolon CSV as Excel saves one: every row padded to the widest, cells quoted where needed."""
    width = max(len(row) for row in rows)
    out = io.StringIO()
    csv.writer(out, delimiter=";", lineterminator="\n").writerows(row + [""] * (width - len(row)) for row in rows)
    return out.getvalue()


def test_registry_csv_with_kazakh_headers_reads_every_figure(tmp_path, capsys):
    src = tmp_path / "тізілім.csv"
    src.write_text(_csv([["Қорытынды есептер тізілімі, 2023 жыл"], []] + [REGISTRY_HEADER] + REGISTRY_ROWS),
                   encoding="utf-8")
    reports = {r["contract_no"]: r for r in ingest_and_show(tmp_path, capsys, src)}
    assert set(reports) == {"72", "15/2-ГС"}  # the «Барлығы» totals row is not a report

    korgan = reports["72"]
    assert korgan["grantee"] == "«Қорған-М» ҚБ" and korgan["title"] == "«ZHAS PROJECT» жастар корпусы"
    assert korgan["contract_date"] == "2022-04-21"
    assert (korgan["period_start"], korgan["period_end"]) == ("2023-09-25", "2024-10-31")
    assert korgan["year"] == 2022
    assert korgan["direction"] == "16"
    assert korgan["regions"] == ["KZ-79", "KZ-27"] and korgan["region_shares"] == {"KZ-79": 0.5, "KZ-27": 0.5}
    assert korgan["amount_by_year"] == {"2023": 34_495_376.0, "2024": 36_045_560.0}
    assert korgan["grant_amount"] == 34_495_376 + 36_045_560  # 70 540 936
    assert {k: (v["plan"], v["fact"]) for k, v in korgan["indicators"].items()} == {
        "direct_beneficiaries": (50, 70), "indirect_beneficiaries": (140_000, 1_000_000)}
    assert korgan["indicators"]["indirect_beneficiaries"]["fact_qualifier"] == "approx"
    assert korgan["participants_total"] == 70
    assert korgan["gender"] == {"male": 30, "female": 40}
    assert korgan["categories"] == {"youth": 60, "disabled": 5}
    assert korgan["age"] == {"13-16": 12, "59+": 3}

    samal = reports["15/2-ГС"]
    assert samal["grantee"] == "«Самал» қоғамдық қоры" and samal["title"] == "Еріктілер мектебі"
    assert samal["contract_date"] == "2023-03-01"
    assert (samal["period_start"], samal["period_end"]) == ("2023-03-01", "2023-11-30")
    assert samal["year"] == 2023
    assert samal["direction"] == "4"
    assert samal["regions"] == ["KZ-47"]
    assert samal["grant_amount"] == 4_000_000 and samal["amount_by_year"] == {}
    direct = samal["indicators"]["direct_beneficiaries"]
    assert (direct["plan"], direct["fact"], direct["plan_qualifier"]) == (100, None, "at_least")
    indirect = samal["indicators"]["indirect_beneficiaries"]
    assert (indirect["plan"], indirect["fact"]) == (None, 5000)
    assert samal["participants_total"] == 120
    assert samal["gender"] == {"male": 50, "female": 70}
    assert samal["categories"] == {} and samal["age"] == {}


# ----------------------------------------------------------------------------------- labels one by one


@pytest.mark.parametrize("text, role", [
    ("Индикатор", "label"), ("Көрсеткіш", "label"), ("Өлшем бірлігі", "unit"),
    ("Жоспарланған деңгей", "plan"), ("Жоспар", "plan"), ("Нақты деңгей", "fact"), ("Факт", "fact"),
    ("Қол жеткізілген деңгей", "fact"), ("Міндеттер", "task"), ("Іс-шаралар", "activity"),
    ("Өткізу мерзімі", "date"), ("Өткізілетін күні", "date"), ("Өткізілетін орны", "place"), ("Орын", "place"),
    ("Қатысушылар саны", "participants"), ("Қысқа мерзімді нәтижелер", "results"),
    ("Әлеуметтік-экономикалық әсер", "effect"),
    # the Russian headers keep their roles
    ("Кол-во участников", "participants"), ("Фактический уровень", "fact"), ("Единица измерения", "unit"),
])
def test_kazakh_table_headers_have_their_roles(text, role):
    assert header_role(text) == role


@pytest.mark.parametrize("label, kind, code, part", [
    ("Тікелей бенефициарлар саны, жоспар", "indicator", "direct_beneficiaries", "plan"),
    ("Тікелей бенефициарлар саны (нақты)", "indicator", "direct_beneficiaries", "fact"),
    ("Штаттағы қызметкерлер саны, қол жеткізілген", "indicator", "staff", "fact"),
    ("Тартылған мамандар саны — жоспарланған", "indicator", "specialists", "plan"),
    ("Грант алушы", "field", "grantee", None),
    ("Гранттың жалпы сомасы", "field", "grant_amount", None),
    ("Грант сомасы 2023 жылға", "amount_year", "2023", None),
    ("Жобаға қатысушылар саны, барлығы", "field", "participants_total", None),
])
def test_kazakh_registry_columns(label, kind, code, part):
    column = classify_label(label)
    assert column is not None and (column.kind, column.code, column.part) == (kind, code, part)


def test_kazakh_participants_total_starts_a_table():
    for label in (TOTAL, "Жобаға қатысушылардың жалпы саны", "Қатысушылар саны, барлығы"):
        assert catalog.is_participants_total(label), label
