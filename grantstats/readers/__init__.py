"""Readers turn one file into reports; each layout has its own module, tried in a fixed order."""

from __future__ import annotations

from pathlib import Path

from grantstats.model import ReadError, Report
from grantstats.readers.grid import SUPPORTED_SUFFIXES, load_grids


def _content(report: Report) -> int:
    """How much a reading of a report found: its fields, indicators and participant buckets."""
    return len(report.field_at) + len(report.indicators) + len(report.participants)


def read_reports(path: str | Path) -> tuple[str, list[Report]]:
    """The layout a file is in and the reports it holds; ReadError (one line, file named) when none.

    Tidy exports are recognised by their sheet names. A sheet with two or more report rows is a registry.
    Otherwise the form reader is asked too, and the richer reading wins: a form whose passport labels
    stand in one header row looks like a one-row registry, but only the form reader sees its tables.
    """
    from grantstats.readers import form, registry, tidy

    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{path.name}: not a spreadsheet (expected .xlsx, .xlsm, .xls, .ods or .csv)")
    grids = load_grids(path)
    if not any(g.height for g in grids):
        raise ReadError(f"{path.name}: the file is empty")
    reports = tidy.read_tidy(grids, path.name)
    if reports is not None:
        return "tidy", reports
    registry_reports = registry.read_registry(grids, path.name)
    if len(registry_reports) >= 2:
        return "registry", registry_reports
    form_reports, missing = form.read_form(grids, path.name)
    if form_reports and (not registry_reports or _content(form_reports[0]) > _content(registry_reports[0])):
        return "form", form_reports
    if registry_reports:
        return "registry", registry_reports
    raise ReadError(f"{path.name}: no report found — no header row naming report fields (grantee, region, grant "
                    f"amount, beneficiaries…), and not a final-report form either ({missing})")
