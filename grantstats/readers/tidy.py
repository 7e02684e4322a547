"""The project's own tidy layout (sheets reports, indicators, participants): written by export, read back unchanged."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from grantstats.model import IndicatorValue, Number, ParticipantValue, Report, Where
from grantstats.refusals import refusal
from grantstats.numbers import parse_date
from grantstats.readers.grid import Grid, cell_name, cell_text

REPORT_COLUMNS = [
    "report_id", "grantee", "title", "contract_no", "contract_date", "period_start", "period_end", "year",
    "direction", "direction_text", "regions", "region_text", "grant_amount", "grant_amount_qualifier",
    "grant_amount_text", "amount_by_year", "report_date", "participants_total",
]
INDICATOR_COLUMNS = ["report_id", "indicator", "unit", "plan", "plan_qualifier", "plan_text",
                     "fact", "fact_qualifier", "fact_text"]
PARTICIPANT_COLUMNS = ["report_id", "dimension", "bucket", "people", "percent", "derived", "raw_text"]
DIMENSION_KEYS = {"gender": "gender", "age": "age", "category": "categories"}


def tidy_tables(details: list[dict[str, Any]]) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """Report dicts (store.report_details) as the three tidy tables: name -> (columns, rows)."""
    reports, indicators, participants = [], [], []
    for d in details:
        shares = d.get("region_shares") or {}
        reports.append([
            d["report_id"], d["grantee"], d["title"], d["contract_no"], d["contract_date"], d["period_start"],
            d["period_end"], d["year"], d["direction"], d.get("direction_text"),
            ";".join(f"{code}:{shares.get(code, 1.0 / len(d['regions'])):.6g}" for code in d["regions"]),
            d.get("region_text"), d["grant_amount"], d.get("grant_amount_qualifier"), d.get("grant_amount_text"),
            ";".join(f"{y}:{a:.15g}" for y, a in d["amount_by_year"].items()), d.get("report_date"),
            d["participants_total"],
        ])
        for code, v in d["indicators"].items():
            indicators.append([d["report_id"], code, v["unit"], v["plan"], v["plan_qualifier"], v["plan_text"],
                               v["fact"], v["fact_qualifier"], v["fact_text"]])
        derived = d.get("derived_from_percent") or {}
        for dimension, key in DIMENSION_KEYS.items():
            for bucket, people in d[key].items():
                participants.append([d["report_id"], dimension, bucket, people, None,
                                     bucket in derived.get(key, []), None])
    return {"reports": (REPORT_COLUMNS, reports), "indicators": (INDICATOR_COLUMNS, indicators),
            "participants": (PARTICIPANT_COLUMNS, participants)}


def _records(grid: Grid) -> list[tuple[int, dict[str, Any]]]:
    header = [cell_text(v) for v in (grid.rows[0] if grid.rows else [])]
    out = []
    for r in range(1, grid.height):
        row = {name: grid.value(r, c) for c, name in enumerate(header) if name}
        if any(cell_text(v) for v in row.values()):
            out.append((r, row))
    return out


def _num(value: Any) -> float | None:
    text = cell_text(value)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _str(value: Any) -> str | None:
    text = cell_text(value)
    return text or None


def _date(value: Any) -> date | None:
    return parse_date(value) if cell_text(value) else None


def read_tidy(grids: list[Grid], file_label: str) -> list[Report] | None:
    """Reports from a tidy export, or None when the file is not one."""
    by_name = {g.name.strip().lower(): g for g in grids}
    sheet = by_name.get("reports")
    if sheet is None or sheet.height == 0:
        return None
    header = {cell_text(v) for v in sheet.rows[0]}
    if not {"report_id", "grantee"} <= header:
        return None
    reports: dict[str, Report] = {}
    id_column = [cell_text(v) for v in sheet.rows[0]].index("report_id")
    for r, row in _records(sheet):
        rid = _str(row.get("report_id"))
        if not rid:
            raise refusal("tidy_no_id", file_label, row=r + 1, sheet=sheet.name, cell=cell_name(r, id_column))
        report = Report(
            grantee=_str(row.get("grantee")), title=_str(row.get("title")), contract_no=_str(row.get("contract_no")),
            contract_date=_date(row.get("contract_date")), period_start=_date(row.get("period_start")),
            period_end=_date(row.get("period_end")), year=int(_num(row.get("year"))) if _num(row.get("year")) else None,
            direction=_str(row.get("direction")), direction_text=_str(row.get("direction_text")),
            region_text=_str(row.get("region_text")),
            grant_amount=Number(_num(row.get("grant_amount")), _str(row.get("grant_amount_qualifier")),
                                _str(row.get("grant_amount_text"))),
            report_date=_date(row.get("report_date")),
            participants_total=Number(_num(row.get("participants_total"))),
            source=Where("reports", cell_name(r, 0)),
        )
        for part in (_str(row.get("regions")) or "").split(";"):
            if part:
                code, _, share = part.partition(":")
                report.regions.append((code, float(share) if share else 1.0))
        for part in (_str(row.get("amount_by_year")) or "").split(";"):
            if part:
                year, _, amount = part.partition(":")
                report.amount_by_year[int(year)] = float(amount)
        reports[rid] = report
    if "indicators" in by_name:
        for r, row in _records(by_name["indicators"]):
            report = reports.get(_str(row.get("report_id")) or "")
            code = _str(row.get("indicator"))
            if report is None or not code:
                continue
            at = Where("indicators", cell_name(r, 0))
            report.indicators[code] = IndicatorValue(
                code, unit=_str(row.get("unit")),
                plan=Number(_num(row.get("plan")), _str(row.get("plan_qualifier")), _str(row.get("plan_text"))),
                fact=Number(_num(row.get("fact")), _str(row.get("fact_qualifier")), _str(row.get("fact_text"))),
                plan_at=at, fact_at=at)
    if "participants" in by_name:
        for r, row in _records(by_name["participants"]):
            report = reports.get(_str(row.get("report_id")) or "")
            if report is None or not _str(row.get("bucket")):
                continue
            report.participants.append(ParticipantValue(
                _str(row.get("dimension")) or "", _str(row.get("bucket")) or "", _num(row.get("people")),
                percent=_num(row.get("percent")),
                derived=cell_text(row.get("derived")).lower() in ("true", "1", "да"),
                raw=_str(row.get("raw_text")), at=Where("participants", cell_name(r, 0))))
    return list(reports.values())


def write_tidy_workbook(details: list[dict[str, Any]], path: str | Path) -> None:
    """Write the tidy tables as one XLSX (values only; text that looks like a formula stays text)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for name, (columns, rows) in tidy_tables(details).items():
        ws = wb.create_sheet(name)
        ws.append(columns)
        for row in rows:
            ws.append([_text_safe_cell(ws, v) for v in row])
    wb.save(str(path))


def _text_safe_cell(ws, value: Any) -> Any:
    """A value as a cell; text that Excel would take for a formula is written as plain text."""
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(ws, value=value)
        cell.data_type = "s"
        return cell
    return value
