"""How figures read on screen: `1 234 567`, `87,5 %`, `34,5 млн ₸`, `≈ 1 200`. Pure functions, no Streamlit.

Every function takes the value as stored (shares as fractions: 0.875 is 87,5 %) and returns text;
a missing value (None, NaN) is a dash. Each language writes numbers its own way: Russian and Kazakh group
thousands with a no-break space and put a comma before decimals (`1 234,5`, `34,5 млн ₸`); English groups
with a comma and uses a decimal point (`1,234.5`, `34.5 mln ₸`). Dates and times likewise (`01.03.2022`,
`1 Mar 2022`).
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

from grantstats.catalog import QUALIFIER_MARKS

NBSP = "\u00a0"  # no-break space: thousands separator and before units, so a figure never wraps
DASH = "—"
_WORDS = {
    "ru": {"thousand": "тыс.", "million": "млн", "billion": "млрд", "points": "п.п."},
    "kk": {"thousand": "мың", "million": "млн", "billion": "млрд", "points": "п.т."},
    "en": {"thousand": "k", "million": "mln", "billion": "bn", "points": "pp"},
}
_SEPARATORS = {"en": (",", ".")}
"""(thousands, decimal) per language; any other language: (no-break space, comma)."""
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def is_absent(value: Any) -> bool:
    """A value that is not there at all: None, NaN or pandas' NA/NaT (a text, even an empty one, is there)."""
    return value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ in ("NAType",
                                                                                                        "NaTType")


def is_missing(value: Any) -> bool:
    """A figure that is not there: absent, or anything that is no number (zero is there)."""
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return True


def _words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["ru"])


def separators(lang: str = "ru") -> tuple[str, str]:
    """The thousands separator and the decimal mark of a language."""
    return _SEPARATORS.get(lang, (NBSP, ","))


def _grouped(value: float, decimals: int, lang: str = "ru") -> str:
    thousands, point = separators(lang)
    text = f"{abs(value):,.{decimals}f}"
    if (thousands, point) != (",", "."):
        text = text.replace(",", "\0").replace(".", point).replace("\0", thousands)
    return ("-" if value < 0 and text.strip("0,.\u00a0") else "") + text


def number(value: Any, decimals: int = 0, qualifier: str | None = None, lang: str = "ru") -> str:
    """`1 234 567`; with decimals `2,5` (`2.5` in English); a qualifier adds its mark: `≈ 1 000`, `≥ 50`."""
    if is_missing(value):
        return DASH
    text = _grouped(float(value), decimals, lang)
    mark = QUALIFIER_MARKS.get(qualifier or "")
    return f"{mark}{NBSP}{text}" if mark else text


def figure(value: float | None, lang: str = "ru") -> str:
    """A figure inside a sentence (a finding's message): `4 000 000`, `2,5` (`2.5` in English), up to two decimals;
    `—` for none; `1,2e+25` beyond a quadrillion."""
    if value is None:
        return DASH
    point = (lambda text: text) if lang == "en" else (lambda text: text.replace(".", ","))
    if abs(value) >= 1e15:
        return point(f"{value:.3g}")
    if float(value).is_integer():
        return f"{value:,.0f}".replace(",", NBSP)
    return point(f"{value:,.2f}".rstrip("0").replace(",", NBSP))


def count(value: Any, approximate: bool = False, lang: str = "ru") -> str:
    """A count of people or reports: whole number, `≈ ` in front when it rests on approximate figures."""
    return number(value, 0, "approx" if approximate else None, lang)


def share(value: Any, decimals: int = 1, approximate: bool = False, lang: str = "ru") -> str:
    """A fraction as percent: 0.875 -> `87,5 %` (`87.5 %` in English); 1.2 -> `120,0 %`."""
    if is_missing(value):
        return DASH
    text = _grouped(float(value) * 100, decimals, lang) + NBSP + "%"
    return f"≈{NBSP}{text}" if approximate else text


def money(value: Any, lang: str = "ru", approximate: bool = False, short: bool = True) -> str:
    """Tenge: `850 000 ₸` below a million, `34,5 млн ₸` / `1,25 млрд ₸` above (short=False: always full)."""
    if is_missing(value):
        return DASH
    v = float(value)
    words = _words(lang)
    if short and abs(v) >= 1e9:
        text = f"{_grouped(v / 1e9, 2, lang)}{NBSP}{words['billion']}{NBSP}₸"
    elif short and abs(v) >= 1e6:
        text = f"{_grouped(v / 1e6, 1, lang)}{NBSP}{words['million']}{NBSP}₸"
    else:
        text = f"{_grouped(v, 0, lang)}{NBSP}₸"
    return f"≈{NBSP}{text}" if approximate else text


def compact(value: Any, lang: str = "ru") -> str:
    """A large count in short form for tiles and cards: `12,3 тыс.`, `1,2 млн`; below 10 000 in full."""
    if is_missing(value):
        return DASH
    v = float(value)
    words = _words(lang)
    if abs(v) >= 1e9:
        return f"{_grouped(v / 1e9, 1, lang)}{NBSP}{words['billion']}"
    if abs(v) >= 1e6:
        return f"{_grouped(v / 1e6, 1, lang)}{NBSP}{words['million']}"
    if abs(v) >= 1e4:
        return f"{_grouped(v / 1e3, 1, lang)}{NBSP}{words['thousand']}"
    return _grouped(v, 0, lang)


def change(current: Any, previous: Any, decimals: int = 1, lang: str = "ru") -> str | None:
    """The relative change from the previous value: `+12,5 %`, `-3,0 %`; None when it cannot be told."""
    if is_missing(current) or is_missing(previous) or float(previous) == 0:
        return None
    ratio = float(current) / float(previous) - 1
    sign = "+" if ratio > 0 else ("-" if ratio < 0 else "±")
    return f"{sign}{_grouped(abs(ratio) * 100, decimals, lang)}{NBSP}%"


def points_change(current: Any, previous: Any, lang: str = "ru", decimals: int = 1) -> str | None:
    """The change of a share in percentage points: 0.9 vs 0.85 -> `+5,0 п.п.` (`pp` in English)."""
    if is_missing(current) or is_missing(previous):
        return None
    diff = (float(current) - float(previous)) * 100
    sign = "+" if diff > 0 else ("-" if diff < 0 else "±")
    return f"{sign}{_grouped(abs(diff), decimals, lang)}{NBSP}{_words(lang)['points']}"


def value_with_qualifier(value: Any, qualifier: str | None, text: str | None = None, lang: str = "ru") -> str:
    """An indicator value as the report gave it: the number with its mark; the raw text when no number."""
    if is_missing(value):
        return text.strip() if isinstance(text, str) and text.strip() else DASH
    decimals = 0 if float(value).is_integer() else 2
    return number(value, decimals, qualifier, lang)


def _as_datetime(value: Any) -> date | None:
    """A date or datetime from a date, a datetime, a pandas Timestamp or ISO text; None when it is none."""
    if value is None or value != value:  # None, NaN, pandas' NaT (a datetime not equal to itself)
        return None
    if isinstance(value, (date, datetime)):
        return value
    if hasattr(value, "to_pydatetime"):
        try:
            value = value.to_pydatetime()
        except ValueError:
            return None
        return None if value != value else value  # pandas' NaT is not equal to itself
    try:
        text = str(value).strip()
        return datetime.fromisoformat(text) if ("T" in text or " " in text) else date.fromisoformat(text)
    except ValueError:
        return None


def _not_a_date(value: Any) -> str:
    """What a value that is no date shows: a dash when it is empty, else its text as it is."""
    if is_absent(value) or not str(value).strip():
        return DASH
    return str(value)


def date_text(value: Any, lang: str = "ru") -> str:
    """A date as people of the language write it: `01.03.2022` (ru, kk), `1 Mar 2022` (en); text that is no
    date is returned as it is."""
    d = _as_datetime(value)
    if d is None:
        return _not_a_date(value)
    if lang == "en":
        return f"{d.day}{NBSP}{_MONTHS_EN[d.month - 1]}{NBSP}{d.year}"
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def datetime_text(value: Any, lang: str = "ru") -> str:
    """A moment to the minute: `06.12.2026 12:14` (ru, kk), `6 Dec 2026, 12:14` (en)."""
    d = _as_datetime(value)
    if d is None:
        return _not_a_date(value)
    if not isinstance(d, datetime):
        return date_text(d, lang)
    return date_text(d, lang) + ("," if lang == "en" else "") + f" {d.hour:02d}:{d.minute:02d}"
