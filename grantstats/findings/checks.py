"""The pure per-report checks: ``CHECKS``, one row per check, each giving the findings of one report.

A check is either a comparison — a left side, an operator, a right side (each side a small expression over the
report: a sum of table parts, an indicator's fact, a field) — or, where no comparison fits, a function that
yields the offending values. The rules they belong to, and what each fires on, are in
``grantstats.findings.rules``; a finding's text comes from ``grantstats.findings.messages``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any


from grantstats import catalog
from grantstats.findings import messages as finding_messages
from grantstats.findings.rules import ERROR, RULES, RULES_BY_CODE, WARNING
from grantstats.model import Finding, Number, ParticipantValue, Report, Where
from grantstats.numbers import impossible_dates as find_impossible_dates, is_placeholder
from grantstats.realign import unit_of_text, units_agree

PROGRAMME_FIRST_YEAR = 2005  # Law No. 36 on state social grants, 12.04.2005
GAP_FOR_ERROR = 0.10  # a table off by more than 10 % of its total is an error, not a warning
FACT_OVER_PLAN = 10  # fact more than 10 × plan is implausible
APPROX_SPREAD = 0.10  # «около 500» is read as 450…550 when compared
OLDER_BUCKETS = ("46-58", "59+")  # participants aged 46 and over
YOUNGER_BUCKETS = ("13-16", "17-22")  # participants aged under 23
COUNTED_UNITS = ("people", "organizations", "org_or_people")
PEOPLE_UNUSUAL = 1_000_000  # no participant bucket below this is looked at for its ceiling (catalog.PEOPLE_UNUSUAL)
EXPENSES = ("payroll", "taxes", "economy_contribution")


def last_programme_year() -> int:
    return date.today().year + 1


# ------------------------------------------------------------------------------------------ names
# A message names things by code; grantstats.findings.messages words them in the page's language.

def bucket_name(dimension: str, bucket: str) -> dict:
    """A participant bucket as a message names it: «мужчин», «17–22 года», «Молодежь»."""
    kind = "gender_in_text" if dimension == "gender" else dimension
    return {"name": [kind, bucket]}


def indicator_name(code: str) -> dict:
    return {"name": ["indicator", code]}


def field_name(code: str) -> dict:
    return {"name": ["field_in_text", code]}


def dimension_name(dimension: str, lower: bool = False) -> dict:
    return {"name": ["dimension_in_text", dimension], **({"lower": True} if lower else {})}


def _sum(items: list[tuple[dict, float]], total: float, unit: str = "") -> dict:
    """«мужчин 10 + женщин 12 = 22» as a parameter."""
    return {"sum": [[name, value] for name, value in items], "total": total, **({"unit": unit} if unit else {})}


# ------------------------------------------------------------------------------------------ sides

@dataclass(frozen=True)
class Side:
    """One side of a comparison, evaluated: its value, how it was made (a message parameter), where, and its slack.

    `low`/`high` bound what the value may really be: a qualifier widens them («не менее 50» is 50…∞),
    and so does rounding of values converted from percent (`slack`).
    """

    value: float
    describe: Callable[[], Any]  # how it was made, as a finding_messages term: called only for a message
    at: Where = field(default_factory=Where)
    slack: float = 0.0
    qualifier: str | None = None

    @property
    def low(self) -> float:
        if self.qualifier == "at_most":
            return -math.inf
        if self.qualifier == "approx":
            return self.value * (1 - APPROX_SPREAD) - self.slack
        return self.value - self.slack

    @property
    def high(self) -> float:
        if self.qualifier == "at_least":
            return math.inf
        if self.qualifier == "approx":
            return self.value * (1 + APPROX_SPREAD) + self.slack
        return self.value + self.slack


SideFn = Callable[[Report], "Side | None"]


def _parts(report: Report, dimension: str) -> list[ParticipantValue]:
    return [p for p in report.participants if p.dimension == dimension and p.bucket != "total"]


def _table_total(report: Report, dimension: str) -> tuple[float | None, Where]:
    """A participant table's total: its own «всего» (a kept total row, else the total the form's table states),
    else the participants' total."""
    own = next((p for p in report.participants if p.dimension == dimension and p.bucket == "total"
                and p.people is not None), None)
    if own is not None:
        return own.people, own.at
    if dimension in report.table_totals:
        number, at = report.table_totals[dimension]
        return number.value, at
    return report.participants_total.value, report.field_at.get("participants_total", Where())


def _row_of(cell: str | None) -> str | None:
    digits = "".join(ch for ch in (cell or "") if ch.isdigit())
    return digits or None


def _table_at(report: Report, dimension: str) -> Where:
    """The cell standing for a whole participant table: its total when the total is the table's own (its own
    «всего» value, or the participants' total in the same row as the parts, as in a registry row or the
    form's first table), else the table's first part (the form's other tables share the first one's total)."""
    own = next((p for p in report.participants if p.dimension == dimension and p.bucket == "total"), None)
    if own is not None:
        return own.at
    if dimension in report.table_totals:
        return report.table_totals[dimension][1]
    total_at = report.field_at.get("participants_total", Where())
    parts = _parts(report, dimension)
    if not parts:
        return total_at
    if total_at.cell and any(p.at.sheet == total_at.sheet and _row_of(p.at.cell) == _row_of(total_at.cell)
                             for p in parts):
        return total_at
    return parts[0].at


def _rounding_slack(part: ParticipantValue, total: float | None) -> float:
    """How far a part converted from a whole percent may be from the truth: half a person + half a percent."""
    if not part.derived:
        return 0.0
    return 0.5 + 0.005 * (total or 0)


def people_parts(dimension: str) -> SideFn:
    """Σ people of a table's parts, when at least one part is given in people (not all converted from percent)."""
    def side(report: Report) -> Side | None:
        parts = [p for p in _parts(report, dimension) if p.people is not None]
        if not parts or all(p.derived for p in parts):
            return None
        total, _ = _table_total(report, dimension)
        value = sum(p.people for p in parts)
        return Side(value, lambda: _sum([(bucket_name(dimension, p.bucket), p.people) for p in parts], value),
                    parts[0].at, slack=sum(_rounding_slack(p, total) for p in parts))
    return side


def percent_parts(dimension: str) -> SideFn:
    """Σ percent of a table's parts, when every part is given in percent; each whole percent may be off by 0.5."""
    def side(report: Report) -> Side | None:
        parts = [p for p in _parts(report, dimension) if p.percent is not None or p.people is not None]
        if not parts or not all(p.percent is not None for p in parts):
            return None
        value = sum(p.percent for p in parts)
        return Side(value, lambda: _sum([(bucket_name(dimension, p.bucket), p.percent) for p in parts], value, "%"),
                    _table_at(report, dimension), slack=0.5 * len(parts))
    return side


def table_total(dimension: str) -> SideFn:
    def side(report: Report) -> Side | None:
        total, _ = _table_total(report, dimension)
        at = _table_at(report, dimension)
        if total is None:
            return None
        if any(p.dimension == dimension and p.bucket == "total" for p in report.participants):
            qualifier = None
        elif dimension in report.table_totals:
            qualifier = report.table_totals[dimension][0].qualifier
        else:
            qualifier = report.participants_total.qualifier
        return Side(total, lambda: total, at, qualifier=qualifier)
    return side


def report_field(name: str) -> SideFn:
    """A report's field (its number, where it stands, its qualifier)."""
    def side(report: Report) -> Side | None:
        n = getattr(report, name)
        if n.value is None:
            return None
        value = n.value
        return Side(value, lambda: value, report.field_at.get(name, Where()), qualifier=n.qualifier)
    return side


participants_total = report_field("participants_total")


def constant(value: float, suffix: str = "") -> SideFn:
    term = {"phrase": "percent", "value": value} if suffix == "%" else value
    return lambda report: Side(value, lambda: term)


def fact(code: str) -> SideFn:
    """An indicator's fact, with its qualifier."""
    def side(report: Report) -> Side | None:
        ind = report.indicators.get(code)
        if ind is None or ind.fact.value is None or ind.fact.percent:
            return None
        value = ind.fact.value
        return Side(value, lambda: value, ind.fact_at, qualifier=ind.fact.qualifier)
    return side


def facts(*codes: str) -> SideFn:
    """Σ of indicators' facts (those given; none given -> no side)."""
    def side(report: Report) -> Side | None:
        given = [(c, report.indicators[c]) for c in codes
                 if c in report.indicators and report.indicators[c].fact.value is not None
                 and not report.indicators[c].fact.percent]
        if not given:
            return None
        value = sum(ind.fact.value for _, ind in given)
        return Side(value, lambda: _sum([(indicator_name(c), ind.fact.value) for c, ind in given], value),
                    given[0][1].fact_at)
    return side


amount = report_field("grant_amount")


def amounts_by_year(report: Report) -> Side | None:
    """Σ of a report's amounts by year, when it states two years or more."""
    if len(report.amount_by_year) < 2:
        return None
    years = sorted(report.amount_by_year.items())
    value = sum(v for _, v in years)
    return Side(value, lambda: _sum([(_amount_for(y), v) for y, v in years], value),
                report.field_at.get("grant_amount", Where()))


def buckets(dimension: str, codes: tuple[str, ...]) -> SideFn:
    """Σ people in some buckets of a table; a bucket left empty counts 0, but only when the table is given."""
    def side(report: Report) -> Side | None:
        parts = [p for p in _parts(report, dimension) if p.people is not None]
        if not parts:
            return None
        chosen = {p.bucket: p for p in parts if p.bucket in codes}
        total, _ = _table_total(report, dimension)
        people = [chosen[c].people if c in chosen else 0.0 for c in codes]
        value = sum(people)
        at = chosen[codes[0]].at if codes[0] in chosen else (next(iter(chosen.values())).at if chosen else parts[0].at)
        return Side(value, lambda: _sum([(bucket_name(dimension, c), v) for c, v in zip(codes, people)], value),
                    at, slack=sum(_rounding_slack(p, total) for p in chosen.values()))
    return side


def bucket(dimension: str, code: str) -> SideFn:
    def side(report: Report) -> Side | None:
        p = next((p for p in _parts(report, dimension) if p.bucket == code and p.people is not None), None)
        if p is None:
            return None
        total, _ = _table_total(report, dimension)

        def describe() -> Any:
            if p.derived and p.percent is not None:
                return {"phrase": "derived_people", "people": p.people, "percent": p.percent, "total": total}
            return p.people
        return Side(p.people, describe, p.at, slack=_rounding_slack(p, total))
    return side


# ------------------------------------------------------------------------------------------ checks

@dataclass(frozen=True)
class Hit:
    """One offending value (or table): its message's parameters (finding_messages terms), where it is, its
    severity if not the rule's."""

    values: dict[str, Any]
    at: Where = field(default_factory=Where)
    severity: str | None = None


def by_gap(share: float = GAP_FOR_ERROR) -> Callable[[Side, Side], str]:
    """Error when the sides differ by more than `share` of the right side, else warning."""
    def severity(left: Side, right: Side) -> str:
        return ERROR if abs(left.value - right.value) > share * abs(right.value) else WARNING
    return severity


OPERATORS: dict[str, Callable[[Side, Side], bool]] = {
    "==": lambda left, right: left.high >= right.low and left.low <= right.high,  # the ranges overlap
    "<=": lambda left, right: left.low <= right.high,
    ">=": lambda left, right: left.high >= right.low,
}


@dataclass(frozen=True)
class Check:
    """One row of the rule table.

    Either a comparison (`left` `op` `right`, each a side of the report; a check whose side is absent is
    skipped) or `find`, a function yielding Hits. Its message is the template ``finding_messages.TEMPLATES[name]``
    (with `fixed`: those values too), filled with {left}, {right}, {diff} for comparisons, the Hit's values otherwise.
    """

    rule: str
    name: str
    fixed: dict[str, Any] = field(default_factory=dict)
    left: SideFn | None = None
    op: str | None = None
    right: SideFn | None = None
    find: Callable[[Report], Iterable[Hit]] | None = None
    severity: Any = None  # None: the rule's; a code; or a function of (left, right) for comparisons
    at_side: str = "left"  # whose cell a comparison's finding points at ("right": a table's total)

    def hits(self, report: Report) -> Iterator[Hit]:
        if self.find is not None:
            yield from self.find(report)
            return
        left, right = self.left(report), self.right(report)
        if left is None or right is None or OPERATORS[self.op](left, right):
            return
        severity = self.severity(left, right) if callable(self.severity) else self.severity
        diff = left.value - right.value
        yield Hit({"left": left.describe(), "right": right.describe(), "diff": abs(diff)},
                  _pick_at(left, right, self.at_side), severity)

    def findings(self, report: Report) -> Iterator[Finding]:
        return self.findings_of(self.hits(report))

    def findings_of(self, hits: Iterable[Hit]) -> Iterator[Finding]:
        default = RULES_BY_CODE[self.rule].severity
        for hit in hits:
            severity = hit.severity or (self.severity if isinstance(self.severity, str) else None) or default
            yield finding(self.rule, severity, {"key": self.name, **self.fixed, **hit.values}, hit.at)


def _pick_at(left: Side, right: Side, side: str) -> Where:
    first, second = (right, left) if side == "right" else (left, right)
    return first.at if first.at.cell or not second.at.cell else second.at


def finding(rule: str, severity: str, params: dict[str, Any], at: Where = Where()) -> Finding:
    """A finding of `rule` with its message's parameters, and its Russian and English text rendered for the store."""
    ru, en, _ = finding_messages.texts(params)
    return Finding(rule, severity, ru, en, at.sheet, at.cell, params)


# -- finders for the rules no comparison expresses ------------------------------------------------

def _all_numbers(report: Report) -> Iterator[tuple[tuple[str, str], Number, Where, str | None]]:
    """(figure, number, where, unit) for every figure of a report that is a Number; `_figure_name(figure)` names
    it for a message (made only for the few figures a finding is about)."""
    yield ("field", "grant_amount"), report.grant_amount, report.field_at.get("grant_amount", Where()), "tenge"
    yield (("field", "participants_total"), report.participants_total,
           report.field_at.get("participants_total", Where()), "people")
    for code, ind in report.indicators.items():
        unit = _unit(code)
        yield ("plan_of", code), ind.plan, ind.plan_at, unit
        yield ("fact_of", code), ind.fact, ind.fact_at, unit


def _figure_name(figure: tuple[str, str]) -> dict:
    """A figure of `_all_numbers` named for a message: a field, or an indicator's plan or fact."""
    kind, code = figure
    if kind == "field":
        return field_name(code)
    return {"phrase": kind, "indicator": indicator_name(code)}


def _indicator_figures(code: str) -> tuple[dict, dict, str | None]:
    """An indicator's plan and fact named for messages, and its unit."""
    return ({"phrase": "plan_of", "indicator": indicator_name(code)},
            {"phrase": "fact_of", "indicator": indicator_name(code)}, _unit(code))


@functools.lru_cache(maxsize=4096)
def _unit(code: str) -> str | None:
    try:
        return catalog.indicator_unit(code)
    except KeyError:  # an unknown code has no unit to check
        return None


def negative_values(report: Report) -> Iterator[Hit]:
    for figure, number, at, _ in _all_numbers(report):
        if number.value is not None and number.value < 0:
            yield Hit({"what": _figure_name(figure), "value": number.value}, at)
    for year, value in report.amount_by_year.items():
        if value is not None and value < 0:
            yield Hit({"what": _amount_for(year), "value": value}, report.field_at.get("grant_amount", Where()))
    for p in report.participants:
        for value in (p.people, p.percent):
            if value is not None and value < 0:
                yield Hit({"what": _participants(p), "value": value}, p.at)
                break


def _amount_for(year: object) -> dict:
    return {"phrase": "amount_for_year", "year": str(year)}


def _participants(p: ParticipantValue) -> dict:
    return {"phrase": "participants_bucket", "bucket": bucket_name(p.dimension, p.bucket)}


def fractional_counts(report: Report) -> Iterator[Hit]:
    for figure, number, at, unit in _all_numbers(report):
        if unit in COUNTED_UNITS and number.value is not None and not number.percent \
                and not float(number.value).is_integer():
            yield Hit({"what": _figure_name(figure), "value": number.value}, at)
    for p in report.participants:
        if p.people is not None and not p.derived and not float(p.people).is_integer():
            yield Hit({"what": _participants(p), "value": p.people}, p.at)


@functools.lru_cache(maxsize=512)
def _limits(kind: str, code: str) -> tuple[float, float] | None:
    """(error ceiling, warning threshold) of a figure, from the catalog."""
    if kind == "indicator":
        try:
            entry = catalog.entry("indicator", code)
        except KeyError:
            return None
        return (entry.ceiling, entry.unusual) if entry.ceiling else None
    if kind == "participants":
        return catalog.PARTICIPANT_LIMITS
    return catalog.FIELD_LIMITS.get(code)


def _magnitudes(report: Report) -> Iterator[tuple[dict, float, Where, tuple[float, float]]]:
    """(name, value, where, limits) of every figure of a report that has limits in the catalog."""
    for code in ("grant_amount", "participants_total"):
        number = getattr(report, code)
        if number.value is not None and not number.percent:
            yield field_name(code), number.value, report.field_at.get(code, Where()), _limits("field", code)
    if len(report.amount_by_year) > 1:
        for year, value in sorted(report.amount_by_year.items()):
            if value is not None:
                yield (_amount_for(year), value,
                       report.field_at.get(f"grant_amount_{year}", report.field_at.get("grant_amount", Where())),
                       _limits("field", "grant_amount"))
    for code, ind in report.indicators.items():
        limits = _limits("indicator", code)
        if limits is None:
            continue
        for number, at, part in ((ind.plan, ind.plan_at, 0), (ind.fact, ind.fact_at, 1)):
            if number.value is not None and not number.percent and number.value > limits[1]:
                yield _indicator_figures(code)[part], number.value, at, limits
    for p in report.participants:
        if p.people is not None and p.people > PEOPLE_UNUSUAL:
            yield _participants(p), p.people, p.at, _limits("participants", p.bucket)


def too_large(report: Report) -> Iterator[Hit]:
    """Figures above the largest value a report can plausibly state (catalog ceilings: an error), or above the
    catalog's «unusual» threshold (possible, worth a look: a warning)."""
    for name, value, at, (ceiling, unusual) in _magnitudes(report):
        if value > ceiling:
            yield Hit({"how": {"phrase": "implausibly_many"}, "what": name, "value": value,
                       "limit": {"phrase": "above_ceiling", "ceiling": ceiling}}, at)
        elif unusual and value > unusual:
            yield Hit({"how": {"phrase": "unusually_large"}, "what": name, "value": value,
                       "limit": {"phrase": "above_unusual", "limit": unusual}}, at, WARNING)


def too_small_grants(report: Report) -> Iterator[Hit]:
    """A grant amount (or a year's) under catalog.GRANT_FLOOR: typed in thousands, or a slip («1,234»; 0)."""
    amounts = [(field_name("grant_amount"), report.grant_amount.value, report.field_at.get("grant_amount", Where()))]
    if len(report.amount_by_year) > 1:
        amounts += [(_amount_for(year), value, report.field_at.get(f"grant_amount_{year}", amounts[0][2]))
                    for year, value in sorted(report.amount_by_year.items())]
    for name, value, at in amounts:
        if value is not None and 0 <= value < catalog.GRANT_FLOOR:
            yield Hit({"how": {"phrase": "unusually_small"}, "what": name, "value": value,
                       "limit": {"phrase": "below_grant_floor"}}, at, WARNING)


DATE_FIELDS = ("contract", "contract_no", "contract_date", "period", "period_start", "period_end", "report_date")


def _date_lost(report: Report, code: str) -> bool:
    """Whether a date field's text left a date unread (only then can it hold an impossible date)."""
    if code in ("contract", "contract_no", "contract_date"):
        return report.contract_date is None
    if code in ("period", "period_start", "period_end"):
        return report.period_start is None or report.period_end is None
    return report.report_date is None


def impossible_dates(report: Report) -> Iterator[Hit]:
    """Dates typed that cannot be («31.02.2023»), in the field's own cell; the text stays as typed."""
    for code in DATE_FIELDS:
        text = report.field_texts.get(code)
        for bad in find_impossible_dates(text) if text and _date_lost(report, code) else ():
            yield Hit({"what": field_name(code), "date": bad, "text": text},
                      report.field_at.get(code, report.source))


def bin_not_kept(report: Report) -> Iterator[Hit]:
    """A BIN cell that holds no BIN (an IIN, a phone, a short number): nothing of it is stored or quoted."""
    at = report.field_at.get("bin")
    if at is not None and report.bin is None:
        yield Hit({}, at)


def fact_far_above_plan(report: Report) -> Iterator[Hit]:
    for code, ind in report.indicators.items():
        plan, fact_ = ind.plan.value, ind.fact.value
        if plan is None or fact_ is None or plan <= 0 or ind.plan.percent or ind.fact.percent:
            continue
        if fact_ > FACT_OVER_PLAN * plan:
            yield Hit({"what": indicator_name(code), "plan": plan, "fact": fact_, "times": round(fact_ / plan, 1)},
                      ind.fact_at)


def years_out_of_range(report: Report) -> Iterator[Hit]:
    first, last = PROGRAMME_FIRST_YEAR, last_programme_year()
    stated: list[tuple[str, int, Where]] = []
    if report.year is not None:
        stated.append(("year", report.year, report.field_at.get("year", Where())))
    for name in ("contract_date", "period_start", "period_end", "report_date"):
        d = getattr(report, name)
        if d is not None:
            where = report.field_at.get(name) or report.field_at.get(
                "period" if name.startswith("period") else "contract", Where())
            stated.append((name, d.year, where))
    for year in report.amount_by_year:
        stated.append(("grant_amount", int(year), report.field_at.get("grant_amount", Where())))
    for name, year, at in stated:
        if not first <= year <= last:
            yield Hit({"what": field_name(name), "year": str(year), "first": str(first), "last": str(last)}, at)


def category_above_total(report: Report) -> Iterator[Hit]:
    total, _ = _table_total(report, "category")
    if total is None:
        return
    for p in _parts(report, "category"):
        if p.people is not None and p.people > total + _rounding_slack(p, total):
            yield Hit({"what": bucket_name("category", p.bucket), "value": p.people, "total": total}, p.at)


def table_totals_differ(report: Report) -> Iterator[Hit]:
    """The participant tables' own totals (by gender, category, age) disagree: one finding listing them,
    at the first total that differs from the first table's."""
    stated = [(dim, number.value, at) for dim, (number, at) in report.table_totals.items() if number.value is not None]
    if len({value for _, value, _ in stated}) < 2:
        return
    first = stated[0][1]
    at = next(at for _, value, at in stated if value != first)
    items = [{"phrase": "table_total", "table": dimension_name(dim), "value": value, "cell": _in_cell(at)}
             for dim, value, at in stated]
    yield Hit({"items": {"join": items, "sep": "; "}}, at)


def _in_cell(at: Where) -> str:
    return f" ({at.cell})" if at.cell else ""


def unit_disagrees(report: Report) -> Iterator[Hit]:
    """Indicator rows whose unit text names another unit than the indicator's."""
    for code, ind in report.indicators.items():
        expected = _unit(code)
        if units_agree(expected, unit_of_text(ind.unit)) is False:
            yield Hit({"what": ind.label or indicator_name(code), "unit": ind.unit, "expected": {"name": ["unit", expected]},
                       "plan": ind.plan.value, "fact": ind.fact.value}, ind.fact_at if ind.fact_at.cell else ind.plan_at)


def percent_in_counts(report: Report) -> Iterator[Hit]:
    """Indicators counted in people, organizations or tenge that hold a percent («100%»)."""
    for code, ind in report.indicators.items():
        if _unit(code) is None:
            continue
        for part, number, at in (("plan_of", ind.plan, ind.plan_at), ("fact_of", ind.fact, ind.fact_at)):
            if number.percent and number.value is not None:
                yield Hit({"what": {"phrase": part, "indicator": indicator_name(code)},
                           "raw": number.raw or {"phrase": "percent", "value": number.value}}, at)


def missing_fields(report: Report) -> Iterator[Hit]:
    here = report.source
    if not report.regions:
        yield _missing("region", report.region_text, report.field_at.get("region", here))
    if report.effective_year() is None:
        yield _missing("year", report.field_texts.get("year"), report.field_at.get("year", here))
    if report.grant_amount.value is None:
        yield _missing("grant_amount", report.grant_amount.raw, report.field_at.get("grant_amount", here))
    if report.direction is None:
        yield _missing("direction", report.direction_text, report.field_at.get("direction", here))
    direct = report.indicators.get("direct_beneficiaries")
    if direct is None or direct.fact.value is None:
        at = direct.fact_at if direct is not None and direct.fact_at.cell else here
        yield _missing("direct_beneficiaries", direct.fact.raw if direct is not None else None, at)


def _missing(name: str, text: str | None, at: Where) -> Hit:
    text = (text or "").strip()
    if text and text not in ("-", "—", "–"):
        return Hit({"what": field_name(name), "how": {"phrase": "not_recognised", "text": text}}, at)
    return Hit({"what": field_name(name), "how": {"phrase": "not_given"}}, at)


def percent_tables(report: Report) -> Iterator[Hit]:
    if not any(p.derived for p in report.participants):
        return
    for dimension in ("gender", "age", "category"):
        derived = [p for p in _parts(report, dimension) if p.derived]
        if not derived:
            continue
        table = dimension_name(dimension, lower=True)
        total, _ = _table_total(report, dimension)
        at = _table_at(report, dimension)
        if any(p.people is None for p in derived) or total is None:
            yield Hit({"table": table, "how": {"phrase": "not_converted"}}, at, WARNING)
            continue
        items = [{"phrase": "percent_to_people", "bucket": bucket_name(dimension, p.bucket), "percent": p.percent,
                  "people": p.people} for p in derived[:7]]
        yield Hit({"table": table, "how": {"phrase": "converted", "total": total,
                                           "items": {"join": items, "sep": ", "}}}, at)


def figures_not_read(report: Report) -> Iterator[Hit]:
    """Figures whose cell holds text but no one number (numbers.parse_number refuses to guess); the grant amount
    and direct beneficiaries' fact are named by missing_field instead."""
    for figure, number, at, _ in _all_numbers(report):
        if number.value is None and figure not in _REQUIRED_FIGURES and _holds_text(number.raw):
            yield Hit({"what": _figure_name(figure), "raw": " ".join(number.raw.split())}, at)
    for p in report.participants:
        if p.people is None and p.percent is None and _holds_text(p.raw):
            yield Hit({"what": _participants(p), "raw": " ".join(p.raw.split())}, p.at)


_REQUIRED_FIGURES = {("field", "grant_amount"), ("fact_of", "direct_beneficiaries")}


def one_cell_plan_facts(report: Report) -> Iterator[Hit]:
    """Indicators whose plan and fact were read from one cell merged over both columns (the reader takes its value
    as both, as the sheet shows it): named for a person to confirm."""
    for code, ind in report.indicators.items():
        if ind.one_cell and (ind.plan.raw or ind.fact.raw):
            yield Hit({"what": indicator_name(code), "raw": " ".join((ind.fact.raw or ind.plan.raw).split()),
                       "range": ind.one_cell}, ind.fact_at)


def _holds_text(raw: str | None) -> bool:
    return bool(raw) and not is_placeholder(raw)


def qualified_values(report: Report) -> Iterator[Hit]:
    for figure, number, at, _ in _all_numbers(report):
        if number.qualifier and number.value is not None:
            yield Hit({"what": _figure_name(figure), "raw": number.raw or "", "q": {"name": ["qualifier", number.qualifier]},
                       "value": number.value}, at)


# -- the rule table -------------------------------------------------------------------------------

def _sum_check(dimension: str) -> Check:
    return Check("sum_mismatch", f"{dimension}_parts_sum", {"table": dimension_name(dimension)},
                 people_parts(dimension), "==", table_total(dimension), severity=by_gap(), at_side="right")


def _percent_check(dimension: str) -> Check:
    return Check("sum_mismatch", f"{dimension}_percent_sum", {"table": dimension_name(dimension)},
                 percent_parts(dimension), "==", constant(100, "%"), severity=by_gap())


CHECKS: list[Check] = [
    _sum_check("gender"),
    _sum_check("age"),
    _percent_check("gender"),
    _percent_check("age"),
    Check("sum_mismatch", "direct_vs_participants", left=fact("direct_beneficiaries"), op="==",
          right=participants_total, severity=WARNING),
    Check("unit_mismatch", "unit_column", find=unit_disagrees),
    Check("unit_mismatch", "percent_in_count", find=percent_in_counts),
    Check("budget_exceeds_grant", "expenses_within_grant", left=facts(*EXPENSES), op="<=", right=amount),
    Check("sum_mismatch", "amount_years_sum", left=amounts_by_year, op="==", right=amount, severity=by_gap()),
    Check("implausible_value", "negative", find=negative_values),
    Check("implausible_value", "fractional_count", find=fractional_counts),
    Check("implausible_value", "too_large", find=too_large),
    Check("implausible_value", "too_large", find=too_small_grants),
    Check("impossible_date", "impossible_date", find=impossible_dates),
    Check("personal_data", "bin_not_a_bin", find=bin_not_kept),
    Check("implausible_value", "fact_over_10x_plan", find=fact_far_above_plan, severity=WARNING),
    Check("implausible_value", "year_out_of_range", find=years_out_of_range),
    Check("sum_mismatch", "table_totals_differ", find=table_totals_differ),
    Check("implausible_value", "category_above_total", find=category_above_total, severity=WARNING),
    Check("category_age_conflict", "elderly_vs_46_plus", left=bucket("category", "elderly"), op="<=",
          right=buckets("age", OLDER_BUCKETS)),
    Check("category_age_conflict", "children_vs_under_23", left=bucket("category", "children"), op="<=",
          right=buckets("age", YOUNGER_BUCKETS)),
    Check("missing_field", "required_fields", find=missing_fields),
    Check("derived_from_percent", "percent_table", find=percent_tables),
    Check("unreadable_value", "figure_not_read", find=figures_not_read),
    Check("plan_fact_one_cell", "one_cell", find=one_cell_plan_facts),
    Check("approximate_value", "qualified_value", find=qualified_values),
]


def findings_for(report: Report) -> list[Finding]:
    """Findings about one report read from a file, in the order of the rule table."""
    out: list[Finding] = []
    for check in CHECKS:
        for hit in check.hits(report):  # (most checks find nothing: Check.findings only for those that do)
            out.extend(check.findings_of([hit]))
    return out


# ------------------------------------------------------------------------------------------ for pages

def rule_table() -> list[dict[str, str]]:
    """The rules as rows (code, severity, ru/en/kk title, condition) and their checks, for docs and pages."""
    return [{"code": r.code, "severity": r.severity, "title_ru": r.title_ru, "title_en": r.title_en,
             "title_kk": r.title_kk, "condition": r.condition, "checks": ", ".join(c.name for c in CHECKS if c.rule == r.code)}
            for r in RULES]
