"""A file's reports as the rows of the store's tables, column by column, plus the identities that decide
which stored report a new one replaces. Pure Python (no database): parsing workers build these."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass

from grantstats.model import Report
from grantstats.names import visible
from grantstats.text import normalize

ORG_FORM_WORDS = {
    "общественное", "объединение", "общественный", "фонд", "корпоративный", "частное", "учреждение",
    "некоммерческое", "акционерное", "общество", "ассоциация", "союз", "объединения", "юридических",
    "лиц", "оо", "оф", "чу", "кф", "рооо", "роо", "ооо", "нао", "ао", "ип", "товарищество",
    "ограниченной", "ответственностью", "тоо", "республиканское", "региональное", "городское",
    "областное", "молодежное", "пф", "бф", "благотворительный", "бирлестигi", "бирлестиги", "коры",
}


# json.dumps(value, ensure_ascii=False), with its encoder made once (dumps builds one a call, given an option)
_to_json = json.JSONEncoder(ensure_ascii=False).encode


def file_sha256(path: str | os.PathLike) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def ngo_key(grantee: str | None) -> str | None:
    """The NGO a grantee name stands for, without its legal form and quotes: «ОО «Корган-М»» -> 'корган м'."""
    words = [w for w in normalize(grantee).split() if w not in ORG_FORM_WORDS]
    return " ".join(words) or (normalize(grantee) or None)


def report_identity(report: Report) -> str:
    """Same contract (number and year) or, without one, same grantee, title and year: the same report."""
    if report.contract_no:
        year = report.contract_date.year if report.contract_date else ""
        return f"contract:{normalize(report.contract_no)}|{year}"
    return f"key:{ngo_key(report.grantee) or ''}|{normalize(report.title)}|{report.effective_year() or ''}"


def report_id_for(identity: str) -> str:
    return "R" + hashlib.sha1(identity.encode("utf-8")).hexdigest()[:10]


def planned_report_ids(reports: list[Report]) -> list[tuple[str, str]]:
    """(identity, report_id) for each report of one file; a repeated identity gets #2, #3… as save_files stores it."""
    out: list[tuple[str, str]] = []
    seen: dict[str, int] = {}
    for report in reports:
        identity = report_identity(report)
        seen[identity] = seen.get(identity, 0) + 1
        if seen[identity] > 1:
            identity = f"{identity}#{seen[identity]}"
        out.append((identity, report_id_for(identity)))
    return out


# The columns of each report table that a file's reports fill, in the order _append_rows appends them; the
# columns every row of one file shares (FILE_COLUMNS) are added when the file is saved.
ROW_COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": ("report_id", "identity", "grantee", "ngo_key", "title", "contract_no", "contract_date",
                "period_start", "period_end", "year", "direction", "direction_text", "region_text",
                "grant_amount", "grant_amount_qualifier", "grant_amount_text", "report_date",
                "participants_total", "participants_total_text", "sheet", "cell", "field_cells", "bin", "field_texts"),
    "report_regions": ("report_id", "region", "share"),
    "report_amounts": ("report_id", "year", "amount"),
    "indicators": ("report_id", "indicator", "unit", "label", "plan", "plan_qualifier", "plan_text", "fact",
                   "fact_qualifier", "fact_text", "sheet", "plan_cell", "fact_cell"),
    "participants": ("report_id", "dimension", "bucket", "people", "percent", "derived", "raw_text", "sheet",
                     "cell"),
    "activities": ("report_id", "seq", "task", "activity", "date_text", "place", "participants_text",
                   "plan_text", "fact_text"),
    "findings": ("report_id", "rule", "severity", "message_ru", "message_en", "sheet", "cell", "params"),
}
FILE_COLUMNS: dict[str, tuple[str, ...]] = {
    "reports": ("file_sha256", "file_name", "source_path", "layout", "loaded_at"),
    "findings": ("file_name",),
}


@dataclass
class FileRows:
    """One file's reports as table rows: what saving needs, built where the file was read (plain tuples cross
    from a worker process far cheaper than report objects)."""

    ids: list[tuple[str, str]]  # (identity, report_id) of each report, as planned_report_ids gives them
    tables: dict[str, list[tuple]]  # table -> rows, each a tuple of the table's ROW_COLUMNS


def file_rows(reports: list[Report]) -> FileRows:
    """The rows of a file's reports in every report table."""
    ids = planned_report_ids(reports)
    tables: dict[str, list[tuple]] = {table: [] for table in ROW_COLUMNS}
    for report, (identity, report_id) in zip(reports, ids):
        _append_rows(tables, report, report_id, identity)
    return FileRows(ids, tables)


@dataclass
class ParsedFile:
    """A file read in full, ready to be written: everything needed, nothing half-done.

    `rows` (when the reader built them) stand for `reports`, which may then be left empty."""

    path: str
    name: str
    sha256: str
    size: int
    layout: str
    reports: list[Report]
    rows: FileRows | None = None

    def table_rows(self) -> FileRows:
        if self.rows is None:
            self.rows = file_rows(self.reports)
        return self.rows


def _append_rows(tables: dict[str, list[tuple]], report: Report, report_id: str, identity: str) -> None:
    """Append one report's rows to each table's list (values in ROW_COLUMNS order)."""
    cells = {k: w.cell for k, w in report.field_at.items() if w.cell}
    sheet = _sheet_names()
    tables["reports"].append((
        report_id, identity, report.grantee, ngo_key(report.grantee), report.title, report.contract_no,
        report.contract_date, report.period_start, report.period_end, report.effective_year(), report.direction,
        report.direction_text, report.region_text, report.grant_amount.value, report.grant_amount.qualifier,
        report.grant_amount.raw, report.report_date, report.participants_total.value,
        report.participants_total.raw, sheet(report.source.sheet), report.source.cell,
        _to_json(cells) if cells else None, report.bin,
        _to_json(report.field_texts) if report.field_texts else None,
    ))
    tables["report_regions"].extend((report_id, region, share) for region, share in (report.regions or [(None, 1.0)]))
    tables["report_amounts"].extend((report_id, year, amount) for year, amount in sorted(report.amount_by_year.items()))
    tables["indicators"].extend(
        (report_id, ind.code, ind.unit, ind.label, ind.plan.value, ind.plan.qualifier, ind.plan.raw, ind.fact.value,
         ind.fact.qualifier, ind.fact.raw, sheet(ind.fact_at.sheet or ind.plan_at.sheet), ind.plan_at.cell, ind.fact_at.cell)
        for ind in report.indicators.values())
    tables["participants"].extend(
        (report_id, p.dimension, p.bucket, p.people, p.percent, p.derived, p.raw, sheet(p.at.sheet), p.at.cell)
        for p in report.participants)
    tables["activities"].extend(
        (report_id, seq, a.task, a.activity, a.date_text, a.place, a.participants_text, a.plan_text, a.fact_text)
        for seq, a in enumerate(report.activities, start=1))
    tables["findings"].extend(
        (report_id, f.rule, f.severity, visible(f.message_ru), visible(f.message_en), sheet(f.sheet), f.cell,
         _to_json(f.params) if f.params else None)
        for f in report.findings)


def _sheet_names():
    """A sheet's name as stored: a CSV's or a document's is its file's name, so bidi and invisible characters
    are made visible (names.visible); each distinct name is looked at once."""
    seen: dict = {}

    def sheet(name):
        if name is None:
            return None
        if name not in seen:
            seen[name] = visible(name)
        return seen[name]

    return sheet
