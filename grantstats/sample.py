"""A deterministic synthetic archive (clearly labelled synthetic) written as real spreadsheet files.

The reports are plain dicts in the `show --json` shape; writers lay them out as consolidated registry
sheets (xlsx with two header rows and merged groups, CSV in cp1251 and UTF-8) and, where the form writer
is available, as one form-shaped workbook per report. Real-world mess is added on purpose: percent
tables, qualifiers, dash-empties, multi-region and multi-year grants, regions and directions as people
write them.
Each report also has 2-6 activities (tasks, dates, places, plan and fact) that only the form workbooks carry.
"""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from grantstats import catalog
from grantstats.readers.tidy import write_tidy_workbook
from grantstats.template import write_form_report

SYNTHETIC_MARK = "СИНТЕТИЧЕСКИЕ ДАННЫЕ / SYNTHETIC DATA"
YEARS = list(range(2019, 2026))
AGE_SHARES = {"13-16": 0.08, "17-22": 0.27, "23-27": 0.22, "28-32": 0.15, "33-45": 0.16, "46-58": 0.08, "59+": 0.04}
NGO_FORMS = ["ОО", "Общественное объединение", "ОФ", "Общественный фонд", "ЧУ", "КФ"]
NGO_WORDS = ["Жастар", "Болашак", "Шанырак", "Умит", "Достык", "Алау", "Кемел", "Сана", "Мейирим", "Толагай",
             "Арман", "Намыс", "Жарык", "Бирлик", "Орнек", "Самал", "Кайнар", "Ак жол", "Нур", "Тулпар",
             "Ырыс", "Береке", "Жiгер", "Саулет", "Ансар", "Акбота", "Еркин", "Зерде", "Талап", "Шугыла"]
NGO_SUFFIX = ["", " Альянсы", " Центр", " Плюс", "-М", " KZ", " Орда", " Лига", " Клуб", " Инициатива"]
TOPICS = ["молодежный корпус", "школа волонтеров", "центр поддержки семьи", "инклюзивная мастерская",
          "клуб здорового образа жизни", "экологический патруль", "правовая консультация для пожилых",
          "медиашкола", "центр занятости молодежи", "ресурсный центр НПО", "театральная студия",
          "музей под открытым небом", "летний лагерь", "кружок робототехники", "служба пробации"]
KAZAKH_TO_CP1251 = str.maketrans("ӘәҒғҚқҢңӨөҰұҮүҺһІі", "АаГгКкНнОоУуУуХхIi")
MONTHS_RU = ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
             "ноября", "декабря"]
MONTHS_NOMINATIVE_RU = ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                        "ноябрь", "декабрь"]
SETTLEMENTS = {
    "KZ-10": ["г. Семей", "г. Аягоз", "г. Курчатов", "с. Караул"],
    "KZ-11": ["г. Кокшетау", "г. Степногорск", "г. Щучинск", "с. Зеренда"],
    "KZ-15": ["г. Актобе", "г. Хромтау", "г. Кандыагаш", "с. Мартук"],
    "KZ-19": ["г. Конаев", "г. Есик", "г. Каскелен", "г. Талгар"],
    "KZ-23": ["г. Атырау", "г. Кульсары", "с. Махамбет", "пос. Индерборский"],
    "KZ-27": ["г. Уральск", "г. Аксай", "с. Переметное", "с. Чапаево"],
    "KZ-31": ["г. Тараз", "г. Шу", "г. Жанатас", "с. Мерке"],
    "KZ-33": ["г. Талдыкорган", "г. Текели", "г. Жаркент", "г. Уштобе"],
    "KZ-35": ["г. Караганда", "г. Темиртау", "г. Балхаш", "г. Шахтинск"],
    "KZ-39": ["г. Костанай", "г. Рудный", "г. Лисаковск", "г. Аркалык"],
    "KZ-43": ["г. Кызылорда", "г. Аральск", "пос. Шиели", "г. Казалинск"],
    "KZ-47": ["г. Актау", "г. Жанаозен", "с. Бейнеу", "г. Форт-Шевченко"],
    "KZ-55": ["г. Павлодар", "г. Экибастуз", "г. Аксу", "с. Баянаул"],
    "KZ-59": ["г. Петропавловск", "г. Булаево", "г. Мамлютка", "с. Тимирязево"],
    "KZ-61": ["г. Туркестан", "г. Кентау", "г. Сарыагаш", "г. Жетысай"],
    "KZ-62": ["г. Жезказган", "г. Сатпаев", "г. Каражал", "пос. Улытау"],
    "KZ-63": ["г. Усть-Каменогорск", "г. Риддер", "г. Алтай", "г. Зайсан"],
    "KZ-71": ["г. Астана", "г. Астана, район Есиль", "г. Астана, район Сарыарка"],
    "KZ-75": ["г. Алматы", "г. Алматы, Бостандыкский район", "г. Алматы, Алатауский район"],
    "KZ-79": ["г. Шымкент", "г. Шымкент, Абайский район", "г. Шымкент, Енбекшинский район"],
    "KZ": ["г. Астана", "г. Алматы", "г. Шымкент", "г. Караганда", "г. Актобе"],
}
# No place reads as a passport label («офис организации» would read as «организация», the grantee's label):
# the sample's activity rows stay plain activities for every reader (tests/test_sample.py checks it).
VENUES = ["Дворец школьников", "Дом дружбы", "центральная библиотека", "молодежный ресурсный центр",
          "актовый зал акимата", "офис объединения", "Дом культуры", "средняя школа № 12", "колледж сервиса"]
ONLINE_PLACES = ["онлайн, платформа Zoom", "онлайн (Instagram, Telegram)", "социальные сети организации"]
AUDIENCES = ["молодежи", "населения", "родителей", "людей старшего возраста", "жителей сельских округов",
             "подростков", "волонтеров"]  # in the genitive: «развитие потенциала молодежи»
TASK_SUBJECTS = ["возможностях государственной поддержки", "своих правах и льготах", "здоровом образе жизни",
                 "волонтерском движении", "профилактике правонарушений", "бережном отношении к природе",
                 "программах занятости"]
TASK_SPHERES = ["волонтерскую деятельность", "общественную жизнь региона", "занятия спортом", "творческие проекты",
                "решение проблем местного сообщества"]
TASK_PATTERNS = ["Повышение информированности {audience} о {subject}", "Развитие потенциала {audience}",
                 "Вовлечение {audience} в {sphere}",
                 "Укрепление взаимодействия НПО с местными исполнительными органами"]


class ActivityKind(NamedTuple):
    """An activity as reports describe it: what was done, what its plan and fact count, and what came of it."""

    activity: str
    counted: str
    plans: tuple[int | str, ...]
    result: str
    effect: str
    online: bool


ACTIVITY_KINDS = [ActivityKind(*kind) for kind in (
    ("Проведение обучающих семинаров для волонтеров", "количество семинаров", (2, 3, 4, 5),
     "- проведены семинары;\n- подготовлены раздаточные материалы", "Волонтеры получили навыки работы с целевой группой",
     False),
    ("Круглый стол с представителями местных исполнительных органов", "количество круглых столов", (1, 2),
     "- обсуждены проблемы целевой группы;\n- приняты рекомендации", "Налажено взаимодействие с акиматом", False),
    ("Информационная кампания в социальных сетях", "количество публикаций", (10, 20, 30, 50),
     "- размещены публикации и видеоролики", "Повышена информированность населения о проекте", True),
    ("Тренинги по финансовой грамотности для молодежи", "количество тренингов", (2, 4, 6),
     "- проведены тренинги с практическими заданиями", "Молодежь научилась вести личный бюджет", False),
    ("Бесплатные консультации юриста для пожилых людей", "количество консультаций", (30, 50, 100),
     "- даны консультации по пенсионным и жилищным вопросам", "Пожилые люди защитили свои права", False),
    ("Выездные встречи в сельских округах", "количество встреч", (3, 5, 8),
     "- проведены встречи с жителями", "Жители сел узнали о мерах поддержки", False),
    ("Конкурс социальных видеороликов среди школьников", "количество конкурсных работ", (10, 20, 30),
     "- подведены итоги конкурса, награждены победители", "Школьники вовлечены в социальное творчество", False),
    ("Мастер-классы для детей с инвалидностью", "количество мастер-классов", (4, 6, 10),
     "- проведены мастер-классы по декоративно-прикладному искусству", "Дети с инвалидностью получили новые навыки",
     False),
    ("Итоговая конференция с участием партнеров проекта", "количество конференций", (1,),
     "- представлены итоги проекта", "Опыт проекта распространен среди НПО региона", False),
    ("Экологическая акция по уборке берега реки", "количество акций", (2, 3, 5),
     "- убрана территория, вывезен мусор", "Сформировано бережное отношение к природе", False),
    ("Подготовка и издание методического пособия", "тираж пособия, экз.", (100, 200, 500),
     "- издано и распространено пособие", "Специалисты используют пособие в работе", False),
    ("Онлайн-марафон для родителей подростков", "количество прямых эфиров", (5, 10),
     "- проведены прямые эфиры с психологом", "Родители получили ответы на свои вопросы", True),
    ("Спортивный турнир среди дворовых команд", "количество команд", (8, 12, 16),
     "- проведен турнир, команды награждены", "Подростки заняты полезным досугом", False),
    ("Публикации о проекте в местных СМИ", "количество публикаций", (3, 5, 10),
     "- вышли статьи и сюжеты на телевидении", "Проект известен жителям региона", False),
    ("Запуск Telegram-бота для консультаций", "количество ботов\nколичество обращений", (1,),
     "- бот запущен, консультации ведутся", "Целевая группа получает помощь удаленно", True),
    ("Анкетирование получателей услуг проекта", "доля довольных получателей услуг", ("80%", "90%"),
     "- проведено анкетирование, обработаны анкеты", "Оценено качество услуг проекта", False),
)]
PEOPLE_WORDS = ["человек", "участников", "волонтеров", "слушателей"]


def _spaced(value: float) -> str:
    return f"{value:,.0f}".replace(",", " ")


def _date_words(d: date) -> str:
    return f"{d.day} {MONTHS_RU[d.month - 1]} {d.year} года"


def _region_text(codes: list[str], rng: random.Random) -> str | None:
    if not codes:
        return None
    names = []
    for code in codes:
        options = [catalog.name("region", code)]
        options += [s for s in catalog.entry("region", code).synonyms if len(s) > 2][:3]
        names.append(rng.choice(options))
    return rng.choice([", ", " и ", "; "]).join(names)


def _activity_date_text(day: date, last: date, rng: random.Random) -> str:
    """When an activity was held, as people write it: «март–апрель 2023 г.», «15.05.2023», «15 мая 2023 года»."""
    style = rng.random()
    if style < 0.4:
        until = min(day.month + rng.randint(0, 2), last.month)
        months = MONTHS_NOMINATIVE_RU[day.month - 1] + (f"–{MONTHS_NOMINATIVE_RU[until - 1]}" if until > day.month else "")
        return f"{months} {day.year} г."
    if style < 0.75:
        return f"{day:%d.%m.%Y}"
    return _date_words(day)


def _activity_place(region_codes: list[str], online: bool, rng: random.Random) -> str:
    """A settlement of one of the report's regions, now and then with its venue; online work is held online."""
    if online and rng.random() < 0.8:
        return rng.choice(ONLINE_PLACES)
    settlements = [s for code in region_codes for s in SETTLEMENTS.get(code, [])] or ["офис объединения"]
    place = rng.choice(settlements)
    return f"{place}, {rng.choice(VENUES)}" if place.startswith("г.") and rng.random() < 0.4 else place


def _task_text(number: int, rng: random.Random) -> str:
    """«Задача 2. Развитие потенциала молодежи»: a task as the form numbers it."""
    pattern = rng.choice(TASK_PATTERNS)
    return f"Задача {number}. " + pattern.format(audience=rng.choice(AUDIENCES), subject=rng.choice(TASK_SUBJECTS),
                                                   sphere=rng.choice(TASK_SPHERES))


def _plan_and_fact(kind: ActivityKind, rng: random.Random) -> tuple[int | str, int | str]:
    """An activity's planned and actual values as the form holds them: a number, a percent, or two values a line each."""
    plan = rng.choice(kind.plans)
    if isinstance(plan, str):
        return plan, f"{min(100, int(plan[:-1]) + rng.choice((-5, 0, 0, 5)))}%"
    fact = plan if rng.random() < 0.6 else max(0, plan + rng.choice((-1, 1, 2)) * max(1, plan // 5))
    if "\n" in kind.counted:
        second = rng.choice((20, 50, 100))
        return f"{plan}\n{second}", f"{fact}\n{round(second * rng.uniform(0.8, 1.3))}"
    return plan, fact


def make_activities(rng: random.Random, year: int, period_start: date, period_end: date,
                    region_codes: list[str]) -> list[dict[str, Any]]:
    """2-6 activities under 1-3 tasks, held in the report's year within its period, in its regions."""
    count = rng.randint(2, 6)
    kinds = rng.sample(ACTIVITY_KINDS, count)
    task_count = rng.randint(1, min(3, count))
    cuts = sorted(rng.sample(range(1, count), task_count - 1))
    task_of = [sum(1 for cut in cuts if k >= cut) for k in range(count)]
    tasks = [_task_text(n + 1, rng) for n in range(task_count)]
    numbered = rng.random() < 0.5
    first, last = period_start, min(period_end, date(year, 12, 31))
    dates = sorted(first + timedelta(days=rng.randint(0, (last - first).days)) for _ in range(count))
    activities = []
    for k, kind in enumerate(kinds):
        task = task_of[k]
        number = f"Мероприятие {task + 1}.{task_of[:k].count(task) + 1} " if numbered else ""
        plan, fact = _plan_and_fact(kind, rng)
        people = rng.choice((8, 15, 25, 30, 45, 60, 80, 120, 150, 300))
        participants = rng.choice([f"{people} {rng.choice(PEOPLE_WORDS)}", f"не менее {people} человек",
                                   f"Команда проекта – {rng.randint(5, 9)} человек"])
        activities.append({
            "task": tasks[task], "activity": number + kind.activity,
            "date_text": _activity_date_text(dates[k], last, rng),
            "place": _activity_place(region_codes, kind.online, rng), "participants_text": participants,
            "results": kind.result, "indicator": kind.counted, "plan": plan, "fact": fact, "effect": kind.effect,
        })
    return activities


def make_reports(count: int, seed: int) -> list[dict[str, Any]]:
    """The synthetic reports, each a dict like `show --json` plus `_text` fields as a person would type them.

    `activities` holds the form's activity rows; only form workbooks carry them (a registry has no place for them).
    """
    rng = random.Random(seed)
    regions = [c for c in catalog.codes("region") if c != "KZ"]
    directions = catalog.codes("direction")
    ngos = []
    for i in range(max(8, count // 3)):
        name = f"{rng.choice(NGO_FORMS)} «{rng.choice(NGO_WORDS)}{rng.choice(NGO_SUFFIX)}»"
        ngos.append((name if all(name != n for n, _ in ngos) else f"{name[:-1]} {i}»", rng.choice(regions)))
    reports = []
    for seq in range(1, count + 1):
        grantee, home = rng.choice(ngos)
        year = rng.choice(YEARS)
        roll = rng.random()
        if roll < 0.06:
            region_codes = ["KZ"]
        elif roll < 0.14:
            region_codes = [home, rng.choice([r for r in regions if r != home])]
        elif roll < 0.16:
            region_codes = []
        else:
            region_codes = [home]
        contract_date = date(year, rng.randint(1, 6), rng.randint(1, 28))
        start = contract_date + timedelta(days=rng.randint(3, 30))
        multi_year = rng.random() < 0.12 and year < 2025
        end = date(year + 1 if multi_year else year, rng.randint(10, 12) if not multi_year else rng.randint(3, 11), 28)
        amount = round(rng.lognormvariate(16.3, 0.8), -3)
        amount_by_year = {}
        if multi_year:
            first = round(amount * rng.uniform(0.4, 0.6), -3)
            amount_by_year = {str(year): first, str(year + 1): amount - first}
        direct_plan = rng.choice([30, 50, 80, 100, 150, 200, 300, 500, 1000, 2000])
        direct_fact = max(0, round(direct_plan * rng.uniform(0.6, 1.35)))
        indirect_plan = rng.choice([5000, 10000, 50000, 140000, 300000])
        indirect_fact = round(indirect_plan * rng.uniform(0.5, 3.0), -2)
        payroll = round(amount * rng.uniform(0.2, 0.4), -3)
        indicators = {
            "direct_beneficiaries": (direct_plan, direct_fact),
            "indirect_beneficiaries": (indirect_plan, indirect_fact),
            "staff": (rng.randint(2, 8),) * 2,
            "specialists": (p := rng.randint(2, 15), max(0, p + rng.randint(-2, 2))),
            "ngos_covered": (p := rng.randint(0, 10), max(0, p + rng.randint(-2, 3))),
            "payroll": (payroll, payroll),
            "taxes": (round(payroll * 0.11), round(payroll * 0.11)),
            "economy_contribution": (p := round(amount * rng.uniform(0.2, 0.5), -3), round(p * rng.uniform(0.8, 1.0), -3)),
            "partners": (p := rng.randint(1, 10), max(0, p + rng.randint(-1, 3))),
        }
        if year <= 2021 and rng.random() < 0.5:
            vul = round(direct_plan * 0.3)
            indicators["direct_beneficiaries_vulnerable"] = (vul, round(vul * rng.uniform(0.8, 1.2)))
        if rng.random() < 0.1:
            indicators["direct_beneficiaries"] = (direct_plan, None)  # a report that leaves its fact empty
        total = direct_fact or None
        male = round((total or 0) * rng.uniform(0.3, 0.6))
        gender = {"male": male, "female": (total or 0) - male} if total else {}
        age = {}
        if total:
            left = total
            for i, (bucket, share) in enumerate(AGE_SHARES.items()):
                n = left if i == len(AGE_SHARES) - 1 else min(left, round(total * share))
                age[bucket] = n
                left -= n
        slip = rng.random()  # the mistakes real archives hold: a table that does not add up, a budget over the grant,
        table_totals = {}  # a participant table whose own total was mistyped
        if total and slip < 0.03:
            gender["female"] += max(5, round(total * 0.2))
        elif slip < 0.045:
            indicators["economy_contribution"] = (indicators["economy_contribution"][0], round(amount * 0.9, -3))
        elif total and slip < 0.055:
            table_totals["age"] = total + 10
        categories = {}
        if total:
            # categories overlap, but elderly people are among those aged 46+, children among the under-23s,
            # except in the few careless reports that real archives hold too
            careless = rng.random() < 0.03
            ceiling = {"elderly": age["46-58"] + age["59+"], "children": age["13-16"] + age["17-22"]}
            for code in catalog.codes("category"):
                if rng.random() < 0.5:
                    people = round(total * rng.uniform(0.0, 0.6))
                    categories[code] = people if careless else min(people, ceiling.get(code, people))
        reports.append({
            "grantee": grantee, "title": f"{rng.choice(TOPICS).capitalize()} «{rng.choice(NGO_WORDS)}»",
            "contract_no": f"{seq}-ГГ", "contract_date": contract_date.isoformat(),
            "period_start": start.isoformat(), "period_end": end.isoformat(), "year": year,
            "direction": rng.choice(directions), "regions": region_codes,
            "region_text": _region_text(region_codes, rng), "grant_amount": amount,
            "amount_by_year": amount_by_year, "participants_total": total, "table_totals": table_totals,
            "indicators": {k: {"plan": v[0], "fact": v[1]} for k, v in indicators.items()},
            "gender": gender, "age": age, "categories": categories,
            "percent_tables": bool(total) and rng.random() < 0.2,
            "approx_indirect": rng.random() < 0.15,
            # drawn from a generator of their own so that every other figure stays as it was before they existed
            "activities": make_activities(random.Random(f"{seed}:{seq}:activities"), year, start, end, region_codes),
        })
    return reports


def _number_text(value: float | None, rng: random.Random, approx: bool = False) -> str | float | int | None:
    """A figure as someone might type it: a plain number, spaced digits, тыс./млн, a dash for empty."""
    if value is None:
        return rng.choice(["-", "—", "", "нет"])
    if approx:
        if value >= 1_000_000:
            return f"около {value / 1_000_000:.1f} млн".replace(".", ",").replace(",0 ", " ")
        return f"{rng.choice(['около', 'более', 'не менее'])} {_spaced(value)}"
    style = rng.random()
    if value >= 10_000 and style < 0.2 and value % 1000 == 0:
        return f"{_spaced(value / 1000)} тыс."
    if style < 0.5:
        return _spaced(value) if value >= 1000 else int(value)
    return int(value) if float(value).is_integer() else value


def _direction_text(code: str, rng: random.Random) -> str:
    name = catalog.name("direction", code)
    return rng.choice([name, f"{code}. {name}", name.capitalize()])


def _percent(part: float, total: float) -> str:
    return f"{round(100 * part / total)}%"


REGISTRY_FIELDS_TWO_ROW = [
    ("№", None), ("Грантополучатель", "grantee"), ("Наименование социального проекта", "title"),
    ("Договор", "contract"), ("Регион реализации", "region"), ("Направление гранта", "direction"),
    ("Период реализации", "period"), ("Сумма гранта, тенге", "grant_amount"),
]
INDICATOR_HEADERS = {
    "direct_beneficiaries": "Прямые бенефициары", "indirect_beneficiaries": "Косвенные бенефициары",
    "staff": "Штатные работники", "specialists": "Привлеченные специалисты", "ngos_covered": "Охваченные НПО",
    "payroll": "Фонд оплаты труда", "taxes": "Налоги", "economy_contribution": "Вклад в экономику",
    "partners": "Партнеры проекта",
}
AGE_HEADERS = {"13-16": "13-16 лет", "17-22": "17-22 года", "23-27": "23-27 лет", "28-32": "28-32 года",
               "33-45": "33-45 лет", "46-58": "46-58 лет", "59+": "59 лет и выше"}


def _registry_cells(r: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """One report's cells keyed by column id, text typed the way people type it."""
    contract = f"№ {r['contract_no']} от {_date_words(date.fromisoformat(r['contract_date']))}"
    start, end = date.fromisoformat(r["period_start"]), date.fromisoformat(r["period_end"])
    period = rng.choice([f"{_date_words(start)} – {_date_words(end)}",
                         f"{start:%d.%m.%Y} - {end:%d.%m.%Y}"])
    if r["amount_by_year"]:
        amount = "\n".join(f"- на {y} год - {_spaced(a)} тенге" for y, a in r["amount_by_year"].items())
    else:
        amount = rng.choice([r["grant_amount"], _spaced(r["grant_amount"]), f"{_spaced(r['grant_amount'])} (тенге)"])
    cells = {"grantee": r["grantee"], "title": r["title"], "contract": contract, "region": r["region_text"],
             "direction": _direction_text(r["direction"], rng), "period": period, "grant_amount": amount,
             "contract_no": r["contract_no"], "contract_date": r["contract_date"], "year": r["year"]}
    for code, v in r["indicators"].items():
        approx = code == "indirect_beneficiaries" and r["approx_indirect"]
        cells[f"{code}:plan"] = _number_text(v["plan"], rng)
        cells[f"{code}:fact"] = _number_text(v["fact"], rng, approx=approx)
    total = r["participants_total"]
    cells["participants_total"] = total
    for dim, values in (("gender", r["gender"]), ("age", r["age"])):
        for bucket, people in values.items():
            cells[f"{dim}:{bucket}"] = _percent(people, total) if r["percent_tables"] else people
    return cells


def write_registry_xlsx(path: Path, reports: list[dict[str, Any]], rng: random.Random) -> None:
    """A consolidated workbook: title rows, two header rows with merged groups over план/факт, a totals row."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Реестр"
    ws.append([f"Сводная таблица заключительных отчетов ({SYNTHETIC_MARK})"])
    ws.append([])
    top, sub, keys = [], [], []
    for label, key in REGISTRY_FIELDS_TWO_ROW:
        top.append(label), sub.append(None), keys.append(key)
    for code, label in INDICATOR_HEADERS.items():
        top += [label, None]
        sub += ["план", "факт"]
        keys += [f"{code}:plan", f"{code}:fact"]
    top += ["Количество участников проекта всего", "Мужчин", "Женщин"] + list(AGE_HEADERS.values())
    sub += [None] * (3 + len(AGE_HEADERS))
    keys += ["participants_total", "gender:male", "gender:female"] + [f"age:{b}" for b in AGE_HEADERS]
    ws.append(top)
    ws.append(sub)
    for col, value in enumerate(top, start=1):
        if value and col < len(top) and top[col] is None and sub[col - 1] == "план":
            ws.merge_cells(start_row=3, end_row=3, start_column=col, end_column=col + 1)
        elif value and sub[col - 1] is None:
            ws.merge_cells(start_row=3, end_row=4, start_column=col, end_column=col)
    for n, r in enumerate(reports, start=1):
        cells = _registry_cells(r, rng)
        ws.append([n if key is None else cells.get(key) for key in keys])
    ws.append(["Итого", None, None, None, None, None, None, sum(r["grant_amount"] for r in reports)])
    wb.save(str(path))


def write_registry_csv(path: Path, reports: list[dict[str, Any]], rng: random.Random, encoding: str, delimiter: str) -> None:
    """A one-header-row CSV with «(план)»/«(факт)» in the column names."""
    headers = [("Грантополучатель", "grantee"), ("Тема гранта", "title"), ("Номер договора", "contract_no"),
               ("Дата договора", "contract_date"), ("Регион", "region"), ("Направление", "direction"),
               ("Год", "year"), ("Сумма гранта", "grant_amount")]
    for code, label in INDICATOR_HEADERS.items():
        headers += [(f"{label} (план)", f"{code}:plan"), (f"{label} (факт)", f"{code}:fact")]
    headers += [("Участников всего", "participants_total"), ("Мужчин", "gender:male"), ("Женщин", "gender:female")]
    legacy = encoding.replace("-", "").lower() == "cp1251"
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow([h for h, _ in headers])
        for r in reports:
            cells = _registry_cells(r, rng)
            row = []
            for _, key in headers:
                value = cells.get(key)
                if isinstance(value, str):
                    value = value.replace("\n", "; ")
                    if legacy:  # cp1251 has no Kazakh letters: people type their Russian look-alikes
                        value = value.translate(KAZAKH_TO_CP1251)
                if key == "grant_amount" and isinstance(value, (int, float)) and delimiter == ";":
                    value = _spaced(value)
                row.append("" if value is None else value)
            writer.writerow(row)


def _tidy_details(r: dict[str, Any]) -> dict[str, Any]:
    """A generated report in the shape store.report_details gives, for the tidy export writer."""
    regions = r["regions"]
    return {
        **{k: r[k] for k in ("grantee", "title", "contract_no", "contract_date", "period_start", "period_end", "year",
                             "direction", "region_text", "grant_amount", "participants_total", "gender", "age",
                             "categories")},
        "report_id": "S" + r["contract_no"], "direction_text": None, "regions": regions,
        "region_shares": {code: 1.0 / len(regions) for code in regions}, "grant_amount_qualifier": None,
        "grant_amount_text": None, "report_date": None,
        "amount_by_year": {y: float(a) for y, a in r["amount_by_year"].items()},
        "indicators": {code: {"unit": catalog.indicator_unit(code), "plan": v["plan"], "fact": v["fact"],
                              "plan_qualifier": None, "fact_qualifier": None, "plan_text": None, "fact_text": None}
                       for code, v in r["indicators"].items()},
        "derived_from_percent": {},
    }


def write_sample(out: Path, reports: int = 600, seed: int = 2024, form_share: float = 0.5) -> dict[str, int]:
    """Write the archive into `out`: form workbooks, registry workbooks and CSV files, and a tidy export."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    items = make_reports(reports, seed)
    form_items, registry_items = [], []
    for r in items:
        (form_items if rng.random() < form_share else registry_items).append(r)
    files = 0
    for i, r in enumerate(form_items):
        write_form_report(out / f"report_{r['contract_no'].replace('-ГГ', '')}_{r['year']}.xlsx", r, arrangement=i)
        files += 1
    tidy_items = registry_items[::25]  # a few reports come back as the project's own tidy export
    if tidy_items:
        write_tidy_workbook([_tidy_details(r) for r in tidy_items], out / "export_tidy.xlsx")
        files += 1
    registry_items = [r for r in registry_items if not any(r is t for t in tidy_items)]
    by_year: dict[int, list[dict[str, Any]]] = {}
    for r in registry_items:
        by_year.setdefault(r["year"], []).append(r)
    for year, group in sorted(by_year.items()):
        cut = max(1, len(group) // 5)
        csv_part, xlsx_part = group[:cut], group[cut:]
        if xlsx_part:
            write_registry_xlsx(out / f"registry_{year}.xlsx", xlsx_part, rng)
            files += 1
        if csv_part:
            cp1251 = year % 2 == 0
            write_registry_csv(out / f"registry_{year}_{'cp1251' if cp1251 else 'utf8'}.csv", csv_part, rng,
                               encoding="cp1251" if cp1251 else "utf-8-sig", delimiter=";" if cp1251 else ",")
            files += 1
    (out / "ABOUT-SYNTHETIC-DATA.md").write_text(
        f"{SYNTHETIC_MARK}\nThese {len(items)} reports are invented by `python -m grantstats sample --seed {seed}`;"
        " no real NGO, person or figure is described.\n", encoding="utf-8")
    return {"files": files, "reports": len(items)}
