"""Tests for grantstats.numbers: figures, dates, periods, contracts and per-year amounts as typed."""

from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grantstats.model import Number
from grantstats.numbers import (
    parse_amount_by_year,
    parse_contract,
    parse_date,
    parse_number,
    parse_period,
    parse_year,
    percent_to_people,
    round_half_up,
)

# --------------------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    "raw, value, qualifier, percent",
    [
        # the real cells of examples/final-report-2023.txt
        ("140 тыс. ", 140000.0, None, False),
        ("около 1 млн", 1000000.0, "approx", False),
        ("Более 500 000", 500000.0, "at_least", False),
        ("2 160 000", 2160000.0, None, False),
        ("245 376", 245376.0, None, False),
        ("4 090 000", 4090000.0, None, False),
        ("140 000", 140000.0, None, False),
        ("95%", 95.0, None, True),
        ("2,5", 2.5, None, False),
        ("100%", 100.0, None, True),
        ("30%", 30.0, None, True),
        ("70", 70.0, None, False),
        ("30 000 тыс тг", 30000000.0, None, False),
        ("Команда проекта – 8 человек", 8.0, None, False),
        # separators
        ("4 000 000", 4000000.0, None, False),
        ("4\xa0000\xa0000", 4000000.0, None, False),
        ("34\u202f495\u202f376", 34495376.0, None, False),
        ("1\u2009500", 1500.0, None, False),
        ("2.5", 2.5, None, False),
        ("1.234", None, None, False),  # one separator and three digits: 1.234 or 1 234? not guessed
        ("2,000", None, None, False),
        ("245.376", None, None, False),
        ("0,125", 0.125, None, False),  # a leading zero: a decimal
        ("1,500 млн", 1.5e6, None, False),  # a multiplier after it: a decimal
        ("12,500%", 12.5, None, True),
        ("1.234.567", 1234567.0, None, False),
        ("1,234,567", 1234567.0, None, False),
        ("1 234,5", 1234.5, None, False),
        ("1.234.567,89", 1234567.89, None, False),
        ("1,234,567.89", 1234567.89, None, False),
        ("0", 0.0, None, False),
        ("0,0", 0.0, None, False),
        ("-5", -5.0, None, False),
        ("−5", -5.0, None, False),  # U+2212 minus
        # multipliers
        ("140 тыс.", 140000.0, None, False),
        ("140 тысяч", 140000.0, None, False),
        ("2 тысячи", 2000.0, None, False),
        ("2,5 млн", 2500000.0, None, False),
        ("1,2 млн", 1200000.0, None, False),
        ("3 миллиона", 3000000.0, None, False),
        ("5 миллионов тенге", 5000000.0, None, False),
        ("1,5 млрд", 1500000000.0, None, False),
        ("15 т.", 15.0, None, False),  # "т." is not a multiplier
        # percent
        ("30 %", 30.0, None, True),
        ("95,5%", 95.5, None, True),
        ("не менее 80%", 80.0, "at_least", True),
        # amounts with words in brackets, currency, units
        ("4 000 000 (Четыре миллиона).", 4000000.0, None, False),
        ("34 495 376 (тридцать четыре миллиона четыреста девяносто пять тысяч) тенге", 34495376.0, None, False),
        ("2 160 000 тг", 2160000.0, None, False),
        ("2 160 000 ₸", 2160000.0, None, False),
        ("2160000 KZT", 2160000.0, None, False),
        ("50 человек", 50.0, None, False),
        ("50 чел.", 50.0, None, False),
        # qualifiers
        ("около 100", 100.0, "approx", False),
        ("примерно 100", 100.0, "approx", False),
        ("приблизительно 100", 100.0, "approx", False),
        ("~100", 100.0, "approx", False),
        ("≈ 100", 100.0, "approx", False),
        ("не менее 50", 50.0, "at_least", False),
        ("- не менее 50 зарегистрировавшихся участников;", 50.0, "at_least", False),
        ("более 500", 500.0, "at_least", False),
        ("БОЛЕЕ 500", 500.0, "at_least", False),
        ("свыше 500", 500.0, "at_least", False),
        ("от 500", 500.0, "at_least", False),
        ("больше 500", 500.0, "at_least", False),
        ("более чем 500", 500.0, "at_least", False),
        ("> 500", 500.0, "at_least", False),
        ("≥500", 500.0, "at_least", False),
        ("500+", 500.0, "at_least", False),
        ("не более 3", 3.0, "at_most", False),
        ("до 1 000 000 тенге", 1000000.0, "at_most", False),
        ("менее 5", 5.0, "at_most", False),
        ("< 5", 5.0, "at_most", False),
        ("≤5", 5.0, "at_most", False),
        ("информационный охват – не менее 140 тыс человек", 140000.0, "at_least", False),
        # two figures where one is expected, digits grouped wrongly, a range or a ratio: which is meant is not
        # guessed (the first figure of «1⏎5» or «2 160 0001» read silently was a wrong figure)
        ("1\n\n20", None, None, False),
        ("10\n20\n30", None, None, False),
        ("13-16", None, None, False),
        ("100 – 120", None, None, False),
        ("150/170", None, None, False),
        ("10 20", None, None, False),  # not a thousands group
        ("2 160 0001", None, None, False),
        ("999245 376", None, None, False),
        ("2023 100", None, None, False),
        ("150\n(из них 20 детей)", 150.0, None, False),  # a figure in words after it: the first is the figure
        ("2 160 000¹", 2160000.0, None, False),  # a footnote mark is no digit
        # a second figure after words or a unit is a second figure too (the first had been taken silently)
        ("120 чел.\n95 чел.", None, None, False),
        ("7000 человек 6500", None, None, False),
        ("1 210 000 тенге\n900 000", None, None, False),
        ("план 100 факт 120", None, None, False),
        ("от 100 до 120", None, None, False),
        ("2 000 000 (2023) + 3 000 000 (2024)", None, None, False),
        # digits that are no second figure: a breakdown, a share, a year, a date and a number, kopecks, a unit,
        # the sum in another currency
        ("120 чел., в т.ч. 20 детей", 120.0, None, False),
        ("2 160 000 (54%)", 2160000.0, None, False),
        ("120 человек (2023 г.)", 120.0, None, False),
        ("4 000 000 тенге по договору №72 от 21.04.2023", 4000000.0, None, False),
        ("4 000 000 (Четыре миллиона) тенге 00 тиын", 4000000.0, None, False),
        ("500 м2", 500.0, None, False),
        ("12 500 000 тенге (≈ 27 000 USD)", 12500000.0, None, False),
        # an accountant's minus: the figure in brackets (it had lost its sign without a word)
        ("(100 000)", -100000.0, None, False),
        ("(100 000) тенге", -100000.0, None, False),
        ("#DIV/0!", None, None, False),  # an Excel error: not the 0 in its text
        ("#REF!", None, None, False),
    ],
)
def test_parse_number_text(raw, value, qualifier, percent):
    n = parse_number(raw)
    assert n == Number(value, qualifier=qualifier, raw=raw, percent=percent)
    assert isinstance(n.value, float) if value is not None else n.value is None


@pytest.mark.parametrize(
    "raw",
    ["", " ", "- ", "-", "—", "–", "--", "----", "------", "нет", "Нет", "н/д", "отсутствует", "см. приложение", "x"],
)
def test_parse_number_empty(raw):
    n = parse_number(raw)
    assert n == Number(None, raw=raw)
    assert n.empty


def test_parse_number_none():
    assert parse_number(None) == Number(None)


@pytest.mark.parametrize(
    "raw, value, text",
    [(70, 70.0, "70"), (70.0, 70.0, "70"), (2.5, 2.5, "2.5"), (0, 0.0, "0"), (-3, -3.0, "-3"), (0.3, 0.3, "0.3")],
)
def test_parse_number_spreadsheet_numbers(raw, value, text):
    n = parse_number(raw)
    assert n == Number(value, raw=text)
    assert isinstance(n.value, float)


@pytest.mark.parametrize("raw", [True, False, float("nan"), float("inf"), date(2023, 1, 1)])
def test_parse_number_not_figures(raw):
    assert parse_number(raw).value is None


def test_parse_number_date_text_is_not_a_figure():
    assert parse_number("21.04.2022").value is None


# --------------------------------------------------------------------------- rounding


@pytest.mark.parametrize(
    "x, expected",
    [(2.5, 3), (3.5, 4), (0.5, 1), (1.5, 2), (2.4, 2), (2.6, 3), (70 * 0.35, 25), (0, 0), (7, 7), (-2.5, -3), (17.5, 18)],
)
def test_round_half_up(x, expected):
    assert round_half_up(x) == expected
    assert isinstance(round_half_up(x), int)


def test_round_half_up_float_noise():
    assert 1.005 * 100 < 100.5  # 100.49999999999999: the float error this guards against
    assert round_half_up(1.005 * 100) == 101
    assert round_half_up(0.145 * 100) == 15  # 14.499999999999998


@pytest.mark.parametrize(
    "percent, total, expected",
    [(30, 70, 21), (70, 70, 49), (25, 70, 18), (35, 70, 25), (10, 70, 7), (95, 70, 67), (3, 70, 2), (0, 70, 0), (100, 70, 70), (30.0, 70.0, 21), (12.5, 20, 3)],
)
def test_percent_to_people(percent, total, expected):
    assert percent_to_people(percent, total) == expected


# --------------------------------------------------------------------------- parse_date


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("21 апреля 2022 года", date(2022, 4, 21)),
        ("21 апреля 2022 г.", date(2022, 4, 21)),
        ("21 апреля 2022г", date(2022, 4, 21)),
        ("«21» апреля 2022 г.", date(2022, 4, 21)),
        ("«21» АПРЕЛЯ 2022 года", date(2022, 4, 21)),
        ("1 марта 2023", date(2023, 3, 1)),
        ("21 мая 2022", date(2022, 5, 21)),
        ("31 декабря 2023 года", date(2023, 12, 31)),
        ("21 сәуір 2022", date(2022, 4, 21)),
        ("2022 жылғы 21 сәуір", date(2022, 4, 21)),
        ("3 қыркүйек 2023", date(2023, 9, 3)),
        ("5 мамыр 2023", date(2023, 5, 5)),
        ("10 қаңтар 2024", date(2024, 1, 10)),
        ("10 желтоқсан 2024", date(2024, 12, 10)),
        ("1 қазан 2023", date(2023, 10, 1)),
        ("21.04.2022", date(2022, 4, 21)),
        ("21.04.22", date(2022, 4, 21)),
        ("2022-04-21", date(2022, 4, 21)),
        ("2022-04-21 00:00:00", date(2022, 4, 21)),
        ("21/04/2022", date(2022, 4, 21)),
        ("сентябрь 2023", date(2023, 9, 1)),
        ("сентября 2023", date(2023, 9, 1)),
        ("Сентябрь 2023 г.", date(2023, 9, 1)),
        ("сентябрь-октябрь 2023 г", date(2023, 9, 1)),
        ("44672", date(2022, 4, 21)),
        (44672, date(2022, 4, 21)),
        (44672.0, date(2022, 4, 21)),
        (44672.75, date(2022, 4, 21)),
        (date(2022, 4, 21), date(2022, 4, 21)),
        (datetime(2022, 4, 21, 10, 30), date(2022, 4, 21)),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [None, "", "2023", 2023, "2023 год", "мусор", "31.02.2023", "32.01.2023", 19999, 80001, True, "-", "1.5", 3.14, [1]],
)
def test_parse_date_none(raw):
    assert parse_date(raw) is None


# --------------------------------------------------------------------------- parse_period


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("25 сентября 2023 года – 31 октября 2024 года", (date(2023, 9, 25), date(2024, 10, 31))),
        ("25 сентября 2023 года - 31 октября 2024 года", (date(2023, 9, 25), date(2024, 10, 31))),
        ("25 сентября 2023 года — 31 октября 2024 года", (date(2023, 9, 25), date(2024, 10, 31))),
        ("с 25 сентября 2023 года по 31 октября 2024 года", (date(2023, 9, 25), date(2024, 10, 31))),
        ("с 25.09.2023 по 31.10.2024", (date(2023, 9, 25), date(2024, 10, 31))),
        ("с 25.09.2023 до 31.10.2024", (date(2023, 9, 25), date(2024, 10, 31))),
        ("01.01.2023-31.12.2023", (date(2023, 1, 1), date(2023, 12, 31))),
        ("с 25 сентября по 31 октября 2024 года", (date(2024, 9, 25), date(2024, 10, 31))),
        ("с 1 декабря по 31 марта 2024", (date(2023, 12, 1), date(2024, 3, 31))),
        ("25.09 – 31.10.2024", (date(2024, 9, 25), date(2024, 10, 31))),
        ("2023-2024", (date(2023, 1, 1), date(2024, 12, 31))),
        ("2023 – 2024 гг.", (date(2023, 1, 1), date(2024, 12, 31))),
        ("в период с 2023 по 2024 годы", (date(2023, 1, 1), date(2024, 12, 31))),
        ("2023", (date(2023, 1, 1), date(2023, 12, 31))),
        ("2023 год", (date(2023, 1, 1), date(2023, 12, 31))),
        (2023, (date(2023, 1, 1), date(2023, 12, 31))),
        ("сентябрь-октябрь 2023 г", (date(2023, 9, 1), date(2023, 10, 31))),
        ("сентябрь 2023 – февраль 2024", (date(2023, 9, 1), date(2024, 2, 29))),
        ("21.04.2022", (date(2022, 4, 21), None)),
        ("21 апреля 2022 года", (date(2022, 4, 21), None)),
        (date(2022, 4, 21), (date(2022, 4, 21), None)),
        (None, (None, None)),
        ("", (None, None)),
        ("бессрочно", (None, None)),
    ],
)
def test_parse_period(raw, expected):
    assert parse_period(raw) == expected


# --------------------------------------------------------------------------- parse_contract


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("№ 72 от 21 апреля 2022 года", ("72", date(2022, 4, 21))),
        ("Договор №123-ГГ от 01.03.2023", ("123-ГГ", date(2023, 3, 1))),
        ("№ 45", ("45", None)),
        ("№45.", ("45", None)),
        ("№ 15/2-ГС", ("15/2-ГС", None)),
        ("№ 15/2-ГС, от 01.03.2023", ("15/2-ГС", date(2023, 3, 1))),
        ("№72от21.04.2022", ("72", date(2022, 4, 21))),
        ("72 от 21.04.2022", ("72", date(2022, 4, 21))),
        ("Договор 72 от 21.04.2022", ("72", date(2022, 4, 21))),
        ("2022 жылғы 21 сәуірдегі № 72 шарт", ("72", date(2022, 4, 21))),
        ("№ б/н от 01.03.2023", (None, date(2023, 3, 1))),
        ("от 01.03.2023", (None, date(2023, 3, 1))),
        (72.0, ("72", None)),
        (72, ("72", None)),
        (None, (None, None)),
        ("", (None, None)),
        ("-", (None, None)),
    ],
)
def test_parse_contract(raw, expected):
    assert parse_contract(raw) == expected


# --------------------------------------------------------------------------- parse_amount_by_year

REAL_AMOUNT = (
    "- на 2023 год - 34 495 376 (тридцать четыре миллиона четыреста девяносто пять тысяч триста "
    "семьдесят шесть) тенге\n"
    "- на 2024 год - 36 045 560 (тридцать шесть миллионов сорок пять тысяч пятьсот шестьдесят) тенге "
)


def _values(d):
    return {year: n.value for year, n in d.items()}


@pytest.mark.parametrize(
    "raw, expected",
    [
        (REAL_AMOUNT, {2023: 34495376.0, 2024: 36045560.0}),
        ("2023 г. – 10 000 000; 2024 г. – 12 000 000", {2023: 10000000.0, 2024: 12000000.0}),
        ("2023: 2 000 000, 2024: 3 000 000", {2023: 2000000.0, 2024: 3000000.0}),
        ("на 2023 год - 2 023 000 тенге", {2023: 2023000.0}),  # amount digits are not a year
        ("в 2024 году – 2,5 млн тенге", {2024: 2500000.0}),
        ("4 000 000 (Четыре миллиона).", {}),
        ("2023-2024 гг. - 10 000 000", {}),  # a span of years, not a per-year amount
        ("2000 тенге", {}),
        ("2023 год", {}),
        ("", {}),
        (None, {}),
        (4000000, {}),
    ],
)
def test_parse_amount_by_year(raw, expected):
    result = parse_amount_by_year(raw)
    assert _values(result) == expected
    assert all(isinstance(n, Number) for n in result.values())


def test_parse_amount_by_year_keeps_raw_text():
    result = parse_amount_by_year(REAL_AMOUNT)
    assert result[2023].raw.startswith("34 495 376 (")
    assert "2024" not in result[2023].raw


# --------------------------------------------------------------------------- parse_year


@pytest.mark.parametrize(
    "raw, expected",
    [
        (2023, 2023),
        (2023.0, 2023),
        ("2023", 2023),
        ("2023 год", 2023),
        ("2023 г.", 2023),
        ("2023г", 2023),
        (" 2023.0 ", 2023),
        ("за 2023 год", 2023),
        (date(2023, 5, 1), 2023),
        (1990, 1990),
        (2100, 2100),
        (1989, None),
        (2101, None),
        ("1899", None),
        (2023.5, None),
        ("2023-2024", None),
        ("", None),
        (None, None),
        (True, None),
        ("год", None),
    ],
)
def test_parse_year(raw, expected):
    assert parse_year(raw) == expected


# --------------------------------------------------------------------------- properties

_TOKENS = st.one_of(
    st.text(max_size=3),
    st.sampled_from(list("0123456789 .,-–—/%№«»\n\xa0\u202f~<>≥≤+()")),
    st.sampled_from(["тыс", "млн", "млрд", "год", "г.", "от", "до", "не менее", "около", "апреля", "сәуір", "2023"]),
)
_TEXT = st.one_of(st.text(max_size=40), st.lists(_TOKENS, max_size=15).map("".join))


@settings(max_examples=100, deadline=None)
@given(_TEXT)
def test_parsers_never_raise(text):
    n = parse_number(text)
    assert isinstance(n, Number)
    assert n.raw == text
    assert n.value is None or isinstance(n.value, float)
    d = parse_date(text)
    assert d is None or isinstance(d, date)
    start, end = parse_period(text)
    assert start is None or isinstance(start, date)
    assert end is None or isinstance(end, date)
    number, when = parse_contract(text)
    assert number is None or isinstance(number, str)
    assert when is None or isinstance(when, date)
    assert isinstance(parse_amount_by_year(text), dict)
    y = parse_year(text)
    assert y is None or 1990 <= y <= 2100


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_parse_number_reads_integers_back(i):
    assert parse_number(str(i)).value == float(i)
    assert parse_number(i).value == float(i)
    grouped = f"{abs(i):,}".replace(",", "\xa0")
    assert parse_number(grouped).value == float(abs(i))


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_parse_date_reads_dates_back(d):
    assert parse_date(d.strftime("%d.%m.%Y")) == d
    assert parse_date(d.isoformat()) == d
    assert parse_period(f"{d:%d.%m.%Y} – {d:%d.%m.%Y}") == (d, d)


# --------------------------------------------------------------------------- issue 14: what real files hold

from grantstats.numbers import impossible_dates, is_instruction, is_placeholder, parse_year_span  # noqa: E402


@pytest.mark.parametrize("raw, value", [
    ("1,5E+06", 1_500_000.0), ("4E+06", 4_000_000.0), ("1.2e3", 1200.0), ("1,5Е+06", 1_500_000.0),  # Cyrillic Е
    ("2E-3", 0.002), ("-2,5E+02", -250.0), ("1e300", 1e300), ("12345678901234567890123456", 1.2345678901234568e25),
])
def test_scientific_notation_is_read_as_the_number(raw, value):
    assert parse_number(raw) == Number(value, raw=raw)


def test_a_figure_beyond_what_a_number_can_hold_is_no_figure():
    assert parse_number("1e999") == Number(None, raw="1e999")


@pytest.mark.parametrize("raw, span", [
    ("2023-2024", (2023, 2024)), ("2023–2024 гг.", (2023, 2024)), ("2023 - 2024 годы", (2023, 2024)),
    ("в 2023-2024 годах", (2023, 2024)), ("2023/24", (2023, 2024)), ("2022 г.", (2022, 2022)), (2022, (2022, 2022)),
    ("2022", (2022, 2022)), ("2024-2023", (None, None)), ("2023-2040", (None, None)),
    ("01.01.2023-31.12.2024", (None, None)), ("", (None, None)), (None, (None, None)),
])
def test_year_spans_give_the_first_and_last_year(raw, span):
    assert parse_year_span(raw) == span


def test_an_impossible_date_is_found_and_no_other_date_is_put_in_its_place():
    assert impossible_dates("с 31.02.2023 по 30 февраля 2024 г.") == ["31.02.2023", "30 февраля 2024"]
    assert impossible_dates("21.04.2022") == [] and impossible_dates(None) == []
    assert parse_date("31.02.2023") is None and parse_contract("№ 72 от 31.02.2022") == ("72", None)
    assert parse_period("31.02.2023 - 31.12.2023") == (None, date(2023, 12, 31))  # not (31.12.2023, None)
    assert parse_period("01.02.2023 - 31.02.2023") == (date(2023, 2, 1), None)


@pytest.mark.parametrize("raw", ["-", "—", "–", "--", "- -", "...", "нет", "Нет.", "б/н", "Б/Н", "б / н", "н/д", "Н.Д.",
                                 "x", "Х", "?", "не указано", "нет данных", "жоқ", "", "  ", None, "   нет данных    "])
def test_placeholders(raw):
    assert is_placeholder(raw)


@pytest.mark.parametrize("raw", ["3", "ОО", "нетто", "ОО «Нур»", "г. Шымкент", "x2", 0, 5.0])
def test_not_placeholders(raw):
    assert not is_placeholder(raw)


@pytest.mark.parametrize("raw", ["указать полностью", "Указывается в тенге, цифрами", "(заполнить при наличии)",
                                 "1. Укажите номер договора", "Впишите сумму", "вводится цифрами",
                                 "полное наименование НПО согласно справке о регистрации",
                                 "область или город республиканского значения", "Область/город", "дд.мм.гггг",
                                 "толтырыңыз", "көрсетіледі"])
def test_instructions_of_the_form_are_no_values(raw):
    assert is_instruction(raw)


@pytest.mark.parametrize("raw", ["ОО «Жастар Альянсы»", "Школа волонтеров «Умит»", "4 000 000 (Четыре миллиона) тенге",
                                 "г. Алматы (город республиканского значения)", "Алматинская область и г. Алматы",
                                 "Указатель для незрячих", "Вводный курс", "Заполярье", "Жазу мектебі",
                                 "Жазушылар одағы", "№ 72 от 21 апреля 2022 года", 5.0, None])
def test_values_that_begin_like_instructions_are_values(raw):
    assert not is_instruction(raw)


# --------------------------------------------------------------------------- what a parser catches


@pytest.mark.parametrize("raw", ["9" * 5000, "1" + "0" * 400, "1e308 млрд", "около 1,5e308 тыс."])
def test_a_figure_past_what_can_be_held_is_not_parsed_and_keeps_its_text(raw):
    assert parse_number(raw) == Number(None, raw=raw)


@pytest.mark.parametrize("raw", [10**400, float("inf"), float("nan")])
def test_a_year_or_date_cell_past_a_float_is_not_parsed(raw):
    assert (parse_year(raw), parse_date(raw), parse_period(raw)) == (None, None, (None, None))


def _broken(*args, **kwargs):
    raise AttributeError("a bug in the parser")


@pytest.mark.parametrize("inner, parse, raw", [
    ("_parse_number_text", parse_number, "около 1 млн"),
    ("_date_items", parse_date, "21 апреля 2022 г."),
    ("_date_items", parse_period, "01.03.2023 - 30.11.2023"),
    ("_date_items", parse_contract, "договор 72"),
    ("parse_number", parse_amount_by_year, "на 2023 год - 34 495 376 тенге"),
    ("_YEAR_FULL", parse_year, "2023 год"),
])
def test_a_bug_inside_a_parser_raises_rather_than_reading_as_not_parsed(monkeypatch, inner, parse, raw):
    from grantstats import numbers

    monkeypatch.setattr(numbers, inner, _broken if inner != "_YEAR_FULL" else None)
    with pytest.raises((AttributeError, TypeError)):
        parse(raw)
