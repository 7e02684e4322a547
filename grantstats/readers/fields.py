"""Passport fields (grantee, contract, period, amount…) parsed from a cell, the same for every layout."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from grantstats import catalog
from grantstats.model import Number, Report, Where
from grantstats import numbers
from grantstats.numbers import parse_amount_by_year, parse_cell_number, parse_year, remembered
from grantstats.readers.grid import cell_text


parse_date = remembered(numbers.parse_date)
parse_period = remembered(numbers.parse_period)
parse_contract = remembered(numbers.parse_contract)


@lru_cache(maxsize=4096)
def regions_in(text: str) -> tuple[str, ...]:
    """The regions a text names (catalog.regions_in_text), remembered: region cells repeat across files."""
    return tuple(catalog.regions_in_text(text))


def equal_shares(codes: tuple[str, ...] | list[str]) -> list[tuple[str, float]]:
    """A multi-region report split evenly: each region gets 1/n."""
    return [(code, 1.0 / len(codes)) for code in codes]


def apply_field(report: Report, code: str, raw: Any, where: Where) -> None:
    """Set one passport field of the report from a cell's value; empty cells leave the report as it is."""
    text = cell_text(raw) or None
    if text is None:
        return
    report.field_at[code] = where
    if code == "grantee":
        report.grantee = text
    elif code == "title":
        report.title = text
    elif code == "region":
        report.region_text = text
        report.regions = equal_shares(regions_in(text))
    elif code == "direction":
        report.direction_text = text
        report.direction = catalog.match_direction(raw)
    elif code == "contract":
        number, when = parse_contract(raw)
        report.contract_no = report.contract_no or number
        report.contract_date = report.contract_date or when
    elif code == "contract_no":
        number, when = parse_contract(raw)
        report.contract_no = number or text
        report.contract_date = report.contract_date or when
    elif code == "contract_date":
        report.contract_date = parse_date(raw) or report.contract_date
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
            report.grant_amount = Number(sum(report.amount_by_year.values()), raw=text)
        else:
            report.grant_amount = parse_cell_number(raw)
    elif code == "year":
        report.year = parse_year(raw)
    elif code == "report_date":
        report.report_date = parse_date(raw)
    elif code == "participants_total":
        report.participants_total = parse_cell_number(raw)
