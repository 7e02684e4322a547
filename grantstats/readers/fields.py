"""Passport fields (grantee, contract, period, amount…) parsed from a cell, the same for every layout."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import re
from datetime import date

from grantstats import catalog, numbers, privacy
from grantstats.model import Number, Report, Where
from grantstats.numbers import (
    PLACEHOLDER_FIRST, amount_before_years, is_instruction, is_placeholder, parse_amount_by_year, parse_cell_number,
    remembered,
)
from grantstats.readers.grid import cell_text


parse_date = remembered(numbers.parse_date)
parse_period = remembered(numbers.parse_period)
parse_contract = remembered(numbers.parse_contract)
parse_year_span = remembered(numbers.parse_year_span)

PERSONAL_FIELDS = catalog.PERSONAL_FIELDS
_NO_NUMBER = re.compile(r"\s*(?:№\s*)?б\s*[/\\]?\s*н\b", re.I)  # «б/н»: без номера, no number

# Fields whose text is kept as typed beside the parsed value (Report.field_texts)
TEXT_KEPT = frozenset({"contract", "contract_no", "contract_date", "period", "period_start", "period_end",
                       "report_date", "year"})


@lru_cache(maxsize=4096)
def regions_in(text: str) -> tuple[str, ...]:
    """The regions a text names (catalog.regions_in_text), remembered: region cells repeat across files."""
    return tuple(catalog.regions_in_text(text))


_SHARE_SEGMENTS = re.compile(r"[,;\n/|]+|\s+и\s+|\s+және\s+")
_STATED_PERCENT = re.compile(r"(\d{1,3}(?:[.,]\d+)?)\s*%")


def region_shares(text: str) -> list[tuple[str, float]]:
    """The regions a region cell names with their shares: the percents it states beside each («Павлодарская
    область (60%), г. Астана (40%)») when every region has one and they make 100 %, else equal shares."""
    codes = regions_in(text) or catalog.region_of_whole_cell(text)
    if len(codes) < 2 or "%" not in text:
        return equal_shares(codes)
    stated: dict[str, float] = {}
    for segment in _SHARE_SEGMENTS.split(text):
        named, percent = regions_in(segment), _STATED_PERCENT.search(segment)
        if len(named) == 1 and percent:
            stated[named[0]] = float(percent.group(1).replace(",", "."))
    if set(stated) != set(codes) or abs(sum(stated.values()) - 100) > 0.5:
        return equal_shares(codes)
    return [(code, stated[code] / 100) for code in codes]


def excel_percent_dimensions(parts: dict[str, list[Number]]) -> set[str]:
    """The participant tables (dimension -> its parts' figures) typed as Excel percents: 0,3 and 0,7 in cells
    shown as 30 % and 70 % by their format (the format is not read). A gender or age table whose parts are each a
    fraction of one and together 1 (fractional people cannot be); the category table, whose parts may overlap,
    only beside such a table."""
    def fractions(numbers: list[Number]) -> bool:
        return len(numbers) >= 2 and all(not n.percent and 0 <= n.value < 1 for n in numbers)

    found = {dim for dim, numbers in parts.items() if dim != "category" and fractions(numbers)
             and abs(sum(n.value for n in numbers) - 1) <= 0.011}
    if found and fractions(parts.get("category", [])):
        found.add("category")
    return found


def equal_shares(codes: tuple[str, ...] | list[str]) -> list[tuple[str, float]]:
    """A multi-region report split evenly: each region gets 1/n."""
    return [(code, 1.0 / len(codes)) for code in codes]


def apply_field(report: Report, code: str, raw: Any, where: Where) -> None:
    """Set one passport field of the report from a cell's value; empty and placeholder cells («-», «нет»,
    «б/н») and the form's instructions («указать полностью») leave the report as it is (except that «б/н» says the
    contract has no number)."""
    text = cell_text(raw)
    if not text or code in PERSONAL_FIELDS or is_instruction(text):
        return
    if code in TEXT_KEPT:
        report.field_texts.setdefault(code, text)
    if text[0] in PLACEHOLDER_FIRST and is_placeholder(text):  # (the first character rules most values out)
        return
    report.field_at[code] = where
    if code == "grantee":
        report.grantee = " ".join(text.split())  # a name broken over lines in a cell is one name
    elif code == "title":
        report.title = " ".join(text.split())
    elif code == "bin":
        report.bin = report.bin or privacy.bin_of(raw)
    elif code == "region":
        report.region_text = text
        report.regions = region_shares(text)
    elif code == "direction":
        report.direction_text = text
        report.direction = catalog.match_direction(raw)
    elif code == "contract":
        number, when = parse_contract(raw)
        report.contract_no = report.contract_no or number
        report.contract_date = report.contract_date or when
    elif code == "contract_no":
        number, when = parse_contract(raw)
        if number is None and when is None and any(ch.isdigit() for ch in text) and not _NO_NUMBER.match(text):
            number = text  # a number the parser does not recognise as one, kept as typed
        report.contract_no = number
        report.contract_date = report.contract_date or when
    elif code == "contract_date":
        # «№72 от 21.04.2022г.» under a «№, дата договора» header: the number too
        number, when = parse_contract(raw) if isinstance(raw, str) and "№" in raw else (None, None)
        report.contract_no = report.contract_no or number
        report.contract_date = parse_date(raw) or when or report.contract_date
    elif code == "period":
        report.period_start, report.period_end = parse_period(raw)
    elif code == "period_start":
        report.period_start = parse_date(raw)
    elif code == "period_end":
        report.period_end = parse_date(raw)
    elif code == "grant_amount":
        by_year = parse_amount_by_year(raw) if isinstance(raw, str) else {}
        if by_year:
            report.amount_by_year = {y: n.value for y, n in by_year.items() if n.value is not None}
            stated = amount_before_years(raw)  # «6 000 000, в т.ч. 2023 – …»: the total as typed (checked, not mended)
            report.grant_amount = (Number(stated.value, stated.qualifier, raw=text) if stated is not None
                                   else Number(sum(report.amount_by_year.values()), raw=text))
        else:
            report.grant_amount = parse_cell_number(raw)
    elif code == "year":
        report.year = parse_year_span(raw)[0]
    elif code == "report_date":
        report.report_date = parse_date(raw)
    elif code == "participants_total":
        report.participants_total = parse_cell_number(raw)


def finish_fields(report: Report) -> None:
    """What the fields say together, once all are set: a year span («2023–2024 гг.») gives the period when no
    period is stated."""
    if report.period_start is not None or report.period_end is not None or "year" not in report.field_texts:
        return
    year_text = report.field_texts["year"]
    first, last = parse_year_span(year_text)
    if first is not None and last is not None and last > first:
        report.period_start, report.period_end = date(first, 1, 1), date(last, 12, 31)
        if "year" in report.field_at:
            report.field_at.setdefault("period", report.field_at["year"])


_TWO_LETTERS = re.compile(r"[^\W\d_].*?[^\W\d_]", re.S)


def names_organisation(report: Report) -> bool:
    """Whether a report names its organisation: a grantee with two letters or more in it, or a BIN."""
    return bool(report.bin) or (report.grantee is not None and _TWO_LETTERS.search(report.grantee) is not None)


def holds_figure(report: Report) -> bool:
    """Whether a report holds any figure: an amount, an indicator value, a participant count."""
    if report.grant_amount.value is not None or report.amount_by_year or report.participants_total.value is not None:
        return True
    if any(p.people is not None or p.percent is not None for p in report.participants):
        return True
    return any(ind.plan.value is not None or ind.fact.value is not None for ind in report.indicators.values())


def is_shell(report: Report) -> bool:
    """A report that names no organisation and holds no figure is not a report (a numbering row, a row of
    placeholders, a title block): readers drop it."""
    return not names_organisation(report) and not holds_figure(report)
