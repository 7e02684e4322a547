"""The shapes a report takes between a reader and the store: plain dataclasses, no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


class ReadError(Exception):
    """A file cannot be read as a report source, said in fields: the ``file`` (its name as the user gave it),
    the ``sheet`` and ``cell`` where the reader knows them, why (``reason``, a code of grantstats.refusals, and its
    particulars ``params``) and ``line``, the English sentence without the file's name. ``str()`` is the one line
    the command line prints, ``file: line``. Raised with ``refusal(reason, file, **params)``; a page says it in
    its own language with ``refusal_text``."""

    def __init__(self, line: str, reason: str, params: dict | None = None, file: str | None = None,
                 sheet: str | None = None, cell: str | None = None) -> None:
        super().__init__(f"{file}: {line}" if file else line)
        self.line, self.reason, self.params = line, reason, dict(params or {})
        self.file, self.sheet, self.cell = file, sheet, cell

    def __reduce__(self):  # the fields travel back from a parsing worker
        return (type(self), (self.line, self.reason, self.params, self.file, self.sheet, self.cell))

    def named(self, file: str, alias: str | None = None) -> ReadError:
        """The same refusal for the file shown as ``file``; ``alias`` (the name a reader was given: a link named
        for its kind, a pending copy) is replaced by it in the line too."""
        line = self.line.replace(alias, file) if alias and alias != file else self.line
        return ReadError(line, self.reason, self.params, file, self.sheet, self.cell)


@dataclass(frozen=True)
class Number:
    """A parsed figure: the value, its qualifier (approx/at_least/at_most) and the text it came from."""

    value: float | None
    qualifier: str | None = None
    raw: str | None = None
    percent: bool = False

    @property
    def empty(self) -> bool:
        return self.value is None


EMPTY = Number(None)


@dataclass
class Where:
    """Where a figure came from: sheet and cell (A1) or table name, within the report's file."""

    sheet: str | None = None
    cell: str | None = None


@dataclass
class IndicatorValue:
    """One row of the social and economic effect table: an indicator's plan and fact."""

    code: str
    plan: Number = EMPTY
    fact: Number = EMPTY
    unit: str | None = None
    label: str | None = None
    plan_at: Where = field(default_factory=Where)
    fact_at: Where = field(default_factory=Where)
    one_cell: str | None = None  # a cell merged over the plan and fact columns both were read from («D18:E18»)


@dataclass
class ParticipantValue:
    """People in one bucket of a participant table (dimension gender/age/category)."""

    dimension: str
    bucket: str
    people: float | None
    percent: float | None = None
    derived: bool = False
    raw: str | None = None
    at: Where = field(default_factory=Where)


@dataclass
class Activity:
    """One activity row of the report; values kept as the text people typed."""

    task: str | None = None
    activity: str | None = None
    date_text: str | None = None
    place: str | None = None
    participants_text: str | None = None
    plan_text: str | None = None
    fact_text: str | None = None


@dataclass
class Finding:
    """A data-quality note about a report (see grantstats.findings for the rules): its rule, its message's parameters
    (grantstats.findings.messages renders them in any language) and that message in Russian and English."""

    rule: str
    severity: str
    message_ru: str
    message_en: str
    sheet: str | None = None
    cell: str | None = None
    params: dict | None = None


@dataclass
class Report:
    """One final report as read from a file, before it is stored."""

    grantee: str | None = None
    title: str | None = None
    contract_no: str | None = None
    contract_date: date | None = None
    period_start: date | None = None
    period_end: date | None = None
    year: int | None = None
    direction: str | None = None
    direction_text: str | None = None
    regions: list[tuple[str, float]] = field(default_factory=list)
    region_text: str | None = None
    grant_amount: Number = EMPTY
    amount_by_year: dict[int, float] = field(default_factory=dict)
    report_date: date | None = None
    participants_total: Number = EMPTY
    indicators: dict[str, IndicatorValue] = field(default_factory=dict)
    participants: list[ParticipantValue] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    source: Where = field(default_factory=Where)
    field_at: dict[str, Where] = field(default_factory=dict)
    # each participant table's own «всего» (form layout): dimension -> (total, its cell); the three tables of
    # one report should agree, and each table's parts are checked against its own total
    table_totals: dict[str, tuple[Number, Where]] = field(default_factory=dict)
    bin: str | None = None  # the organisation's business identification number (12 digits), when a file gives it
    # the text of date and year fields as typed (contract, period, report date, year), kept beside the parsed
    # dates so that a date that cannot be read («31.02.2023») is not lost
    field_texts: dict[str, str] = field(default_factory=dict)

    def effective_year(self) -> int | None:
        """The year a report belongs to: stated year, else contract date, else period start."""
        if self.year:
            return self.year
        for d in (self.contract_date, self.period_start):
            if d:
                return d.year
        return None
