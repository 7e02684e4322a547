"""Parse the figures, dates, periods and contract numbers people type into final reports.

Every parser takes whatever a reader hands over (None, str, int, float, bool, date) and never
raises on odd input: text it cannot read gives an empty result with the original text kept. Only what
reading a cell can raise is caught (CANNOT_PARSE): a bug in a parser raises, it does not read as «not parsed».
Only the arithmetic helpers (round_half_up, percent_to_people) raise, on non-numeric input.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, DecimalException
from functools import lru_cache
from numbers import Real

from grantstats.model import Number

CANNOT_PARSE = (ValueError, OverflowError, DecimalException)
"""What reading a messy cell can raise (an impossible date, a figure past a float, int()'s digit limit, a decimal
out of its context): such a cell is «not parsed». Anything else is a bug and passes on."""

__all__ = [
    "parse_number",
    "is_placeholder",
    "is_instruction",
    "impossible_dates",
    "parse_year_span",
    "parse_cell_number",
    "remembered",
    "round_half_up",
    "percent_to_people",
    "parse_date",
    "parse_period",
    "parse_contract",
    "parse_amount_by_year",
    "parse_year",
]

YEAR_MIN, YEAR_MAX = 1990, 2100
SERIAL_MIN, SERIAL_MAX = 20000, 80000
_EXCEL_EPOCH = date(1899, 12, 30)

# no-break, narrow no-break, thin, figure, punctuation, hair, six-per-em spaces -> plain space
_SPACES = str.maketrans({c: " " for c in "\xa0\u202f\u2009\u2007\u2008\u200a\u2006\u2005\u2004"})

# ---------------------------------------------------------------------------------------------
# numbers

_FAST_INT = re.compile(r"\s*-?\d{1,15}\s*")
_FAST_DEC = re.compile(r"\s*(-?\d{1,15})[.,](\d{1,15})\s*")

# first figure in the text: optional minus stuck to the digits, then either 1-3 digits followed
# by space-separated groups of exactly three digits, or a plain run of digits; then any
# [.,]digits tails (decimal part, or dot/comma thousands, sorted out by _digits_value)
_NUM = re.compile(r"(?<![\w.,])([-\u2212]?)(\d{1,3}(?: \d{3}(?!\d))+|\d+)((?:[.,]\d+)*)")

_LETTER = "a-zа-яёәіңғүұқөһ"
_MULT = re.compile(
    r"\s*(?:"
    r"(?P<k>тыс(?:яч[аи]?)?|мың)"
    r"|(?P<m>млн|миллион(?:а|ов)?|mln)"
    r"|(?P<b>млрд|миллиард(?:а|ов)?|bn)"
    rf")(?![{_LETTER}])\.?"
)
_MULT_VALUE = {"k": Decimal(1000), "m": Decimal(10**6), "b": Decimal(10**9)}
# Excel's scientific notation, as CSV exports write large numbers: «1,5E+06», «4E+06», «1.2e3» (an e typed in
# Cyrillic too); the exponent must stand right after the figure
_EXPONENT = re.compile(r"[eе]([+\-\u2212]?)(\d{1,3})(?![\w])")
_PERCENT = re.compile(rf"\s*(?:%|процент(?:а|ов)?(?![{_LETTER}])|пайыз)")
_SUFFIX_QUAL = re.compile(
    r"\s*(?:(?P<at_least>\+|и\s+(?:более|выше|больше)|(?:-?[дтн][еа]н\s+)?(?:астам|артық))"
    r"|(?P<at_most>и\s+(?:менее|ниже|меньше)))"
)
_PREFIX_QUAL = re.compile(
    r"(?:"
    r"(?P<approx>(?<!\w)(?:около|примерно|приблизительно|ориентировочно|порядка|шамамен|шамасы)|[~≈∼])"
    r"|(?P<at_least>(?<!\w)(?:не\s+менее|не\s+меньше|более\s+чем|больше\s+чем|более|свыше|больше"
    r"|от|кем\s+дегенде|кемінде)|>=|≥|>)"
    r"|(?P<at_most>(?<!\w)(?:не\s+более|не\s+больше|не\s+свыше|до|менее|меньше|дейін)|<=|≤|<)"
    r")\s*$"
)


# right after a figure: another figure after spaces or a line break («2 160 0001», «999245 376», «1⏎5»: digits
# grouped wrongly or two figures in one cell), or a range or ratio («100-120», «150/170»): which one is meant
# cannot be told, so none is read
_ANOTHER_FIGURE = re.compile(r"\s*[-–—/]\s*\d|\s+\d")
# What may follow a figure and hold digits without being a second figure of the same thing: a breakdown of it
# («в т.ч. 20 детей», «из них»: to the end), a share («(54%)»), a date, a year, a «№…», kopecks («00 тиын»), and a
# digit glued to a unit («м2»), the sum in another currency in brackets («(≈ 27 000 USD)»). Whatever digit is left
# after these is a second figure: the cell is not one number.
_NOT_A_SECOND_FIGURE = re.compile(
    r"(?:в\s*т\.?\s*ч\.?|в\s+том\s+числе|из\s+них|оның\s+ішінде|соның\s+ішінде|including|of\s+which).*"
    r"|\d+(?:[.,]\d+)?\s*%|\d{1,2}[./]\d{1,2}[./]\d{2,4}|№\s*[\w/-]+"
    r"|(?<!\d)(?:19|20)\d\d(?!\d)|\d{1,2}\s*(?:тиын|тийн|коп)|(?<=[a-zа-яё])\d+"
    r"|\([^()]*(?:usd|\$|долл|eur|€|евро|руб)[^()]*\)", re.DOTALL)  # (and the sum in another currency)
_DIGIT = re.compile(r"\d")


# an Excel error shown in place of a value (a CSV export or a copied cell keeps it as text)
_EXCEL_ERROR = re.compile(r"\s*#(?:div/0!|n/a|value!|ref!|name\?|num!|null!|spill!|calc!|getting_data|field!|blocked!"
                          r"|busy!|connect!|unknown!)")


def _thousands_or_decimal(whole: str, decimals: str) -> bool:
    """One separator followed by exactly three digits after 1-3 digits («1.000», «2,000», «245.376»): a thousands
    separator or a decimal point alike; read as either, the figure may be off a thousand times."""
    return len(decimals) == 3 and 1 <= len(whole) <= 3 and whole != "0"


def _float_text(x: float) -> str:
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x))
    return repr(x)


def _digits_value(whole: str, tail: str) -> Decimal | None:
    """The value of a matched figure: whole digits (maybe space-grouped) and a [.,]digits tail."""
    whole = whole.replace(" ", "")
    if not tail:
        return Decimal(whole)
    seps = [c for c in tail if c in ".,"]
    groups = re.split(r"[.,]", tail)[1:]
    if len(seps) == 1:  # 2,5 / 2.5 (1.234 is refused before: _thousands_or_decimal)
        return Decimal(f"{whole}.{groups[0]}")
    if len(whole) > 3:
        return None
    last = seps[-1]
    if all(s == last for s in seps):  # 1.234.567 / 1,234,567: thousands only
        if all(len(g) == 3 for g in groups):
            return Decimal(whole + "".join(groups))
        return None  # 21.04.2022, 1.2.3: a date or a section number, not a figure
    # mixed: 1.234.567,89 / 1,234,567.89 -> the last separator is the decimal point
    first = seps[0]
    if all(s == first for s in seps[:-1]) and all(len(g) == 3 for g in groups[:-1]):
        return Decimal(whole + "".join(groups[:-1]) + "." + groups[-1])
    return None


def parse_number(raw) -> Number:
    """A figure from a cell: value (float) with its qualifier, percent flag and the raw text.

    Spreadsheet numbers pass through; text is read as the first figure in it, with thousands
    separators, decimal comma, тыс/млн/млрд multipliers, %, and qualifiers before the figure
    (около -> 'approx', не менее/более/от -> 'at_least', не более/до/менее -> 'at_most').
    Blank, dashes, "нет", text without digits -> Number(None, raw=raw).
    """
    if raw is None:
        return Number(None)
    if isinstance(raw, bool):
        return Number(None, raw=str(raw))
    if isinstance(raw, (int, float, Real)) and not isinstance(raw, str):
        try:
            x = float(raw)
        except (TypeError, ValueError, OverflowError):
            return Number(None, raw=str(raw))
        if math.isnan(x) or math.isinf(x):
            return Number(None, raw=str(raw))
        return Number(x, raw=_float_text(x) if isinstance(raw, float) else str(raw))
    if isinstance(raw, (date, datetime)):
        return Number(None, raw=raw.isoformat())
    if not isinstance(raw, str):
        try:
            raw = str(raw)
        except (TypeError, ValueError):  # an odd cell object that will not be text
            return Number(None)
    try:
        return _parse_number_text(raw)
    except CANNOT_PARSE:  # a figure past what a float or the digit limit of int() can hold
        return Number(None, raw=raw)


def remembered(parse, maxsize: int = 16384):
    """A parser of cell values whose results are remembered per value (and type): the same texts («30%»,
    «-», «140 тыс.», dates, periods, contracts) repeat across the rows and files of a load, and the parsers
    here return immutable values. An unhashable value is parsed afresh."""
    cached = lru_cache(maxsize=maxsize, typed=True)(parse)

    def call(raw):
        try:
            return cached(raw)
        except TypeError:
            return parse(raw)

    call.__doc__ = parse.__doc__
    return call


parse_cell_number = remembered(parse_number, maxsize=65536)


def _in_brackets(text: str, start: int, end: int) -> bool:
    """Whether the figure is the whole of a bracket opening the text: «(100 000)», «(100 000) тенге»."""
    return text[:start].strip() == "(" and text[end:].lstrip().startswith(")")


def _another_figure_after(text: str, pos: int) -> bool:
    """Whether the text past a figure holds another one (see _NOT_A_SECOND_FIGURE for what does not count)."""
    rest = text[pos:]
    if _DIGIT.search(rest) is None:  # (a footnote mark «¹» is no digit here)
        return False
    return _DIGIT.search(_NOT_A_SECOND_FIGURE.sub(" ", rest)) is not None


def _parse_number_text(raw: str) -> Number:
    if raw.isascii() and raw.isdigit():
        return Number(float(int(raw)), raw=raw)
    if _FAST_INT.fullmatch(raw):
        return Number(float(int(raw)), raw=raw)
    m = _FAST_DEC.fullmatch(raw)
    if m:
        if _thousands_or_decimal(m.group(1).lstrip("-"), m.group(2)):
            return Number(None, raw=raw)
        return Number(float(f"{m.group(1)}.{m.group(2)}"), raw=raw)
    text = raw.translate(_SPACES).lower()
    if _EXCEL_ERROR.match(text):  # «#DIV/0!» held a 0 in its text
        return Number(None, raw=raw)
    m = _NUM.search(text)
    if m is None:
        return Number(None, raw=raw)
    value = _digits_value(m.group(2), m.group(3))
    if value is None or _ANOTHER_FIGURE.match(text, m.end()):
        return Number(None, raw=raw)
    one_separator = m.group(3).count(".") + m.group(3).count(",") == 1
    if m.group(1) or _in_brackets(text, m.start(), m.end()):  # «(100 000)»: an accountant's minus
        value = -value
    pos = m.end()
    exponent = _EXPONENT.match(text, pos)
    if exponent:
        power = int(exponent.group(2))
        value = value.scaleb(-power if exponent.group(1) in ("-", "\u2212") else power)
        pos = exponent.end()
    mult = _MULT.match(text, pos)
    if mult:
        value *= _MULT_VALUE[mult.lastgroup]
        pos = mult.end()
    pct = _PERCENT.match(text, pos)
    if pct:
        pos = pct.end()
    if (one_separator and not mult and not pct and not exponent
            and _thousands_or_decimal(m.group(2), m.group(3)[1:])):
        return Number(None, raw=raw)
    qualifier = None
    q = _PREFIX_QUAL.search(text[max(0, m.start() - 40) : m.start()])
    if q:
        qualifier = q.lastgroup
    else:
        q = _SUFFIX_QUAL.match(text, pos)
        if q:
            qualifier = q.lastgroup
            pos = q.end()
    if _another_figure_after(text, pos):  # «120 чел.⏎95 чел.», «7000 человек 6500»: which one is it?
        return Number(None, raw=raw)
    figure = float(value)
    if not math.isfinite(figure):  # «1e999»: beyond what any figure can be stored as
        return Number(None, raw=raw)
    return Number(figure, qualifier=qualifier, raw=raw, percent=pct is not None)


# Cells that stand for «nothing here»: dashes, «нет», «б/н» (без номера), «н/д», Kazakh «жоқ»; compared after
# lower-casing and dropping spaces and dots
PLACEHOLDERS = frozenset({"", "-", "--", "---", "—", "–", "−", "нет", "б/н", "бн", "б\\н", "н/д", "нд", "н/а", "na",
                          "n/a", "x", "х", "?", "жоқ", "жок", "отсутствует", "не указано", "не указан",
                          "нет данных"})
PLACEHOLDER_MAX_CHARS = 24  # the longest placeholder («не указано», «отсутствует») with spaces around
# One pattern for them all: each placeholder with spaces or dots allowed between its letters, or dashes only.
# (A cell that is none fails at its first character: this runs on every passport value.)
_PLACEHOLDER = re.compile(
    r"[\s.]*(?:[-—–−_*][-—–−_*\s.]*|"
    + "|".join("".join(re.escape(ch) + r"[\s.]*" for ch in word)
               for word in sorted(PLACEHOLDERS - {""}, key=len, reverse=True) if not set(word) <= set("-—–−"))
    + r"|)", re.IGNORECASE)


_PLACEHOLDER_SPACE = " \t\n\xa0.-—–−_*"
PLACEHOLDER_FIRST = frozenset(" \t\n\xa0.-—–−_*?" + "".join(w[0] + w[0].upper() for w in PLACEHOLDERS if w))


PLACEHOLDER_LONGEST = 14  # «отсутствует», «нет данных», «н. д.» with a space or two: longer is no placeholder
# unless it is spaces around one (stripped) or dashes only (the pattern)


def is_placeholder(raw) -> bool:
    """Whether a cell holds nothing but a placeholder («-», «—», «нет», «б/н», «н/д»…) or is blank."""
    if raw is None:
        return True
    if raw.__class__ is not str or len(raw) > PLACEHOLDER_MAX_CHARS:
        return False
    if not raw or raw.isspace():
        return True
    return (raw[0] in PLACEHOLDER_FIRST and (len(raw) <= PLACEHOLDER_LONGEST
                                          or len(raw.strip(_PLACEHOLDER_SPACE)) <= PLACEHOLDER_LONGEST)
            and _PLACEHOLDER.fullmatch(raw) is not None)


# A form's own instructions copied beside its labels («указать полностью», «указывается в тенге, цифрами»,
# «полное наименование НПО согласно справке о регистрации», «область или город республиканского значения»): they
# say what to write, so they are no value. Told by meaning: text that begins by telling what to do (a verb of
# writing in the imperative, the infinitive or the impersonal «указывается»; Russian or Kazakh), or that names
# the kind of value wanted («согласно справке о регистрации», «область или город …», «дд.мм.гггг»).
INSTRUCTION_VERBS = (
    "указ(?:ать|ывать|ывается|ываются|ывают)", "укажите", "заполн(?:ить|ять|яется|яются|ите)",
    "впис(?:ать|ывать|ывается|ываются)", "впишите", "напис(?:ать|ите)", "напишите", "пиш(?:ется|утся|ите)",
    "вв(?:ести|едите|одится|одятся)", "отра(?:зить|зите|жается|жаются)", "прив(?:ести|едите|одится|одятся)",
    "перечисл(?:ить|ите|яется|яются)", "пропис(?:ать|ывается|ываются|ите)", "прилож(?:ить|ите)",
    "(?:көрсет|толтыр|жаз|енгіз)(?:іңіз|ыңыз|іледі|ылады|ілсін|ылсын)",  # (not «жазу»: «Жазу мектебі» is a title)
)
_INSTRUCTION = re.compile(
    r"[\s\d.)(«\"*•–—-]*(?:" + "|".join(INSTRUCTION_VERBS) + r")(?![а-яёәіңғүұқөһ])"
    r"|.*\bсогласно\s+(?:справк|свидетельств)[а-яё]*\s+о\s+(?:гос|регистрац|перерегистрац)"
    r"|.*\bобласт[а-яё]*\s*(?:или|/)\s*(?:город|г\.)|.*\b(?:город|г\.)\s*(?:или|/)\s*област"
    r"|.*\bдд\.\s*мм\.\s*гг", re.IGNORECASE | re.DOTALL)


_INSTRUCTION_START = re.compile(r"[\s\d.)(«\"*•–—-]*(?:" + "|".join(INSTRUCTION_VERBS) + r")(?![а-яёәіңғүұқөһ])",
                                re.IGNORECASE)
_INSTRUCTION_LEAD = ".)(«\"*•–—-"  # besides spaces and digits, what may stand before the verb


def _first_letter(text: str) -> str:
    """The text's first character past spaces, digits and _INSTRUCTION_LEAD, lower-cased ('' if none)."""
    for ch in text:
        if not (ch.isspace() or ch.isdigit() or ch in _INSTRUCTION_LEAD):
            return ch.lower()
    return ""


_VERB_INITIALS = frozenset("узвнпоктже")  # the first letters of INSTRUCTION_VERBS
_INSTRUCTION_WORDS = ("соглас", "област", "дд.")  # one of them stands in any instruction not opening with a verb


def is_instruction(raw) -> bool:
    """Whether a text is the form's instruction for a value, not a value: «указать полностью», «указывается в
    тенге, цифрами», «(заполнить при наличии)», «полное наименование НПО согласно справке о регистрации»,
    «область или город республиканского значения», «толтырыңыз»."""
    if raw.__class__ is not str:
        return False
    if _first_letter(raw) in _VERB_INITIALS and _INSTRUCTION_START.match(raw) is not None:
        return True
    low = raw.lower()  # (the whole pattern only for a text that may hold the rest: most values do not)
    return any(word in low for word in _INSTRUCTION_WORDS) and _INSTRUCTION.match(raw) is not None


# ---------------------------------------------------------------------------------------------
# rounding


def _to_decimal(x) -> Decimal:
    if isinstance(x, bool):
        raise TypeError("expected a number, got bool")
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, int):
        d = Decimal(x)
    elif isinstance(x, float):
        # 15 significant digits drop binary noise: 70*0.35 = 24.499999999999996 -> 24.5
        d = Decimal(format(x, ".15g"))
    elif isinstance(x, Real):
        d = Decimal(format(float(x), ".15g"))
    else:
        raise TypeError(f"expected a number, got {type(x).__name__}")
    if not d.is_finite():
        raise ValueError(f"cannot round {x!r}")
    return d


def round_half_up(x: float) -> int:
    """Round to the nearest integer, halves away from zero (2.5 -> 3, -2.5 -> -3)."""
    return int(_to_decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_to_people(percent: float, total: float) -> int:
    """People that `percent` % of `total` makes, rounded half up (25 % of 70 = 17.5 -> 18)."""
    d = _to_decimal(total) * _to_decimal(percent) / Decimal(100)
    return int(d.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# ---------------------------------------------------------------------------------------------
# dates

# Kazakh letters and Latin look-alikes typed inside Russian words -> the Russian letter
_DATE_TR = str.maketrans(
    {
        **{c: " " for c in "\xa0\u202f\u2009\u2007\u2008\u200a\u2006\u2005\u2004"},
        **{c: None for c in "«»“”„\"'‘’`"},
        "ё": "е", "ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
        "һ": "х", "і": "и", "i": "и", "a": "а", "c": "с", "e": "е", "o": "о", "p": "р",
        "x": "х", "y": "у", "k": "к", "m": "м", "t": "т", "h": "н", "b": "в",
    }
)  # fmt: skip

_MONTH_STEMS = {
    "январ": 1, "янв": 1, "феврал": 2, "фев": 2, "мар": 3, "апр": 4, "ма[йяе]": 5,
    "июн": 6, "июл": 7, "авг": 8, "сен": 9, "окт": 10, "ноя": 11, "дек": 12,
    # Kazakh, after _DATE_TR
    "кантар": 1, "акпан": 2, "наурыз": 3, "сауир": 4, "мамыр": 5, "маусым": 6,
    "шилде": 7, "тамыз": 8, "кыркуйек": 9, "казан": 10, "караша": 11, "желтоксан": 12,
}  # fmt: skip
_MONTH_ALT = "|".join(sorted(_MONTH_STEMS, key=len, reverse=True))
_MONTH_RES = [(re.compile(stem), n) for stem, n in _MONTH_STEMS.items()]
_MON = rf"(?<![а-я\w])((?:{_MONTH_ALT})[а-я]*)\.?"


def _month(word: str) -> int | None:
    for rx, n in _MONTH_RES:
        if rx.match(word):
            return n
    return None


# kinds: 'd' full date, 'm' month(s) of a year, 'dm' day and month without a year, 'y' year
_DATE_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("dmy", re.compile(r"(?<![\d.])(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)")),
    ("ymd", re.compile(r"(?<![\d.])(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?!\d)")),
    ("dMy", re.compile(rf"(?<!\d)(\d{{1,2}})\s*(?:-?(?:го|е|ши|шы))?\s*{_MON}\s*,?\s*(\d{{4}})(?!\d)")),
    (
        "yDM",  # Kazakh: 2022 жылғы 21 сәуір
        re.compile(rf"(?<!\d)(\d{{4}})\s*(?:ж\.|жыл[а-я]*)?\s*,?\s*(\d{{1,2}})\s*(?:-?(?:ши|шы))?\s*{_MON}"),
    ),
    ("MMy", re.compile(rf"{_MON}\s*[-–—]\s*{_MON}\s*(\d{{4}})(?!\d)")),
    ("My", re.compile(rf"{_MON}\s*(\d{{4}})(?!\d)")),
    ("my", re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{4})(?![\d]|[.,]\d)")),
    ("dM", re.compile(rf"(?<!\d)(\d{{1,2}})\s*{_MON}")),
    ("dm", re.compile(r"(?<![\d.,])(\d{1,2})\.(\d{1,2})(?![\d]|[.,]\d)")),  # periods only
    ("y", re.compile(r"(?<![\d.,/])(\d{4})(?!\d|[.,/]\d)")),
]


def _year2(s: str) -> int:
    y = int(s)
    if len(s) == 2:
        y += 2000 if y < 70 else 1900
    return y


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


class _Item:
    __slots__ = ("pos", "kind", "start", "end", "dm", "text")

    def __init__(self, pos, kind, start=None, end=None, dm=None, text=None):
        self.pos, self.kind, self.start, self.end, self.dm, self.text = pos, kind, start, end, dm, text


def _item(name: str, m: re.Match) -> _Item | None:
    g = m.groups()
    pos = m.start()
    if name == "dmy":
        d = date(_year2(g[3]), int(g[2]), int(g[0]))
        return _Item(pos, "d", d, d)
    if name == "ymd":
        d = date(int(g[0]), int(g[2]), int(g[3]))
        return _Item(pos, "d", d, d)
    if name == "dMy":
        mo = _month(g[1])
        d = date(int(g[2]), mo, int(g[0])) if mo else None
        return _Item(pos, "d", d, d) if d else None
    if name == "yDM":
        mo = _month(g[2])
        d = date(int(g[0]), mo, int(g[1])) if mo else None
        return _Item(pos, "d", d, d) if d else None
    if name == "MMy":
        m1, m2, y = _month(g[0]), _month(g[1]), int(g[2])
        if not (m1 and m2):
            return None
        start = date(y - 1 if m1 > m2 else y, m1, 1)
        return _Item(pos, "m", start, _last_day(y, m2))
    if name == "My":
        mo, y = _month(g[0]), int(g[1])
        return _Item(pos, "m", date(y, mo, 1), _last_day(y, mo)) if mo else None
    if name == "my":
        mo, y = int(g[0]), int(g[1])
        return _Item(pos, "m", date(y, mo, 1), _last_day(y, mo)) if 1 <= mo <= 12 else None
    if name == "dM":
        mo = _month(g[1])
        return _Item(pos, "dm", dm=(mo, int(g[0]))) if mo else None
    if name == "dm":
        mo, day = int(g[1]), int(g[0])
        return _Item(pos, "dm", dm=(mo, day)) if 1 <= mo <= 12 and 1 <= day <= 31 else None
    if name == "y":
        y = int(g[0])
        if YEAR_MIN <= y <= YEAR_MAX:
            return _Item(pos, "y", date(y, 1, 1), date(y, 12, 31))
    return None


_WS = re.compile(r"\s+")
_DATE_TEXT_MAX = 2000


def _date_items(text: str, numeric_dm: bool) -> list[_Item]:
    """Date-like things in text, by position; wider patterns mask the narrower ones inside them."""
    # collapsed whitespace keeps the patterns' \s* runs linear; a date cell is never this long
    text = _WS.sub(" ", text[:_DATE_TEXT_MAX].lower().translate(_DATE_TR))
    taken: list[tuple[int, int]] = []
    items: list[_Item] = []
    for name, rx in _DATE_PATTERNS:
        if name == "dm" and not numeric_dm:
            continue
        for m in rx.finditer(text):
            a, b = m.span()
            if any(a < y and x < b for x, y in taken):
                continue
            try:
                it = _item(name, m)
            except (ValueError, OverflowError):  # 31.02.2023 and the like: a date, but an impossible one
                it = _Item(a, "bad", text=m.group(0).strip()) if name in _FULL_DATES else None
            if it is None:
                continue
            if it.start is not None and not (1900 <= it.start.year <= YEAR_MAX):
                continue
            taken.append((a, b))
            items.append(it)
    items.sort(key=lambda i: i.pos)
    # a day and month without a year takes the year of the next dated thing (or the previous)
    for i, it in enumerate(items):
        if it.kind != "dm":
            continue
        ref = next((j for j in items[i + 1 :] if j.start), None)
        if ref is not None:
            y = ref.start.year
            try:
                d = date(y, *it.dm)
                if d > ref.start:
                    d = date(y - 1, *it.dm)
            except ValueError:
                continue
        else:
            ref = next((j for j in reversed(items[:i]) if j.start), None)
            if ref is None:
                continue
            try:
                d = date(ref.start.year, *it.dm)
            except ValueError:
                continue
        it.kind, it.start, it.end = "d", d, d
    return [it for it in items if it.start is not None or it.kind == "bad"]


_FULL_DATES = ("dmy", "ymd", "dMy", "yDM")  # patterns naming a day, a month and a year
_HAS_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=16384)
def _impossible_dates(raw: str) -> tuple[str, ...]:
    try:
        items = _date_items(raw, numeric_dm=False)
    except CANNOT_PARSE:
        return ()
    return tuple(it.text for it in items if it.kind == "bad")


def impossible_dates(raw) -> list[str]:
    """The dates in a text that cannot be («31.02.2023», «30 февраля 2022 г.»), as typed; [] when none."""
    if not isinstance(raw, str) or not _HAS_DIGIT.search(raw):
        return []
    return list(_impossible_dates(raw))


def _serial_date(x: float) -> date | None:
    if SERIAL_MIN <= x <= SERIAL_MAX:
        return _EXCEL_EPOCH + timedelta(days=int(x))
    return None


_SERIAL_TEXT = re.compile(r"\s*(\d{5})(?:\.\d+)?\s*")


_PLAIN_DATE = re.compile(r"\s*(?:(?P<y1>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})|(?P<d2>\d{2})\.(?P<m2>\d{2})\.(?P<y2>\d{4}))\s*")


def parse_date(raw) -> date | None:
    """A date from a cell: date objects, Excel serials, '21 апреля 2022 г.', '21.04.22', ...

    Month and year only gives the first of the month; a bare year gives None. Never raises.
    """
    try:
        if raw is None or isinstance(raw, bool):
            return None
        if isinstance(raw, datetime):
            return raw.date()
        if isinstance(raw, date):
            return raw
        if isinstance(raw, Real):
            x = float(raw)
            return None if math.isnan(x) else _serial_date(x)
        if not isinstance(raw, str):
            return None
        m = _SERIAL_TEXT.fullmatch(raw)
        if m:
            return _serial_date(float(m.group(1)))
        m = _PLAIN_DATE.fullmatch(raw)
        if m:  # the usual cell, «2024-06-26» or «26.06.2024»: what the general patterns below find in it
            y, mo, d = (int(m["y1"]), int(m["m1"]), int(m["d1"])) if m["y1"] else (
                int(m["y2"]), int(m["m2"]), int(m["d2"]))
            if 1900 <= y <= YEAR_MAX:
                try:
                    return date(y, mo, d)
                except ValueError:
                    pass
        for it in _date_items(raw, numeric_dm=False):
            if it.kind == "bad":
                return None  # «№ 72 от 31.02.2022»: the date is lost, not another one guessed
            if it.kind != "y":
                return it.start
        return None
    except CANNOT_PARSE:
        return None


# parse_date of the text a contract cell holds besides its number («от 5 апреля 2022 года»): the numbers differ
# from file to file, the dates repeat
_date_of_text = lru_cache(maxsize=16384)(parse_date)


def parse_period(raw) -> tuple[date | None, date | None]:
    """(start, end) of a period: two dates, months or years with anything between them.

    A single year or month gives its first and last day; a single date gives (date, None).
    Never raises.
    """
    try:
        if raw is None or isinstance(raw, bool):
            return (None, None)
        if isinstance(raw, datetime):
            return (raw.date(), None)
        if isinstance(raw, date):
            return (raw, None)
        if isinstance(raw, Real):
            x = float(raw)
            if math.isnan(x):
                return (None, None)
            if x.is_integer() and YEAR_MIN <= x <= YEAR_MAX:
                return (date(int(x), 1, 1), date(int(x), 12, 31))
            return (_serial_date(x), None)
        if not isinstance(raw, str):
            return (None, None)
        m = _SERIAL_TEXT.fullmatch(raw)
        if m:
            return (_serial_date(float(m.group(1))), None)
        items = _date_items(raw, numeric_dm=True)
        if not items:
            return (None, None)
        if len(items) == 1:
            it = items[0]
            if it.kind == "bad":
                return (None, None)
            return (it.start, None if it.kind == "d" else it.end)
        first, second = items[0], items[1]  # an impossible date leaves its end of the period empty
        return (first.start if first.kind != "bad" else None, second.end if second.kind != "bad" else None)
    except CANNOT_PARSE:
        return (None, None)


# ---------------------------------------------------------------------------------------------
# contract

_CONTRACT_NO = re.compile(
    r"(?:№+|(?<![\w])(?:n|no|nr)\.?(?=\s*\d)|#|(?<![\w])нөмір[і]?)\s*"
    r"(\w[\w/\\.\-–]*?)(?=\s|$|[,;)\]]|от\s*\d|от\s*[«\"])",
    re.IGNORECASE,
)
_CONTRACT_LEAD = re.compile(
    r"\s*(?:(?:договор|контракт|соглашени|шарт)[а-яәіңғүұқөһ]*\s*)?"
    r"(\w[\w/\\.\-–]*?)(?=\s|$|[,;)\]]|от\s*\d|от\s*[«\"])",
    re.IGNORECASE,
)
_TRAIL_PUNCT = ".,;:-–—/\\"


def parse_contract(raw) -> tuple[str | None, date | None]:
    """(number, date) of a grant contract: '№ 72 от 21 апреля 2022 года' -> ('72', 2022-04-21)."""
    try:
        if raw is None or isinstance(raw, bool):
            return (None, None)
        if isinstance(raw, datetime):
            return (None, raw.date())
        if isinstance(raw, date):
            return (None, raw)
        if isinstance(raw, Real):
            x = float(raw)
            if math.isnan(x) or math.isinf(x):
                return (None, None)
            return (_float_text(x), None)
        if not isinstance(raw, str):
            return (None, None)
        text = raw.translate(_SPACES).strip()
        number, span = None, None
        m = _CONTRACT_NO.search(text)
        if m:
            number, span = m.group(1).rstrip(_TRAIL_PUNCT), m.span()
        else:
            m = _CONTRACT_LEAD.match(text)
            if m and not _date_items(m.group(1), numeric_dm=False):
                number, span = m.group(1).rstrip(_TRAIL_PUNCT), m.span()
        if number is not None and not any(c.isdigit() for c in number):
            number = None  # "№ б/н" (without a number), or a word
        rest = text if span is None or number is None else text[: span[0]] + " " + text[span[1] :]
        return (number or None, _date_of_text(rest))
    except CANNOT_PARSE:
        return (None, None)


# ---------------------------------------------------------------------------------------------
# amount by year

_YEAR_RANGE = re.compile(r"(?<![\d.,])(?:19|20|21)\d\d\s*[-–—]\s*(?:19|20|21)\d\d(?!\d)")
_YEAR_MARK = re.compile(
    r"(?<![\d.,/])((?:19|20|21)\d\d)(?!\d|[.,/]\d)\s*"
    rf"(?:(?:годы|года|году|год|гг|г|жылға|жылы|жылдың|жылғы|жыл|ж)(?![{_LETTER}])\.?|(?=[:\-–—]))"
)
_LEAD_SEP = re.compile(r"[\s:\-–—=]*")
_SEG_END = re.compile(r"[;\n]")


def parse_amount_by_year(raw) -> dict[int, Number]:
    """Amounts per year from '- на 2023 год - 34 495 376 (...) тенге\\n- на 2024 год - ...'.

    Each year marker (2023 год / 2023 г. / 2023:) owns the text up to the next marker; its amount
    is the first figure there. {} when the text does not state per-year amounts. Never raises.
    """
    try:
        if not isinstance(raw, str):
            return {}
        text = raw.translate(_SPACES)
        # "2023-2024 гг." is a span of years, not a year with an amount
        text = _YEAR_RANGE.sub(lambda m: " " * len(m.group(0)), text)
        marks = [m for m in _YEAR_MARK.finditer(text) if YEAR_MIN <= int(m.group(1)) <= YEAR_MAX]
        out: dict[int, Number] = {}
        for i, m in enumerate(marks):
            year = int(m.group(1))
            stop = marks[i + 1].start() if i + 1 < len(marks) else len(text)
            seg = text[m.end() : stop]
            seg = seg[_LEAD_SEP.match(seg).end() :]
            # stop at the next line or ";" - the next year's text starts there
            seg = _SEG_END.split(seg, maxsplit=1)[0].strip().rstrip(",;")
            n = parse_number(seg)
            if n.value is not None and not n.percent and year not in out:
                out[year] = Number(n.value, qualifier=n.qualifier, raw=seg)
        return out
    except CANNOT_PARSE:
        return {}


def amount_before_years(raw) -> Number | None:
    """The one figure a per-year amount text states before its first year («6 000 000, в т.ч. 2023 – …»): its
    total as typed; None when it states none there."""
    if not isinstance(raw, str):
        return None
    text = _YEAR_RANGE.sub(lambda m: " " * len(m.group(0)), raw.translate(_SPACES))
    first = next((m for m in _YEAR_MARK.finditer(text) if YEAR_MIN <= int(m.group(1)) <= YEAR_MAX), None)
    if first is None:
        return None
    head = text[:first.start()]
    number = parse_number(head) if _DIGIT.search(head) else None
    return number if number is not None and number.value is not None and not number.percent else None


# ---------------------------------------------------------------------------------------------
# year

_YEAR_FULL = re.compile(
    rf"(?:(?:за|на|в) )?(\d{{4}})(?:\.0+)? ?(?:(?:годы|года|году|год|гг|г|жылы|жыл|ж)(?![{_LETTER}])\.?)?",
    re.IGNORECASE,
)
_YEAR_ANY = re.compile(r"(?<![\d.,/])(\d{4})(?!\d|[.,/]\d)")


_YEAR_SPAN = re.compile(
    r"(?<![\d.,/])((?:19|20|21)\d\d)\s*(?:г\.?|гг\.?|год[а-я]*\.?|ж\.?)?\s*[-–—/]\s*((?:19|20|21)?\d\d)(?![\d.,/]\d|\d)")
_SPAN_REST = re.compile(rf"(?:(?:в|за|на|годы|годах|годов|года|год|гг|г|жылдар|жылдары|жылдарға|жылы|жж|ж|years)(?![{_LETTER}])\.?|[\s.,])*")
SPAN_MAX_YEARS = 10


def parse_year_span(raw) -> tuple[int | None, int | None]:
    """(first, last) year of a year cell: «2023-2024», «2023–2024 гг.», «2023/24» give both; «2022 г.», 2022
    give (2022, 2022); else (None, None). A span is taken only as the whole cell, years in order, ≤ 10 apart."""
    if isinstance(raw, str) and len(raw) <= 100:
        text = _WS.sub(" ", raw.lower()).strip()
        m = _YEAR_SPAN.search(text)
        if m and _SPAN_REST.fullmatch(text[: m.start()] + " " + text[m.end():]) is not None:
            first, last = int(m.group(1)), m.group(2)
            last = int(last) if len(last) == 4 else first // 100 * 100 + int(last)
            if YEAR_MIN <= first <= last <= YEAR_MAX and last - first <= SPAN_MAX_YEARS:
                return first, last
    year = parse_year(raw)
    return year, year


def parse_year(raw) -> int | None:
    """A year 1990..2100 from 2023, 2023.0, '2023', '2023 год', '2023 г.'; else None."""
    try:
        if raw is None or isinstance(raw, bool):
            return None
        if isinstance(raw, (date, datetime)):
            y = raw.year
        elif isinstance(raw, Real):
            x = float(raw)
            if not x.is_integer():
                return None
            y = int(x)
        elif isinstance(raw, str):
            m = _YEAR_FULL.fullmatch(_WS.sub(" ", raw[:100]).strip()) if len(raw) <= 100 else None
            if m:
                y = int(m.group(1))
            else:
                years = {int(g) for g in _YEAR_ANY.findall(raw)}
                years = {y for y in years if YEAR_MIN <= y <= YEAR_MAX}
                if len(years) != 1:
                    return None
                y = years.pop()
        else:
            return None
        return y if YEAR_MIN <= y <= YEAR_MAX else None
    except CANNOT_PARSE:
        return None
