"""Realign a social and economic effect table whose labels sit one row apart from their values.

A label cell merged with the row below it (or a row inserted under a label) moves every label after it
one row away from its unit, plan and fact. The unit column travels with the values, so it tells where
each label's values really are: «Количество охваченных НПО» must be counted in organizations, not in
tenge. `realign_indicator_rows` tries the few pairings such a slip can produce and keeps the one under
which every unit agrees with its label; it never guesses when no pairing makes all units agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from grantstats import catalog
from grantstats.findings import messages as finding_messages
from grantstats.model import EMPTY, Finding, Number, Where
from grantstats.text import normalize

PEOPLE, ORGANIZATIONS, TENGE, ORG_OR_PEOPLE, PERCENT = "people", "organizations", "tenge", "org_or_people", "percent"
UNIT_CODES = (PEOPLE, ORGANIZATIONS, TENGE, ORG_OR_PEOPLE, PERCENT)

_ROW_NUMBER = re.compile(r"(\d+)$")


def unit_of_text(text: str | None) -> str | None:
    """The unit a unit cell names: people, organizations, tenge, org_or_people, percent; None if unclear.

    Unit codes pass through, so a unit already resolved by a reader is understood too.
    """
    if text is None:
        return None
    return _unit_of_text(str(text))


@lru_cache(maxsize=4096)
def _unit_of_text(text: str) -> str | None:
    raw = text.strip()
    if not raw:
        return None
    if raw in UNIT_CODES:
        return raw
    if "%" in raw:
        return PERCENT
    if "₸" in raw:
        return TENGE
    words = normalize(raw).split()
    if not words:
        return None
    if any(w.startswith("процент") or w == "пайыз" for w in words):
        return PERCENT
    if any(w.startswith(("тенге", "теңге", "тнг", "kzt", "tenge")) or w == "тг" for w in words):
        return TENGE
    people = any(w.startswith(("чел", "адам", "people", "person", "участник", "бенефициар", "физич")) for w in words)
    orgs = any(w.startswith(("организац", "ұйым", "уйым", "org", "нпо", "юридич", "партнер")) or w in ("ед", "единиц", "единица", "юр")
               for w in words)
    if people and orgs:
        return ORG_OR_PEOPLE
    if people:
        return PEOPLE
    if orgs:
        return ORGANIZATIONS
    return None


def units_agree(expected: str | None, actual: str | None) -> bool | None:
    """Whether a value in unit `actual` fits an indicator counted in `expected`; None when either is unknown."""
    if expected is None or actual is None:
        return None
    if expected == actual:
        return True
    if expected == ORG_OR_PEOPLE:
        return actual in (PEOPLE, ORGANIZATIONS)
    return False


@dataclass
class IndicatorRow:
    """One row of the social and economic effect table as read: the label, and the unit/plan/fact beside it.

    A row may have no label (the lower half of a merged label cell) or no values (a label pushed down).
    `code` is the indicator the label names (None when it names none); the label's expected unit comes
    from it.
    """

    label: str | None
    unit: str | None = None
    plan: Number = EMPTY
    fact: Number = EMPTY
    code: str | None = None
    label_at: Where = field(default_factory=Where)
    unit_at: Where = field(default_factory=Where)
    plan_at: Where = field(default_factory=Where)
    fact_at: Where = field(default_factory=Where)
    one_cell: str | None = None  # the plan and fact are one value, in a cell merged over both columns

    @property
    def has_values(self) -> bool:
        return any(x not in (None, "") for x in (self.unit, self.plan.raw, self.fact.raw)) or not (
            self.plan.empty and self.fact.empty)


def _expected_unit(code: str | None) -> str | None:
    if code is None:
        return None
    try:
        return catalog.indicator_unit(code)
    except KeyError:
        return None


def _labelled(rows: list[IndicatorRow]) -> list[int]:
    """Indexes of rows carrying a label of their own (a label repeated from a merged cell above is not)."""
    out = []
    previous = None
    for i, row in enumerate(rows):
        text = normalize(row.label)
        if text and text != previous:
            out.append(i)
        previous = text or None
    return out


def _pairings(rows: list[IndicatorRow]) -> list[tuple[str, dict[int, int | None]]]:
    """Candidate pairings label row index -> value row index (None: no values), most natural first."""
    labels = _labelled(rows)
    values = [i for i, r in enumerate(rows) if r.has_values]
    value_set = set(values)
    same = {i: (i if i in value_set else None) for i in labels}
    ordered = {i: (values[k] if k < len(values) else None) for k, i in enumerate(labels)}
    below = {i: (i + 1 if i + 1 in value_set else None) for i in labels}
    above = {i: (i - 1 if i - 1 in value_set else None) for i in labels}
    return [("same", same), ("ordered", ordered), ("below", below), ("above", above)]


def _score(rows: list[IndicatorRow], pairing: dict[int, int | None]) -> tuple[int, int, int]:
    """(units that disagree, units that agree, labels given values) under a pairing."""
    agree = disagree = paired = 0
    for label_i, value_i in pairing.items():
        if value_i is None:
            continue
        paired += 1
        ok = units_agree(_expected_unit(rows[label_i].code), unit_of_text(rows[value_i].unit))
        if ok is True:
            agree += 1
        elif ok is False:
            disagree += 1
    return disagree, agree, paired


def _row_no(where: Where) -> str:
    m = _ROW_NUMBER.search(where.cell or "")
    return m.group(1) if m else "?"


def _value_at(row: IndicatorRow) -> Where:
    return row.fact_at if row.fact_at.cell else (row.plan_at if row.plan_at.cell else row.unit_at)


def _fmt(n: Number) -> str:
    if n.value is None:
        return n.raw or "—"
    v = n.value
    return (f"{v:,.0f}" if float(v).is_integer() else f"{v:,.2f}").replace(",", " ")


def realign_indicator_rows(rows: list[IndicatorRow]) -> tuple[list[IndicatorRow], Finding | None]:
    """The rows with each label given the unit, plan and fact that belong to it, and a finding saying so.

    When labels and values already agree, or when no one-row realignment makes every unit agree with its
    label, the rows come back unchanged with no finding (the quality rule `unit_mismatch` then reports the
    rows whose unit still disagrees, as errors). A realignment is only made when the rows as they stand
    have a unit that disagrees with its label and the realigned rows have none.
    """
    rows = list(rows)
    candidates = _pairings(rows)
    same_name, same = candidates[0]
    base = _score(rows, same)
    if base[0] == 0:
        return rows, None
    best = None
    for name, pairing in candidates[1:]:
        score = _score(rows, pairing)
        if score[0] != 0 or score[1] <= base[1]:
            continue
        if best is None or (score[1], score[2]) > (best[1][1], best[1][2]):
            best = (name, score, pairing)
    if best is None:
        return rows, None
    _, _, pairing = best
    out: list[IndicatorRow] = []
    moved: list[tuple[IndicatorRow, IndicatorRow | None]] = []
    for label_i, value_i in pairing.items():
        label_row = rows[label_i]
        if value_i is None:
            new = replace(label_row, unit=None, plan=EMPTY, fact=EMPTY, unit_at=Where(label_row.label_at.sheet),
                          plan_at=Where(label_row.label_at.sheet), fact_at=Where(label_row.label_at.sheet),
                          one_cell=None)
        else:
            v = rows[value_i]
            new = replace(label_row, unit=v.unit, plan=v.plan, fact=v.fact, unit_at=v.unit_at, plan_at=v.plan_at,
                          fact_at=v.fact_at, one_cell=v.one_cell)
        if value_i != same.get(label_i) and label_row.code:
            moved.append((new, label_row if label_row.has_values else None))
        out.append(new)
    return out, _realigned_finding(rows, same, moved)


def _realigned_finding(rows, same, moved) -> Finding:
    first_bad = next(i for i, v in same.items() if v is not None and units_agree(
        _expected_unit(rows[i].code), unit_of_text(rows[v].unit)) is False)
    bad = rows[first_bad]
    rows_moved = [{"phrase": "realigned_row", "label": f"{new.label}", "plan": _fmt(new.plan), "fact": _fmt(new.fact),
                   "row": f"{_row_no(_value_at(new))}"}
                  | ({"phrase": "realigned_row_from", "old_plan": _fmt(old.plan), "old_fact": _fmt(old.fact),
                      "old_row": f"{_row_no(_value_at(old))}"} if old else {})
                  for new, old in moved[:4]]
    params = {"key": "realigned_rows", "label": f"{bad.label}", "unit": f"{rows[same[first_bad]].unit}",
              "rows": {"join": rows_moved, "sep": "; "},
              "more": {"phrase": "and_more", "n": str(len(moved) - 4)} if len(moved) > 4 else ""}
    message_ru, message_en, _ = finding_messages.texts(params)
    return Finding("unit_mismatch", "warning", message_ru, message_en, bad.label_at.sheet, bad.label_at.cell, params)


__all__ = ["IndicatorRow", "realign_indicator_rows", "unit_of_text", "units_agree"]
