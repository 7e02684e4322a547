"""Readers turn one file into reports; each layout has its own module, tried in a fixed order."""

from __future__ import annotations

from pathlib import Path

from grantstats.model import ReadError, Report
from grantstats.readers.grid import SUPPORTED_SUFFIXES, load_grids


def read_reports(path: str | Path) -> tuple[str, list[Report]]:
    """The layout a file is in and the reports it holds; ReadError (one line, file named) when none."""
    from grantstats.readers import registry, tidy

    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{path.name}: not a spreadsheet (expected .xlsx, .xlsm, .xls, .ods or .csv)")
    grids = load_grids(path)
    if not any(g.height for g in grids):
        raise ReadError(f"{path.name}: the file is empty")
    reports = tidy.read_tidy(grids, path.name)
    if reports is not None:
        return "tidy", reports
    reports = registry.read_registry(grids, path.name)
    if reports:
        return "registry", reports
    try:
        from grantstats.readers import form
    except ImportError:
        form = None
    problems = "no header row naming report fields (grantee, region, grant amount, beneficiaries…)"
    if form is not None:
        reports, missing = form.read_form(grids, path.name)
        if reports:
            return "form", reports
        problems += f"; not a final-report form either ({missing})"
    raise ReadError(f"{path.name}: no report found — {problems}")
