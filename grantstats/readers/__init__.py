"""Readers turn one file into reports; each layout has its own module, tried in a fixed order."""

from __future__ import annotations

from pathlib import Path

from grantstats.model import ReadError, Report
from grantstats.readers.grid import DOCUMENT_SUFFIXES, SUPPORTED_SUFFIXES, load_grids


def _content(report: Report) -> int:
    """How much a reading of a report found: its fields, indicators and participant buckets."""
    return len(report.field_at) + len(report.indicators) + len(report.participants)


def _table_sheets(report: Report) -> set[str]:
    """The sheets a form's indicator and participant tables were read from (its passport fields may also
    have been picked up from other sheets)."""
    places = [*(p.at for p in report.participants), *(at for _, at in report.table_totals.values()),
              *(at for ind in report.indicators.values() for at in (ind.plan_at, ind.fact_at))]
    return {at.sheet for at in places if at is not None and at.sheet}


def read_document_file(path: Path) -> tuple[str, list[Report]]:
    """A Word report ('word') or a PDF exported from Word ('pdf'): its one grid read by the form reader."""
    from grantstats.readers.document import read_document

    if path.suffix.lower() == ".docx":
        from grantstats.readers.word import load_word_grid

        return read_document(load_word_grid(path), path.name, "word", "Word document")
    from grantstats.readers.pdf import load_pdf_grid

    return read_document(load_pdf_grid(path), path.name, "pdf", "PDF")


def read_reports(path: str | Path) -> tuple[str, list[Report]]:
    """The layout a file is in and the reports it holds; ReadError (one line, file named) when none.

    Tidy exports are recognised by their sheet names. A sheet with two or more report rows is a registry.
    Otherwise the form reading wins when it is the richer: a form whose passport labels stand in one header
    row looks like a one-row registry, but only the form reader sees its tables. When the form is whole
    (passport, indicators and participants all found), the sheets holding its tables are not searched for a
    registry header: a registry has no such tables, and the search costs a third of the reading of a form.
    """
    from grantstats.readers import form, registry, tidy

    path = Path(path)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise ReadError(f"{path.name}: not a report file (expected .xlsx, .xlsm, .xls, .ods, .csv, .docx or .pdf)")
    if path.suffix.lower() in DOCUMENT_SUFFIXES:
        return read_document_file(path)
    grids = load_grids(path)
    if not any(g.height for g in grids):
        raise ReadError(f"{path.name}: the file is empty")
    reports = tidy.read_tidy(grids, path.name)
    if reports is not None:
        return "tidy", reports
    form_reports, missing = form.read_form(grids, path.name)
    searched = grids
    if form_reports and not missing:
        table_sheets = _table_sheets(form_reports[0])
        searched = [g for g in grids if g.name not in table_sheets]
    registry_reports = registry.read_registry(searched, path.name)
    if len(registry_reports) >= 2:
        return "registry", registry_reports
    if form_reports and (not registry_reports or _content(form_reports[0]) > _content(registry_reports[0])):
        return "form", form_reports
    if registry_reports:
        return "registry", registry_reports
    raise ReadError(f"{path.name}: no report found — no header row naming report fields (grantee, region, grant "
                    f"amount, beneficiaries…), and not a final-report form either ({missing})")
