"""A workbook's own summary of its reports: a registry sheet listing the reports of its form sheets, or a form
laid out sheet whose figures are the other reports' totals. Read as reports, it would count each report twice.

Decided by meaning, never by a sheet's name: a registry row is a summary row when it names the grant of a report
read from the form sheets (the same contract number, or the same NGO when a contract is missing on one side); a
form with no contract, whose grantee is missing or a totals label, is a summary when its grantee or title is a
totals label («Итого по всем проектам», «Жиыны») or when its figures are the other reports' sums. Rows naming no
form's grant still load: a registry beside forms may list other grants. What is set aside is said in a finding
(readers.read_workbook), with the figures that disagree with the report they copy, so nothing goes silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grantstats.model import Report
from grantstats.readers.registry import TOTAL_LABELS
from grantstats.rows import ngo_key
from grantstats.text import normalize, similarity

SAME_NGO_SIMILARITY = 0.85  # a summary may spell a grantee a little otherwise than its form («Жастар Альянсы»)
SUMS_TO_COMPARE = 2  # figures a form must share with the others' sums, all equal, to be taken for their totals
FIGURES_NAMED = 5  # differing figures a finding names; past that, «…»
ROWS_NAMED = 10
TOTALS_WORDS = frozenset({"итого", "итог", "всего", "барлыгы", "жиыны", "жиынтык", "свод", "сводный", "сводная",
                          "сводные", "total", "summary"})


@dataclass
class SummaryRows:
    """A registry sheet's rows that list reports read from form sheets: each row with the report it lists."""

    matched: list[tuple[Report, Report]] = field(default_factory=list)  # (registry row, form report)

    @property
    def rows(self) -> set[int]:
        return {id(row) for row, _ in self.matched}


@dataclass
class FormSummary:
    """A form-layout report that sums up the workbook's other reports, and how it was told."""

    report: Report
    label: str | None  # its grantee or title when that is a totals label
    differing: list[tuple[tuple, float, float]]  # (figure key, its value, the others' sum)
    compared: int


def _contract(report: Report) -> str:
    return normalize(report.contract_no)


def _same_ngo(first: str | None, second: str | None) -> bool:
    a, b = ngo_key(first), ngo_key(second)
    return bool(a and b) and (a == b or a in b or b in a or similarity(a, b) >= SAME_NGO_SIMILARITY)


def lists_report(row: Report, report: Report) -> bool:
    """A registry row naming the grant a form reports on: contract numbers agree when both give one (and their
    dates, when both give a date), and the NGO agrees when both name it; the NGO alone (with the year, when both
    give one) when a contract is missing on one side."""
    row_contract, report_contract = _contract(row), _contract(report)
    if row_contract and report_contract:
        if row_contract != report_contract:
            return False
        if row.contract_date and report.contract_date and row.contract_date != report.contract_date:
            return False
        return not (row.grantee and report.grantee) or _same_ngo(row.grantee, report.grantee)
    if not _same_ngo(row.grantee, report.grantee):
        return False
    row_year, report_year = row.effective_year(), report.effective_year()
    return not (row_year and report_year) or row_year == report_year


def summary_rows(rows: list[Report], forms: list[Report]) -> SummaryRows:
    """The rows of a registry sheet that list a report read from the workbook's form sheets."""
    found = SummaryRows()
    for row in rows:
        candidates = [report for report in forms if lists_report(row, report)]
        if candidates:  # (an NGO with two forms and no contract in the row: the one its figures agree with most)
            found.matched.append((row, min(candidates, key=lambda report: len(differing(row, figures(report))))))
    return found


def figures(report: Report) -> dict[tuple, float]:
    """A report's figures by what they are: indicators' plan and fact, the grant amount, the participants' total
    and each participant bucket."""
    out: dict[tuple, float] = {}
    for code, ind in report.indicators.items():
        for part, number in (("plan", ind.plan), ("fact", ind.fact)):
            if number.value is not None:
                out[("indicator", code, part)] = number.value
    for code, number in (("grant_amount", report.grant_amount), ("participants_total", report.participants_total)):
        if number.value is not None:
            out[("field", code)] = number.value
    for p in report.participants:
        if p.people is not None:
            out.setdefault(("participants", p.dimension, p.bucket), p.people)
    return out


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= max(0.5, 1e-9 * max(abs(a), abs(b)))


def differing(report: Report, against: dict[tuple, float]) -> list[tuple[tuple, float, float]]:
    """The figures of `report` that `against` gives otherwise: (key, the report's, the other)."""
    return [(key, value, against[key]) for key, value in figures(report).items()
            if key in against and not _equal(value, against[key])]


def totals_label(*texts: str | None) -> str | None:
    """The first text that names totals rather than a grantee or project: its first word «Итого», «Всего»,
    «Жиыны», «Свод…», «Total», or the whole of it a registry's totals label («Общий итог», «И т о г о»)."""
    for text in texts:
        words = normalize(text).split()
        if words and (words[0] in TOTALS_WORDS or "".join(words) in TOTAL_LABELS):
            return text
    return None


def form_summaries(reports: list[Report]) -> list[FormSummary]:
    """The form-layout reports that sum up the others: no contract, no grantee (or a totals label in its place),
    and a totals label as grantee or title, or figures that are all the others' sums (two at least)."""
    candidates = [r for r in reports if not r.contract_no and (not r.grantee or totals_label(r.grantee))]
    others = [r for r in reports if not any(r is c for c in candidates)]
    if not candidates or not others:
        return []
    sums: dict[tuple, float] = {}
    each = [figures(r) for r in others]
    for key in each[0]:
        if all(key in f for f in each[1:]):
            sums[key] = sum(f[key] for f in each)
    found = []
    for candidate in candidates:
        label = totals_label(candidate.grantee, candidate.title)
        own = figures(candidate)
        compared = sum(1 for key in own if key in sums)
        differ = differing(candidate, sums)
        if label or (compared >= SUMS_TO_COMPARE and not differ):
            found.append(FormSummary(candidate, label, differ, compared))
    return found


def figure_term(key: tuple) -> dict:
    """What a figure is, as a findings.messages term: «Количество прямых бенефициаров, факт», «сумма гранта»."""
    if key[0] == "indicator":
        return {"join": [{"name": ["indicator", key[1]]}, {"name": ["plan_fact", key[2]]}], "sep": ", "}
    if key[0] == "field":
        return {"name": ["field_in_text", key[1]]}
    return {"name": ["gender_in_text" if key[1] == "gender" else key[1], key[2]]}


def differences_term(differ: list[tuple[tuple, float, float]], row: int | None = None) -> dict:
    """Figures that differ, as a findings.messages term: «row 3: Количество прямых бенефициаров, факт 130 ≠ 120»."""
    items = [{"phrase": "figure_differs", "what": figure_term(key), "here": here, "there": there}
             for key, here, there in differ[:FIGURES_NAMED]]
    if len(differ) > FIGURES_NAMED:
        items.append("…")
    listed = {"join": items, "sep": ", "}
    return listed if row is None else {"phrase": "in_row", "row": str(row), "what": listed}


def sheets_text(reports: list[Report], limit: int = 4) -> str:
    """The sheets these reports were read from, in order, as «Отчет 1», «Отчет 2» (… past `limit`)."""
    sheets = list(dict.fromkeys(r.source.sheet for r in reports if r.source.sheet))
    return ", ".join(f"«{s}»" for s in sheets[:limit]) + (", …" if len(sheets) > limit else "")


def row_number(report: Report) -> int | None:
    """The 1-based sheet row a registry report was read from (its source cell)."""
    digits = "".join(ch for ch in report.source.cell or "" if ch.isdigit())
    return int(digits) if digits else None
