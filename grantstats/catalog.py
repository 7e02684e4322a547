"""The one reference catalog: codes, names (ru/kk/en) and synonyms, and matching labels to codes.

Codes are the project's stable identifiers (see domain.md). Names are for display; names and synonyms
together are the phrases labels are matched against (tolerantly, via ``text.best_match``).
Kazakh names are given for regions, indicators, participant categories, ages, genders and the passport/registry
fields (they are matched too: reports are sometimes filled in Kazakh, the state language); where ``kk`` is
empty ``name(..., lang='kk')`` falls back to Russian. Directions' Kazakh names must come from the law's
Kazakh text, not be invented: the law's Kazakh article 5 was not at hand, so only two are given, as official
Kazakh documents write them (3: a grant commission's protocol, cisc.kz 2024, «"Қоршаған ортаны қорғау" саласы»;
4: a real report, issue 14); the others show in Russian.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from collections.abc import Iterable
from typing import Any

from grantstats.text import best_match, best_match_score, exact_match, normalize, stem, token_match, tokens

UNKNOWN = "не указан"
UNKNOWN_BY_LANG = {"ru": UNKNOWN, "en": "not stated", "kk": "көрсетілмеген"}


@dataclass(frozen=True)
class Entry:
    """One code with its names and the other ways people write it."""

    code: str
    ru: str
    kk: str
    en: str
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Indicator(Entry):
    """A social and economic effect indicator; ``unit`` is people/organizations/tenge/org_or_people.

    ``ceiling``: the largest value one report can plausibly state (above it the figure is wrong: an error);
    ``unusual``: above this a value is possible but rare enough to be checked (a warning)."""

    unit: str = "people"
    unit_ru: str = "человек"
    ceiling: float = 0.0
    unusual: float = 0.0


# Plausibility ceilings (domain.md). No count of people in one report can exceed the country's population;
# grants run from hundreds of thousands to hundreds of millions of tenge, so the error ceiling for money sits
# far above that (10 billion) and a billion is already unusual. Staff and engaged specialists in the
# thousands are an error (a project team is a few dozen people).
COUNTRY_POPULATION = 20_000_000  # Kazakhstan: about 20 million residents
PEOPLE_UNUSUAL = 1_000_000
MONEY_CEILING = 10_000_000_000
MONEY_UNUSUAL = 1_000_000_000
GRANT_FLOOR = 100_000  # «grants run from hundreds of thousands»: a smaller amount is worth a look (a warning)
TEAM_CEILING = 999
NGO_CEILING = 50_000  # Kazakhstan has some 20 000–25 000 NGOs at work
# (error ceiling, warning threshold) of the figures that are not indicators
FIELD_LIMITS = {"grant_amount": (MONEY_CEILING, MONEY_UNUSUAL), "participants_total": (COUNTRY_POPULATION, PEOPLE_UNUSUAL)}
PARTICIPANT_LIMITS = (COUNTRY_POPULATION, PEOPLE_UNUSUAL)  # any participant table's bucket


# --------------------------------------------------------------------------------------------- regions
REGIONS: tuple[Entry, ...] = (
    Entry("KZ-10", "область Абай", "Абай облысы", "Abai Region",
          ("Абайская область", "Абайская обл", "область Абай", "Абай", "Семей", "г. Семей", "город Семей")),
    Entry("KZ-11", "Акмолинская область", "Ақмола облысы", "Akmola Region",
          ("Акмолинская", "Акмолинская обл", "Акмола", "Кокшетау", "Көкшетау")),
    Entry("KZ-15", "Актюбинская область", "Ақтөбе облысы", "Aktobe Region",
          ("Актюбинская", "Актюбинская обл", "Актобе", "Ақтөбе")),
    Entry("KZ-19", "Алматинская область", "Алматы облысы", "Almaty Region",
          ("Алматинская", "Алматинская обл", "область Алматы", "Алматы область", "Алматы обл",
           "Конаев", "Қонаев", "Капшагай", "Қапшағай")),
    Entry("KZ-23", "Атырауская область", "Атырау облысы", "Atyrau Region",
          ("Атырауская", "Атырауская обл", "Атырау")),
    Entry("KZ-27", "Западно-Казахстанская область", "Батыс Қазақстан облысы", "West Kazakhstan Region",
          ("ЗКО", "Западно-Казахстанская", "Западно-Казахстанская обл", "Батыс Қазақстан", "Уральск",
           "Орал")),
    Entry("KZ-31", "Жамбылская область", "Жамбыл облысы", "Jambyl Region",
          ("Жамбылская", "Жамбылская обл", "Жамбыл", "Тараз", "Zhambyl Region")),
    Entry("KZ-33", "область Жетісу", "Жетісу облысы", "Jetisu Region",
          ("Жетысуская область", "Жетысуская", "область Жетысу", "Жетысу", "Жетісу", "Талдыкорган",
           "Талдықорған", "Zhetysu Region")),
    Entry("KZ-35", "Карагандинская область", "Қарағанды облысы", "Karaganda Region",
          ("Карагандинская", "Карагандинская обл", "Караганда", "Қарағанды")),
    Entry("KZ-39", "Костанайская область", "Қостанай облысы", "Kostanay Region",
          ("Костанайская", "Костанайская обл", "Кустанайская", "Костанай", "Қостанай")),
    Entry("KZ-43", "Кызылординская область", "Қызылорда облысы", "Kyzylorda Region",
          ("Кызылординская", "Кызылординская обл", "Кызылорда", "Қызылорда")),
    Entry("KZ-47", "Мангистауская область", "Маңғыстау облысы", "Mangystau Region",
          ("Мангистауская", "Мангыстауская", "Мангистауская обл", "Мангистау", "Маңғыстау", "Актау",
           "Ақтау")),
    Entry("KZ-55", "Павлодарская область", "Павлодар облысы", "Pavlodar Region",
          ("Павлодарская", "Павлодарская обл", "Павлодар")),
    Entry("KZ-59", "Северо-Казахстанская область", "Солтүстік Қазақстан облысы", "North Kazakhstan Region",
          ("СКО", "Северо-Казахстанская", "Северо-Казахстанская обл", "Солтүстік Қазақстан",
           "Петропавловск", "Петропавл")),
    Entry("KZ-61", "Туркестанская область", "Түркістан облысы", "Turkistan Region",
          ("Туркестанская", "Туркестанская обл", "Туркестан", "Түркістан", "ЮКО",
           "Южно-Казахстанская область", "Южно-Казахстанская", "South Kazakhstan Region")),
    Entry("KZ-62", "область Ұлытау", "Ұлытау облысы", "Ulytau Region",
          ("Улытауская область", "Улытауская", "область Улытау", "Ұлытау", "Жезказган", "Жезқазған")),
    Entry("KZ-63", "Восточно-Казахстанская область", "Шығыс Қазақстан облысы", "East Kazakhstan Region",
          ("ВКО", "Восточно-Казахстанская", "Восточно-Казахстанская обл", "Шығыс Қазақстан",
           "Усть-Каменогорск", "Өскемен")),
    Entry("KZ-71", "г. Астана", "Астана қаласы", "Astana",
          ("Астана", "город Астана", "Нур-Султан", "Нурсултан", "г. Нур-Султан", "Nur-Sultan")),
    Entry("KZ-75", "г. Алматы", "Алматы қаласы", "Almaty",
          ("Алматы", "город Алматы", "Алма-Ата", "Almaty city")),
    Entry("KZ-79", "г. Шымкент", "Шымкент қаласы", "Shymkent",
          ("Шымкент", "город Шымкент", "Shymkent city")),
    Entry("KZ", "Республика Казахстан (республиканский проект)", "Қазақстан Республикасы",
          "Kazakhstan (nationwide)",
          ("Республика Казахстан", "РК", "республиканский", "республиканский проект", "общереспубликанский",
           "по всему Казахстану", "по всей республике", "вся республика", "Kazakhstan nationwide",
           "nationwide")),
)

# Words that are also ordinary words ("многодетных семей", the poet Абай): in free text they name a
# region only with a city/region word beside them.
_UNSAFE_ALONE = {"семей", "абай"}

# ------------------------------------------------------------------------------------------ directions
# Kazakh names: they must be the wording of art. 5 of the law's Kazakh text. The stored Kazakh/English
# comparison of the law, https://adilet.zan.kz/eng/docs/Z050000036_/compare/kaz , holds only its opening
# (the title, the preamble and art. 1) here, not art. 5; so kk stays empty and the Russian name is shown
# in the Kazakh interface (catalog.name falls back to ru) rather than a translation of our own.
# DIRECTION_WORDS_KK below are words Kazakh reports use, for matching only, never shown.
DIRECTIONS: tuple[Entry, ...] = (
    Entry("1", "достижение целей в области образования, науки, информации, физической культуры и спорта", "",
          "Education, science, information, sport",
          ("образование наука информация физическая культура и спорт", "образования науки информации",
           "физической культуры и спорта", "образование и наука")),
    Entry("2", "охрана здоровья граждан, пропаганда здорового образа жизни", "", "Health, healthy lifestyle",
          ("охрана здоровья граждан", "пропаганда здорового образа жизни", "здоровый образ жизни")),
    Entry("3", "охрана окружающей среды", "қоршаған ортаны қорғау", "Environment", ("окружающая среда", "экология")),
    Entry("4", "поддержка молодежной политики и детских инициатив", "жастар саясатын және балалар бастамаларын қолдау",
          "Youth policy, children's initiatives",
          ("молодежная политика", "поддержка молодежной политики", "детские инициативы",
           "молодежная политика и детские инициативы")),
    Entry("5", "содействие решению семейно-демографических и гендерных вопросов", "",
          "Family, demography, gender",
          ("решение проблем демографии", "решение гендерных проблем",
           "решение проблем демографии и гендерных проблем", "семейно-демографические и гендерные вопросы",
           "семейно-демографические вопросы", "гендерные вопросы")),
    Entry("7", "поддержка социально уязвимых слоев населения", "", "Socially vulnerable groups",
          ("социально уязвимые слои населения", "поддержка социально уязвимых категорий населения",
           "поддержка уязвимых слоев населения")),
    Entry("8", "помощь детям-сиротам, детям из неполных и многодетных семей", "",
          "Orphans, single-parent and large families",
          ("помощь детям-сиротам", "дети-сироты", "детям из неполных и многодетных семей",
           "многодетные семьи")),
    Entry("9", "содействие обеспечению трудовой занятости населения", "", "Employment",
          ("содействие в трудоустройстве граждан", "трудовая занятость населения", "занятость населения",
           "трудоустройство граждан")),
    Entry("10", "защита прав, законных интересов граждан и организаций", "", "Rights and legal interests",
          ("защита прав граждан", "защита прав и законных интересов граждан и организаций",
           "защита прав законных интересов")),
    Entry("11", "развитие культуры и искусства", "", "Culture and arts", ("культура и искусство",)),
    Entry("12", "охрана историко-культурного наследия", "", "Historical and cultural heritage",
          ("историко-культурное наследие",)),
    Entry("13", "укрепление общественного согласия и общенационального единства", "",
          "Public accord and national unity",
          ("укрепление общественного согласия и национального единства", "общественное согласие",
           "общенациональное единство", "общественного согласия и единства")),
    Entry("13-1", "содействие службам пробации при оказании социально-правовой помощи лицам, "
          "состоящим на их учете", "", "Probation services support",
          ("содействие службам пробации", "службы пробации", "пробация")),
    Entry("13-2", "проведение общественного мониторинга качества оказания государственных услуг", "",
          "Public monitoring of public services",
          ("общественный мониторинг качества оказания государственных услуг", "общественный мониторинг",
           "мониторинг качества государственных услуг")),
    Entry("15", "содействие развитию гражданского общества, в том числе повышению эффективности "
          "деятельности НПО", "", "Civil society and NGO effectiveness",
          ("развитие гражданского общества", "содействие развитию гражданского общества",
           "повышение эффективности деятельности НПО")),
    Entry("16", "развитие и поддержка волонтерских инициатив", "", "Volunteering",
          ("волонтерские инициативы", "поддержка волонтерских инициатив", "волонтерство",
           "развитие волонтерства")),
)

# Kazakh words that name a direction in reports, for matching only (not the law's wording: see above). The
# first of direction 4 is a real report's wording (issue 14); the others are the ordinary Kazakh terms for the
# field each direction covers.
DIRECTION_WORDS_KK: dict[str, tuple[str, ...]] = {
    "1": ("білім беру ғылым ақпарат дене шынықтыру және спорт", "дене шынықтыру және спорт"),
    "2": ("азаматтардың денсаулығын сақтау", "салауатты өмір салтын насихаттау", "салауатты өмір салты"),
    "3": ("қоршаған ортаны қорғау", "экология"),
    "4": ("жастар саясатын және балалар бастамаларын қолдау", "жастар саясаты", "балалар бастамалары"),
    "5": ("отбасылық демографиялық және гендерлік мәселелер", "гендерлік мәселелер"),
    "7": ("халықтың әлеуметтік осал топтарын қолдау", "әлеуметтік осал топтар"),
    "8": ("жетім балаларға көмек", "көп балалы отбасылар", "толық емес отбасылар"),
    "9": ("халықты жұмыспен қамту", "еңбекпен қамту"),
    "10": ("азаматтар мен ұйымдардың құқықтарын қорғау", "құқықтарын және заңды мүдделерін қорғау"),
    "11": ("мәдениет пен өнерді дамыту", "мәдениет және өнер"),
    "12": ("тарихи мәдени мұраны қорғау", "тарихи мәдени мұра"),
    "13": ("қоғамдық келісім мен жалпыұлттық бірлікті нығайту", "жалпыұлттық бірлік", "қоғамдық келісім"),
    "13-1": ("пробация қызметтеріне жәрдемдесу", "пробация қызметі"),
    "13-2": ("мемлекеттік қызметтер көрсету сапасына қоғамдық мониторинг",),
    "15": ("азаматтық қоғамды дамытуға жәрдемдесу", "азаматтық қоғамды дамыту"),
    "16": ("волонтерлік бастамаларды дамыту және қолдау", "волонтерлік бастамалар", "еріктілік",
           "еріктілер бастамаларын дамыту және қолдау", "еріктілер бастамалары"),
}

# ------------------------------------------------------------------------------------------ indicators
_VULNERABLE_TAILS = ("в том числе из социально уязвимых категорий населения",
                     "из социально уязвимых категорий населения", "из социально уязвимых")
_DIRECT = ("Количество прямых бенефициаров", "прямые бенефициары", "прямых бенефициаров")
_SPECIALISTS = ("Количество привлеченных специалистов", "привлеченные специалисты",
                "привлеченных специалистов")
# The same rows in the Kazakh form: «…, оның ішінде халықтың әлеуметтік осал санаттарынан/топтарынан».
_VULNERABLE_TAILS_KK = ("оның ішінде әлеуметтік осал топтардан", "оның ішінде халықтың әлеуметтік осал санаттарынан",
                        "халықтың әлеуметтік осал санаттарынан", "әлеуметтік осал топтардан")
_DIRECT_KK = ("Тікелей бенефициарлар саны", "тікелей бенефициарлар")
_SPECIALISTS_KK = ("Тартылған мамандар саны", "тартылған мамандар")


def _with_tails(parents: tuple[str, ...], tails: tuple[str, ...] = _VULNERABLE_TAILS) -> tuple[str, ...]:
    return tuple(f"{p} {tail}" for p in parents for tail in tails)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("direct_beneficiaries", "Количество прямых бенефициаров", "Тікелей бенефициарлар саны",
              "Direct beneficiaries",
              _DIRECT[1:] + ("прямой охват", "охват прямых бенефициаров") + _DIRECT_KK[1:], "people", "человек",
              ceiling=COUNTRY_POPULATION, unusual=PEOPLE_UNUSUAL),
    Indicator("direct_beneficiaries_vulnerable",
              "Количество прямых бенефициаров из социально уязвимых категорий населения",
              "Тікелей бенефициарлар саны, оның ішінде әлеуметтік осал топтардан",
              "Direct beneficiaries from socially vulnerable groups",
              _with_tails(_DIRECT) + _with_tails(_DIRECT_KK, _VULNERABLE_TAILS_KK), "people", "человек",
              ceiling=COUNTRY_POPULATION, unusual=PEOPLE_UNUSUAL),
    Indicator("indirect_beneficiaries", "Количество косвенных бенефициаров (за счет освещения в СМИ)",
              "Жанама бенефициарлар саны (БАҚ-та жариялау есебінен)", "Indirect beneficiaries (media reach)",
              ("Количество косвенных бенефициаров", "косвенные бенефициары", "косвенных бенефициаров",
               "охват СМИ", "охват в СМИ", "освещение в СМИ", "косвенный охват",
               "Жанама бенефициарлар саны", "жанама бенефициарлар", "БАҚ арқылы қамту"), "people", "человек",
              ceiling=COUNTRY_POPULATION, unusual=10_000_000),
    Indicator("staff", "Количество штатных работников", "Штаттағы қызметкерлер саны", "Staff employees",
              ("штатные работники", "штатных работников", "количество штатных сотрудников", "штатные сотрудники",
               "штатных сотрудников", "штатный персонал",
               "штаттағы қызметкерлер", "штаттық қызметкерлер саны"),
              "people", "человек", ceiling=TEAM_CEILING, unusual=200),
    Indicator("specialists", "Количество привлеченных специалистов", "Тартылған мамандар саны",
              "Engaged specialists", _SPECIALISTS[1:] + ("количество специалистов",) + _SPECIALISTS_KK[1:],
              "people", "человек", ceiling=TEAM_CEILING, unusual=500),
    Indicator("specialists_vulnerable",
              "Количество привлеченных специалистов из социально уязвимых категорий населения",
              "Тартылған мамандар саны, оның ішінде әлеуметтік осал топтардан",
              "Engaged specialists from socially vulnerable groups",
              _with_tails(_SPECIALISTS) + _with_tails(_SPECIALISTS_KK, _VULNERABLE_TAILS_KK), "people", "человек",
              ceiling=TEAM_CEILING, unusual=500),
    Indicator("ngos_covered", "Количество охваченных НПО", "Қамтылған ҮЕҰ саны", "NGOs covered",
              ("охваченные НПО", "охваченных НПО", "охват НПО", "количество НПО", "қамтылған ҮЕҰ"),
              "organizations", "организация", ceiling=NGO_CEILING, unusual=2_000),
    Indicator("payroll", "Фонд оплаты труда от общей суммы гранта",
              "Гранттың жалпы сомасынан еңбекақы төлеу қоры", "Payroll (from the grant)",
              ("ФОТ", "фонд оплаты труда", "ФОТ от общей суммы гранта", "еңбекақы төлеу қоры"), "tenge", "тенге",
              ceiling=MONEY_CEILING, unusual=MONEY_UNUSUAL),
    Indicator("taxes", "Налоги (СН, СО, ОСМС только штатных сотрудников)",
              "Салықтар (тек штаттағы қызметкерлердің ӘС, ӘА, МӘМС)", "Taxes (SN, SO, OSMS)",
              ("налоги", "налоги СН СО ОСМС", "налоги СН СО ОСМС штатных сотрудников", "налоговые отчисления",
               "салықтар", "салықтар ӘС ӘА МӘМС", "салықтар ӘС ӘА МӘМС тек штаттағы қызметкерлер"),
              "tenge", "тенге", ceiling=MONEY_CEILING, unusual=MONEY_UNUSUAL),
    Indicator("economy_contribution", "Вклад в экономику (покупка товаров и услуг)",
              "Экономикаға салым (тауарлар мен қызметтер сатып алу)",
              "Contribution to the economy (goods and services bought)",
              ("вклад в экономику", "покупка товаров и услуг", "закуп товаров и услуг", "экономикаға салым",
               "тауарлар мен қызметтер сатып алу"), "tenge", "тенге", ceiling=MONEY_CEILING, unusual=MONEY_UNUSUAL),
    Indicator("partners", "Количество партнеров социального проекта (юридические и/или физические лица)",
              "Әлеуметтік жобаның серіктестері саны (заңды және/немесе жеке тұлғалар)",
              "Project partners",
              ("Количество партнеров социального проекта", "количество партнеров", "партнеры",
               "партнеры проекта", "партнеры социального проекта", "Әлеуметтік жобаның серіктестері саны",
               "серіктестер саны", "серіктестер", "жобаның серіктестері"), "org_or_people", "организация/человек",
              ceiling=COUNTRY_POPULATION, unusual=10_000),
)

VULNERABLE_SUBROW_OF = {
    "direct_beneficiaries": "direct_beneficiaries_vulnerable",
    "specialists": "specialists_vulnerable",
}
VULNERABLE_SUBROW_LABELS: tuple[str, ...] = (
    "в том числе из социально уязвимых категорий населения",
    "в т.ч. из социально уязвимых категорий населения",
    "из них из социально уязвимых категорий населения",
    "из социально уязвимых категорий населения",
    "социально уязвимых категорий",
    "оның ішінде әлеуметтік осал топтардан",
    "оның ішінде халықтың әлеуметтік осал санаттарынан",
    "оның ішінде әлеуметтік осал санаттардан",
    "әлеуметтік осал топтардан",
    "халықтың әлеуметтік осал санаттарынан",
)

# ------------------------------------------------------------------------------------- plan and fact
# How a column header says it holds an indicator's planned or its actual level: the form prints «Планируемый
# уровень» / «Фактический уровень» (older: «план» / «факт»), registries «(план)» / «(факт)», and people write
# what they like beside these. A header is matched by the stems of these words (``plan_or_fact``), so any
# ending, case or punctuation does.
PLAN_FACT: tuple[Entry, ...] = (
    Entry("plan", "план", "жоспар", "plan",
          ("планируемый уровень", "плановый", "запланировано", "по плану", "по договору", "согласно договору",
           "жоспарланған деңгей", "жоспарланған", "шарт бойынша", "planned", "target")),
    Entry("fact", "факт", "нақты", "actual",
          ("фактический уровень", "по факту", "достигнуто", "достигнутый уровень", "по отчету", "согласно отчету",
           "нақты деңгей", "қол жеткізілген", "қол жеткізу", "есеп бойынша", "орындалды", "іс жүзінде",
           "іс жүзіндегі", "fact", "achieved")),
)
# A column that compares the plan with the fact (a deviation, a difference, a percent of completion): whatever
# else its header says («Отклонение (факт-план)», «% выполнения (факт к плану)»), it is neither of them.
PLAN_FACT_COMPARISON = Entry(
    "comparison", "отклонение", "ауытқу", "deviation",
    ("разница", "процент выполнения", "выполнение", "исполнение", "процент достижения", "достижение",
     "соотношение", "айырма", "айырмашылық", "орындалуы", "орындау", "difference", "variance", "completion",
     "achievement", "execution", "fulfilment"))


def _stemmed_phrases(texts: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """Each text as the stems of its normalised words, longest phrases first."""
    phrases = {tuple(stem(w) for w in normalize(t).split()) for t in texts if normalize(t)}
    return tuple(sorted(phrases, key=lambda p: (-len(p), p)))


_PLAN_FACT_STEMS: dict[str, tuple[tuple[str, ...], ...]] = {
    e.code: _stemmed_phrases((e.ru, e.kk, e.en, *e.synonyms)) for e in (*PLAN_FACT, PLAN_FACT_COMPARISON)}


def plan_fact_stems() -> dict[str, tuple[str, ...]]:
    """'plan', 'fact' and 'comparison' -> the word stems that say it, each phrase's stems joined by a space
    («по договор»): for readers that look for them among other header words."""
    return {code: tuple(" ".join(p) for p in phrases) for code, phrases in _PLAN_FACT_STEMS.items()}


def _stem_fits(word: str, phrase_stem: str) -> bool:
    """A word begins with a phrase's stem (a stem of three letters or fewer must be the whole word)."""
    return word == phrase_stem if len(phrase_stem) <= 3 else word.startswith(phrase_stem)


# a header names plan, fact or a comparison only if a word of it begins with a phrase's first stem: most cells
# (every cell of a table's header row is asked) are ruled out by this one search
_ANY_PLAN_FACT_WORD = re.compile("(?:^| )(?:" + "|".join(sorted(
    {re.escape(p[0]) + ("(?= |$)" if len(p[0]) <= 3 else "") for ps in _PLAN_FACT_STEMS.values() for p in ps},
    key=len, reverse=True)) + ")")


@lru_cache(maxsize=16384)
def _plan_or_fact(norm: str) -> tuple[str | None, str]:
    if _ANY_PLAN_FACT_WORD.search(norm) is None:
        return None, norm
    words = norm.split()
    said: set[str] = set()
    used: set[int] = set()
    for code, phrases in _PLAN_FACT_STEMS.items():
        for phrase in phrases:
            for i in range(len(words) - len(phrase) + 1):
                span = range(i, i + len(phrase))
                if used.isdisjoint(span) and all(_stem_fits(words[j], s) for j, s in zip(span, phrase)):
                    said.add(code)
                    used.update(span)
    rest = " ".join(w for i, w in enumerate(words) if i not in used)
    if "comparison" in said:
        return "comparison", rest
    if len(said) == 2:
        return "both", rest
    return (said.pop() if said else None), rest


def plan_or_fact(label: Any) -> tuple[str | None, str]:
    """Whether a column header says it holds a plan or a fact, and what else it says.

    ('plan' | 'fact', the header's other words) — «Запланировано прямых бенефициаров» -> ('plan', 'прямых
    бенефициаров'); ('comparison', …) for a column comparing the two («Отклонение (факт-план)», «% выполнения»),
    never a plan nor a fact; ('both', …) when it names plan and fact alike («план/факт») and cannot be told;
    (None, the header's words) when it says neither.
    """
    return _plan_or_fact(normalize(label))


# ------------------------------------------------------------------------------------------ categories
CATEGORIES: tuple[Entry, ...] = (
    Entry("children", "Дети (в том числе дети с инвалидностью)", "Балалар (оның ішінде мүгедектігі бар балалар)",
          "Children (incl. with disabilities)",
          ("Дети", "детей", "дети с инвалидностью", "дети-инвалиды", "Дети (в т.ч. дети-инвалиды)",
           "Балалар", "мүгедектігі бар балалар", "мүгедек балалар")),
    Entry("youth", "Молодежь", "Жастар", "Youth", ("молодежи", "молодые люди")),
    Entry("civil_servants", "Государственные служащие", "Мемлекеттік қызметшілер", "Civil servants",
          ("госслужащие", "гос. служащие", "государственных служащих")),
    Entry("public_sector", "Работники бюджетных организаций", "Бюджеттік ұйымдардың қызметкерлері",
          "Public sector employees",
          ("работники бюджетной сферы", "сотрудники бюджетных организаций", "бюджетники",
           "бюджеттік ұйымдар қызметкерлері")),
    Entry("disabled", "Лица с инвалидностью", "Мүгедектігі бар адамдар", "People with disabilities",
          ("Инвалиды", "люди с инвалидностью", "лица с ограниченными возможностями", "Мүгедектер",
           "мүгедектігі бар тұлғалар")),
    # «от 50 лет и старше» takes in 50 itself: «50 жас және одан жоғары», as the 59+ age bracket is written.
    Entry("elderly", "Люди старшего возраста (от 50 лет и старше)", "Егде жастағы адамдар (50 жас және одан жоғары)",
          "Older people (50+)",
          ("люди старшего возраста", "лица старшего возраста", "пожилые люди", "пожилые", "пенсионеры",
           "егде жастағы адамдар", "егде жастағы адамдар 50 жастан асқан", "зейнеткерлер")),
    Entry("unemployed", "Безработные", "Жұмыссыздар", "Unemployed", ("безработных", "безработная")),
    Entry("ngo_members", "Представители общественных организаций", "Қоғамдық ұйымдардың өкілдері",
          "NGO representatives",
          ("представители НПО", "члены НПО", "представители неправительственных организаций",
           "общественные организации", "ҮЕҰ өкілдері", "қоғамдық ұйымдар өкілдері")),
    Entry("business", "Представители бизнес-сектора", "Бизнес-сектор өкілдері", "Business representatives",
          ("представители бизнеса", "бизнес-сектор", "предприниматели", "бизнес секторының өкілдері",
           "бизнес өкілдері", "кәсіпкерлер")),
    Entry("other", "Другие категории", "Басқа санаттар", "Other categories",
          ("другие", "прочие", "иные категории", "прочие категории", "басқалар")),
)

# ---------------------------------------------------------------------------------------- age, gender
AGE_BRACKETS: tuple[Entry, ...] = (
    Entry("13-16", "13–16 лет", "13–16 жас", "13–16 years", ("от 13-16 лет", "13-16")),
    Entry("17-22", "17–22 года", "17–22 жас", "17–22 years", ("от 17-22 лет", "17-22")),
    Entry("23-27", "23–27 лет", "23–27 жас", "23–27 years", ("от 23-27 лет", "23-27")),
    Entry("28-32", "28–32 года", "28–32 жас", "28–32 years", ("от 28-32 лет", "28-32")),
    Entry("33-45", "33–45 лет", "33–45 жас", "33–45 years", ("от 33-45 лет", "33-45")),
    Entry("46-58", "46–58 лет", "46–58 жас", "46–58 years", ("от 46-58 лет", "46-58")),
    Entry("59+", "59 лет и выше", "59 жас және одан жоғары", "59 years and over", ("от 59 лет", "59+")),
)
_AGE_BOUNDS = {e.code: tuple(int(x) for x in e.code.rstrip("+").split("-")) for e in AGE_BRACKETS}

GENDERS: tuple[Entry, ...] = (
    Entry("male", "Мужчины", "Ерлер", "Male",
          ("Мужчин", "мужской", "мужской пол", "муж", "м", "ер", "ер адамдар", "ер жынысты", "men",
           "мальчики", "юноши", "ұлдар", "ер балалар", "boys")),
    Entry("female", "Женщины", "Әйелдер", "Female",
          ("Женщин", "женский", "женский пол", "жен", "ж", "әйел", "әйел адамдар", "әйел жынысты", "women",
           "девочки", "девушки", "қыздар", "қыз балалар", "girls")),
)

PARTICIPANTS_TOTAL_LABELS: tuple[str, ...] = (
    "Количество участников проекта всего",
    "Количество участников проекта",
    "Количество участников всего",
    "Количество участников",
    "Участников всего",
    "Всего участников",
    "Всего участников проекта",
)
# The same in the Kazakh form (the participant tables' first column).
PARTICIPANTS_TOTAL_LABELS_KK: tuple[str, ...] = (
    "Жобаға қатысушылар саны, барлығы",
    "Жобаға қатысушылардың жалпы саны",
    "Жобаға қатысушылар саны",
    "Жобаға қатысушылардың саны, барлығы",
    "Қатысушылар саны, барлығы",
    "Қатысушылардың жалпы саны",
    "Қатысушылар саны",
    "Барлық қатысушылар",
    "Қатысушылар барлығы",
    "Барлығы қатысушылар",
)

# ---------------------------------------------------------------------------------------------- fields
FIELDS: tuple[Entry, ...] = (
    # Kazakh names: the wording of the Kazakh form (the Rules' appendix «…қорытынды есеп»: «Үкіметтік емес
    # ұйымның толық атауы», «Заңды мекенжайы, байланыс телефоны», …) and what people write instead. Kazakh
    # endings are not stemmed (text.py stems Russian), so the inflected forms in use are listed.
    Entry("grantee", "Грантополучатель", "Грант алушы", "Grantee",
          ("Полное наименование неправительственной организации", "Наименование НПО", "Организация", "НПО",
           "Наименование организации", "Наименование грантополучателя",
           "Наименование неправительственной организации",
           "Үкіметтік емес ұйымның толық атауы", "Үкіметтік емес ұйымның атауы", "ҮЕҰ атауы", "ҮЕҰ-ның атауы",
           "ҮЕҰ-ның толық атауы", "Ұйымның атауы", "Ұйымның толық атауы", "Грант алушының атауы",
           "Грантты алушы", "Ұйым", "ҮЕҰ")),
    Entry("head", "Руководитель", "Басшы", "Head of the NGO",
          ("ФИО руководителя", "Руководитель НПО", "Руководитель организации",
           "Фамилия, имя, отчество (при наличии) руководителя неправительственной организации",
           "Фамилия имя отчество руководителя",
           "Үкіметтік емес ұйым басшысының тегі, аты, әкесінің аты (бар болса)",
           "Басшының тегі, аты, әкесінің аты", "Басшының тегі, аты, әкесінің аты (бар болса)",
           "Басшысының тегі, аты, әкесінің аты", "Басшының аты-жөні", "Басшының ТАӘ", "Ұйым басшысы",
           "ҮЕҰ басшысы", "Басшысы", "ФИО", "Ф.И.О.", "Аты-жөні", "ТАӘ")),
    # Personal data, recognised so that it is left out (PERSONAL_FIELDS), never stored.
    # (e-mails, IINs and contacts are also told by their words: catalog.is_personal_label)
    Entry("email", "Электронная почта", "Электрондық пошта", "E-mail", ("Email", "Электронный адрес")),
    Entry("iin", "ИИН", "ЖСН", "IIN", ("Индивидуальный идентификационный номер", "Жеке сәйкестендіру нөмірі")),
    Entry("contact", "Контактное лицо", "Байланыс тұлғасы", "Contact person", ("Ответственное лицо",)),
    # The organisation's business identification number: kept (NGOs are joined by it), unlike an IIN.
    Entry("bin", "БИН", "БСН", "BIN",
          ("БИН организации", "Бизнес-идентификационный номер", "БИН/ИИН", "Бизнес-сәйкестендіру нөмірі", "БСН/ЖСН")),
    Entry("address_phone", "Юридический адрес, контактный телефон", "Заңды мекенжайы, байланыс телефоны",
          "Legal address, phone",
          ("Юридический адрес", "Контактный телефон", "Адрес", "Телефон", "Контакты",
           "Заңды мекенжайы", "Заңды мекенжай", "Мекенжайы", "Мекенжай", "Байланыс телефоны",
           "Байланыс деректері", "Мекенжайы, телефоны")),
    Entry("title", "Тема гранта", "Грант тақырыбы", "Project title",
          ("Наименование социального проекта, социальной программы", "Тема",
           "Наименование социального проекта, социальной программы в рамках реализации гранта (направление)",
           "Наименование социального проекта", "Название проекта", "Наименование проекта", "Тема проекта",
           "Проект",
           "Грант шеңберінде іске асырылатын әлеуметтік жобаның, әлеуметтік бағдарламаның атауы (бағыты)",
           "Әлеуметтік жобаның, әлеуметтік бағдарламаның атауы", "Әлеуметтік жобаның атауы",
           "Жобаның атауы", "Жоба атауы", "Жобаның тақырыбы", "Гранттың тақырыбы", "Жоба")),
    Entry("direction", "Направление", "Грант бағыты", "Grant direction",
          ("Направление гранта", "Приоритетное направление", "Направление проекта", "Грантовое направление",
           "Направление социального проекта",
           "Гранттың бағыты", "Бағыты", "Бағыт", "Басым бағыт", "Жобаның бағыты", "Әлеуметтік жобаның бағыты")),
    Entry("contract", "Договор", "Шарт", "Contract",
          ("Номер и дата договора", "№ договора", "№ и дата договора", "Договор о предоставлении гранта",
           "договор номер дата",
           "Шарттың нөмірі мен күні", "Шарттың нөмірі және күні", "Шарт нөмірі мен күні", "Шарттың № және күні",
           "Шарт нөмірі және күні", "Шарттың нөмірі, күні", "Шарт нөмірі, күні",
           "Грант беру туралы шарт", "Грант беру туралы шарттың нөмірі мен күні", "Шарт №")),
    Entry("contract_no", "Номер договора", "Шарттың нөмірі", "Contract number",
          ("Номер договора о предоставлении гранта", "Шарт нөмірі", "Грант беру туралы шарттың нөмірі")),
    Entry("contract_date", "Дата договора", "Шарттың күні", "Contract date",
          ("Дата заключения договора", "Шарт күні", "Шарт жасалған күн", "Шарттың жасалған күні",
           "Шарт жасалған күні")),
    Entry("period", "Период реализации", "Іске асыру кезеңі", "Implementation period",
          ("Дата начала и окончания периода реализации социального проекта и/или социальной программы",
           "Дата начала и окончания периода реализации социального проекта", "Дата начала и окончания",
           "Дата начала и окончания периода реализации", "Дата начала и окончания реализации проекта",
           "дата начала дата окончания", "Срок реализации", "Сроки реализации", "Период реализации проекта",
           "Период", "Срок", "Сроки",
           "Срок реализации проекта",
           "Әлеуметтік жобаны және (немесе) әлеуметтік бағдарламаны іске асыру кезеңінің басталу және "
           "аяқталу күні", "Іске асыру кезеңінің басталу және аяқталу күні", "Басталу және аяқталу күні",
           "Жобаны іске асыру кезеңі", "Іске асыру мерзімі", "Іске асыру мерзімдері", "Жобаны іске асыру мерзімі")),
    Entry("period_start", "Дата начала", "Басталу күні", "Start date",
          ("Начало реализации", "Дата начала реализации", "Іске асырудың басталу күні", "Басталған күні",
           "Іске асырудың басталуы")),
    Entry("period_end", "Дата окончания", "Аяқталу күні", "End date",
          ("Окончание реализации", "Дата окончания реализации", "Дата завершения",
           "Іске асырудың аяқталу күні", "Аяқталған күні", "Іске асырудың аяқталуы")),
    Entry("grant_amount", "Сумма гранта", "Грант сомасы", "Grant amount",
          ("Общая сумма средств, выделенная на реализацию гранта", "Сумма, тенге", "Сумма гранта, тенге",
           "Объем финансирования", "Сумма", "Размер гранта",
           "Грантты іске асыруға бөлінген қаражаттың жалпы сомасы", "Гранттың жалпы сомасы", "Гранттың сомасы",
           "Грант сомасы, теңге", "Сомасы, теңге", "Сомасы", "Сома", "Қаржыландыру көлемі", "Грант мөлшері",
           "Сумма договора", "Сумма по договору", "Шарт сомасы")),
    Entry("region", "Регион", "Өңір", "Region",
          ("Область", "Регион реализации", "Регион реализации проекта", "Место реализации",
           "Іске асыру өңірі", "Жобаны іске асыру өңірі", "Өңірі", "Облыс", "Аймақ", "Іске асыру орны")),
    Entry("year", "Год", "Жыл", "Year", ("Год реализации", "Год гранта", "Іске асыру жылы", "Грант жылы", "Жылы")),
    Entry("report_date", "Дата отчета", "Есеп күні", "Report date",
          ("Дата представления отчета", "Дата предоставления отчета", "Есепті ұсыну күні", "Есептің күні",
           "Есеп берілген күні", "Есепті тапсыру күні")),
    # the grantor's list of awarded grants (grantstats.contracts): when the final report is due
    Entry("due_date", "Срок сдачи отчета", "Есепті тапсыру мерзімі", "Report due date",
          ("Дата сдачи отчета", "Срок представления отчета", "Срок предоставления отчета",
           "Крайний срок сдачи отчета", "Срок сдачи итогового отчета", "Срок сдачи заключительного отчета",
           "Есеп тапсыру мерзімі", "Есепті ұсыну мерзімі", "Қорытынды есепті тапсыру мерзімі",
           "Due date", "Report deadline", "Final report due")),
    Entry("participants_total", "Количество участников проекта всего", "Жобаға қатысушылар саны, барлығы",
          "Participants, total",
          PARTICIPANTS_TOTAL_LABELS[1:] + PARTICIPANTS_TOTAL_LABELS_KK[1:]),
    Entry("report_id", "report_id", "Есеп идентификаторы", "Report ID",
          ("ID отчета", "Идентификатор отчета", "Есептің идентификаторы", "Есеп ID")),
)

# --------------------------------------------------------------------------------------- legal forms
# An NGO's organisational-legal form, as grantee names begin: «КФ «Достык Центр»» and «ОО «Достык Центр»» are two
# organisations (grantstats.metrics.cache tells NGOs apart by form and name unless a BIN joins them).
LEGAL_FORMS: tuple[Entry, ...] = (
    Entry("public_association", "общественное объединение", "қоғамдық бірлестік", "public association",
          ("ОО", "РОО", "республиканское общественное объединение", "региональное общественное объединение",
           "ҚБ", "РҚБ", "республикалық қоғамдық бірлестік", "общественное объединение инвалидов")),
    Entry("public_foundation", "общественный фонд", "қоғамдық қор", "public foundation", ("ОФ", "ҚҚ")),
    Entry("corporate_foundation", "корпоративный фонд", "корпоративтік қор", "corporate foundation", ("КФ", "КҚ")),
    Entry("charitable_foundation", "благотворительный фонд", "қайырымдылық қоры", "charitable foundation",
          ("БФ",)),
    Entry("private_institution", "частное учреждение", "жеке мекеме", "private institution", ("ЧУ", "ЖМ")),
    Entry("association", "объединение юридических лиц", "заңды тұлғалар бірлестігі", "association of legal entities",
          ("ОЮЛ", "ЗТБ", "ассоциация", "қауымдастық", "союз", "одақ")),
    Entry("non_profit_company", "некоммерческое акционерное общество", "коммерциялық емес акционерлік қоғам",
          "non-profit joint-stock company", ("НАО", "КЕАҚ")),
)


_LOWER_LETTERS = "0-9a-zа-яёәғқңөұүһі"  # (RE2's \w is ASCII only; Python's re has no \pL)


def legal_form_patterns() -> list[tuple[str, str]]:
    """(code, regular expression) per legal form, in catalog order: a name or synonym as a whole word sequence
    of a lower-cased grantee name (any run of spaces, ё as е; RE2/Python syntax, for DuckDB's regexp_matches)."""
    out = []
    for e in LEGAL_FORMS:
        words = sorted({w for w in (e.ru, e.kk, e.en, *e.synonyms) if w}, key=len, reverse=True)
        alternatives = []
        for w in words:
            parts = [re.escape(part).replace("е", "[её]") for part in w.lower().replace("ё", "е").split()]
            alternatives.append(r"\s+".join(parts))
        out.append((e.code, rf"(^|[^{_LOWER_LETTERS}])(" + "|".join(alternatives) + rf")([^{_LOWER_LETTERS}]|$)"))
    return out


# Abbreviations people use in headers and labels («Кол-во прям. бенеф.», «Напр.», «№ дог.»), by normalised
# word (or two words, as «кол-во» normalises to «кол во»), and the words they stand for.
ABBREVIATIONS: dict[str, str] = {
    "кол во": "количество", "к во": "количество", "колво": "количество",
    "прям": "прямых", "косв": "косвенных", "бенеф": "бенефициаров", "бен": "бенефициаров",
    "напр": "направление", "направл": "направление", "рег": "регион", "реал": "реализации",
    "реализ": "реализации", "дог": "договора", "догов": "договора", "наим": "наименование",
    "орг": "организации", "уч": "участников", "участ": "участников", "фин": "финансирования",
    "шт": "штатных", "раб": "работников", "спец": "специалистов", "привл": "привлеченных",
    "парт": "партнеров", "охв": "охваченных", "соц": "социально", "уязв": "уязвимых", "кат": "категорий",
    "чел": "человек", "гос": "государственные", "бюдж": "бюджетных", "предст": "представители",
    "сумм": "сумма", "отч": "отчета",
}
_ABBREVIATED = re.compile(r"(?<!\S)(?:" + "|".join(sorted((re.escape(k) for k in ABBREVIATIONS), key=len, reverse=True))
                          + r")(?!\S)")


@lru_cache(maxsize=16384)
def expand_abbreviations(label: str) -> str:
    """A label's normalised text with the abbreviations written out: «Кол-во прям. бенеф.» -> «количество
    прямых бенефициаров»; the label's own normalised text when it has none."""
    norm = normalize(label)
    return _ABBREVIATED.sub(lambda m: ABBREVIATIONS[m.group(0)], norm) if norm else norm


# Fields that are personal data: matched only so that their column or passport line is left out.
PERSONAL_FIELDS = frozenset({"head", "address_phone", "email", "iin", "contact"})
# Words that make a label personal whatever else it says («Партнеры (контакты)», «Телефон руководителя»):
# normalised word starts (a start of three letters or fewer must be the whole word).
PERSONAL_WORDS = ("контакт", "телефон", "тел", "email", "mail", "почт", "иин", "жсн", "фио", "байланыс",
                  "пошта", "факс", "whatsapp", "telegram")


def is_personal_label(label: Any) -> bool:
    """Whether a label names personal data (contacts, phones, e-mails, IIN, a person's name)."""
    for word in normalize(label).split():
        for personal in PERSONAL_WORDS:
            if word == personal or (len(personal) > 3 and word.startswith(personal)):
                return True
    return False


# ------------------------------------------------------------------ units, severities, qualifiers, dimensions
# The words every part of the product uses for these codes: tables, workbooks, cards and finding messages.
UNITS: tuple[Entry, ...] = (  # an indicator's unit as a word («В строке … единица измерения «человек»»)
    Entry("people", "человек", "адам", "people"),
    Entry("organizations", "организация", "ұйым", "organizations"),
    Entry("tenge", "тенге", "теңге", "tenge"),
    Entry("org_or_people", "организация/человек", "ұйым/адам", "organizations/people"),
    Entry("percent", "процент", "пайыз", "percent"),
)
UNITS_SHORT: tuple[Entry, ...] = (  # a table's unit column
    Entry("people", "чел.", "адам", "people"),
    Entry("organizations", "орг.", "ұйым", "org."),
    Entry("tenge", "₸", "₸", "₸"),
    Entry("org_or_people", "орг./чел.", "ұйым/адам", "org./people"),
)
UNITS_COUNTED: tuple[Entry, ...] = (  # a workbook's «ед. изм.» column: what is counted
    Entry("people", "человек", "адам", "people"),
    Entry("organizations", "организаций", "ұйым", "organisations"),
    Entry("tenge", "тенге", "теңге", "tenge"),
    Entry("org_or_people", "организаций/человек", "ұйым/адам", "organisations/people"),
)
# A finding's severity. The lowest is not «замечание»/«ескертпе»: those words name findings as a whole.
SEVERITIES: tuple[Entry, ...] = (
    Entry("error", "ошибка", "қате", "error"),
    Entry("warning", "предупреждение", "ескерту", "warning"),
    Entry("info", "к сведению", "мәлімет үшін", "note"),
)
# A figure's qualifier («около 500», «не менее 50»): its word, and the mark figures carry on screen.
QUALIFIERS: tuple[Entry, ...] = (
    Entry("approx", "приблизительно", "шамамен", "approximately"),
    Entry("at_least", "не менее", "кемінде", "at least"),
    Entry("at_most", "не более", "көп дегенде", "at most"),
    Entry("more_than", "более", "астам", "more than"),
    Entry("less_than", "менее", "кем", "less than"),
)
QUALIFIER_MARKS = {"approx": "≈", "at_least": "≥", "at_most": "≤", "more_than": ">", "less_than": "<"}
DIMENSIONS: tuple[Entry, ...] = (  # a participant table, as a heading
    Entry("gender", "Пол", "Жынысы", "Gender"),
    Entry("age", "Возраст", "Жасы", "Age"),
    Entry("category", "Категория", "Санаты", "Category"),
)
# The same and some fields as they read inside a finding's sentence («Сумма по полу (…)», «Не указано
# обязательное поле: сумма гранта»).
DIMENSIONS_IN_TEXT: tuple[Entry, ...] = (
    Entry("gender", "по полу", "жынысы бойынша", "Gender"),
    Entry("age", "по возрасту", "жасы бойынша", "Age"),
    Entry("category", "по категориям", "санаттар бойынша", "Category"),
)
GENDERS_IN_TEXT: tuple[Entry, ...] = (
    Entry("male", "мужчин", "ерлер", "male"),
    Entry("female", "женщин", "әйелдер", "female"),
)
FIELDS_IN_TEXT: tuple[Entry, ...] = (
    Entry("region", "регион", "өңір", "region"),
    Entry("year", "год", "жыл", "year"),
    Entry("grant_amount", "сумма гранта", "грант сомасы", "grant amount"),
    Entry("direction", "направление", "бағыт", "direction"),
    Entry("direct_beneficiaries", "прямые бенефициары (факт)", "тікелей бенефициарлар (факт)",
          "direct beneficiaries (fact)"),
    Entry("participants_total", "общее число участников", "қатысушылардың жалпы саны", "participants' total"),
    Entry("contract_date", "дата договора", "шарттың күні", "contract date"),
    Entry("period_start", "начало периода", "кезеңнің басы", "period start"),
    Entry("period_end", "окончание периода", "кезеңнің соңы", "period end"),
    Entry("report_date", "дата отчёта", "есептің күні", "report date"),
    Entry("contract", "договор", "шарт", "contract"),
    Entry("contract_no", "номер договора", "шарттың нөмірі", "contract number"),
    Entry("period", "период реализации", "іске асыру кезеңі", "implementation period"),
)


_KINDS: dict[str, tuple[Entry, ...]] = {
    "region": REGIONS,
    "direction": DIRECTIONS,
    "indicator": INDICATORS,
    "category": CATEGORIES,
    "age": AGE_BRACKETS,
    "gender": GENDERS,
    "field": FIELDS,
    "legal_form": LEGAL_FORMS,
    "unit": UNITS,
    "unit_short": UNITS_SHORT,
    "unit_counted": UNITS_COUNTED,
    "severity": SEVERITIES,
    "qualifier": QUALIFIERS,
    "dimension": DIMENSIONS,
    "dimension_in_text": DIMENSIONS_IN_TEXT,
    "gender_in_text": GENDERS_IN_TEXT,
    "field_in_text": FIELDS_IN_TEXT,
    "plan_fact": PLAN_FACT,
}
_BY_CODE: dict[str, dict[str, Entry]] = {kind: {e.code: e for e in entries} for kind, entries in _KINDS.items()}


def _phrases(entries: tuple[Entry, ...], *, with_code: bool = True) -> dict[str, list[str]]:
    return {
        e.code: [p for p in ((e.code if with_code else ""), e.ru, e.kk, e.en, *e.synonyms) if p]
        for e in entries
    }


_REGION_PHRASES = _phrases(REGIONS)
_DIRECTION_PHRASES = {code: phrases + list(DIRECTION_WORDS_KK.get(code, ()))
                      for code, phrases in _phrases(DIRECTIONS, with_code=False).items()}
_INDICATOR_PHRASES = _phrases(INDICATORS)
_CATEGORY_PHRASES = _phrases(CATEGORIES)
_GENDER_PHRASES = _phrases(GENDERS)
_FIELD_PHRASES = _phrases(FIELDS)
_SUBROW_PHRASES = {"subrow": list(VULNERABLE_SUBROW_LABELS)}
# Passport labels of what the report tells but grantstats keeps no field for: near a field's wording («Цель
# проекта» is two letters from «Тема проекта»), they are never taken for it (match_field)
_NOT_A_FIELD_PHRASES = {"other": [
    "Цель проекта", "Цели проекта", "Цель социального проекта", "Задачи проекта", "Задача проекта",
    "Достигнутый результат", "Целевая группа", "Целевая группа проекта", "Жобаның мақсаты", "Жоба мақсаты",
    "Жобаның міндеттері", "Нысаналы топ", "Project goal", "Project objectives", "Target group",
    "Роль в проекте", "Роль партнера в проекте", "Вклад партнера", "Жобадағы рөлі", "Role in the project",
    "Наименование организации / ФИО партнера", "Наименование организации-партнера", "Наименование партнера",
    "ФИО партнера", "Контакты организации, партнера", "Серіктестің атауы", "Серіктес ұйымның атауы",
    "Partner organisation", "Сумма софинансирования", "Софинансирование", "Собственный вклад", "Вклад НПО",
    "Co-financing", "Вид гранта", "Тип гранта", "Форма гранта", "Грант түрі"]}

# The headers of the form's tables (activities, indicators, partners), as the form prints them: words a label
# is made of, besides the names and synonyms above (see ``vocabulary``).
FORM_HEADERS: tuple[str, ...] = (
    "Задача", "Мероприятия в рамках задачи", "Дата проведения", "Место проведения", "Количество участников",
    "Кол-во участников", "Краткосрочные достигнутые результаты (к мероприятиям)",
    "Количественные и качественные индикаторы", "Индикаторы", "Индикатор", "план", "факт", "Эффект",
    "Единица измерения", "Планируемый уровень", "Фактический уровень", "Наименование организации",
    "Роль в проекте", "Примечание", "Показатель", "Гендерный показатель", "Возрастной показатель",
    "Социальный статус по категориям", "Міндет", "Іс-шаралар", "Өлшем бірлігі", "Жоспарланған деңгей",
    "Нақты деңгей", "Индикаторлар", "Жоспар", "Нақты",
)


@lru_cache(maxsize=1)
def vocabulary() -> frozenset[str]:
    """Every word (normalised) of the catalog's names, synonyms and the form's table headers: the words labels
    are made of. A PDF's layout breaks a long word inside a narrow column («Количес|тво»); two pieces that are
    both such words are two words, not one broken."""
    phrases = [_FIELD_PHRASES, _INDICATOR_PHRASES, _CATEGORY_PHRASES, _GENDER_PHRASES, _REGION_PHRASES,
               _DIRECTION_PHRASES, _SUBROW_PHRASES, {"headers": FORM_HEADERS}, _phrases(AGE_BRACKETS)]
    return frozenset(word for mapping in phrases for texts in mapping.values() for text in texts
                     for word in normalize(text).split() if not word.isdigit())

# ------------------------------------------------------------------------------------- region matching
_CITY_WORDS = ("г", "город", "города", "гор", "городе")


def _region_scan_phrases() -> list[tuple[tuple[str, ...], str]]:
    scan: list[tuple[tuple[str, ...], str]] = []
    for code, phrases in _REGION_PHRASES.items():
        for phrase in phrases:
            words = tuple(tokens(phrase))
            if not words:
                continue
            if words == ("kz",):
                continue  # «KZ» alone is in names («ОО «Орнек KZ»»), not a statement that a project is nationwide
            if len(words) == 1 and words[0] in _UNSAFE_ALONE:
                scan.extend(((city, words[0]), code) for city in _CITY_WORDS)
                scan.append(((words[0], "каласы"), code))
                continue
            scan.append((words, code))
    # Longest phrases first, so "область алматы" wins over "алматы" at the same place.
    scan.sort(key=lambda item: -len(item[0]))
    return scan


_REGION_SCAN = _region_scan_phrases()
# For whole-string typos the scan cannot see ("ЗападноКазахстанская"); no ordinary-word names here.
_REGION_FALLBACK_PHRASES = {
    code: [p for p in phrases if normalize(p) not in _UNSAFE_ALONE] for code, phrases in _REGION_PHRASES.items()
}
_SEGMENT_SPLIT = re.compile(r"[,;\n/|]+")


def _word_fits(word: str, phrase_word: str) -> bool:
    """A text word stands for a phrase word: exactly when either is short, else as token_match allows."""
    if len(phrase_word) <= 3 or len(word) <= 3:
        return word == phrase_word
    return token_match(word, phrase_word)


def _words_match(words: list[str], start: int, phrase: tuple[str, ...]) -> bool:
    if start + len(phrase) > len(words):
        return False
    return all(_word_fits(w, p) for w, p in zip(words[start:start + len(phrase)], phrase))


@lru_cache(maxsize=16384)
def _region_phrases_from(word: str) -> tuple[tuple[tuple[str, ...], str], ...]:
    """The region phrases (in scan order) whose first word the word fits: the only ones that can match where
    it stands (words repeat across texts, so each is looked at against all phrases once)."""
    return tuple((phrase, code) for phrase, code in _REGION_SCAN if _word_fits(word, phrase[0]))


def regions_in_text(text: Any) -> list[str]:
    """Every region a free text names, in order of first mention, without repeats.

    «г. Шымкент и ЗКО» -> ['KZ-79', 'KZ-27']; «Алматы» -> ['KZ-75'] (the city); «Алматинская область» ->
    ['KZ-19']. 'KZ' (nationwide) is returned only when no particular region is named.
    """
    if text is None:
        return []
    if normalize(text) == "kz":  # the code itself, as a region cell may hold it
        return ["KZ"]
    found: list[str] = []
    for segment in _SEGMENT_SPLIT.split(str(text)):
        words = tokens(segment)
        i = 0
        while i < len(words):
            for phrase, code in _region_phrases_from(words[i]):
                if _words_match(words, i, phrase):
                    if code not in found:
                        found.append(code)
                    i += len(phrase)
                    break
            else:
                i += 1
    if len(found) > 1 and "KZ" in found:
        found.remove("KZ")
    return found


def region_of_whole_cell(text: Any) -> tuple[str, ...]:
    """A region cell that is nothing but a word free text does not take alone («Семей», «Абай»): its region."""
    word = normalize(text)
    if word not in _UNSAFE_ALONE:
        return ()
    return tuple(e.code for e in REGIONS if word in {normalize(v) for v in (e.ru, *e.synonyms)})[:1]


def match_region(text: Any) -> str | None:
    """The one region a text names (None when it names none, several, or is unclear)."""
    found = regions_in_text(text)
    if len(found) == 1:
        return found[0]
    if found or len(normalize(text)) < 6:
        return None
    return best_match(text, _REGION_FALLBACK_PHRASES, threshold=0.85)


# Words around a region's own name that add nothing to it: «г. Астана», «Карагандинская обл.», «Абай облысы»
_REGION_FILLER = frozenset(_CITY_WORDS + ("область", "области", "обл", "облысы", "каласы", "region", "city"))


def _region_core(text: Any) -> tuple[str, ...]:
    return tuple(w for w in tokens(text) if w not in _REGION_FILLER)


_REGION_CORES = tuple((core, code) for code, phrases in _REGION_PHRASES.items() for p in phrases
                      if (core := _region_core(p)) and core != ("kz",))


@lru_cache(maxsize=4096)
def is_region_name(text: str) -> bool:
    """Whether a text is wholly one region's name («г. Астана», «Карагандинская область», «ЗКО»): a registry row
    whose grantee is only that is a region's subtotal or group row; «ОО Карагандинская область молодежи» is not."""
    core = _region_core(text)
    return bool(core) and any(len(core) == len(name) and all(_word_fits(w, n) for w, n in zip(core, name))
                              for name, _ in _REGION_CORES)


# ---------------------------------------------------------------------------------- other matchers
_DIRECTION_NUMBER = re.compile(r"^\s*(?:направление|напр\.?|бағыт|№|n)?\s*(\d{1,2})(?:\s*[-–.]\s*(\d))?\s*[.)]?\s*$", re.I)
# A number written before a direction's wording: «4) …», «4. …», «Направление 4: …», «№4 …», «13-1. …»
_DIRECTION_PREFIX = re.compile(
    r"^\s*(?:направление|напр\.?|бағыт[а-яәіңғүұқөһ]*|№|n)?\s*(\d{1,2})(?:\s*[-–.]\s*(\d)(?!\d))?\s*(?:[.):;]|\s[-–—])\s*(?=\S)",
    re.I)


def _direction_code(number: str, sub: str | None) -> str | None:
    code = number + (f"-{sub}" if sub else "")
    return code if code in _BY_CODE["direction"] else None


@lru_cache(maxsize=4096)
def _match_direction_text(text: str) -> str | None:
    m = _DIRECTION_NUMBER.match(text)
    if m:
        return _direction_code(m.group(1), m.group(2))
    prefix = _DIRECTION_PREFIX.match(text)
    wording = text[prefix.end():] if prefix else text
    code = best_match(wording, _DIRECTION_PHRASES)
    if code is None and prefix:  # wording not known (another language, own words): the number says it
        code = _direction_code(prefix.group(1), prefix.group(2))
    return code


def match_direction(text: Any) -> str | None:
    """A grant direction code: by its wording (current, older or Kazakh) first, for some sites number the list
    otherwise; then by a number, alone («4.», «13-1») or before wording the catalog does not know («4) …»)."""
    if text is None:
        return None
    if isinstance(text, float) and text.is_integer():
        text = int(text)
    return _match_direction_text(str(text))


def is_vulnerable_subrow(label: Any) -> bool:
    """Whether a label is the bare «в том числе из социально уязвимых категорий населения» sub-row
    (in Kazakh «оның ішінде әлеуметтік осал топтардан»).

    Such a row belongs to the indicator row above it (see ``VULNERABLE_SUBROW_OF``).
    """
    norm = normalize(label)
    if not any(w.startswith(("уязвим", "осал")) for w in norm.split()):
        return False
    return best_match(norm, _SUBROW_PHRASES) == "subrow" and best_match(norm, _INDICATOR_PHRASES) is None


def match_indicator(label: Any) -> str | None:
    """An indicator code; None for the bare vulnerable sub-row (use ``is_vulnerable_subrow``)."""
    return best_match(_expanded(label), _INDICATOR_PHRASES)


def _expanded(label: Any) -> Any:
    return expand_abbreviations(label) if isinstance(label, str) else label


def match_category(label: Any) -> str | None:
    """A participant social-status category code."""
    return best_match(_expanded(label), _CATEGORY_PHRASES)


_NUMBER = re.compile(r"\d+")


def match_age(label: Any) -> str | None:
    """An age bracket code: «от 13-16 лет», «13 – 16», «59 лет и выше», «от 59 лет», «59+»."""
    if label is None:
        return None
    raw = str(label)
    if "%" in raw:  # «13-16 лет, %» is the bracket's share; a bare «59%» is a figure, no bracket
        if not any(ch.isalpha() for ch in raw):
            return None
        raw = raw.replace("%", " ")
    numbers = [int(n) for n in _NUMBER.findall(normalize(raw))]
    half = len(numbers) // 2
    if half and numbers[:half] == numbers[half:]:  # the same bracket in two languages: «59 жас … / 59 лет и выше»
        numbers = numbers[:half]
    if len(numbers) == 2:
        for code, bounds in _AGE_BOUNDS.items():
            if tuple(numbers) == bounds:
                return code
        return None
    if numbers == [59]:
        return "59+"
    return None


def match_gender(label: Any) -> str | None:
    """'male' or 'female'."""
    return best_match(label, _GENDER_PHRASES)


FIELD_LOOSE_SCORE = 0.9  # below this, only a short text (one or two words) can be a field label


def match_field(label: Any) -> str | None:
    """A passport/registry field code; None when the label reads more like an indicator or a participant
    category («Работники бюджетных организаций» is a category, not the grantee's «организация»)."""
    label = _expanded(label)
    code, score = best_match_score(label, _FIELD_PHRASES)
    if code is None:
        return None
    if score < FIELD_LOOSE_SCORE and len(tokens(label)) >= 3:
        return None  # a one-word synonym inside a longer text: «Команда проекта – 8 человек» is not «Проект»
    _, indicator_score = best_match_score(label, _INDICATOR_PHRASES)
    if indicator_score > score:
        return None
    _, category_score = best_match_score(label, _CATEGORY_PHRASES)
    if category_score > score:
        return None
    _, other_score = best_match_score(label, _NOT_A_FIELD_PHRASES)
    return None if other_score > score else code


def match_field_exactly(label: Any) -> str | None:
    """A field code only when the label is one of the field's phrases word for word (after normalising)."""
    return exact_match(label, _FIELD_PHRASES)


def is_participants_total(label: Any) -> bool:
    """Whether a label is «Количество участников проекта всего» (or a variant)."""
    return match_field(label) == "participants_total"


# ----------------------------------------------------------------------------------------------- names
def name(kind: str, code: str | None, lang: str = "ru") -> str:
    """The display name of a code in ru/kk/en (kk falls back to ru); unknown code -> the code itself."""
    if lang not in UNKNOWN_BY_LANG:
        raise ValueError(f"unknown language {lang!r}: use ru, kk or en")
    if kind not in _BY_CODE:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(_BY_CODE)}")
    if code is None:
        return UNKNOWN_BY_LANG[lang]
    entry = _BY_CODE[kind].get(code)
    if entry is None:
        return str(code)
    return getattr(entry, lang) or entry.ru


def names(kind: str, codes: Iterable[Any], lang: str = "ru") -> list[str]:
    """``name`` of every code of a column (each distinct code looked up once)."""
    found: dict[Any, str] = {}
    return [found[c] if c in found else found.setdefault(c, name(kind, c, lang)) for c in codes]


def entry(kind: str, code: str) -> Entry:
    """The catalog entry of a code (KeyError when unknown)."""
    if kind not in _BY_CODE:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(_BY_CODE)}")
    try:
        return _BY_CODE[kind][code]
    except KeyError:
        raise KeyError(f"unknown {kind} code {code!r}") from None


def codes(kind: str) -> list[str]:
    """All codes of a kind, in catalog order."""
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}: use one of {', '.join(_KINDS)}")
    return [e.code for e in _KINDS[kind]]


def indicator_unit(code: str) -> str:
    """'people', 'organizations', 'tenge' or 'org_or_people'."""
    entry = _BY_CODE["indicator"].get(code)
    if entry is None:
        raise KeyError(f"unknown indicator {code!r}")
    assert isinstance(entry, Indicator)
    return entry.unit
