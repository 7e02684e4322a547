"""How figures read on screen: `1 234 567`, `87,5 %`, `34,5 млн ₸`, `≈ 1 200`. Pure functions, no Streamlit.

Every function takes the value as stored (shares as fractions: 0.875 is 87,5 %) and returns text;
a missing value (None, NaN) is a dash. Russian conventions are used in every language (space between
thousands, comma before decimals) except the words (млн / mln).
"""

from __future__ import annotations

import math
from typing import Any

NBSP = "\u00a0"  # no-break space: thousands separator and before units, so a figure never wraps
DASH = "—"
QUALIFIER_MARKS = {"approx": "≈", "at_least": "≥", "at_most": "≤", "more_than": ">", "less_than": "<"}
_WORDS = {
    "ru": {"thousand": "тыс.", "million": "млн", "billion": "млрд"},
    "en": {"thousand": "k", "million": "mln", "billion": "bn"},
}


def is_missing(value: Any) -> bool:
    """None, NaN and pandas' NA are missing; zero is not."""
    if value is None:
        return True
    try:
        return bool(math.isnan(float(value)))
    except (TypeError, ValueError):
        return True


def _words(lang: str) -> dict[str, str]:
    return _WORDS.get(lang, _WORDS["ru"])


def _grouped(value: float, decimals: int) -> str:
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", NBSP).replace(".", ",")
    return ("-" if value < 0 and text.strip("0,\u00a0") else "") + text


def number(value: Any, decimals: int = 0, qualifier: str | None = None) -> str:
    """`1 234 567`; with decimals `2,5`; a qualifier adds its mark: `≈ 1 000`, `≥ 50`."""
    if is_missing(value):
        return DASH
    text = _grouped(float(value), decimals)
    mark = QUALIFIER_MARKS.get(qualifier or "")
    return f"{mark}{NBSP}{text}" if mark else text


def count(value: Any, approximate: bool = False) -> str:
    """A count of people or reports: whole number, `≈ ` in front when it rests on approximate figures."""
    return number(value, 0, "approx" if approximate else None)


def share(value: Any, decimals: int = 1, approximate: bool = False) -> str:
    """A fraction as percent: 0.875 -> `87,5 %`; 1.2 -> `120,0 %`."""
    if is_missing(value):
        return DASH
    text = _grouped(float(value) * 100, decimals) + NBSP + "%"
    return f"≈{NBSP}{text}" if approximate else text


def money(value: Any, lang: str = "ru", approximate: bool = False, short: bool = True) -> str:
    """Tenge: `850 000 ₸` below a million, `34,5 млн ₸` / `1,25 млрд ₸` above (short=False: always full)."""
    if is_missing(value):
        return DASH
    v = float(value)
    words = _words(lang)
    if short and abs(v) >= 1e9:
        text = f"{_grouped(v / 1e9, 2)}{NBSP}{words['billion']}{NBSP}₸"
    elif short and abs(v) >= 1e6:
        text = f"{_grouped(v / 1e6, 1)}{NBSP}{words['million']}{NBSP}₸"
    else:
        text = f"{_grouped(v, 0)}{NBSP}₸"
    return f"≈{NBSP}{text}" if approximate else text


def compact(value: Any, lang: str = "ru") -> str:
    """A large count in short form for tiles and cards: `12,3 тыс.`, `1,2 млн`; below 10 000 in full."""
    if is_missing(value):
        return DASH
    v = float(value)
    words = _words(lang)
    if abs(v) >= 1e9:
        return f"{_grouped(v / 1e9, 1)}{NBSP}{words['billion']}"
    if abs(v) >= 1e6:
        return f"{_grouped(v / 1e6, 1)}{NBSP}{words['million']}"
    if abs(v) >= 1e4:
        return f"{_grouped(v / 1e3, 1)}{NBSP}{words['thousand']}"
    return _grouped(v, 0)


def change(current: Any, previous: Any, decimals: int = 1) -> str | None:
    """The relative change from the previous value: `+12,5 %`, `-3,0 %`; None when it cannot be told."""
    if is_missing(current) or is_missing(previous) or float(previous) == 0:
        return None
    ratio = float(current) / float(previous) - 1
    sign = "+" if ratio > 0 else ("-" if ratio < 0 else "±")
    return f"{sign}{_grouped(abs(ratio) * 100, decimals)}{NBSP}%"


def points_change(current: Any, previous: Any, lang: str = "ru", decimals: int = 1) -> str | None:
    """The change of a share in percentage points: 0.9 vs 0.85 -> `+5,0 п.п.` (`pp` in English)."""
    if is_missing(current) or is_missing(previous):
        return None
    diff = (float(current) - float(previous)) * 100
    sign = "+" if diff > 0 else ("-" if diff < 0 else "±")
    unit = "п.п." if lang != "en" else "pp"
    return f"{sign}{_grouped(abs(diff), decimals)}{NBSP}{unit}"


def value_with_qualifier(value: Any, qualifier: str | None, text: str | None = None) -> str:
    """An indicator value as the report gave it: the number with its mark; the raw text when no number."""
    if is_missing(value):
        return text.strip() if isinstance(text, str) and text.strip() else DASH
    decimals = 0 if float(value).is_integer() else 2
    return number(value, decimals, qualifier)
