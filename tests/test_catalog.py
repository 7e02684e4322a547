"""grantstats.catalog: the reference codes and matching real-report labels to them."""

from __future__ import annotations

import pytest

from grantstats import catalog
from grantstats.catalog import (
    AGE_BRACKETS,
    CATEGORIES,
    DIRECTIONS,
    FIELDS,
    GENDERS,
    INDICATORS,
    REGIONS,
    UNKNOWN,
    VULNERABLE_SUBROW_OF,
    codes,
    indicator_unit,
    is_region_name,
    is_vulnerable_subrow,
    match_age,
    match_category,
    match_direction,
    match_field,
    match_gender,
    match_indicator,
    match_region,
    name,
    regions_in_text,
)

# ------------------------------------------------------------------------------------------ the data


def test_codes_are_the_domain_codes_in_catalog_order():
    assert codes("region") == [
        "KZ-10", "KZ-11", "KZ-15", "KZ-19", "KZ-23", "KZ-27", "KZ-31", "KZ-33", "KZ-35", "KZ-39", "KZ-43",
        "KZ-47", "KZ-55", "KZ-59", "KZ-61", "KZ-62", "KZ-63", "KZ-71", "KZ-75", "KZ-79", "KZ",
    ]
    assert codes("direction") == ["1", "2", "3", "4", "5", "7", "8", "9", "10", "11", "12", "13", "13-1", "13-2",
                                  "15", "16"]
    assert codes("indicator") == [
        "direct_beneficiaries", "direct_beneficiaries_vulnerable", "indirect_beneficiaries", "staff",
        "specialists", "specialists_vulnerable", "ngos_covered", "payroll", "taxes", "economy_contribution",
        "partners",
    ]
    assert codes("category") == ["children", "youth", "civil_servants", "public_sector", "disabled", "elderly",
                                 "unemployed", "ngo_members", "business", "other"]
    assert codes("age") == ["13-16", "17-22", "23-27", "28-32", "33-45", "46-58", "59+"]
    assert codes("gender") == ["male", "female"]
    assert "grantee" in codes("field") and "participants_total" in codes("field")


def test_codes_of_an_unknown_kind_is_an_error():
    with pytest.raises(ValueError):
        codes("planet")


def test_every_entry_has_russian_and_english_names():
    for entries in (REGIONS, DIRECTIONS, INDICATORS, CATEGORIES, AGE_BRACKETS, GENDERS, FIELDS):
        for entry in entries:
            assert entry.ru and entry.en, entry.code


KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")


@pytest.mark.parametrize("entry", INDICATORS + CATEGORIES, ids=lambda e: e.code)
def test_every_indicator_and_category_has_its_own_kazakh_name(entry):
    assert entry.kk and entry.kk != entry.ru
    assert KAZAKH_LETTERS & set(entry.kk) or entry.code == "youth", entry.kk  # «Жастар» is written without any
    assert name("indicator" if entry in INDICATORS else "category", entry.code, "kk") == entry.kk


def test_kazakh_names_of_indicators_and_categories():
    assert name("indicator", "direct_beneficiaries", "kk") == "Тікелей бенефициарлар саны"
    assert name("indicator", "staff", "kk") == "Штаттағы қызметкерлер саны"
    assert name("indicator", "ngos_covered", "kk") == "Қамтылған ҮЕҰ саны"
    assert name("indicator", "specialists_vulnerable", "kk") == (
        "Тартылған мамандар саны, оның ішінде әлеуметтік осал топтардан")
    assert name("category", "youth", "kk") == "Жастар"
    assert name("category", "disabled", "kk") == "Мүгедектігі бар адамдар"
    # «от 50 лет и старше» includes 50 itself
    assert name("category", "elderly", "kk") == "Егде жастағы адамдар (50 жас және одан жоғары)"
    assert name("category", "youth", "ru") == "Молодежь"  # ru and en unchanged
    assert name("indicator", "staff", "en") == "Staff employees"


def test_entries_are_frozen():
    with pytest.raises(AttributeError):
        REGIONS[0].ru = "x"  # type: ignore[misc]


def test_entry_gives_names_and_synonyms():
    assert catalog.entry("region", "KZ-27").ru == "Западно-Казахстанская область"
    assert "ЗКО" in catalog.entry("region", "KZ-27").synonyms
    assert catalog.entry("indicator", "payroll").unit_ru == "тенге"
    with pytest.raises(KeyError):
        catalog.entry("region", "KZ-99")


def test_participants_total_labels():
    assert catalog.is_participants_total("Количество участников проекта всего")
    assert catalog.is_participants_total("Участников всего:")
    assert not catalog.is_participants_total("Мужчин")


def test_indicator_units():
    assert indicator_unit("direct_beneficiaries") == "people"
    assert indicator_unit("ngos_covered") == "organizations"
    assert indicator_unit("payroll") == "tenge"
    assert indicator_unit("partners") == "org_or_people"
    assert {i.unit for i in INDICATORS} == {"people", "organizations", "tenge", "org_or_people"}
    with pytest.raises(KeyError):
        indicator_unit("nonsense")


def test_names_in_three_languages_with_fallbacks():
    assert name("region", "KZ-79") == "г. Шымкент"
    assert name("region", "KZ-79", "kk") == "Шымкент қаласы"
    assert name("region", "KZ-27", "en") == "West Kazakhstan Region"
    assert name("region", "KZ", "en") == "Kazakhstan (nationwide)"
    assert name("direction", "5", "kk") == name("direction", "5", "ru")  # no kk: falls back to ru
    assert name("gender", "female", "kk") == "Әйелдер"
    assert name("region", "KZ-99") == "KZ-99"
    assert name("region", None) == UNKNOWN == "не указан"
    assert name("indicator", None, "en") == "not stated"
    assert name("age", None, "kk") == "көрсетілмеген"


# ------------------------------------------------------------------------------------------- regions


@pytest.mark.parametrize(
    "text, expected",
    [
        ("г. Шымкент, ЗКО", ["KZ-79", "KZ-27"]),
        ("Шымкент; ЗКО", ["KZ-79", "KZ-27"]),
        ("Молодежный корпус «ZHAS PROJECT» города Шымкент и ЗКО", ["KZ-79", "KZ-27"]),
        ("ЗКО и г. Шымкент, снова ЗКО", ["KZ-27", "KZ-79"]),
        ("KZ-79", ["KZ-79"]),
        ("KZ-79; KZ-63", ["KZ-79", "KZ-63"]),
        ("", []),
        (None, []),
        ("проект без места", []),
    ],
)
def test_regions_in_text_finds_every_region_in_order(text, expected):
    assert regions_in_text(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Алматы", "KZ-75"),
        ("г. Алматы", "KZ-75"),
        ("Алматы қаласы", "KZ-75"),
        ("Алматинская область", "KZ-19"),
        ("Алматинской области", "KZ-19"),
        ("Алматы облысы", "KZ-19"),
        ("область Алматы", "KZ-19"),
    ],
)
def test_almaty_is_the_city_unless_the_region_is_said(text, expected):
    assert match_region(text) == expected


def test_city_and_region_of_almaty_together_are_two_regions():
    assert regions_in_text("в г. Алматы и Алматинской области") == ["KZ-75", "KZ-19"]
    assert regions_in_text("Алматы, область Абай") == ["KZ-75", "KZ-10"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Нур-Султан", "KZ-71"),
        ("г.Нур-Султан", "KZ-71"),
        ("Южно-Казахстанская область", "KZ-61"),
        ("ЮКО", "KZ-61"),
        ("ВКО", "KZ-63"),
        ("СКО", "KZ-59"),
        ("Жетысуская область", "KZ-33"),
        ("Улытауская обл.", "KZ-62"),
        ("Мангыстауская область", "KZ-47"),
        ("Кустанайская область", "KZ-39"),
        ("Западно-Казахстанской области", "KZ-27"),
        ("Батыс Қазақстан облысы", "KZ-27"),
        ("Шығыс Қазақстан облысы", "KZ-63"),
        ("ТҮРКІСТАН ОБЛЫСЫ", "KZ-61"),
    ],
)
def test_old_names_abbreviations_and_kazakh_names(text, expected):
    assert match_region(text) == expected


@pytest.mark.parametrize(
    "city, expected",
    [
        ("Кокшетау", "KZ-11"), ("Актобе", "KZ-15"), ("Конаев", "KZ-19"), ("Капшагай", "KZ-19"),
        ("Атырау", "KZ-23"), ("Уральск", "KZ-27"), ("Орал", "KZ-27"), ("Тараз", "KZ-31"),
        ("Талдыкорган", "KZ-33"), ("Караганда", "KZ-35"), ("Костанай", "KZ-39"), ("Кызылорда", "KZ-43"),
        ("Актау", "KZ-47"), ("Павлодар", "KZ-55"), ("Петропавловск", "KZ-59"), ("Туркестан", "KZ-61"),
        ("Жезказган", "KZ-62"), ("Усть-Каменогорск", "KZ-63"), ("Өскемен", "KZ-63"), ("г. Семей", "KZ-10"),
    ],
)
def test_regional_centres_point_to_their_region(city, expected):
    assert match_region(city) == expected
    assert regions_in_text(f"город {city}") == [expected]


def test_nationwide_projects():
    assert regions_in_text("Республика Казахстан") == ["KZ"]
    assert regions_in_text("республиканский") == ["KZ"]
    assert match_region("Республиканский проект") == "KZ"
    assert match_region("KZ") == "KZ"


def test_nationwide_is_dropped_when_a_particular_region_is_named():
    assert regions_in_text("Республика Казахстан, город Шымкент, улица Байтурсынова 9") == ["KZ-79"]


def test_ordinary_words_are_not_regions():
    # «семей» (of families) and the poet Абай are ordinary words in free text
    assert regions_in_text("помощь детям из многодетных семей") == []
    assert match_region("помощь детям из многодетных семей") is None
    assert regions_in_text("чтения по произведениям Абай Кунанбаев") == []
    assert match_region("акта") is None  # the act, not Актау


@pytest.mark.parametrize("text, expected", [
    ("г. Астана", True), ("Карагандинская область", True), ("Карагандинская обл.", True), ("ЗКО", True),
    ("Карагандинской области", True), ("Абай облысы", True), ("город Шымкент", True),
    ("ОО Карагандинская область молодежи", False), ("ОФ «Астана жастары»", False), ("Итого по г. Астана", False),
    ("ОО «Альфа»", False), ("", False),
])
def test_is_region_name_only_for_a_text_that_is_wholly_a_region(text, expected):
    assert is_region_name(text) is expected


def test_match_region_tolerates_case_typos_and_punctuation():
    assert match_region("  г.ШЫМКЕНТ ") == "KZ-79"
    assert match_region("Шымкнт") == "KZ-79"
    assert match_region("«Карагандинская» обл.") == "KZ-35"


def test_match_region_of_several_regions_is_none():
    assert match_region("г. Шымкент и ЗКО") is None


# ---------------------------------------------------------------------------------------- directions


@pytest.mark.parametrize(
    "text, expected",
    [
        ("поддержка молодежной политики и детских инициатив", "4"),
        ("4. Поддержка молодежной политики и детских инициатив", "4"),
        ("ПОДДЕРЖКА МОЛОДЁЖНОЙ ПОЛИТИКИ", "4"),
        # sites that number consecutively call this one 6: the text decides
        ("6. поддержка социально уязвимых слоев населения", "7"),
        ("решение проблем демографии", "5"),
        ("решение гендерных проблем", "5"),
        ("содействие в трудоустройстве граждан", "9"),
        ("укрепление общественного согласия и национального единства", "13"),
        ("содействие службам пробации при оказании социально-правовой помощи лицам, состоящим на их учете",
         "13-1"),
        ("проведение общественного мониторинга качества оказания государственных услуг", "13-2"),
        ("развитие и поддержка волонтерских инициатив", "16"),
    ],
)
def test_match_direction_by_text(text, expected):
    assert match_direction(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("4", "4"), ("4.", "4"), (" 13-1 ", "13-1"), ("13.2", "13-2"), (16, "16"), (4.0, "4"), ("6", None),
     ("14", None), ("", None), (None, None)],
)
def test_match_direction_by_bare_number(text, expected):
    assert match_direction(text) == expected


# ---------------------------------------------------------------------------------------- indicators


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Количество прямых бенефициаров", "direct_beneficiaries"),
        ("4. Количество прямых бенефициаров (человек)", "direct_beneficiaries"),
        ("1) КОЛИЧЕСТВО ПРЯМЫХ БЕНИФИЦИАРОВ", "direct_beneficiaries"),
        ("Прямые бенефициары", "direct_beneficiaries"),
        ("Количество косвенных бенефициаров (за счет освещения в СМИ)", "indirect_beneficiaries"),
        ("Охват СМИ", "indirect_beneficiaries"),
        ("Количество штатных работников", "staff"),
        ("Количество привлеченных специалистов", "specialists"),
        ("Количество охваченных НПО", "ngos_covered"),
        ("Фонд оплаты труда от общей суммы гранта", "payroll"),
        ("ФОТ, тенге", "payroll"),
        ("Налоги (СН, СО, ОСМС только штатных сотрудников)", "taxes"),
        ("Налоги (СН, СО, ОСМС штатных сотрудников)", "taxes"),
        ("Вклад в экономику (покупка товаров и услуг)", "economy_contribution"),
        ("Покупка товаров и услуг", "economy_contribution"),
        ("Количество партнеров социального проекта (юридические и/или физические лица)", "partners"),
        ("Партнеры", "partners"),
        ("direct_beneficiaries", "direct_beneficiaries"),  # tidy files use the codes
        ("Indirect beneficiaries", "indirect_beneficiaries"),
        ("Количество", None),
        ("Примечание", None),
    ],
)
def test_match_indicator(label, expected):
    assert match_indicator(label) == expected


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Тікелей бенефициарлар саны", "direct_beneficiaries"),
        ("1. ТІКЕЛЕЙ БЕНЕФИЦИАРЛАР САНЫ (адам)", "direct_beneficiaries"),
        ("Тікелей бенефициарлар саны, оның ішінде әлеуметтік осал топтардан", "direct_beneficiaries_vulnerable"),
        ("Тікелей бенефициарлар саны, оның ішінде халықтың әлеуметтік осал санаттарынан",
         "direct_beneficiaries_vulnerable"),
        ("Жанама бенефициарлар саны (БАҚ-та жариялау есебінен)", "indirect_beneficiaries"),
        ("Жанама бенефициарлар саны", "indirect_beneficiaries"),
        ("Штаттағы қызметкерлер саны", "staff"),
        ("Тартылған мамандар саны", "specialists"),
        ("Тартылған мамандар саны, оның ішінде әлеуметтік осал топтардан", "specialists_vulnerable"),
        ("Қамтылған ҮЕҰ саны", "ngos_covered"),
        ("Еңбекақы төлеу қоры", "payroll"),
        ("Салықтар (ӘС, ӘА, МӘМС)", "taxes"),
        ("Экономикаға салым (тауарлар мен қызметтер сатып алу)", "economy_contribution"),
        ("Әлеуметтік жобаның серіктестері саны", "partners"),
        ("саны", None),
    ],
)
def test_match_indicator_in_kazakh(label, expected):
    assert match_indicator(label) == expected


def test_every_name_and_synonym_matches_its_own_code_only():
    """Adding the Kazakh names made no phrase ambiguous between two codes."""
    for entries, match in ((INDICATORS, match_indicator), (CATEGORIES, match_category)):
        for entry in entries:
            for phrase in (entry.ru, entry.kk, entry.en, *entry.synonyms):
                assert match(phrase) == entry.code, (entry.code, phrase)


def test_kazakh_names_are_not_read_as_other_kinds():
    for entry in INDICATORS:
        assert match_category(entry.kk) is None and match_field(entry.kk) is None, entry.kk
    for entry in CATEGORIES:
        assert match_indicator(entry.kk) is None and match_field(entry.kk) is None, entry.kk
        assert match_gender(entry.kk) is None, entry.kk


def test_bare_kazakh_vulnerable_subrow_is_recognised_but_not_assigned():
    for label in ("оның ішінде әлеуметтік осал топтардан", "- оның ішінде халықтың әлеуметтік осал санаттарынан"):
        assert match_indicator(label) is None
        assert is_vulnerable_subrow(label)
    assert not is_vulnerable_subrow("Тікелей бенефициарлар саны")
    assert not is_vulnerable_subrow("Тартылған мамандар саны, оның ішінде әлеуметтік осал топтардан")


def test_bare_vulnerable_subrow_is_recognised_but_not_assigned():
    label = "в том числе из социально уязвимых категорий населения"
    assert match_indicator(label) is None
    assert is_vulnerable_subrow(label)
    assert is_vulnerable_subrow("- в т.ч. из социально-уязвимых категорий населения")
    assert not is_vulnerable_subrow("Количество прямых бенефициаров")
    assert VULNERABLE_SUBROW_OF == {
        "direct_beneficiaries": "direct_beneficiaries_vulnerable",
        "specialists": "specialists_vulnerable",
    }


def test_vulnerable_rows_that_say_their_parent_are_assigned():
    assert match_indicator("Количество прямых бенефициаров, в том числе из социально уязвимых категорий "
                           "населения") == "direct_beneficiaries_vulnerable"
    assert match_indicator("Прямые бенефициары из социально уязвимых категорий") == (
        "direct_beneficiaries_vulnerable")
    assert match_indicator("Количество привлеченных специалистов в том числе из социально уязвимых") == (
        "specialists_vulnerable")
    assert not is_vulnerable_subrow("Количество привлеченных специалистов из социально уязвимых")


# ------------------------------------------------------------------------------------ participants


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Дети (в том числе дети с инвалидностью)", "children"),
        ("Дети-инвалиды", "children"),  # older wording: still children, not disabled
        ("ДЕТИ(в т.ч. дети-инвалиды)", "children"),
        ("Молодежь", "youth"),
        ("Государственные служащие", "civil_servants"),
        ("Гос. служащие", "civil_servants"),
        ("Работники бюджетных организаций", "public_sector"),
        ("Лица с инвалидностью", "disabled"),
        ("Инвалиды", "disabled"),  # older wording
        ("Люди старшего возраста (от 50 лет и старше), в т.ч.", "elderly"),
        ("Безработные", "unemployed"),
        ("Представители общественных организаций", "ngo_members"),
        ("Представители  бизнес сектора", "business"),
        ("Другие категории", "other"),
        ("Количество участников проекта всего", None),
        # reports filled in Kazakh
        ("Балалар (оның ішінде мүгедектігі бар балалар)", "children"),
        ("Мүгедектігі бар балалар", "children"),  # children, not people with disabilities
        ("Жастар", "youth"),
        ("Мемлекеттік қызметшілер", "civil_servants"),
        ("Бюджеттік ұйымдардың қызметкерлері", "public_sector"),
        ("Мүгедектігі бар адамдар", "disabled"),
        ("Егде жастағы адамдар (50 жастан асқан)", "elderly"),
        ("Жұмыссыздар", "unemployed"),
        ("Қоғамдық ұйымдардың өкілдері", "ngo_members"),
        ("Бизнес-сектор өкілдері", "business"),
        ("Басқа санаттар", "other"),
        ("Әйелдер", None),
    ],
)
def test_match_category(label, expected):
    assert match_category(label) == expected


@pytest.mark.parametrize(
    "label, expected",
    [
        ("от 13-16 лет", "13-16"), ("13 – 16", "13-16"), ("13-16 лет", "13-16"), ("от 13 до 16 лет", "13-16"),
        ("17-22 года", "17-22"), ("23-27 лет", "23-27"), ("28-32 года", "28-32"), ("33-45 лет", "33-45"),
        ("46-58 лет", "46-58"), ("59 лет и выше", "59+"), ("от 59 лет", "59+"), ("59+", "59+"),
        ("13-17 лет", None), ("Количество участников проекта всего", None), ("30%", None), (None, None),
    ],
)
def test_match_age_keeps_brackets_apart(label, expected):
    assert match_age(label) == expected


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Мужчин", "male"), ("мужчины", "male"), ("Мужской", "male"), ("ерлер", "male"), ("из них мужчин", "male"),
        ("Женщин", "female"), ("женщины", "female"), ("женский", "female"), ("Әйелдер", "female"),
        ("Количество участников проекта всего", None),
    ],
)
def test_match_gender(label, expected):
    assert match_gender(label) == expected


# -------------------------------------------------------------------------------------------- fields


@pytest.mark.parametrize(
    "label, expected",
    [
        ("1. Полное наименование неправительственной организации:", "grantee"),
        ("Грантополучатель", "grantee"),
        ("Наименование НПО", "grantee"),
        ("2. Фамилия, имя, отчество (при наличии) руководителя неправительственной организации:", "head"),
        ("ФИО руководителя", "head"),
        ("3. Юридический адрес, контактный телефон:", "address_phone"),
        ("4. Наименование социального проекта, социальной программы в рамках реализации гранта (направление):",
         "title"),
        ("Тема гранта", "title"),
        ("Направление гранта", "direction"),
        ("Приоритетное направление", "direction"),
        ("Номер и дата договора", "contract"),
        ("№ договора", "contract"),
        ("Номер договора", "contract_no"),
        ("Дата договора", "contract_date"),
        ("5. Дата начала и окончания периода реализации социального проекта и/или социальной программы:",
         "period"),
        ("Срок реализации проекта (дата начала – дата окончания)", "period"),
        ("Дата начала", "period_start"),
        ("Дата окончания", "period_end"),
        ("6. Общая сумма средств, выделенная на реализацию гранта:", "grant_amount"),
        ("Сумма, тенге", "grant_amount"),
        ("Объем финансирования", "grant_amount"),
        ("Регион реализации", "region"),
        ("Год", "year"),
        ("Дата представления отчета", "report_date"),
        ("Количество участников проекта всего", "participants_total"),
        ("report_id", "report_id"),
        ("Дата", None),
        # an indicator column in a registry sheet is not the grant amount
        ("Фонд оплаты труда от общей суммы гранта", None),
    ],
)
def test_match_field(label, expected):
    assert match_field(label) == expected


def test_matching_many_labels_is_fast():
    import time

    labels = [f"{i}. Количество прямых бенефициаров (вариант {i})" for i in range(300)]
    start = time.perf_counter()
    for label in labels:
        catalog.match_indicator(label)
        catalog.match_field(label)
    assert time.perf_counter() - start < 2.0


def test_kz_inside_a_name_is_not_a_nationwide_project():
    assert catalog.regions_in_text("ОО «Орнек KZ»") == []
    assert catalog.regions_in_text("KZ") == ["KZ"]
    assert catalog.regions_in_text("KZ-79; KZ-27") == ["KZ-79", "KZ-27"]


# ------------------------------------------------------------------------------------ fields in Kazakh


@pytest.mark.parametrize(
    "label, expected",
    [
        # the Kazakh form's own wording (numbered, with colons)
        ("1. Үкіметтік емес ұйымның толық атауы:", "grantee"),
        ("2. Үкіметтік емес ұйым басшысының тегі, аты, әкесінің аты (бар болса):", "head"),
        ("3. Заңды мекенжайы, байланыс телефоны:", "address_phone"),
        ("4. Грант шеңберінде іске асырылатын әлеуметтік жобаның, әлеуметтік бағдарламаның атауы (бағыты):",
         "title"),
        ("5. Әлеуметтік жобаны және (немесе) әлеуметтік бағдарламаны іске асыру кезеңінің басталу және аяқталу "
         "күні:", "period"),
        ("6. Грантты іске асыруға бөлінген қаражаттың жалпы сомасы:", "grant_amount"),
        # what people write instead
        ("Грант алушы", "grantee"),
        ("Грант алушының толық атауы", "grantee"),
        ("ҮЕҰ атауы", "grantee"),
        ("Басшының тегі, аты, әкесінің аты", "head"),
        ("Заңды мекенжайы", "address_phone"),
        ("Әлеуметтік жобаның атауы", "title"),
        ("Жобаның атауы", "title"),
        ("Грант бағыты", "direction"),
        ("Шарттың нөмірі мен күні", "contract"),
        ("Шарт нөмірі, күні", "contract"),
        ("Шарттың нөмірі мен жасалған күні", "contract"),
        ("Шарттың нөмірі", "contract_no"),
        ("Шарттың күні", "contract_date"),
        ("Іске асыру кезеңі", "period"),
        ("Жобаны іске асыру мерзімі (басталу және аяқталу күні)", "period"),
        ("Басталу күні", "period_start"),
        ("Аяқталу күні", "period_end"),
        ("Грант сомасы", "grant_amount"),
        ("Гранттың жалпы сомасы (теңге)", "grant_amount"),
        ("Грант сомасы 2023 жылға", "grant_amount"),
        ("Іске асыру өңірі", "region"),
        ("Іске асыру жылы", "year"),
        ("Есепті ұсыну күні", "report_date"),
        ("Жобаға қатысушылар саны, барлығы", "participants_total"),
        ("ЖОБАҒА ҚАТЫСУШЫЛАР САНЫ, БАРЛЫҒЫ:", "participants_total"),
        ("Қатысушылардың жалпы саны", "participants_total"),
        # too general to be a field, or another kind
        ("Күні", None),
        ("Саны", None),
        ("Барлығы", None),
        ("Жоба командасы – 8 адам", None),
        ("Гранттың жалпы сомасынан еңбекақы төлеу қоры", None),  # the payroll indicator
        ("Бюджеттік ұйымдардың қызметкерлері", None),  # a participant category, not «Ұйым»
        ("Жобаның серіктестері", None),  # the partners indicator, not «Жоба»
    ],
)
def test_match_field_in_kazakh(label, expected):
    assert match_field(label) == expected


@pytest.mark.parametrize("entry", FIELDS, ids=lambda e: e.code)
def test_every_field_has_its_own_kazakh_name(entry):
    assert entry.kk and entry.kk != entry.ru
    assert name("field", entry.code, "kk") == entry.kk


def test_kazakh_names_of_fields():
    assert name("field", "grantee", "kk") == "Грант алушы"
    assert name("field", "grant_amount", "kk") == "Грант сомасы"
    assert name("field", "region", "kk") == "Өңір"
    assert name("field", "participants_total", "kk") == "Жобаға қатысушылар саны, барлығы"
    assert name("field", "grantee", "ru") == "Грантополучатель"  # ru and en unchanged


def test_every_field_phrase_matches_its_own_field_only():
    """Each field name and synonym (Russian and Kazakh) reads as its own field, exactly, and as no indicator,
    participant category, gender or age."""
    for entry in FIELDS:
        for phrase in (entry.ru, entry.kk, entry.en, *entry.synonyms):
            assert match_field(phrase) == entry.code, (entry.code, phrase)
            assert catalog.match_field_exactly(phrase) == entry.code, (entry.code, phrase)
            assert match_indicator(phrase) is None, (entry.code, phrase)
            assert match_category(phrase) is None, (entry.code, phrase)
            assert match_gender(phrase) is None, (entry.code, phrase)
            assert match_age(phrase) is None, (entry.code, phrase)


def test_indicator_and_category_phrases_are_not_fields():
    for entries in (INDICATORS, CATEGORIES, GENDERS, AGE_BRACKETS):
        for entry in entries:
            for phrase in (entry.ru, entry.kk, entry.en, *entry.synonyms):
                assert match_field(phrase) is None, (entry.code, phrase)


def test_kazakh_participants_total_labels():
    for label in catalog.PARTICIPANTS_TOTAL_LABELS_KK:
        assert catalog.is_participants_total(label), label
    assert not catalog.is_participants_total("Ерлер")
    assert not catalog.is_participants_total("Тікелей бенефициарлар саны")


# --------------------------------------------------------------------------- issue 14

@pytest.mark.parametrize("text, expected", [
    ("4)", "4"), ("4.", "4"), ("Направление 4", "4"), ("№4", "4"), ("Напр. 1", "1"), ("13.1", "13-1"),
    ("4) жастар саясатын және балалар бастамаларын қолдау", "4"),  # a real report's Kazakh wording
    ("Жастар саясатын және балалар бастамаларын қолдау", "4"),
    ("Бағыт 16: еріктілердің жаңа бастамалары", "16"),  # Kazakh words the catalog does not know: the number
    ("6) поддержка социально уязвимых слоев населения", "7"),  # consecutive numbering: the wording wins
    ("4. Қоршаған ортаны қорғау", "3"), ("Мәдениет пен өнерді дамыту", "11"), ("2023", None), ("12 сентября", None),
])
def test_match_direction_by_number_before_wording_and_in_kazakh(text, expected):
    assert catalog.match_direction(text) == expected


def test_directions_show_kazakh_names_only_where_an_official_kazakh_wording_is_known():
    assert {entry.code for entry in catalog.DIRECTIONS if entry.kk} == {"3", "4"}
    assert catalog.name("direction", "4", "kk") == "жастар саясатын және балалар бастамаларын қолдау"
    assert catalog.name("direction", "3", "kk") == "қоршаған ортаны қорғау"
    assert catalog.name("direction", "9", "kk") == "содействие обеспечению трудовой занятости населения"


@pytest.mark.parametrize("label, expected", [
    ("Кол-во прям. бенеф.", "кол во прям бенеф"), ("Напр.", "напр"),
])
def test_abbreviations_are_written_out(label, expected):
    assert catalog.expand_abbreviations(label) != expected
    assert catalog.match_indicator("Кол-во прям. бенеф.") == "direct_beneficiaries"
    assert catalog.match_field("Напр.") == "direction" and catalog.match_field("№ дог.") == "contract"


@pytest.mark.parametrize("label", ["ФИО руководителя", "Телефон", "E-mail", "ИИН", "Контакты партнеров",
                                   "Партнеры (контакты)", "Телефон руководителя", "ЖСН", "Электронная почта"])
def test_personal_labels(label):
    assert catalog.is_personal_label(label) or catalog.match_field(label) in catalog.PERSONAL_FIELDS


@pytest.mark.parametrize("label", ["Количество партнеров", "Охват телезрителей", "Грантополучатель", "БИН"])
def test_labels_that_are_not_personal(label):
    assert not catalog.is_personal_label(label)


def test_every_indicator_has_a_ceiling_above_its_unusual_mark():
    for entry in catalog.INDICATORS:
        assert 0 < entry.unusual < entry.ceiling, entry.code
    people = [e for e in catalog.INDICATORS if e.unit == "people" and e.ceiling > catalog.TEAM_CEILING]
    assert {e.ceiling for e in people} == {catalog.COUNTRY_POPULATION}
    assert {e.ceiling for e in catalog.INDICATORS if e.unit == "tenge"} == {catalog.MONEY_CEILING}


def test_a_region_cell_takes_the_shares_it_states_and_a_regional_centre_alone():
    """«Павлодарская область (60%), г. Астана (40%)» was split 50/50; «Семей» alone in the region cell named no
    region (free text does not take it alone: «многодетных семей»)."""
    from grantstats.readers.fields import region_shares

    assert region_shares("Павлодарская область (60%), г. Астана (40%)") == [("KZ-55", 0.6), ("KZ-71", 0.4)]
    assert region_shares("Шымкент 70 %, ЗКО 30 %") == [("KZ-79", 0.7), ("KZ-27", 0.3)]
    assert region_shares("г. Шымкент и ЗКО") == [("KZ-79", 0.5), ("KZ-27", 0.5)]  # none stated: equal
    assert region_shares("Шымкент 70%, ЗКО 20%") == [("KZ-79", 0.5), ("KZ-27", 0.5)]  # not 100 %: not taken
    assert region_shares("Семей") == [("KZ-10", 1.0)]
    assert catalog.regions_in_text("помощь детям из многодетных семей") == []


@pytest.mark.parametrize("label", ["Цель проекта", "Задачи проекта:", "Роль в проекте",
                                   "Наименование организации /ФИО партнера", "Жобаның мақсаты",
                                   "Сумма софинансирования", "Вид гранта"])
def test_labels_of_what_no_field_keeps_are_not_taken_for_a_near_field(label):
    """«Цель проекта» (two letters from «Тема проекта») made a 400-character goal the report's title, and the
    partners table's «Наименование организации /ФИО партнера» started a second report named after its column."""
    assert catalog.match_field(label) is None


@pytest.mark.parametrize("label, code", [("Тема проекта", "title"), ("Наименование проекта", "title"),
                                         ("Наименование организации", "grantee"), ("Жобаның атауы", "title"),
                                         ("Сумма договора", "grant_amount"), ("Год гранта", "year")])
def test_the_fields_near_them_are_still_known(label, code):
    assert catalog.match_field(label) == code
