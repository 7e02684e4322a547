"""What a page says, in its language (ru, kk or en, chosen in the sidebar): interface strings, the names of
codes (regions, directions, indicators, buckets, severities, rules), and figures as cell text."""

from __future__ import annotations

from typing import Any, Callable, Iterable

import pandas as pd
import streamlit as st

from grantstats import catalog, formatting as fmt, i18n
from grantstats.findings import messages as finding_messages
from grantstats.findings.rules import rule_titles


KEPT_LANG_KEY = "_gs_kept_lang"
"""Where ui.state.kept keeps the language switch's value (the switch's own key, ``lang``, is a widget's: a page
run without the sidebar loses it)."""


def lang() -> str:
    value = st.session_state.get(KEPT_LANG_KEY) or st.session_state.get("lang")
    return value if value in i18n.LANGS else i18n.DEFAULT_LANG


def T(key: str, **values: Any) -> str:  # noqa: N802 - short on purpose: used on every label
    return i18n.t(key, lang(), **values)


def missing_code(code: Any) -> bool:
    """A code that is not there: None, NaN or pandas' NA (a text code is never missing)."""
    return fmt.is_absent(code)


def unit_label(unit: str | None) -> str:
    """An indicator's unit as shown: a catalog unit code («people») in the page's language, a unit the report
    typed («человек») as typed."""
    if unit in catalog.codes("unit_short"):
        return catalog.name("unit_short", unit, lang())
    return unit or ""


def region_name(code: Any, language: str | None = None) -> str:
    return catalog.name("region", None if missing_code(code) else str(code), language or lang())


def direction_name(code: Any, language: str | None = None) -> str:
    if missing_code(code):
        return catalog.name("direction", None, language or lang())
    return f"{code}. {catalog.name('direction', str(code), language or lang())}"


def direction_short(code: Any, width: int = 38) -> str:
    """A direction's name cut to ``width`` characters (where a table must stay narrow; a chart wraps the whole
    name with direction_label, a table shows it whole)."""
    text = direction_name(code)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def wrapped(text: str, width: int = 34, lines: int = 3) -> str:
    """Text broken into lines of about ``width`` characters with <br> (for chart labels), at most ``lines`` lines
    (the last one ending in … when the text is longer)."""
    out: list[str] = []
    current = ""
    for word in str(text).split():
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        out.append(current)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1].rstrip(",;:") + "…"
    return "<br>".join(out)


def direction_label(code: Any, width: int = 34) -> str:
    """A direction's full name on a chart, wrapped over up to three lines (not cut)."""
    return wrapped(direction_name(code), width)


def layout_name(code: Any) -> str:
    """A file's layout as words («форма отчета», «Word»), not its code."""
    return fmt.DASH if missing_code(code) or not code else (T(f"layout_{code}") if f"layout_{code}" in i18n.TEXTS
                                                              else str(code))


def indicator_name(code: Any) -> str:
    return catalog.name("indicator", None if missing_code(code) else str(code), lang())


def bucket_name(dimension: str, code: Any) -> str:
    kind = {"gender": "gender", "age": "age", "category": "category"}[dimension]
    return catalog.name(kind, None if missing_code(code) else str(code), lang())


def severity_name(code: Any) -> str:
    return catalog.name("severity", code, lang())


def severity_names(codes: Iterable[Any]) -> list[str]:
    return catalog.names("severity", codes, lang())


def with_finding_names(findings: pd.DataFrame) -> pd.DataFrame:
    """Findings (a DataFrame with `severity` and `rule` codes) with `severity_name` and `rule_name` added, in the
    page's language."""
    return findings.assign(severity_name=severity_names(findings["severity"]),
                           rule_name=rule_titles(findings["rule"], lang()))


def finding_texts(findings: pd.DataFrame) -> list[str]:
    """The findings' messages (a DataFrame with params, message_ru, message_en) in the page's language."""
    return finding_messages.messages(findings, lang())


def formatters(language: str) -> dict[str, Callable[[Any], str]]:
    """Cell text per column kind, in ``language`` (bound once: a table formats thousands of cells)."""
    return {
        "count": lambda v: fmt.count(v, lang=language),
        "number": lambda v: fmt.number(v, 0 if fmt.is_missing(v) or float(v).is_integer() else 1, lang=language),
        "money": lambda v: fmt.money(v, language, short=False),
        "money_short": lambda v: fmt.money(v, language),
        "share": lambda v: fmt.share(v, lang=language),
        "year": lambda v: fmt.DASH if fmt.is_missing(v) else str(int(v)),
    }


FORMATTERS: dict[str, Callable[[Any], str]] = {
    kind: (lambda kind: lambda v: formatters(lang())[kind](v))(kind) for kind in formatters("ru")}
"""The same, in the session's language (looked up per call)."""


def each(values: Iterable[Any], name: Callable[[Any], str]) -> list[str]:
    """``name(v)`` for every value of a table's column, each distinct value named once: a name reads the session's
    language (a session-state read, about 20 µs), which per row of a 5 000-row table cost a rerun 100 ms or more."""
    done: dict[Any, str] = {}
    return [done[v] if v in done else done.setdefault(v, name(v)) for v in values]


def region_list_name(regions: Any, language: str | None = None) -> str:
    """Comma-joined region codes («KZ-11,KZ-75») as their names, comma-joined; «not stated» for none."""
    if not isinstance(regions, str):
        return region_name(None, language)
    return ", ".join(region_name(c, language) for c in regions.split(","))
